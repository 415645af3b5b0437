//! `aws_instance` and `aws_spot_instance_request`: compute hours, root and EBS block devices,
//! GPUs, and whether something stops the instance when idle.

use crate::money::Decimal;
use crate::resources::{Costing, IdleFacts, Side, View};

use super::ebs_volume::volume_components;
use super::{ec2_compute, launch_template, Nodes};
use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "aws_instance",
    cloud: Cloud::Aws,
    types: &["aws_instance", "aws_spot_instance_request"],
    reads: &[
        "ebs_block_device",
        "ebs_block_device.0.iops",
        "ebs_block_device.0.throughput",
        "ebs_block_device.0.volume_size",
        "ebs_block_device.0.volume_type",
        "instance_market_options.0.market_type",
        "instance_type",
        "launch_template.0.id",
        "launch_template.0.name",
        "root_block_device.0.iops",
        "root_block_device.0.throughput",
        "root_block_device.0.volume_size",
        "root_block_device.0.volume_type",
    ],
    price_keys: &[
        "ebs/{volume_type}/iops",
        "ebs/{volume_type}/storage",
        "ec2-spot/{instance_type}",
        "ec2/{instance_type}",
    ],
    usage: &[MONTHLY_HOURS],
    force_new: &["ami", "availability_zone", "subnet_id"],
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let lt = v.linked(
        &["launch_template.0.id", "launch_template.0.name"],
        &["id", "name"],
    );
    let (itype, lt_spot) = match (v.required_str("instance_type"), &lt) {
        (Ok(t), _) => (Ok(t), false),
        (Err(_), Some(lt)) => {
            let t = launch_template::read(lt);
            (t.instance_type, t.spot)
        }
        (Err(e), None) => (Err(e), false),
    };
    let spot = v.res.rtype == "aws_spot_instance_request"
        || lt_spot
        || v.get("instance_market_options.0.market_type").as_str() == Some("spot");
    match itype {
        Ok(t) => ec2_compute(v, &mut c, t, Nodes::one(), spot, "instance"),
        Err(e) => c.unpriced.push(e),
    }
    // Tenancy: the instance's own, else the template's. Dedicated and host tenancy have other
    // prices than the catalog's shared ones: not priced (the GPUs are still counted).
    // Read without recording: only a non-default tenancy is an input of the estimate.
    let own = v.attrs.get("tenancy").as_str();
    let tenancy = own.or_else(|| lt.as_ref()?.attrs.get("placement.0.tenancy").as_str());
    if let Some(t @ ("dedicated" | "host")) = tenancy {
        let from = match own {
            Some(_) => {
                v.record(v.attrs, "tenancy");
                ""
            }
            None => " (from the launch template)",
        };
        c.unpriced.push(format!(
            "tenancy `{t}`{from} is priced differently from shared instances; not in the catalog"
        ));
    }

    let num = |p: &str| {
        v.get(p)
            .as_f64()
            .filter(|f| *f >= 0.0)
            .and_then(crate::money::from_f64)
    };
    // The root volume is computed from the AMI at create. When the new side does not know it
    // but the old side does (replace, update), the AMI's volume is assumed unchanged so the
    // delta is not distorted by a volume that merely is unknown.
    let root = match (
        num("root_block_device.0.volume_size"),
        v.res.before.as_ref(),
    ) {
        (Some(_), _) => Some(v.attrs),
        (None, Some(b))
            if v.side == Side::After
                && b.get("root_block_device.0.volume_size").as_f64().is_some() =>
        {
            c.notes
                .push("root volume unknown until apply: assumed unchanged".into());
            Some(b)
        }
        _ => None,
    };
    match root {
        Some(a) => {
            let rn = |p: &str| {
                v.record(a, p);
                a.get(p)
                    .as_f64()
                    .filter(|f| *f >= 0.0)
                    .and_then(crate::money::from_f64)
            };
            let size = rn("root_block_device.0.volume_size").unwrap_or_default();
            let vt_path = "root_block_device.0.volume_type";
            v.record(a, vt_path);
            let vt = a.get(vt_path).as_str().unwrap_or("gp2");
            for comp in volume_components(
                v,
                "root volume",
                vt,
                size,
                rn("root_block_device.0.iops"),
                rn("root_block_device.0.throughput"),
                Decimal::ONE,
            ) {
                c.add(comp);
            }
        }
        // Launched from a template: its block device mappings give the volumes.
        None if lt
            .as_ref()
            .is_some_and(|lt| !lt.get("block_device_mappings").as_array().is_empty()) =>
        {
            if let Some(lt) = &lt {
                launch_template::add_block_devices(lt, &mut c, Decimal::ONE);
            }
        }
        None => c.not_priced("root volume size comes from the AMI; not priced".into()),
    }
    for (i, _) in v.get("ebs_block_device").as_array().iter().enumerate() {
        let p = |k: &str| format!("ebs_block_device.{i}.{k}");
        let Some(size) = num(&p("volume_size")) else {
            c.not_priced(format!("ebs_block_device {i}: size unknown; not priced"));
            continue;
        };
        let vt = v.get(&p("volume_type")).as_str().unwrap_or("gp2");
        for comp in volume_components(
            v,
            &format!("ebs_block_device {i}"),
            vt,
            size,
            num(&p("iops")),
            num(&p("throughput")),
            Decimal::ONE,
        ) {
            c.add(comp);
        }
    }
    if c.gpu.is_some() {
        c.idle = Some(idle(v));
    }
    c
}

/// Plain instances have no idle knob: look for a schedule tag, a CloudWatch alarm with an EC2
/// stop action on this instance, or an EventBridge Scheduler stopInstances target.
fn idle(v: &View) -> IdleFacts {
    let tag = v.res.tags.keys().find(|k| {
        let k = k.to_ascii_lowercase();
        k == "schedule" || k.ends_with(":schedule") || k == "auto-stop" || k == "autostop"
    });
    if let Some(t) = tag {
        return IdleFacts {
            interactive: false,
            autopause: "configured",
            detail: format!("schedule tag `{t}`"),
        };
    }
    for r in v.ctx.referrers_of(&v.res.address) {
        let Some(a) = r.current() else { continue };
        let stops = match r.rtype.as_str() {
            "aws_cloudwatch_metric_alarm" => a
                .get("alarm_actions")
                .as_array()
                .iter()
                .any(|x| x.as_str().is_some_and(|s| s.contains(":ec2:stop"))),
            "aws_scheduler_schedule" => a
                .str("target.0.arn")
                .is_some_and(|s| s.contains("ec2:stopInstances")),
            _ => false,
        };
        if stops {
            return IdleFacts {
                interactive: false,
                autopause: "configured",
                detail: format!("stopped by {}", r.address),
            };
        }
    }
    IdleFacts {
        interactive: false,
        autopause: "missing",
        detail: "no schedule tag, stop alarm or stop schedule found".into(),
    }
}
