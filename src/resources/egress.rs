//! Generic data-transfer components any resource gets when the usage file gives
//! `egress_internet_gb`, `egress_inter_region_gb` or `egress_inter_az_gb` for it, priced from
//! the catalog of the resource's cloud and region (internet egress is tiered).

use crate::resources::{Costing, View};

/// Usage keys and their labels.
const PATHS: &[(&str, &str)] = &[
    ("egress_internet_gb", "internet egress"),
    ("egress_inter_region_gb", "inter-region transfer"),
    ("egress_inter_az_gb", "inter-zone transfer"),
];

/// Catalog key of a transfer path in `cloud` (GCP calls cross-zone `inter-zone`).
fn price_key(usage_key: &str, cloud: &str) -> &'static str {
    match (usage_key, cloud) {
        ("egress_internet_gb", _) => "egress/internet",
        ("egress_inter_region_gb", _) => "egress/inter-region",
        (_, "gcp") => "egress/inter-zone",
        _ => "egress/inter-az",
    }
}

/// Add an egress component for each egress usage key set for this resource.
pub fn add(v: &View, c: &mut Costing) {
    for (usage_key, label) in PATHS {
        if v.usage(usage_key).is_some() {
            c.add(v.usage_component(*label, price_key(usage_key, v.cloud), usage_key, "GB"));
        }
    }
}
