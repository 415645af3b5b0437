//! `terraform show -json <planfile>` (format 0.1 – 1.x) → [`Project`].
//!
//! What is read: `resource_changes` (every action, module addresses, count/for_each indexes,
//! deposed objects, before/after with their unknown and sensitive masks), and `configuration`
//! (provider regions and default tags, and the references of each attribute, which are the only
//! trace of links such as ASG → launch template that are unknown at plan time).

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

use super::common::{effective_tags, resource_region};
use super::excerpt::JsonExcerptError;
use super::LoadOptions;
use crate::error::{read_file, Result};
use crate::project::{provider_of_type, prune_mask, Action, Attrs, InputKind, Project, Resource};

/// The top level. Resource changes are kept as raw text and parsed in parallel; what costgate
/// does not read (`planned_values`, `prior_state`, a state's `values`) is skipped, not built.
#[derive(Debug, Deserialize)]
struct PlanJson<'a> {
    format_version: Option<String>,
    #[serde(default, borrow)]
    resource_changes: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    planned_values: Option<IgnoredAny>,
    #[serde(default, deserialize_with = "opt_object")]
    configuration: Option<Value>,
    #[serde(default)]
    variables: Option<BTreeMap<String, Variable>>,
    #[serde(default)]
    values: Option<IgnoredAny>,
}

#[derive(Debug, Deserialize)]
struct Variable {
    #[serde(default)]
    value: Value,
}

#[derive(Debug, Deserialize)]
struct ResourceChange {
    address: String,
    #[serde(default)]
    module_address: Option<String>,
    #[serde(default)]
    mode: Option<String>,
    #[serde(rename = "type")]
    rtype: String,
    name: String,
    #[serde(default)]
    deposed: Option<String>,
    #[serde(default)]
    provider_name: Option<String>,
    change: Change,
}

#[derive(Debug, Deserialize)]
struct Change {
    actions: Vec<String>,
    #[serde(default, deserialize_with = "object_or_null")]
    before: Value,
    #[serde(default, deserialize_with = "object_or_null")]
    after: Value,
    #[serde(default, deserialize_with = "mask")]
    after_unknown: Value,
    #[serde(default, deserialize_with = "mask")]
    before_sensitive: Value,
    #[serde(default, deserialize_with = "mask")]
    after_sensitive: Value,
}

/// A value of one of the JSON kinds `ok` accepts, else a type error (at its position).
fn kind_of<'de, D: Deserializer<'de>>(
    d: D,
    ok: fn(&Value) -> bool,
    want: &str,
) -> Result<Value, D::Error> {
    let v = Value::deserialize(d)?;
    if ok(&v) {
        return Ok(v);
    }
    Err(serde::de::Error::custom(format!(
        "invalid type: {}, expected {want}",
        crate::error::json_kind(&v)
    )))
}

/// `before` / `after`: the object's attributes, or null when that side does not exist.
fn object_or_null<'de, D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
    kind_of(d, |v| v.is_object() || v.is_null(), "an object or null")
}

/// `configuration`: an object when present (null counts as absent).
fn opt_object<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    let v = kind_of(d, |v| v.is_object() || v.is_null(), "an object")?;
    Ok(Some(v).filter(|v| !v.is_null()))
}

/// Unknown and sensitive masks: an object (per attribute), a boolean (the whole value) or null;
/// kept pruned to what they mark (see [`prune_mask`]); null stays null (an absent mask).
fn mask<'de, D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
    kind_of(
        d,
        |v| v.is_object() || v.is_boolean() || v.is_null(),
        "an object, a boolean or null",
    )
    .map(|v| if v.is_null() { v } else { prune_mask(v) })
}

/// Read and convert a plan file.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Project> {
    let text = read_file(path)?;
    let converted = convert_all(path, &text, opts)?;
    // The text is most of a large plan's memory: gone before the project is assembled.
    drop(text);
    Ok(assemble(path, converted))
}

/// Convert plan JSON text; `path` is used for diagnostics.
pub fn parse(path: &Path, text: &str, opts: &LoadOptions) -> Result<Project> {
    Ok(assemble(path, convert_all(path, text, opts)?))
}

/// The project from converted resource changes, in plan order.
fn assemble(path: &Path, converted: Vec<Converted>) -> Project {
    let mut project = Project {
        name: path.display().to_string(),
        input_kind: InputKind::Plan,
        ..Default::default()
    };
    project.resources.reserve_exact(converted.len());
    for c in converted {
        match c {
            Converted::Resource(r) => project.resources.push(*r),
            Converted::Warning(w) => project.warnings.push(w),
            Converted::Skipped => {}
        }
    }
    super::inherit::inherit_regions(&mut project);
    project
}

/// Every resource change of the plan text, converted (in parallel).
fn convert_all(path: &Path, text: &str, opts: &LoadOptions) -> Result<Vec<Converted>> {
    let plan: PlanJson = serde_json::from_str(text).map_err(|e| json_error(path, text, &e))?;
    if plan.format_version.is_none()
        || (plan.resource_changes.is_none() && plan.planned_values.is_none())
    {
        let (message, help) = if plan.values.is_some() {
            (
                format!("{} is a Terraform state, not a plan", path.display()),
                "run `terraform plan -out plan.tfplan && terraform show -json plan.tfplan > plan.json`",
            )
        } else {
            (
                format!("{} is JSON but not a Terraform plan", path.display()),
                "expected the output of `terraform show -json <planfile>` (keys format_version and resource_changes)",
            )
        };
        return Err(
            JsonExcerptError::at(path, text, 1, 1, message, "this document")
                .with_help(help)
                .with_code(crate::error::Code::InputNotAPlan)
                .into(),
        );
    }
    check_shape(path, text, &plan)?;
    let config = Config::new(plan.configuration.as_ref(), plan.variables.as_ref());
    let mut out: Vec<Converted> = plan
        .resource_changes
        .unwrap_or_default()
        .par_iter()
        .map(|raw| convert_raw(path, text, raw, &config, opts))
        .collect::<Result<_>>()?;
    out.extend(assumed_regions(&out, &config));
    Ok(out)
}

/// One warning per provider whose resources got no region (so a default was assumed).
fn assumed_regions(out: &[Converted], config: &Config) -> Vec<Converted> {
    let mut seen = std::collections::BTreeSet::new();
    for c in out {
        let Converted::Resource(r) = c else { continue };
        let cloud = crate::pricing::cloud_of_provider(&r.provider);
        if r.region.is_none() && matches!(cloud, "aws" | "gcp" | "azure") {
            seen.insert(r.provider.clone());
        }
    }
    seen.into_iter()
        .map(|p| {
            let why = match config.providers.get(&p).and_then(|f| f.region_from.clone()) {
                Some(refs) => {
                    format!("the region comes from `{refs}`, which the plan JSON does not show")
                }
                None => "no region in the plan's configuration".to_string(),
            };
            Converted::Warning(super::common::assumed_region_warning(&p, &why))
        })
        .collect()
}

/// What serde cannot say: a plan format this reader knows (0.x or 1.x), and the parts of
/// `configuration` that are read being objects.
fn check_shape(path: &Path, text: &str, plan: &PlanJson) -> Result<()> {
    let version = plan.format_version.as_deref().unwrap_or_default();
    let major = version
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok());
    if !matches!(major, Some(0 | 1)) {
        return Err(shape_error(
            path,
            text,
            "format_version",
            format!("format_version {version} is not a plan format costgate reads (0.x or 1.x)"),
        ));
    }
    let conf = plan.configuration.as_ref();
    for key in ["provider_config", "root_module"] {
        if conf
            .and_then(|c| c.get(key))
            .is_some_and(|v| !v.is_object())
        {
            return Err(shape_error(
                path,
                text,
                key,
                format!("configuration.{key} must be an object"),
            ));
        }
    }
    Ok(())
}

/// A wrong value of `key`, pointed at its first occurrence in the text.
fn shape_error(path: &Path, text: &str, key: &str, label: String) -> miette::Report {
    let offset = text.find(&format!("\"{key}\"")).unwrap_or(0);
    let line = crate::error::line_of(text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    JsonExcerptError::at(
        path,
        text,
        line,
        column,
        format!("{} has an unsupported {key}", path.display()),
        label,
    )
    .with_help("costgate reads the output of `terraform show -json <planfile>` (format 0.1 – 1.x)")
    .with_code(crate::error::Code::InputJson)
    .into()
}

/// One resource change, parsed on its own (so large plans parse on every core).
enum Converted {
    Resource(Box<Resource>),
    Warning(String),
    Skipped,
}

fn convert_raw(
    path: &Path,
    text: &str,
    raw: &RawValue,
    config: &Config,
    opts: &LoadOptions,
) -> Result<Converted> {
    let rc: ResourceChange = serde_json::from_str(raw.get())
        .map_err(|e| json_error_within(path, text, raw.get(), &e))?;
    if rc.mode.as_deref() == Some("data") {
        return Ok(Converted::Skipped);
    }
    let Some(action) = Action::from_actions(&rc.change.actions) else {
        return Ok(Converted::Warning(format!(
            "{}: unrecognised actions {:?}; skipped",
            rc.address, rc.change.actions
        )));
    };
    if action == Action::Read {
        return Ok(Converted::Skipped);
    }
    Ok(Converted::Resource(Box::new(convert(
        rc, action, config, opts,
    ))))
}

/// A parse error inside `part`, a slice of `text`: reported at its line and column in `text`.
fn json_error_within(path: &Path, text: &str, part: &str, e: &serde_json::Error) -> miette::Report {
    let offset = (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    let before = &text[..offset.min(text.len())];
    let line0 = before.matches('\n').count();
    let col0 = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
    let (line, column) = if e.line() <= 1 {
        (line0 + 1, col0 + e.column().max(1))
    } else {
        (line0 + e.line(), e.column().max(1))
    };
    json_error_at(path, text, e, line, column)
}

fn json_error(path: &Path, text: &str, e: &serde_json::Error) -> miette::Report {
    json_error_at(path, text, e, e.line().max(1), e.column().max(1))
}

fn json_error_at(
    path: &Path,
    text: &str,
    e: &serde_json::Error,
    line: usize,
    column: usize,
) -> miette::Report {
    use serde_json::error::Category;
    let (message, help) = match e.classify() {
        Category::Eof => (
            format!("{} ends early: the plan JSON is truncated", path.display()),
            "re-create it with `terraform show -json plan.tfplan > plan.json`",
        ),
        Category::Syntax => (
            format!("{} is not valid JSON", path.display()),
            "costgate reads the output of `terraform show -json <planfile>`",
        ),
        Category::Data => (
            format!(
                "{} has a value of the wrong type for a Terraform plan",
                path.display()
            ),
            "the file does not follow the plan JSON format (terraform show -json)",
        ),
        Category::Io => (format!("cannot read {}", path.display()), ""),
    };
    let msg = e.to_string();
    let label = msg.split(" at line").next().unwrap_or(&msg).to_string();
    // serde's messages quote unknown variants and field names, never values; still keep
    // only a short label.
    let label = scrub(&label);
    let help = if text.starts_with("[command]") {
        "the file starts with the `[command]` line of hashicorp/setup-terraform's wrapper: set `terraform_wrapper: false` on that step (or drop the first line)"
    } else {
        help
    };
    JsonExcerptError::at(path, text, line, column, message, label)
        .with_help(help)
        .with_code(crate::error::Code::InputJson)
        .into()
}

/// serde's message without the values it quotes (`invalid type: string "…"`, integers in
/// backticks), at most 120 characters.
fn scrub(msg: &str) -> String {
    let strings = regex::Regex::new(r#""(?:[^"\\]|\\.)*"?"#).expect("valid regex");
    let numbers = regex::Regex::new(r"`-?[0-9][0-9.eE+-]*`").expect("valid regex");
    let s = strings.replace_all(msg, "\"***\"");
    let s = numbers.replace_all(&s, "`***`");
    s.chars().take(120).collect()
}

fn convert(rc: ResourceChange, action: Action, config: &Config, opts: &LoadOptions) -> Resource {
    let provider = rc
        .provider_name
        .as_deref()
        .and_then(|p| p.rsplit('/').next())
        .map(str::to_string)
        .unwrap_or_else(|| provider_of_type(&rc.rtype).to_string());
    let module = rc.module_address.clone().unwrap_or_default();
    let ch = rc.change;
    let before = (!ch.before.is_null()).then_some(Attrs {
        values: ch.before,
        unknown: Value::Bool(false),
        sensitive: ch.before_sensitive,
    });
    let before = before.map(|mut a| {
        a.hide_sensitive();
        a
    });
    let after = (!ch.after.is_null() || action.has_after() && !ch.after_unknown.is_null())
        .then(|| Attrs {
            values: if ch.after.is_null() {
                Value::Object(Default::default())
            } else {
                ch.after
            },
            unknown: ch.after_unknown,
            sensitive: ch.after_sensitive,
        })
        .filter(|_| action.has_after())
        .map(|mut a| {
            a.hide_sensitive();
            a
        });
    // A forgotten object leaves Terraform's state but keeps running (and costing).
    let after = if action == Action::Forget {
        before.clone()
    } else {
        after
    };

    let rconf = config.resource(&module, &rc.rtype, &rc.name);
    let pconf = config.provider(
        rconf
            .and_then(|r| r.get("provider_config_key"))
            .and_then(Value::as_str),
        &provider,
    );
    let state = after.as_ref().or(before.as_ref());
    let provider_region = pconf.region.as_deref().or(opts.default_region.as_deref());
    let region = resource_region(&provider, state, provider_region);
    let (tags, tags_known) = match state {
        Some(a) => effective_tags(&provider, a, &pconf.default_tags),
        None => (BTreeMap::new(), true),
    };
    let mut refs = BTreeMap::new();
    if let Some(exprs) = rconf.and_then(|r| r.get("expressions")) {
        collect_refs(exprs, "", &mut refs);
    }
    let prefix = if module.is_empty() {
        String::new()
    } else {
        format!("{module}.")
    };
    let refs = refs
        .into_iter()
        .map(|(k, v): (String, Vec<String>)| {
            let mut abs: Vec<String> = v
                .iter()
                // `local.x` is kept for now: the configuration beside the plan may say which
                // resources the local refers to (see `hcl::fill_plan_links`); dropped otherwise.
                .filter_map(|r| resource_ref(r).or_else(|| local_ref(r)))
                .map(|r| format!("{prefix}{r}"))
                .collect();
            abs.dedup();
            (k, abs)
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();

    Resource {
        address: rc.address,
        module,
        rtype: rc.rtype,
        name: rc.name,
        provider,
        action,
        before,
        after,
        region,
        tags,
        tags_known,
        refs,
        source: None,
        deposed: rc.deposed,
        unknown_instances: None,
    }
}

/// `aws_launch_template.gpu.id` → `aws_launch_template.gpu`; `aws_x.y[0].id` → `aws_x.y[0]`;
/// variables, locals, modules, data sources → None.
pub fn resource_ref(r: &str) -> Option<String> {
    let first = r.split('.').next()?;
    if matches!(
        first,
        "var" | "local" | "module" | "data" | "each" | "count" | "path" | "self" | "terraform"
    ) || !first.contains('_')
    {
        return None;
    }
    let mut parts = r.splitn(3, '.');
    let t = parts.next()?;
    let n = parts.next()?;
    Some(format!("{t}.{n}"))
}

/// `local.name` of a reference to a local value.
fn local_ref(r: &str) -> Option<String> {
    let name = r.strip_prefix("local.")?.split(['.', '[']).next()?;
    Some(format!("local.{name}"))
}

fn collect_refs(exprs: &Value, prefix: &str, out: &mut BTreeMap<String, Vec<String>>) {
    let Value::Object(m) = exprs else { return };
    for (k, v) in m {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Value::Object(o) if o.contains_key("references") => {
                if let Some(Value::Array(rs)) = o.get("references") {
                    out.entry(path)
                        .or_default()
                        .extend(rs.iter().filter_map(|x| x.as_str().map(str::to_string)));
                }
            }
            Value::Array(blocks) => {
                for (i, b) in blocks.iter().enumerate() {
                    collect_refs(b, &format!("{path}.{i}"), out);
                }
            }
            Value::Object(o) if !o.contains_key("constant_value") => collect_refs(v, &path, out),
            _ => {}
        }
    }
}

/// Provider configuration facts resolved from the plan's `configuration` section.
#[derive(Debug, Clone, Default)]
struct ProviderFacts {
    region: Option<String>,
    /// The references of a region expression that could not be resolved (`local.region`).
    region_from: Option<String>,
    default_tags: BTreeMap<String, String>,
}

struct Config<'a> {
    root: Option<&'a Value>,
    providers: BTreeMap<String, ProviderFacts>,
}

impl<'a> Config<'a> {
    fn new(configuration: Option<&'a Value>, vars: Option<&BTreeMap<String, Variable>>) -> Self {
        let mut providers = BTreeMap::new();
        let resolve = |e: &Value| -> Option<Value> {
            if let Some(c) = e.get("constant_value") {
                return Some(c.clone());
            }
            // A plain `var.x` reference resolves from the plan's root variables.
            let refs = e.get("references")?.as_array()?;
            refs.iter().filter_map(Value::as_str).find_map(|r| {
                let name = r.strip_prefix("var.")?;
                vars?.get(name).map(|v| v.value.clone())
            })
        };
        if let Some(Value::Object(pc)) = configuration.and_then(|c| c.get("provider_config")) {
            for (key, p) in pc {
                let ex = p.get("expressions");
                let region_expr = ex.and_then(|e| e.get("region").or_else(|| e.get("location")));
                let region = region_expr
                    .and_then(resolve)
                    .and_then(|v| v.as_str().map(str::to_string));
                let region_from = region_expr
                    .filter(|_| region.is_none())
                    .and_then(|e| e.get("references")?.as_array()?.first()?.as_str())
                    .map(str::to_string);
                let mut default_tags = BTreeMap::new();
                let dt = ex.and_then(|e| {
                    e.get("default_tags")
                        .and_then(|d| d.get(0))
                        .and_then(|d| d.get("tags"))
                        .or_else(|| e.get("default_labels"))
                });
                if let Some(Value::Object(m)) = dt.and_then(resolve) {
                    for (k, v) in m {
                        if let Some(s) = v.as_str() {
                            default_tags.insert(k, s.to_string());
                        }
                    }
                }
                providers.insert(
                    key.clone(),
                    ProviderFacts {
                        region,
                        region_from,
                        default_tags,
                    },
                );
            }
        }
        Config {
            root: configuration.and_then(|c| c.get("root_module")),
            providers,
        }
    }

    /// Configuration of `type.name` in the module at `module_address` (instance keys ignored).
    fn resource(&self, module_address: &str, rtype: &str, name: &str) -> Option<&'a Value> {
        let mut m = self.root?;
        for call in module_names(module_address) {
            m = m.get("module_calls")?.get(&call)?.get("module")?;
        }
        let addr = format!("{rtype}.{name}");
        m.get("resources")?
            .as_array()?
            .iter()
            .find(|r| r.get("address").and_then(Value::as_str) == Some(&addr))
    }

    fn provider(&self, key: Option<&str>, provider: &str) -> ProviderFacts {
        let candidates = [
            key.map(str::to_string),
            key.and_then(|k| k.rsplit(':').next()).map(str::to_string),
            Some(provider.to_string()),
        ];
        candidates
            .into_iter()
            .flatten()
            .find_map(|k| self.providers.get(&k).cloned())
            .unwrap_or_default()
    }
}

/// `module.a["x"].module.b[0]` → `["a", "b"]`.
fn module_names(addr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = addr;
    while let Some(r) = rest.strip_prefix("module.") {
        let end = r.find(['.', '[']).unwrap_or(r.len());
        out.push(r[..end].to_string());
        rest = &r[end..];
        // Skip an instance key, which may itself contain dots inside quotes.
        if rest.starts_with('[') {
            let mut in_str = false;
            let mut close = rest.len();
            for (i, c) in rest.char_indices() {
                match c {
                    '"' => in_str = !in_str,
                    ']' if !in_str => {
                        close = i + 1;
                        break;
                    }
                    _ => {}
                }
            }
            rest = &rest[close..];
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths() {
        assert_eq!(
            module_names("module.a[\"x.y\"].module.b[0]"),
            vec!["a", "b"]
        );
        assert!(module_names("").is_empty());
    }

    #[test]
    fn refs() {
        assert_eq!(
            resource_ref("aws_launch_template.gpu.id").as_deref(),
            Some("aws_launch_template.gpu")
        );
        assert_eq!(resource_ref("aws_x.y[0]").as_deref(), Some("aws_x.y[0]"));
        assert_eq!(resource_ref("var.x"), None);
        assert_eq!(resource_ref("module.m.out"), None);
    }

    #[test]
    fn truncated_and_non_plan_json_are_errors() {
        let opts = LoadOptions::default();
        let p = Path::new("plan.json");
        let e = parse(
            p,
            "{\"format_version\": \"1.2\", \"resource_changes\": [",
            &opts,
        )
        .unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
        let e = parse(p, "[1,2]", &opts).unwrap_err();
        assert!(e.to_string().contains("wrong type"), "{e}");
        let e = parse(p, "{\"hello\": 1}", &opts).unwrap_err();
        assert!(e.to_string().contains("not a Terraform plan"), "{e}");
        let e = parse(p, "{\"format_version\": \"1.0\", \"values\": {}}", &opts).unwrap_err();
        assert!(e.to_string().contains("state"), "{e}");
    }
}
