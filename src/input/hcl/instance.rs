//! Module instances: one evaluated copy of a module (the root, or one `count`/`for_each`
//! element of a `module` block) with its variable values and providers. An instance is the
//! [`Env`] its expressions are evaluated in: it resolves `var.*`, `local.*` (lazily, memoised),
//! `module.*` outputs, other resources' configured attributes, `path.*` and `terraform.*`.

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl::expr::{Expression, ObjectKey, TraversalOperator};
use hcl::Body;

use super::eval::{iterate, Env, Ev, Found, NoEnv, Val};
use super::load::attr;
use super::modules::ModuleTree;
use super::vars::{convert, VarVal};

/// State shared by all instances of one load.
#[derive(Debug, Default)]
pub struct Shared {
    pub warnings: RefCell<Vec<String>>,
    pub root_dir: PathBuf,
    /// `terraform.workspace`.
    pub workspace: String,
    /// Where file functions may read.
    pub sandbox: super::sandbox::Sandbox,
    /// Module and resource instances that may still be created (see [`Shared::spend`]).
    pub budget: std::cell::Cell<usize>,
    /// Set once the budget ran out: the load stops and fails.
    pub exceeded: std::cell::Cell<bool>,
}

impl Shared {
    /// Count `n` more instances; `false` (and remembered) once past the bound, so a resource
    /// bomb (nested counts, a module tree that doubles at every level) ends fast.
    pub fn spend(&self, n: usize) -> bool {
        let left = self.budget.get();
        if self.exceeded.get() || n > left {
            self.exceeded.set(true);
            return false;
        }
        self.budget.set(left - n);
        true
    }

    pub fn warn(&self, w: String) {
        let mut ws = self.warnings.borrow_mut();
        if !ws.contains(&w) {
            ws.push(w);
        }
    }
}

/// Region and default tags of one provider configuration.
#[derive(Debug, Clone, Default)]
pub struct ProviderFacts {
    pub region: Option<String>,
    pub default_tags: BTreeMap<String, String>,
}

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
    fn shape(&self, items: Vec<Val>) -> Val {
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
            (Ok(v), _) if v.has_unknown() => {
                Expand::Unknown("for_each is unknown until apply".into())
            }
            (Ok(Val::Obj(m) | Val::Open(m)), _) => Expand::ForEach(m.into_iter().collect()),
            (Ok(Val::List(l)), _) => {
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
        m.insert(key.to_string(), v);
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
    let (Some(content), Some(Ok(coll))) = (content, coll) else {
        out.errors.push(format!(
            "{}: dynamic block needs for_each and content",
            join(path, &name)
        ));
        *slot = None;
        return;
    };
    let Ok(items) =
        iterate(&coll).map_err(|_| ()).and_then(
            |i| {
                if coll.has_unknown() {
                    Err(())
                } else {
                    Ok(i)
                }
            },
        )
    else {
        // The number of blocks is not known until apply.
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

fn dedup_keep_order(v: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

/// `aws` or `aws.west` from a provider reference expression.
pub fn provider_ref(e: &Expression) -> Option<String> {
    match e {
        Expression::Variable(v) => Some(v.as_str().to_string()),
        Expression::Traversal(t) => match (&t.expr, t.operators.as_slice()) {
            (Expression::Variable(v), [TraversalOperator::GetAttr(a)]) => {
                Some(format!("{}.{}", v.as_str(), a.as_str()))
            }
            _ => None,
        },
        Expression::String(s) => Some(s.clone()),
        _ => None,
    }
}

type ProviderCell = Rc<OnceCell<BTreeMap<String, ProviderFacts>>>;

/// Memoised value: `None` while being computed (a cycle if met again).
type Memo = Option<VarVal>;

/// A resource's or a module's value and its sensitive attributes (or outputs).
type Marked = (Val, Vec<String>);

/// The expanded instances of one `module` block.
#[derive(Debug)]
pub struct Children {
    pub expand: Expand,
    pub items: Vec<Rc<Inst>>,
    /// The module's source could not be read.
    pub missing: bool,
}

/// One module instance.
#[derive(Debug)]
pub struct Inst {
    pub tree: Rc<ModuleTree>,
    /// `""` for the root, else e.g. `module.a["x"].module.b[0]`.
    pub addr: String,
    vars: BTreeMap<String, VarVal>,
    /// The calling instance's providers and `providers = {...}` map (child key → parent key).
    /// Read lazily, so a provider block may use a module output without re-entrance.
    parent: Option<(ProviderCell, BTreeMap<String, String>)>,
    providers: ProviderCell,
    /// Module calls whose instances are being created (a cycle if met again).
    creating: RefCell<std::collections::HashSet<String>>,
    locals: RefCell<HashMap<String, Memo>>,
    resources: RefCell<HashMap<String, Option<Marked>>>,
    children: RefCell<HashMap<String, Rc<Children>>>,
    pub shared: Rc<Shared>,
}

impl Inst {
    pub fn root(tree: Rc<ModuleTree>, vars: BTreeMap<String, VarVal>, shared: Rc<Shared>) -> Inst {
        Inst {
            tree,
            addr: String::new(),
            vars,
            parent: None,
            providers: ProviderCell::default(),
            creating: RefCell::default(),
            locals: RefCell::default(),
            resources: RefCell::default(),
            children: RefCell::default(),
            shared,
        }
    }

    /// `module.x.` style prefix for addresses in this instance.
    pub fn prefix(&self) -> String {
        if self.addr.is_empty() {
            String::new()
        } else {
            format!("{}.", self.addr)
        }
    }

    pub fn warn(&self, w: String) {
        self.shared.warn(w);
    }

    /// Provider configurations visible here, by `name` or `name.alias`.
    pub fn providers(&self) -> &BTreeMap<String, ProviderFacts> {
        self.providers.get_or_init(|| {
            let mut map = BTreeMap::new();
            if let Some((cell, mapping)) = &self.parent {
                if let Some(parent) = cell.get() {
                    // Default (un-aliased) providers pass down; the map adds the others.
                    for (k, v) in parent.iter().filter(|(k, _)| !k.contains('.')) {
                        map.insert(k.clone(), v.clone());
                    }
                    for (k, from) in mapping {
                        if let Some(f) = parent.get(from) {
                            map.insert(k.clone(), f.clone());
                        }
                    }
                }
            }
            for (name, body) in &self.tree.src.providers {
                let mut ev = Ev::new(self);
                let facts = provider_facts(name, body, &mut ev);
                let key = match attr(body, "alias").and_then(|e| ev.eval(e).ok()) {
                    Some(Val::Str(a)) => format!("{name}.{a}"),
                    _ => name.clone(),
                };
                map.insert(key, facts);
            }
            map
        })
    }

    /// The provider configuration a resource uses.
    pub fn provider_for(&self, key: &str) -> ProviderFacts {
        let base = key.split('.').next().unwrap_or(key);
        self.providers()
            .get(key)
            .or_else(|| self.providers().get(base))
            .cloned()
            .unwrap_or_default()
    }

    fn local(&self, name: &str) -> Result<VarVal, String> {
        if let Some(m) = self.locals.borrow().get(name) {
            return m
                .clone()
                .ok_or_else(|| format!("local.{name} refers to itself"));
        }
        let expr = self
            .tree
            .src
            .locals
            .get(name)
            .ok_or_else(|| format!("no local value `{name}` is declared"))?;
        self.locals.borrow_mut().insert(name.to_string(), None);
        let mut ev = Ev::new(self);
        let v = ev.eval(expr).unwrap_or_else(|e| {
            self.warn(format!(
                "{}local.{name}: {e}; treated as unknown",
                self.prefix()
            ));
            Val::Unknown
        });
        let r = (v, ev.sensitive);
        self.locals
            .borrow_mut()
            .insert(name.to_string(), Some(r.clone()));
        Ok(r)
    }

    /// Another resource's configuration, as other expressions see it.
    fn resource_value(&self, rtype: &str, name: &str) -> Result<Marked, String> {
        let key = format!("{rtype}.{name}");
        if let Some(m) = self.resources.borrow().get(&key) {
            return Ok(m.clone().unwrap_or((Val::Unknown, vec![])));
        }
        let block = self
            .tree
            .src
            .resources
            .iter()
            .find(|r| r.rtype == rtype && r.name == name)
            .ok_or_else(|| format!("no resource `{key}` is declared in this module"))?;
        self.resources.borrow_mut().insert(key.clone(), None);
        let mut ev = Ev::new(self);
        let exp = expand(&mut ev, &block.body);
        if self.shared.exceeded.get() {
            return Ok((Val::Unknown, vec![]));
        }
        let mut items = Vec::new();
        let mut out = BodyOut::default();
        for (_, frames) in exp.instances() {
            let mut ev = Ev::new(self);
            for (n, v) in frames {
                ev.push(&n, v);
            }
            items.push(eval_body(&mut ev, &block.body, "", &mut out));
        }
        let mut sensitive: Vec<String> = out
            .sensitive
            .iter()
            .map(|p| p.split('.').next().unwrap_or(p).to_string())
            .collect();
        sensitive.sort();
        sensitive.dedup();
        let r = (exp.shape(items), sensitive);
        self.resources.borrow_mut().insert(key, Some(r.clone()));
        Ok(r)
    }

    /// The instances of module call `name`, created on first use.
    pub fn children(&self, name: &str) -> Result<Rc<Children>, String> {
        if let Some(c) = self.children.borrow().get(name) {
            return Ok(c.clone());
        }
        let call = self
            .tree
            .src
            .calls
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| format!("no module `{name}` is declared"))?;
        if !self.creating.borrow_mut().insert(name.to_string()) {
            return Err(format!("module.{name} refers to itself"));
        }
        let c = self.create_children(name, call);
        self.creating.borrow_mut().remove(name);
        self.children
            .borrow_mut()
            .insert(name.to_string(), c.clone());
        Ok(c)
    }

    fn create_children(&self, name: &str, call: &super::load::CallBlock) -> Rc<Children> {
        let tree = self.tree.calls.get(name).cloned().flatten();
        let exp = expand(&mut Ev::new(self), &call.body);
        if let Expand::Unknown(why) = &exp {
            self.warn(format!(
                "{}module.{name} ({}:{}): {why}; its resources are not included",
                self.prefix(),
                call.loc.file,
                call.loc.line
            ));
        }
        let mut items = Vec::new();
        let allowed = tree.is_some() && self.shared.spend(exp.instance_count());
        if let (Some(tree), true) = (&tree, allowed) {
            for (key, frames) in exp.instances() {
                let mut ev = Ev::new(self);
                for (n, v) in frames {
                    ev.push(&n, v);
                }
                let addr = format!("{}module.{name}{}", self.prefix(), key.suffix());
                items.push(Rc::new(self.child(tree.clone(), addr, &call.body, &mut ev)));
            }
        }
        Rc::new(Children {
            expand: exp,
            items,
            missing: tree.is_none(),
        })
    }

    fn child(&self, tree: Rc<ModuleTree>, addr: String, call: &Body, ev: &mut Ev) -> Inst {
        const CALL_META: &[&str] = &[
            "source",
            "version",
            "count",
            "for_each",
            "providers",
            "depends_on",
        ];
        let mut args = BTreeMap::new();
        for a in call.attributes() {
            if CALL_META.contains(&a.key.as_str()) {
                continue;
            }
            ev.sensitive = false;
            let v = ev.eval(&a.expr).unwrap_or_else(|e| {
                self.warn(format!(
                    "{addr}: input `{}`: {e}; treated as unknown",
                    a.key.as_str()
                ));
                Val::Unknown
            });
            args.insert(a.key.to_string(), (v, ev.sensitive));
        }
        let mut vars = BTreeMap::new();
        for d in &tree.src.variables {
            let v = match args.remove(&d.name) {
                Some((v, s)) => (convert(v, d.ty.as_ref()), s || d.sensitive),
                None => match &d.default {
                    Some(e) => (Ev::new(&NoEnv).eval(e).unwrap_or(Val::Unknown), d.sensitive),
                    None => {
                        self.warn(format!("{addr}: required variable `{}` is not set", d.name));
                        (Val::Unknown, d.sensitive)
                    }
                },
            };
            vars.insert(d.name.clone(), v);
        }
        let mut mapping = BTreeMap::new();
        if let Some(Expression::Object(o)) = attr(call, "providers") {
            for (k, v) in o {
                let key = match k {
                    ObjectKey::Identifier(i) => Some(i.as_str().to_string()),
                    ObjectKey::Expression(e) => provider_ref(e),
                    _ => None,
                };
                if let (Some(key), Some(from)) = (key, provider_ref(v)) {
                    mapping.insert(key, from);
                }
            }
        }
        Inst {
            tree,
            addr,
            vars,
            parent: Some((self.providers.clone(), mapping)),
            providers: ProviderCell::default(),
            creating: RefCell::default(),
            locals: RefCell::default(),
            resources: RefCell::default(),
            children: RefCell::default(),
            shared: self.shared.clone(),
        }
    }

    fn module_value(&self, name: &str) -> Result<Marked, String> {
        let c = self.children(name)?;
        if c.missing {
            return Ok((Val::Unknown, vec![]));
        }
        let mut sensitive: Vec<String> = Vec::new();
        let mut items = Vec::new();
        for child in &c.items {
            let mut outs = BTreeMap::new();
            for (oname, (expr, sens)) in &child.tree.src.outputs {
                let mut ev = Ev::new(child.as_ref());
                let v = ev.eval(expr).unwrap_or_else(|e| {
                    child.warn(format!(
                        "{}: output `{oname}`: {e}; treated as unknown",
                        child.addr
                    ));
                    Val::Unknown
                });
                if (*sens || ev.sensitive) && !sensitive.contains(oname) {
                    sensitive.push(oname.clone());
                }
                outs.insert(oname.clone(), v);
            }
            items.push(Val::Obj(outs));
        }
        Ok((c.expand.shape(items), sensitive))
    }

    /// Module directory relative to the root module, as `path.module` gives it.
    fn rel_dir(&self) -> String {
        rel_path(&self.shared.root_dir, &self.tree.src.dir)
    }
}

/// Lexical relative path from `from` to `to` (both normalised, relative to the same base).
pub fn rel_path(from: &Path, to: &Path) -> String {
    let f: Vec<_> = from.components().filter(|c| c.as_os_str() != ".").collect();
    let t: Vec<_> = to.components().filter(|c| c.as_os_str() != ".").collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); f.len() - common];
    parts.extend(
        t[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().to_string()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

fn provider_facts(name: &str, body: &Body, ev: &mut Ev) -> ProviderFacts {
    let s = |ev: &mut Ev, key: &str| match attr(body, key).map(|e| ev.eval(e)) {
        Some(Ok(Val::Str(s))) => Some(s),
        _ => None,
    };
    let region = s(ev, "region").or_else(|| {
        if name.starts_with("google") {
            s(ev, "zone")
        } else {
            None
        }
    });
    let tags_expr = match name {
        "aws" => body
            .blocks()
            .find(|b| b.identifier.as_str() == "default_tags")
            .and_then(|b| attr(&b.body, "tags")),
        n if n.starts_with("google") => attr(body, "default_labels"),
        _ => None,
    };
    let mut default_tags = BTreeMap::new();
    if let Some(Ok(Val::Obj(m))) = tags_expr.map(|e| ev.eval(e)) {
        for (k, v) in m {
            if let Ok(s) = v.to_str() {
                default_tags.insert(k, s);
            }
        }
    }
    ProviderFacts {
        region,
        default_tags,
    }
}

impl Env for Inst {
    fn lookup(&self, root: &str, attr: Option<&str>) -> Result<Found, String> {
        let need = |what: &str| attr.ok_or_else(|| format!("`{root}` needs {what} after it"));
        match root {
            "var" => {
                let a = need("a variable name")?;
                let (v, s) = self
                    .vars
                    .get(a)
                    .ok_or_else(|| format!("no variable `{a}` is declared"))?;
                Ok(Found {
                    sensitive: *s,
                    ..Found::value(v.clone(), 1)
                })
            }
            "local" => {
                let (v, s) = self.local(need("a local name")?)?;
                Ok(Found {
                    sensitive: s,
                    ..Found::value(v, 1)
                })
            }
            "module" => {
                let (v, s) = self.module_value(need("a module name")?)?;
                Ok(Found {
                    sensitive_attrs: s,
                    ..Found::value(v, 1)
                })
            }
            // Data sources are read by the provider at plan time: unknown here.
            "data" => Ok(Found::value(Val::Unknown, usize::from(attr.is_some()))),
            "path" => {
                let v = match need("module, root or cwd")? {
                    "module" => self.rel_dir(),
                    "root" | "cwd" => ".".into(),
                    other => return Err(format!("no attribute path.{other}")),
                };
                Ok(Found::value(Val::Str(v), 1))
            }
            "terraform" => match need("workspace")? {
                "workspace" => Ok(Found::value(Val::Str(self.shared.workspace.clone()), 1)),
                other => Err(format!("no attribute terraform.{other}")),
            },
            "count" | "each" | "self" => Err(format!("`{root}` is not available here")),
            t if t.contains('_') => {
                let n = need("a resource name")?;
                let (v, s) = self.resource_value(t, n)?;
                Ok(Found {
                    val: v,
                    consumed: 1,
                    resource: Some(format!("{}{t}.{n}", self.prefix())),
                    sensitive: false,
                    sensitive_attrs: s,
                })
            }
            other => Err(format!("unknown name `{other}`")),
        }
    }

    fn base_dir(&self) -> PathBuf {
        self.shared.root_dir.clone()
    }

    fn sandbox(&self) -> Option<&super::sandbox::Sandbox> {
        // A fetched module reads inside its own package; others inside the project.
        Some(self.tree.sandbox.as_deref().unwrap_or(&self.shared.sandbox))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_relative_dirs() {
        assert_eq!(Key::Str("a\"b".into()).suffix(), "[\"a\\\"b\"]");
        assert_eq!(Key::Int(2).suffix(), "[2]");
        assert_eq!(
            rel_path(Path::new("x/root"), Path::new("x/root/modules/n")),
            "modules/n"
        );
        assert_eq!(
            rel_path(Path::new("x/root"), Path::new("x/shared")),
            "../shared"
        );
        assert_eq!(rel_path(Path::new("."), Path::new(".")), ".");
    }
}
