//! GCP resource families and the helpers they share (machine types, attached GPUs, disks).

pub mod compute_address;
pub mod compute_disk;
pub mod compute_instance;
pub mod compute_instance_from_template;
pub mod compute_reservation;
pub mod container_cluster;
pub mod container_node_pool;
pub mod instance_group_manager;
pub mod instance_template;
pub mod kms_crypto_key;
pub mod router_nat;
pub mod secret_manager_secret;
pub mod sql_database_instance;
pub mod storage_bucket;
pub mod tpu;
pub mod workbench_instance;

use super::aws::Nodes;
use super::family::Family;
use super::{dec, Costing, GpuFacts, View};
use crate::input::common::basename;
use crate::money::Decimal;
use crate::pricing::GpuSpec;

/// The self-describing GCP families (one line per family file).
pub const FAMILIES: &[&Family] = &[
    &compute_address::FAMILY,
    &compute_instance_from_template::FAMILY,
    &kms_crypto_key::FAMILY,
    &router_nat::FAMILY,
    &secret_manager_secret::FAMILY,
    &sql_database_instance::FAMILY,
];

/// The GCP registration list: the self-describing families, then the older ones by type.
pub fn family(rtype: &str) -> Option<fn(&View) -> Costing> {
    if let Some(f) = FAMILIES.iter().find(|f| f.types.contains(&rtype)) {
        return Some(f.cost);
    }
    Some(match rtype {
        "google_compute_instance" => compute_instance::cost,
        "google_compute_instance_group_manager"
        | "google_compute_region_instance_group_manager" => instance_group_manager::cost,
        "google_container_node_pool" => container_node_pool::cost,
        "google_container_cluster" => container_cluster::cost,
        "google_workbench_instance" => workbench_instance::cost,
        "google_compute_disk" | "google_compute_region_disk" => compute_disk::cost,
        "google_storage_bucket" => storage_bucket::cost,
        "google_compute_instance_template" | "google_compute_region_instance_template" => {
            instance_template::cost
        }
        "google_tpu_v2_vm" | "google_tpu_node" => tpu::cost,
        "google_compute_reservation" => compute_reservation::cost,
        "google_tpu_v2_queued_resource" => tpu::queued_cost,
        _ => return None,
    })
}

/// Machine type as the catalogs key it: basename of a self-link, without the `-nolssd` /
/// `-lowmem` variants (same GPUs and, in the seed catalog, no separate price).
pub fn machine_name(raw: &str) -> &str {
    let b = basename(raw);
    b.strip_suffix("-nolssd")
        .or_else(|| b.strip_suffix("-lowmem"))
        .unwrap_or(b)
}

/// Accelerator type as the catalogs key it: basename, and the Workbench/Vertex enum spelling
/// (`NVIDIA_TESLA_T4`) turned into the GCE one (`nvidia-tesla-t4`).
pub fn accelerator_name(raw: &str) -> String {
    basename(raw).to_ascii_lowercase().replace('_', "-")
}

/// An attached accelerator: `count` GPUs of `name` per node.
pub struct Accel {
    pub name: String,
    pub count: u64,
}

/// `guest_accelerator` blocks under `prefix` (e.g. `guest_accelerator` or
/// `node_config.0.guest_accelerator`), skipping `count = 0`.
pub fn guest_accelerators(v: &View, prefix: &str) -> Vec<Accel> {
    v.get(prefix)
        .as_array()
        .iter()
        .filter_map(|a| {
            let name = accelerator_name(a.get("type")?.as_str()?);
            let count = a.get("count").and_then(|c| c.as_u64()).unwrap_or(1);
            (count > 0).then_some(Accel { name, count })
        })
        .collect()
}

/// Compute for `nodes.desired` VMs of `machine` with `accels` attached per VM, plus GPU facts
/// (bundled in A2/A3/G2 machine types, or from the attached accelerators).
pub fn gce_compute(
    v: &View,
    c: &mut Costing,
    machine: &str,
    accels: &[Accel],
    nodes: Nodes,
    spot: bool,
    name: &str,
) {
    let m = machine_name(machine);
    let key = format!("gce/{m}");
    if !v.ctx.catalogs.knows("gcp", &key) {
        c.unpriced.push(if m.contains("custom") {
            format!("custom machine type `{m}` is not priced (no per-vCPU derivation yet)")
        } else {
            format!("unknown GCE machine type `{m}`")
        });
        return;
    }
    let count = dec(nodes.desired);
    let label = format!("{name} ({}{m})", if spot { "spot, " } else { "" });
    let compute = if spot {
        v.hourly_spot(label, &key, &format!("gce-spot/{m}"), count)
    } else {
        v.hourly(label, &key, count)
    };
    let series = m.split('-').next().unwrap_or(m);
    let sud = match (&compute, spot) {
        (Ok(line), false) => {
            sustained_use(v, c, line, sud_rate(series), &format!("{name}: {series}"))
        }
        _ => None,
    };
    c.add(compute);
    c.components.extend(sud);
    let bundled = v.ctx.catalogs.machine("gcp", m).and_then(|s| s.gpu.clone());
    if let Some(g) = &bundled {
        c.gpu = Some(GpuFacts::new(g, nodes.min, nodes.desired, nodes.max, spot));
    }
    for a in accels {
        if bundled.is_some() {
            c.notes.push(format!(
                "{m} already includes its GPUs; guest_accelerator {} not priced again",
                a.name
            ));
            continue;
        }
        // `pool t4: nodes` → GPU lines named `pool t4: …` too.
        let prefix = name.rfind(": ").map_or("", |i| &name[..i + 2]);
        attached_gpus(v, c, a, nodes, spot, prefix);
    }
}

/// Hours of an attached accelerator (N1 style) and its GPU facts.
fn attached_gpus(v: &View, c: &mut Costing, a: &Accel, nodes: Nodes, spot: bool, prefix: &str) {
    let Some(spec) = v.ctx.catalogs.accelerator("gcp", &a.name) else {
        c.unpriced
            .push(format!("unknown GPU accelerator type `{}`", a.name));
        return;
    };
    let key = format!("gpu/{}", a.name);
    let qty = dec(a.count) * dec(nodes.desired);
    let label = format!(
        "{prefix}{} × {} GPU{}",
        a.count,
        spec.model,
        if spot { " (spot)" } else { "" }
    );
    let line = if spot {
        v.hourly_spot(label, &key, &format!("gpu-spot/{}", a.name), qty)
    } else {
        v.hourly(label, &key, qty)
    };
    // Attached GPUs earn the N1 rates (up to 30 %).
    let sud = match (&line, spot) {
        (Ok(l), false) => sustained_use(v, c, l, sud_rate("n1"), &format!("{prefix}GPUs")),
        _ => None,
    };
    c.add(line);
    c.components.extend(sud);
    let spec = GpuSpec {
        count: Some(a.count as u32),
        ..spec.clone()
    };
    c.gpu = Some(GpuFacts::new(
        &spec,
        nodes.min,
        nodes.desired,
        nodes.max,
        spot,
    ));
}

/// Sustained-use discount for a VM running the whole month, by machine series: N1 (and
/// attached GPUs) 30 %, N2/N2D/C2/M1/M2 20 % (Compute Engine's published schedule: each
/// quarter of the month billed at 100/80/60/40 % for N1 and 100/86.78/73.35/60 % for the
/// others). None for series without it (E2, A2/A3/G2 with bundled GPUs, C3, N4 …).
pub fn sud_rate(series: &str) -> Option<Decimal> {
    match series {
        "n1" => Some(Decimal::new(30, 2)),
        "n2" | "n2d" | "c2" | "c2d" | "m1" | "m2" => Some(Decimal::new(20, 2)),
        _ => None,
    }
}

/// The sustained-use discount of `line` as its own (negative) line, when the series earns one
/// and the resource runs the full month (usage `monthly_hours` unset or ≥ 730). Spot VMs and
/// committed-use capacity do not earn it (commitments are the price book's business: it sees
/// the list line and this one separately).
fn sustained_use(
    v: &View,
    c: &mut Costing,
    line: &crate::resources::Component,
    rate: Option<Decimal>,
    what: &str,
) -> Option<crate::resources::Component> {
    let rate = rate?;
    if line.monthly_cost.is_zero() {
        return None;
    }
    if v.hours() < crate::money::HOURS_PER_MONTH {
        c.notes.push(format!(
            "{what}: no sustained-use discount applied (runs part of the month)"
        ));
        return None;
    }
    let mut d = line.clone();
    d.name = format!(
        "{what} sustained-use discount (full month, {}%)",
        (rate * Decimal::ONE_HUNDRED).normalize()
    );
    // Its own key (`sud/<list key>`): the list line stays what savings and spot advice
    // compare against, and this line is never read as more compute.
    d.price_key = format!("sud/{}", line.price_key);
    d.unit_price = -(line.unit_price * rate);
    d.monthly_cost = -(line.monthly_cost * rate);
    d.price.derived = Some(format!(
        "sustained-use discount: {}% of the list line `{}` for a full month (Compute Engine \
         sustained use discount schedule)",
        (rate * Decimal::ONE_HUNDRED).normalize(),
        line.price_key
    ));
    d.note = Some("sustained-use discount; not with committed use discounts".into());
    Some(d)
}

/// Operations priced per 10,000 (`key`), counted by usage `usage_key` (operations a month;
/// 0 and marked when not given).
pub fn per_10k_operations(
    v: &View,
    name: &str,
    key: &str,
    usage_key: &str,
) -> Result<crate::resources::Component, String> {
    let mut o = v.usage_component(name, key, usage_key, "10k operations")?;
    if let Some(q) = v.usage(usage_key) {
        o.quantity = q / Decimal::from(10_000);
        o.monthly_cost = o.unit_price * o.quantity;
    }
    Ok(o)
}

/// Persistent disk storage: `count` disks of `size` GB of `dtype` (`pd-balanced`...).
pub fn pd_storage(
    v: &View,
    c: &mut Costing,
    name: &str,
    dtype: &str,
    size: Decimal,
    count: Decimal,
) {
    let key = format!("pd/{dtype}/storage");
    if !v.ctx.catalogs.knows("gcp", &key) {
        c.unpriced.push(format!(
            "{name}: disk type `{dtype}` has no price in the gcp catalog"
        ));
        return;
    }
    c.add(v.component(
        format!("{name} ({dtype}, {size} GB)"),
        &key,
        size * count,
        "GB-months",
    ));
}

/// Spot or preemptible from a `scheduling` block (instances, templates).
pub fn scheduling_spot(v: &View, prefix: &str) -> bool {
    v.get(&format!("{prefix}.0.preemptible")).as_bool() == Some(true)
        || v.get(&format!("{prefix}.0.provisioning_model")).as_str() == Some("SPOT")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise() {
        assert_eq!(
            machine_name("projects/p/zones/us-central1-a/machineTypes/a3-highgpu-8g-nolssd"),
            "a3-highgpu-8g"
        );
        assert_eq!(accelerator_name("NVIDIA_TESLA_T4"), "nvidia-tesla-t4");
        assert_eq!(
            accelerator_name("projects/p/zones/z/acceleratorTypes/nvidia-l4"),
            "nvidia-l4"
        );
    }
}
