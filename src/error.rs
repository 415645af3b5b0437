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
    fn offsets_and_lines_round_trip() {
        let t = "ab\ncde\nf";
        assert_eq!(offset_of(t, 2, 2), 4);
        assert_eq!(line_of(t, 4), 2);
        assert_eq!(offset_of(t, 9, 1), t.len());
    }
}
