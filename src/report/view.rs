//! What the PR-facing formats (SARIF, GitHub annotations, Markdown, HTML) share: a read-only
//! view of an estimate plus, for `check`, its findings and policies; finding order; stable
//! fingerprints.

use std::cmp::Reverse;

use crate::estimate::{Estimate, ResourceEstimate};
use crate::money::Decimal;
use crate::policy::finding::{CheckReport, Finding, PolicyMeta, Severity};

/// An estimate and, when policies ran, their findings.
#[derive(Debug, Clone, Copy)]
pub struct ReportView<'a> {
    pub estimate: &'a Estimate,
    /// `None` for `estimate` (policies were not evaluated).
    pub check: Option<(&'a [Finding], &'a [PolicyMeta])>,
}

impl<'a> ReportView<'a> {
    pub fn estimate(e: &'a Estimate) -> Self {
        ReportView {
            estimate: e,
            check: None,
        }
    }

    pub fn check(r: &'a CheckReport) -> Self {
        ReportView {
            estimate: &r.estimate,
            check: Some((&r.findings, &r.policies)),
        }
    }

    pub fn findings(&self) -> &'a [Finding] {
        self.check.map(|c| c.0).unwrap_or(&[])
    }

    pub fn policies(&self) -> &'a [PolicyMeta] {
        self.check.map(|c| c.1).unwrap_or(&[])
    }

    pub fn policy(&self, id: &str) -> Option<&'a PolicyMeta> {
        self.policies().iter().find(|p| p.id == id)
    }

    /// Title of a policy, or its id when the policy is not described.
    pub fn policy_title(&self, id: &str) -> String {
        self.policy(id)
            .map(|p| p.title.clone())
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| id.to_string())
    }

    pub fn resource(&self, address: &str) -> Option<&'a ResourceEstimate> {
        self.estimate
            .resources
            .iter()
            .find(|r| r.address == address)
    }

    /// Active (not waived) findings at a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings()
            .iter()
            .filter(|f| !f.waived && f.severity == severity)
            .count()
    }

    /// Size of a resource's monthly change, for ordering (0 when unknown).
    pub fn impact(&self, address: &str) -> Decimal {
        self.resource(address)
            .and_then(|r| r.monthly_delta())
            .map(|d| d.abs())
            .unwrap_or_default()
    }

    /// Active findings, deny first, then by cost impact, then address and policy.
    pub fn ordered_findings(&self) -> Vec<&'a Finding> {
        let mut v: Vec<&Finding> = self.findings().iter().filter(|f| !f.waived).collect();
        v.sort_by_cached_key(|f| {
            (
                Reverse(f.severity),
                Reverse(self.impact(&f.address)),
                f.address.clone(),
                f.policy.clone(),
            )
        });
        v
    }

    pub fn waived_findings(&self) -> Vec<&'a Finding> {
        self.findings().iter().filter(|f| f.waived).collect()
    }

    /// Resources with a known non-zero change, largest |delta| first (top `n`).
    pub fn biggest_changes(&self, n: usize) -> Vec<&'a ResourceEstimate> {
        let mut v: Vec<&ResourceEstimate> = self
            .estimate
            .resources
            .iter()
            .filter(|r| r.monthly_delta().is_some_and(|d| !d.is_zero()))
            .collect();
        v.sort_by(|a, b| {
            let da = a.monthly_delta().unwrap_or_default().abs();
            let db = b.monthly_delta().unwrap_or_default().abs();
            db.cmp(&da).then_with(|| a.address.cmp(&b.address))
        });
        v.truncate(n);
        v
    }
}

/// What a finding's message says after its address, when the message starts with it.
///
/// Policies usually write whole sentences (`aws_instance.x is missing required tag(s): owner`);
/// renderers that show the address themselves use the rest (`is missing required tag(s): owner`)
/// so the address is not printed twice. The address must be followed by a space, `:` or `,` (or
/// end the message): `aws_instance.x2 …` does not start with `aws_instance.x`.
pub fn after_address<'m>(address: &str, message: &'m str) -> Option<&'m str> {
    if address.is_empty() {
        return None;
    }
    let rest = message.strip_prefix(address)?;
    match rest.chars().next() {
        None => Some(""),
        Some(' ' | ':' | ',') => Some(rest.trim_start_matches([':', ',']).trim_start()),
        Some(_) => None,
    }
}

/// One line naming the resource once: the message when it already starts with the address,
/// else `address: message` (just the message for plan-level findings without an address).
pub fn finding_text(address: &str, message: &str) -> String {
    if address.is_empty() || after_address(address, message).is_some() {
        message.to_string()
    } else {
        format!("{address}: {message}")
    }
}

/// Stable 128-bit hex fingerprint of a finding's identity (policy + address): FNV-1a, which
/// does not change between Rust versions (unlike `DefaultHasher`).
pub fn fingerprint(policy: &str, address: &str) -> String {
    let fnv = |seed: u64| {
        let mut h = seed;
        for b in policy.bytes().chain([0u8]).chain(address.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    };
    format!(
        "{:016x}{:016x}",
        fnv(0xcbf2_9ce4_8422_2325),
        fnv(0x84222325_cbf29ce4)
    )
}

/// `+1,234.50` / `-3.00` / `0.00`.
pub fn signed_money(d: Decimal) -> String {
    let s = crate::money::fmt_grouped(d);
    if d > Decimal::ZERO {
        format!("+{s}")
    } else {
        s
    }
}

/// `+$1,234.50` / `-$3.00` / `$0.00`.
pub fn signed_dollars(d: Decimal) -> String {
    let s = crate::money::fmt_grouped(d.abs());
    let c = super::book::sym();
    match d.cmp(&Decimal::ZERO) {
        std::cmp::Ordering::Greater => format!("+{c}{s}"),
        std::cmp::Ordering::Less => format!("-{c}{s}"),
        std::cmp::Ordering::Equal => format!("{c}{s}"),
    }
}

/// Percentage change `before → after` with one decimal, when meaningful.
pub fn percent_change(before: Decimal, after: Decimal) -> Option<String> {
    if before.is_zero() {
        return None;
    }
    let p = ((after - before) / before * Decimal::ONE_HUNDRED).round_dp(1);
    Some(if p > Decimal::ZERO {
        format!("+{p:.1}%")
    } else {
        format!("{p:.1}%")
    })
}

/// `$0.1713` (cost per 1,000 requests), or `?` when the resource is not priced.
pub fn per_1k(u: &crate::estimate::unit::UnitCost) -> String {
    u.cost_per_1k_requests
        .map(|p| format!("{}{p:.4}", super::book::sym()))
        .unwrap_or_else(|| "?".into())
}

/// GPU counts `model → (before, after)` over both sides.
pub fn gpu_rows(e: &Estimate) -> Vec<(String, f64, f64)> {
    let t = &e.totals;
    let mut models: Vec<&String> = t
        .gpu_count_by_model
        .keys()
        .chain(t.gpu_count_by_model_before.keys())
        .collect();
    models.sort();
    models.dedup();
    models
        .into_iter()
        .map(|m| {
            (
                m.clone(),
                t.gpu_count_by_model_before.get(m).copied().unwrap_or(0.0),
                t.gpu_count_by_model.get(m).copied().unwrap_or(0.0),
            )
        })
        .collect()
}

/// A GPU count without a trailing `.0`.
pub fn count(f: f64) -> String {
    if f.fract() == 0.0 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_stable_and_distinguishes() {
        let a = fingerprint("gpu-quota", "aws_instance.a");
        assert_eq!(a.len(), 32);
        assert_eq!(a, fingerprint("gpu-quota", "aws_instance.a"));
        assert_ne!(a, fingerprint("gpu-quota", "aws_instance.b"));
        // The separator keeps ("ab","c") and ("a","bc") apart.
        assert_ne!(fingerprint("ab", "c"), fingerprint("a", "bc"));
    }

    #[test]
    fn address_is_named_once() {
        let a = "aws_instance.x";
        let m = "aws_instance.x is missing required tag(s): owner";
        assert_eq!(
            after_address(a, m),
            Some("is missing required tag(s): owner")
        );
        assert_eq!(finding_text(a, m), m);
        assert_eq!(
            finding_text(a, "missing tag `team`"),
            "aws_instance.x: missing tag `team`"
        );
        assert_eq!(
            after_address(a, "aws_instance.x: over quota"),
            Some("over quota")
        );
        // A longer address that merely shares the prefix is another resource.
        assert_eq!(after_address(a, "aws_instance.x2 is missing tags"), None);
        assert_eq!(after_address(a, "aws_instance.x[0] is missing tags"), None);
        assert_eq!(
            finding_text(a, "aws_instance.x2 is big"),
            "aws_instance.x: aws_instance.x2 is big"
        );
        assert_eq!(after_address("", "total monthly cost"), None);
        assert_eq!(finding_text("", "total monthly cost"), "total monthly cost");
    }

    #[test]
    fn percent_and_sign() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(
            percent_change(d("100"), d("150")).as_deref(),
            Some("+50.0%")
        );
        assert_eq!(
            percent_change(d("200"), d("100")).as_deref(),
            Some("-50.0%")
        );
        assert_eq!(percent_change(d("0"), d("100")), None);
        assert_eq!(signed_money(d("1234.5")), "+1,234.50");
        assert_eq!(signed_money(d("-3")), "-3.00");
        assert_eq!(signed_dollars(d("-3")), "-$3.00");
        assert_eq!(signed_dollars(d("0")), "$0.00");
        assert_eq!(count(2.0), "2");
        assert_eq!(count(0.5), "0.5");
    }
}
