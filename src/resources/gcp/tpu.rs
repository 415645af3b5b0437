//! Cloud TPU: `google_tpu_v2_vm`, `google_tpu_node` (legacy) and
//! `google_tpu_v2_queued_resource`. A slice is billed per chip-hour by TPU generation, slice
//! type and region, on-demand or spot/preemptible: chips × price per chip-hour. The slice's
//! chips are its accelerator facts (model `TPU v5e`, family `TPU`), so totals and gpu-quota
//! count them beside GPUs.
//!
//! Chips from the type name follow Google's naming: `v2-8`, `v3-8`, `v4-8`, `v5p-8` count
//! TensorCores (two per chip); `v5litepod-8` and `v6e-8` count chips. `accelerator_config`
//! gives a generation and a topology (`2x2x1`) whose product is the chip count.

use crate::money::Decimal;
use crate::pricing::GpuSpec;
use crate::resources::{dec, Costing, GpuFacts, View};

/// A TPU slice: type as the catalog keys it (`v5litepod-8`), generation (`v5e`), chips.
#[derive(Debug, PartialEq)]
pub struct Slice {
    pub ty: String,
    pub generation: &'static str,
    pub chips: u64,
}

/// Generation of a type prefix and whether its size counts TensorCores (two per chip).
fn generation(prefix: &str) -> Option<(&'static str, bool)> {
    Some(match prefix.to_ascii_lowercase().as_str() {
        "v2" => ("v2", true),
        "v3" => ("v3", true),
        "v4" => ("v4", true),
        "v5p" => ("v5p", true),
        "v5litepod" | "v5lite_pod" | "v5e" => ("v5e", false),
        "v6e" => ("v6e", false),
        _ => return None,
    })
}

/// The slice of an accelerator type name (`v5litepod-8`, `v3-32`).
pub fn slice_of_type(ty: &str) -> Option<Slice> {
    let (prefix, n) = ty.rsplit_once('-')?;
    let (gen, cores) = generation(prefix)?;
    let n: u64 = n.parse().ok().filter(|n| *n > 0)?;
    let chips = if cores { n.div_ceil(2) } else { n };
    let prefix = if gen == "v5e" { "v5litepod" } else { gen };
    Some(Slice {
        ty: format!("{prefix}-{n}"),
        generation: gen,
        chips,
    })
}

/// The slice of an `accelerator_config` (`V5P`, topology `2x2x1`).
pub fn slice_of_config(kind: &str, topology: &str) -> Option<Slice> {
    let (gen, cores) = generation(kind)?;
    let chips = topology
        .split('x')
        .map(|d| d.trim().parse::<u64>().ok().filter(|d| *d > 0))
        .try_fold(1u64, |acc, d| d.map(|d| acc * d))?;
    let n = if cores { chips * 2 } else { chips };
    let prefix = if gen == "v5e" { "v5litepod" } else { gen };
    Some(Slice {
        ty: format!("{prefix}-{n}"),
        generation: gen,
        chips,
    })
}

/// google_tpu_v2_vm and google_tpu_node.
pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let spot = v.get("scheduling_config.0.preemptible").as_bool() == Some(true)
        || v.get("scheduling_config.0.spot").as_bool() == Some(true);
    match slice(v, "", v.res.rtype == "google_tpu_v2_vm") {
        Ok(s) => price_slice(v, &mut c, &s, 1, spot, "slice"),
        Err(e) => c.unpriced.push(e),
    }
    c
}

/// google_tpu_v2_queued_resource: the TPU VMs of each `node_spec` (times its
/// `multi_node_params.node_count`), spot when the request asks for Spot capacity.
pub fn queued_cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let spot = v.get("spot").as_array().iter().any(|s| !s.is_null());
    let specs = v.get("tpu.0.node_spec").as_array().len();
    if specs == 0 {
        if v.get("tpu.0.node_spec").is_unknown() {
            c.unpriced.push(v.unknown_reason("tpu.0.node_spec"));
        } else {
            c.unpriced
                .push("no `tpu.node_spec`: the request names no TPU".into());
        }
        return c;
    }
    for i in 0..specs {
        let p = format!("tpu.0.node_spec.{i}");
        let nodes = match v.num_or(&format!("{p}.multi_node_params.0.node_count"), Decimal::ONE) {
            Ok(n) => crate::resources::whole(n).max(1),
            Err(e) => {
                c.unpriced.push(e);
                continue;
            }
        };
        match slice(v, &format!("{p}.node.0."), false) {
            Ok(s) => price_slice(v, &mut c, &s, nodes, spot, &format!("node spec {i}")),
            Err(e) => c.unpriced.push(e),
        }
    }
    c
}

/// The slice at `prefix` (`accelerator_type` or `accelerator_config`); `default_v2` applies
/// the provider's default type (`v2-8`) when neither is set.
fn slice(v: &View, prefix: &str, default_v2: bool) -> Result<Slice, String> {
    let at = format!("{prefix}accelerator_type");
    let f = v.get(&at);
    if let Some(t) = f.as_str() {
        return slice_of_type(t).ok_or_else(|| format!("unknown TPU accelerator type `{t}`"));
    }
    if f.is_unknown() && v.unknown_from_config(&at) {
        return Err(v.unknown_reason(&at));
    }
    let kind = v.get(&format!("{prefix}accelerator_config.0.type"));
    let topo = v.get(&format!("{prefix}accelerator_config.0.topology"));
    match (kind.as_str(), topo.as_str()) {
        (Some(k), Some(t)) => slice_of_config(k, t)
            .ok_or_else(|| format!("unknown TPU accelerator config `{k}` / `{t}`")),
        _ if kind.is_unknown() || topo.is_unknown() => Err(format!(
            "`{prefix}accelerator_config` is unknown until apply"
        )),
        _ if default_v2 => Ok(slice_of_type("v2-8").expect("v2-8 is a TPU type")),
        _ => Err(format!(
            "neither `{prefix}accelerator_type` nor `{prefix}accelerator_config` is set"
        )),
    }
}

fn price_slice(v: &View, c: &mut Costing, s: &Slice, nodes: u64, spot: bool, what: &str) {
    let chips = s.chips * nodes;
    let (od, sp) = (format!("tpu/{}", s.ty), format!("tpu-spot/{}", s.ty));
    let priced_type = v.ctx.catalogs.price("gcp", &v.region, &od).is_ok();
    let (od, sp) = if priced_type {
        (od, sp)
    } else {
        c.notes.push(format!(
            "{} is not listed in {}: priced per chip-hour of the smallest {} slice listed there",
            s.ty, v.region, s.generation
        ));
        (
            format!("tpu-chip/{}", s.generation),
            format!("tpu-chip-spot/{}", s.generation),
        )
    };
    let label = format!(
        "{what}: {chips} TPU {} chips ({}{}{})",
        s.generation,
        if spot { "spot, " } else { "" },
        s.ty,
        if nodes > 1 {
            format!(" × {nodes}")
        } else {
            String::new()
        }
    );
    c.add(if spot {
        v.hourly_spot(label, &od, &sp, dec(chips))
    } else {
        v.hourly(label, &od, dec(chips))
    });
    let spec = GpuSpec {
        model: format!("TPU {}", s.generation),
        family: Some("TPU".into()),
        vendor: Some("Google".into()),
        memory_gb: None,
        count: Some(s.chips as u32),
        share: None,
        extra: Default::default(),
    };
    let g = GpuFacts::new(&spec, nodes, nodes, nodes, spot);
    c.gpu = Some(match c.gpu.take() {
        // Several node specs of one request: one fact with every chip.
        Some(mut prev) if prev.model == g.model => {
            prev.count += g.count;
            prev.max_count += g.max_count;
            prev
        }
        Some(prev) => {
            c.notes.push(format!(
                "mixed TPU generations: accelerator facts count the {} chips only",
                prev.model
            ));
            prev
        }
        None => g,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chips_follow_the_type_names() {
        let s = slice_of_type("v5litepod-8").unwrap();
        assert_eq!((s.generation, s.chips), ("v5e", 8));
        assert_eq!(slice_of_type("v3-8").unwrap().chips, 4);
        assert_eq!(slice_of_type("v5p-16").unwrap().chips, 8);
        assert_eq!(slice_of_type("v6e-4").unwrap().chips, 4);
        assert_eq!(slice_of_type("v9-8"), None);
        let c = slice_of_config("V5P", "2x2x2").unwrap();
        assert_eq!((c.ty.as_str(), c.chips), ("v5p-16", 8));
        let c = slice_of_config("V5LITE_POD", "2x4").unwrap();
        assert_eq!((c.ty.as_str(), c.chips), ("v5litepod-8", 8));
        assert_eq!(slice_of_config("V4", "2x0x1"), None);
    }
}
