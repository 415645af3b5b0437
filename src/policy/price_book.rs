//! Reading the price book ([`crate::book`]): `--price-book FILE`, else `[price_book]` in the
//! config (`--config`, or costgate.toml found upward from PATH; with `--base-ref`/`policy-ref`
//! the base's). Checked against `src/book/schema.json` with errors at the file's line.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::book::PriceBook;
use crate::error::{FileError, Result};

/// Where `[price_book]` is looked for when no `--price-book` is given.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum BookConfig {
    /// The costgate.toml found upward from PATH.
    #[default]
    Upward,
    /// This config file (`--config`, or the base's).
    File(PathBuf),
    /// No config (`--no-config`).
    None,
}

/// The price book in use, if any.
pub fn load(
    path: &Path,
    explicit: Option<&Path>,
    config: &BookConfig,
) -> Result<Option<PriceBook>> {
    let today = crate::settings::today()?;
    if let Some(f) = explicit {
        let text = crate::error::read_file(f)?;
        let json = toml_json(f, &text)?;
        return from_value(f, &text, &[], &json, today).map(Some);
    }
    let file = match config {
        BookConfig::Upward => super::config::find_upward(path),
        BookConfig::File(f) => Some(f.clone()),
        BookConfig::None => None,
    };
    let Some(f) = file else { return Ok(None) };
    let text = crate::error::read_file(&f)?;
    let json = toml_json(&f, &text)?;
    match json.get("price_book") {
        None => Ok(None),
        Some(b) => from_value(&f, &text, &["price_book"], b, today).map(Some),
    }
}

fn toml_json(path: &Path, text: &str) -> Result<Value> {
    let value: toml::Value = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| crate::error::line_of(text, s.start));
        FileError::at_line_col(
            path,
            text,
            line,
            1,
            format!("invalid TOML: {}", e.message()),
            "here",
        )
        .with_code(crate::error::Code::PriceBook)
    })?;
    serde_json::to_value(value).map_err(|e| miette::miette!("{e}"))
}

/// A book from its JSON form (`prefix`: where it sits in the file), schema-checked.
pub fn from_value(
    path: &Path,
    text: &str,
    prefix: &[&str],
    v: &Value,
    today: chrono::NaiveDate,
) -> Result<PriceBook> {
    let schema: Value =
        serde_json::from_str(crate::book::SCHEMA).expect("src/book/schema.json is JSON");
    let err = |at: &[String], msg: String| -> miette::Report {
        let line = locate(text, prefix, at);
        miette::Report::new(
            FileError::at_line_col(
                path,
                text,
                line,
                1,
                format!("{}: {msg}", path.display()),
                "here",
            )
            .with_help("see docs/price-book.md (schema: src/book/schema.json)")
            .with_code(crate::error::Code::PriceBook),
        )
    };
    let mut at0: Vec<String> = prefix.iter().map(|s| s.to_string()).collect();
    if let Some((at, problem)) = super::schema::schema_violation(&schema, v, &mut at0) {
        let at: Vec<String> = at[prefix.len().min(at.len())..].to_vec();
        return Err(err(&at, format!("invalid price book: {problem}")));
    }
    let origin = if prefix.is_empty() {
        path.display().to_string()
    } else {
        format!("{} [{}]", path.display(), prefix.join("."))
    };
    PriceBook::build(v, origin, Some(today))
        .map_err(|(at, m)| err(&at, format!("invalid price book: {m}")))
}

/// The line of `at` (a path under `prefix`): array entries are found by counting their
/// `[[…]]` headers, then the key after it; else the key path as written.
fn locate(text: &str, prefix: &[&str], at: &[String]) -> usize {
    use super::schema::key_offset;
    let full: Vec<&str> = prefix
        .iter()
        .copied()
        .chain(at.iter().map(String::as_str))
        .collect();
    if let (Some(array), Some(idx)) = (at.first(), at.get(1).and_then(|i| i.parse::<usize>().ok()))
    {
        let mut header = prefix.join(".");
        if !header.is_empty() {
            header.push('.');
        }
        header.push_str(array);
        let needle = format!("[[{header}]]");
        if let Some((start, _)) = text.match_indices(&needle).nth(idx) {
            let rest: Vec<&str> = at[2..].iter().map(String::as_str).collect();
            let off = if rest.is_empty() {
                Some(0)
            } else {
                key_offset(&text[start..], &rest)
            };
            if let Some(o) = off {
                return crate::error::line_of(text, start + o);
            }
            return crate::error::line_of(text, start);
        }
    }
    key_offset(text, &full).map_or(1, |o| crate::error::line_of(text, o))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<PriceBook> {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("book.toml");
        std::fs::write(&f, text).unwrap();
        load(dir.path(), Some(&f), &BookConfig::None).map(|b| b.unwrap())
    }

    fn line_of(e: &miette::Report) -> usize {
        let fe = e.downcast_ref::<FileError>().expect("a located error");
        crate::error::line_of(fe.src.inner(), fe.span.offset())
    }

    #[test]
    fn mistakes_are_reported_at_their_line() {
        let e = load_text("[[discounts]]\ncloud = \"aws\"\npercent = 20\n[[discounts]]\ncloud = \"aws\"\npercent = \"x\"\n")
            .unwrap_err();
        assert!(
            format!("{e}").contains("discounts.1.percent must be a number"),
            "{e}"
        );
        assert_eq!(line_of(&e), 6);
        let e = load_text("[[discounts]]\ncloud = \"aws\"\npercent = 120\n").unwrap_err();
        assert!(format!("{e}").contains("between 0 and 100"), "{e}");
        assert_eq!(line_of(&e), 3);
        let e = load_text("[[discounts]]\ncloud = \"aws\"\npersent = 12\n").unwrap_err();
        assert!(format!("{e}").contains("unknown setting `persent`"), "{e}");
        let e = load_text("[[rates]]\nkey = \"ec2/p5.48xlarge\"\n").unwrap_err();
        assert!(format!("{e}").contains("needs `price`"), "{e}");
        let e = load_text("[[commitments]]\nid = \"ri\"\nkind = \"reserved\"\nkey = \"ec2/p4d.24xlarge\"\nhourly = 1\n")
            .unwrap_err();
        assert!(format!("{e}").contains("count = 1 or more"), "{e}");
        let e = load_text("percent = [\n").unwrap_err();
        assert!(format!("{e}").contains("invalid TOML"), "{e}");
    }

    #[test]
    fn the_config_s_price_book_table_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("costgate.toml");
        std::fs::write(
            &cfg,
            "fail_on = \"deny\"\n[[price_book.discounts]]\ncloud = \"aws\"\npercent = 20\n[[price_book.discounts]]\ncloud = \"gcp\"\npercent = -1\n",
        )
        .unwrap();
        let e = load(dir.path(), None, &BookConfig::Upward).unwrap_err();
        assert_eq!(line_of(&e), 7, "{e}");
        std::fs::write(
            &cfg,
            "[[price_book.discounts]]\ncloud = \"aws\"\npercent = 20\n",
        )
        .unwrap();
        let b = load(dir.path(), None, &BookConfig::Upward)
            .unwrap()
            .unwrap();
        assert_eq!(b.discounts.len(), 1);
        assert!(
            b.origin.ends_with("costgate.toml [price_book]"),
            "{}",
            b.origin
        );
        assert!(load(dir.path(), None, &BookConfig::None).unwrap().is_none());
    }
}
