//! AWS Price List bulk API: offer index → AmazonEC2 region index → per-region offer file.
//!
//! The EC2 region offer file is ~480 MB, so it is stream-parsed: a `DeserializeSeed` walks the
//! top-level object, keeps only the products we price (mapped to our keys as they go by) and
//! then only those SKUs' `OnDemand` terms; everything else is skipped with `IgnoredAny`.
//!
//! Filters (reference B1): instances need productFamily `Compute Instance*`, operatingSystem
//! Linux, tenancy Shared, preInstalledSw NA, licenseModel "No License required",
//! capacitystatus Used, marketoption OnDemand (so Capacity Blocks at $0.00 are out) and a
//! `BoxUsage:` usage type. Storage, IOPS, throughput, snapshots, NAT and internet egress are
//! recognised by `usagetype` (region prefix stripped) and `volumeApiName`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::BufReader;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use super::{http::join, Ctx, Fresh, Priced};
use crate::error::Result;
use crate::money::Decimal;
use crate::pricing::catalog::Source;

pub const ENDPOINT: &str = "https://pricing.us-east-1.amazonaws.com";
const OFFER_INDEX: &str = "/offers/v1.0/aws/index.json";
const OFFER: &str = "AmazonEC2";

#[derive(Deserialize)]
struct OfferIndex {
    offers: BTreeMap<String, OfferRef>,
}

#[derive(Deserialize)]
struct OfferRef {
    #[serde(rename = "currentRegionIndexUrl")]
    current_region_index_url: Option<String>,
}

#[derive(Deserialize)]
struct RegionIndex {
    regions: BTreeMap<String, RegionRef>,
}

#[derive(Deserialize)]
struct RegionRef {
    #[serde(rename = "currentVersionUrl")]
    current_version_url: String,
}

/// Keys the AmazonEC2 offer file can refresh.
pub fn covers(key: &str) -> bool {
    key.starts_with("ec2/")
        || key.starts_with("ebs/")
        || key.starts_with("nat/")
        || key == "egress/internet"
}

pub fn fetch(ctx: &Ctx, endpoint: &str) -> Result<Fresh> {
    let index: OfferIndex = ctx.http.get_json(&join(endpoint, OFFER_INDEX)?)?;
    let region_index_path = index
        .offers
        .get(OFFER)
        .and_then(|o| o.current_region_index_url.clone())
        .ok_or_else(|| api_err(format!("the offer index lists no {OFFER} region index")))?;
    let regions: RegionIndex = ctx.http.get_json(&join(endpoint, &region_index_path)?)?;
    let date = ctx.today.format("%Y-%m-%d").to_string();
    let mut versions = Vec::new();
    let mut fresh = Fresh::new(
        format!("aws-price-list-{date}"),
        Source {
            title: String::new(),
            url: None,
            as_of: Some(date.clone()),
        },
        covers,
    );
    for region in ctx.regions {
        let r = regions
            .regions
            .get(region)
            .ok_or_else(|| api_err(format!("the {OFFER} region index has no region `{region}`")))?;
        let url = join(endpoint, &r.current_version_url)?;
        let offer = stream_offer(ctx, &url, region)?;
        versions.push(format!("{region} version {}", offer.version));
        for (key, unit, priced) in offer.entries {
            fresh.add(region, key, unit, priced);
        }
    }
    fresh.source = Some(Source {
        title: format!(
            "AWS Price List bulk API, {OFFER} offer files: {}",
            versions.join(", ")
        ),
        url: Some(join(endpoint, &region_index_path)?),
        as_of: Some(date),
    });
    Ok(fresh)
}

fn api_err(msg: String) -> miette::Report {
    miette::miette!(
        code = crate::error::Code::PricingApi,
        help = "check --endpoint and --region; the old catalog was left unchanged",
        "{msg}"
    )
}

/// What one region file gave us.
pub struct Offer {
    pub version: String,
    pub entries: Vec<(String, &'static str, Priced)>,
}

fn stream_offer(ctx: &Ctx, url: &str, region: &str) -> Result<Offer> {
    let resp = ctx.http.get(url)?;
    parse_offer(BufReader::with_capacity(1 << 16, resp), region, &|t| {
        ctx.wanted_type("ec2/", t)
    })
    .map_err(|e| {
        miette::miette!(
            code = crate::error::Code::PricingApi,
            help = "the offer file was cut off or is not in the Price List format; the old \
                    catalog was left unchanged",
            "cannot read the {OFFER} offer file for {region} ({}): {e}",
            super::http::redact(url)
        )
    })
}

/// Stream-parse an offer file from `reader`.
pub fn parse_offer(
    reader: impl std::io::Read,
    region: &str,
    wanted: &dyn Fn(&str) -> bool,
) -> std::result::Result<Offer, serde_json::Error> {
    let mut state = State {
        region,
        wanted,
        kept: HashMap::new(),
        terms: HashMap::new(),
        version: String::new(),
        products_seen: false,
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    OfferSeed(&mut state).deserialize(&mut de)?;
    de.end()?;
    Ok(state.finish())
}

/// How a kept product is priced.
#[derive(Debug, Clone)]
struct Kept {
    key: String,
    unit: &'static str,
    /// Multiply the offer price by this (e.g. per-request → per million).
    scale: Option<(Decimal, &'static str)>,
}

struct State<'a> {
    region: &'a str,
    wanted: &'a dyn Fn(&str) -> bool,
    kept: HashMap<String, Kept>,
    terms: HashMap<String, Vec<Dimension>>,
    version: String,
    products_seen: bool,
}

#[derive(Deserialize)]
struct Product {
    #[serde(rename = "productFamily", default)]
    family: String,
    #[serde(default)]
    attributes: HashMap<String, String>,
}

#[derive(Deserialize)]
struct Term {
    #[serde(rename = "priceDimensions", default)]
    dims: BTreeMap<String, Dimension>,
}

#[derive(Deserialize, Clone, Debug)]
struct Dimension {
    #[serde(rename = "beginRange", default)]
    begin: Option<String>,
    #[serde(rename = "pricePerUnit", default)]
    price: BTreeMap<String, String>,
}

struct OfferSeed<'s, 'a>(&'s mut State<'a>);

impl<'de> DeserializeSeed<'de> for OfferSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OfferSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Price List offer file object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(k) = map.next_key::<String>()? {
            match k.as_str() {
                "version" => self.0.version = map.next_value()?,
                "products" => {
                    map.next_value_seed(Products(self.0))?;
                    self.0.products_seen = true;
                }
                "terms" if !self.0.products_seen => {
                    return Err(serde::de::Error::custom(
                        "`terms` comes before `products`; cannot stream this offer file",
                    ))
                }
                "terms" => map.next_value_seed(Terms(self.0))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !self.0.products_seen {
            return Err(serde::de::Error::custom("the offer file has no `products`"));
        }
        Ok(())
    }
}

struct Products<'s, 'a>(&'s mut State<'a>);

impl<'de> DeserializeSeed<'de> for Products<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Products<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of SKU to product")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(sku) = map.next_key::<String>()? {
            let p: Product = map.next_value()?;
            if let Some(k) = map_product(&p, self.0.region, self.0.wanted) {
                self.0.kept.insert(sku, k);
            }
        }
        Ok(())
    }
}

struct Terms<'s, 'a>(&'s mut State<'a>);

impl<'de> DeserializeSeed<'de> for Terms<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Terms<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of term type to terms")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(kind) = map.next_key::<String>()? {
            if kind == "OnDemand" {
                map.next_value_seed(OnDemand(self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct OnDemand<'s, 'a>(&'s mut State<'a>);

impl<'de> DeserializeSeed<'de> for OnDemand<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OnDemand<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of SKU to on-demand terms")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(sku) = map.next_key::<String>()? {
            if !self.0.kept.contains_key(&sku) {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let terms: BTreeMap<String, Term> = map.next_value()?;
            let dims = terms.into_values().flat_map(|t| t.dims.into_values());
            self.0.terms.entry(sku).or_default().extend(dims);
        }
        Ok(())
    }
}

impl State<'_> {
    fn finish(self) -> Offer {
        let mut entries = Vec::new();
        let mut skus: Vec<(&String, &Kept)> = self.kept.iter().collect();
        skus.sort_by(|a, b| a.1.key.cmp(&b.1.key).then(a.0.cmp(b.0)));
        for (sku, k) in skus {
            let Some(dims) = self.terms.get(sku) else {
                continue;
            };
            if let Some(p) = price_of(dims, k) {
                entries.push((k.key.clone(), k.unit, p));
            }
        }
        Offer {
            version: self.version,
            entries,
        }
    }
}

/// USD bands of a SKU's on-demand dimensions → a price (zero-only SKUs give none).
fn price_of(dims: &[Dimension], k: &Kept) -> Option<Priced> {
    let mut bands = Vec::new();
    for d in dims {
        let mut price: Decimal = d.price.get("USD")?.trim().parse().ok()?;
        if let Some((factor, _)) = k.scale {
            price *= factor;
        }
        let begin: Decimal = d.begin.as_deref().unwrap_or("0").parse().ok()?;
        bands.push((begin, price));
    }
    if bands.iter().all(|(_, p)| p.is_zero()) {
        return None;
    }
    let p = Priced::from_starts(bands)?;
    // A flat $0.00 (e.g. a Capacity Block placeholder) is never a price.
    if p.flat.is_some_and(|f| f.is_zero()) {
        return None;
    }
    Some(match k.scale {
        Some((_, note)) => p.with_note(note),
        None => p,
    })
}

/// `USE2-BoxUsage:p5.48xlarge` → `BoxUsage:p5.48xlarge` (us-east-1 has no prefix).
fn strip_region_prefix(usagetype: &str) -> &str {
    match usagetype.split_once('-') {
        Some((pre, rest))
            if !pre.is_empty()
                && pre
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) =>
        {
            rest
        }
        _ => usagetype,
    }
}

fn map_product(p: &Product, region: &str, wanted: &dyn Fn(&str) -> bool) -> Option<Kept> {
    let a = |k: &str| p.attributes.get(k).map(String::as_str);
    if let Some(code) = a("regionCode") {
        if code != region {
            return None;
        }
    }
    let usage = strip_region_prefix(a("usagetype")?);
    let kept = |key: String, unit| Kept {
        key,
        unit,
        scale: None,
    };
    if p.family.starts_with("Compute Instance") {
        let t = a("instanceType")?;
        let ok = usage.starts_with("BoxUsage:")
            && a("operatingSystem") == Some("Linux")
            && a("tenancy") == Some("Shared")
            && a("preInstalledSw").unwrap_or("NA") == "NA"
            && a("licenseModel").unwrap_or("No License required") == "No License required"
            && a("capacitystatus").unwrap_or("Used") == "Used"
            && a("marketoption").unwrap_or("OnDemand") == "OnDemand"
            && wanted(t);
        return ok.then(|| kept(format!("ec2/{t}"), "hour"));
    }
    let volume = a("volumeApiName");
    match usage {
        u if u.starts_with("EBS:VolumeUsage") => {
            Some(kept(format!("ebs/{}/storage", volume?), "GB-month"))
        }
        "EBS:SnapshotUsage" => Some(kept("ebs/snapshot/storage".into(), "GB-month")),
        "EBS:VolumeP-IOPS.gp3" => Some(kept("ebs/gp3/iops".into(), "IOPS-month")),
        "EBS:VolumeP-IOPS.piops" => Some(kept("ebs/io1/iops".into(), "IOPS-month")),
        "EBS:VolumeP-IOPS.io2" => Some(kept("ebs/io2/iops".into(), "IOPS-month")),
        "EBS:VolumeP-Throughput.gp3" => Some(kept("ebs/gp3/throughput".into(), "MBps-month")),
        "EBS:VolumeIOUsage" => Some(Kept {
            key: "ebs/standard/io".into(),
            unit: "1M requests",
            scale: Some((
                Decimal::from(1_000_000),
                "offer price per I/O request × 1,000,000",
            )),
        }),
        "NatGateway-Hours" => Some(kept("nat/hour".into(), "hour")),
        "NatGateway-Bytes" => Some(kept("nat/gb".into(), "GB")),
        "DataTransfer-Out-Bytes"
            if a("toLocation") == Some("External") || a("toLocation").is_none() =>
        {
            Some(kept("egress/internet".into(), "GB"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_prefixes() {
        assert_eq!(
            strip_region_prefix("USE2-BoxUsage:p3.8xlarge"),
            "BoxUsage:p3.8xlarge"
        );
        assert_eq!(
            strip_region_prefix("BoxUsage:p5.48xlarge"),
            "BoxUsage:p5.48xlarge"
        );
        assert_eq!(
            strip_region_prefix("EBS:VolumeUsage.gp3"),
            "EBS:VolumeUsage.gp3"
        );
        assert_eq!(strip_region_prefix("NatGateway-Hours"), "NatGateway-Hours");
        assert_eq!(
            strip_region_prefix("EU-DataTransfer-Out-Bytes"),
            "DataTransfer-Out-Bytes"
        );
    }

    #[test]
    fn streams_the_fixture_offer_file() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/pricing-api/aws/offer-us-east-1.json"
        ))
        .unwrap();
        let offer = parse_offer(text.as_bytes(), "us-east-1", &|_| true).unwrap();
        let get = |k: &str| {
            offer
                .entries
                .iter()
                .filter(|e| e.0 == k)
                .map(|e| e.2.clone())
                .collect::<Vec<_>>()
        };
        // Linux on-demand only: the Windows and Capacity Block SKUs are filtered out.
        let p5 = get("ec2/p5.48xlarge");
        assert_eq!(p5.len(), 1);
        assert_eq!(p5[0].flat, Some("55.04".parse().unwrap()));
        // Windows (13.712) and SQL (16.44) variants of p3.8xlarge are out; Linux stays.
        let p3 = get("ec2/p3.8xlarge");
        assert_eq!(p3.len(), 1);
        assert_eq!(p3[0].flat, Some("12.24".parse().unwrap()));
        assert!(get("ec2/x9zz.metal").is_empty() || offer.entries.len() > 1);
        let io2 = get("ebs/io2/iops");
        assert_eq!(io2[0].tiers.as_ref().map(|t| t.len()), Some(3));
        assert_eq!(offer.version, "20261120000000");
    }

    #[test]
    fn truncated_offer_is_an_error() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/pricing-api/aws/offer-us-east-1.json"
        ))
        .unwrap();
        let cut = &text[..text.len() / 2];
        assert!(parse_offer(cut.as_bytes(), "us-east-1", &|_| true).is_err());
    }
}
