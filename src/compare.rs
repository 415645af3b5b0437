//! `--compare-to BASE` and `--base-ref REF`: the change between two states when there is no
//! plan (HCL mode, or a PR whose plan cannot run).
//!
//! Both sides are reduced to *states*: the resources that exist once their change is applied
//! (a .tf directory: every resource; a plan JSON: every resource its plan keeps or creates,
//! with its `after` attributes; a JSON report: every resource it does not delete). Resources
//! are matched by address, after the head's `moved` blocks rename base addresses. The result
//! is a project exactly as a plan would give it: each resource gets an action (create,
//! update, replace, delete, no-op) and a before and an after side, so the estimate, every
//! policy and every format work unchanged.
//!
//! - A directory or plan BASE is **re-priced** with today's catalogs and usage, alongside the
//!   head: the delta is the configuration change alone, never a price change.
//! - A JSON report BASE is **priced as reported** (its `monthly_cost`, `gpu` and components):
//!   it carries no attributes to re-price. A report made with other catalogs therefore shows
//!   their price differences as changes; a resource whose reported type, region, cost,
//!   components, GPUs and tags equal the head's is a no-op, any difference an update. Policies
//!   see `attributes.before = null` for such resources.
//!
//! Update or replace: Terraform decides from the provider schema, which costgate does not
//! have; a force-new attribute of the type's family that changes makes a replace, anything
//! else an update (both cost the same way: before → after).

pub mod git;
mod infracost;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::{Map, Value};

use miette::WrapErr;

use crate::cli::{CompareArgs, Global};
use crate::error::Result;
use crate::estimate::{self, Estimate, ResourceEstimate};
use crate::input::LoadOptions;
use crate::money::Decimal;
use crate::pricing::Catalogs;
use crate::project::{provider_of_type, Action, Attrs, Project, Resource};
use crate::report::saved::{components_of, gpu_of};

pub use crate::project::split_address;

/// What the head is compared with.
#[derive(Debug)]
pub enum Base {
    /// A .tf directory or a plan JSON: attributes, re-priced.
    State(Project),
    /// A JSON report of an earlier `estimate`/`check`: costs as reported.
    Report(Report),
}

/// The resources of a JSON report (each an object of the JSON contract).
#[derive(Debug, Default)]
pub struct Report {
    pub resources: Vec<Map<String, Value>>,
    /// Read from Infracost's JSON output: a resource is unchanged when its monthly cost is.
    pub infracost: bool,
}

/// `--compare-to` / `--base-ref` of one run: BASE, or the checkout of REF (kept until the
/// rules read from it are loaded).
#[derive(Debug)]
pub struct Against {
    compare_to: Option<std::path::PathBuf>,
    checkout: Option<git::Checkout>,
}

/// The head compared with the base and priced, with what pricing used (for `explain`).
pub struct Compared {
    pub project: Project,
    pub estimate: Estimate,
    pub catalogs: Catalogs,
    pub usage: crate::input::usage::Usage,
    /// The base was a JSON report: before-costs come from it, not from the project.
    pub from_report: bool,
}

impl Against {
    /// None when neither flag is given; with `--base-ref`, checks REF out.
    pub fn open(path: &Path, c: &CompareArgs) -> Result<Option<Against>> {
        if c.compare_to.is_none() && c.base_ref.is_none() {
            return Ok(None);
        }
        let checkout = c
            .base_ref
            .as_deref()
            .map(|r| git::Checkout::open(path, r, c.repo_root.as_deref()))
            .transpose()?;
        Ok(Some(Against {
            compare_to: c.compare_to.clone(),
            checkout,
        }))
    }

    /// The global flags with the usage file read from the base ref.
    pub fn global(&self, g: &Global) -> Result<Global> {
        let mut g = g.clone();
        if let (Some(co), Some(u)) = (&self.checkout, &g.usage) {
            g.usage = Some(co.file(u, "--usage")?);
        }
        // The price book, like the usage file, is the base's: a change cannot lower its own
        // prices.
        if let (Some(co), Some(b)) = (&self.checkout, &g.price_book) {
            g.price_book = Some(co.file(b, "--price-book")?);
        }
        Ok(g)
    }

    /// Policy options with the config, policies and data read from the base ref: the file of
    /// REF for every path inside the repository, the `costgate.toml` upward from PATH in REF
    /// (none there: the defaults, never a config the change adds).
    pub fn policy_options(
        &self,
        path: &Path,
        mut o: crate::policy::CheckOptions,
    ) -> Result<crate::policy::CheckOptions> {
        let Some(co) = &self.checkout else {
            return Ok(o);
        };
        for p in &mut o.policy_dirs {
            *p = co.file(p, "--policy")?;
        }
        for p in &mut o.data {
            *p = co.file(p, "--data")?;
        }
        match &o.config {
            Some(c) => o.config = Some(co.file(c, "--config")?),
            None if !o.no_config => match co.config_for(path)? {
                Some(c) => o.config = Some(c),
                None => o.no_config = true,
            },
            None => {}
        }
        Ok(o)
    }

    /// Read the head at `path` and the base, compare them and price the change (`g` as from
    /// [`Against::global`]).
    pub fn load(&self, path: &Path, g: &Global) -> Result<Compared> {
        let opts = crate::load_options(g)?;
        let mut catalogs = Catalogs::load_user(g.pricing_dir.as_deref())?;
        catalogs.book =
            crate::policy::price_book::load(path, g.price_book.as_deref(), &g.book_config)?
                .map(Into::into);
        let mut usage = match &g.usage {
            Some(f) => crate::input::usage::Usage::load(f)?,
            None => Default::default(),
        };
        let head = crate::timing::phase("load", || match &self.checkout {
            Some(co) => head_with_base_projects(co, path, &opts),
            None => crate::input::load(path, &opts),
        })?;
        crate::pricing::regions::check(&head, &catalogs, opts.default_region.as_deref())?;
        let mut head = head;
        head.warnings.extend(usage.notes.iter().cloned());
        crate::add_project_usage(&mut usage, &head)?;
        let base = match (&self.checkout, &self.compare_to) {
            (Some(co), _) => {
                let mut base_opts = opts.clone();
                base_opts.var_files = opts
                    .var_files
                    .iter()
                    .map(|f| {
                        co.map(f)
                            .filter(|p| p.exists())
                            .unwrap_or_else(|| f.clone())
                    })
                    .collect();
                let name = format!("{} ({})", co.name, &co.commit[..co.commit.len().min(12)]);
                match co.map(path).filter(|p| p.exists()) {
                    Some(p) if !head.projects.is_empty() && p.is_dir() => Base::State(
                        base_projects(co, path, &p, &head, &base_opts)
                            .wrap_err(format!("reading the base: {} at {name}", path.display()))?,
                    ),
                    Some(p) => Base::State(
                        crate::input::load(&p, &base_opts)
                            .wrap_err(format!("reading the base: {} at {name}", path.display()))?,
                    ),
                    // The change adds the directory: everything is created.
                    None => Base::State(Project::default()),
                }
            }
            (None, Some(b)) => {
                if !b.exists() {
                    return Err(miette::miette!(
                        code = crate::error::Code::CompareBase,
                        help = "give a JSON report (`costgate estimate --format json`), a plan JSON or a directory of .tf files",
                        "--compare-to: {} does not exist",
                        b.display()
                    ));
                }
                load_base(b, &opts).wrap_err(format!("reading --compare-to {}", b.display()))?
            }
            (None, None) => unreachable!("Against::open needs one of the flags"),
        };
        let from_report = matches!(base, Base::Report(_));
        let mut moved = moved_blocks(path)?;
        // Monorepo: each project's moved blocks, in its address space.
        for p in &head.projects {
            let dir = path.join(&p.path);
            for (from, to) in moved_blocks(&dir)? {
                let pre = |a: &str| crate::input::projects::prefixed(&p.name, a);
                moved.push((pre(&from), pre(&to)));
            }
        }
        let (project, mut estimate) = crate::timing::phase("estimate", || {
            compare(head, base, &moved, &catalogs, &usage)
        });
        crate::add_stale_warnings(&mut estimate, &catalogs)?;
        Ok(Compared {
            project,
            estimate,
            catalogs,
            usage,
            from_report,
        })
    }
}

/// `--base-ref` on a monorepo: the project list and each project's settings (var file list,
/// usage file, workspace) are rules, so they come from the base's `[[projects]]` (or the
/// base's detected root modules), applied to the change's directories; a project of the base
/// whose directory the change removes is left out (the base side prices its deletion). A
/// project the change alone configures is still priced, with its own settings, and said.
fn head_with_base_projects(co: &git::Checkout, path: &Path, opts: &LoadOptions) -> Result<Project> {
    let base_dir = co.map(path).filter(|p| p.is_dir());
    let base_specs = match &base_dir {
        Some(b) if path.is_dir() => crate::projects::discover(b)?,
        _ => None,
    };
    let Some(base_specs) = base_specs else {
        return crate::input::load(path, opts);
    };
    let base_dir = base_dir.unwrap_or_default();
    let base_canon = std::fs::canonicalize(&base_dir).unwrap_or(base_dir);
    let sandbox = crate::input::hcl::sandbox::Sandbox::for_path(path, &[]);
    let mut specs = Vec::new();
    for mut s in base_specs {
        s.dir = crate::input::hcl::load::normalize(&path.join(&s.info.path));
        if !s.dir.is_dir() {
            continue;
        }
        // The list of var files is the base's; their values are the change's (they are what
        // is being priced), read through the sandbox like every file a configuration names.
        s.var_files = s
            .var_files
            .iter()
            .map(|f| {
                let rel = f.strip_prefix(&base_canon).unwrap_or(f);
                sandbox.check_file(&path.join(rel)).map_err(|why| {
                    miette::miette!(
                        code = crate::error::Code::ConfigProjects,
                        "[[projects]] `{}` of {}: var file: {why}",
                        s.info.name,
                        co.name
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        specs.push(s);
    }
    let mut only_head = Vec::new();
    for s in crate::projects::discover(path)?.unwrap_or_default() {
        if !specs.iter().any(|b| b.info.name == s.info.name) {
            only_head.push(s.info.name.clone());
            specs.push(s);
        }
    }
    let mut head = crate::projects::load(path, specs, opts)?;
    for name in only_head {
        head.warnings.push(format!(
            "project `{name}` is not a project of {}: priced with the change's own settings",
            co.name
        ));
    }
    Ok(head)
}

/// `--base-ref` on a monorepo: the base's projects, reading from REF only those whose
/// directory or called local modules changed; an unchanged project's base is the head's own
/// state (so it is reported as no-op without being evaluated twice).
fn base_projects(
    co: &git::Checkout,
    head_dir: &Path,
    base_dir: &Path,
    head: &Project,
    opts: &LoadOptions,
) -> Result<Project> {
    let Some(specs) = crate::input::projects::discover(base_dir)? else {
        return crate::input::load(base_dir, opts);
    };
    let mut same = Vec::new();
    let mut changed = Vec::new();
    for s in specs {
        let in_head = head.projects.iter().any(|p| p.name == s.info.name);
        let here = head_dir.join(&s.info.path);
        let unchanged = in_head
            && here.is_dir()
            && crate::input::projects::local_closure(&here).is_ok_and(|dirs| co.unchanged(&dirs));
        if unchanged {
            same.push(s);
        } else {
            changed.push(s);
        }
    }
    let mut base = if changed.is_empty() {
        Project::default()
    } else {
        crate::input::projects::load(base_dir, changed, opts)?
    };
    for s in same {
        let name = s.info.name.as_str();
        base.resources.extend(
            head.resources
                .iter()
                .filter(|r| crate::input::projects::project_of(&r.address) == Some(name))
                .cloned(),
        );
        base.projects.push(s.info);
    }
    Ok(base)
}

/// Read BASE: a directory of .tf files, a plan JSON or a JSON report.
pub fn load_base(path: &Path, opts: &LoadOptions) -> Result<Base> {
    if path.is_dir() || !path.exists() {
        return Ok(Base::State(crate::input::load(path, opts)?));
    }
    let text = crate::error::read_file(path)?;
    let head: String = text.chars().take(400).collect();
    if head.contains("\"format_version\"") || head.contains("\"terraform_version\"") {
        return Ok(Base::State(crate::input::load(path, opts)?));
    }
    let doc = crate::error::parse_json(
        path,
        &text,
        "--compare-to: ",
        crate::error::Code::CompareBase,
        "give a JSON report (`costgate estimate --format json`), a plan JSON or a directory of .tf files",
    )?;
    if doc.get("resource_changes").is_some() {
        return Ok(Base::State(crate::input::load(path, opts)?));
    }
    if crate::report::infracost::is_infracost(&doc) {
        return Ok(Base::Report(Report {
            resources: infracost::resources(path, &doc)?,
            infracost: true,
        }));
    }
    Ok(Base::Report(Report::from_json(path, &doc)?))
}

impl Report {
    /// The resources of a `costgate estimate|check --format json` document.
    pub fn from_json(path: &Path, doc: &Value) -> Result<Report> {
        let bad = |what: String| {
            miette::miette!(
                code = crate::error::Code::CompareBase,
                help = "give a JSON report (`costgate estimate --format json`), a plan JSON or a directory of .tf files",
                "--compare-to: {} is not a costgate JSON report: {what}",
                path.display()
            )
        };
        match doc.get("version").and_then(Value::as_u64) {
            Some(v) if v == u64::from(estimate::JSON_VERSION) => {}
            Some(v) => {
                return Err(bad(format!(
                    "version {v}, expected {}",
                    estimate::JSON_VERSION
                )))
            }
            None => return Err(bad("no `version`".into())),
        }
        let Some(list) = doc.get("resources").and_then(Value::as_array) else {
            return Err(bad("no `resources` list".into()));
        };
        let mut resources = Vec::with_capacity(list.len());
        for (i, r) in list.iter().enumerate() {
            let Some(o) = r.as_object() else {
                return Err(bad(format!("resources[{i}] is not an object")));
            };
            for key in ["address", "type", "action"] {
                if !o.get(key).is_some_and(Value::is_string) {
                    return Err(bad(format!("resources[{i}] has no `{key}` string")));
                }
            }
            if money(o.get("monthly_cost"), path, i)?.is_none()
                && o.get("unpriced_reason").and_then(Value::as_str).is_none()
            {
                return Err(bad(format!(
                    "resources[{i}] has neither `monthly_cost` nor `unpriced_reason`"
                )));
            }
            let action = o["action"].as_str().unwrap_or_default();
            if matches!(action, "delete" | "read") || o.get("deposed").is_some_and(|d| !d.is_null())
            {
                continue;
            }
            resources.push(o.clone());
        }
        Ok(Report {
            resources,
            infracost: false,
        })
    }
}

/// A money string of the report (`"123.45"`), or None for null.
fn money(v: Option<&Value>, path: &Path, i: usize) -> Result<Option<Decimal>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => s.parse::<Decimal>().map(Some).map_err(|_| {
            miette::miette!(
                code = crate::error::Code::CompareBase,
                "--compare-to: {}: resources[{i}].monthly_cost `{}` is not an amount",
                path.display(),
                s.chars().take(40).collect::<String>()
            )
        }),
        Some(_) => Err(miette::miette!(
            code = crate::error::Code::CompareBase,
            "--compare-to: {}: resources[{i}].monthly_cost is not a string",
            path.display()
        )),
    }
}

/// The resources a project leaves existing, each as a `create` with its state as `after`.
pub fn state(mut project: Project) -> Project {
    project.resources = std::mem::take(&mut project.resources)
        .into_iter()
        .filter(|r| r.action.has_after() && r.deposed.is_none())
        .map(|mut r| {
            r.after = r.after.take().or_else(|| r.before.take());
            r.before = None;
            r.action = Action::Create;
            r
        })
        .collect();
    project
}

/// `moved { from = A  to = B }` pairs (root module), applied to a base address: `A` itself,
/// or `A` followed by an instance key or a nested address, becomes `B…`.
pub fn apply_moved(address: &str, moved: &[(String, String)]) -> String {
    let mut a = address.to_string();
    // Chains (a → b, b → c) follow declaration order, as Terraform resolves them.
    for (from, to) in moved {
        if a == *from {
            a = to.clone();
        } else if let Some(rest) = a.strip_prefix(from.as_str()) {
            let from_has_key = from.ends_with(']');
            if rest.starts_with('.') || (rest.starts_with('[') && !from_has_key) {
                a = format!("{to}{rest}");
            }
        }
    }
    a
}

/// The `moved` blocks of the root module in `dir` (none when `dir` is not a directory).
/// Each `from`/`to` is read as written (`module.a["x"]`, `aws_instance.b[0]`).
pub fn moved_blocks(dir: &Path) -> Result<Vec<(String, String)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for f in crate::input::hcl::load::tf_files(dir)? {
        let text = crate::error::read_file(&f)?;
        // Syntax errors are reported by the loader, which reads the same files.
        let Ok(parsed) = crate::input::hcl::load::parse_file(&f, &text) else {
            continue;
        };
        for b in parsed.blocks {
            if b.block.identifier.as_str() != "moved" {
                continue;
            }
            let addr = |k: &str| {
                crate::input::hcl::load::attr(&b.block.body, k).map(|e| {
                    hcl::format::to_string(e)
                        .unwrap_or_default()
                        .split_whitespace()
                        .collect::<String>()
                })
            };
            if let (Some(from), Some(to)) = (addr("from"), addr("to")) {
                out.push((from, to));
            }
        }
    }
    Ok(out)
}

/// Do the two sides of a resource say the same thing?
fn same(a: Option<&Attrs>, b: Option<&Attrs>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            a.values == b.values && a.unknown == b.unknown && a.sensitive == b.sensitive
        }
        (None, None) => true,
        _ => false,
    }
}

/// Does a known attribute the type's family declares force-new
/// ([`Family::force_new`](crate::resources::family::Family::force_new)) change?
fn replaces(rtype: &str, before: Option<&Attrs>, after: Option<&Attrs>) -> bool {
    let (Some(b), Some(a)) = (before, after) else {
        return false;
    };
    crate::resources::by_type(rtype)
        .map_or(&[][..], |f| f.force_new)
        .iter()
        .any(|p| {
            let (x, y) = (b.get(p), a.get(p));
            !x.is_unknown() && !y.is_unknown() && x != y
        })
}

/// The head's state against the base's state (both from [`state`]): one resource per address,
/// head order first, then the base's resources the head no longer has (deletes), in base order.
pub fn diff_states(base: Project, head: Project, moved: &[(String, String)]) -> Project {
    let head_at: HashMap<String, usize> = head
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.address.clone(), i))
        .collect();
    let mut paired: Vec<Option<Resource>> = vec![None; head.resources.len()];
    let mut deleted = Vec::new();
    for b in base.resources {
        match head_at.get(&apply_moved(&b.address, moved)) {
            Some(&i) if paired[i].is_none() => paired[i] = Some(b),
            _ => deleted.push(b),
        }
    }
    let mut project = head;
    let resources = std::mem::take(&mut project.resources);
    project.resources = resources
        .into_iter()
        .zip(paired)
        .map(|(mut h, b)| {
            if let Some(b) = b {
                h.before = b.after;
                let unchanged = same(h.before.as_ref(), h.after.as_ref())
                    && b.region == h.region
                    && b.tags == h.tags
                    && b.unknown_instances.is_none()
                    && h.unknown_instances.is_none();
                h.action = if unchanged {
                    Action::NoOp
                } else if replaces(&h.rtype, h.before.as_ref(), h.after.as_ref()) {
                    Action::Replace
                } else {
                    Action::Update
                };
            }
            h
        })
        .collect();
    project.resources.extend(deleted.into_iter().map(|mut b| {
        b.action = Action::Delete;
        b.before = b.after.take();
        // The file:line is in the base, not in the change under review.
        b.source = None;
        b
    }));
    project
}

/// Compare `head` with `base` and price the result. `head` is any project (its state is
/// taken); `moved` are the head's `moved` blocks.
pub fn compare(
    head: Project,
    base: Base,
    moved: &[(String, String)],
    catalogs: &Catalogs,
    usage: &crate::input::usage::Usage,
) -> (Project, Estimate) {
    let head = state(head);
    match base {
        Base::State(b) => {
            let base_warnings: Vec<String> =
                b.warnings.iter().map(|w| format!("base: {w}")).collect();
            let mut project = diff_states(state(b), head, moved);
            project.warnings.extend(base_warnings);
            let e = estimate::estimate(&project, catalogs, usage);
            (project, e)
        }
        Base::Report(report) => {
            let e = estimate::estimate(&head, catalogs, usage);
            diff_report(&report, head, e, moved)
        }
    }
}

/// The keys of a reported resource that say what it costs.
const REPORTED: &[&str] = &[
    "type",
    "region",
    "monthly_cost",
    "components",
    "gpu",
    "tags",
];

/// A reported resource the head no longer has: deleted, at its reported cost.
fn deleted_from_report(o: &Map<String, Value>) -> (Resource, ResourceEstimate) {
    let s = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let address = s("address");
    let rtype = s("type");
    let (module, _, name) = split_address(&address);
    let region = o.get("region").and_then(Value::as_str).map(String::from);
    let tags: std::collections::BTreeMap<String, String> = o
        .get("tags")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let before = o
        .get("monthly_cost")
        .and_then(Value::as_str)
        .and_then(|x| x.parse::<Decimal>().ok());
    let unpriced_reason = before
        .is_none()
        .then(|| s("unpriced_reason"))
        .filter(|r| !r.is_empty());
    let provider = provider_of_type(&rtype).to_string();
    let resource = Resource {
        address: address.clone(),
        module: module.clone(),
        rtype: rtype.clone(),
        name: name.clone(),
        provider: provider.clone(),
        action: Action::Delete,
        before: None,
        after: None,
        region: region.clone(),
        tags: tags.clone(),
        tags_known: true,
        refs: Default::default(),
        source: None,
        deposed: None,
        unknown_instances: None,
    };
    let estimate = ResourceEstimate {
        address,
        rtype,
        name,
        module,
        provider,
        action: Action::Delete,
        region,
        monthly_before: before,
        monthly_after: Some(Decimal::ZERO),
        components: components_of(o.get("components")),
        gpu: None,
        gpu_before: gpu_of(o.get("gpu")),
        idle: None,
        tags,
        tags_known: true,
        source: None,
        unpriced_reason,
        free: None,
        notes: Vec::new(),
        deposed: None,
        savings: Default::default(),
        unit_cost: None,
        coverage: Default::default(),
        list: None,
        components_before: Vec::new(),
    };
    (resource, estimate)
}

/// The head (its state and estimate) against a JSON report's resources.
fn diff_report(
    report: &Report,
    mut head: Project,
    mut e: Estimate,
    moved: &[(String, String)],
) -> (Project, Estimate) {
    let mut by_address: HashMap<String, &Map<String, Value>> = HashMap::new();
    let mut order = Vec::new();
    for o in &report.resources {
        let a = apply_moved(o["address"].as_str().unwrap_or_default(), moved);
        if by_address.insert(a.clone(), o).is_none() {
            order.push(a);
        }
    }
    let mut matched = HashSet::new();
    for (r, re) in head.resources.iter_mut().zip(e.resources.iter_mut()) {
        let Some(o) = by_address.get(&re.address) else {
            continue;
        };
        matched.insert(re.address.clone());
        let now = crate::report::json::resource(re);
        // An Infracost base says what a resource cost, not how costgate would describe it.
        let compared: &[&str] = if report.infracost {
            &["monthly_cost"]
        } else {
            REPORTED
        };
        let unchanged = compared
            .iter()
            .all(|k| now.get(*k).unwrap_or(&Value::Null) == o.get(*k).unwrap_or(&Value::Null))
            && r.unknown_instances.is_none();
        re.action = if unchanged {
            Action::NoOp
        } else {
            Action::Update
        };
        r.action = re.action;
        re.monthly_before = o
            .get("monthly_cost")
            .and_then(Value::as_str)
            .and_then(|x| x.parse().ok());
        re.gpu_before = gpu_of(o.get("gpu"));
        if re.monthly_before.is_none() && re.unpriced_reason.is_none() {
            let why = o
                .get("unpriced_reason")
                .and_then(Value::as_str)
                .unwrap_or("not priced");
            re.unpriced_reason = Some(format!("before the change (base report): {why}"));
        }
    }
    for a in order {
        if matched.contains(&a) {
            continue;
        }
        let (r, re) = deleted_from_report(by_address[&a]);
        head.resources.push(r);
        e.resources.push(re);
    }
    e.totals = estimate::totals_of(&e.resources);
    (head, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moved_renames_instances_and_nested_addresses() {
        let m = vec![
            ("aws_instance.a".to_string(), "aws_instance.b".to_string()),
            ("module.old".to_string(), "module.new[\"x\"]".to_string()),
            (
                "aws_instance.c[0]".to_string(),
                "aws_instance.c[\"k\"]".to_string(),
            ),
        ];
        assert_eq!(apply_moved("aws_instance.a", &m), "aws_instance.b");
        assert_eq!(apply_moved("aws_instance.a[2]", &m), "aws_instance.b[2]");
        assert_eq!(apply_moved("aws_instance.ab", &m), "aws_instance.ab");
        assert_eq!(
            apply_moved("module.old.aws_instance.x", &m),
            "module.new[\"x\"].aws_instance.x"
        );
        assert_eq!(
            apply_moved("aws_instance.c[0]", &m),
            "aws_instance.c[\"k\"]"
        );
        assert_eq!(apply_moved("aws_instance.c[1]", &m), "aws_instance.c[1]");
    }

    #[test]
    fn addresses_split_outside_keys() {
        assert_eq!(
            split_address("module.a[\"x.y\"].aws_instance.b[0]"),
            (
                "module.a[\"x.y\"]".to_string(),
                "aws_instance".to_string(),
                "b".to_string()
            )
        );
        assert_eq!(
            split_address("aws_ebs_volume.data"),
            (
                String::new(),
                "aws_ebs_volume".to_string(),
                "data".to_string()
            )
        );
    }

    fn res(address: &str, values: Value) -> Resource {
        let (module, rtype, name) = split_address(address);
        Resource {
            address: address.into(),
            module,
            provider: provider_of_type(&rtype).into(),
            rtype,
            name,
            action: Action::Create,
            before: None,
            after: Some(Attrs::new(values)),
            region: Some("us-east-1".into()),
            tags: Default::default(),
            tags_known: true,
            refs: Default::default(),
            source: None,
            deposed: None,
            unknown_instances: None,
        }
    }

    #[test]
    fn states_pair_by_address_and_force_new_replaces() {
        let base = Project {
            resources: vec![
                res(
                    "aws_instance.a",
                    serde_json::json!({"instance_type": "g5.xlarge", "ami": "x"}),
                ),
                res(
                    "aws_instance.b",
                    serde_json::json!({"instance_type": "g5.xlarge", "ami": "x"}),
                ),
                res(
                    "aws_instance.c",
                    serde_json::json!({"instance_type": "g5.xlarge", "ami": "x"}),
                ),
                res(
                    "aws_instance.old",
                    serde_json::json!({"instance_type": "g5.xlarge"}),
                ),
                res(
                    "aws_instance.gone",
                    serde_json::json!({"instance_type": "g5.xlarge"}),
                ),
            ],
            ..Default::default()
        };
        let head = Project {
            resources: vec![
                res(
                    "aws_instance.a",
                    serde_json::json!({"instance_type": "g5.xlarge", "ami": "x"}),
                ),
                res(
                    "aws_instance.b",
                    serde_json::json!({"instance_type": "p5.48xlarge", "ami": "x"}),
                ),
                res(
                    "aws_instance.c",
                    serde_json::json!({"instance_type": "g5.xlarge", "ami": "y"}),
                ),
                res(
                    "aws_instance.new",
                    serde_json::json!({"instance_type": "g5.xlarge"}),
                ),
                res(
                    "aws_instance.added",
                    serde_json::json!({"instance_type": "g5.xlarge"}),
                ),
            ],
            ..Default::default()
        };
        let moved = vec![(
            "aws_instance.old".to_string(),
            "aws_instance.new".to_string(),
        )];
        let p = diff_states(state(base), state(head), &moved);
        let got: Vec<(&str, Action)> = p
            .resources
            .iter()
            .map(|r| (r.address.as_str(), r.action))
            .collect();
        assert_eq!(
            got,
            vec![
                ("aws_instance.a", Action::NoOp),
                ("aws_instance.b", Action::Update),
                ("aws_instance.c", Action::Replace),
                ("aws_instance.new", Action::NoOp),
                ("aws_instance.added", Action::Create),
                ("aws_instance.gone", Action::Delete),
            ]
        );
        let gone = p.resources.last().unwrap();
        assert!(gone.before.is_some() && gone.after.is_none());
    }
}
