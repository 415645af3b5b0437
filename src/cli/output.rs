//! `costgate output REPORT.json --format …`: re-render a saved JSON report (from
//! `estimate|check --format json`) without loading the configuration or re-running anything.

use std::path::PathBuf;

use clap::Args;

use crate::error::Result;
use crate::report::saved::{self, Saved};
use crate::report::{self, OutputFormat};
use crate::{write_stdout, EXIT_OK};

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// A report written by `costgate estimate --format json` or `costgate check --format json`.
    #[arg(value_name = "REPORT.json")]
    pub report: PathBuf,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutputFormat,
}

/// Render REPORT in the format asked for (exit 0; a bad or foreign file is exit 2).
pub fn output(a: &OutputArgs) -> Result<i32> {
    let saved = saved::load(&a.report)?;
    let e = saved.estimate();
    let view = match &saved {
        Saved::Estimate(e) => report::view::ReportView::estimate(e),
        Saved::Check(r) => report::view::ReportView::check(r),
    };
    let md = |max_chars: Option<usize>| {
        let mut o = report::markdown::MarkdownOptions::default();
        if let Some(m) = max_chars {
            o.max_chars = m;
        }
        report::markdown::render(&view, &o)
    };
    let text = match a.format {
        OutputFormat::Table => match &saved {
            Saved::Estimate(e) => report::table::render(e),
            Saved::Check(r) => report::text::render(r),
        },
        OutputFormat::Json => match &saved {
            Saved::Estimate(e) => report::json::render_estimate(e),
            Saved::Check(r) => report::json::render_check(r),
        },
        OutputFormat::Markdown => md(None),
        OutputFormat::Html => report::html::render(&view),
        OutputFormat::Sarif => report::sarif::render(
            &view,
            &report::sarif::SarifOptions {
                fallback_uri: Some(e.project.clone()).filter(|p| !p.is_empty()),
            },
        ),
        OutputFormat::Github => {
            report::github::append_step_summary(&md(Some(250_000))).map_err(|err| {
                miette::miette!(
                    code = crate::error::Code::GithubSummary,
                    "cannot append to $GITHUB_STEP_SUMMARY: {err}"
                )
            })?;
            report::github::render(&view, report::github::AnnotationLimits::default())
        }
        OutputFormat::InfracostJson => report::infracost::render(e),
    };
    write_stdout(&text)?;
    Ok(EXIT_OK)
}
