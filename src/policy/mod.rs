//! Policy: the regorus engine, built-in and user policies, the input document, waivers.
//!
//! `check` = config + source index (inline waivers, file:line) → input document (built straight
//! into regorus values) → every enabled `deny`/`warn` rule under `data.costgate.`, evaluated in
//! one query so shared helper rules run once → findings → severity overrides → waivers.

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

use crate::error::Result;
use crate::estimate::Estimate;
use crate::project::Project;

use config::Config;
use engine::Rego;
use finding::{CheckReport, Finding, PolicyMeta, Severity};
use waivers::SourceIndex;

/// What `check` and `policy input` need besides the plan.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// `--policy DIR` (added to the built-ins).
    pub policy_dirs: Vec<PathBuf>,
    /// `--data FILE`.
    pub data: Vec<PathBuf>,
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// `--source DIR`: where the .tf files are (default: beside the plan).
    pub source_dir: Option<PathBuf>,
    /// Date waiver expiry is judged against.
    pub today: NaiveDate,
}

/// Everything prepared for evaluation.
pub struct Prepared {
    pub config: Config,
    pub estimate: Estimate,
    /// The input document, as the engine's value (see [`input_document`] for its JSON).
    pub input: regorus::Value,
    pub index: SourceIndex,
}

/// Load config, scan sources, fill missing source locations and build the input document.
pub fn prepare(
    path: &Path,
    project: &Project,
    estimate: Estimate,
    opts: &CheckOptions,
) -> Result<Prepared> {
    let (config, estimate, index) = configure(path, estimate, opts)?;
    let input = input::build_rego(project, &estimate, &config.doc);
    Ok(Prepared {
        config,
        estimate,
        input,
        index,
    })
}

/// The input document policies see, as JSON (`costgate policy input`).
pub fn input_document(
    path: &Path,
    project: &Project,
    estimate: Estimate,
    opts: &CheckOptions,
) -> Result<Value> {
    let (config, estimate, _) = configure(path, estimate, opts)?;
    Ok(input::build(project, &estimate, &config.doc))
}

/// Load config, scan sources and fill missing source locations.
fn configure(
    path: &Path,
    mut estimate: Estimate,
    opts: &CheckOptions,
) -> Result<(Config, Estimate, SourceIndex)> {
    let config = Config::load(path, opts.config.as_deref(), &opts.data)?;
    let root = match &opts.source_dir {
        Some(d) => d.clone(),
        None if path.is_dir() => path.to_path_buf(),
        None => path.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let root = if root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        root
    };
    let index = SourceIndex::scan(&root, &module_dirs(path, &root))?;
    for r in &mut estimate.resources {
        if r.source.is_none() {
            r.source = index
                .block(&r.module, &r.rtype, &r.name)
                .map(|b| b.location.clone());
        }
    }
    Ok((config, estimate, index))
}

/// Run every policy over a prepared input.
pub fn check(prepared: Prepared, opts: &CheckOptions) -> Result<CheckReport> {
    let Prepared {
        config,
        estimate,
        input,
        index,
    } = prepared;
    let mut modules = engine::builtin_modules(false);
    modules.extend(engine::user_modules(&opts.policy_dirs, false)?);
    let mut rego = Rego::new(modules)?;
    rego.set_input(input);
    let mut findings = Vec::new();
    let mut policies: BTreeMap<String, PolicyMeta> = BTreeMap::new();
    let mut selected = Vec::new();
    for rule in rego.rules()? {
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
    let values = rego.eval_all(&names)?;
    for ((rule, meta), value) in selected.into_iter().zip(values) {
        let found = results::findings(&rule, &value, &meta.id)
            .map_err(|e| miette::miette!(code = "costgate::policy::result", "{e}"))?;
        findings.extend(found);
        policies.entry(meta.id.clone()).or_insert(meta);
    }
    let sources: HashMap<&str, _> = estimate
        .resources
        .iter()
        .filter_map(|r| r.source.as_ref().map(|s| (r.address.as_str(), s)))
        .collect();
    for f in &mut findings {
        if config.severity(&f.policy) == Some("warn") {
            f.severity = Severity::Warn;
        }
        if f.source.is_none() {
            f.source = sources.get(f.address.as_str()).map(|s| (*s).clone());
        }
    }
    let mut all_waivers = config.waivers.clone();
    all_waivers.extend(index.waivers());
    waivers::apply(&mut findings, &all_waivers, opts.today);
    sort_findings(&mut findings);
    let mut warnings = estimate.warnings.clone();
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

/// Local module directories from the plan's `configuration` (module path → dir). Empty for
/// HCL directories (the HCL reader knows its modules) and unreadable plans.
fn module_dirs(path: &Path, root: &Path) -> Vec<(String, PathBuf)> {
    if !path.is_file() {
        return Vec::new();
    }
    let Some(plan) = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(calls) = plan.pointer("/configuration/root_module/module_calls") {
        collect_module_dirs(calls, "", root, &mut out);
    }
    out
}

fn collect_module_dirs(calls: &Value, prefix: &str, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Some(calls) = calls.as_object() else {
        return;
    };
    for (name, call) in calls {
        let Some(src) = call.get("source").and_then(Value::as_str) else {
            continue;
        };
        if !(src.starts_with("./") || src.starts_with("../")) {
            continue;
        }
        let key = format!("{prefix}module.{name}");
        let d = dir.join(src);
        if let Some(inner) = call.pointer("/module/module_calls") {
            collect_module_dirs(inner, &format!("{key}."), &d, out);
        }
        out.push((key, d));
    }
}

/// Today's date (local clock), or `COSTGATE_TODAY=YYYY-MM-DD` for reproducible runs.
pub fn today() -> Result<NaiveDate> {
    match std::env::var("COSTGATE_TODAY") {
        Ok(s) => config::parse_date(&s).map_err(|e| miette::miette!("COSTGATE_TODAY: {e}")),
        Err(_) => Ok(chrono::Local::now().date_naive()),
    }
}
