//! Policy configuration: `costgate.toml` (found upward from PATH, or `--config FILE`) and
//! `--data FILE` documents (JSON or YAML), merged over the built-in defaults into the one
//! object policies read as `input.config`. Also owns config-file waivers.
//!
//! ```toml
//! fail_on = "deny"                      # deny | warn | never (the CLI flag wins)
//! inline_waivers = false                # ignore `# costgate:ignore` comments in .tf files
//! waiver_horizon_days = 366             # a waiver may not expire later than this from today
//! [report]
//! group_by = "tag:team"                 # cost per group in the reports (tag:KEY, type, module, region)
//! [policies.gpu-quota]
//! scope_tag = "env"
//! limits = [{ gpu = "H100", scope = "*", max = 16 }]
//! [[waivers]]
//! policy = "gpu-quota"
//! address = "aws_instance.h100*"
//! reason = "training burst approved in FIN-42"
//! until = "2026-12-31"
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{json_kind, read_file, FileError, Result};

use super::waivers::Waiver;

/// Built-in defaults for the built-in policies (documented in docs/policies.md).
pub const DEFAULTS: &str = include_str!("../../policies/defaults.json");

pub use super::schema::{check_policy_ids, SCHEMA};
use super::schema::{key_offset, schema_violation};

/// Default `waiver_horizon_days`: a waiver expires within about a year.
pub const DEFAULT_WAIVER_HORIZON_DAYS: i64 = 366;

/// Name of the config file looked up from PATH upward.
pub const CONFIG_FILE: &str = "costgate.toml";

/// The merged configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// What policies see as `input.config`.
    pub doc: Value,
    pub waivers: Vec<Waiver>,
    /// `fail_on` from the config file.
    pub fail_on: Option<String>,
    /// Whether `# costgate:ignore` comments in the .tf files count (default true). A protected
    /// config (e.g. loaded from the base branch) sets it false so a pull request cannot waive
    /// its own findings.
    pub inline_waivers: bool,
    /// `inline_waivers` was set by a config file (with `--no-inline-waivers` only an explicit
    /// `inline_waivers = true` turns them on).
    pub inline_waivers_set: bool,
    /// `waiver_horizon_days`: the furthest expiry a waiver may have, in days from today.
    pub waiver_horizon_days: i64,
    /// Files that contributed, in order.
    pub files: Vec<PathBuf>,
    /// `[report] group_by`: the showback grouping of the reports (the CLI flag wins).
    pub group_by: Option<crate::report::showback::GroupBy>,
    /// The `--data` documents as read: policies also see them under `data` (OPA/conftest).
    pub data_docs: Vec<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    policy: Option<String>,
    address: Option<String>,
    reason: Option<String>,
    until: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawToml {
    #[serde(default)]
    waivers: Vec<toml::Spanned<RawWaiver>>,
    fail_on: Option<String>,
    inline_waivers: Option<bool>,
    waiver_horizon_days: Option<toml::Spanned<i64>>,
    report: Option<RawReport>,
}

/// `[report]`: how the reports look (not seen by policies).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReport {
    group_by: Option<toml::Spanned<String>>,
}

impl Config {
    /// Defaults only.
    pub fn defaults() -> Self {
        Config {
            doc: serde_json::from_str(DEFAULTS).expect("policies/defaults.json is valid JSON"),
            waivers: Vec::new(),
            fail_on: None,
            inline_waivers: true,
            inline_waivers_set: false,
            waiver_horizon_days: DEFAULT_WAIVER_HORIZON_DAYS,
            files: Vec::new(),
            group_by: None,
            data_docs: Vec::new(),
        }
    }

    /// Load `--config` (or the file found upward from `start`) and the `--data` files.
    pub fn load(start: &Path, explicit: Option<&Path>, data: &[PathBuf]) -> Result<Self> {
        Self::load_from(Some(start), explicit, data)
    }

    /// Like [`Config::load`]; `search_from: None` (`--no-config`) looks for no file upward.
    pub fn load_from(
        search_from: Option<&Path>,
        explicit: Option<&Path>,
        data: &[PathBuf],
    ) -> Result<Self> {
        let mut cfg = Config::defaults();
        let file = match explicit {
            Some(f) => Some(f.to_path_buf()),
            None => search_from.and_then(find_upward),
        };
        if let Some(f) = file {
            cfg.add_toml(&f)?;
        }
        for d in data_files(data)? {
            cfg.add_data_file(&d)?;
        }
        Ok(cfg)
    }

    /// Policy settings (`[policies.<id>]`), or an empty object.
    pub fn policy(&self, id: &str) -> &Value {
        static EMPTY: Value = Value::Null;
        self.doc
            .get("policies")
            .and_then(|p| p.get(id))
            .unwrap_or(&EMPTY)
    }

    /// Is the policy switched on (`enabled = false` switches it off)?
    pub fn enabled(&self, id: &str) -> bool {
        self.policy(id)
            .get("enabled")
            .and_then(Value::as_bool)
            .unwrap_or(true)
    }

    /// Severity override (`severity = "warn"` turns a policy's denials into warnings).
    pub fn severity(&self, id: &str) -> Option<&str> {
        self.policy(id).get("severity").and_then(Value::as_str)
    }

    fn add_toml(&mut self, path: &Path) -> Result<()> {
        let text = read_file(path)?;
        let value: toml::Value = toml::from_str(&text).map_err(|e| toml_error(path, &text, &e))?;
        let raw: RawToml = toml::from_str(&text).map_err(|e| toml_error(path, &text, &e))?;
        // Settings of a run that belong on the command line or in `[[projects]]`: accepted
        // and ignored they would leave the estimate without them, so they are refused.
        for key in ["usage", "var_files", "workspace"] {
            if value.get(key).is_some() {
                let line = text
                    .lines()
                    .take_while(|l| !l.trim_start().starts_with('['))
                    .position(|l| {
                        l.trim_start()
                            .strip_prefix(key)
                            .is_some_and(|r| r.trim_start().starts_with('='))
                    })
                    .map_or(1, |i| i + 1);
                return Err(FileError::at_line_col(
                    path,
                    &text,
                    line,
                    1,
                    format!("`{key}` at the top level of {} is not a setting costgate reads", path.display()),
                    "this setting",
                )
                .with_code(crate::error::Code::Config)
                .with_help(match key {
                    "usage" => "pass the usage file with --usage FILE, or set `usage` in a [[projects]] entry",
                    "var_files" => "pass --var-file FILE, or set `var_files` in a [[projects]] entry",
                    _ => "set TF_WORKSPACE, or `workspace` in a [[projects]] entry",
                })
                .into());
            }
        }
        for w in raw.waivers {
            let span = w.span();
            let line = crate::error::line_of(&text, span.start);
            let origin = format!("{}:{line}", path.display());
            let w = w.into_inner();
            let waiver = waiver_from_raw(w, origin).map_err(|msg| {
                FileError::at_line_col(path, &text, line, 1, msg, "this waiver")
                    .with_code(crate::error::Code::ConfigWaiver)
                    .with_help("every waiver needs policy, address and reason; until = \"YYYY-MM-DD\" is optional")
            })?;
            self.waivers.push(waiver);
        }
        if raw.fail_on.is_some() {
            self.fail_on = raw.fail_on;
        }
        if let Some(b) = raw.inline_waivers {
            self.inline_waivers = b;
            self.inline_waivers_set = true;
        }
        if let Some(h) = raw.waiver_horizon_days {
            let line = crate::error::line_of(&text, h.span().start);
            if *h.get_ref() < 1 {
                return Err(FileError::at_line_col(
                    path,
                    &text,
                    line,
                    1,
                    "waiver_horizon_days must be a positive number of days",
                    "this setting",
                )
                .with_code(crate::error::Code::Config)
                .into());
            }
            self.waiver_horizon_days = *h.get_ref();
        }
        if let Some(g) = raw.report.and_then(|r| r.group_by) {
            let line = crate::error::line_of(&text, g.span().start);
            self.group_by = Some(g.get_ref().parse().map_err(|msg: String| {
                FileError::at_line_col(path, &text, line, 1, msg, "this setting")
                    .with_code(crate::error::Code::Config)
                    .with_help("group_by = \"tag:team\" (or \"type\", \"module\", \"region\")")
            })?);
        }
        let mut json = serde_json::to_value(value).map_err(|e| miette::miette!("{e}"))?;
        if let Some(m) = json.as_object_mut() {
            m.remove("waivers");
            m.remove("fail_on");
            m.remove("inline_waivers");
            m.remove("waiver_horizon_days");
            m.remove("report");
            // Read by the estimate (policy::price_book), not a policy setting.
            m.remove("price_book");
        }
        check_types(path, &text, &json)?;
        merge(&mut self.doc, json);
        self.files.push(path.to_path_buf());
        Ok(())
    }

    fn add_data_file(&mut self, path: &Path) -> Result<()> {
        let text = read_file(path)?;
        let mut value = parse_data(path, &text)?;
        if !value.is_object() {
            return Err(miette::miette!(
                code = crate::error::Code::ConfigData,
                "{}: a data file must hold an object (its keys merge into input.config)",
                path.display()
            ));
        }
        self.data_docs.push(value.clone());
        if let Some(ws) = value.as_object_mut().and_then(|m| m.remove("waivers")) {
            let list: Vec<RawWaiver> = serde_json::from_value(ws).map_err(|e| {
                miette::miette!(
                    code = crate::error::Code::ConfigWaiver,
                    "{}: waivers: {e}",
                    path.display()
                )
            })?;
            for (i, w) in list.into_iter().enumerate() {
                let origin = format!("{} (waiver {})", path.display(), i + 1);
                let waiver = waiver_from_raw(w, origin.clone()).map_err(|msg| {
                    miette::miette!(code = crate::error::Code::ConfigWaiver, "{origin}: {msg}")
                })?;
                self.waivers.push(waiver);
            }
        }
        check_types(path, &text, &value)?;
        merge(&mut self.doc, value);
        self.files.push(path.to_path_buf());
        Ok(())
    }
}

/// `--data` paths with folders expanded (as conftest: every .json, .yaml, .yml and .toml file
/// under it, sorted).
pub fn data_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if !p.is_dir() {
            out.push(p.clone());
            continue;
        }
        let mut found: Vec<PathBuf> = walkdir::WalkDir::new(p)
            .into_iter()
            .filter_map(|e| e.ok())
            .map(|e| e.into_path())
            .filter(|f| {
                f.is_file()
                    && f.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| matches!(e, "json" | "yaml" | "yml" | "toml"))
            })
            .collect();
        found.sort();
        if found.is_empty() {
            return Err(miette::miette!(
                code = crate::error::Code::ConfigData,
                "--data {}: the folder holds no .json, .yaml or .toml files",
                p.display()
            ));
        }
        out.extend(found);
    }
    Ok(out)
}

/// A `--data` document: JSON, YAML (`.yaml`, `.yml`) or TOML (`.toml`).
pub fn read_data_document(path: &Path) -> Result<Value> {
    let text = read_file(path)?;
    parse_data(path, &text)
}

fn parse_data(path: &Path, text: &str) -> Result<Value> {
    let ext = path.extension().and_then(|e| e.to_str());
    if matches!(ext, Some("toml")) {
        let v: toml::Value = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
        return serde_json::to_value(v).map_err(|e| miette::miette!("{e}"));
    }
    if matches!(ext, Some("yaml" | "yml")) {
        crate::error::check_nesting(path, text).map_err(|e| miette::Report::new(*e))?;
        return yaml_serde::from_str(text).map_err(|e| {
            let (line, col) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((1, 1));
            miette::Report::new(
                FileError::at_line_col(path, text, line, col, format!("invalid YAML: {e}"), "here")
                    .with_code(crate::error::Code::ConfigData),
            )
        });
    }
    serde_json::from_str(text).map_err(|e| {
        miette::Report::new(
            FileError::at_line_col(
                path,
                text,
                e.line(),
                e.column(),
                format!("invalid JSON: {e}"),
                "here",
            )
            .with_code(crate::error::Code::ConfigData),
        )
    })
}

/// Settings of the built-in policies that are amounts or counts (budget limits, quota maxima),
/// wherever they appear under those policies.
const NUMBERS: &[&str] = &[
    "total_monthly",
    "increase_monthly",
    "increase_percent",
    "resource_monthly",
    "max",
];

/// A built-in setting of the wrong type would otherwise surface as a Rego error blamed on the
/// policy (or, worse, compare silently): refuse it here, pointing at the setting.
fn check_types(path: &Path, text: &str, doc: &Value) -> Result<()> {
    let schema: Value = serde_json::from_str(SCHEMA).expect("policies/schema.json is valid JSON");
    if let Some((keys, problem)) = schema_violation(&schema, doc, &mut Vec::new()) {
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let line = key_offset(text, &keys).map_or(1, |o| crate::error::line_of(text, o));
        return Err(FileError::at_line_col(
            path,
            text,
            line,
            1,
            format!("invalid config in {}: {problem}", path.display()),
            "here",
        )
        .with_help("see docs/policies.md (and policies/schema.json) for each setting and its type")
        .with_code(crate::error::Code::ConfigType)
        .into());
    }
    let defaults: Value =
        serde_json::from_str(DEFAULTS).expect("policies/defaults.json is valid JSON");
    let mut at = Vec::new();
    let Some((key, problem)) = mismatch(Some(&defaults), doc, false, &mut at) else {
        return Ok(());
    };
    let re = regex::Regex::new(&format!(
        r#"(?m)(?:^|[\s{{,"'])({})["']?[ \t]*[=:]"#,
        regex::escape(&key)
    ))
    .expect("key pattern");
    let offset = re
        .captures(text)
        .and_then(|c| c.get(1))
        .map_or(0, |m| m.start());
    let line = crate::error::line_of(text, offset);
    Err(FileError::at_line_col(
        path,
        text,
        line,
        1,
        format!("invalid config in {}: {problem}", path.display()),
        "here",
    )
    .with_help("see docs/policies.md for each setting and its type")
    .with_code(crate::error::Code::ConfigType)
    .into())
}

/// The first setting whose type differs from its default's, or that must be a number and is
/// not (inside `policies.budget` and `policies.gpu-quota`): its key and the problem.
fn mismatch(
    default: Option<&Value>,
    v: &Value,
    numeric: bool,
    at: &mut Vec<String>,
) -> Option<(String, String)> {
    let name = at.join(".");
    let last = at.last().cloned().unwrap_or_default();
    if numeric && NUMBERS.contains(&last.as_str()) && !v.is_number() {
        return Some((
            last,
            format!("{name} must be a number, not {}", json_kind(v)),
        ));
    }
    if let Some(d) = default.filter(|d| std::mem::discriminant(*d) != std::mem::discriminant(v)) {
        return Some((
            last,
            format!("{name} must be {}, not {}", json_kind(d), json_kind(v)),
        ));
    }
    let numeric = numeric || matches!(name.as_str(), "policies.budget" | "policies.gpu-quota");
    let children: Vec<(String, &Value)> = match v {
        Value::Object(m) => m.iter().map(|(k, c)| (k.clone(), c)).collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, c)| (i.to_string(), c))
            .collect(),
        _ => return None,
    };
    for (k, c) in children {
        let d = default.and_then(|d| d.get(&k)).filter(|_| v.is_object());
        at.push(k);
        let found = mismatch(d, c, numeric, at);
        at.pop();
        if found.is_some() {
            return found;
        }
    }
    None
}

fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> miette::Report {
    let start = e.span().map(|s| s.start).unwrap_or(0);
    let line = crate::error::line_of(text, start);
    let col = start
        - text[..start.min(text.len())]
            .rfind('\n')
            .map(|i| i + 1)
            .unwrap_or(0)
        + 1;
    miette::Report::new(
        FileError::at_line_col(
            path,
            text,
            line,
            col,
            format!("invalid config: {}", e.message()),
            "here",
        )
        .with_code(crate::error::Code::Config),
    )
}

fn waiver_from_raw(w: RawWaiver, origin: String) -> std::result::Result<Waiver, String> {
    let reason = w.reason.unwrap_or_default();
    if reason.trim().is_empty() {
        return Err("waiver without a reason: say why the finding is accepted".into());
    }
    let policy = w
        .policy
        .ok_or("waiver without `policy` (a policy id or glob)")?;
    let address = w
        .address
        .ok_or("waiver without `address` (a resource address or glob)")?;
    let until = w.until.map(|u| parse_date(&u)).transpose()?;
    Ok(Waiver {
        policy,
        address,
        reason: reason.trim().to_string(),
        until,
        origin,
    })
}

/// `YYYY-MM-DD`.
pub use crate::input::hcl::comments::parse_date;

/// `costgate.toml` in `start` (or its directory, for a file) or any parent.
pub fn find_upward(start: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(start).ok()?;
    let mut dir = if abs.is_dir() {
        Some(abs.as_path())
    } else {
        abs.parent()
    };
    while let Some(d) = dir {
        let f = d.join(CONFIG_FILE);
        if f.is_file() {
            return Some(f);
        }
        dir = d.parent();
    }
    None
}

/// Deep merge: objects merge key by key, anything else replaces.
pub fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

/// An empty object value.
pub fn empty() -> Value {
    Value::Object(Map::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_is_deep_and_replaces_lists() {
        let mut a = json!({"policies": {"budget": {"deny": {"total_monthly": 1}}, "x": [1, 2]}});
        merge(
            &mut a,
            json!({"policies": {"budget": {"warn": {"total_monthly": 2}}, "x": [3]}}),
        );
        assert_eq!(a["policies"]["budget"]["deny"]["total_monthly"], 1);
        assert_eq!(a["policies"]["budget"]["warn"]["total_monthly"], 2);
        assert_eq!(a["policies"]["x"], json!([3]));
    }

    #[test]
    fn built_in_settings_of_the_wrong_type_are_refused_at_their_line() {
        let text = "{\n  \"policies\": {\"gpu-quota\": {\n    \"limits\": [{\"gpu\": \"H100\", \"max\": \"8\"}]}}}";
        let doc: Value = serde_json::from_str(text).unwrap();
        let e = check_types(Path::new("d.json"), text, &doc).unwrap_err();
        assert!(
            e.to_string()
                .contains("policies.gpu-quota.limits.0.max must be a number, not a string"),
            "{e}"
        );
        let fe = e.downcast_ref::<FileError>().unwrap();
        assert_eq!(crate::error::line_of(text, fe.span.offset()), 3);
        let flag = json!({"policies": {"required-tags": {"exact_keys": "yes"}}});
        let e = check_types(Path::new("c.toml"), "", &flag).unwrap_err();
        assert!(
            e.to_string()
                .contains("exact_keys must be a boolean, not a string"),
            "{e}"
        );
        // Valid settings, and settings of custom policies, pass.
        let ok = json!({"policies": {"budget": {"deny": {"total_monthly": 5}, "teams": {"a": {"deny": {"total_monthly": 1.5}}}}, "mine": {"max": "x"}}});
        assert!(check_types(Path::new("c.toml"), "", &ok).is_ok());
    }

    #[test]
    fn toml_waiver_needs_reason() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("costgate.toml");
        std::fs::write(&f, "[[waivers]]\npolicy = \"budget\"\naddress = \"*\"\n").unwrap();
        let err = Config::load(dir.path(), None, &[]).unwrap_err();
        assert!(format!("{err:?}").contains("without a reason"), "{err:?}");
    }

    #[test]
    fn no_config_ignores_a_file_upward() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "[policies.gpu-quota]\nenabled = false\n",
        )
        .unwrap();
        assert!(!Config::load(dir.path(), None, &[])
            .unwrap()
            .enabled("gpu-quota"));
        let cfg = Config::load_from(None, None, &[]).unwrap();
        assert!(cfg.enabled("gpu-quota"));
        assert!(cfg.files.is_empty());
    }

    #[test]
    fn toml_and_data_merge_over_defaults() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("costgate.toml"),
            "fail_on = \"warn\"\n[policies.gpu-quota]\ncount_at = \"desired\"\n[[waivers]]\npolicy = \"budget\"\naddress = \"*\"\nreason = \"ok\"\nuntil = \"2030-01-02\"\n",
        )
        .unwrap();
        let y = dir.path().join("d.yaml");
        std::fs::write(
            &y,
            "policies:\n  budget:\n    deny:\n      total_monthly: 100\nteams: [a, b]\n",
        )
        .unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        let cfg = Config::load(&sub, None, &[y]).unwrap();
        assert_eq!(cfg.fail_on.as_deref(), Some("warn"));
        assert_eq!(cfg.policy("gpu-quota")["count_at"], "desired");
        assert_eq!(cfg.policy("budget")["deny"]["total_monthly"], 100);
        assert_eq!(cfg.doc["teams"], json!(["a", "b"]));
        assert!(cfg.policy("required-tags")["rules"].is_array());
        assert_eq!(cfg.waivers.len(), 1);
        assert_eq!(
            cfg.waivers[0].until,
            Some(chrono::NaiveDate::from_ymd_opt(2030, 1, 2).unwrap())
        );
    }
}
