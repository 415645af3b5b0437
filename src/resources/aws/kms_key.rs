//! `aws_kms_key`: a customer managed KMS key is a flat monthly fee while it exists, enabled or
//! disabled (AWS-managed keys are not Terraform resources). A key pending deletion is no longer
//! billed, but Terraform deletes it only on destroy. Rotated key material and API requests add
//! cost that depends on the key's age and its callers: noted, not guessed.

use crate::money::Decimal;
use crate::resources::family::{Cloud, Family, Regions};
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "aws_kms_key",
    cloud: Cloud::Aws,
    types: &["aws_kms_key"],
    reads: &["enable_key_rotation"],
    price_keys: &[KEY],
    regions: Regions::Only(&["us-east-1"]),
    cost,
    ..Family::DEFAULTS
};

const KEY: &str = "kms/customer-managed-key";

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    c.add(v.component("customer managed key", KEY, Decimal::ONE, "months"));
    if v.get("enable_key_rotation").as_bool() == Some(true) {
        c.notes.push(
            "automatic rotation: each of the first two rotations adds $1/month for the key's \
             older material (not modelled: it depends on the key's age)"
                .into(),
        );
    }
    c.notes
        .push("API requests ($0.03 per 10,000, after the free tier) are not modelled".into());
    c
}
