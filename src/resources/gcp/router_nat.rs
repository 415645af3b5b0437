//! `google_compute_router_nat`: Cloud NAT bills per VM that uses the gateway (per VM-hour, up to
//! 32 VMs; above that the gateway-hour cap applies) plus the data it processes. Which VMs use
//! it is decided at run time: usage `vm_count` (default 32, the cap: the full gateway-hour
//! price, the most a gateway can cost in VM charges) and `data_processed_gb` (GB a month).
//! The NAT's external IPs are priced on their address resources.

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "google_compute_router_nat",
    cloud: "gcp",
    types: &["google_compute_router_nat"],
    reads: &[],
    price_keys: &[GATEWAY, VM, GB],
    cost,
};

const GATEWAY: &str = "nat/gateway-hour";
const VM: &str = "nat/vm-hour";
const GB: &str = "nat/gb";

/// VMs above which Cloud NAT charges the gateway-hour cap.
const CAP: u32 = 32;

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    match v.usage("vm_count") {
        Some(n) if n < Decimal::from(CAP) => {
            c.add(v.hourly("NAT gateway (per VM using it)", VM, n));
        }
        given => {
            if given.is_none() {
                c.notes.push(format!(
                    "`vm_count` not given: priced at the gateway-hour cap ({CAP} or more VMs)"
                ));
            }
            c.add(v.hourly(
                "NAT gateway (32+ VMs: gateway-hour cap)",
                GATEWAY,
                Decimal::ONE,
            ));
        }
    }
    c.add(v.usage_component("data processed", GB, "data_processed_gb", "GB"));
    c
}
