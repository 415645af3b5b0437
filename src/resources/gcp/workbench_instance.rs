//! `google_workbench_instance`: the VM (`gce_setup.machine_type`, default n1-standard-4) with
//! its accelerator (`accelerator_configs[0]{type, core_count}`), boot (default 150 GB) and
//! data (default 100 GB) disks. Idle shutdown is on by default (180 minutes) unless
//! `gce_setup.metadata["idle-timeout-seconds"]` disables it. The Workbench management fee is
//! not in the catalog and not included.

use crate::money::Decimal;
use crate::resources::aws::Nodes;
use crate::resources::{Costing, IdleFacts, View};

use super::{accelerator_name, gce_compute, pd_storage, Accel};
use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "google_workbench_instance",
    cloud: Cloud::Gcp,
    types: &["google_workbench_instance"],
    reads: &[
        "desired_state",
        "gce_setup.0.accelerator_configs",
        "gce_setup.0.boot_disk.0.disk_size_gb",
        "gce_setup.0.boot_disk.0.disk_type",
        "gce_setup.0.data_disks.0.disk_size_gb",
        "gce_setup.0.data_disks.0.disk_type",
        "gce_setup.0.machine_type",
        "gce_setup.0.metadata.idle-timeout-seconds",
    ],
    price_keys: &[
        "gce/{machine_type}",
        "gpu/{accelerator}",
        "pd/{disk_type}/storage",
    ],
    usage: &[MONTHLY_HOURS],
    cost,
    ..Family::DEFAULTS
};

const GS: &str = "gce_setup.0";

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let machine = match v.get(&format!("{GS}.machine_type")) {
        f if f.is_unknown() => Err("`gce_setup.machine_type` is unknown until apply".to_string()),
        f => Ok(f.as_str().unwrap_or_else(|| {
            c.notes
                .push("gce_setup.machine_type not set: Workbench uses n1-standard-4".into());
            "n1-standard-4"
        })),
    };
    let accels: Vec<Accel> = v
        .get(&format!("{GS}.accelerator_configs"))
        .as_array()
        .iter()
        .filter_map(|a| {
            Some(Accel {
                name: accelerator_name(a.get("type")?.as_str()?),
                count: a
                    .get("core_count")
                    .and_then(|n| n.as_f64().or_else(|| n.as_str()?.parse().ok()))
                    .map(|n| n as u64)
                    .unwrap_or(1),
            })
        })
        .filter(|a| a.count > 0)
        .collect();
    let stopped = v.get("desired_state").as_str() == Some("STOPPED");
    let nodes = if stopped {
        c.notes
            .push("desired_state = STOPPED: compute not billed, disks are".into());
        Nodes::stopped()
    } else {
        Nodes::one()
    };
    match machine {
        Ok(m) => gce_compute(v, &mut c, m, &accels, nodes, false, "workbench VM"),
        Err(e) => c.unpriced.push(e),
    }
    disk(v, &mut c, "boot disk", "boot_disk", 150);
    disk(v, &mut c, "data disk", "data_disks", 100);
    c.idle = Some(idle(v));
    c
}

fn disk(v: &View, c: &mut Costing, name: &str, block: &str, default_gb: u64) {
    let p = format!("{GS}.{block}.0");
    let size = v
        .get(&format!("{p}.disk_size_gb"))
        .as_f64()
        .and_then(crate::money::from_f64)
        .unwrap_or(Decimal::from(default_gb));
    let dtype = match v.get(&format!("{p}.disk_type")).as_str() {
        Some(t) => accelerator_name(t),
        None => {
            c.notes
                .push(format!("{name} type not set: assumed pd-balanced"));
            "pd-balanced".into()
        }
    };
    pd_storage(v, c, name, &dtype, size, Decimal::ONE);
}

/// Workbench stops an idle instance after 180 minutes unless the metadata says otherwise.
pub fn idle(v: &View) -> IdleFacts {
    let key = format!("{GS}.metadata.idle-timeout-seconds");
    let (autopause, detail) = match v.get(&key) {
        f if f.is_unknown() => (
            "unknown",
            "idle-timeout-seconds is unknown until apply".to_string(),
        ),
        f => match f.as_f64() {
            Some(s) if s > 0.0 => (
                "configured",
                format!("idle shutdown after {} minutes", (s / 60.0).round()),
            ),
            Some(_) => (
                "missing",
                "idle-timeout-seconds = 0 disables idle shutdown".into(),
            ),
            None => (
                "default-on",
                "Workbench stops idle instances after 180 minutes by default".into(),
            ),
        },
    };
    IdleFacts {
        interactive: true,
        autopause,
        detail,
    }
}
