//! The parts of Terraform's CLI configuration that module installation reads: `host` blocks
//! (service discovery overrides: how mirrors and tests point a registry host elsewhere),
//! `credentials` blocks, `~/.terraform.d/credentials.tfrc.json` (written by `terraform login`)
//! and `TF_TOKEN_<host>` variables. Tokens are kept in [`Token`], whose `Debug` never shows
//! them; they are only ever put in an `Authorization` header.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A registry token. Never printed.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.0)
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

#[derive(Debug, Clone, Default)]
pub struct CliConfig {
    /// host → service id (`modules.v1`) → URL.
    pub hosts: BTreeMap<String, BTreeMap<String, String>>,
    credentials: BTreeMap<String, Token>,
    env_tokens: BTreeMap<String, Token>,
    /// Problems reading the files (shown as warnings; never quoting their contents).
    pub warnings: Vec<String>,
}

impl CliConfig {
    /// Read the configuration the way Terraform finds it: `TF_CLI_CONFIG_FILE` (or
    /// `TERRAFORM_CONFIG`), else `~/.terraformrc`; plus the credentials file and
    /// `TF_TOKEN_*` variables.
    pub fn load() -> CliConfig {
        let vars: Vec<(String, String)> = std::env::vars().collect();
        let get = |k: &str| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let home = get("HOME").map(PathBuf::from);
        let file = get("TF_CLI_CONFIG_FILE")
            .or_else(|| get("TERRAFORM_CONFIG"))
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".terraformrc")));
        let mut c = CliConfig::default();
        if let Some(f) = file.filter(|f| f.is_file()) {
            c.read_file(&f);
        }
        if let Some(h) = &home {
            let creds = h.join(".terraform.d/credentials.tfrc.json");
            if creds.is_file() {
                c.read_credentials_json(&creds);
            }
        }
        c.read_env(&vars);
        c
    }

    /// The token for `host`: a `TF_TOKEN_*` variable first (as Terraform), then the files.
    pub fn token(&self, host: &str) -> Option<&Token> {
        let h = host.to_ascii_lowercase();
        self.env_tokens.get(&h).or_else(|| self.credentials.get(&h))
    }

    /// A service URL a `host` block gives for `host`.
    pub fn service(&self, host: &str, id: &str) -> Option<&str> {
        self.hosts
            .get(&host.to_ascii_lowercase())
            .and_then(|s| s.get(id))
            .map(String::as_str)
    }

    pub fn read_file(&mut self, f: &Path) {
        let Ok(text) = std::fs::read_to_string(f) else {
            self.warnings.push(format!(
                "Terraform CLI configuration {} cannot be read",
                f.display()
            ));
            return;
        };
        if f.extension().is_some_and(|e| e == "json") {
            self.read_credentials_text(&text, f);
            return;
        }
        self.read_hcl(&text, f);
    }

    pub fn read_hcl(&mut self, text: &str, f: &Path) {
        // Blocks with labels deserialize as nested objects: {"host": {"<name>": {...}}}.
        let Ok(v) = hcl::from_str::<serde_json::Value>(text) else {
            // The parser's message may quote the file (and so a token): not shown.
            self.warnings.push(format!(
                "Terraform CLI configuration {} is not valid HCL; its host and credentials blocks are not used",
                f.display()
            ));
            return;
        };
        let blocks = |name: &str| -> Vec<(String, serde_json::Value)> {
            let mut out = Vec::new();
            match v.get(name) {
                Some(serde_json::Value::Object(m)) => {
                    for (k, b) in m {
                        // A repeated label gives an array of bodies.
                        match b {
                            serde_json::Value::Array(a) => {
                                out.extend(a.iter().map(|b| (k.to_ascii_lowercase(), b.clone())))
                            }
                            b => out.push((k.to_ascii_lowercase(), b.clone())),
                        }
                    }
                }
                Some(serde_json::Value::Array(a)) => {
                    for m in a.iter().filter_map(|m| m.as_object()) {
                        for (k, b) in m {
                            out.push((k.to_ascii_lowercase(), b.clone()));
                        }
                    }
                }
                _ => {}
            }
            out
        };
        for (host, body) in blocks("host") {
            let mut services = BTreeMap::new();
            if let Some(m) = body.get("services").and_then(|s| s.as_object()) {
                for (k, u) in m {
                    if let Some(u) = u.as_str() {
                        services.insert(k.clone(), u.to_string());
                    }
                }
            }
            self.hosts.insert(host, services);
        }
        for (host, body) in blocks("credentials") {
            if let Some(t) = body.get("token").and_then(|t| t.as_str()) {
                self.credentials.insert(host, Token(t.to_string()));
            }
        }
    }

    fn read_credentials_json(&mut self, f: &Path) {
        match std::fs::read_to_string(f) {
            Ok(t) => self.read_credentials_text(&t, f),
            Err(_) => self
                .warnings
                .push(format!("credentials file {} cannot be read", f.display())),
        }
    }

    fn read_credentials_text(&mut self, text: &str, f: &Path) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
            self.warnings.push(format!(
                "credentials file {} is not valid JSON; not used",
                f.display()
            ));
            return;
        };
        if let Some(m) = v.get("credentials").and_then(|c| c.as_object()) {
            for (host, c) in m {
                if let Some(t) = c.get("token").and_then(|t| t.as_str()) {
                    // Configuration blocks win over the login file (read first, so kept).
                    self.credentials
                        .entry(host.to_ascii_lowercase())
                        .or_insert_with(|| Token(t.to_string()));
                }
            }
        }
    }

    /// `TF_TOKEN_app_terraform_io` → `app.terraform.io`: `__` stands for `-`, `_` for `.`.
    pub fn read_env(&mut self, vars: &[(String, String)]) {
        for (k, v) in vars {
            if let Some(enc) = k.strip_prefix("TF_TOKEN_") {
                if !v.is_empty() {
                    self.env_tokens.insert(decode_host(enc), Token(v.clone()));
                }
            }
        }
    }
}

/// Decode a `TF_TOKEN_` host name: double underscores are hyphens, single ones dots.
pub fn decode_host(enc: &str) -> String {
    enc.replace("__", "\u{0}")
        .replace('_', ".")
        .replace('\u{0}', "-")
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_host_names_decode() {
        assert_eq!(decode_host("app_terraform_io"), "app.terraform.io");
        assert_eq!(
            decode_host("my__registry_example_com"),
            "my-registry.example.com"
        );
    }

    #[test]
    fn hosts_credentials_and_env_precedence() {
        let mut c = CliConfig::default();
        c.read_hcl(
            r#"
host "registry.example.test" {
  services = {
    "modules.v1" = "http://127.0.0.1:9/v1/modules/"
  }
}
credentials "registry.example.test" {
  token = "from-file"
}
credentials "other.example.test" {
  token = "other"
}
"#,
            Path::new("x.tfrc"),
        );
        assert_eq!(
            c.service("Registry.Example.Test", "modules.v1"),
            Some("http://127.0.0.1:9/v1/modules/")
        );
        assert_eq!(
            c.token("registry.example.test").unwrap().bearer(),
            "Bearer from-file"
        );
        c.read_env(&[("TF_TOKEN_registry_example_test".into(), "from-env".into())]);
        assert_eq!(
            c.token("registry.example.test").unwrap().bearer(),
            "Bearer from-env"
        );
        assert_eq!(
            c.token("other.example.test").unwrap().bearer(),
            "Bearer other"
        );
        assert!(c.token("nobody.example").is_none());
        assert!(!format!("{c:?}").contains("from-"));
    }

    #[test]
    fn bad_config_warns_without_quoting_it() {
        let mut c = CliConfig::default();
        c.read_hcl(
            "credentials \"h\" { token = \"s3cr3t\" \n",
            Path::new("bad.tfrc"),
        );
        assert_eq!(c.warnings.len(), 1);
        assert!(!c.warnings[0].contains("s3cr3t"));
    }
}
