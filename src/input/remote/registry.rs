//! The module registry protocol: service discovery (`/.well-known/terraform.json`, or a CLI
//! configuration `host` block), `GET <modules.v1><ns>/<name>/<provider>/versions` and
//! `GET …/<version>/download`, which answers with an `X-Terraform-Get` header (or a JSON
//! `location`) naming the package, relative to the download URL or absolute.
//!
//! Discovery uses HTTPS, as Terraform does; only for a loopback host (`localhost:PORT`,
//! `127.0.0.1:PORT`) it uses plain HTTP, so a local mirror can be tried without certificates.

use reqwest::blocking::{Client, Response};
use reqwest::Url;

use super::cliconfig::{CliConfig, Token};
use super::source::{redact_url, RegistryAddr};

fn loopback(host: &str) -> bool {
    let h = host.split(':').next().unwrap_or(host);
    h == "localhost" || h == "127.0.0.1" || h == "[::1]"
}

/// The `modules.v1` base URL of `host` (ending in `/`).
pub fn modules_base(http: &Client, cli: &CliConfig, host: &str) -> Result<Url, String> {
    if let Some(u) = cli.service(host, "modules.v1") {
        return Url::parse(u).map(with_slash).map_err(|_| {
            format!("the CLI configuration's `modules.v1` service for {host} is not a URL")
        });
    }
    let scheme = if loopback(host) { "http" } else { "https" };
    let disco = Url::parse(&format!("{scheme}://{host}/.well-known/terraform.json"))
        .map_err(|_| format!("`{host}` is not a valid registry host name"))?;
    let resp = http
        .get(disco.clone())
        .send()
        .map_err(|e| format!("service discovery at {host} failed: {}", net_error(&e)))?;
    if !resp.status().is_success() {
        return Err(format!(
            "service discovery at {host} answered HTTP {}",
            resp.status().as_u16()
        ));
    }
    let v = json_capped(resp)
        .map_err(|why| format!("service discovery at {host} did not answer JSON ({why})"))?;
    let s = v
        .get("modules.v1")
        .and_then(|s| s.as_str())
        .ok_or_else(|| format!("{host} offers no module registry (no `modules.v1` service)"))?;
    disco
        .join(s)
        .map(with_slash)
        .map_err(|_| format!("{host}'s `modules.v1` service is not a URL"))
}

/// Largest registry JSON reply read (discovery, versions, download): a registry that streams
/// more is refused while reading, never held whole.
pub const MAX_JSON: u64 = 4 * 1024 * 1024;

/// The JSON body of `resp`, read at most [`MAX_JSON`] bytes.
fn json_capped(resp: Response) -> Result<serde_json::Value, String> {
    use std::io::Read;
    if resp.content_length().is_some_and(|n| n > MAX_JSON) {
        return Err(format!("larger than {MAX_JSON} bytes"));
    }
    let mut body = Vec::new();
    resp.take(MAX_JSON + 1)
        .read_to_end(&mut body)
        .map_err(|_| "interrupted".to_string())?;
    if body.len() as u64 > MAX_JSON {
        return Err(format!("larger than {MAX_JSON} bytes"));
    }
    serde_json::from_slice(&body).map_err(|_| "not JSON".to_string())
}

fn with_slash(mut u: Url) -> Url {
    if !u.path().ends_with('/') {
        let p = format!("{}/", u.path());
        u.set_path(&p);
    }
    u
}

/// A transport error without the URL's query (signed URLs) or user info.
pub fn net_error(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "cannot connect".to_string()
    } else {
        "request failed".to_string()
    };
    match e.url() {
        Some(u) => format!("{what} ({})", redact_url(u.as_str())),
        None => what,
    }
}

fn get(http: &Client, url: Url, token: Option<&Token>) -> Result<Response, reqwest::Error> {
    let mut req = http.get(url);
    if let Some(t) = token {
        req = req.header(reqwest::header::AUTHORIZATION, t.bearer());
    }
    req.send()
}

fn refused(addr: &RegistryAddr, status: u16, token: bool) -> String {
    let env = format!(
        "TF_TOKEN_{}",
        addr.host.replace('-', "__").replace(['.', ':'], "_")
    );
    if token {
        format!(
            "the registry {} refused the configured token (HTTP {status})",
            addr.host
        )
    } else {
        format!(
            "the registry {} requires authentication (HTTP {status}): set {env} or a `credentials \"{}\"` block in the Terraform CLI configuration",
            addr.host, addr.host
        )
    }
}

/// The versions the registry lists for `addr`.
pub fn versions(
    http: &Client,
    cli: &CliConfig,
    base: &Url,
    addr: &RegistryAddr,
) -> Result<Vec<String>, String> {
    let url = base
        .join(&format!("{}/versions", addr.path()))
        .map_err(|_| "bad module address".to_string())?;
    let token = cli.token(&addr.host);
    let resp =
        get(http, url, token).map_err(|e| format!("registry {}: {}", addr.host, net_error(&e)))?;
    let status = resp.status().as_u16();
    match status {
        200 => {}
        401 | 403 => return Err(refused(addr, status, token.is_some())),
        404 => {
            return Err(format!(
                "the registry {} has no module {}",
                addr.host,
                addr.path()
            ))
        }
        s => {
            return Err(format!(
                "the registry {} answered HTTP {s} for {}",
                addr.host,
                addr.path()
            ))
        }
    }
    let v = json_capped(resp).map_err(|why| {
        format!(
            "the registry {} answered invalid JSON for {} ({why})",
            addr.host,
            addr.path()
        )
    })?;
    let list = v
        .pointer("/modules/0/versions")
        .and_then(|l| l.as_array())
        .ok_or_else(|| {
            format!(
                "the registry {} lists no versions for {}",
                addr.host,
                addr.path()
            )
        })?;
    Ok(list
        .iter()
        .filter_map(|e| {
            e.get("version")
                .and_then(|v| v.as_str())
                .map(str::to_string)
        })
        .collect())
}

/// Where the package of `addr` at `version` is (a source address, absolute).
pub fn download(
    http: &Client,
    cli: &CliConfig,
    base: &Url,
    addr: &RegistryAddr,
    version: &str,
) -> Result<String, String> {
    let url = base
        .join(&format!("{}/{version}/download", addr.path()))
        .map_err(|_| "bad module address".to_string())?;
    let token = cli.token(&addr.host);
    let resp = get(http, url.clone(), token)
        .map_err(|e| format!("registry {}: {}", addr.host, net_error(&e)))?;
    let status = resp.status().as_u16();
    if status == 401 || status == 403 {
        return Err(refused(addr, status, token.is_some()));
    }
    if !(200..300).contains(&status) {
        return Err(format!(
            "the registry {} answered HTTP {status} for the download of {} {version}",
            addr.host,
            addr.path()
        ));
    }
    let final_url = resp.url().clone();
    let loc = match resp
        .headers()
        .get("x-terraform-get")
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
    {
        Some(l) => l,
        None => json_capped(resp)
            .ok()
            .and_then(|v| {
                v.get("location")
                    .and_then(|l| l.as_str())
                    .map(str::to_string)
            })
            .ok_or_else(|| {
                format!(
                    "the registry {} gave no package location (X-Terraform-Get) for {} {version}",
                    addr.host,
                    addr.path()
                )
            })?,
    };
    Ok(absolute(&final_url, &loc))
}

/// A location relative to the download URL (`./x.tar.gz`, `/a/b`) made absolute; a location
/// with a getter prefix (`git::`) or a scheme is already absolute.
pub fn absolute(base: &Url, loc: &str) -> String {
    let has_getter = loc
        .split_once("::")
        .is_some_and(|(g, _)| !g.is_empty() && g.bytes().all(|b| b.is_ascii_alphanumeric()));
    let has_scheme = loc.contains("://");
    let is_relative = loc.starts_with("./") || loc.starts_with("../") || loc.starts_with('/');
    if has_getter || has_scheme || !is_relative {
        return loc.to_string();
    }
    base.join(loc)
        .map(|u| u.to_string())
        .unwrap_or_else(|_| loc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_locations() {
        let b = Url::parse("http://127.0.0.1:1/v1/modules/a/b/c/1.0.0/download").unwrap();
        assert_eq!(
            absolute(&b, "./pkg.tar.gz"),
            "http://127.0.0.1:1/v1/modules/a/b/c/1.0.0/pkg.tar.gz"
        );
        assert_eq!(
            absolute(&b, "/files/pkg.tar.gz"),
            "http://127.0.0.1:1/files/pkg.tar.gz"
        );
        assert_eq!(
            absolute(&b, "git::https://x/y.git?ref=v1"),
            "git::https://x/y.git?ref=v1"
        );
        assert_eq!(absolute(&b, "github.com/a/b"), "github.com/a/b");
    }
}
