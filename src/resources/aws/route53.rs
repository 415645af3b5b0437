//! `aws_route53_zone` (hosted zone per month, plus queries from usage `monthly_queries`) and
//! `aws_route53_health_check` (per month by endpoint kind, plus each optional feature).
//! Route 53 is a global service: one rate for every region.

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

use super::usage_parts::{million, scaled};

pub const FAMILY: Family = Family {
    name: "aws_route53",
    cloud: "aws",
    types: &["aws_route53_zone", "aws_route53_health_check"],
    reads: &[
        "type",
        "fqdn",
        "ip_address",
        "request_interval",
        "measure_latency",
        "search_string",
    ],
    price_keys: &[
        "route53/hosted-zone",
        "route53/queries",
        "route53/health-check/aws",
        "route53/health-check/other",
        "route53/health-check/feature-aws",
        "route53/health-check/feature-other",
    ],
    cost,
};

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    if v.res.rtype == "aws_route53_zone" {
        c.add(v.component("hosted zone", "route53/hosted-zone", Decimal::ONE, "months"));
        c.add(scaled(
            v,
            "standard queries",
            "route53/queries",
            "monthly_queries",
            million(),
            "1M queries",
        ));
        c.notes
            .push("zones beyond the account's first 25 bill $0.10 (not modelled)".into());
        return c;
    }
    // Health checks: endpoints outside AWS bill more; AWS endpoints are not distinguishable
    // from the configuration, so the check is taken as non-AWS unless it is a calculated or
    // CloudWatch-alarm check.
    let ty = v.get("type").as_str().unwrap_or("HTTP");
    let (base, feature, kind) = match ty {
        "CALCULATED" | "CLOUDWATCH_METRIC" | "RECOVERY_CONTROL" => (
            "route53/health-check/aws",
            "route53/health-check/feature-aws",
            "AWS",
        ),
        _ => (
            "route53/health-check/other",
            "route53/health-check/feature-other",
            "non-AWS",
        ),
    };
    c.add(v.component(
        format!("health check ({ty}, {kind} endpoint)"),
        base,
        Decimal::ONE,
        "months",
    ));
    if kind == "non-AWS" {
        c.notes.push(
            "endpoint taken as outside AWS (the higher rate): an AWS endpoint bills $0.50".into(),
        );
    }
    let mut features = Vec::new();
    if ty.starts_with("HTTPS") {
        features.push("HTTPS");
    }
    if ty.ends_with("STR_MATCH") || v.get("search_string").as_str().is_some() {
        features.push("string matching");
    }
    if v.get("request_interval").as_f64() == Some(10.0) {
        features.push("fast interval");
    }
    if v.get("measure_latency").as_bool() == Some(true) {
        features.push("latency measurement");
    }
    if !features.is_empty() {
        c.add(v.component(
            format!("optional features ({})", features.join(", ")),
            feature,
            Decimal::from(features.len()),
            "feature-months",
        ));
    }
    c
}
