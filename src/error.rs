//! Tool errors (bad input, I/O, broken policies). Findings are never errors.
//!
//! Every error is a miette diagnostic; those about a file carry its text and a span so the
//! report points at the line. They all map to exit code 2.

use std::path::Path;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

pub type Result<T, E = miette::Report> = std::result::Result<T, E>;

/// Every diagnostic code costgate reports (the `code` of a miette diagnostic), with a one-line
/// description each. docs/diagnostics.md is generated from this list (`Code::markdown`); a test
/// fails when the file is stale or a code is given twice.
macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order of the docs.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as reported, e.g. `costgate::input::json`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// One line saying when the code is reported.
            pub fn description(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!($($doc),*).trim_ascii(),)*
                }
            }
        }
    };
}

codes! {
    /// A command-line argument or environment setting is invalid or conflicts with another.
    Cli = "costgate::cli",
    /// A file or directory cannot be read or written.
    Io = "costgate::io",
    /// An HTTP request failed (connection, timeout, too many retries).
    Http = "costgate::http",
    /// The plan file or configuration directory given does not exist.
    InputMissing = "costgate::input::missing",
    /// The JSON file is not a `terraform show -json` plan.
    InputNotAPlan = "costgate::input::not-a-plan",
    /// The plan file is not valid JSON or has a value of the wrong shape.
    InputJson = "costgate::input::json",
    /// The directory holds no Terraform/OpenTofu files.
    InputNoTf = "costgate::input::no-tf",
    /// HCL mode created more module and resource instances than `--max-instances` allows.
    InputTooManyInstances = "costgate::input::too-many-instances",
    /// A module calls itself, directly or through other modules.
    InputModuleRecursion = "costgate::input::module-recursion",
    /// A `.tf` or `.tfvars` file does not parse as HCL.
    InputHclSyntax = "costgate::input::hcl-syntax",
    /// A variable value (`-var`, `-var-file`, `*.tfvars`) is invalid.
    InputTfvars = "costgate::input::tfvars",
    /// A resource's region (or `--region`) is not a region of its cloud (a typo).
    InputRegion = "costgate::input::region",
    /// A file nests brackets deeper than any real configuration (refused before parsing).
    InputNesting = "costgate::input::nesting",
    /// A command-line argument names something that does not exist (`costgate man NOPE`).
    CliArgs = "costgate::cli::args",
    /// `costgate.toml` does not parse or a setting has a bad value.
    Config = "costgate::config",
    /// `[[projects]]` of a monorepo's `costgate.toml` is invalid (bad path, duplicate name).
    ConfigProjects = "costgate::config::projects",
    /// `--compare-to BASE` is not a JSON report, a plan JSON or a directory of .tf files.
    CompareBase = "costgate::compare::base",
    /// `costgate output REPORT`: REPORT is not a costgate JSON report (truncated, foreign,
    /// another version).
    OutputReport = "costgate::output::report",
    /// `--base-ref REF`: not a git repository, REF unknown, or a rules file REF lacks.
    CompareGit = "costgate::compare::git",
    /// A `costgate.toml` value has the wrong type.
    ConfigType = "costgate::config::type",
    /// The price book (`[price_book]` or `--price-book`) is invalid.
    PriceBook = "costgate::price-book",
    /// A policy data value (`[data]` or `--data`) is invalid.
    ConfigData = "costgate::config::data",
    /// A waiver in `costgate.toml` is malformed (missing reason, bad date).
    ConfigWaiver = "costgate::config::waiver",
    /// An inline waiver comment (`# costgate:waive ...`) in a `.tf` file is malformed.
    Waiver = "costgate::waiver",
    /// The usage file does not parse.
    UsageParse = "costgate::usage::parse",
    /// A usage file value is out of range or names an unknown key.
    UsageInvalid = "costgate::usage::invalid",
    /// A Rego policy does not parse or fails to evaluate.
    PolicyRego = "costgate::policy::rego",
    /// A policy named in the configuration does not exist.
    PolicyMissing = "costgate::policy::missing",
    /// A policy returned a result of the wrong shape.
    PolicyResult = "costgate::policy::result",
    /// Policy evaluation ran past its deadline (`--policy-timeout`).
    PolicyTimeout = "costgate::policy::timeout",
    /// A price catalog file does not parse.
    PricingParse = "costgate::pricing::parse",
    /// A price catalog parses but breaks a catalog rule (wrong cloud, bad price).
    PricingInvalid = "costgate::pricing::invalid",
    /// `--pricing-dir` is missing, a file, or a folder without any catalog.
    PricingDir = "costgate::pricing::dir",
    /// A cloud price API answered with something unusable.
    PricingApi = "costgate::pricing::api",
    /// The GCP Cloud Billing API key is missing.
    PricingGcpKey = "costgate::pricing::gcp_key",
    /// A refreshed catalog fails the sanity checks and is not written.
    PricingRefresh = "costgate::pricing::refresh",
    /// `pricing import` cannot read a source table (missing file, bad header or row).
    PricingImport = "costgate::pricing::import",
    /// The pull-request comment cannot be posted or updated (GitHub API, event, token).
    Comment = "costgate::comment",
    /// The GitHub step summary file cannot be written.
    GithubSummary = "costgate::github::summary",
    /// `explain` was given an address that is not in the plan.
    ExplainUnknownAddress = "costgate::explain::unknown_address",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Code> for String {
    fn from(c: Code) -> String {
        c.as_str().to_string()
    }
}

impl Code {
    /// docs/diagnostics.md: the table of every code.
    pub fn markdown() -> String {
        let mut out = String::from(
            "# Diagnostic codes\n\n\
             Every error costgate reports carries one of these codes (exit code 2). Generated from\n\
             `Code` in src/error.rs by `cargo test --lib error::tests::diagnostics_doc_is_current`\n\
             with `COSTGATE_BLESS=1`; do not edit by hand.\n\n\
             | code | when |\n| --- | --- |\n",
        );
        for c in Code::ALL {
            out.push_str(&format!("| `{}` | {} |\n", c.as_str(), c.description()));
        }
        out
    }
}

/// A problem located in a file we read (JSON, HCL, TOML, Rego).
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
pub struct FileError {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
    #[diagnostic(code)]
    pub code: Option<String>,
}

impl FileError {
    pub fn at_line_col(
        path: &Path,
        text: &str,
        line: usize,
        col: usize,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        let offset = offset_of(text, line, col);
        FileError {
            message: message.into(),
            src: NamedSource::new(path.display().to_string(), text.to_string()),
            span: SourceSpan::from((offset, 0)),
            label: label.into(),
            help: None,
            code: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_code(mut self, code: Code) -> Self {
        self.code = Some(code.as_str().to_string());
        self
    }
}

/// Several located problems in one file, reported together.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
pub struct FileErrors {
    pub message: String,
    #[related]
    pub errors: Vec<FileError>,
}

/// Byte offset of a 1-based line and column in `text` (clamped to the text).
pub fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col_off = l
                .char_indices()
                .nth(col.saturating_sub(1))
                .map(|(b, _)| b)
                .unwrap_or(l.trim_end_matches('\n').len());
            return offset + col_off;
        }
        offset += l.len();
    }
    text.len()
}

/// 1-based line number of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Read a file to a string with a diagnostic that names it.
/// The kind of a JSON value, for messages: "a string", "an array", ….
pub fn json_kind(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Deepest bracket nesting accepted in a file given to a recursive parser (HCL, Rego, YAML):
/// far beyond any real configuration or policy, well within the stack those parsers need.
pub const MAX_NESTING: usize = 256;

/// Refuse text nested deeper than [`MAX_NESTING`] before a recursive parser overflows the
/// stack on it. Counts `[`, `(` and `{` everywhere (strings and comments too), an upper bound
/// on the parser's recursion that real files never come near.
pub fn check_nesting(path: &Path, text: &str) -> Result<(), Box<FileError>> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'[' | b'(' | b'{' => depth += 1,
            b']' | b')' | b'}' => depth = depth.saturating_sub(1),
            _ => continue,
        }
        if depth > MAX_NESTING {
            let line = line_of(text, i);
            let col = text[..i].rfind('\n').map_or(i + 1, |nl| i - nl);
            return Err(Box::new(
                FileError::at_line_col(
                    path,
                    text,
                    line,
                    col,
                    format!(
                        "{} nests brackets more than {MAX_NESTING} deep",
                        path.display()
                    ),
                    "too deep here",
                )
                .with_help(
                    "no real configuration nests this deep: is the file generated or corrupted?",
                )
                .with_code(crate::error::Code::InputNesting),
            ));
        }
    }
    Ok(())
}

/// `text` (read from `path`) as JSON, else a diagnostic pointing where it breaks: "`prefix`PATH
/// is not valid JSON: …" with `code` and `help`.
pub fn parse_json(
    path: &Path,
    text: &str,
    prefix: &str,
    code: Code,
    help: &str,
) -> Result<serde_json::Value> {
    serde_json::from_str(text).map_err(|e| {
        FileError::at_line_col(
            path,
            text,
            e.line(),
            e.column(),
            format!("{prefix}{} is not valid JSON: {e}", path.display()),
            "here",
        )
        .with_code(code)
        .with_help(help)
        .into()
    })
}

pub fn read_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| {
        miette::miette!(
            code = crate::error::Code::Io,
            help = "check the path and its permissions",
            "cannot read {}: {e}",
            path.display()
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let help = if e.as_bytes().starts_with(b"PK") {
            "this looks like a binary plan file: convert it with `terraform show -json plan.tfplan > plan.json`"
        } else {
            "costgate reads text files: plan JSON, .tf, TOML, JSON/YAML data, Rego"
        };
        let at = e.utf8_error().valid_up_to();
        miette::miette!(
            code = crate::error::Code::Io,
            help = help,
            "{} is not a text file: invalid UTF-8 at line {}, byte {at}",
            path.display(),
            line_of(&String::from_utf8_lossy(&e.as_bytes()[..at]), at)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostic_codes_are_unique_and_described() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "{} is given twice", c.as_str());
            assert!(c.as_str().starts_with("costgate::"), "{c}");
            assert!(
                !c.description().is_empty() && !c.description().contains('\n'),
                "{c:?}"
            );
        }
    }

    /// docs/diagnostics.md is generated from `Code`; `COSTGATE_BLESS=1` rewrites it.
    #[test]
    fn diagnostics_doc_is_current() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md");
        let want = Code::markdown();
        if std::env::var_os("COSTGATE_BLESS").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/diagnostics.md is stale: run COSTGATE_BLESS=1 cargo test --lib diagnostics_doc"
        );
    }

    /// No diagnostic code is written as a bare string outside this file.
    #[test]
    fn no_ad_hoc_code_strings() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root];
        let mut bad = Vec::new();
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("error.rs") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    let q = '"';
                    if text.contains(&format!("code = {q}costgate::"))
                        || text.contains(&format!("Some({q}costgate::"))
                        || text.contains(&format!("with_code({q}"))
                    {
                        bad.push(p.display().to_string());
                    }
                }
            }
        }
        assert!(
            bad.is_empty(),
            "use error::Code instead of a string in {bad:?}"
        );
    }

    #[test]
    fn nesting_beyond_the_limit_is_refused_at_its_line() {
        let p = Path::new("x.tf");
        let ok = format!("a = {}{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
        assert!(check_nesting(p, &ok).is_ok());
        let deep = format!("a = 1\nb = {}", "(".repeat(MAX_NESTING + 1));
        let e = check_nesting(p, &deep).unwrap_err();
        assert_eq!(e.span.offset(), 6 + MAX_NESTING + 4);
        assert!(e.message.contains("more than 256 deep"));
        // Closing brackets bring the depth back down.
        assert!(check_nesting(p, &"[]".repeat(10 * MAX_NESTING)).is_ok());
    }

    #[test]
    fn offsets_and_lines_round_trip() {
        let t = "ab\ncde\nf";
        assert_eq!(offset_of(t, 2, 2), 4);
        assert_eq!(line_of(t, 4), 2);
        assert_eq!(offset_of(t, 9, 1), t.len());
    }
}
