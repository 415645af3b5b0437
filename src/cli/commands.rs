//! The commands (`estimate`, `explain`, `check`, `policy test`, `policy input`,
//! `comment github --path`): glue between the CLI, the pipeline and the renderers; returns
//! exit codes.

use std::path::Path;

use crate::cli::github::GithubCommentArgs;
use crate::cli::{
    CheckArgs, CompareArgs, ConftestArgs, FailOn, Global, PolicyArgs, PolicyInputArgs,
    PolicyTestArgs,
};
use crate::compare::Against;
use crate::error::Result;
use crate::github;
use crate::policy::finding::{CheckReport, Severity};
use crate::policy::{self, CheckOptions, Prepared};
use crate::report::showback::{self, GroupBy};
use crate::report::{self, CheckFormat};
use crate::{write_stdout, EXIT_DENY, EXIT_OK};

fn options(p: &PolicyArgs, c: &ConftestArgs) -> Result<CheckOptions> {
    Ok(CheckOptions {
        policy_dirs: p.policy_dirs.clone(),
        data: p.data.clone(),
        config: p.config.clone(),
        no_config: p.no_config,
        today: crate::settings::today()?,
        namespaces: c.namespaces.clone(),
        all_namespaces: c.all_namespaces,
        rego_version: c.rego_version.map(Into::into),
        no_inline_waivers: p.no_inline_waivers,
        strict: p.strict,
    })
}

fn prepare(
    path: &Path,
    p: &PolicyArgs,
    c: &ConftestArgs,
    against: Option<&Against>,
    g: &Global,
) -> Result<(Prepared, CheckOptions)> {
    let mut opts = options(p, c)?;
    if let Some(a) = against {
        opts = a.policy_options(path, opts)?;
    }
    let g = &with_book_config(g, &opts);
    let (project, estimate) = crate::load_and_estimate_against(path, g, against)?;
    Ok((policy::prepare(path, project, estimate, &opts)?, opts))
}

/// The global flags with `[price_book]` read from the config the policies use.
fn with_book_config(g: &Global, opts: &CheckOptions) -> Global {
    use crate::policy::price_book::BookConfig;
    let mut g = g.clone();
    g.book_config = match (&opts.config, opts.no_config) {
        (Some(f), _) => BookConfig::File(f.clone()),
        (None, true) => BookConfig::None,
        (None, false) => BookConfig::Upward,
    };
    g
}

/// A finished check and the exit code it calls for.
struct Evaluated {
    report: CheckReport,
    exit: i32,
    /// `[report] group_by` of the config.
    group_by: Option<GroupBy>,
}

/// Estimate `path`, evaluate the policies, decide the exit code (`--fail-on`, else the
/// config's `fail_on`, else deny).
fn evaluate(
    path: &Path,
    p: &PolicyArgs,
    c: &ConftestArgs,
    cmp: &CompareArgs,
    fail_on: Option<FailOn>,
    g: &Global,
) -> Result<Evaluated> {
    // A checkout of `--base-ref` lives until the policies are evaluated (they are read from it).
    let against = Against::open(path, cmp)?;
    let (prepared, opts) = prepare(path, p, c, against.as_ref(), g)?;
    let fail_on = match (fail_on, prepared.config.fail_on.as_deref()) {
        (Some(f), _) => f,
        (None, None | Some("deny")) => FailOn::Deny,
        (None, Some("warn")) => FailOn::Warn,
        (None, Some("never")) => FailOn::Never,
        (None, Some(other)) => {
            return Err(miette::miette!(
                code = crate::error::Code::Config,
                "fail_on = \"{other}\" in the config: expected deny, warn or never"
            ))
        }
    };
    let group_by = prepared.config.group_by.clone();
    let report = crate::timing::phase("check", || policy::check(prepared, &opts))?;
    let denies = report.count(Severity::Deny);
    let warns = report.count(Severity::Warn);
    let failed = match fail_on {
        FailOn::Deny => denies > 0,
        FailOn::Warn => denies + warns > 0,
        FailOn::Never => false,
    };
    let exit = if failed { EXIT_DENY } else { EXIT_OK };
    Ok(Evaluated {
        report,
        exit,
        group_by,
    })
}

/// A JSON document with the showback added as `group_by`.
/// A JSON report document with the showback groups.
fn with_groups<'a>(
    mut doc: report::json::Document<'a>,
    e: &crate::estimate::Estimate,
    by: Option<&GroupBy>,
) -> report::json::Document<'a> {
    if let Some(by) = by {
        doc.insert("group_by", showback::to_json(&showback::showback(e, by)));
    }
    doc
}

/// Write a JSON report document (with the showback groups) to stdout as it is produced.
fn write_json(
    doc: report::json::Document<'_>,
    e: &crate::estimate::Estimate,
    by: Option<&GroupBy>,
) -> Result<()> {
    let doc = with_groups(doc, e, by);
    crate::write_stdout_with(|out| doc.write(out))
}

/// Text with the showback table appended.
fn text_with_groups(
    mut text: String,
    e: &crate::estimate::Estimate,
    by: Option<&GroupBy>,
) -> String {
    if let Some(by) = by {
        text.push_str(&showback::render_text(&showback::showback(e, by)));
    }
    text
}

pub fn estimate(a: &crate::cli::EstimateArgs, g: &Global) -> Result<i32> {
    use report::EstimateFormat as F;
    if a.group_by.is_some() && !matches!(a.format, F::Table | F::Json | F::Markdown) {
        return Err(miette::miette!(
            code = crate::error::Code::Cli,
            "--group-by applies to --format table, json and markdown"
        ));
    }
    if a.period.is_some() && !matches!(a.format, F::Focus | F::FocusJson) {
        return Err(miette::miette!(
            code = crate::error::Code::Cli,
            "--period applies to --format focus and focus-json only"
        ));
    }
    let period = || match &a.period {
        Some(p) => report::focus::Period::parse(p),
        None => Ok(report::focus::Period::next_after(crate::settings::today()?)),
    };
    let against = Against::open(&a.path, &a.compare)?;
    let (_, e) = crate::load_and_estimate_against(&a.path, g, against.as_ref())?;
    let by = a.group_by.as_ref();
    let md = report::markdown::MarkdownOptions {
        group_by: a.group_by.clone(),
        ..Default::default()
    };
    if a.format == F::Json {
        write_json(report::json::Document::estimate(&e), &e, by)?;
        return Ok(EXIT_OK);
    }
    let view = report::view::ReportView::estimate(&e);
    let text = match a.format {
        F::Table => text_with_groups(report::table::render_with(&e, !g.quiet), &e, by),
        F::Json => report::json::pretty(
            &with_groups(report::json::Document::estimate(&e), &e, by).to_value(),
        ),
        F::Markdown => report::markdown::render(&view, &md),
        F::Html => report::html::render(&view),
        F::Focus => report::focus::render_csv(&e, &period()?),
        F::FocusJson => report::focus::render_json(&e, &period()?),
        F::InfracostJson => report::infracost::render(&e),
    };
    write_stdout(&text)?;
    Ok(EXIT_OK)
}

/// `explain PATH ADDRESS`: one resource's cost, component by component; an address the plan
/// does not have is an error (exit 2) that lists close matches.
pub fn explain(a: &crate::cli::ExplainArgs, g: &Global) -> Result<i32> {
    let against = Against::open(&a.path, &a.compare)?;
    let (l, compared) = match &against {
        None => (crate::load_inputs(&a.path, g)?, None),
        Some(against) => {
            let c = against.load(&a.path, &against.global(g)?)?;
            let l = crate::Loaded {
                project: c.project,
                catalogs: c.catalogs,
                usage: c.usage,
            };
            (l, Some((c.estimate, c.from_report)))
        }
    };
    let mut found = crate::estimate::explain(&l.project, &l.catalogs, &l.usage, &a.address);
    // A JSON report base: the before-cost is the report's, not the project's.
    if let (Some(x), Some((e, true))) = (&mut found, &compared) {
        if let Some(r) = e.resources.iter().find(|r| r.address == a.address) {
            x.estimate = r.clone();
        }
    }
    let Some(x) = found else {
        let addresses = l.project.resources.iter().map(|r| r.address.as_str());
        let close = report::explain::close_matches(&a.address, addresses);
        let help = if close.is_empty() {
            "`costgate estimate PATH` lists every resource address".to_string()
        } else {
            format!(
                "did you mean: {}",
                report::escape::control(&close.join(", "))
            )
        };
        return Err(miette::miette!(
            code = crate::error::Code::ExplainUnknownAddress,
            help = help,
            "no resource `{}` in {}",
            report::escape::control(&a.address),
            report::escape::control(&a.path.display().to_string())
        ));
    };
    let text = match a.format {
        report::ExplainFormat::Text => report::explain::render_text(&x),
        report::ExplainFormat::Json => report::explain::render_json(&x),
    };
    write_stdout(&text)?;
    Ok(EXIT_OK)
}

pub fn check(a: &CheckArgs, g: &Global) -> Result<i32> {
    let Evaluated {
        report,
        exit,
        group_by,
    } = evaluate(&a.path, &a.policy, &a.conftest, &a.compare, a.fail_on, g)?;
    let group_by = a.group_by.clone().or(group_by);
    crate::timing::phase("report", || -> Result<()> {
        if a.format == CheckFormat::Json {
            let doc = report::json::Document::check(&report);
            return write_json(doc, &report.estimate, group_by.as_ref());
        }
        write_stdout(&render_check(a, &report, group_by)?)
    })?;
    // The process ends here: freeing a large report piece by piece only costs time.
    std::mem::forget(report);
    Ok(exit)
}

fn render_check(
    a: &CheckArgs,
    report: &CheckReport,
    group_by: Option<crate::report::showback::GroupBy>,
) -> Result<String> {
    let by = group_by.as_ref();
    let view = report::view::ReportView::check(report);
    let e = &report.estimate;
    Ok(match a.format {
        CheckFormat::Text => text_with_groups(report::text::render(report), e, by),
        CheckFormat::Json => report::json::pretty(
            &with_groups(report::json::Document::check(report), e, by).to_value(),
        ),
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
                    group_by: group_by.clone(),
                    ..Default::default()
                },
            );
            report::github::append_step_summary(&md).map_err(|e| {
                miette::miette!(
                    code = crate::error::Code::GithubSummary,
                    "cannot append to $GITHUB_STEP_SUMMARY: {e}"
                )
            })?;
            report::github::render(&view, report::github::AnnotationLimits::default())
        }
        CheckFormat::Markdown => report::markdown::render(
            &view,
            &report::markdown::MarkdownOptions {
                group_by,
                ..Default::default()
            },
        ),
        CheckFormat::Html => report::html::render(&view),
        CheckFormat::InfracostJson => report::infracost::render(e),
    })
}

/// `comment github`: post `--body-file`, or run the check on `--path` and post its Markdown
/// (then exit as `check` would; a comment that cannot be written is an error either way).
pub fn comment_github(a: &GithubCommentArgs, g: &Global) -> Result<i32> {
    let p = &a.policy;
    let policy_flags = !p.policy_dirs.is_empty() || !p.data.is_empty() || p.config.is_some();
    let compare_flags = a.compare.compare_to.is_some() || a.compare.base_ref.is_some();
    if a.path.is_none() && (policy_flags || p.no_config || compare_flags) {
        return Err(miette::miette!(
            code = crate::error::Code::Cli,
            help = "pass --path PLAN_OR_DIR to run the check, or drop --policy, --data, --config, --no-config, --compare-to and --base-ref",
            "policy and comparison flags need --path (--body-file posts a finished report)"
        ));
    }
    let (body, exit) = match (&a.body_file, &a.path) {
        (Some(f), _) => (github::read_body(f)?, EXIT_OK),
        (None, Some(path)) => {
            let Evaluated {
                report,
                exit,
                group_by,
            } = evaluate(
                path,
                &a.policy,
                &ConftestArgs::default(),
                &a.compare,
                a.fail_on,
                g,
            )?;
            let opts = report::markdown::MarkdownOptions {
                key: a.key.clone(),
                group_by,
                ..Default::default()
            };
            let md = report::markdown::render(&report::view::ReportView::check(&report), &opts);
            (md, exit)
        }
        (None, None) => {
            return Err(miette::miette!(
                code = crate::error::Code::Comment,
                "nothing to post: pass --body-file FILE or --path PLAN_OR_DIR"
            ))
        }
    };
    let code = crate::github::run(&a.post_options(), &body)?;
    Ok(if code == EXIT_OK { exit } else { code })
}

pub fn policy_test(a: &PolicyTestArgs) -> Result<i32> {
    let run = policy::testing::run(&policy::testing::TestOptions {
        dirs: a.dirs.clone(),
        coverage: a.coverage,
        data: a.data.clone(),
        namespaces: a.conftest.namespaces.clone(),
        rego_version: a.conftest.rego_version.map(Into::into),
    })?;
    write_stdout(&run.render())?;
    Ok(if run.failed() { EXIT_DENY } else { EXIT_OK })
}

pub fn policy_input(a: &PolicyInputArgs, g: &Global) -> Result<i32> {
    let opts = options(&a.policy, &ConftestArgs::default())?;
    let g = &with_book_config(g, &opts);
    let (project, estimate) = crate::load_and_estimate(&a.path, g)?;
    let input = policy::input_document(&a.path, &project, estimate, &opts, a.plan_fields)?;
    let mut s = serde_json::to_string_pretty(&input).expect("JSON values serialize");
    s.push('\n');
    write_stdout(&s)?;
    Ok(EXIT_OK)
}
