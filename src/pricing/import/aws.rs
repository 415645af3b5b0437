//! AWS: EC2 on-demand (current us-east-1 + GovCloud table, 2024 table for the other regions),
//! spot from the Spot Advisor savings, internet egress tiers.
//!
//! Regions outside the current table are *derived*: the 2024 regional price where the type's
//! us-east-1 price is the same now as in 2024; that price scaled by the us-east-1 change where
//! it changed (the June 2025 P4/P5 cut); a type the current us-east-1 table lacks keeps its
//! 2024 price with the 2024 date (so it is flagged stale when used). Types with no regional
//! row stay unpriced; the lookup names the nearest region that has one.

use std::collections::BTreeMap;
use std::path::Path;

use super::{entry, list_source, price, round6, table, tiers_from_starts, Imported};
use crate::error::Result;
use crate::money::Decimal;
use crate::pricing::catalog::Source;

const SC_LICENCE: &str = "CC BY-SA 4.0: prices from Spare Cores (sparecores-data, \
     https://sparecores.com), used under CC BY-SA 4.0; the derived regional prices are shared \
     under the same licence";

pub fn import(dir: &Path) -> Result<Imported> {
    let mut imp = Imported::new("aws");
    let current = table(dir, "aws-ec2-ondemand-karpenter-")?;
    let old = table(dir, "aws-ec2-ondemand-sparecores-")?;
    let spot = table(dir, "aws-spot-advisor-")?;
    let egress = table(dir, "egress-internet-coroot-")?;

    // region → type → price
    let mut now: BTreeMap<String, BTreeMap<String, Decimal>> = BTreeMap::new();
    if let Some(t) = &current {
        let id = imp.source(
            format!("imp-aws-karpenter-{}", t.date),
            list_source(
                t,
                "EC2 on-demand Linux shared tenancy, generated from the AWS Price List API by \
                 aws/karpenter-provider-aws (pkg/providers/pricing zz_generated.pricing_aws.go)",
                "https://github.com/aws/karpenter-provider-aws",
                Some("Apache-2.0"),
            ),
        );
        for [r, ty, p] in t.records(["region", "instance_type", "usd_per_hour"])? {
            if let Some(p) = price(p) {
                now.entry(r.into()).or_default().insert(ty.into(), p);
                imp.flat(r, format!("ec2/{ty}"), "hour", p, &id);
            }
        }
    }
    if let Some(t) = &old {
        let mut then: BTreeMap<String, BTreeMap<String, Decimal>> = BTreeMap::new();
        for [r, ty, p] in t.records(["region", "instance_type", "usd_per_hour"])? {
            if let Some(p) = price(p) {
                then.entry(r.into()).or_default().insert(ty.into(), p);
            }
        }
        let use1_now = now.get("us-east-1").cloned().unwrap_or_default();
        let use1_then = then.get("us-east-1").cloned().unwrap_or_default();
        let now_date = current.as_ref().map(|c| c.date.clone()).unwrap_or_default();
        let carried = imp.source(
            format!("imp-aws-regional-{}", t.date),
            Source {
                title: format!(
                    "EC2 on-demand regional price from the Spare Cores {} table ({}), checked \
                     against the us-east-1 price of {now_date}",
                    t.date, t.name
                ),
                url: Some("https://pypi.org/project/sparecores-data/0.1.0/".into()),
                as_of: Some(now_date.clone()),
                confidence: Some("derived".into()),
                derivation: Some(format!(
                    "the {} regional price, where the type's us-east-1 price is the same on \
                     {now_date} as on {}; where it changed, that regional price × (us-east-1 \
                     {now_date} ÷ us-east-1 {}), rounded to 6 decimals (the entry's note gives \
                     the factor)",
                    t.date, t.date, t.date
                )),
                licence: Some(SC_LICENCE.into()),
            },
        );
        let unchecked = imp.source(
            format!("imp-aws-regional-unchecked-{}", t.date),
            Source {
                title: format!(
                    "EC2 on-demand regional price from the Spare Cores {} table ({}); the type \
                     is not in the current us-east-1 table, so the price could not be carried \
                     forward",
                    t.date, t.name
                ),
                url: Some("https://pypi.org/project/sparecores-data/0.1.0/".into()),
                as_of: Some(t.date.clone()),
                confidence: Some("derived".into()),
                derivation: Some(format!(
                    "the {} regional price as published then, unchanged",
                    t.date
                )),
                licence: Some(SC_LICENCE.into()),
            },
        );
        let mut n = (0usize, 0usize, 0usize);
        for (r, types) in &then {
            if now.contains_key(r) {
                continue; // a current table covers this region
            }
            for (ty, p) in types {
                let key = format!("ec2/{ty}");
                match (use1_now.get(ty), use1_then.get(ty)) {
                    (Some(a), Some(b)) if a == b => {
                        imp.flat(r, key, "hour", *p, &carried);
                        n.0 += 1;
                    }
                    (Some(a), Some(b)) => {
                        let mut e = entry("hour", Some(round6(*p * *a / *b)), None, &carried);
                        e.note = Some(format!("{p} ({}) × {a}/{b} (us-east-1 change)", t.date));
                        imp.put(r, key, e);
                        n.1 += 1;
                    }
                    (Some(_), None) => {
                        // No 2024 us-east-1 price to compare: the 2024 regional price as it was.
                        imp.flat(r, key, "hour", *p, &unchecked);
                        n.2 += 1;
                    }
                    (None, _) => {
                        imp.flat(r, key, "hour", *p, &unchecked);
                        n.2 += 1;
                    }
                }
            }
        }
        imp.notes.push(format!(
            "EC2 outside the current table: {} carried unchanged, {} scaled by the us-east-1 \
             change, {} kept at their {} price (no current us-east-1 price to compare)",
            n.0, n.1, n.2, t.date
        ));
    }
    if let Some(t) = &spot {
        let id = imp.source(
            format!("imp-aws-spot-advisor-{}", t.date),
            Source {
                title: format!(
                    "EC2 spot: the region's on-demand price less the AWS Spot Instance Advisor \
                     average saving (alexei-led/spotinfo embedded copy, {})",
                    t.name
                ),
                url: Some("https://github.com/alexei-led/spotinfo".into()),
                as_of: Some(t.date.clone()),
                confidence: Some("derived".into()),
                derivation: Some(
                    "on-demand price of the type in the region × (100 − savings_pct) / 100, \
                     rounded to 6 decimals; spot prices float, this is the advisor's average"
                        .into(),
                ),
                licence: Some("Apache-2.0 (repository); data published by AWS".into()),
            },
        );
        let mut missing = 0;
        for [r, ty, pct] in t.records(["region", "instance_type", "savings_pct_vs_ondemand"])? {
            let Ok(pct) = pct.parse::<Decimal>() else {
                continue;
            };
            if pct <= Decimal::ZERO || pct >= Decimal::ONE_HUNDRED {
                continue;
            }
            let Some(od) = imp.get(r, &format!("ec2/{ty}")).and_then(|e| e.price) else {
                missing += 1;
                continue;
            };
            let p = round6(od * (Decimal::ONE_HUNDRED - pct) / Decimal::ONE_HUNDRED);
            if p > Decimal::ZERO {
                let mut e = entry("hour", Some(p), None, &id);
                e.note = Some(format!("{pct}% below on-demand"));
                imp.put(r, format!("ec2-spot/{ty}"), e);
            }
        }
        if missing > 0 {
            imp.notes.push(format!(
                "{missing} Spot Advisor rows skipped: no on-demand price for the type in that region"
            ));
        }
    }
    if let Some(t) = &egress {
        egress_tiers(&mut imp, t, "aws", None)?;
    }
    super::aws_services::import(dir, &mut imp)?;
    for (ty, spec) in imp
        .prices
        .values()
        .flat_map(|m| m.keys())
        .filter_map(|k| k.strip_prefix("ec2/"))
        .filter_map(|t| super::facts::aws(t).map(|s| (t.to_string(), s)))
        .collect::<Vec<_>>()
    {
        imp.machines.insert(ty, spec);
    }
    Ok(imp)
}

/// `egress/internet` tiers per region for `cloud` from the coroot table. `min_start`: only
/// rows whose band set starts at this GB (Azure lists two sets: 5 GB and 100 GB free).
pub fn egress_tiers(
    imp: &mut Imported,
    t: &super::Table,
    cloud: &str,
    first_start: Option<Decimal>,
) -> Result<()> {
    let id = imp.source(
        format!("imp-egress-coroot-{}", t.date),
        list_source(
            t,
            "internet egress (data transfer out to the internet) tiers per region, \
             coroot/cloud-pricing",
            "https://github.com/coroot/cloud-pricing",
            Some("Apache-2.0"),
        ),
    );
    let mut by_region: BTreeMap<&str, Vec<(Decimal, Decimal)>> = BTreeMap::new();
    for [c, r, start, p] in t.records(["cloud", "region", "tier_start_gb", "usd_per_gb"])? {
        if c != cloud {
            continue;
        }
        let (Ok(start), Ok(p)) = (start.parse::<Decimal>(), p.parse::<Decimal>()) else {
            continue;
        };
        by_region.entry(r).or_default().push((start, p.normalize()));
    }
    for (r, mut rows) in by_region {
        if let Some(first) = first_start {
            // Keep the band set that begins at `first` (its starts are first + k·(10 TB …)).
            let offset = first;
            rows.retain(|(s, _)| {
                (*s - offset) % Decimal::from(10) == Decimal::ZERO || *s == offset
            });
            rows.retain(|(s, _)| *s >= offset);
        }
        if let Some(tiers) = tiers_from_starts(rows) {
            let mut e = entry("GB", None, Some(tiers), &id);
            if first_start.is_some() {
                e.note = Some(format!(
                    "first {} GB per month free",
                    first_start.unwrap_or_default()
                ));
            }
            imp.put(r, "egress/internet".into(), e);
        }
    }
    Ok(())
}
