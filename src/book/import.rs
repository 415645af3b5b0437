//! Seed the price book's commitments from a FOCUS 1.3 cost-and-usage export (last month's
//! bill): `costgate pricing book import FOCUS.csv` prints `[[commitments]]` entries to review
//! and paste into the book.
//!
//! Rows with a `CommitmentDiscountId` are grouped by it. A usage-based commitment
//! (`CommitmentDiscountCategory = Usage`: reserved instances, Azure reservations) becomes
//! `kind = "reserved"` with `count` = its quantity (used and unused unit-hours) over the hours
//! of the export's period and `hourly` = its effective cost per unit-hour; a spend-based one
//! (`Spend`: savings plans, committed-use discounts) becomes `kind = "savings_plan"` with
//! `hourly_commitment` = its effective cost (used and unused) per hour and one discount per
//! instance family (`ec2/p5.*`) from the used rows' list and effective costs. `key` is the rows'
//! `SkuId` when it is a costgate price key (`service/type`, as costgate's own export writes),
//! else left for the reviewer (the entry says which SKU it came from). Amounts must be in USD.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::money::{Decimal, HOURS_PER_MONTH};

/// One commitment seen in the export.
#[derive(Debug, Default)]
struct Seen {
    category: String,
    ctype: String,
    cloud: String,
    regions: Vec<String>,
    skus: Vec<String>,
    quantity: Decimal,
    effective: Decimal,
    /// Used rows: (family glob, list, effective).
    families: BTreeMap<String, (Decimal, Decimal)>,
}

fn cloud_of(provider: &str) -> &'static str {
    match provider.to_ascii_lowercase().as_str() {
        "aws" | "amazon web services" => "aws",
        "microsoft" | "azure" | "microsoft azure" => "azure",
        "google cloud" | "google" | "gcp" | "google cloud platform" => "gcp",
        _ => "",
    }
}

fn parse_time(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim().trim_end_matches('Z');
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S"))
        .ok()
}

/// `ec2/p5.48xlarge` → `ec2/p5.*` (the family a savings-plan discount applies to).
fn family_glob(key: &str) -> Option<String> {
    let (service, t) = key.split_once('/')?;
    let family = t.split('.').next()?;
    Some(format!("{service}/{family}.*"))
}

fn is_key(s: &str) -> bool {
    s.split_once('/')
        .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty() && !s.contains(' '))
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn num(d: Decimal) -> String {
    let d = d.round_dp(6).normalize();
    if d.fract().is_zero() {
        format!("{d}.0")
    } else {
        d.to_string()
    }
}

/// The `[[commitments]]` TOML for a FOCUS export (`name`: the file, for the header comment).
pub fn commitments_toml(name: &str, csv_text: &str) -> Result<String, String> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(csv_text.as_bytes());
    let headers = r
        .headers()
        .map_err(|e| format!("not a CSV file: {e}"))?
        .clone();
    let col = |n: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == n)
    };
    let need = |n: &str| col(n).ok_or_else(|| format!("not a FOCUS export: no `{n}` column"));
    let id_c = need("CommitmentDiscountId")?;
    let cat_c = need("CommitmentDiscountCategory")?;
    let qty_c = need("CommitmentDiscountQuantity")?;
    let eff_c = need("EffectiveCost")?;
    let list_c = need("ListCost")?;
    let start_c = need("ChargePeriodStart")?;
    let end_c = need("ChargePeriodEnd")?;
    let status_c = col("CommitmentDiscountStatus");
    let type_c = col("CommitmentDiscountType");
    let region_c = col("RegionId");
    let sku_c = col("SkuId");
    let provider_c = col("ServiceProviderName").or_else(|| col("ProviderName"));
    let currency_c = col("BillingCurrency");
    // costgate's own export prices a 730-hour month whatever the calendar month's length.
    let costgate_export = col("x_CostgateAction").is_some();
    let (mut first, mut last): (Option<NaiveDateTime>, Option<NaiveDateTime>) = (None, None);
    let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
    for (i, rec) in r.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| format!("line {line}: {e}"))?;
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim();
        let id = get(Some(id_c));
        if id.is_empty() {
            continue;
        }
        let currency = get(currency_c);
        if !currency.is_empty() && currency != "USD" {
            return Err(format!(
                "line {line}: BillingCurrency {currency}: the price book's commitments are in USD"
            ));
        }
        let dec = |c: usize, what: &str| -> Result<Decimal, String> {
            let v = get(Some(c));
            if v.is_empty() {
                return Ok(Decimal::ZERO);
            }
            v.parse::<Decimal>()
                .map_err(|_| format!("line {line}: {what} `{v}` is not a number"))
        };
        let (start, end) = (get(Some(start_c)), get(Some(end_c)));
        let (Some(s), Some(e)) = (parse_time(start), parse_time(end)) else {
            return Err(format!(
                "line {line}: ChargePeriodStart/End `{start}`/`{end}` are not date-times"
            ));
        };
        first = Some(first.map_or(s, |f| f.min(s)));
        last = Some(last.map_or(e, |l| l.max(e)));
        let entry = seen.entry(id.to_string()).or_default();
        entry.category = get(Some(cat_c)).to_string();
        if entry.ctype.is_empty() {
            entry.ctype = get(type_c).to_string();
        }
        if entry.cloud.is_empty() {
            entry.cloud = cloud_of(get(provider_c)).to_string();
        }
        let region = get(region_c).to_string();
        if !region.is_empty() && !entry.regions.contains(&region) {
            entry.regions.push(region);
        }
        let sku = get(sku_c).to_string();
        if !sku.is_empty() && !entry.skus.contains(&sku) {
            entry.skus.push(sku.clone());
        }
        let eff = dec(eff_c, "EffectiveCost")?;
        entry.quantity += dec(qty_c, "CommitmentDiscountQuantity")?;
        entry.effective += eff;
        let used = !get(status_c).eq_ignore_ascii_case("Unused");
        if used {
            if let Some(f) = family_glob(&sku).filter(|_| is_key(&sku)) {
                let slot = entry.families.entry(f).or_default();
                slot.0 += dec(list_c, "ListCost")?;
                slot.1 += eff;
            }
        }
    }
    if seen.is_empty() {
        return Err("no row has a CommitmentDiscountId: nothing to import".into());
    }
    let (first, last) = (first.expect("rows seen"), last.expect("rows seen"));
    let span = Decimal::from((last - first).num_minutes()) / Decimal::from(60);
    let days = (last - first).num_days();
    let hours = if costgate_export && (28..=31).contains(&days) {
        HOURS_PER_MONTH
    } else {
        span
    };
    if hours <= Decimal::ZERO {
        return Err("the export's charge periods cover no time".into());
    }
    let mut out = format!(
        "# Commitments imported from {} by `costgate pricing book import` ({} to {}, {} hours).\n# Review each entry before adding it to the price book (docs/price-book.md).\n",
        name.replace('\n', " "),
        first.format("%Y-%m-%d"),
        last.format("%Y-%m-%d"),
        hours.normalize()
    );
    for (id, s) in &seen {
        out.push_str("\n[[commitments]]\n");
        out.push_str(&format!("id = {}\n", toml_str(id)));
        let spend = s.category.eq_ignore_ascii_case("Spend");
        out.push_str(&format!(
            "kind = {}\n",
            toml_str(if spend { "savings_plan" } else { "reserved" })
        ));
        if !s.ctype.is_empty() {
            out.push_str(&format!(
                "# FOCUS CommitmentDiscountType: {}\n",
                s.ctype.replace('\n', " ")
            ));
        }
        if !s.cloud.is_empty() {
            out.push_str(&format!("cloud = {}\n", toml_str(&s.cloud)));
        }
        // A reservation is for one region; a savings plan's scope is not read from its rows.
        if let (false, [region]) = (spend, s.regions.as_slice()) {
            out.push_str(&format!("region = {}\n", toml_str(region)));
        }
        if spend {
            out.push_str(&format!(
                "hourly_commitment = {}\n",
                num(s.effective / hours)
            ));
            let ds: Vec<String> = s
                .families
                .iter()
                .filter(|(_, (list, _))| *list > Decimal::ZERO)
                .map(|(f, (list, eff))| {
                    let pct = ((Decimal::ONE - *eff / *list) * Decimal::ONE_HUNDRED).round_dp(2);
                    format!("{{ key = {}, percent = {} }}", toml_str(f), num(pct))
                })
                .collect();
            if ds.is_empty() {
                out.push_str("# discounts: no used row names a costgate price key; fill in e.g. [{ key = \"ec2/p5.*\", percent = 40 }]\n");
            } else {
                out.push_str(&format!("discounts = [{}]\n", ds.join(", ")));
            }
        } else {
            match s.skus.as_slice() {
                [k] if is_key(k) => out.push_str(&format!("key = {}\n", toml_str(k))),
                skus => out.push_str(&format!(
                    "# key = \"service/type\"  (fill in: the rows' SkuId {})\n",
                    skus.join(", ").replace('\n', " ")
                )),
            }
            let count = (s.quantity / hours).round();
            out.push_str(&format!("count = {count}\n"));
            if s.quantity > Decimal::ZERO {
                out.push_str(&format!("hourly = {}\n", num(s.effective / s.quantity)));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_and_keys() {
        assert_eq!(family_glob("ec2/p5.48xlarge").as_deref(), Some("ec2/p5.*"));
        assert!(is_key("ec2/p4d.24xlarge"));
        assert!(!is_key("ABC123"));
        assert_eq!(num(Decimal::from(15)), "15.0");
    }
}
