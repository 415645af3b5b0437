//! Any bytes as a price catalog (`pricing/<cloud>.json`, the first byte picks the cloud) or,
//! with the first byte's high bit set, a machine catalog (`pricing/machines/<cloud>.json`):
//! parsing returns a catalog or a diagnostic, and a catalog that parses and validates then
//! prices real plans (odd prices, tiers, huge numbers) without a panic.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use costgate::estimate::{estimate, usage::Usage};
use costgate::input::{plan, LoadOptions};
use costgate::pricing::{Catalog, Catalogs, Machines};
use costgate::project::Project;
use libfuzzer_sys::fuzz_target;

const CLOUDS: [&str; 3] = ["aws", "gcp", "azure"];

fn base() -> &'static Catalogs {
    static C: OnceLock<Catalogs> = OnceLock::new();
    C.get_or_init(|| Catalogs::embedded().expect("embedded catalogs"))
}

/// One plan per cloud, with the usage that prices its usage-based resources.
fn projects() -> &'static Vec<(Project, Usage)> {
    static P: OnceLock<Vec<(Project, Usage)>> = OnceLock::new();
    P.get_or_init(|| {
        ["aws-ml-extras", "gcp-ml", "azure-ml"]
            .iter()
            .map(|case| {
                let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../testdata/plans")
                    .join(case);
                let p = plan::load(&dir.join("plan.json"), &LoadOptions::default()).expect("plan");
                let u = Usage::load(&dir.join("usage.toml")).expect("usage");
                (p, u)
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, body)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(body) else {
        return;
    };
    let cloud = CLOUDS[(kind & 0x7f) as usize % CLOUDS.len()];
    let path = Path::new("pricing").join(format!("{cloud}.json"));
    let mut cats = base().clone();
    if kind & 0x80 == 0 {
        let Ok(c) = Catalog::parse(&path, text) else {
            return;
        };
        cats.prices.insert(cloud.to_string(), c);
    } else {
        let Ok(m) = Machines::parse(&path, text) else {
            return;
        };
        cats.machines.insert(cloud.to_string(), m);
    }
    for (p, u) in projects() {
        let _ = estimate(p, &cats, u);
    }
});
