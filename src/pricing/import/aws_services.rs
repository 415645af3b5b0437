//! AWS managed services from the per-service tables under `services/` (see
//! `../shared/pricing-sources/SOURCES.md`): RDS instance classes (engine × deployment),
//! ElastiCache nodes (engine), OpenSearch instances and SageMaker real-time hosting, each in
//! every region its table lists.
//!
//! Keys written (all per instance-hour):
//! * `rds/<engine>/<deployment>/<class>`: engine `mysql`, `postgres`, `mariadb`,
//!   `aurora-mysql`, `aurora-postgresql`; deployment `single-az`, `multi-az`,
//!   `multi-az-cluster` (Multi-AZ DB cluster, two readable standbys). Oracle and SQL Server
//!   rows are left out: the table does not say which licence model or edition they are, and
//!   those prices differ several-fold. Outposts rows are left out (not a region price).
//! * `elasticache/<engine>/<node>`: engine `redis`, `valkey`, `memcached`.
//! * `opensearch/<instance type>` (e.g. `r6g.large.search`).
//! * `sagemaker-hosting/<ml.type>`, and `sagemaker-notebook/<ml.type>` *derived* from it (the
//!   SageMaker pricing page lists notebook instances at the hosting rate of the same size).

use std::path::Path;

use super::{entry, service_table, Imported, Table};
use crate::error::Result;
use crate::pricing::catalog::Source;

/// Source for one services table: title, the upstream repository (from its `source` column).
fn source(t: &Table, what: &str, licence: &str) -> Source {
    let upstream = t
        .col("source")
        .ok()
        .and_then(|i| t.rows.first().and_then(|r| r.get(i)))
        .cloned()
        .unwrap_or_default();
    let url = upstream
        .strip_prefix("github:")
        .and_then(|s| s.split('@').next())
        .map(|repo| format!("https://github.com/{repo}"))
        .unwrap_or_else(|| "https://aws.amazon.com/pricing/".into());
    Source {
        title: format!("{what} ({}; upstream {upstream})", t.name),
        url: Some(url),
        as_of: Some(t.date.clone()),
        confidence: Some("list".into()),
        derivation: None,
        licence: Some(licence.into()),
    }
}

fn rds_engine(e: &str) -> Option<&'static str> {
    Some(match e {
        "MySQL" => "mysql",
        "PostgreSQL" => "postgres",
        "MariaDB" => "mariadb",
        "Aurora MySQL" => "aurora-mysql",
        "Aurora PostgreSQL" => "aurora-postgresql",
        _ => return None,
    })
}

fn rds_deployment(d: &str) -> Option<&'static str> {
    Some(match d {
        "Single-AZ" => "single-az",
        "Multi-AZ" => "multi-az",
        "Multi-AZ (readable standbys)" => "multi-az-cluster",
        _ => return None,
    })
}

pub fn import(dir: &Path, imp: &mut Imported) -> Result<()> {
    if let Some(t) = service_table(dir, "aws_rds_instances_flexera_2023")? {
        let id = imp.source(
            format!("imp-aws-rds-flexera-{}", t.date),
            source(
                &t,
                "RDS on-demand instance-hours by class, engine and deployment (AWS Price List \
                 AmazonRDS, as collected by flexera-public/policy_templates); classes launched \
                 after the table's date are missing",
                "MIT (flexera-public/policy_templates); data published by AWS",
            ),
        );
        let (mut n, mut skipped) = (0usize, 0usize);
        for [r, class, p, engine, dep] in
            t.records(["region", "sku", "price", "engine", "deployment"])?
        {
            match (rds_engine(engine), rds_deployment(dep), super::price(p)) {
                (Some(e), Some(d), Some(p)) => {
                    imp.flat(r, format!("rds/{e}/{d}/{class}"), "hour", p, &id);
                    n += 1;
                }
                _ => skipped += 1,
            }
        }
        imp.notes.push(format!(
            "RDS: {n} instance prices; {skipped} rows left out (Oracle/SQL Server: licence \
             model and edition not in the table; Outposts)"
        ));
    }
    if let Some(t) = service_table(dir, "aws_elasticache_instances_leanercloud")? {
        let id = imp.source(
            format!("imp-aws-elasticache-leanercloud-{}", t.date),
            source(
                &t,
                "ElastiCache on-demand node-hours by node type and engine (ec2instances.info \
                 data as kept by LeanerCloud/ec2-instances-info)",
                "MIT (LeanerCloud/ec2-instances-info); data published by AWS",
            ),
        );
        for [r, node, p, engine] in t.records(["region", "sku", "price", "engine"])? {
            if let Some(p) = super::price(p) {
                let e = engine.to_ascii_lowercase();
                imp.flat(r, format!("elasticache/{e}/{node}"), "hour", p, &id);
            }
        }
    }
    if let Some(t) = service_table(dir, "aws_opensearch_instances_leanercloud")? {
        let id = imp.source(
            format!("imp-aws-opensearch-leanercloud-{}", t.date),
            source(
                &t,
                "OpenSearch Service on-demand instance-hours (ec2instances.info data as kept by \
                 LeanerCloud/ec2-instances-info)",
                "MIT (LeanerCloud/ec2-instances-info); data published by AWS",
            ),
        );
        for [r, ty, p] in t.records(["region", "sku", "price"])? {
            if let Some(p) = super::price(p) {
                imp.flat(r, format!("opensearch/{ty}"), "hour", p, &id);
            }
        }
    }
    if let Some(t) = service_table(dir, "aws_sagemaker_hosting_flexera")? {
        let id = imp.source(
            format!("imp-aws-sagemaker-hosting-flexera-{}", t.date),
            source(
                &t,
                "SageMaker real-time inference (hosting) instance-hours (AWS Price List \
                 AmazonSageMaker, as collected by flexera-public/policy_templates)",
                "MIT (flexera-public/policy_templates); data published by AWS",
            ),
        );
        let nb = imp.source(
            format!("imp-aws-sagemaker-notebook-from-hosting-{}", t.date),
            Source {
                title: format!(
                    "SageMaker notebook instance-hours taken from the real-time hosting rate \
                     of the same ml.* size ({})",
                    t.name
                ),
                url: Some("https://aws.amazon.com/sagemaker/pricing/".into()),
                as_of: Some(t.date.clone()),
                confidence: Some("derived".into()),
                derivation: Some(
                    "the hosting price of the same instance type in the same region: the \
                     SageMaker pricing page lists notebook and real-time inference instances at \
                     the same hourly rate for a size (e.g. ml.g5.xlarge 1.408 in us-east-1)"
                        .into(),
                ),
                licence: Some(
                    "MIT (flexera-public/policy_templates); data published by AWS".into(),
                ),
            },
        );
        for [r, ty, p, comp] in t.records(["region", "sku", "price", "component"])? {
            if comp != "Hosting" {
                continue;
            }
            if let Some(p) = super::price(p) {
                imp.flat(r, format!("sagemaker-hosting/{ty}"), "hour", p, &id);
                let mut e = entry("hour", Some(p), None, &nb);
                e.note = Some("= hosting rate of the same size".into());
                imp.put(r, format!("sagemaker-notebook/{ty}"), e);
            }
        }
    }
    Ok(())
}
