//! `aws_nat_gateway`: hours (730) plus GB processed (usage `data_processed_gb`). Private NAT
//! gateways bill the same hourly rate.

use crate::money::Decimal;
use crate::resources::family::*;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "aws_nat_gateway",
    cloud: Cloud::Aws,
    types: &["aws_nat_gateway"],
    reads: &[],
    price_keys: &["nat/gb", "nat/hour"],
    usage: &[
        UsageKey {
            key: "data_processed_gb",
            unit: "GB",
            doc: "data processed by the gateway a month",
        },
        MONTHLY_HOURS,
    ],
    regions: Regions::Only(&["us-east-1"]),
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    c.add(v.hourly("NAT gateway", "nat/hour", Decimal::ONE));
    c.add(v.usage_component("data processed", "nat/gb", "data_processed_gb", "GB"));
    c
}
