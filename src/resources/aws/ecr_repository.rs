//! `aws_ecr_repository`: image storage per GB-month from usage `storage_gb` (the repository
//! itself is free; transfer out of the region is egress).

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

use super::usage_parts::scaled;

pub const FAMILY: Family = Family {
    name: "aws_ecr_repository",
    cloud: "aws",
    types: &["aws_ecr_repository"],
    reads: &[],
    price_keys: &["ecr/storage"],
    cost,
};

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    c.add(scaled(
        v,
        "image storage",
        "ecr/storage",
        "storage_gb",
        Decimal::ONE,
        "GB-months",
    ));
    c
}
