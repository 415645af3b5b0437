//! Markdown for the sticky PR comment and the job summary (`check --format markdown`,
//! `estimate --format markdown`).
//!
//! Layout: hidden marker line, total before → after and delta, policy status, the biggest
//! per-resource changes, GPUs by model, findings grouped by policy (deny first; waived ones
//! apart), and the full breakdown collapsed in `<details>`. The result stays under
//! [`MarkdownOptions::max_chars`] (GitHub rejects comments over 65,536 characters): the full
//! breakdown, then the finding lists, are shortened with a note saying so. Text that comes
//! from the plan is escaped so it cannot inject HTML, a marker, or an @-mention. Only
//! redacted values exist in an estimate, so no secret can reach the comment.

use std::fmt::Write as _;

use super::view::{after_address, count, gpu_rows, percent_change, signed_dollars, ReportView};
use crate::estimate::ResourceEstimate;
use crate::money::{fmt_grouped, Decimal};
use crate::policy::finding::{Finding, Severity};

/// The marker that identifies costgate's comment (first line of the body).
pub const MARKER: &str = "<!-- costgate:comment -->";

/// GitHub's documented limit is 65,536 characters; keep a margin.
pub const COMMENT_MAX_CHARS: usize = 65_000;

#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    /// Distinguishes several costgate comments on one PR (e.g. one per project).
    pub key: Option<String>,
    /// Rows in "Biggest changes".
    pub top_n: usize,
    /// Upper bound on the body, in characters.
    pub max_chars: usize,
    /// Add a "Cost by …" showback table (`[report] group_by`, `--group-by`).
    pub group_by: Option<super::showback::GroupBy>,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            key: None,
            top_n: 10,
            max_chars: COMMENT_MAX_CHARS,
            group_by: None,
        }
    }
}

/// A key made safe for the marker: ASCII letters, digits and `._/-`; others become `-`.
pub fn sanitize_key(key: &str) -> String {
    key.trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._/-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The marker line for an optional key: `<!-- costgate:comment key=prod -->`.
pub fn marker(key: Option<&str>) -> String {
    match key.map(sanitize_key).filter(|k| !k.is_empty()) {
        Some(k) => format!("<!-- costgate:comment key={k} -->"),
        None => MARKER.to_string(),
    }
}

/// Plain text from the plan or a policy: no HTML, Markdown, mentions or line breaks.
fn esc(s: &str) -> String {
    super::escape::md_text(s)
}

/// An inline code span (table-safe) for addresses and ids.
fn code(s: &str) -> String {
    super::escape::md_code_cell(s)
}

/// A sentence (message, reason, note): code spans kept, the rest plain text.
fn msg(s: &str) -> String {
    super::escape::md_message(s)
}

fn money(d: Option<Decimal>) -> String {
    d.map(|d| format!("{}{}", super::book::sym(), fmt_grouped(d)))
        .unwrap_or_else(|| "not priced".into())
}

fn delta(d: Option<Decimal>) -> String {
    d.map(signed_dollars).unwrap_or_else(|| "?".into())
}

/// How much of the long sections fits.
#[derive(Debug, Clone, Copy)]
struct Cut {
    breakdown_rows: usize,
    findings_per_policy: usize,
}

/// Render the comment, shortened to fit `opts.max_chars`.
pub fn render(v: &ReportView, opts: &MarkdownOptions) -> String {
    let _currency = super::book::CurrencyGuard::set(v.estimate);
    let full = Cut {
        breakdown_rows: usize::MAX,
        findings_per_policy: usize::MAX,
    };
    let text = build(v, opts, full);
    if fits(&text, opts) {
        return text;
    }
    let rows = breakdown(v).len();
    let largest = |f: &dyn Fn(usize) -> Cut, hi: usize| -> Option<usize> {
        // Largest n in 0..=hi whose rendering fits (the size grows with n).
        if !fits(&build(v, opts, f(0)), opts) {
            return None;
        }
        let (mut lo, mut hi) = (0, hi);
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if fits(&build(v, opts, f(mid)), opts) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        Some(lo)
    };
    let by_rows = |n| Cut {
        breakdown_rows: n,
        ..full
    };
    if let Some(n) = largest(&by_rows, rows) {
        return build(v, opts, by_rows(n));
    }
    let most = v.findings().len();
    let by_findings = |n| Cut {
        breakdown_rows: 0,
        findings_per_policy: n,
    };
    if let Some(n) = largest(&by_findings, most) {
        return build(v, opts, by_findings(n));
    }
    hard_cut(&build(v, opts, by_findings(0)), opts.max_chars)
}

fn fits(text: &str, opts: &MarkdownOptions) -> bool {
    text.chars().count() <= opts.max_chars
}

fn hard_cut(text: &str, max: usize) -> String {
    let note = "\n\n…(truncated: comment size limit; see the job summary)\n";
    let keep = max.saturating_sub(note.chars().count());
    let mut s: String = text.chars().take(keep).collect();
    s.push_str(note);
    s
}

fn build(v: &ReportView, opts: &MarkdownOptions, cut: Cut) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", marker(opts.key.as_deref()));
    headline(&mut out, v);
    projects(&mut out, v);
    changes(&mut out, v, opts.top_n);
    gpus(&mut out, v);
    if let Some(by) = &opts.group_by {
        showback(&mut out, &super::showback::showback(v.estimate, by));
    }
    unit_costs(&mut out, v);
    findings(&mut out, v, cut.findings_per_policy);
    full_breakdown(&mut out, v, cut.breakdown_rows);
    let _ = writeln!(
        out,
        "<sub>costgate {} · monthly = hourly × 730 unless a usage file says otherwise · USD</sub>",
        env!("CARGO_PKG_VERSION")
    );
    out
}

fn headline(out: &mut String, v: &ReportView) {
    let t = &v.estimate.totals;
    let _ = writeln!(out, "### 💰 costgate · {}\n", code(&v.estimate.project));
    let d = t.monthly_delta();
    let icon = match d.cmp(&Decimal::ZERO) {
        std::cmp::Ordering::Greater => " 📈",
        std::cmp::Ordering::Less => " 📉",
        std::cmp::Ordering::Equal => "",
    };
    let pct = percent_change(t.monthly_before, t.monthly_after)
        .map(|p| format!(", {p}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "**Monthly cost: {} → {} ({}{pct})**{icon}\n",
        money(Some(t.monthly_before)),
        money(Some(t.monthly_after)),
        delta(Some(d)),
    );
    if let Some(b) = &v.estimate.book {
        let (lb, la) = (
            t.monthly_before_list.unwrap_or(t.monthly_before),
            t.monthly_after_list.unwrap_or(t.monthly_after),
        );
        let _ = writeln!(
            out,
            "At list price: {} → {} ({}); figures above at the price book {}.\n",
            money(Some(lb)),
            money(Some(la)),
            delta(Some(la - lb)),
            code(&b.name)
        );
        // `check` reports them as `idle-commitment` findings.
        for i in b.idle.iter().filter(|_| v.check.is_none()) {
            let _ = writeln!(
                out,
                "> [!WARNING]\n> {}\n",
                msg(&super::book::idle_message(&super::book::sym(), i))
            );
        }
    }
    if t.unpriced_count > 0 {
        let _ = writeln!(
            out,
            "> [!NOTE]\n> {} resource(s) could not be priced and are not in the totals (see the full breakdown).\n",
            t.unpriced_count
        );
    }
    if v.check.is_none() {
        return;
    }
    let (deny, warn, waived) = (
        v.count(Severity::Deny),
        v.count(Severity::Warn),
        v.waived_findings().len(),
    );
    let mut s = if deny > 0 {
        format!("❌ **{deny} deny** · ⚠️ {warn} warn")
    } else {
        format!("✅ **No policy failures** · ⚠️ {warn} warn")
    };
    if waived > 0 {
        let _ = write!(s, " · {waived} waived");
    }
    let advice = v.count(Severity::Info);
    if advice > 0 {
        let _ = write!(s, " · 💡 {advice} savings advice");
    }
    if deny > 0 {
        s.push_str(" — this change is blocked until the deny findings are fixed or waived.");
    }
    let _ = writeln!(out, "{s}\n");
}

/// One resource row; with a price book (`book`) the list price after the change beside it.
fn resource_row(r: &ResourceEstimate, book: bool) -> String {
    let list = if book {
        format!(" {} |", money(r.list_after()))
    } else {
        String::new()
    };
    format!(
        "| {} | {} | {} | {} |{list} {} |",
        code(&r.address),
        r.action.as_str(),
        money(r.monthly_before),
        money(r.monthly_after),
        delta(r.monthly_delta())
    )
}

fn resource_head(book: bool) -> &'static str {
    if book {
        "| Resource | Action | Before | After | List after | Delta |\n|---|---|--:|--:|--:|--:|"
    } else {
        "| Resource | Action | Before | After | Delta |\n|---|---|--:|--:|--:|"
    }
}

/// Monorepo: one row per project, before the details.
fn projects(out: &mut String, v: &ReportView) {
    let rows = crate::estimate::project_totals(v.estimate);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "#### Projects\n\n| Project | Before | After | Delta |\n|---|--:|--:|--:|"
    );
    for (p, t) in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            code(&p.name),
            money(Some(t.monthly_before)),
            money(Some(t.monthly_after)),
            delta(Some(t.monthly_delta()))
        );
    }
    out.push('\n');
}

fn changes(out: &mut String, v: &ReportView, n: usize) {
    let rows = v.biggest_changes(n);
    if rows.is_empty() {
        let _ = writeln!(out, "No priced resource changes cost.\n");
        return;
    }
    let book = v.estimate.book.is_some();
    let _ = writeln!(out, "#### Biggest changes\n\n{}", resource_head(book));
    for r in rows {
        let _ = writeln!(out, "{}", resource_row(r, book));
    }
    out.push('\n');
}

fn gpus(out: &mut String, v: &ReportView) {
    let rows = gpu_rows(v.estimate);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "#### GPUs\n\n| Model | Before | After |\n|---|--:|--:|"
    );
    for (model, before, after) in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            esc(&model),
            count(before),
            count(after)
        );
    }
    out.push('\n');
}

fn showback(out: &mut String, s: &super::showback::Showback) {
    let _ = writeln!(
        out,
        "#### Cost by {}\n\n| Group | Resources | Unpriced | Before | After | Delta |\n|---|--:|--:|--:|--:|--:|",
        code(&s.by.to_string())
    );
    for (g, bold) in s.groups.iter().map(|g| (g, "")).chain([(&s.total, "**")]) {
        let _ = writeln!(
            out,
            "| {bold}{}{bold} | {} | {} | {} | {} | {} |",
            esc(&g.name),
            g.resources,
            g.unpriced,
            money(Some(g.monthly_before)),
            money(Some(g.monthly_after)),
            delta(Some(g.monthly_delta()))
        );
    }
    out.push('\n');
}

/// Cost per 1,000 requests of the resources whose request volume the usage file gives.
fn unit_costs(out: &mut String, v: &ReportView) {
    let rows: Vec<&ResourceEstimate> = v
        .estimate
        .resources
        .iter()
        .filter(|r| r.unit_cost.is_some())
        .collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "#### Unit cost\n\n| Resource | Requests / month | Monthly cost | Per 1,000 requests |\n|---|--:|--:|--:|"
    );
    for r in rows {
        let Some(u) = &r.unit_cost else { continue };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            code(&r.address),
            fmt_count(u.monthly_requests),
            money(r.monthly_after),
            super::view::per_1k(u)
        );
    }
    out.push('\n');
}

/// `10000000` → `10,000,000` (fractions kept).
fn fmt_count(d: Decimal) -> String {
    let s = fmt_grouped(d.trunc());
    let int = s.trim_end_matches(".00");
    let frac = d.fract().normalize();
    if frac.is_zero() {
        int.to_string()
    } else {
        format!("{int}{}", frac.to_string().trim_start_matches('0'))
    }
}

/// A finding as one list item's text: `` `addr` is missing … (`main.tf:3`) `` when the message
/// starts with the address, else `` `addr` (`main.tf:3`): message ``.
fn finding_item(f: &Finding) -> String {
    let at = f
        .source
        .as_ref()
        .map(|s| format!(" ({})", code(&format!("{}:{}", s.file, s.line))))
        .unwrap_or_default();
    match after_address(&f.address, &f.message) {
        Some(rest) => format!("{} {}{at}", code(&f.address), msg(rest)),
        None if f.address.is_empty() => format!("plan{at}: {}", msg(&f.message)),
        None => format!("{}{at}: {}", code(&f.address), msg(&f.message)),
    }
}

fn findings(out: &mut String, v: &ReportView, per_policy: usize) {
    if v.check.is_none() {
        return;
    }
    let active = v.ordered_findings();
    if active.is_empty() && v.waived_findings().is_empty() {
        let _ = writeln!(out, "#### Policy findings\n\n✅ All policies passed.\n");
        return;
    }
    let _ = writeln!(out, "#### Policy findings\n");
    // Groups in order of first appearance: deny groups come first because findings do.
    let mut groups: Vec<(Severity, &str)> = Vec::new();
    for f in &active {
        if !groups.contains(&(f.severity, f.policy.as_str())) {
            groups.push((f.severity, &f.policy));
        }
    }
    for (sev, policy) in groups {
        let icon = match sev {
            Severity::Deny => "❌ Deny",
            Severity::Warn => "⚠️ Warn",
            Severity::Info => "💡 Advice",
        };
        let items: Vec<&&Finding> = active
            .iter()
            .filter(|f| f.severity == sev && f.policy == policy)
            .collect();
        let _ = writeln!(
            out,
            "**{icon} · {} ({})** — {}\n",
            esc(&v.policy_title(policy)),
            code(policy),
            items.len()
        );
        for f in items.iter().take(per_policy) {
            let _ = writeln!(out, "- {}", finding_item(f));
        }
        if items.len() > per_policy {
            let _ = writeln!(
                out,
                "- … and {} more (truncated: comment size limit; see the job summary)",
                items.len() - per_policy
            );
        }
        out.push('\n');
    }
    let waived = v.waived_findings();
    if !waived.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Waived findings ({})</summary>\n",
            waived.len()
        );
        for f in waived.iter().take(per_policy) {
            let note = f
                .waiver_note
                .as_deref()
                .map(|n| format!(" — waiver: {}", msg(n)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- {} {} {}{note}",
                f.severity.as_str(),
                code(&f.policy),
                finding_item(f)
            );
        }
        if waived.len() > per_policy {
            let _ = writeln!(out, "- … and {} more", waived.len() - per_policy);
        }
        let _ = writeln!(out, "\n</details>\n");
    }
}

/// Resources worth listing in the breakdown: everything that is not free.
fn breakdown<'a>(v: &ReportView<'a>) -> Vec<&'a ResourceEstimate> {
    v.estimate
        .resources
        .iter()
        .filter(|r| r.free.is_none())
        .collect()
}

fn full_breakdown(out: &mut String, v: &ReportView, max_rows: usize) {
    let rows = breakdown(v);
    let free = v.estimate.resources.len() - rows.len();
    let _ = writeln!(
        out,
        "<details><summary>Full breakdown ({} resources)</summary>\n",
        rows.len()
    );
    if !rows.is_empty() {
        let book = v.estimate.book.is_some();
        let _ = writeln!(out, "{}", resource_head(book));
        for r in rows.iter().take(max_rows) {
            let _ = writeln!(out, "{}", resource_row(r, book));
        }
        if rows.len() > max_rows {
            let _ = writeln!(
                out,
                "\n… {} more resource(s) not shown (truncated: comment size limit; see the job summary or `costgate check --format json`).",
                rows.len() - max_rows
            );
        }
        out.push('\n');
    }
    let unpriced: Vec<&&ResourceEstimate> = rows.iter().filter(|r| !r.is_priced()).collect();
    if !unpriced.is_empty() {
        let _ = writeln!(out, "Not priced (excluded from the totals):\n");
        for r in unpriced.iter().take(max_rows) {
            let _ = writeln!(
                out,
                "- {}: {}",
                code(&r.address),
                msg(r.unpriced_reason.as_deref().unwrap_or(""))
            );
        }
        if unpriced.len() > max_rows {
            let _ = writeln!(out, "- … and {} more", unpriced.len() - max_rows);
        }
        out.push('\n');
    }
    if free > 0 {
        let _ = writeln!(
            out,
            "{free} resource(s) cost nothing by themselves (IAM, templates, glue).\n"
        );
    }
    let _ = writeln!(out, "</details>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_and_keys() {
        assert_eq!(marker(None), MARKER);
        assert_eq!(marker(Some("")), MARKER);
        assert_eq!(
            marker(Some("infra/prod env")),
            "<!-- costgate:comment key=infra/prod-env -->"
        );
        assert_eq!(
            marker(Some("x --><script>")),
            "<!-- costgate:comment key=x-----script- -->"
        );
    }

    #[test]
    fn escaping_blocks_html_mentions_and_cells() {
        assert_eq!(
            esc("<!-- costgate:comment --> @org/team a|b\nc"),
            "&lt;!-- costgate:comment --&gt; @&#8203;org/team a\\|b\\\\nc"
        );
        assert_eq!(code("a`b|c"), "`` a`b\\|c ``");
    }

    #[test]
    fn hard_cut_respects_the_limit() {
        let s = hard_cut(&"é".repeat(1000), 100);
        assert!(s.chars().count() <= 100);
        assert!(s.contains("truncated"));
    }
}
