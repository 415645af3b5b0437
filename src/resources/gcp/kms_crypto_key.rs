//! `google_kms_crypto_key`: Cloud KMS bills each active key version per month by protection
//! level (SOFTWARE, HSM, EXTERNAL) and, for HSM, by algorithm. A new key has one version; a
//! `rotation_period` adds one per period and old versions stay active (billed) until
//! destroyed, which depends on the key's age: noted, not guessed. Cryptographic operations are
//! usage (`monthly_operations`, priced per 10,000).

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "google_kms_crypto_key",
    cloud: "gcp",
    types: &["google_kms_crypto_key"],
    reads: &[
        "purpose",
        "rotation_period",
        "version_template.0.protection_level",
        "version_template.0.algorithm",
        "skip_initial_version_creation",
    ],
    price_keys: &[SOFTWARE, HSM, HSM_LARGE, EXTERNAL, OPS, OPS_LARGE],
    cost,
};

const SOFTWARE: &str = "kms/software/key-version";
const HSM: &str = "kms/hsm/key-version";
const HSM_LARGE: &str = "kms/hsm-large/key-version";
const EXTERNAL: &str = "kms/external/key-version";
const OPS: &str = "kms/operations";
const OPS_LARGE: &str = "kms/hsm-large/operations";

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    if v.get("skip_initial_version_creation").as_bool() == Some(true) {
        c.notes
            .push("no initial key version: versions are created (and billed) later".into());
        return c;
    }
    let level = match v.get("version_template.0.protection_level") {
        f if f.is_unknown() => {
            c.unpriced
                .push(v.unknown_reason("version_template.0.protection_level"));
            return c;
        }
        f => f.as_str().unwrap_or("SOFTWARE").to_ascii_uppercase(),
    };
    let algo = v
        .get("version_template.0.algorithm")
        .as_str()
        .unwrap_or("GOOGLE_SYMMETRIC_ENCRYPTION")
        .to_ascii_uppercase();
    // RSA 3072/4096 and elliptic-curve keys cost more on HSM (first 2,000 versions).
    let large = algo.contains("3072") || algo.contains("4096") || algo.starts_with("EC_");
    let (key, ops) = match level.as_str() {
        "SOFTWARE" => (SOFTWARE, OPS),
        "HSM" if large => (HSM_LARGE, OPS_LARGE),
        "HSM" => (HSM, OPS),
        "EXTERNAL" | "EXTERNAL_VPC" => (EXTERNAL, OPS),
        other => {
            c.unpriced.push(format!(
                "protection level `{}` has no price in the catalog",
                crate::resources::azure::short(other)
            ));
            return c;
        }
    };
    c.add(v.component(
        format!("active key version ({level})"),
        key,
        Decimal::ONE,
        "version-months",
    ));
    c.add(super::per_10k_operations(
        v,
        "cryptographic operations (per 10,000)",
        ops,
        "monthly_operations",
    ));
    if v.get("rotation_period").as_str().is_some() {
        c.notes.push(
            "rotation adds a billed version each period until old versions are destroyed \
             (not modelled: it depends on the key's age)"
                .into(),
        );
    }
    c
}
