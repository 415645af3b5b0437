//! SARIF 2.1.0 for GitHub code scanning (`check --format sarif`).
//!
//! One rule per policy (from [`PolicyMeta`], plus any policy a finding names that was not
//! described); one result per finding. Cost rules are not security rules: they carry
//! `problem.severity` and `precision`, never `security-severity`. Results point at the
//! resource's file and line (`physicalLocation`) and name the resource address
//! (`logicalLocations`); `partialFingerprints` depend only on policy + address so an alert keeps
//! its identity when lines move. Waived findings are reported with an accepted suppression.

use serde_json::{json, Map, Value};

use super::view::{finding_text, fingerprint, ReportView};
use crate::policy::finding::{Finding, PolicyMeta, Severity};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Debug, Clone, Default)]
pub struct SarifOptions {
    /// Where findings without a source location point (e.g. the plan file checked), at line 1.
    /// Without it such results carry only a logical location (GitHub does not display them).
    pub fallback_uri: Option<String>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Deny => "error",
        Severity::Warn => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encode a relative path as a URI reference (keeps `/`, unreserved characters).
pub fn path_to_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn text(s: &str, fallback: &str) -> Value {
    let s = if s.trim().is_empty() { fallback } else { s };
    json!({ "text": s })
}

fn rule(p: &PolicyMeta) -> Value {
    let title = if p.title.trim().is_empty() {
        p.id.as_str()
    } else {
        p.title.as_str()
    };
    let help = if p.help.trim().is_empty() {
        title
    } else {
        p.help.as_str()
    };
    json!({
        "id": p.id,
        "name": p.id,
        "shortDescription": text(title, &p.id),
        "fullDescription": text(help, &p.id),
        "help": { "text": help, "markdown": help },
        "defaultConfiguration": { "level": level(p.severity) },
        "properties": {
            "tags": ["cost", "finops", "terraform"],
            "precision": "high",
            "problem.severity": match p.severity {
                Severity::Deny => "error",
                Severity::Warn => "warning",
                Severity::Info => "recommendation",
            },
            "origin": p.origin,
        }
    })
}

/// Rules for every described policy, then undescribed ones findings name (sorted by id).
fn rules(v: &ReportView) -> Vec<PolicyMeta> {
    let mut out: Vec<PolicyMeta> = v.policies().to_vec();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    let mut extra: Vec<&Finding> = v
        .findings()
        .iter()
        .filter(|f| !out.iter().any(|p| p.id == f.policy))
        .collect();
    extra.sort_by(|a, b| a.policy.cmp(&b.policy));
    extra.dedup_by(|a, b| a.policy == b.policy);
    out.extend(extra.into_iter().map(|f| PolicyMeta {
        id: f.policy.clone(),
        title: f.policy.clone(),
        severity: f.severity,
        help: String::new(),
        origin: "unknown".into(),
    }));
    out
}

fn location(f: &Finding, opts: &SarifOptions) -> Value {
    let mut loc = Map::new();
    let physical = match (&f.source, &opts.fallback_uri) {
        (Some(s), _) => Some((path_to_uri(&s.file), s.line.max(1))),
        (None, Some(uri)) => Some((path_to_uri(uri), 1)),
        (None, None) => None,
    };
    if let Some((uri, line)) = physical {
        loc.insert(
            "physicalLocation".into(),
            json!({
                "artifactLocation": { "uri": uri },
                "region": { "startLine": line },
            }),
        );
    }
    let name = if f.address.is_empty() {
        "(plan)"
    } else {
        f.address.as_str()
    };
    loc.insert(
        "logicalLocations".into(),
        json!([{ "fullyQualifiedName": name, "kind": "resource" }]),
    );
    Value::Object(loc)
}

fn result(f: &Finding, rule_index: usize, opts: &SarifOptions) -> Value {
    let fp = fingerprint(&f.policy, &f.address);
    let message = finding_text(&f.address, &f.message);
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(f.policy));
    r.insert("ruleIndex".into(), json!(rule_index));
    r.insert("level".into(), json!(level(f.severity)));
    r.insert("message".into(), text(&message, &f.policy));
    r.insert("locations".into(), json!([location(f, opts)]));
    r.insert(
        "partialFingerprints".into(),
        json!({
            "costgateFinding/v1": fp,
            "primaryLocationLineHash": format!("{}:1", &fp[..16]),
        }),
    );
    if f.waived {
        let mut s = Map::new();
        s.insert("kind".into(), json!("external"));
        s.insert("status".into(), json!("accepted"));
        if let Some(n) = f.waiver_note.as_deref().filter(|n| !n.trim().is_empty()) {
            s.insert("justification".into(), json!(n));
        }
        r.insert("suppressions".into(), json!([Value::Object(s)]));
    }
    Value::Object(r)
}

/// The SARIF log as a JSON value.
pub fn document(v: &ReportView, opts: &SarifOptions) -> Value {
    let rules = rules(v);
    let mut findings: Vec<&Finding> = v.findings().iter().collect();
    findings.sort_by(|a, b| {
        (
            std::cmp::Reverse(a.severity),
            &a.policy,
            &a.address,
            &a.message,
        )
            .cmp(&(
                std::cmp::Reverse(b.severity),
                &b.policy,
                &b.address,
                &b.message,
            ))
    });
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let idx = rules.iter().position(|p| p.id == f.policy).unwrap_or(0);
            result(f, idx, opts)
        })
        .collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "costgate",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(rule).collect::<Vec<_>>(),
            }},
            "results": results,
            "properties": {
                "project": v.estimate.project,
                "monthlyBefore": crate::money::fmt2(v.estimate.totals.monthly_before),
                "monthlyAfter": crate::money::fmt2(v.estimate.totals.monthly_after),
            },
        }]
    })
}

pub fn render(v: &ReportView, opts: &SarifOptions) -> String {
    let mut s = serde_json::to_string_pretty(&document(v, opts)).expect("JSON values serialize");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(path_to_uri("./modules/gpu/main.tf"), "modules/gpu/main.tf");
        assert_eq!(path_to_uri("a b\\c#.tf"), "a%20b/c%23.tf");
    }
}
