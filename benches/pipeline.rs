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
//! Two plan shapes: `classic` (whole real fixtures copied as `for_each` modules, see
//! `support/plans.rs`) and `varied` (each resource drawn from a weighted mix of types with varied
//! attributes, tags on most, updates/replaces/deletes, GCP and Azure, see `support/varied.rs`).
//! The report is JSON (`check --format json`), as CI uses it. Besides the bare serde_json parse,
//! a bare `python3 -c "json.load"` of the same file is timed in the same run (when python3 is
//! on PATH), and the targets of the speed issue are printed beside the figures.
//!
//! Run: `cargo bench --bench pipeline` (sizes as arguments: `-- 1000 50000`; `--hcl N` for the
//! HCL tree size; `--shape classic|varied|both`; `--policies` prints per-policy times). `COSTGATE_BENCH_DIR=DIR` keeps the generated plans and HCL tree in DIR (the
//! peer comparison in benches/peers.py reads them from there).

#[path = "support/plans.rs"]
mod plans;
#[path = "support/varied.rs"]
mod varied;

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

/// Wall time of `python3 -c "json.load"` on `path` (the interpreter's own start
/// excluded: the load is timed inside the script), or NaN without python3.
fn python_load_ms(path: &Path) -> f64 {
    let script = "import json,sys,time\nt=time.perf_counter()\nwith open(sys.argv[1]) as f: json.load(f)\nprint((time.perf_counter()-t)*1e3)";
    Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(f64::NAN)
}

/// A target line: the figure, the limit, and whether it is met.
fn target(what: &str, value: f64, limit: f64) -> String {
    let verdict = if value.is_nan() {
        "not measured"
    } else if value <= limit {
        "met"
    } else {
        "NOT met"
    };
    format!("    {what}: {value:.2} (target ≤ {limit}) {verdict}")
}

fn main() {
    let mut sizes = Vec::new();
    let mut hcl_files = 1000;
    let mut shapes = vec!["classic", "varied"];
    let mut per_policy = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--hcl" {
            hcl_files = args.next().and_then(|n| n.parse().ok()).expect("--hcl N");
        } else if a == "--shape" {
            shapes = match args.next().as_deref() {
                Some("classic") => vec!["classic"],
                Some("varied") => vec!["varied"],
                _ => vec!["classic", "varied"],
            };
        } else if a == "--policies" {
            per_policy = true;
        } else if let Ok(n) = a.parse() {
            sizes.push(n);
        }
    }
    if sizes.is_empty() {
        sizes = vec![100, 1_000, 10_000, 50_000];
    }
    let keep = std::env::var_os("COSTGATE_BENCH_DIR").map(PathBuf::from);
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = keep.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).expect("bench dir");
    std::fs::write(dir.join("costgate.toml"), CONFIG).expect("config");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));

    println!(
        "costgate check --format json (every built-in policy) on generated plans; times in ms"
    );
    println!(
        "{:>7} {:>9} {:>8} {:>7} {:>9} {:>7} {:>8} {:>7} {:>7} {:>8} {:>6} {:>7} {:>9} {:>6}",
        "shape",
        "resources",
        "plan MB",
        "parse",
        "estimate",
        "policy",
        "report",
        "total",
        "serde",
        "json.load",
        "×serde",
        "×py",
        "peak MiB",
        "×plan"
    );
    let mut verdicts = Vec::new();
    for shape in &shapes {
        for &n in &sizes {
            let file = dir.join(format!("plan-{shape}-{n}.json"));
            let text = match *shape {
                "varied" => varied::plan(n, root),
                _ => plans::plan(n),
            };
            let mb = text.len() as f64 / 1e6;
            std::fs::write(&file, &text).expect("write plan");
            drop(text);
            let bare = bare_parse_ms(&file);
            let py = python_load_ms(&file);
            let name = file.file_name().unwrap().to_str().unwrap();
            let r = run(
                &[
                    "check",
                    name,
                    "--config",
                    "costgate.toml",
                    "--format",
                    "json",
                ],
                &dir,
            );
            let p = |k: &str| r.phases.get(k).copied().unwrap_or(0.0);
            let plan_mib = mb / 1.048_576;
            println!(
                "{:>7} {:>9} {:>8.1} {:>7.0} {:>9.0} {:>7.0} {:>8.0} {:>7.0} {:>7.0} {:>8.0} {:>6.2} {:>7.2} {:>9.0} {:>6.2}   (exit {})",
                shape,
                n,
                mb,
                p("load"),
                p("estimate"),
                p("input document") + p("check"),
                p("report"),
                r.wall_ms,
                bare,
                py,
                r.wall_ms / bare,
                r.wall_ms / py,
                r.peak_mib,
                r.peak_mib / plan_mib,
                r.exit
            );
            if per_policy {
                let mut pol: Vec<_> = r
                    .phases
                    .iter()
                    .filter_map(|(k, v)| Some((k.strip_prefix("policy data.")?, *v)))
                    .collect();
                pol.sort_by(|a, b| b.1.total_cmp(&a.1));
                let line: Vec<String> = pol.iter().map(|(k, v)| format!("{k} {v:.0}")).collect();
                println!("          policies (ms): {}", line.join(", "));
            }
            match n {
                50_000 => {
                    verdicts.push(format!("{shape} 50k:"));
                    verdicts.push(target("× python json.load", r.wall_ms / py, 1.0));
                    verdicts.push(target("× serde_json parse", r.wall_ms / bare, 2.5));
                    verdicts.push(target("peak RSS × plan size", r.peak_mib / plan_mib, 4.0));
                }
                10_000 => {
                    verdicts.push(format!("{shape} 10k:"));
                    verdicts.push(target("× python json.load", r.wall_ms / py, 0.5));
                }
                100 => {
                    verdicts.push(format!("{shape} 100:"));
                    verdicts.push(target("total ms", r.wall_ms, 50.0));
                }
                _ => {}
            }
        }
    }

    let hcl = dir.join("hcl");
    let _ = std::fs::remove_dir_all(&hcl);
    std::fs::create_dir_all(&hcl).expect("hcl dir");
    let files = plans::hcl_tree(&hcl, hcl_files);
    let r = run(&["estimate", "hcl", "--format", "json"], &dir);
    let c = run(
        &[
            "check",
            "hcl",
            "--config",
            "costgate.toml",
            "--format",
            "json",
        ],
        &dir,
    );
    println!(
        "HCL mode, {files} .tf files: estimate {:.0} ms (load {:.0}), check {:.0} ms, peak {:.0} MiB",
        r.wall_ms,
        r.phases.get("load").copied().unwrap_or(0.0),
        c.wall_ms,
        c.peak_mib
    );
    verdicts.push(format!("HCL {files} files:"));
    verdicts.push(target("check seconds", c.wall_ms / 1e3, 1.0));
    println!("\nTargets:");
    for v in verdicts {
        println!("{v}");
    }
}
