//! Waivers: accepted findings, by policy id and resource address (globs), with a mandatory
//! reason and an optional expiry date. They come from the config (`[[waivers]]`) and from
//! inline comments in .tf files:
//!
//! ```hcl
//! # costgate:ignore gpu-quota reason="burst approved in FIN-42" until=2026-12-31
//! resource "aws_instance" "h100" { ... }
//! ```
//!
//! An inline comment applies to the `resource` block that follows it (blank lines and other
//! comments may sit between), i.e. to every instance `type.name` / `type.name[...]` declared in
//! that module directory. This small scanner reads only comments and `resource` headers; it
//! also yields each block's file:line, used as the finding location when the input has none.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::error::{FileError, Result};
use crate::project::SourceLocation;

use super::config::parse_date;
use super::finding::Finding;

/// One waiver.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiver {
    /// Policy id or glob (`*` = every policy).
    pub policy: String,
    /// Resource address or glob; `type.name` also covers its instances `type.name[...]`.
    pub address: String,
    pub reason: String,
    /// Last day the waiver applies (inclusive).
    pub until: Option<NaiveDate>,
    /// Where it was written (`file:line`).
    pub origin: String,
}

impl Waiver {
    pub fn matches(&self, f: &Finding) -> bool {
        glob(&self.policy, &f.policy)
            && (address_matches(&self.address, &f.address)
                || glob(&self.address, &strip_keys(&f.address)))
    }

    pub fn expired(&self, today: NaiveDate) -> bool {
        self.until.is_some_and(|u| today > u)
    }
}

/// `*` any run of characters, `?` one character; everything else (brackets, dots) literal.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// A pattern matches an address, or the address without its final instance key.
fn address_matches(pattern: &str, address: &str) -> bool {
    if glob(pattern, address) {
        return true;
    }
    match address
        .strip_suffix(']')
        .and_then(|a| a.rfind('[').map(|i| &a[..i]))
    {
        Some(base) => glob(pattern, base),
        None => false,
    }
}

/// Mark waived findings; an expired waiver leaves the finding in force and says so.
pub fn apply(findings: &mut [Finding], waivers: &[Waiver], today: NaiveDate) {
    for f in findings.iter_mut() {
        let matching: Vec<&Waiver> = waivers.iter().filter(|w| w.matches(f)).collect();
        if let Some(w) = matching.iter().find(|w| !w.expired(today)) {
            f.waived = true;
            f.waiver_note = Some(match w.until {
                Some(u) => format!("waived until {u} ({}): {}", w.origin, w.reason),
                None => format!("waived ({}): {}", w.origin, w.reason),
            });
        } else if let Some(w) = matching.first() {
            f.waiver_note = Some(format!(
                "waiver expired on {} ({}): {}",
                w.until.map(|u| u.to_string()).unwrap_or_default(),
                w.origin,
                w.reason
            ));
        }
    }
}

/// A `resource "type" "name"` block header found in a .tf file.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub rtype: String,
    pub name: String,
    pub location: SourceLocation,
    /// Inline waivers written right above the block (address not yet resolved).
    pub waivers: Vec<Waiver>,
}

/// The blocks of one module directory, keyed by module path without instance keys
/// (`""` root, `module.a.module.b`).
#[derive(Debug, Default, Clone)]
pub struct SourceIndex {
    pub modules: BTreeMap<String, Vec<Block>>,
}

impl SourceIndex {
    /// Scan `root` (the root module) and the local module directories named by `module_dirs`
    /// (module path → directory).
    pub fn scan(root: &Path, module_dirs: &[(String, PathBuf)]) -> Result<Self> {
        let mut idx = SourceIndex::default();
        idx.modules.insert(String::new(), scan_dir(root)?);
        for (m, d) in module_dirs {
            if d.is_dir() {
                idx.modules.insert(m.clone(), scan_dir(d)?);
            }
        }
        Ok(idx)
    }

    /// The block declaring a resource instance (`module.x["a"].aws_instance.y[0]`).
    pub fn block(&self, module: &str, rtype: &str, name: &str) -> Option<&Block> {
        self.modules
            .get(&strip_keys(module))?
            .iter()
            .find(|b| b.rtype == rtype && b.name == name)
    }

    /// Inline waivers resolved to addresses `<module>.<type>.<name>` without instance keys
    /// (they match every instance, of the resource and of the module).
    pub fn waivers(&self) -> Vec<Waiver> {
        let mut out = Vec::new();
        for (m, blocks) in &self.modules {
            for b in blocks {
                for w in &b.waivers {
                    let prefix = if m.is_empty() {
                        String::new()
                    } else {
                        format!("{m}.")
                    };
                    let address = format!("{prefix}{}.{}", b.rtype, b.name);
                    out.push(Waiver {
                        address,
                        ..w.clone()
                    });
                }
            }
        }
        out
    }
}

/// `module.a["x"].module.b[0]` → `module.a.module.b` (instance keys removed).
pub fn strip_keys(module: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    let mut in_str = false;
    for c in module.chars() {
        match c {
            '"' if depth > 0 => in_str = !in_str,
            '[' if !in_str => depth += 1,
            ']' if !in_str => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn scan_dir(dir: &Path) -> Result<Vec<Block>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "tf") && p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut blocks = Vec::new();
    for f in files {
        let text = crate::error::read_file(&f)?;
        blocks.extend(scan_text(&f, &text)?);
    }
    Ok(blocks)
}

/// Find `resource` headers and the `costgate:ignore` comments above them.
pub fn scan_text(path: &Path, text: &str) -> Result<Vec<Block>> {
    let mut blocks = Vec::new();
    let mut pending: Vec<Waiver> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        let comment = t
            .strip_prefix('#')
            .or_else(|| t.strip_prefix("//"))
            .map(str::trim);
        if let Some(c) = comment {
            if let Some(rest) = c.strip_prefix("costgate:ignore") {
                let origin = format!("{}:{}", path.display(), i + 1);
                let w = parse_inline(rest, origin).map_err(|msg| {
                    miette::Report::new(
                        FileError::at_line_col(path, text, i + 1, 1, msg, "this comment")
                            .with_code("costgate::waiver")
                            .with_help("write `# costgate:ignore <policy> reason=\"why\" until=YYYY-MM-DD`"),
                    )
                })?;
                pending.push(w);
            }
            continue;
        }
        if t.is_empty() {
            continue;
        }
        if let Some((rtype, name)) = resource_header(t) {
            blocks.push(Block {
                rtype,
                name,
                location: SourceLocation {
                    file: path.display().to_string(),
                    line: i + 1,
                },
                waivers: std::mem::take(&mut pending),
            });
        } else {
            pending.clear();
        }
    }
    Ok(blocks)
}

/// `resource "aws_instance" "x" {` → (`aws_instance`, `x`).
fn resource_header(t: &str) -> Option<(String, String)> {
    let rest = t.strip_prefix("resource")?;
    if !rest.starts_with([' ', '\t', '"']) {
        return None;
    }
    let mut labels = rest.split('"').skip(1).step_by(2);
    let rtype = labels.next()?.to_string();
    let name = labels.next()?.to_string();
    Some((rtype, name))
}

/// ` <policy> reason=... until=YYYY-MM-DD` (reason may be quoted or run to `until=`/the end).
fn parse_inline(rest: &str, origin: String) -> std::result::Result<Waiver, String> {
    let rest = rest.trim();
    let (policy, mut args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if policy.is_empty() || policy.contains('=') {
        return Err("costgate:ignore needs a policy id (or `*`) first".into());
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
                "unexpected `{word}` in costgate:ignore (expected reason= or until=)"
            ));
        }
    }
    let reason = reason.filter(|r| !r.trim().is_empty()).ok_or_else(|| {
        format!("costgate:ignore {policy} has no reason: waivers must say why (reason=\"...\")")
    })?;
    Ok(Waiver {
        policy: policy.to_string(),
        address: String::new(),
        reason,
        until,
        origin,
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
    use crate::policy::finding::Severity;

    fn finding(policy: &str, address: &str) -> Finding {
        Finding {
            policy: policy.into(),
            severity: Severity::Deny,
            address: address.into(),
            message: "m".into(),
            source: None,
            waived: false,
            waiver_note: None,
        }
    }

    #[test]
    fn globs() {
        assert!(glob("aws_instance.h100*", "aws_instance.h100[2]"));
        assert!(glob("*", ""));
        assert!(glob("gpu-*", "gpu-quota"));
        assert!(!glob("gpu-*", "budget"));
        assert!(glob("a?c", "abc"));
        assert!(address_matches("aws_instance.h100", "aws_instance.h100[0]"));
        assert!(address_matches("aws_instance.x", "aws_instance.x[\"a\"]"));
        assert!(!address_matches("aws_instance.h10", "aws_instance.h100[0]"));
    }

    #[test]
    fn inline_comments_attach_to_next_resource() {
        let tf = r#"
# costgate:ignore gpu-quota reason="burst approved" until=2099-01-01
// costgate:ignore budget reason=big but planned

resource "aws_instance" "h100" {
  count = 3
}

# costgate:ignore budget reason=orphan
locals { a = 1 }
resource "aws_ebs_volume" "v" {}
"#;
        let blocks = scan_text(Path::new("main.tf"), tf).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].location.line, 5);
        assert_eq!(blocks[0].waivers.len(), 2);
        assert_eq!(blocks[0].waivers[0].reason, "burst approved");
        assert_eq!(
            blocks[0].waivers[0].until,
            NaiveDate::from_ymd_opt(2099, 1, 1)
        );
        assert_eq!(blocks[0].waivers[1].reason, "big but planned");
        assert!(
            blocks[1].waivers.is_empty(),
            "locals in between cancels the comment"
        );
    }

    #[test]
    fn inline_without_reason_is_an_error() {
        let err = scan_text(
            Path::new("m.tf"),
            "# costgate:ignore budget until=2020-01-01\n",
        )
        .unwrap_err();
        assert!(format!("{err:?}").contains("has no reason"));
        let err = scan_text(
            Path::new("m.tf"),
            "# costgate:ignore budget reason=x until=2020-13-01\n",
        )
        .unwrap_err();
        assert!(format!("{err:?}").contains("not a date"));
    }

    #[test]
    fn expired_waivers_do_not_waive() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let w = |until: Option<NaiveDate>| Waiver {
            policy: "gpu-*".into(),
            address: "module.a.aws_instance.h100".into(),
            reason: "approved".into(),
            until,
            origin: "main.tf:3".into(),
        };
        let mut f = vec![
            finding("gpu-quota", "module.a[\"x\"].aws_instance.h100[1]"),
            finding("budget", "module.a[\"x\"].aws_instance.h100[1]"),
        ];
        apply(&mut f, &[w(NaiveDate::from_ymd_opt(2026, 6, 1))], today);
        assert!(f[0].waived && !f[1].waived);
        let mut f = vec![finding("gpu-quota", "module.a.aws_instance.h100")];
        apply(&mut f, &[w(NaiveDate::from_ymd_opt(2026, 5, 31))], today);
        assert!(!f[0].waived);
        assert!(f[0]
            .waiver_note
            .as_deref()
            .unwrap()
            .starts_with("waiver expired on 2026-05-31"));
    }

    #[test]
    fn module_keys() {
        assert_eq!(
            strip_keys("module.a[\"x[1]\"].module.b[0]"),
            "module.a.module.b"
        );
    }
}
