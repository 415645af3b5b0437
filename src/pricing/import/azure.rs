//! Azure: VM pay-as-you-go Linux prices per region (karpenter-provider-azure table), spot
//! prices (anycloud catalog: no licence file, so used for spot only and cited), internet
//! egress tiers (coroot).

use std::path::Path;

use super::{list_source, price, table, Imported};
use crate::error::Result;
use crate::money::Decimal;

pub fn import(dir: &Path) -> Result<Imported> {
    let mut imp = Imported::new("azure");
    let any = table(dir, "azure-vm-anycloud-")?;
    // anycloud's on-demand column is not used as a price, only as a check: a karpenter row
    // more than 25 % above it is the Windows price of the size (measured: 1,528 rows, all
    // higher, mostly AMD `as_v5` sizes) and is left out, so the size is unpriced there.
    let mut check: std::collections::BTreeMap<(String, String), Decimal> = Default::default();
    if let Some(t) = &any {
        for [r, size, p] in t.records(["region", "vm_size", "ondemand_usd_per_hour"])? {
            if let Some(p) = price(p) {
                check.insert((r.to_string(), size.to_ascii_lowercase()), p);
            }
        }
    }
    if let Some(t) = table(dir, "azure-vm-ondemand-karpenter-")? {
        let id = imp.source(
            format!("imp-azure-karpenter-{}", t.date),
            list_source(
                &t,
                "Azure VM pay-as-you-go Linux, generated from the Azure Retail Prices API by \
                 Azure/karpenter-provider-azure",
                "https://github.com/Azure/karpenter-provider-azure",
                Some("Apache-2.0"),
            ),
        );
        let mut dropped = 0;
        for [r, size, p] in t.records(["region", "vm_size", "usd_per_hour"])? {
            let size = size.to_ascii_lowercase();
            if let Some(p) = price(p) {
                let limit = check
                    .get(&(r.to_string(), size.clone()))
                    .map(|c| *c * Decimal::new(125, 2));
                if limit.is_some_and(|l| p > l) {
                    dropped += 1;
                    continue;
                }
                imp.flat(r, format!("vm/{size}"), "hour", p, &id);
            }
        }
        if dropped > 0 {
            imp.notes.push(format!(
                "{dropped} Azure on-demand rows left out: more than 25% above the anycloud \
                 on-demand price of the same size and region (Windows prices in the table)"
            ));
        }
    }
    if let Some(t) = &any {
        let id = imp.source(
            format!("imp-azure-anycloud-spot-{}", t.date),
            list_source(
                t,
                "Azure VM Spot Linux prices, anycloud-sh/catalog (SkyPilot catalog format); the \
                 repository has no licence file, so only its spot column is used, cited here; \
                 spot prices float, this is a snapshot",
                "https://github.com/anycloud-sh/catalog",
                Some("none stated: facts cited, on-demand column not used"),
            ),
        );
        for [r, size, p] in t.records(["region", "vm_size", "spot_usd_per_hour"])? {
            if let Some(p) = price(p) {
                imp.flat(
                    r,
                    format!("vm-spot/{}", size.to_ascii_lowercase()),
                    "hour",
                    p,
                    &id,
                );
            }
        }
    }
    if let Some(t) = table(dir, "egress-internet-coroot-")? {
        super::aws::egress_tiers(&mut imp, &t, "azure", Some(Decimal::ONE_HUNDRED))?;
    }
    let facts: Vec<_> = imp
        .prices
        .values()
        .flat_map(|m| m.keys())
        .filter_map(|k| k.strip_prefix("vm/").or_else(|| k.strip_prefix("vm-spot/")))
        .filter_map(|t| super::facts::azure(t).map(|s| (t.to_string(), s)))
        .collect();
    imp.machines.extend(facts);
    Ok(imp)
}
