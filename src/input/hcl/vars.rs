//! Root module variable values, in Terraform's precedence order (lowest first): declared
//! defaults, `TF_VAR_*` environment variables, `terraform.tfvars`, `terraform.tfvars.json`,
//! `*.auto.tfvars` / `*.auto.tfvars.json` (lexical order), `--var-file` files, then `--var`.
//! A variable with no value anywhere is unknown (Terraform would prompt for it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hcl::expr::Expression;

use super::eval::{Ev, NoEnv, Val};
use super::load::{normalize, VarDecl};
use crate::error::{read_file, FileError, Result};
use crate::input::LoadOptions;

/// Value of a variable and whether it is sensitive.
pub type VarVal = (Val, bool);

/// Where a variable's value came from (for the error when it does not fit the variable).
enum Origin {
    Env,
    File(PathBuf, usize),
    Cli,
}

/// Resolve the root module's variables. A value that does not convert to the variable's type,
/// or fails a `validation` whose condition is known, is an error (exit 2) pointing at where
/// the value was given, as Terraform refuses to plan.
pub fn root_values(
    decls: &[VarDecl],
    dir: &Path,
    opts: &LoadOptions,
    env: &[(String, String)],
    warnings: &mut Vec<String>,
) -> Result<BTreeMap<String, VarVal>> {
    let mut set: BTreeMap<String, (Val, Origin)> = BTreeMap::new();
    let decl = |n: &str| decls.iter().find(|d| d.name == n);
    for (k, v) in env {
        if let Some(name) = k.strip_prefix("TF_VAR_") {
            if let Some(d) = decl(name) {
                set.insert(name.to_string(), (from_text(d, v), Origin::Env));
            }
        }
    }
    for f in var_files(dir, opts, warnings) {
        for (k, v, line) in read_var_file(&f)? {
            if decl(&k).is_some() {
                set.insert(k, (v, Origin::File(f.clone(), line)));
            } else {
                warnings.push(format!(
                    "{}: value for undeclared variable `{k}` ignored",
                    f.display()
                ));
            }
        }
    }
    for (k, v) in &opts.vars {
        match decl(k) {
            Some(d) => {
                set.insert(k.clone(), (from_text(d, v), Origin::Cli));
            }
            None => warnings.push(format!("--var {k}: no variable `{k}` is declared")),
        }
    }
    let mut out = BTreeMap::new();
    for d in decls {
        let (raw, origin) = match set.remove(&d.name) {
            Some((v, o)) => (v, Some(o)),
            None => match &d.default {
                Some(e) => (Ev::new(&NoEnv).eval(e).unwrap_or(Val::Unknown), None),
                None => {
                    warnings.push(format!(
                        "variable `{}` has no value (set it with --var, a .tfvars file or TF_VAR_{}); what depends on it is unknown",
                        d.name, d.name
                    ));
                    out.insert(d.name.clone(), (Val::Unknown, d.sensitive));
                    continue;
                }
            },
        };
        let v = convert(raw, d.ty.as_ref())
            .and_then(|v| validate(d, &v, warnings).map(|()| v))
            .map_err(|e| invalid_value(d, origin.as_ref(), &e))?;
        out.insert(d.name.clone(), (v, d.sensitive));
    }
    Ok(out)
}

/// Run the variable's `validation` blocks whose condition is known from its value alone; a
/// false one is the error with its `error_message`.
fn validate(d: &VarDecl, v: &Val, warnings: &mut Vec<String>) -> std::result::Result<(), String> {
    let env = OneVar {
        name: &d.name,
        val: v,
    };
    for (cond, msg) in &d.validations {
        match Ev::new(&env).eval(cond) {
            Ok(Val::Bool(true)) | Ok(Val::Unknown) => {}
            Ok(c) if c.has_unknown() => {}
            Ok(Val::Bool(false)) => {
                // A sensitive value never reaches a message.
                let text = if d.sensitive {
                    Ev::new(&NoEnv).eval(msg)
                } else {
                    Ev::new(&env).eval(msg)
                };
                let text = match text {
                    Ok(Val::Str(t)) => t,
                    _ => "(its error_message cannot be shown)".into(),
                };
                return Err(format!("validation failed: {text}"));
            }
            Ok(other) => {
                return Err(format!(
                    "a validation condition must be a bool, got a {}",
                    other.type_name()
                ))
            }
            Err(e) => warnings.push(format!(
                "variable `{}`: a validation condition could not be evaluated ({e}); not checked",
                d.name
            )),
        }
    }
    Ok(())
}

/// The names a validation condition sees: its own variable; anything else is unknown.
struct OneVar<'a> {
    name: &'a str,
    val: &'a Val,
}

impl super::eval::Env for OneVar<'_> {
    fn lookup(
        &self,
        root: &str,
        attr: Option<&str>,
    ) -> std::result::Result<super::eval::Found, String> {
        let val = match (root, attr) {
            ("var", Some(n)) if n == self.name => self.val.clone(),
            _ => Val::Unknown,
        };
        Ok(super::eval::Found::value(val, 1))
    }
}

/// The error for a value that does not fit its variable, at the place it was given.
fn invalid_value(d: &VarDecl, origin: Option<&Origin>, why: &str) -> miette::Report {
    let title = format!("invalid value for variable `{}`: {why}", d.name);
    let declared = format!("`{}` is declared at {}:{}", d.name, d.loc.file, d.loc.line);
    match origin {
        Some(Origin::File(path, line)) => match read_file(path) {
            Ok(text) => FileError::at_line_col(path, &text, *line, 1, title, why.to_string())
                .with_code(crate::error::Code::InputTfvars)
                .with_help(declared)
                .into(),
            Err(e) => e,
        },
        Some(Origin::Env) => miette::miette!(
            code = crate::error::Code::InputTfvars,
            help = declared,
            "TF_VAR_{}: {title}",
            d.name
        ),
        Some(Origin::Cli) => miette::miette!(
            code = crate::error::Code::InputTfvars,
            help = declared,
            "--var {}: {title}",
            d.name
        ),
        None => miette::miette!(
            code = crate::error::Code::InputTfvars,
            "{}:{}: the default of variable `{}` does not fit it: {why}",
            d.loc.file,
            d.loc.line,
            d.name
        ),
    }
}

/// The var files Terraform loads automatically (those inside the sandbox), then the
/// `--var-file` ones (given by whoever runs costgate, so not sandboxed).
fn var_files(dir: &Path, opts: &LoadOptions, warnings: &mut Vec<String>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for n in ["terraform.tfvars", "terraform.tfvars.json"] {
        let p = dir.join(n);
        if p.is_file() {
            files.push(normalize(&p));
        }
    }
    let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    let n = p.file_name().unwrap_or_default().to_string_lossy();
                    p.is_file() && (n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json"))
                })
                .map(|p| normalize(&p))
                .collect()
        })
        .unwrap_or_default();
    auto.sort();
    files.extend(auto);
    let sandbox = super::sandbox::Sandbox::for_path(dir, &opts.allow_paths);
    files.retain(|f| match sandbox.check_file(f) {
        Ok(_) => true,
        Err(why) => {
            warnings.push(format!("{}: not read: {why}", f.display()));
            false
        }
    });
    files.extend(opts.var_files.iter().cloned());
    files
}

/// Read a `.tfvars` (HCL) or `.tfvars.json` file: (name, value, line).
pub fn read_var_file(path: &Path) -> Result<Vec<(String, Val, usize)>> {
    let text = read_file(path)?;
    if path.extension().is_some_and(|e| e == "json") {
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            FileError::at_line_col(
                path,
                &text,
                e.line().max(1),
                e.column().max(1),
                format!("{} is not valid JSON", path.display()),
                e.to_string(),
            )
            .with_code(crate::error::Code::InputTfvars)
        })?;
        let serde_json::Value::Object(m) = v else {
            return Err(FileError::at_line_col(
                path,
                &text,
                1,
                1,
                format!("{} must hold a JSON object", path.display()),
                "expected {\"name\": value, ...}",
            )
            .with_code(crate::error::Code::InputTfvars)
            .into());
        };
        let line_of_key = |k: &str| {
            let quoted = serde_json::Value::String(k.to_string()).to_string();
            text.find(&quoted)
                .map(|o| crate::error::line_of(&text, o))
                .unwrap_or(1)
        };
        return Ok(m
            .iter()
            .map(|(k, v)| (k.clone(), Val::from_json(v), line_of_key(k)))
            .collect());
    }
    let body = hcl::edit::parser::parse_body(&text).map_err(|e| {
        FileError::at_line_col(
            path,
            &text,
            e.location().line(),
            e.location().column(),
            format!("HCL syntax error in {}", path.display()),
            e.message().to_string(),
        )
        .with_code(crate::error::Code::InputHclSyntax)
    })?;
    let lines: BTreeMap<String, usize> = body
        .attributes()
        .map(|a| {
            let off = hcl::edit::Span::span(a).map(|r| r.start).unwrap_or(0);
            (
                a.key.as_str().to_string(),
                crate::error::line_of(&text, off),
            )
        })
        .collect();
    let body: hcl::Body = body.into();
    let mut out = Vec::new();
    for a in body.attributes() {
        let v = Ev::new(&NoEnv).eval(&a.expr).map_err(|e| {
            miette::miette!(
                code = crate::error::Code::InputTfvars,
                help = "variable files hold constant values only",
                "{}: `{}`: {e}",
                path.display(),
                a.key.as_str()
            )
        })?;
        let line = lines.get(a.key.as_str()).copied().unwrap_or(1);
        out.push((a.key.to_string(), v, line));
    }
    Ok(out)
}

/// `--var` and `TF_VAR_` values are strings for `string` (or untyped) variables and HCL
/// expressions otherwise, as in Terraform.
fn from_text(d: &VarDecl, text: &str) -> Val {
    let is_string = match &d.ty {
        None => true,
        Some(Expression::Variable(v)) => v.as_str() == "string",
        _ => false,
    };
    if is_string {
        return Val::Str(text.to_string());
    }
    hcl::parse(&format!("v = {text}\n"))
        .ok()
        .and_then(|b| b.attributes().next().map(|a| a.expr.clone()))
        .and_then(|e| Ev::new(&NoEnv).eval(&e).ok())
        .unwrap_or_else(|| Val::Str(text.to_string()))
}

pub use super::types::convert;

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(name: &str, ty: Option<&str>, default: Option<Expression>) -> VarDecl {
        VarDecl {
            name: name.into(),
            default,
            ty: ty.map(|t| Expression::Variable(hcl::expr::Variable::unchecked(t))),
            sensitive: false,
            nullable: true,
            loc: crate::project::SourceLocation {
                file: "variables.tf".into(),
                line: 1,
            },
            validations: vec![],
        }
    }

    #[test]
    fn precedence_env_then_files_then_flags() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("terraform.tfvars"), "a = \"file\"\nb = 2\n").unwrap();
        std::fs::write(dir.path().join("x.auto.tfvars.json"), "{\"b\": 3}").unwrap();
        let decls = vec![
            decl("a", Some("string"), None),
            decl("b", Some("number"), None),
            decl("c", Some("list(string)"), Some(Expression::Null)),
            decl("d", None, None),
            decl("e", Some("string"), Some(Expression::String("dflt".into()))),
        ];
        let opts = LoadOptions {
            vars: vec![("c".into(), "[\"x\", \"y\"]".into())],
            ..Default::default()
        };
        let env = vec![
            ("TF_VAR_a".to_string(), "env".to_string()),
            ("TF_VAR_b".to_string(), "1".to_string()),
        ];
        let mut w = Vec::new();
        let v = root_values(&decls, dir.path(), &opts, &env, &mut w).unwrap();
        assert_eq!(v["a"].0, Val::Str("file".into()));
        assert_eq!(v["b"].0, Val::Num(3.0));
        assert_eq!(
            v["c"].0,
            Val::List(vec![Val::Str("x".into()), Val::Str("y".into())])
        );
        assert_eq!(v["d"].0, Val::Unknown);
        assert_eq!(v["e"].0, Val::Str("dflt".into()));
        assert!(w.iter().any(|m| m.contains("`d` has no value")), "{w:?}");
    }

    #[test]
    fn type_conversion() {
        let n = Expression::Variable(hcl::expr::Variable::unchecked("number"));
        assert_eq!(
            convert(Val::Str("100".into()), Some(&n)),
            Ok(Val::Num(100.0))
        );
        let s = Expression::Variable(hcl::expr::Variable::unchecked("string"));
        assert_eq!(convert(Val::Num(5.0), Some(&s)), Ok(Val::Str("5".into())));
    }
}
