//! Policy: the regorus engine, built-in and user policies, the input document, waivers.
//!
//! `check` = config + the project's inline waivers (read by the input layer) → input document
//! (built straight into regorus values) → every enabled `deny`/`warn` rule under
//! `data.costgate.`, evaluated in one query so shared helper rules run once → findings →
//! severity overrides → waivers.

pub mod builtin;
pub mod config;
pub mod engine;
pub mod finding;
pub mod input;
pub mod results;
pub mod testing;
pub mod waivers;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::Value;

use crate::error::{FileErrors, Result};
use crate::estimate::Estimate;
use crate::money::Decimal;
use crate::project::Project;

use config::Config;
use engine::Rego;
use finding::{CheckReport, Finding, PolicyMeta, Severity};
use waivers::Waiver;

/// The policy whose `hours_per_month` sets the schedule savings are computed for.
const SCHEDULE_POLICY: &str = "savings-schedule";
/// 8 hours × 21.725 weekdays a month (the default of policies/defaults.json).
const DEFAULT_SCHEDULE_HOURS: Decimal = Decimal::from_parts(1738, 0, 0, false, 1);

/// What `check` and `policy input` need besides the plan.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// `--policy DIR` (added to the built-ins).
    pub policy_dirs: Vec<PathBuf>,
    /// `--data FILE`.
    pub data: Vec<PathBuf>,
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// `--no-config`: do not look for `costgate.toml` upward from the path.
    pub no_config: bool,
    /// Date waiver expiry is judged against.
    pub today: NaiveDate,
    /// `--no-inline-waivers`: `# costgate:ignore` comments count only when the config sets
    /// `inline_waivers = true` (the files checked come from an untrusted pull request).
    pub no_inline_waivers: bool,
}

/// Everything prepared for evaluation.
pub struct Prepared {
    pub config: Config,
    /// The policy modules to evaluate: built-ins and `--policy` files.
    pub modules: Vec<engine::Module>,
    pub estimate: Estimate,
    /// The input document, as the engine's value (see [`input_document`] for its JSON).
    pub input: regorus::Value,
    /// The project's inline waivers (`# costgate:ignore` comments).
    pub inline_waivers: Vec<Waiver>,
}

/// Load the config, refuse unreadable inline waivers and build the input document.
pub fn prepare(
    path: &Path,
    project: Project,
    estimate: Estimate,
    opts: &CheckOptions,
) -> Result<Prepared> {
    let config = configure(path, &project, opts)?;
    let estimate = with_schedule(estimate, &config);
    let mut modules = engine::builtin_modules(false);
    modules.extend(engine::user_modules(&opts.policy_dirs, false)?);
    let with_attributes = input::attributes_needed(modules.iter().map(|m| m.text.as_str()));
    let inline_waivers = project.inline_waivers.iter().map(Waiver::from).collect();
    let input = crate::timing::phase("input document", || {
        input::build_rego(project, &estimate, &config.doc, with_attributes)
    });
    Ok(Prepared {
        config,
        modules,
        estimate,
        input,
        inline_waivers,
    })
}

/// The input document policies see, as JSON (`costgate policy input`).
pub fn input_document(
    path: &Path,
    project: &Project,
    estimate: Estimate,
    opts: &CheckOptions,
) -> Result<Value> {
    let config = configure(path, project, opts)?;
    let estimate = with_schedule(estimate, &config);
    Ok(input::build(project, &estimate, &config.doc))
}

/// Hours a month the `savings-schedule` policy assumes a scheduled resource runs.
pub fn schedule_hours(config: &Config) -> Decimal {
    config
        .policy(SCHEDULE_POLICY)
        .get("hours_per_month")
        .and_then(Value::as_f64)
        .and_then(crate::money::from_f64)
        .filter(|h| *h >= Decimal::ZERO)
        .unwrap_or(DEFAULT_SCHEDULE_HOURS)
}

/// The scheduled saving of every resource, at the configured schedule.
fn with_schedule(mut estimate: Estimate, config: &Config) -> Estimate {
    let hours = schedule_hours(config);
    for r in &mut estimate.resources {
        r.savings.schedule(hours);
    }
    estimate
}

/// Load the config and refuse unreadable inline waivers.
fn configure(path: &Path, project: &Project, opts: &CheckOptions) -> Result<Config> {
    let search_from = (!opts.no_config).then_some(path);
    let mut config = Config::load_from(search_from, opts.config.as_deref(), &opts.data)?;
    if opts.no_inline_waivers && !config.inline_waivers_set {
        config.inline_waivers = false;
    }
    let inline = project.inline_waivers.iter().map(Waiver::from);
    let active_inline = config
        .inline_waivers
        .then_some(inline)
        .into_iter()
        .flatten();
    for w in config.waivers.iter().cloned().chain(active_inline) {
        if let Some(msg) = waivers::refuse(&w, opts.today, config.waiver_horizon_days) {
            return Err(miette::miette!(
                code = crate::error::Code::ConfigWaiver,
                help = "waive one policy at a time, with an expiry inside the horizon",
                "{}: {msg}",
                w.origin
            ));
        }
    }
    let mut invalid: Vec<_> = project
        .invalid_waivers
        .iter()
        .map(|w| w.diagnostic())
        .collect();
    match invalid.len() {
        0 => Ok(config),
        1 => Err(invalid.remove(0).into()),
        n => Err(FileErrors {
            message: format!("{n} costgate:ignore comments cannot be read"),
            errors: invalid,
        }
        .into()),
    }
}

/// Run every policy over a prepared input.
pub fn check(prepared: Prepared, opts: &CheckOptions) -> Result<CheckReport> {
    let Prepared {
        config,
        modules,
        estimate,
        input,
        inline_waivers,
    } = prepared;
    let mut rego = crate::timing::phase("policy load", || Rego::new(modules))?;
    let mut findings = Vec::new();
    let mut policies: BTreeMap<String, PolicyMeta> = BTreeMap::new();
    let mut selected = Vec::new();
    for rule in crate::timing::phase("policy rules", || rego.rules())? {
        if !rule.starts_with("data.costgate.") || results::rule_severity(&rule).is_none() {
            continue;
        }
        let package = rule
            .rsplit_once('.')
            .map(|(p, _)| p)
            .unwrap_or(&rule)
            .to_string();
        let meta = policy_meta(&rego, &package);
        if config.enabled(&meta.id) {
            selected.push((rule, meta));
        }
    }
    let names: Vec<String> = selected.iter().map(|(r, _)| r.clone()).collect();
    let values = crate::timing::phase("policy eval", || rego.eval_all_parallel(&input, &names))?;
    for ((rule, meta), value) in selected.into_iter().zip(values) {
        let found = results::findings(&rule, &value, &meta.id)
            .map_err(|e| miette::miette!(code = crate::error::Code::PolicyResult, "{e}"))?;
        findings.extend(found);
        policies.entry(meta.id.clone()).or_insert(meta);
    }
    let sources: HashMap<&str, _> = estimate
        .resources
        .iter()
        .filter_map(|r| r.source.as_ref().map(|s| (r.address.as_str(), s)))
        .collect();
    for f in &mut findings {
        match config.severity(&f.policy) {
            Some("warn") => f.severity = Severity::Warn,
            Some("info") => f.severity = Severity::Info,
            _ => {}
        }
        if f.source.is_none() {
            f.source = sources.get(f.address.as_str()).map(|s| (*s).clone());
        }
    }
    let mut all_waivers = config.waivers.clone();
    let mut warnings = estimate.warnings.clone();
    if config.inline_waivers {
        all_waivers.extend(inline_waivers);
    } else if !inline_waivers.is_empty() {
        warnings.push(format!(
            "{} inline costgate:ignore waiver(s) ignored: inline waivers are off (inline_waivers = false, or --no-inline-waivers without inline_waivers = true)",
            inline_waivers.len()
        ));
    }
    waivers::apply(&mut findings, &all_waivers, opts.today);
    sort_findings(&mut findings);
    for w in &all_waivers {
        if w.expired(opts.today) && !findings.iter().any(|f| w.matches(f)) {
            warnings.push(format!(
                "waiver for {} on {} ({}) expired on {}",
                w.policy,
                w.address,
                w.origin,
                w.until.unwrap_or_default()
            ));
        }
    }
    Ok(CheckReport {
        estimate,
        findings,
        policies: policies.into_values().collect(),
        warnings,
    })
}

fn policy_meta(rego: &Rego, package: &str) -> PolicyMeta {
    let m = rego.package_module(package);
    let meta = m.map(|m| m.meta.clone()).unwrap_or_default();
    let id = meta.id.unwrap_or_else(|| results::id_of_package(package));
    PolicyMeta {
        title: meta.title.unwrap_or_else(|| id.clone()),
        id,
        severity: meta.severity.unwrap_or(Severity::Deny),
        help: meta.description.unwrap_or_default(),
        origin: match m {
            Some(m) if m.builtin => "builtin".into(),
            Some(m) => m.path.clone(),
            None => package.to_string(),
        },
    }
}

/// Deny first, then by policy, address and message; exact duplicates removed.
pub fn sort_findings(f: &mut Vec<Finding>) {
    f.sort_by(|a, b| {
        (b.severity, &a.policy, &a.address, &a.message)
            .cmp(&(a.severity, &b.policy, &b.address, &b.message))
    });
    f.dedup();
}
