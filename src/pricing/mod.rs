//! Price catalogs: the embedded seed catalogs from `pricing/`, or a folder given with
//! `--pricing-dir`, and lookups that explain every miss.

pub mod catalog;
pub mod import;
pub mod lazy;
pub mod refresh;
pub mod regions;
pub mod show;
pub mod verify;

pub use catalog::{Catalog, GpuSpec, MachineSpec, Machines, PriceEntry, Tier};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::money::Decimal;

/// The clouds costgate ships catalogs for.
pub const CLOUDS: &[&str] = &["aws", "azure", "gcp"];

/// The embedded catalogs, as `build.rs` lays them out: the header (schema, sources; empty
/// `prices`), the compressed regions and their index, and the machine file.
pub(crate) struct Embedded {
    pub head: &'static str,
    pub bin: &'static [u8],
    pub idx: &'static str,
    pub keys: &'static [u8],
    pub machines: &'static str,
}

macro_rules! embedded_cloud {
    ($c:literal) => {
        Embedded {
            head: include_str!(concat!(env!("OUT_DIR"), "/", $c, ".head.json")),
            bin: include_bytes!(concat!(env!("OUT_DIR"), "/", $c, ".bin")),
            idx: include_str!(concat!(env!("OUT_DIR"), "/", $c, ".idx")),
            keys: include_bytes!(concat!(env!("OUT_DIR"), "/", $c, ".keys")),
            machines: include_str!(concat!("../../pricing/machines/", $c, ".json")),
        }
    };
}

pub(crate) fn embedded(cloud: &str) -> Embedded {
    match cloud {
        "aws" => embedded_cloud!("aws"),
        "azure" => embedded_cloud!("azure"),
        _ => embedded_cloud!("gcp"),
    }
}

/// Cloud catalog name for a Terraform provider (`google` → `gcp`, `azurerm` → `azure`).
pub fn cloud_of_provider(provider: &str) -> &str {
    match provider {
        "google" | "google-beta" => "gcp",
        "azurerm" | "azapi" => "azure",
        other => other,
    }
}

/// All catalogs in use.
#[derive(Debug, Clone)]
pub struct Catalogs {
    /// Per cloud: the catalog header and sources, and its regions when they were parsed up
    /// front (a `--pricing-dir` file, or [`Catalogs::load_full`]).
    pub prices: BTreeMap<String, Catalog>,
    pub machines: BTreeMap<String, Machines>,
    /// Where each catalog came from (`embedded` or a path), for `pricing show`.
    pub origin: BTreeMap<String, String>,
    /// Embedded regions not parsed yet (see [`lazy`]).
    lazy: BTreeMap<String, std::sync::Arc<lazy::LazyRegions>>,
    /// The organisation's price book, when one is in use (applied by the estimate).
    pub book: Option<std::sync::Arc<crate::book::PriceBook>>,
}

/// A found price.
#[derive(Debug, Clone)]
pub struct PriceRef<'a> {
    pub key: String,
    pub region: String,
    pub entry: &'a PriceEntry,
    /// Source id and date, e.g. `nable-2026-09 (2026-09-24)`.
    pub source: String,
    /// The catalog's description of the source (title, URL), when listed.
    pub source_info: Option<&'a catalog::Source>,
    /// Date of the price: the entry's `as_of`, else its source's, else the catalog's date.
    pub as_of: String,
}

impl PriceRef<'_> {
    /// `list` or `derived` (from the source; absent = `list`).
    pub fn confidence(&self) -> &str {
        self.source_info.map_or("list", |s| s.confidence())
    }
}

impl Catalogs {
    /// The embedded catalogs (regions parsed when first used).
    pub fn embedded() -> Result<Self> {
        Self::load(None)
    }

    /// The embedded catalogs with every region parsed (for tools that walk all prices).
    pub fn embedded_full() -> Result<Self> {
        Self::load_full(None)
    }

    /// The catalogs of a user's `--pricing-dir` (each cloud it lacks: the embedded one),
    /// checked with [`check_pricing_dir`] first, or the embedded ones.
    pub fn load_user(dir: Option<&Path>) -> Result<Self> {
        if let Some(d) = dir {
            check_pricing_dir(d)?;
        }
        Self::load(dir)
    }

    /// [`Catalogs::load_user`] with every region parsed (`pricing show`).
    pub fn load_user_full(dir: Option<&Path>) -> Result<Self> {
        if let Some(d) = dir {
            check_pricing_dir(d)?;
        }
        Self::load_full(dir)
    }

    /// Catalogs from `dir` where it has a file (parsed and validated whole), the embedded copy
    /// otherwise (regions parsed when first used); without the `--pricing-dir` check (for
    /// `pricing refresh` and `import`).
    pub fn load(dir: Option<&Path>) -> Result<Self> {
        let mut prices = BTreeMap::new();
        let mut machines = BTreeMap::new();
        let mut origin = BTreeMap::new();
        let mut lazy = BTreeMap::new();
        for cloud in CLOUDS {
            let emb = embedded(cloud);
            let p_file = dir
                .map(|d| d.join(format!("{cloud}.json")))
                .filter(|p| p.exists());
            let m_file = dir
                .map(|d| d.join("machines").join(format!("{cloud}.json")))
                .filter(|p| p.exists());
            let p = match &p_file {
                Some(f) => Catalog::parse(f, &crate::error::read_file(f)?)?,
                None => {
                    lazy.insert(
                        cloud.to_string(),
                        std::sync::Arc::new(lazy::LazyRegions::new(&emb)),
                    );
                    Catalog::parse(&PathBuf::from(format!("pricing/{cloud}.json")), emb.head)?
                }
            };
            let m = match &m_file {
                Some(f) => Machines::parse(f, &crate::error::read_file(f)?)?,
                None => Machines::parse(
                    &PathBuf::from(format!("pricing/machines/{cloud}.json")),
                    emb.machines,
                )?,
            };
            origin.insert(
                cloud.to_string(),
                p_file
                    .map(|f| f.display().to_string())
                    .unwrap_or_else(|| "embedded".into()),
            );
            prices.insert(cloud.to_string(), p);
            machines.insert(cloud.to_string(), m);
        }
        Ok(Catalogs {
            prices,
            machines,
            origin,
            lazy,
            book: None,
        })
    }

    /// Like [`Catalogs::load`], with every embedded region parsed into `prices`.
    pub fn load_full(dir: Option<&Path>) -> Result<Self> {
        let mut c = Self::load(dir)?;
        for (cloud, l) in std::mem::take(&mut c.lazy) {
            if let Some(cat) = c.prices.get_mut(&cloud) {
                l.fill(cat).map_err(|e| {
                    miette::miette!(code = crate::error::Code::PricingInvalid, "{e}")
                })?;
            }
        }
        Ok(c)
    }

    /// One region's entries of a cloud's catalog.
    pub fn region_prices(
        &self,
        cloud: &str,
        region: &str,
    ) -> Option<&BTreeMap<String, PriceEntry>> {
        self.prices
            .get(cloud)
            .and_then(|c| c.prices.get(region))
            .or_else(|| self.lazy.get(cloud).and_then(|l| l.get(region)))
    }

    /// The regions of a cloud's catalog.
    pub fn region_names(&self, cloud: &str) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .prices
            .get(cloud)
            .map(|c| c.prices.keys().map(String::as_str).collect())
            .unwrap_or_default();
        if let Some(l) = self.lazy.get(cloud) {
            v.extend(l.names());
        }
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Regions that price `key`.
    fn regions_with(&self, cloud: &str, key: &str) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .prices
            .get(cloud)
            .map(|c| {
                c.prices
                    .iter()
                    .filter(|(_, m)| m.contains_key(key))
                    .map(|(r, _)| r.as_str())
                    .collect()
            })
            .unwrap_or_default();
        if let Some(l) = self.lazy.get(cloud) {
            v.extend(l.regions_with(key));
        }
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Find `key` for `region` (falling back to the `global` region) or explain why not,
    /// naming the nearest region that has a price and that price.
    pub fn price(&self, cloud: &str, region: &str, key: &str) -> Result<PriceRef<'_>, String> {
        let cat = self
            .prices
            .get(cloud)
            .ok_or_else(|| format!("no price catalog for cloud `{cloud}`"))?;
        for r in [region, "global"] {
            if let Some(entry) = self.region_prices(cloud, r).and_then(|m| m.get(key)) {
                let as_of = entry
                    .as_of
                    .clone()
                    .or_else(|| cat.sources.get(&entry.source).and_then(|s| s.as_of.clone()))
                    .unwrap_or_else(|| cat.generated_at.clone());
                return Ok(PriceRef {
                    key: key.to_string(),
                    region: r.to_string(),
                    entry,
                    source: format!("{} ({as_of})", entry.source),
                    source_info: cat.sources.get(&entry.source),
                    as_of,
                });
            }
        }
        let elsewhere = self.regions_with(cloud, key);
        let Some(near) = nearest_region(region, &elsewhere) else {
            return Err(format!("no price for `{key}` in the {cloud} catalog"));
        };
        let near_price = self
            .region_prices(cloud, near)
            .and_then(|m| m.get(key))
            .and_then(|e| e.base_price())
            .map(|p| {
                format!(
                    " at {p}/{}",
                    self.region_prices(cloud, near)
                        .and_then(|m| m.get(key))
                        .map_or("", |e| e.unit.as_str())
                )
            })
            .unwrap_or_default();
        let others = if elsewhere.len() > 1 {
            format!(", {} region(s) in all", elsewhere.len())
        } else {
            String::new()
        };
        Err(format!(
            "no price for `{key}` in region {region} (the {cloud} catalog's nearest region with \
             one is {near}{near_price}{others})"
        ))
    }

    /// The date a cloud's catalog was generated (the date prices and dated rules, such as
    /// RDS extended support, are taken as of).
    pub fn generated_at(&self, cloud: &str) -> Option<chrono::NaiveDate> {
        let c = self.prices.get(cloud)?;
        chrono::NaiveDate::parse_from_str(&c.generated_at, "%Y-%m-%d").ok()
    }

    /// Hardware facts of a machine type (`p5.48xlarge`, `a2-highgpu-1g`, `standard_nc6s_v3`).
    pub fn machine(&self, cloud: &str, machine_type: &str) -> Option<&MachineSpec> {
        let m = self.machines.get(cloud)?;
        m.types
            .get(machine_type)
            .or_else(|| m.types.get(&machine_type.to_ascii_lowercase()))
    }

    /// An accelerator by its type string (GCP `nvidia-tesla-t4`, `NVIDIA_TESLA_T4`).
    pub fn accelerator(&self, cloud: &str, name: &str) -> Option<&GpuSpec> {
        self.machines.get(cloud)?.accelerators.get(name)
    }

    /// Is `key` priced anywhere for `cloud`? (Tells "unknown type" from "not in this region".)
    pub fn knows(&self, cloud: &str, key: &str) -> bool {
        !self.regions_with(cloud, key).is_empty()
    }
}

/// The region among `candidates` nearest to `region`, by name: the same geography and area
/// first (`eu-central-2` → `eu-central-1`, `europe-west9` → `europe-west1`), then the longest
/// shared name prefix; ties go to the first in name order.
pub fn nearest_region<'a>(region: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let shared = |c: &str| {
        region
            .chars()
            .zip(c.chars())
            .take_while(|(a, b)| a == b)
            .count()
    };
    candidates
        .iter()
        .copied()
        .filter(|c| *c != "global")
        .max_by(|a, b| shared(a).cmp(&shared(b)).then_with(|| b.cmp(a)))
}

/// Cost of `quantity` units under cumulative usage bands.
pub fn tiered_cost(tiers: &[Tier], quantity: Decimal) -> Decimal {
    let mut remaining = quantity;
    let mut lower = Decimal::ZERO;
    let mut total = Decimal::ZERO;
    for t in tiers {
        if remaining <= Decimal::ZERO {
            break;
        }
        let band = match t.upto {
            Some(up) => (up - lower).max(Decimal::ZERO).min(remaining),
            None => remaining,
        };
        total += band * t.price;
        remaining -= band;
        if let Some(up) = t.upto {
            lower = up;
        }
    }
    total
}

/// `--pricing-dir` / `COSTGATE_PRICING_DIR` must be a folder with at least one catalog
/// (`<cloud>.json` or `machines/<cloud>.json`; clouds it lacks use the embedded catalogs): a
/// missing folder, a file or an empty folder is an error, never a silent fallback.
pub fn check_pricing_dir(d: &Path) -> Result<()> {
    let err = |what: &str| {
        Err(miette::miette!(
            code = crate::error::Code::PricingDir,
            help = "point --pricing-dir (COSTGATE_PRICING_DIR) at a folder written by `costgate pricing refresh`, or unset it for the embedded catalogs",
            "pricing dir {}: {what}",
            d.display()
        ))
    };
    match std::fs::metadata(d) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return err("does not exist"),
        Err(e) => return err(&format!("cannot be read ({})", e.kind())),
        Ok(m) if !m.is_dir() => return err("is not a folder"),
        Ok(_) => {}
    }
    let any = CLOUDS.iter().any(|cloud| {
        d.join(format!("{cloud}.json")).is_file()
            || d.join("machines").join(format!("{cloud}.json")).is_file()
    });
    if !any {
        let names: Vec<String> = CLOUDS.iter().map(|c| format!("{c}.json")).collect();
        return err(&format!("holds no price catalog ({})", names.join(", ")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn tiers_are_cumulative() {
        let tiers = vec![
            Tier {
                upto: Some(d("10240")),
                price: d("0.09"),
            },
            Tier {
                upto: Some(d("51200")),
                price: d("0.085"),
            },
            Tier {
                upto: None,
                price: d("0.07"),
            },
        ];
        assert_eq!(tiered_cost(&tiers, d("100")), d("9"));
        // 10240 × 0.09 + 40960 × 0.085 + 8800 × 0.07
        assert_eq!(
            tiered_cost(&tiers, d("60000")),
            d("921.6") + d("3481.6") + d("616")
        );
        assert_eq!(tiered_cost(&tiers, Decimal::ZERO), Decimal::ZERO);
    }

    /// 50 (type, region) pairs per cloud extracted from the source tables (see
    /// testdata/pricing-samples/README.md): the embedded catalogs carry exactly those prices,
    /// with the expected confidence.
    #[test]
    fn embedded_prices_match_the_source_sample_per_cloud() {
        let c = Catalogs::embedded().unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/pricing-samples");
        for cloud in CLOUDS {
            let text = std::fs::read_to_string(dir.join(format!("{cloud}.csv"))).unwrap();
            let rows: Vec<&str> = text.lines().skip(1).collect();
            assert_eq!(rows.len(), 50, "{cloud}");
            for row in rows {
                let f: Vec<&str> = row.split(',').collect();
                let (region, key, want, conf) = (f[0], f[1], d(f[2]), f[3]);
                let p = c
                    .price(cloud, region, key)
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(p.entry.price, Some(want), "{cloud} {region} {key}");
                assert_eq!(p.region, region);
                assert_eq!(p.confidence(), conf, "{cloud} {region} {key}");
            }
        }
    }

    #[test]
    fn embedded_regions_all_parse() {
        let full = Catalogs::embedded_full().unwrap();
        let lazy = Catalogs::embedded().unwrap();
        for cloud in CLOUDS {
            let regions = lazy.region_names(cloud);
            assert!(regions.len() >= 33, "{cloud}: {}", regions.len());
            for r in regions {
                assert_eq!(
                    lazy.region_prices(cloud, r).map(|m| m.len()),
                    full.prices[*cloud].prices.get(r).map(|m| m.len()),
                    "{cloud} {r}"
                );
            }
        }
    }

    #[test]
    fn a_miss_names_the_nearest_priced_region_and_its_price() {
        let c = Catalogs::embedded().unwrap();
        // p5.48xlarge has no 2024 price in eu-central-2; eu-central-1 is not priced either,
        // so the nearest by name among the regions that have it is named, with its price.
        let e = c
            .price("aws", "eu-central-2", "ec2/p5.48xlarge")
            .unwrap_err();
        assert!(e.contains("nearest region with one is"), "{e}");
        assert!(e.contains("/hour"), "{e}");
        assert!(!c.knows("aws", "ec2/zz9.huge"));
        assert_eq!(
            nearest_region("eu-central-2", &["us-east-1", "eu-central-1", "eu-west-1"]),
            Some("eu-central-1")
        );
    }

    #[test]
    fn embedded_catalogs_parse() {
        let c = Catalogs::embedded().unwrap();
        assert!(c.prices.contains_key("aws"));
    }
}
