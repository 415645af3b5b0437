//! Collection functions (lists, sets, maps, numbers over lists) of [`super::call`].

use std::collections::BTreeMap;

use super::super::eval::{val_eq, EResult, Val};
use super::super::value::make_set;
use super::{one, three, two};

/// The functions [`call`] handles.
pub const NAMES: &[&str] = &[
    "length",
    "merge",
    "lookup",
    "concat",
    "coalesce",
    "coalescelist",
    "element",
    "keys",
    "values",
    "contains",
    "index",
    "flatten",
    "distinct",
    "toset",
    "setunion",
    "sort",
    "reverse",
    "slice",
    "compact",
    "one",
    "zipmap",
    "range",
    "sum",
    "alltrue",
    "anytrue",
    "max",
    "min",
    "ceil",
    "floor",
    "abs",
    "signum",
    "pow",
    "parseint",
    "setintersection",
    "setsubtract",
    "setproduct",
    "chunklist",
    "matchkeys",
    "transpose",
];

pub fn call(name: &str, args: Vec<Val>) -> EResult {
    match name {
        "length" => length(one(args)?),
        "merge" => merge(args),
        "lookup" => lookup(args),
        "concat" => Ok(Val::List(
            args.iter()
                .map(|a| a.items())
                .collect::<Result<Vec<_>, _>>()?
                .concat(),
        )),
        "coalesce" => coalesce(args),
        "coalescelist" => Ok(args
            .into_iter()
            .find(|a| !matches!(a, Val::List(l) | Val::Set(l) if l.is_empty()))
            .unwrap_or(Val::List(vec![]))),
        "element" => element(args),
        "keys" => map_parts(one(args)?, true),
        "values" => map_parts(one(args)?, false),
        "contains" => {
            let [l, v] = two(args)?;
            Ok(Val::Bool(l.items()?.iter().any(|x| val_eq(x, &v))))
        }
        "index" => {
            let [l, v] = two(args)?;
            l.items()?
                .iter()
                .position(|x| val_eq(x, &v))
                .map(|i| Val::Num(i as f64))
                .ok_or_else(|| "index(): value not found".to_string())
        }
        "flatten" => Ok(Val::List(flatten(one(args)?)?)),
        "distinct" => Ok(Val::List(distinct(one(args)?.items()?))),
        "toset" => toset(one(args)?),
        "setunion" => {
            let all: Vec<Val> = args
                .iter()
                .map(|a| a.items())
                .collect::<Result<Vec<_>, _>>()?
                .concat();
            toset(Val::List(all))
        }
        "sort" => {
            let mut s = one(args)?
                .items()?
                .iter()
                .map(Val::to_str)
                .collect::<Result<Vec<_>, _>>()?;
            s.sort();
            Ok(Val::List(s.into_iter().map(Val::Str).collect()))
        }
        "reverse" => {
            let mut l = one(args)?.items()?;
            l.reverse();
            Ok(Val::List(l))
        }
        "slice" => {
            let [l, s, e] = three(args)?;
            let l = l.items()?;
            let (s, e) = (s.to_num()? as usize, e.to_num()? as usize);
            if s > e || e > l.len() {
                return Err("slice(): index out of range".into());
            }
            Ok(Val::List(l[s..e].to_vec()))
        }
        "compact" => Ok(Val::List(
            one(args)?
                .items()?
                .into_iter()
                .filter(|v| !matches!(v, Val::Null) && *v != Val::Str(String::new()))
                .collect(),
        )),
        "one" => {
            let l = one(args)?.items()?;
            match l.len() {
                0 => Ok(Val::Null),
                1 => Ok(l.into_iter().next().unwrap_or(Val::Null)),
                n => Err(format!("one(): list has {n} elements")),
            }
        }
        "zipmap" => {
            let [k, v] = two(args)?;
            let (k, v) = (k.items()?, v.items()?);
            if k.len() != v.len() {
                return Err("zipmap(): lists differ in length".into());
            }
            Ok(Val::Obj(
                k.iter()
                    .map(Val::to_str)
                    .zip(v)
                    .map(|(k, v)| k.map(|k| (k, v)))
                    .collect::<Result<_, _>>()?,
            ))
        }
        "range" => range(args),
        "sum" => Ok(Val::Num(
            one(args)?
                .items()?
                .iter()
                .map(Val::to_num)
                .sum::<Result<f64, _>>()?,
        )),
        "alltrue" | "anytrue" => {
            let bs = one(args)?
                .items()?
                .iter()
                .map(Val::to_bool)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Val::Bool(if name == "alltrue" {
                bs.iter().all(|b| *b)
            } else {
                bs.iter().any(|b| *b)
            }))
        }
        "max" | "min" => {
            let ns = args
                .iter()
                .map(Val::to_num)
                .collect::<Result<Vec<_>, _>>()?;
            let r = if name == "max" {
                ns.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
            } else {
                ns.iter().cloned().fold(f64::INFINITY, f64::min)
            };
            if ns.is_empty() {
                return Err(format!("{name}() needs at least one number"));
            }
            Ok(Val::Num(r))
        }
        "ceil" => Ok(Val::Num(one(args)?.to_num()?.ceil())),
        "floor" => Ok(Val::Num(one(args)?.to_num()?.floor())),
        "abs" => Ok(Val::Num(one(args)?.to_num()?.abs())),
        "signum" => Ok(Val::Num(one(args)?.to_num()?.signum())),
        "pow" => {
            let [a, b] = two(args)?;
            Ok(Val::Num(a.to_num()?.powf(b.to_num()?)))
        }
        "parseint" => {
            let [s, b] = two(args)?;
            i64::from_str_radix(&s.to_str()?, b.to_num()? as u32)
                .map(|n| Val::Num(n as f64))
                .map_err(|e| format!("parseint(): {e}"))
        }
        "setintersection" => {
            let mut sets = args.into_iter().map(|a| a.items());
            let mut acc = sets.next().ok_or("setintersection() needs a set")??;
            for s in sets {
                let s = s?;
                acc.retain(|x| s.iter().any(|y| val_eq(x, y)));
            }
            toset(Val::List(acc))
        }
        "setsubtract" => {
            let [a, b] = two(args)?;
            let b = b.items()?;
            toset(Val::List(
                a.items()?
                    .into_iter()
                    .filter(|x| !b.iter().any(|y| val_eq(x, y)))
                    .collect(),
            ))
        }
        "setproduct" => {
            let mut out: Vec<Vec<Val>> = vec![vec![]];
            for a in args {
                let items = a.items()?;
                out = out
                    .into_iter()
                    .flat_map(|p| {
                        items.iter().map(move |x| {
                            let mut q = p.clone();
                            q.push(x.clone());
                            q
                        })
                    })
                    .collect();
                if out.len() > 100_000 {
                    return Err("setproduct(): more than 100000 elements".into());
                }
            }
            Ok(Val::List(out.into_iter().map(Val::List).collect()))
        }
        "chunklist" => {
            let [l, n] = two(args)?;
            let n = n.to_num()?;
            if n < 1.0 {
                return Err("chunklist(): size must be at least 1".into());
            }
            Ok(Val::List(
                l.items()?
                    .chunks(n as usize)
                    .map(|c| Val::List(c.to_vec()))
                    .collect(),
            ))
        }
        "matchkeys" => {
            let [vals, keys, search] = three(args)?;
            let search = search.items()?;
            Ok(Val::List(
                vals.items()?
                    .into_iter()
                    .zip(keys.items()?)
                    .filter(|(_, k)| search.iter().any(|s| val_eq(s, k)))
                    .map(|(v, _)| v)
                    .collect(),
            ))
        }
        "transpose" => {
            let mut out: BTreeMap<String, Vec<Val>> = BTreeMap::new();
            for (k, l) in one(args)?.as_map().ok_or("transpose() needs a map")? {
                for v in l.items()? {
                    out.entry(v.to_str()?)
                        .or_default()
                        .push(Val::Str(k.clone()));
                }
            }
            Ok(Val::Obj(
                out.into_iter().map(|(k, v)| (k, Val::List(v))).collect(),
            ))
        }
        other => Err(format!("{other}() is not a collection function")),
    }
}

fn length(v: Val) -> EResult {
    Ok(Val::Num(match v {
        Val::List(l) | Val::Set(l) => l.len(),
        Val::Obj(m) | Val::Open(m) => m.len(),
        Val::Str(s) => s.chars().count(),
        other => return Err(format!("length() of a {}", other.type_name())),
    } as f64))
}

fn merge(args: Vec<Val>) -> EResult {
    let mut out = BTreeMap::new();
    for a in args {
        match a {
            Val::Null => {}
            Val::Obj(m) | Val::Open(m) => out.extend(m),
            other => return Err(format!("merge() of a {}", other.type_name())),
        }
    }
    Ok(Val::Obj(out))
}

fn lookup(args: Vec<Val>) -> EResult {
    let n = args.len();
    let mut it = args.into_iter();
    let (Some(m), Some(k)) = (it.next(), it.next()) else {
        return Err(format!("lookup() expects 2 or 3 arguments, got {n}"));
    };
    let default = it.next();
    let k = k.to_str()?;
    match m {
        Val::Obj(mut m) | Val::Open(mut m) => match (m.remove(&k), default) {
            (Some(v), _) | (None, Some(v)) => Ok(v),
            (None, None) => Err("lookup(): the map has no such key and no default is given".into()),
        },
        other => Err(format!("lookup() in a {}", other.type_name())),
    }
}

fn coalesce(args: Vec<Val>) -> EResult {
    for a in args {
        match a {
            Val::Unknown => return Ok(Val::Unknown),
            Val::Null => {}
            Val::Str(s) if s.is_empty() => {}
            v => return Ok(v),
        }
    }
    Err("coalesce(): no non-null, non-empty argument".into())
}

fn element(args: Vec<Val>) -> EResult {
    let [l, i] = two(args)?;
    let l = l.items()?;
    if l.is_empty() {
        return Err("element() of an empty list".into());
    }
    let i = i.to_num()? as usize;
    Ok(l[i % l.len()].clone())
}

fn map_parts(v: Val, keys: bool) -> EResult {
    match v {
        Val::Obj(m) | Val::Open(m) => Ok(Val::List(if keys {
            m.into_keys().map(Val::Str).collect()
        } else {
            m.into_values().collect()
        })),
        other => Err(format!("keys()/values() of a {}", other.type_name())),
    }
}

fn flatten(v: Val) -> Result<Vec<Val>, String> {
    let mut out = Vec::new();
    for x in v.items()? {
        match x {
            Val::List(_) | Val::Set(_) => out.extend(flatten(x)?),
            Val::Unknown => return Err("flatten() of an unknown list".into()),
            other => out.push(other),
        }
    }
    Ok(out)
}

fn distinct(items: Vec<Val>) -> Vec<Val> {
    let mut out: Vec<Val> = Vec::new();
    for x in items {
        if !out.iter().any(|o| val_eq(o, &x)) {
            out.push(x);
        }
    }
    out
}

fn toset(v: Val) -> EResult {
    Ok(make_set(v.items()?))
}

fn range(args: Vec<Val>) -> EResult {
    let ns = args
        .iter()
        .map(Val::to_num)
        .collect::<Result<Vec<_>, _>>()?;
    let (start, end, step) = match ns.as_slice() {
        [e] => (0.0, *e, 1.0),
        [s, e] => (*s, *e, if s <= e { 1.0 } else { -1.0 }),
        [s, e, st] => (*s, *e, *st),
        _ => return Err("range() expects 1 to 3 arguments".into()),
    };
    if step == 0.0 {
        return Err("range(): step must not be zero".into());
    }
    let mut out = Vec::new();
    let mut x = start;
    while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
        out.push(Val::Num(x));
        x += step;
        if out.len() > 1024 {
            return Err("range(): more than 1024 elements".into());
        }
    }
    Ok(Val::List(out))
}
