//! Reading one module directory: parse its `.tf` files and keep the blocks HCL mode and the
//! source index need (variables, locals, outputs, resources, module calls, providers), each
//! with the file and line where it starts.
//!
//! Parsing goes through `hcl-edit` (which `hcl-rs` builds on) because its blocks carry byte
//! spans; each block is then converted to the plain `hcl-rs` structure for evaluation.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use hcl::edit::Span;
use hcl::expr::Expression;
use hcl::{Block, BlockLabel, Body};

use crate::error::{line_of, FileError, Result};
use crate::project::SourceLocation;

/// A declared input variable.
#[derive(Debug, Clone)]
pub struct VarDecl {
    pub name: String,
    pub default: Option<Expression>,
    /// The `type` constraint, as written.
    pub ty: Option<Expression>,
    pub sensitive: bool,
}

/// A `resource` (or `data`) block.
#[derive(Debug, Clone)]
pub struct ResBlock {
    pub rtype: String,
    pub name: String,
    pub body: Body,
    pub loc: SourceLocation,
}

/// A `module` block.
#[derive(Debug, Clone)]
pub struct CallBlock {
    pub name: String,
    /// `source`, when it is a literal string (Terraform requires that).
    pub source: Option<String>,
    pub body: Body,
    pub loc: SourceLocation,
}

/// One parsed module directory.
#[derive(Debug, Clone, Default)]
pub struct ModuleSrc {
    /// The directory, as a path relative to where costgate was started (or as given).
    pub dir: PathBuf,
    pub variables: Vec<VarDecl>,
    pub locals: BTreeMap<String, Expression>,
    /// Output name → (expression, declared sensitive).
    pub outputs: BTreeMap<String, (Expression, bool)>,
    pub resources: Vec<ResBlock>,
    pub data: Vec<ResBlock>,
    pub calls: Vec<CallBlock>,
    /// `provider` blocks (name, body).
    pub providers: Vec<(String, Body)>,
    pub warnings: Vec<String>,
}

/// Lexically normalise a path (`a/./b/../c` → `a/c`) without touching the file system, so
/// file names in reports stay relative to what the user gave.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) => {}
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

/// The `.tf` files of a directory (not its sub-directories), sorted by name.
pub fn tf_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let rd = std::fs::read_dir(dir).map_err(|e| {
        miette::miette!(
            code = "costgate::io",
            "cannot read directory {}: {e}",
            dir.display()
        )
    })?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "tf"))
        .collect();
    files.sort();
    Ok(files)
}

/// Parse every `.tf` file of `dir`. Syntax errors of all files are returned together (the
/// parser stops at the first error of each file); I/O problems are fatal.
pub fn parse_dir(dir: &Path) -> Result<(ModuleSrc, Vec<FileError>)> {
    let dir = normalize(dir);
    let mut m = ModuleSrc {
        dir: dir.clone(),
        ..Default::default()
    };
    let mut errors = Vec::new();
    let files = tf_files(&dir)?;
    if files.is_empty() {
        m.warnings
            .push(format!("{}: no .tf files in this directory", dir.display()));
    }
    if let Ok(rd) = std::fs::read_dir(&dir) {
        let json = rd
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().ends_with(".tf.json"));
        if json {
            m.warnings.push(format!(
                "{}: .tf.json files are not read in HCL mode",
                dir.display()
            ));
        }
    }
    for f in files {
        let text = crate::error::read_file(&f)?;
        match parse_file(&f, &text) {
            Ok(blocks) => {
                for (b, line) in blocks {
                    let loc = SourceLocation {
                        file: f.display().to_string(),
                        line,
                    };
                    m.add_block(b, loc);
                }
            }
            Err(e) => errors.push(*e),
        }
    }
    Ok((m, errors))
}

/// Parse one file into its top-level blocks with their start lines.
pub fn parse_file(path: &Path, text: &str) -> Result<Vec<(Block, usize)>, Box<FileError>> {
    let body = hcl::edit::parser::parse_body(text).map_err(|e| {
        Box::new(
            FileError::at_line_col(
                path,
                text,
                e.location().line(),
                e.location().column(),
                format!("HCL syntax error in {}", path.display()),
                e.message().to_string(),
            )
            .with_help("fix the syntax (terraform validate shows the same problem)")
            .with_code("costgate::input::hcl-syntax"),
        )
    })?;
    let mut out = Vec::new();
    for s in body {
        if let hcl::edit::structure::Structure::Block(b) = s {
            let line = b.span().map(|r| line_of(text, r.start)).unwrap_or(1);
            out.push((Block::from(b), line));
        }
    }
    Ok(out)
}

fn label(l: &BlockLabel) -> String {
    match l {
        BlockLabel::Identifier(i) => i.as_str().to_string(),
        BlockLabel::String(s) => s.clone(),
    }
}

/// The expression of attribute `key` in `body`.
pub fn attr<'b>(body: &'b Body, key: &str) -> Option<&'b Expression> {
    body.attributes()
        .find(|a| a.key.as_str() == key)
        .map(|a| &a.expr)
}

impl ModuleSrc {
    fn add_block(&mut self, b: Block, loc: SourceLocation) {
        let labels: Vec<String> = b.labels.iter().map(label).collect();
        match (b.identifier.as_str(), labels.as_slice()) {
            ("variable", [name]) => self.variables.push(VarDecl {
                name: name.clone(),
                default: attr(&b.body, "default").cloned(),
                ty: attr(&b.body, "type").cloned(),
                sensitive: matches!(attr(&b.body, "sensitive"), Some(Expression::Bool(true))),
            }),
            ("locals", []) => {
                for a in b.body.attributes() {
                    self.locals.insert(a.key.to_string(), a.expr.clone());
                }
            }
            ("output", [name]) => {
                if let Some(e) = attr(&b.body, "value") {
                    let sensitive =
                        matches!(attr(&b.body, "sensitive"), Some(Expression::Bool(true)));
                    self.outputs.insert(name.clone(), (e.clone(), sensitive));
                }
            }
            ("resource", [t, n]) | ("data", [t, n]) => {
                let r = ResBlock {
                    rtype: t.clone(),
                    name: n.clone(),
                    body: b.body,
                    loc,
                };
                if b.identifier.as_str() == "resource" {
                    self.resources.push(r);
                } else {
                    self.data.push(r);
                }
            }
            ("module", [name]) => {
                let source = match attr(&b.body, "source") {
                    Some(Expression::String(s)) => Some(s.clone()),
                    _ => None,
                };
                self.calls.push(CallBlock {
                    name: name.clone(),
                    source,
                    body: b.body,
                    loc,
                });
            }
            ("provider", [name]) => self.providers.push((name.clone(), b.body)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_know_their_start_line() {
        let text = "# comment\n\nvariable \"a\" {\n  default = 1\n}\n\n  resource \"aws_instance\" \"x\" {\n  count = 2\n}\n";
        let blocks = parse_file(Path::new("m.tf"), text).unwrap();
        let lines: Vec<usize> = blocks.iter().map(|(_, l)| *l).collect();
        assert_eq!(lines, vec![3, 7]);
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let e = parse_file(Path::new("bad.tf"), "resource \"a\" \"b\" {\n  x = \n}\n").unwrap_err();
        assert!(e.message.contains("bad.tf"));
        assert!(e.span.offset() > 0);
    }

    #[test]
    fn paths_normalise_lexically() {
        assert_eq!(normalize(Path::new("a/./m/../n")), PathBuf::from("a/n"));
        assert_eq!(normalize(Path::new("../x/./y")), PathBuf::from("../x/y"));
        assert_eq!(normalize(Path::new("./")), PathBuf::from("."));
    }
}
