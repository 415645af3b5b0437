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

pub use super::body::{
    dedup_keep_order, eval_body, expand, BodyOut, Expand, Key, SENSITIVE_FOR_EACH,
};
use super::eval::{Env, Ev, Found, NoEnv, Val};
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
    /// The bound shared by every project of one run (a monorepo), when there is one.
    pub run_budget: Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>,
    /// Set once the budget ran out: the load stops and fails.
    pub exceeded: std::cell::Cell<bool>,
}

impl Shared {
    /// Count `n` more instances; `false` (and remembered) once past the bound, so a resource
    /// bomb (nested counts, a module tree that doubles at every level) ends fast.
    pub fn spend(&self, n: usize) -> bool {
        let left = self.budget.get();
        let shared_ok = || {
            self.run_budget.as_ref().is_none_or(|b| {
                b.fetch_update(
                    std::sync::atomic::Ordering::SeqCst,
                    std::sync::atomic::Ordering::SeqCst,
                    |l| l.checked_sub(n),
                )
                .is_ok()
            })
        };
        if self.exceeded.get() || n > left || !shared_ok() {
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
    /// Resources each evaluated local refers to.
    local_refs: RefCell<HashMap<String, Vec<String>>>,
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
            local_refs: RefCell::default(),
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
                let key = match attr(body, "alias").and_then(|e| ev.eval(e).ok()) {
                    Some(Val::Str(a)) => format!("{name}.{a}"),
                    _ => name.clone(),
                };
                // OpenTofu 1.9: `for_each` on a provider makes one configuration per key,
                // `aws.by_region["k"]`, each evaluated with its `each`.
                if attr(body, "for_each").is_some() {
                    let exp = expand(&mut ev, body);
                    if let Expand::Unknown(why) = &exp {
                        self.warn(format!("provider {key}: {why}; its instances are unknown"));
                    }
                    for (k, frames) in exp.instances() {
                        let mut ev = Ev::new(self);
                        for (n, v) in frames {
                            ev.push(&n, v);
                        }
                        let facts =
                            provider_facts(&self.tree.src.provider_type(name), body, &mut ev);
                        map.insert(format!("{key}{}", k.suffix()), facts);
                    }
                    continue;
                }
                let facts = provider_facts(&self.tree.src.provider_type(name), body, &mut ev);
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
        let mut refs = ev.take_refs();
        dedup_keep_order(&mut refs);
        self.local_refs.borrow_mut().insert(name.to_string(), refs);
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
            let given = match args.remove(&d.name) {
                // `nullable = false`: null means "use the default".
                Some((Val::Null, _)) if !d.nullable && d.default.is_some() => None,
                other => other,
            };
            let v = match given {
                Some((v, s)) => (v, s || d.sensitive),
                None => match &d.default {
                    Some(e) => (Ev::new(&NoEnv).eval(e).unwrap_or(Val::Unknown), d.sensitive),
                    None => {
                        self.warn(format!("{addr}: required variable `{}` is not set", d.name));
                        (Val::Unknown, d.sensitive)
                    }
                },
            };
            // Terraform refuses a module input of the wrong type; here what reads it is
            // unknown (unpriced with a reason), with the warning saying why.
            let v = match convert(v.0, d.ty.as_ref()) {
                Ok(x) => (x, v.1),
                Err(e) => {
                    self.warn(format!(
                        "{addr}: input `{}`: {e}; treated as unknown",
                        d.name
                    ));
                    (Val::Unknown, v.1)
                }
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
            local_refs: RefCell::default(),
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
                let name = need("a local name")?;
                let (v, s) = self.local(name)?;
                Ok(Found {
                    sensitive: s,
                    refs: self
                        .local_refs
                        .borrow()
                        .get(name)
                        .cloned()
                        .unwrap_or_default(),
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
                    refs: Vec::new(),
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
