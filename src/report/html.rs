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
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn money(d: Option<Decimal>) -> String {
    d.map(|d| format!("${}", fmt_grouped(d)))
        .unwrap_or_else(|| "not priced".into())
}

const STYLE: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1f2328}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}.card{border:1px solid #d0d7de;border-radius:6px;padding:.75rem 1rem;min-width:10rem}
.card b{display:block;font-size:1.3rem}.up{color:#cf222e}.down{color:#1a7f37}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}code{font-size:12px;background:#f6f8fa;padding:0 .2rem;border-radius:3px}
.deny{color:#cf222e;font-weight:600}.warn{color:#9a6700;font-weight:600}.waived{color:#656d76}
svg text{font:12px system-ui,sans-serif;fill:#1f2328}svg .bar{fill:#0969da}svg .other{fill:#8c959f}";

/// Render the page.
pub fn render(v: &ReportView) -> String {
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
    let _ = writeln!(
        out,
        "<h2>Monthly cost by resource type (after the change)</h2>"
    );
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

/// Monthly cost after the change, summed by resource type, largest first.
pub fn cost_by_type(v: &ReportView) -> Vec<(String, Decimal)> {
    let mut by: BTreeMap<&str, Decimal> = BTreeMap::new();
    for r in &v.estimate.resources {
        if let Some(c) = r.monthly_after.filter(|c| !c.is_zero()) {
            *by.entry(&r.rtype).or_default() += c;
        }
    }
    let mut v: Vec<(String, Decimal)> = by.into_iter().map(|(k, c)| (k.to_string(), c)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if v.len() > MAX_BARS {
        let rest: Decimal = v[MAX_BARS - 1..].iter().map(|x| x.1).sum();
        v.truncate(MAX_BARS - 1);
        v.push(("other".into(), rest));
    }
    v
}

fn chart(v: &ReportView) -> String {
    let bars = cost_by_type(v);
    if bars.is_empty() {
        return "<p id=\"cost-chart-empty\">No priced resource costs anything after the change.</p>\n"
            .into();
    }
    let max = bars.iter().map(|b| b.1).max().unwrap_or(Decimal::ONE);
    let (label_w, bar_w, row_h) = (260u32, 420u32, 26u32);
    let width = label_w + bar_w + 120;
    let height = row_h * bars.len() as u32 + 10;
    let mut s = format!(
        "<svg id=\"cost-chart\" role=\"img\" aria-label=\"Monthly cost by resource type\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n"
    );
    for (i, (rtype, cost)) in bars.iter().enumerate() {
        let y = 5 + row_h * i as u32;
        let w = if max.is_zero() {
            0
        } else {
            use rust_decimal::prelude::ToPrimitive;
            (*cost / max * Decimal::from(bar_w))
                .round()
                .to_u32()
                .unwrap_or(0)
                .max(1)
        };
        let class = if rtype == "other" { "bar other" } else { "bar" };
        let _ = writeln!(
            s,
            "<g><title>{t}: {m}</title><text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{t}</text><rect class=\"{class}\" data-type=\"{t}\" data-cost=\"{c}\" x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{h}\"></rect><text x=\"{vx}\" y=\"{ty}\">{m}</text></g>",
            t = esc(rtype),
            m = money(Some(*cost)),
            c = crate::money::fmt2(*cost),
            lx = label_w - 8,
            ty = y + 16,
            h = row_h - 6,
            vx = label_w + w + 6,
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
    let _ = writeln!(out, "<table id=\"findings\"><thead><tr><th>Severity</th><th>Policy</th><th>Resource</th><th>Where</th><th>Message</th></tr></thead><tbody>");
    for f in all {
        let (class, label) = if f.waived {
            ("waived", format!("{} (waived)", f.severity.as_str()))
        } else {
            (f.severity.as_str(), f.severity.as_str().to_string())
        };
        let at = f
            .source
            .as_ref()
            .map(|s| format!("<code>{}:{}</code>", esc(&s.file), s.line))
            .unwrap_or_default();
        // The Resource column names the address; the message need not repeat it.
        let mut msg = esc(after_address(&f.address, &f.message).unwrap_or(&f.message));
        if let Some(n) = &f.waiver_note {
            let _ = write!(msg, "<br><small>waiver: {}</small>", esc(n));
        }
        let _ = writeln!(
            out,
            "<tr class=\"{class}\"><td class=\"{class}\">{}</td><td>{}</td><td><code>{}</code></td><td>{at}</td><td>{msg}</td></tr>",
            esc(&label),
            esc(&v.policy_title(&f.policy)),
            esc(&f.address)
        );
    }
    let _ = writeln!(out, "</tbody></table>");
}

fn resources(out: &mut String, v: &ReportView) {
    let _ = writeln!(out, "<h2>Resources</h2>\n<table id=\"resources\"><thead><tr><th>Resource</th><th>Action</th><th class=\"num\">Before</th><th class=\"num\">After</th><th class=\"num\">Delta</th><th>Notes</th></tr></thead><tbody>");
    for r in v.estimate.resources.iter().filter(|r| r.free.is_none()) {
        let delta = r
            .monthly_delta()
            .map(signed_dollars)
            .unwrap_or_else(|| "?".into());
        let note = r.unpriced_reason.as_deref().map(esc).unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{delta}</td><td>{note}</td></tr>",
            esc(&r.address),
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
    fn escapes_markup() {
        assert_eq!(
            esc("<a href='x'>&\""),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
        );
    }
}
