//! Expression evaluation for HCL mode: Terraform's value model with *unknown* values.
//!
//! We evaluate `hcl::Expression` trees ourselves (rather than with `hcl::eval`) because
//! Terraform semantics need a value that is known only after apply: anything computed by a
//! provider (`aws_instance.x.id`), read from a data source, or derived from such a value is
//! [`Val::Unknown`], and stays unknown through operators and functions. It is never replaced by
//! a guess. Names (`var.x`, `local.y`, `module.m.out`, resource references) are resolved by an
//! [`Env`]; the evaluator records which resources an expression refers to and whether it read
//! a sensitive value.

use std::collections::BTreeMap;

pub use super::value::{fmt_num, iterate, val_eq, EResult, Val};
use super::value::{get_attr, index};
use base64::Engine;
use hcl::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, Operation, TraversalOperator,
    UnaryOperator,
};
use hcl::template::{Directive, Element, Template};

use super::load::original_key;

/// What an [`Env`] found for a root name.
pub struct Found {
    pub val: Val,
    /// How many traversal operators after the root name were used (0 or 1).
    pub consumed: usize,
    /// The module-qualified address of the resource this is (`module.m.aws_x.y`), if any.
    pub resource: Option<String>,
    pub sensitive: bool,
    /// Resources the value was computed from (a local or output that refers to them), so
    /// links survive indirection.
    pub refs: Vec<String>,
    /// Attributes of the value found (a resource's, a module's outputs) that are sensitive:
    /// reading one of them, or the whole value, is reading a sensitive value.
    pub sensitive_attrs: Vec<String>,
}

impl Found {
    pub fn value(val: Val, consumed: usize) -> Found {
        Found {
            val,
            consumed,
            resource: None,
            sensitive: false,
            refs: Vec::new(),
            sensitive_attrs: Vec::new(),
        }
    }
}

/// Resolves the names an expression may use (`var`, `local`, `module`, resources, `path`...).
pub trait Env {
    /// `root` is the first name of a traversal, `attr` the attribute right after it, if any.
    fn lookup(&self, root: &str, attr: Option<&str>) -> Result<Found, String>;
    /// Directory relative file functions read from.
    fn base_dir(&self) -> std::path::PathBuf {
        std::path::PathBuf::from(".")
    }
    /// Where file functions may read; `None`: nowhere.
    fn sandbox(&self) -> Option<&super::sandbox::Sandbox> {
        None
    }
}

/// An environment with no names at all (tfvars values, `--var` values).
pub struct NoEnv;

impl Env for NoEnv {
    fn lookup(&self, root: &str, _attr: Option<&str>) -> Result<Found, String> {
        Err(format!("`{root}` cannot be used here"))
    }
}

/// Evaluates expressions against an [`Env`], with local names (`count`, `each`, for-expression
/// and dynamic-block iterators) layered on top.
pub struct Ev<'e> {
    env: &'e dyn Env,
    frames: Vec<(String, Val)>,
    /// Resource addresses referred to since the last [`take_refs`](Self::take_refs).
    refs: Vec<String>,
    /// Whether a sensitive value was read since the last reset.
    pub sensitive: bool,
}

impl<'e> Ev<'e> {
    pub fn new(env: &'e dyn Env) -> Self {
        Ev {
            env,
            frames: Vec::new(),
            refs: Vec::new(),
            sensitive: false,
        }
    }

    pub fn with_frame(mut self, name: &str, v: Val) -> Self {
        self.push(name, v);
        self
    }

    pub fn push(&mut self, name: &str, v: Val) {
        self.frames.push((name.to_string(), v));
    }

    pub fn pop(&mut self) {
        self.frames.pop();
    }

    pub fn take_refs(&mut self) -> Vec<String> {
        std::mem::take(&mut self.refs)
    }

    fn frame(&self, name: &str) -> Option<&Val> {
        self.frames
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    pub fn eval(&mut self, e: &Expression) -> EResult {
        match e {
            Expression::Null => Ok(Val::Null),
            Expression::Bool(b) => Ok(Val::Bool(*b)),
            Expression::Number(n) => Ok(Val::Num(n.as_f64().unwrap_or(0.0))),
            Expression::String(s) => Ok(Val::Str(s.clone())),
            Expression::Array(items) => Ok(Val::List(
                items
                    .iter()
                    .map(|i| self.eval(i))
                    .collect::<Result<_, _>>()?,
            )),
            Expression::Object(o) => {
                let mut m = BTreeMap::new();
                for (k, v) in o {
                    let key = match k {
                        ObjectKey::Identifier(id) => original_key(id.as_str()).to_string(),
                        ObjectKey::Expression(Expression::Variable(v)) => {
                            original_key(v.as_str()).to_string()
                        }
                        ObjectKey::Expression(Expression::String(s)) => original_key(s).to_string(),
                        ObjectKey::Expression(e) => match self.eval(e)? {
                            Val::Unknown => return Ok(Val::Unknown),
                            k => k.to_str()?,
                        },
                        _ => return Err("unsupported object key".into()),
                    };
                    m.insert(key, self.eval(v)?);
                }
                Ok(Val::Obj(m))
            }
            Expression::TemplateExpr(t) => {
                let tpl = Template::from_expr(t).map_err(|e| e.to_string())?;
                self.template(&tpl)
            }
            Expression::Variable(v) => self.traverse_root(v.as_str(), &[]),
            Expression::Traversal(t) => match &t.expr {
                Expression::Variable(v) => self.traverse_root(v.as_str(), &t.operators),
                other => {
                    let base = self.eval(other)?;
                    self.apply_ops(base, &t.operators)
                }
            },
            Expression::FuncCall(f) => self.call(f),
            Expression::Parenthesis(e) => self.eval(e),
            Expression::Conditional(c) => match self.eval(&c.cond_expr)? {
                Val::Unknown => Ok(Val::Unknown),
                v => {
                    if v.to_bool()? {
                        self.eval(&c.true_expr)
                    } else {
                        self.eval(&c.false_expr)
                    }
                }
            },
            Expression::Operation(op) => self.operation(op),
            Expression::ForExpr(f) => self.for_expr(f),
            _ => Err("unsupported expression".into()),
        }
    }

    fn traverse_root(&mut self, root: &str, ops: &[TraversalOperator]) -> EResult {
        if let Some(v) = self.frame(root).cloned() {
            return self.apply_ops(v, ops);
        }
        // `resource.TYPE.NAME` (Terraform 1.x) is the same as `TYPE.NAME`.
        if root == "resource" {
            if let Some(TraversalOperator::GetAttr(t)) = ops.first() {
                return self.traverse_root(t.as_str(), &ops[1..]);
            }
        }
        let attr = match ops.first() {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        let found = self.env.lookup(root, attr)?;
        self.sensitive |= found.sensitive;
        self.refs.extend(found.refs);
        let rest = &ops[found.consumed.min(ops.len())..];
        if !found.sensitive_attrs.is_empty() {
            // `aws_x.y[0].attr`, `module.m["k"].out`: the first attribute read decides.
            let first = rest.iter().find_map(|op| match op {
                TraversalOperator::GetAttr(a) => Some(a.as_str()),
                _ => None,
            });
            self.sensitive |= first.is_none_or(|a| found.sensitive_attrs.iter().any(|s| s == a));
        }
        if let Some(addr) = found.resource {
            // As terraform's `references`: the indexed instance first, then the resource.
            if let Some(TraversalOperator::Index(i)) = rest.first() {
                let key = match self.eval(i) {
                    Ok(Val::Num(n)) => Some(fmt_num(n)),
                    Ok(Val::Str(s)) => Some(format!("{s:?}")),
                    _ => None,
                };
                if let Some(k) = key {
                    self.refs.push(format!("{addr}[{k}]"));
                }
            }
            self.refs.push(addr);
        }
        self.apply_ops(found.val, rest)
    }

    fn apply_ops(&mut self, mut v: Val, ops: &[TraversalOperator]) -> EResult {
        for (i, op) in ops.iter().enumerate() {
            v = match op {
                TraversalOperator::GetAttr(a) => get_attr(v, a.as_str())?,
                TraversalOperator::Index(e) => {
                    let idx = self.eval(e)?;
                    index(v, &idx)?
                }
                TraversalOperator::LegacyIndex(n) => index(v, &Val::Num(*n as f64))?,
                TraversalOperator::AttrSplat | TraversalOperator::FullSplat => {
                    let rest = &ops[i + 1..];
                    return match v {
                        Val::Unknown => Ok(Val::Unknown),
                        Val::Null => Ok(Val::List(vec![])),
                        Val::List(items) | Val::Set(items) => Ok(Val::List(
                            items
                                .into_iter()
                                .map(|x| self.apply_ops(x, rest))
                                .collect::<Result<_, _>>()?,
                        )),
                        other => Ok(Val::List(vec![self.apply_ops(other, rest)?])),
                    };
                }
            };
        }
        Ok(v)
    }

    fn template(&mut self, t: &Template) -> EResult {
        let els = t.elements();
        if let [Element::Interpolation(i)] = els {
            return self.eval(&i.expr);
        }
        let mut out = String::new();
        for (n, el) in els.iter().enumerate() {
            match el {
                Element::Literal(s) => {
                    let mut s = s.as_str();
                    if n > 0 && strips(&els[n - 1]).1 {
                        s = s.trim_start();
                    }
                    if els.get(n + 1).is_some_and(|e| strips(e).0) {
                        s = s.trim_end();
                    }
                    out.push_str(s);
                }
                Element::Interpolation(i) => match self.eval(&i.expr)? {
                    Val::Unknown => return Ok(Val::Unknown),
                    v => out.push_str(&v.to_str()?),
                },
                Element::Directive(dir) => match dir.as_ref() {
                    Directive::If(d) => match self.eval(&d.cond_expr)? {
                        Val::Unknown => return Ok(Val::Unknown),
                        c => {
                            let branch = if c.to_bool()? {
                                Some(&d.true_template)
                            } else {
                                d.false_template.as_ref()
                            };
                            if let Some(b) = branch {
                                match self.template(b)? {
                                    Val::Unknown => return Ok(Val::Unknown),
                                    v => out.push_str(&v.to_str()?),
                                }
                            }
                        }
                    },
                    Directive::For(d) => {
                        let coll = self.eval(&d.collection_expr)?;
                        for (k, v) in iterate(&coll)? {
                            let pushed = self.bind(d.key_var.as_ref().map(|i| i.as_str()), k);
                            self.push(d.value_var.as_str(), v);
                            let r = self.template(&d.template);
                            self.pop();
                            if pushed {
                                self.pop();
                            }
                            match r? {
                                Val::Unknown => return Ok(Val::Unknown),
                                v => out.push_str(&v.to_str()?),
                            }
                        }
                    }
                },
            }
        }
        Ok(Val::Str(out))
    }

    fn bind(&mut self, name: Option<&str>, v: Val) -> bool {
        match name {
            Some(n) => {
                self.push(n, v);
                true
            }
            None => false,
        }
    }

    fn for_expr(&mut self, f: &ForExpr) -> EResult {
        let coll = self.eval(&f.collection_expr)?;
        if coll == Val::Unknown {
            return Ok(Val::Unknown);
        }
        let mut list = Vec::new();
        let mut obj: BTreeMap<String, Val> = BTreeMap::new();
        for (k, v) in iterate(&coll)? {
            let pushed = self.bind(f.key_var.as_ref().map(|i| i.as_str()), k);
            self.push(f.value_var.as_str(), v);
            let r = self.for_item(f, &mut list, &mut obj);
            self.pop();
            if pushed {
                self.pop();
            }
            if r? {
                return Ok(Val::Unknown);
            }
        }
        Ok(if f.key_expr.is_some() {
            Val::Obj(obj)
        } else {
            Val::List(list)
        })
    }

    /// One element of a for expression; `Ok(true)` when the result becomes unknown.
    fn for_item(
        &mut self,
        f: &ForExpr,
        list: &mut Vec<Val>,
        obj: &mut BTreeMap<String, Val>,
    ) -> Result<bool, String> {
        if let Some(c) = &f.cond_expr {
            match self.eval(c)? {
                Val::Unknown => return Ok(true),
                c if !c.to_bool()? => return Ok(false),
                _ => {}
            }
        }
        let v = self.eval(&f.value_expr)?;
        match &f.key_expr {
            None => list.push(v),
            Some(ke) => {
                let k = match self.eval(ke)? {
                    Val::Unknown => return Ok(true),
                    k => k.to_str()?,
                };
                if f.grouping {
                    match obj.entry(k).or_insert_with(|| Val::List(vec![])) {
                        Val::List(l) => l.push(v),
                        _ => unreachable!("grouped values are lists"),
                    }
                } else if obj.insert(k.clone(), v).is_some() {
                    return Err("duplicate key in for expression (use `...` to group)".to_string());
                }
            }
        }
        Ok(false)
    }

    fn operation(&mut self, op: &Operation) -> EResult {
        match op {
            Operation::Unary(u) => match (u.operator, self.eval(&u.expr)?) {
                (_, Val::Unknown) => Ok(Val::Unknown),
                (UnaryOperator::Neg, v) => Ok(Val::Num(-v.to_num()?)),
                (UnaryOperator::Not, v) => Ok(Val::Bool(!v.to_bool()?)),
            },
            Operation::Binary(b) => {
                let l = self.eval(&b.lhs_expr)?;
                let r = self.eval(&b.rhs_expr)?;
                binary(b.operator, l, r)
            }
        }
    }

    fn call(&mut self, f: &FuncCall) -> EResult {
        let name = f.name.name.as_str();
        if !f.name.namespace.is_empty() {
            return Err(format!("provider function `{}` is not supported", f.name));
        }
        match name {
            "try" => {
                let mut last = String::from("try needs at least one argument");
                for a in &f.args {
                    match self.eval(a) {
                        Ok(v) => return Ok(v),
                        // A refused file read is not a fallback case: the value is unknown.
                        Err(e) if e.contains(super::sandbox::REFUSED) => return Err(e),
                        Err(e) => last = e,
                    }
                }
                return Err(format!("no argument of try() could be evaluated: {last}"));
            }
            "can" => {
                let a = f.args.first().ok_or("can needs one argument")?;
                return Ok(match self.eval(a) {
                    Ok(v) if v.has_unknown() => Val::Unknown,
                    Ok(_) => Val::Bool(true),
                    Err(e) if e.contains(super::sandbox::REFUSED) => return Err(e),
                    Err(_) => Val::Bool(false),
                });
            }
            "sensitive" => self.sensitive = true,
            "templatefile" => return self.templatefile(f),
            _ => {}
        }
        let mut args = f
            .args
            .iter()
            .map(|a| self.eval(a))
            .collect::<Result<Vec<_>, _>>()?;
        if f.expand_final {
            match args.pop() {
                Some(Val::Unknown) => return Ok(Val::Unknown),
                Some(last) => args.extend(last.items()?),
                None => {}
            }
        }
        let base = self.env.base_dir();
        if super::sandbox::FILE_FUNCTIONS.contains(&name) {
            return super::sandbox::call(name, &args, &base, self.env.sandbox());
        }
        super::funcs::call(name, args, &base)
    }

    fn templatefile(&mut self, f: &FuncCall) -> EResult {
        let [path, vars] = f.args.as_slice() else {
            return Err("templatefile needs a path and a variables object".into());
        };
        let path = self.eval(path)?;
        let vars = self.eval(vars)?;
        if path.has_unknown() || vars.has_unknown() {
            return Ok(Val::Unknown);
        }
        let base = self.env.base_dir();
        let sandbox = self.env.sandbox().ok_or_else(|| {
            format!(
                "templatefile() cannot read files here ({})",
                super::sandbox::REFUSED
            )
        })?;
        sandbox.not_in_template()?;
        let text = sandbox.read_text(&base.join(path.to_str()?))?;
        // The parser's message may quote the file: say only where it fails.
        let tpl: Template = text
            .parse()
            .map_err(|_: hcl::Error| "templatefile(): the template is not valid".to_string())?;
        let env = super::sandbox::TemplateEnv {
            base,
            sandbox: Some(sandbox),
        };
        let mut inner = Ev::new(&env);
        for (k, v) in vars
            .as_map()
            .ok_or("templatefile variables must be an object")?
        {
            inner.push(k, v.clone());
        }
        let out = sandbox.in_template(|| inner.template(&tpl))?;
        self.sensitive |= inner.sensitive;
        Ok(out)
    }
}

/// (strips whitespace before it, strips whitespace after it) for a template element.
fn strips(e: &Element) -> (bool, bool) {
    match e {
        Element::Literal(_) => (false, false),
        Element::Interpolation(i) => (i.strip.strip_start(), i.strip.strip_end()),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => (d.if_strip.strip_start(), d.endif_strip.strip_end()),
            Directive::For(d) => (d.for_strip.strip_start(), d.endfor_strip.strip_end()),
        },
    }
}

fn binary(op: BinaryOperator, l: Val, r: Val) -> EResult {
    use BinaryOperator as B;
    // A false (true) side decides && (||) even when the other side is unknown.
    match (op, &l, &r) {
        (B::And, Val::Bool(false), _) | (B::And, _, Val::Bool(false)) => {
            return Ok(Val::Bool(false))
        }
        (B::Or, Val::Bool(true), _) | (B::Or, _, Val::Bool(true)) => return Ok(Val::Bool(true)),
        _ => {}
    }
    if l == Val::Unknown || r == Val::Unknown {
        return Ok(Val::Unknown);
    }
    Ok(match op {
        B::Eq => Val::Bool(val_eq(&l, &r)),
        B::NotEq => Val::Bool(!val_eq(&l, &r)),
        B::And => Val::Bool(l.to_bool()? && r.to_bool()?),
        B::Or => Val::Bool(l.to_bool()? || r.to_bool()?),
        _ => {
            let (x, y) = (l.to_num()?, r.to_num()?);
            match op {
                B::Less => Val::Bool(x < y),
                B::LessEq => Val::Bool(x <= y),
                B::Greater => Val::Bool(x > y),
                B::GreaterEq => Val::Bool(x >= y),
                B::Plus => Val::Num(x + y),
                B::Minus => Val::Num(x - y),
                B::Mul => Val::Num(x * y),
                B::Div if y == 0.0 => return Err("division by zero".into()),
                B::Div => Val::Num(x / y),
                B::Mod if y == 0.0 => return Err("modulo by zero".into()),
                B::Mod => Val::Num(x % y),
                _ => unreachable!("all operators handled"),
            }
        }
    })
}

/// Standard base64 of bytes.
pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Vars;
    impl Env for Vars {
        fn lookup(&self, root: &str, attr: Option<&str>) -> Result<Found, String> {
            match (root, attr) {
                ("var", Some("env")) => Ok(Found::value(Val::Str("prod".into()), 1)),
                ("var", Some("n")) => Ok(Found::value(Val::Num(3.0), 1)),
                ("var", Some("secret")) => Ok(Found {
                    sensitive: true,
                    ..Found::value(Val::Str("x".into()), 1)
                }),
                ("aws_launch_template", Some(n)) => Ok(Found {
                    resource: Some(format!("aws_launch_template.{n}")),
                    ..Found::value(
                        Val::Open(BTreeMap::from([(
                            "instance_type".to_string(),
                            Val::Str("g5.xlarge".into()),
                        )])),
                        1,
                    )
                }),
                ("data", _) => Ok(Found::value(Val::Unknown, 1)),
                _ => Err(format!("unknown name {root}")),
            }
        }
    }

    fn ev(src: &str) -> (EResult, Vec<String>, bool) {
        let body: hcl::Body = hcl::parse(&format!("x = {src}\n")).unwrap();
        let expr = body.attributes().next().unwrap().expr.clone();
        let mut e = Ev::new(&Vars);
        let r = e.eval(&expr);
        (r, e.take_refs(), e.sensitive)
    }

    fn ok(src: &str) -> Val {
        ev(src).0.unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    #[test]
    fn operators_conditionals_templates() {
        assert_eq!(ok("var.n * 2 + 1"), Val::Num(7.0));
        assert_eq!(ok("10 - 2 - 3"), Val::Num(5.0));
        assert_eq!(ok("1 + 2 * 3 == 7 && !false"), Val::Bool(true));
        assert_eq!(ok("(1 + 2) * 3"), Val::Num(9.0));
        assert_eq!(ok("-var.n + 1"), Val::Num(-2.0));
        assert_eq!(ok("false && data.x.y.z"), Val::Bool(false));
        assert_eq!(ok("!can(var.n.x)"), Val::Bool(true));
        assert_eq!(ok("var.env == \"prod\" ? 500 : 200"), Val::Num(500.0));
        assert_eq!(ok("\"${var.env}-${var.n}\""), Val::Str("prod-3".into()));
        assert_eq!(ok("\"${var.n}\""), Val::Num(3.0));
        assert_eq!(
            ok("[for i in [1, 2, 3] : i * 2 if i > 1]"),
            Val::List(vec![Val::Num(4.0), Val::Num(6.0)])
        );
        assert_eq!(
            ok("{for k, v in {a = 1} : upper(k) => v}")["A"],
            Val::Num(1.0)
        );
        assert_eq!(ok("[{a = 1}, {a = 2}][*].a")[1], Val::Num(2.0));
    }

    /// Sets bind both `for` symbols to the element (lists: index, maps: key), as Terraform does:
    /// the kms module's `{ for k, v in toset(var.aliases) : k => ... }` keys by alias.
    #[test]
    fn for_over_a_set_binds_the_element_to_both_symbols() {
        let m = ok(r#"{ for k, v in toset(["p4d.24xlarge", "g5.xlarge"]) : k => v }"#);
        assert_eq!(m["p4d.24xlarge"], Val::Str("p4d.24xlarge".into()));
        assert_eq!(m["g5.xlarge"], Val::Str("g5.xlarge".into()));
        assert_eq!(
            ok(r#"[for k, v in ["a", "b"] : k]"#),
            Val::List(vec![Val::Num(0.0), Val::Num(1.0)])
        );
        assert_eq!(
            ok(r#"[for k, v in setunion(["b"], ["a"]) : "${k}=${v}"]"#),
            Val::List(vec![Val::Str("a=a".into()), Val::Str("b=b".into())])
        );
        assert_eq!(
            ok(r#"join(",", [for k, v in tolist(toset(["x", "y"])) : k])"#),
            Val::Str("0,1".into())
        );
        assert_eq!(
            ok(r#""%{for k, v in toset(["q"])}${k}%{endfor}""#),
            Val::Str("q".into())
        );
        // A set has no index.
        assert!(ev(r#"toset(["a"])[0]"#).0.is_err());
        assert_eq!(ok(r#"length(toset(["a", "a", "b"]))"#), Val::Num(2.0));
    }

    /// Shapes hcl-rs 0.18 could not parse or nested without precedence (the EKS, VPC and GKE
    /// modules use all of them); 0.20 parses them with HCL's precedence.
    #[test]
    fn nested_conditionals_and_precedence_parse_as_terraform_does() {
        assert_eq!(
            ok("1 == 2 ? \"n\" : true ? \"y\" : \"z\""),
            Val::Str("y".into())
        );
        assert_eq!(ok("1 == 1 ? true ? 1 : 2 : 0"), Val::Num(1.0));
        assert_eq!(
            ok("coalesce(var.n > 5 || var.env == \"prod\" ? \"big\" : \"small\", \"x\")"),
            Val::Str("big".into())
        );
        assert_eq!(
            ok("(\n  var.n == 3\n  ? \"three\"\n  : var.n == 4 ? \"four\" : \"other\"\n)"),
            Val::Str("three".into())
        );
        assert_eq!(ok("10 - (2 - 3)"), Val::Num(11.0));
        assert_eq!(ok("2 * 3 + 4 * 5"), Val::Num(26.0));
        assert_eq!(ok("20 / 2 / 5"), Val::Num(2.0));
        assert_eq!(ok("1 + 1 == 2 && 3 > 2 || false"), Val::Bool(true));
        assert_eq!(ok("-var.n * 2"), Val::Num(-6.0));
        assert_eq!(ok("!{a = false}.a"), Val::Bool(true));
    }

    #[test]
    fn unknown_propagates_and_refs_are_recorded() {
        let (v, refs, _) = ev("aws_launch_template.gpu.id");
        assert_eq!(v.unwrap(), Val::Unknown);
        assert_eq!(refs, vec!["aws_launch_template.gpu"]);
        assert_eq!(
            ok("aws_launch_template.gpu.instance_type"),
            Val::Str("g5.xlarge".into())
        );
        assert_eq!(
            ok("data.aws_region.current.name == \"x\" ? 1 : 2"),
            Val::Unknown
        );
        assert_eq!(ok("\"${data.x.y.id}-a\""), Val::Unknown);
        assert_eq!(ok("upper(data.x.y.id)"), Val::Unknown);
        assert!(ev("var.secret").2);
    }

    #[test]
    fn errors_are_errors_not_guesses() {
        assert!(ev("var.missing").0.is_err());
        assert!(ev("{a = 1}.b").0.is_err());
        assert_eq!(
            ok("try({a = 1}.b, \"fallback\")"),
            Val::Str("fallback".into())
        );
        assert_eq!(ok("can({a = 1}.b)"), Val::Bool(false));
        assert!(ev("1 / 0").0.is_err());
    }

    #[test]
    fn json_mask_marks_unknown_leaves() {
        let v = Val::Obj(BTreeMap::from([
            ("a".to_string(), Val::Num(1.0)),
            ("b".to_string(), Val::List(vec![Val::Unknown])),
        ]));
        let (j, m) = v.to_json();
        assert_eq!(j, serde_json::json!({"a": 1, "b": [null]}));
        assert_eq!(m, serde_json::json!({"b": [true]}));
    }

    impl std::ops::Index<&str> for Val {
        type Output = Val;
        fn index(&self, k: &str) -> &Val {
            &self.as_map().unwrap()[k]
        }
    }
    impl std::ops::Index<usize> for Val {
        type Output = Val;
        fn index(&self, i: usize) -> &Val {
            match self {
                Val::List(l) => &l[i],
                _ => panic!("not a list"),
            }
        }
    }
}
