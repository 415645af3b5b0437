//! GCP Cloud Billing Catalog API v1 (`/v1/services`, `/v1/services/{id}/skus`; API key from
//! `COSTGATE_GCP_API_KEY` or `GOOGLE_API_KEY`; paged by `nextPageToken`).
//!
//! From Compute Engine SKUs (OnDemand and Preemptible, never commitments) we take the
//! per-family vCPU and RAM rates (`gce-core/<family>`, `gce-ram/<family>`), attached GPUs
//! (`gpu/<accelerator>`, `gpu-spot/…`) and persistent-disk capacity. Prices are `units +
//! nanos/1e9`, tiers start at `startUsageAmount`. GCP has no price per machine type: machine
//! prices (`gce/<type>`, `gce-spot/<type>`) are composed from vCPU × core rate + GiB × RAM rate
//! (+ GPUs of the type's built-in accelerator model) using pricing/machines/gcp.json.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::{units_nanos, Ctx, Fresh, Priced};
use crate::error::Result;
use crate::money::Decimal;
use crate::pricing::catalog::Source;

pub const ENDPOINT: &str = "https://cloudbilling.googleapis.com";
const SERVICE: &str = "Compute Engine";
const MAX_PAGES: usize = 1000;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServicesPage {
    #[serde(default)]
    services: Vec<Service>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Service {
    service_id: String,
    display_name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SkusPage {
    #[serde(default)]
    skus: Vec<Sku>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Sku {
    #[serde(default)]
    description: String,
    #[serde(default)]
    category: Category,
    #[serde(default)]
    service_regions: Vec<String>,
    #[serde(default)]
    pricing_info: Vec<PricingInfo>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(rename_all = "camelCase")]
struct Category {
    #[serde(default)]
    resource_group: String,
    #[serde(default)]
    usage_type: String,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct PricingInfo {
    pricing_expression: Expression,
    #[serde(default)]
    effective_time: String,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Expression {
    #[serde(default)]
    usage_unit: String,
    #[serde(default)]
    tiered_rates: Vec<Rate>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Rate {
    #[serde(default)]
    start_usage_amount: Decimal,
    unit_price: Money,
}

#[derive(Deserialize, Debug)]
struct Money {
    #[serde(default)]
    units: String,
    #[serde(default)]
    nanos: i64,
}

pub fn covers(key: &str) -> bool {
    [
        "gce/",
        "gce-spot/",
        "gce-core/",
        "gce-ram/",
        "gpu/",
        "gpu-spot/",
    ]
    .iter()
    .any(|p| key.starts_with(p))
        || (key.starts_with("pd/") && key.ends_with("/storage") && !key.contains("local-ssd"))
}

/// The API key from the environment.
pub fn api_key_from_env() -> Option<String> {
    ["COSTGATE_GCP_API_KEY", "GOOGLE_API_KEY"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|k| !k.trim().is_empty()))
}

pub fn fetch(ctx: &Ctx, endpoint: &str) -> Result<Fresh> {
    let key = ctx.api_key.ok_or_else(|| {
        miette::miette!(
            code = crate::error::Code::PricingGcpKey,
            help = "create an API key in a project with the Cloud Billing API enabled and set \
                    COSTGATE_GCP_API_KEY (or GOOGLE_API_KEY)",
            "the GCP Cloud Billing Catalog API needs an API key"
        )
    })?;
    let service = find_service(ctx, endpoint, key)?;
    let date = ctx.today.format("%Y-%m-%d").to_string();
    let mut rates = Rates::default();
    let mut effective = BTreeSet::new();
    let skus_url = super::http::join(endpoint, &format!("/v1/services/{service}/skus"))?;
    let mut token: Option<String> = None;
    for page_no in 0.. {
        if page_no >= MAX_PAGES {
            return Err(paging_err());
        }
        let mut params = vec![("key", key), ("currencyCode", "USD"), ("pageSize", "5000")];
        if let Some(t) = &token {
            params.push(("pageToken", t));
        }
        let url = reqwest::Url::parse_with_params(&skus_url, &params)
            .map_err(|e| miette::miette!(code = crate::error::Code::Cli, "bad endpoint: {e}"))?;
        let page: SkusPage = ctx.http.get_json(url.as_str())?;
        for sku in &page.skus {
            if let Some(t) = sku.pricing_info.first().map(|p| p.effective_time.clone()) {
                effective.insert(t.get(..10).unwrap_or("").to_string());
            }
            rates.add(ctx, sku);
        }
        match page.next_page_token.filter(|t| !t.is_empty()) {
            Some(t) if Some(&t) == token.as_ref() => return Err(paging_err()),
            Some(t) => token = Some(t),
            None => break,
        }
    }
    let latest = effective.iter().next_back().cloned().unwrap_or_default();
    let mut fresh = Fresh::new(
        format!("gcp-billing-catalog-{date}"),
        Source {
            title: format!(
                "GCP Cloud Billing Catalog API v1, {SERVICE} SKUs (service {service}), latest \
                 effectiveTime {latest}"
            ),
            url: Some(format!("{ENDPOINT}/v1/services/{service}/skus")),
            as_of: Some(date),
        },
        covers,
    );
    for region in ctx.regions {
        rates.emit(ctx, region, &mut fresh);
    }
    Ok(fresh)
}

fn paging_err() -> miette::Report {
    miette::miette!(
        code = crate::error::Code::PricingApi,
        help = "the old catalog was left unchanged",
        "the GCP Catalog API keeps paging (repeated nextPageToken or too many pages)"
    )
}

fn find_service(ctx: &Ctx, endpoint: &str, key: &str) -> Result<String> {
    let base = super::http::join(endpoint, "/v1/services")?;
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut params = vec![("key", key)];
        if let Some(t) = &token {
            params.push(("pageToken", t));
        }
        let url = reqwest::Url::parse_with_params(&base, &params)
            .map_err(|e| miette::miette!(code = crate::error::Code::Cli, "bad endpoint: {e}"))?;
        let page: ServicesPage = ctx.http.get_json(url.as_str())?;
        if let Some(s) = page.services.iter().find(|s| s.display_name == SERVICE) {
            return Ok(s.service_id.clone());
        }
        match page.next_page_token.filter(|t| !t.is_empty()) {
            Some(t) if Some(&t) != token.as_ref() => token = Some(t),
            _ => break,
        }
    }
    Err(miette::miette!(
        code = crate::error::Code::PricingApi,
        help = "the old catalog was left unchanged",
        "the GCP Catalog API lists no `{SERVICE}` service"
    ))
}

/// What a SKU prices.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Rated {
    Core(String),
    Ram(String),
    Gpu(String),
    Disk(&'static str),
}

/// Tier bands (start, price) in the SKU's usage unit.
type Bands = Vec<(Decimal, Decimal)>;

/// Rates per (spot?, what) per region.
#[derive(Default)]
struct Rates {
    by_region: BTreeMap<String, BTreeMap<(bool, Rated), Bands>>,
}

impl Rates {
    fn add(&mut self, ctx: &Ctx, sku: &Sku) {
        let spot = match sku.category.usage_type.as_str() {
            "OnDemand" => false,
            "Preemptible" => true,
            _ => return,
        };
        let Some(what) = classify(ctx, sku) else {
            return;
        };
        let Some(info) = sku.pricing_info.first() else {
            return;
        };
        let expected_unit = match what {
            Rated::Core(_) | Rated::Gpu(_) => "h",
            Rated::Ram(_) => "GiBy.h",
            Rated::Disk(_) => "GiBy.mo",
        };
        if info.pricing_expression.usage_unit != expected_unit {
            return;
        }
        let bands: Option<Bands> = info
            .pricing_expression
            .tiered_rates
            .iter()
            .map(|r| {
                Some((
                    r.start_usage_amount,
                    units_nanos(&r.unit_price.units, r.unit_price.nanos)?,
                ))
            })
            .collect();
        let Some(bands) = bands.filter(|b| !b.is_empty()) else {
            return;
        };
        for region in &sku.service_regions {
            if ctx.regions.contains(region) {
                self.by_region
                    .entry(region.clone())
                    .or_default()
                    .entry((spot, what.clone()))
                    .or_insert_with(|| bands.clone());
            }
        }
    }

    fn emit(&self, ctx: &Ctx, region: &str, fresh: &mut Fresh) {
        let Some(rates) = self.by_region.get(region) else {
            return;
        };
        let flat = |spot: bool, what: Rated| -> Option<Decimal> {
            let b = rates.get(&(spot, what))?;
            // The last band is the rate for sustained use; component SKUs have one band.
            b.last().map(|x| x.1).filter(|p| *p > Decimal::ZERO)
        };
        for ((spot, what), bands) in rates {
            let Some(p) = Priced::from_starts(bands.clone()) else {
                continue;
            };
            if p.flat.is_some_and(|f| f.is_zero()) {
                continue;
            }
            let (key, unit) = match (spot, what) {
                (false, Rated::Core(f)) => (format!("gce-core/{f}"), "vCPU-hour"),
                (false, Rated::Ram(f)) => (format!("gce-ram/{f}"), "GiB-hour"),
                (false, Rated::Gpu(g)) => (format!("gpu/{g}"), "hour"),
                (true, Rated::Gpu(g)) => (format!("gpu-spot/{g}"), "hour"),
                (false, Rated::Disk(d)) => (format!("pd/{d}/storage"), "GB-month"),
                _ => continue,
            };
            fresh.add(region, key, unit, p);
        }
        for (name, spec) in &ctx.machines.types {
            let (Some(vcpu), Some(mem)) = (spec.vcpu, spec.memory_gib) else {
                continue;
            };
            if is_shared_core(name) {
                continue;
            }
            let Some(family) = name.split('-').next() else {
                continue;
            };
            for spot in [false, true] {
                let core = flat(spot, Rated::Core(family.to_string()));
                let ram = flat(spot, Rated::Ram(family.to_string()));
                let (Some(core), Some(ram)) = (core, ram) else {
                    continue;
                };
                let mut total = Decimal::from(vcpu) * core + mem * ram;
                let mut note = format!("composed: {vcpu} vCPU × {core} + {mem} GiB × {ram}");
                if let Some(gpu) = &spec.gpu {
                    let count = gpu.count.unwrap_or(1);
                    let priced = accelerators_of(ctx, &gpu.model)
                        .into_iter()
                        .find_map(|a| flat(spot, Rated::Gpu(a.clone())).map(|p| (a, p)));
                    let Some((acc, gp)) = priced else {
                        continue;
                    };
                    total += Decimal::from(count) * gp;
                    note.push_str(&format!(" + {count} × {acc} {gp}"));
                }
                let prefix = if spot { "gce-spot" } else { "gce" };
                fresh.add(
                    region,
                    format!("{prefix}/{name}"),
                    "hour",
                    Priced::flat(total).with_note(note),
                );
            }
        }
    }
}

/// E2 shared-core and legacy f1/g1 types are billed as fractions of a vCPU: not composable.
fn is_shared_core(name: &str) -> bool {
    matches!(
        name,
        "e2-micro" | "e2-small" | "e2-medium" | "f1-micro" | "g1-small"
    )
}

/// Accelerator names (lower-case `guest_accelerator.type` form) with this GPU model.
fn accelerators_of(ctx: &Ctx, model: &str) -> Vec<String> {
    ctx.machines
        .accelerators
        .iter()
        .filter(|(k, a)| a.model == model && k.starts_with("nvidia-") && !k.ends_with("-vws"))
        .map(|(k, _)| k.clone())
        .collect()
}

fn classify(ctx: &Ctx, sku: &Sku) -> Option<Rated> {
    let d = sku.description.as_str();
    if [
        "Commitment",
        "Custom",
        "Sole Tenancy",
        "Extended",
        "Reserved",
    ]
    .iter()
    .any(|w| d.contains(w))
    {
        return None;
    }
    if sku.category.resource_group == "GPU" {
        let name = d
            .split(" GPU attached to ")
            .next()
            .and_then(|h| h.split(" GPU running in ").next())?;
        return gpu_key(ctx, name).map(Rated::Gpu);
    }
    if let Some(disk) = disk_of(d) {
        return Some(Rated::Disk(disk));
    }
    let d = d
        .trim_start_matches("Spot Preemptible ")
        .trim_start_matches("Preemptible ");
    for (marker, ram) in [
        (" Instance Core running in ", false),
        (" Instance Ram running in ", true),
        (" Core running in ", false),
        (" Ram running in ", true),
    ] {
        if let Some((head, _)) = d.split_once(marker) {
            let family = if head == "Compute optimized" {
                "c2".to_string()
            } else {
                head.split_whitespace().next()?.to_ascii_lowercase()
            };
            if !is_family(&family) {
                return None;
            }
            return Some(if ram {
                Rated::Ram(family)
            } else {
                Rated::Core(family)
            });
        }
    }
    None
}

/// `n1`, `n2d`, `c3`, `a2`, `g2`… (not "memory-optimized").
fn is_family(f: &str) -> bool {
    let b = f.as_bytes();
    (2..=3).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b[1].is_ascii_digit()
        && b[2..].iter().all(|c| c.is_ascii_lowercase())
}

fn disk_of(description: &str) -> Option<&'static str> {
    if description.contains("Regional") {
        return None;
    }
    [
        ("Storage PD Capacity", "pd-standard"),
        ("SSD backed PD Capacity", "pd-ssd"),
        ("Balanced PD Capacity", "pd-balanced"),
        ("Storage PD Snapshot", "snapshot"),
    ]
    .iter()
    .find(|(p, _)| description.starts_with(p))
    .map(|(_, k)| *k)
}

/// "Nvidia Tesla T4" → `nvidia-tesla-t4`; "Nvidia Tesla A100 80GB" → `nvidia-a100-80gb`
/// (the name the accelerator table knows).
fn gpu_key(ctx: &Ctx, name: &str) -> Option<String> {
    let norm = name.trim().to_ascii_lowercase().replace(' ', "-");
    [norm.clone(), norm.replace("tesla-", "")]
        .into_iter()
        .find(|k| ctx.machines.accelerators.contains_key(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families() {
        assert!(is_family("n1") && is_family("n2d") && is_family("c3"));
        assert!(!is_family("memory-optimized") && !is_family("e"));
        assert_eq!(disk_of("Balanced PD Capacity in Iowa"), Some("pd-balanced"));
        assert_eq!(disk_of("Regional Balanced PD Capacity"), None);
        assert!(covers("gce/a2-highgpu-1g") && !covers("gcs/STANDARD/storage"));
    }
}
