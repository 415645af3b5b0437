//! `aws_lambda_function`: requests and compute (GB-seconds by architecture) from usage:
//! `monthly_requests` and `request_duration_ms` (average), with the function's `memory_size`
//! (default 128 MB). The account-level free tier is not applied. Provisioned concurrency
//! lives on `aws_lambda_provisioned_concurrency_config` (not priced here).

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

use super::usage_parts::{million, scaled};

pub const FAMILY: Family = Family {
    name: "aws_lambda_function",
    cloud: "aws",
    types: &["aws_lambda_function"],
    reads: &["memory_size", "architectures"],
    price_keys: &[
        "lambda/requests",
        "lambda/gb-second/x86_64",
        "lambda/gb-second/arm64",
    ],
    cost,
};

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let arch = v
        .get("architectures")
        .as_array()
        .first()
        .and_then(|a| a.as_str())
        .unwrap_or("x86_64");
    let memory = match v.num_or("memory_size", Decimal::from(128)) {
        Ok(m) => m,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    c.add(scaled(
        v,
        "requests",
        "lambda/requests",
        "monthly_requests",
        million(),
        "1M requests",
    ));
    let requests = v.usage("monthly_requests");
    let duration = v.usage("request_duration_ms");
    let gb_s = match (requests, duration) {
        (Some(r), Some(d)) => r * d / Decimal::from(1000) * memory / Decimal::from(1024),
        _ => Decimal::ZERO,
    };
    let mut line = v.component(
        format!("compute ({arch}, {memory} MB)"),
        &format!("lambda/gb-second/{arch}"),
        gb_s,
        "GB-seconds",
    );
    if let Ok(l) = &mut line {
        l.usage_based = true;
        if requests.is_none() || duration.is_none() {
            l.note =
                Some("depends on usage: set `monthly_requests` and `request_duration_ms`".into());
        }
    }
    c.add(line);
    c
}
