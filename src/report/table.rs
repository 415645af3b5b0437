//! Human table for `estimate`: one line per resource with before → after and delta, its
//! components beneath, then totals, GPUs by model and the unpriced resources with reasons.

use std::fmt::Write as _;

use crate::estimate::Estimate;
use crate::money::{fmt_grouped, Decimal};

fn m(d: Option<Decimal>) -> String {
    d.map(fmt_grouped).unwrap_or_else(|| "?".into())
}

fn signed(d: Option<Decimal>) -> String {
    match d {
        Some(d) if d > Decimal::ZERO => format!("+{}", fmt_grouped(d)),
        Some(d) => fmt_grouped(d),
        None => "?".into(),
    }
}

pub fn render(e: &Estimate) -> String {
    render_with(e, true)
}

/// `detail = false` (`-q`): resource lines and totals only, no components or notes.
pub fn render_with(e: &Estimate, detail: bool) -> String {
    let _currency = super::book::CurrencyGuard::set(e);
    let mut out = String::new();
    let rows: Vec<_> = e.resources.iter().filter(|r| r.free.is_none()).collect();
    let w = rows
        .iter()
        .map(|r| r.address.len())
        .max()
        .unwrap_or(8)
        .clamp(8, 70);
    hline!(out, "{}", e.project);
    let projects = crate::estimate::project_totals(e);
    if !projects.is_empty() {
        let pw = projects
            .iter()
            .map(|(p, _)| p.name.len())
            .max()
            .unwrap_or(7)
            .clamp(7, 70);
        hline!(
            out,
            "{:<pw$}  {:>13} {:>13} {:>13}",
            "PROJECT",
            "BEFORE/MO",
            "AFTER/MO",
            "DELTA/MO"
        );
        for (p, t) in &projects {
            hline!(
                out,
                "{:<pw$}  {:>13} {:>13} {:>13}",
                p.name,
                m(Some(t.monthly_before)),
                m(Some(t.monthly_after)),
                signed(Some(t.monthly_delta()))
            );
        }
        out.push('\n');
    }
    let sym = super::book::symbol(e);
    // With a price book the list price stands beside what this organisation pays.
    let list_head = if e.book.is_some() {
        format!(" {:>13}", "LIST/MO")
    } else {
        String::new()
    };
    hline!(
        out,
        "{:<w$}  {:<8} {:>13} {:>13}{list_head} {:>13}",
        "RESOURCE",
        "ACTION",
        "BEFORE/MO",
        "AFTER/MO",
        "DELTA/MO"
    );
    for r in &rows {
        let list = if e.book.is_some() {
            format!(" {:>13}", m(r.list_after()))
        } else {
            String::new()
        };
        hline!(
            out,
            "{:<w$}  {:<8} {:>13} {:>13}{list} {:>13}",
            r.address,
            r.action.as_str(),
            m(r.monthly_before),
            m(r.monthly_after),
            signed(r.monthly_delta())
        );
        if !detail {
            continue;
        }
        for c in &r.components {
            let mut line = format!(
                "    {} — {} {} × {sym}{} = {sym}{}",
                c.name,
                c.quantity.normalize(),
                c.unit,
                c.unit_price.normalize(),
                fmt_grouped(c.monthly_cost)
            );
            if let Some(n) = &c.note {
                let _ = write!(line, "  ({n})");
            }
            if let Some(b) = super::book::component_line(&sym, c) {
                let _ = write!(line, "  [{b}]");
            }
            hline!(out, "{line}");
        }
        if let Some(g) = r.gpu.as_ref().filter(|g| g.potential) {
            hline!(
                out,
                "    GPUs: potential {} (none run until apps start)",
                g.model
            );
        } else if let Some(g) = &r.gpu {
            hline!(
                out,
                "    GPUs: {} × {}{}",
                g.count,
                g.model,
                if g.nodes_max != g.nodes_desired {
                    format!(" (up to {} at max size)", g.max_count)
                } else {
                    String::new()
                }
            );
        }
        if let Some(u) = &r.unpriced_reason {
            hline!(out, "    not priced: {u}");
        }
        if let Some(u) = &r.unit_cost {
            hline!(
                out,
                "    unit cost: {} per 1,000 requests ({} requests/month)",
                super::view::per_1k(u),
                u.monthly_requests.normalize()
            );
        }
        for n in &r.notes {
            hline!(out, "    note: {n}");
        }
    }
    let t = &e.totals;
    let _ = writeln!(out);
    hline!(
        out,
        "Monthly total: {sym}{} → {sym}{} ({})",
        fmt_grouped(t.monthly_before),
        fmt_grouped(t.monthly_after),
        signed(Some(t.monthly_delta()))
    );
    for l in super::book::summary_lines(e) {
        hline!(out, "{l}");
    }
    if !t.gpu_count_by_model.is_empty() {
        let g: Vec<String> = t
            .gpu_count_by_model
            .iter()
            .map(|(k, v)| match t.gpu_max_count_by_model.get(k) {
                Some(max) if max > v => format!("{v} × {k} (up to {max})"),
                _ => format!("{v} × {k}"),
            })
            .collect();
        hline!(out, "GPUs after the change: {}", g.join(", "));
    }
    let free = e.resources.len() - rows.len();
    if free > 0 {
        hline!(
            out,
            "{free} resource(s) cost nothing by themselves (IAM, templates, glue)."
        );
    }
    if t.unpriced_count > 0 {
        hline!(
            out,
            "{} resource(s) not priced (excluded from the totals):",
            t.unpriced_count
        );
        for r in e.resources.iter().filter(|r| !r.is_priced()) {
            hline!(
                out,
                "  {}: {}",
                r.address,
                r.unpriced_reason.as_deref().unwrap_or("")
            );
        }
    }
    for w in &e.warnings {
        hline!(out, "warning: {w}");
    }
    out
}
