//! `google_compute_reservation`: a zonal reservation of `specific_reservation.count` VMs of a
//! machine type (with attached GPUs) is billed at the on-demand rate of those VMs whether or
//! not instances consume it (committed-use discounts apply to it as to the VMs; not modelled
//! here). Its GPUs are held, so gpu-quota counts them; when nothing in the configuration
//! targets it (`reservation_affinity`) it is "reserved but idle".

use crate::resources::aws::Nodes;
use crate::resources::{whole, Costing, View};

use super::{accelerator_name, gce_compute, Accel};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let p = "specific_reservation.0";
    let count = match v.num_or(&format!("{p}.count"), crate::money::Decimal::ZERO) {
        Ok(n) => whole(n),
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let machine = match v.required_str(&format!("{p}.instance_properties.0.machine_type")) {
        Ok(m) => m,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let accels: Vec<Accel> = v
        .get(&format!("{p}.instance_properties.0.guest_accelerators"))
        .as_array()
        .iter()
        .filter_map(|a| {
            let name = accelerator_name(a.get("accelerator_type")?.as_str()?);
            let count = a
                .get("accelerator_count")
                .and_then(|c| c.as_u64())
                .unwrap_or(1);
            (count > 0).then_some(Accel { name, count })
        })
        .collect();
    // Instances that name the reservation run in it and are billed once: priced on
    // themselves, the reservation for the VMs it holds beyond them.
    let name = v.get("name").as_str();
    let inside = v
        .ctx
        .project
        .resources
        .iter()
        .filter(|r| r.rtype == "google_compute_instance" && r.action.has_after())
        .filter(|r| {
            r.refs
                .get("reservation_affinity.0.specific_reservation.0.values")
                .is_some_and(|t| t.iter().any(|a| a == &v.res.address))
                || name.is_some_and(|n| {
                    r.current().is_some_and(|a| {
                        a.get("reservation_affinity.0.specific_reservation.0.values")
                            .as_array()
                            .iter()
                            .any(|x| x.as_str().is_some_and(|x| x.rsplit('/').next() == Some(n)))
                    })
                })
        })
        .count() as u64;
    let held = count.saturating_sub(inside);
    if inside > 0 {
        c.notes.push(format!(
            "{inside} instance(s) of the configuration run in the reservation and are priced \
             on themselves; the reservation is priced for the other {held}"
        ));
    }
    let nodes = Nodes {
        min: held,
        desired: held,
        max: held,
    };
    gce_compute(v, &mut c, machine, &accels, nodes, false, "reserved VMs");
    c.notes.push(
        "billed at the on-demand rate of the reserved VMs whether instances use them or not".into(),
    );
    if held == 0 {
        c.gpu = None;
    } else if inside == 0 {
        let required = v.get("specific_reservation_required").as_bool() == Some(true);
        c.notes.push(if required {
            "reserved but idle: the reservation only serves instances that name it, and \
             nothing in this configuration does"
                .into()
        } else {
            "reserved but idle: nothing in this configuration targets the reservation (VMs of \
             the same shape in its zone may still consume it automatically)"
                .into()
        });
    }
    c
}
