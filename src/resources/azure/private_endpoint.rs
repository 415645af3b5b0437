//! `azurerm_private_endpoint`: endpoint hours (730) plus the data it carries in and out (usage
//! `data_processed_gb`; the first-petabyte rate: more than 1 PB a month is unpriced).

use crate::money::Decimal;
use crate::resources::family::*;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "azurerm_private_endpoint",
    cloud: Cloud::Azure,
    types: &["azurerm_private_endpoint"],
    reads: &[],
    price_keys: &[HOUR, GB],
    usage: &[
        UsageKey {
            key: "data_processed_gb",
            unit: "GB",
            doc: "data carried in and out through the endpoint a month (first-petabyte rate)",
        },
        MONTHLY_HOURS,
    ],
    cost,
    ..Family::DEFAULTS
};

const HOUR: &str = "private-endpoint/hour";
const GB: &str = "private-endpoint/gb";

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    c.add(v.hourly("private endpoint", HOUR, Decimal::ONE));
    c.add(v.usage_component("data processed (in + out)", GB, "data_processed_gb", "GB"));
    c
}
