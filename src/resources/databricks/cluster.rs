//! `databricks_cluster`: the driver plus `num_workers` (or `autoscale.min_workers`) worker VMs,
//! priced as VM hours in the cloud the node type belongs to (`node_type_id`, and
//! `driver_node_type_id` defaulting to it; an `instance_pool_id` lends its pool's node type).
//! The Databricks provider has no region, so the cloud's default region is used. DBUs are
//! not included. Idle facts come from `autotermination_minutes` (default 60; 0 disables).

use crate::resources::aws::{ec2_compute, Nodes};
use crate::resources::{azure, default_region, gcp, Costing, IdleFacts, View};

use super::cloud_of_node_type;
use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "databricks_cluster",
    cloud: Cloud::Databricks,
    types: &["databricks_cluster"],
    reads: &[
        "autoscale",
        "autoscale.0.max_workers",
        "autoscale.0.min_workers",
        "autotermination_minutes",
        "aws_attributes.0.availability",
        "azure_attributes.0.availability",
        "driver_node_type_id",
        "gcp_attributes.0.availability",
        "instance_pool_id",
        "node_type_id",
        "num_workers",
    ],
    price_keys: &[
        "ec2/{instance_type}",
        "gce-spot/{machine_type}",
        "gce/{machine_type}",
        "vm/{size}",
    ],
    usage: &[MONTHLY_HOURS],
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let pool = v.linked(&["instance_pool_id"], &["id", "instance_pool_id"]);
    let worker = match (v.required_str("node_type_id"), &pool) {
        (Ok(t), _) => t,
        (Err(_), Some(p)) if p.get("node_type_id").as_str().is_some() => {
            p.get("node_type_id").as_str().unwrap_or_default()
        }
        (Err(e), _) => {
            c.unpriced.push(e);
            c.idle = Some(idle(v));
            return c;
        }
    };
    let driver = v.get("driver_node_type_id").as_str().unwrap_or(worker);
    let workers = match workers(v) {
        Ok(w) => w,
        Err(e) => {
            c.unpriced.push(e);
            c.idle = Some(idle(v));
            return c;
        }
    };
    let spot = workers_spot(v);
    let mut w = price_nodes(v, worker, workers, spot, "workers");
    let d = price_nodes(v, driver, Nodes::one(), false, "driver");
    c.components
        .extend(w.components.drain(..).chain(d.components));
    c.unpriced.extend(w.unpriced.drain(..).chain(d.unpriced));
    c.notes.extend(w.notes.drain(..).chain(d.notes));
    c.gpu = merge_gpu(w.gpu, d.gpu);
    if workers.max > workers.desired {
        c.notes.push(format!(
            "autoscaling: priced at {} workers, up to {}",
            workers.desired, workers.max
        ));
    }
    c.notes
        .push("VM cost only: Databricks DBUs are billed on top and not included".into());
    c.idle = Some(idle(v));
    c
}

/// Workers: fixed `num_workers`, or autoscale min (priced) to max.
fn workers(v: &View) -> Result<Nodes, String> {
    if !v.get("autoscale").as_array().is_empty() {
        let n = |k: &str| -> Result<u64, String> {
            let f = v.get(&format!("autoscale.0.{k}"));
            if f.is_unknown() {
                return Err(format!("`autoscale.{k}` is unknown until apply"));
            }
            Ok(f.as_f64().map(|x| x.max(0.0) as u64).unwrap_or(0))
        };
        let (min, max) = (n("min_workers")?, n("max_workers")?);
        return Ok(Nodes {
            min,
            desired: min,
            max: max.max(min),
        });
    }
    let n = v
        .num_or("num_workers", rust_decimal::Decimal::ZERO)
        .map(crate::resources::whole)?;
    Ok(Nodes {
        min: n,
        desired: n,
        max: n,
    })
}

/// Workers run on spot when the cloud attributes ask for it (the driver stays on-demand:
/// `first_on_demand` defaults to 1 on AWS).
fn workers_spot(v: &View) -> bool {
    ["aws_attributes", "azure_attributes", "gcp_attributes"]
        .iter()
        .filter_map(|a| v.get(&format!("{a}.0.availability")).as_str())
        .any(|s| s.starts_with("SPOT") || s.starts_with("PREEMPTIBLE"))
}

/// Price `nodes` of `node_type` in its own cloud's catalog.
pub fn price_nodes(v: &View, node_type: &str, nodes: Nodes, spot: bool, name: &str) -> Costing {
    let mut c = Costing::default();
    let Some(cloud) = cloud_of_node_type(node_type) else {
        c.unpriced.push(format!(
            "cannot tell which cloud node type `{node_type}` belongs to"
        ));
        return c;
    };
    let region = v
        .res
        .region
        .clone()
        .unwrap_or_else(|| default_region(cloud).to_string());
    let vm = View {
        res: v.res,
        attrs: v.attrs,
        ctx: v.ctx,
        side: v.side,
        cloud,
        region,
        recorder: v.recorder.clone(),
    };
    match cloud {
        "aws" => ec2_compute(&vm, &mut c, node_type, nodes, spot, name),
        "azure" => azure::vm_compute(&vm, &mut c, node_type, nodes, spot, name),
        _ => gcp::gce_compute(&vm, &mut c, node_type, &[], nodes, spot, name),
    }
    if name != "workers" && c.unpriced.is_empty() {
        c.notes
            .push(format!("priced as {cloud} {node_type} in {}", vm.region));
    }
    c
}

/// Worker and driver GPUs of the same model add up; otherwise the workers' GPUs are reported.
fn merge_gpu(
    w: Option<crate::resources::GpuFacts>,
    d: Option<crate::resources::GpuFacts>,
) -> Option<crate::resources::GpuFacts> {
    match (w, d) {
        (Some(mut w), Some(d)) if w.model == d.model && w.per_node == d.per_node => {
            w.nodes_min += 1;
            w.nodes_desired += 1;
            w.nodes_max += 1;
            w.count = round3(w.count + d.count);
            w.max_count = round3(w.max_count + d.count);
            Some(w)
        }
        (Some(w), _) => Some(w),
        (None, d) => d,
    }
}

fn round3(f: f64) -> f64 {
    (f * 1000.0).round() / 1000.0
}

fn idle(v: &View) -> IdleFacts {
    let (autopause, detail) = match v.get("autotermination_minutes") {
        f if f.is_unknown() => (
            "unknown",
            "autotermination_minutes is unknown until apply".to_string(),
        ),
        f => match f.as_f64() {
            Some(m) if m > 0.0 => ("configured", format!("terminates after {m} idle minutes")),
            Some(_) => (
                "missing",
                "autotermination_minutes = 0 disables auto-termination".into(),
            ),
            None => (
                "default-on",
                "autotermination_minutes not set: Databricks terminates after 60 idle minutes"
                    .into(),
            ),
        },
    };
    IdleFacts {
        interactive: true,
        autopause,
        detail,
    }
}
