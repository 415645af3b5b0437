//! EC2 capacity held for GPUs whether or not anything runs in it:
//!
//! * `aws_ec2_capacity_reservation` (On-Demand Capacity Reservation): billed at the on-demand
//!   rate of its instance type for every reserved instance, used or not, until it ends.
//! * `aws_ec2_capacity_block_reservation` (EC2 Capacity Blocks for ML): a fee paid for the
//!   block's whole duration at the Capacity Block rate of its instance type; shown as the block
//!   total and as a monthly equivalent (the fee falls in the months the block runs; a block of
//!   up to 730 hours counts whole in one month), with its dates. The block's type, count and
//!   dates come from its offering and are known once the block exists; before that they are
//!   unknown until apply and the block is unpriced, never guessed.
//!
//! Both report the GPUs they hold (2 × p5.48xlarge = 16 H100) for gpu-quota, and say when
//! nothing in the configuration uses the reservation ("reserved but idle").

use chrono::DateTime;

use crate::money::{Decimal, HOURS_PER_MONTH};
use crate::resources::family::Family;
use crate::resources::{dec, Costing, GpuFacts, View};

use super::{ec2_compute, Nodes};

pub const FAMILY: Family = Family {
    name: "aws_ec2_capacity_reservation",
    cloud: "aws",
    types: &[
        "aws_ec2_capacity_reservation",
        "aws_ec2_capacity_block_reservation",
    ],
    reads: &[
        "instance_type",
        "instance_count",
        "instance_platform",
        "tenancy",
        "end_date_type",
        "start_date",
        "end_date",
    ],
    // The keys are per instance type (`ec2/<type>`, `capacity-block/<type>`); these are the
    // fixture's.
    price_keys: &[
        "ec2/p5.48xlarge",
        "ec2/g5.xlarge",
        "capacity-block/p5.48xlarge",
    ],
    cost,
};

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    if let Some(p) = v
        .get("instance_platform")
        .as_str()
        .filter(|p| *p != "Linux/UNIX")
    {
        c.unpriced.push(format!(
            "platform `{p}` is priced differently from Linux; not in the catalog"
        ));
        return c;
    }
    if let Some(t @ ("dedicated" | "host")) = v.get("tenancy").as_str() {
        c.unpriced.push(format!(
            "tenancy `{t}` is priced differently from shared instances; not in the catalog"
        ));
        return c;
    }
    let itype = match v.required_str("instance_type") {
        Ok(t) => t,
        Err(e) => {
            c.unpriced.push(if block(v) {
                format!("{e}: a block's instance type, count and dates come from its offering")
            } else {
                e
            });
            return c;
        }
    };
    let count = match v.get("instance_count") {
        f if f.is_unknown() => {
            c.unpriced.push(v.unknown_reason("instance_count"));
            return c;
        }
        f => f.as_f64().map(|n| n.max(0.0) as u64).unwrap_or(1),
    };
    // Instances that launch into the reservation are billed through it: they are priced on
    // themselves, the reservation for the instances it holds beyond them.
    let inside = instances_inside(v);
    let held = count.saturating_sub(inside);
    if inside > 0 {
        c.notes.push(format!(
            "{inside} instance(s) of the configuration run in the reservation and are priced \
             on themselves; the reservation is priced for the other {held}"
        ));
    }
    let nodes = Nodes {
        min: held,
        desired: held,
        max: held,
    };
    if block(v) {
        capacity_block(v, &mut c, itype, nodes);
    } else {
        ec2_compute(v, &mut c, itype, nodes, false, "reserved capacity");
        c.notes.push(
            "billed at the on-demand rate for every reserved instance, whether instances run \
             in it or not"
                .into(),
        );
    }
    if held == 0 {
        c.gpu = None;
    }
    if held > 0 && !consumed(v, itype) {
        c.notes.push(
            "reserved but idle: nothing in this configuration launches into the reservation \
             (no instance, launch template or group of its type targets it)"
                .into(),
        );
    }
    c
}

fn block(v: &View) -> bool {
    v.res.rtype == "aws_ec2_capacity_block_reservation"
}

/// A Capacity Block: count × hours of the block × the block rate.
fn capacity_block(v: &View, c: &mut Costing, itype: &str, nodes: Nodes) {
    let date = |p: &str| {
        v.get(p)
            .as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
    };
    let (start, end) = match (date("start_date"), date("end_date")) {
        (Some(s), Some(e)) if e > s => (s, e),
        _ => {
            c.unpriced.push(
                "the block's `start_date` and `end_date` are unknown until apply (they come \
                 from its offering)"
                    .into(),
            );
            return;
        }
    };
    let hours = Decimal::from((end - start).num_minutes()) / Decimal::from(60);
    let key = format!("capacity-block/{itype}");
    let in_month = hours.min(HOURS_PER_MONTH);
    let label = format!(
        "capacity block ({} × {itype}, {} to {})",
        nodes.desired,
        start.format("%Y-%m-%d %H:%M"),
        end.format("%Y-%m-%d %H:%M")
    );
    match v.component(label, &key, dec(nodes.desired) * in_month, "instance-hours") {
        Ok(comp) => {
            let total = comp.unit_price * dec(nodes.desired) * hours;
            c.notes.push(format!(
                "block total ${} for {} hours ({} × {itype} at ${}/hour), paid for the whole \
                 block{}",
                total.round_dp(2),
                hours.normalize(),
                nodes.desired,
                comp.unit_price,
                if hours > HOURS_PER_MONTH {
                    format!(
                        "; monthly equivalent over {} months",
                        (hours / HOURS_PER_MONTH).round_dp(1)
                    )
                } else {
                    "; counted in full in the month it runs".into()
                }
            ));
            c.components.push(comp);
        }
        Err(e) => c.unpriced.push(e),
    }
    if let Some(g) = v
        .ctx
        .catalogs
        .machine("aws", itype)
        .and_then(|m| m.gpu.as_ref())
    {
        c.gpu = Some(GpuFacts::new(g, nodes.min, nodes.desired, nodes.max, false));
    }
}

/// Single instances (`aws_instance`) whose configuration targets this reservation.
fn instances_inside(v: &View) -> u64 {
    v.ctx
        .referrers_of(&v.res.address)
        .filter(|r| r.rtype == "aws_instance" && r.action.has_after())
        .count() as u64
}

/// Does anything in the configuration launch into this reservation? A reference to it (an
/// instance's or launch template's `capacity_reservation_specification`, a group's), or for
/// an `open` reservation an instance, template or group of the same type.
fn consumed(v: &View, itype: &str) -> bool {
    if v.ctx
        .referrers_of(&v.res.address)
        .any(|r| r.address != v.res.address)
    {
        return true;
    }
    if v.get("instance_match_criteria").as_str() == Some("targeted") {
        return false;
    }
    v.ctx.project.resources.iter().any(|r| {
        matches!(
            r.rtype.as_str(),
            "aws_instance" | "aws_launch_template" | "aws_eks_node_group"
        ) && r.current().is_some_and(|a| {
            a.get("instance_type").as_str() == Some(itype)
                || a.get("instance_types")
                    .as_array()
                    .iter()
                    .any(|t| t.as_str() == Some(itype))
        })
    })
}
