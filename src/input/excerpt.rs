//! Diagnostics about plan JSON that show where the problem is without showing the plan.
//!
//! A plan holds secrets (`after_sensitive` marks them but the values are in the text) and is
//! often one line of megabytes (`terraform show -json` writes one line). A diagnostic about it
//! shows the line and column and a window of at most [`WINDOW`] characters around the
//! position, with every string value and number in the window masked: object keys that look
//! like attribute names, punctuation and `true`/`false`/`null` stay, so the structure around
//! the error is visible. The window is its own small source (miette misrenders, and panics,
//! past 65,535 columns), reporting the real line and column.

use std::path::Path;

use miette::{Diagnostic, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use thiserror::Error;

/// Characters shown on each side of the position.
pub const WINDOW: usize = 60;

/// What replaces a masked string's content or a number.
const MASK: &str = "***";

/// A located problem in JSON text, shown through a masked window.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
pub struct JsonExcerptError {
    pub message: String,
    #[source_code]
    pub src: Excerpt,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
    #[diagnostic(code)]
    pub code: Option<String>,
}

/// A masked window of one line of a file, which knows where it is in the file.
#[derive(Debug)]
pub struct Excerpt {
    name: String,
    text: String,
    /// 0-based line of the window in the file.
    line: usize,
    /// 0-based column (characters) where the window starts.
    column: usize,
    /// The labelled position in `text`, and its real 0-based column (masking changes lengths).
    at: usize,
    at_column: usize,
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.line,
            if span.offset() == self.at {
                self.at_column
            } else {
                inner.column() + self.column
            },
            inner.line_count(),
        )))
    }
}

impl JsonExcerptError {
    /// The error at 1-based `line` and `column` (characters) of `text`.
    pub fn at(
        path: &Path,
        text: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        let offset = crate::error::offset_of(text, line, column);
        let (excerpt, at) = window(path, text, offset);
        let label = format!(
            "{} (line {}, column {})",
            label.into(),
            excerpt.line + 1,
            excerpt.at_column + 1
        );
        JsonExcerptError {
            message: message.into(),
            src: excerpt,
            span: SourceSpan::from((at, 0)),
            label,
            help: None,
            code: Some(crate::error::Code::InputJson.into()),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        let h: String = help.into();
        if !h.is_empty() {
            self.help = Some(h);
        }
        self
    }

    pub fn with_code(mut self, code: crate::error::Code) -> Self {
        self.code = Some(code.as_str().to_string());
        self
    }
}

fn char_count(s: &str) -> usize {
    s.chars().count()
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The masked window around byte `offset` and the position of `offset` in it.
fn window(path: &Path, text: &str, offset: usize) -> (Excerpt, usize) {
    let offset = floor_boundary(text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = text[line_start..line_end].trim_end_matches('\r');
    let rel = (offset - line_start).min(line.len());
    // Window bounds in characters, then bytes.
    let before: usize = line[..rel]
        .char_indices()
        .rev()
        .nth(WINDOW - 1)
        .map_or(0, |(b, _)| b);
    let after = line[rel..]
        .char_indices()
        .nth(WINDOW)
        .map_or(line.len(), |(b, _)| rel + b);
    let (start, end) = (floor_boundary(line, before), ceil_boundary(line, after));
    let (masked, at) = mask(line, start, end, rel);
    let excerpt = Excerpt {
        name: path.display().to_string(),
        text: masked,
        line: crate::error::line_of(text, line_start) - 1,
        column: char_count(&line[..start]),
        at,
        at_column: char_count(&line[..rel]),
    };
    (excerpt, at)
}

/// `line[start..end]` with string values and numbers masked; also the position in the
/// result of byte `rel` of the line. The string state at `start` comes from scanning the
/// line from its beginning.
fn mask(line: &str, start: usize, end: usize, rel: usize) -> (String, usize) {
    let b = line.as_bytes();
    // Find the strings (byte ranges of their content) that overlap the window.
    let mut strings: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() && i < end {
        if b[i] == b'"' {
            let open = i + 1;
            let mut j = open;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let close = j.min(b.len());
            if close >= start {
                strings.push((open, close));
            }
            i = close + 1;
        } else {
            i += 1;
        }
    }
    let mut out = String::new();
    let mut at = None;
    let mut pos = start;
    let mut mark = |out: &String, from: usize, to: usize, pos_rel: usize| {
        if at.is_none() && (from..to.max(from + 1)).contains(&pos_rel) {
            at = Some(out.len());
        }
    };
    for &(open, close) in &strings {
        let (open_c, close_c) = (open.max(start), close.min(end));
        if open_c > pos {
            let plain = &line[pos..open_c];
            push_plain(&mut out, plain, pos, rel, &mut mark);
        }
        mark(&out, open_c, close_c, rel);
        let content = &line[open.min(line.len())..close.min(line.len())];
        if is_key(line, close) && looks_like_name(content) {
            out.push_str(&line[open_c..close_c]);
        } else if close_c > open_c {
            out.push_str(MASK);
        }
        pos = close_c.max(pos);
    }
    if pos < end {
        push_plain(&mut out, &line[pos..end], pos, rel, &mut mark);
    }
    let at = at.unwrap_or(out.len());
    if at >= out.len() {
        // miette shows no label at the very end of a source: give it a character.
        out.push(' ');
    }
    (out, at)
}

/// Text outside strings: numbers masked, the rest kept.
fn push_plain(
    out: &mut String,
    plain: &str,
    base: usize,
    rel: usize,
    mark: &mut impl FnMut(&String, usize, usize, usize),
) {
    let mut in_num = false;
    for (i, c) in plain.char_indices() {
        let at = base + i;
        let digit = c.is_ascii_digit() || (in_num && matches!(c, '.' | 'e' | 'E' | '+' | '-'));
        let starts_num = (c.is_ascii_digit() || c == '-') && !in_num;
        if digit || (starts_num && c == '-') {
            mark(out, at, at + c.len_utf8(), rel);
            if !in_num {
                out.push_str(MASK);
            }
            in_num = true;
            continue;
        }
        in_num = false;
        mark(out, at, at + c.len_utf8(), rel);
        out.push(c);
    }
}

/// Is the string that closes at byte `close` an object key (followed by `:`)?
fn is_key(line: &str, close: usize) -> bool {
    line.get(close + 1..)
        .map(|rest| rest.trim_start().starts_with(':'))
        .unwrap_or(false)
}

/// Attribute names of plan JSON: short identifiers.
fn looks_like_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(e: JsonExcerptError) -> String {
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .render_report(&mut out, &e)
            .unwrap();
        out
    }

    #[test]
    fn the_window_is_short_and_masks_values() {
        let secret = "hunter2-very-secret";
        let mut text = String::from("{\"format_version\":\"1.2\",\"resource_changes\":[");
        for i in 0..2000 {
            text.push_str(&format!(
                "{{\"address\":\"aws_instance.x{i}\",\"change\":{{\"after\":{{\"password\":\"{secret}\",\"port\":8443}}}}}},"
            ));
        }
        text.push_str("{\"address\": tru");
        let col = text.chars().count();
        let e = JsonExcerptError::at(Path::new("plan.json"), &text, 1, col, "bad", "here");
        let shown = render(e);
        assert!(
            !shown.contains(secret) && !shown.contains("8443"),
            "{shown}"
        );
        assert!(shown.contains(&format!("plan.json:1:{col}")), "{shown}");
        assert!(shown.contains("\"address\""), "{shown}");
        assert!(shown.len() < 1000, "{}", shown.len());
    }

    #[test]
    fn positions_inside_strings_and_multibyte_text_are_safe() {
        let text = format!("{{\"a\": \"{}é{}\"", "x".repeat(100), "y".repeat(100));
        for col in [1, 5, 8, 60, 101, 102, 150, 300] {
            let e = JsonExcerptError::at(Path::new("p.json"), &text, 1, col, "bad", "here");
            let shown = render(e);
            assert!(
                !shown.contains("xxxx") && !shown.contains("yyyy"),
                "{shown}"
            );
        }
        // A position at the end of a line still gets its label.
        let e = JsonExcerptError::at(Path::new("p.json"), "[\n    5\n", 2, 6, "bad", "the label");
        assert!(render(e).contains("the label"));
        // Later lines keep their line number.
        let e = JsonExcerptError::at(
            Path::new("p.json"),
            "{\n  \"k\": 12,\n  x\n}",
            3,
            3,
            "bad",
            "here",
        );
        assert!(render(e).contains("p.json:3:3"));
    }
}
