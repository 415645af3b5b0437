//! `azurerm_storage_account`: usage-based. Blob storage (usage `storage_gb`) at the account's
//! `access_tier` (default Hot) and `account_replication_type`; egress from the generic keys.

use crate::resources::family::*;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "azurerm_storage_account",
    cloud: Cloud::Azure,
    types: &["azurerm_storage_account"],
    reads: &["access_tier", "account_replication_type", "account_tier"],
    price_keys: &["blob/{access_tier}/{replication}/storage"],
    usage: &[STORAGE_GB],
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let tier = v
        .get("access_tier")
        .as_str()
        .unwrap_or("Hot")
        .to_ascii_lowercase();
    let repl = match v
        .get("account_replication_type")
        .as_str()
        .unwrap_or("LRS")
        .to_ascii_uppercase()
        .as_str()
    {
        "RAGRS" => "ra-grs".to_string(),
        "RAGZRS" => "ra-gzrs".to_string(),
        other => other.to_ascii_lowercase(),
    };
    if v.get("account_tier").as_str() == Some("Premium") {
        c.unpriced
            .push("Premium storage accounts are not in the catalog");
        return c;
    }
    c.add(v.usage_component(
        format!("blob {tier} {} storage", repl.to_ascii_uppercase()),
        &format!("blob/{tier}/{repl}/storage"),
        "storage_gb",
        "GB-months",
    ));
    c
}
