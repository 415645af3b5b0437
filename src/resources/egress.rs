//! Generic data-transfer components any resource gets when the usage file gives
//! `egress_internet_gb`, `egress_inter_region_gb` or `egress_inter_az_gb` for it, priced from
//! the catalog of the resource's cloud and region (internet egress is tiered).

use crate::resources::{Costing, View};

/// Usage key → (label, price key per cloud).
const PATHS: &[(&str, &str, fn(&str) -> &'static str)] = &[
    ("egress_internet_gb", "internet egress", |_| {
        "egress/internet"
    }),
    ("egress_inter_region_gb", "inter-region transfer", |_| {
        "egress/inter-region"
    }),
    (
        "egress_inter_az_gb",
        "inter-zone transfer",
        |cloud| match cloud {
            "gcp" => "egress/inter-zone",
            _ => "egress/inter-az",
        },
    ),
];

/// Add an egress component for each egress usage key set for this resource.
pub fn add(v: &View, c: &mut Costing) {
    for (usage_key, label, key_of) in PATHS {
        if v.usage(usage_key).is_some() {
            c.add(v.usage_component(*label, key_of(v.cloud), usage_key, "GB"));
        }
    }
}
