//! Hand-checked figures for the AWS service families (issue 26): each expected monthly cost
//! is written out as rate × quantity from the public price, not read back from a golden.

use std::collections::BTreeMap;
use std::path::Path;

use costgate::estimate::{estimate, usage::Usage};
use costgate::money::Decimal;
use costgate::pricing::Catalogs;

/// address → (region, monthly cost after) for a family fixture.
fn monthly(family: &str) -> BTreeMap<String, (String, Option<Decimal>)> {
    let plan = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/families")
        .join(family)
        .join("plan.json");
    let project = costgate::input::load(&plan, &Default::default()).unwrap();
    let e = estimate(&project, &Catalogs::embedded().unwrap(), &Usage::default());
    e.resources
        .iter()
        .map(|r| {
            (
                r.address.clone(),
                (r.region.clone().unwrap_or_default(), r.monthly_after),
            )
        })
        .collect()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Monthly figures are reported in cents (half away from zero).
fn cents(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

fn hours() -> Decimal {
    d("730")
}

#[test]
fn rds_postgres_r6g_large_with_100_gb_gp2_in_three_regions() {
    let m = monthly("aws_db_instance");
    // us-east-1: $0.225/h PostgreSQL db.r6g.large Single-AZ + 100 GB gp2 × $0.115.
    let use1 = d("0.225") * hours() + d("100") * d("0.115");
    assert_eq!(m["aws_db_instance.pg"], ("us-east-1".into(), Some(use1)));
    assert_eq!(use1, d("175.75"));
    // eu-west-1 and ap-south-1 from their own rows: 0.252 + 0.127/GB, 0.256 + 0.131/GB.
    let euw1 = d("0.252") * hours() + d("100") * d("0.127");
    assert_eq!(m["aws_db_instance.pg_eu"], ("eu-west-1".into(), Some(euw1)));
    let aps1 = d("0.256") * hours() + d("100") * d("0.131");
    assert_eq!(
        m["aws_db_instance.pg_mumbai"],
        ("ap-south-1".into(), Some(aps1))
    );
    // Multi-AZ MySQL db.m5.large ($0.342/h) with 200 GB io1 and 3,000 IOPS, both billed twice.
    let maz = d("0.342") * hours() + d("400") * d("0.125") + d("6000") * d("0.10");
    assert_eq!(m["aws_db_instance.mysql_multi_az"].1, Some(maz));
    // Oracle: unpriced (licence model), never $0.
    assert_eq!(m["aws_db_instance.oracle"].1, None);
}

#[test]
fn load_balancers_secrets_and_zones() {
    let lb = monthly("aws_lb");
    assert_eq!(lb["aws_lb.alb"].1, Some(cents(d("0.0225") * hours())));
    assert_eq!(lb["aws_lb.alb_eu"].1, Some(cents(d("0.0252") * hours())));
    assert_eq!(
        lb["aws_lb.alb_mumbai"].1,
        Some(cents(d("0.0239") * hours()))
    );
    assert_eq!(lb["aws_alb.legacy_name"].1, Some(d("16.43")));
    let s = monthly("aws_secretsmanager_secret");
    for a in [
        "aws_secretsmanager_secret.db",
        "aws_secretsmanager_secret.eu",
        "aws_secretsmanager_secret.mumbai",
    ] {
        assert_eq!(s[a].1, Some(d("0.40")), "{a}");
    }
    assert_eq!(s["aws_secretsmanager_secret.replicated"].1, Some(d("0.80")));
    let z = monthly("aws_route53");
    assert_eq!(z["aws_route53_zone.main"].1, Some(d("0.50")));
    assert_eq!(z["aws_route53_zone.eu"].1, Some(d("0.50")));
    // HTTPS + string matching + latency on a non-AWS endpoint: 0.75 + 3 × 2.00.
    assert_eq!(z["aws_route53_health_check.site"].1, Some(d("6.75")));
}

#[test]
fn aurora_elasticache_opensearch() {
    let a = monthly("aws_rds_cluster");
    assert_eq!(
        a["aws_rds_cluster_instance.pg[0]"].1,
        Some(d("0.26") * hours())
    );
    // I/O-Optimized: Aurora MySQL db.r6g.large 0.26 × 1.3.
    assert_eq!(
        a["aws_rds_cluster_instance.iopt"].1,
        Some(d("0.26") * d("1.3") * hours())
    );
    // Serverless v2 at the 0.5 ACU floor × $0.12.
    assert_eq!(
        a["aws_rds_cluster_instance.serverless"].1,
        Some(d("0.5") * d("0.12") * hours())
    );
    let e = monthly("aws_elasticache");
    // 2 node groups × 2 nodes of cache.r6g.large Redis at $0.206/h.
    assert_eq!(
        e["aws_elasticache_replication_group.redis"].1,
        Some(d("4") * d("0.206") * hours())
    );
    let o = monthly("aws_opensearch");
    let logs = d("3") * d("0.167") * hours()
        + d("3") * d("0.128") * hours()
        + d("2") * d("0.238") * hours()
        + d("300") * d("0.122");
    assert_eq!(o["aws_opensearch_domain.logs"].1, Some(logs));
}
