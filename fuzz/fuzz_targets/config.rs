//! Any bytes as policy configuration: the first byte picks the form (`costgate.toml`, a JSON
//! `--data` file or a YAML one), the rest is the file. Loading returns a config or a
//! diagnostic; a loaded config then drives the built-in policies over a real plan, which
//! finish with findings or a diagnostic (a setting of the wrong type), never a panic.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use costgate::estimate::{estimate, usage::Usage, Estimate};
use costgate::input::{plan, LoadOptions};
use costgate::policy::{self, CheckOptions};
use costgate::pricing::Catalogs;
use costgate::project::Project;
use libfuzzer_sys::fuzz_target;

fn fixture() -> &'static (PathBuf, Project, Estimate) {
    static F: OnceLock<(PathBuf, Project, Estimate)> = OnceLock::new();
    F.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../testdata/plans/aws-policy-cases/plan.json");
        let p = plan::load(&path, &LoadOptions::default()).expect("fixture plan");
        let c = Catalogs::embedded().expect("embedded catalogs");
        let e = estimate(&p, &c, &Usage::default());
        (path, p, e)
    })
}

fn scratch() -> &'static PathBuf {
    static D: OnceLock<PathBuf> = OnceLock::new();
    D.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("costgate-fuzz-config-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("scratch dir");
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, body)) = data.split_first() else {
        return;
    };
    let name = match kind % 3 {
        0 => "costgate.toml",
        1 => "data.json",
        _ => "data.yaml",
    };
    let file = scratch().join(name);
    std::fs::write(&file, body).expect("write scratch file");
    let (path, project, est) = fixture();
    let mut opts = CheckOptions {
        policy_dirs: Vec::new(),
        data: Vec::new(),
        config: None,
        no_config: true,
        today: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        namespaces: Vec::new(),
        all_namespaces: false,
        rego_version: None,
        no_inline_waivers: false,
        strict: false,
    };
    if kind % 3 == 0 {
        opts.config = Some(file);
    } else {
        opts.data = vec![file];
    }
    if let Ok(prepared) = policy::prepare(path, project.clone(), est.clone(), &opts) {
        let _ = policy::check(prepared, &opts);
    }
});
