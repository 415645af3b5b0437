//! A self-contained HTML report page (`estimate --format html`, `check --format html`): inline
//! CSS and an inline SVG bar chart of monthly cost by resource type, totals, GPUs, findings and
//! every resource. No scripts, fonts, images or any other external asset, so the file can be
//! archived as a CI artifact and opened anywhere. All plan text is HTML-escaped.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::view::{after_address, count, gpu_rows, signed_dollars, ReportView};
use crate::money::{fmt_grouped, Decimal};
use crate::policy::finding::Severity;

/// Bars in the chart (the rest are summed into "other").
const MAX_BARS: usize = 12;

fn esc(s: &str) -> String {
    super::escape::html(s)
}

/// An address with line-break opportunities after `.` and before `[` (long module paths wrap
/// between their parts, not mid-name).
fn addr(s: &str) -> String {
    esc(s).replace('.', ".<wbr>").replace('[', "<wbr>[")
}

/// Monorepo: one row per project.
fn projects(out: &mut String, v: &ReportView) {
    let rows = crate::estimate::project_totals(v.estimate);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "<h2>Projects</h2>\n<table id=\"projects\"><thead><tr><th>Project</th><th class=\"num\">Before</th><th class=\"num\">After</th><th class=\"num\">Change</th></tr></thead><tbody>");
    for (p, t) in rows {
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&p.name),
            money(Some(t.monthly_before)),
            money(Some(t.monthly_after)),
            crate::report::view::signed_dollars(t.monthly_delta())
        );
    }
    let _ = writeln!(out, "</tbody></table>");
}

fn money(d: Option<Decimal>) -> String {
    d.map(|d| format!("{}{}", super::book::sym(), fmt_grouped(d)))
        .unwrap_or_else(|| "not priced".into())
}

const STYLE: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1f2328}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}.card{border:1px solid #d0d7de;border-radius:6px;padding:.75rem 1rem;min-width:10rem}
.card b{display:block;font-size:1.3rem}.up{color:#cf222e}.down{color:#1a7f37}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}code{font-size:12px;background:#f6f8fa;padding:0 .2rem;border-radius:3px}
td code{overflow-wrap:break-word}td.res{min-width:13rem}td.sev{white-space:nowrap}td.policy{min-width:9rem}
td.deny,span.deny{color:#cf222e;font-weight:600}td.warn,span.warn{color:#9a6700;font-weight:600}tr.waived{color:#656d76}
svg{max-width:100%;height:auto}svg text{font:12px system-ui,sans-serif;fill:#1f2328}svg .bar{fill:#0969da}svg .before{fill:#afb8c1}svg .other{fill:#8c959f}
svg .up{fill:#cf222e}svg .down{fill:#1a7f37}";

/// Render the page.
pub fn render(v: &ReportView) -> String {
    let _currency = super::book::CurrencyGuard::set(v.estimate);
    let e = v.estimate;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>costgate · {}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n",
        esc(&e.project)
    );
    let _ = writeln!(
        out,
        "<h1>costgate cost report</h1>\n<p>Project <code>{}</code> · costgate {} · USD per month</p>",
        esc(&e.project),
        env!("CARGO_PKG_VERSION")
    );
    cards(&mut out, v);
    projects(&mut out, v);
    let _ = writeln!(out, "<h2>Monthly cost by resource type</h2>");
    out.push_str(&chart(v));
    gpus(&mut out, v);
    findings(&mut out, v);
    resources(&mut out, v);
    out.push_str("</body>\n</html>\n");
    out
}

fn cards(out: &mut String, v: &ReportView) {
    let t = &v.estimate.totals;
    let d = t.monthly_delta();
    let class = match d.cmp(&Decimal::ZERO) {
        std::cmp::Ordering::Greater => "up",
        std::cmp::Ordering::Less => "down",
        std::cmp::Ordering::Equal => "",
    };
    let _ = writeln!(out, "<div class=\"cards\">");
    let _ = writeln!(
        out,
        "<div class=\"card\">Before<b id=\"total-before\">{}</b></div>",
        money(Some(t.monthly_before))
    );
    let _ = writeln!(
        out,
        "<div class=\"card\">After<b id=\"total-after\">{}</b></div>",
        money(Some(t.monthly_after))
    );
    let _ = writeln!(
        out,
        "<div class=\"card\">Change<b id=\"total-delta\" class=\"{class}\">{}</b></div>",
        signed_dollars(d)
    );
    if let Some(b) = &v.estimate.book {
        let _ = writeln!(
            out,
            "<div class=\"card\">At list price<b id=\"total-after-list\">{}</b>{}</div>",
            money(Some(t.monthly_after_list.unwrap_or(t.monthly_after))),
            esc(&b.name)
        );
    }
    if t.unpriced_count > 0 {
        let _ = writeln!(
            out,
            "<div class=\"card\">Not priced<b id=\"unpriced\">{}</b></div>",
            t.unpriced_count
        );
    }
    if v.check.is_some() {
        let _ = writeln!(
            out,
            "<div class=\"card\">Findings<b id=\"findings-count\"><span class=\"deny\">{} deny</span> · <span class=\"warn\">{} warn</span></b></div>",
            v.count(Severity::Deny),
            v.count(Severity::Warn)
        );
    }
    let _ = writeln!(out, "</div>");
}

/// One bar pair of the chart: a resource type's monthly cost before and after the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeCost {
    pub rtype: String,
    pub before: Decimal,
    pub after: Decimal,
}

/// Monthly cost before and after the change, summed by resource type (types that cost
/// something on either side), largest first; past `MAX_BARS` the rest is one "other" row.
pub fn cost_by_type(v: &ReportView) -> Vec<TypeCost> {
    let mut by: BTreeMap<&str, (Decimal, Decimal)> = BTreeMap::new();
    for r in &v.estimate.resources {
        let (b, a) = (
            r.monthly_before.unwrap_or_default(),
            r.monthly_after.unwrap_or_default(),
        );
        if !(b.is_zero() && a.is_zero()) {
            let e = by.entry(&r.rtype).or_default();
            e.0 += b;
            e.1 += a;
        }
    }
    let mut v: Vec<TypeCost> = by
        .into_iter()
        .map(|(k, (before, after))| TypeCost {
            rtype: k.to_string(),
            before,
            after,
        })
        .collect();
    v.sort_by(|x, y| {
        y.before
            .max(y.after)
            .cmp(&x.before.max(x.after))
            .then_with(|| x.rtype.cmp(&y.rtype))
    });
    if v.len() > MAX_BARS {
        let rest = v.split_off(MAX_BARS - 1);
        v.push(TypeCost {
            rtype: format!("other ({} types)", rest.len()),
            before: rest.iter().map(|x| x.before).sum(),
            after: rest.iter().map(|x| x.after).sum(),
        });
    }
    v
}

/// Chart geometry: label column (sized to the longest label, capped), bar area, rows.
const LABEL_MAX_CHARS: usize = 44;
const CHAR_W: u32 = 7;
const BAR_W: u32 = 440;
const ROW_H: u32 = 30;
const LEGEND_H: u32 = 24;

/// A label that fits the label column (the full text stays in the bar's tooltip).
fn short_label(s: &str) -> String {
    if s.chars().count() <= LABEL_MAX_CHARS {
        s.to_string()
    } else {
        let keep: String = s.chars().take(LABEL_MAX_CHARS - 1).collect();
        format!("{keep}…")
    }
}

fn bar_width(cost: Decimal, max: Decimal) -> u32 {
    use rust_decimal::prelude::ToPrimitive;
    if max.is_zero() || cost.is_zero() {
        return 0;
    }
    (cost / max * Decimal::from(BAR_W))
        .round()
        .to_u32()
        .unwrap_or(0)
        .max(1)
}

fn chart(v: &ReportView) -> String {
    let bars = cost_by_type(v);
    if bars.is_empty() {
        return "<p id=\"cost-chart-empty\">No priced resource costs anything before or after the change.</p>\n"
            .into();
    }
    let max = bars
        .iter()
        .map(|b| b.before.max(b.after))
        .max()
        .unwrap_or(Decimal::ONE);
    let longest = bars
        .iter()
        .map(|b| short_label(&b.rtype).chars().count())
        .max()
        .unwrap_or(0) as u32;
    let label_w = longest * CHAR_W + 16;
    let width = label_w + BAR_W + 200;
    let height = LEGEND_H + ROW_H * bars.len() as u32 + 6;
    let mut s = format!(
        "<svg id=\"cost-chart\" role=\"img\" aria-label=\"Monthly cost by resource type, before and after the change\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n"
    );
    let _ = writeln!(
        s,
        "<g class=\"legend\"><rect class=\"bar before\" x=\"{label_w}\" y=\"4\" width=\"12\" height=\"10\"></rect><text x=\"{}\" y=\"13\">before</text><rect class=\"bar\" x=\"{}\" y=\"4\" width=\"12\" height=\"10\"></rect><text x=\"{}\" y=\"13\">after the change (monthly, USD; change in brackets)</text></g>",
        label_w + 16,
        label_w + 76,
        label_w + 92
    );
    for (i, b) in bars.iter().enumerate() {
        let y = LEGEND_H + ROW_H * i as u32;
        let delta = b.after - b.before;
        let class = if b.rtype.starts_with("other (") {
            "bar other"
        } else {
            "bar"
        };
        let (wb, wa) = (bar_width(b.before, max), bar_width(b.after, max));
        let change = match delta.cmp(&Decimal::ZERO) {
            std::cmp::Ordering::Equal => String::new(),
            o => format!(
                " <tspan class=\"{}\">({})</tspan>",
                if o.is_gt() { "up" } else { "down" },
                signed_dollars(delta)
            ),
        };
        let _ = writeln!(
            s,
            "<g><title>{t}: {mb} → {ma} ({d})</title><text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{st}</text><rect class=\"bar before\" x=\"{label_w}\" y=\"{y}\" width=\"{wb}\" height=\"8\"></rect><rect class=\"{class}\" data-type=\"{t}\" data-cost=\"{c}\" data-before=\"{cb}\" x=\"{label_w}\" y=\"{ya}\" width=\"{wa}\" height=\"14\"></rect><text x=\"{vx}\" y=\"{ty}\">{ma}{change}</text></g>",
            t = esc(&b.rtype),
            st = esc(&short_label(&b.rtype)),
            mb = money(Some(b.before)),
            ma = money(Some(b.after)),
            d = signed_dollars(delta),
            c = crate::money::fmt2(b.after),
            cb = crate::money::fmt2(b.before),
            lx = label_w - 8,
            ty = y + 18,
            ya = y + 9,
            vx = label_w + wa.max(wb) + 6,
        );
    }
    s.push_str("</svg>\n");
    s
}

fn gpus(out: &mut String, v: &ReportView) {
    let rows = gpu_rows(v.estimate);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "<h2>GPUs</h2>\n<table id=\"gpus\"><thead><tr><th>Model</th><th class=\"num\">Before</th><th class=\"num\">After</th></tr></thead><tbody>");
    for (m, b, a) in rows {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&m),
            count(b),
            count(a)
        );
    }
    let _ = writeln!(out, "</tbody></table>");
}

fn findings(out: &mut String, v: &ReportView) {
    if v.check.is_none() {
        return;
    }
    let _ = writeln!(out, "<h2>Policy findings</h2>");
    let mut all = v.ordered_findings();
    all.extend(v.waived_findings());
    if all.is_empty() {
        let _ = writeln!(out, "<p id=\"findings-none\">All policies passed.</p>");
        return;
    }
    // Plans checked without their .tf files have no locations: no empty column then.
    let with_where = all.iter().any(|f| f.source.is_some());
    let where_head = if with_where { "<th>Where</th>" } else { "" };
    let _ = writeln!(out, "<table id=\"findings\"><thead><tr><th>Severity</th><th>Policy</th><th>Resource</th>{where_head}<th>Message</th></tr></thead><tbody>");
    for f in all {
        let (class, label) = if f.waived {
            ("waived", format!("{} (waived)", f.severity.as_str()))
        } else {
            (f.severity.as_str(), f.severity.as_str().to_string())
        };
        let at = match &f.source {
            Some(s) => format!("<td><code>{}:{}</code></td>", esc(&s.file), s.line),
            None if with_where => "<td></td>".into(),
            None => String::new(),
        };
        let resource = if f.address.is_empty() {
            "<em>whole plan</em>".to_string()
        } else {
            format!("<code>{}</code>", addr(&f.address))
        };
        // The Resource column names the address; the message need not repeat it.
        let mut msg = esc(after_address(&f.address, &f.message).unwrap_or(&f.message));
        if let Some(n) = &f.waiver_note {
            let _ = write!(msg, "<br><small>waiver: {}</small>", esc(n));
        }
        let _ = writeln!(
            out,
            "<tr class=\"{class}\"><td class=\"sev {class}\">{}</td><td class=\"policy\">{}</td><td class=\"res\">{resource}</td>{at}<td>{msg}</td></tr>",
            esc(&label),
            esc(&v.policy_title(&f.policy)),
        );
    }
    let _ = writeln!(out, "</tbody></table>");
}

/// Resources that cost something or could not be priced, largest change first (unpriced
/// ones last), then by address.
fn listed_resources<'a>(v: &ReportView<'a>) -> Vec<&'a crate::estimate::ResourceEstimate> {
    let mut rows: Vec<_> = v
        .estimate
        .resources
        .iter()
        .filter(|r| r.free.is_none())
        .collect();
    rows.sort_by(|a, b| {
        let key = |r: &crate::estimate::ResourceEstimate| {
            std::cmp::Reverse(r.monthly_delta().map(|d| d.abs()))
        };
        key(a).cmp(&key(b)).then_with(|| a.address.cmp(&b.address))
    });
    rows
}

fn resources(out: &mut String, v: &ReportView) {
    let rows = listed_resources(v);
    let with_notes = rows.iter().any(|r| r.unpriced_reason.is_some());
    let notes_head = if with_notes { "<th>Notes</th>" } else { "" };
    // With a price book the list price after the change stands beside what is paid.
    let book = v.estimate.book.is_some();
    let list_head = if book {
        "<th class=\"num\">List after</th>"
    } else {
        ""
    };
    let _ = writeln!(out, "<h2>Resources ({}, largest change first)</h2>\n<table id=\"resources\"><thead><tr><th>Resource</th><th>Action</th><th class=\"num\">Before</th><th class=\"num\">After</th>{list_head}<th class=\"num\">Change</th>{notes_head}</tr></thead><tbody>", rows.len());
    for r in rows {
        let d = r.monthly_delta();
        let class = match d.map(|d| d.cmp(&Decimal::ZERO)) {
            Some(std::cmp::Ordering::Greater) => "num up",
            Some(std::cmp::Ordering::Less) => "num down",
            _ => "num",
        };
        let delta = d.map(signed_dollars).unwrap_or_else(|| "?".into());
        let note = match &r.unpriced_reason {
            Some(n) => format!("<td>{}</td>", esc(n)),
            None if with_notes => "<td></td>".into(),
            None => String::new(),
        };
        let list = if book {
            format!("<td class=\"num\">{}</td>", money(r.list_after()))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "<tr><td class=\"res\"><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{list}<td class=\"{class}\">{delta}</td>{note}</tr>",
            addr(&r.address),
            r.action.as_str(),
            money(r.monthly_before),
            money(r.monthly_after)
        );
    }
    let _ = writeln!(out, "</tbody></table>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_are_shortened_and_addresses_wrap_between_parts() {
        let long = "azurerm_machine_learning_compute_cluster_with_a_very_long_name";
        let s = short_label(long);
        assert_eq!(s.chars().count(), LABEL_MAX_CHARS);
        assert!(s.ends_with('…') && long.starts_with(s.trim_end_matches('…')));
        assert_eq!(short_label("aws_instance"), "aws_instance");
        assert_eq!(
            addr("module.a[\"x\"].b"),
            "module.<wbr>a<wbr>[&quot;x&quot;].<wbr>b"
        );
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href='x'>&\""),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
        );
    }
}
