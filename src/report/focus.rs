//! FinOps FOCUS 1.3 export (`estimate --format focus` CSV, `--format focus-json`): the estimate
//! as cost rows in FOCUS column names, one row per priced cost component of the state after
//! the change (split by commitment when a price book's commitment covers part of it), for one
//! forecast month (the next calendar month, or `--period YYYY-MM`).
//!
//! A forecast has no invoice: `ListCost` = `ListUnitPrice` × `PricingQuantity` from the
//! catalogs; `ContractedCost` = `ContractedUnitPrice` × `PricingQuantity` at the price book's
//! discount or negotiated rate; `EffectiveCost` after commitments (their upfront payments
//! spread over the term); `BilledCost` = `EffectiveCost` (no invoice, credits or purchases are
//! known). Without a price book all four are the list cost. Covered rows carry the
//! `CommitmentDiscount*` columns (`Used`). Rows of one resource are rounded to cents so that
//! they add up to the resource's monthly cost exactly (the cent a rounding leaves goes to its
//! largest row), so `EffectiveCost` sums to the estimate's `monthly_after` and `ListCost` to
//! its `monthly_after_list`. `ServiceProviderName` and `HostProviderName` name the cloud; the
//! deprecated `ProviderName` and `PublisherName` are kept because FOCUS 1.3 still requires
//! them. The month is the estimate's month
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
    "ServiceProviderName",
    "HostProviderName",
    "InvoiceIssuerName",
    "RegionId",
    "SkuId",
    "PricingCategory",
    "PricingUnit",
    "PricingQuantity",
    "ListUnitPrice",
    "ListCost",
    "ContractedUnitPrice",
    "ContractedCost",
    "BilledCost",
    "EffectiveCost",
    "BillingCurrency",
    "CommitmentDiscountCategory",
    "CommitmentDiscountId",
    "CommitmentDiscountName",
    "CommitmentDiscountQuantity",
    "CommitmentDiscountStatus",
    "CommitmentDiscountType",
    "CommitmentDiscountUnit",
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

/// Costs rounded to cents that add up to `total` exactly: the difference the rounding leaves
/// is put on the largest.
fn allocate(costs: &[Decimal], total: Decimal) -> Vec<Decimal> {
    let mut out: Vec<Decimal> = costs.iter().map(|c| cents(*c)).collect();
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
fn resource_columns(r: &ResourceEstimate, p: &Period, currency: &str) -> Row {
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
        ("ServiceProviderName", provider.clone()),
        ("HostProviderName", provider.clone()),
        ("InvoiceIssuerName", provider),
        ("RegionId", r.region.clone().unwrap_or_default()),
        ("BillingCurrency", currency.into()),
        ("Tags", tags),
        ("x_CostgateAction", r.action.as_str().into()),
    ]
}

/// One row's share of a component: all of it, or the part one commitment covers, or the
/// part none covers.
struct Piece<'a> {
    c: &'a Component,
    quantity: Decimal,
    list: Decimal,
    contracted: Decimal,
    effective: Decimal,
    commitment: Option<&'a crate::resources::CommitmentUse>,
}

/// The pieces of a component: one per commitment covering part of it, then the rest.
fn pieces(c: &Component) -> Vec<Piece<'_>> {
    let Some(b) = c.book.as_deref() else {
        return vec![Piece {
            c,
            quantity: c.quantity,
            list: c.monthly_cost,
            contracted: c.monthly_cost,
            effective: c.monthly_cost,
            commitment: None,
        }];
    };
    // Contracted = list less the book's discount (a tiered component scales with its cost).
    let contracted_total = if b.list_unit_price.is_zero() {
        b.list_monthly_cost
    } else {
        b.list_monthly_cost * b.discounted_unit_price / b.list_unit_price
    };
    if b.commitments.is_empty() || c.quantity.is_zero() {
        return vec![Piece {
            c,
            quantity: c.quantity,
            list: b.list_monthly_cost,
            contracted: contracted_total,
            effective: c.monthly_cost,
            commitment: None,
        }];
    }
    let mut out = Vec::new();
    let mut left = c.quantity;
    for u in &b.commitments {
        left -= u.quantity;
        out.push(Piece {
            c,
            quantity: u.quantity,
            list: u.quantity * b.list_unit_price,
            contracted: u.quantity * b.discounted_unit_price,
            effective: u.quantity * u.unit_price,
            commitment: Some(u),
        });
    }
    if left > Decimal::ZERO {
        out.push(Piece {
            c,
            quantity: left,
            list: left * b.list_unit_price,
            contracted: left * b.discounted_unit_price,
            effective: left * b.discounted_unit_price,
            commitment: None,
        });
    }
    out
}

/// FOCUS `CommitmentDiscountType` as the cloud calls it.
fn commitment_type(cloud: &str, kind: &str) -> &'static str {
    match (cloud, kind) {
        ("gcp", _) => "Committed Use Discount",
        ("azure", "reserved") => "Reservation",
        (_, "reserved") => "Reserved Instance",
        _ => "Savings Plan",
    }
}

/// Rounded costs of one row: list, contracted, effective.
struct Costs {
    list: Decimal,
    contracted: Decimal,
    effective: Decimal,
}

fn component_row(
    r: &ResourceEstimate,
    piece: &Piece,
    costs: Costs,
    p: &Period,
    currency: &str,
) -> Row {
    let c = piece.c;
    let (service_name, category) = service(c.price.catalog, &c.price_key);
    let mut row = resource_columns(r, p, currency);
    let provider = provider_name(c.price.catalog).to_string();
    for (k, v) in row.iter_mut() {
        match *k {
            "ProviderName"
            | "PublisherName"
            | "ServiceProviderName"
            | "HostProviderName"
            | "InvoiceIssuerName" => *v = provider.clone(),
            // No region in the configuration: the region the price was taken for.
            "RegionId" if v.is_empty() && c.price.region != "global" => *v = c.price.region.clone(),
            _ => {}
        }
    }
    let effective = fmt2(costs.effective);
    let (list_unit, contracted_unit) = match c.book.as_deref() {
        Some(b) => (b.list_unit_price, b.discounted_unit_price),
        None => (c.unit_price, c.unit_price),
    };
    // A tiered price has no single unit price (the cost follows the usage bands).
    let unit = |d: Decimal| {
        if c.tiered {
            String::new()
        } else {
            d.normalize().to_string()
        }
    };
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
        ("PricingQuantity", piece.quantity.normalize().to_string()),
        ("ListUnitPrice", unit(list_unit)),
        ("ListCost", fmt2(costs.list)),
        ("ContractedUnitPrice", unit(contracted_unit)),
        ("ContractedCost", fmt2(costs.contracted)),
        ("BilledCost", effective.clone()),
        ("EffectiveCost", effective),
        ("x_PriceSource", c.price.source.clone()),
        ("x_PriceAsOf", c.price.as_of.clone()),
        ("x_UsageBased", c.usage_based.to_string()),
    ]);
    if let Some(u) = piece.commitment {
        let spend = u.kind != "reserved";
        row.extend([
            (
                "CommitmentDiscountCategory",
                if spend { "Spend" } else { "Usage" }.into(),
            ),
            ("CommitmentDiscountId", u.id.clone()),
            ("CommitmentDiscountName", u.id.clone()),
            (
                "CommitmentDiscountQuantity",
                if spend {
                    fmt2(u.quantity * u.unit_price)
                } else {
                    u.quantity.normalize().to_string()
                },
            ),
            ("CommitmentDiscountStatus", "Used".into()),
            (
                "CommitmentDiscountType",
                commitment_type(c.price.catalog, u.kind).into(),
            ),
            (
                "CommitmentDiscountUnit",
                if spend { currency } else { "Hours" }.into(),
            ),
        ]);
    }
    row
}

fn unpriced_row(r: &ResourceEstimate, p: &Period, currency: &str) -> Row {
    let mut row = resource_columns(r, p, currency);
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
    let currency = e.book.as_ref().map_or("USD", |b| b.currency.as_str());
    for r in &e.resources {
        if r.free.is_some() || !r.action.has_after() {
            continue;
        }
        match r.monthly_after {
            None => out.push(unpriced_row(r, p, currency)),
            Some(total) => {
                let ps: Vec<Piece> = r.components.iter().flat_map(pieces).collect();
                let field = |f: fn(&Piece) -> Decimal| ps.iter().map(f).collect::<Vec<_>>();
                let effective = allocate(&field(|x| x.effective), total);
                let list_total = r.list_after().unwrap_or(total);
                let list = allocate(&field(|x| x.list), list_total);
                for (i, piece) in ps.iter().enumerate() {
                    let costs = Costs {
                        list: list[i],
                        contracted: cents(piece.contracted),
                        effective: effective[i],
                    };
                    out.push(component_row(r, piece, costs, p, currency));
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
        let comp = |cost: &str| cost.parse::<Decimal>().unwrap();
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
