//! `azurerm_managed_disk`: billed at the smallest tier ≥ `disk_size_gb` for Premium SSD (P*),
//! Standard SSD (E*) and Standard HDD (S*); UltraSSD by GiB, IOPS and MB/s.

use crate::money::Decimal;
use crate::resources::{Costing, View};

use super::disk_component;
use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "azurerm_managed_disk",
    cloud: Cloud::Azure,
    types: &["azurerm_managed_disk"],
    reads: &["disk_size_gb", "storage_account_type"],
    price_keys: &["disk/{tier}"],
    usage: &[],
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let at = match v.required_str("storage_account_type") {
        Ok(a) => a,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let size = match v.num_or("disk_size_gb", Decimal::ZERO) {
        Ok(s) if s > Decimal::ZERO => s,
        Ok(_) => {
            c.unpriced
                .push("`disk_size_gb` is not set (sized from its source)");
            return c;
        }
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    if at.eq_ignore_ascii_case("UltraSSD_LRS") {
        c.add(v.component(
            "Ultra disk storage",
            "disk/ultra/storage",
            size,
            "GiB-months",
        ));
        for (attr, key, unit) in [
            ("disk_iops_read_write", "disk/ultra/iops", "IOPS-months"),
            (
                "disk_mbps_read_write",
                "disk/ultra/throughput",
                "MBps-months",
            ),
        ] {
            match v.get(attr).as_f64().and_then(crate::money::from_f64) {
                Some(q) => c.add(v.component(format!("Ultra disk {attr}"), key, q, unit)),
                None => c
                    .unpriced
                    .push(format!("`{attr}` is not known for an Ultra disk")),
            }
        }
        return c;
    }
    c.add(disk_component(v, "disk", at, size, Decimal::ONE));
    c
}
