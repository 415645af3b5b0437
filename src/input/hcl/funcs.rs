//! Terraform's built-in functions for HCL mode, over [`Val`] with unknown propagation.
//!
//! String and number functions give an unknown result when any argument contains an unknown
//! value; collection functions only when an argument itself is unknown (a list with an unknown
//! element still has a known length). Functions not listed here are an error, which the
//! caller turns into an unknown attribute with a warning: never a guessed value.

use std::collections::BTreeMap;
use std::path::Path;

use super::eval::{b64, val_eq, EResult, Val};

/// Functions that need every argument fully known.
const STRICT: &[&str] = &[
    "format",
    "formatlist",
    "join",
    "split",
    "lower",
    "upper",
    "title",
    "replace",
    "regex",
    "regexall",
    "max",
    "min",
    "ceil",
    "floor",
    "abs",
    "pow",
    "signum",
    "parseint",
    "jsonencode",
    "jsondecode",
    "base64encode",
    "base64decode",
    "cidrsubnet",
    "cidrhost",
    "substr",
    "trimspace",
    "trim",
    "trimprefix",
    "trimsuffix",
    "chomp",
    "startswith",
    "endswith",
    "strcontains",
    "strrev",
    "tostring",
    "tonumber",
    "tobool",
    "contains",
    "distinct",
    "toset",
    "sort",
    "sum",
    "range",
    "basename",
    "dirname",
    "index",
    "alltrue",
    "anytrue",
    "compact",
    "setunion",
];

/// Call a function by name.
pub fn call(name: &str, args: Vec<Val>, _base: &Path) -> EResult {
    if STRICT.contains(&name) && args.iter().any(Val::has_unknown) {
        return Ok(Val::Unknown);
    }
    if args.contains(&Val::Unknown) && name != "coalesce" {
        return Ok(Val::Unknown);
    }
    match name {
        // Known only at apply time.
        "timestamp" | "uuid" | "plantimestamp" | "bcrypt" => Ok(Val::Unknown),
        "sensitive" | "nonsensitive" | "tolist" => one(args),
        "tomap" => match one(args)? {
            Val::Open(m) => Ok(Val::Obj(m)),
            v => Ok(v),
        },
        "tostring" => Ok(match one(args)? {
            Val::Null => Val::Null,
            v => Val::Str(v.to_str()?),
        }),
        "tonumber" => Ok(Val::Num(one(args)?.to_num()?)),
        "tobool" => Ok(Val::Bool(one(args)?.to_bool()?)),
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
            .find(|a| !matches!(a, Val::List(l) if l.is_empty()))
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
        _ => strings(name, args),
    }
}

fn strings(name: &str, args: Vec<Val>) -> EResult {
    let s = |v: &Val| v.to_str();
    match name {
        "lower" => Ok(Val::Str(s(&one(args)?)?.to_lowercase())),
        "upper" => Ok(Val::Str(s(&one(args)?)?.to_uppercase())),
        "title" => Ok(Val::Str(title(&s(&one(args)?)?))),
        "trimspace" => Ok(Val::Str(s(&one(args)?)?.trim().to_string())),
        "chomp" => Ok(Val::Str(
            s(&one(args)?)?.trim_end_matches(['\n', '\r']).to_string(),
        )),
        "strrev" => Ok(Val::Str(s(&one(args)?)?.chars().rev().collect())),
        "trim" => {
            let [a, b] = two(args)?;
            let cut: Vec<char> = s(&b)?.chars().collect();
            Ok(Val::Str(s(&a)?.trim_matches(cut.as_slice()).to_string()))
        }
        "trimprefix" | "trimsuffix" | "startswith" | "endswith" | "strcontains" => {
            let [a, b] = two(args)?;
            let (a, b) = (s(&a)?, s(&b)?);
            Ok(match name {
                "trimprefix" => Val::Str(a.strip_prefix(&b).unwrap_or(&a).to_string()),
                "trimsuffix" => Val::Str(a.strip_suffix(&b).unwrap_or(&a).to_string()),
                "startswith" => Val::Bool(a.starts_with(&b)),
                "endswith" => Val::Bool(a.ends_with(&b)),
                _ => Val::Bool(a.contains(&b)),
            })
        }
        "join" => {
            let [sep, l] = two(args)?;
            let parts = l.items()?.iter().map(s).collect::<Result<Vec<_>, _>>()?;
            Ok(Val::Str(parts.join(&s(&sep)?)))
        }
        "split" => {
            let [sep, v] = two(args)?;
            let v = s(&v)?;
            if v.is_empty() {
                return Ok(Val::List(vec![]));
            }
            Ok(Val::List(
                v.split(s(&sep)?.as_str())
                    .map(|p| Val::Str(p.into()))
                    .collect(),
            ))
        }
        "replace" => {
            let [v, from, to] = three(args)?;
            let (v, from, to) = (s(&v)?, s(&from)?, s(&to)?);
            match from.strip_prefix('/').and_then(|f| f.strip_suffix('/')) {
                Some(re) if from.len() > 1 => {
                    let re = regex::Regex::new(re)
                        .map_err(|_| "replace(): invalid regular expression".to_string())?;
                    Ok(Val::Str(
                        re.replace_all(&v, to.replace("$", "$$").as_str()).into(),
                    ))
                }
                _ => Ok(Val::Str(v.replace(&from, &to))),
            }
        }
        "regex" | "regexall" => {
            let [re, v] = two(args)?;
            let re = regex::Regex::new(&s(&re)?)
                .map_err(|_| format!("{name}(): invalid regular expression"))?;
            let v = s(&v)?;
            let all: Vec<Val> = re
                .find_iter(&v)
                .map(|m| Val::Str(m.as_str().into()))
                .collect();
            if name == "regexall" {
                Ok(Val::List(all))
            } else {
                all.into_iter()
                    .next()
                    .ok_or_else(|| "regex(): no match".to_string())
            }
        }
        "substr" => {
            let [v, off, len] = three(args)?;
            let chars: Vec<char> = s(&v)?.chars().collect();
            let n = chars.len() as i64;
            let mut off = off.to_num()? as i64;
            if off < 0 {
                off += n;
            }
            let off = off.clamp(0, n) as usize;
            let len = len.to_num()? as i64;
            let end = if len < 0 {
                chars.len()
            } else {
                (off + len as usize).min(chars.len())
            };
            Ok(Val::Str(chars[off..end].iter().collect()))
        }
        "format" => {
            let mut it = args.into_iter();
            let f = s(&it.next().ok_or("format() needs a format string")?)?;
            Ok(Val::Str(format_str(&f, &it.collect::<Vec<_>>())?))
        }
        "formatlist" => formatlist(args),
        "jsonencode" => Ok(Val::Str(one(args)?.to_json().0.to_string())),
        "jsondecode" => serde_json::from_str(&s(&one(args)?)?)
            .map(|v| Val::from_json(&v))
            .map_err(|e| format!("jsondecode(): {e}")),
        "base64encode" => Ok(Val::Str(b64(s(&one(args)?)?.as_bytes()))),
        "base64decode" => {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s(&one(args)?)?)
                .map_err(|_| "base64decode(): not valid base64".to_string())?;
            String::from_utf8(bytes)
                .map(Val::Str)
                .map_err(|_| "base64decode(): not UTF-8".into())
        }
        "cidrsubnet" => {
            let [p, bits, num] = three(args)?;
            cidrsubnet(&s(&p)?, bits.to_num()? as u32, num.to_num()? as u64).map(Val::Str)
        }
        "cidrhost" => {
            let [p, num] = two(args)?;
            let (net, len) = parse_cidr(&s(&p)?)?;
            let host = num.to_num()? as i64;
            let size = 1i64 << (32 - len);
            let off = if host < 0 { size + host } else { host };
            if off < 0 || off >= size {
                return Err("cidrhost(): host number out of range".into());
            }
            Ok(Val::Str(
                std::net::Ipv4Addr::from(net + off as u32).to_string(),
            ))
        }
        "basename" => Ok(Val::Str(
            s(&one(args)?)?
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string(),
        )),
        "dirname" => {
            let v = s(&one(args)?)?;
            Ok(Val::Str(match v.rfind('/') {
                Some(i) => v[..i].to_string(),
                None => ".".into(),
            }))
        }
        _ => Err(format!("function `{name}` is not supported in HCL mode")),
    }
}

fn one(args: Vec<Val>) -> EResult {
    let n = args.len();
    let mut it = args.into_iter();
    match (it.next(), n) {
        (Some(v), 1) => Ok(v),
        _ => Err(format!("expected 1 argument, got {n}")),
    }
}

fn two(args: Vec<Val>) -> Result<[Val; 2], String> {
    let n = args.len();
    args.try_into()
        .map_err(|_| format!("expected 2 arguments, got {n}"))
}

fn three(args: Vec<Val>) -> Result<[Val; 3], String> {
    let n = args.len();
    args.try_into()
        .map_err(|_| format!("expected 3 arguments, got {n}"))
}

fn length(v: Val) -> EResult {
    Ok(Val::Num(match v {
        Val::List(l) => l.len(),
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
            Val::List(_) => out.extend(flatten(x)?),
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

/// Sets of strings are ordered lexically, as Terraform orders them.
fn toset(v: Val) -> EResult {
    let mut items = distinct(v.items()?);
    if items.iter().all(|x| matches!(x, Val::Str(_))) {
        items.sort_by(|a, b| {
            a.to_str()
                .unwrap_or_default()
                .cmp(&b.to_str().unwrap_or_default())
        });
    }
    Ok(Val::List(items))
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

fn title(s: &str) -> String {
    let mut out = String::new();
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

/// `format()` verbs: `%s %d %v %q %f %.Nf %t %%`, with optional width.
fn format_str(f: &str, args: &[Val]) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = f.chars().peekable();
    let mut next = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::new();
        while let Some(&d) = chars.peek() {
            if d.is_ascii_digit() || d == '.' || d == '-' || d == '#' {
                spec.push(d);
                chars.next();
            } else {
                break;
            }
        }
        let verb = chars.next().ok_or("format(): dangling %")?;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let a = args.get(next).ok_or("format(): too few arguments")?;
        next += 1;
        let text = match verb {
            's' | 'v' | 't' => match a {
                Val::List(_) | Val::Obj(_) | Val::Open(_) => a.to_json().0.to_string(),
                _ => a.to_str()?,
            },
            'd' => format!("{}", a.to_num()?.trunc() as i64),
            'q' => serde_json::to_string(&a.to_str()?).map_err(|e| e.to_string())?,
            'f' | 'g' | 'e' => {
                let prec = spec
                    .split_once('.')
                    .and_then(|(_, p)| p.parse::<usize>().ok())
                    .unwrap_or(6)
                    .min(64);
                format!("{:.*}", prec, a.to_num()?)
            }
            other => return Err(format!("format(): verb %{other} is not supported")),
        };
        let width: usize = spec
            .split('.')
            .next()
            .unwrap_or("")
            .trim_start_matches(['-', '#'])
            .parse::<usize>()
            .unwrap_or(0)
            .min(1024);
        if spec.starts_with('-') {
            out.push_str(&format!("{text:<width$}"));
        } else if spec.starts_with('0') && verb != 's' {
            out.push_str(&format!("{text:0>width$}"));
        } else {
            out.push_str(&format!("{text:>width$}"));
        }
    }
    Ok(out)
}

fn formatlist(args: Vec<Val>) -> EResult {
    let mut it = args.into_iter();
    let f = it.next().ok_or("formatlist() needs a format")?.to_str()?;
    let rest: Vec<Val> = it.collect();
    let n = rest
        .iter()
        .filter_map(|a| match a {
            Val::List(l) => Some(l.len()),
            _ => None,
        })
        .max()
        .unwrap_or(1);
    let mut out = Vec::new();
    for i in 0..n {
        let row: Vec<Val> = rest
            .iter()
            .map(|a| match a {
                Val::List(l) => l.get(i).cloned().unwrap_or(Val::Null),
                v => v.clone(),
            })
            .collect();
        out.push(Val::Str(format_str(&f, &row)?));
    }
    Ok(Val::List(out))
}

fn parse_cidr(p: &str) -> Result<(u32, u32), String> {
    let (ip, len) = p
        .split_once('/')
        .ok_or_else(|| "not a CIDR prefix".to_string())?;
    let ip: std::net::Ipv4Addr = ip
        .parse()
        .map_err(|_| "only IPv4 CIDR prefixes are supported".to_string())?;
    let len: u32 = len
        .parse()
        .map_err(|_| "bad CIDR prefix length".to_string())?;
    if len > 32 {
        return Err("bad CIDR prefix length".into());
    }
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    Ok((u32::from(ip) & mask, len))
}

fn cidrsubnet(p: &str, bits: u32, num: u64) -> Result<String, String> {
    let (net, len) = parse_cidr(p)?;
    let new_len = len + bits;
    if new_len > 32 || num >= (1u64 << bits) {
        return Err("cidrsubnet(): not enough address space".into());
    }
    let addr = net | ((num as u32) << (32 - new_len));
    Ok(format!("{}/{new_len}", std::net::Ipv4Addr::from(addr)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Val {
        Val::Str(x.into())
    }
    fn c(name: &str, args: Vec<Val>) -> Val {
        call(name, args, Path::new(".")).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn common_functions() {
        assert_eq!(
            c("format", vec![s("%s-%03d"), s("a"), Val::Num(7.0)]),
            s("a-007")
        );
        assert_eq!(
            c("join", vec![s(","), Val::List(vec![s("a"), s("b")])]),
            s("a,b")
        );
        assert_eq!(
            c(
                "cidrsubnet",
                vec![s("10.0.0.0/16"), Val::Num(8.0), Val::Num(2.0)]
            ),
            s("10.0.2.0/24")
        );
        assert_eq!(
            c("cidrhost", vec![s("10.0.1.0/24"), Val::Num(5.0)]),
            s("10.0.1.5")
        );
        assert_eq!(
            c("toset", vec![Val::List(vec![s("b"), s("a"), s("b")])]),
            Val::List(vec![s("a"), s("b")])
        );
        assert_eq!(
            c("substr", vec![s("hello"), Val::Num(1.0), Val::Num(3.0)]),
            s("ell")
        );
        assert_eq!(c("replace", vec![s("a-b-c"), s("/-/"), s("_")]), s("a_b_c"));
        assert_eq!(
            c(
                "jsonencode",
                vec![Val::Obj(BTreeMap::from([("a".into(), Val::Num(1.0))]))]
            ),
            s("{\"a\":1}")
        );
        assert_eq!(c("max", vec![Val::Num(1.0), Val::Num(4.0)]), Val::Num(4.0));
        assert_eq!(c("coalesce", vec![Val::Null, s(""), s("x")]), s("x"));
        assert_eq!(
            c(
                "element",
                vec![Val::List(vec![s("a"), s("b")]), Val::Num(3.0)]
            ),
            s("b")
        );
        assert_eq!(c("base64encode", vec![s("hi")]), s("aGk="));
    }

    #[test]
    fn unknown_in_unknown_out() {
        assert_eq!(c("upper", vec![Val::Unknown]), Val::Unknown);
        assert_eq!(
            c("join", vec![s(","), Val::List(vec![Val::Unknown])]),
            Val::Unknown
        );
        // A list with an unknown element still has a known length.
        assert_eq!(
            c("length", vec![Val::List(vec![Val::Unknown])]),
            Val::Num(1.0)
        );
        assert_eq!(c("coalesce", vec![Val::Unknown, s("x")]), Val::Unknown);
        assert_eq!(c("timestamp", vec![]), Val::Unknown);
        assert!(call("nosuchfn", vec![], Path::new(".")).is_err());
    }
}
