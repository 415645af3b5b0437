//! `aws_ssm_parameter`: standard parameters are free; an advanced parameter costs a flat
//! monthly fee. `Intelligent-Tiering` creates a standard parameter unless the value or its
//! policies need the advanced tier, which only AWS decides at write time. An unset `tier`
//! (unknown in a plan) takes the account's default tier, Standard unless changed.

use crate::money::Decimal;
use crate::resources::family::*;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "aws_ssm_parameter",
    cloud: Cloud::Aws,
    types: &["aws_ssm_parameter"],
    reads: &["tier"],
    price_keys: &["ssm/advanced-parameter"],
    usage: &[],
    regions: Regions::Only(&["us-east-1"]),
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let tier = v.get("tier");
    if tier.is_unknown() {
        c.notes.push(
            "`tier` not set: the account's default parameter tier applies (Standard, free, \
             unless the account default was changed)"
                .into(),
        );
        return c;
    }
    {
        match tier.as_str().unwrap_or("Standard") {
            "Advanced" => c.add(v.component(
                "advanced parameter",
                "ssm/advanced-parameter",
                Decimal::ONE,
                "months",
            )),
            "Intelligent-Tiering" => c.notes.push(
                "Intelligent-Tiering: assumed standard (free); AWS upgrades it to advanced \
                 ($0.05/month) when the value exceeds 4 KB or it has policies"
                    .into(),
            ),
            _ => c.notes.push("standard parameters are free".into()),
        }
    }
    c
}
