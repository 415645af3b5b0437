//! Azure resource families and the helpers they share (VM sizes, Spot, managed-disk tiers).

pub mod azapi;
pub mod capacity_reservation;
pub mod cognitive_deployment;
pub mod container_registry;
pub mod kubernetes_node_pool;
pub mod machine_learning;
pub mod managed_disk;
pub mod nat_gateway;
pub mod private_endpoint;
pub mod public_ip;
pub mod storage_account;
pub mod virtual_machine;
pub mod vm_scale_set;

use super::aws::Nodes;
use super::family::Family;
use super::{dec, Component, Costing, GpuFacts, View};
use crate::money::Decimal;

/// The self-describing Azure families (one line per family file).
pub const FAMILIES: &[&Family] = &[
    &azapi::FAMILY,
    &container_registry::FAMILY,
    &nat_gateway::FAMILY,
    &private_endpoint::FAMILY,
    &public_ip::FAMILY,
];

/// The Azure registration list: the self-describing families, then the older ones by type.
pub fn family(rtype: &str) -> Option<fn(&View) -> Costing> {
    if let Some(f) = FAMILIES.iter().find(|f| f.types.contains(&rtype)) {
        return Some(f.cost);
    }
    Some(match rtype {
        "azurerm_linux_virtual_machine" | "azurerm_windows_virtual_machine" => {
            virtual_machine::cost
        }
        "azurerm_linux_virtual_machine_scale_set"
        | "azurerm_windows_virtual_machine_scale_set"
        | "azurerm_orchestrated_virtual_machine_scale_set" => vm_scale_set::cost,
        "azurerm_kubernetes_cluster_node_pool" => kubernetes_node_pool::cost,
        "azurerm_kubernetes_cluster" => kubernetes_node_pool::cost_default_pool,
        "azurerm_machine_learning_compute_cluster" => machine_learning::cost_cluster,
        "azurerm_machine_learning_compute_instance" => machine_learning::cost_instance,
        "azurerm_managed_disk" => managed_disk::cost,
        "azurerm_storage_account" => storage_account::cost,
        "azurerm_cognitive_deployment" => cognitive_deployment::cost,
        "azurerm_capacity_reservation" => capacity_reservation::cost,
        _ => return None,
    })
}

/// What a Windows VM or scale set leaves out: the catalog holds Linux rates only, so the
/// resource is partly priced (never a Windows VM at the Linux rate without saying so).
pub const WINDOWS_LICENCE: &str =
    "Windows Server licence not priced (the catalog holds Linux rates): compute shown at the \
     Linux rate, the licence is extra";

/// A configuration value shown in a reason: at most 64 characters (it comes from the PR).
pub fn short(s: &str) -> String {
    if s.chars().count() <= 64 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(63).collect::<String>())
    }
}

/// ARM size as the catalogs key it: lower case, with the `standard_` prefix.
pub fn size_key(size: &str) -> String {
    let s = size.to_ascii_lowercase();
    if s.starts_with("standard_") || s.starts_with("basic_") {
        s
    } else {
        format!("standard_{s}")
    }
}

/// VM hours for `nodes.desired` VMs of `size` (Spot from `vm-spot/` or the spot discount),
/// plus GPU facts from the machine catalog.
pub fn vm_compute(v: &View, c: &mut Costing, size: &str, nodes: Nodes, spot: bool, name: &str) {
    let k = size_key(size);
    let key = format!("vm/{k}");
    let retired = retired_size(&k);
    if !v.ctx.catalogs.knows("azure", &key) && v.ctx.catalogs.machine("azure", &k).is_none() {
        c.unpriced.push(match retired {
            Some((when, successor)) => format!(
                "retired size `{}` (retired {when}; no current price): the successor is {successor}",
                short(size)
            ),
            None => format!("unknown Azure VM size `{}`", short(size)),
        });
        return;
    }
    if let Some((when, successor)) = retired {
        c.notes.push(format!(
            "`{}` was retired {when} (successor: {successor}); priced from its last published \
             rate",
            short(size)
        ));
    }
    let label = format!("{name} ({}{size})", if spot { "spot, " } else { "" });
    let count = dec(nodes.desired);
    c.add(if spot {
        v.hourly_spot(label, &key, &format!("vm-spot/{k}"), count)
    } else {
        v.hourly(label, &key, count)
    });
    if let Some(g) = v
        .ctx
        .catalogs
        .machine("azure", &k)
        .and_then(|m| m.gpu.as_ref())
    {
        c.gpu = Some(GpuFacts::new(g, nodes.min, nodes.desired, nodes.max, spot));
    }
}

/// Retired GPU sizes (catalog key spelling, `_promo` variants included): when, and the
/// successor Azure names. Sizes without a current price are unpriced with this reason;
/// sizes the catalog still prices carry it as a note.
pub fn retired_size(k: &str) -> Option<(&'static str, &'static str)> {
    let base = k.strip_suffix("_promo").unwrap_or(k);
    let name = base.strip_prefix("standard_")?;
    Some(match name {
        "nc6" | "nc12" | "nc24" | "nc24r" => (
            "2023-09-06",
            "NCasT4_v3 (T4) or NC A100 v4 (`Standard_NC24ads_A100_v4`)",
        ),
        "nc6s_v2" | "nc12s_v2" | "nc24s_v2" | "nc24rs_v2" => {
            ("2023-09-06", "NC A100 v4 (`Standard_NC24ads_A100_v4`)")
        }
        "nd6s" | "nd12s" | "nd24s" | "nd24rs" => (
            "2023-09-06",
            "ND A100 v4 (`Standard_ND96asr_v4`) or NC A100 v4",
        ),
        "nv6" | "nv12" | "nv24" => ("2023-09-06", "NVadsA10 v5 (`Standard_NV36ads_A10_v5`)"),
        "nc6s_v3" | "nc12s_v3" | "nc24s_v3" | "nc24rs_v3" => (
            "2025-09-30",
            "NC A100 v4 (`Standard_NC24ads_A100_v4`) or NCads H100 v5",
        ),
        _ => return None,
    })
}

/// Tier sizes (GiB) of Premium SSD (P), Standard SSD (E) and Standard HDD (S) managed disks.
const TIERS: &[(u32, &str)] = &[
    (4, "1"),
    (8, "2"),
    (16, "3"),
    (32, "4"),
    (64, "6"),
    (128, "10"),
    (256, "15"),
    (512, "20"),
    (1024, "30"),
    (2048, "40"),
    (4096, "50"),
    (8192, "60"),
    (16384, "70"),
    (32767, "80"),
];

/// Catalog key of the tier a disk of `size_gb` is billed at: the smallest tier ≥ size
/// (Standard HDD starts at S4 = 32 GiB; ZRS tiers end in `-zrs`). `Err` for account types
/// without tiers.
pub fn disk_tier_key(account_type: &str, size_gb: Decimal) -> Result<String, String> {
    let at = account_type.to_ascii_lowercase();
    let zrs = if at.ends_with("_zrs") { "-zrs" } else { "" };
    let (prefix, min) = match at.as_str() {
        "premium_lrs" | "premium_zrs" => ("p", 4),
        "standardssd_lrs" | "standardssd_zrs" => ("e", 4),
        "standard_lrs" => ("s", 32),
        other => {
            return Err(format!(
            "disk type `{other}` is not priced by tier (Ultra/Premium v2 need IOPS and throughput)"
        ))
        }
    };
    TIERS
        .iter()
        .filter(|(gb, _)| *gb >= min)
        .find(|(gb, _)| Decimal::from(*gb) >= size_gb)
        .map(|(_, n)| format!("disk/{prefix}{n}{zrs}"))
        .ok_or_else(|| format!("{size_gb} GiB is larger than the largest managed disk tier"))
}

/// `count` managed disks of `size_gb` and `account_type`, billed at their tier's monthly price.
pub fn disk_component(
    v: &View,
    name: &str,
    account_type: &str,
    size_gb: Decimal,
    count: Decimal,
) -> Result<Component, String> {
    let key = disk_tier_key(account_type, size_gb)?;
    let tier = key
        .trim_start_matches("disk/")
        .trim_end_matches("-zrs")
        .to_ascii_uppercase();
    v.component(
        format!("{name} ({account_type} {tier}, {size_gb} GiB)"),
        &key,
        count,
        "disk-months",
    )
}

/// The OS disk of a VM-like resource (`os_disk.0`), for `count` VMs.
pub fn os_disk(v: &View, c: &mut Costing, count: Decimal) {
    let size = v
        .get("os_disk.0.disk_size_gb")
        .as_f64()
        .and_then(crate::money::from_f64);
    let Some(size) = size else {
        c.not_priced("OS disk size comes from the image; not priced".into());
        return;
    };
    let at = v
        .get("os_disk.0.storage_account_type")
        .as_str()
        .unwrap_or("Standard_LRS");
    c.add(disk_component(v, "OS disk", at, size, count));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_tiers_round_up() {
        let t = |a: &str, gb: u32| disk_tier_key(a, Decimal::from(gb));
        assert_eq!(t("Premium_LRS", 128).unwrap(), "disk/p10");
        assert_eq!(t("Premium_LRS", 129).unwrap(), "disk/p15");
        assert_eq!(t("Premium_ZRS", 129).unwrap(), "disk/p15-zrs");
        assert_eq!(t("StandardSSD_LRS", 1).unwrap(), "disk/e1");
        // Standard HDD starts at S4 (32 GiB).
        assert_eq!(t("Standard_LRS", 4).unwrap(), "disk/s4");
        assert_eq!(t("Standard_LRS", 1025).unwrap(), "disk/s40");
        assert!(t("Premium_LRS", 40000).is_err());
        assert!(t("UltraSSD_LRS", 10).is_err());
    }

    #[test]
    fn retired_sizes_name_their_successor() {
        assert!(retired_size("standard_nc6_promo")
            .unwrap()
            .1
            .contains("NCasT4_v3"));
        assert_eq!(retired_size("standard_nv24").unwrap().0, "2023-09-06");
        assert!(retired_size("standard_nc24ads_a100_v4").is_none());
    }

    #[test]
    fn size_keys() {
        assert_eq!(size_key("Standard_NC6s_v3"), "standard_nc6s_v3");
        assert_eq!(size_key("NC6s_v3"), "standard_nc6s_v3");
    }
}
