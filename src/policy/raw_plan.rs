//! The plan itself in the input document, for policies written for conftest/OPA against
//! `terraform show -json`: `resource_changes`, `configuration`, `planned_values`,
//! `prior_state`, `variables`, `output_changes`, `format_version` and `terraform_version`,
//! exactly as in the plan except that sensitive values become `"(sensitive)"`.
//!
//! They are included only when a loaded (non built-in) policy names them, as resource
//! `attributes` are: the plan reader skips most of them for speed, so they are read again from
//! the plan file, and only the fields asked for are built. In HCL mode there is no plan:
//! `resource_changes` is synthesised from the resources (address, module_address, mode, type,
//! name, index, provider_name, change.actions/before/after/after_unknown/after_sensitive) and
//! the other fields are absent.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::value::RawValue;
use serde_json::{json, Map, Value};

use crate::error::{read_file, Result};
use crate::project::{redact, Action, InputKind, Project, Resource, REDACTED};

/// Every raw plan field a policy may read.
pub const FIELDS: &[&str] = &[
    "resource_changes",
    "configuration",
    "planned_values",
    "prior_state",
    "variables",
    "output_changes",
    "format_version",
    "terraform_version",
];

/// The raw fields these policy texts name (all of them for a policy that walks the input).
pub fn fields_needed<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let mut out = Vec::new();
    for t in texts {
        for f in FIELDS {
            if !out.contains(f) && (t.contains(f) || t.contains("walk(")) {
                out.push(*f);
            }
        }
    }
    out
}

/// The fields asked for, for the input document.
pub fn for_input(path: &Path, project: &Project, fields: &[&str]) -> Result<Map<String, Value>> {
    if fields.is_empty() {
        return Ok(Map::new());
    }
    if project.input_kind == InputKind::Hcl || !path.is_file() {
        let mut m = Map::new();
        if fields.contains(&"resource_changes") {
            m.insert("resource_changes".into(), synthesised(project));
        }
        return Ok(m);
    }
    let text = read_file(path)?;
    from_plan_text(&text, fields).map_err(|e| {
        miette::miette!(
            code = crate::error::Code::InputJson,
            "{}: reading the plan for the policies: {e}",
            path.display()
        )
    })
}

/// The fields of a plan's JSON text, redacted.
pub fn from_plan_text(text: &str, fields: &[&str]) -> serde_json::Result<Map<String, Value>> {
    let top: BTreeMap<&str, &RawValue> = serde_json::from_str(text)?;
    let parse = |k: &str| -> serde_json::Result<Option<Value>> {
        top.get(k)
            .map(|r| serde_json::from_str(r.get()))
            .transpose()
    };
    let mut out = Map::new();
    let configuration = if fields.contains(&"configuration") || fields.contains(&"variables") {
        parse("configuration")?
    } else {
        None
    };
    let sensitive_vars: Vec<String> = configuration
        .as_ref()
        .and_then(|c| c.pointer("/root_module/variables"))
        .and_then(Value::as_object)
        .map(|vs| {
            vs.iter()
                .filter(|(_, v)| v.get("sensitive") == Some(&Value::Bool(true)))
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default();
    for f in fields {
        let value = match *f {
            "configuration" => configuration.clone().map(|mut c| {
                redact_variable_defaults(&mut c, &sensitive_vars);
                c
            }),
            "variables" => parse(f)?.map(|mut v| {
                if let Some(vs) = v.as_object_mut() {
                    for (k, x) in vs.iter_mut() {
                        if sensitive_vars.contains(k) {
                            if let Some(o) = x.as_object_mut() {
                                o.insert("value".into(), json!(REDACTED));
                            }
                        }
                    }
                }
                v
            }),
            "resource_changes" => parse(f)?.map(|mut v| {
                if let Some(a) = v.as_array_mut() {
                    for rc in a {
                        if let Some(c) = rc.get_mut("change") {
                            redact_change(c);
                        }
                    }
                }
                v
            }),
            "output_changes" => parse(f)?.map(|mut v| {
                if let Some(o) = v.as_object_mut() {
                    for c in o.values_mut() {
                        redact_change(c);
                    }
                }
                v
            }),
            "planned_values" => parse(f)?.map(|mut v| {
                redact_values(&mut v);
                v
            }),
            "prior_state" => parse(f)?.map(|mut v| {
                if let Some(values) = v.get_mut("values") {
                    redact_values(values);
                }
                v
            }),
            _ => parse(f)?,
        };
        if let Some(v) = value {
            out.insert((*f).to_string(), v);
        }
    }
    Ok(out)
}

/// `before`/`after` of a change with its `before_sensitive`/`after_sensitive` masks applied.
fn redact_change(c: &mut Value) {
    for (side, mask) in [("before", "before_sensitive"), ("after", "after_sensitive")] {
        let m = c.get(mask).cloned().unwrap_or(Value::Bool(false));
        if let Some(v) = c.get_mut(side) {
            *v = redact(v, &m);
        }
    }
}

/// A `values` document (planned values, prior state): resources' `values` with their
/// `sensitive_values` applied, in every module, and sensitive outputs.
fn redact_values(v: &mut Value) {
    if let Some(outputs) = v.get_mut("outputs").and_then(Value::as_object_mut) {
        for o in outputs.values_mut() {
            if o.get("sensitive") == Some(&Value::Bool(true)) {
                if let Some(x) = o.get_mut("value") {
                    *x = json!(REDACTED);
                }
            }
        }
    }
    if let Some(root) = v.get_mut("root_module") {
        redact_module(root);
    }
}

fn redact_module(m: &mut Value) {
    if let Some(rs) = m.get_mut("resources").and_then(Value::as_array_mut) {
        for r in rs {
            let mask = r
                .get("sensitive_values")
                .cloned()
                .unwrap_or(Value::Bool(false));
            if let Some(values) = r.get_mut("values") {
                *values = redact(values, &mask);
            }
        }
    }
    if let Some(cs) = m.get_mut("child_modules").and_then(Value::as_array_mut) {
        for c in cs {
            redact_module(c);
        }
    }
}

fn redact_variable_defaults(c: &mut Value, sensitive: &[String]) {
    if let Some(vs) = c
        .pointer_mut("/root_module/variables")
        .and_then(Value::as_object_mut)
    {
        for (k, v) in vs.iter_mut() {
            if sensitive.contains(k) {
                if let Some(d) = v.get_mut("default") {
                    *d = json!(REDACTED);
                }
            }
        }
    }
}

/// HCL mode: `resource_changes` in the plan's shape.
pub fn synthesised(project: &Project) -> Value {
    Value::Array(project.resources.iter().map(resource_change).collect())
}

fn actions(a: Action) -> Value {
    let v: &[&str] = match a {
        Action::Create => &["create"],
        Action::Update => &["update"],
        Action::Replace => &["delete", "create"],
        Action::ReplaceCreateFirst => &["create", "delete"],
        Action::Delete => &["delete"],
        Action::Forget => &["forget"],
        Action::NoOp => &["no-op"],
        Action::Read => &["read"],
    };
    json!(v)
}

fn provider_name(provider: &str) -> String {
    let namespace = match provider {
        "databricks" => "databricks",
        _ => "hashicorp",
    };
    format!("registry.terraform.io/{namespace}/{provider}")
}

/// The instance key of an address (`[0]` → 0, `["a"]` → "a").
fn index_of(address: &str) -> Option<Value> {
    let inner = address.strip_suffix(']')?;
    let open = inner.rfind('[')?;
    let key = &inner[open + 1..];
    if let Ok(n) = key.parse::<u64>() {
        return Some(json!(n));
    }
    serde_json::from_str::<String>(key).ok().map(Value::String)
}

fn resource_change(r: &Resource) -> Value {
    let side = |a: Option<&crate::project::Attrs>| a.map(|a| a.redacted()).unwrap_or(Value::Null);
    let mask = |a: Option<&crate::project::Attrs>, f: fn(&crate::project::Attrs) -> &Value| {
        a.map(|a| f(a).clone())
            .filter(|m| m.is_object() || m == &Value::Bool(true))
            .unwrap_or(json!({}))
    };
    let mut m = Map::new();
    m.insert("address".into(), json!(r.address));
    if !r.module.is_empty() {
        m.insert("module_address".into(), json!(r.module));
    }
    m.insert("mode".into(), json!("managed"));
    m.insert("type".into(), json!(r.rtype));
    m.insert("name".into(), json!(r.name));
    if let Some(i) = index_of(&r.address) {
        m.insert("index".into(), i);
    }
    m.insert("provider_name".into(), json!(provider_name(&r.provider)));
    m.insert(
        "change".into(),
        json!({
            "actions": actions(r.action),
            "before": side(r.before.as_ref()),
            "after": side(r.after.as_ref()),
            "after_unknown": mask(r.after.as_ref(), |a| &a.unknown),
            "before_sensitive": mask(r.before.as_ref(), |a| &a.sensitive),
            "after_sensitive": mask(r.after.as_ref(), |a| &a.sensitive),
        }),
    );
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_read_only_when_named() {
        assert!(fields_needed(["input.resources[_].tags"]).is_empty());
        assert_eq!(
            fields_needed(["some rc in input.resource_changes"]),
            vec!["resource_changes"]
        );
        assert_eq!(fields_needed(["walk(input, x)"]).len(), FIELDS.len());
    }

    #[test]
    fn plan_fields_are_redacted() {
        let plan = json!({
            "format_version": "1.2", "terraform_version": "1.11.4",
            "variables": {"pw": {"value": "hunter2"}, "n": {"value": 2}},
            "configuration": {"root_module": {"variables": {"pw": {"sensitive": true, "default": "hunter2"}}}},
            "resource_changes": [{"address": "a.b", "change": {"actions": ["create"], "before": null,
                "after": {"password": "hunter2", "size": 1}, "after_sensitive": {"password": true}}}],
            "planned_values": {"outputs": {"o": {"sensitive": true, "value": "hunter2"}},
                "root_module": {"child_modules": [{"resources": [{"values": {"k": "hunter2"}, "sensitive_values": {"k": true}}]}]}},
            "output_changes": {"o": {"after": "hunter2", "after_sensitive": true}},
        });
        let m = from_plan_text(&plan.to_string(), FIELDS).unwrap();
        let text = Value::Object(m.clone()).to_string();
        assert!(!text.contains("hunter2"), "{text}");
        assert_eq!(m["resource_changes"][0]["change"]["after"]["size"], 1);
        assert_eq!(m["variables"]["n"]["value"], 2);
        assert_eq!(m["terraform_version"], "1.11.4");
        let only = from_plan_text(&plan.to_string(), &["format_version"]).unwrap();
        assert_eq!(only.len(), 1);
    }

    #[test]
    fn instance_keys() {
        assert_eq!(index_of("a.b[3]"), Some(json!(3)));
        assert_eq!(index_of("a.b[\"x\"]"), Some(json!("x")));
        assert_eq!(index_of("a.b"), None);
        assert_eq!(actions(Action::Replace), json!(["delete", "create"]));
    }
}
