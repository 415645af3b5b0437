//! `aws_vpc_endpoint`: an interface (or Gateway Load Balancer) endpoint bills per
//! Availability Zone-hour (one network interface per subnet) plus GB processed (usage
//! `data_processed_gb`); a gateway endpoint (S3, DynamoDB) is free.

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

use super::usage_parts::scaled;

pub const FAMILY: Family = Family {
    name: "aws_vpc_endpoint",
    cloud: "aws",
    types: &["aws_vpc_endpoint"],
    reads: &["vpc_endpoint_type", "subnet_ids"],
    price_keys: &["vpce/interface/az-hour", "vpce/interface/gb"],
    cost,
};

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let ty = v.get("vpc_endpoint_type").as_str().unwrap_or("Gateway");
    if ty == "Gateway" {
        c.notes
            .push("gateway endpoint (S3/DynamoDB): no hourly or data charge".into());
        return c;
    }
    let subnets = v.get("subnet_ids");
    let azs = if subnets.is_unknown() {
        c.notes.push(
            "subnet_ids unknown until apply: priced for one Availability Zone (the minimum)".into(),
        );
        1
    } else {
        subnets.as_array().len().max(1)
    };
    c.add(v.hourly(
        format!("{ty} endpoint ({azs} AZ)"),
        "vpce/interface/az-hour",
        Decimal::from(azs),
    ));
    c.add(scaled(
        v,
        "data processed",
        "vpce/interface/gb",
        "data_processed_gb",
        Decimal::ONE,
        "GB",
    ));
    c
}
