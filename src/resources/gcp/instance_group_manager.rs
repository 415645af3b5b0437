//! `google_compute_(region_)instance_group_manager`: `target_size` VMs of the instance
//! template it runs (machine, GPUs, Spot, disks read from the template). A
//! `google_compute_(region_)autoscaler` targeting the group sets min/max (priced at min when
//! the group has no fixed `target_size`).

use crate::resources::aws::Nodes;
use crate::resources::{dec, Costing, IdleFacts, Unpriced, View};

use super::{gce_compute, guest_accelerators, pd_storage, scheduling_spot};
use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "google_compute_instance_group_manager",
    cloud: Cloud::Gcp,
    types: &[
        "google_compute_instance_group_manager",
        "google_compute_region_instance_group_manager",
    ],
    reads: &["target_size"],
    price_keys: &["gce/{machine_type}", "pd/{disk_type}/storage"],
    usage: &[],
    taggable: false,
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let Some(t) = v.linked(
        &["version.0.instance_template"],
        &["self_link", "id", "name"],
    ) else {
        c.unpriced.push(Unpriced::LinkNotFound {
            what: "instance template not found in the plan (machine type unknown)".into(),
        });
        return c;
    };
    let scaler = autoscaler(v);
    let target = match v.get("target_size") {
        f if f.is_unknown() => None,
        f => f.as_f64().map(|n| n.max(0.0) as u64),
    };
    let nodes = match (target, scaler) {
        (Some(n), Some((min, max))) => Nodes {
            min,
            desired: n.max(min),
            max: max.max(n),
        },
        (Some(n), None) => Nodes {
            min: n,
            desired: n,
            max: n,
        },
        (None, Some((min, max))) => {
            c.notes
                .push("autoscaled group: priced at the autoscaler's min_replicas".into());
            Nodes {
                min,
                desired: min,
                max,
            }
        }
        (None, None) => {
            c.unpriced
                .push("`target_size` is unknown and no autoscaler targets the group");
            return c;
        }
    };
    match t.required_str("machine_type") {
        Ok(m) => gce_compute(
            &t,
            &mut c,
            m,
            &guest_accelerators(&t, "guest_accelerator"),
            nodes,
            scheduling_spot(&t, "scheduling"),
            "instances",
        ),
        Err(e) => c.unpriced.push(format!("{}: {e}", t.res.address)),
    }
    for (i, d) in t.get("disk").as_array().iter().enumerate() {
        let Some(size) = d
            .get("disk_size_gb")
            .and_then(|s| s.as_f64())
            .and_then(crate::money::from_f64)
        else {
            c.not_priced(format!(
                "template disk {i}: size comes from the image; not priced"
            ));
            continue;
        };
        let dtype = d
            .get("disk_type")
            .and_then(|s| s.as_str())
            .unwrap_or("pd-standard");
        pd_storage(
            &t,
            &mut c,
            &format!("template disk {i}"),
            dtype,
            size,
            dec(nodes.desired),
        );
    }
    if c.gpu.is_some() {
        c.idle = Some(IdleFacts::scale_floor(nodes.min, "min_replicas"));
    }
    c
}

/// min/max replicas of an autoscaler in the plan whose `target` refers to this group.
fn autoscaler(v: &View) -> Option<(u64, u64)> {
    let base = v.res.address.split('[').next().unwrap_or(&v.res.address);
    v.ctx.project.resources.iter().find_map(|r| {
        if !r.rtype.ends_with("_autoscaler") || !r.rtype.starts_with("google_compute") {
            return None;
        }
        let points_here = r
            .refs
            .get("target")
            .is_some_and(|t| t.iter().any(|a| a == &v.res.address || a == base));
        if !points_here {
            return None;
        }
        let a = r.current()?;
        let n = |k: &str| {
            a.get(&format!("autoscaling_policy.0.{k}"))
                .as_f64()
                .map(|x| x.max(0.0) as u64)
        };
        Some((n("min_replicas").unwrap_or(0), n("max_replicas")?))
    })
}
