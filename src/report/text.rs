//! Human text for `check`: findings grouped deny → warn → info (advice) → waived, each with its policy,
//! address, file:line and message (the address once: a message that starts with it is printed
//! on the first line), then the cost summary line and the verdict.

use std::fmt::Write as _;

use super::view::after_address;
use crate::money::fmt_grouped;
use crate::policy::finding::{CheckReport, Finding, Severity};

fn line(out: &mut String, f: &Finding) {
    let tag = if f.waived {
        "WAIVED"
    } else {
        match f.severity {
            Severity::Deny => "DENY",
            Severity::Warn => "WARN",
            Severity::Info => "INFO",
        }
    };
    let addr = if f.address.is_empty() {
        "(plan)"
    } else {
        f.address.as_str()
    };
    let at = f
        .source
        .as_ref()
        .map(|s| match &f.call_site {
            Some(c) => format!(
                " ({}:{}, called from {}:{})",
                s.file, s.line, c.file, c.line
            ),
            None => format!(" ({}:{})", s.file, s.line),
        })
        .unwrap_or_default();
    if after_address(&f.address, &f.message).is_some() {
        // The message is a sentence about the resource: one line, address named once.
        hline!(out, "{tag:<6} [{}] {}{at}", f.policy, f.message);
    } else {
        hline!(out, "{tag:<6} [{}] {addr}{at}", f.policy);
        hline!(out, "       {}", f.message);
    }
    if let Some(n) = &f.waiver_note {
        hline!(out, "       {n}");
    }
}

pub fn render(r: &CheckReport) -> String {
    let _currency = super::book::CurrencyGuard::set(&r.estimate);
    let c = super::book::sym();
    let mut out = String::new();
    let t = &r.estimate.totals;
    hline!(
        out,
        "{}: monthly cost {c}{} → {c}{} ({}{}), {} unpriced",
        r.estimate.project,
        fmt_grouped(t.monthly_before),
        fmt_grouped(t.monthly_after),
        if t.monthly_delta() > crate::money::Decimal::ZERO {
            "+"
        } else {
            ""
        },
        fmt_grouped(t.monthly_delta()),
        t.unpriced_count
    );
    let group = |f: &Finding| match (f.waived, f.severity) {
        (false, Severity::Deny) => 0,
        (false, Severity::Warn) => 1,
        (false, Severity::Info) => 2,
        (true, _) => 3,
    };
    for g in 0..4 {
        for f in r.findings.iter().filter(|f| group(f) == g) {
            line(&mut out, f);
        }
    }
    for w in &r.warnings {
        hline!(out, "note: {w}");
    }
    let waived = r.findings.iter().filter(|f| f.waived).count();
    let _ = write!(
        out,
        "{} policies: {} denied, {} warnings, {} waived",
        r.policies.len(),
        r.count(Severity::Deny),
        r.count(Severity::Warn),
        waived
    );
    let info = r.count(Severity::Info);
    if info > 0 {
        let _ = write!(out, ", {info} advice");
    }
    out.push('\n');
    out
}
