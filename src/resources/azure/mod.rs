//! Azure resource families and the helpers they share (VM sizes, Spot, managed-disk tiers).

pub mod capacity_reservation;
pub mod cognitive_deployment;
pub mod kubernetes_node_pool;
pub mod machine_learning;
pub mod managed_disk;
pub mod storage_account;
pub mod virtual_machine;
pub mod vm_scale_set;

use super::aws::Nodes;
use super::{dec, Component, Costing, GpuFacts, View};
use crate::money::Decimal;

/// The Azure registration list.
pub fn family(rtype: &str) -> Option<fn(&View) -> Costing> {
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
    if !v.ctx.catalogs.knows("azure", &key) && v.ctx.catalogs.machine("azure", &k).is_none() {
        c.unpriced.push(format!("unknown Azure VM size `{size}`"));
        return;
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
/// (Standard HDD starts at S4 = 32 GiB). `Err` for account types without tiers.
pub fn disk_tier_key(account_type: &str, size_gb: Decimal) -> Result<String, String> {
    let (prefix, min) = match account_type.to_ascii_lowercase().as_str() {
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
        .map(|(_, n)| format!("disk/{prefix}{n}"))
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
    let tier = key.trim_start_matches("disk/").to_ascii_uppercase();
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
        assert_eq!(t("StandardSSD_LRS", 1).unwrap(), "disk/e1");
        // Standard HDD starts at S4 (32 GiB).
        assert_eq!(t("Standard_LRS", 4).unwrap(), "disk/s4");
        assert_eq!(t("Standard_LRS", 1025).unwrap(), "disk/s40");
        assert!(t("Premium_LRS", 40000).is_err());
        assert!(t("UltraSSD_LRS", 10).is_err());
    }

    #[test]
    fn size_keys() {
        assert_eq!(size_key("Standard_NC6s_v3"), "standard_nc6s_v3");
        assert_eq!(size_key("NC6s_v3"), "standard_nc6s_v3");
    }
}
