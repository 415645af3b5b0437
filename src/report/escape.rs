//! Escaping of pull-request-controlled text (addresses with `for_each` keys, file names, tag
//! values inside messages, policy messages, waiver notes) for every output format. One place,
//! used by every renderer:
//!
//! - [`control`]: human formats (text, table, explain, notes on stderr). Control characters
//!   become visible escapes (`\n`, `\r`, `\t`, `\e`, `\u{…}`), so no PR string can start a new
//!   line in a workflow log (`::error`, `::stop-commands::`), move the cursor or set colours.
//! - [`md_text`], [`md_code`], [`md_code_cell`]: GitHub-flavoured Markdown (the sticky comment
//!   and the job summary). No raw HTML, link, image, autolink, emphasis, math or @-mention can
//!   come from the text, and no code span can be closed early.
//! - [`workflow_data`], [`workflow_property`]: GitHub workflow commands (`%25`, `%0D`, `%0A`;
//!   properties also `%3A`, `%2C`), the actions/toolkit escaping.
//! - [`html`]: the HTML report.
//!
//! JSON and SARIF are data: serde escapes them.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters that must not reach a human format raw: C0/C1 controls and DEL, and the Unicode
/// line/paragraph separators and bidirectional overrides (they reorder or break what a reader
/// sees).
fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{1b}' => out.push_str("\\e"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// Text for a human format on one line: control characters made visible.
pub fn control(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_hostile) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hostile(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Lines of human text (see the `hline!` macro).
pub trait HumanWrite {
    /// Append one line: leading newlines kept (blank lines of the layout), control characters
    /// in the rest made visible, then a newline.
    fn push_line(&mut self, args: std::fmt::Arguments);
}

impl HumanWrite for String {
    fn push_line(&mut self, args: std::fmt::Arguments) {
        let s = args.to_string();
        let body = s.trim_start_matches('\n');
        for _ in 0..s.len() - body.len() {
            self.push('\n');
        }
        self.push_str(&control(body));
        self.push('\n');
    }
}

/// Zero-width space: breaks @-mentions and autolinks without changing what a reader sees.
const ZWSP: &str = "&#8203;";

/// Plain GFM inline text (safe in a table cell and a list item): no HTML, no Markdown syntax,
/// no @-mention, no autolink, no line break.
pub fn md_text(s: &str) -> String {
    let s = control(s);
    let mut out = String::with_capacity(s.len() + 16);
    let bytes = s.as_bytes();
    for (i, c) in s.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // A mention or an e-mail autolink needs a word character right after the `@`.
            '@' => {
                out.push('@');
                out.push_str(ZWSP);
            }
            // `https://…` autolinks (GFM extension).
            ':' if bytes[i + 1..].starts_with(b"//") => {
                out.push(':');
                out.push_str(ZWSP);
            }
            // `www.…` autolinks.
            '.' if i >= 3 && bytes[i - 3..i].eq_ignore_ascii_case(b"www") => {
                out.push_str(ZWSP);
                out.push('.');
            }
            // The ASCII punctuation with an inline meaning in (GitHub-flavoured) Markdown is
            // backslash-escaped: emphasis, links and images (no `[` means no `](`/`![`),
            // code, tables, strikethrough, math, footnotes (`[^…]`). Text never starts a
            // line, so block markers (`#`, `>`, `-`) need nothing.
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '|' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A sentence from a policy or the estimator (finding messages, unpriced reasons, waiver
/// notes): [`md_text`], except that `` `…` `` pairs stay code spans (re-fenced with
/// [`md_code_cell`], so a backtick inside a value cannot end one early or start raw text).
pub fn md_message(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    let mut out = String::with_capacity(s.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        let closed = i + 1 < parts.len();
        if i % 2 == 1 && closed && !part.is_empty() {
            out.push_str(&md_code_cell(part));
        } else {
            if i % 2 == 1 {
                out.push_str("\\`");
            }
            out.push_str(&md_text(part));
            if i % 2 == 1 && closed {
                out.push_str("\\`");
            }
        }
    }
    out
}

/// The longest run of backticks in `s`.
fn longest_backtick_run(s: &str) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in s.chars() {
        if c == '`' {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

fn code_span(s: &str, cell: bool) -> String {
    let s = control(s);
    let s = if cell {
        Cow::Owned(s.replace('|', "\\|"))
    } else {
        s
    };
    let n = longest_backtick_run(&s);
    if n == 0 && !s.starts_with(' ') && !s.ends_with(' ') && !s.is_empty() {
        return format!("`{s}`");
    }
    // A fence longer than any run inside, padded so a backtick at either end stays content.
    let fence = "`".repeat(n + 1);
    format!("{fence} {s} {fence}")
}

/// An inline code span for addresses, ids and file names outside tables. Nothing inside a
/// code span is Markdown, HTML or a mention; the fence is longer than any backtick run inside.
pub fn md_code(s: &str) -> String {
    code_span(s, false)
}

/// [`md_code`] inside a table row (`|` escaped, as GFM tables require even in code spans).
pub fn md_code_cell(s: &str) -> String {
    code_span(s, true)
}

/// A workflow command's message: `%`, `\r`, `\n` as actions/toolkit does (`%25`, `%0D`,
/// `%0A`); other control characters (ESC colours, …) made visible as in [`control`].
pub fn workflow_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if is_hostile(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// A workflow command's property value: the data escapes plus `:` and `,`.
pub fn workflow_property(s: &str) -> String {
    workflow_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Text for HTML element content and quoted attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(control("plain"), "plain");
        assert_eq!(
            control("a\n::error::x\r\u{1b}[31m\t\u{7f}\u{2028}\u{202e}"),
            "a\\n::error::x\\r\\e[31m\\t\\u{7f}\\u{2028}\\u{202e}"
        );
        assert!(!control("x\n::stop-commands::tok").contains('\n'));
    }

    #[test]
    fn markdown_text_has_no_active_syntax() {
        assert_eq!(md_text("a|b"), "a\\|b");
        assert_eq!(md_text("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(md_text("@org/team"), "@&#8203;org/team");
        assert_eq!(md_text("https://x"), "https:&#8203;//x");
        assert_eq!(md_text("WWW.x"), "WWW&#8203;.x");
        assert_eq!(md_text("**[x](y)**"), "\\*\\*\\[x\\](y)\\*\\*");
        assert_eq!(md_text("a\nb"), "a\\\\nb");
    }

    #[test]
    fn messages_keep_their_code_spans() {
        assert_eq!(md_message("tag `team` (x)"), "tag `team` (x)");
        assert_eq!(md_message("a ``b"), "a \\`\\`b");
        assert_eq!(md_message("odd `x"), "odd \\`x");
        assert_eq!(md_message("`<img>`"), "`<img>`");
    }

    #[test]
    fn code_spans_cannot_be_closed_early() {
        assert_eq!(md_code("a.b"), "`a.b`");
        assert_eq!(md_code("a``b"), "``` a``b ```");
        assert_eq!(md_code("`x"), "`` `x ``");
        assert_eq!(md_code_cell("a|b"), "`a\\|b`");
        assert_eq!(md_code(""), "`  `");
    }

    #[test]
    fn workflow_commands_escape_like_the_toolkit() {
        assert_eq!(workflow_data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(workflow_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(workflow_data("%0A"), "%250A");
        assert_eq!(workflow_data("\u{1b}[31m"), "\\e[31m");
    }
}
