//! Embedded catalogs are loaded region by region: `build.rs` stores each region's entries
//! deflate-compressed; a region is inflated and parsed the first time a lookup asks for it, so
//! a one-resource plan parses one region, not the ~180,000 prices of all of them.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::pricing::catalog::{Catalog, PriceEntry};
use crate::pricing::Embedded;

pub type Entries = BTreeMap<String, PriceEntry>;

/// The compressed regions of one embedded catalog.
pub struct LazyRegions {
    bin: &'static [u8],
    keys_z: &'static [u8],
    /// region → (offset, length, parsed entries).
    regions: BTreeMap<String, (usize, usize, OnceLock<Entries>)>,
    /// Region names in file order (the key index refers to them by number).
    order: Vec<String>,
    /// key → regions that price it, built on the first miss.
    keys: OnceLock<BTreeMap<String, Vec<usize>>>,
}

impl std::fmt::Debug for LazyRegions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyRegions")
            .field("regions", &self.order)
            .finish()
    }
}

impl LazyRegions {
    pub(crate) fn new(e: &Embedded) -> Self {
        let mut regions = BTreeMap::new();
        let mut order = Vec::new();
        for line in e.idx.lines() {
            let mut it = line.split(' ');
            if let (Some(r), Some(o), Some(l)) = (it.next(), it.next(), it.next()) {
                if let (Ok(o), Ok(l)) = (o.parse(), l.parse()) {
                    regions.insert(r.to_string(), (o, l, OnceLock::new()));
                    order.push(r.to_string());
                }
            }
        }
        LazyRegions {
            bin: e.bin,
            keys_z: e.keys,
            regions,
            order,
            keys: OnceLock::new(),
        }
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.order.iter().map(String::as_str)
    }

    /// A region's entries, inflated and parsed once. The embedded data is checked by the
    /// test suite (`embedded_regions_all_parse`); should it still fail, the region is empty
    /// and lookups explain the miss instead of panicking.
    pub fn get(&self, region: &str) -> Option<&Entries> {
        let (o, l, cell) = self.regions.get(region)?;
        Some(cell.get_or_init(|| parse_region(self.bin.get(*o..*o + *l)).unwrap_or_default()))
    }

    /// Regions that price `key` (from the build-time key index, without parsing regions).
    pub fn regions_with(&self, key: &str) -> Vec<&str> {
        let idx = self.keys.get_or_init(|| {
            let text = miniz_oxide::inflate::decompress_to_vec(self.keys_z).unwrap_or_default();
            let text = String::from_utf8(text).unwrap_or_default();
            text.lines()
                .filter_map(|l| l.rsplit_once(' '))
                .map(|(k, rs)| {
                    (
                        k.to_string(),
                        rs.split(',').filter_map(|r| r.parse().ok()).collect(),
                    )
                })
                .collect()
        });
        idx.get(key)
            .map(|rs| {
                rs.iter()
                    .filter_map(|i| self.order.get(*i).map(String::as_str))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Parse every region into `c.prices` (for `show`, `verify`, `refresh`, `import`).
    pub fn fill(&self, c: &mut Catalog) -> Result<(), String> {
        for r in &self.order {
            let (o, l, _) = &self.regions[r];
            let entries = parse_region(self.bin.get(*o..*o + *l)).ok_or_else(|| {
                format!("embedded region {r} of the {} catalog is corrupt", c.cloud)
            })?;
            c.prices.insert(r.clone(), entries);
        }
        Ok(())
    }
}

fn parse_region(z: Option<&[u8]>) -> Option<Entries> {
    let text = miniz_oxide::inflate::decompress_to_vec(z?).ok()?;
    serde_json::from_slice(&text).ok()
}
