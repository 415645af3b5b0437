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

use base64::Engine;
use hcl::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, Operation, TraversalOperator,
    UnaryOperator,
};
use hcl::template::{Directive, Element, Template};
use serde_json::Value;

/// A Terraform value during evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    /// Lists, tuples and sets (sets are kept sorted and de-duplicated by `toset`).
    List(Vec<Val>),
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
            Val::List(l) => l.iter().any(Val::has_unknown),
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
            Val::List(l) => Ok(l.clone()),
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
            Val::List(l) => {
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

/// What an [`Env`] found for a root name.
pub struct Found {
    pub val: Val,
    /// How many traversal operators after the root name were used (0 or 1).
    pub consumed: usize,
    /// The module-qualified address of the resource this is (`module.m.aws_x.y`), if any.
    pub resource: Option<String>,
    pub sensitive: bool,
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
                        ObjectKey::Identifier(id) => id.as_str().to_string(),
                        ObjectKey::Expression(Expression::Variable(v)) => v.as_str().to_string(),
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
                // The parser binds `-a.b` / `!a.b` as `(-a).b`: apply the operator last.
                Expression::Operation(op) if matches!(op.as_ref(), Operation::Unary(_)) => {
                    let Operation::Unary(u) = op.as_ref() else {
                        unreachable!("matched unary")
                    };
                    let inner = hcl::expr::Traversal::new(u.expr.clone(), t.operators.clone());
                    let fixed = hcl::expr::UnaryOp::new(u.operator, inner);
                    self.operation(&Operation::Unary(fixed))
                }
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
        let attr = match ops.first() {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        let found = self.env.lookup(root, attr)?;
        self.sensitive |= found.sensitive;
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
                        Val::List(items) => Ok(Val::List(
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
                Element::Directive(Directive::If(d)) => match self.eval(&d.cond_expr)? {
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
                Element::Directive(Directive::For(d)) => {
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
                // The parser nests chains to the right without precedence (`a * b + c` comes
                // as `a * (b + c)`): flatten the chain and re-associate by precedence, left
                // to right. Parenthesised sub-expressions are separate nodes and stay intact.
                let mut operands = Vec::new();
                let mut ops = Vec::new();
                flatten_chain(b, &mut operands, &mut ops);
                let vals = operands
                    .into_iter()
                    .map(|e| self.eval(e))
                    .collect::<Result<Vec<_>, _>>()?;
                reduce_chain(vals, &ops)
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
        Element::Directive(Directive::If(d)) => {
            (d.if_strip.strip_start(), d.endif_strip.strip_end())
        }
        Element::Directive(Directive::For(d)) => {
            (d.for_strip.strip_start(), d.endfor_strip.strip_end())
        }
    }
}

/// (key, value) pairs of a list (index keys) or map.
pub fn iterate(v: &Val) -> Result<Vec<(Val, Val)>, String> {
    match v {
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

fn get_attr(v: Val, a: &str) -> EResult {
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

fn index(v: Val, idx: &Val) -> EResult {
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
        (Val::List(x), Val::List(y)) => {
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

fn flatten_chain<'x>(
    b: &'x hcl::expr::BinaryOp,
    operands: &mut Vec<&'x Expression>,
    ops: &mut Vec<BinaryOperator>,
) {
    operands.push(&b.lhs_expr);
    ops.push(b.operator);
    match &b.rhs_expr {
        Expression::Operation(o) => match o.as_ref() {
            Operation::Binary(rb) => flatten_chain(rb, operands, ops),
            Operation::Unary(_) => operands.push(&b.rhs_expr),
        },
        e => operands.push(e),
    }
}

/// Evaluate `v0 op0 v1 op1 v2 ...` by operator precedence, left-associative.
fn reduce_chain(vals: Vec<Val>, ops: &[BinaryOperator]) -> EResult {
    let mut it = vals.into_iter();
    let mut stack = vec![it.next().ok_or("empty operation")?];
    let mut pending: Vec<BinaryOperator> = Vec::new();
    fn reduce(stack: &mut Vec<Val>, op: BinaryOperator) -> Result<(), String> {
        let r = stack.pop().ok_or("operand missing")?;
        let l = stack.pop().ok_or("operand missing")?;
        stack.push(binary(op, l, r)?);
        Ok(())
    }
    for op in ops {
        while let Some(top) = pending.last().copied() {
            if top.precedence() < op.precedence() {
                break;
            }
            pending.pop();
            reduce(&mut stack, top)?;
        }
        pending.push(*op);
        stack.push(it.next().ok_or("operand missing")?);
    }
    while let Some(top) = pending.pop() {
        reduce(&mut stack, top)?;
    }
    stack.pop().ok_or_else(|| "operand missing".into())
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
