//! Money is `rust_decimal::Decimal`: exact decimal arithmetic, never binary floating point.

pub use rust_decimal::Decimal;
use rust_decimal::RoundingStrategy;

/// Hours in a month by the usual cloud convention (365 × 24 / 12).
pub const HOURS_PER_MONTH: Decimal = Decimal::from_parts(730, 0, 0, false, 0);

/// Round to cents, half away from zero (how invoices round).
pub fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Two-decimal string, e.g. `40176.20`.
pub fn fmt2(d: Decimal) -> String {
    format!("{:.2}", cents(d))
}

/// A decimal from an attribute number (plan JSON numbers are whole or short decimals). The
/// conversion goes through the shortest text form, so `0.1` stays exactly 0.1.
pub fn from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    format!("{f}")
        .parse()
        .ok()
        .or_else(|| Decimal::from_f64_retain(f))
}

/// Integer cents (for policy input).
pub fn to_cents(d: Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    (cents(d) * Decimal::ONE_HUNDRED)
        .to_i64()
        .unwrap_or(i64::MAX)
}

/// `1234567.5` → `1,234,567.50` for tables and comments.
pub fn fmt_grouped(d: Decimal) -> String {
    let s = fmt2(d);
    let (sign, s) = s
        .strip_prefix('-')
        .map(|r| ("-", r))
        .unwrap_or(("", s.as_str()));
    let (int, frac) = s.split_once('.').unwrap_or((s, "00"));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}.{frac}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_sums() {
        let a: Decimal = "0.1".parse().unwrap();
        let b: Decimal = "0.2".parse().unwrap();
        assert_eq!(a + b, "0.3".parse().unwrap());
        assert_eq!(
            fmt2("55.04".parse::<Decimal>().unwrap() * HOURS_PER_MONTH),
            "40179.20"
        );
        assert_eq!(fmt2("1.005".parse().unwrap()), "1.01");
        assert_eq!(to_cents("40179.2".parse().unwrap()), 4017920);
        assert_eq!(from_f64(0.1), Some("0.1".parse().unwrap()));
        assert_eq!(fmt_grouped("-1234567.5".parse().unwrap()), "-1,234,567.50");
        assert_eq!(fmt_grouped("12.5".parse().unwrap()), "12.50");
    }
}
