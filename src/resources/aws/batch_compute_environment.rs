//! `aws_batch_compute_environment`: managed EC2/SPOT environments run between `min_vcpus` and
//! `max_vcpus` of the listed instance types. Priced at `desired_vcpus` (else `min_vcpus`)
//! worth of the first concrete type; GPU facts carry the max instances
//! (⌊max_vcpus ÷ vCPU of the type⌋). Families (`p3`), `optimal` and Fargate are not priced.

use crate::resources::{Costing, IdleFacts, View};

use super::{ec2_compute, Nodes};
use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "aws_batch_compute_environment",
    cloud: Cloud::Aws,
    types: &["aws_batch_compute_environment"],
    reads: &[
        "compute_resources.0.desired_vcpus",
        "compute_resources.0.instance_type",
        "compute_resources.0.max_vcpus",
        "compute_resources.0.min_vcpus",
        "compute_resources.0.type",
        "type",
    ],
    price_keys: &["ec2/{instance_type}"],
    usage: &[MONTHLY_HOURS],
    cost,
    ..Family::DEFAULTS
};

const CR: &str = "compute_resources.0";

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    if v.get("type").as_str() == Some("UNMANAGED") {
        c.notes
            .push("unmanaged environment: its instances are priced where they are declared".into());
        return c;
    }
    let ctype = v.get(&format!("{CR}.type")).as_str().unwrap_or("EC2");
    if ctype.starts_with("FARGATE") {
        c.unpriced
            .push(format!("{ctype} compute environments are not modelled"));
        return c;
    }
    let types: Vec<&str> = v
        .get(&format!("{CR}.instance_type"))
        .as_array()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    let Some(itype) = types.iter().copied().find(|t| t.contains('.')) else {
        c.unpriced.push(format!(
            "instance types {types:?} are families or `optimal`: the instance type is chosen at run time"
        ));
        return c;
    };
    let Some(vcpu) = v
        .ctx
        .catalogs
        .machine("aws", itype)
        .and_then(|m| m.vcpu)
        .filter(|n| *n > 0)
    else {
        c.unpriced.push(format!(
            "vCPU count of `{itype}` is not in the machine catalog"
        ));
        return c;
    };
    let vcpus = |k: &str| {
        v.get(&format!("{CR}.{k}"))
            .as_f64()
            .map(|x| x.max(0.0) as u64)
    };
    let per = u64::from(vcpu);
    let min = vcpus("min_vcpus").unwrap_or(0).div_ceil(per);
    let max = vcpus("max_vcpus").unwrap_or(0) / per;
    let desired = vcpus("desired_vcpus")
        .map(|d| d.div_ceil(per))
        .unwrap_or(min);
    if types.len() > 1 {
        c.notes
            .push(format!("several instance types: priced as {itype}"));
    }
    let nodes = Nodes {
        min,
        desired,
        max: max.max(desired),
    };
    ec2_compute(v, &mut c, itype, nodes, ctype == "SPOT", "instances");
    if c.gpu.is_some() {
        c.idle = Some(IdleFacts::scale_floor(min, "min_vcpus (instances)"));
    }
    c
}
