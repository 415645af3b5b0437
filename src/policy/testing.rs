//! `costgate policy test`: run every `test_*` rule (OPA convention), report pass/fail per test,
//! skip `todo_*` rules, and optionally report line coverage of the policy files.

use std::fmt::Write;
use std::path::PathBuf;

use crate::error::Result;

use super::engine::{self, Rego};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail,
    Skip,
    Error,
}

#[derive(Debug, Clone)]
pub struct TestResult {
    pub rule: String,
    pub file: String,
    pub outcome: Outcome,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct TestRun {
    pub results: Vec<TestResult>,
    /// (file, covered lines, coverable lines) of non-test policy files, with `--coverage`.
    pub coverage: Vec<(String, usize, usize)>,
    /// What loading noticed (files read as Rego v0).
    pub notes: Vec<String>,
}

impl TestRun {
    pub fn failed(&self) -> bool {
        self.results
            .iter()
            .any(|r| matches!(r.outcome, Outcome::Fail | Outcome::Error))
            || self.results.is_empty()
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        for n in &self.notes {
            let _ = writeln!(s, "note: {n}");
        }
        for r in &self.results {
            let tag = match r.outcome {
                Outcome::Pass => "PASS",
                Outcome::Fail => "FAIL",
                Outcome::Skip => "SKIP",
                Outcome::Error => "ERROR",
            };
            let _ = writeln!(s, "{tag:<5} {} ({})", r.rule, r.file);
            if let Some(d) = &r.detail {
                for l in d.lines().filter(|l| !l.trim().is_empty()) {
                    let _ = writeln!(s, "      {l}");
                }
            }
        }
        let count = |o| self.results.iter().filter(|r| r.outcome == o).count();
        let _ = writeln!(
            s,
            "{} tests: {} passed, {} failed, {} errors, {} skipped",
            self.results.len(),
            count(Outcome::Pass),
            count(Outcome::Fail),
            count(Outcome::Error),
            count(Outcome::Skip)
        );
        if self.results.is_empty() {
            let _ = writeln!(s, "no test_* rules found");
        }
        for (file, covered, total) in &self.coverage {
            let pct = if *total == 0 {
                100.0
            } else {
                *covered as f64 * 100.0 / *total as f64
            };
            let _ = writeln!(s, "coverage {file}: {covered}/{total} lines ({pct:.1}%)");
        }
        s
    }
}

/// What `policy test` runs.
#[derive(Debug, Clone, Default)]
pub struct TestOptions {
    /// Directories or files; empty: the built-ins' own tests.
    pub dirs: Vec<PathBuf>,
    pub coverage: bool,
    /// `--data FILE`: documents the tests see under `data` (conftest verify's `--data`).
    pub data: Vec<PathBuf>,
    /// `--namespace`: only tests in these packages (globs); empty: every package.
    pub namespaces: Vec<String>,
    pub rego_version: Option<super::RegoVersion>,
}

/// Run the tests of `dirs` (with the built-in policies loaded so tests can use them), or the
/// built-in tests when `dirs` is empty.
pub fn run(o: &TestOptions) -> Result<TestRun> {
    let (dirs, coverage) = (&o.dirs, o.coverage);
    let mut modules = engine::builtin_modules(dirs.is_empty());
    modules.extend(engine::user_modules(dirs, true)?);
    let mut rego = Rego::with_version(modules, o.rego_version)?;
    for d in &super::config::data_files(&o.data)? {
        let doc = super::config::read_data_document(d)?;
        let v = regorus::Value::from_json_str(&doc.to_string()).map_err(|e| {
            miette::miette!(
                code = crate::error::Code::ConfigData,
                "{}: {e}",
                d.display()
            )
        })?;
        rego.engine.add_data(v).map_err(|e| {
            miette::miette!(
                code = crate::error::Code::ConfigData,
                "{}: {e}",
                d.display()
            )
        })?;
    }
    rego.engine.set_enable_coverage(coverage);
    let mut run = TestRun {
        notes: rego.notes.clone(),
        ..Default::default()
    };
    for rule in rego.rules()? {
        let name = rule.rsplit('.').next().unwrap_or(&rule);
        let is_test = name.starts_with("test_");
        let is_todo = name.starts_with("todo_test_");
        if !is_test && !is_todo {
            continue;
        }
        let package = rule.rsplit_once('.').map(|(p, _)| p).unwrap_or(&rule);
        let ns = package.strip_prefix("data.").unwrap_or(package);
        if !o.namespaces.is_empty() && !o.namespaces.iter().any(|p| super::waivers::glob(p, ns)) {
            continue;
        }
        let Some(module) = rego
            .modules
            .iter()
            .find(|m| m.package == package && m.is_test && defines(&m.text, name))
            .or_else(|| {
                rego.modules
                    .iter()
                    .find(|m| m.package == package && defines(&m.text, name))
            })
        else {
            continue;
        };
        if !dirs.is_empty() && module.builtin {
            continue;
        }
        let file = module.path.clone();
        let (outcome, detail) = if is_todo {
            (Outcome::Skip, None)
        } else {
            match rego.eval(&rule) {
                Ok(serde_json::Value::Bool(true)) => (Outcome::Pass, None),
                Ok(serde_json::Value::Null) => (
                    Outcome::Fail,
                    Some("undefined (a condition did not hold)".into()),
                ),
                Ok(v) => (Outcome::Fail, Some(format!("value {v}, expected true"))),
                Err(e) => (Outcome::Error, Some(format!("{e:?}"))),
            }
        };
        run.results.push(TestResult {
            rule,
            file,
            outcome,
            detail,
        });
    }
    if coverage {
        let report = rego
            .engine
            .get_coverage_report()
            .map_err(|e| miette::miette!("coverage: {e}"))?;
        for f in report.files {
            if f.path.ends_with("_test.rego") {
                continue;
            }
            let covered = f.covered.len();
            run.coverage
                .push((f.path.to_string(), covered, covered + f.not_covered.len()));
        }
        run.coverage.sort();
    }
    Ok(run)
}

fn defines(text: &str, name: &str) -> bool {
    text.lines().any(|l| {
        l.strip_prefix(name)
            .is_some_and(|r| r.starts_with([' ', '\t', '{', '(', ':']) || r.is_empty())
    })
}
