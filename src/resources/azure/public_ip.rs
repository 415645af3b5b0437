//! `azurerm_public_ip`: a Standard (regional) public IPv4 address is billed per hour while it
//! exists, attached or not. Basic SKU addresses were retired on 30 September 2025 and Global
//! tier addresses have their own meter: both are unpriced with the reason. IPv6 addresses are
//! not charged.

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "azurerm_public_ip",
    cloud: "azure",
    types: &["azurerm_public_ip"],
    reads: &["sku", "sku_tier", "ip_version"],
    price_keys: &[STANDARD],
    cost,
};

const STANDARD: &str = "public-ip/hour";

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    if v.get("ip_version").as_str() == Some("IPv6") {
        c.notes.push("IPv6 public addresses carry no charge".into());
        return c;
    }
    let sku = match v.get("sku").as_str() {
        Some(s) => s,
        None if v.get("sku").is_unknown() => {
            c.unpriced.push(v.unknown_reason("sku"));
            return c;
        }
        None => {
            c.notes
                .push("`sku` not set: the azurerm 4.x default (Standard) is assumed".into());
            "Standard"
        }
    };
    if sku.eq_ignore_ascii_case("Basic") {
        c.unpriced.push(
            "Basic SKU public IPs were retired on 30 September 2025 (the successor is the \
             Standard SKU); no current price"
                .into(),
        );
        return c;
    }
    if v.get("sku_tier").as_str() == Some("Global") {
        c.unpriced
            .push("Global tier public IPs have no price in the catalog".into());
        return c;
    }
    c.add(v.hourly("Standard static public IPv4", STANDARD, Decimal::ONE));
    c
}
