//! `aws_s3_bucket`: usage-based. Storage by class (usage `storage_gb`, class from usage
//! `storage_class_*` keys is not modelled: `storage_gb` is Standard, `standard_ia_storage_gb`,
//! `glacier_storage_gb`... per class), requests and internet egress.

use crate::resources::family::*;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "aws_s3_bucket",
    cloud: Cloud::Aws,
    types: &["aws_s3_bucket"],
    reads: &[],
    price_keys: &[
        "egress/internet",
        "s3/requests/{tier}",
        "s3/{storage_class}/storage",
    ],
    usage: &[
        UsageKey {
            key: "deep_archive_storage_gb",
            unit: "GB-month",
            doc: "data in S3 Glacier Deep Archive",
        },
        UsageKey {
            key: "egress_gb",
            unit: "GB",
            doc: "internet egress a month (older spelling of `egress_internet_gb`)",
        },
        UsageKey {
            key: "glacier_ir_storage_gb",
            unit: "GB-month",
            doc: "data in S3 Glacier Instant Retrieval",
        },
        UsageKey {
            key: "glacier_storage_gb",
            unit: "GB-month",
            doc: "data in S3 Glacier Flexible Retrieval",
        },
        UsageKey {
            key: "intelligent_tiering_storage_gb",
            unit: "GB-month",
            doc: "data in S3 Intelligent-Tiering",
        },
        UsageKey {
            key: "one_zone_ia_storage_gb",
            unit: "GB-month",
            doc: "data in S3 One Zone-IA",
        },
        UsageKey {
            key: "standard_ia_storage_gb",
            unit: "GB-month",
            doc: "data in S3 Standard-IA",
        },
        STORAGE_GB,
        UsageKey {
            key: "tier1_requests",
            unit: "requests",
            doc: "PUT/COPY/POST/LIST requests a month",
        },
        UsageKey {
            key: "tier2_requests",
            unit: "requests",
            doc: "GET/SELECT requests a month",
        },
    ],
    regions: Regions::Only(&[
        "af-south-1",
        "ap-east-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ca-central-1",
        "ca-west-1",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-gov-east-1",
        "us-gov-west-1",
        "us-west-1",
        "us-west-2",
        "us-west-2-lax-1",
    ]),
    cost,
    ..Family::DEFAULTS
};

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
