//! `--format infracost-json`: the estimate in the shape of Infracost's JSON output (version
//! "0.2"), so tools that read Infracost JSON (dashboards, comment bots, policy scripts) read
//! costgate's figures unchanged.
//!
//! The shape (documented by Infracost): `projects[]` each with `pastBreakdown`, `breakdown` and
//! `diff` (`resources[]` → `name`, `resourceType`, `metadata`, `hourlyCost`, `monthlyCost`,
//! `costComponents[]`, `subresources[]`; `totalHourlyCost`, `totalMonthlyCost`), run totals
//! (`totalMonthlyCost`, `pastTotalMonthlyCost`, `diffTotalMonthlyCost` and the hourly ones)
//! and a `summary` of resource counts. Money is a decimal string, `null` when unknown; hourly
//! figures are monthly ones over 730 hours (Infracost's month). A resource costgate cannot
//! price keeps `null` costs and counts as unsupported (its reason in `metadata`); a resource
//! free by itself counts as "no price". Reads the same [`Estimate`] the JSON renderer reads.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::estimate::{Estimate, ResourceEstimate};
use crate::money::Decimal;

/// The Infracost JSON format version written.
pub const INFRACOST_VERSION: &str = "0.2";

/// Hours in Infracost's month.
const HOURS: i64 = 730;

/// An exact decimal as Infracost writes money and quantities (`"730.5"`).
fn dec(d: Decimal) -> Value {
    Value::String(d.normalize().to_string())
}

/// A monthly figure over 730 hours (rounded to 10 places, as a price list would).
fn hourly(d: Decimal) -> Decimal {
    (d / Decimal::from(HOURS)).round_dp(10)
}

fn opt(d: Option<Decimal>) -> Value {
    d.map(dec).unwrap_or(Value::Null)
}

fn opt_hourly(d: Option<Decimal>) -> Value {
    d.map(|d| dec(hourly(d))).unwrap_or(Value::Null)
}

/// Which side of the change a resource is written for.
#[derive(Clone, Copy)]
enum Side {
    Past,
    Now,
    Diff,
}

fn resource(r: &ResourceEstimate, side: Side) -> Value {
    let monthly = match side {
        Side::Past => r.monthly_before,
        Side::Now => r.monthly_after,
        Side::Diff => r.monthly_delta(),
    };
    // The components are those of the state after the change (before, for deletes): they are
    // written on the side they describe.
    let components_side = match r.action {
        crate::project::Action::Delete => Side::Past,
        _ => Side::Now,
    };
    let components: Vec<Value> = if matches!(
        (side, components_side),
        (Side::Past, Side::Past) | (Side::Now, Side::Now)
    ) {
        r.components
            .iter()
            .map(|c| {
                // Cents, as the JSON report has them (a re-rendered report gives the same).
                let monthly = crate::money::cents(c.monthly_cost);
                json!({
                    "name": c.name,
                    "unit": c.unit,
                    "hourlyQuantity": dec(hourly(c.quantity)),
                    "monthlyQuantity": dec(c.quantity),
                    "price": dec(c.unit_price),
                    "hourlyCost": dec(hourly(monthly)),
                    "monthlyCost": dec(monthly),
                    "priceNotFound": false,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut meta = Map::new();
    if let Some(s) = &r.source {
        meta.insert("filename".into(), json!(s.file));
        meta.insert("startLine".into(), json!(s.line));
    }
    meta.insert("costgateAction".into(), json!(r.action.as_str()));
    if let Some(region) = &r.region {
        meta.insert("region".into(), json!(region));
    }
    if let Some(why) = &r.unpriced_reason {
        meta.insert("unpricedReason".into(), json!(why));
    }
    if let Some(why) = r.free {
        meta.insert("freeReason".into(), json!(why));
    }
    json!({
        "name": r.address,
        "resourceType": r.rtype,
        "tags": r.tags,
        "metadata": Value::Object(meta),
        "hourlyCost": opt_hourly(monthly),
        "monthlyCost": opt(monthly),
        "costComponents": components,
        "subresources": [],
    })
}

fn breakdown(resources: &[&ResourceEstimate], side: Side) -> Value {
    let keep = |r: &&&ResourceEstimate| match side {
        Side::Past => r.action.has_before(),
        Side::Now => r.action.has_after(),
        Side::Diff => r.monthly_delta().is_some_and(|d| !d.is_zero()),
    };
    let list: Vec<&ResourceEstimate> = resources.iter().filter(keep).copied().collect();
    let total = total(&list, side);
    json!({
        "resources": list.iter().map(|r| resource(r, side)).collect::<Vec<_>>(),
        "totalHourlyCost": dec(hourly(total)),
        "totalMonthlyCost": dec(total),
    })
}

/// The sum of the priced resources of one side (unpriced ones are counted in the summary).
fn total(list: &[&ResourceEstimate], side: Side) -> Decimal {
    list.iter()
        .filter_map(|r| match side {
            Side::Past => r.monthly_before,
            Side::Now => r.monthly_after,
            Side::Diff => r.monthly_delta(),
        })
        .sum()
}

fn summary(resources: &[&ResourceEstimate]) -> Value {
    let mut unsupported: BTreeMap<&str, usize> = BTreeMap::new();
    let mut no_price: BTreeMap<&str, usize> = BTreeMap::new();
    let mut usage_based = 0usize;
    let detected: Vec<&&ResourceEstimate> =
        resources.iter().filter(|r| r.action.has_after()).collect();
    for r in &detected {
        if r.unpriced_reason.is_some() {
            *unsupported.entry(r.rtype.as_str()).or_default() += 1;
        } else if r.free.is_some() {
            *no_price.entry(r.rtype.as_str()).or_default() += 1;
        }
        if r.components.iter().any(|c| c.usage_based) {
            usage_based += 1;
        }
    }
    let n_unsupported: usize = unsupported.values().sum();
    let n_no_price: usize = no_price.values().sum();
    json!({
        "totalDetectedResources": detected.len(),
        "totalSupportedResources": detected.len() - n_unsupported - n_no_price,
        "totalUnsupportedResources": n_unsupported,
        "totalUsageBasedResources": usage_based,
        "totalNoPriceResources": n_no_price,
        "unsupportedResourceCounts": unsupported,
        "noPriceResourceCounts": no_price,
    })
}

fn project(name: &str, path: &str, resources: &[&ResourceEstimate]) -> Value {
    json!({
        "name": name,
        "metadata": {"path": path, "type": "costgate", "vcsSubPath": path},
        "pastBreakdown": breakdown(resources, Side::Past),
        "breakdown": breakdown(resources, Side::Now),
        "diff": breakdown(resources, Side::Diff),
        "summary": summary(resources),
    })
}

/// The whole document (`timeGenerated` is given so tests can fix it).
pub fn document(e: &Estimate, time_generated: &str) -> Value {
    let all: Vec<&ResourceEstimate> = e.resources.iter().collect();
    let projects: Vec<Value> = if e.projects.is_empty() {
        vec![project(&e.project, &e.project, &all)]
    } else {
        e.projects
            .iter()
            .map(|p| {
                let mine: Vec<&ResourceEstimate> = all
                    .iter()
                    .filter(|r| crate::projects::project_of(&r.address) == Some(p.name.as_str()))
                    .copied()
                    .collect();
                project(&p.name, &p.path, &mine)
            })
            .collect()
    };
    let t = &e.totals;
    json!({
        "version": INFRACOST_VERSION,
        "metadata": {"infracostCommand": "breakdown", "generator": concat!("costgate ", env!("CARGO_PKG_VERSION"))},
        "currency": e.book.as_ref().map_or("USD", |b| b.currency.as_str()),
        "projects": projects,
        "totalHourlyCost": dec(hourly(t.monthly_after)),
        "totalMonthlyCost": dec(t.monthly_after),
        "pastTotalHourlyCost": dec(hourly(t.monthly_before)),
        "pastTotalMonthlyCost": dec(t.monthly_before),
        "diffTotalHourlyCost": dec(hourly(t.monthly_delta())),
        "diffTotalMonthlyCost": dec(t.monthly_delta()),
        "timeGenerated": time_generated,
        "summary": summary(&all),
    })
}

/// `--format infracost-json`.
pub fn render(e: &Estimate) -> String {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    super::json::pretty(&document(e, &now))
}

/// Is this JSON document Infracost's output shape (and not a costgate report)?
pub fn is_infracost(doc: &Value) -> bool {
    doc.get("projects")
        .and_then(Value::as_array)
        .is_some_and(|ps| ps.iter().all(|p| p.get("breakdown").is_some()))
        && doc.get("totalMonthlyCost").is_some()
        && doc.get("resources").is_none()
}
