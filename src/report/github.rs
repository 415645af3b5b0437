//! GitHub Actions workflow commands (`check --format github`) and the job summary.
//!
//! Findings become `::error`/`::warning` annotations with `file`, `line` and `title`. GitHub
//! shows at most 10 error + 10 warning annotations per step and 50 per job, and silently drops
//! the rest, so we emit the most important ones (deny first, then by cost impact) within
//! [`AnnotationLimits`] and end with one `::notice` that gives the totals and says how many
//! findings were left out. Every value is escaped the way actions/toolkit does, so text from the
//! plan (resource names, tag values) can never start a new command.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use super::view::{finding_text, signed_dollars, ReportView};
use crate::money::fmt_grouped;
use crate::policy::finding::{Finding, Severity};

/// Bounds on annotations emitted by one step.
#[derive(Debug, Clone, Copy)]
pub struct AnnotationLimits {
    /// Per level (`error`, `warning`): GitHub shows 10 of each per step.
    pub per_level: usize,
    /// In total (errors + warnings), within GitHub's 50 per job.
    pub total: usize,
}

impl Default for AnnotationLimits {
    fn default() -> Self {
        AnnotationLimits {
            per_level: 10,
            total: 50,
        }
    }
}

pub use super::escape::{workflow_data as escape_data, workflow_property as escape_property};

/// One workflow command line, e.g. `::error file=a.tf,line=3,title=T::msg`.
pub fn command(name: &str, props: &[(&str, String)], message: &str) -> String {
    let props: Vec<String> = props
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    if props.is_empty() {
        format!("::{name}::{}", escape_data(message))
    } else {
        format!("::{name} {}::{}", props.join(","), escape_data(message))
    }
}

fn annotation(v: &ReportView, f: &Finding) -> String {
    let name = match f.severity {
        Severity::Deny => "error",
        Severity::Warn => "warning",
        Severity::Info => "notice",
    };
    let mut props: Vec<(&str, String)> = Vec::new();
    if let Some(s) = &f.source {
        props.push(("file", s.file.replace('\\', "/")));
        props.push(("line", s.line.max(1).to_string()));
    }
    props.push((
        "title",
        format!(
            "costgate {}: {}",
            f.severity.as_str(),
            v.policy_title(&f.policy)
        ),
    ));
    let message = format!("[{}] {}", f.policy, finding_text(&f.address, &f.message));
    command(name, &props, &message)
}

/// Annotations for the most important active findings, then one summary notice.
pub fn render(v: &ReportView, limits: AnnotationLimits) -> String {
    let _currency = super::book::CurrencyGuard::set(v.estimate);
    let mut out = String::new();
    let mut shown = [0usize; 2];
    let mut left_out = [0usize; 2];
    // Advice (info) stays in the job summary: annotations are for what needs fixing.
    for f in v
        .ordered_findings()
        .into_iter()
        .filter(|f| f.severity != Severity::Info)
    {
        let i = usize::from(f.severity == Severity::Warn);
        if shown[i] < limits.per_level && shown[0] + shown[1] < limits.total {
            shown[i] += 1;
            let _ = writeln!(out, "{}", annotation(v, f));
        } else {
            left_out[i] += 1;
        }
    }
    let notice = command(
        "notice",
        &[("title", "costgate".into())],
        &summary_line(v, left_out),
    );
    let _ = writeln!(out, "{notice}");
    out
}

fn summary_line(v: &ReportView, left_out: [usize; 2]) -> String {
    let t = &v.estimate.totals;
    let c = super::book::sym();
    let mut s = format!(
        "Monthly cost {c}{} → {c}{} ({})",
        fmt_grouped(t.monthly_before),
        fmt_grouped(t.monthly_after),
        signed_dollars(t.monthly_delta())
    );
    let (deny, warn) = (v.count(Severity::Deny), v.count(Severity::Warn));
    if v.check.is_some() {
        let waived = v.waived_findings().len();
        let _ = write!(s, "; {} deny, {} warn", int(deny), int(warn));
        if waived > 0 {
            let _ = write!(s, ", {} waived", int(waived));
        }
    }
    if t.unpriced_count > 0 {
        let _ = write!(s, "; {} resource(s) not priced", int(t.unpriced_count));
    }
    let n = left_out[0] + left_out[1];
    if n > 0 {
        let (shown_deny, shown_warn) = (deny - left_out[0], warn - left_out[1]);
        let _ = write!(
            s,
            ". {} of {} findings annotated (the {shown_deny} deny and {shown_warn} warn with the largest cost impact, within GitHub's annotation limits); {} deny and {} warn more: see the job summary, or `costgate check --format json` for every finding",
            int(shown_deny + shown_warn),
            int(deny + warn),
            int(left_out[0]),
            int(left_out[1])
        );
    }
    s
}

/// `4000` → `4,000`.
fn int(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// GitHub keeps at most 1 MiB of summary per step; stay clearly below it.
pub const STEP_SUMMARY_MAX_BYTES: usize = 1_000_000;

/// Append Markdown to the file named by `GITHUB_STEP_SUMMARY`, when that is set. Returns
/// whether anything was written.
pub fn append_step_summary(markdown: &str) -> std::io::Result<bool> {
    match std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
        Some(p) => append_summary_to(Path::new(&p), markdown).map(|_| true),
        None => Ok(false),
    }
}

/// Append `markdown` to `path`, cut at a character boundary so the file's new part stays
/// within [`STEP_SUMMARY_MAX_BYTES`].
pub fn append_summary_to(path: &Path, markdown: &str) -> std::io::Result<()> {
    let mut text = markdown;
    if text.len() > STEP_SUMMARY_MAX_BYTES {
        let mut end = STEP_SUMMARY_MAX_BYTES - 200;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text = &text[..end];
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    if text.len() < markdown.len() {
        f.write_all(b"\n\n_(summary truncated at GitHub's size limit)_\n")?;
    } else if !text.ends_with('\n') {
        f.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(4000), "4,000");
        assert_eq!(int(1234567), "1,234,567");
    }

    #[test]
    fn escapes_like_the_toolkit() {
        assert_eq!(escape_data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        // `%` first: an already escaped sequence is escaped again, not decoded.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn command_omits_empty_properties() {
        assert_eq!(
            command(
                "warning",
                &[("file", "a.tf".into()), ("col", String::new())],
                "m"
            ),
            "::warning file=a.tf::m"
        );
        assert_eq!(
            command("notice", &[], "x\n::error::y"),
            "::notice::x%0A::error::y"
        );
    }

    #[test]
    fn summary_is_appended_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("summary.md");
        std::fs::write(&p, "before\n").unwrap();
        append_summary_to(&p, "# one").unwrap();
        append_summary_to(&p, "# two\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "before\n# one\n# two\n"
        );
    }

    #[test]
    fn huge_summary_is_cut_at_a_char_boundary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.md");
        let big = "é".repeat(STEP_SUMMARY_MAX_BYTES);
        append_summary_to(&p, &big).unwrap();
        let got = std::fs::read_to_string(&p).unwrap();
        assert!(got.len() <= STEP_SUMMARY_MAX_BYTES);
        assert!(got.ends_with("size limit)_\n"));
    }
}
