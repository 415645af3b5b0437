//! A resource family that describes itself: the Terraform types it prices, the attributes it
//! reads, the catalog keys it asks for (as patterns), the regions it is priced in, the usage
//! keys it looks up, whether it carries tags and which attribute changes replace it. Every
//! priced type of every cloud is registered here, one [`Family`] constant per family file,
//! listed once in its cloud's `FAMILIES`; [`by_type`](super::by_type) is the only place that
//! maps a Terraform type to its family. Adding a type is one family file, one fixture under
//! `testdata/families/<name>/main.tf`, one golden snapshot and the catalog entries;
//! `registry_tests` and `tests/it/families.rs` check the rest.
//!
//! A family written against the first descriptor (name, cloud as a string, types, reads,
//! price_keys, cost) adapts by writing `cloud: Cloud::Aws` and ending the literal with
//! `..Family::DEFAULTS` (all regions, no usage keys, taggable, no force-new attributes), then
//! declaring what the registry tests report.

use super::{Costing, View};

/// The cloud a family bills on (its catalog; Databricks runs on any of the three).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cloud {
    Aws,
    Azure,
    Gcp,
    Databricks,
}

impl Cloud {
    pub const ALL: &'static [Cloud] = &[Cloud::Aws, Cloud::Azure, Cloud::Gcp, Cloud::Databricks];

    /// `aws`, `azure`, `gcp`, `databricks`.
    pub fn name(self) -> &'static str {
        match self {
            Cloud::Aws => "aws",
            Cloud::Azure => "azure",
            Cloud::Gcp => "gcp",
            Cloud::Databricks => "databricks",
        }
    }

    /// The price catalogs the family's keys come from.
    pub fn catalogs(self) -> &'static [&'static str] {
        match self {
            Cloud::Aws => &["aws"],
            Cloud::Azure => &["azure"],
            Cloud::Gcp => &["gcp"],
            Cloud::Databricks => &["aws", "azure", "gcp"],
        }
    }
}

/// Where a family's fixed price keys are priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Regions {
    /// Every region of the cloud's catalog (or `global`).
    All,
    /// Only these regions; elsewhere the resource is unpriced and names the nearest one.
    Only(&'static [&'static str]),
}

/// A usage-file key a family looks up, with its unit and what it prices (docs/usage.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageKey {
    pub key: &'static str,
    pub unit: &'static str,
    pub doc: &'static str,
}

/// Hours a month the resource runs (every family with hourly lines looks it up).
pub const MONTHLY_HOURS: UsageKey = UsageKey {
    key: "monthly_hours",
    unit: "hours",
    doc: "hours per month for every time-based line of the resource (default 730)",
};

/// Data stored (storage accounts, buckets, log groups).
pub const STORAGE_GB: UsageKey = UsageKey {
    key: "storage_gb",
    unit: "GB-month",
    doc: "data stored (average over the month)",
};

/// The spot discount when the catalog has no spot price (families that price spot capacity).
pub const SPOT_DISCOUNT: UsageKey = UsageKey {
    key: "spot_discount",
    unit: "fraction in [0, 1)",
    doc: "spot discount when the catalog has no spot price (default: top-level `spot_discount`, else 0.6)",
};

/// One self-describing family.
#[derive(Debug)]
pub struct Family {
    /// Name of the fixture folder and the golden snapshot: `testdata/families/<name>/main.tf`
    /// and `tests/it/snapshots/it__families__<name>.snap`.
    pub name: &'static str,
    /// The cloud whose catalog prices it.
    pub cloud: Cloud,
    /// Billed Terraform types this family prices (free types live in `free_types.toml`).
    pub types: &'static [&'static str],
    /// Attribute paths the family reads (checked against what it reads on its fixture).
    pub reads: &'static [&'static str],
    /// Every catalog key the family can ask for: fixed keys (`kms/customer-managed-key`) or
    /// patterns with `{placeholders}` (`ec2/{instance_type}`).
    pub price_keys: &'static [&'static str],
    /// Regions its fixed keys are priced in.
    pub regions: Regions,
    /// Usage-file keys it looks up.
    pub usage: &'static [UsageKey],
    /// Whether the resource carries tags/labels itself (ASGs, GKE node pools and MIGs tag
    /// their instances elsewhere).
    pub taggable: bool,
    /// Attributes whose change replaces the resource (for reviewers and reports).
    pub force_new: &'static [&'static str],
    /// Attributes → components, GPU and idle facts; reasons when it cannot be priced.
    pub cost: fn(&View) -> Costing,
}

/// A cost function that prices nothing: only for [`Family::DEFAULTS`].
fn no_cost(_: &View) -> Costing {
    Costing::default()
}

impl Family {
    /// Defaults for struct-update syntax (`..Family::DEFAULTS`): every field a family must
    /// set is empty here, and the registry tests fail until it is.
    pub const DEFAULTS: Family = Family {
        name: "",
        cloud: Cloud::Aws,
        types: &[],
        reads: &[],
        price_keys: &[],
        regions: Regions::All,
        usage: &[],
        taggable: true,
        force_new: &[],
        cost: no_cost,
    };

    /// Does `key` match one of the declared patterns?
    pub fn declares_key(&self, key: &str) -> bool {
        self.price_keys.iter().any(|p| key_matches(p, key))
    }
}

/// `ec2/{instance_type}` matches `ec2/p5.48xlarge`; a fixed key matches itself. A placeholder
/// matches one or more characters.
pub fn key_matches(pattern: &str, key: &str) -> bool {
    let Some(open) = pattern.find('{') else {
        return pattern == key;
    };
    let Some(close) = pattern[open..].find('}').map(|c| open + c) else {
        return pattern == key;
    };
    let (pre, rest) = (&pattern[..open], &pattern[close + 1..]);
    let Some(tail) = key.strip_prefix(pre) else {
        return false;
    };
    (1..=tail.len())
        .filter(|i| tail.is_char_boundary(*i))
        .any(|i| key_matches(rest, &tail[i..]))
}

/// The README's table of registered families (between `<!-- families:begin -->` and
/// `<!-- families:end -->`), generated from the registry.
pub fn coverage_table<'a>(families: impl Iterator<Item = &'a Family>) -> String {
    let mut out = String::from(
        "| family | cloud | Terraform types | fixed prices in | usage keys |\n|---|---|---|---|---|\n",
    );
    let mut rows: Vec<&Family> = families.collect();
    rows.sort_by_key(|f| (f.cloud, f.name));
    for f in rows {
        let code = |xs: &mut dyn Iterator<Item = &str>| {
            let v: Vec<String> = xs.map(|x| format!("`{x}`")).collect();
            if v.is_empty() {
                "—".to_string()
            } else {
                v.join(", ")
            }
        };
        let regions = match f.regions {
            Regions::All => "all catalog regions".to_string(),
            Regions::Only(r) => r.join(", "),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            f.name,
            f.cloud.name(),
            code(&mut f.types.iter().copied()),
            regions,
            code(&mut f.usage.iter().map(|u| u.key)),
        ));
    }
    out
}

/// docs/usage.md's table of usage keys per family (between `<!-- usage-keys:begin -->` and
/// `<!-- usage-keys:end -->`), generated from the registry.
pub fn usage_table<'a>(families: impl Iterator<Item = &'a Family>) -> String {
    let mut out = String::from("| family | key | unit | what it prices |\n|---|---|---|---|\n");
    let mut rows: Vec<&Family> = families.collect();
    rows.sort_by_key(|f| (f.cloud, f.name));
    for f in rows {
        for u in f.usage {
            out.push_str(&format!(
                "| {} | `{}` | {} | {} |\n",
                f.name, u.key, u.unit, u.doc
            ));
        }
    }
    out
}

/// What families read, price and look up while the registry tests run them on their
/// fixtures (test builds only; one trace per thread).
#[cfg(test)]
pub(crate) mod trace {
    use std::cell::RefCell;
    use std::collections::BTreeSet;

    /// Attribute paths read, catalog keys asked for, usage keys looked up.
    #[derive(Debug, Default)]
    pub struct Trace {
        owner: String,
        pub reads: BTreeSet<String>,
        pub keys: BTreeSet<String>,
        pub usage: BTreeSet<String>,
    }

    thread_local! {
        static TRACE: RefCell<Option<Trace>> = const { RefCell::new(None) };
    }

    /// Record what the resource at `owner` reads from now on (its own attributes only).
    pub fn start(owner: &str) {
        TRACE.with(|t| {
            let mut t = t.borrow_mut();
            let mut tr = t.take().unwrap_or_default();
            tr.owner = owner.to_string();
            *t = Some(tr);
        });
    }

    pub fn take() -> Trace {
        TRACE.with(|t| t.borrow_mut().take().unwrap_or_default())
    }

    fn with(address: &str, f: impl FnOnce(&mut Trace)) {
        TRACE.with(|t| {
            if let Some(tr) = t.borrow_mut().as_mut().filter(|tr| tr.owner == address) {
                f(tr)
            }
        });
    }

    pub fn read(address: &str, path: &str) {
        with(address, |t| {
            t.reads.insert(path.to_string());
        });
    }

    /// A catalog key asked for while pricing the traced resource (also through a linked one).
    pub fn key(_address: &str, key: &str) {
        TRACE.with(|t| {
            if let Some(tr) = t.borrow_mut().as_mut() {
                tr.keys.insert(key.to_string());
            }
        });
    }

    pub fn usage(address: &str, key: &str) {
        with(address, |t| {
            t.usage.insert(key.to_string());
        });
    }
}

#[cfg(test)]
mod registry_tests {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    use super::{key_matches, trace, Regions};
    use crate::input::usage::Usage;
    use crate::pricing::Catalogs;
    use crate::resources::families as all;
    use crate::resources::{Ctx, Side, View};

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    fn fixture(name: &str) -> PathBuf {
        root().join("testdata/families").join(name)
    }

    #[test]
    fn every_family_has_a_fixture_and_a_golden() {
        for f in all() {
            let tf = fixture(f.name).join("main.tf");
            assert!(tf.is_file(), "{}: no fixture {}", f.name, tf.display());
            let golden = root().join(format!("tests/it/snapshots/it__families__{}.snap", f.name));
            assert!(
                golden.is_file(),
                "{}: no golden {}",
                f.name,
                golden.display()
            );
            let text = std::fs::read_to_string(&tf).unwrap();
            for t in f.types {
                assert!(
                    text.contains(&format!("resource \"{t}\"")),
                    "{}: the fixture has no resource of type {t}",
                    f.name
                );
            }
        }
    }

    /// A fixture or golden whose family is not registered (a family dropped from its cloud's
    /// `FAMILIES`) fails too.
    #[test]
    fn every_fixture_and_golden_belongs_to_a_registered_family() {
        let names: BTreeSet<&str> = all().map(|f| f.name).collect();
        for e in std::fs::read_dir(root().join("testdata/families")).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                names.contains(name.as_str()),
                "fixture {name}: no registered family"
            );
        }
        for e in std::fs::read_dir(root().join("tests/it/snapshots")).unwrap() {
            let file = e.unwrap().file_name().to_string_lossy().into_owned();
            if let Some(name) = file
                .strip_prefix("it__families__")
                .and_then(|f| f.strip_suffix(".snap"))
            {
                assert!(names.contains(name), "golden {file}: no registered family");
            }
        }
    }

    #[test]
    fn one_registration_per_type_and_name_and_none_both_free_and_priced() {
        let (mut types, mut names) = (BTreeSet::new(), BTreeSet::new());
        for f in all() {
            assert!(
                names.insert(f.name),
                "family {} is registered twice",
                f.name
            );
            assert!(!f.types.is_empty(), "{}: no types", f.name);
            for t in f.types {
                assert!(types.insert(*t), "{t} is registered twice");
                assert!(
                    crate::resources::free::reason(t).is_none(),
                    "{t} is both priced ({}) and free",
                    f.name
                );
                assert!(
                    std::ptr::eq(crate::resources::by_type(t).unwrap(), f),
                    "{t}: by_type finds another family"
                );
            }
        }
    }

    /// Runs every family's cost function on each resource of its fixture (both sides) and
    /// compares what it read, priced and looked up with what it declares.
    #[test]
    fn what_each_family_reads_prices_and_looks_up_is_what_it_declares() {
        let catalogs = Catalogs::embedded().unwrap();
        let mut wrong = Vec::new();
        for f in all() {
            let dir = fixture(f.name);
            let project = crate::input::load(&dir, &Default::default())
                .unwrap_or_else(|e| panic!("{}: fixture does not load: {e:?}", f.name));
            let usage = match dir.join("usage.toml") {
                u if u.is_file() => Usage::load(&u).unwrap(),
                _ => Usage::default(),
            };
            let ctx = Ctx::new(&catalogs, &project, &usage);
            let mut seen = trace::Trace::default();
            for r in project
                .resources
                .iter()
                .filter(|r| f.types.contains(&r.rtype.as_str()))
            {
                for side in [Side::Before, Side::After] {
                    if let Some(v) = View::new(r, &ctx, side) {
                        trace::start(&r.address);
                        (f.cost)(&v);
                        let t = trace::take();
                        seen.reads.extend(t.reads);
                        seen.keys.extend(t.keys);
                        seen.usage.extend(t.usage);
                    }
                }
            }
            let declared: BTreeSet<String> = f.reads.iter().map(|s| s.to_string()).collect();
            if declared != seen.reads {
                wrong.push(format!(
                    "{}: reads {:?}, declares {:?}",
                    f.name, seen.reads, declared
                ));
            }
            let undeclared: Vec<&String> =
                seen.keys.iter().filter(|k| !f.declares_key(k)).collect();
            let unused: Vec<&&str> = f
                .price_keys
                .iter()
                .filter(|p| !seen.keys.iter().any(|k| key_matches(p, k)))
                .collect();
            if !undeclared.is_empty() || !unused.is_empty() {
                wrong.push(format!(
                    "{}: asks for undeclared keys {undeclared:?}; declared keys never asked for {unused:?} (asked: {:?})",
                    f.name, seen.keys
                ));
            }
            let declared: BTreeSet<String> = f.usage.iter().map(|u| u.key.to_string()).collect();
            if declared != seen.usage {
                wrong.push(format!(
                    "{}: looks up usage keys {:?}, declares {:?}",
                    f.name, seen.usage, declared
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn every_fixed_price_key_exists_in_every_region_the_family_declares() {
        let catalogs = Catalogs::embedded().unwrap();
        let mut missing = Vec::new();
        for f in all() {
            for cloud in f.cloud.catalogs() {
                let regions: Vec<&str> = match f.regions {
                    Regions::All => catalogs
                        .region_names(cloud)
                        .into_iter()
                        .filter(|r| *r != "global")
                        .collect(),
                    Regions::Only(list) => list.to_vec(),
                };
                assert!(!regions.is_empty(), "{}: no regions", f.name);
                for k in f.price_keys.iter().filter(|k| !k.contains('{')) {
                    if f.cloud.catalogs().len() > 1 && !catalogs.knows(cloud, k) {
                        continue;
                    }
                    let absent: Vec<&&str> = regions
                        .iter()
                        .filter(|r| catalogs.price(cloud, r, k).is_err())
                        .collect();
                    if !absent.is_empty() {
                        missing.push(format!(
                            "{}: `{k}` has no {cloud} price in {} of {} declared regions ({absent:?})",
                            f.name,
                            absent.len(),
                            regions.len()
                        ));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "{}", missing.join("\n"));
    }

    /// The generated parts of the README and docs/usage.md are current (regenerate with
    /// `COSTGATE_UPDATE_DOCS=1 cargo test --lib generated_docs`).
    #[test]
    fn generated_docs_are_current() {
        for (file, name, text) in [
            ("README.md", "families", super::coverage_table(all())),
            ("docs/usage.md", "usage-keys", super::usage_table(all())),
        ] {
            let path = root().join(file);
            let doc = std::fs::read_to_string(&path).unwrap();
            let (begin, end) = (
                format!("<!-- {name}:begin -->\n"),
                format!("<!-- {name}:end -->"),
            );
            let a = doc
                .find(&begin)
                .unwrap_or_else(|| panic!("{file}: no {begin}"))
                + begin.len();
            let b = doc.find(&end).unwrap_or_else(|| panic!("{file}: no {end}"));
            if doc[a..b] == text {
                continue;
            }
            if std::env::var_os("COSTGATE_UPDATE_DOCS").is_some() {
                std::fs::write(&path, format!("{}{text}{}", &doc[..a], &doc[b..])).unwrap();
            } else {
                panic!(
                    "{file}: the generated {name} table is out of date; run \
                     COSTGATE_UPDATE_DOCS=1 cargo test --lib generated_docs"
                );
            }
        }
    }

    #[test]
    fn price_key_patterns_match() {
        assert!(key_matches("ec2/{instance_type}", "ec2/p5.48xlarge"));
        assert!(key_matches("ebs/{type}/storage", "ebs/gp3/storage"));
        assert!(!key_matches("ebs/{type}/storage", "ebs/gp3/iops"));
        assert!(!key_matches("ec2/{instance_type}", "ec2/"));
        assert!(key_matches(
            "kms/customer-managed-key",
            "kms/customer-managed-key"
        ));
        assert!(!key_matches("kms/customer-managed-key", "kms/other"));
    }
}
