//! `aws_efs_file_system`: usage-based storage (`storage_gb` at Standard or One Zone when
//! `availability_zone_name` is set; `ia_storage_gb` at the IA class) plus provisioned
//! throughput (`provisioned_throughput_in_mibps` when `throughput_mode = provisioned`).

use crate::resources::family::*;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "aws_efs_file_system",
    cloud: Cloud::Aws,
    types: &["aws_efs_file_system"],
    reads: &[
        "availability_zone_name",
        "provisioned_throughput_in_mibps",
        "throughput_mode",
    ],
    price_keys: &["efs/provisioned-throughput", "efs/standard/storage"],
    usage: &[
        UsageKey {
            key: "ia_storage_gb",
            unit: "GB-month",
            doc: "data in the Infrequent Access class",
        },
        STORAGE_GB,
    ],
    regions: Regions::Only(&["us-east-1"]),
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let one_zone = v.get("availability_zone_name").as_str().is_some();
    let (std, ia) = if one_zone {
        ("one-zone", "one-zone-ia")
    } else {
        ("standard", "ia")
    };
    c.add(v.usage_component(
        format!("{std} storage"),
        &format!("efs/{std}/storage"),
        "storage_gb",
        "GB-months",
    ));
    if v.usage("ia_storage_gb").is_some() {
        c.add(v.usage_component(
            format!("{ia} storage"),
            &format!("efs/{ia}/storage"),
            "ia_storage_gb",
            "GB-months",
        ));
    }
    if v.get("throughput_mode").as_str() == Some("provisioned") {
        match v
            .get("provisioned_throughput_in_mibps")
            .as_f64()
            .and_then(crate::money::from_f64)
        {
            Some(t) => c.add(v.component(
                format!("provisioned throughput ({t} MiB/s)"),
                "efs/provisioned-throughput",
                t,
                "MBps-months",
            )),
            None => c
                .unpriced
                .push("`provisioned_throughput_in_mibps` is not known"),
        }
    }
    c
}
