//! `azurerm_private_endpoint`: endpoint hours (730) plus the data it carries in and out (usage
//! `data_processed_gb`; the first-petabyte rate: more than 1 PB a month is unpriced).

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "azurerm_private_endpoint",
    cloud: "azure",
    types: &["azurerm_private_endpoint"],
    reads: &[],
    price_keys: &[HOUR, GB],
    cost,
};

const HOUR: &str = "private-endpoint/hour";
const GB: &str = "private-endpoint/gb";

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    c.add(v.hourly("private endpoint", HOUR, Decimal::ONE));
    c.add(v.usage_component("data processed (in + out)", GB, "data_processed_gb", "GB"));
    c
}
