//! `google_secret_manager_secret`: Secret Manager bills active secret versions per location
//! per month and access operations per 10,000. Versions are separate resources
//! (`google_secret_manager_secret_version`, each one active version in every replica location);
//! the secret itself costs nothing until it has versions. Access is usage
//! (`monthly_access_operations`) on the secret. The monthly free tier (6 versions, 10,000
//! accesses per billing account) is not deducted.

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "google_secret_manager_secret",
    cloud: "gcp",
    types: &[
        "google_secret_manager_secret",
        "google_secret_manager_secret_version",
    ],
    reads: &["replication.0.user_managed.0.replicas", "enabled"],
    price_keys: &[VERSION, ACCESS],
    cost,
};

const VERSION: &str = "secret-manager/version";
const ACCESS: &str = "secret-manager/access";

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    if v.res.rtype == "google_secret_manager_secret" {
        c.add(super::per_10k_operations(
            v,
            "access operations (per 10,000)",
            ACCESS,
            "monthly_access_operations",
        ));
        c.notes
            .push("versions are priced on google_secret_manager_secret_version".into());
        return c;
    }
    // A version: one active version in each location of its secret.
    let locations = v
        .linked(&["secret"], &["id", "name"])
        .map(|s| {
            let n = s
                .get("replication.0.user_managed.0.replicas")
                .as_array()
                .len();
            if n == 0 {
                1
            } else {
                n
            }
        })
        .unwrap_or(1);
    if locations > 1 {
        c.notes.push(format!(
            "user-managed replication: billed in each of {locations} locations"
        ));
    }
    c.add(v.component(
        "active secret version",
        VERSION,
        Decimal::from(locations as u64),
        "version-months",
    ));
    c
}
