//! Policy: the regorus engine, built-in and user policies, the input document, waivers.
//!
//! `check` = config + the project's inline waivers (read by the input layer) → input document
//! (built straight into regorus values) → every enabled `deny`/`warn` rule under
//! `data.costgate.`, evaluated in one query so shared helper rules run once → findings →
//! severity overrides → waivers.

pub mod autostop;
pub mod builtin;
pub mod config;
pub mod conftest_builtins;
pub mod engine;
pub mod finding;
pub mod input;
pub mod price_book;
pub mod raw_plan;
pub mod results;
pub mod schema;
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
    /// `--namespace` (conftest): packages whose deny/violation/warn rules count besides
    /// `costgate.*`; empty means `main`.
    pub namespaces: Vec<String>,
    /// `--all-namespaces`.
    pub all_namespaces: bool,
    /// `--rego-version`.
    pub rego_version: Option<crate::cli::RegoVersion>,
    /// `--no-inline-waivers`: `# costgate:ignore` comments count only when the config sets
    /// `inline_waivers = true` (the files checked come from an untrusted pull request).
    pub no_inline_waivers: bool,
    /// `--strict`: a rule's runtime error is an error (exit 2), not a warning.
    pub strict: bool,
}

impl CheckOptions {
    /// Does a conftest-style package (`data.main`, ...) count?
    pub fn namespace_selected(&self, package: &str) -> bool {
        let ns = package.strip_prefix("data.").unwrap_or(package);
        if self.all_namespaces {
            return true;
        }
        if self.namespaces.is_empty() {
            return ns == "main";
        }
        self.namespaces.iter().any(|p| waivers::glob(p, ns))
    }
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
    /// Where each module is called (see [`Project::call_sites`]).
    pub call_sites: std::collections::BTreeMap<String, crate::project::SourceLocation>,
}

/// Load the config, refuse unreadable inline waivers and build the input document.
pub fn prepare(
    path: &Path,
    project: Project,
    estimate: Estimate,
    opts: &CheckOptions,
) -> Result<Prepared> {
    let config = configure(path, &project, opts)?;
    let mut estimate = with_schedule(estimate, &config);
    autostop::apply(&mut estimate, &project, &autostop::patterns(&config)?);
    let mut modules = engine::builtin_modules(false);
    modules.extend(engine::user_modules(&opts.policy_dirs, false)?);
    config::check_policy_ids(&config, &modules, &project.inline_waivers)?;
    let texts = || modules.iter().map(|m| m.text.as_str());
    let with_attributes = input::attributes_needed(texts());
    let raw_fields = raw_plan::fields_needed(
        modules
            .iter()
            .filter(|m| !m.builtin)
            .map(|m| m.text.as_str()),
    );
    let raw = crate::timing::phase("raw plan", || {
        raw_plan::for_input(path, &project, &raw_fields)
    })?;
    if project.input_kind == crate::project::InputKind::Hcl {
        let unfilled = raw_plan::hcl_unfilled(&raw_fields);
        if !unfilled.is_empty() {
            estimate.warnings.push(format!(
                "a loaded policy reads the plan's {}, which HCL mode has no plan to fill (absent from the input): run it on a plan JSON for those",
                unfilled.join(", ")
            ));
        }
    }
    let inline_waivers = project.inline_waivers.iter().map(Waiver::from).collect();
    let call_sites = project.call_sites.clone();
    let input = crate::timing::phase("input document", || {
        input::build_rego(project, &estimate, &config.doc, with_attributes, raw)
    });
    Ok(Prepared {
        config,
        modules,
        estimate,
        input,
        inline_waivers,
        call_sites,
    })
}

/// The input document policies see, as JSON (`costgate policy input`): the plan's own fields
/// that the loaded policies read (all of them with `all_plan_fields`), and always the resource
/// attributes.
pub fn input_document(
    path: &Path,
    project: &Project,
    estimate: Estimate,
    opts: &CheckOptions,
    all_plan_fields: bool,
) -> Result<Value> {
    let config = configure(path, project, opts)?;
    let mut modules = engine::builtin_modules(false);
    modules.extend(engine::user_modules(&opts.policy_dirs, false)?);
    config::check_policy_ids(&config, &modules, &project.inline_waivers)?;
    let mut estimate = with_schedule(estimate, &config);
    autostop::apply(&mut estimate, project, &autostop::patterns(&config)?);
    let fields = if all_plan_fields {
        raw_plan::FIELDS.to_vec()
    } else {
        raw_plan::fields_needed(
            modules
                .iter()
                .filter(|m| !m.builtin)
                .map(|m| m.text.as_str()),
        )
    };
    let raw = raw_plan::for_input(path, project, &fields)?;
    let mut doc = input::build(project, &estimate, &config.doc);
    if let Value::Object(o) = &mut doc {
        o.extend(raw);
    }
    Ok(doc)
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
        call_sites,
    } = prepared;
    let mut rego = crate::timing::phase("policy load", || {
        Rego::with_version(modules, opts.rego_version)
    })?;
    for d in &config.data_docs {
        let v = regorus::Value::from_json_str(&d.to_string())
            .map_err(|e| miette::miette!(code = crate::error::Code::ConfigData, "--data: {e}"))?;
        rego.engine.add_data(v).map_err(|e| {
            miette::miette!(
                code = crate::error::Code::ConfigData,
                "--data: cannot add to data: {e}"
            )
        })?;
    }
    let mut findings = Vec::new();
    let mut policies: BTreeMap<String, PolicyMeta> = BTreeMap::new();
    let mut selected = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    let mut exception_rules: Vec<String> = Vec::new();
    for rule in crate::timing::phase("policy rules", || rego.rules())? {
        let package = rule
            .rsplit_once('.')
            .map(|(p, _)| p)
            .unwrap_or(&rule)
            .to_string();
        let conftest = !rule.starts_with("data.costgate.");
        if conftest && rule.ends_with(".exception") && opts.namespace_selected(&package) {
            exception_rules.push(rule.clone());
            continue;
        }
        let is_result = if conftest {
            let result_rule = results::conftest_severity(&rule).is_some();
            if result_rule && !opts.namespace_selected(&package) && !skipped.contains(&package) {
                skipped.push(package.clone());
            }
            opts.namespace_selected(&package) && result_rule
        } else {
            results::rule_severity(&rule).is_some()
        };
        if !is_result {
            continue;
        }
        let meta = if conftest {
            conftest_meta(&rego, &rule)
        } else {
            policy_meta(&rego, &package)
        };
        if config.enabled(&meta.id) {
            selected.push((rule, meta, conftest));
        }
    }
    let mut names: Vec<String> = selected.iter().map(|(r, ..)| r.clone()).collect();
    names.extend(exception_rules.iter().cloned());
    let mut values =
        crate::timing::phase("policy eval", || rego.eval_all_parallel(&input, &names))?;
    let exceptions = conftest_exceptions(&exception_rules, values.split_off(selected.len()));
    let rule_errors = runtime_errors(&rego, opts.strict)?;
    let known: std::collections::HashSet<&str> = estimate
        .resources
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    for ((rule, meta, conftest), value) in selected.into_iter().zip(values) {
        let mut found = results::findings(&rule, &value, &meta.id)
            .map_err(|e| miette::miette!(code = crate::error::Code::PolicyResult, "{e}"))?;
        if conftest {
            for f in found.iter_mut().filter(|f| f.address.is_empty()) {
                if let Some(a) = results::address_in_message(&f.message, &known) {
                    f.address = a.to_string();
                }
            }
            if let Some(note) = exception_note(&exceptions, &rule) {
                for f in &mut found {
                    f.waived = true;
                    f.waiver_note = Some(note.clone());
                }
            }
        }
        findings.extend(found);
        policies.entry(meta.id.clone()).or_insert(meta);
    }
    let modules_of: HashMap<&str, &str> = estimate
        .resources
        .iter()
        .filter(|r| !r.module.is_empty())
        .map(|r| (r.address.as_str(), r.module.as_str()))
        .collect();
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
        if let Some(m) = modules_of.get(f.address.as_str()) {
            let outer = waivers::strip_keys(m);
            let outer = outer.splitn(3, '.').take(2).collect::<Vec<_>>().join(".");
            f.call_site = call_sites.get(&outer).cloned();
        }
    }
    let mut all_waivers = config.waivers.clone();
    let mut warnings = estimate.warnings.clone();
    warnings.extend(rego.notes.iter().cloned());
    warnings.extend(rule_errors);
    for ns in &opts.namespaces {
        let matched = rego.modules.iter().any(|m| {
            let p = m.package.strip_prefix("data.").unwrap_or(&m.package);
            waivers::glob(ns, p)
        });
        if !matched {
            warnings.push(format!("--namespace {ns} matches no loaded package"));
        }
    }
    if !skipped.is_empty() {
        let names: Vec<&str> = skipped
            .iter()
            .map(|p| p.strip_prefix("data.").unwrap_or(p))
            .collect();
        warnings.push(format!(
            "deny/violation/warn rules of package(s) {} not evaluated: `check` evaluates costgate.* and the --namespace packages (default `main`); --all-namespaces takes every package",
            names.join(", ")
        ));
    }
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

/// The runtime errors rules hit, as warnings (each may hide findings), or under `--strict`
/// the first as an error at its policy file:line.
fn runtime_errors(rego: &Rego, strict: bool) -> Result<Vec<String>> {
    let errors = &rego.runtime_errors;
    if strict {
        if let Some(e) = errors.first() {
            return Err(miette::miette!(
                code = crate::error::Code::PolicyRego,
                help = "the rule's expression was undefined there (as in OPA), so its findings may be missing; fix the rule, or drop --strict to see this as a warning",
                "policy runtime error at {e}"
            ));
        }
    }
    Ok(errors
        .iter()
        .map(|e| {
            format!("policy runtime error at {e}: that expression was undefined, so the rule may report fewer findings than it should (--strict makes this an error)")
        })
        .collect())
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

/// conftest's `exception` rules: package → the rule names they exempt (`""` for the plain
/// `deny`/`violation`/`warn`, else the part after `deny_`, ...).
fn conftest_exceptions(rules: &[String], values: Vec<Value>) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (rule, v) in rules.iter().zip(values) {
        let package = rule.rsplit_once('.').map_or(rule.as_str(), |(p, _)| p);
        let names = v
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(Value::as_str)
            .map(String::from);
        out.entry(package.to_string()).or_default().extend(names);
    }
    out
}

/// The waiver note of a rule its package's `exception` exempts (conftest: for the whole input).
fn exception_note(exceptions: &HashMap<String, Vec<String>>, rule: &str) -> Option<String> {
    let (package, name) = rule.rsplit_once('.')?;
    let suffix = ["deny", "violation", "warn"]
        .iter()
        .find_map(|p| name.strip_prefix(p))?
        .trim_start_matches('_');
    exceptions
        .get(package)?
        .iter()
        .any(|e| e == suffix)
        .then(|| {
            format!(
                "waived by a conftest exception in {} (`exception` names \"{suffix}\")",
                package.strip_prefix("data.").unwrap_or(package)
            )
        })
}

/// A conftest-style rule (`data.main.deny_x`): its id is `<namespace>/<rule>` (conftest's
/// query names it so), unless the file's `# METADATA` header names one.
fn conftest_meta(rego: &Rego, rule: &str) -> PolicyMeta {
    let (package, name) = rule.rsplit_once('.').unwrap_or(("", rule));
    let m = rego.package_module(package);
    let meta = m.map(|m| m.meta.clone()).unwrap_or_default();
    let ns = package.strip_prefix("data.").unwrap_or(package);
    let id = meta.id.unwrap_or_else(|| format!("{ns}/{name}"));
    PolicyMeta {
        title: meta.title.unwrap_or_else(|| id.clone()),
        id,
        severity: results::conftest_severity(rule).unwrap_or(Severity::Deny),
        help: meta.description.unwrap_or_default(),
        origin: m
            .map(|m| m.path.clone())
            .unwrap_or_else(|| package.to_string()),
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
