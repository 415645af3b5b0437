//! The plan itself in the input document, for policies written for conftest/OPA against
//! `terraform show -json`: `resource_changes`, `configuration`, `planned_values`,
//! `prior_state`, `variables`, `output_changes`, `format_version` and `terraform_version`,
//! exactly as in the plan except that sensitive values become `"(sensitive)"`.
//!
//! They are included only when a loaded (non built-in) policy names them, as resource
//! `attributes` are: the plan reader skips most of them for speed, so they are read again from
//! the plan file, and only the fields asked for are built. In HCL mode there is no plan:
//! `resource_changes` is synthesised from the resources (address, module_address, mode, type,
//! name, index, provider_name, change.actions/before/after/after_unknown/after_sensitive, with
//! `tags_all` merged from the provider's `default_tags` as the AWS provider plans it), and
//! `planned_values.root_module` from the same values (nested by module). The other fields
//! need a plan: [`hcl_unfilled`] names them, so a policy reading them is told once.

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
        if fields.contains(&"planned_values") {
            m.insert("planned_values".into(), planned_values(project));
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

/// HCL mode: the plan fields asked for that it cannot fill (no plan to read them from).
pub fn hcl_unfilled<'a>(fields: &[&'a str]) -> Vec<&'a str> {
    fields
        .iter()
        .copied()
        .filter(|f| !matches!(*f, "resource_changes" | "planned_values"))
        .collect()
}

/// HCL mode: `planned_values` with `root_module` (resources and nested `child_modules`) in the
/// plan's shape, from the values after the change.
pub fn planned_values(project: &Project) -> Value {
    #[derive(Default)]
    struct Node {
        resources: Vec<Value>,
        children: BTreeMap<String, Node>,
    }
    fn to_json(address: Option<&str>, n: Node) -> Value {
        let mut m = Map::new();
        if let Some(a) = address {
            m.insert("address".into(), json!(a));
        }
        m.insert("resources".into(), Value::Array(n.resources));
        if !n.children.is_empty() {
            m.insert(
                "child_modules".into(),
                Value::Array(
                    n.children
                        .into_iter()
                        .map(|(a, c)| to_json(Some(&a), c))
                        .collect(),
                ),
            );
        }
        Value::Object(m)
    }
    let mut root = Node::default();
    for r in project.resources.iter().filter(|r| r.action.has_after()) {
        let Some(after) = r.after.as_ref() else {
            continue;
        };
        let mut node = &mut root;
        for prefix in module_prefixes(&r.module) {
            node = node.children.entry(prefix).or_default();
        }
        let mut m = identity(r, false);
        m.insert("values".into(), with_tags_all(r, after.redacted()));
        m.insert(
            "sensitive_values".into(),
            Some(after.sensitive.clone())
                .filter(Value::is_object)
                .unwrap_or(json!({})),
        );
        node.resources.push(Value::Object(m));
    }
    json!({ "root_module": to_json(None, root) })
}

/// `module.a["x"].module.b` → [`module.a["x"]`, `module.a["x"].module.b`].
fn module_prefixes(module: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut in_str = false;
    let bytes = module.as_bytes();
    for (i, c) in module.char_indices() {
        match c {
            '"' if i == 0 || bytes[i - 1] != b'\\' => in_str = !in_str,
            '[' if !in_str => depth += 1,
            ']' if !in_str => depth = depth.saturating_sub(1),
            '.' if !in_str && depth == 0 && module[i + 1..].starts_with("module.") => {
                out.push(module[..i].to_string());
            }
            _ => {}
        }
    }
    if !module.is_empty() {
        out.push(module.to_string());
    }
    out
}

/// The AWS provider plans `tags_all`: the resource's tags merged over the provider's
/// `default_tags` (the effective tags costgate computed). Unknown when they are.
fn with_tags_all(r: &Resource, mut values: Value) -> Value {
    if r.provider != "aws" {
        return values;
    }
    if let Value::Object(m) = &mut values {
        let taggable = m.contains_key("tags") || !r.tags.is_empty();
        if taggable && !m.contains_key("tags_all") && r.tags_known {
            m.insert("tags_all".into(), json!(r.tags));
        }
    }
    values
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

/// What a plan says of every resource: address (and `module_address` in resource_changes),
/// mode, type, name, index, provider_name.
fn identity(r: &Resource, module_address: bool) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("address".into(), json!(r.address));
    if module_address && !r.module.is_empty() {
        m.insert("module_address".into(), json!(r.module));
    }
    m.insert("mode".into(), json!("managed"));
    m.insert("type".into(), json!(r.rtype));
    m.insert("name".into(), json!(r.name));
    if let Some(i) = index_of(&r.address) {
        m.insert("index".into(), i);
    }
    m.insert("provider_name".into(), json!(provider_name(&r.provider)));
    m
}

fn resource_change(r: &Resource) -> Value {
    let side = |a: Option<&crate::project::Attrs>| a.map(|a| a.redacted()).unwrap_or(Value::Null);
    let mask = |a: Option<&crate::project::Attrs>, f: fn(&crate::project::Attrs) -> &Value| {
        a.map(|a| f(a).clone())
            .filter(|m| m.is_object() || m == &Value::Bool(true))
            .unwrap_or(json!({}))
    };
    let mut m = identity(r, true);
    m.insert(
        "change".into(),
        json!({
            "actions": actions(r.action),
            "before": side(r.before.as_ref()),
            "after": with_tags_all(r, side(r.after.as_ref())),
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
