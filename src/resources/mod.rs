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
mod unpriced;
mod view;

pub use component::*;
pub use facts::*;
pub use unpriced::*;
pub use view::*;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::money::Decimal;

pub use crate::input::common::default_region;

/// What a family says about one side of a resource.
#[derive(Debug, Clone, Default)]
pub struct Costing {
    pub components: Vec<Component>,
    pub gpu: Option<GpuFacts>,
    pub idle: Option<IdleFacts>,
    /// Reasons the resource cannot be (fully) priced. Non-empty ⇒ the resource is unpriced.
    pub unpriced: Reasons,
    /// Assumptions worth showing (defaults applied, volumes not priced...).
    pub notes: Vec<String>,
    /// Parts left out of an otherwise priced resource (a volume whose size comes from the
    /// image): the resource is *partly priced*. Each is also a note.
    pub partial: Vec<String>,
}

impl Costing {
    /// Keep a component, or record why it could not be priced.
    pub fn add<E: Into<Unpriced>>(&mut self, c: Result<Component, E>) {
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

/// Every family ([`family::Family`]), all clouds: the cloud modules' `FAMILIES` lists.
pub fn families() -> impl Iterator<Item = &'static family::Family> {
    aws::FAMILIES
        .iter()
        .chain(azure::FAMILIES)
        .chain(gcp::FAMILIES)
        .chain(databricks::FAMILIES)
        .copied()
}

/// The family that prices `rtype`: the one place a Terraform type is mapped to its family.
pub fn by_type(rtype: &str) -> Option<&'static family::Family> {
    static INDEX: OnceLock<HashMap<&'static str, &'static family::Family>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            families()
                .flat_map(|f| f.types.iter().map(move |t| (*t, f)))
                .collect()
        })
        .get(rtype)
        .copied()
}

/// The registry: Terraform type → family, else free, else `None` (not supported).
pub fn handling(rtype: &str) -> Option<Handling> {
    if let Some(f) = by_type(rtype) {
        return Some(Handling::Priced(f.cost));
    }
    free::reason(rtype).map(Handling::Free)
}

/// Whether a resource type carries tags/labels, when costgate knows it: every priced family
/// declares it ([`family::Family::taggable`]); other types return `None` (decide from the
/// attributes). HCL mode needs this because a `tags` argument that is not written is simply
/// absent there, while a plan shows it as null.
pub fn taggable_type(rtype: &str) -> Option<bool> {
    by_type(rtype).map(|f| f.taggable)
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
