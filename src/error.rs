//! Tool errors (bad input, I/O, broken policies). Findings are never errors.
//!
//! Every error is a miette diagnostic; those about a file carry its text and a span so the
//! report points at the line. They all map to exit code 2.

use std::path::Path;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

pub type Result<T, E = miette::Report> = std::result::Result<T, E>;

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

    pub fn with_code(mut self, code: &str) -> Self {
        self.code = Some(code.to_string());
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
                .with_code("costgate::input::nesting"),
            ));
        }
    }
    Ok(())
}

pub fn read_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| {
        miette::miette!(
            code = "costgate::io",
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
            code = "costgate::io",
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
