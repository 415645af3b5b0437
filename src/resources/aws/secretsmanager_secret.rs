//! `aws_secretsmanager_secret`: a flat monthly fee per secret (each replica region counts as a
//! secret) plus API calls from usage (`api_calls`, per 10,000).

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

use super::usage_parts::scaled;

pub const FAMILY: Family = Family {
    name: "aws_secretsmanager_secret",
    cloud: "aws",
    types: &["aws_secretsmanager_secret"],
    reads: &["replica"],
    price_keys: &["secretsmanager/secret", "secretsmanager/api"],
    cost,
};

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let replicas = v.get("replica").as_array().len();
    c.add(v.component(
        if replicas > 0 {
            format!("secret (+{replicas} replica(s))")
        } else {
            "secret".to_string()
        },
        "secretsmanager/secret",
        Decimal::from(1 + replicas),
        "months",
    ));
    c.add(scaled(
        v,
        "API calls",
        "secretsmanager/api",
        "api_calls",
        Decimal::from(10_000),
        "10k calls",
    ));
    c
}
