//! `aws_fsx_lustre_file_system`: `storage_capacity` GiB at the deployment type's price
//! (`fsx-lustre/PERSISTENT_2-125/storage` for persistent types with their per-unit throughput,
//! `fsx-lustre/SCRATCH_2/storage` for scratch). Deployment type defaults to SCRATCH_1.

use crate::money::Decimal;
use crate::resources::family::*;
use crate::resources::{Costing, Unpriced, View};

pub const FAMILY: Family = Family {
    name: "aws_fsx_lustre_file_system",
    cloud: Cloud::Aws,
    types: &["aws_fsx_lustre_file_system"],
    reads: &[
        "deployment_type",
        "per_unit_storage_throughput",
        "storage_capacity",
        "storage_type",
    ],
    price_keys: &["fsx-lustre/{deployment_type}/storage"],
    usage: &[],
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let dep = v.get("deployment_type").as_str().unwrap_or("SCRATCH_1");
    let key = if dep.starts_with("PERSISTENT") {
        match v.get("per_unit_storage_throughput").as_f64() {
            Some(t) => format!("fsx-lustre/{dep}-{t}/storage"),
            None => {
                c.unpriced.push(format!(
                    "`per_unit_storage_throughput` is not known for a {dep} file system"
                ));
                return c;
            }
        }
    } else {
        format!("fsx-lustre/{dep}/storage")
    };
    let key = if v.get("storage_type").as_str() == Some("HDD") {
        key.replace("/storage", "-HDD/storage")
    } else {
        key
    };
    match v.num_or("storage_capacity", Decimal::ZERO) {
        Ok(s) if s > Decimal::ZERO => {
            c.add(v.component(format!("{dep} storage ({s} GiB)"), &key, s, "GB-months"))
        }
        Ok(_) => c.unpriced.push(Unpriced::NotSet {
            attr: "storage_capacity".into(),
        }),
        Err(e) => c.unpriced.push(e),
    }
    c
}
