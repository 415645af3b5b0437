//! `costgate explain PATH ADDRESS`: how one resource's monthly cost is computed, component by
//! component: the attribute values read, the catalog entry (cloud, region, key, unit price,
//! source URL and date), the quantity and the usage assumption behind it, the cost; both
//! sides for updates and replaces; the reason when something is not priced. Everything comes
//! from the estimate's own [`Explained`] (nothing is re-derived here) and attribute values
//! are redacted where the plan marks them sensitive.

use serde_json::{json, Value};

use crate::estimate::{Explained, JSON_VERSION};
use crate::money::{fmt2, fmt_grouped, Decimal};
use crate::resources::{Component, Costing};

use super::view::signed_money;

/// `$1,234.50/month` or `not priced`.
fn per_month(sym: &str, d: Option<Decimal>) -> String {
    d.map(|d| format!("{sym}{}/month", fmt_grouped(d)))
        .unwrap_or_else(|| "not priced".into())
}

fn m(sym: &str, d: Option<Decimal>) -> String {
    d.map(|d| format!("{sym}{}", fmt_grouped(d)))
        .unwrap_or_else(|| "not priced".into())
}

/// The text report.
pub fn render_text(x: &Explained) -> String {
    let e = &x.estimate;
    let sym = &super::book::symbol_of(x.book.as_ref());
    let mut out = String::new();
    let at = e
        .source
        .as_ref()
        .map(|s| format!(" ({}:{})", s.file, s.line))
        .unwrap_or_default();
    hline!(out, "{}{at}", e.address);
    hline!(
        out,
        "  type {} · action {} · region {}",
        e.rtype,
        e.action.as_str(),
        e.region.as_deref().unwrap_or("(not set: catalog default)")
    );
    hline!(
        out,
        "  monthly: {} → {} ({})",
        m(sym, e.monthly_before),
        m(sym, e.monthly_after),
        e.monthly_delta()
            .map(signed_money)
            .unwrap_or_else(|| "?".into())
    );
    if let Some(b) = &x.book {
        hline!(
            out,
            "  at list price: {} → {} (price book {})",
            m(sym, e.list_before()),
            m(sym, e.list_after()),
            b.name
        );
    }
    if let Some(why) = e.free {
        hline!(out, "\nCosts nothing by itself: {why}");
        return out;
    }
    let sides_say_why = [&x.before, &x.after]
        .into_iter()
        .flatten()
        .any(|c| !c.unpriced.is_empty());
    if let Some(why) = e.unpriced_reason.as_ref().filter(|_| !sides_say_why) {
        hline!(out, "  not priced: {why}");
    }
    let both = x.before.is_some() && x.after.is_some();
    for (title, side, total) in [
        ("Before the change", &x.before, e.monthly_before),
        ("After the change", &x.after, e.monthly_after),
    ] {
        let Some(c) = side else { continue };
        if both || !c.components.is_empty() || !c.unpriced.is_empty() {
            side_text(&mut out, sym, title, c, total);
        }
    }
    if let Some(u) = &e.unit_cost {
        hline!(
            out,
            "\nUnit cost: {} per 1,000 requests ({} requests a month, {})",
            super::view::per_1k(u),
            u.monthly_requests.normalize(),
            u.origin
        );
    }
    out
}

fn side_text(out: &mut String, sym: &str, title: &str, c: &Costing, total: Option<Decimal>) {
    hline!(out, "\n{title}: {}", per_month(sym, total));
    for comp in &c.components {
        component_text(out, sym, comp);
    }
    for u in &c.unpriced {
        hline!(out, "  not priced: {u}");
    }
    if let Some(g) = &c.gpu {
        hline!(
            out,
            "  GPUs: {} × {}{}",
            super::view::count(g.count),
            g.model,
            if g.potential { " (potential)" } else { "" }
        );
    }
    for n in &c.notes {
        hline!(out, "  note: {n}");
    }
}

fn component_text(out: &mut String, sym: &str, c: &Component) {
    let p = &c.price;
    let no_details = crate::resources::PriceDetails::default();
    let details = p.details.as_deref().unwrap_or(&no_details);
    let unit = if details.unit.is_empty() {
        c.unit.as_str()
    } else {
        details.unit.as_str()
    };
    hline!(out, "  {}: {sym}{}", c.name, fmt_grouped(c.monthly_cost));
    if !c.inputs.is_empty() {
        let attrs: Vec<String> = c
            .inputs
            .iter()
            .map(|i| match &i.resource {
                Some(r) => format!("{r}.{} = {}", i.attribute, i.display()),
                None => format!("{} = {}", i.attribute, i.display()),
            })
            .collect();
        hline!(out, "    attributes: {}", attrs.join(", "));
    }
    hline!(
        out,
        "    price:      {} catalog, region {}, key {} = ${} per {}{}",
        p.catalog,
        p.region,
        c.price_key,
        p.catalog_price.normalize(),
        unit,
        if c.tiered { " (first tier)" } else { "" }
    );
    if let Some(b) = super::book::component_line(sym, c) {
        hline!(out, "    price book: {b}");
    }
    if c.unit_price != p.catalog_price && !c.tiered && c.book.is_none() {
        hline!(
            out,
            "    unit price: ${} per {} used{}",
            c.unit_price.normalize(),
            unit,
            c.note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        );
    }
    let title = details
        .title
        .as_deref()
        .map(|t| format!(": {t}"))
        .unwrap_or_default();
    hline!(out, "    source:     {}{title}", p.source);
    if let Some(u) = &details.url {
        hline!(out, "                {u}");
    }
    hline!(out, "    as of:      {}", p.as_of);
    if let Some(how) = &p.derived {
        hline!(out, "    confidence: derived: {how}");
    }
    if let Some(n) = &details.note {
        hline!(out, "    catalog note: {n}");
    }
    hline!(
        out,
        "    quantity:   {} {}{}",
        c.quantity.normalize(),
        c.unit,
        basis_text(c)
    );
    hline!(
        out,
        "    cost:       {}{}",
        if c.tiered {
            format!("tiered price over {} {}", c.quantity.normalize(), c.unit)
        } else {
            format!(
                "{} × {sym}{} = {sym}{}",
                c.quantity.normalize(),
                c.unit_price.normalize(),
                fmt_grouped(c.monthly_cost)
            )
        },
        c.note
            .as_deref()
            .map(|n| format!("  ({n})"))
            .unwrap_or_default()
    );
}

/// ` = 1 × 730 (monthly_hours: default …)` or ` (storage_gb from usage file …)`.
fn basis_text(c: &Component) -> String {
    let Some(u) = &c.usage else {
        return " (from the attributes)".into();
    };
    let origin = u
        .origin
        .clone()
        .unwrap_or_else(|| "not in the usage file: 0 assumed".into());
    match (u.per, u.value) {
        (Some(per), Some(v)) => format!(
            " = {} × {} ({}: {origin})",
            per.normalize(),
            v.normalize(),
            u.key
        ),
        _ => format!(" ({}: {origin})", u.key),
    }
}

fn money(d: Option<Decimal>) -> Value {
    d.map(|d| Value::String(fmt2(d))).unwrap_or(Value::Null)
}

fn component_json(c: &Component) -> Value {
    let mut v = json!({
        "name": c.name,
        "unit": c.unit,
        "quantity": c.quantity.normalize().to_string(),
        "unit_price": c.unit_price.normalize().to_string(),
        "monthly_cost": fmt2(c.monthly_cost),
        "tiered": c.tiered,
        "usage_based": c.usage_based,
        "note": c.note,
        "price": {
            "catalog": c.price.catalog,
            "region": c.price.region,
            "key": c.price_key,
            "unit": c.price.details.as_ref().map(|d| &d.unit),
            "catalog_price": c.price.catalog_price.normalize().to_string(),
            "source": c.price.source,
            "title": c.price.details.as_ref().and_then(|d| d.title.as_ref()),
            "url": c.price.details.as_ref().and_then(|d| d.url.as_ref()),
            "as_of": c.price.as_of,
            "confidence": if c.price.derived.is_some() { "derived" } else { "list" },
            "derivation": c.price.derived,
            "note": c.price.details.as_ref().and_then(|d| d.note.as_ref()),
        },
        "usage": c.usage.as_ref().map(|u| json!({
            "key": u.key,
            "value": u.value.map(|v| v.normalize().to_string()),
            "origin": u.origin,
            "per": u.per.map(|v| v.normalize().to_string()),
        })),
        "inputs": c.inputs,
    });
    if let Some(b) = &c.book {
        v["price_book"] = json!(b);
    }
    v
}

fn side_json(c: &Option<Costing>, total: Option<Decimal>) -> Value {
    match c {
        None => Value::Null,
        Some(c) => json!({
            "monthly_cost": money(total),
            "components": c.components.iter().map(component_json).collect::<Vec<_>>(),
            "unpriced": c.unpriced,
            "notes": c.notes,
            "gpu": c.gpu.as_ref().map(|g| json!({"model": g.model, "count": g.count})),
        }),
    }
}

/// The JSON document (`explain --format json`).
pub fn render_json(x: &Explained) -> String {
    let e = &x.estimate;
    let doc = json!({
        "version": JSON_VERSION,
        "currency": x.book.as_ref().map_or("USD", |b| b.currency.as_str()),
        "address": e.address,
        "type": e.rtype,
        "action": e.action.as_str(),
        "region": e.region,
        "source": e.source.as_ref().map(|s| json!({"file": s.file, "line": s.line})),
        "monthly_cost_before": money(e.monthly_before),
        "monthly_cost": money(e.monthly_after),
        "monthly_delta": money(e.monthly_delta()),
        "unpriced_reason": e.unpriced_reason,
        "free": e.free,
        "before": side_json(&x.before, e.monthly_before),
        "after": side_json(&x.after, e.monthly_after),
        "unit_cost": e.unit_cost.as_ref().map(super::json::unit_cost),
    });
    let mut doc = doc;
    // With a price book only: the list price beside what is paid.
    if e.list.is_some() {
        doc["monthly_list_cost_before"] = money(e.list_before());
        doc["monthly_list_cost"] = money(e.list_after());
    }
    super::json::pretty(&doc)
}

/// Addresses that look like `wanted` (same text up to a few edits, or containing it), best
/// first, at most five: for the "no such resource" diagnostic.
pub fn close_matches<'a>(wanted: &str, addresses: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let w = wanted.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = addresses
        .filter_map(|a| {
            let l = a.to_ascii_lowercase();
            let d = edit_distance(&w, &l);
            let near = d <= (w.len() / 5).max(2);
            let part = l.contains(&w) || (!l.is_empty() && w.contains(&l));
            (near || part).then_some((if part { d.min(1) } else { d }, a))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(5).map(|(_, a)| a).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_matches_prefer_near_and_containing() {
        let all = [
            "aws_instance.p5",
            "aws_instance.p4d",
            "aws_ebs_volume.data",
            "module.gpu[0].aws_instance.node",
        ];
        let got = close_matches("aws_instance.p6", all.iter().copied());
        assert_eq!(got.first(), Some(&"aws_instance.p5"));
        assert!(got.contains(&"aws_instance.p4d"));
        assert!(!got.contains(&"aws_ebs_volume.data"));
        // The same resource in a module comes first.
        assert_eq!(
            close_matches("aws_instance.node", all.iter().copied()).first(),
            Some(&"module.gpu[0].aws_instance.node")
        );
        assert!(close_matches("google_thing.x", all.iter().copied()).is_empty());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
