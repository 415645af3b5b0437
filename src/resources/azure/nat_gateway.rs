//! `azurerm_nat_gateway`: gateway hours (730) plus the data it processes (usage
//! `data_processed_gb`, the same key as `aws_nat_gateway`). The public IPs it uses are priced
//! on their own `azurerm_public_ip` resources.

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "azurerm_nat_gateway",
    cloud: "azure",
    types: &["azurerm_nat_gateway"],
    reads: &["sku_name"],
    price_keys: &[HOUR, GB],
    cost,
};

const HOUR: &str = "nat/hour";
const GB: &str = "nat/gb";

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    match v.get("sku_name").as_str().unwrap_or("Standard") {
        "Standard" => {}
        other => {
            c.unpriced.push(format!(
                "NAT gateway SKU `{}` has no price in the catalog",
                crate::resources::azure::short(other)
            ));
            return c;
        }
    }
    c.add(v.hourly("NAT gateway", HOUR, Decimal::ONE));
    c.add(v.usage_component("data processed", GB, "data_processed_gb", "GB"));
    c
}
