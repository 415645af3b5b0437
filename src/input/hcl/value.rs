//! Terraform's value model for HCL mode: [`Val`] (with *unknown*: known only after apply),
//! conversion to plan-style JSON with its unknown mask, and the primitive operations on values
//! (attribute access, indexing, iteration, equality).

use std::collections::BTreeMap;

use serde_json::Value;

/// A Terraform value during evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    /// Lists and tuples.
    List(Vec<Val>),
    /// Sets, kept sorted and de-duplicated (`toset`, `set(...)` variables). Iterating one binds
    /// both symbols of a `for` to the element, and a set cannot be indexed.
    Set(Vec<Val>),
    /// Maps and objects.
    Obj(BTreeMap<String, Val>),
    /// A resource's configuration seen from elsewhere: attributes it does not set are computed
    /// by the provider, so reading them gives [`Val::Unknown`] instead of an error.
    Open(BTreeMap<String, Val>),
    /// Known only after apply.
    Unknown,
}

pub type EResult = Result<Val, String>;

impl Val {
    /// True when the value or anything inside it is unknown.
    pub fn has_unknown(&self) -> bool {
        match self {
            Val::Unknown => true,
            Val::List(l) | Val::Set(l) => l.iter().any(Val::has_unknown),
            Val::Obj(m) | Val::Open(m) => m.values().any(Val::has_unknown),
            _ => false,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "bool",
            Val::Num(_) => "number",
            Val::Str(_) => "string",
            Val::List(_) => "list",
            Val::Set(_) => "set",
            Val::Obj(_) | Val::Open(_) => "object",
            Val::Unknown => "unknown",
        }
    }

    pub fn as_map(&self) -> Option<&BTreeMap<String, Val>> {
        match self {
            Val::Obj(m) | Val::Open(m) => Some(m),
            _ => None,
        }
    }

    /// A string, converting numbers and bools as Terraform does.
    pub fn to_str(&self) -> Result<String, String> {
        match self {
            Val::Str(s) => Ok(s.clone()),
            Val::Num(n) => Ok(fmt_num(*n)),
            Val::Bool(b) => Ok(b.to_string()),
            other => Err(format!(
                "a {} cannot be used as a string",
                other.type_name()
            )),
        }
    }

    pub fn to_num(&self) -> Result<f64, String> {
        match self {
            Val::Num(n) => Ok(*n),
            Val::Str(s) => s.trim().parse().map_err(|_| {
                "a string that is not a number cannot be used as a number".to_string()
            }),
            other => Err(format!("a {} is not a number", other.type_name())),
        }
    }

    pub fn to_bool(&self) -> Result<bool, String> {
        match self {
            Val::Bool(b) => Ok(*b),
            Val::Str(s) if s == "true" => Ok(true),
            Val::Str(s) if s == "false" => Ok(false),
            other => Err(format!("a {} is not a bool", other.type_name())),
        }
    }

    /// Elements of a list (or the values of a map, for functions that accept both).
    pub fn items(&self) -> Result<Vec<Val>, String> {
        match self {
            Val::List(l) | Val::Set(l) => Ok(l.clone()),
            Val::Obj(m) | Val::Open(m) => Ok(m.values().cloned().collect()),
            other => Err(format!("expected a list, got a {}", other.type_name())),
        }
    }

    /// From JSON (tfvars.json, plan values).
    pub fn from_json(v: &Value) -> Val {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => Val::Num(n.as_f64().unwrap_or(0.0)),
            Value::String(s) => Val::Str(s.clone()),
            Value::Array(a) => Val::List(a.iter().map(Val::from_json).collect()),
            Value::Object(m) => Val::Obj(
                m.iter()
                    .map(|(k, v)| (k.clone(), Val::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// To JSON with the unknown mask (`true` at unknown leaves, as in a plan's `after_unknown`).
    pub fn to_json(&self) -> (Value, Value) {
        match self {
            Val::Unknown => (Value::Null, Value::Bool(true)),
            Val::Null => (Value::Null, Value::Bool(false)),
            Val::Bool(b) => (Value::Bool(*b), Value::Bool(false)),
            Val::Num(n) => (num_json(*n), Value::Bool(false)),
            Val::Str(s) => (Value::String(s.clone()), Value::Bool(false)),
            Val::List(l) | Val::Set(l) => {
                let (vals, masks): (Vec<_>, Vec<_>) = l.iter().map(Val::to_json).unzip();
                let any = masks.iter().any(|m| m != &Value::Bool(false));
                let mask = if any {
                    Value::Array(masks)
                } else {
                    Value::Bool(false)
                };
                (Value::Array(vals), mask)
            }
            Val::Obj(m) | Val::Open(m) => {
                let mut vals = serde_json::Map::new();
                let mut masks = serde_json::Map::new();
                for (k, v) in m {
                    let (jv, jm) = v.to_json();
                    vals.insert(k.clone(), jv);
                    if jm != Value::Bool(false) {
                        masks.insert(k.clone(), jm);
                    }
                }
                let mask = if masks.is_empty() {
                    Value::Bool(false)
                } else {
                    Value::Object(masks)
                };
                (Value::Object(vals), mask)
            }
        }
    }
}

/// Terraform prints whole numbers without a fraction.
pub fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn num_json(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

/// (key, value) pairs of a list (index keys), set (the element, twice) or map.
pub fn iterate(v: &Val) -> Result<Vec<(Val, Val)>, String> {
    match v {
        Val::Set(l) => Ok(l.iter().map(|x| (x.clone(), x.clone())).collect()),
        Val::List(l) => Ok(l
            .iter()
            .enumerate()
            .map(|(i, x)| (Val::Num(i as f64), x.clone()))
            .collect()),
        Val::Obj(m) | Val::Open(m) => Ok(m
            .iter()
            .map(|(k, x)| (Val::Str(k.clone()), x.clone()))
            .collect()),
        other => Err(format!("cannot iterate over a {}", other.type_name())),
    }
}

pub fn get_attr(v: Val, a: &str) -> EResult {
    match v {
        Val::Unknown => Ok(Val::Unknown),
        Val::Obj(mut m) => m
            .remove(a)
            .ok_or_else(|| format!("object has no attribute `{a}`")),
        Val::Open(mut m) => Ok(m.remove(a).unwrap_or(Val::Unknown)),
        Val::Null => Err(format!("attempt to read `{a}` of null")),
        other => Err(format!("a {} has no attribute `{a}`", other.type_name())),
    }
}

pub fn index(v: Val, idx: &Val) -> EResult {
    match (v, idx) {
        (Val::Unknown, _) | (_, Val::Unknown) => Ok(Val::Unknown),
        (Val::List(mut l), i) => {
            let n = i.to_num()?;
            if n < 0.0 || n.fract() != 0.0 || n as usize >= l.len() {
                return Err(format!(
                    "index {} out of range for a list of {}",
                    fmt_num(n),
                    l.len()
                ));
            }
            Ok(l.swap_remove(n as usize))
        }
        (Val::Set(_), _) => Err(
            "elements of a set are identified only by their value and have no index \
             (convert it with tolist() first)"
                .to_string(),
        ),
        (Val::Obj(mut m), k) => {
            let k = k.to_str()?;
            m.remove(&k)
                .ok_or_else(|| "the map has no element with that key".to_string())
        }
        (Val::Open(mut m), k) => Ok(m.remove(&k.to_str()?).unwrap_or(Val::Unknown)),
        (other, _) => Err(format!("a {} cannot be indexed", other.type_name())),
    }
}

/// Equality as Terraform sees it (numbers by value, objects of either kind by content).
pub fn val_eq(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Num(x), Val::Num(y)) => x == y,
        (Val::List(x), Val::List(y)) | (Val::Set(x), Val::Set(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| val_eq(p, q))
        }
        (Val::Obj(x) | Val::Open(x), Val::Obj(y) | Val::Open(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && val_eq(v1, v2))
        }
        _ => a == b,
    }
}

/// A set of `items`: de-duplicated, strings ordered lexically as Terraform orders them.
pub fn make_set(items: Vec<Val>) -> Val {
    let mut out: Vec<Val> = Vec::new();
    for x in items {
        if !out.iter().any(|o| val_eq(o, &x)) {
            out.push(x);
        }
    }
    if out.iter().all(|x| matches!(x, Val::Str(_))) {
        out.sort_by(|a, b| match (a, b) {
            (Val::Str(a), Val::Str(b)) => a.cmp(b),
            _ => std::cmp::Ordering::Equal,
        });
    }
    Val::Set(out)
}
