//! Azure Machine Learning computes.
//!
//! * `azurerm_machine_learning_compute_cluster`: `vm_size` nodes, priced at
//!   `scale_settings.min_node_count` (the floor that always runs); GPU facts carry min and max.
//!   `vm_priority = LowPriority` is priced like Spot.
//! * `azurerm_machine_learning_compute_instance`: one `virtual_machine_size` VM. azurerm has no
//!   idle-shutdown argument, so its idle behaviour cannot be verified from Terraform.
//!
//! The AML service itself adds no charge; managed OS disks of computes are not modelled.

use crate::resources::aws::Nodes;
use crate::resources::{Costing, IdleFacts, View};

use super::vm_compute;
use crate::resources::family::*;

pub const INSTANCE: Family = Family {
    name: "azurerm_machine_learning_compute_instance",
    cloud: Cloud::Azure,
    types: &["azurerm_machine_learning_compute_instance"],
    reads: &["virtual_machine_size"],
    price_keys: &["vm/{size}"],
    usage: &[MONTHLY_HOURS],
    force_new: &["virtual_machine_size", "tags"],
    cost: cost_instance,
    ..Family::DEFAULTS
};

pub const CLUSTER: Family = Family {
    name: "azurerm_machine_learning_compute_cluster",
    cloud: Cloud::Azure,
    types: &["azurerm_machine_learning_compute_cluster"],
    reads: &[
        "scale_settings.0.max_node_count",
        "scale_settings.0.min_node_count",
        "vm_priority",
        "vm_size",
    ],
    price_keys: &["vm-spot/{size}"],
    usage: &[MONTHLY_HOURS],
    cost: cost_cluster,
    ..Family::DEFAULTS
};

pub fn cost_cluster(v: &View) -> Costing {
    let mut c = Costing::default();
    let n = |k: &str| -> Result<u64, String> {
        let f = v.get(&format!("scale_settings.0.{k}"));
        if f.is_unknown() {
            return Err(format!("`scale_settings.{k}` is unknown until apply"));
        }
        Ok(f.as_f64().map(|x| x.max(0.0) as u64).unwrap_or(0))
    };
    let nodes = match (n("min_node_count"), n("max_node_count")) {
        (Ok(min), Ok(max)) => Nodes {
            min,
            desired: min,
            max: max.max(min),
        },
        (Err(e), _) | (_, Err(e)) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let low = v.get("vm_priority").as_str() == Some("LowPriority");
    match v.required_str("vm_size") {
        Ok(s) => vm_compute(v, &mut c, s, nodes, low, "nodes at min_node_count"),
        Err(e) => c.unpriced.push(e),
    }
    if nodes.max > nodes.min {
        c.notes.push(format!(
            "priced at min_node_count = {}; scales up to {} nodes while jobs run",
            nodes.min, nodes.max
        ));
    }
    if c.gpu.is_some() {
        c.idle = Some(IdleFacts::scale_floor(
            nodes.min,
            "scale_settings.min_node_count",
        ));
    }
    c
}

pub fn cost_instance(v: &View) -> Costing {
    let mut c = Costing::default();
    match v.required_str("virtual_machine_size") {
        Ok(s) => vm_compute(v, &mut c, s, Nodes::one(), false, "compute instance"),
        Err(e) => c.unpriced.push(e),
    }
    c.idle = Some(IdleFacts {
        interactive: true,
        autopause: "unknown",
        detail: "cannot verify from Terraform: azurerm has no idle-shutdown argument for compute \
                 instances (set idleTimeBeforeShutdown via azapi)"
            .into(),
    });
    c
}
