//! `aws_autoscaling_group`: `desired_capacity` instances (else `min_size`) of the launch
//! template's (or the first mixed-instances override's) type.

use crate::money::Decimal;
use crate::resources::{dec, whole, Costing, IdleFacts, View};

use super::{ec2_compute, launch_template, Nodes};

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
    let (itype, spot) = match (override_type, &lt) {
        (Some(t), _) => (Ok(t), spot_pct == Some(0.0)),
        (None, Some(lt)) => {
            let t = launch_template::read(lt);
            (t.instance_type, t.spot)
        }
        (None, None) => (
            Err("launch template not found in the plan (instance type unknown)".to_string()),
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
