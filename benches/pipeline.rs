//! Pipeline benchmark on realistic generated inputs (see `support/plans.rs`: plans made of the
//! real Terraform fixtures, with full attribute sets, planned values, prior state and
//! configuration, as `terraform show -json` writes them).
//!
//! For each plan size it runs the real `costgate check` binary (text report, every built-in
//! policy on, a GPU quota per team and a budget configured) with `COSTGATE_TIMINGS=1`, and
//! prints the binary's own phase times (parse, estimate, policy, report), its total wall time,
//! its peak memory, and the time of a bare `serde_json::Value` parse of the same file in this
//! process, with the ratios the targets are stated in. Then HCL mode on a tree of 1,000 .tf
//! files.
//!
//! Run: `cargo bench --bench pipeline` (sizes as arguments: `-- 1000 50000`; `--hcl N` for the
//! HCL tree size). `COSTGATE_BENCH_DIR=DIR` keeps the generated plans and HCL tree in DIR (the
//! peer comparison in benches/peers.py reads them from there).

#[path = "support/plans.rs"]
mod plans;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const CONFIG: &str = "[policies.gpu-quota]\nscope_tag = \"team\"\nlimits = [{ gpu = \"*\", scope = \"*\", max = 1500 }]\n[policies.budget.deny]\ntotal_monthly = 1000000\n";

/// One run of the binary: wall time, its phase timings and peak memory.
struct Run {
    wall_ms: f64,
    phases: BTreeMap<String, f64>,
    peak_mib: f64,
    exit: i32,
}

fn run(args: &[&str], dir: &Path) -> Run {
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_costgate"))
        .args(args)
        .current_dir(dir)
        .env("COSTGATE_TIMINGS", "1")
        .env("COSTGATE_TODAY", "2026-11-26")
        .output()
        .expect("run costgate");
    let wall_ms = t.elapsed().as_secs_f64() * 1e3;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut phases = BTreeMap::new();
    let mut peak_mib = f64::NAN;
    for line in stderr.lines() {
        if let Some(rest) = line.strip_prefix("costgate timing: ") {
            // "<phase> <value> <unit>", then "(cpu <ms> ms)" for phases
            let rest = rest.split(" (cpu").next().unwrap_or(rest);
            let mut parts = rest.rsplitn(3, ' ');
            let (_unit, value, name) = (parts.next(), parts.next(), parts.next());
            let (Some(value), Some(name)) = (value.and_then(|v| v.parse::<f64>().ok()), name)
            else {
                continue;
            };
            if name == "peak memory" {
                peak_mib = value;
            } else {
                *phases.entry(name.to_string()).or_default() += value;
            }
        }
    }
    let exit = out.status.code().unwrap_or(-1);
    assert!(
        exit == 0 || exit == 1,
        "costgate failed ({exit}):\n{stderr}"
    );
    Run {
        wall_ms,
        phases,
        peak_mib,
        exit,
    }
}

fn bare_parse_ms(path: &Path) -> f64 {
    let text = std::fs::read_to_string(path).expect("plan");
    let t = Instant::now();
    let v: serde_json::Value = serde_json::from_str(&text).expect("parses");
    let ms = t.elapsed().as_secs_f64() * 1e3;
    drop(v);
    ms
}

fn main() {
    let mut sizes = Vec::new();
    let mut hcl_files = 1000;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--hcl" {
            hcl_files = args.next().and_then(|n| n.parse().ok()).expect("--hcl N");
        } else if let Ok(n) = a.parse() {
            sizes.push(n);
        }
    }
    if sizes.is_empty() {
        sizes = vec![1_000, 10_000, 50_000];
    }
    let keep = std::env::var_os("COSTGATE_BENCH_DIR").map(PathBuf::from);
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = keep.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).expect("bench dir");
    std::fs::write(dir.join("costgate.toml"), CONFIG).expect("config");

    println!("costgate check (text report, 4 built-in policies) on generated plans; times in ms");
    println!(
        "{:>9} {:>8} {:>7} {:>9} {:>7} {:>8} {:>7} {:>8} {:>7} {:>9} {:>9}",
        "resources",
        "plan MB",
        "parse",
        "estimate",
        "policy",
        "report",
        "total",
        "bare",
        "×bare",
        "peak MiB",
        "×plan"
    );
    for n in sizes {
        let file = dir.join(format!("plan-{n}.json"));
        let text = plans::plan(n);
        let mb = text.len() as f64 / 1e6;
        std::fs::write(&file, &text).expect("write plan");
        drop(text);
        let bare = bare_parse_ms(&file);
        let name = file.file_name().unwrap().to_str().unwrap();
        let r = run(&["check", name, "--config", "costgate.toml"], &dir);
        let p = |k: &str| r.phases.get(k).copied().unwrap_or(0.0);
        println!(
            "{:>9} {:>8.1} {:>7.0} {:>9.0} {:>7.0} {:>8.0} {:>7.0} {:>8.0} {:>7.2} {:>9.0} {:>9.2}   (exit {})",
            n,
            mb,
            p("load"),
            p("estimate"),
            p("input document") + p("check"),
            p("report"),
            r.wall_ms,
            bare,
            r.wall_ms / bare,
            r.peak_mib,
            r.peak_mib * 1.048_576 / mb,
            r.exit
        );
    }

    let hcl = dir.join("hcl");
    let _ = std::fs::remove_dir_all(&hcl);
    std::fs::create_dir_all(&hcl).expect("hcl dir");
    let files = plans::hcl_tree(&hcl, hcl_files);
    let r = run(&["estimate", "hcl", "--format", "json"], &dir);
    let c = run(&["check", "hcl", "--config", "costgate.toml"], &dir);
    println!(
        "HCL mode, {files} .tf files: estimate {:.0} ms (load {:.0}), check {:.0} ms, peak {:.0} MiB",
        r.wall_ms,
        r.phases.get("load").copied().unwrap_or(0.0),
        c.wall_ms,
        c.peak_mib
    );
}
