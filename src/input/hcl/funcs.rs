//! Terraform's built-in functions for HCL mode, over [`Val`] with unknown propagation.
//!
//! String and number functions give an unknown result when any argument contains an unknown
//! value; collection functions only when an argument itself is unknown (a list with an unknown
//! element still has a known length). Functions not listed here are an error, which the
//! caller turns into an unknown attribute with a warning: never a guessed value.

use std::path::Path;

use super::eval::{b64, EResult, Val};

mod collections;

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
        // Digests and encodings no price depends on: not computed here, so unknown (never a
        // made-up value).
        "md5" | "sha1" | "sha256" | "sha512" | "base64sha256" | "base64sha512" | "filemd5"
        | "filesha1" | "filesha256" | "filesha512" | "filebase64sha256" | "filebase64sha512"
        | "uuidv5" | "base64gzip" | "rsadecrypt" | "textencodebase64" | "textdecodebase64"
        | "formatdate" | "timeadd" | "timecmp" => Ok(Val::Unknown),
        "ephemeralasnull" => one(args),
        "sensitive" | "nonsensitive" => one(args),
        "tolist" => match one(args)? {
            Val::Set(l) => Ok(Val::List(l)),
            other => Ok(other),
        },
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
        _ if collections::NAMES.contains(&name) => collections::call(name, args),
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

pub(super) fn one(args: Vec<Val>) -> EResult {
    let n = args.len();
    let mut it = args.into_iter();
    match (it.next(), n) {
        (Some(v), 1) => Ok(v),
        _ => Err(format!("expected 1 argument, got {n}")),
    }
}

pub(super) fn two(args: Vec<Val>) -> Result<[Val; 2], String> {
    let n = args.len();
    args.try_into()
        .map_err(|_| format!("expected 2 arguments, got {n}"))
}

pub(super) fn three(args: Vec<Val>) -> Result<[Val; 3], String> {
    let n = args.len();
    args.try_into()
        .map_err(|_| format!("expected 3 arguments, got {n}"))
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
                Val::List(_) | Val::Set(_) | Val::Obj(_) | Val::Open(_) => {
                    a.to_json().0.to_string()
                }
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
            Val::List(l) | Val::Set(l) => Some(l.len()),
            _ => None,
        })
        .max()
        .unwrap_or(1);
    let mut out = Vec::new();
    for i in 0..n {
        let row: Vec<Val> = rest
            .iter()
            .map(|a| match a {
                Val::List(l) | Val::Set(l) => l.get(i).cloned().unwrap_or(Val::Null),
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
    use std::collections::BTreeMap;

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
            Val::Set(vec![s("a"), s("b")])
        );
        // The set functions the GKE module's dynamic blocks use.
        let l = |xs: &[&str]| Val::List(xs.iter().map(|x| s(x)).collect());
        let set = |xs: &[&str]| Val::Set(xs.iter().map(|x| s(x)).collect());
        assert_eq!(
            c(
                "setintersection",
                vec![l(&["a", "b", "c"]), l(&["c", "a", "z"])]
            ),
            set(&["a", "c"])
        );
        assert_eq!(
            c("setsubtract", vec![l(&["a", "b"]), l(&["b"])]),
            set(&["a"])
        );
        assert_eq!(
            c("setproduct", vec![l(&["a", "b"]), l(&["1"])]),
            Val::List(vec![l(&["a", "1"]), l(&["b", "1"])])
        );
        assert_eq!(
            c("chunklist", vec![l(&["a", "b", "c"]), Val::Num(2.0)]),
            Val::List(vec![l(&["a", "b"]), l(&["c"])])
        );
        assert_eq!(
            c(
                "matchkeys",
                vec![l(&["i1", "i2"]), l(&["us", "eu"]), l(&["eu"])]
            ),
            l(&["i2"])
        );
        assert_eq!(c("sha256", vec![s("x")]), Val::Unknown);
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
