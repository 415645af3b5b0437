//! costgate: cost guardrails for Terraform/OpenTofu.
//!
//! Pipeline: [`input`] (plan JSON or HCL) → [`project::Project`] → [`resources`] (families turn
//! attributes into cost components, GPU and idle facts) → [`estimate`] (prices from
//! [`pricing`] catalogs, usage) → policy → [`report`].

pub mod book;
pub mod cli;
pub mod compare;
pub mod error;
pub mod estimate;
pub mod github;
pub mod input;
pub mod money;
pub mod policy;
pub mod pricing;
pub mod project;
/// Monorepo projects (part of the input; kept at this path for callers).
pub use input::projects;
pub mod report;
pub mod resources;
pub mod settings;
pub mod timing;

use std::io::Write;

use cli::{Cli, Command, Global};
use error::Result;

/// Exit codes: 0 fine, 1 policy failure, 2 error.
pub const EXIT_OK: i32 = 0;
pub const EXIT_DENY: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

/// Load options from the global flags.
pub fn load_options(g: &Global) -> Result<input::LoadOptions> {
    let vars = g
        .vars
        .iter()
        .map(|v| {
            v.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.to_string()))
                .ok_or_else(|| {
                    miette::miette!(
                        code = crate::error::Code::Cli,
                        "--var expects NAME=VALUE, got `{v}`"
                    )
                })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(input::LoadOptions {
        source_dir: g.source.clone(),
        vars,
        var_files: g.var_files.clone(),
        default_region: g.region.clone(),
        workspace: settings::tf_workspace(),
        remote: Some(input::remote::RemoteOptions {
            offline: g.offline,
            cache_dir: None,
        }),
        allow_paths: g.allow_paths.clone(),
        max_instances: g.max_instances,
        run_budget: None,
    })
}

/// Read the input and price it.
pub fn estimate_path(path: &std::path::Path, g: &Global) -> Result<estimate::Estimate> {
    Ok(load_and_estimate(path, g)?.1)
}

/// What pricing needs: the project, the catalogs and the usage file.
pub struct Loaded {
    pub project: project::Project,
    pub catalogs: pricing::Catalogs,
    pub usage: estimate::usage::Usage,
}

/// Read the input, the catalogs and the usage file.
pub fn load_inputs(path: &std::path::Path, g: &Global) -> Result<Loaded> {
    let opts = load_options(g)?;
    let mut catalogs = pricing::Catalogs::load_user(g.pricing_dir.as_deref())?;
    catalogs.book =
        policy::price_book::load(path, g.price_book.as_deref(), &g.book_config)?.map(Into::into);
    let mut usage = match &g.usage {
        Some(f) => estimate::usage::Usage::load(f)?,
        None => Default::default(),
    };
    let mut project = timing::phase("load", || input::load(path, &opts))?;
    pricing::regions::check(&project, &catalogs, opts.default_region.as_deref())?;
    project.warnings.extend(usage.notes.iter().cloned());
    add_project_usage(&mut usage, &project)?;
    Ok(Loaded {
        project,
        catalogs,
        usage,
    })
}

/// Read the input and price it, keeping the project (policies see its attributes).
pub fn load_and_estimate(
    path: &std::path::Path,
    g: &Global,
) -> Result<(project::Project, estimate::Estimate)> {
    let Loaded {
        project,
        catalogs,
        usage,
    } = load_inputs(path, g)?;
    let mut e = timing::phase("estimate", || {
        estimate::estimate(&project, &catalogs, &usage)
    });
    add_stale_warnings(&mut e, &catalogs)?;
    Ok((project, e))
}

/// Monorepo: each project's usage file, its `resources` entries under the project's prefix.
pub fn add_project_usage(usage: &mut estimate::usage::Usage, p: &project::Project) -> Result<()> {
    for info in &p.projects {
        if let Some(f) = &info.usage {
            usage.add_project(&info.name, estimate::usage::Usage::load(f)?, f)?;
        }
    }
    Ok(())
}

/// Warn about catalogs older than the default maximum age.
pub fn add_stale_warnings(e: &mut estimate::Estimate, catalogs: &pricing::Catalogs) -> Result<()> {
    let today = settings::today()?;
    let max_age = pricing::verify::max_age_days()?;
    // Imported prices (`imp-…` sources) are as old as their source table; hand-checked and
    // refreshed entries were confirmed when their catalog was generated.
    let used = e
        .resources
        .iter()
        .flat_map(|r| r.components.iter())
        .map(|c| {
            let generated = catalogs
                .prices
                .get(c.price.catalog)
                .map_or("", |cat| cat.generated_at.as_str());
            let as_of = c.price.as_of.as_str();
            let date = if c.price.source.starts_with(pricing::import::ID_PREFIX) {
                as_of
            } else {
                as_of.max(generated)
            };
            (c.price.catalog, c.price.source.as_str(), date)
        });
    let stale = pricing::verify::stale_used(used, today, max_age);
    e.warnings.extend(stale);
    Ok(())
}

/// [`load_and_estimate`], or with `--compare-to`/`--base-ref` the change from the base.
pub fn load_and_estimate_against(
    path: &std::path::Path,
    g: &Global,
    against: Option<&compare::Against>,
) -> Result<(project::Project, estimate::Estimate)> {
    match against {
        None => load_and_estimate(path, g),
        Some(a) => {
            let c = a.load(path, &a.global(g)?)?;
            Ok((c.project, c.estimate))
        }
    }
}

/// Run a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> Result<i32> {
    if let Some(s) = cli.global.policy_timeout {
        policy::engine::set_timeout(std::time::Duration::from_secs(s.max(1)));
    }
    match cli.command {
        Command::Estimate(a) => cli::commands::estimate(&a, &cli.global),
        Command::Explain(a) => cli::commands::explain(&a, &cli.global),
        Command::Check(a) => cli::commands::check(&a, &cli.global),
        Command::Policy(cli::PolicyCommand::Test(a)) => cli::commands::policy_test(&a),
        Command::Policy(cli::PolicyCommand::Input(a)) => {
            cli::commands::policy_input(&a, &cli.global)
        }
        Command::Pricing(a) => cli::pricing::run(a, &cli.global),
        Command::Comment(cli::github::CommentCommand::Github(a)) => {
            cli::commands::comment_github(&a, &cli.global)
        }
        Command::Output(a) => cli::output::output(&a),
        Command::Completions(a) => cli::shell::completions(&a),
        Command::Man(a) => cli::shell::man(&a),
    }
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(text: &str) -> Result<()> {
    write_stdout_with(|out| out.write_all(text.as_bytes()))
}

/// Stream to stdout (a report written as it is produced); a closed pipe is not an error.
pub fn write_stdout_with(
    write: impl FnOnce(&mut std::io::StdoutLock<'static>) -> std::io::Result<()>,
) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match write(&mut out).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(miette::miette!("cannot write output: {e}"))
        }
        _ => Ok(()),
    }
}
