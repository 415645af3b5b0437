//! Waivers: accepted findings, by policy id and resource address (globs), with a mandatory
//! reason and an optional expiry date. They come from the config (`[[waivers]]`) and from
//! inline comments in .tf files:
//!
//! ```hcl
//! # costgate:ignore gpu-quota reason="burst approved in FIN-42" until=2026-12-31
//! resource "aws_instance" "h100" { ... }
//! ```
//!
//! The input layer reads the comments (`crate::input::hcl::comments`) and hands them over as
//! [`Project::inline_waivers`](crate::project::Project); each applies to every instance
//! `type.name` / `type.name[...]` of its block, in every instance of its module.

use chrono::NaiveDate;

use crate::project::InlineWaiver;

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

impl From<&InlineWaiver> for Waiver {
    fn from(w: &InlineWaiver) -> Waiver {
        Waiver {
            policy: w.policy.clone(),
            address: w.address(),
            reason: w.reason.clone(),
            until: w.until,
            origin: format!("{}:{}", w.source.file, w.source.line),
        }
    }
}

/// A waiver that is a configuration error: one for every policy (`*`), or one that expires
/// further than `horizon_days` from `today`. Returns the message (the caller names the place).
pub fn refuse(w: &Waiver, today: NaiveDate, horizon_days: i64) -> Option<String> {
    if !w.policy.is_empty() && w.policy.chars().all(|c| c == '*' || c == '?') {
        return Some(format!(
            "waiver for every policy (`{}`): name the policy (or a glob such as `gpu-*`) it accepts",
            w.policy
        ));
    }
    let limit = today.checked_add_signed(chrono::TimeDelta::days(horizon_days))?;
    match w.until {
        Some(u) if u > limit => Some(format!(
            "waiver until {u} is more than {horizon_days} days away (latest allowed: {limit}; `waiver_horizon_days` in the config sets the horizon)"
        )),
        _ => None,
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
            monthly_saving: None,
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
    fn wildcard_and_far_waivers_are_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let w = |policy: &str, until| Waiver {
            policy: policy.into(),
            address: "*".into(),
            reason: "r".into(),
            until,
            origin: "main.tf:3".into(),
        };
        assert!(refuse(&w("*", None), today, 366)
            .unwrap()
            .contains("every policy"));
        assert!(refuse(&w("**", None), today, 366).is_some());
        assert!(refuse(&w("gpu-*", None), today, 366).is_none());
        let far = NaiveDate::from_ymd_opt(2027, 6, 3);
        assert!(refuse(&w("budget", far), today, 366)
            .unwrap()
            .contains("2027-06-02"));
        assert!(refuse(
            &w("budget", NaiveDate::from_ymd_opt(2027, 6, 2)),
            today,
            366
        )
        .is_none());
        assert!(refuse(&w("budget", far), today, 800).is_none());
    }

    #[test]
    fn module_keys() {
        assert_eq!(
            strip_keys("module.a[\"x[1]\"].module.b[0]"),
            "module.a.module.b"
        );
    }
}
