//! Any bytes as a usage file: the parser returns usage or a diagnostic, and estimating real
//! plans (buckets, file systems, log groups, spot pools, egress tiers) with whatever it accepted
//! never panics, however large or odd the quantities.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use costgate::estimate::{estimate, usage::Usage};
use costgate::input::{plan, LoadOptions};
use costgate::pricing::Catalogs;
use costgate::project::Project;
use libfuzzer_sys::fuzz_target;

fn catalogs() -> &'static Catalogs {
    static C: OnceLock<Catalogs> = OnceLock::new();
    C.get_or_init(|| Catalogs::embedded().expect("embedded catalogs"))
}

/// Plans whose resources read the usage file.
fn projects() -> &'static Vec<Project> {
    static P: OnceLock<Vec<Project>> = OnceLock::new();
    P.get_or_init(|| {
        [
            "aws-ml-extras",
            "gcp-ml",
            "azure-ml",
            "aws-ml-platform-create",
        ]
        .iter()
        .map(|case| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../testdata/plans")
                .join(case)
                .join("plan.json");
            plan::load(&path, &LoadOptions::default()).expect("fixture plan")
        })
        .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(usage) = Usage::parse(Path::new("usage.toml"), text) {
        for p in projects() {
            let _ = estimate(p, catalogs(), &usage);
        }
    }
});
