//! `google_compute_instance`: machine hours (A2/A3/G2 include their GPUs), attached
//! `guest_accelerator` GPUs (N1), Spot/preemptible from `scheduling`, the boot disk and local
//! SSD scratch disks. Attached `google_compute_disk`s are priced on themselves.

use crate::money::Decimal;
use crate::resources::aws::Nodes;
use crate::resources::{dec, Costing, IdleFacts, View};

use super::{gce_compute, guest_accelerators, pd_storage, scheduling_spot};
use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "google_compute_instance",
    cloud: Cloud::Gcp,
    types: &["google_compute_instance"],
    reads: &[
        "boot_disk.0.initialize_params.0.size",
        "boot_disk.0.initialize_params.0.type",
        "desired_status",
        "guest_accelerator",
        "machine_type",
        "resource_policies",
        "scheduling.0.max_run_duration",
        "scheduling.0.preemptible",
        "scheduling.0.provisioning_model",
        "scratch_disk",
    ],
    price_keys: &[
        "gce-spot/{machine_type}",
        "gce/{machine_type}",
        "gpu-spot/{accelerator}",
        "pd/{disk_type}/storage",
    ],
    usage: &[MONTHLY_HOURS],
    force_new: &["zone", "name", "guest_accelerator"],
    cost,
    ..Family::DEFAULTS
};

/// Size of one local SSD partition (GB).
const LOCAL_SSD_GB: u64 = 375;

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let spot = scheduling_spot(v, "scheduling");
    let stopped = matches!(
        v.get("desired_status").as_str(),
        Some("TERMINATED") | Some("SUSPENDED")
    );
    let nodes = if stopped {
        c.notes
            .push("desired_status stops the VM: compute not billed, disks are".into());
        Nodes::stopped()
    } else {
        Nodes::one()
    };
    match v.required_str("machine_type") {
        Ok(m) => gce_compute(
            v,
            &mut c,
            m,
            &guest_accelerators(v, "guest_accelerator"),
            nodes,
            spot,
            "instance",
        ),
        Err(e) => c.unpriced.push(e),
    }
    boot_disk(v, &mut c);
    let scratch = v.get("scratch_disk").as_array().len() as u64;
    if scratch > 0 {
        pd_storage(
            v,
            &mut c,
            "local SSD scratch",
            "local-ssd",
            dec(LOCAL_SSD_GB),
            dec(scratch),
        );
    }
    if c.gpu.is_some() {
        c.idle = Some(idle(v));
    }
    c
}

fn boot_disk(v: &View, c: &mut Costing) {
    let p = "boot_disk.0.initialize_params.0";
    let Some(size) = v
        .get(&format!("{p}.size"))
        .as_f64()
        .and_then(crate::money::from_f64)
    else {
        c.not_priced("boot disk size comes from the image; not priced".into());
        return;
    };
    let dtype = match v.get(&format!("{p}.type")).as_str() {
        Some(t) => crate::input::common::basename(t).to_string(),
        None => {
            c.notes
                .push("boot disk type not set: GCE creates pd-standard".into());
            "pd-standard".into()
        }
    };
    pd_storage(v, c, "boot disk", &dtype, size, Decimal::ONE);
}

/// A VM has no idle knob: an instance schedule policy or a max run duration stops it.
fn idle(v: &View) -> IdleFacts {
    let has_policy = !v.get("resource_policies").as_array().is_empty()
        || v.res
            .refs
            .keys()
            .any(|k| k.starts_with("resource_policies"));
    let max_run = !v.get("scheduling.0.max_run_duration").as_array().is_empty();
    let (autopause, detail) = if has_policy {
        (
            "configured",
            "an instance schedule resource policy is attached",
        )
    } else if max_run {
        (
            "configured",
            "scheduling.max_run_duration caps the run time",
        )
    } else {
        (
            "missing",
            "no instance schedule policy or max_run_duration: runs until stopped",
        )
    };
    IdleFacts {
        interactive: false,
        autopause,
        detail: detail.into(),
    }
}
