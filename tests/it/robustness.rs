//! No input makes costgate panic, hang or overflow its stack: truncations at many points and
//! byte mutations of real plans and .tf files (a cheap, deterministic stand-in for the
//! cargo-fuzz targets in `fuzz/`), the bad-input corpus of `testdata/bad/` (plus generated
//! huge and deeply nested inputs) run through the binary's `estimate` and `check`, and the
//! inputs the fuzzers found (see fuzz/README in the main README's development section).

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

// ---------------------------------------------------------------------------------------------
// The bad-input corpus, through the binary.

/// What a command must do with a case.
#[derive(Debug, Clone)]
enum Outcome {
    /// Exit 2; the first line of stderr is the cause; stderr names each of these (file,
    /// `file:line`, the reason).
    Error(Vec<String>),
    /// The input is valid: exit 0 or 1 with a result; stdout or stderr (warnings) has each of
    /// these.
    Clean(Vec<String>),
}

struct Case {
    name: &'static str,
    /// Arguments after `estimate` / `check`.
    args: Vec<String>,
    estimate: Outcome,
    check: Outcome,
}

fn case(name: &'static str, args: &[&str], estimate: Outcome, check: Outcome) -> Case {
    Case {
        name,
        args: args.iter().map(|s| s.to_string()).collect(),
        estimate,
        check,
    }
}

/// The same outcome for `estimate` and `check`.
fn both(name: &'static str, args: &[&str], o: Outcome) -> Case {
    case(name, args, o.clone(), o)
}

/// Valid input: a result mentioning each of these.
fn clean(mentions: &[&str]) -> Outcome {
    Outcome::Clean(mentions.iter().map(|m| m.to_string()).collect())
}

/// Generous: a hang guard, not a speed test.
const CLI_HANG: Duration = Duration::from_secs(30);

/// Flags only `check` takes (dropped, with their value, for `estimate`).
const CHECK_ONLY: &[&str] = &["--policy", "--config", "--data"];

fn run_cli(cmd: &str, args: &[String]) -> std::process::Output {
    let mut args = args.to_vec();
    if cmd == "estimate" {
        while let Some(i) = args.iter().position(|a| CHECK_ONLY.contains(&a.as_str())) {
            args.drain(i..i + 2);
        }
    }
    let mut c = assert_cmd::Command::cargo_bin("costgate").unwrap();
    c.env("NO_COLOR", "1")
        .env_remove("COSTGATE_PRICING_DIR")
        .arg(cmd)
        .args(&args)
        .timeout(CLI_HANG);
    if cmd == "check" && !args.iter().any(|a| a == "--config") {
        c.arg("--no-config");
    }
    c.output().unwrap()
}

fn judge(case: &Case, cmd: &str, expected: &Outcome) -> Vec<String> {
    let before: Vec<Option<Vec<u8>>> = case.args.iter().map(|a| std::fs::read(a).ok()).collect();
    let out = run_cli(cmd, &case.args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let what = format!("{} ({cmd})", case.name);
    let mut problems = Vec::new();
    let mut fail = |m: String| problems.push(format!("{what}: {m}\n--- stderr:\n{stderr}"));
    if stderr.contains("panicked") || stderr.contains("overflowed its stack") {
        fail("panicked".into());
    }
    let Some(code) = out.status.code() else {
        fail(format!(
            "killed ({:?}): hang, abort or stack overflow",
            out.status
        ));
        return problems;
    };
    match expected {
        Outcome::Error(mentions) => {
            if code != 2 {
                fail(format!("exit {code}, expected 2"));
            }
            // miette may put the error code (`costgate::io`) on a line of its own first.
            let first = stderr
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && (!l.starts_with("costgate::") || l.contains(' ')))
                .unwrap_or("");
            if !first.starts_with('×') && !first.starts_with("Error") {
                fail(format!("first stderr line is not the cause: {first:?}"));
            }
            for m in mentions {
                if !stderr.contains(m) {
                    fail(format!("stderr does not mention {m:?}"));
                }
            }
        }
        Outcome::Clean(mentions) => {
            if code != 0 && code != 1 {
                fail(format!("exit {code}, expected 0 or 1"));
            }
            for m in mentions {
                if !stdout.contains(m) && !stderr.contains(m) {
                    fail(format!("output does not mention {m:?}:\n{stdout}"));
                }
            }
        }
    }
    for (arg, old) in case.args.iter().zip(before) {
        if old.is_some() && std::fs::read(arg).ok() != old {
            fail(format!("{arg} was modified"));
        }
    }
    problems
}

const B: &str = "testdata/bad";
/// How too-deep nesting is reported.
const DEEP: &str = "nests brackets";
const PLAN: &str = "testdata/plans/aws-ml-extras/plan.json";

/// Error naming the file and what is wrong.
macro_rules! err {
    ($($m:expr),+ $(,)?) => { Outcome::Error(vec![$($m.to_string()),+]) };
}

fn corpus_cases() -> Vec<Case> {
    let f = |n: &str| format!("{B}/{n}");
    let not_a_plan = "is JSON but not a Terraform plan";
    vec![
        both(
            "truncated plan",
            &[&f("truncated-plan.json")],
            err!("truncated-plan.json:1120", "ends early"),
        ),
        both(
            "empty file",
            &[&f("empty.json")],
            err!("empty.json", "ends early"),
        ),
        both(
            "only whitespace",
            &[&f("whitespace.json")],
            err!("whitespace.json:4", "ends early"),
        ),
        both(
            "binary garbage",
            &[&f("garbage.bin")],
            err!("garbage.bin is not a text file", "invalid UTF-8"),
        ),
        both(
            "binary plan file (zip)",
            &[&f("tfplan-zip.json")],
            err!("tfplan-zip.json is not a text file", "binary plan file"),
        ),
        both(
            "JSON array",
            &[&f("array.json")],
            err!("array.json:1", "value of the wrong type"),
        ),
        both(
            "JSON string",
            &[&f("string.json")],
            err!("string.json:1", "value of the wrong type"),
        ),
        both(
            "state file",
            &[&f("state.json")],
            err!("state.json:1", "is a Terraform state, not a plan"),
        ),
        both(
            "resource_changes object",
            &[&f("resource-changes-object.json")],
            err!("resource-changes-object.json:4", "expected a sequence"),
        ),
        both(
            "resource_changes string",
            &[&f("resource-changes-string.json")],
            err!("resource-changes-string.json:4", "expected a sequence"),
        ),
        both(
            "resource change number",
            &[&f("resource-change-number.json")],
            err!(
                "resource-change-number.json:5",
                "expected struct ResourceChange"
            ),
        ),
        both(
            "change string",
            &[&f("change-string.json")],
            err!("change-string.json:11", "expected struct Change"),
        ),
        both(
            "change.after string",
            &[&f("change-after-string.json")],
            err!("change-after-string.json:16", "expected an object or null"),
        ),
        both(
            "change.after array",
            &[&f("change-after-array.json")],
            err!("change-after-array.json:18", "expected an object or null"),
        ),
        both(
            "actions number",
            &[&f("actions-number.json")],
            err!("actions-number.json:12", "expected a sequence"),
        ),
        both(
            "unknown action",
            &[&f("actions-unknown-verb.json")],
            clean(&["unrecognised actions [\"explode\"]; skipped"]),
        ),
        both(
            "after_unknown string",
            &[&f("after-unknown-string.json")],
            err!(
                "after-unknown-string.json",
                "expected an object, a boolean or null"
            ),
        ),
        both(
            "after_sensitive number",
            &[&f("after-sensitive-number.json")],
            err!(
                "after-sensitive-number.json",
                "expected an object, a boolean or null"
            ),
        ),
        both(
            "address number",
            &[&f("address-number.json")],
            err!("address-number.json:6", "expected a string"),
        ),
        both(
            "type null",
            &[&f("type-null.json")],
            err!("type-null.json:8", "expected a string"),
        ),
        both(
            "module_address array",
            &[&f("module-address-array.json")],
            err!("module-address-array.json:21", "expected a string"),
        ),
        both(
            "configuration string",
            &[&f("configuration-string.json")],
            err!("configuration-string.json", "expected an object"),
        ),
        both(
            "provider_config array",
            &[&f("provider-config-array.json")],
            err!(
                "provider-config-array.json:24",
                "configuration.provider_config must be an object"
            ),
        ),
        both(
            "variables array",
            &[&f("variables-array.json")],
            err!("variables-array.json:23", "expected a map"),
        ),
        both(
            "format_version absent",
            &[&f("format-version-absent.json")],
            err!("format-version-absent.json:1", not_a_plan),
        ),
        both(
            "format_version number",
            &[&f("format-version-number.json")],
            err!("format-version-number.json:2", "expected a string"),
        ),
        both(
            "format_version from the future",
            &[&f("format-version-future.json")],
            err!(
                "format-version-future.json:2",
                "format_version 9.0 is not a plan format"
            ),
        ),
        both(
            "format_version garbage",
            &[&f("format-version-garbage.json")],
            err!(
                "format-version-garbage.json:2",
                "format_version latest is not a plan format"
            ),
        ),
        case(
            "unknown resource types",
            &[&f("unknown-resource-types.json")],
            clean(&["acme_quantum_computer.q", "zz9.plural", "not supported"]),
            clean(&["2 unpriced"]),
        ),
        both(
            "missing file",
            &[&f("does-not-exist.json")],
            err!("does-not-exist.json", "does not exist"),
        ),
        both(
            "directory without .tf files",
            &[&f("no-tf")],
            err!("no-tf has no .tf files"),
        ),
        both(
            "broken HCL",
            &[&f("broken-hcl")],
            err!("broken-hcl/main.tf:7", "expected `]`"),
        ),
        case(
            "broken Rego",
            &[PLAN, "--policy", &f("broken-rego")],
            clean(&["aws_efs_file_system.shared"]),
            err!("broken.rego:8", "expecting `)`"),
        ),
        both(
            "usage value of the wrong type",
            &[PLAN, "--usage", &f("usage-wrong-types.toml")],
            err!("usage-wrong-types.toml:4"),
        ),
        both(
            "usage of the wrong shape",
            &[PLAN, "--usage", &f("usage-wrong-shape.toml")],
            err!("usage-wrong-shape.toml:2"),
        ),
        both(
            "usage spot_discount out of range",
            &[PLAN, "--usage", &f("usage-bad-discount.toml")],
            err!("usage-bad-discount.toml", "spot_discount"),
        ),
        case(
            "config budget of the wrong type",
            &[PLAN, "--config", &f("config-wrong-types/costgate.toml")],
            clean(&[]),
            err!("config-wrong-types/costgate.toml:3", "total_monthly"),
        ),
        case(
            "config fail_on number",
            &[PLAN, "--config", &f("config-fail-on-number/costgate.toml")],
            clean(&[]),
            err!("config-fail-on-number/costgate.toml:1", "fail_on"),
        ),
        case(
            "config gpu limits string",
            &[PLAN, "--config", &f("config-limits-string/costgate.toml")],
            clean(&[]),
            err!("config-limits-string/costgate.toml:3", "limits"),
        ),
        case(
            "data file not an object",
            &[PLAN, "--data", &f("data-array.json")],
            clean(&[]),
            err!("data-array.json", "must hold an object"),
        ),
        case(
            "broken YAML data",
            &[PLAN, "--data", &f("data-broken.yaml")],
            clean(&[]),
            err!("data-broken.yaml", "invalid YAML"),
        ),
    ]
}

fn run_cases(cases: &[Case]) {
    let mut problems = Vec::new();
    for c in cases {
        problems.extend(judge(c, "estimate", &c.estimate));
        problems.extend(judge(c, "check", &c.check));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn bad_input_corpus_gives_diagnostics_not_crashes() {
    run_cases(&corpus_cases());
}

/// Inputs too big to commit, written at test time: deep nesting in every parser, long
/// operator chains, huge strings. (Found by this test: 100k `[`, `(` or nested blocks in a
/// .tf file overflowed the stack, and so did 100k-term operator chains; 100k `[` in YAML data
/// or Rego hung the parsers.)
#[test]
fn huge_and_deeply_nested_inputs_give_diagnostics_not_crashes() {
    let tmp = tempfile::tempdir().unwrap();
    let p = |n: &str| tmp.path().join(n).display().to_string();
    let deep = 100_000;
    std::fs::write(p("nested.json"), "[".repeat(deep)).unwrap();
    std::fs::write(
        p("nested-after.json"),
        format!(
            r#"{{"format_version":"1.2","resource_changes":[{{"address":"aws_instance.x","mode":"managed","type":"aws_instance","name":"x","change":{{"actions":["create"],"before":null,"after":{{"tags":{}{}}},"after_unknown":{{}}}}}}]}}"#,
            "[".repeat(deep),
            "]".repeat(deep)
        ),
    )
    .unwrap();
    let big = "x".repeat(20 << 20);
    std::fs::write(
        p("huge-strings.json"),
        format!(
            r#"{{"format_version":"1.2","resource_changes":[{{"address":"aws_instance.{big}","mode":"managed","type":"aws_instance","name":"{big}","change":{{"actions":["create"],"before":null,"after":{{"instance_type":"{big}","tags":{{"team":"{big}"}}}},"after_unknown":{{}}}}}}]}}"#
        ),
    )
    .unwrap();
    for (dir, text) in [
        (
            "nested-hcl",
            format!(
                "locals {{\n  x = {}{}\n}}\n",
                "[".repeat(deep),
                "]".repeat(deep)
            ),
        ),
        (
            "nested-hcl-parens",
            format!(
                "locals {{\n  x = {}1{}\n}}\n",
                "(".repeat(deep),
                ")".repeat(deep)
            ),
        ),
        (
            "chain-not",
            format!("locals {{\n  x = {}true\n}}\n", "!".repeat(deep)),
        ),
        (
            "chain-plus",
            format!("locals {{\n  x = {}1\n}}\n", "1 + ".repeat(deep)),
        ),
        (
            "chain-cond",
            format!("locals {{\n  x = {}1\n}}\n", "true ? 1 : ".repeat(deep)),
        ),
        (
            "nested-hcl-blocks",
            format!("{}{}\n", "a {\n".repeat(deep), "}\n".repeat(deep)),
        ),
        (
            "huge-hcl-string",
            format!(
                "resource \"aws_instance\" \"a\" {{\n  instance_type = \"{}\"\n}}\n",
                "g".repeat(4 << 20)
            ),
        ),
    ] {
        std::fs::create_dir_all(p(dir)).unwrap();
        std::fs::write(tmp.path().join(dir).join("main.tf"), text).unwrap();
    }
    std::fs::write(
        p("nested-usage.toml"),
        format!(
            "version = 1\nx = {}{}\n",
            "[".repeat(deep),
            "]".repeat(deep)
        ),
    )
    .unwrap();
    std::fs::write(
        p("nested-inline-usage.toml"),
        format!(
            "version = 1\nx = {}{}\n",
            "{a=".repeat(deep),
            "}".repeat(deep)
        ),
    )
    .unwrap();
    std::fs::write(
        p("nested-config.toml"),
        format!(
            "[policies.budget]\nx = {}{}\n",
            "[".repeat(deep),
            "]".repeat(deep)
        ),
    )
    .unwrap();
    std::fs::write(
        p("nested-data.json"),
        format!("{{\"a\": {}{}}}", "[".repeat(deep), "]".repeat(deep)),
    )
    .unwrap();
    std::fs::write(
        p("nested-data.yaml"),
        format!("a: {}{}\n", "[".repeat(deep), "]".repeat(deep)),
    )
    .unwrap();
    std::fs::create_dir_all(p("nested-rego")).unwrap();
    std::fs::write(
        tmp.path().join("nested-rego/deep.rego"),
        format!(
            "package costgate.deep\n\nx := {}1{}\n",
            "[".repeat(deep),
            "]".repeat(deep)
        ),
    )
    .unwrap();
    let cases = vec![
        both(
            "100k [",
            &[&p("nested.json")],
            err!("nested.json:1", "value of the wrong type"),
        ),
        both(
            "100k [ in after",
            &[&p("nested-after.json")],
            err!("nested-after.json:1", "recursion limit"),
        ),
        both("20 MB strings", &[&p("huge-strings.json")], clean(&[])),
        both(
            "100k [ in HCL",
            &[&p("nested-hcl")],
            err!(format!("{}:2", p("nested-hcl/main.tf")), DEEP),
        ),
        both(
            "100k ( in HCL",
            &[&p("nested-hcl-parens")],
            err!(format!("{}:2", p("nested-hcl-parens/main.tf")), DEEP),
        ),
        both(
            "100k nested blocks in HCL",
            &[&p("nested-hcl-blocks")],
            err!(format!("{}:257", p("nested-hcl-blocks/main.tf")), DEEP),
        ),
        both(
            "4 MB HCL string",
            &[&p("huge-hcl-string")],
            clean(&["aws_instance.a"]),
        ),
        both("100k ! in HCL", &[&p("chain-not")], clean(&[])),
        both("100k + in HCL", &[&p("chain-plus")], clean(&[])),
        both("100k ?: in HCL", &[&p("chain-cond")], clean(&[])),
        both(
            "100k [ in a usage file",
            &[PLAN, "--usage", &p("nested-usage.toml")],
            err!((p("nested-usage.toml"))),
        ),
        both(
            "100k { in a usage file",
            &[PLAN, "--usage", &p("nested-inline-usage.toml")],
            err!((p("nested-inline-usage.toml"))),
        ),
        case(
            "100k [ in a config",
            &[PLAN, "--config", &p("nested-config.toml")],
            clean(&[]),
            err!((p("nested-config.toml"))),
        ),
        case(
            "100k [ in JSON data",
            &[PLAN, "--data", &p("nested-data.json")],
            clean(&[]),
            err!((p("nested-data.json"))),
        ),
        case(
            "100k [ in YAML data",
            &[PLAN, "--data", &p("nested-data.yaml")],
            clean(&[]),
            err!(format!("{}:1", p("nested-data.yaml")), DEEP),
        ),
        case(
            "100k [ in Rego",
            &[PLAN, "--policy", &p("nested-rego")],
            clean(&[]),
            err!(format!("{}:3", p("nested-rego/deep.rego")), DEEP),
        ),
    ];
    run_cases(&cases);
}

/// An unreadable plan, usage file or config: a diagnostic naming it. Skipped where permissions
/// do not bind (root reads anything).
#[test]
fn unreadable_files_give_diagnostics() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let locked = |name: &str, from: &str| -> String {
        let to = tmp.path().join(name);
        std::fs::copy(from, &to).unwrap();
        std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o000)).unwrap();
        to.display().to_string()
    };
    let plan = locked("plan.json", PLAN);
    if std::fs::read(&plan).is_ok() {
        eprintln!("skipped: running as a user who can read mode-000 files (root)");
        return;
    }
    let usage = locked("usage.toml", "testdata/plans/aws-ml-extras/usage.toml");
    let config = locked(
        "costgate.toml",
        "testdata/examples/multi-cloud/costgate.toml",
    );
    let cases = vec![
        both(
            "unreadable plan",
            &[&plan],
            err!((format!("cannot read {plan}"))),
        ),
        both(
            "unreadable usage",
            &[PLAN, "--usage", &usage],
            err!((format!("cannot read {usage}"))),
        ),
        case(
            "unreadable config",
            &[PLAN, "--config", &config],
            clean(&[]),
            err!((format!("cannot read {config}"))),
        ),
    ];
    run_cases(&cases);
}
