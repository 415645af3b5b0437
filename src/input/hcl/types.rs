//! Variable type constraints (`string`, `list(object({a = optional(number, 1)}))`, ...) and the
//! conversion Terraform applies when a value is assigned to a variable: primitives are
//! converted (`"30"` → 30 for `number`), object attributes missing from the value get their
//! `optional(type, default)` default (or null), attributes the type does not declare are
//! dropped, and collections convert each element. A value that does not convert is kept as it
//! is (Terraform would reject it; `terraform validate` reports that, not us).

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

    /// Convert `v` to this type, as on assignment to a variable.
    pub fn convert(&self, v: Val) -> Val {
        if matches!(v, Val::Null | Val::Unknown) {
            return v;
        }
        match self {
            Ty::Any => v,
            Ty::String => v.to_str().map(Val::Str).unwrap_or(v),
            Ty::Number => v.to_num().map(Val::Num).unwrap_or(v),
            Ty::Bool => v.to_bool().map(Val::Bool).unwrap_or(v),
            Ty::List(t) => match v {
                Val::List(l) | Val::Set(l) => {
                    Val::List(l.into_iter().map(|x| t.convert(x)).collect())
                }
                other => other,
            },
            Ty::Set(t) => match v {
                Val::List(l) | Val::Set(l) => {
                    super::value::make_set(l.into_iter().map(|x| t.convert(x)).collect())
                }
                other => other,
            },
            Ty::Tuple(ts) => match v {
                Val::List(l) if l.len() == ts.len() => {
                    Val::List(l.into_iter().zip(ts).map(|(x, t)| t.convert(x)).collect())
                }
                other => other,
            },
            Ty::Map(t) => match v {
                Val::Obj(m) | Val::Open(m) => {
                    Val::Obj(m.into_iter().map(|(k, x)| (k, t.convert(x))).collect())
                }
                other => other,
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
                            // Required and missing: Terraform rejects this; keep it visible
                            // as unknown rather than invent a value.
                            None => Val::Unknown,
                        };
                        out.insert(k.clone(), a.ty.convert(x));
                    }
                    Val::Obj(out)
                }
                other => other,
            },
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

/// Convert to the constraint `ty` (as written), if any.
pub fn convert(v: Val, ty: Option<&Expression>) -> Val {
    match ty {
        Some(t) => Ty::parse(t).convert(v),
        None => v,
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
        let v = t.convert(val(r#"[{ name = "gpu", node_count = "4", unused = 1 }, { name = "cpu", machine_type = "n2-standard-8", disk = { size_gb = "400" } }]"#));
        assert_eq!(
            v,
            val(r#"[
              { name = "gpu", machine_type = "a3-highgpu-8g", node_count = 4, disk = { size_gb = 100, type = null }, extra = null },
              { name = "cpu", machine_type = "n2-standard-8", node_count = 1, disk = { size_gb = 400, type = null }, extra = null },
            ]"#)
        );
        let m = ty("map(object({ instance_types = optional(list(string), [\"t3.large\"]), desired = optional(number) }))")
            .convert(val("{ gpu = { instance_types = [\"p5.48xlarge\"] }, cpu = {} }"));
        assert_eq!(
            m,
            val("{ gpu = { instance_types = [\"p5.48xlarge\"], desired = null }, cpu = { instance_types = [\"t3.large\"], desired = null } }")
        );
    }

    #[test]
    fn primitives_convert_and_unknowns_stay_unknown() {
        assert_eq!(ty("number").convert(val("\"30\"")), Val::Num(30.0));
        assert_eq!(ty("string").convert(val("5")), Val::Str("5".into()));
        assert_eq!(ty("bool").convert(val("\"true\"")), Val::Bool(true));
        assert_eq!(ty("any").convert(val("\"30\"")), Val::Str("30".into()));
        assert_eq!(ty("number").convert(Val::Unknown), Val::Unknown);
        // Not convertible: kept (terraform validate reports it).
        assert_eq!(ty("number").convert(val("\"x\"")), Val::Str("x".into()));
        // A required attribute that is missing is unknown, not invented.
        assert_eq!(
            ty("object({ a = string })").convert(val("{}")),
            val("{ a = 1 }")
                .as_map()
                .map(|_| Val::Obj(BTreeMap::from([("a".into(), Val::Unknown)])))
                .unwrap()
        );
    }
}
