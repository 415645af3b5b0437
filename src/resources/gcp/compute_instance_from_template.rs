//! `google_compute_instance_from_template`: a VM whose settings come from
//! `source_instance_template`, each overridable on the resource. Priced as a
//! `google_compute_instance` from its own attributes when the plan shows the machine type,
//! else from the template it names (machine type, GPUs, scheduling; the template's disks are
//! `disk` blocks, not `boot_disk`, so the boot disk is left out and said so).

use crate::resources::family::Family;
use crate::resources::{Costing, View};

use super::compute_instance;

pub const FAMILY: Family = Family {
    name: "google_compute_instance_from_template",
    cloud: "gcp",
    types: &["google_compute_instance_from_template"],
    reads: &[
        "machine_type",
        "source_instance_template",
        "guest_accelerator",
        "scheduling",
        "boot_disk",
    ],
    price_keys: &[],
    cost,
};

fn cost(v: &View) -> Costing {
    if v.get("machine_type").as_str().is_some() {
        return compute_instance::cost(v);
    }
    let Some(mut t) = v.linked(&["source_instance_template"], &["self_link", "id", "name"]) else {
        let mut c = Costing::default();
        c.unpriced.push(if v.get("machine_type").is_unknown() {
            "`machine_type` is unknown until apply and the template is not in the plan".into()
        } else {
            "`machine_type` comes from a template that is not in the plan".into()
        });
        return c;
    };
    // The instance's zone decides the price, not the (regionless) template's.
    t.region = v.region.clone();
    let mut c = compute_instance::cost(&t);
    c.notes.push(format!(
        "machine type, GPUs and scheduling from {}",
        t.res.address
    ));
    c
}
