//! The policy commands (`check`, `policy test`, `policy input`, `comment github --path`): glue
//! between the CLI, the pipeline and the renderers; returns exit codes.

use std::path::Path;

use crate::cli::{CheckArgs, FailOn, Global, PolicyArgs, PolicyInputArgs, PolicyTestArgs};
use crate::error::Result;
use crate::github::{self, GithubCommentArgs};
use crate::policy::finding::{CheckReport, Severity};
use crate::policy::{self, CheckOptions, Prepared};
use crate::report::{self, CheckFormat};
use crate::{write_stdout, EXIT_DENY, EXIT_OK};

fn options(p: &PolicyArgs) -> Result<CheckOptions> {
    Ok(CheckOptions {
        policy_dirs: p.policy_dirs.clone(),
        data: p.data.clone(),
        config: p.config.clone(),
        no_config: p.no_config,
        today: policy::today()?,
    })
}

fn prepare(path: &Path, p: &PolicyArgs, g: &Global) -> Result<(Prepared, CheckOptions)> {
    let opts = options(p)?;
    let (project, estimate) = crate::load_and_estimate(path, g)?;
    Ok((policy::prepare(path, project, estimate, &opts)?, opts))
}

/// A finished check and the exit code it calls for.
struct Evaluated {
    report: CheckReport,
    exit: i32,
}

/// Estimate `path`, evaluate the policies, decide the exit code (`--fail-on`, else the
/// config's `fail_on`, else deny).
fn evaluate(path: &Path, p: &PolicyArgs, fail_on: Option<FailOn>, g: &Global) -> Result<Evaluated> {
    let (prepared, opts) = prepare(path, p, g)?;
    let fail_on = match (fail_on, prepared.config.fail_on.as_deref()) {
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
    let report = crate::timing::phase("check", || policy::check(prepared, &opts))?;
    let denies = report.count(Severity::Deny);
    let warns = report.count(Severity::Warn);
    let failed = match fail_on {
        FailOn::Deny => denies > 0,
        FailOn::Warn => denies + warns > 0,
        FailOn::Never => false,
    };
    let exit = if failed { EXIT_DENY } else { EXIT_OK };
    Ok(Evaluated { report, exit })
}

pub fn estimate(a: &crate::cli::EstimateArgs, g: &Global) -> Result<i32> {
    let e = crate::estimate_path(&a.path, g)?;
    let text = match a.format {
        report::EstimateFormat::Table => report::table::render_with(&e, !g.quiet),
        report::EstimateFormat::Json => report::json::render_estimate(&e),
        report::EstimateFormat::Markdown => {
            report::markdown::render(&report::view::ReportView::estimate(&e), &Default::default())
        }
        report::EstimateFormat::Html => {
            report::html::render(&report::view::ReportView::estimate(&e))
        }
    };
    write_stdout(&text)?;
    Ok(EXIT_OK)
}

pub fn check(a: &CheckArgs, g: &Global) -> Result<i32> {
    let Evaluated { report, exit } = evaluate(&a.path, &a.policy, a.fail_on, g)?;
    crate::timing::phase("report", || -> Result<()> {
        write_stdout(&render_check(a, &report)?)
    })?;
    // The process ends here: freeing a large report piece by piece only costs time.
    std::mem::forget(report);
    Ok(exit)
}

fn render_check(a: &CheckArgs, report: &CheckReport) -> Result<String> {
    let view = report::view::ReportView::check(report);
    Ok(match a.format {
        CheckFormat::Text => report::text::render(report),
        CheckFormat::Json => report::json::render_check(report),
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
    })
}

/// `comment github`: post `--body-file`, or run the check on `--path` and post its Markdown
/// (then exit as `check` would; a comment that cannot be written is an error either way).
pub fn comment_github(a: &GithubCommentArgs, g: &Global) -> Result<i32> {
    let p = &a.policy;
    let policy_flags = !p.policy_dirs.is_empty() || !p.data.is_empty() || p.config.is_some();
    if a.path.is_none() && (policy_flags || p.no_config) {
        return Err(miette::miette!(
            code = "costgate::cli",
            help = "pass --path PLAN_OR_DIR to run the check, or drop the policy flags",
            "--policy, --data, --config and --no-config need --path (--body-file posts a finished report)"
        ));
    }
    let (body, exit) = match (&a.body_file, &a.path) {
        (Some(f), _) => (github::read_body(f)?, EXIT_OK),
        (None, Some(path)) => {
            let Evaluated { report, exit } = evaluate(path, &a.policy, a.fail_on, g)?;
            let opts = report::markdown::MarkdownOptions {
                key: a.key.clone(),
                ..Default::default()
            };
            let md = report::markdown::render(&report::view::ReportView::check(&report), &opts);
            (md, exit)
        }
        (None, None) => {
            return Err(miette::miette!(
                code = "costgate::comment",
                "nothing to post: pass --body-file FILE or --path PLAN_OR_DIR"
            ))
        }
    };
    let code = github::run(a, &body)?;
    Ok(if code == EXIT_OK { exit } else { code })
}

pub fn policy_test(a: &PolicyTestArgs) -> Result<i32> {
    let run = policy::testing::run(&a.dirs, a.coverage)?;
    write_stdout(&run.render())?;
    Ok(if run.failed() { EXIT_DENY } else { EXIT_OK })
}

pub fn policy_input(a: &PolicyInputArgs, g: &Global) -> Result<i32> {
    let opts = options(&a.policy)?;
    let (project, estimate) = crate::load_and_estimate(&a.path, g)?;
    let input = policy::input_document(&a.path, &project, estimate, &opts)?;
    let mut s = serde_json::to_string_pretty(&input).expect("JSON values serialize");
    s.push('\n');
    write_stdout(&s)?;
    Ok(EXIT_OK)
}
