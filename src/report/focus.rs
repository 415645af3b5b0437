//! FinOps FOCUS export (`estimate --format focus` CSV, `--format focus-json`): the estimate as
//! cost rows in FOCUS 1.x column names, one row per priced cost component of the state after
//! the change, for one forecast month (the next calendar month, or `--period YYYY-MM`).
//!
//! A forecast has no invoice: `ListCost` = `ListUnitPrice` × `PricingQuantity` from the
//! catalogs, and `BilledCost` = `EffectiveCost` = `ListCost` (no discounts, commitments or
//! credits are known). Rows of one resource are rounded to cents so that they add up to the
//! resource's monthly cost exactly (the cent a rounding leaves goes to its largest row), so
//! `ListCost` sums to the estimate's `monthly_after`. The month is the estimate's month
//! (hourly × 730, or the usage file's hours), whatever the calendar month's length.
//! `ChargeClass` is empty (no row corrects an earlier one). Unpriced resources are one row
//! each with empty cost columns and `x_UnpricedReason`;
//! resources that cost nothing by nature and resources deleted by the change have no row.
//! Costgate's own columns start with `x_`.

use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value};

use crate::error::Result;
use crate::estimate::{Estimate, ResourceEstimate};
use crate::money::{cents, fmt2, Decimal};
use crate::pricing::cloud_of_provider;
use crate::resources::Component;

/// Column order of the export.
pub const COLUMNS: &[&str] = &[
    "BillingPeriodStart",
    "BillingPeriodEnd",
    "ChargePeriodStart",
    "ChargePeriodEnd",
    "ChargeCategory",
    "ChargeClass",
    "ChargeFrequency",
    "ChargeDescription",
    "ResourceId",
    "ResourceName",
    "ResourceType",
    "ServiceName",
    "ServiceCategory",
    "ProviderName",
    "PublisherName",
    "InvoiceIssuerName",
    "RegionId",
    "SkuId",
    "PricingCategory",
    "PricingUnit",
    "PricingQuantity",
    "ListUnitPrice",
    "ListCost",
    "BilledCost",
    "EffectiveCost",
    "BillingCurrency",
    "Tags",
    "x_CostgateAction",
    "x_PriceSource",
    "x_PriceAsOf",
    "x_UsageBased",
    "x_UnpricedReason",
];

/// The forecast month: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    /// The calendar month after `today`.
    pub fn next_after(today: NaiveDate) -> Period {
        let (y, m) = if today.month() == 12 {
            (today.year() + 1, 1)
        } else {
            (today.year(), today.month() + 1)
        };
        Period::month(y, m).expect("the first of a month exists")
    }

    /// `YYYY-MM`.
    pub fn parse(s: &str) -> Result<Period> {
        let bad = || {
            miette::miette!(
                code = crate::error::Code::Cli,
                "--period expects a month as YYYY-MM, got `{s}`"
            )
        };
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let (y, m): (i32, u32) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        Period::month(y, m).ok_or_else(bad)
    }

    fn month(y: i32, m: u32) -> Option<Period> {
        let start = NaiveDate::from_ymd_opt(y, m, 1)?;
        let end = if m == 12 {
            NaiveDate::from_ymd_opt(y + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(y, m + 1, 1)?
        };
        Some(Period { start, end })
    }
}

fn datetime(d: NaiveDate) -> String {
    format!("{}T00:00:00Z", d.format("%Y-%m-%d"))
}

/// FOCUS `ProviderName` for a price catalog (or provider).
fn provider_name(cloud: &str) -> &str {
    match cloud {
        "aws" => "AWS",
        "azure" => "Microsoft",
        "gcp" => "Google Cloud",
        "databricks" => "Databricks",
        other => other,
    }
}

/// FOCUS `ServiceName` and `ServiceCategory` from the price key's family (`ec2/…`, `pd/…`).
fn service(cloud: &str, key: &str) -> (&'static str, &'static str) {
    let family = key.split('/').next().unwrap_or(key);
    match (cloud, family) {
        ("aws", "ec2" | "ec2-spot" | "ebs" | "public-ipv4") => {
            ("Amazon Elastic Compute Cloud", "Compute")
        }
        ("aws", f) if f.starts_with("sagemaker") => ("Amazon SageMaker", "AI and Machine Learning"),
        ("aws", "s3") => ("Amazon Simple Storage Service", "Storage"),
        ("aws", "efs") => ("Amazon Elastic File System", "Storage"),
        ("aws", "fsx-lustre") => ("Amazon FSx", "Storage"),
        ("aws", "eks") => ("Amazon Elastic Kubernetes Service", "Compute"),
        ("aws", "nat") => ("Amazon Virtual Private Cloud", "Networking"),
        ("aws", "cloudwatch" | "cloudwatch-logs") => {
            ("Amazon CloudWatch", "Management and Governance")
        }
        ("aws", "ssm") => ("AWS Systems Manager", "Management and Governance"),
        ("gcp", "gce" | "gce-spot" | "gpu" | "gpu-spot" | "gce-core" | "gce-ram" | "pd") => {
            ("Compute Engine", "Compute")
        }
        ("gcp", "gke") => ("Google Kubernetes Engine", "Compute"),
        ("gcp", "gcs") => ("Cloud Storage", "Storage"),
        ("gcp", "nat") => ("Cloud NAT", "Networking"),
        ("azure", "vm" | "vm-spot") => ("Virtual Machines", "Compute"),
        ("azure", "disk") => ("Storage", "Storage"),
        ("azure", "blob") => ("Storage", "Storage"),
        ("azure", "aks") => ("Azure Kubernetes Service", "Compute"),
        ("azure", "nat" | "public-ip") => ("Virtual Network", "Networking"),
        (_, "egress") => ("Data Transfer", "Networking"),
        _ => ("", "Other"),
    }
}

/// Component costs rounded to cents that add up to `total` exactly: the difference the
/// rounding leaves is put on the largest component.
fn allocate(components: &[Component], total: Decimal) -> Vec<Decimal> {
    let mut out: Vec<Decimal> = components.iter().map(|c| cents(c.monthly_cost)).collect();
    let diff = total - out.iter().copied().sum::<Decimal>();
    if !diff.is_zero() {
        if let Some((i, _)) = out.iter().enumerate().max_by(|a, b| a.1.cmp(b.1)) {
            out[i] += diff;
        }
    }
    out
}

type Row = Vec<(&'static str, String)>;

/// The columns every row of a resource shares.
fn resource_columns(r: &ResourceEstimate, p: &Period) -> Row {
    let cloud = cloud_of_provider(&r.provider);
    let tags = serde_json::to_string(&r.tags).expect("tags serialize");
    let provider = provider_name(cloud).to_string();
    vec![
        ("BillingPeriodStart", datetime(p.start)),
        ("BillingPeriodEnd", datetime(p.end)),
        ("ChargePeriodStart", datetime(p.start)),
        ("ChargePeriodEnd", datetime(p.end)),
        ("ChargeCategory", "Usage".into()),
        ("ChargeFrequency", "Usage-Based".into()),
        ("ResourceId", r.address.clone()),
        ("ResourceName", r.name.clone()),
        ("ResourceType", r.rtype.clone()),
        ("ProviderName", provider.clone()),
        ("PublisherName", provider.clone()),
        ("InvoiceIssuerName", provider),
        ("RegionId", r.region.clone().unwrap_or_default()),
        ("BillingCurrency", "USD".into()),
        ("Tags", tags),
        ("x_CostgateAction", r.action.as_str().into()),
    ]
}

fn component_row(r: &ResourceEstimate, c: &Component, cost: Decimal, p: &Period) -> Row {
    let (service_name, category) = service(c.price.catalog, &c.price_key);
    let mut row = resource_columns(r, p);
    let provider = provider_name(c.price.catalog).to_string();
    for (k, v) in row.iter_mut() {
        match *k {
            "ProviderName" | "PublisherName" | "InvoiceIssuerName" => *v = provider.clone(),
            // No region in the configuration: the region the price was taken for.
            "RegionId" if v.is_empty() && c.price.region != "global" => *v = c.price.region.clone(),
            _ => {}
        }
    }
    let cost = fmt2(cost);
    let spot =
        c.price_key.contains("spot") || c.note.as_deref().is_some_and(|n| n.contains("spot"));
    row.extend([
        ("ChargeDescription", c.name.clone()),
        ("ServiceName", service_name.to_string()),
        ("ServiceCategory", category.to_string()),
        ("SkuId", c.price_key.clone()),
        (
            "PricingCategory",
            if spot { "Dynamic" } else { "Standard" }.into(),
        ),
        ("PricingUnit", c.unit.clone()),
        ("PricingQuantity", c.quantity.normalize().to_string()),
        // A tiered price has no single unit price (the cost follows the usage bands).
        (
            "ListUnitPrice",
            if c.tiered {
                String::new()
            } else {
                c.unit_price.normalize().to_string()
            },
        ),
        ("ListCost", cost.clone()),
        ("BilledCost", cost.clone()),
        ("EffectiveCost", cost),
        ("x_PriceSource", c.price.source.clone()),
        ("x_PriceAsOf", c.price.as_of.clone()),
        ("x_UsageBased", c.usage_based.to_string()),
    ]);
    row
}

fn unpriced_row(r: &ResourceEstimate, p: &Period) -> Row {
    let mut row = resource_columns(r, p);
    row.extend([
        ("ChargeDescription", format!("{} (not priced)", r.rtype)),
        (
            "x_UnpricedReason",
            r.unpriced_reason.clone().unwrap_or_default(),
        ),
    ]);
    row
}

/// The rows of the export, each as (column, value) pairs (absent columns are empty).
fn rows(e: &Estimate, p: &Period) -> Vec<Row> {
    let mut out = Vec::new();
    for r in &e.resources {
        if r.free.is_some() || !r.action.has_after() {
            continue;
        }
        match r.monthly_after {
            None => out.push(unpriced_row(r, p)),
            Some(total) => {
                let costs = allocate(&r.components, total);
                for (c, cost) in r.components.iter().zip(costs) {
                    out.push(component_row(r, c, cost, p));
                }
            }
        }
    }
    out
}

fn cell<'r>(row: &'r Row, col: &str) -> &'r str {
    row.iter()
        .find(|(k, _)| *k == col)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// CSV with a header row (RFC 4180 quoting).
pub fn render_csv(e: &Estimate, p: &Period) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let rows = rows(e, p);
    let written = w.write_record(COLUMNS).and_then(|_| {
        rows.iter()
            .try_for_each(|row| w.write_record(COLUMNS.iter().map(|c| cell(row, c))))
    });
    written.expect("writing CSV to memory cannot fail");
    let bytes = w.into_inner().expect("writing CSV to memory cannot fail");
    String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8")
}

/// A JSON array of row objects: decimals as strings, empty cells as null, `Tags` as an object.
pub fn render_json(e: &Estimate, p: &Period) -> String {
    let rows: Vec<Value> = rows(e, p)
        .iter()
        .map(|row| {
            let m: Map<String, Value> = COLUMNS
                .iter()
                .map(|c| {
                    let v = cell(row, c);
                    let v = match (*c, v) {
                        (_, "") => Value::Null,
                        ("Tags", t) => serde_json::from_str(t).unwrap_or(Value::Null),
                        (_, v) => Value::String(v.to_string()),
                    };
                    (c.to_string(), v)
                })
                .collect();
            Value::Object(m)
        })
        .collect();
    super::json::pretty(&Value::Array(rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn forecast_month() {
        let p = Period::next_after(d("2026-11-26"));
        assert_eq!((p.start, p.end), (d("2026-12-01"), d("2027-01-01")));
        let p = Period::parse("2027-02").unwrap();
        assert_eq!((p.start, p.end), (d("2027-02-01"), d("2027-03-01")));
        assert!(Period::parse("2027-13").is_err());
        assert!(Period::parse("feb").is_err());
    }

    #[test]
    fn rounding_is_allocated_to_the_largest_row() {
        let comp = |cost: &str| {
            let one = Decimal::ONE;
            Component::for_test("x", "hours", one, one, cost.parse().unwrap(), "k")
        };
        // 0.004 + 0.004 + 10.004 = 10.012 → 10.01; rounded rows 0 + 0 + 10.00 → +0.01 on the last.
        let cs = [comp("0.004"), comp("0.004"), comp("10.004")];
        let got = allocate(&cs, "10.01".parse().unwrap());
        assert_eq!(
            got.iter().copied().sum::<Decimal>(),
            "10.01".parse().unwrap()
        );
        assert_eq!(got[2], "10.01".parse().unwrap());
    }
}
