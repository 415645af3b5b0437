//! HCL mode: a directory of `.tf` files → [`Project`], without running Terraform.
//!
//! The configuration is evaluated as `terraform plan` would for a first apply: every resource
//! instance is a `create` whose `after` attributes come from its configuration (nested blocks
//! as lists, like plan JSON), with variables (defaults, tfvars, `--var`, `TF_VAR_*`), locals,
//! `count`/`for_each`, local and downloaded modules, provider regions and default tags.
//! Anything Terraform would only know after apply is unknown in the `Attrs` mask, never
//! guessed. Each resource carries its file:line.
//!
//! Files: [`mod@load`] parses a directory, [`modules`] builds the module tree, [`vars`] resolves
//! root variables, [`eval`]/[`funcs`] evaluate expressions, [`instance`] evaluates module
//! instances, [`comments`] reads inline waivers, [`index`] maps addresses to source locations
//! and collects the inline waivers (both modes).

pub mod body;
pub mod comments;
pub mod eval;
pub mod funcs;
pub mod index;
pub mod instance;
pub mod json;
pub mod load;
pub mod modules;
pub mod overrides;
pub mod sandbox;
pub mod types;
pub mod value;
pub mod vars;

use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;

use serde_json::Value;

use self::eval::{Ev, Val};
use self::instance::{eval_body, expand, provider_ref, BodyOut, Expand, Inst, Key, Shared};
use self::load::{attr, ResBlock};
use super::common::{effective_tags, resource_region};
use super::LoadOptions;
use crate::error::Result;
use crate::project::{provider_of_type, Action, Attrs, Gap, InputKind, Project, Resource};

/// Read a directory of `.tf` files.
pub fn load(dir: &Path, opts: &LoadOptions) -> Result<Project> {
    // The HCL parser and the evaluator recurse once per operator of an expression: long chains
    // (`!!!…x`, `1 + 1 + …`, `a ? b : c ? …`) need a deep stack. Reserved, not committed.
    const STACK: usize = 1 << 30;
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("hcl".into())
            .stack_size(STACK)
            .spawn_scoped(s, || load_here(dir, opts))
            .map_err(|e| {
                miette::miette!(
                    code = crate::error::Code::Io,
                    "cannot start the HCL loader: {e}"
                )
            })?
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}

fn load_here(dir: &Path, opts: &LoadOptions) -> Result<Project> {
    if load::tf_files(dir)?.is_empty() {
        return Err(miette::miette!(
            code = crate::error::Code::InputNoTf,
            help = "give a directory of Terraform .tf files, or a plan JSON file",
            "{} has no .tf files",
            dir.display()
        ));
    }
    let sandbox = sandbox::Sandbox::for_path(dir, &opts.allow_paths);
    let fetcher = opts.remote.as_ref().map(crate::input::remote::Fetcher::new);
    let (tree, mut warnings, mut gaps) =
        modules::load_tree_with(dir, &sandbox, opts.max_instances(), fetcher.as_ref())?;
    drop(fetcher);
    let index = index::SourceIndex::from_tree(&tree);
    let env: Vec<(String, String)> = std::env::vars()
        .filter(|(k, _)| k.starts_with("TF_VAR_"))
        .collect();
    let values = vars::root_values(
        &tree.src.variables,
        &tree.src.dir,
        opts,
        &env,
        &mut warnings,
    )?;
    let shared = Rc::new(Shared {
        warnings: std::cell::RefCell::new(warnings),
        root_dir: tree.src.dir.clone(),
        workspace: opts.workspace.clone().unwrap_or_else(|| "default".into()),
        sandbox,
        budget: std::cell::Cell::new(opts.max_instances()),
        run_budget: opts.run_budget.clone(),
        exceeded: std::cell::Cell::new(false),
    });
    let root = Inst::root(tree, values, shared.clone());
    let mut resources = Vec::new();
    collect(&root, opts, &mut resources, &mut gaps);
    drop(root);
    if shared.exceeded.get() {
        return Err(miette::miette!(
            code = crate::error::Code::InputTooManyInstances,
            help = "count, for_each or nested modules multiply; raise the bound with --max-instances N if the configuration is real",
            "{} creates more than {} module and resource instances: stopped",
            dir.display(),
            opts.max_instances()
        ));
    }
    let warnings = shared.warnings.take();
    let mut project = Project {
        name: dir.display().to_string(),
        input_kind: InputKind::Hcl,
        resources,
        warnings,
        gaps,
        ..Default::default()
    };
    index.annotate(&mut project);
    crate::input::inherit::inherit_regions(&mut project);
    Ok(project)
}

/// Plan mode: a provider `region` the plan JSON cannot resolve (`region = local.x`: the plan
/// shows locals only as references) is evaluated from the configuration beside the plan, with
/// its constant locals and variable defaults. Resources without a region get it, and the
/// "region assumed" warning of that provider goes. A region that stays unknown keeps the
/// warning.
///
/// References to locals (`launch_template { id = local.lt_id }`) become the resources the local
/// refers to, so links (autoscaling group → launch template) hold in plan mode too. Module
/// instances are matched by call names (instance keys ignored).
pub fn fill_plan_links(
    project: &mut Project,
    tree: Rc<modules::ModuleTree>,
    sandbox: sandbox::Sandbox,
    opts: &LoadOptions,
) {
    let need_region =
        opts.default_region.is_none() && project.resources.iter().any(|r| r.region.is_none());
    let need_locals = project
        .resources
        .iter()
        .any(|r| r.refs.values().flatten().any(|t| super::is_local_ref(t)));
    if !need_region && !need_locals {
        return;
    }
    let mut scratch = Vec::new();
    let Ok(values) = vars::root_values(&tree.src.variables, &tree.src.dir, opts, &[], &mut scratch)
    else {
        return;
    };
    let shared = Rc::new(Shared {
        warnings: Default::default(),
        root_dir: tree.src.dir.clone(),
        workspace: opts.workspace.clone().unwrap_or_else(|| "default".into()),
        sandbox,
        budget: std::cell::Cell::new(opts.max_instances()),
        run_budget: opts.run_budget.clone(),
        exceeded: std::cell::Cell::new(false),
    });
    let root = Inst::root(tree, values, shared);
    // Un-aliased root providers by type (`awsv5` with source hashicorp/aws → aws).
    let mut by_type: BTreeMap<String, String> = BTreeMap::new();
    for (key, facts) in root.providers() {
        if let (false, Some(r)) = (key.contains('.'), &facts.region) {
            by_type.insert(root.tree.src.provider_type(key), r.clone());
        }
    }
    if need_locals {
        resolve_local_refs(project, &root);
    }
    if !need_region {
        return;
    }
    let mut filled = std::collections::BTreeSet::new();
    for r in &mut project.resources {
        if r.region.is_some() {
            continue;
        }
        if let Some(reg) = by_type.get(&r.provider) {
            let attrs = r.after.as_ref().or(r.before.as_ref());
            r.region = resource_region(&r.provider, attrs, Some(reg));
            filled.insert(r.provider.clone());
        }
    }
    project.warnings.retain(|w| {
        !filled
            .iter()
            .any(|p| w.starts_with(&format!("provider {p}: ")) && w.contains("prices assume"))
    });
}

fn resolve_local_refs(project: &mut Project, root: &Inst) {
    use self::eval::Env;
    for r in &mut project.resources {
        let Some((mods, _)) = index::split_address(&r.address) else {
            continue;
        };
        // The instance of the resource's module (the first instance of each call).
        let mut inst: Option<Rc<Inst>> = None;
        let mut ok = true;
        for m in &mods {
            let here: &Inst = inst.as_deref().unwrap_or(root);
            match here.children(m).ok().and_then(|c| c.items.first().cloned()) {
                Some(c) => inst = Some(c),
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
        let here: &Inst = inst.as_deref().unwrap_or(root);
        let plan_prefix = if r.module.is_empty() {
            String::new()
        } else {
            format!("{}.", r.module)
        };
        for targets in r.refs.values_mut() {
            let mut out = Vec::new();
            for t in targets.drain(..) {
                let name = t
                    .strip_prefix(&plan_prefix)
                    .and_then(|l| l.strip_prefix("local."));
                match name.map(|n| here.lookup("local", Some(n))) {
                    Some(Ok(found)) => {
                        // Re-root the instance's prefix on the plan's module address.
                        for f in found.refs {
                            let local = f.strip_prefix(&here.prefix()).unwrap_or(&f);
                            out.push(format!("{plan_prefix}{local}"));
                        }
                    }
                    Some(Err(_)) => {}
                    None => out.push(t),
                }
            }
            instance::dedup_keep_order(&mut out);
            *targets = out;
        }
    }
}

/// Every resource instance of `inst` and of the modules below it.
/// OpenTofu 1.11's `lifecycle { enabled = false }`: the resource is not created. A value
/// unknown at plan time cannot decide it (OpenTofu refuses that): the resource is kept, with a
/// warning.
fn enabled(inst: &Inst, block: &ResBlock, base: &str) -> bool {
    let Some(e) = block
        .body
        .blocks()
        .filter(|b| b.identifier.as_str() == "lifecycle")
        .find_map(|b| attr(&b.body, "enabled"))
    else {
        return true;
    };
    match Ev::new(inst).eval(e) {
        Ok(Val::Bool(b)) => b,
        Ok(Val::Str(s)) if s == "true" || s == "false" => s == "true",
        Ok(other) => {
            let why = if other == Val::Unknown {
                "is unknown at plan time (OpenTofu refuses this)".to_string()
            } else {
                format!("is a {}, not a bool", other.type_name())
            };
            inst.warn(format!(
                "{base} ({}:{}): lifecycle.enabled {why}; counted as enabled",
                block.loc.file, block.loc.line
            ));
            true
        }
        Err(err) => {
            inst.warn(format!(
                "{base} ({}:{}): lifecycle.enabled cannot be evaluated ({err}); counted as enabled",
                block.loc.file, block.loc.line
            ));
            true
        }
    }
}

fn collect(inst: &Inst, opts: &LoadOptions, out: &mut Vec<Resource>, gaps: &mut Vec<Gap>) {
    if inst.shared.exceeded.get() {
        return;
    }
    // Settle this instance's providers before its children read them (top-down).
    inst.providers();
    for block in &inst.tree.src.resources {
        emit(inst, block, opts, out);
    }
    for call in &inst.tree.src.calls {
        match inst.children(&call.name) {
            Ok(c) => {
                if let (Expand::Unknown(why), false) = (&c.expand, c.missing) {
                    gaps.push(Gap {
                        kind: "unknown-repeat",
                        address: format!("{}module.{}", inst.prefix(), call.name),
                        source: call
                            .source
                            .as_deref()
                            .map(crate::input::remote::source::redact_url),
                        reason: why.clone(),
                        location: Some(call.loc.clone()),
                    });
                }
                for child in &c.items {
                    collect(child, opts, out, gaps);
                }
            }
            Err(e) => inst.warn(format!("{}module.{}: {e}", inst.prefix(), call.name)),
        }
    }
}

fn emit(inst: &Inst, block: &ResBlock, opts: &LoadOptions, out: &mut Vec<Resource>) {
    let base = format!("{}{}.{}", inst.prefix(), block.rtype, block.name);
    if !enabled(inst, block, &base) {
        return;
    }
    let exp = expand(&mut Ev::new(inst), &block.body);
    if !inst.shared.spend(exp.instance_count()) {
        return;
    }
    if let Expand::Unknown(why) = &exp {
        inst.warn(format!(
            "{base} ({}:{}): {why}; shown once with every attribute unknown",
            block.loc.file, block.loc.line
        ));
        let attrs = Attrs {
            values: Value::Object(Default::default()),
            unknown: Value::Bool(true),
            sensitive: Value::Bool(false),
        };
        let mut r = resource(inst, block, opts, base, Key::None, attrs, BTreeMap::new());
        r.unknown_instances = Some(match repeat_expr(&block.body) {
            // Terraform reads data sources during plan: the count is knowable then, not here.
            Some(e) if e.contains("data.") => format!(
                "{} (`{e}`)",
                why.replace(
                    "unknown until apply",
                    "unknown until the data source is read"
                )
            ),
            Some(e) => format!("{why} (`{e}`)"),
            None => why.clone(),
        });
        out.push(r);
        return;
    }
    for (key, frames) in exp.instances() {
        let mut ev = Ev::new(inst);
        for (n, v) in frames {
            ev.push(&n, v);
        }
        let mut body = BodyOut::default();
        let val = eval_body(&mut ev, &block.body, "", &mut body);
        let address = format!("{base}{}", key.suffix());
        let pkey = instance_provider(&mut ev, &block.body, &address, inst);
        for e in body.errors {
            inst.warn(format!("{address}: {e}; treated as unknown"));
        }
        let (values, unknown) = val.to_json();
        let mut sensitive = Value::Bool(false);
        for p in &body.sensitive {
            let segs: Vec<&str> = p.split('.').collect();
            set_mask(&mut sensitive, &values, &segs);
        }
        let mut attrs = Attrs {
            values,
            unknown,
            sensitive,
        };
        attrs.hide_sensitive();
        let mut r = resource(inst, block, opts, base.clone(), key, attrs, body.refs);
        if let Some(pkey) = pkey {
            // OpenTofu 1.9: `provider = aws.by_region[each.key]` picks one instance of a
            // provider with for_each; the region is that instance's.
            let facts = inst.provider_for(&pkey);
            let own = r.after.as_ref();
            r.region = resource_region(
                &r.provider,
                own,
                facts.region.as_deref().or(opts.default_region.as_deref()),
            );
        }
        out.push(r);
    }
}

/// `provider = aws.by_region[each.key]` (OpenTofu 1.9 provider `for_each`): the key of the
/// provider instance this resource instance uses, `aws.by_region["k"]`. A key unknown at plan
/// time is refused by OpenTofu; here it is a warning and the default configuration is used.
fn instance_provider(ev: &mut Ev, body: &hcl::Body, address: &str, inst: &Inst) -> Option<String> {
    let Some(hcl::Expression::Traversal(t)) = attr(body, "provider") else {
        return None;
    };
    let (
        hcl::Expression::Variable(v),
        [hcl::TraversalOperator::GetAttr(a), hcl::TraversalOperator::Index(i)],
    ) = (&t.expr, t.operators.as_slice())
    else {
        return None;
    };
    match ev.eval(i).and_then(|k| k.to_str()) {
        Ok(k) => Some(format!(
            "{}.{}{}",
            v.as_str(),
            a.as_str(),
            Key::Str(k).suffix()
        )),
        Err(e) => {
            inst.warn(format!(
                "{address}: the provider instance key cannot be known ({e}); the provider's default configuration is assumed"
            ));
            None
        }
    }
}

/// `count = …` / `for_each = …` as written (formatted), for messages.
fn repeat_expr(body: &hcl::Body) -> Option<String> {
    ["count", "for_each"].iter().find_map(|k| {
        let e = attr(body, k)?;
        let text = hcl::format::to_string(e).ok()?;
        Some(format!("{k} = {}", text.trim()))
    })
}

fn resource(
    inst: &Inst,
    block: &ResBlock,
    opts: &LoadOptions,
    base: String,
    key: Key,
    attrs: Attrs,
    refs: BTreeMap<String, Vec<String>>,
) -> Resource {
    let pkey = attr(&block.body, "provider")
        .and_then(provider_ref)
        .unwrap_or_else(|| provider_of_type(&block.rtype).to_string());
    let local = pkey.split('.').next().unwrap_or(&pkey);
    // The provider's type, not its local name (`awsv3` with source `hashicorp/aws` is aws).
    let provider = inst.tree.src.provider_type(local);
    let facts = inst.provider_for(&pkey);
    let region = resource_region(
        &provider,
        Some(&attrs),
        facts.region.as_deref().or(opts.default_region.as_deref()),
    );
    if region.is_none()
        && matches!(
            crate::pricing::cloud_of_provider(&provider),
            "aws" | "gcp" | "azure"
        )
    {
        inst.warn(super::common::assumed_region_warning(
            &provider,
            "no region in the configuration",
        ));
    }
    let (tags, tags_known) = effective_tags(&provider, &attrs, &facts.default_tags);
    Resource {
        address: format!("{base}{}", key.suffix()),
        module: inst.addr.clone(),
        rtype: block.rtype.clone(),
        name: block.name.clone(),
        provider,
        action: Action::Create,
        before: None,
        after: Some(attrs),
        region,
        tags,
        tags_known,
        refs,
        source: Some(block.loc.clone()),
        deposed: None,
        unknown_instances: None,
    }
}

/// Set `true` in `mask` at `segs`, mirroring the shape of `value` (objects and arrays) so
/// that redaction finds it.
fn set_mask(mask: &mut Value, value: &Value, segs: &[&str]) {
    let Some((first, rest)) = segs.split_first() else {
        *mask = Value::Bool(true);
        return;
    };
    match value {
        Value::Object(vm) => {
            if !mask.is_object() {
                *mask = Value::Object(Default::default());
            }
            if let (Some(v), Value::Object(mm)) = (vm.get(*first), mask) {
                let slot = mm.entry(first.to_string()).or_insert(Value::Bool(false));
                set_mask(slot, v, rest);
            }
        }
        Value::Array(va) => {
            if !mask.is_array() {
                *mask = Value::Array(vec![Value::Bool(false); va.len()]);
            }
            if let (Ok(i), Value::Array(ma)) = (first.parse::<usize>(), mask) {
                if let (Some(v), Some(slot)) = (va.get(i), ma.get_mut(i)) {
                    set_mask(slot, v, rest);
                }
            }
        }
        // A scalar on the way: mark it whole.
        _ => *mask = Value::Bool(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn provider_from_module_output_and_cycles_do_not_hang() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("cfg")).unwrap();
        std::fs::write(
            root.join("cfg/main.tf"),
            "variable \"x\" {\n  default = null\n}\noutput \"region\" {\n  value = \"eu-central-1\"\n}\n",
        )
        .unwrap();
        std::fs::write(
            root.join("main.tf"),
            r#"
module "cfg" {
  source = "./cfg"
}
module "loop" {
  source = "./cfg"
  x      = module.loop.region
}
provider "aws" {
  region = module.cfg.region
}
locals {
  a = local.b
  b = local.a
}
resource "aws_instance" "a" {
  instance_type = "t3.micro"
  ami           = local.a
  count         = 2
}
resource "aws_instance" "b" {
  instance_type = aws_instance.a[1].instance_type
}
"#,
        )
        .unwrap();
        let p = load(root, &LoadOptions::default()).unwrap();
        let a = p
            .resources
            .iter()
            .find(|r| r.address == "aws_instance.a[1]")
            .unwrap();
        assert_eq!(a.region.as_deref(), Some("eu-central-1"));
        assert!(a.after.as_ref().unwrap().get("ami").is_unknown());
        let b = p
            .resources
            .iter()
            .find(|r| r.address == "aws_instance.b")
            .unwrap();
        assert_eq!(
            b.after.as_ref().unwrap().str("instance_type"),
            Some("t3.micro")
        );
        assert_eq!(
            b.refs["instance_type"],
            vec!["aws_instance.a[1]", "aws_instance.a"]
        );
        assert!(
            p.warnings.iter().any(|w| w.contains("refers to itself")),
            "{:?}",
            p.warnings
        );
    }

    #[test]
    fn sensitive_mask_mirrors_values() {
        let values = json!({"tags": {"a": "x", "b": "y"}, "blk": [{"p": "s"}]});
        let mut m = Value::Bool(false);
        set_mask(&mut m, &values, &["tags"]);
        set_mask(&mut m, &values, &["blk", "0", "p"]);
        assert_eq!(m, json!({"tags": true, "blk": [{"p": true}]}));
    }
}
