//! The policy commands (`check`, `policy test`, `policy input`): glue between the CLI, the
//! pipeline and the renderers; returns exit codes.

use std::path::Path;

use crate::cli::{CheckArgs, FailOn, Global, PolicyArgs, PolicyInputArgs, PolicyTestArgs};
use crate::error::Result;
use crate::policy::finding::Severity;
use crate::policy::{self, CheckOptions, Prepared};
use crate::report::{self, CheckFormat};
use crate::{write_stdout, EXIT_DENY, EXIT_OK};

fn options(p: &PolicyArgs, g: &Global) -> Result<CheckOptions> {
    Ok(CheckOptions {
        policy_dirs: p.policy_dirs.clone(),
        data: p.data.clone(),
        config: p.config.clone(),
        source_dir: g.source.clone(),
        today: policy::today()?,
    })
}

fn prepare(path: &Path, p: &PolicyArgs, g: &Global) -> Result<(Prepared, CheckOptions)> {
    let opts = options(p, g)?;
    let (project, estimate) = crate::load_and_estimate(path, g)?;
    Ok((policy::prepare(path, &project, estimate, &opts)?, opts))
}

pub fn check(a: &CheckArgs, g: &Global) -> Result<i32> {
    let (prepared, opts) = prepare(&a.path, &a.policy, g)?;
    let fail_on = match (a.fail_on, prepared.config.fail_on.as_deref()) {
        (Some(f), _) => f,
        (None, None | Some("deny")) => FailOn::Deny,
        (None, Some("warn")) => FailOn::Warn,
        (None, Some("never")) => FailOn::Never,
        (None, Some(other)) => {
            return Err(miette::miette!(
                code = "costgate::config",
                "fail_on = \"{other}\" in the config: expected deny, warn or never"
            ))
        }
    };
    let report = policy::check(prepared, &opts)?;
    let view = report::view::ReportView::check(&report);
    let text = match a.format {
        CheckFormat::Text => report::text::render(&report),
        CheckFormat::Json => report::json::render_check(&report),
        CheckFormat::Sarif => report::sarif::render(
            &view,
            &report::sarif::SarifOptions {
                fallback_uri: Some(a.path.display().to_string()),
            },
        ),
        CheckFormat::Github => {
            let md = report::markdown::render(
                &view,
                &report::markdown::MarkdownOptions {
                    max_chars: 250_000,
                    ..Default::default()
                },
            );
            report::github::append_step_summary(&md).map_err(|e| {
                miette::miette!(
                    code = "costgate::github::summary",
                    "cannot append to $GITHUB_STEP_SUMMARY: {e}"
                )
            })?;
            report::github::render(&view, report::github::AnnotationLimits::default())
        }
        CheckFormat::Markdown => {
            report::markdown::render(&view, &report::markdown::MarkdownOptions::default())
        }
        CheckFormat::Html => report::html::render(&view),
    };
    write_stdout(&text)?;
    let denies = report.count(Severity::Deny);
    let warns = report.count(Severity::Warn);
    let failed = match fail_on {
        FailOn::Deny => denies > 0,
        FailOn::Warn => denies + warns > 0,
        FailOn::Never => false,
    };
    Ok(if failed { EXIT_DENY } else { EXIT_OK })
}

pub fn policy_test(a: &PolicyTestArgs) -> Result<i32> {
    let run = policy::testing::run(&a.dirs, a.coverage)?;
    write_stdout(&run.render())?;
    Ok(if run.failed() { EXIT_DENY } else { EXIT_OK })
}

pub fn policy_input(a: &PolicyInputArgs, g: &Global) -> Result<i32> {
    let opts = options(&a.policy, g)?;
    let (project, estimate) = crate::load_and_estimate(&a.path, g)?;
    let input = policy::input_document(&a.path, &project, estimate, &opts)?;
    let mut s = serde_json::to_string_pretty(&input).expect("JSON values serialize");
    s.push('\n');
    write_stdout(&s)?;
    Ok(EXIT_OK)
}
