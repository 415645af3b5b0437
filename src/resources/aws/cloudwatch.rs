//! CloudWatch: `aws_cloudwatch_metric_alarm` (alarm metrics per month, standard or high
//! resolution) and `aws_cloudwatch_log_group` (log data ingested and stored, from the usage
//! file). Account-level free tiers (10 alarm metrics, 5 GB of logs) are not applied: they
//! are shared by the whole account, not owned by one resource.

use crate::resources::family::*;
use crate::resources::{dec, Costing, View};

pub const LOG_GROUP: Family = Family {
    name: "aws_cloudwatch_log_group",
    cloud: Cloud::Aws,
    types: &["aws_cloudwatch_log_group"],
    reads: &["log_group_class", "retention_in_days"],
    price_keys: &["cloudwatch-logs/ingest", "cloudwatch-logs/storage"],
    usage: &[
        UsageKey {
            key: "ingested_gb",
            unit: "GB",
            doc: "log data ingested a month",
        },
        STORAGE_GB,
    ],
    regions: Regions::Only(&["us-east-1"]),
    cost: log_group,
    ..Family::DEFAULTS
};

pub const METRIC_ALARM: Family = Family {
    name: "aws_cloudwatch_metric_alarm",
    cloud: Cloud::Aws,
    types: &["aws_cloudwatch_metric_alarm"],
    reads: &["metric_query", "period"],
    price_keys: &[
        "cloudwatch/alarm/high-resolution",
        "cloudwatch/alarm/standard",
    ],
    usage: &[],
    regions: Regions::Only(&["us-east-1"]),
    cost: metric_alarm,
    ..Family::DEFAULTS
};

/// Periods below a minute make a high-resolution alarm.
const HIGH_RES_BELOW_SECONDS: f64 = 60.0;

pub fn metric_alarm(v: &View) -> Costing {
    let mut c = Costing::default();
    let queries = v.get("metric_query").as_array();
    let (metrics, high_res, anomaly) = if queries.is_empty() {
        let high = v
            .get("period")
            .as_f64()
            .is_some_and(|p| p < HIGH_RES_BELOW_SECONDS);
        (1, high, false)
    } else {
        let with_metric: Vec<&serde_json::Value> = queries
            .iter()
            .filter_map(|q| q.get("metric")?.as_array()?.first())
            .collect();
        let high = with_metric.iter().any(|m| {
            // Nested values are raw JSON: a quoted number ("30") counts, as Terraform converts it.
            m.get("period")
                .and_then(|p| p.as_f64().or_else(|| p.as_str()?.trim().parse().ok()))
                .is_some_and(|p| p < HIGH_RES_BELOW_SECONDS)
        });
        let anomaly = queries.iter().any(|q| {
            q.get("expression")
                .and_then(serde_json::Value::as_str)
                .is_some_and(|e| e.contains("ANOMALY_DETECTION_BAND"))
        });
        (with_metric.len().max(1) as u64, high, anomaly)
    };
    // An anomaly detection alarm bills its metric plus the band's upper and lower bounds.
    let billed = if anomaly { metrics + 2 } else { metrics };
    if anomaly {
        c.notes.push(format!(
            "anomaly detection: {metrics} metric(s) + 2 band bounds = {billed} alarm metrics"
        ));
    }
    let (label, key) = if high_res {
        (
            "alarm metrics (high resolution)",
            "cloudwatch/alarm/high-resolution",
        )
    } else {
        (
            "alarm metrics (standard resolution)",
            "cloudwatch/alarm/standard",
        )
    };
    c.add(v.component(label, key, dec(billed), "alarm metrics"));
    c
}

pub fn log_group(v: &View) -> Costing {
    let mut c = Costing::default();
    if v.get("log_group_class").as_str() == Some("INFREQUENT_ACCESS") {
        c.unpriced
            .push("the INFREQUENT_ACCESS log class has no price in the catalog");
        return c;
    }
    c.add(v.usage_component(
        "log data ingested",
        "cloudwatch-logs/ingest",
        "ingested_gb",
        "GB",
    ));
    c.add(v.usage_component(
        "log data stored",
        "cloudwatch-logs/storage",
        "storage_gb",
        "GB-months",
    ));
    if let Some(days) = v.get("retention_in_days").as_f64() {
        if days == 0.0 {
            c.notes
                .push("retention_in_days = 0 keeps logs forever: storage grows every month".into());
        }
    } else if !v.get("retention_in_days").is_unknown() {
        c.notes.push(
            "no retention_in_days: logs are kept forever and storage grows every month".into(),
        );
    }
    c
}
