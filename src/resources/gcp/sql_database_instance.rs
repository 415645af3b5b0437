//! `google_sql_database_instance`: Cloud SQL (Enterprise edition) bills vCPU-hours and memory
//! GB-hours of the tier (`db-custom-<vCPU>-<MB>`, `db-n1-standard-N` = 3.75 GB per vCPU,
//! `db-n1-highmem-N` = 6.5 GB) plus provisioned storage per GB-month (SSD or HDD); a
//! REGIONAL (high-availability) instance bills compute and storage twice. Shared-core tiers,
//! Enterprise Plus and the SQL Server licence have no price in the catalog: unpriced or left
//! out with the reason. Backups, IP addresses and network are not modelled.

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "google_sql_database_instance",
    cloud: "gcp",
    types: &["google_sql_database_instance"],
    reads: &[
        "database_version",
        "settings.0.tier",
        "settings.0.edition",
        "settings.0.availability_type",
        "settings.0.disk_size",
        "settings.0.disk_type",
    ],
    price_keys: &[VCPU, MEMORY, SSD, HDD],
    cost,
};

const VCPU: &str = "cloudsql/vcpu-hour";
const MEMORY: &str = "cloudsql/memory-gb-hour";
const SSD: &str = "cloudsql/ssd-gb-month";
const HDD: &str = "cloudsql/hdd-gb-month";

/// vCPUs and memory (GB) of a dedicated-core tier.
fn tier_shape(tier: &str) -> Option<(Decimal, Decimal)> {
    if let Some(rest) = tier.strip_prefix("db-custom-") {
        let (cpu, mb) = rest.split_once('-')?;
        let cpu: u32 = cpu.parse().ok()?;
        let mb: u32 = mb.parse().ok()?;
        return Some((Decimal::from(cpu), Decimal::from(mb) / Decimal::from(1024)));
    }
    for (prefix, gb_per_cpu) in [
        ("db-n1-standard-", Decimal::new(375, 2)),
        ("db-n1-highmem-", Decimal::new(65, 1)),
    ] {
        if let Some(n) = tier.strip_prefix(prefix) {
            let n: u32 = n.parse().ok()?;
            return Some((Decimal::from(n), Decimal::from(n) * gb_per_cpu));
        }
    }
    None
}

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let tier = match v.required_str("settings.0.tier") {
        Ok(t) => t,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    if v.get("settings.0.edition").as_str() == Some("ENTERPRISE_PLUS") {
        c.unpriced
            .push("Cloud SQL Enterprise Plus rates are not in the catalog".into());
        return c;
    }
    let Some((cpus, gb)) = tier_shape(tier) else {
        c.unpriced.push(format!(
            "Cloud SQL tier `{}` is not priced (shared-core and other tiers are not in the catalog)",
            crate::resources::azure::short(tier)
        ));
        return c;
    };
    let ha = v.get("settings.0.availability_type").as_str() == Some("REGIONAL");
    let copies = if ha { Decimal::TWO } else { Decimal::ONE };
    let label = if ha { " (HA: primary + standby)" } else { "" };
    c.add(v.hourly(format!("{tier} vCPUs{label}"), VCPU, cpus * copies));
    c.add(v.hourly(format!("{tier} memory GB{label}"), MEMORY, gb * copies));
    let size = match v.num_or("settings.0.disk_size", Decimal::TEN) {
        Ok(s) => s,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let hdd = v.get("settings.0.disk_type").as_str() == Some("PD_HDD");
    c.add(v.component(
        format!("{} storage{label}", if hdd { "HDD" } else { "SSD" }),
        if hdd { HDD } else { SSD },
        size * copies,
        "GB-months",
    ));
    if v.get("database_version")
        .as_str()
        .is_some_and(|d| d.starts_with("SQLSERVER"))
    {
        c.not_priced("SQL Server licence not priced (not in the catalog)".into());
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_have_shapes() {
        assert_eq!(
            tier_shape("db-custom-4-16384"),
            Some((Decimal::from(4), Decimal::from(16)))
        );
        assert_eq!(
            tier_shape("db-n1-standard-2"),
            Some((Decimal::from(2), Decimal::new(75, 1)))
        );
        assert_eq!(tier_shape("db-f1-micro"), None);
    }
}
