//! `databricks_instance_pool`: `min_idle_instances` VMs of `node_type_id` run all the time
//! (priced in the node type's cloud, like clusters); up to `max_capacity`. DBUs not included.

use crate::resources::aws::Nodes;
use crate::resources::{whole, Costing, IdleFacts, View};

use super::cluster::price_nodes;
use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "databricks_instance_pool",
    cloud: Cloud::Databricks,
    types: &["databricks_instance_pool"],
    reads: &["max_capacity", "min_idle_instances", "node_type_id"],
    price_keys: &["ec2/{instance_type}"],
    usage: &[MONTHLY_HOURS],
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let node_type = match v.required_str("node_type_id") {
        Ok(t) => t,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let min = match v.num_or("min_idle_instances", rust_decimal::Decimal::ZERO) {
        Ok(n) => whole(n),
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let max = v
        .get("max_capacity")
        .as_f64()
        .map(|m| m.max(0.0) as u64)
        .unwrap_or(min)
        .max(min);
    let nodes = Nodes {
        min,
        desired: min,
        max,
    };
    let p = price_nodes(v, node_type, nodes, false, "idle instances");
    c.components = p.components;
    c.unpriced = p.unpriced;
    c.notes = p.notes;
    c.gpu = p.gpu;
    c.notes
        .push("VM cost only: Databricks DBUs are billed on top and not included".into());
    if c.gpu.is_some() {
        c.idle = Some(IdleFacts::scale_floor(min, "min_idle_instances"));
    }
    c
}
