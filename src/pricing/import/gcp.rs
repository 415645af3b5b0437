//! GCP: machine types on-demand + spot (Cyclenerd pricing tables; A2/A3/G2/G4 prices include
//! their GPUs), attachable GPUs per region (anycloud: T4, L4, V100, P100, P4 only; its
//! A100/H100 rows disagree with the bundle prices), and disks, GCS classes, internet egress
//! tiers, Cloud NAT and external IPs per region (Cyclenerd).

use std::collections::BTreeMap;
use std::path::Path;

use super::{entry, list_source, price, round6, table, Imported};
use crate::error::Result;
use crate::money::Decimal;
use crate::pricing::catalog::{Source, Tier};

/// anycloud accelerator names → `guest_accelerator.type`.
const GPUS: &[(&str, &str)] = &[
    ("T4", "nvidia-tesla-t4"),
    ("L4", "nvidia-l4"),
    ("V100", "nvidia-tesla-v100"),
    ("P100", "nvidia-tesla-p100"),
    ("P4", "nvidia-tesla-p4"),
];

pub fn import(dir: &Path) -> Result<Imported> {
    let mut imp = Imported::new("gcp");
    if let Some(t) = table(dir, "gcp-machine-types-cyclenerd-")? {
        let id = imp.source(
            format!("imp-gcp-cyclenerd-{}", t.date),
            list_source(
                &t,
                "GCE machine types on-demand and spot per region, Cyclenerd/google-cloud-pricing-\
                 cost-calculator pricing.yml (from the Cloud Billing Catalog); A2/A3/G2/G4 \
                 include their GPUs",
                "https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator",
                Some("Apache-2.0"),
            ),
        );
        for [r, m, od, sp] in t.records([
            "region",
            "machine_type",
            "ondemand_usd_per_hour",
            "spot_usd_per_hour",
        ])? {
            if let Some(p) = price(od) {
                imp.flat(r, format!("gce/{m}"), "hour", p, &id);
            }
            if let Some(p) = price(sp) {
                imp.flat(r, format!("gce-spot/{m}"), "hour", p, &id);
            }
        }
    }
    if let Some(t) = table(dir, "gcp-accelerators-anycloud-")? {
        let id = imp.source(
            format!("imp-gcp-anycloud-gpu-{}", t.date),
            list_source(
                &t,
                "GCE attachable GPUs per region (T4, L4, V100, P100, P4), on-demand and spot, \
                 anycloud-sh/catalog (SkyPilot format; no licence file, facts cited); its A100/H100 \
                 rows are not used (they disagree with the A2/A3 bundle prices)",
                "https://github.com/anycloud-sh/catalog",
                Some("none stated: facts cited"),
            ),
        );
        for [r, acc, n, od, sp] in t.records([
            "region",
            "accelerator",
            "count",
            "ondemand_usd_per_hour",
            "spot_usd_per_hour",
        ])? {
            let Some((_, name)) = GPUS.iter().find(|(a, _)| *a == acc) else {
                continue;
            };
            if n != "1" {
                continue; // per-GPU price from the one-GPU row
            }
            if let Some(p) = price(od) {
                imp.flat(r, format!("gpu/{name}"), "hour", p, &id);
            }
            if let Some(p) = price(sp) {
                imp.flat(r, format!("gpu-spot/{name}"), "hour", p, &id);
            }
        }
    }
    if let Some(t) = table(dir, "gcp-services-cyclenerd-")? {
        services(&mut imp, &t)?;
    }
    let facts: Vec<_> = imp
        .prices
        .values()
        .flat_map(|m| m.keys())
        .filter_map(|k| {
            k.strip_prefix("gce/")
                .or_else(|| k.strip_prefix("gce-spot/"))
        })
        .filter_map(|t| super::facts::gcp(t).map(|s| (t.to_string(), s)))
        .collect();
    imp.machines.extend(facts);
    Ok(imp)
}

fn services(imp: &mut Imported, t: &super::Table) -> Result<()> {
    let id = imp.source(
        format!("imp-gcp-services-cyclenerd-{}", t.date),
        list_source(
            t,
            "GCP persistent disk / Hyperdisk / local SSD, GCS classes, internet egress, Cloud NAT \
             and external IP prices per region, Cyclenerd/google-cloud-pricing-cost-calculator",
            "https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator",
            Some("Apache-2.0"),
        ),
    );
    let nat_vm = imp.source(
        format!("imp-gcp-nat-vm-{}", t.date),
        Source {
            title: format!(
                "Cloud NAT per-VM charge: the gateway-hour cap ({}) divided by the 32 VMs it \
                 covers",
                t.name
            ),
            url: Some("https://cloud.google.com/nat/pricing".into()),
            as_of: Some(t.date.clone()),
            confidence: Some("derived".into()),
            derivation: Some("nat/gateway-hour ÷ 32".into()),
            licence: Some("Apache-2.0".into()),
        },
    );
    let mut egress: BTreeMap<(String, String), Vec<Decimal>> = BTreeMap::new();
    for [svc, sku, r, p] in t.records(["service", "sku", "region", "price"])? {
        let Some(p) = price(p) else { continue };
        let (key, unit) = match (svc, sku) {
            ("cloud_nat", "data_processing") => ("nat/gb".to_string(), "GB"),
            ("cloud_nat", "gateway") => {
                imp.flat(
                    r,
                    "nat/vm-hour".into(),
                    "VM-hour",
                    round6(p / Decimal::from(32)),
                    &nat_vm,
                );
                ("nat/gateway-hour".to_string(), "hour")
            }
            ("compute_disk", d) => (format!("pd/{}/storage", disk_key(d)), "GB-month"),
            ("external_ip", "vm") => ("external-ip/vm-hour".to_string(), "hour"),
            ("external_ip", "unused") => ("external-ip/unused-hour".to_string(), "hour"),
            ("gcs", class) => (format!("gcs/{}/storage", gcs_class(class)), "GB-month"),
            ("internet_egress", dest) => {
                egress
                    .entry((r.to_string(), dest.to_string()))
                    .or_default()
                    .push(p);
                continue;
            }
            _ => continue,
        };
        imp.flat(r, key, unit, p, &id);
    }
    // Three bands per destination (0–1 TiB, 1–10 TiB, above), prices falling with volume.
    for ((r, dest), mut prices) in egress {
        prices.sort_by(|a, b| b.cmp(a));
        let bounds = [Some(Decimal::from(1024)), Some(Decimal::from(10240)), None];
        if prices.len() != 3 {
            imp.notes.push(format!(
                "{r} internet egress {dest}: {} bands (expected 3), skipped",
                prices.len()
            ));
            continue;
        }
        let tiers: Vec<Tier> = prices
            .iter()
            .zip(bounds)
            .map(|(p, upto)| Tier { upto, price: *p })
            .collect();
        let key = match dest.as_str() {
            "to-worldwide" => "egress/internet".to_string(),
            other => format!("egress/internet-{}", other.trim_start_matches("to-")),
        };
        let mut e = entry("GB", None, Some(tiers), &id);
        e.note = Some("Premium Tier bands 0–1 TiB, 1–10 TiB, above 10 TiB per month".into());
        imp.put(&r, key, e);
    }
    Ok(())
}

/// Cyclenerd disk names → Terraform disk types (`pd/<type>/storage`).
fn disk_key(d: &str) -> String {
    match d {
        "hdd" => "pd-standard".into(),
        "ssd" => "pd-ssd".into(),
        "balanced" => "pd-balanced".into(),
        "extreme" => "pd-extreme".into(),
        "hdd-replicated" => "pd-standard-regional".into(),
        "ssd-replicated" => "pd-ssd-regional".into(),
        "balanced-replicated" => "pd-balanced-regional".into(),
        "local" => "local-ssd".into(),
        other => other
            .strip_prefix("local-")
            .map(|f| format!("local-ssd-{f}"))
            .unwrap_or_else(|| other.to_string()),
    }
}

/// Cyclenerd GCS names → storage classes (`gcs/<CLASS>/storage`; the `-dual`/`-multi` rows
/// name their dual- or multi-region location in the region column, e.g. `nam4`, `us-multi`).
fn gcs_class(c: &str) -> String {
    let base = c.split('-').next().unwrap_or(c);
    match base {
        "archiv" => "ARCHIVE".into(),
        "coldline" => "COLDLINE".into(),
        "nearline" => "NEARLINE".into(),
        "standard" => "STANDARD".into(),
        "dra" => "DURABLE_REDUCED_AVAILABILITY".into(),
        other => other.to_ascii_uppercase(),
    }
}
