//! The JSON contract (`version: 1`): see DESIGN.md / README. Money is a string with two
//! decimals (or null when not priced).

use serde_json::{json, Map, Value};

use crate::estimate::{Estimate, ResourceEstimate, JSON_VERSION};
use crate::money::{fmt2, Decimal};

fn money(d: Option<Decimal>) -> Value {
    d.map(|d| Value::String(fmt2(d))).unwrap_or(Value::Null)
}

fn num(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        json!(f as i64)
    } else {
        json!(f)
    }
}

pub fn resource(r: &ResourceEstimate) -> Value {
    let components: Vec<Value> = r
        .components
        .iter()
        .map(|c| {
            let mut m = Map::new();
            m.insert("name".into(), json!(c.name));
            m.insert("unit".into(), json!(c.unit));
            m.insert("quantity".into(), json!(c.quantity.normalize().to_string()));
            m.insert(
                "unit_price".into(),
                json!(c.unit_price.normalize().to_string()),
            );
            m.insert("monthly_cost".into(), json!(fmt2(c.monthly_cost)));
            m.insert("price_key".into(), json!(c.price_key));
            m.insert("price_source".into(), json!(c.price_source));
            if let Some(how) = &c.price.derived {
                m.insert("price_confidence".into(), json!("derived"));
                m.insert("price_derivation".into(), json!(how));
            }
            if c.usage_based {
                m.insert("usage_based".into(), json!(true));
            }
            if c.tiered {
                m.insert("tiered".into(), json!(true));
            }
            if let Some(n) = &c.note {
                m.insert("note".into(), json!(n));
            }
            if let Some(b) = &c.book {
                m.insert(
                    "list_unit_price".into(),
                    json!(b.list_unit_price.normalize().to_string()),
                );
                m.insert("list_monthly_cost".into(), json!(fmt2(b.list_monthly_cost)));
                if let Some(a) = &b.adjustment {
                    m.insert("price_book".into(), json!(a));
                }
                if !b.commitments.is_empty() {
                    let cs: Vec<Value> = b
                        .commitments
                        .iter()
                        .map(|u| {
                            json!({
                                "id": u.id,
                                "kind": u.kind,
                                "quantity": u.quantity.normalize().to_string(),
                                "unit_price": u.unit_price.normalize().to_string(),
                            })
                        })
                        .collect();
                    m.insert("commitments".into(), Value::Array(cs));
                }
            }
            Value::Object(m)
        })
        .collect();
    let gpu = |g: &Option<crate::resources::GpuFacts>| match g {
        Some(g) if g.potential => json!({
            "model": g.model,
            "count": num(g.count),
            "per_node": num(g.per_node),
            "nodes": {"min": g.nodes_min, "desired": g.nodes_desired, "max": g.nodes_max},
            "max_count": num(g.max_count),
            "family": g.family,
            "spot": g.spot,
            "potential": true,
        }),
        Some(g) => json!({
            "model": g.model,
            "count": num(g.count),
            "per_node": num(g.per_node),
            "nodes": {"min": g.nodes_min, "desired": g.nodes_desired, "max": g.nodes_max},
            "max_count": num(g.max_count),
            "family": g.family,
            "spot": g.spot,
        }),
        None => Value::Null,
    };
    let mut m = Map::new();
    m.insert("address".into(), json!(r.address));
    if let Some(p) = crate::projects::project_of(&r.address) {
        m.insert("project".into(), json!(p));
    }
    m.insert("type".into(), json!(r.rtype));
    m.insert("action".into(), json!(r.action.as_str()));
    m.insert("region".into(), json!(r.region));
    m.insert("monthly_cost_before".into(), money(r.monthly_before));
    m.insert("monthly_cost".into(), money(r.monthly_after));
    m.insert("monthly_delta".into(), money(r.monthly_delta()));
    // With a price book: the list price beside what this organisation pays.
    if r.list.is_some() {
        m.insert("monthly_list_cost_before".into(), money(r.list_before()));
        m.insert("monthly_list_cost".into(), money(r.list_after()));
    }
    m.insert("components".into(), Value::Array(components));
    m.insert("gpu".into(), gpu(&r.gpu));
    if r.gpu_before.is_some() && r.gpu_before != r.gpu {
        m.insert("gpu_before".into(), gpu(&r.gpu_before));
    }
    m.insert("tags".into(), json!(r.tags));
    m.insert(
        "source".into(),
        r.source
            .as_ref()
            .map(|s| json!({"file": s.file, "line": s.line}))
            .unwrap_or(Value::Null),
    );
    m.insert("unpriced_reason".into(), json!(r.unpriced_reason));
    if let Some(f) = r.free {
        m.insert("free".into(), json!(f));
    }
    if !r.notes.is_empty() {
        m.insert("notes".into(), json!(r.notes));
    }
    if let Some(i) = &r.idle {
        m.insert("idle".into(), json!(i));
    }
    if let Some(d) = &r.deposed {
        m.insert("deposed".into(), json!(d));
    }
    if let Some(u) = &r.unit_cost {
        m.insert("unit_cost".into(), unit_cost(u));
    }
    Value::Object(m)
}

/// `{"monthly_requests": "10000000", "origin": "…", "cost_per_1k_requests": "4.0187"}`.
pub fn unit_cost(u: &crate::estimate::unit::UnitCost) -> Value {
    json!({
        "monthly_requests": u.monthly_requests.normalize().to_string(),
        "origin": u.origin,
        "cost_per_1k_requests": u.cost_per_1k_requests.map(|d| format!("{d:.4}")),
    })
}

pub fn totals(e: &Estimate) -> Value {
    let mut t = totals_json(&e.totals);
    if e.book.is_some() {
        add_list_totals(&mut t, &e.totals);
    }
    t
}

/// `monthly_before_list`, `monthly_after_list`, `monthly_delta_list` (a price book is in use).
fn add_list_totals(v: &mut Value, t: &crate::estimate::Totals) {
    let before = t.monthly_before_list.unwrap_or(t.monthly_before);
    let after = t.monthly_after_list.unwrap_or(t.monthly_after);
    if let Some(o) = v.as_object_mut() {
        o.insert("monthly_before_list".into(), json!(fmt2(before)));
        o.insert("monthly_after_list".into(), json!(fmt2(after)));
        o.insert("monthly_delta_list".into(), json!(fmt2(after - before)));
    }
}

/// `price_book`: the book in use (name, where it was read, currency, idle commitments).
pub fn price_book(b: &crate::estimate::book::BookUse) -> Value {
    b.json()
}

/// `projects`: name, path and totals of each project of a monorepo run.
pub fn projects(e: &Estimate) -> Value {
    crate::estimate::project_totals(e)
        .into_iter()
        .map(|(p, t)| {
            let mut tj = totals_json(&t);
            if e.book.is_some() {
                add_list_totals(&mut tj, &t);
            }
            json!({"name": p.name, "path": p.path, "totals": tj})
        })
        .collect()
}

fn totals_json(t: &crate::estimate::Totals) -> Value {
    let gpus = |m: &std::collections::BTreeMap<String, f64>| {
        Value::Object(m.iter().map(|(k, v)| (k.clone(), num(*v))).collect())
    };
    json!({
        "monthly_before": fmt2(t.monthly_before),
        "monthly_after": fmt2(t.monthly_after),
        "monthly_delta": fmt2(t.monthly_delta()),
        "unpriced_count": t.unpriced_count,
        "partially_priced_count": t.partially_priced_count,
        "gpu_count_by_model": gpus(&t.gpu_count_by_model),
        "gpu_count_by_model_before": gpus(&t.gpu_count_by_model_before),
        "gpu_max_count_by_model": gpus(&t.gpu_max_count_by_model),
    })
}

/// A top-level entry of a report document: a small value, or a list converted one item at a
/// time while it is written (a large plan's resources and findings never exist as one
/// `Value` tree).
enum Part<'a> {
    Value(Value),
    Resources(&'a [ResourceEstimate]),
    Findings(&'a [crate::policy::finding::Finding]),
}

impl serde::Serialize for Part<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        match self {
            Part::Value(v) => v.serialize(s),
            Part::Resources(rs) => {
                let mut seq = s.serialize_seq(Some(rs.len()))?;
                for r in rs.iter() {
                    seq.serialize_element(&resource(r))?;
                }
                seq.end()
            }
            Part::Findings(fs) => {
                let mut seq = s.serialize_seq(Some(fs.len()))?;
                for f in fs.iter() {
                    seq.serialize_element(&finding(f))?;
                }
                seq.end()
            }
        }
    }
}

/// A report document: its top-level keys in sorted order (as a `Value` object writes them).
pub struct Document<'a>(std::collections::BTreeMap<&'static str, Part<'a>>);

impl serde::Serialize for Document<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter())
    }
}

impl<'a> Document<'a> {
    /// The document of `estimate --format json`.
    pub fn estimate(e: &'a Estimate) -> Self {
        let mut doc = std::collections::BTreeMap::new();
        doc.insert("version", Part::Value(json!(JSON_VERSION)));
        doc.insert(
            "currency",
            Part::Value(json!(e
                .book
                .as_ref()
                .map_or("USD", |b| b.currency.as_str()))),
        );
        doc.insert("project", Part::Value(json!(e.project)));
        doc.insert("resources", Part::Resources(&e.resources));
        doc.insert("totals", Part::Value(totals(e)));
        doc.insert("warnings", Part::Value(json!(e.warnings)));
        if !e.projects.is_empty() {
            doc.insert("projects", Part::Value(projects(e)));
        }
        if let Some(b) = &e.book {
            doc.insert("price_book", Part::Value(price_book(b)));
        }
        Document(doc)
    }

    /// The document of `check --format json`: the estimate document plus `findings`.
    pub fn check(r: &'a crate::policy::finding::CheckReport) -> Self {
        let mut doc = Self::estimate(&r.estimate);
        doc.0.insert("findings", Part::Findings(&r.findings));
        doc.0.insert("policies", Part::Value(json!(r.policies)));
        doc.0.insert("warnings", Part::Value(json!(r.warnings)));
        doc
    }

    /// Add a top-level entry (e.g. `group_by`).
    pub fn insert(&mut self, key: &'static str, value: Value) {
        self.0.insert(key, Part::Value(value));
    }

    /// Write the document as pretty JSON with a final newline.
    pub fn write(&self, out: impl std::io::Write) -> std::io::Result<()> {
        use std::io::Write;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
        serde_json::to_writer_pretty(&mut out, self)?;
        out.write_all(b"\n")?;
        out.flush()
    }

    /// The document as a JSON value.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("JSON values serialize")
    }
}

/// The whole document for `estimate --format json`.
pub fn estimate_document(e: &Estimate) -> Value {
    Document::estimate(e).to_value()
}

pub fn render_estimate(e: &Estimate) -> String {
    pretty(&estimate_document(e))
}

/// Pretty JSON text with a final newline.
pub fn pretty(doc: &Value) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("JSON values serialize");
    s.push('\n');
    s
}

fn finding(f: &crate::policy::finding::Finding) -> Value {
    let mut m = Map::new();
    m.insert("policy".into(), json!(f.policy));
    m.insert("severity".into(), json!(f.severity.as_str()));
    m.insert("address".into(), json!(f.address));
    m.insert("message".into(), json!(f.message));
    m.insert(
        "source".into(),
        f.source
            .as_ref()
            .map(|s| json!({"file": s.file, "line": s.line}))
            .unwrap_or(Value::Null),
    );
    if let Some(c) = &f.call_site {
        m.insert("call_site".into(), json!({"file": c.file, "line": c.line}));
    }
    m.insert("waived".into(), json!(f.waived));
    if let Some(n) = &f.waiver_note {
        m.insert("waiver_note".into(), json!(n));
    }
    if let Some(s) = &f.monthly_saving {
        m.insert("monthly_saving".into(), json!(s));
    }
    Value::Object(m)
}

/// The document for `check --format json`: the estimate document plus `findings`.
pub fn check_document(r: &crate::policy::finding::CheckReport) -> Value {
    Document::check(r).to_value()
}

pub fn render_check(r: &crate::policy::finding::CheckReport) -> String {
    pretty(&check_document(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_streamed_document_equals_the_value_document() {
        let (_, estimate) = crate::estimate::fixture("aws-ml-platform-create");
        assert!(estimate.resources.len() > 5);
        let mut streamed = Vec::new();
        let mut doc = Document::estimate(&estimate);
        doc.insert("group_by", json!({"team": []}));
        doc.write(&mut streamed).unwrap();
        let value = doc.to_value();
        assert_eq!(String::from_utf8(streamed).unwrap(), pretty(&value));
        assert_eq!(
            value["resources"].as_array().unwrap().len(),
            estimate.resources.len()
        );
        assert_eq!(value["resources"][0], resource(&estimate.resources[0]));
        assert!(value["group_by"].is_object());
    }
}
