//! GPU and idle facts a family reports for one side of a resource.

use serde::Serialize;

/// GPUs a resource brings.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GpuFacts {
    pub model: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// GPUs per node (a fraction for shared GPU sizes).
    pub per_node: f64,
    /// Nodes: minimum, desired and maximum (equal for a single VM).
    pub nodes_min: u64,
    pub nodes_desired: u64,
    pub nodes_max: u64,
    /// GPUs at desired size.
    pub count: f64,
    /// GPUs at maximum size.
    pub max_count: f64,
    pub spot: bool,
    /// Templates and domains that can start GPUs but run none by themselves.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub potential: bool,
}

impl GpuFacts {
    pub fn new(
        spec: &crate::pricing::GpuSpec,
        nodes_min: u64,
        nodes_desired: u64,
        nodes_max: u64,
        spot: bool,
    ) -> Self {
        let per_node = match spec.share.as_deref().and_then(parse_fraction) {
            Some(f) => f,
            None => spec.count.unwrap_or(1) as f64,
        };
        GpuFacts {
            model: spec.model.clone(),
            family: spec.family.clone(),
            vendor: spec.vendor.clone(),
            per_node,
            nodes_min,
            nodes_desired,
            nodes_max,
            count: round3(per_node * nodes_desired as f64),
            max_count: round3(per_node * nodes_max as f64),
            spot,
            potential: false,
        }
    }
}

fn round3(f: f64) -> f64 {
    (f * 1000.0).round() / 1000.0
}

fn parse_fraction(s: &str) -> Option<f64> {
    let (a, b) = s.split_once('/')?;
    let (a, b): (f64, f64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (b != 0.0).then_some(a / b)
}

/// Whether an interactive or dev resource stops by itself when idle.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IdleFacts {
    /// Interactive (notebook, workstation, dev cluster) rather than a service or batch job.
    pub interactive: bool,
    /// `configured`, `default-on` (the service stops it unless disabled), `missing`, `unknown`.
    pub autopause: &'static str,
    /// How (or why not), in words.
    pub detail: String,
}

impl IdleFacts {
    /// Groups and pools: they idle down only if their floor (`knob`, e.g. `min_size`) is 0.
    pub fn scale_floor(min: u64, knob: &str) -> IdleFacts {
        IdleFacts {
            interactive: false,
            autopause: if min == 0 { "configured" } else { "missing" },
            detail: if min == 0 {
                format!("{knob} = 0: can scale to zero when idle")
            } else {
                format!("{knob} = {min} keeps {min} GPU node(s) running when idle")
            },
        }
    }
}
