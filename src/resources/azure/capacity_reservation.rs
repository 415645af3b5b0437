//! `azurerm_capacity_reservation` (a member of an `azurerm_capacity_reservation_group`): an
//! On-demand Capacity Reservation of `sku.capacity` VMs of `sku.name`, billed at the
//! pay-as-you-go rate of those VMs whether or not VMs run in it. VMs that name the group
//! (`capacity_reservation_group_id`) run inside the reservation and are priced on themselves;
//! the reservation is priced for the rest. Its GPUs are held, so gpu-quota counts them; with
//! no VM naming its group it is "reserved but idle". The region is the group's location.

use crate::resources::aws::Nodes;
use crate::resources::{whole, Costing, View};

use super::vm_compute;

use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "azurerm_capacity_reservation",
    cloud: Cloud::Azure,
    types: &["azurerm_capacity_reservation"],
    reads: &["sku.0.capacity", "sku.0.name"],
    price_keys: &["vm/{size}"],
    usage: &[MONTHLY_HOURS],
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let size = match v.required_str("sku.0.name") {
        Ok(s) => s,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let count = match v.num_or("sku.0.capacity", crate::money::Decimal::ZERO) {
        Ok(n) => whole(n),
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let group = v.linked(&["capacity_reservation_group_id"], &["id"]);
    // A copy of this view (not one rebuilt from the resource: an `azapi_resource` hands over
    // translated attributes that the resource itself does not carry).
    let mut w = View {
        region: v.region.clone(),
        recorder: v.recorder.clone(),
        ..*v
    };
    if let Some(loc) = group.as_ref().and_then(|g| g.get("location").as_str()) {
        w.region = loc.replace(' ', "").to_ascii_lowercase();
    }
    // VMs of this size whose configuration names the same group.
    let inside = group.as_ref().map_or(0, |g| {
        v.ctx
            .referrers_of(&g.res.address)
            .filter(|r| {
                matches!(
                    r.rtype.as_str(),
                    "azurerm_linux_virtual_machine" | "azurerm_windows_virtual_machine"
                ) && r.action.has_after()
                    && r.current()
                        .is_some_and(|a| a.get("size").as_str() == Some(size))
            })
            .count() as u64
    });
    let held = count.saturating_sub(inside);
    if inside > 0 {
        c.notes.push(format!(
            "{inside} VM(s) of the configuration run in the reservation and are priced on \
             themselves; the reservation is priced for the other {held}"
        ));
    }
    let nodes = Nodes {
        min: held,
        desired: held,
        max: held,
    };
    vm_compute(&w, &mut c, size, nodes, false, "reserved VMs");
    c.notes.push(
        "billed at the pay-as-you-go rate of the reserved VMs whether VMs use them or not".into(),
    );
    let used = group.as_ref().is_some_and(|g| {
        v.ctx
            .referrers_of(&g.res.address)
            .any(|r| r.rtype.contains("virtual_machine"))
    });
    if held == 0 {
        c.gpu = None;
    } else if !used {
        c.notes.push(
            "reserved but idle: no VM or scale set in this configuration names the reservation's \
             group"
                .into(),
        );
    }
    c
}
