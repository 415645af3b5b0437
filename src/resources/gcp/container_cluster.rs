//! `google_container_cluster`: the cluster management fee (one cluster-hour per hour, every
//! mode) plus the VMs of the node pools the cluster itself runs: the default pool
//! (`initial_node_count` per zone of `node_config`, unless `remove_default_node_pool = true`
//! or `node_pool` blocks replace it) and inline `node_pool` blocks, priced with the same
//! pool logic as `google_container_node_pool`. Pools managed by their own
//! `google_container_node_pool` resources also appear in the cluster's state; they are
//! priced there and skipped here.
//!
//! Assumption: the GKE free tier (a $74.40 monthly credit per billing account, which covers
//! one zonal or Autopilot cluster) is not applied — it belongs to the billing account, not
//! to a cluster. Autopilot pod resources are billed per Pod request, which Terraform does not
//! show: only the fee is priced and a note says so.

use crate::money::Decimal;
use crate::resources::{Costing, GpuFacts, Side, View};

use super::container_node_pool::{cluster_zones, pool, pool_zones};
use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "google_container_cluster",
    cloud: Cloud::Gcp,
    types: &["google_container_cluster"],
    reads: &[
        "autoscaling",
        "enable_autopilot",
        "initial_node_count",
        "location",
        "node_config.0",
        "node_config.0.disk_size_gb",
        "node_config.0.disk_type",
        "node_config.0.guest_accelerator",
        "node_config.0.machine_type",
        "node_config.0.preemptible",
        "node_config.0.spot",
        "node_count",
        "node_locations",
        "node_pool",
        "node_pool.0.autoscaling",
        "node_pool.0.initial_node_count",
        "node_pool.0.node_config.0.disk_size_gb",
        "node_pool.0.node_config.0.disk_type",
        "node_pool.0.node_config.0.guest_accelerator",
        "node_pool.0.node_config.0.machine_type",
        "node_pool.0.node_config.0.preemptible",
        "node_pool.0.node_config.0.spot",
        "node_pool.0.node_count",
        "node_pool.0.node_locations",
        "node_pool.1.autoscaling",
        "node_pool.1.autoscaling.0.max_node_count",
        "node_pool.1.autoscaling.0.min_node_count",
        "node_pool.1.autoscaling.0.total_max_node_count",
        "node_pool.1.autoscaling.0.total_min_node_count",
        "node_pool.1.initial_node_count",
        "node_pool.1.node_config.0.disk_size_gb",
        "node_pool.1.node_config.0.disk_type",
        "node_pool.1.node_config.0.guest_accelerator",
        "node_pool.1.node_config.0.machine_type",
        "node_pool.1.node_config.0.preemptible",
        "node_pool.1.node_config.0.spot",
        "node_pool.1.node_count",
        "node_pool.1.node_locations",
        "remove_default_node_pool",
    ],
    price_keys: &[
        "gce/{machine_type}",
        "gke/cluster-hour",
        "gpu/{accelerator}",
        "pd/{disk_type}/storage",
    ],
    usage: &[MONTHLY_HOURS],
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    c.add(v.hourly("cluster management fee", "gke/cluster-hour", Decimal::ONE));
    c.notes.push(
        "GKE free tier ($74.40/month per billing account: one zonal or Autopilot cluster) not \
         applied"
            .into(),
    );
    if v.get("enable_autopilot").as_bool() == Some(true) {
        c.notes.push(
            "Autopilot: Pod CPU, memory and GPU requests are billed per use and not modelled; \
             only the management fee is priced"
                .into(),
        );
        return c;
    }
    let inline = v.get("node_pool").as_array();
    if inline.is_empty() {
        default_pool(v, &mut c);
    } else {
        let separate = separately_managed_pools(v);
        for (i, np) in inline.iter().enumerate() {
            let name = np.get("name").and_then(|n| n.as_str()).unwrap_or("");
            if !name.is_empty() && separate.iter().any(|s| s == name) {
                continue;
            }
            let shown = if name.is_empty() {
                i.to_string()
            } else {
                name.to_string()
            };
            let p = format!("node_pool.{i}.");
            let zones = pool_zones(v, &p, Some(v), &mut c.notes);
            merge(&mut c, pool(v, &p, zones, &format!("pool {shown}: ")));
        }
    }
    c
}

/// The pool GKE creates when no `node_pool` block is given.
fn default_pool(v: &View, c: &mut Costing) {
    if v.get("remove_default_node_pool").as_bool() == Some(true) {
        c.notes.push(
            "remove_default_node_pool = true: the default pool is deleted after creation".into(),
        );
        return;
    }
    let zones = cluster_zones(v, &mut c.notes);
    merge(c, pool(v, "", zones, "default pool: "));
}

/// Names of pools that `google_container_node_pool` resources manage in this cluster.
fn separately_managed_pools(v: &View) -> Vec<String> {
    let mut names = Vec::new();
    for r in &v.ctx.project.resources {
        if r.rtype != "google_container_node_pool" {
            continue;
        }
        let Some(pv) = View::new(r, v.ctx, v.side).or_else(|| View::new(r, v.ctx, Side::After))
        else {
            continue;
        };
        let ours = pv
            .linked(&["cluster"], &["name", "id"])
            .is_some_and(|cl| std::ptr::eq(cl.res, v.res));
        if let (true, Some(n)) = (ours, pv.get("name").as_str()) {
            names.push(n.to_string());
        }
    }
    names
}

/// Add one pool's costing to the cluster's.
fn merge(c: &mut Costing, p: Costing) {
    c.components.extend(p.components);
    c.unpriced.extend(p.unpriced);
    c.notes.extend(p.notes);
    c.gpu = match (c.gpu.take(), p.gpu) {
        (None, g) | (g, None) => g,
        (Some(a), Some(b)) => Some(merge_gpus(a, b, &mut c.notes)),
    };
    c.idle = match (c.idle.take(), p.idle) {
        (None, i) | (i, None) => i,
        // A pool that keeps GPU nodes running when idle decides for the cluster.
        (Some(a), Some(b)) => Some(if a.autopause == "missing" { a } else { b }),
    };
}

/// GPU facts of two pools: summed when they carry the same GPUs per node; otherwise the
/// larger pool's facts are kept and the other is named in a note (one model per resource).
fn merge_gpus(a: GpuFacts, b: GpuFacts, notes: &mut Vec<String>) -> GpuFacts {
    if a.model == b.model && a.per_node == b.per_node {
        return GpuFacts {
            nodes_min: a.nodes_min + b.nodes_min,
            nodes_desired: a.nodes_desired + b.nodes_desired,
            nodes_max: a.nodes_max + b.nodes_max,
            count: a.count + b.count,
            max_count: a.max_count + b.max_count,
            spot: a.spot && b.spot,
            ..a
        };
    }
    let (keep, other) = if b.max_count > a.max_count {
        (b, a)
    } else {
        (a, b)
    };
    notes.push(format!(
        "GPU facts show the {} pool; another pool also runs {} × {} (up to {})",
        keep.model, other.count, other.model, other.max_count
    ));
    keep
}
