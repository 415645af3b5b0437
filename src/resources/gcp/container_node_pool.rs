//! GKE node pools: `google_container_node_pool`, and (through [`pool`]) the default and
//! inline `node_pool` blocks of `google_container_cluster`. A pool is `node_count` (per zone)
//! × zones of `node_config.machine_type`, attached GPUs, Spot/preemptible nodes and node boot
//! disks. With `autoscaling`, min/max are per zone (`min_node_count`) or for the whole pool
//! (`total_min_node_count`); the pool is priced at its known node count, else
//! `initial_node_count`, else the minimum.

use std::collections::BTreeSet;

use crate::money::Decimal;
use crate::resources::aws::Nodes;
use crate::resources::{dec, Costing, IdleFacts, View};

use super::{gce_compute, guest_accelerators, pd_storage};
use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "google_container_node_pool",
    cloud: Cloud::Gcp,
    types: &["google_container_node_pool"],
    reads: &[
        "autoscaling",
        "autoscaling.0.max_node_count",
        "autoscaling.0.min_node_count",
        "autoscaling.0.total_max_node_count",
        "autoscaling.0.total_min_node_count",
        "cluster",
        "initial_node_count",
        "location",
        "node_config.0.disk_size_gb",
        "node_config.0.disk_type",
        "node_config.0.guest_accelerator",
        "node_config.0.machine_type",
        "node_config.0.preemptible",
        "node_config.0.spot",
        "node_count",
        "node_locations",
    ],
    price_keys: &[
        "gce-spot/{machine_type}",
        "gce/{machine_type}",
        "gpu/{accelerator}",
        "pd/{disk_type}/storage",
    ],
    usage: &[MONTHLY_HOURS],
    taggable: false,
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let cluster = v.linked(&["cluster"], &["name", "id"]);
    let mut notes = Vec::new();
    let zones = pool_zones(v, "", cluster.as_ref(), &mut notes);
    let mut c = pool(v, "", zones, "");
    notes.append(&mut c.notes);
    c.notes = notes;
    c
}

/// One pool whose attributes sit under `p` (`""` for a pool resource or a cluster's default
/// pool, `node_pool.1.` for an inline pool), spread over `zones`. `label` prefixes component
/// names (`""` or `pool gpu: `).
pub fn pool(v: &View, p: &str, zones: u64, label: &str) -> Costing {
    let mut c = Costing::default();
    let nodes = match node_range(v, p, zones) {
        Ok(n) => n,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let nc = format!("{p}node_config.0");
    let spot = v.get(&format!("{nc}.spot")).as_bool() == Some(true)
        || v.get(&format!("{nc}.preemptible")).as_bool() == Some(true);
    let mt = format!("{nc}.machine_type");
    let machine = match v.get(&mt).as_str() {
        Some(m) => m,
        // Unknown until apply (from a variable without a value, another resource...): not
        // priced, never the default machine type.
        None if v.unknown_from_config(&mt) || v.unknown_from_config(&nc) => {
            c.unpriced.push(format!(
                "{label}node_config.machine_type is unknown until apply; not priced"
            ));
            return c;
        }
        // Not set: GKE's documented default machine type.
        None => {
            c.notes.push(format!(
                "{label}node_config.machine_type not set: GKE uses e2-medium"
            ));
            "e2-medium"
        }
    };
    let accels = guest_accelerators(v, &format!("{nc}.guest_accelerator"));
    gce_compute(
        v,
        &mut c,
        machine,
        &accels,
        nodes,
        spot,
        &format!("{label}nodes"),
    );

    let size = v
        .get(&format!("{nc}.disk_size_gb"))
        .as_f64()
        .and_then(crate::money::from_f64)
        .unwrap_or_else(|| {
            c.notes
                .push(format!("{label}node disk size not set: GKE uses 100 GB"));
            Decimal::from(100)
        });
    let dtype = v
        .get(&format!("{nc}.disk_type"))
        .as_str()
        .unwrap_or_else(|| {
            c.notes.push(format!(
                "{label}node disk type not set: GKE uses pd-balanced"
            ));
            "pd-balanced"
        });
    pd_storage(
        v,
        &mut c,
        &format!("{label}node boot disks"),
        dtype,
        size,
        dec(nodes.desired),
    );

    if c.gpu.is_some() {
        c.idle = Some(IdleFacts::scale_floor(
            nodes.min,
            "autoscaling min_node_count",
        ));
    }
    c
}

/// Zones a pool's per-zone counts apply to: its own `node_locations`, else its cluster's
/// zones, else its `location` (a zone: 1; a region: 3 assumed).
pub fn pool_zones(v: &View, p: &str, cluster: Option<&View>, notes: &mut Vec<String>) -> u64 {
    let own = v.get(&format!("{p}node_locations")).as_array().len() as u64;
    if own > 0 {
        return own;
    }
    match cluster {
        Some(cl) => cluster_zones(cl, notes),
        None => location_zones(v.get("location").as_str(), notes),
    }
}

/// Zones of a cluster's nodes: `node_locations` plus, for a zonal cluster, its own zone
/// (the provider lists only the additional zones there), else from `location`.
pub fn cluster_zones(cl: &View, notes: &mut Vec<String>) -> u64 {
    let location = cl.get("location").as_str();
    let mut zones: BTreeSet<&str> = cl
        .get("node_locations")
        .as_array()
        .iter()
        .filter_map(|z| z.as_str())
        .collect();
    if zones.is_empty() {
        return location_zones(location, notes);
    }
    if let Some(l) = location.filter(|l| is_zone(l)) {
        zones.insert(l);
    }
    zones.len() as u64
}

fn location_zones(location: Option<&str>, notes: &mut Vec<String>) -> u64 {
    match location {
        Some(l) if is_zone(l) => 1,
        Some(l) => {
            notes.push(format!(
                "regional pool in {l} without node_locations: assumed 3 zones"
            ));
            3
        }
        None => {
            notes.push("pool location unknown: assumed a zonal pool (1 zone)".into());
            1
        }
    }
}

fn is_zone(l: &str) -> bool {
    let parts: Vec<&str> = l.split('-').collect();
    parts.len() == 3 && parts[2].len() == 1
}

fn node_range(v: &View, p: &str, zones: u64) -> Result<Nodes, String> {
    let per_zone = |k: &str| -> Result<Option<u64>, String> {
        match v.get(&format!("{p}{k}")) {
            f if f.is_unknown() => Ok(None),
            f => Ok(f.as_f64().map(|n| n.max(0.0) as u64)),
        }
    };
    let auto = !v.get(&format!("{p}autoscaling")).as_array().is_empty();
    let (min, max) = if auto {
        let total = |k: &str| per_zone(&format!("autoscaling.0.total_{k}_node_count"));
        let zonal = |k: &str| per_zone(&format!("autoscaling.0.{k}_node_count"));
        let min = match (total("min")?, zonal("min")?) {
            (Some(t), _) if t > 0 => t,
            (_, Some(z)) => z * zones,
            _ => 0,
        };
        let max = match (total("max")?, zonal("max")?) {
            (Some(t), _) if t > 0 => t,
            (_, Some(z)) => z * zones,
            _ => min,
        };
        (Some(min), Some(max))
    } else {
        (None, None)
    };
    let known = per_zone("node_count")?.or(per_zone("initial_node_count")?);
    let desired = match (known, min) {
        (Some(n), _) => n * zones,
        (None, Some(m)) => m,
        (None, None) => {
            return Err(format!(
                "`{p}node_count` and `{p}initial_node_count` are unknown until apply and there \
                 is no autoscaling"
            ))
        }
    };
    Ok(Nodes {
        min: min.unwrap_or(desired),
        desired,
        max: max.unwrap_or(desired).max(desired),
    })
}
