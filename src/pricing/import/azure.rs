//! Azure: VM pay-as-you-go Linux prices per region (karpenter-provider-azure table), spot
//! prices (anycloud catalog: no licence file, so used for spot only and cited), internet
//! egress tiers (coroot), managed disks in every region (flexera policy-template table).

use std::path::Path;

use super::{list_source, price, service_table, table, Imported};
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
    if let Some(t) = service_table(dir, "azure_managed_disks_flexera")? {
        managed_disks(&mut imp, &t)?;
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

/// Managed disks: the S/E/P tiers (LRS and ZRS) per disk-month, and the provisioned meters of
/// Premium SSD v2 and Ultra disks per hour (GiB, IOPS, MB/s), as the Retail Prices API states
/// them.
fn managed_disks(imp: &mut Imported, t: &super::Table) -> Result<()> {
    let id = imp.source(
        format!("imp-azure-disks-flexera-{}", t.date),
        list_source(
            t,
            "Azure managed disk prices per region (Standard HDD/SSD and Premium SSD tiers, LRS \
             and ZRS; Premium SSD v2 and Ultra provisioned capacity, IOPS and throughput), \
             flexera-public/policy_templates data/azure/azure_md_pricing.json, built from the \
             Azure Retail Prices API",
            "https://github.com/flexera-public/policy_templates",
            Some("MIT"),
        ),
    );
    let mut skipped = 0;
    for [r, key, unit, p] in t.records(["region", "key", "unit", "price"])? {
        let Some(p) = price(p) else { continue };
        let Some((k, u)) = disk_key(key, unit) else {
            skipped += 1;
            continue;
        };
        imp.flat(r, k, u, p, &id);
    }
    if skipped > 0 {
        imp.notes.push(format!(
            "{skipped} Azure managed-disk rows not used (snapshots, confidential encryption, \
             Ultra vCPU reservation)"
        ));
    }
    Ok(())
}

/// Flexera row key and unit → catalog key and unit (`P10_LRS` → `disk/p10`, `P10_ZRS` →
/// `disk/p10-zrs`, `ULTRA_LRS_PROVISIONED_IOPS` → `disk/ultra/iops-hour`).
fn disk_key(key: &str, unit: &str) -> Option<(String, &'static str)> {
    if let Some(rest) = key.strip_prefix("ULTRA_LRS_PROVISIONED_") {
        return provisioned("ultra", rest, unit);
    }
    if let Some(rest) = key.strip_prefix("PREMIUM_LRS_PROVISIONED_") {
        return provisioned("premium-v2", rest, unit);
    }
    let (tier, red) = key.split_once('_')?;
    let kind = tier.chars().next()?;
    if !matches!(kind, 'P' | 'E' | 'S') || !tier[1..].chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if unit != "1/Month" {
        return None;
    }
    let tier = tier.to_ascii_lowercase();
    match red {
        "LRS" => Some((format!("disk/{tier}"), "month")),
        "ZRS" => Some((format!("disk/{tier}-zrs"), "month")),
        _ => None,
    }
}

fn provisioned(kind: &str, what: &str, unit: &str) -> Option<(String, &'static str)> {
    let (k, u) = match (what, unit) {
        ("CAPACITY", "1 GiB/Hour") => ("gib-hour", "GiB-hour"),
        ("IOPS", "1/Hour") => ("iops-hour", "IOPS-hour"),
        ("THROUGHPUT_MBPS", "1/Hour") => ("mbps-hour", "MBps-hour"),
        _ => return None,
    };
    Some((format!("disk/{kind}/{k}"), u))
}

#[cfg(test)]
mod tests {
    use super::disk_key;

    #[test]
    fn disk_rows_become_catalog_keys() {
        let k = |a, b| disk_key(a, b).map(|(k, u)| format!("{k} {u}"));
        assert_eq!(k("P10_LRS", "1/Month").as_deref(), Some("disk/p10 month"));
        assert_eq!(
            k("E30_ZRS", "1/Month").as_deref(),
            Some("disk/e30-zrs month")
        );
        assert_eq!(
            k("ULTRA_LRS_PROVISIONED_CAPACITY", "1 GiB/Hour").as_deref(),
            Some("disk/ultra/gib-hour GiB-hour")
        );
        assert_eq!(
            k("PREMIUM_LRS_PROVISIONED_THROUGHPUT_MBPS", "1/Hour").as_deref(),
            Some("disk/premium-v2/mbps-hour MBps-hour")
        );
        assert_eq!(
            k("ULTRA_LRS_RESERVATION_PER_VCPU_PROVISIONED", "1/Hour"),
            None
        );
        assert_eq!(k("Instant_Access_Snapshots_LRS", "1 GB/Hour"), None);
    }
}
