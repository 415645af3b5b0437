//! Savings advice end to end: the `savings-*` built-ins on testdata/plans/aws-savings (a real
//! terraform plan) and testdata/plans/savings-multicloud (synthetic GCP/Azure/AWS, every rule),
//! with hand-checked figures, tuning through the config, exit codes (advice never fails a
//! check) and snapshots of the text and JSON output.

use std::collections::BTreeSet;

use assert_cmd::Command;
use serde_json::Value;

const AWS: &str = "testdata/plans/aws-savings/plan.json";
const MULTI: &str = "testdata/plans/savings-multicloud/plan.json";

fn cg() -> Command {
    let mut c = Command::cargo_bin("costgate").unwrap();
    c.env("COSTGATE_TODAY", "2026-06-01").env("NO_COLOR", "1");
    c
}

fn check(args: &[&str]) -> (i32, String) {
    let out = cg().arg("check").args(args).output().unwrap();
    let code = out.status.code().unwrap();
    assert!(code != 2, "{}", String::from_utf8_lossy(&out.stderr));
    (code, String::from_utf8(out.stdout).unwrap())
}

fn check_json(args: &[&str]) -> (i32, Value) {
    let mut a = vec!["--format", "json"];
    a.extend(args);
    let (code, out) = check(&a);
    (code, serde_json::from_str(&out).unwrap())
}

/// (policy, address, monthly saving) of every advice finding.
fn advice(doc: &Value) -> BTreeSet<(String, String, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "info" && f["policy"] != "coverage")
        .map(|f| {
            let g = |k: &str| f[k].as_str().unwrap().to_string();
            (g("policy"), g("address"), g("monthly_saving"))
        })
        .collect()
}

fn a(policy: &str, address: &str, saving: &str) -> (String, String, String) {
    (policy.into(), address.into(), saving.into())
}

/// A `--data` file in a temp dir.
fn data(json: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("d.json");
    std::fs::write(&f, json).unwrap();
    let p = f.to_str().unwrap().to_string();
    (dir, p)
}

#[test]
fn every_aws_rule_advises_with_hand_checked_figures() {
    let (_, doc) = check_json(&[AWS, "--no-config"]);
    let want: BTreeSet<_> = [
        // g5.12xlarge 2 nodes × 730 h × $5.672 = $8,281.12, spot assumed at 60 % off.
        a("savings-spot", "aws_eks_node_group.train_g5", "4968.67"),
        // g6.2xlarge 2 × 730 × $0.9776 = $1,427.30 × 60 %.
        a("savings-spot", "aws_autoscaling_group.batch", "856.38"),
        // min 1 × $5.672 × 730; min 2 × $0.9776 × 730.
        a("savings-min-zero", "aws_eks_node_group.train_g5", "4140.56"),
        a("savings-min-zero", "aws_autoscaling_group.batch", "1427.30"),
        // 2 × 500 GB: ($0.10 − $0.08) × 1,000 GB-months.
        a("savings-gp3", "aws_eks_node_group.train_g5", "20.00"),
        // 2 × 1,500 GB: gp2 $150 vs gp3 $120 + 1,500 IOPS × $0.005 = $127.50, per volume.
        a("savings-gp3", "aws_autoscaling_group.batch", "45.00"),
        a("savings-gp3", "aws_ebs_volume.features", "16.00"),
        a("savings-gp3", "aws_instance.dev_box", "6.00"),
        // $1.006 × (730 − 173.8) h; $1.408 × (730 − 173.8) h.
        a("savings-schedule", "aws_instance.dev_box", "559.54"),
        a(
            "savings-schedule",
            "aws_sagemaker_notebook_instance.explore",
            "783.13",
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(advice(&doc), want);
}

#[test]
fn every_rule_advises_across_clouds() {
    let (_, doc) = check_json(&[MULTI, "--no-config"]);
    let want: BTreeSet<_> = [
        // 1,460 h × ($0.38 − $0.08 spot n1-standard-8) + 1,460 h × ($2.48 − $0.74 spot V100).
        a(
            "savings-spot",
            "google_container_node_pool.v100_train",
            "2978.40",
        ),
        // 1,460 h × ($3.673 − $0.7345 catalog spot).
        a(
            "savings-spot",
            "azurerm_linux_virtual_machine_scale_set.trainers",
            "4290.21",
        ),
        a(
            "savings-min-zero",
            "google_container_node_pool.v100_train",
            "2087.80",
        ),
        a(
            "savings-min-zero",
            "azurerm_linux_virtual_machine_scale_set.trainers",
            "5362.58",
        ),
        // 2,000 GB gp2 $200 vs gp3 $160 + 3,000 IOPS × $0.005.
        a("savings-gp3", "aws_ebs_volume.dataset_cache", "25.00"),
        // ($554.80 VM + $1,022.00 GPUs) × (730 − 173.8) / 730.
        a(
            "savings-schedule",
            "google_workbench_instance.big_notebook",
            "1201.39",
        ),
        // 4 T4 → 1: $1,022.00 × 3/4.
        a(
            "savings-notebook-size",
            "google_workbench_instance.big_notebook",
            "766.50",
        ),
        // 730 h × ($7.346 − $3.673): NC48ads (2 × A100) → NC24ads (1 × A100).
        a(
            "savings-notebook-size",
            "azurerm_machine_learning_compute_instance.a100_notebook",
            "2681.29",
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(advice(&doc), want);
}

#[test]
fn advice_alone_never_fails_a_check() {
    let (_d, quiet) = data(r#"{"policies": {"idle-autopause": {"enabled": false}}}"#);
    for fail_on in ["deny", "warn"] {
        let (code, doc) = check_json(&[AWS, "--no-config", "--data", &quiet, "--fail-on", fail_on]);
        assert!(!advice(&doc).is_empty());
        assert_eq!(code, 0, "--fail-on {fail_on}");
    }
    // Promoted to warnings, advice fails a check that fails on warnings.
    let (_d2, warn) = data(
        r#"{"policies": {"idle-autopause": {"enabled": false}, "savings-gp3": {"severity": "warn"}}}"#,
    );
    let (code, doc) = check_json(&[AWS, "--no-config", "--data", &warn, "--fail-on", "warn"]);
    assert_eq!(code, 1);
    assert!(doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["policy"] == "savings-gp3" && f["severity"] == "warn"));
}

#[test]
fn advice_is_tuned_in_the_config() {
    let (_d, tuned) = data(
        r#"{"policies": {
            "savings-schedule": {"hours_per_month": 365},
            "savings-gp3": {"min_monthly_saving": 18},
            "savings-spot": {"enabled": false},
            "savings-min-zero": {"pool_types": ["aws_eks_node_group"]}
        }}"#,
    );
    let (_, doc) = check_json(&[AWS, "--no-config", "--data", &tuned]);
    let got = advice(&doc);
    // $1.408 × (730 − 365) h.
    assert!(got.contains(&a(
        "savings-schedule",
        "aws_sagemaker_notebook_instance.explore",
        "513.92"
    )));
    assert!(!got.iter().any(|f| f.0 == "savings-spot"));
    let gp3: BTreeSet<&str> = got
        .iter()
        .filter(|f| f.0 == "savings-gp3")
        .map(|f| f.1.as_str())
        .collect();
    assert_eq!(
        gp3,
        ["aws_autoscaling_group.batch", "aws_eks_node_group.train_g5"]
            .into_iter()
            .collect()
    );
    let min_zero: Vec<&str> = got
        .iter()
        .filter(|f| f.0 == "savings-min-zero")
        .map(|f| f.1.as_str())
        .collect();
    assert_eq!(min_zero, ["aws_eks_node_group.train_g5"]);
}

#[test]
fn input_document_carries_rounded_savings() {
    let out = cg()
        .args(["policy", "input", AWS, "--no-config"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let savings = |address: &str| {
        doc["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["address"] == address)
            .unwrap()["savings"]
            .clone()
    };
    let s = savings("aws_eks_node_group.train_g5");
    assert_eq!(s["spot_monthly"], "4968.67");
    assert_eq!(s["spot_monthly_cents"], 496867);
    assert_eq!(s["spot_basis"], "assumed-discount");
    assert_eq!(s["gp3_monthly_cents"], 2000);
    assert_eq!(s["min_zero_monthly"], "4140.56");
    assert_eq!(s["scheduled_hours"], "173.8");
    assert_eq!(s["smallest_notebook_monthly"], Value::Null);
    assert_eq!(
        savings("aws_eks_cluster.train"),
        Value::Null,
        "nothing to advise"
    );
}

#[test]
fn check_text_snapshot() {
    let (code, out) = check(&[MULTI, "--no-config"]);
    assert_eq!(code, 1, "the fixture also breaks deny policies");
    insta::assert_snapshot!("savings_multicloud_text", out);
    let (_, out) = check(&[AWS, "--no-config"]);
    insta::assert_snapshot!("savings_aws_text", out);
}

#[test]
fn check_json_snapshot() {
    let (_, doc) = check_json(&[MULTI, "--no-config"]);
    insta::assert_json_snapshot!("savings_multicloud_findings", doc["findings"]);
}

#[test]
fn pull_request_formats_show_advice_without_failing_on_it() {
    let (_, md) = check(&[MULTI, "--no-config", "--format", "markdown"]);
    assert!(md.contains("· 💡 8 savings advice"), "{md}");
    assert!(
        md.contains("**💡 Advice · Savings advice — spot capacity"),
        "{md}"
    );
    let (_, sarif) = check(&[MULTI, "--no-config", "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let levels: BTreeSet<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["error", "note", "warning"].into_iter().collect());
}
