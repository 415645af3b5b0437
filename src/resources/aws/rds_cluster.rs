//! `aws_rds_cluster` and `aws_rds_cluster_instance`: Aurora (MySQL/PostgreSQL) clusters and
//! their instances. The cluster bills storage and I/O (usage `storage_gb`, `io_requests`;
//! Aurora Standard) or storage only (I/O-Optimized, `storage_type = "aurora-iopt1"`), and
//! backup beyond the free allowance (`backup_storage_gb`). Each instance bills its class's
//! hours; an I/O-Optimized cluster's instances cost 30 % more. `db.serverless` instances bill
//! Aurora Serverless v2 ACU-hours: usage `average_acu`, else the cluster's
//! `serverlessv2_scaling_configuration.min_capacity` (the floor that is always billed).
//! A Multi-AZ DB cluster (engine `mysql`/`postgres` with `db_cluster_instance_class`) bills its
//! three instances at the Multi-AZ DB cluster rate (one price for the three).

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

use super::db_instance::{backup, engine_key, instance_line};
use super::usage_parts::{million, scaled};

pub const FAMILY: Family = Family {
    name: "aws_rds_cluster",
    cloud: "aws",
    types: &["aws_rds_cluster", "aws_rds_cluster_instance"],
    reads: &[
        "engine",
        "engine_version",
        "storage_type",
        "db_cluster_instance_class",
        "serverlessv2_scaling_configuration.0.min_capacity",
        "instance_class",
        "cluster_identifier",
    ],
    price_keys: &[
        "rds/aurora-postgresql/single-az/db.r6g.large",
        "rds/aurora/storage",
        "rds/aurora/io",
        "rds/aurora-iopt/storage",
        "rds/aurora/serverless-v2-acu",
        "rds/backup",
    ],
    cost,
};

/// Aurora I/O-Optimized instance premium over Aurora Standard (Aurora pricing page).
const IOPT_FACTOR: &str = "1.3";

fn cost(v: &View) -> Costing {
    match v.res.rtype.as_str() {
        "aws_rds_cluster_instance" => instance(v),
        _ => cluster(v),
    }
}

fn iopt(v: &View) -> bool {
    v.get("storage_type").as_str() == Some("aurora-iopt1")
}

fn cluster(v: &View) -> Costing {
    let mut c = Costing::default();
    let engine = match v.required_str("engine").and_then(engine_key) {
        Ok(e) => e,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    if !engine.starts_with("aurora") {
        // Multi-AZ DB cluster: one writer and two readable standbys of one class.
        match v.required_str("db_cluster_instance_class") {
            Ok(_) => {
                let mut tmp = Costing::default();
                let class = v.get("db_cluster_instance_class").as_str().unwrap_or("");
                let key = format!("rds/{engine}/multi-az-cluster/{class}");
                // The Multi-AZ DB cluster rate covers the writer and both standbys.
                tmp.add(v.hourly(
                    format!("{class} ({engine}, Multi-AZ DB cluster: writer + 2 standbys)"),
                    &key,
                    Decimal::ONE,
                ));
                c.components.extend(tmp.components);
                c.unpriced.extend(tmp.unpriced);
                c.not_priced(
                    "Multi-AZ DB cluster storage and IOPS are not priced (no catalog rate)".into(),
                );
            }
            Err(e) => c.unpriced.push(e),
        }
        return c;
    }
    if iopt(v) {
        c.add(scaled(
            v,
            "cluster storage (I/O-Optimized)",
            "rds/aurora-iopt/storage",
            "storage_gb",
            Decimal::ONE,
            "GB-months",
        ));
        c.notes
            .push("I/O-Optimized: no I/O charge; instances cost 30% more".into());
    } else {
        c.add(scaled(
            v,
            "cluster storage (Standard)",
            "rds/aurora/storage",
            "storage_gb",
            Decimal::ONE,
            "GB-months",
        ));
        c.add(scaled(
            v,
            "I/O requests",
            "rds/aurora/io",
            "io_requests",
            million(),
            "1M requests",
        ));
    }
    backup(v, &mut c);
    c.notes.push(
        "instances are priced on their aws_rds_cluster_instance resources (the cluster has no \
         compute of its own)"
            .into(),
    );
    c
}

fn instance(v: &View) -> Costing {
    let mut c = Costing::default();
    let cluster = v.linked(&["cluster_identifier"], &["cluster_identifier", "id"]);
    // `engine = aws_rds_cluster.x.engine` is unknown in a plan: the cluster says it.
    let engine = match (v.required_str("engine"), &cluster) {
        (Err(_), Some(cl)) if v.get("engine").is_unknown() => cl.required_str("engine"),
        (e, _) => e,
    };
    let engine = match engine.and_then(engine_key) {
        Ok(e) => e,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let class = v.get("instance_class").as_str();
    if class == Some("db.serverless") {
        let min = cluster
            .as_ref()
            .and_then(|cl| {
                cl.get("serverlessv2_scaling_configuration.0.min_capacity")
                    .as_f64()
            })
            .and_then(crate::money::from_f64);
        let acu = v.usage("average_acu").or(min);
        match acu {
            Some(a) => {
                let mut line = v.hourly(
                    format!("Aurora Serverless v2 ({a} ACU average)"),
                    "rds/aurora/serverless-v2-acu",
                    a,
                );
                if let Ok(l) = &mut line {
                    l.usage_based = true;
                }
                c.add(line);
                if v.usage("average_acu").is_none() {
                    c.notes.push(
                        "ACUs: the cluster's min_capacity (always billed); set `average_acu` in \
                         the usage file for the real load"
                            .into(),
                    );
                }
            }
            None => c.unpriced.push(
                "Aurora Serverless v2: no min_capacity on the cluster and no `average_acu` usage"
                    .into(),
            ),
        }
        return c;
    }
    let deployment = "single-az";
    instance_line(v, &mut c, engine, deployment, Decimal::ONE);
    if cluster.as_ref().is_some_and(iopt) {
        let f: Decimal = IOPT_FACTOR.parse().unwrap_or(Decimal::ONE);
        if let Some(first) = c.components.first_mut() {
            first.unit_price *= f;
            first.monthly_cost *= f;
            first.note = Some("I/O-Optimized cluster: Standard instance price × 1.3".into());
        }
    }
    c
}
