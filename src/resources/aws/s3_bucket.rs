//! `aws_s3_bucket`: usage-based. Storage by class (usage `storage_gb`, class from usage
//! `storage_class_*` keys is not modelled: `storage_gb` is Standard, `standard_ia_storage_gb`,
//! `glacier_storage_gb`... per class), requests and internet egress.

use crate::resources::{Costing, View};

/// Usage key → (class for the price key, label).
const CLASSES: &[(&str, &str)] = &[
    ("storage_gb", "STANDARD"),
    ("intelligent_tiering_storage_gb", "INTELLIGENT_TIERING"),
    ("standard_ia_storage_gb", "STANDARD_IA"),
    ("one_zone_ia_storage_gb", "ONEZONE_IA"),
    ("glacier_ir_storage_gb", "GLACIER_IR"),
    ("glacier_storage_gb", "GLACIER"),
    ("deep_archive_storage_gb", "DEEP_ARCHIVE"),
];

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let mut any = false;
    for (usage_key, class) in CLASSES {
        if v.usage(usage_key).is_some() {
            any = true;
            c.add(v.usage_component(
                format!("{class} storage"),
                &format!("s3/{class}/storage"),
                usage_key,
                "GB-months",
            ));
        }
    }
    if !any {
        c.add(v.usage_component(
            "STANDARD storage",
            "s3/STANDARD/storage",
            "storage_gb",
            "GB-months",
        ));
    }
    for (usage_key, key, label) in [
        (
            "tier1_requests",
            "s3/requests/tier1",
            "PUT/COPY/POST/LIST requests",
        ),
        ("tier2_requests", "s3/requests/tier2", "GET/SELECT requests"),
    ] {
        if let Some(n) = v.usage(usage_key) {
            let comp = v
                .component(
                    label,
                    key,
                    n / rust_decimal::Decimal::from(1000),
                    "1k requests",
                )
                .map(|mut x| {
                    x.usage_based = true;
                    x
                });
            c.add(comp);
        }
    }
    if v.usage("egress_gb").is_some() {
        c.add(v.usage_component("internet egress", "egress/internet", "egress_gb", "GB"));
    }
    c
}
