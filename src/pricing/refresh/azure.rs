//! Azure Retail Prices API (`/api/retail/prices`, unauthenticated, OData `$filter`, paged by
//! `NextPageLink`).
//!
//! Per region two queries: Virtual Machines and managed disks. Kept: `type` Consumption
//! (Reservation and DevTest are skipped), Linux only (a `productName` mentioning Windows is
//! out), `… Spot` meters → `vm-spot/`, `… Low Priority` skipped; VM sizes we have hardware facts
//! or prices for; disk tiers `P10 LRS`-style → `disk/p10`. Prices are `retailPrice` (USD).

use std::collections::BTreeSet;

use serde::Deserialize;

use super::{Ctx, Fresh, Priced};
use crate::error::Result;
use crate::money::Decimal;
use crate::pricing::catalog::Source;

pub const ENDPOINT: &str = "https://prices.azure.com";
const PATH: &str = "/api/retail/prices";
const API_VERSION: &str = "2023-01-01-preview";
/// Guard against a server that pages forever.
const MAX_PAGES: usize = 5000;

#[derive(Deserialize)]
struct Page {
    #[serde(rename = "Items")]
    items: Vec<Item>,
    #[serde(rename = "NextPageLink", default)]
    next: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Item {
    #[serde(default)]
    currency_code: String,
    retail_price: Decimal,
    #[serde(default)]
    arm_region_name: String,
    #[serde(default)]
    effective_start_date: String,
    #[serde(default)]
    meter_name: String,
    #[serde(default)]
    product_name: String,
    #[serde(default)]
    sku_name: String,
    #[serde(default)]
    service_name: String,
    #[serde(default)]
    unit_of_measure: String,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    arm_sku_name: String,
}

pub fn covers(key: &str) -> bool {
    key.starts_with("vm/") || key.starts_with("vm-spot/") || is_tier_disk(key)
}

fn is_tier_disk(key: &str) -> bool {
    key.strip_prefix("disk/").is_some_and(|t| {
        let mut c = t.chars();
        matches!(c.next(), Some('p' | 'e' | 's')) && c.as_str().parse::<u32>().is_ok()
    })
}

fn queries(region: &str) -> [String; 2] {
    [
        format!(
            "serviceName eq 'Virtual Machines' and armRegionName eq '{region}' and priceType eq 'Consumption'"
        ),
        format!(
            "serviceName eq 'Storage' and armRegionName eq '{region}' and priceType eq 'Consumption' and contains(productName, 'Managed Disks')"
        ),
    ]
}

pub fn fetch(ctx: &Ctx, endpoint: &str) -> Result<Fresh> {
    let date = ctx.today.format("%Y-%m-%d").to_string();
    let base = super::http::join(endpoint, PATH)?;
    let mut fresh = Fresh::new(
        format!("azure-retail-prices-{date}"),
        Source {
            title: String::new(),
            url: Some(format!("{base}?api-version={API_VERSION}")),
            as_of: Some(date),
        },
        covers,
    );
    let mut effective = BTreeSet::new();
    for region in ctx.regions {
        for filter in queries(region) {
            let first = reqwest::Url::parse_with_params(
                &base,
                &[("api-version", API_VERSION), ("$filter", filter.as_str())],
            )
            .map_err(|e| miette::miette!(code = crate::error::Code::Cli, "bad endpoint: {e}"))?;
            for_each_item(ctx, first.to_string(), |item| {
                if item.arm_region_name == *region {
                    if let Some((key, unit, price)) = map_item(ctx, item) {
                        effective.insert(
                            item.effective_start_date
                                .get(..10)
                                .unwrap_or("")
                                .to_string(),
                        );
                        fresh.add(region, key, unit, price);
                    }
                }
            })?;
        }
    }
    let latest = effective.iter().next_back().cloned().unwrap_or_default();
    if let Some(s) = fresh.source.as_mut() {
        s.title = format!(
            "Azure Retail Prices API (api-version {API_VERSION}), Consumption Linux prices, \
             latest effectiveStartDate {latest}"
        );
    }
    Ok(fresh)
}

/// Follow `NextPageLink` from `url` until it is empty.
fn for_each_item(ctx: &Ctx, url: String, mut f: impl FnMut(&Item)) -> Result<()> {
    let mut next = Some(url);
    let mut seen = BTreeSet::new();
    while let Some(url) = next.take() {
        if !seen.insert(url.clone()) || seen.len() > MAX_PAGES {
            return Err(miette::miette!(
                code = crate::error::Code::PricingApi,
                help = "the old catalog was left unchanged",
                "the Azure price API keeps paging ({url} again or more than {MAX_PAGES} pages)"
            ));
        }
        let page: Page = ctx.http.get_json(&url)?;
        page.items.iter().for_each(&mut f);
        next = page.next.filter(|n| !n.trim().is_empty());
    }
    Ok(())
}

fn map_item(ctx: &Ctx, i: &Item) -> Option<(String, &'static str, Priced)> {
    if i.kind != "Consumption"
        || !i.currency_code.eq_ignore_ascii_case("USD")
        || i.retail_price <= Decimal::ZERO
        || i.product_name.contains("Windows")
    {
        return None;
    }
    let price = Priced::flat(i.retail_price);
    if i.service_name == "Virtual Machines" && i.unit_of_measure == "1 Hour" {
        if i.meter_name.ends_with(" Low Priority") || i.sku_name.ends_with(" Low Priority") {
            return None;
        }
        let size = i.arm_sku_name.to_ascii_lowercase();
        if size.is_empty() || !(ctx.wanted_type("vm/", &size) || ctx.wanted_type("vm-spot/", &size))
        {
            return None;
        }
        let spot = i.meter_name.ends_with(" Spot") || i.sku_name.ends_with(" Spot");
        let prefix = if spot { "vm-spot" } else { "vm" };
        return Some((format!("{prefix}/{size}"), "hour", price));
    }
    if i.product_name.ends_with("Managed Disks") && i.unit_of_measure == "1/Month" {
        let (tier, redundancy) = i.sku_name.split_once(' ')?;
        let key = format!("disk/{}", tier.to_ascii_lowercase());
        return (redundancy == "LRS" && is_tier_disk(&key) && i.meter_name.ends_with(" Disk"))
            .then_some((key, "month", price));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_tier_keys() {
        assert!(is_tier_disk("disk/p10"));
        assert!(is_tier_disk("disk/e4"));
        assert!(!is_tier_disk("disk/ultra/iops"));
        assert!(!is_tier_disk("disk/snapshot"));
        assert!(covers("vm-spot/standard_nc6s_v3"));
    }
}
