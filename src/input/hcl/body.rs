//! Evaluating one block: how it repeats (`count` / `for_each` → [`Expand`], instance [`Key`]s)
//! and its body the way a plan shows it ([`eval_body`]: attributes, nested blocks as lists,
//! `dynamic` blocks expanded), with the references, sensitive paths and errors met.

use std::collections::BTreeMap;

use hcl::expr::Expression;
use hcl::Body;

use super::eval::{iterate, Ev, Val};
use super::load::attr;

/// An instance key: none, a `count` index or a `for_each` key.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    None,
    Int(usize),
    Str(String),
}

impl Key {
    /// `""`, `[0]` or `["key"]`, as in Terraform addresses.
    pub fn suffix(&self) -> String {
        match self {
            Key::None => String::new(),
            Key::Int(i) => format!("[{i}]"),
            Key::Str(s) => format!("[{}]", serde_json::Value::String(s.clone())),
        }
    }
}

/// How a block repeats.
#[derive(Debug, Clone)]
pub enum Expand {
    Single,
    Count(usize),
    /// Sorted keys with their values.
    ForEach(Vec<(String, Val)>),
    /// The count or for_each value is unknown (or invalid): says why.
    Unknown(String),
}

impl Expand {
    /// Each instance's key and the names (`count`, `each`) it binds.
    pub fn instances(&self) -> Vec<(Key, Vec<(String, Val)>)> {
        match self {
            Expand::Single => vec![(Key::None, vec![])],
            Expand::Count(n) => (0..*n)
                .map(|i| {
                    let c = Val::Obj(BTreeMap::from([("index".into(), Val::Num(i as f64))]));
                    (Key::Int(i), vec![("count".to_string(), c)])
                })
                .collect(),
            Expand::ForEach(items) => items
                .iter()
                .map(|(k, v)| {
                    let each = Val::Obj(BTreeMap::from([
                        ("key".into(), Val::Str(k.clone())),
                        ("value".into(), v.clone()),
                    ]));
                    (Key::Str(k.clone()), vec![("each".to_string(), each)])
                })
                .collect(),
            Expand::Unknown(_) => vec![],
        }
    }

    /// How many instances the block has (1 when unknown: it is shown once).
    pub fn instance_count(&self) -> usize {
        match self {
            Expand::Single | Expand::Unknown(_) => 1,
            Expand::Count(n) => *n,
            Expand::ForEach(items) => items.len(),
        }
    }

    /// The value other expressions see for a repeated object.
    pub(super) fn shape(&self, items: Vec<Val>) -> Val {
        match self {
            Expand::Single => items.into_iter().next().unwrap_or(Val::Null),
            Expand::Count(_) => Val::List(items),
            Expand::ForEach(keys) => {
                Val::Obj(keys.iter().map(|(k, _)| k.clone()).zip(items).collect())
            }
            Expand::Unknown(_) => Val::Unknown,
        }
    }
}

/// Why a `for_each` derived from a sensitive value is refused (Terraform's error).
pub const SENSITIVE_FOR_EACH: &str = "Invalid for_each argument: sensitive values, or values derived from sensitive values, cannot be used as for_each arguments (the instance keys would show the value)";

/// Most instances one block may expand to (guards against runaway inputs).
const MAX_INSTANCES: usize = 100_000;

/// Evaluate `count` / `for_each` of a block body.
pub fn expand(ev: &mut Ev, body: &Body) -> Expand {
    let (count, for_each) = (attr(body, "count"), attr(body, "for_each"));
    match (count, for_each) {
        (None, None) => Expand::Single,
        (Some(_), Some(_)) => Expand::Unknown("both count and for_each are set".into()),
        (Some(c), None) => match ev.eval(c) {
            Ok(Val::Unknown) => Expand::Unknown("count is unknown until apply".into()),
            Ok(v) => match v.to_num() {
                Ok(n) if n > MAX_INSTANCES as f64 => {
                    Expand::Unknown(format!("count {n} is more than {MAX_INSTANCES} instances"))
                }
                Ok(n) if n >= 0.0 && n.fract() == 0.0 => Expand::Count(n as usize),
                _ => Expand::Unknown(format!("count is not a whole number (a {})", v.type_name())),
            },
            Err(e) => Expand::Unknown(format!("count cannot be evaluated: {e}")),
        },
        (None, Some(f)) => match (ev.eval(f), std::mem::take(&mut ev.sensitive)) {
            // As Terraform: an instance key would show the value.
            (Ok(_), true) => Expand::Unknown(SENSITIVE_FOR_EACH.into()),
            (Ok(Val::Unknown), _) => Expand::Unknown("for_each is unknown until apply".into()),
            // Terraform needs the keys only: a map whose keys are known gives one instance
            // per key even when some values are unknown.
            (Ok(Val::Obj(m) | Val::Open(m)), _) => Expand::ForEach(m.into_iter().collect()),
            (Ok(Val::List(l) | Val::Set(l)), _) if l.iter().any(Val::has_unknown) => {
                Expand::Unknown("for_each set has elements unknown until apply".into())
            }
            (Ok(Val::List(l) | Val::Set(l)), _) => {
                let keys: Result<Vec<String>, String> = l.iter().map(Val::to_str).collect();
                match keys {
                    Ok(mut ks) => {
                        ks.sort();
                        ks.dedup();
                        Expand::ForEach(ks.into_iter().map(|k| (k.clone(), Val::Str(k))).collect())
                    }
                    Err(e) => Expand::Unknown(format!("for_each set must hold strings: {e}")),
                }
            }
            (Ok(other), _) => Expand::Unknown(format!("for_each over a {}", other.type_name())),
            (Err(e), _) => Expand::Unknown(format!("for_each cannot be evaluated: {e}")),
        },
    }
}

/// Attributes of a resource body that are Terraform meta-arguments, not resource attributes.
const META_ATTRS: &[&str] = &["count", "for_each", "provider", "depends_on"];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

/// An evaluated body: values, plus per attribute path the resources referred to, which paths
/// read sensitive values, and what could not be evaluated.
#[derive(Debug, Default)]
pub struct BodyOut {
    pub refs: BTreeMap<String, Vec<String>>,
    pub sensitive: Vec<String>,
    pub errors: Vec<String>,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Attributes that are numbers in every provider schema the resource families price (sizes,
/// counts, IOPS, periods). Terraform converts a quoted number (`volume_size = "400"`) by the
/// schema, at any nesting depth; without the schema, these names stand in for it.
const NUMBER_ATTRS: &[&str] = &[
    "volume_size",
    "iops",
    "throughput",
    "size",
    "disk_size",
    "disk_size_gb",
    "desired_size",
    "min_size",
    "max_size",
    "desired_capacity",
    "node_count",
    "initial_node_count",
    "min_node_count",
    "max_node_count",
    "total_min_node_count",
    "total_max_node_count",
    "period",
    "evaluation_periods",
    "initial_instance_count",
    "instance_count",
    "num_workers",
    "min_workers",
    "max_workers",
    "os_disk_size_gb",
    "storage_capacity",
    "accelerator_count",
];

fn schema_number(key: &str, v: Val) -> Val {
    match v {
        Val::Str(s) if NUMBER_ATTRS.contains(&key) => match s.trim().parse::<f64>() {
            Ok(n) => Val::Num(n),
            Err(_) => Val::Str(s),
        },
        other => other,
    }
}

/// Attribute names whose values are secrets whatever the provider schema says.
fn secret_name(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["password", "secret", "token", "private_key"]
        .iter()
        .any(|s| k.contains(s))
}

/// Evaluate a block body the way the plan shows it: attributes by name, nested blocks as lists
/// of objects (`root_block_device.0.volume_size`), `dynamic` blocks expanded.
pub fn eval_body(ev: &mut Ev, body: &Body, path: &str, out: &mut BodyOut) -> Val {
    let top = path.is_empty();
    let mut m = BTreeMap::new();
    for a in body.attributes() {
        let key = a.key.as_str();
        if top && META_ATTRS.contains(&key) {
            continue;
        }
        let p = join(path, key);
        ev.take_refs();
        ev.sensitive = false;
        let v = ev.eval(&a.expr).unwrap_or_else(|e| {
            out.errors.push(format!("{p}: {e}"));
            Val::Unknown
        });
        let mut refs = ev.take_refs();
        if !refs.is_empty() {
            dedup_keep_order(&mut refs);
            out.refs.insert(p.clone(), refs);
        }
        if ev.sensitive || secret_name(key) {
            out.sensitive.push(p);
        }
        m.insert(key.to_string(), schema_number(key, v));
    }
    let mut groups: BTreeMap<String, Option<Vec<Val>>> = BTreeMap::new();
    for b in body.blocks() {
        let id = b.identifier.as_str();
        if top && META_BLOCKS.contains(&id) {
            continue;
        }
        if id == "dynamic" {
            dynamic(ev, b, path, out, &mut groups);
            continue;
        }
        let slot = groups.entry(id.to_string()).or_insert_with(|| Some(vec![]));
        if let Some(list) = slot {
            let p = join(path, &format!("{id}.{}", list.len()));
            let v = eval_body(ev, &b.body, &p, out);
            list.push(v);
        }
    }
    for (k, g) in groups {
        m.insert(k, g.map(Val::List).unwrap_or(Val::Unknown));
    }
    Val::Open(m)
}

fn dynamic(
    ev: &mut Ev,
    b: &hcl::Block,
    path: &str,
    out: &mut BodyOut,
    groups: &mut BTreeMap<String, Option<Vec<Val>>>,
) {
    let Some(name) = b.labels.first().map(|l| l.as_str().to_string()) else {
        out.errors
            .push(format!("{path}: dynamic block without a label"));
        return;
    };
    let iterator = match attr(&b.body, "iterator") {
        Some(Expression::Variable(v)) => v.as_str().to_string(),
        _ => name.clone(),
    };
    let content = b.body.blocks().find(|c| c.identifier.as_str() == "content");
    let coll = attr(&b.body, "for_each").map(|e| ev.eval(e));
    let slot = groups.entry(name.clone()).or_insert_with(|| Some(vec![]));
    let coll = match (content, coll) {
        (Some(_), Some(Ok(c))) => c,
        (Some(_), Some(Err(e))) => {
            out.errors
                .push(format!("{}: dynamic for_each: {e}", join(path, &name)));
            *slot = None;
            return;
        }
        _ => {
            out.errors.push(format!(
                "{}: dynamic block needs for_each and content",
                join(path, &name)
            ));
            *slot = None;
            return;
        }
    };
    let Some(content) = content else { return };
    // Elements may hold unknown attributes (they stay unknown in the block); only an
    // unknown collection leaves the number of blocks unknown until apply.
    let Ok(items) = iterate(&coll) else {
        *slot = None;
        return;
    };
    for (k, v) in items {
        let Some(list) = groups.get_mut(&name).and_then(|s| s.as_mut()) else {
            return;
        };
        let p = join(path, &format!("{name}.{}", list.len()));
        ev.push(
            &iterator,
            Val::Obj(BTreeMap::from([("key".into(), k), ("value".into(), v)])),
        );
        let val = eval_body(ev, &content.body, &p, out);
        ev.pop();
        if let Some(Some(list)) = groups.get_mut(&name) {
            list.push(val);
        }
    }
}

pub fn dedup_keep_order(v: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
}
