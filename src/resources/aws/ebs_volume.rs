//! `aws_ebs_volume`, and EBS pricing shared with instances, launch templates and node groups.
//!
//! gp3 includes 3,000 IOPS and 125 MB/s; more is billed per provisioned IOPS-month and
//! MB/s-month. io1/io2 bill every provisioned IOPS (io2 in tiers).

use crate::money::Decimal;
use crate::resources::family::*;
use crate::resources::{Component, Costing, Unpriced, View};

pub const FAMILY: Family = Family {
    name: "aws_ebs_volume",
    cloud: Cloud::Aws,
    types: &["aws_ebs_volume"],
    reads: &["iops", "size", "throughput", "type"],
    price_keys: &[
        "ebs/gp3/throughput",
        "ebs/{volume_type}/iops",
        "ebs/{volume_type}/storage",
    ],
    usage: &[],
    regions: Regions::Only(&["us-east-1"]),
    force_new: &["availability_zone", "snapshot_id", "encrypted"],
    cost,
    ..Family::DEFAULTS
};

/// Components of `count` volumes of `size` GB. `vtype` is gp2/gp3/io1/io2/st1/sc1/standard.
pub fn volume_components(
    v: &View,
    name: &str,
    vtype: &str,
    size: Decimal,
    iops: Option<Decimal>,
    throughput: Option<Decimal>,
    count: Decimal,
) -> Vec<Result<Component, Unpriced>> {
    let mut out = Vec::new();
    if size.is_sign_negative()
        || iops.is_some_and(|i| i.is_sign_negative())
        || throughput.is_some_and(|t| t.is_sign_negative())
    {
        out.push(Err(
            format!("{name}: negative size, IOPS or throughput").into()
        ));
        return out;
    }
    let storage_key = format!("ebs/{vtype}/storage");
    if !v.ctx.catalogs.knows("aws", &storage_key) {
        out.push(Err(format!("unknown EBS volume type `{vtype}`").into()));
        return out;
    }
    out.push(
        v.component(
            format!("{name} storage ({vtype}, {size} GB)"),
            &storage_key,
            size * count,
            "GB-months",
        )
        .map(|c| c.with_volume(vtype, size, count)),
    );
    match vtype {
        "gp3" => {
            if let Some(i) = iops.filter(|i| *i > Decimal::from(3000)) {
                out.push(v.component(
                    format!("{name} IOPS above 3000"),
                    "ebs/gp3/iops",
                    (i - Decimal::from(3000)) * count,
                    "IOPS-months",
                ));
            }
            if let Some(t) = throughput.filter(|t| *t > Decimal::from(125)) {
                out.push(v.component(
                    format!("{name} throughput above 125 MB/s"),
                    "ebs/gp3/throughput",
                    (t - Decimal::from(125)) * count,
                    "MBps-months",
                ));
            }
        }
        "io1" | "io2" => {
            if let Some(i) = iops {
                // io2's IOPS tiers apply per volume, so price one volume and scale.
                let one = v.component(
                    format!("{name} provisioned IOPS"),
                    &format!("ebs/{vtype}/iops"),
                    i,
                    "IOPS-months",
                );
                out.push(one.map(|mut c| {
                    c.quantity *= count;
                    c.monthly_cost *= count;
                    c
                }));
            } else {
                out.push(Err(format!(
                    "{name}: `iops` is not set for a {vtype} volume"
                )
                .into()));
            }
        }
        _ => {}
    }
    out
}

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let vtype = match v.get("type").as_str() {
        Some(t) => t.to_string(),
        None => {
            c.notes
                .push("volume type not set: AWS creates gp2 (CreateVolume default)".into());
            "gp2".into()
        }
    };
    let size = match v.num_or("size", Decimal::ZERO) {
        Ok(s) if s > Decimal::ZERO => s,
        Ok(_) => {
            c.unpriced
                .push("`size` is not set (volume sized from its snapshot)");
            return c;
        }
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let iops = v.get("iops").as_f64().and_then(crate::money::from_f64);
    let tp = v
        .get("throughput")
        .as_f64()
        .and_then(crate::money::from_f64);
    for comp in volume_components(v, "volume", &vtype, size, iops, tp, Decimal::ONE) {
        c.add(comp);
    }
    c
}
