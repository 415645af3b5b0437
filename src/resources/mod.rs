//! Resource families: attributes → cost components, GPU facts and idle facts.
//!
//! One file per family per cloud; the registry below is the one place that maps a Terraform
//! type to its family. A family sees one side of a change at a time (before or after) through a
//! [`View`], so the same code prices both sides and the estimate takes the difference.
//!
//! Seams: `view` (what a family reads, price lookups), `component` (priced lines, typed
//! facts, provenance), `facts` (GPU and idle facts), `family` (self-describing families),
//! `free` (free types, data in `free_types.toml`); the registry and [`Costing`] are here.

pub mod aws;
pub mod azure;
mod component;
pub mod databricks;
pub mod egress;
mod facts;
pub mod family;
pub mod free;
pub mod gcp;
mod view;

pub use component::*;
pub use facts::*;
pub use view::*;

use crate::money::Decimal;

pub use crate::input::common::default_region;

/// What a family says about one side of a resource.
#[derive(Debug, Clone, Default)]
pub struct Costing {
    pub components: Vec<Component>,
    pub gpu: Option<GpuFacts>,
    pub idle: Option<IdleFacts>,
    /// Reasons the resource cannot be (fully) priced. Non-empty ⇒ the resource is unpriced.
    pub unpriced: Vec<String>,
    /// Assumptions worth showing (defaults applied, volumes not priced...).
    pub notes: Vec<String>,
    /// Parts left out of an otherwise priced resource (a volume whose size comes from the
    /// image): the resource is *partly priced*. Each is also a note.
    pub partial: Vec<String>,
}

impl Costing {
    /// Keep a component, or record why it could not be priced.
    pub fn add(&mut self, c: Result<Component, String>) {
        match c {
            Ok(c) => self.components.push(c),
            Err(e) => self.unpriced.push(e),
        }
    }

    /// A part that cannot be priced but leaves the rest of the figure meaningful.
    pub fn not_priced(&mut self, what: String) {
        self.notes.push(what.clone());
        self.partial.push(what);
    }

    pub fn monthly(&self) -> Decimal {
        self.components.iter().map(|c| c.monthly_cost).sum()
    }
}

/// How a resource type is handled.
pub enum Handling {
    Priced(fn(&View) -> Costing),
    /// Costs nothing by itself; the reason says where its cost shows up, if anywhere.
    Free(&'static str),
}

/// Every self-describing family ([`family::Family`]), all clouds.
pub fn families() -> impl Iterator<Item = &'static family::Family> {
    aws::FAMILIES
        .iter()
        .chain(azure::FAMILIES)
        .chain(gcp::FAMILIES)
        .copied()
}

/// The registry: Terraform type → family.
pub fn handling(rtype: &str) -> Option<Handling> {
    if let Some(f) = aws::family(rtype) {
        return Some(Handling::Priced(f));
    }
    let other = gcp::family(rtype)
        .or_else(|| azure::family(rtype))
        .or_else(|| databricks::family(rtype));
    if let Some(f) = other {
        return Some(Handling::Priced(f));
    }
    free::reason(rtype).map(Handling::Free)
}

/// Priced types that cannot carry cost tags or labels themselves (their instances are tagged
/// elsewhere: ASG `tag` blocks, GKE `node_config.resource_labels`, MIG instance configs).
const UNTAGGABLE_PRICED: &[&str] = &[
    "aws_autoscaling_group",
    "google_container_node_pool",
    "google_compute_instance_group_manager",
    "google_compute_region_instance_group_manager",
];

/// Whether a resource type carries tags/labels, when costgate knows it: every priced family
/// knows; other types return `None` (decide from the attributes). HCL mode needs this because
/// a `tags` argument that is not written is simply absent there, while a plan shows it as null.
pub fn taggable_type(rtype: &str) -> Option<bool> {
    match handling(rtype) {
        Some(Handling::Priced(_)) => Some(!UNTAGGABLE_PRICED.contains(&rtype)),
        _ => None,
    }
}

/// Decimal from an integer.
pub fn dec(n: u64) -> Decimal {
    Decimal::from(n)
}

/// Whole non-negative count from a decimal.
pub fn whole(d: Decimal) -> u64 {
    use rust_decimal::prelude::ToPrimitive;
    d.trunc().to_u64().unwrap_or(0)
}
