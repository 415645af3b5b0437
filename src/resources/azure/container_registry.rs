//! `azurerm_container_registry`: a fixed daily fee by SKU (Basic, Standard, Premium) while the
//! registry exists, used or not, plus storage above what the SKU includes (Basic 10 GB,
//! Standard 100 GB, Premium 500 GB) per GB-day from usage `storage_gb`. Each Premium
//! geo-replication (`georeplications` block) is billed as another Premium registry. Build
//! minutes (ACR Tasks) and egress are not modelled.

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "azurerm_container_registry",
    cloud: "azure",
    types: &["azurerm_container_registry"],
    reads: &["sku", "georeplications"],
    price_keys: &[BASIC, STANDARD, PREMIUM, STORAGE],
    cost,
};

const BASIC: &str = "acr/basic/day";
const STANDARD: &str = "acr/standard/day";
const PREMIUM: &str = "acr/premium/day";
const STORAGE: &str = "acr/storage/gb-day";

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let sku = match v.required_str("sku") {
        Ok(s) => s,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let (key, included) = match sku.to_ascii_lowercase().as_str() {
        "basic" => (BASIC, 10),
        "standard" => (STANDARD, 100),
        "premium" => (PREMIUM, 500),
        _ => {
            c.unpriced.push(format!(
                "container registry SKU `{}` is not known",
                super::short(sku)
            ));
            return c;
        }
    };
    let days = (v.hours() / Decimal::from(24)).round_dp(6);
    let replicas = v.get("georeplications").as_array().len() as u64;
    c.add(v.component(
        format!("registry ({sku})"),
        key,
        days * Decimal::from(1 + replicas),
        "days",
    ));
    if replicas > 0 {
        c.notes.push(format!(
            "{replicas} geo-replication(s), each billed as a Premium registry"
        ));
    }
    match v.usage("storage_gb") {
        Some(gb) => {
            let extra = (gb - Decimal::from(included)).max(Decimal::ZERO);
            let mut s = v.component(
                format!("storage above the included {included} GB"),
                STORAGE,
                extra * days,
                "GB-days",
            );
            if let Ok(s) = &mut s {
                s.usage_based = true;
            }
            c.add(s);
        }
        None => c.notes.push(format!(
            "storage above the included {included} GB depends on usage: set `storage_gb`"
        )),
    }
    c
}
