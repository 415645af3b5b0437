//! `aws_nat_gateway`: hours (730) plus GB processed (usage `data_processed_gb`). Private NAT
//! gateways bill the same hourly rate.

use crate::money::Decimal;
use crate::resources::{Costing, View};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    c.add(v.hourly("NAT gateway", "nat/hour", Decimal::ONE));
    c.add(v.usage_component("data processed", "nat/gb", "data_processed_gb", "GB"));
    c
}
