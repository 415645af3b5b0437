//! On-disk catalog schema (see `pricing/README.md`), parsed with located errors and validated.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{FileError, Result};
use crate::money::Decimal;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub schema_version: u32,
    pub cloud: String,
    pub currency: String,
    /// Date (YYYY-MM-DD) the catalog was generated.
    pub generated_at: String,
    #[serde(default)]
    pub generator: Option<String>,
    pub sources: BTreeMap<String, Source>,
    /// region → key → entry.
    pub prices: BTreeMap<String, BTreeMap<String, PriceEntry>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Source {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PriceEntry {
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiers: Option<Vec<Tier>>,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Free-form extra fields kept by refresh (e.g. `confidence`).
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl PriceEntry {
    /// The flat price, or the first tier's price.
    pub fn base_price(&self) -> Option<Decimal> {
        self.price
            .or_else(|| self.tiers.as_ref().and_then(|t| t.first()).map(|t| t.price))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tier {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upto: Option<Decimal>,
    pub price: Decimal,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Machines {
    pub schema_version: u32,
    pub cloud: String,
    #[serde(default)]
    pub types: BTreeMap<String, MachineSpec>,
    #[serde(default)]
    pub accelerators: BTreeMap<String, GpuSpec>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MachineSpec {
    #[serde(default)]
    pub vcpu: Option<u32>,
    #[serde(default)]
    pub memory_gib: Option<Decimal>,
    #[serde(default)]
    pub gpu: Option<GpuSpec>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct GpuSpec {
    pub model: String,
    #[serde(default)]
    pub family: Option<String>,
    #[serde(default)]
    pub vendor: Option<String>,
    #[serde(default)]
    pub memory_gb: Option<Decimal>,
    #[serde(default)]
    pub count: Option<u32>,
    /// Fraction of one GPU, e.g. `1/6` for Azure NVadsA10 v5 sizes.
    #[serde(default)]
    pub share: Option<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

fn parse_json<T: for<'de> Deserialize<'de>>(path: &Path, text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| {
        FileError::at_line_col(
            path,
            text,
            e.line().max(1),
            e.column().max(1),
            format!("{} is not a valid {what}", path.display()),
            e.to_string(),
        )
        .with_help("see pricing/README.md for the catalog format")
        .with_code(crate::error::Code::PricingParse)
        .into()
    })
}

impl Catalog {
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let c: Catalog = parse_json(path, text, "price catalog")?;
        let problems = c.validate();
        if let Some(first) = problems.first() {
            return Err(miette::miette!(
                code = crate::error::Code::PricingInvalid,
                help = "run `costgate pricing verify` for the full list",
                "{} is not a usable price catalog: {first}{}",
                path.display(),
                if problems.len() > 1 {
                    format!(" (and {} more problems)", problems.len() - 1)
                } else {
                    String::new()
                }
            ));
        }
        Ok(c)
    }

    /// Parse without [`Catalog::validate`] (for `pricing verify`, which lists every problem).
    pub fn parse_unvalidated(path: &Path, text: &str) -> Result<Self> {
        parse_json(path, text, "price catalog")
    }

    /// Structural problems (empty when the catalog is usable).
    pub fn validate(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.schema_version != SCHEMA_VERSION {
            out.push(format!(
                "schema_version {} is not {SCHEMA_VERSION}",
                self.schema_version
            ));
        }
        if chrono::NaiveDate::parse_from_str(&self.generated_at, "%Y-%m-%d").is_err() {
            out.push(format!(
                "generated_at `{}` is not a YYYY-MM-DD date",
                self.generated_at
            ));
        }
        for (region, entries) in &self.prices {
            for (key, e) in entries {
                let at = format!("{region} / {key}");
                match (&e.price, &e.tiers) {
                    (Some(p), None) if *p <= Decimal::ZERO => {
                        out.push(format!("{at}: price {p} is not > 0"))
                    }
                    (Some(_), None) => {}
                    (None, Some(t)) if t.is_empty() => out.push(format!("{at}: empty tiers")),
                    (None, Some(t)) => {
                        if t.iter().any(|t| t.price < Decimal::ZERO) {
                            out.push(format!("{at}: negative tier price"));
                        }
                        let bounds: Vec<Decimal> = t.iter().filter_map(|t| t.upto).collect();
                        if bounds.windows(2).any(|w| w[0] >= w[1])
                            || t[..t.len() - 1].iter().any(|t| t.upto.is_none())
                        {
                            out.push(format!(
                                "{at}: tier bounds must increase and only the last may be open"
                            ));
                        }
                    }
                    _ => out.push(format!("{at}: needs exactly one of price or tiers")),
                }
                if !self.sources.contains_key(&e.source) {
                    out.push(format!(
                        "{at}: source `{}` is not listed in sources",
                        e.source
                    ));
                }
            }
        }
        out
    }
}

impl Machines {
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        parse_json(path, text, "machine catalog")
    }
}
