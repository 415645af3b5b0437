//! `aws_eks_node_group`: `scaling_config.desired_size` nodes of the first of `instance_types`
//! (or the launch template's type), spot when `capacity_type = SPOT`, plus node disks.

use crate::money::Decimal;
use crate::resources::{dec, whole, Costing, IdleFacts, View};

use super::ebs_volume::volume_components;
use super::{ec2_compute, launch_template, Nodes};
use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "aws_eks_node_group",
    cloud: Cloud::Aws,
    types: &["aws_eks_node_group"],
    reads: &[
        "capacity_type",
        "disk_size",
        "instance_types",
        "launch_template.0.id",
        "launch_template.0.name",
        "scaling_config.0.desired_size",
        "scaling_config.0.max_size",
        "scaling_config.0.min_size",
    ],
    price_keys: &[
        "ebs/{volume_type}/storage",
        "ec2-spot/{instance_type}",
        "ec2/{instance_type}",
    ],
    usage: &[MONTHLY_HOURS],
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let n = |k: &str| {
        v.num_or(&format!("scaling_config.0.{k}"), Decimal::ZERO)
            .map(whole)
    };
    let nodes = match (n("min_size"), n("desired_size"), n("max_size")) {
        (Ok(min), Ok(desired), Ok(max)) => Nodes { min, desired, max },
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let spot = v.get("capacity_type").as_str() == Some("SPOT");
    let lt = v.linked(
        &["launch_template.0.id", "launch_template.0.name"],
        &["id", "name"],
    );
    let types: Vec<&str> = v
        .get("instance_types")
        .as_array()
        .iter()
        .filter_map(|x| x.as_str())
        .collect();
    let itype = match (types.first(), &lt) {
        (Some(t), _) => Ok(*t),
        (None, Some(lt)) => launch_template::read(lt).instance_type,
        // Unknown until apply: not priced (never a guessed default).
        (None, None)
            if v.unknown_from_config("instance_types")
                || v.unknown_from_config("instance_types.0") =>
        {
            Err("instance_types is unknown until apply; not priced".into())
        }
        // Not set: the EKS API default (CreateNodegroup: instanceTypes defaults to t3.medium).
        (None, None) => Ok("t3.medium"),
    };
    if types.len() > 1 {
        c.notes.push(format!(
            "several instance types: priced as the first, {}; also allowed: {}",
            types[0],
            types[1..].join(", ")
        ));
    }
    if types.is_empty() && lt.is_none() && itype.is_ok() {
        c.notes
            .push("instance_types not set: EKS uses t3.medium".into());
    }
    match itype {
        Ok(t) => ec2_compute(v, &mut c, t, nodes, spot, "nodes"),
        Err(e) => c.unpriced.push(e),
    }
    match &lt {
        Some(lt) => launch_template::add_block_devices(lt, &mut c, dec(nodes.desired)),
        None => {
            // Without a launch template EKS gives each node a gp2 disk of disk_size (default 20).
            let size = v
                .num_or("disk_size", Decimal::from(20))
                .unwrap_or(Decimal::from(20));
            for comp in
                volume_components(v, "node disk", "gp2", size, None, None, dec(nodes.desired))
            {
                c.add(comp);
            }
        }
    }
    if c.gpu.is_some() {
        c.idle = Some(IdleFacts::scale_floor(nodes.min, "scaling_config.min_size"));
    }
    c
}
