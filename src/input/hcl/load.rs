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
    /// `nullable = false`: a null argument means the default.
    pub nullable: bool,
    /// Where the `variable` block is.
    pub loc: SourceLocation,
    /// Its `validation` blocks: (condition, error_message).
    pub validations: Vec<(Expression, Expression)>,
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
    /// Its `costgate:ignore` comments: they cover every resource of the module.
    pub waivers: Vec<InlineWaiver>,
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
    /// `required_providers` local name → provider type (`awsv3` → `aws`).
    pub provider_types: BTreeMap<String, String>,
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

/// Configuration file suffixes: Terraform's, and OpenTofu's `.tofu` ones (which win over a
/// `.tf` file of the same name, as in OpenTofu).
const SUFFIXES: &[&str] = &[".tf", ".tf.json", ".tofu", ".tofu.json"];

fn config_suffix(name: &str) -> Option<&'static str> {
    // Longest first: `x.tf.json` is JSON, not `.json`.
    [".tofu.json", ".tf.json", ".tofu", ".tf"]
        .into_iter()
        .find(|s| name.len() > s.len() && name.ends_with(s))
}

/// The configuration files (`.tf`, `.tf.json`, `.tofu`, `.tofu.json`) of a directory (not its
/// sub-directories), sorted by name.
pub fn tf_files(dir: &Path) -> Result<Vec<PathBuf>> {
    debug_assert!(SUFFIXES.len() == 4);
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
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| config_suffix(n).is_some())
        })
        .collect();
    // `main.tofu` replaces `main.tf` (and `.tofu.json` replaces `.tf.json`).
    let names: std::collections::HashSet<String> = files
        .iter()
        .filter_map(|p| p.file_name()?.to_str().map(str::to_string))
        .collect();
    files.retain(|p| {
        let n = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let shadow = |from: &str, to: &str| {
            n.strip_suffix(from)
                .is_some_and(|stem| names.contains(&format!("{stem}{to}")))
        };
        !(n.ends_with(".tf") && shadow(".tf", ".tofu")
            || n.ends_with(".tf.json") && shadow(".tf.json", ".tofu.json"))
    });
    files.sort();
    Ok(files)
}

/// `override.tf` and `*_override.tf` (any suffix): merged into the other files' blocks.
fn is_override(p: &Path) -> bool {
    let n = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let stem = config_suffix(n).map_or(n, |s| &n[..n.len() - s.len()]);
    stem == "override" || stem.ends_with("_override")
}

/// Parse every configuration file of `dir`. Syntax errors of all files are returned together
/// (the parser stops at the first error of each file); I/O problems are fatal.
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
    let (overrides, primary): (Vec<PathBuf>, Vec<PathBuf>) =
        files.into_iter().partition(|f| is_override(f));
    for f in primary {
        // A symlink that leads outside the project is not read, and nothing of it is shown.
        if let Err(why) = sandbox.check_file(&f) {
            m.warnings.push(format!("{}: not read: {why}", f.display()));
            continue;
        }
        let text = crate::error::read_file(&f)?;
        match parse_any(&f, &text) {
            Ok(parsed) => m.add_file(&f, &text, parsed),
            Err(e) => errors.push(*e),
        }
    }
    for f in overrides {
        // A symlink that leads outside the project is not read, and nothing of it is shown.
        if let Err(why) = sandbox.check_file(&f) {
            m.warnings.push(format!("{}: not read: {why}", f.display()));
            continue;
        }
        let text = crate::error::read_file(&f)?;
        match parse_any(&f, &text) {
            Ok(parsed) => {
                for tb in parsed.blocks {
                    m.merge_override(tb.block, &f, tb.line);
                }
            }
            Err(e) => errors.push(*e),
        }
    }
    Ok((m, errors))
}

fn parse_any(path: &Path, text: &str) -> Result<ParsedFile, Box<FileError>> {
    if path.extension().is_some_and(|e| e == "json") {
        super::json::parse(path, text)
    } else {
        parse_file(path, text)
    }
}

/// Parse one file into its top-level blocks with their start lines and waiver comments.
pub fn parse_file(path: &Path, text: &str) -> Result<ParsedFile, Box<FileError>> {
    crate::error::check_nesting(path, text)?;
    let body = parse_body_dup_keys(text).map_err(|e| {
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

/// Prefix of an object key renamed because an earlier item of the same object has the same
/// key (see `parse_body_dup_keys`); the evaluator strips it.
pub const DUP_KEY: &str = "costgate_dup_";

/// Parse a body, accepting objects that repeat a key as Terraform does (the last one wins):
/// hcl-edit refuses them, so each repeated key is renamed to `costgate_dup_<n>__<key>` (same
/// line, so locations hold) and parsed again.
fn parse_body_dup_keys(text: &str) -> Result<EditBody, hcl::edit::parser::Error> {
    let mut owned: Option<String> = None;
    for n in 0.. {
        let cur = owned.as_deref().unwrap_or(text);
        let e = match hcl::edit::parser::parse_body(cur) {
            Ok(b) => return Ok(b),
            Err(e) => e,
        };
        if n >= 1000 || !e.message().contains("redefined object key") {
            // Report against the original text (same lines and columns up to the key).
            return match owned {
                Some(_) => hcl::edit::parser::parse_body(text),
                None => Err(e),
            };
        }
        let line_start: usize = cur
            .split_inclusive('\n')
            .take(e.location().line().saturating_sub(1))
            .map(str::len)
            .sum();
        let at = cur[line_start..]
            .char_indices()
            .nth(e.location().column().saturating_sub(1))
            .map(|(i, _)| line_start + i)
            .unwrap_or(line_start);
        let insert_at = if cur[at..].starts_with('"') {
            at + 1
        } else {
            at
        };
        let mut next = cur.to_string();
        next.insert_str(insert_at, &format!("{DUP_KEY}{n}__"));
        owned = Some(next);
    }
    unreachable!("the loop returns")
}

/// The key an object item was written with (see [`DUP_KEY`]).
pub fn original_key(k: &str) -> &str {
    match k.strip_prefix(DUP_KEY).and_then(|r| r.split_once("__")) {
        Some((n, key)) if n.bytes().all(|b| b.is_ascii_digit()) => key,
        _ => k,
    }
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
                    "{}:{}: costgate:ignore is not directly above a resource or module block (nor at the start of one); it waives nothing",
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

pub(super) fn label(l: &BlockLabel) -> String {
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
            let attach = matches!(tb.block.identifier.as_str(), "resource" | "module");
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

    pub(super) fn add_block(
        &mut self,
        b: Block,
        loc: SourceLocation,
        mut waivers: Vec<InlineWaiver>,
    ) {
        let labels: Vec<String> = b.labels.iter().map(label).collect();
        match (b.identifier.as_str(), labels.as_slice()) {
            ("variable", [name]) => self.variables.push(VarDecl {
                name: name.clone(),
                default: attr(&b.body, "default").cloned(),
                ty: attr(&b.body, "type").cloned(),
                sensitive: matches!(attr(&b.body, "sensitive"), Some(Expression::Bool(true))),
                nullable: !matches!(attr(&b.body, "nullable"), Some(Expression::Bool(false))),
                validations: b
                    .body
                    .blocks()
                    .filter(|v| v.identifier.as_str() == "validation")
                    .filter_map(|v| {
                        Some((
                            attr(&v.body, "condition")?.clone(),
                            attr(&v.body, "error_message")?.clone(),
                        ))
                    })
                    .collect(),
                loc,
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
                for w in &mut waivers {
                    w.resource = "*".into();
                }
                self.calls.push(CallBlock {
                    name: name.clone(),
                    source,
                    body: b.body,
                    loc,
                    waivers,
                });
            }
            ("provider", [name]) => self.providers.push((name.clone(), b.body)),
            ("terraform", []) => {
                for rp in b
                    .body
                    .blocks()
                    .filter(|x| x.identifier.as_str() == "required_providers")
                {
                    for a in rp.body.attributes() {
                        let source = match &a.expr {
                            Expression::Object(o) => o.iter().find_map(|(k, v)| {
                                let key = match k {
                                    hcl::ObjectKey::Identifier(i) => i.as_str(),
                                    hcl::ObjectKey::Expression(Expression::String(s)) => s,
                                    _ => return None,
                                };
                                match (key, v) {
                                    ("source", Expression::String(s)) => Some(s.clone()),
                                    _ => None,
                                }
                            }),
                            // Legacy `aws = "~> 5.0"`: the local name is the type.
                            _ => None,
                        };
                        if let Some(src) = source {
                            let ty = src.rsplit('/').next().unwrap_or(&src).to_ascii_lowercase();
                            self.provider_types.insert(a.key.to_string(), ty);
                        }
                    }
                }
            }
            // Accepted, nothing to price: refactoring and validation blocks.
            ("moved" | "removed" | "import" | "check", _) => {}
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

impl ModuleSrc {
    /// The type of the provider with local name `local` (from `required_providers`, else the
    /// local name itself, as Terraform assumes).
    pub fn provider_type(&self, local: &str) -> String {
        self.provider_types
            .get(local)
            .cloned()
            .unwrap_or_else(|| local.to_string())
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
