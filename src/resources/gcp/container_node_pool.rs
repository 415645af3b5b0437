//! `google_container_node_pool`: `node_count` (per zone) × zones of `node_config.machine_type`,
//! attached GPUs, Spot/preemptible nodes and node boot disks. With `autoscaling`, min/max are
//! per zone (`min_node_count`) or for the whole pool (`total_min_node_count`); the pool is
//! priced at its known node count, else `initial_node_count`, else the minimum.

use crate::money::Decimal;
use crate::resources::aws::Nodes;
use crate::resources::{dec, Costing, IdleFacts, View};

use super::{gce_compute, guest_accelerators, pd_storage};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let zones = zones(v, &mut c);
    let nodes = match node_range(v, zones) {
        Ok(n) => n,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let nc = "node_config.0";
    let spot = v.get(&format!("{nc}.spot")).as_bool() == Some(true)
        || v.get(&format!("{nc}.preemptible")).as_bool() == Some(true);
    let machine = match v.get(&format!("{nc}.machine_type")).as_str() {
        Some(m) => m,
        None => {
            c.notes
                .push("node_config.machine_type not set: GKE uses e2-medium".into());
            "e2-medium"
        }
    };
    let accels = guest_accelerators(v, &format!("{nc}.guest_accelerator"));
    gce_compute(v, &mut c, machine, &accels, nodes, spot, "nodes");

    let size = v
        .get(&format!("{nc}.disk_size_gb"))
        .as_f64()
        .and_then(crate::money::from_f64)
        .unwrap_or_else(|| {
            c.notes
                .push("node disk size not set: GKE uses 100 GB".into());
            Decimal::from(100)
        });
    let dtype = v
        .get(&format!("{nc}.disk_type"))
        .as_str()
        .unwrap_or_else(|| {
            c.notes
                .push("node disk type not set: GKE uses pd-balanced".into());
            "pd-balanced"
        });
    pd_storage(
        v,
        &mut c,
        "node boot disks",
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

/// Zones the pool's per-zone counts apply to.
fn zones(v: &View, c: &mut Costing) -> u64 {
    let own = v.get("node_locations").as_array().len() as u64;
    if own > 0 {
        return own;
    }
    let cluster = v.linked(&["cluster"], &["name", "id"]);
    if let Some(cl) = &cluster {
        let n = cl.get("node_locations").as_array().len() as u64;
        if n > 0 {
            return n;
        }
    }
    let location = v
        .get("location")
        .as_str()
        .or_else(|| cluster.as_ref().and_then(|cl| cl.get("location").as_str()));
    match location {
        Some(l) if is_zone(l) => 1,
        Some(l) => {
            c.notes.push(format!(
                "regional pool in {l} without node_locations: assumed 3 zones"
            ));
            3
        }
        None => {
            c.notes
                .push("pool location unknown: assumed a zonal pool (1 zone)".into());
            1
        }
    }
}

fn is_zone(l: &str) -> bool {
    let parts: Vec<&str> = l.split('-').collect();
    parts.len() == 3 && parts[2].len() == 1
}

fn node_range(v: &View, zones: u64) -> Result<Nodes, String> {
    let per_zone = |k: &str| -> Result<Option<u64>, String> {
        match v.get(k) {
            f if f.is_unknown() => Ok(None),
            f => Ok(f.as_f64().map(|n| n.max(0.0) as u64)),
        }
    };
    let auto = !v.get("autoscaling").as_array().is_empty();
    let (min, max) = if auto {
        let a = "autoscaling.0";
        let total = |k: &str| per_zone(&format!("{a}.total_{k}_node_count"));
        let zonal = |k: &str| per_zone(&format!("{a}.{k}_node_count"));
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
            return Err("`node_count` is unknown until apply and there is no autoscaling".into())
        }
    };
    Ok(Nodes {
        min: min.unwrap_or(desired),
        desired,
        max: max.unwrap_or(desired).max(desired),
    })
}
