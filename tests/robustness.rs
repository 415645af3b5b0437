//! No input makes the plan loader, the HCL loader or the estimate panic or hang: truncations
//! at many points and byte mutations of real plans and .tf files (a cheap, deterministic
//! stand-in for the cargo-fuzz targets in `fuzz/`).

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use costgate::estimate::{estimate, usage::Usage};
use costgate::input::{self, plan, LoadOptions};
use costgate::pricing::Catalogs;

/// Small deterministic generator (xorshift) so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn run(text: &str, catalogs: &Catalogs) {
    if let Ok(p) = plan::parse(Path::new("fuzz.json"), text, &LoadOptions::default()) {
        let _ = estimate(&p, catalogs, &Usage::default());
    }
}

#[test]
fn truncated_and_mutated_plans_never_panic() {
    let catalogs = Catalogs::embedded().unwrap();
    let base = std::fs::read_to_string("testdata/plans/aws-ml-platform-create/plan.json").unwrap();
    let bytes = base.as_bytes();
    for cut in (0..bytes.len()).step_by(bytes.len() / 97 + 1) {
        if let Ok(t) = std::str::from_utf8(&bytes[..cut]) {
            run(t, &catalogs);
        }
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // Replacements that keep JSON plausible but change types and values.
    let tokens: &[&[u8]] = &[
        b"null",
        b"true",
        b"[]",
        b"{}",
        b"-1",
        b"1e400",
        b"\"x\"",
        b"0",
        b"\"\\u0000\"",
    ];
    for _ in 0..300 {
        let mut m = bytes.to_vec();
        for _ in 0..(1 + rng.next() % 4) {
            let at = (rng.next() as usize) % m.len();
            let tok = tokens[(rng.next() as usize) % tokens.len()];
            let end = (at + 1 + (rng.next() as usize) % 12).min(m.len());
            m.splice(at..end, tok.iter().copied());
        }
        if let Ok(t) = String::from_utf8(m) {
            run(&t, &catalogs);
        }
    }
}

#[test]
fn wrong_types_in_known_places_are_handled() {
    let catalogs = Catalogs::embedded().unwrap();
    for after in [
        r#"{"instance_type": 5}"#,
        r#"{"instance_type": "g5.xlarge", "root_block_device": {"volume_size": "big"}}"#,
        r#"{"instance_type": "g5.xlarge", "root_block_device": [{"volume_size": -100, "volume_type": 7}]}"#,
        r#"{"size": 1e300, "type": "gp3", "iops": "many"}"#,
        r#"{"scaling_config": [{"desired_size": -3, "min_size": null, "max_size": "x"}]}"#,
        r#"{"production_variants": [{"instance_type": null, "initial_instance_count": 1e20}]}"#,
    ] {
        for rtype in [
            "aws_instance",
            "aws_ebs_volume",
            "aws_eks_node_group",
            "aws_sagemaker_endpoint_configuration",
            "aws_autoscaling_group",
        ] {
            let text = format!(
                r#"{{"format_version":"1.2","resource_changes":[{{"address":"{rtype}.x","mode":"managed","type":"{rtype}","name":"x","change":{{"actions":["create"],"before":null,"after":{after},"after_unknown":{{}}}}}}]}}"#
            );
            run(&text, &catalogs);
        }
    }
}

/// A hang detector, not a timing test: a case that does not finish in this time is stuck.
const HANG: Duration = Duration::from_secs(10);

/// The `.tf` files under `dir`, relative to it.
fn tf_files(dir: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir.join(rel))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let r = rel.join(p.file_name().unwrap());
        if p.is_dir() {
            tf_files(dir, &r, out);
        } else if r.extension().is_some_and(|x| x == "tf") {
            out.push(r);
        }
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &dest);
        } else {
            std::fs::copy(&p, dest).unwrap();
        }
    }
}

/// Load (and estimate) a directory on its own thread: Ok or a diagnostic, never a panic or a
/// hang.
fn load_dir_in_time(dir: &Path, case: &str) {
    let (tx, rx) = mpsc::channel();
    let dir = dir.to_path_buf();
    let worker = std::thread::spawn(move || {
        let loaded = input::load(&dir, &LoadOptions::default());
        if let Ok(p) = &loaded {
            let catalogs = Catalogs::embedded().unwrap();
            let _ = estimate(p, &catalogs, &Usage::default());
        }
        let _ = tx.send(loaded.is_ok());
    });
    match rx.recv_timeout(HANG) {
        Ok(_) => worker.join().expect("worker finished"),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("HCL load hangs on {case}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let _ = worker.join();
            panic!("HCL load panics on {case}")
        }
    }
}

/// Replacements that keep HCL plausible but break structure, types and references.
const HCL_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "${",
    "%{",
    "=",
    "\n",
    "<<EOT\n",
    "...",
    "?",
    ":",
    "null",
    "-1",
    "1e400",
    "999999999",
    "count = ",
    "for_each = ",
    "var.",
    "local.",
    "module.",
    "each.value",
    "count.index",
    "self.",
    "# costgate:ignore * reason=x\n",
    "/*",
    "*/",
    "range(1000000000)",
    "\\",
    "\u{0}",
    "é",
];

#[test]
fn truncated_and_mutated_tf_files_never_panic_or_hang() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let mut cases = 0;
    for fixture in ["testdata/plans/aws-multi-module", "testdata/hcl/features"] {
        let base = Path::new(fixture);
        let mut files = Vec::new();
        tf_files(base, Path::new(""), &mut files);
        assert!(files.len() > 1, "{fixture} has .tf files");
        for rel in &files {
            let text = std::fs::read(base.join(rel)).unwrap();
            let mut variants: Vec<(String, Vec<u8>)> = Vec::new();
            for cut in (0..text.len()).step_by(text.len() / 12 + 1) {
                variants.push((format!("cut at {cut}"), text[..cut].to_vec()));
            }
            for i in 0..16 {
                let mut m = text.clone();
                for _ in 0..(1 + rng.next() % 3) {
                    let at = (rng.next() as usize) % m.len().max(1);
                    let tok = HCL_TOKENS[(rng.next() as usize) % HCL_TOKENS.len()];
                    let end = (at + (rng.next() as usize) % 10).min(m.len());
                    m.splice(at..end, tok.bytes());
                }
                variants.push((format!("mutation {i}"), m));
            }
            for (what, bytes) in variants {
                let tmp = tempfile::tempdir().unwrap();
                copy_tree(base, tmp.path());
                std::fs::write(tmp.path().join(rel), &bytes).unwrap();
                load_dir_in_time(tmp.path(), &format!("{fixture}/{} ({what})", rel.display()));
                cases += 1;
            }
        }
    }
    assert!(cases > 200, "{cases} cases");
}
