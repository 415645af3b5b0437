//! Estimate: price both sides of every resource change and total them.
//!
//! Conventions: monthly = hourly × 730 unless the usage file says otherwise; every resource's
//! monthly cost is rounded to cents once, and totals are sums of those rounded values, so a
//! table always adds up. Resources that cannot be priced carry a reason and are left out of
//! the totals (and counted in `unpriced_count`), never counted as $0.

pub mod book;
pub mod infracost_usage;
pub mod savings;
pub mod unit;
pub mod usage;

use std::collections::BTreeMap;

use crate::money::{cents, Decimal};
use crate::pricing::Catalogs;
use crate::project::{Action, Gap, Project, Resource, SourceLocation};
use crate::resources::{
    handling, Component, Costing, Ctx, GpuFacts, Handling, IdleFacts, Side, View,
};

use usage::Usage;

/// Version of the JSON contract.
pub const JSON_VERSION: u32 = 1;

#[derive(Debug, Clone)]
pub struct Estimate {
    pub project: String,
    pub resources: Vec<ResourceEstimate>,
    pub totals: Totals,
    pub warnings: Vec<String>,
    /// Monorepo: the projects (resource addresses carry their names as prefixes).
    pub projects: Vec<crate::project::ProjectInfo>,
    /// What the input could not show (modules not loaded, unknown module repeats).
    pub gaps: Vec<Gap>,
    /// The price book in use (figures are then what this organisation pays; list beside).
    pub book: Option<book::BookUse>,
}

/// A resource's monthly cost at list price, when a price book is in use.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ListCost {
    pub before: Option<Decimal>,
    pub after: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub struct ResourceEstimate {
    pub address: String,
    pub rtype: String,
    pub name: String,
    pub module: String,
    pub provider: String,
    pub action: Action,
    pub region: Option<String>,
    pub monthly_before: Option<Decimal>,
    pub monthly_after: Option<Decimal>,
    /// Components of the state after the change (before, for deletes).
    pub components: Vec<Component>,
    pub gpu: Option<GpuFacts>,
    pub gpu_before: Option<GpuFacts>,
    pub idle: Option<IdleFacts>,
    pub tags: BTreeMap<String, String>,
    pub tags_known: bool,
    pub source: Option<SourceLocation>,
    pub unpriced_reason: Option<String>,
    /// `Some(reason)` for types that cost nothing by themselves.
    pub free: Option<&'static str>,
    pub notes: Vec<String>,
    pub deposed: Option<String>,
    /// What cheaper alternatives would save (see [`savings`]).
    pub savings: savings::Savings,
    /// Cost per 1,000 requests, when the usage file gives the resource's request volume.
    pub unit_cost: Option<unit::UnitCost>,
    /// Parts not priced, and what an unpriced resource would cost in the nearest priced region.
    pub coverage: ResourceCoverage,
    /// List prices beside the effective ones (a price book is in use).
    pub list: Option<ListCost>,
    /// The before side's components of an update or no-op (kept only when the price book has
    /// commitments to spread).
    pub components_before: Vec<Component>,
}

/// How completely a resource is priced.
#[derive(Debug, Clone, Default)]
pub struct ResourceCoverage {
    /// Parts left out of a priced resource (it is *partly priced*).
    pub partial: Vec<String>,
    /// Unpriced for want of a price in its region: the nearest region with prices, and the
    /// monthly cost there ("could be about $X").
    pub nearest: Option<(String, Decimal)>,
    /// HCL mode: `count`/`for_each` unknown until apply (why).
    pub unknown_instances: Option<String>,
}

impl ResourceEstimate {
    pub fn monthly_delta(&self) -> Option<Decimal> {
        Some(self.monthly_after? - self.monthly_before?)
    }
    /// Monthly cost after at list price (the effective cost without a price book).
    pub fn list_after(&self) -> Option<Decimal> {
        self.list.map_or(self.monthly_after, |l| l.after)
    }
    /// Monthly cost before at list price.
    pub fn list_before(&self) -> Option<Decimal> {
        self.list.map_or(self.monthly_before, |l| l.before)
    }
    pub fn is_priced(&self) -> bool {
        self.unpriced_reason.is_none()
    }
    /// Priced, but with a part left out.
    pub fn is_partly_priced(&self) -> bool {
        self.is_priced() && !self.coverage.partial.is_empty()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub monthly_before: Decimal,
    pub monthly_after: Decimal,
    pub unpriced_count: usize,
    /// Priced resources with a part left out (a volume whose size comes from the image…).
    pub partially_priced_count: usize,
    pub gpu_count_by_model: BTreeMap<String, f64>,
    pub gpu_count_by_model_before: BTreeMap<String, f64>,
    /// GPUs (and TPU chips) after the change at the maximum size of pools, groups and
    /// scheduler-started templates: what quotas count.
    pub gpu_max_count_by_model: BTreeMap<String, f64>,
    /// At list price, when a price book is in use.
    pub monthly_before_list: Option<Decimal>,
    pub monthly_after_list: Option<Decimal>,
}

impl Totals {
    pub fn monthly_delta(&self) -> Decimal {
        self.monthly_after - self.monthly_before
    }
}

/// Price every resource of the project.
pub fn estimate(project: &Project, catalogs: &Catalogs, usage: &Usage) -> Estimate {
    use rayon::prelude::*;
    let ctx = Ctx::new(catalogs, project, usage);
    // Resources are priced independently (links are read, never written): on every core.
    let resources: Vec<ResourceEstimate> = project
        .resources
        .par_iter()
        .map(|r| {
            let mut e = estimate_sides(r, &ctx).estimate;
            e.savings = savings::of(&e, &ctx);
            if !e.is_priced()
                && e.unpriced_reason
                    .as_deref()
                    .is_some_and(|w| w.contains(" in region "))
            {
                e.coverage.nearest =
                    nearest_region(r, &ctx, e.unpriced_reason.as_deref().unwrap_or(""));
            }
            e
        })
        .collect();
    let totals = totals_of(&resources);
    let mut e = Estimate {
        project: project.name.clone(),
        resources,
        totals,
        warnings: project.warnings.clone(),
        gaps: project.gaps.clone(),
        projects: project.projects.clone(),
        book: catalogs.book.as_deref().map(book::BookUse::of),
    };
    if let Some(b) = catalogs.book.as_deref() {
        book::commitments(b, project, &mut e);
    }
    e
}

/// Monorepo: each project with the totals of its resources (in project order).
pub fn project_totals(e: &Estimate) -> Vec<(&crate::project::ProjectInfo, Totals)> {
    e.projects
        .iter()
        .map(|p| {
            let mine: Vec<ResourceEstimate> = e
                .resources
                .iter()
                .filter(|r| crate::projects::project_of(&r.address) == Some(p.name.as_str()))
                .cloned()
                .collect();
            (p, totals_of(&mine))
        })
        .collect()
}

/// Totals of priced resources (unpriced ones counted), GPUs by model on each side.
pub fn totals_of(resources: &[ResourceEstimate]) -> Totals {
    let mut totals = Totals::default();
    for r in resources {
        if !r.is_priced() {
            totals.unpriced_count += 1;
        }
        if r.is_partly_priced() {
            totals.partially_priced_count += 1;
        }
        totals.monthly_before += r.monthly_before.unwrap_or_default();
        totals.monthly_after += r.monthly_after.unwrap_or_default();
        if r.list.is_some() {
            *totals.monthly_before_list.get_or_insert_default() +=
                r.list_before().unwrap_or_default();
            *totals.monthly_after_list.get_or_insert_default() +=
                r.list_after().unwrap_or_default();
        }
        // Potential GPUs (domains, templates) run none by themselves.
        if let Some(g) = r.gpu.as_ref().filter(|g| !g.potential) {
            *totals
                .gpu_count_by_model
                .entry(g.model.clone())
                .or_default() += g.count;
            *totals
                .gpu_max_count_by_model
                .entry(g.model.clone())
                .or_default() += g.max_count;
        }
        if let Some(g) = r.gpu_before.as_ref().filter(|g| !g.potential) {
            *totals
                .gpu_count_by_model_before
                .entry(g.model.clone())
                .or_default() += g.count;
        }
    }
    totals
}

/// An unpriced resource whose prices are missing only in its region: priced in the nearest
/// region the catalog has them for. "Nearest" is by region name: the candidate sharing the
/// longest prefix (`eu-central-2` → `eu-central-1` before `eu-west-1`; `us-` stays in the US),
/// ties broken alphabetically. The figure is an indication, never added to the totals.
fn nearest_region(r: &Resource, ctx: &Ctx, reason: &str) -> Option<(String, Decimal)> {
    let region = r.region.as_deref()?;
    let list = reason.split("catalog has it for ").nth(1)?;
    let list = list.split(')').next()?;
    let common = |a: &str| {
        a.bytes()
            .zip(region.bytes())
            .take_while(|(x, y)| x == y)
            .count()
    };
    let mut cands: Vec<&str> = list
        .split(", ")
        .map(str::trim)
        .filter(|c| *c != region && *c != "global")
        .collect();
    cands.sort_by(|a, b| common(b).cmp(&common(a)).then(a.cmp(b)));
    for c in cands.into_iter().take(3) {
        let mut moved = r.clone();
        moved.region = Some(c.to_string());
        let e = estimate_sides(&moved, ctx).estimate;
        if let (true, Some(m)) = (e.is_priced(), e.monthly_after) {
            return Some((c.to_string(), m));
        }
    }
    None
}

fn side_cost(r: &Resource, ctx: &Ctx, side: Side, f: fn(&View) -> Costing) -> Option<Costing> {
    let exists = match side {
        Side::Before => r.action.has_before(),
        Side::After => r.action.has_after(),
    };
    if !exists {
        return None;
    }
    View::new(r, ctx, side).map(|v| {
        let mut c = f(&v);
        crate::resources::egress::add(&v, &mut c);
        if let Some(b) = ctx.catalogs.book.as_deref() {
            book::apply(b, r, &mut c);
        }
        c
    })
}

fn money_of(c: &Option<Costing>) -> Option<Decimal> {
    match c {
        None => Some(Decimal::ZERO),
        Some(c) if c.unpriced.is_empty() => Some(cents(c.monthly())),
        Some(_) => None,
    }
}

/// One resource priced with the costing of each side kept, and the attributes each component
/// was computed from recorded (`costgate explain`).
#[derive(Debug, Clone)]
pub struct Explained {
    pub estimate: ResourceEstimate,
    /// The state before the change (None when the resource does not exist before, or is
    /// not priced by a family).
    pub before: Option<Costing>,
    pub after: Option<Costing>,
    /// The price book in use (commitments are spread by the whole estimate, not here).
    pub book: Option<book::BookUse>,
}

/// Price the resource at `address` (the current object, not a deposed one, when both exist)
/// with inputs recorded; `None` when the plan has no such resource.
pub fn explain(
    project: &Project,
    catalogs: &Catalogs,
    usage: &Usage,
    address: &str,
) -> Option<Explained> {
    let mut matches = project.resources.iter().filter(|r| r.address == address);
    let first = matches.next()?;
    let r = if first.deposed.is_some() {
        matches.find(|r| r.deposed.is_none()).unwrap_or(first)
    } else {
        first
    };
    let mut ctx = Ctx::new(catalogs, project, usage);
    ctx.record_inputs = true;
    let mut x = estimate_sides(r, &ctx);
    x.book = catalogs.book.as_deref().map(book::BookUse::of);
    Some(x)
}

fn estimate_sides(r: &Resource, ctx: &Ctx) -> Explained {
    let mut e = ResourceEstimate {
        address: r.address.clone(),
        rtype: r.rtype.clone(),
        name: r.name.clone(),
        module: r.module.clone(),
        provider: r.provider.clone(),
        action: r.action,
        region: r.region.clone(),
        monthly_before: Some(Decimal::ZERO),
        monthly_after: Some(Decimal::ZERO),
        components: Vec::new(),
        gpu: None,
        gpu_before: None,
        idle: None,
        tags: r.tags.clone(),
        tags_known: r.tags_known,
        source: r.source.clone(),
        unpriced_reason: None,
        free: None,
        notes: Vec::new(),
        deposed: r.deposed.clone(),
        savings: Default::default(),
        unit_cost: None,
        coverage: Default::default(),
        list: None,
        components_before: Vec::new(),
    };
    let (mut before, mut after) = (None, None);
    match handling(&r.rtype) {
        None => {
            e.monthly_before = None;
            e.monthly_after = None;
            e.unpriced_reason = Some(match crate::resources::free::not_free_reason(&r.rtype) {
                Some(why) => format!("resource type `{}` costs money: {why}", r.rtype),
                None => format!("resource type `{}` is not supported yet", r.rtype),
            });
        }
        Some(Handling::Free(why)) => e.free = Some(why),
        Some(Handling::Priced(f)) => {
            before = side_cost(r, ctx, Side::Before, f);
            after = side_cost(r, ctx, Side::After, f);
            e.monthly_before = money_of(&before);
            e.monthly_after = money_of(&after);
            let shown = after.as_ref().or(before.as_ref());
            if let Some(c) = shown {
                e.coverage.partial = c.partial.clone();
                e.components = c.components.clone();
                e.idle = c.idle.clone();
                e.notes = c.notes.clone();
            }
            e.gpu = after.as_ref().and_then(|c| c.gpu.clone());
            e.gpu_before = before.as_ref().and_then(|c| c.gpu.clone());
            let mut reasons: Vec<String> = Vec::new();
            for c in [&after, &before].into_iter().flatten() {
                for u in &c.unpriced {
                    if !reasons.contains(u) {
                        reasons.push(u.clone());
                    }
                }
            }
            if !reasons.is_empty() {
                e.unpriced_reason = Some(reasons.join("; "));
            }
            if let Some(b) = ctx.catalogs.book.as_deref() {
                e.list = Some(ListCost {
                    before: book::list_money(&before),
                    after: book::list_money(&after),
                });
                if !b.commitments.is_empty() && r.action.has_after() {
                    if let Some(c) = &before {
                        e.components_before = c.components.clone();
                    }
                }
            }
            if let Some(why) = &r.unknown_instances {
                e.coverage.unknown_instances = Some(why.clone());
                unknown_instances(&mut e, r, why);
                (before, after) = (None, None);
            }
            e.unit_cost = unit::unit_cost(&e, ctx);
        }
    }
    Explained {
        estimate: e,
        before,
        after,
        book: None,
    }
}

/// HCL mode, `count`/`for_each` unknown until apply: how many instances will exist (and what
/// they are) is unknown, so nothing is priced and the reason says so.
fn unknown_instances(e: &mut ResourceEstimate, r: &Resource, why: &str) {
    if r.action.has_before() {
        e.monthly_before = None;
    }
    if r.action.has_after() {
        e.monthly_after = None;
    }
    if let Some(l) = &mut e.list {
        l.before = l.before.and(e.monthly_before);
        l.after = l.after.and(e.monthly_after);
    }
    e.components.clear();
    e.notes.clear();
    let when = if why.contains("until the data source is read") {
        "once terraform plan reads the data source"
    } else {
        "only after apply"
    };
    e.unpriced_reason = Some(format!(
        "{why}; how many instances exist and what they cost is known {when}"
    ));
}

/// A committed fixture plan (`testdata/plans/<name>/plan.json`), loaded and priced with the
/// embedded catalogs, for unit tests that need a real project and its estimate.
#[cfg(test)]
pub(crate) fn fixture(name: &str) -> (crate::project::Project, Estimate) {
    let path = std::path::PathBuf::from(format!("testdata/plans/{name}/plan.json"));
    let text = std::fs::read_to_string(&path).expect("fixture plan");
    let project = crate::input::plan::parse(&path, &text, &crate::input::LoadOptions::default())
        .expect("fixture parses");
    let catalogs = crate::pricing::Catalogs::embedded().expect("embedded catalogs");
    let estimate = self::estimate(&project, &catalogs, &usage::Usage::default());
    (project, estimate)
}
