//! Inline waivers: `# costgate:ignore <policy> reason="..." until=YYYY-MM-DD` comments.
//!
//! hcl-edit keeps comments in the decor of the structure that follows them, so a comment
//! belongs to a `resource` block when it sits in that block's prefix (directly above it: only
//! blank lines and other comments in between) or at the start of its body (before the first
//! attribute). This module finds the directives in such decor text, with their lines, and
//! parses them; [`mod@super::load`] decides which block they belong to.

use chrono::NaiveDate;

/// A `costgate:ignore` comment line: its 1-based line and the text after the directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub line: usize,
    pub rest: String,
}

/// A parsed directive (the block it belongs to fills in the address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub policy: String,
    pub reason: String,
    pub until: Option<NaiveDate>,
}

const MARKER: &str = "costgate:ignore";

/// The directives in `decor` (whitespace and comments), whose first line is `first_line`.
pub fn directives(decor: &str, first_line: usize) -> Vec<Directive> {
    decor
        .split('\n')
        .enumerate()
        .filter_map(|(i, l)| {
            let t = l.trim();
            let body = t.strip_prefix('#').or_else(|| t.strip_prefix("//"))?.trim();
            let rest = body.strip_prefix(MARKER)?;
            // `costgate:ignored` or `costgate:ignore-x` are not the directive.
            if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
                return None;
            }
            Some(Directive {
                line: first_line + i,
                rest: rest.to_string(),
            })
        })
        .collect()
}

/// The first line of `decor` when it ends on `end_line` (it is followed by a token there).
pub fn first_line_ending_at(decor: &str, end_line: usize) -> usize {
    end_line.saturating_sub(decor.matches('\n').count()).max(1)
}

/// `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date (expected YYYY-MM-DD)"))
}

/// ` <policy> reason=... until=YYYY-MM-DD` (reason may be quoted or run to `until=`/the end).
pub fn parse(rest: &str) -> Result<Parsed, String> {
    let rest = rest.trim();
    let (policy, mut args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if policy.is_empty() || policy.contains('=') {
        return Err(format!("{MARKER} needs a policy id (or `*`) first"));
    }
    let mut reason = None;
    let mut until = None;
    loop {
        args = args.trim_start();
        if args.is_empty() {
            break;
        }
        if let Some(r) = args.strip_prefix("reason=") {
            let (value, tail) = take_value(r, true);
            reason = Some(value);
            args = tail;
        } else if let Some(r) = args.strip_prefix("until=") {
            let (value, tail) = take_value(r, false);
            until = Some(parse_date(&value)?);
            args = tail;
        } else {
            let word = args.split_whitespace().next().unwrap_or(args);
            return Err(format!(
                "unexpected `{word}` in {MARKER} (expected reason= or until=)"
            ));
        }
    }
    let reason = reason.filter(|r| !r.trim().is_empty()).ok_or_else(|| {
        format!("{MARKER} {policy} has no reason: waivers must say why (reason=\"...\")")
    })?;
    Ok(Parsed {
        policy: policy.to_string(),
        reason,
        until,
    })
}

/// A quoted value, or (for free text) everything up to ` until=`, or one word.
fn take_value(s: &str, free_text: bool) -> (String, &str) {
    if let Some(q) = s.strip_prefix('"') {
        if let Some(end) = q.find('"') {
            return (q[..end].to_string(), &q[end + 1..]);
        }
        return (q.to_string(), "");
    }
    if free_text {
        let end = s.find(" until=").unwrap_or(s.len());
        return (s[..end].trim().to_string(), &s[end..]);
    }
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    (s[..end].to_string(), &s[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_have_their_lines() {
        let decor = "\n# costgate:ignore a reason=x\n\n  // costgate:ignore b reason=y\n# other\n# costgate:ignored\n";
        let d = directives(decor, first_line_ending_at(decor, 10));
        assert_eq!(
            d,
            vec![
                Directive {
                    line: 5,
                    rest: " a reason=x".into()
                },
                Directive {
                    line: 7,
                    rest: " b reason=y".into()
                }
            ]
        );
    }

    #[test]
    fn values_quoted_free_and_dated() {
        let p = parse(" gpu-quota reason=\"burst approved\" until=2099-01-01").unwrap();
        assert_eq!(p.policy, "gpu-quota");
        assert_eq!(p.reason, "burst approved");
        assert_eq!(p.until, NaiveDate::from_ymd_opt(2099, 1, 1));
        let p = parse(" budget reason=big but planned until=2030-02-03 ").unwrap();
        assert_eq!(p.reason, "big but planned");
        assert_eq!(parse(" * reason=all").unwrap().policy, "*");
    }

    #[test]
    fn bad_directives_say_why() {
        assert!(parse(" budget until=2020-01-01")
            .unwrap_err()
            .contains("has no reason"));
        assert!(parse(" budget reason=x until=2020-13-01")
            .unwrap_err()
            .contains("not a date"));
        assert!(parse(" reason=x").unwrap_err().contains("policy id"));
        assert_eq!(
            parse(" budget reason=x because").unwrap().reason,
            "x because"
        );
        assert!(parse(" budget until=2020-01-01 extra")
            .unwrap_err()
            .contains("unexpected `extra`"));
    }
}
