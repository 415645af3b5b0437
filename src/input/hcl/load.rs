//! Reading one module directory: parse its `.tf` files and keep the blocks HCL mode and the
//! source index need (variables, locals, outputs, resources, module calls, providers), each
//! with the file and line where it starts.
//!
//! Parsing goes through `hcl-edit` (which `hcl-rs` builds on) because its blocks carry byte
//! spans and keep comments in their decor; each block is then converted to the plain `hcl-rs`
//! structure for evaluation. `costgate:ignore` comments of `resource` blocks become the
//! block's inline waivers (see [`super::comments`]).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use hcl::edit::structure::{Body as EditBody, Structure};
use hcl::edit::{Decorate, Span};
use hcl::expr::Expression;
use hcl::{Block, BlockLabel, Body};

use super::comments::{self, Directive};
use crate::error::{line_of, FileError, Result};
use crate::project::{InlineWaiver, InvalidWaiver, SourceLocation};

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
    /// Its `costgate:ignore` comments (module path not filled in: the tree knows it).
    pub waivers: Vec<InlineWaiver>,
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
    /// `costgate:ignore` comments that do not parse.
    pub invalid_waivers: Vec<InvalidWaiver>,
}

/// A top-level block of a file, its first line and the `costgate:ignore` comments above it
/// or at the start of its body.
#[derive(Debug, Clone)]
pub struct TopBlock {
    pub block: Block,
    pub line: usize,
    pub directives: Vec<Directive>,
}

/// One parsed `.tf` file.
#[derive(Debug, Clone, Default)]
pub struct ParsedFile {
    pub blocks: Vec<TopBlock>,
    /// `costgate:ignore` comments that belong to no block (above attributes, at the end).
    pub stray: Vec<Directive>,
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
            code = crate::error::Code::Io,
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
pub fn parse_dir(
    dir: &Path,
    sandbox: &super::sandbox::Sandbox,
) -> Result<(ModuleSrc, Vec<FileError>)> {
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
        // A symlink that leads outside the project is not read, and nothing of it is shown.
        if let Err(why) = sandbox.check_file(&f) {
            m.warnings.push(format!("{}: not read: {why}", f.display()));
            continue;
        }
        let text = crate::error::read_file(&f)?;
        match parse_file(&f, &text) {
            Ok(parsed) => m.add_file(&f, &text, parsed),
            Err(e) => errors.push(*e),
        }
    }
    Ok((m, errors))
}

/// Parse one file into its top-level blocks with their start lines and waiver comments.
pub fn parse_file(path: &Path, text: &str) -> Result<ParsedFile, Box<FileError>> {
    crate::error::check_nesting(path, text)?;
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
            .with_code(crate::error::Code::InputHclSyntax),
        )
    })?;
    let mut out = ParsedFile::default();
    for s in body.iter() {
        let line = s.span().map(|r| line_of(text, r.start)).unwrap_or(1);
        let mut found = prefix_directives(s, line);
        match s {
            Structure::Block(b) => {
                let (start, later) = inner_directives(&b.body, line, text);
                found.extend(start);
                out.stray.extend(later);
                out.blocks.push(TopBlock {
                    block: Block::from(b.clone()),
                    line,
                    directives: found,
                });
            }
            Structure::Attribute(_) => out.stray.extend(found),
        }
    }
    if let Some(tail) = body.decor().suffix() {
        let last = line_of(text, text.len());
        out.stray.extend(comments::directives(
            tail,
            comments::first_line_ending_at(tail, last),
        ));
    }
    Ok(out)
}

/// Directives in the comments directly above a structure that starts on `line`.
fn prefix_directives(s: &Structure, line: usize) -> Vec<Directive> {
    match s.decor().prefix() {
        Some(p) => comments::directives(p, comments::first_line_ending_at(p, line)),
        None => Vec::new(),
    }
}

/// Directives inside a block body whose header is on `line`: those at its start (a comment
/// after the `{`, then the comments before the first attribute or nested block) belong to the
/// block; those above later attributes belong to nothing (returned second).
fn inner_directives(body: &EditBody, line: usize, text: &str) -> (Vec<Directive>, Vec<Directive>) {
    let mut start = Vec::new();
    let mut later = Vec::new();
    if let Some(p) = body.decor().prefix() {
        start.extend(comments::directives(p, line));
    }
    for (i, s) in body.iter().enumerate() {
        let at = s.span().map(|r| line_of(text, r.start)).unwrap_or(line + 1);
        let found = prefix_directives(s, at);
        if i == 0 {
            start.extend(found);
        } else {
            later.extend(found);
        }
    }
    if body.iter().next().is_none() {
        if let Some(p) = body.decor().suffix() {
            start.extend(comments::directives(p, line + 1));
        }
    }
    (start, later)
}

/// Turns the directives of one file into waivers, errors or warnings.
struct DirectiveReader<'t> {
    file: String,
    text: &'t str,
    /// The file text, shared by its invalid waivers (made on the first one).
    shared: Option<Arc<str>>,
}

impl DirectiveReader<'_> {
    fn location(&self, line: usize) -> SourceLocation {
        SourceLocation {
            file: self.file.clone(),
            line,
        }
    }

    /// The waiver of a directive that belongs to a resource block (`attach`); a valid one that
    /// does not is a warning, an invalid one is recorded for `check` to refuse.
    fn read(&mut self, m: &mut ModuleSrc, d: &Directive, attach: bool) -> Option<InlineWaiver> {
        let source = self.location(d.line);
        match comments::parse(&d.rest) {
            Ok(p) if attach => Some(InlineWaiver {
                policy: p.policy,
                module: String::new(),
                resource: String::new(),
                reason: p.reason,
                until: p.until,
                source,
            }),
            Ok(_) => {
                m.warnings.push(format!(
                    "{}:{}: costgate:ignore is not directly above a resource block (nor at the start of one); it waives nothing",
                    source.file, source.line
                ));
                None
            }
            Err(message) => {
                let text = self.shared.get_or_insert_with(|| self.text.into()).clone();
                m.invalid_waivers.push(InvalidWaiver {
                    source,
                    message,
                    file_text: text,
                });
                None
            }
        }
    }
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
    fn add_file(&mut self, path: &Path, text: &str, parsed: ParsedFile) {
        let mut reader = DirectiveReader {
            file: path.display().to_string(),
            text,
            shared: None,
        };
        for tb in parsed.blocks {
            let attach = tb.block.identifier.as_str() == "resource";
            let waivers = tb
                .directives
                .iter()
                .filter_map(|d| reader.read(self, d, attach))
                .collect();
            let loc = reader.location(tb.line);
            self.add_block(tb.block, loc, waivers);
        }
        for d in &parsed.stray {
            reader.read(self, d, false);
        }
    }

    fn add_block(&mut self, b: Block, loc: SourceLocation, mut waivers: Vec<InlineWaiver>) {
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
                for w in &mut waivers {
                    w.resource = format!("{t}.{n}");
                }
                let r = ResBlock {
                    rtype: t.clone(),
                    name: n.clone(),
                    body: b.body,
                    loc,
                    waivers,
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
            // Only `resource` blocks carry waivers; one with the wrong labels is not read.
            _ => {
                for w in waivers {
                    self.warnings.push(format!(
                        "{}:{}: costgate:ignore above a malformed resource block; it waives nothing",
                        w.source.file, w.source.line
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_know_their_start_line() {
        let text = "# comment\n\nvariable \"a\" {\n  default = 1\n}\n\n  resource \"aws_instance\" \"x\" {\n  count = 2\n}\n";
        let parsed = parse_file(Path::new("m.tf"), text).unwrap();
        let lines: Vec<usize> = parsed.blocks.iter().map(|b| b.line).collect();
        assert_eq!(lines, vec![3, 7]);
    }

    fn module_of(text: &str) -> ModuleSrc {
        let mut m = ModuleSrc::default();
        let parsed = parse_file(Path::new("main.tf"), text).unwrap();
        m.add_file(Path::new("main.tf"), text, parsed);
        m
    }

    fn waivers_of<'m>(m: &'m ModuleSrc, name: &str) -> Vec<(&'m str, usize)> {
        let r = m.resources.iter().find(|r| r.name == name).unwrap();
        r.waivers
            .iter()
            .map(|w| (w.policy.as_str(), w.source.line))
            .collect()
    }

    #[test]
    fn ignore_comments_attach_above_and_at_the_start_of_resource_blocks() {
        let tf = r#"
# costgate:ignore gpu-quota reason="burst approved" until=2099-01-01
// costgate:ignore budget reason=big but planned

resource "aws_instance" "h100" {
  count = 3
}

# costgate:ignore budget reason=orphan
locals { a = 1 }
resource "aws_ebs_volume" "v" {}

resource "aws_instance" "inside" { # costgate:ignore a reason=header line
  # costgate:ignore idle-autopause reason="dev box, FIN-7"

  # another comment
  # costgate:ignore b reason=still the first lines
  instance_type = "g5.xlarge"
  # costgate:ignore late reason=after an attribute does not count
  ami = "x"
}
resource "aws_instance" "empty" {
  # costgate:ignore required-tags reason=empty body
}
data "aws_ami" "d" {
  # costgate:ignore budget reason=data blocks have no findings
}
# costgate:ignore budget reason=end of file
"#;
        let m = module_of(tf);
        assert_eq!(
            waivers_of(&m, "h100"),
            vec![("gpu-quota", 2), ("budget", 3)]
        );
        let h = &m.resources[0].waivers[0];
        assert_eq!(h.resource, "aws_instance.h100");
        assert_eq!(h.reason, "burst approved");
        assert_eq!(h.until, chrono::NaiveDate::from_ymd_opt(2099, 1, 1));
        assert_eq!(m.resources[0].waivers[1].reason, "big but planned");
        assert!(waivers_of(&m, "v").is_empty(), "locals in between cancels");
        assert_eq!(
            waivers_of(&m, "inside"),
            vec![("a", 13), ("idle-autopause", 14), ("b", 17)]
        );
        assert_eq!(waivers_of(&m, "empty"), vec![("required-tags", 23)]);
        // Comments that waive nothing say so, with their line.
        for line in [9, 19, 26, 28] {
            assert!(
                m.warnings
                    .iter()
                    .any(|w| w.starts_with(&format!("main.tf:{line}: costgate:ignore is not"))),
                "{line}: {:?}",
                m.warnings
            );
        }
        assert_eq!(m.warnings.len(), 4, "{:?}", m.warnings);
        assert!(m.invalid_waivers.is_empty());
    }

    #[test]
    fn unreadable_ignore_comments_are_kept_with_their_line() {
        let tf = "locals {}
# costgate:ignore budget until=2020-01-01

resource \"a\" \"b\" {
  # costgate:ignore x reason=y until=2020-13-01
}
";
        let m = module_of(tf);
        let got: Vec<(usize, bool)> = m
            .invalid_waivers
            .iter()
            .map(|w| (w.source.line, w.message.contains("has no reason")))
            .collect();
        assert_eq!(got, vec![(2, true), (5, false)]);
        assert!(m.invalid_waivers[1].message.contains("not a date"));
        let d = format!(
            "{:?}",
            miette::Report::new(m.invalid_waivers[0].diagnostic())
        );
        assert!(d.contains("main.tf") && d.contains("has no reason"), "{d}");
        assert!(m.resources[0].waivers.is_empty());
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
