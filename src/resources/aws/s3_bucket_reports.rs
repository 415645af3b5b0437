//! `aws_s3_bucket_inventory` and `aws_s3_bucket_analytics_configuration`: S3 Inventory bills
//! per million objects listed in each report (daily or weekly, `schedule.frequency`), Storage
//! Class Analysis per million objects monitored per month. The object count is usage
//! (`objects`, the number of objects in the bucket); without it the line is 0 and says so.

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

use super::usage_parts::{million, scaled};

pub const FAMILY: Family = Family {
    name: "aws_s3_bucket_reports",
    cloud: "aws",
    types: &[
        "aws_s3_bucket_inventory",
        "aws_s3_bucket_analytics_configuration",
    ],
    reads: &["schedule.0.frequency", "enabled"],
    price_keys: &["s3/inventory", "s3/analytics"],
    cost,
};

/// Inventory reports per month: daily 365/12, weekly 52/12.
fn runs(frequency: &str) -> Decimal {
    match frequency {
        "Weekly" => Decimal::from(52) / Decimal::from(12),
        _ => Decimal::from(365) / Decimal::from(12),
    }
}

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    if v.res.rtype == "aws_s3_bucket_analytics_configuration" {
        c.add(scaled(
            v,
            "objects monitored",
            "s3/analytics",
            "objects",
            million(),
            "1M objects",
        ));
        return c;
    }
    if v.get("enabled").as_bool() == Some(false) {
        c.notes
            .push("inventory disabled: no reports, no charge".into());
        return c;
    }
    let freq = v.get("schedule.0.frequency").as_str().unwrap_or("Daily");
    let n = runs(freq);
    let mut line = scaled(
        v,
        &format!("objects listed ({freq} reports)"),
        "s3/inventory",
        "objects",
        million(),
        "1M objects",
    );
    if let Ok(l) = &mut line {
        l.quantity *= n;
        l.monthly_cost *= n;
    }
    c.add(line);
    c
}
