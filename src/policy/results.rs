//! Policy results → [`Finding`]s.
//!
//! Rules named `deny`, `violation`, `warn`, `info` (optionally with a `_suffix`) in any package
//! under `data.costgate.` produce sets (or arrays) of results. A result is a string (the
//! message) or an object with `msg` (required), and optionally `policy`, `address` (or
//! `resource`), `severity` (`deny`/`warn`/`info`), `monthly_saving_cents` (an integer: the
//! saving an advice finding is about) and `_loc` `{file, line}`. Other keys are ignored.

use serde_json::Value;

use super::finding::{Finding, Severity};
use crate::project::SourceLocation;

/// The severity a rule name implies, or None for rules that are not results.
pub fn rule_severity(rule: &str) -> Option<Severity> {
    let name = rule.rsplit('.').next().unwrap_or(rule);
    let ok_suffix = |s: &str| {
        s.is_empty()
            || s.strip_prefix('_').is_some_and(|r| {
                !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
    };
    if let Some(s) = name
        .strip_prefix("deny")
        .or_else(|| name.strip_prefix("violation"))
    {
        return ok_suffix(s).then_some(Severity::Deny);
    }
    if let Some(s) = name.strip_prefix("warn") {
        return ok_suffix(s).then_some(Severity::Warn);
    }
    name.strip_prefix("info")
        .filter(|s| ok_suffix(s))
        .map(|_| Severity::Info)
}

/// Convert one rule's value. `default_policy` names findings that do not name their policy.
pub fn findings(rule: &str, value: &Value, default_policy: &str) -> Result<Vec<Finding>, String> {
    let Some(severity) = rule_severity(rule) else {
        return Ok(Vec::new());
    };
    let items: &[Value] = match value {
        Value::Null => &[],
        Value::Array(a) => a,
        Value::Bool(_) => {
            return Err(format!(
                "{rule} is a boolean rule; write `{} contains msg if {{ ... }}`",
                rule.rsplit('.').next().unwrap_or(rule)
            ))
        }
        other => return Err(format!("{rule} must be a set of results, got {other}")),
    };
    items
        .iter()
        .map(|item| one(rule, item, severity, default_policy))
        .collect()
}

fn one(
    rule: &str,
    item: &Value,
    severity: Severity,
    default_policy: &str,
) -> Result<Finding, String> {
    let finding = |message: String| Finding {
        policy: default_policy.to_string(),
        severity,
        address: String::new(),
        message,
        source: None,
        call_site: None,
        waived: false,
        waiver_note: None,
        monthly_saving: None,
    };
    match item {
        Value::String(s) => Ok(finding(s.clone())),
        Value::Object(o) => {
            let msg = o
                .get("msg")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("a result of {rule} has no string `msg`: {item}"))?;
            let mut f = finding(msg.to_string());
            if let Some(p) = o.get("policy").and_then(Value::as_str) {
                f.policy = p.to_string();
            }
            // conftest-style results carry their metadata in `details`.
            if let Some(a) = o
                .get("address")
                .or_else(|| o.get("resource"))
                .or_else(|| o.get("details").and_then(|d| d.get("address")))
                .and_then(Value::as_str)
            {
                f.address = a.to_string();
            }
            if let Some(s) = o.get("severity").and_then(Value::as_str) {
                f.severity = super::builtin::parse_severity(s)
                    .ok_or_else(|| format!("a result of {rule} has unknown severity `{s}`"))?;
            }
            if let Some(c) = o.get("monthly_saving_cents") {
                let c = c.as_i64().ok_or_else(|| {
                    format!(
                        "a result of {rule}: `monthly_saving_cents` must be an integer, got {c}"
                    )
                })?;
                f.monthly_saving = Some(crate::money::fmt2(crate::money::Decimal::new(c, 2)));
            }
            if let Some(loc) = o.get("_loc") {
                let file = loc.get("file").and_then(Value::as_str);
                let line = loc.get("line").and_then(Value::as_u64);
                if let (Some(file), Some(line)) = (file, line) {
                    f.source = Some(SourceLocation {
                        file: file.to_string(),
                        line: line as usize,
                    });
                }
            }
            Ok(f)
        }
        other => Err(format!(
            "a result of {rule} must be a string or an object, got {other}"
        )),
    }
}

/// conftest's rule names: `deny`, `deny_*`, `violation`, `violation_*` (failures) and
/// `warn`, `warn_*` (warnings); `_` then letters and digits, repeated.
pub fn conftest_severity(rule: &str) -> Option<Severity> {
    let name = rule.rsplit('.').next().unwrap_or(rule);
    let parts = |rest: &str| {
        rest.is_empty()
            || rest.strip_prefix('_').is_some_and(|r| {
                r.split('_')
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
            })
    };
    if let Some(r) = name
        .strip_prefix("deny")
        .or_else(|| name.strip_prefix("violation"))
    {
        return parts(r).then_some(Severity::Deny);
    }
    name.strip_prefix("warn")
        .filter(|r| parts(r))
        .map(|_| Severity::Warn)
}

/// The one known resource address a message names, if exactly one: an address counts where it
/// stands as a whole word (not inside a longer address).
pub fn address_in_message<'a>(
    message: &str,
    known: &std::collections::HashSet<&'a str>,
) -> Option<&'a str> {
    let b = message.as_bytes();
    let inner = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
    let starts: Vec<usize> = (0..b.len())
        .filter(|&i| {
            (b[i].is_ascii_alphabetic() || b[i] == b'_')
                && (i == 0 || !(inner(b[i - 1]) || b[i - 1] == b'.' || b[i - 1] == b']'))
        })
        .collect();
    let ends: Vec<usize> = (1..=b.len())
        .filter(|&j| {
            let last = b[j - 1];
            (inner(last) || last == b']')
                && (j == b.len()
                    || !(inner(b[j])
                        || b[j] == b'['
                        || (b[j] == b'.' && b.get(j + 1).is_some_and(|c| inner(*c)))))
        })
        .collect();
    let mut found: Option<&'a str> = None;
    for &i in &starts {
        for &j in ends.iter().filter(|&&j| j > i) {
            let Some(cand) = message.get(i..j) else {
                continue;
            };
            if let Some(a) = known.get(cand) {
                match found {
                    Some(f) if f != *a => return None,
                    _ => found = Some(a),
                }
            }
        }
    }
    found
}

/// Policy id from a package path: `data.costgate.gpu_quota` → `gpu-quota`,
/// `data.costgate.team.gpu_regions` → `team.gpu-regions`.
pub fn id_of_package(package: &str) -> String {
    package
        .strip_prefix("data.costgate.")
        .unwrap_or(package)
        .replace('_', "-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rule_names() {
        assert_eq!(rule_severity("data.x.deny"), Some(Severity::Deny));
        assert_eq!(rule_severity("data.x.violation_gpu"), Some(Severity::Deny));
        assert_eq!(rule_severity("data.x.warn_idle_2"), Some(Severity::Warn));
        assert_eq!(rule_severity("data.x.denylist"), None);
        assert_eq!(rule_severity("data.x.warning"), None);
        assert_eq!(rule_severity("data.x.test_deny"), None);
        assert_eq!(rule_severity("data.x.info"), Some(Severity::Info));
        assert_eq!(rule_severity("data.x.info_spot"), Some(Severity::Info));
        assert_eq!(rule_severity("data.x.information"), None);
    }

    #[test]
    fn conftest_rule_names() {
        assert_eq!(conftest_severity("data.main.deny"), Some(Severity::Deny));
        assert_eq!(
            conftest_severity("data.main.deny_no_tags"),
            Some(Severity::Deny)
        );
        assert_eq!(
            conftest_severity("data.main.violation_a1"),
            Some(Severity::Deny)
        );
        assert_eq!(
            conftest_severity("data.main.warn_gpu"),
            Some(Severity::Warn)
        );
        assert_eq!(conftest_severity("data.main.info"), None);
        assert_eq!(conftest_severity("data.main.deny__x"), None);
        assert_eq!(conftest_severity("data.main.denylist"), None);
        assert_eq!(conftest_severity("data.main.exception"), None);
    }

    #[test]
    fn one_address_in_a_message_locates_it() {
        let known: std::collections::HashSet<&str> = [
            "aws_instance.gpu",
            "aws_instance.gpu2",
            "module.a.aws_instance.gpu",
            "aws_s3_bucket.logs[\"x\"]",
        ]
        .into_iter()
        .collect();
        let f = |m: &str| address_in_message(m, &known);
        assert_eq!(f("aws_instance.gpu has no tags"), Some("aws_instance.gpu"));
        assert_eq!(
            f("`aws_instance.gpu2`: too big."),
            Some("aws_instance.gpu2")
        );
        assert_eq!(
            f("module.a.aws_instance.gpu is big"),
            Some("module.a.aws_instance.gpu")
        );
        assert_eq!(
            f("bucket aws_s3_bucket.logs[\"x\"] is public"),
            Some("aws_s3_bucket.logs[\"x\"]")
        );
        assert_eq!(f("aws_instance.gpu and aws_instance.gpu2"), None);
        assert_eq!(f("aws_instance.gpu[0] is new"), None);
        assert_eq!(f("nothing here"), None);
    }

    #[test]
    fn details_carry_the_address() {
        let v = json!([{"msg": "m", "details": {"address": "a.b"}}]);
        assert_eq!(
            findings("data.main.violation", &v, "main").unwrap()[0].address,
            "a.b"
        );
    }

    #[test]
    fn strings_and_objects() {
        let v = json!(["plain", {"msg": "m", "address": "a.b", "severity": "warn", "_loc": {"file": "f.tf", "line": 3}}]);
        let f = findings("data.costgate.p.deny", &v, "p").unwrap();
        assert_eq!(f[0].message, "plain");
        assert_eq!(f[0].severity, Severity::Deny);
        assert_eq!(f[1].address, "a.b");
        assert_eq!(f[1].severity, Severity::Warn);
        assert_eq!(f[1].source.as_ref().unwrap().line, 3);
        assert!(findings("data.p.deny", &json!([{"x": 1}]), "p").is_err());
        assert!(findings("data.p.deny", &json!(true), "p").is_err());
        assert_eq!(id_of_package("data.costgate.gpu_quota"), "gpu-quota");
        let v = json!([{"msg": "m", "monthly_saving_cents": 123456}]);
        let f = findings("data.costgate.p.info", &v, "p").unwrap();
        assert_eq!(f[0].severity, Severity::Info);
        assert_eq!(f[0].monthly_saving.as_deref(), Some("1234.56"));
        assert!(findings(
            "data.p.info",
            &json!([{"msg": "m", "monthly_saving_cents": 1.5}]),
            "p"
        )
        .is_err());
    }
}
