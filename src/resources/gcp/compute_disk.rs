//! `google_compute_disk` / `google_compute_region_disk`: GB-months by `type` (regional disks
//! are replicated in two zones: twice the storage), plus provisioned IOPS for pd-extreme and
//! hyperdisk-extreme. Types without a catalog price (hyperdisk-balanced...) are unpriced.

use crate::money::Decimal;
use crate::resources::family::*;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "google_compute_disk",
    cloud: Cloud::Gcp,
    types: &["google_compute_disk", "google_compute_region_disk"],
    reads: &["size", "type"],
    price_keys: &["pd/{disk_type}/storage"],
    usage: &[],
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let dtype = match v.get("type").as_str() {
        Some(t) => crate::input::common::basename(t).to_string(),
        None => {
            c.notes.push("type not set: GCE creates pd-standard".into());
            "pd-standard".into()
        }
    };
    let size = match v.num_or("size", Decimal::ZERO) {
        Ok(s) if s > Decimal::ZERO => s,
        Ok(_) => {
            c.unpriced
                .push("`size` is not set (sized from its image or snapshot)");
            return c;
        }
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let replicas = if v.res.rtype == "google_compute_region_disk" {
        Decimal::TWO
    } else {
        Decimal::ONE
    };
    super::pd_storage(v, &mut c, "disk", &dtype, size, replicas);
    if matches!(dtype.as_str(), "pd-extreme" | "hyperdisk-extreme") {
        match v
            .get("provisioned_iops")
            .as_f64()
            .and_then(crate::money::from_f64)
        {
            Some(iops) => c.add(v.component(
                "provisioned IOPS",
                &format!("pd/{dtype}/iops"),
                iops,
                "IOPS-months",
            )),
            None => c.unpriced.push(format!(
                "`provisioned_iops` is not known for a {dtype} disk"
            )),
        }
    }
    c
}
