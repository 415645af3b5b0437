//! `aws_autoscaling_group`: `desired_capacity` instances (else `min_size`) of the launch
//! template's (or the first mixed-instances override's) type.

use crate::money::Decimal;
use crate::resources::{dec, whole, Costing, IdleFacts, Unpriced, View};

use super::ebs_volume::volume_components;
use super::{ec2_compute, launch_template, Nodes};
use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "aws_autoscaling_group",
    cloud: Cloud::Aws,
    types: &["aws_autoscaling_group"],
    reads: &["desired_capacity", "launch_template.0.id", "launch_template.0.name", "max_size", "min_size", "mixed_instances_policy.0.instances_distribution.0.on_demand_percentage_above_base_capacity", "mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_id", "mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_name", "mixed_instances_policy.0.launch_template.0.override.0.instance_type"],
    price_keys: &["ebs/{volume_type}/storage", "ec2/{instance_type}"],
    usage: &[MONTHLY_HOURS],
    taggable: false,
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let min = v.num_or("min_size", Decimal::ZERO);
    let max = v.num_or("max_size", Decimal::ZERO);
    let (min, max) = match (min, max) {
        (Ok(a), Ok(b)) => (whole(a), whole(b)),
        (Err(e), _) | (_, Err(e)) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let desired = match v.get("desired_capacity") {
        f if f.as_f64().is_some() => whole(
            v.num_or("desired_capacity", Decimal::ZERO)
                .unwrap_or_default(),
        ),
        // Omitted: AWS starts the group at min_size.
        _ => {
            c.notes
                .push("desired_capacity not set: AWS starts at min_size".into());
            min
        }
    };
    let nodes = Nodes { min, desired, max };
    let lt = v.linked(
        &[
            "launch_template.0.id",
            "launch_template.0.name",
            "mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_id",
            "mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_name",
        ],
        &["id", "name"],
    );
    let override_type = v
        .get("mixed_instances_policy.0.launch_template.0.override.0.instance_type")
        .as_str();
    let spot_pct = v
        .get("mixed_instances_policy.0.instances_distribution.0.on_demand_percentage_above_base_capacity")
        .as_f64();
    // A launch configuration (the older way) instead of a template.
    let lc = match lt {
        None => v.linked(&["launch_configuration"], &["id", "name"]),
        Some(_) => None,
    };
    let (itype, spot) = match (override_type, &lt, &lc) {
        (Some(t), _, _) => (Ok(t), spot_pct == Some(0.0)),
        (None, Some(lt), _) => {
            let t = launch_template::read(lt);
            (t.instance_type, t.spot)
        }
        (None, None, Some(lc)) => (
            lc.required_str("instance_type")
                .map_err(|e| format!("{}: {e}", lc.res.address).into()),
            lc.get("spot_price").as_str().is_some(),
        ),
        (None, None, None) => (
            Err(Unpriced::LinkNotFound {
                what: "launch template not found in the plan (instance type unknown)".into(),
            }),
            false,
        ),
    };
    match itype {
        Ok(t) => ec2_compute(v, &mut c, t, nodes, spot, "instances"),
        Err(e) => c.unpriced.push(e),
    }
    if let Some(lt) = &lt {
        launch_template::add_block_devices(lt, &mut c, dec(desired));
    }
    if let Some(lc) = &lc {
        launch_configuration_volumes(lc, &mut c, dec(desired));
    }
    if c.gpu.is_some() {
        let has_schedule = v
            .ctx
            .referrers_of(&v.res.address)
            .any(|r| r.rtype == "aws_autoscaling_schedule");
        c.idle = Some(IdleFacts {
            interactive: false,
            autopause: if min == 0 || has_schedule {
                "configured"
            } else {
                "missing"
            },
            detail: if min == 0 {
                "min_size = 0: the group can scale to zero".into()
            } else if has_schedule {
                "an aws_autoscaling_schedule scales this group".into()
            } else {
                format!("min_size = {min} keeps GPU instances running")
            },
        });
    }
    c
}

/// Root and EBS volumes of a launch configuration, for `nodes` instances.
fn launch_configuration_volumes(lc: &View, c: &mut Costing, nodes: Decimal) {
    let mut blocks: Vec<(String, String)> = Vec::new();
    if !lc.get("root_block_device").as_array().is_empty() {
        blocks.push(("root_block_device.0".into(), "root volume".into()));
    }
    for i in 0..lc.get("ebs_block_device").as_array().len() {
        blocks.push((
            format!("ebs_block_device.{i}"),
            format!("ebs_block_device {i}"),
        ));
    }
    for (p, name) in blocks {
        let num = |k: &str| {
            lc.get(&format!("{p}.{k}"))
                .as_f64()
                .filter(|f| *f >= 0.0)
                .and_then(crate::money::from_f64)
        };
        let Some(size) = num("volume_size") else {
            c.notes.push(format!(
                "launch configuration {name}: size comes from the AMI; not priced"
            ));
            continue;
        };
        let vt = lc
            .get(&format!("{p}.volume_type"))
            .as_str()
            .unwrap_or("gp2");
        for comp in volume_components(
            lc,
            &format!("launch configuration {name}"),
            vt,
            size,
            num("iops"),
            num("throughput"),
            nodes,
        ) {
            c.add(comp);
        }
    }
}
