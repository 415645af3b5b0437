//! `google_compute_router_nat`: Cloud NAT bills per VM that uses the gateway (per VM-hour, up to
//! 32 VMs; above that the gateway-hour cap applies) plus the data it processes. Which VMs use
//! it is decided at run time: usage `vm_count` (default 32, the cap: the full gateway-hour
//! price, the most a gateway can cost in VM charges) and `data_processed_gb` (GB a month).
//! The NAT's external IPs are priced on their address resources.

use crate::money::Decimal;
use crate::resources::family::*;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "google_compute_router_nat",
    cloud: Cloud::Gcp,
    types: &["google_compute_router_nat"],
    reads: &[],
    price_keys: &[GATEWAY, VM, GB],
    regions: Regions::Only(REGIONS),
    usage: &[
        UsageKey {
            key: "data_processed_gb",
            unit: "GB",
            doc: "data processed by the gateway a month",
        },
        MONTHLY_HOURS,
        UsageKey {
            key: "vm_count",
            unit: "VMs",
            doc: "VMs using the gateway (default 32: the gateway-hour cap)",
        },
    ],
    cost,
    ..Family::DEFAULTS
};

/// Regions the catalog prices Cloud NAT in (the gcp import: every key of the family).
pub const REGIONS: &[&str] = &[
    "africa-south1",
    "asia-east1",
    "asia-east2",
    "asia-northeast1",
    "asia-northeast2",
    "asia-northeast3",
    "asia-south1",
    "asia-south2",
    "asia-southeast1",
    "asia-southeast2",
    "asia-southeast3",
    "australia-southeast1",
    "australia-southeast2",
    "europe-central2",
    "europe-north1",
    "europe-north2",
    "europe-southwest1",
    "europe-west1",
    "europe-west10",
    "europe-west12",
    "europe-west2",
    "europe-west3",
    "europe-west4",
    "europe-west6",
    "europe-west8",
    "europe-west9",
    "me-central1",
    "me-central2",
    "me-west1",
    "northamerica-northeast1",
    "northamerica-northeast2",
    "northamerica-south1",
    "southamerica-east1",
    "southamerica-west1",
    "us-central1",
    "us-east1",
    "us-east4",
    "us-east5",
    "us-south1",
    "us-west1",
    "us-west2",
    "us-west3",
    "us-west4",
];

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
