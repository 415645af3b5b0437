//! Any bytes as a directory of .tf files: the input is split at NUL bytes into `main.tf`,
//! `modules/a/main.tf` and `terraform.tfvars` (so module calls and variables get exercised),
//! then loaded in HCL mode and estimated. Ok or a diagnostic, never a panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use costgate::estimate::{estimate, usage::Usage};
use costgate::input::{self, LoadOptions};
use costgate::pricing::Catalogs;
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 3] = ["main.tf", "modules/a/main.tf", "terraform.tfvars"];

fn catalogs() -> &'static Catalogs {
    static C: OnceLock<Catalogs> = OnceLock::new();
    C.get_or_init(|| Catalogs::embedded().expect("embedded catalogs"))
}

/// One scratch directory per fuzzing process, rewritten for every input.
fn scratch() -> &'static PathBuf {
    static D: OnceLock<PathBuf> = OnceLock::new();
    D.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("costgate-fuzz-hcl-{}", std::process::id()));
        std::fs::create_dir_all(d.join("modules/a")).expect("scratch dir");
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = scratch();
    let mut parts = data.splitn(FILES.len(), |b| *b == 0);
    for f in FILES {
        let part = parts.next().unwrap_or(&[]);
        std::fs::write(dir.join(f), part).expect("write scratch file");
    }
    if let Ok(p) = input::load(dir, &LoadOptions::default()) {
        let _ = estimate(&p, catalogs(), &Usage::default());
    }
});
