//! The settings schema (`policies/schema.json`, beside the defaults) and the checks made with
//! it: costgate.toml and `--data` settings of the built-in policies have known keys of known
//! shapes, and every `[policies.<id>]` and waiver names a policy that exists. Each mistake is
//! an error at the line of the setting.

use serde_json::Value;

use super::config::Config;
use crate::error::{json_kind, FileError, Result};

/// The JSON Schema of the built-in policies' settings (beside the defaults): what
/// `[policies.<id>]` may hold. costgate.toml and `--data` documents are checked against it.
pub const SCHEMA: &str = include_str!("../../policies/schema.json");

/// Settings (`[policies.<id>]`) and waivers that name a policy no loaded policy has: a typo
/// would otherwise configure nothing, silently. Globs in waivers are not checked. `inline` are
/// the project's `# costgate:ignore` comments.
pub fn check_policy_ids(
    config: &Config,
    modules: &[super::engine::Module],
    inline: &[crate::project::InlineWaiver],
) -> Result<()> {
    let mut known: Vec<String> = modules
        .iter()
        .filter(|m| !m.is_test)
        .filter_map(|m| {
            let pkg = m
                .text
                .lines()
                .find_map(|l| l.trim().strip_prefix("package "))?
                .trim()
                .to_string();
            Some(match (&m.meta.id, pkg.strip_prefix("costgate.")) {
                (Some(id), _) => id.clone(),
                (None, Some(rest)) => rest.replace('_', "-"),
                // conftest-style packages: ids are `<namespace>/<rule>`.
                (None, None) => format!("{pkg}/"),
            })
        })
        .collect();
    known.sort();
    known.dedup();
    let exists = |id: &str| {
        known
            .iter()
            .any(|k| k == id || (k.ends_with('/') && id.starts_with(k.as_str())))
    };
    let ids: Vec<&str> = known
        .iter()
        .filter(|k| !k.ends_with('/'))
        .map(String::as_str)
        .collect();
    let help = format!("policy ids: {}", ids.join(", "));
    if let Some(ps) = config.doc.get("policies").and_then(Value::as_object) {
        for id in ps.keys() {
            if !exists(id) {
                return Err(located(
                    config,
                    &[id],
                    format!("[policies.{id}]: no policy has the id `{id}`"),
                    &help,
                ));
            }
        }
    }
    for w in &config.waivers {
        let is_glob = w.policy.contains(['*', '?']);
        if !is_glob && !exists(&w.policy) {
            return Err(miette::miette!(
                code = crate::error::Code::Config,
                help = help,
                "waiver at {}: no policy has the id `{}`",
                w.origin,
                w.policy
            ));
        }
    }
    // Ignored comments (`inline_waivers = false`) are not judged either.
    for w in inline.iter().filter(|_| config.inline_waivers) {
        if w.policy.contains(['*', '?']) || exists(&w.policy) {
            continue;
        }
        let message = format!("costgate:ignore names `{}`, which no policy has", w.policy);
        let path = std::path::Path::new(&w.source.file);
        return Err(match std::fs::read_to_string(path) {
            Ok(text) => miette::Report::new(
                FileError::at_line_col(path, &text, w.source.line, 1, message, "this comment")
                    .with_help(help)
                    .with_code(crate::error::Code::Waiver),
            ),
            Err(_) => miette::miette!(
                code = crate::error::Code::Waiver,
                help = help,
                "{}:{}: {message}",
                w.source.file,
                w.source.line
            ),
        });
    }
    Ok(())
}

/// An error at the line of `keys` (the last key, searched after the ones before it) in the
/// config or data file that holds it.
fn located(config: &Config, keys: &[&str], message: String, help: &str) -> miette::Report {
    for f in config.files.iter().rev() {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        if let Some(offset) = key_offset(&text, keys) {
            let line = crate::error::line_of(&text, offset);
            return miette::Report::new(
                FileError::at_line_col(f, &text, line, 1, message, "here")
                    .with_help(help.to_string())
                    .with_code(crate::error::Code::Config),
            );
        }
    }
    miette::miette!(
        code = crate::error::Code::Config,
        help = help.to_string(),
        "{message}"
    )
}

/// Where `keys` (a path of setting names) is written: each key searched after the previous.
pub(super) fn key_offset(text: &str, keys: &[&str]) -> Option<usize> {
    let mut from = 0;
    let mut found = None;
    for k in keys.iter().filter(|k| k.parse::<usize>().is_err()) {
        let re = regex::Regex::new(&format!(
            r#"(?m)(?:^|[\s{{,."'\[])({})["']?[ \t]*[=:.\]]"#,
            regex::escape(k)
        ))
        .ok()?;
        let m = re.captures(&text[from..]).and_then(|c| c.get(1))?;
        found = Some(from + m.start());
        from += m.end();
    }
    found
}

/// The first place `v` breaks the schema: its path and the problem.
pub(super) fn schema_violation(
    schema: &Value,
    v: &Value,
    at: &mut Vec<String>,
) -> Option<(Vec<String>, String)> {
    let name = at.join(".");
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(v) {
            let list: Vec<String> = options.iter().map(|o| o.to_string()).collect();
            return Some((
                at.clone(),
                format!("{name} must be one of {}, not {v}", list.join(", ")),
            ));
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let fits = |t: &str| match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "number" => v.is_number(),
            "integer" => v.is_i64() || v.is_u64(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => true,
        };
        if !types.iter().any(|t| fits(t)) {
            let want: Vec<String> = types
                .iter()
                .map(|t| match *t {
                    "object" | "array" | "integer" => format!("an {t}"),
                    other => format!("a {other}"),
                })
                .collect();
            return Some((
                at.clone(),
                format!("{name} must be {}, not {}", want.join(" or "), json_kind(v)),
            ));
        }
    }
    match v {
        Value::Object(m) => {
            let props = schema.get("properties").and_then(Value::as_object);
            for (k, c) in m {
                let sub = match props.and_then(|p| p.get(k)) {
                    Some(s) => s,
                    None => match schema.get("additionalProperties") {
                        Some(Value::Bool(false)) => {
                            let mut known: Vec<&str> = props
                                .map(|p| p.keys().map(String::as_str).collect())
                                .unwrap_or_default();
                            known.sort();
                            let mut path = at.clone();
                            path.push(k.clone());
                            return Some((
                                path,
                                format!(
                                    "{name}: unknown setting `{k}` (known: {})",
                                    known.join(", ")
                                ),
                            ));
                        }
                        Some(s) if s.is_object() => s,
                        _ => continue,
                    },
                };
                at.push(k.clone());
                let found = schema_violation(sub, c, at);
                at.pop();
                if found.is_some() {
                    return found;
                }
            }
            if let Some(req) = schema.get("required").and_then(Value::as_array) {
                for r in req.iter().filter_map(Value::as_str) {
                    if !m.contains_key(r) {
                        return Some((at.clone(), format!("{name} needs `{r}`")));
                    }
                }
            }
        }
        Value::Array(a) => {
            if let Some(items) = schema.get("items") {
                for (i, c) in a.iter().enumerate() {
                    at.push(i.to_string());
                    let found = schema_violation(items, c, at);
                    at.pop();
                    if found.is_some() {
                        return found;
                    }
                }
            }
        }
        _ => {}
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_defaults_follow_the_schema() {
        let schema: Value = serde_json::from_str(SCHEMA).unwrap();
        let defaults: Value = serde_json::from_str(super::super::config::DEFAULTS).unwrap();
        assert_eq!(schema_violation(&schema, &defaults, &mut Vec::new()), None);
        let bad = json!({"policies": {"gpu-quota": {"limits": [{"gpu": ["H100*", 3], "max": 1}]}}});
        let (at, msg) = schema_violation(&schema, &bad, &mut Vec::new()).unwrap();
        assert_eq!(at.join("."), "policies.gpu-quota.limits.0.gpu.1");
        assert!(msg.contains("must be a string, not a number"), "{msg}");
    }

    #[test]
    fn keys_are_found_after_their_parents() {
        let text = "[policies.budget]\nmax = 1\n[policies.gpu-quota]\nlimits = [{ gpu = \"x\", max = 2 }]\n";
        let o = key_offset(text, &["policies", "gpu-quota", "limits", "0", "max"]).unwrap();
        assert_eq!(crate::error::line_of(text, o), 4);
    }
}
