//! A saved costgate JSON report (`estimate|check --format json`) read back into the structures
//! the renderers read, for `costgate output REPORT.json --format …`: re-rendering without
//! re-running. Only what the JSON contract carries comes back (no explain-only inputs, no
//! per-component provenance beyond `price_key`/`price_source`); every renderer reads fields the
//! contract has.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use crate::error::Result;
use crate::estimate::book::{BookUse, IdleCommitment};
use crate::estimate::{Estimate, ListCost, ResourceEstimate, Totals, JSON_VERSION};
use crate::money::Decimal;
use crate::policy::finding::{CheckReport, Finding, PolicyMeta, Severity};
use crate::project::{provider_of_type, Action, SourceLocation};
use crate::resources::{Component, GpuFacts, IdleFacts};

const HELP: &str =
    "give a report written by `costgate estimate --format json` or `costgate check --format json`";

/// What a saved report was: an estimate, or a check (with findings and policies).
#[derive(Debug)]
pub enum Saved {
    Estimate(Estimate),
    Check(CheckReport),
}

impl Saved {
    pub fn estimate(&self) -> &Estimate {
        match self {
            Saved::Estimate(e) => e,
            Saved::Check(r) => &r.estimate,
        }
    }
}

/// Read REPORT: a costgate JSON report, else a diagnostic (exit 2) saying what is wrong.
pub fn load(path: &Path) -> Result<Saved> {
    let text = crate::error::read_file(path)?;
    let doc = crate::error::parse_json(path, &text, "", crate::error::Code::OutputReport, HELP)?;
    from_json(&doc).map_err(|what| {
        let what = super::escape::control(&what);
        let help = if crate::report::infracost::is_infracost(&doc) {
            format!("this is Infracost's JSON output; {HELP}")
        } else if doc.get("resource_changes").is_some() || doc.get("format_version").is_some() {
            format!("this is a Terraform plan JSON: run `costgate estimate` or `costgate check` on it; {HELP}")
        } else {
            HELP.to_string()
        };
        miette::miette!(
            code = crate::error::Code::OutputReport,
            help = help,
            "{} is not a costgate JSON report: {what}",
            path.display()
        )
    })
}

type Bad = String;

fn obj<'a>(v: &'a Value, at: &str) -> std::result::Result<&'a Map<String, Value>, Bad> {
    v.as_object()
        .ok_or_else(|| format!("{at} is not an object"))
}

fn string(o: &Map<String, Value>, k: &str, at: &str) -> std::result::Result<String, Bad> {
    o.get(k)
        .and_then(Value::as_str)
        .map(String::from)
        .ok_or_else(|| format!("{at} has no `{k}` string"))
}

fn opt_string(o: &Map<String, Value>, k: &str) -> Option<String> {
    o.get(k).and_then(Value::as_str).map(String::from)
}

/// A money or quantity string (`"12.30"`), null or absent as None.
fn amount(o: &Map<String, Value>, k: &str, at: &str) -> std::result::Result<Option<Decimal>, Bad> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => s
            .parse()
            .map(Some)
            .map_err(|_| format!("{at}.{k} is not an amount")),
        Some(_) => Err(format!("{at}.{k} is not a string")),
    }
}

fn source(v: Option<&Value>) -> Option<SourceLocation> {
    let o = v?.as_object()?;
    Some(SourceLocation {
        file: o.get("file")?.as_str()?.to_string(),
        line: usize::try_from(o.get("line")?.as_u64()?).ok()?,
    })
}

/// A string the report holds where the structures keep a `&'static str` (a free reason, an
/// autopause state, a commitment kind): the known constant when there is one, else the text
/// kept for the life of the process (a one-shot command, a handful of strings).
fn constant(s: &str, known: &[&'static str]) -> &'static str {
    known
        .iter()
        .find(|k| **k == s)
        .copied()
        .unwrap_or_else(|| Box::leak(s.to_string().into_boxed_str()))
}

/// The `gpu` object of a reported resource.
pub fn gpu_of(v: Option<&Value>) -> Option<GpuFacts> {
    let g = v?.as_object()?;
    let f = |k: &str| g.get(k).and_then(Value::as_f64);
    let nodes = |k: &str| {
        g.get("nodes")
            .and_then(|n| n.get(k))
            .and_then(Value::as_u64)
            .unwrap_or(1)
    };
    Some(GpuFacts {
        model: g.get("model")?.as_str()?.to_string(),
        family: g.get("family").and_then(Value::as_str).map(String::from),
        vendor: None,
        per_node: f("per_node").unwrap_or(0.0),
        nodes_min: nodes("min"),
        nodes_desired: nodes("desired"),
        nodes_max: nodes("max"),
        count: f("count")?,
        max_count: f("max_count").or_else(|| f("count"))?,
        spot: g.get("spot").and_then(Value::as_bool).unwrap_or(false),
        potential: g.get("potential").and_then(Value::as_bool).unwrap_or(false),
    })
}

/// The `components` of a reported resource (entries without the three amounts are skipped).
pub fn components_of(v: Option<&Value>) -> Vec<Component> {
    let Some(list) = v.and_then(Value::as_array) else {
        return Vec::new();
    };
    let s = |c: &Value, k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let d = |c: &Value, k: &str| -> Option<Decimal> {
        c.get(k)
            .and_then(Value::as_str)
            .and_then(|x| x.parse().ok())
    };
    list.iter()
        .filter_map(|c| {
            let book = d(c, "list_unit_price").map(|list_unit_price| {
                let commitments = c
                    .get("commitments")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|u| {
                        Some(crate::resources::CommitmentUse {
                            id: s(u, "id"),
                            kind: constant(&s(u, "kind"), &["reserved", "savings_plan"]),
                            quantity: d(u, "quantity")?,
                            unit_price: d(u, "unit_price")?,
                        })
                    })
                    .collect();
                Box::new(crate::resources::BookPrice {
                    list_unit_price,
                    list_monthly_cost: d(c, "list_monthly_cost").unwrap_or_default(),
                    adjustment: c
                        .get("price_book")
                        .and_then(Value::as_str)
                        .map(String::from),
                    discounted_unit_price: d(c, "unit_price").unwrap_or_default(),
                    commitments,
                })
            });
            let price = crate::resources::PriceProvenance {
                derived: c
                    .get("price_derivation")
                    .and_then(Value::as_str)
                    .map(String::from),
                ..Default::default()
            };
            Some(Component {
                name: s(c, "name"),
                unit: s(c, "unit"),
                quantity: d(c, "quantity")?,
                unit_price: d(c, "unit_price")?,
                monthly_cost: d(c, "monthly_cost")?,
                price_key: s(c, "price_key"),
                price_source: s(c, "price_source"),
                tiered: c.get("tiered").and_then(Value::as_bool).unwrap_or(false),
                usage_based: c
                    .get("usage_based")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                note: c.get("note").and_then(Value::as_str).map(String::from),
                price,
                usage: None,
                inputs: Vec::new(),
                facts: Default::default(),
                book,
            })
        })
        .collect()
}

fn action(s: &str) -> Option<Action> {
    Some(match s {
        "create" => Action::Create,
        "update" => Action::Update,
        "replace" => Action::Replace,
        "delete" => Action::Delete,
        "forget" => Action::Forget,
        "no-op" => Action::NoOp,
        "read" => Action::Read,
        _ => return None,
    })
}

fn resource(v: &Value, i: usize) -> std::result::Result<ResourceEstimate, Bad> {
    let at = format!("resources[{i}]");
    let o = obj(v, &at)?;
    let address = string(o, "address", &at)?;
    let rtype = string(o, "type", &at)?;
    let act = string(o, "action", &at)?;
    let action = action(&act).ok_or_else(|| format!("{at}.action `{act}` is not an action"))?;
    let monthly_after = amount(o, "monthly_cost", &at)?;
    let unpriced_reason = opt_string(o, "unpriced_reason");
    if monthly_after.is_none() && unpriced_reason.is_none() {
        return Err(format!(
            "{at} has neither `monthly_cost` nor `unpriced_reason`"
        ));
    }
    let (module, _, name) = crate::project::split_address(&address);
    let tags: BTreeMap<String, String> = o
        .get("tags")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let list_after = amount(o, "monthly_list_cost", &at)?;
    let list_before = amount(o, "monthly_list_cost_before", &at)?;
    let idle = o.get("idle").and_then(Value::as_object).map(|i| IdleFacts {
        interactive: i
            .get("interactive")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        autopause: constant(
            i.get("autopause")
                .and_then(Value::as_str)
                .unwrap_or("unknown"),
            &["configured", "default-on", "missing", "unknown"],
        ),
        detail: opt_string(i, "detail").unwrap_or_default(),
    });
    let unit_cost = match o.get("unit_cost").and_then(Value::as_object) {
        Some(u) => Some(crate::estimate::unit::UnitCost {
            monthly_requests: amount(u, "monthly_requests", &at)?.unwrap_or_default(),
            origin: opt_string(u, "origin").unwrap_or_default(),
            cost_per_1k_requests: amount(u, "cost_per_1k_requests", &at)?,
        }),
        None => None,
    };
    let gpu = gpu_of(o.get("gpu"));
    let gpu_before = match o.get("gpu_before") {
        Some(g) => gpu_of(Some(g)),
        None if action.has_before() => gpu.clone(),
        None => None,
    };
    Ok(ResourceEstimate {
        provider: provider_of_type(&rtype).to_string(),
        address,
        rtype: rtype.clone(),
        name,
        module,
        action,
        region: opt_string(o, "region"),
        monthly_before: amount(o, "monthly_cost_before", &at)?,
        monthly_after,
        components: components_of(o.get("components")),
        gpu,
        gpu_before,
        idle,
        tags,
        tags_known: true,
        source: source(o.get("source")),
        unpriced_reason,
        free: opt_string(o, "free").map(|f| {
            let known = crate::resources::free::reason(&rtype);
            constant(&f, known.as_slice())
        }),
        notes: o
            .get("notes")
            .and_then(Value::as_array)
            .map(|n| {
                n.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
        deposed: opt_string(o, "deposed"),
        savings: Default::default(),
        unit_cost,
        coverage: Default::default(),
        list: (list_after.is_some() || list_before.is_some()).then_some(ListCost {
            before: list_before,
            after: list_after,
        }),
        components_before: Vec::new(),
    })
}

fn totals(v: Option<&Value>) -> std::result::Result<Totals, Bad> {
    let o = obj(v.ok_or("no `totals` object")?, "totals")?;
    let need = |k: &str| -> std::result::Result<Decimal, Bad> {
        amount(o, k, "totals")?.ok_or_else(|| format!("totals has no `{k}`"))
    };
    let count = |k: &str| o.get(k).and_then(Value::as_u64).unwrap_or(0) as usize;
    let gpus = |k: &str| -> BTreeMap<String, f64> {
        o.get(k)
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_f64()?)))
                    .collect()
            })
            .unwrap_or_default()
    };
    Ok(Totals {
        monthly_before: need("monthly_before")?,
        monthly_after: need("monthly_after")?,
        unpriced_count: count("unpriced_count"),
        partially_priced_count: count("partially_priced_count"),
        gpu_count_by_model: gpus("gpu_count_by_model"),
        gpu_count_by_model_before: gpus("gpu_count_by_model_before"),
        gpu_max_count_by_model: gpus("gpu_max_count_by_model"),
        monthly_before_list: amount(o, "monthly_before_list", "totals")?,
        monthly_after_list: amount(o, "monthly_after_list", "totals")?,
    })
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn severity(s: &str) -> Option<Severity> {
    Some(match s {
        "info" => Severity::Info,
        "warn" => Severity::Warn,
        "deny" => Severity::Deny,
        _ => return None,
    })
}

fn book(v: &Value) -> std::result::Result<BookUse, Bad> {
    let o = obj(v, "price_book")?;
    let idle = o
        .get("idle_commitments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|i| -> std::result::Result<IdleCommitment, Bad> {
            Ok(IdleCommitment {
                id: opt_string(i, "id").unwrap_or_default(),
                kind: constant(
                    &opt_string(i, "kind").unwrap_or_default(),
                    &["reserved", "savings_plan"],
                ),
                scope: opt_string(i, "scope").unwrap_or_default(),
                detail: opt_string(i, "detail").unwrap_or_default(),
                monthly_unused: amount(i, "monthly_unused", "price_book.idle_commitments")?
                    .unwrap_or_default(),
                unused: i.get("unused").and_then(Value::as_bool).unwrap_or(false),
            })
        })
        .collect::<std::result::Result<Vec<_>, Bad>>()?;
    let fx = o
        .get("exchange_rate")
        .and_then(Value::as_object)
        .and_then(|x| {
            Some((
                x.get("per_usd")?.as_str()?.parse().ok()?,
                x.get("from")?.as_str()?.to_string(),
            ))
        });
    Ok(BookUse {
        name: opt_string(o, "name").unwrap_or_default(),
        origin: opt_string(o, "origin").unwrap_or_default(),
        currency: String::new(),
        fx,
        idle,
    })
}

/// The report document → the structures it was written from.
pub fn from_json(doc: &Value) -> std::result::Result<Saved, Bad> {
    let top = obj(doc, "the document")?;
    match top.get("version").and_then(Value::as_u64) {
        Some(v) if v == u64::from(JSON_VERSION) => {}
        Some(v) => return Err(format!("version {v}, expected {JSON_VERSION}")),
        None => return Err("no `version` number".into()),
    }
    let list = top
        .get("resources")
        .and_then(Value::as_array)
        .ok_or("no `resources` list")?;
    let resources = list
        .iter()
        .enumerate()
        .map(|(i, r)| resource(r, i))
        .collect::<std::result::Result<Vec<_>, Bad>>()?;
    let projects = top
        .get("projects")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            Some(crate::project::ProjectInfo {
                name: p.get("name")?.as_str()?.to_string(),
                path: p.get("path")?.as_str()?.to_string(),
                usage: None,
            })
        })
        .collect();
    let book = match top.get("price_book") {
        Some(b) => {
            let mut b = book(b)?;
            b.currency = opt_string(top, "currency").unwrap_or_else(|| "USD".into());
            Some(b)
        }
        None => None,
    };
    let estimate = Estimate {
        project: opt_string(top, "project").unwrap_or_default(),
        resources,
        totals: totals(top.get("totals"))?,
        warnings: strings(top.get("warnings")),
        projects,
        gaps: Vec::new(),
        book,
    };
    let Some(findings) = top.get("findings") else {
        return Ok(Saved::Estimate(estimate));
    };
    let findings = findings
        .as_array()
        .ok_or("`findings` is not a list")?
        .iter()
        .enumerate()
        .map(|(i, f)| -> std::result::Result<Finding, Bad> {
            let at = format!("findings[{i}]");
            let o = obj(f, &at)?;
            let sev = string(o, "severity", &at)?;
            Ok(Finding {
                policy: string(o, "policy", &at)?,
                severity: severity(&sev)
                    .ok_or_else(|| format!("{at}.severity `{sev}` is not info, warn or deny"))?,
                address: opt_string(o, "address").unwrap_or_default(),
                message: string(o, "message", &at)?,
                source: source(o.get("source")),
                call_site: source(o.get("call_site")),
                waived: o.get("waived").and_then(Value::as_bool).unwrap_or(false),
                waiver_note: opt_string(o, "waiver_note"),
                monthly_saving: opt_string(o, "monthly_saving"),
            })
        })
        .collect::<std::result::Result<Vec<_>, Bad>>()?;
    let policies = top
        .get("policies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let o = p.as_object()?;
            Some(PolicyMeta {
                id: opt_string(o, "id")?,
                title: opt_string(o, "title").unwrap_or_default(),
                severity: severity(o.get("severity")?.as_str()?)?,
                help: opt_string(o, "help").unwrap_or_default(),
                origin: opt_string(o, "origin").unwrap_or_default(),
            })
        })
        .collect();
    Ok(Saved::Check(CheckReport {
        warnings: strings(top.get("warnings")),
        estimate,
        findings,
        policies,
    }))
}
