//! What every human format says about the price book: the currency symbol, the list price
//! beside the price paid per component, idle commitments.

use crate::estimate::book::BookUse;
use crate::estimate::Estimate;
use crate::money::{fmt2, fmt_grouped, Decimal};
use crate::resources::Component;

/// The symbol amounts are written with: `$` (USD, no book or no `[currency]`), `€`, `£`, or
/// the code and a space (`CHF 12.00`).
pub fn symbol(e: &Estimate) -> String {
    symbol_of(e.book.as_ref())
}

pub fn symbol_of(b: Option<&BookUse>) -> String {
    match b.map_or("USD", |b| b.currency.as_str()) {
        "USD" => "$".into(),
        "EUR" => "€".into(),
        "GBP" => "£".into(),
        other => format!("{other} "),
    }
}

/// A unit price: cents from a unit up (`$44.03`), else up to six decimals (`$0.0096`).
pub fn unit_price(sym: &str, d: Decimal) -> String {
    if d.abs() >= Decimal::ONE {
        format!("{sym}{}", fmt2(d))
    } else {
        format!("{sym}{}", d.round_dp(6).normalize())
    }
}

fn per(unit: &str) -> String {
    match unit {
        "hours" => "/h".into(),
        u => format!("/{}", u.trim_end_matches('s')),
    }
}

/// `list $55.04/h, price book −20 % EDP → $44.03/h; reserved ri-p4d covers 730 hours at
/// $19.22/h` (None without a price book, or when the price paid is the list price).
pub fn component_line(sym: &str, c: &Component) -> Option<String> {
    let b = c.book.as_ref()?;
    let p = per(&c.unit);
    let mut s = format!("list {}{p}", unit_price(sym, b.list_unit_price));
    match &b.adjustment {
        Some(a) => s.push_str(&format!(
            ", price book {a} → {}{p}",
            unit_price(sym, b.discounted_unit_price)
        )),
        None if b.commitments.is_empty() => return None,
        None => {}
    }
    for u in &b.commitments {
        let kind = if u.kind == "reserved" {
            "reserved"
        } else {
            "savings plan"
        };
        s.push_str(&format!(
            "; {kind} {} covers {} {} at {}{p}",
            u.id,
            crate::money::cents(u.quantity).normalize(),
            c.unit,
            unit_price(sym, u.unit_price)
        ));
    }
    Some(s)
}

/// `Price book: NAME (ORIGIN), amounts in EUR at 0.92 per USD from 2026-12-01` and one line
/// per idle commitment.
pub fn summary_lines(e: &Estimate) -> Vec<String> {
    let Some(b) = &e.book else { return Vec::new() };
    let sym = symbol(e);
    let mut out = Vec::new();
    let mut head = format!("Price book: {}", b.name);
    if b.name != b.origin {
        head.push_str(&format!(" ({})", b.origin));
    }
    if let Some((rate, from)) = &b.fx {
        head.push_str(&format!(
            "; amounts in {} at {} per USD (rate from {from})",
            b.currency,
            rate.normalize()
        ));
    }
    out.push(head);
    let t = &e.totals;
    out.push(format!(
        "At list price: {sym}{} → {sym}{} ({})",
        fmt_grouped(t.monthly_before_list.unwrap_or(t.monthly_before)),
        fmt_grouped(t.monthly_after_list.unwrap_or(t.monthly_after)),
        signed(
            t.monthly_after_list.unwrap_or(t.monthly_after)
                - t.monthly_before_list.unwrap_or(t.monthly_before)
        )
    ));
    for i in &b.idle {
        out.push(idle_message(&sym, i));
    }
    out
}

/// "commitment `ri-p4d` (reserved, aws ec2/p4d.24xlarge in us-east-1) is idle: 1 of 2 reserved
/// units unused, $14,030.60 a month paid for nothing".
pub fn idle_message(sym: &str, i: &crate::estimate::book::IdleCommitment) -> String {
    let kind = if i.kind == "reserved" {
        "reserved"
    } else {
        "savings plan"
    };
    let what = if i.unused {
        "nothing in the configuration uses it"
    } else {
        i.detail.as_str()
    };
    format!(
        "commitment `{}` ({kind}, {}) is idle: {what}, {sym}{} a month paid for nothing",
        i.id,
        i.scope,
        fmt_grouped(i.monthly_unused)
    )
}

fn signed(d: Decimal) -> String {
    if d > Decimal::ZERO {
        format!("+{}", fmt_grouped(d))
    } else {
        fmt_grouped(d)
    }
}

thread_local! {
    /// The symbol the human formats write amounts with while one report is rendered.
    static SYMBOL: std::cell::RefCell<String> = std::cell::RefCell::new("$".into());
}

/// The currency symbol of the report being rendered (`$` outside [`CurrencyGuard`]).
pub fn sym() -> String {
    SYMBOL.with(|s| s.borrow().clone())
}

/// Sets the currency symbol for one rendering (the estimate's), restoring `$` when dropped.
pub struct CurrencyGuard(());

impl CurrencyGuard {
    pub fn set(e: &Estimate) -> Self {
        SYMBOL.with(|s| *s.borrow_mut() = symbol(e));
        CurrencyGuard(())
    }
}

impl Drop for CurrencyGuard {
    fn drop(&mut self) {
        SYMBOL.with(|s| *s.borrow_mut() = "$".into());
    }
}
