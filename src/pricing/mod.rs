//! Price catalogs: the embedded seed catalogs from `pricing/`, or a folder given with
//! `--pricing-dir`, and lookups that explain every miss.

pub mod catalog;
pub mod refresh;
pub mod show;
pub mod verify;

pub use catalog::{Catalog, GpuSpec, MachineSpec, Machines, PriceEntry, Tier};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::money::Decimal;

/// The clouds costgate ships catalogs for.
pub const CLOUDS: &[&str] = &["aws", "azure", "gcp"];

/// Embedded copies of `pricing/*.json`.
pub(crate) fn embedded(cloud: &str) -> (&'static str, &'static str) {
    match cloud {
        "aws" => (
            include_str!("../../pricing/aws.json"),
            include_str!("../../pricing/machines/aws.json"),
        ),
        "azure" => (
            include_str!("../../pricing/azure.json"),
            include_str!("../../pricing/machines/azure.json"),
        ),
        _ => (
            include_str!("../../pricing/gcp.json"),
            include_str!("../../pricing/machines/gcp.json"),
        ),
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
    pub prices: BTreeMap<String, Catalog>,
    pub machines: BTreeMap<String, Machines>,
    /// Where each catalog came from (`embedded` or a path), for `pricing show`.
    pub origin: BTreeMap<String, String>,
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

impl Catalogs {
    /// The embedded catalogs.
    pub fn embedded() -> Result<Self> {
        Self::load(None)
    }

    /// Catalogs from `dir` where it has a file, the embedded copy otherwise.
    /// The catalogs of a user's `--pricing-dir` (each cloud it lacks: the embedded one),
    /// checked with [`check_pricing_dir`] first, or the embedded ones.
    pub fn load_user(dir: Option<&Path>) -> Result<Self> {
        if let Some(d) = dir {
            check_pricing_dir(d)?;
        }
        Self::load(dir)
    }

    /// The catalogs of `dir` without the `--pricing-dir` check (for `pricing refresh`).
    pub fn load(dir: Option<&Path>) -> Result<Self> {
        let mut prices = BTreeMap::new();
        let mut machines = BTreeMap::new();
        let mut origin = BTreeMap::new();
        for cloud in CLOUDS {
            let (p_text, m_text) = embedded(cloud);
            let p_file = dir
                .map(|d| d.join(format!("{cloud}.json")))
                .filter(|p| p.exists());
            let m_file = dir
                .map(|d| d.join("machines").join(format!("{cloud}.json")))
                .filter(|p| p.exists());
            let p = match &p_file {
                Some(f) => Catalog::parse(f, &crate::error::read_file(f)?)?,
                None => Catalog::parse(&PathBuf::from(format!("pricing/{cloud}.json")), p_text)?,
            };
            let m = match &m_file {
                Some(f) => Machines::parse(f, &crate::error::read_file(f)?)?,
                None => Machines::parse(
                    &PathBuf::from(format!("pricing/machines/{cloud}.json")),
                    m_text,
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
        })
    }

    /// Find `key` for `region` (falling back to the `global` region) or explain why not.
    pub fn price(&self, cloud: &str, region: &str, key: &str) -> Result<PriceRef<'_>, String> {
        let cat = self
            .prices
            .get(cloud)
            .ok_or_else(|| format!("no price catalog for cloud `{cloud}`"))?;
        for r in [region, "global"] {
            if let Some(entry) = cat.prices.get(r).and_then(|m| m.get(key)) {
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
        let elsewhere: Vec<&str> = cat
            .prices
            .iter()
            .filter(|(_, m)| m.contains_key(key))
            .map(|(r, _)| r.as_str())
            .collect();
        Err(if elsewhere.is_empty() {
            format!("no price for `{key}` in the {cloud} catalog")
        } else {
            format!(
                "no price for `{key}` in region {region} (the {cloud} catalog has it for {})",
                elsewhere.join(", ")
            )
        })
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
        self.prices
            .get(cloud)
            .is_some_and(|c| c.prices.values().any(|m| m.contains_key(key)))
    }
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

    #[test]
    fn embedded_catalogs_parse() {
        let c = Catalogs::embedded().unwrap();
        assert!(c.prices.contains_key("aws"));
    }
}
