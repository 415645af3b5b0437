//! `aws_eip`: an AWS-provided public IPv4 address is charged by the hour whether it is
//! attached or idle (since February 2024). Addresses from a BYOIP pool (`public_ipv4_pool`
//! other than `amazon`) and customer-owned Outposts addresses are not charged; an unset or
//! unknown pool is Amazon's.

use crate::money::Decimal;
use crate::resources::family::*;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "aws_eip",
    cloud: Cloud::Aws,
    types: &["aws_eip"],
    reads: &["customer_owned_ipv4_pool", "public_ipv4_pool"],
    price_keys: &["public-ipv4/hour"],
    usage: &[MONTHLY_HOURS],
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    if let Some(pool) = v.get("customer_owned_ipv4_pool").as_str() {
        c.notes.push(format!(
            "customer-owned (Outposts) address from `{pool}`: no public IPv4 charge"
        ));
        return c;
    }
    match v.get("public_ipv4_pool").as_str() {
        Some(pool) if !pool.is_empty() && pool != "amazon" => {
            c.notes.push(format!(
                "address from your own (BYOIP) pool `{pool}`: no public IPv4 charge"
            ));
        }
        _ => c.add(v.hourly("public IPv4 address", "public-ipv4/hour", Decimal::ONE)),
    }
    c
}
