//! `costgate pricing verify` checks, also used by `refresh` before it writes and by
//! `estimate`/`check` for the staleness warning.
//!
//! Errors: schema problems ([`Catalog::validate`]), entries without provenance (a source
//! without a title, or without a date anywhere), a priced machine type missing from
//! `machines/<cloud>.json` (its GPUs would be invisible to policies), no GPU type priced at
//! all. Warnings: GPU types in `machines` that no region prices, and a catalog older than the
//! allowed age. The clock is a parameter so nothing here depends on the real date.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::pricing::catalog::{Catalog, Machines};
use crate::pricing::Catalogs;

/// Default age after which a catalog or a price is called stale.
pub const DEFAULT_MAX_AGE_DAYS: i64 = 180;

/// Environment variable that changes the age after which `estimate`/`check` warn.
pub const MAX_AGE_ENV: &str = "COSTGATE_MAX_PRICE_AGE_DAYS";

/// The allowed price age: `COSTGATE_MAX_PRICE_AGE_DAYS`, else 180 days.
pub fn max_age_days() -> crate::error::Result<i64> {
    match std::env::var(MAX_AGE_ENV) {
        Ok(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| {
                miette::miette!(
                    code = crate::error::Code::Cli,
                    "{MAX_AGE_ENV} `{s}` is not a whole number of days"
                )
            }),
        Err(_) => Ok(DEFAULT_MAX_AGE_DAYS),
    }
}

/// The latest day a (possibly partial) `as_of` can mean: `2025` → 2025-12-31, `2026-09` →
/// 2026-09-28 (every month has that day), `2026-09-24` → itself. Partial dates count in the
/// price's favour.
pub fn as_of_date(s: &str) -> Option<NaiveDate> {
    match s.len() {
        4 => NaiveDate::from_ymd_opt(s.parse().ok()?, 12, 31),
        7 => NaiveDate::parse_from_str(&format!("{s}-28"), "%Y-%m-%d").ok(),
        _ => NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok(),
    }
}

/// Staleness of the prices an estimate used: per catalog, one warning when its oldest price
/// used is older than `max_age_days`, naming the catalog, that date and the sources that old.
/// `used` yields (catalog, source id, as_of) per priced component. A derived price carries the
/// date of the current source it was checked against (see pricing/README.md), so a catalog
/// that is as fresh as its sources allow does not warn on every run.
pub fn stale_used<'a>(
    used: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    today: NaiveDate,
    max_age_days: i64,
) -> Vec<String> {
    let mut old: std::collections::BTreeMap<&str, (NaiveDate, std::collections::BTreeSet<&str>)> =
        Default::default();
    for (cat, src, as_of) in used {
        let Some(d) = as_of_date(as_of) else { continue };
        if (today - d).num_days() <= max_age_days {
            continue;
        }
        let e = old.entry(cat).or_insert((d, Default::default()));
        e.0 = e.0.min(d);
        e.1.insert(src);
    }
    old.into_iter()
        .map(|(cat, (d, srcs))| {
            let list: Vec<&str> = srcs.into_iter().collect();
            format!(
                "prices from the {cat} catalog used here are older than {max_age_days} days \
                 (oldest {d}, {} days; sources {}): check them against the provider's price \
                 list, or run `costgate pricing refresh --cloud {cat}`",
                (today - d).num_days(),
                list.join(", ")
            )
        })
        .collect()
}

#[derive(Debug, Default, Clone)]
pub struct Report {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    /// Coverage lines (regions, machine types, share of derived prices).
    pub info: Vec<String>,
}

fn origin_of(file: &Option<std::path::PathBuf>, cloud: &str) -> String {
    match file {
        Some(f) => f.display().to_string(),
        None => format!("pricing/{cloud}.json (embedded)"),
    }
}

/// Coverage of one catalog: a summary line, then one line per region with its number of
/// machine types priced (on-demand / spot) and the share of prices that are derived.
pub fn coverage(c: &Catalog) -> Vec<String> {
    let pre = machine_prefixes(&c.cloud);
    let derived = |e: &crate::pricing::catalog::PriceEntry| {
        c.sources
            .get(&e.source)
            .is_some_and(|s| s.confidence() == "derived")
    };
    let mut lines = Vec::new();
    let (mut total, mut total_derived) = (0usize, 0usize);
    for (region, entries) in &c.prices {
        let n = entries.len();
        let d = entries.values().filter(|e| derived(e)).count();
        let od = entries
            .keys()
            .filter(|k| pre.first().is_some_and(|p| k.starts_with(p)))
            .count();
        let spot = entries
            .keys()
            .filter(|k| pre.get(1).is_some_and(|p| k.starts_with(p)))
            .count();
        total += n;
        total_derived += d;
        lines.push(format!(
            "coverage {} {region}: {n} prices, {od} machine types on-demand, {spot} spot, {} derived",
            c.cloud,
            pct(d, n)
        ));
    }
    lines.insert(
        0,
        format!(
            "coverage {}: {} region(s), {total} prices, {} derived",
            c.cloud,
            c.prices.len(),
            pct(total_derived, total)
        ),
    );
    lines.extend(service_coverage(c));
    lines
}

/// One line per service (the first segment of the catalog key: `rds`, `lb`, `ec2` …): how
/// many regions price it (a `global` price counts for every region) and which they are when
/// few, so a service known in one region only stands out.
pub fn service_coverage(c: &Catalog) -> Vec<String> {
    let mut by: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (region, entries) in &c.prices {
        for k in entries.keys() {
            let service = k.split('/').next().unwrap_or(k);
            by.entry(service).or_default().insert(region.as_str());
        }
    }
    let all = c.prices.keys().filter(|r| *r != "global").count();
    by.into_iter()
        .map(|(service, regions)| {
            let where_ = if regions.contains("global") {
                "global (every region)".to_string()
            } else if regions.len() <= 4 {
                format!(
                    "{} of {all} region(s): {}",
                    regions.len(),
                    regions.iter().copied().collect::<Vec<_>>().join(", ")
                )
            } else {
                format!("{} of {all} region(s)", regions.len())
            };
            format!("coverage {} service {service}: {where_}", c.cloud)
        })
        .collect()
}

fn pct(n: usize, of: usize) -> String {
    if of == 0 {
        "0%".into()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / of as f64)
    }
}

/// Key prefixes that price a whole machine type, per cloud.
fn machine_prefixes(cloud: &str) -> &'static [&'static str] {
    match cloud {
        "aws" => &["ec2/", "ec2-spot/"],
        "azure" => &["vm/", "vm-spot/"],
        "gcp" => &["gce/", "gce-spot/"],
        _ => &[],
    }
}

/// The machine type a price key names (`ec2/p5.48xlarge` → `p5.48xlarge`).
pub fn machine_of_key<'k>(cloud: &str, key: &'k str) -> Option<&'k str> {
    machine_prefixes(cloud)
        .iter()
        .find_map(|p| key.strip_prefix(p))
}

/// Check one catalog against its machine facts. `today` = None skips the staleness check.
pub fn verify_catalog(
    c: &Catalog,
    machines: &Machines,
    today: Option<NaiveDate>,
    max_age_days: i64,
) -> Report {
    let mut r = Report {
        errors: c.validate(),
        ..Default::default()
    };
    provenance(c, &mut r);
    machines_check(c, machines, &mut r);
    if let Some(w) = today.and_then(|t| staleness(c, t, max_age_days)) {
        r.warnings.push(w);
    }
    r
}

fn provenance(c: &Catalog, r: &mut Report) {
    for (id, s) in &c.sources {
        if s.title.trim().is_empty() {
            r.errors.push(format!("source `{id}` has no title"));
        }
    }
    for (region, entries) in &c.prices {
        for (key, e) in entries {
            let dated =
                e.as_of.is_some() || c.sources.get(&e.source).is_some_and(|s| s.as_of.is_some());
            if !dated {
                r.errors.push(format!(
                    "{region} / {key}: no as_of date (neither on the entry nor its source)"
                ));
            }
            if e.tiers
                .as_ref()
                .is_some_and(|t| t.iter().all(|t| t.price.is_zero()))
            {
                // A deliberately free path (e.g. Azure cross-AZ transfer) must say why.
                if e.note.is_none() {
                    r.errors.push(format!(
                        "{region} / {key}: every tier is free and no note says why"
                    ));
                }
            }
        }
    }
}

fn machines_check(c: &Catalog, machines: &Machines, r: &mut Report) {
    let priced: std::collections::BTreeSet<&str> = c
        .prices
        .values()
        .flat_map(|m| m.keys())
        .filter_map(|k| machine_of_key(&c.cloud, k))
        .collect();
    for t in &priced {
        if !machines.types.contains_key(*t) {
            r.errors.push(format!(
                "`{t}` is priced but missing from machines/{}.json (its vCPU, memory and GPUs \
                 would be unknown)",
                c.cloud
            ));
        }
    }
    let gpu_types: Vec<&String> = machines
        .types
        .iter()
        .filter(|(_, s)| s.gpu.is_some())
        .map(|(t, _)| t)
        .collect();
    if gpu_types.is_empty() {
        return;
    }
    let unpriced: Vec<&str> = gpu_types
        .iter()
        .filter(|t| !priced.contains(t.as_str()))
        .map(|t| t.as_str())
        .collect();
    if unpriced.len() == gpu_types.len() {
        r.errors.push(format!(
            "no GPU machine type is priced in the {} catalog",
            c.cloud
        ));
    } else if !unpriced.is_empty() {
        r.warnings.push(format!(
            "{} GPU type(s) in machines/{}.json have no price in any region: {}",
            unpriced.len(),
            c.cloud,
            unpriced.join(", ")
        ));
    }
}

/// A warning when `c` was generated more than `max_age_days` before `today`.
pub fn staleness(c: &Catalog, today: NaiveDate, max_age_days: i64) -> Option<String> {
    let generated = NaiveDate::parse_from_str(&c.generated_at, "%Y-%m-%d").ok()?;
    let age = (today - generated).num_days();
    (age > max_age_days).then(|| {
        format!(
            "the {} price catalog is {age} days old (generated {}; older than {max_age_days} \
             days): run `costgate pricing refresh --cloud {}`",
            c.cloud, c.generated_at, c.cloud
        )
    })
}

/// Staleness warnings for every catalog in use.
pub fn stale_warnings(cats: &Catalogs, today: NaiveDate, max_age_days: i64) -> Vec<String> {
    cats.prices
        .values()
        .filter_map(|c| staleness(c, today, max_age_days))
        .collect()
}

/// Verify the catalogs in `dir` (each cloud's file, else the embedded copy) without refusing
/// invalid ones up front, so every problem is listed. A file that is not a catalog at all is
/// one error. Returns the report and the number of catalogs checked.
pub fn verify_dir(
    dir: Option<&std::path::Path>,
    today: NaiveDate,
    max_age_days: i64,
) -> crate::error::Result<(Report, usize)> {
    let mut all = Report::default();
    for cloud in crate::pricing::CLOUDS {
        let file = dir
            .map(|d| d.join(format!("{cloud}.json")))
            .filter(|p| p.exists());
        let at = |s: String| format!("{}: {s}", origin_of(&file, cloud));
        let parsed = match &file {
            Some(f) => {
                let text = crate::error::read_file(f)?;
                Catalog::parse_unvalidated(f, &text).map_err(|e| format!("{e:?}"))
            }
            None => crate::pricing::Catalogs::embedded_full()
                .map(|c| c.prices[*cloud].clone())
                .map_err(|e| format!("{e:?}")),
        };
        let machines = match dir
            .map(|d| d.join("machines").join(format!("{cloud}.json")))
            .filter(|p| p.exists())
        {
            Some(f) => Machines::parse(&f, &crate::error::read_file(&f)?)?,
            None => Machines::parse(
                std::path::Path::new(&format!("pricing/machines/{cloud}.json")),
                crate::pricing::embedded(cloud).machines,
            )?,
        };
        match parsed {
            Err(e) => all.errors.push(at(e)),
            Ok(c) => {
                let r = verify_catalog(&c, &machines, Some(today), max_age_days);
                all.errors.extend(r.errors.into_iter().map(at));
                all.warnings.extend(r.warnings.into_iter().map(at));
                all.info.extend(coverage(&c).into_iter().map(at));
            }
        }
    }
    Ok((all, crate::pricing::CLOUDS.len()))
}

/// Verify every catalog; errors and warnings are prefixed with the file they concern.
pub fn verify_all(cats: &Catalogs, today: NaiveDate, max_age_days: i64) -> Report {
    let mut all = Report::default();
    for (cloud, c) in &cats.prices {
        let empty = Machines::default();
        let m = cats.machines.get(cloud).unwrap_or(&empty);
        let r = verify_catalog(c, m, Some(today), max_age_days);
        let origin = cats.origin.get(cloud).map(String::as_str).unwrap_or("?");
        let at = |s: String| format!("{cloud} ({origin}): {s}");
        all.errors.extend(r.errors.into_iter().map(at));
        all.warnings.extend(r.warnings.into_iter().map(at));
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn shipped_catalogs_have_no_errors() {
        let cats = Catalogs::embedded_full().unwrap();
        let r = verify_all(&cats, day("2026-11-26"), DEFAULT_MAX_AGE_DAYS);
        assert!(r.errors.is_empty(), "{:#?}", r.errors);
    }

    #[test]
    fn coverage_lists_every_region_and_the_derived_share() {
        let cats = Catalogs::embedded_full().unwrap();
        let lines = coverage(&cats.prices["aws"]);
        assert!(
            lines[0].starts_with("coverage aws: 45 region(s)"),
            "{}",
            lines[0]
        );
        assert!(lines[0].contains("% derived"));
        assert!(lines
            .iter()
            .any(|l| l.starts_with("coverage aws eu-central-1:")));
        let regional = lines.iter().filter(|l| !l.contains(" service ")).count();
        assert_eq!(regional, cats.prices["aws"].prices.len() + 1);
        // Per-service region coverage (issue 26): RDS from its own table in 30 regions,
        // Secrets Manager one global rate, load balancers in a few regions only.
        assert!(lines.contains(&"coverage aws service rds: 30 of 41 region(s)".to_string()));
        assert!(lines
            .contains(&"coverage aws service secretsmanager: global (every region)".to_string()));
        assert!(lines
            .iter()
            .any(|l| l.starts_with("coverage aws service lb: 5 of 41")));
    }

    #[test]
    fn prices_used_warn_by_their_own_date_and_name_the_catalog() {
        let today = day("2026-12-02");
        let used = [
            ("aws", "imp-aws-regional-2024-02-23", "2026-07-20"),
            ("gcp", "imp-gcp-anycloud-gpu-2026-05-20", "2026-05-20"),
        ];
        let w = stale_used(used, today, 180);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].contains("gcp catalog") && w[0].contains("2026-05-20"),
            "{}",
            w[0]
        );
        assert!(stale_used(used, today, 365).is_empty());
        assert_eq!(as_of_date("2025"), Some(day("2025-12-31")));
    }

    #[test]
    fn staleness_uses_the_given_clock() {
        let cats = Catalogs::embedded_full().unwrap();
        let c = &cats.prices["aws"];
        let generated = day(&c.generated_at);
        assert_eq!(staleness(c, generated + chrono::Days::new(90), 90), None);
        let w = staleness(c, generated + chrono::Days::new(91), 90).unwrap();
        assert!(w.contains("91 days old"), "{w}");
    }

    #[test]
    fn missing_machine_and_no_provenance_are_errors() {
        let cats = Catalogs::embedded_full().unwrap();
        let mut c = cats.prices["aws"].clone();
        let mut e = c.prices["us-east-1"]["ec2/t3.micro"].clone();
        e.source = "undated".into();
        c.sources.insert(
            "undated".into(),
            crate::pricing::catalog::Source {
                title: "x".into(),
                url: None,
                as_of: None,
                ..Default::default()
            },
        );
        c.prices
            .get_mut("us-east-1")
            .unwrap()
            .insert("ec2/zz9.huge".into(), e);
        let r = verify_catalog(&c, &cats.machines["aws"], None, 90);
        assert!(r
            .errors
            .iter()
            .any(|e| e.contains("zz9.huge") && e.contains("missing")));
        assert!(r.errors.iter().any(|e| e.contains("no as_of")));
        let mut none = c.clone();
        for m in none.prices.values_mut() {
            m.retain(|k, _| !k.starts_with("ec2/") && !k.starts_with("ec2-spot/"));
        }
        let r = verify_catalog(&none, &cats.machines["aws"], None, 90);
        assert!(r.errors.iter().any(|e| e.contains("no GPU machine type")));
    }
}
