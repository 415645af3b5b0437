//! Azure: VM pay-as-you-go Linux prices per region (karpenter-provider-azure table), spot
//! prices (anycloud catalog: no licence file, so used for spot only and cited), internet
//! egress tiers (coroot).

use std::path::Path;

use super::{list_source, price, table, Imported};
use crate::error::Result;
use crate::money::Decimal;

pub fn import(dir: &Path) -> Result<Imported> {
    let mut imp = Imported::new("azure");
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
        for [r, size, p] in t.records(["region", "vm_size", "usd_per_hour"])? {
            if let Some(p) = price(p) {
                imp.flat(
                    r,
                    format!("vm/{}", size.to_ascii_lowercase()),
                    "hour",
                    p,
                    &id,
                );
            }
        }
    }
    if let Some(t) = table(dir, "azure-vm-anycloud-")? {
        let id = imp.source(
            format!("imp-azure-anycloud-spot-{}", t.date),
            list_source(
                &t,
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
