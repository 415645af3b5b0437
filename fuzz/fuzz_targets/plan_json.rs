//! Any bytes as a plan JSON document: the loader returns a project or a diagnostic, and the
//! estimate of a loaded project never panics.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use costgate::estimate::{estimate, usage::Usage};
use costgate::input::{plan, LoadOptions};
use costgate::pricing::Catalogs;
use libfuzzer_sys::fuzz_target;

fn catalogs() -> &'static Catalogs {
    static C: OnceLock<Catalogs> = OnceLock::new();
    C.get_or_init(|| Catalogs::embedded().expect("embedded catalogs"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = plan::parse(Path::new("fuzz.json"), text, &LoadOptions::default()) {
        let _ = estimate(&p, catalogs(), &Usage::default());
    }
});
