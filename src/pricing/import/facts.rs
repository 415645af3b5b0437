//! Machine facts read from type names, for priced types the curated machine files lack.
//!
//! The price tables carry no hardware columns, but the clouds' naming rules carry most of it:
//! AWS sizes (`large` = 2 vCPU, `Nxlarge` = 4N), Azure and GCP vCPU counts in the name, the
//! memory ratio of families whose ratio is fixed, and the accelerators of the GPU families
//! (published per size). Every fact here is marked `confidence: name`; anything the name does
//! not determine is left out (never guessed). Curated entries in `pricing/machines/` win.

use std::collections::BTreeMap;

use crate::money::Decimal;
use crate::pricing::catalog::{GpuSpec, MachineSpec};

fn spec(vcpu: Option<u32>, mem_per_vcpu: Option<Decimal>, gpu: Option<GpuSpec>) -> MachineSpec {
    let mut extra = BTreeMap::new();
    extra.insert("confidence".to_string(), serde_json::json!("name"));
    MachineSpec {
        vcpu,
        memory_gib: mem_per_vcpu
            .zip(vcpu)
            .map(|(m, v)| (m * Decimal::from(v)).normalize()),
        gpu,
        extra,
    }
}

fn gpu(model: &str, family: &str, vendor: &str, mem: u32, count: u32) -> GpuSpec {
    GpuSpec {
        model: model.into(),
        family: Some(family.into()),
        vendor: Some(vendor.into()),
        memory_gb: Some(Decimal::from(mem)),
        count: Some(count),
        share: None,
        extra: Default::default(),
    }
}

fn shared(mut g: GpuSpec, share: &str) -> GpuSpec {
    g.share = Some(share.into());
    g
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

/// vCPUs of an AWS size name.
fn aws_vcpu(family: &str, size: &str) -> Option<u32> {
    let t2 = family == "t2";
    match size {
        "nano" | "micro" | "small" => Some(if t2 { 1 } else { 2 }),
        "medium" => Some(if family.starts_with('t') { 2 } else { 1 }),
        "large" => Some(2),
        "xlarge" => Some(4),
        s => s
            .strip_suffix("xlarge")
            .and_then(|n| n.parse::<u32>().ok())
            .map(|n| n * 4),
    }
}

pub fn aws(t: &str) -> Option<MachineSpec> {
    let (family, size) = t.split_once('.')?;
    let vcpu = aws_vcpu(family, size);
    let x = |n: &str| size == n;
    let nv = |m: &str, f: &str, mem: u32, n: u32| Some(gpu(m, f, "nvidia", mem, n));
    let g = match family {
        "p2" => nv("K80", "kepler", 12, if x("xlarge") { 1 } else { vcpu? / 4 }),
        "g2" => nv("K520", "kepler", 4, if x("2xlarge") { 1 } else { 4 }),
        "g3" => nv("M60", "maxwell", 8, vcpu? / 16),
        "g3s" => nv("M60", "maxwell", 8, 1),
        "g4ad" => Some(gpu(
            "Radeon Pro V520",
            "rdna",
            "amd",
            8,
            match size {
                "8xlarge" => 2,
                "16xlarge" => 4,
                _ => 1,
            },
        )),
        "g5g" => nv(
            "T4G",
            "turing",
            16,
            if x("16xlarge") || x("metal") { 2 } else { 1 },
        ),
        "g6f" | "gr6f" => {
            let share = match size {
                "large" | "xlarge" => "1/8",
                "2xlarge" => "1/4",
                "4xlarge" => "1/2",
                _ => return Some(spec(vcpu, None, None)),
            };
            Some(shared(gpu("L4", "ada", "nvidia", 24, 1), share))
        }
        "gr6" => nv("L4", "ada", 24, 1),
        "g7e" => nv(
            "RTX PRO 6000 Blackwell",
            "blackwell",
            96,
            match size {
                "12xlarge" => 2,
                "24xlarge" => 4,
                "48xlarge" => 8,
                _ => 1,
            },
        ),
        "p6-b200" => nv("B200", "blackwell", 179, 8),
        "p6-b300" => nv("B300", "blackwell", 288, 8),
        "p5en" | "p5e" => nv("H200", "hopper", 141, 8),
        "dl1" => Some(gpu("Gaudi", "gaudi", "habana", 32, 8)),
        "dl2q" => Some(gpu("Cloud AI 100", "ai100", "qualcomm", 16, 8)),
        _ => None,
    };
    // Fixed memory ratios: general purpose 4, compute 2, memory 8 GiB per vCPU (5th gen on).
    let gen_ok = family
        .chars()
        .nth(1)
        .and_then(|c| c.to_digit(10))
        .is_some_and(|n| n >= 5);
    let mem = match family.chars().next() {
        _ if g.is_some() || family == "c5n" || size == "metal" || !gen_ok => None,
        _ if family.contains("flex") && size == "metal" => None,
        Some('m') => Some(d("4")),
        Some('c') => Some(d("2")),
        Some('r') if !family.ends_with("iz") || family == "r7iz" => Some(d("8")),
        _ => None,
    };
    // Only the families above have ratios that hold for every size; others get vCPU only.
    let mem = mem.filter(|_| family.len() <= 5 && !family.contains('-'));
    Some(spec(vcpu, mem, g))
}

/// vCPUs in an Azure size name (`standard_e4-2ds_v4` has 2 active vCPUs).
fn azure_vcpu(rest: &str) -> Option<(String, u32, String)> {
    let letters: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let after = &rest[letters.len()..];
    let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
    let mut n: u32 = digits.parse().ok()?;
    let mut tail = &after[digits.len()..];
    if let Some(c) = tail.strip_prefix('-') {
        let active: String = c.chars().take_while(|c| c.is_ascii_digit()).collect();
        n = active.parse().ok()?;
        tail = &c[active.len()..];
    }
    Some((letters, n, tail.to_string()))
}

pub fn azure(size: &str) -> Option<MachineSpec> {
    let s = size.to_ascii_lowercase();
    let rest = s
        .strip_prefix("standard_")
        .or_else(|| s.strip_prefix("basic_"))?;
    let (fam, vcpu, tail) = azure_vcpu(rest)?;
    let version: u32 = tail
        .rsplit_once("_v")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(1);
    let has = |p: &str| tail.contains(p);
    let nv = |m: &str, f: &str, mem: u32, n: u32| Some(gpu(m, f, "nvidia", mem, n));
    let g = match fam.as_str() {
        "nc" | "ncc" if has("_a100_v4") => nv("A100-80GB", "ampere", 80, (vcpu / 24).max(1)),
        "nc" | "ncc" if has("_h100_v5") => nv("H100-NVL", "hopper", 94, (vcpu / 40).max(1)),
        "nc" if has("_t4_v3") => nv("T4", "turing", 16, if vcpu >= 64 { 4 } else { 1 }),
        "nc" if tail.ends_with("s_v3") || tail.ends_with("rs_v3") => {
            nv("V100", "volta", 16, (vcpu / 6).max(1))
        }
        "nc" if tail.ends_with("_promo") || tail.is_empty() || tail == "r" => {
            nv("K80", "kepler", 12, (vcpu / 6).max(1))
        }
        "nd" if has("_h100_v5") => nv("H100", "hopper", 80, 8),
        "nd" if has("_h200_v5") => nv("H200", "hopper", 141, 8),
        "nd" if has("_mi300x_v5") => Some(gpu("MI300X", "cdna3", "amd", 192, 8)),
        "nd" if has("_gb200_v6") => nv("GB200", "blackwell", 186, 4),
        "nd" if has("ams") && has("_a100_v4") => nv("A100-80GB", "ampere", 80, 8),
        "nd" if has("_a100_v4") || tail == "asr_v4" => nv("A100-40GB", "ampere", 40, 8),
        "nd" if tail.ends_with("s_v2") => nv("V100-32GB", "volta", 32, 8),
        "nv" if has("_a10_v5") => {
            let g = gpu(
                "A10",
                "ampere",
                "nvidia",
                24,
                if vcpu >= 72 { 2 } else { 1 },
            );
            Some(match vcpu {
                6 => shared(g, "1/6"),
                12 => shared(g, "1/3"),
                18 => shared(g, "1/2"),
                _ => g,
            })
        }
        "nv" if tail.ends_with("s_v3") => nv("M60", "maxwell", 8, (vcpu / 12).max(1)),
        "nv" if tail.ends_with("s_v2") || tail.ends_with("_promo") || tail.is_empty() => {
            nv("M60", "maxwell", 8, (vcpu / 6).max(1))
        }
        _ => None,
    };
    let mem = match fam.as_str() {
        _ if g.is_some() => None,
        "d" if version >= 3 && tail.starts_with('l') => Some(d("2")),
        "d" if version >= 3 => Some(d("4")),
        "e" if version >= 3 => Some(d("8")),
        "f" if version >= 2 => Some(d("2")),
        _ => None,
    };
    Some(spec(Some(vcpu), mem, g))
}

pub fn gcp(t: &str) -> Option<MachineSpec> {
    let parts: Vec<&str> = t.split('-').collect();
    let (fam, class) = (*parts.first()?, *parts.get(1).unwrap_or(&""));
    let shared_core = match t {
        "e2-micro" | "e2-small" | "e2-medium" => Some((2, None)),
        "f1-micro" | "g1-small" => Some((1, None)),
        _ => None,
    };
    if let Some((v, m)) = shared_core {
        return Some(spec(Some(v), m, None));
    }
    let n_of = |s: &str| s.trim_end_matches('g').parse::<u32>().ok();
    let n = parts.get(2).and_then(|s| n_of(s));
    let nv = |m: &str, f: &str, mem: u32, c: u32| Some(gpu(m, f, "nvidia", mem, c));
    let (vcpu, g) = match (fam, class) {
        ("a2", "highgpu") => (n.map(|c| 12 * c), nv("A100-40GB", "ampere", 40, n?)),
        ("a2", "megagpu") => (Some(96), nv("A100-40GB", "ampere", 40, 16)),
        ("a2", "ultragpu") => (n.map(|c| 12 * c), nv("A100-80GB", "ampere", 80, n?)),
        ("a3", "highgpu") => (n.map(|c| 26 * c), nv("H100", "hopper", 80, n?)),
        ("a3", "megagpu") | ("a3", "edgegpu") => (Some(208), nv("H100", "hopper", 80, n?)),
        ("a3", "ultragpu") => (Some(224), nv("H200", "hopper", 141, n?)),
        ("a4", "highgpu") => (Some(224), nv("B200", "blackwell", 180, n?)),
        ("a4x", "highgpu") => (Some(140), nv("GB200", "blackwell", 186, n?)),
        ("g2", "standard") => {
            let c = match n? {
                24 => 2,
                48 => 4,
                96 => 8,
                _ => 1,
            };
            (n, nv("L4", "ada", 24, c))
        }
        ("g4", "standard") => (n, nv("RTX PRO 6000", "blackwell", 96, (n? / 48).max(1))),
        _ => (n, None),
    };
    let ratio = match (fam, class) {
        _ if g.is_some() || t.contains("metal") || t.starts_with("custom") => None,
        ("n1", "standard") => Some("3.75"),
        ("n1", "highmem") => Some("6.5"),
        ("n1", "highcpu") => Some("0.9"),
        ("n2" | "n2d" | "e2" | "c3" | "c3d" | "n4" | "c2" | "t2d", "standard") => Some("4"),
        ("n2" | "n2d" | "e2" | "c3" | "c3d" | "n4", "highmem") => Some("8"),
        ("n2" | "n2d" | "e2", "highcpu") => Some("1"),
        ("c3" | "c3d" | "n4", "highcpu") => Some("2"),
        _ => None,
    };
    Some(spec(vcpu, ratio.map(d), g))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_give_vcpu_memory_and_gpus() {
        let m = aws("m7i.2xlarge").unwrap();
        assert_eq!((m.vcpu, m.memory_gib), (Some(8), Some(d("32"))));
        let p = aws("p6-b300.48xlarge").unwrap();
        assert_eq!(p.vcpu, Some(192));
        assert_eq!(
            p.gpu.as_ref().map(|g| (g.model.as_str(), g.count)),
            Some(("B300", Some(8)))
        );
        assert!(aws("x2iedn.xlarge").unwrap().memory_gib.is_none());
        let a = azure("Standard_NC48ads_A100_v4").unwrap();
        assert_eq!((a.vcpu, a.gpu.unwrap().count), (Some(48), Some(2)));
        let e = azure("Standard_E4-2ds_v5").unwrap();
        assert_eq!(e.vcpu, Some(2));
        let ds = azure("Standard_D2s_v5").unwrap();
        assert_eq!((ds.vcpu, ds.memory_gib), (Some(2), Some(d("8"))));
        let g = gcp("a3-highgpu-8g").unwrap();
        assert_eq!((g.vcpu, g.gpu.unwrap().count), (Some(208), Some(8)));
        let n = gcp("n1-standard-4").unwrap();
        assert_eq!((n.vcpu, n.memory_gib), (Some(4), Some(d("15"))));
        assert_eq!(gcp("g2-standard-48").unwrap().gpu.unwrap().count, Some(4));
        assert!(gcp("c4-standard-8").unwrap().memory_gib.is_none());
    }
}
