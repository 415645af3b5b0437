//! A resource family that describes itself: the Terraform types it prices, the attributes it
//! reads, the catalog keys it asks for, and its fixture. Adding a type is one family file
//! (with its [`Family`] constant), one fixture under `testdata/families/<name>/`, one golden
//! snapshot and the catalog entries; `registry_tests` and `tests/it/families.rs` check the
//! rest (every type has a fixture and a golden, no type is both free and priced, every
//! catalog key exists). Families older than this descriptor are still matched by type in
//! their cloud's `family()` and are moved over one by one.

use super::{Costing, View};

/// One self-describing family.
#[derive(Debug)]
pub struct Family {
    /// Name of the fixture folder and the golden snapshot: `testdata/families/<name>/plan.json`
    /// and `tests/it/snapshots/it__families__<name>.snap`.
    pub name: &'static str,
    /// Catalog the prices come from (`aws`, `azure`, `gcp`).
    pub cloud: &'static str,
    /// Billed Terraform types this family prices (free types live in `free_types.toml`).
    pub types: &'static [&'static str],
    /// Attribute paths the family reads (for reviewers, `explain` and the docs).
    pub reads: &'static [&'static str],
    /// Every catalog key the family can ask for.
    pub price_keys: &'static [&'static str],
    /// Attributes → components, GPU and idle facts.
    pub cost: fn(&View) -> Costing,
}

#[cfg(test)]
mod registry_tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use crate::pricing::Catalogs;
    use crate::resources::families as all;

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn every_family_has_a_fixture_and_a_golden() {
        for f in all() {
            let fixture = root().join(format!("testdata/families/{}/plan.json", f.name));
            assert!(
                fixture.is_file(),
                "{}: no fixture {}",
                f.name,
                fixture.display()
            );
            let golden = root().join(format!("tests/it/snapshots/it__families__{}.snap", f.name));
            assert!(
                golden.is_file(),
                "{}: no golden {}",
                f.name,
                golden.display()
            );
            let text = std::fs::read_to_string(&fixture).unwrap();
            for t in f.types {
                assert!(
                    text.contains(&format!("\"type\": \"{t}\"")),
                    "{}: the fixture has no resource of type {t}",
                    f.name
                );
            }
        }
    }

    #[test]
    fn no_type_is_registered_twice_or_both_free_and_priced() {
        let mut seen = BTreeSet::new();
        for f in all() {
            assert!(!f.types.is_empty(), "{}: no types", f.name);
            for t in f.types {
                assert!(seen.insert(*t), "{t} is registered twice");
                assert!(
                    crate::resources::free::reason(t).is_none(),
                    "{t} is both priced ({}) and free",
                    f.name
                );
            }
        }
    }

    #[test]
    fn every_price_key_exists_in_a_catalog() {
        let catalogs = Catalogs::embedded().unwrap();
        for f in all() {
            for k in f.price_keys {
                assert!(
                    catalogs.knows(f.cloud, k),
                    "{}: catalog key `{k}` is in no {} catalog",
                    f.name,
                    f.cloud
                );
            }
        }
    }
}
