//! `costgate pricing refresh`: rebuild a cloud's price catalog from its public price API.
//!
//! Each cloud module ([`aws`], [`azure`], [`gcp`]) fetches and maps API records to our keys
//! (pricing/README.md) and returns a [`Fresh`] set of entries with one source. [`merge`] lays
//! them over the current catalog: refreshed entries replace old ones, entries the API did not
//! produce keep their own (older) source, so every price stays traceable. The result must pass
//! [`crate::pricing::verify`] and the refresh sanity checks before [`mod@write`] replaces the file
//! atomically; any failure leaves the old catalog byte-identical.

pub mod aws;
pub mod azure;
pub mod gcp;
pub mod http;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::money::Decimal;
use crate::pricing::catalog::{Catalog, Machines, PriceEntry, Source, Tier};
use crate::pricing::verify;

pub use http::HttpConfig;

/// What to refresh and where.
#[derive(Debug, Clone)]
pub struct Options {
    pub cloud: String,
    /// Regions to fetch; empty = the regions the current catalog has.
    pub regions: Vec<String>,
    /// Base URL of the price API (or a mirror of it).
    pub endpoint: Option<String>,
    pub out: PathBuf,
    /// Accept a catalog that fails the refresh sanity checks (never one that fails validation).
    pub force: bool,
    pub http: HttpConfig,
    /// The date recorded as `generated_at` and `as_of`.
    pub today: chrono::NaiveDate,
    /// GCP API key.
    pub api_key: Option<String>,
}

/// Entries fetched from one API run.
#[derive(Debug, Clone)]
pub struct Fresh {
    pub source_id: String,
    pub source: Option<Source>,
    /// region → key → entry (entries name `source_id`).
    pub prices: BTreeMap<String, BTreeMap<String, PriceEntry>>,
    /// Which keys this API is responsible for (to compare old and new counts).
    pub covers: fn(&str) -> bool,
    /// Things the user should know (conflicting records, skipped items).
    pub notes: Vec<String>,
}

impl Fresh {
    pub fn new(source_id: String, source: Source, covers: fn(&str) -> bool) -> Self {
        Fresh {
            source_id,
            source: Some(source),
            prices: BTreeMap::new(),
            covers,
            notes: Vec::new(),
        }
    }

    /// Add an entry unless the key already has one (first record wins; a differing later
    /// record is noted).
    pub fn add(&mut self, region: &str, key: String, unit: &str, price: Priced) {
        let entry = PriceEntry {
            unit: unit.to_string(),
            price: price.flat,
            tiers: price.tiers,
            source: self.source_id.clone(),
            as_of: None,
            note: price.note,
            extra: Default::default(),
        };
        let region_map = self.prices.entry(region.to_string()).or_default();
        match region_map.get(&key) {
            None => {
                region_map.insert(key, entry);
            }
            Some(old) if old.price != entry.price || old.tiers != entry.tiers => {
                self.notes.push(format!(
                    "{region} / {key}: several records ({:?} kept, {:?} ignored)",
                    old.base_price(),
                    entry.base_price()
                ));
            }
            Some(_) => {}
        }
    }

    pub fn count(&self) -> usize {
        self.prices.values().map(|m| m.len()).sum()
    }
}

/// A price to add: flat or tiered, with an optional derivation note.
#[derive(Debug, Clone, Default)]
pub struct Priced {
    pub flat: Option<Decimal>,
    pub tiers: Option<Vec<Tier>>,
    pub note: Option<String>,
}

impl Priced {
    pub fn flat(p: Decimal) -> Self {
        Priced {
            flat: Some(p.normalize()),
            ..Default::default()
        }
    }
    /// Tiers given as (start, price) pairs sorted by start; a single band becomes a flat price.
    pub fn from_starts(mut bands: Vec<(Decimal, Decimal)>) -> Option<Self> {
        bands.sort_by_key(|a| a.0);
        match bands.len() {
            0 => None,
            1 => Some(Priced::flat(bands[0].1)),
            _ => {
                let tiers = (0..bands.len())
                    .map(|i| Tier {
                        upto: bands.get(i + 1).map(|b| b.0.normalize()),
                        price: bands[i].1.normalize(),
                    })
                    .collect();
                Some(Priced {
                    tiers: Some(tiers),
                    ..Default::default()
                })
            }
        }
    }
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// The catalog and machine files refresh starts from: the files in `--out`, else embedded.
fn current(opts: &Options) -> Result<(Catalog, Machines, Option<Vec<u8>>)> {
    let cats = crate::pricing::Catalogs::load(Some(&opts.out))?;
    let cat = cats.prices.get(&opts.cloud).cloned().ok_or_else(|| {
        miette::miette!(
            code = crate::error::Code::Cli,
            "unknown cloud `{}`",
            opts.cloud
        )
    })?;
    let machines = cats.machines.get(&opts.cloud).cloned().unwrap_or_default();
    let path = catalog_path(&opts.out, &opts.cloud);
    let bytes = std::fs::read(&path).ok();
    Ok((cat, machines, bytes))
}

pub fn catalog_path(dir: &Path, cloud: &str) -> PathBuf {
    dir.join(format!("{cloud}.json"))
}

/// Run a refresh; returns a human summary.
pub fn run(opts: &Options) -> Result<String> {
    let (old, machines, _) = current(opts)?;
    let regions = if opts.regions.is_empty() {
        old.prices
            .keys()
            .filter(|r| *r != "global")
            .cloned()
            .collect()
    } else {
        opts.regions.clone()
    };
    if regions.is_empty() {
        return Err(miette::miette!(
            code = crate::error::Code::Cli,
            help = "name the regions with --region r1,r2",
            "no regions to refresh"
        ));
    }
    let endpoint = opts
        .endpoint
        .as_deref()
        .unwrap_or(match opts.cloud.as_str() {
            "aws" => aws::ENDPOINT,
            "azure" => azure::ENDPOINT,
            _ => gcp::ENDPOINT,
        });
    let client = http::Http::new(opts.http.clone(), endpoint)?;
    let ctx = Ctx {
        http: &client,
        regions: &regions,
        old: &old,
        machines: &machines,
        today: opts.today,
        api_key: opts.api_key.as_deref(),
    };
    let fresh = match opts.cloud.as_str() {
        "aws" => aws::fetch(&ctx, opts.endpoint.as_deref().unwrap_or(aws::ENDPOINT))?,
        "azure" => azure::fetch(&ctx, opts.endpoint.as_deref().unwrap_or(azure::ENDPOINT))?,
        "gcp" => gcp::fetch(&ctx, opts.endpoint.as_deref().unwrap_or(gcp::ENDPOINT))?,
        other => {
            return Err(miette::miette!(
                code = crate::error::Code::Cli,
                "unknown cloud `{other}` (aws, azure, gcp)"
            ))
        }
    };
    let merged = merge(&old, &fresh, opts.today);
    let problems = sanity(&old, &fresh, &merged, &machines, &regions);
    let invalid = verify::verify_catalog(&merged, &machines, None, 0).errors;
    if !invalid.is_empty() {
        return Err(refused(&opts.cloud, &invalid, false));
    }
    if !problems.is_empty() && !opts.force {
        return Err(refused(&opts.cloud, &problems, true));
    }
    let path = catalog_path(&opts.out, &opts.cloud);
    write::write_catalog(&path, &merged)?;
    Ok(summary(&path, &old, &fresh, &regions, &problems))
}

/// What the cloud modules need.
pub struct Ctx<'a> {
    pub http: &'a http::Http,
    pub regions: &'a [String],
    pub old: &'a Catalog,
    pub machines: &'a Machines,
    pub today: chrono::NaiveDate,
    pub api_key: Option<&'a str>,
}

impl Ctx<'_> {
    /// Machine types to keep: those with hardware facts, and those already priced.
    pub fn wanted_type(&self, prefix: &str, name: &str) -> bool {
        self.machines.types.contains_key(name)
            || self
                .old
                .prices
                .values()
                .any(|m| m.contains_key(&format!("{prefix}{name}")))
    }
}

/// The old catalog with the fresh entries laid over it.
pub fn merge(old: &Catalog, fresh: &Fresh, today: chrono::NaiveDate) -> Catalog {
    let mut c = old.clone();
    c.generated_at = today.format("%Y-%m-%d").to_string();
    c.generator = Some(format!(
        "costgate pricing refresh ({}); entries it did not refresh keep their original source",
        fresh
            .source
            .as_ref()
            .map(|s| s.title.as_str())
            .unwrap_or("")
    ));
    if let Some(s) = &fresh.source {
        c.sources.insert(fresh.source_id.clone(), s.clone());
    }
    for (region, entries) in &fresh.prices {
        let m = c.prices.entry(region.clone()).or_default();
        for (k, e) in entries {
            m.insert(k.clone(), e.clone());
        }
    }
    let used: std::collections::BTreeSet<&String> = c
        .prices
        .values()
        .flat_map(|m| m.values())
        .map(|e| &e.source)
        .collect();
    let keep: Vec<String> = c
        .sources
        .keys()
        .filter(|k| used.contains(k))
        .cloned()
        .collect();
    c.sources.retain(|k, _| keep.contains(k));
    c
}

/// Refresh-specific checks: every region answered, not drastically fewer entries than before,
/// GPU types among the refreshed machine prices.
pub fn sanity(
    old: &Catalog,
    fresh: &Fresh,
    merged: &Catalog,
    machines: &Machines,
    regions: &[String],
) -> Vec<String> {
    let mut out = Vec::new();
    for region in regions {
        let new_n = fresh.prices.get(region).map_or(0, |m| m.len());
        let old_n = old
            .prices
            .get(region)
            .map_or(0, |m| m.keys().filter(|k| (fresh.covers)(k)).count());
        if new_n == 0 {
            out.push(format!("the API returned no usable prices for {region}"));
        } else if new_n * 2 < old_n {
            out.push(format!(
                "{region}: only {new_n} prices refreshed where the old catalog had {old_n} \
                 (drastically fewer)"
            ));
        }
    }
    let gpu_machines_refreshed = fresh
        .prices
        .values()
        .flat_map(|m| m.keys())
        .filter_map(|k| verify::machine_of_key(&merged.cloud, k))
        .any(|t| machines.types.get(t).is_some_and(|s| s.gpu.is_some()));
    let any_machine_refreshed = fresh
        .prices
        .values()
        .flat_map(|m| m.keys())
        .any(|k| verify::machine_of_key(&merged.cloud, k).is_some());
    if any_machine_refreshed && !gpu_machines_refreshed {
        out.push("no GPU machine type was among the refreshed prices".into());
    }
    out.extend(implausible(old, fresh, machines, &merged.cloud));
    out
}

/// A price this many times higher or lower than the current catalog's is implausible.
pub const MAX_CHANGE_FACTOR: u32 = 100;

/// Prices a hostile or broken mirror would give: a machine below $0.001 an hour (a GPU
/// machine below $0.05), or a price more than [`MAX_CHANGE_FACTOR`]× away from the current
/// catalog's for the same region and key.
fn implausible(old: &Catalog, fresh: &Fresh, machines: &Machines, cloud: &str) -> Vec<String> {
    let factor = Decimal::from(MAX_CHANGE_FACTOR);
    let mut out = Vec::new();
    for (region, entries) in &fresh.prices {
        for (key, e) in entries {
            let Some(new) = e.base_price() else { continue };
            if let Some(t) = verify::machine_of_key(cloud, key) {
                let gpu = machines.types.get(t).is_some_and(|s| s.gpu.is_some());
                let floor: Decimal = if gpu { "0.05" } else { "0.001" }.parse().expect("decimal");
                if new < floor {
                    out.push(format!(
                        "{region} {key}: ${new} per {} is implausibly low for a{} machine",
                        e.unit,
                        if gpu { " GPU" } else { "" }
                    ));
                    continue;
                }
            }
            let Some(was) = old
                .prices
                .get(region)
                .and_then(|m| m.get(key))
                .and_then(|o| o.base_price())
            else {
                continue;
            };
            if was > Decimal::ZERO
                && new > Decimal::ZERO
                && (new > was * factor || was > new * factor)
            {
                out.push(format!(
                    "{region} {key}: ${new} where the current catalog has ${was} (more than {MAX_CHANGE_FACTOR}× apart)"
                ));
            }
        }
    }
    out
}

fn refused(cloud: &str, problems: &[String], forceable: bool) -> miette::Report {
    let list = problems
        .iter()
        .take(10)
        .map(|p| format!("\n  - {p}"))
        .collect::<String>();
    let more = if problems.len() > 10 {
        format!("\n  … and {} more", problems.len() - 10)
    } else {
        String::new()
    };
    miette::miette!(
        code = crate::error::Code::PricingRefresh,
        help = if forceable {
            "the old catalog was left unchanged; check --region/--endpoint, or pass --force to \
             write it anyway"
        } else {
            "the old catalog was left unchanged"
        },
        "refusing to replace the {cloud} catalog:{list}{more}"
    )
}

fn summary(
    path: &Path,
    old: &Catalog,
    fresh: &Fresh,
    regions: &[String],
    warnings: &[String],
) -> String {
    let mut s = format!(
        "wrote {} ({} prices refreshed in {}; source `{}`)\n",
        path.display(),
        fresh.count(),
        regions.join(", "),
        fresh.source_id
    );
    for region in regions {
        let kept = old.prices.get(region).map_or(0, |m| {
            m.keys()
                .filter(|k| !fresh.prices.get(region).is_some_and(|f| f.contains_key(*k)))
                .count()
        });
        if kept > 0 {
            s.push_str(&format!(
                "  {region}: {kept} entries not offered by the API kept with their old source\n"
            ));
        }
    }
    for w in warnings {
        s.push_str(&format!("warning (forced): {w}\n"));
    }
    for n in fresh.notes.iter().take(20) {
        s.push_str(&format!("note: {n}\n"));
    }
    s
}

/// `1.25` from Google's `units` + `nanos`.
pub fn units_nanos(units: &str, nanos: i64) -> Option<Decimal> {
    let u: i128 = units.trim().parse().ok()?;
    let total = u.checked_mul(1_000_000_000)?.checked_add(nanos as i128)?;
    Some(
        Decimal::try_from_i128_with_scale(total, 9)
            .ok()?
            .normalize(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn units_and_nanos_are_exact() {
        assert_eq!(units_nanos("2", 933_908_000), Some(d("2.933908")));
        assert_eq!(units_nanos("0", 4_237_000), Some(d("0.004237")));
        assert_eq!(units_nanos("x", 1), None);
    }

    #[test]
    fn bands_become_tiers_or_flat() {
        let p = Priced::from_starts(vec![(d("0"), d("0.5"))]).unwrap();
        assert_eq!(p.flat, Some(d("0.5")));
        let p = Priced::from_starts(vec![(d("1024"), d("0.11")), (d("0"), d("0.12"))]).unwrap();
        let t = p.tiers.unwrap();
        assert_eq!(t[0].upto, Some(d("1024")));
        assert_eq!(t[1].upto, None);
        assert_eq!(t[0].price, d("0.12"));
    }

    #[test]
    fn merge_replaces_refreshed_keeps_others_and_drops_unused_sources() {
        let old = crate::pricing::Catalogs::embedded().unwrap().prices["aws"].clone();
        let mut fresh = Fresh::new(
            "api-x".into(),
            Source {
                title: "t".into(),
                url: None,
                as_of: Some("2027-01-01".into()),
            },
            |k| k.starts_with("ec2/"),
        );
        fresh.add(
            "us-east-1",
            "ec2/p5.48xlarge".into(),
            "hour",
            Priced::flat(d("1.5")),
        );
        let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let m = merge(&old, &fresh, today);
        assert_eq!(m.generated_at, "2027-01-01");
        let e = &m.prices["us-east-1"]["ec2/p5.48xlarge"];
        assert_eq!((e.price, e.source.as_str()), (Some(d("1.5")), "api-x"));
        assert_eq!(
            m.prices["us-east-1"]["ec2/t3.micro"].source,
            old.prices["us-east-1"]["ec2/t3.micro"].source
        );
        assert!(m.validate().is_empty());
        let machines = crate::pricing::Catalogs::embedded().unwrap().machines["aws"].clone();
        // One refreshed price where the old catalog had ~100 instance prices: refused.
        let problems = sanity(&old, &fresh, &m, &machines, &["us-east-1".to_string()]);
        assert!(
            problems.iter().any(|p| p.contains("drastically")),
            "{problems:?}"
        );
    }
}
