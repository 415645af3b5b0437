//! `azurerm_kubernetes_cluster_node_pool` and the `default_node_pool` of
//! `azurerm_kubernetes_cluster`: `node_count` (a total, not per zone) VMs of `vm_size`; with
//! autoscaling (`auto_scaling_enabled`, or `enable_auto_scaling` before azurerm 4.0) the pool
//! is priced at its known `node_count`, else `min_count`. Spot pools use the spot price.
//! Managed OS disks (default 128 GiB) are priced as Premium SSD; Ephemeral ones are free.
//! The cluster's control plane: the Free tier has no fee, the Standard tier is priced per
//! cluster-hour, other tiers (Premium) are unpriced with the reason.

use crate::money::Decimal;
use crate::resources::aws::Nodes;
use crate::resources::{dec, Costing, IdleFacts, View};

use super::{disk_component, vm_compute};
use crate::resources::family::*;

pub const CLUSTER: Family = Family {
    name: "azurerm_kubernetes_cluster",
    cloud: Cloud::Azure,
    types: &["azurerm_kubernetes_cluster"],
    reads: &[
        "default_node_pool.0.auto_scaling_enabled",
        "default_node_pool.0.enable_auto_scaling",
        "default_node_pool.0.max_count",
        "default_node_pool.0.min_count",
        "default_node_pool.0.node_count",
        "default_node_pool.0.os_disk_size_gb",
        "default_node_pool.0.os_disk_type",
        "default_node_pool.0.priority",
        "default_node_pool.0.vm_size",
        "sku_tier",
    ],
    price_keys: &["aks/standard-tier-hour", "disk/{tier}", "vm/{size}"],
    usage: &[MONTHLY_HOURS],
    cost: cost_default_pool,
    ..Family::DEFAULTS
};

pub const FAMILY: Family = Family {
    name: "azurerm_kubernetes_cluster_node_pool",
    cloud: Cloud::Azure,
    types: &["azurerm_kubernetes_cluster_node_pool"],
    reads: &[
        "auto_scaling_enabled",
        "enable_auto_scaling",
        "max_count",
        "min_count",
        "node_count",
        "os_disk_size_gb",
        "os_disk_type",
        "priority",
        "vm_size",
    ],
    price_keys: &["disk/{tier}", "vm-spot/{size}", "vm/{size}"],
    usage: &[MONTHLY_HOURS],
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    pool(v, "")
}

pub fn cost_default_pool(v: &View) -> Costing {
    let mut c = pool(v, "default_node_pool.0.");
    match v.get("sku_tier").as_str().unwrap_or("Free") {
        "Free" => c
            .notes
            .push("Free tier: no control-plane fee; default node pool priced".into()),
        "Standard" => c.add(v.hourly(
            "control plane (Standard tier)",
            "aks/standard-tier-hour",
            Decimal::ONE,
        )),
        other => c.unpriced.push(format!(
            "the AKS {other} tier control-plane fee has no price in the catalog"
        )),
    }
    c
}

fn pool(v: &View, p: &str) -> Costing {
    let mut c = Costing::default();
    let auto = ["auto_scaling_enabled", "enable_auto_scaling"]
        .iter()
        .any(|k| v.get(&format!("{p}{k}")).as_bool() == Some(true));
    // Unknown or unset counts are `None`.
    let num = |k: &str| {
        v.get(&format!("{p}{k}"))
            .as_f64()
            .map(|n| n.max(0.0) as u64)
    };
    let (count, min, max) = (num("node_count"), num("min_count"), num("max_count"));
    let nodes = match (auto, count, count.or(min)) {
        (true, _, Some(n)) => Nodes {
            min: min.unwrap_or(n),
            desired: n,
            max: max.unwrap_or(n).max(n),
        },
        (false, Some(n), _) => Nodes {
            min: n,
            desired: n,
            max: n,
        },
        _ => {
            c.unpriced.push(format!(
                "`{p}node_count` is unknown until apply{}",
                if auto {
                    " and `min_count` is not set"
                } else {
                    ""
                }
            ));
            return c;
        }
    };
    let spot = v.get(&format!("{p}priority")).as_str() == Some("Spot");
    match v.required_str(&format!("{p}vm_size")) {
        Ok(s) => vm_compute(v, &mut c, s, nodes, spot, "nodes"),
        Err(e) => c.unpriced.push(e),
    }
    if v.get(&format!("{p}os_disk_type")).as_str() == Some("Ephemeral") {
        c.notes
            .push("ephemeral OS disks use the VM's local storage: no disk charge".into());
    } else {
        let size = v
            .get(&format!("{p}os_disk_size_gb"))
            .as_f64()
            .and_then(crate::money::from_f64)
            .unwrap_or(Decimal::from(128));
        c.notes.push(
            "managed OS disks priced as Premium SSD (AKS default for premium-capable sizes)".into(),
        );
        c.add(disk_component(
            v,
            "node OS disks",
            "Premium_LRS",
            size,
            dec(nodes.desired),
        ));
    }
    if c.gpu.is_some() {
        c.idle = Some(IdleFacts::scale_floor(nodes.min, "min_count"));
    }
    c
}
