//! The regorus engine: loading policy modules (built-in and user), discovering rules,
//! evaluating them, and turning regorus' error text into diagnostics that point at the policy
//! file and line. A broken policy is an error (exit 2), never a crash.

use std::path::{Path, PathBuf};

use regorus::Value as RegoValue;
use serde_json::Value;

use crate::error::{FileError, Result};

use super::builtin::{self, Metadata};

/// One Rego file.
#[derive(Debug, Clone)]
pub struct Module {
    /// Name regorus knows it by (and diagnostics show): `policies/<file>` for built-ins.
    pub path: String,
    pub text: String,
    pub builtin: bool,
    pub is_test: bool,
    pub meta: Metadata,
    /// `data.costgate.x` once loaded.
    pub package: String,
    /// Parsed as Rego v0 (`--rego-version v0`, or detected: the file parses only as v0).
    pub rego_v0: bool,
}

impl Module {
    fn new(path: String, text: String, builtin: bool) -> Self {
        let is_test = path.ends_with("_test.rego");
        let meta = builtin::metadata(&text);
        Module {
            path,
            text,
            builtin,
            is_test,
            meta,
            package: String::new(),
            rego_v0: false,
        }
    }
}

/// The built-in policies (and their tests when `tests`).
pub fn builtin_modules(tests: bool) -> Vec<Module> {
    let mut v: Vec<Module> = builtin::POLICIES
        .iter()
        .map(|b| Module::new(format!("policies/{}", b.file), b.text.into(), true))
        .collect();
    if tests {
        v.extend(
            builtin::TESTS
                .iter()
                .map(|b| Module::new(format!("policies/{}", b.file), b.text.into(), true)),
        );
    }
    v
}

/// The input with `resources` narrowed to those where one of `fields` is set (not null, not
/// false, not absent). Resources are shared, not copied.
pub fn scoped_input(input: &RegoValue, fields: Option<&[String]>) -> RegoValue {
    let Some(fields) = fields else {
        return input.clone();
    };
    let Ok(all) = input["resources"].as_array() else {
        return input.clone();
    };
    let keys: Vec<RegoValue> = fields.iter().map(|f| RegoValue::from(f.as_str())).collect();
    let kept: Vec<RegoValue> = all
        .iter()
        .filter(|r| {
            keys.iter().any(|k| {
                !matches!(
                    &r[k],
                    RegoValue::Null | RegoValue::Undefined | RegoValue::Bool(false)
                )
            })
        })
        .cloned()
        .collect();
    let mut scoped = input.clone();
    if let Ok(o) = scoped.as_object_mut() {
        o.insert(RegoValue::from("resources"), RegoValue::from(kept));
    }
    scoped
}

/// Every `.rego` file under `dirs` (a file path is taken as is), sorted.
pub fn user_modules(dirs: &[PathBuf], tests: bool) -> Result<Vec<Module>> {
    let mut out = Vec::new();
    for d in dirs {
        if !d.exists() {
            return Err(miette::miette!(
                code = crate::error::Code::PolicyMissing,
                "policy path {} does not exist",
                d.display()
            ));
        }
        let is_rego = |p: &Path| p.extension().is_some_and(|x| x == "rego");
        if d.is_file() && !is_rego(d) {
            return Err(miette::miette!(
                code = crate::error::Code::PolicyMissing,
                help = "pass a folder of .rego files or a .rego file",
                "policy path {} is not a .rego file",
                d.display()
            ));
        }
        let mut files: Vec<PathBuf> = Vec::new();
        for e in walkdir::WalkDir::new(d) {
            let e = e.map_err(|e| {
                miette::miette!(
                    code = crate::error::Code::PolicyMissing,
                    "cannot read policy path {}: {}",
                    e.path().unwrap_or(d).display(),
                    e.io_error()
                        .map(|io| io.kind().to_string())
                        .unwrap_or_else(|| "file system loop".into())
                )
            })?;
            if e.path().is_file() && is_rego(e.path()) {
                files.push(e.into_path());
            }
        }
        if files.is_empty() {
            return Err(miette::miette!(
                code = crate::error::Code::PolicyMissing,
                help = "policies are .rego files; the built-in ones run without --policy",
                "policy path {} holds no .rego file",
                d.display()
            ));
        }
        files.sort();
        let policies = files
            .iter()
            .filter(|f| tests || !f.to_string_lossy().ends_with("_test.rego"))
            .count();
        if policies == 0 {
            return Err(miette::miette!(
                code = crate::error::Code::PolicyMissing,
                help = "give a folder (or file) holding the .rego policies, e.g. --policy policy/",
                "policy path {} holds only tests (*_test.rego), no policies",
                d.display()
            ));
        }
        for f in files {
            let text = crate::error::read_file(&f)?;
            crate::error::check_nesting(&f, &text).map_err(|e| miette::Report::new(*e))?;
            let m = Module::new(f.display().to_string(), text, false);
            if tests || !m.is_test {
                out.push(m);
            }
        }
    }
    Ok(out)
}

/// A loaded engine.
/// Deadline of one evaluation (`--policy-timeout`), in milliseconds; 0 is the default.
static TIMEOUT_MS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Generous: the built-in policies take well under a second on 100,000 resources.
pub const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// Set the deadline of every evaluation from now on.
pub fn set_timeout(d: std::time::Duration) {
    TIMEOUT_MS.store(
        d.as_millis().max(1) as u64,
        std::sync::atomic::Ordering::Relaxed,
    );
}

fn timeout() -> std::time::Duration {
    match TIMEOUT_MS.load(std::sync::atomic::Ordering::Relaxed) {
        0 => DEFAULT_TIMEOUT,
        ms => std::time::Duration::from_millis(ms),
    }
}

/// A Rego evaluation error; one past the deadline says so.
fn eval_error(e: &str, modules: &[Module]) -> miette::Report {
    if e.contains("exceeded time limit") {
        return miette::miette!(
            code = crate::error::Code::PolicyTimeout,
            help = "a policy that loops over large inputs can be made cheaper, or given more time with --policy-timeout SECONDS",
            "policy evaluation took longer than {}s; stopped",
            timeout().as_secs_f64()
        );
    }
    rego_error(e, modules)
}

pub struct Rego {
    pub engine: regorus::Engine,
    pub modules: Vec<Module>,
    /// What loading noticed (files detected as Rego v0).
    pub notes: Vec<String>,
    /// Runtime errors rules hit (a builtin that failed: `sprintf("%d", [1.5])`,
    /// `to_number("x")`), each with its policy file:line. The rule's expression was undefined
    /// there, as in OPA, so findings may be missing: these are reported, never silent.
    pub runtime_errors: Vec<RuntimeError>,
}

/// One package's rule values (by rule index) and the runtime errors its rules hit.
type PackageResults = (Vec<(usize, Value)>, Vec<RuntimeError>);

/// A runtime error met while evaluating rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeError {
    /// `file:line` of the expression, when regorus says.
    pub at: Option<String>,
    pub message: String,
}

impl RuntimeError {
    fn parse(text: &str) -> RuntimeError {
        let message = text
            .lines()
            .rev()
            .find_map(|l| l.trim().strip_prefix("error:"))
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|| text.trim().lines().next().unwrap_or_default().to_string());
        let at = text.lines().find_map(|l| {
            let loc = l.trim().strip_prefix("-->")?.trim();
            let (file_line, _col) = loc.rsplit_once(':')?;
            Some(file_line.to_string())
        });
        RuntimeError { at, message }
    }
}

impl std::fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.at {
            Some(at) => write!(f, "{at}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl Rego {
    /// Parse every module; a syntax error is a diagnostic at its file:line. Each file is
    /// read as it is written: one that parses only as Rego v0 is loaded as v0.
    pub fn new(modules: Vec<Module>) -> Result<Self> {
        Self::with_version(modules, None)
    }

    /// [`Rego::new`] with conftest's `--rego-version`: `V1` refuses v0 files (with a message
    /// saying so), `V0` reads every file as v0 (as OPA's v0 mode does).
    pub fn with_version(
        mut modules: Vec<Module>,
        version: Option<crate::cli::RegoVersion>,
    ) -> Result<Self> {
        use crate::cli::RegoVersion;
        let mut engine = regorus::Engine::new();
        engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
            limit: timeout(),
            check_interval: std::num::NonZeroU32::new(256).unwrap_or(std::num::NonZeroU32::MIN),
        });
        // OPA semantics: a failing builtin makes the expression undefined, not an error.
        engine.set_strict_builtin_errors(false);
        super::conftest_builtins::register(&mut engine, &modules)?;
        let mut notes = Vec::new();
        for m in modules
            .iter()
            .filter(|m| !m.builtin && m.text.contains("http.send"))
        {
            notes.push(format!(
                "{}: calls http.send, which costgate does not provide (policies get no network): the call is undefined",
                m.path
            ));
        }
        for m in &mut modules {
            let forced_v0 = version == Some(RegoVersion::V0) && !m.builtin;
            engine.set_rego_v0(forced_v0);
            m.rego_v0 = forced_v0;
            let added = engine.add_policy(m.path.clone(), m.text.clone());
            m.package = match added {
                Ok(p) => p,
                Err(e) if !forced_v0 && !m.builtin && parses_as_v0(m) => {
                    if version == Some(RegoVersion::V1) {
                        return Err(v0_refused(m, &e.to_string()));
                    }
                    engine.set_rego_v0(true);
                    m.rego_v0 = true;
                    let p = engine
                        .add_policy(m.path.clone(), m.text.clone())
                        .map_err(|e| rego_error(&e.to_string(), std::slice::from_ref(m)))?;
                    notes.push(format!(
                        "{}: Rego v0 syntax, evaluated as Rego v0 (say so with --rego-version v0, or refuse it with --rego-version v1)",
                        m.path
                    ));
                    p
                }
                Err(e) => return Err(rego_error(&e.to_string(), std::slice::from_ref(m))),
            };
        }
        engine.set_rego_v0(false);
        Ok(Rego {
            engine,
            modules,
            notes,
            runtime_errors: Vec::new(),
        })
    }

    pub fn set_input(&mut self, input: RegoValue) {
        self.engine.set_input(input);
    }

    /// Every rule path (`data.pkg.rule`) the modules define, sorted.
    pub fn rules(&mut self) -> Result<Vec<String>> {
        let candidates: Vec<String> = self
            .modules
            .iter()
            .flat_map(|m| {
                head_names(&m.text)
                    .into_iter()
                    .map(move |n| format!("{}.{n}", m.package))
            })
            .collect();
        for c in &candidates {
            if let Ok(cp) = self.engine.compile_with_entrypoint(&c.as_str().into()) {
                let mut rules: Vec<String> = cp.get_rules().keys().cloned().collect();
                rules.sort();
                rules.dedup();
                return Ok(rules);
            }
        }
        let mut c = candidates;
        c.sort();
        c.dedup();
        Ok(c)
    }

    /// Evaluate one rule; errors become diagnostics at the policy line.
    pub fn eval(&mut self, rule: &str) -> Result<Value> {
        let v = self
            .engine
            .eval_rule(rule.to_string())
            .map_err(|e| eval_error(&e.to_string(), &self.modules))?;
        if v == RegoValue::Undefined {
            return Ok(Value::Null);
        }
        let s = v
            .to_json_str()
            .map_err(|e| miette::miette!("result of {rule}: {e}"))?;
        serde_json::from_str(&s).map_err(|e| miette::miette!("result of {rule}: {e}"))
    }

    /// [`Rego::eval_all`], one package per task on every core: each task evaluates its
    /// package's rules on its own copy of the engine (the input is shared, not copied), so a
    /// package's shared helper rules still run once. A package whose metadata declares
    /// `resources_with` sees only the resources with one of those fields set. Results come
    /// back in `rules` order.
    pub fn eval_all_parallel(&mut self, input: &RegoValue, rules: &[String]) -> Result<Vec<Value>> {
        use rayon::prelude::*;
        let mut packages: Vec<(&str, Vec<usize>)> = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            let pkg = r.rsplit_once('.').map_or(r.as_str(), |(p, _)| p);
            match packages.iter_mut().find(|(p, _)| *p == pkg) {
                Some((_, v)) => v.push(i),
                None => packages.push((pkg, vec![i])),
            }
        }
        let template = &*self;
        let per_package: Vec<PackageResults> = packages
            .par_iter()
            .map(|(pkg, idx)| {
                let mut rego = Rego {
                    engine: template.engine.clone(),
                    modules: template.modules.clone(),
                    notes: Vec::new(),
                    runtime_errors: Vec::new(),
                };
                let scope = template
                    .package_module(pkg)
                    .and_then(|m| m.meta.resources_with.as_deref());
                rego.set_input(scoped_input(input, scope));
                let names: Vec<String> = idx.iter().map(|&i| rules[i].clone()).collect();
                let values =
                    crate::timing::phase(&format!("policy {pkg}"), || rego.eval_all(&names))?;
                Ok((
                    idx.iter().copied().zip(values).collect(),
                    rego.runtime_errors,
                ))
            })
            .collect::<Result<_>>()?;
        let mut out = vec![Value::Null; rules.len()];
        for (values, errors) in per_package {
            for (i, v) in values {
                out[i] = v;
            }
            self.runtime_errors.extend(errors);
        }
        Ok(out)
    }

    /// Evaluate several rules in one query, so the rules and helper rules they share are
    /// evaluated once (regorus memoises rules within one evaluation, not across them). A rule
    /// that is undefined gives `null`, like [`Rego::eval`].
    pub fn eval_all(&mut self, rules: &[String]) -> Result<Vec<Value>> {
        if rules.is_empty() {
            return Ok(Vec::new());
        }
        // `[x | x := rule]` is `[]` when the rule is undefined, so one undefined rule does not
        // make the whole query undefined.
        let wrapped: Vec<String> = rules.iter().map(|r| format!("[x | x := {r}]")).collect();
        let query = format!("[{}]", wrapped.join(", "));
        // Builtin errors are strict first, so one is seen; then, as OPA does, the failing
        // expression is undefined and the rules evaluate without it. Evaluated twice only
        // when a rule errs. A deadline hit is an error either way.
        self.engine.set_strict_builtin_errors(true);
        let strict = self.engine.eval_query(query.clone(), false);
        self.engine.set_strict_builtin_errors(false);
        let results = match strict {
            Ok(r) => r,
            Err(e) if e.to_string().contains("exceeded time limit") => {
                return Err(eval_error(&e.to_string(), &self.modules));
            }
            Err(e) => {
                let lenient = self
                    .engine
                    .eval_query(query, false)
                    .map_err(|e| eval_error(&e.to_string(), &self.modules))?;
                self.runtime_errors
                    .push(RuntimeError::parse(&e.to_string()));
                lenient
            }
        };
        let value = results
            .result
            .first()
            .and_then(|r| r.expressions.first())
            .map(|e| e.value.clone())
            .unwrap_or(RegoValue::Undefined);
        let json = value
            .to_json_str()
            .map_err(|e| miette::miette!("policy results: {e}"))?;
        let Value::Array(per_rule) =
            serde_json::from_str(&json).map_err(|e| miette::miette!("policy results: {e}"))?
        else {
            return Err(miette::miette!("policy results: not an array: {json}"));
        };
        if per_rule.len() != rules.len() {
            return Err(miette::miette!(
                "policy results: expected {} values",
                rules.len()
            ));
        }
        Ok(per_rule
            .into_iter()
            .map(|v| match v {
                Value::Array(mut a) if a.len() == 1 => a.pop().unwrap_or(Value::Null),
                _ => Value::Null,
            })
            .collect())
    }

    /// The module that declares a package (the first with metadata, else the first).
    pub fn package_module(&self, package: &str) -> Option<&Module> {
        let mut in_pkg = self.modules.iter().filter(|m| m.package == package);
        let first = in_pkg.clone().next();
        in_pkg.find(|m| m.meta.id.is_some()).or(first)
    }
}

/// Does the file parse as Rego v0 (on its own)?
fn parses_as_v0(m: &Module) -> bool {
    let mut e = regorus::Engine::new();
    e.set_rego_v0(true);
    e.add_policy(m.path.clone(), m.text.clone()).is_ok()
}

/// `--rego-version v1` and a file written in v0.
fn v0_refused(m: &Module, v1_error: &str) -> miette::Report {
    let report = rego_error(v1_error, std::slice::from_ref(m));
    let (line, col) = match report.downcast_ref::<FileError>() {
        Some(fe) => {
            let line = crate::error::line_of(fe.src.inner(), fe.span.offset());
            (line, 1)
        }
        None => (1, 1),
    };
    miette::Report::new(
        FileError::at_line_col(
            Path::new(&m.path),
            &m.text,
            line,
            col,
            format!(
                "{} is written in Rego v0 syntax, and --rego-version v1 refuses it",
                m.path
            ),
            "Rego v0 here",
        )
        .with_code(crate::error::Code::PolicyRego)
        .with_help(
            "pass --rego-version v0 (or leave the flag out: each file is read as written), or update the file to v1 (`deny contains msg if { ... }`)",
        ),
    )
}

/// Identifiers that start a line in column 0 (rule heads), minus keywords.
fn head_names(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let l = l.strip_prefix("default ").unwrap_or(l);
            let name: String = l
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let first = name.chars().next()?;
            (first.is_ascii_alphabetic() || first == '_')
                .then_some(name)
                .filter(|n| !matches!(n.as_str(), "package" | "import" | "default"))
        })
        .collect()
}

/// The help of a policy error: a missing builtin is not a syntax problem.
fn help_for(message: &str) -> String {
    if let Some(f) = message.strip_prefix("could not find function ") {
        return format!(
            "`{}` is not a builtin costgate's Rego engine (regorus) has; see docs/policies.md for the builtins that are missing",
            f.trim()
        );
    }
    if message.starts_with("parse_config") || message.starts_with("parse_combined_config_files") {
        return "conftest's parse_config builtins in costgate: the parsers hcl2, json, yaml and toml; files relative to the calling policy file, inside its folder".into();
    }
    "fix the policy (Rego v1 syntax: `deny contains msg if { ... }`, or pass --rego-version v0 for v0 files)".into()
}

/// Turn regorus' error text (`--> file:line:col`, the source line, `error: msg`) into a
/// diagnostic pointing at the policy file and line.
pub fn rego_error(text: &str, modules: &[Module]) -> miette::Report {
    let message = text
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error:"))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| text.trim().to_string());
    let located = text.lines().find_map(|l| {
        let loc = l.trim().strip_prefix("-->")?.trim();
        let mut parts = loc.rsplitn(3, ':');
        let col: usize = parts.next()?.trim().parse().ok()?;
        let line: usize = parts.next()?.trim().parse().ok()?;
        Some((parts.next()?.to_string(), line, col))
    });
    if let Some((file, line, col)) = located {
        if let Some(m) = modules.iter().find(|m| m.path == file) {
            return miette::Report::new(
                FileError::at_line_col(
                    Path::new(&m.path),
                    &m.text,
                    line,
                    col,
                    format!("policy error: {message}"),
                    message.clone(),
                )
                .with_code(crate::error::Code::PolicyRego)
                .with_help(help_for(&message)),
            );
        }
        return miette::miette!(
            code = crate::error::Code::PolicyRego,
            "policy error at {file}:{line}:{col}: {message}"
        );
    }
    miette::miette!(
        code = crate::error::Code::PolicyRego,
        "policy error: {message}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(path: &str, text: &str) -> Module {
        Module::new(path.into(), text.into(), false)
    }

    #[test]
    fn syntax_errors_point_at_the_line() {
        let m = module(
            "p.rego",
            "package costgate.p\n\ndeny contains x if {\n x := \n}\n",
        );
        let err = Rego::new(vec![m]).err().unwrap();
        let fe = err.downcast_ref::<FileError>().expect("a located error");
        assert_eq!(crate::error::line_of(fe.src.inner(), fe.span.offset()), 4);
    }

    #[test]
    fn v0_files_are_detected_or_refused() {
        use crate::cli::RegoVersion;
        let v0 = "package main\n\ndeny[msg] {\n input.x\n msg := \"x\"\n}\n";
        let mut r = Rego::new(vec![module("p.rego", v0)]).unwrap();
        assert!(r.modules[0].rego_v0);
        assert!(
            r.notes[0].contains("p.rego: Rego v0 syntax"),
            "{:?}",
            r.notes
        );
        r.set_input(RegoValue::from_json_str("{\"x\": true}").unwrap());
        assert_eq!(r.eval("data.main.deny").unwrap(), serde_json::json!(["x"]));
        let err = Rego::with_version(vec![module("p.rego", v0)], Some(RegoVersion::V1))
            .err()
            .unwrap();
        let fe = err.downcast_ref::<FileError>().expect("a located error");
        assert!(fe
            .message
            .contains("Rego v0 syntax, and --rego-version v1 refuses it"));
        assert_eq!(crate::error::line_of(fe.src.inner(), fe.span.offset()), 3);
        // v0 mode reads every file as v0: v1 keywords need `import rego.v1` there, as in OPA.
        let v1 = "package main\n\ndeny contains 1 if true\n";
        assert!(Rego::with_version(vec![module("q.rego", v1)], Some(RegoVersion::V0)).is_err());
        let v1i = "package main\nimport rego.v1\ndeny contains 1 if true\n";
        assert!(Rego::with_version(vec![module("q.rego", v1i)], Some(RegoVersion::V0)).is_ok());
    }

    #[test]
    fn unknown_functions_are_located_at_eval() {
        let m = module(
            "u.rego",
            "package costgate.u\n\ndeny contains 1 if {\n\tfoo.bar(1)\n}\n",
        );
        let mut r = Rego::new(vec![m]).unwrap();
        let err = r.eval("data.costgate.u.deny").unwrap_err();
        let fe = err.downcast_ref::<FileError>().expect("a located error");
        assert!(fe.message.contains("could not find function foo.bar"));
        assert_eq!(crate::error::line_of(fe.src.inner(), fe.span.offset()), 4);
    }

    #[test]
    fn several_rules_evaluate_in_one_query() {
        let m = module(
            "q.rego",
            "package costgate.q\n\nbig := [x | some x in numbers.range(1, 3)]\n\ndeny contains x if some x in big\n\nwarn := 1 if false\n",
        );
        let mut r = Rego::new(vec![m]).unwrap();
        let rules = vec![
            "data.costgate.q.deny".to_string(),
            "data.costgate.q.warn".to_string(),
        ];
        assert_eq!(
            r.eval_all(&rules).unwrap(),
            vec![serde_json::json!([1, 2, 3]), Value::Null]
        );
        assert!(r.eval_all(&[]).unwrap().is_empty());
    }

    #[test]
    fn rules_are_discovered() {
        let m = module(
            "r.rego",
            "package costgate.r\n\ndeny contains 1 if true\n\nwarn_x contains \"w\" if true\n\ntest_a if true\n",
        );
        let mut r = Rego::new(vec![m]).unwrap();
        assert_eq!(
            r.rules().unwrap(),
            vec![
                "data.costgate.r.deny",
                "data.costgate.r.test_a",
                "data.costgate.r.warn_x"
            ]
        );
        assert_eq!(
            r.eval("data.costgate.r.warn_x").unwrap(),
            serde_json::json!(["w"])
        );
    }
}
