//! `aws_db_instance`: an RDS instance (MySQL, PostgreSQL, MariaDB) by class × engine ×
//! Single-AZ/Multi-AZ, its provisioned storage (gp2/gp3/io1/io2/magnetic, with provisioned
//! IOPS and gp3 IOPS/throughput above the included baseline; Multi-AZ storage is billed
//! twice), backup storage beyond the free allowance (usage `backup_storage_gb`) and extended
//! support for engine versions past standard support. A read replica is priced like an
//! instance of its class. Oracle, SQL Server and Db2 are unpriced: their price depends on the
//! licence model and edition, which the catalog does not carry.

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

use super::usage_parts;

pub const FAMILY: Family = Family {
    name: "aws_db_instance",
    cloud: "aws",
    types: &["aws_db_instance"],
    reads: &[
        "instance_class",
        "engine",
        "engine_version",
        "multi_az",
        "allocated_storage",
        "storage_type",
        "iops",
        "storage_throughput",
        "replicate_source_db",
    ],
    price_keys: &[
        "rds/postgres/single-az/db.r6g.large",
        "rds/mysql/multi-az/db.r6g.large",
        "rds/storage/gp2",
        "rds/storage/gp3",
        "rds/storage/io1",
        "rds/iops/io1",
        "rds/gp3/iops",
        "rds/gp3/throughput",
        "rds/backup",
        "rds/extended-support/year1-2",
        "rds/extended-support/year3",
    ],
    cost,
};

/// Catalog engine name for a Terraform `engine`, or why it is not priced.
pub fn engine_key(engine: &str) -> Result<&'static str, String> {
    Ok(match engine {
        "mysql" => "mysql",
        "postgres" => "postgres",
        "mariadb" => "mariadb",
        "aurora-mysql" | "aurora" => "aurora-mysql",
        "aurora-postgresql" => "aurora-postgresql",
        e if e.starts_with("oracle") || e.starts_with("sqlserver") || e.starts_with("db2") => {
            return Err(format!(
                "engine `{e}`: the price depends on the licence model and edition, which the \
                 catalog does not carry"
            ))
        }
        e => return Err(format!("engine `{e}` is not priced")),
    })
}

/// The instance-hours line: `rds/<engine>/<deployment>/<class>`.
pub fn instance_line(v: &View, c: &mut Costing, engine: &str, deployment: &str, count: Decimal) {
    let class = match v.required_str("instance_class") {
        Ok(cl) => cl,
        Err(e) => return c.unpriced.push(e),
    };
    let key = format!("rds/{engine}/{deployment}/{class}");
    c.add(v.hourly(format!("{class} ({engine}, {deployment})"), &key, count));
    extended_support(v, c, engine, class, count);
}

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    // A replica inherits its engine from the source instance.
    let source = v
        .get("replicate_source_db")
        .as_str()
        .is_some()
        .then(|| v.linked(&["replicate_source_db"], &["identifier", "id", "arn"]))
        .flatten();
    let engine = match v.required_str("engine") {
        Err(_) if v.get("engine").is_unknown() && source.is_some() => source
            .as_ref()
            .map(|s| s.required_str("engine"))
            .unwrap_or_else(|| Err("`engine` is unknown until apply".into())),
        other => other,
    };
    let engine = match engine.and_then(engine_key) {
        Ok(e) => e,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    if engine.starts_with("aurora") {
        c.unpriced.push(
            "an Aurora engine on aws_db_instance: Aurora instances are aws_rds_cluster_instance"
                .into(),
        );
        return c;
    }
    let multi = v.get("multi_az").as_bool() == Some(true);
    let deployment = if multi { "multi-az" } else { "single-az" };
    instance_line(v, &mut c, engine, deployment, Decimal::ONE);
    storage(v, &mut c, multi);
    backup(v, &mut c);
    if v.get("replicate_source_db").as_str().is_some() {
        c.notes
            .push("read replica: billed as an instance of its class with its own storage".into());
    }
    c
}

/// Backup storage up to the provisioned size is free; beyond it is usage
/// (`backup_storage_gb`), priced only when given.
pub fn backup(v: &View, c: &mut Costing) {
    if v.usage("backup_storage_gb").is_some() {
        c.add(usage_parts::scaled(
            v,
            "backup storage beyond the free allowance",
            "rds/backup",
            "backup_storage_gb",
            Decimal::ONE,
            "GB-months",
        ));
    } else {
        c.notes.push(
            "backup storage up to the provisioned size is free; more is billed per GB-month \
             (usage `backup_storage_gb`)"
                .into(),
        );
    }
}

fn storage(v: &View, c: &mut Costing, multi: bool) {
    let size = match v.get("allocated_storage") {
        f if f.is_unknown() => {
            if v.get("replicate_source_db").as_str().is_some() {
                c.not_priced(
                    "replica storage: its size comes from the source instance (unknown until \
                     apply)"
                        .into(),
                );
            } else {
                c.unpriced.push(v.unknown_reason("allocated_storage"));
            }
            return;
        }
        f => match f.as_f64().and_then(crate::money::from_f64) {
            Some(s) => s,
            None => {
                c.not_priced("storage: `allocated_storage` not set".into());
                return;
            }
        },
    };
    let ty = match v.get("storage_type").as_str() {
        Some(t) => t.to_string(),
        None => {
            c.notes.push(
                "storage_type not set: the RDS API default gp2 (io1 when iops is set) applies"
                    .into(),
            );
            if v.get("iops").as_f64().is_some_and(|i| i > 0.0) {
                "io1".into()
            } else {
                "gp2".into()
            }
        }
    };
    let copies = if multi { Decimal::TWO } else { Decimal::ONE };
    if multi {
        c.notes
            .push("Multi-AZ: storage and provisioned IOPS are billed for both copies".into());
    }
    let label = format!("storage ({ty}, {size} GB)");
    c.add(v.component(
        label,
        &format!("rds/storage/{ty}"),
        size * copies,
        "GB-months",
    ));
    let iops = v.get("iops").as_f64().and_then(crate::money::from_f64);
    match ty.as_str() {
        "io1" | "io2" => {
            if let Some(i) = iops {
                c.add(v.component(
                    format!("provisioned IOPS ({i})"),
                    &format!("rds/iops/{ty}"),
                    i * copies,
                    "IOPS-months",
                ));
            }
        }
        "gp3" => {
            // Included: 3,000 IOPS / 125 MB/s below 400 GB, 12,000 / 500 from 400 GB.
            let big = size >= Decimal::from(400);
            let (base_iops, base_tp) = if big { (12_000, 500) } else { (3_000, 125) };
            if let Some(i) = iops.filter(|i| *i > Decimal::from(base_iops)) {
                c.add(v.component(
                    format!("gp3 IOPS above {base_iops}"),
                    "rds/gp3/iops",
                    (i - Decimal::from(base_iops)) * copies,
                    "IOPS-months",
                ));
            }
            let tp = v
                .get("storage_throughput")
                .as_f64()
                .and_then(crate::money::from_f64);
            if let Some(t) = tp.filter(|t| *t > Decimal::from(base_tp)) {
                c.add(v.component(
                    format!("gp3 throughput above {base_tp} MB/s"),
                    "rds/gp3/throughput",
                    (t - Decimal::from(base_tp)) * copies,
                    "MBps-months",
                ));
            }
        }
        _ => {}
    }
}

/// End of standard support (first day of extended support) by engine and major version,
/// from the RDS/Aurora release calendars. Years 1–2 after it bill `year1-2`, year 3 `year3`.
const STANDARD_SUPPORT_ENDS: &[(&str, &str, &str)] = &[
    ("postgres", "11", "2024-03-01"),
    ("postgres", "12", "2025-03-01"),
    ("postgres", "13", "2026-03-01"),
    ("mysql", "5.7", "2024-03-01"),
    ("aurora-postgresql", "11", "2024-03-01"),
    ("aurora-postgresql", "12", "2025-03-01"),
    ("aurora-mysql", "5.7", "2024-12-01"),
];

/// Extended-support line when the engine version is past standard support on the catalog's
/// date (per vCPU-hour of the class; vCPUs from the machine facts).
fn extended_support(v: &View, c: &mut Costing, engine: &str, class: &str, count: Decimal) {
    let Some(version) = v.get("engine_version").as_str() else {
        return;
    };
    let major = |m: &str| version == m || version.starts_with(&format!("{m}."));
    let Some((_, m, start)) = STANDARD_SUPPORT_ENDS
        .iter()
        .find(|(e, m, _)| *e == engine && major(m))
    else {
        return;
    };
    let Some(today) = v.ctx.catalogs.generated_at("aws") else {
        return;
    };
    let Ok(start) = chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d") else {
        return;
    };
    if today < start {
        return;
    }
    let year = (today - start).num_days() / 365 + 1;
    if year > 3 {
        c.notes.push(format!(
            "{engine} {m}: past the end of extended support; RDS upgrades it automatically"
        ));
        return;
    }
    let key = if year <= 2 {
        "rds/extended-support/year1-2"
    } else {
        "rds/extended-support/year3"
    };
    let ec2 = class.strip_prefix("db.").unwrap_or(class);
    let Some(vcpu) = v.ctx.catalogs.machine("aws", ec2).and_then(|m| m.vcpu) else {
        c.unpriced.push(format!(
            "{engine} {m} is in extended support, but the vCPU count of `{class}` is not known"
        ));
        return;
    };
    c.add(v.hourly(
        format!("extended support ({engine} {m}, year {year}, {vcpu} vCPU)"),
        key,
        Decimal::from(vcpu) * count,
    ));
    c.notes.push(format!(
        "{engine} {m} left standard support on {start}: extended support is billed per vCPU-hour \
         (as of the catalog date {today})"
    ));
}
