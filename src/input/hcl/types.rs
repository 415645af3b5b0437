//! Variable type constraints (`string`, `list(object({a = optional(number, 1)}))`, ...) and the
//! conversion Terraform applies when a value is assigned to a variable: primitives are
//! converted (`"30"` → 30 for `number`), object attributes missing from the value get their
//! `optional(type, default)` default (or null), attributes the type does not declare are
//! dropped, and collections convert each element. A value that does not convert is an error
//! naming the type required, as in Terraform.

use std::collections::BTreeMap;

use hcl::expr::{Expression, ObjectKey};

use super::eval::{Ev, NoEnv, Val};

/// A parsed type constraint.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Any,
    String,
    Number,
    Bool,
    List(Box<Ty>),
    Set(Box<Ty>),
    Map(Box<Ty>),
    Tuple(Vec<Ty>),
    /// Attribute → (type, optional, default).
    Object(BTreeMap<String, Attr>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub ty: Ty,
    pub optional: bool,
    pub default: Option<Val>,
}

impl Ty {
    /// Read a type constraint as written; anything unreadable is `any` (no conversion).
    pub fn parse(e: &Expression) -> Ty {
        match e {
            Expression::Variable(v) => match v.as_str() {
                "string" => Ty::String,
                "number" => Ty::Number,
                "bool" => Ty::Bool,
                "list" => Ty::List(Box::new(Ty::Any)),
                "map" => Ty::Map(Box::new(Ty::Any)),
                "set" => Ty::Set(Box::new(Ty::Any)),
                _ => Ty::Any,
            },
            Expression::FuncCall(f) => {
                let arg = f.args.first();
                let inner = || Box::new(arg.map(Ty::parse).unwrap_or(Ty::Any));
                match f.name.name.as_str() {
                    "list" => Ty::List(inner()),
                    "set" => Ty::Set(inner()),
                    "map" => Ty::Map(inner()),
                    "tuple" => match arg {
                        Some(Expression::Array(items)) => {
                            Ty::Tuple(items.iter().map(Ty::parse).collect())
                        }
                        _ => Ty::Any,
                    },
                    "object" => match arg {
                        Some(Expression::Object(o)) => {
                            let mut attrs = BTreeMap::new();
                            for (k, v) in o {
                                let key = match k {
                                    ObjectKey::Identifier(i) => i.as_str().to_string(),
                                    ObjectKey::Expression(Expression::String(s)) => s.clone(),
                                    ObjectKey::Expression(Expression::Variable(v)) => {
                                        v.as_str().to_string()
                                    }
                                    _ => continue,
                                };
                                attrs.insert(key, Attr::parse(v));
                            }
                            Ty::Object(attrs)
                        }
                        _ => Ty::Any,
                    },
                    _ => Ty::Any,
                }
            }
            Expression::Parenthesis(e) => Ty::parse(e),
            _ => Ty::Any,
        }
    }

    /// Convert `v` to this type, as on assignment to a variable. A value that does not
    /// convert is an error, as in Terraform: `"2"` is a fine `number`, `"two"` is not. The
    /// message names the type required and where inside the value (never the value itself:
    /// it may be a secret).
    pub fn convert(&self, v: Val) -> Result<Val, String> {
        self.convert_at(v, "")
    }

    fn convert_at(&self, v: Val, at: &str) -> Result<Val, String> {
        if matches!(v, Val::Null | Val::Unknown) {
            return Ok(v);
        }
        let wrong = |what: &str, v: &Val| {
            let place = if at.is_empty() {
                String::new()
            } else {
                format!(" at `{}`", at.trim_start_matches('.'))
            };
            Err(format!(
                "{what} is required{place}, got a {}",
                v.type_name()
            ))
        };
        let elems = |t: &Ty, l: Vec<Val>| -> Result<Vec<Val>, String> {
            l.into_iter()
                .enumerate()
                .map(|(i, x)| t.convert_at(x, &format!("{at}[{i}]")))
                .collect()
        };
        match self {
            Ty::Any => Ok(v),
            Ty::String => match v {
                Val::Str(_) | Val::Num(_) | Val::Bool(_) => v.to_str().map(Val::Str),
                other => wrong("a string", &other),
            },
            Ty::Number => match v.to_num() {
                Ok(n) if matches!(v, Val::Num(_) | Val::Str(_)) => Ok(Val::Num(n)),
                _ => wrong("a number", &v),
            },
            Ty::Bool => match v.to_bool() {
                Ok(b) => Ok(Val::Bool(b)),
                Err(_) => wrong("a bool", &v),
            },
            Ty::List(t) => match v {
                Val::List(l) | Val::Set(l) => Ok(Val::List(elems(t, l)?)),
                other => wrong("a list", &other),
            },
            Ty::Set(t) => match v {
                Val::List(l) | Val::Set(l) => Ok(super::value::make_set(elems(t, l)?)),
                other => wrong("a set", &other),
            },
            Ty::Tuple(ts) => match v {
                Val::List(l) if l.len() == ts.len() => Ok(Val::List(
                    l.into_iter()
                        .zip(ts)
                        .enumerate()
                        .map(|(i, (x, t))| t.convert_at(x, &format!("{at}[{i}]")))
                        .collect::<Result<_, _>>()?,
                )),
                other => wrong(&format!("a tuple of {} elements", ts.len()), &other),
            },
            Ty::Map(t) => match v {
                Val::Obj(m) | Val::Open(m) => Ok(Val::Obj(
                    m.into_iter()
                        .map(|(k, x)| {
                            let x = t.convert_at(x, &format!("{at}[\"{k}\"]"))?;
                            Ok((k, x))
                        })
                        .collect::<Result<_, String>>()?,
                )),
                other => wrong("a map", &other),
            },
            Ty::Object(attrs) => match v {
                Val::Obj(mut m) | Val::Open(mut m) => {
                    let mut out = BTreeMap::new();
                    for (k, a) in attrs {
                        let x = match m.remove(k) {
                            Some(Val::Null) | None if a.optional => {
                                a.default.clone().unwrap_or(Val::Null)
                            }
                            Some(x) => x,
                            None => {
                                return Err(format!(
                                    "attribute `{}` is required",
                                    format!("{at}.{k}").trim_start_matches('.')
                                ))
                            }
                        };
                        out.insert(k.clone(), a.ty.convert_at(x, &format!("{at}.{k}"))?);
                    }
                    Ok(Val::Obj(out))
                }
                other => wrong("an object", &other),
            },
        }
    }

    /// How the type is written (for messages).
    pub fn describe(&self) -> String {
        match self {
            Ty::Any => "any".into(),
            Ty::String => "string".into(),
            Ty::Number => "number".into(),
            Ty::Bool => "bool".into(),
            Ty::List(t) => format!("list({})", t.describe()),
            Ty::Set(t) => format!("set({})", t.describe()),
            Ty::Map(t) => format!("map({})", t.describe()),
            Ty::Tuple(ts) => format!(
                "tuple([{}])",
                ts.iter().map(Ty::describe).collect::<Vec<_>>().join(", ")
            ),
            Ty::Object(_) => "object({...})".into(),
        }
    }
}

impl Attr {
    fn parse(e: &Expression) -> Attr {
        if let Expression::FuncCall(f) = e {
            if f.name.name.as_str() == "optional" {
                let ty = f.args.first().map(Ty::parse).unwrap_or(Ty::Any);
                let default = f
                    .args
                    .get(1)
                    .map(|d| Ev::new(&NoEnv).eval(d).unwrap_or(Val::Unknown));
                return Attr {
                    ty,
                    optional: true,
                    default,
                };
            }
        }
        Attr {
            ty: Ty::parse(e),
            optional: false,
            default: None,
        }
    }
}

/// Convert to the constraint `ty` (as written), if any; the error says what type is
/// required.
pub fn convert(v: Val, ty: Option<&Expression>) -> Result<Val, String> {
    match ty {
        Some(t) => {
            let ty = Ty::parse(t);
            ty.convert(v)
                .map_err(|e| format!("{e} (the variable's type is {})", ty.describe()))
        }
        None => Ok(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(src: &str) -> Ty {
        let body: hcl::Body = hcl::parse(&format!("t = {src}\n")).unwrap();
        Ty::parse(&body.attributes().next().unwrap().expr)
    }

    fn val(src: &str) -> Val {
        let body: hcl::Body = hcl::parse(&format!("v = {src}\n")).unwrap();
        Ev::new(&NoEnv)
            .eval(&body.attributes().next().unwrap().expr)
            .unwrap()
    }

    #[test]
    fn optional_defaults_apply_in_nested_objects_lists_and_maps() {
        let t = ty(r#"list(object({
            name         = string
            machine_type = optional(string, "a3-highgpu-8g")
            node_count   = optional(number, 1)
            disk         = optional(object({ size_gb = optional(number, 100), type = optional(string) }), {})
            extra        = optional(list(string))
        }))"#);
        let v = t.convert(val(r#"[{ name = "gpu", node_count = "4", unused = 1 }, { name = "cpu", machine_type = "n2-standard-8", disk = { size_gb = "400" } }]"#)).unwrap();
        assert_eq!(
            v,
            val(r#"[
              { name = "gpu", machine_type = "a3-highgpu-8g", node_count = 4, disk = { size_gb = 100, type = null }, extra = null },
              { name = "cpu", machine_type = "n2-standard-8", node_count = 1, disk = { size_gb = 400, type = null }, extra = null },
            ]"#)
        );
        let m = ty("map(object({ instance_types = optional(list(string), [\"t3.large\"]), desired = optional(number) }))")
            .convert(val("{ gpu = { instance_types = [\"p5.48xlarge\"] }, cpu = {} }")).unwrap();
        assert_eq!(
            m,
            val("{ gpu = { instance_types = [\"p5.48xlarge\"], desired = null }, cpu = { instance_types = [\"t3.large\"], desired = null } }")
        );
    }

    #[test]
    fn primitives_convert_and_wrong_types_are_errors() {
        let ok = |t: &str, v: &str| ty(t).convert(val(v)).unwrap();
        assert_eq!(ok("number", "\"30\""), Val::Num(30.0));
        assert_eq!(ok("string", "5"), Val::Str("5".into()));
        assert_eq!(ok("bool", "\"true\""), Val::Bool(true));
        assert_eq!(ok("any", "\"30\""), Val::Str("30".into()));
        assert_eq!(ty("number").convert(Val::Unknown), Ok(Val::Unknown));
        // Not convertible: an error naming the type and where, as Terraform does.
        let err = |t: &str, v: &str| ty(t).convert(val(v)).unwrap_err();
        assert_eq!(
            err("number", "\"two\""),
            "a number is required, got a string"
        );
        assert_eq!(err("bool", "1"), "a bool is required, got a number");
        assert_eq!(err("string", "[1]"), "a string is required, got a list");
        assert_eq!(
            err(
                "map(object({ desired = number }))",
                "{ gpu = { desired = \"two\" } }"
            ),
            "a number is required at `[\"gpu\"].desired`, got a string"
        );
        assert_eq!(
            err("list(number)", "[1, \"x\"]"),
            "a number is required at `[1]`, got a string"
        );
        assert_eq!(
            err("object({ a = string })", "{}"),
            "attribute `a` is required"
        );
        assert_eq!(
            err("list(string)", "\"a\""),
            "a list is required, got a string"
        );
        // A set type makes a set (de-duplicated, element-keyed in `for`).
        assert_eq!(
            ok("set(string)", "[\"b\", \"a\", \"b\"]"),
            Val::Set(vec![Val::Str("a".into()), Val::Str("b".into())])
        );
    }
}
