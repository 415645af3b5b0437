//! The policy input document (`input` in Rego), version [`INPUT_VERSION`]. Its schema is
//! documented in docs/policies.md; `costgate policy input PATH` prints it.
//!
//! Money reaches policies already rounded: strings with two decimals (`"123.45"`) and integer
//! cents (`12345`), never binary floating point. Attributes are redacted (sensitive values
//! become `"(sensitive)"`).

use std::collections::{BTreeMap, HashMap};

use regorus::Value as RegoValue;
use serde_json::{json, Map, Value};

use crate::estimate::{Estimate, ResourceEstimate};
use crate::money::{cents, fmt2, to_cents, Decimal};
use crate::project::{Attrs, Project, Resource};
use crate::resources::GpuFacts;

/// Version of the input document. Bump on incompatible changes.
pub const INPUT_VERSION: u32 = 1;

/// Attribute keys that hold cost tags/labels; a resource with any of them can be tagged.
const TAG_KEYS: &[&str] = &[
    "tags",
    "tags_all",
    "labels",
    "terraform_labels",
    "effective_labels",
    "custom_tags",
    "resource_labels",
];

/// Build the document from the project, its estimate and the merged configuration.
pub fn build(project: &Project, estimate: &Estimate, config: &Value) -> Value {
    let by_address = index(project);
    let resources: Vec<Value> = estimate
        .resources
        .iter()
        .map(|e| resource(e, by_address.get(&key(e)).copied(), true))
        .collect();
    document(estimate, config, Value::Array(resources))
}

/// Does any of these policy texts read resource `attributes`? A policy can only reach them by
/// naming the key, or by walking the whole document; when none does, [`build_rego`] leaves the
/// attributes out (they are most of a large plan's input). `costgate policy input` always
/// shows them.
pub fn attributes_needed<'a>(policy_texts: impl IntoIterator<Item = &'a str>) -> bool {
    policy_texts
        .into_iter()
        .any(|t| t.contains("attributes") || t.contains("walk("))
}

/// The same document as [`build`], built straight into the engine's value type, resources in
/// parallel. Each resource is converted as soon as it is built (the JSON form of the whole
/// document never exists at once), object keys and short strings are shared rather than
/// allocated per occurrence, and the project is consumed: each resource is freed as soon as its
/// value exists, so a large plan's attributes and its input document are never all in memory.
/// Without `with_attributes` resources carry no `attributes`. `raw` holds the plan's own fields
/// the policies read (see [`super::raw_plan`]), put beside the document's.
pub fn build_rego(
    project: Project,
    estimate: &Estimate,
    config: &Value,
    with_attributes: bool,
    raw: Map<String, Value>,
) -> RegoValue {
    use rayon::prelude::*;
    // The estimate lists the project's resources in order; match them by position (checked).
    let in_order = project.resources.len() == estimate.resources.len()
        && project
            .resources
            .iter()
            .zip(&estimate.resources)
            .all(|(r, e)| (r.address.as_str(), r.deposed.as_deref()) == key(e));
    let resources: Vec<RegoValue> = if in_order {
        project
            .resources
            .into_par_iter()
            .zip(estimate.resources.par_iter())
            .map_init(ToRego::default, |conv, (r, e)| {
                conv.value(&resource(e, Some(&r), with_attributes))
            })
            .collect()
    } else {
        let by_address = index(&project);
        estimate
            .resources
            .par_iter()
            .map_init(ToRego::default, |conv, e| {
                conv.value(&resource(
                    e,
                    by_address.get(&key(e)).copied(),
                    with_attributes,
                ))
            })
            .collect()
    };
    let mut conv = ToRego::default();
    let mut doc = conv.value(&document(estimate, config, Value::Array(Vec::new())));
    let raw: Vec<(RegoValue, RegoValue)> = raw
        .into_iter()
        .map(|(k, v)| {
            let value = match v {
                Value::Array(a) => RegoValue::from(
                    a.par_iter()
                        .map_init(ToRego::default, |c, x| c.value(x))
                        .collect::<Vec<_>>(),
                ),
                other => conv.value(&other),
            };
            (conv.string(&k), value)
        })
        .collect();
    if let Ok(o) = doc.as_object_mut() {
        o.insert(conv.string("resources"), RegoValue::from(resources));
        o.extend(raw);
    }
    doc
}

type Key<'a> = (&'a str, Option<&'a str>);

fn key(e: &ResourceEstimate) -> Key<'_> {
    (e.address.as_str(), e.deposed.as_deref())
}

/// The project's resources by address (and deposed key).
fn index(project: &Project) -> HashMap<Key<'_>, &Resource> {
    project
        .resources
        .iter()
        .map(|r| ((r.address.as_str(), r.deposed.as_deref()), r))
        .collect()
}

/// The document around its `resources`.
fn document(estimate: &Estimate, config: &Value, resources: Value) -> Value {
    let t = &estimate.totals;
    let delta = t.monthly_delta();
    let projects: Vec<Value> = crate::estimate::project_totals(estimate)
        .into_iter()
        .map(|(p, t)| json!({"name": p.name, "path": p.path, "totals": totals_doc(&t)}))
        .collect();
    json!({
        "version": INPUT_VERSION,
        "currency": estimate.book.as_ref().map_or("USD", |b| b.currency.as_str()),
        "price_book": estimate.book.as_ref().map(crate::estimate::book::BookUse::json),
        "project": estimate.project,
        "projects": projects,
        "resources": resources,
        "totals": totals_doc(t),
        "coverage": coverage(estimate),
        "config": config,
        // Aliases for policies written for HCP Terraform/Sentinel and env0.
        "tfrun": {"cost_estimate": {
            "prior_monthly_cost": fmt2(t.monthly_before),
            "proposed_monthly_cost": fmt2(t.monthly_after),
            "delta_monthly_cost": fmt2(delta),
        }},
        "costEstimation": {
            "totalMonthlyCost": rounded(t.monthly_after),
            "monthlyCostDiff": rounded(delta),
        },
    })
}

/// `totals` of the document (and of each of its `projects`).
fn totals_doc(t: &crate::estimate::Totals) -> Value {
    let delta = t.monthly_delta();
    let delta_pct = (t.monthly_before > Decimal::ZERO)
        .then(|| fmt2(delta * Decimal::ONE_HUNDRED / t.monthly_before));
    json!({
        "monthly_before": fmt2(t.monthly_before),
        "monthly_after": fmt2(t.monthly_after),
        "monthly_delta": fmt2(delta),
        "monthly_before_cents": to_cents(t.monthly_before),
        "monthly_after_cents": to_cents(t.monthly_after),
        "monthly_delta_cents": to_cents(delta),
        "monthly_before_list_cents": to_cents(t.monthly_before_list.unwrap_or(t.monthly_before)),
        "monthly_after_list_cents": to_cents(t.monthly_after_list.unwrap_or(t.monthly_after)),
        "monthly_delta_list_cents": to_cents(
            t.monthly_after_list.unwrap_or(t.monthly_after)
                - t.monthly_before_list.unwrap_or(t.monthly_before)
        ),
        "monthly_delta_pct": delta_pct,
        "unpriced_count": t.unpriced_count,
        "partially_priced_count": t.partially_priced_count,
        "gpu_count_by_model": gpu_counts(&t.gpu_count_by_model),
        "gpu_count_by_model_before": gpu_counts(&t.gpu_count_by_model_before),
    })
}

/// `coverage`: what the estimate could not see or price, for the `coverage` policy and the
/// "could add" notes of `budget` and `gpu-quota` (which read no resources of their own).
fn coverage(estimate: &Estimate) -> Value {
    let gaps: Vec<Value> = estimate
        .gaps
        .iter()
        .map(|g| {
            json!({
                "kind": g.kind,
                "address": g.address,
                "source": g.source,
                "reason": g.reason,
                "location": g.location.as_ref().map(|s| json!({"file": s.file, "line": s.line})),
            })
        })
        .collect();
    let unpriced: Vec<&str> = estimate
        .resources
        .iter()
        .filter(|e| !e.is_priced() && e.free.is_none())
        .map(|e| e.address.as_str())
        .collect();
    let partly: Vec<&str> = estimate
        .resources
        .iter()
        .filter(|e| e.is_partly_priced())
        .map(|e| e.address.as_str())
        .collect();
    let unknown: Vec<&str> = estimate
        .resources
        .iter()
        .filter(|e| e.coverage.unknown_instances.is_some())
        .map(|e| e.address.as_str())
        .collect();
    json!({
        "gaps": gaps,
        "unknown_instances": unknown,
        "unpriced": unpriced,
        "partially_priced": partly,
    })
}

fn resource(e: &ResourceEstimate, r: Option<&Resource>, with_attributes: bool) -> Value {
    let attrs = |a: Option<&Attrs>| a.map(Attrs::redacted).unwrap_or(Value::Null);
    let (before, after) = match r {
        Some(r) if with_attributes => (attrs(r.before.as_ref()), attrs(r.after.as_ref())),
        _ => (Value::Null, Value::Null),
    };
    let taggable = crate::resources::taggable_type(&e.rtype).unwrap_or_else(|| {
        !e.tags.is_empty()
            || r.is_some_and(|r| {
                [&r.before, &r.after]
                    .into_iter()
                    .flatten()
                    .any(|a| has_tag_key(&a.values))
            })
    });
    let money = |d: Option<Decimal>| d.map(|d| json!(fmt2(d))).unwrap_or(Value::Null);
    let cents_of = |d: Option<Decimal>| d.map(|d| json!(to_cents(d))).unwrap_or(Value::Null);
    let mut m = Map::new();
    m.insert("address".into(), json!(e.address));
    m.insert(
        "project".into(),
        json!(crate::projects::project_of(&e.address)),
    );
    m.insert("module".into(), json!(e.module));
    m.insert("type".into(), json!(e.rtype));
    m.insert("name".into(), json!(e.name));
    m.insert("provider".into(), json!(e.provider));
    m.insert("action".into(), json!(e.action.as_str()));
    m.insert("region".into(), json!(e.region));
    m.insert("deposed".into(), json!(e.deposed));
    m.insert("tags".into(), json!(e.tags));
    m.insert("tags_known".into(), json!(e.tags_known));
    m.insert("taggable".into(), json!(taggable));
    if with_attributes {
        m.insert(
            "attributes".into(),
            json!({"before": before, "after": after}),
        );
    }
    m.insert("gpu".into(), gpu(&e.gpu));
    m.insert("gpu_before".into(), gpu(&e.gpu_before));
    m.insert("idle".into(), json!(e.idle));
    m.insert("priced".into(), json!(e.is_priced()));
    m.insert("free".into(), json!(e.free.is_some()));
    m.insert("unpriced_reason".into(), json!(e.unpriced_reason));
    m.insert("partially_priced".into(), json!(e.is_partly_priced()));
    m.insert("unpriced_parts".into(), json!(e.coverage.partial));
    m.insert(
        "unknown_instances".into(),
        json!(e.coverage.unknown_instances),
    );
    m.insert(
        "nearest_region".into(),
        match &e.coverage.nearest {
            Some((region, m)) => json!({"region": region, "monthly_cost": fmt2(*m), "monthly_cost_cents": to_cents(*m)}),
            None => Value::Null,
        },
    );
    m.insert("monthly_cost_before".into(), money(e.monthly_before));
    m.insert("monthly_cost".into(), money(e.monthly_after));
    m.insert("monthly_delta".into(), money(e.monthly_delta()));
    m.insert(
        "monthly_cost_before_cents".into(),
        cents_of(e.monthly_before),
    );
    m.insert("monthly_cost_cents".into(), cents_of(e.monthly_after));
    m.insert("monthly_delta_cents".into(), cents_of(e.monthly_delta()));
    // List and effective (what this organisation pays: the price book's prices; the same
    // as list without a book).
    m.insert(
        "cost".into(),
        json!({
            "effective_cents": cents_of(e.monthly_after),
            "list_cents": cents_of(e.list_after()),
            "effective_before_cents": cents_of(e.monthly_before),
            "list_before_cents": cents_of(e.list_before()),
        }),
    );
    m.insert("savings".into(), savings(&e.savings));
    m.insert(
        "source".into(),
        e.source
            .as_ref()
            .map(|s| json!({"file": s.file, "line": s.line}))
            .unwrap_or(Value::Null),
    );
    Value::Object(m)
}

/// `savings`: what cheaper alternatives would save a month (money as two-decimal strings and
/// integer cents), for the `savings-*` policies; null when there is nothing to advise.
fn savings(s: &crate::estimate::savings::Savings) -> Value {
    if s.is_empty() {
        return Value::Null;
    }
    let mut m = Map::new();
    let mut money = |name: &str, d: Option<Decimal>| {
        m.insert(format!("{name}_monthly"), json!(d.map(fmt2)));
        m.insert(format!("{name}_monthly_cents"), json!(d.map(to_cents)));
    };
    money("spot", s.spot);
    money("gp3", s.gp3);
    money("min_zero", s.min_zero);
    money("scheduled", s.scheduled);
    money(
        "smallest_notebook",
        s.smallest_notebook.as_ref().map(|n| n.1),
    );
    m.insert("spot_basis".into(), json!(s.spot_basis));
    m.insert(
        "spot_discount_pct".into(),
        json!(s
            .spot_discount
            .map(|(d, _)| (d * Decimal::ONE_HUNDRED).normalize().to_string())),
    );
    m.insert(
        "spot_discount_from".into(),
        json!(s
            .spot_discount
            .map(|(_, given)| if given { "usage-file" } else { "default" })),
    );
    m.insert(
        "scheduled_hours".into(),
        json!(s.scheduled_hours.map(|h| h.normalize().to_string())),
    );
    m.insert(
        "smallest_notebook_type".into(),
        json!(s.smallest_notebook.as_ref().map(|n| &n.0)),
    );
    m.insert("notebook_type".into(), json!(s.notebook_type));
    // Figures that do not apply are left out (a policy reads them as undefined, like null).
    m.retain(|_, v| !v.is_null());
    Value::Object(m)
}

/// serde_json → regorus values. Strings up to [`ToRego::SHARED_LEN`] bytes (every object key,
/// types, actions, regions, tag values, GPU models) are allocated once and shared: the same
/// value regorus' own JSON parser would build, in a fraction of the memory.
#[derive(Default)]
struct ToRego {
    shared: HashMap<String, RegoValue>,
}

impl ToRego {
    const SHARED_LEN: usize = 40;

    fn string(&mut self, s: &str) -> RegoValue {
        if s.len() > Self::SHARED_LEN {
            return RegoValue::from(s);
        }
        if let Some(v) = self.shared.get(s) {
            return v.clone();
        }
        let v = RegoValue::from(s);
        self.shared.insert(s.to_string(), v.clone());
        v
    }

    fn value(&mut self, v: &Value) -> RegoValue {
        match v {
            Value::Null => RegoValue::Null,
            Value::Bool(b) => RegoValue::from(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => RegoValue::from(u),
                (None, Some(i), _) => RegoValue::from(i),
                (None, None, Some(f)) => RegoValue::from(f),
                (None, None, None) => RegoValue::Null,
            },
            Value::String(s) => self.string(s),
            Value::Array(a) => RegoValue::from(a.iter().map(|x| self.value(x)).collect::<Vec<_>>()),
            Value::Object(o) => RegoValue::from(
                o.iter()
                    .map(|(k, x)| (self.string(k), self.value(x)))
                    .collect::<BTreeMap<_, _>>(),
            ),
        }
    }
}

fn has_tag_key(attrs: &Value) -> bool {
    attrs
        .as_object()
        .is_some_and(|o| TAG_KEYS.iter().any(|k| o.contains_key(*k)))
}

fn gpu(g: &Option<GpuFacts>) -> Value {
    match g {
        None => Value::Null,
        Some(g) => json!({
            "model": g.model,
            "family": g.family,
            "vendor": g.vendor,
            "per_node": number(g.per_node),
            "count": number(g.count),
            "max_count": number(g.max_count),
            "nodes": {"min": g.nodes_min, "desired": g.nodes_desired, "max": g.nodes_max},
            "spot": g.spot,
            "potential": g.potential,
        }),
    }
}

fn gpu_counts(m: &std::collections::BTreeMap<String, f64>) -> Value {
    Value::Object(m.iter().map(|(k, v)| (k.clone(), number(*v))).collect())
}

/// Whole numbers as JSON integers (so `%d`/`%v` print `8`, not `8.0`); fractions stay numbers.
fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        json!(f as i64)
    } else {
        json!(f)
    }
}

/// A money value as a JSON number with at most two decimals (shortest form, e.g. `123.45`).
fn rounded(d: Decimal) -> Value {
    let s = cents(d).normalize().to_string();
    serde_json::from_str(&s).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_numbers_have_no_noise() {
        let d: Decimal = "1234.5".parse().unwrap();
        assert_eq!(rounded(d).to_string(), "1234.5");
        assert_eq!(number(8.0).to_string(), "8");
        assert_eq!(number(0.5).to_string(), "0.5");
    }

    #[test]
    fn the_engine_document_equals_the_json_document() {
        let (project, estimate) = crate::estimate::fixture("aws-ml-platform-create");
        assert!(estimate.resources.len() > 5);
        let config = json!({"policies": {"budget": {"deny": {"total_monthly": 1.5}}}});
        let json = build(&project, &estimate, &config);
        let parsed = RegoValue::from_json_str(&json.to_string()).unwrap();
        assert_eq!(
            build_rego(project.clone(), &estimate, &config, true, Map::new()),
            parsed
        );
        let lean = build_rego(project, &estimate, &config, false, Map::new());
        let first = &lean["resources"][0];
        assert!(first["address"].as_string().is_ok());
        assert_eq!(first["attributes"], RegoValue::Undefined);
    }

    #[test]
    fn attributes_are_needed_when_a_policy_names_them_or_walks_the_input() {
        assert!(!attributes_needed([
            "package a\ndeny contains 1 if input.resources[_].tags"
        ]));
        assert!(attributes_needed(["x", "r.attributes.after.size > 1"]));
        assert!(attributes_needed(["walk(input, [p, v])"]));
    }

    #[test]
    fn tag_keys_make_a_resource_taggable() {
        assert!(has_tag_key(&json!({"tags": null})));
        assert!(!has_tag_key(&json!({"name": "x"})));
    }
}
