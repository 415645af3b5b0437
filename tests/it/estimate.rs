//! `costgate estimate` on the real terraform plan fixtures: hand-checked numbers per AWS family
//! (catalog price × 730 written out), replace/update/delete deltas, bad input.

use assert_cmd::Command;
use serde_json::Value;

fn costgate() -> Command {
    let mut c = Command::cargo_bin("costgate").unwrap();
    // A fixed date keeps the catalog-staleness warning out of these outputs.
    c.env_remove("COSTGATE_PRICING_DIR")
        .env("NO_COLOR", "1")
        .env("COSTGATE_TODAY", "2026-11-26");
    c
}

fn estimate_json(args: &[&str]) -> Value {
    let out = costgate()
        .arg("estimate")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn res<'a>(doc: &'a Value, address: &str) -> &'a Value {
    doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("{address} not in output"))
}

fn cost(doc: &Value, address: &str) -> String {
    res(doc, address)["monthly_cost"]
        .as_str()
        .unwrap_or("null")
        .to_string()
}

#[test]
fn gpu_instances_and_ebs_volumes_are_priced_from_the_catalog() {
    let d = estimate_json(&["testdata/plans/aws-gpu-create/plan.json"]);
    // p4d.24xlarge 21.957642 × 730 = 16,029.07866
    assert_eq!(cost(&d, "aws_instance.p4d"), "16029.08");
    // p5.48xlarge 55.04 × 730 (after the June 2025 cut, not 98.32)
    assert_eq!(cost(&d, "aws_instance.p5"), "40179.20");
    // g6e.12xlarge 10.49264 × 730 = 7,659.6272
    assert_eq!(cost(&d, "aws_instance.g6e"), "7659.63");
    // g5.xlarge 1.006 × 730 = 734.38; root gp3 200 GB × 0.08 = 16;
    // io2 500 GB × 0.125 = 62.50 + 8,000 IOPS × 0.065 = 520 → 1,332.88
    assert_eq!(cost(&d, "aws_instance.g5"), "1332.88");
    assert_eq!(res(&d, "aws_instance.g5")["gpu"]["model"], "A10G");
    assert_eq!(res(&d, "aws_instance.p5")["gpu"]["count"], 8);
    // EBS: gp2 100 × 0.10; gp3 1000 × 0.08 + 3000 extra IOPS × 0.005 + 125 MB/s × 0.04;
    // io1 200 × 0.125 + 4000 × 0.065; io2 300 × 0.125 + 10000 × 0.065; st1 2000 × 0.045; sc1 5000 × 0.015
    for (a, want) in [
        ("aws_ebs_volume.gp2", "10.00"),
        ("aws_ebs_volume.gp3", "100.00"),
        ("aws_ebs_volume.io1", "285.00"),
        ("aws_ebs_volume.io2", "687.50"),
        ("aws_ebs_volume.st1", "90.00"),
        ("aws_ebs_volume.sc1", "75.00"),
    ] {
        assert_eq!(cost(&d, a), want, "{a}");
    }
    // count and for_each instances are separate resources.
    assert_eq!(cost(&d, "aws_instance.workers[1]"), "140.16"); // m5.xlarge 0.192 × 730
    assert_eq!(cost(&d, "aws_instance.dev[\"b\"]"), "7.59"); // t3.micro 0.0104 × 730
    let t = &d["totals"];
    assert_eq!(t["gpu_count_by_model"]["H100"], 8);
    assert_eq!(t["gpu_count_by_model"]["A100-40GB"], 8);
    assert_eq!(t["unpriced_count"], 0);
    // Totals are the sum of the rounded resource costs.
    let sum: rust_decimal::Decimal = d["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["monthly_cost"].as_str())
        .map(|s| s.parse::<rust_decimal::Decimal>().unwrap())
        .sum();
    assert_eq!(format!("{sum:.2}"), t["monthly_after"].as_str().unwrap());
}

#[test]
fn ml_platform_families_are_priced() {
    let d = estimate_json(&["testdata/plans/aws-ml-platform-create/plan.json"]);
    // ASG: desired 2 × g5.2xlarge 1.212 × 730 = 1,769.52; LT gp3 100 GB × 2 × 0.08 = 16
    assert_eq!(cost(&d, "aws_autoscaling_group.gpu"), "1785.52");
    let asg = res(&d, "aws_autoscaling_group.gpu");
    assert_eq!(asg["gpu"]["count"], 2);
    assert_eq!(asg["gpu"]["max_count"], 4);
    // EKS spot: 3 × g6.xlarge 0.8048 × (1 − 0.6) × 730 = 705.0048; disks 3 × 100 GB gp2 × 0.10 = 30
    assert_eq!(cost(&d, "aws_eks_node_group.gpu_spot"), "735.00");
    assert_eq!(res(&d, "aws_eks_node_group.gpu_spot")["gpu"]["spot"], true);
    // EKS on-demand: 1 × p4d.24xlarge 16,029.08 + 20 GB gp2 default disk 2.00
    assert_eq!(cost(&d, "aws_eks_node_group.a100"), "16031.08");
    // SageMaker notebook ml.g5.xlarge 1.408 × 730
    assert_eq!(
        cost(&d, "aws_sagemaker_notebook_instance.research"),
        "1027.84"
    );
    // NAT: 0.045 × 730 = 32.85 (+ GB processed, usage-based)
    assert_eq!(cost(&d, "aws_nat_gateway.main"), "32.85");
    // Module instances from for_each.
    assert_eq!(
        cost(&d, "module.gpu_pool[\"b\"].aws_instance.node"),
        "1358.53"
    ); // g6e.xlarge 1.861 × 730
       // A type without a price is unpriced with a reason, never $0.
    let nb = res(&d, "aws_sagemaker_notebook_instance.scratch");
    assert!(nb["monthly_cost"].is_null());
    assert!(nb["unpriced_reason"]
        .as_str()
        .unwrap()
        .contains("ml.g4dn.xlarge"));
}

#[test]
fn usage_file_prices_s3_and_nat_traffic() {
    let dir = tempfile::tempdir().unwrap();
    let usage = dir.path().join("usage.toml");
    std::fs::write(
        &usage,
        "version = 1\n[resources.\"aws_s3_bucket.training_data\"]\nstorage_gb = 60000\n[defaults.aws_nat_gateway]\ndata_processed_gb = 1000\n",
    )
    .unwrap();
    let d = estimate_json(&[
        "testdata/plans/aws-ml-platform-create/plan.json",
        "--usage",
        usage.to_str().unwrap(),
    ]);
    // S3 Standard tiers: 51,200 GB × 0.023 + 8,800 GB × 0.022 = 1,177.60 + 193.60
    assert_eq!(cost(&d, "aws_s3_bucket.training_data"), "1371.20");
    // NAT: 32.85 + 1,000 GB × 0.045
    assert_eq!(cost(&d, "aws_nat_gateway.main"), "77.85");
}

#[test]
fn replace_from_g5_to_p5_shows_before_after_and_delta() {
    let d = estimate_json(&["testdata/plans/aws-replace/plan.json"]);
    let r = res(&d, "aws_instance.trainer");
    assert_eq!(r["action"], "replace");
    // before: g5.12xlarge 5.672 × 730 = 4,140.56 + root gp3 100 GB 8.00
    assert_eq!(r["monthly_cost_before"], "4148.56");
    // after: p5.48xlarge 40,179.20 + the same root volume
    assert_eq!(r["monthly_cost"], "40187.20");
    assert_eq!(r["monthly_delta"], "36038.64");
    assert_eq!(r["gpu"]["model"], "H100");
    assert_eq!(r["gpu_before"]["model"], "A10G");
    // Volume update gp2 100 GB → gp3 500 GB: 10.00 → 40.00.
    let v = res(&d, "aws_ebs_volume.data");
    assert_eq!(
        (
            v["monthly_cost_before"].as_str(),
            v["monthly_cost"].as_str()
        ),
        (Some("10.00"), Some("40.00"))
    );
}

#[test]
fn update_and_delete_plans() {
    let d = estimate_json(&["testdata/plans/aws-update/plan.json"]);
    let r = res(&d, "aws_instance.dev");
    assert_eq!(r["action"], "update");
    // p3.2xlarge 3.06 × 730 = 2,233.80 → p4d.24xlarge 16,029.08 (+ unchanged root volume)
    let before: rust_decimal::Decimal = r["monthly_cost_before"].as_str().unwrap().parse().unwrap();
    let after: rust_decimal::Decimal = r["monthly_cost"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        after - before,
        "16029.08".parse::<rust_decimal::Decimal>().unwrap()
            - "2233.80".parse::<rust_decimal::Decimal>().unwrap()
    );

    let d = estimate_json(&["testdata/plans/aws-delete/plan.json"]);
    for r in d["resources"].as_array().unwrap() {
        match r["action"].as_str().unwrap() {
            "delete" => assert_eq!(r["monthly_cost"], "0.00", "{}", r["address"]),
            // Forgotten objects keep running: no saving.
            "forget" => assert_eq!(r["monthly_delta"], "0.00"),
            _ => {}
        }
    }
    assert!(d["totals"]["monthly_delta"]
        .as_str()
        .unwrap()
        .starts_with('-'));
}

#[test]
fn secrets_never_reach_the_output() {
    for fmt in ["json", "table"] {
        let out = costgate()
            .args([
                "estimate",
                "testdata/plans/aws-gpu-create/plan.json",
                "--format",
                fmt,
            ])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains("hf_FAKE_TOKEN"), "secret leaked in {fmt}");
    }
}

fn assert_error(args: &[&str], needle: &str) {
    let out = costgate().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(needle), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::read_to_string("testdata/plans/aws-gpu-create/plan.json").unwrap();
    let truncated = dir.path().join("truncated.json");
    std::fs::write(&truncated, &full[..full.len() / 2]).unwrap();
    assert_error(&["estimate", truncated.to_str().unwrap()], "truncated");

    let other = dir.path().join("other.json");
    std::fs::write(&other, "{\"name\": \"not a plan\"}").unwrap();
    assert_error(
        &["estimate", other.to_str().unwrap()],
        "not a Terraform plan",
    );

    let wrong = dir.path().join("wrong.json");
    std::fs::write(
        &wrong,
        "{\"format_version\": \"1.2\", \"resource_changes\": {\"a\": 1}}",
    )
    .unwrap();
    assert_error(&["estimate", wrong.to_str().unwrap()], "wrong type");

    assert_error(
        &["estimate", "testdata/does-not-exist.json"],
        "does not exist",
    );
}

#[test]
fn unknown_instance_type_is_unpriced_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    std::fs::write(
        &plan,
        r#"{"format_version":"1.2","resource_changes":[
          {"address":"aws_instance.x","mode":"managed","type":"aws_instance","name":"x",
           "provider_name":"registry.terraform.io/hashicorp/aws",
           "change":{"actions":["create"],"before":null,"after":{"instance_type":"p9.mega"},
                     "after_unknown":{"id":true},"before_sensitive":false,"after_sensitive":{}}},
          {"address":"aws_instance.y","mode":"managed","type":"aws_instance","name":"y",
           "provider_name":"registry.terraform.io/hashicorp/aws",
           "change":{"actions":["create"],"before":null,"after":{},
                     "after_unknown":{"instance_type":true},"before_sensitive":false,"after_sensitive":{}}},
          {"address":"aws_sagemaker_endpoint_configuration.e","mode":"managed","type":"aws_sagemaker_endpoint_configuration","name":"e",
           "provider_name":"registry.terraform.io/hashicorp/aws",
           "change":{"actions":["create"],"before":null,"after":{"production_variants":[{"instance_type":"ml.g5.xlarge","initial_instance_count":2}]},
                     "after_unknown":{},"before_sensitive":false,"after_sensitive":{}}},
          {"address":"aws_rds_cluster.db","mode":"managed","type":"aws_rds_cluster","name":"db",
           "provider_name":"registry.terraform.io/hashicorp/aws",
           "change":{"actions":["create"],"before":null,"after":{},"after_unknown":{},"before_sensitive":false,"after_sensitive":{}}}
        ]}"#,
    )
    .unwrap();
    let d = estimate_json(&[plan.to_str().unwrap()]);
    assert!(res(&d, "aws_instance.x")["unpriced_reason"]
        .as_str()
        .unwrap()
        .contains("unknown EC2 instance type `p9.mega`"));
    assert!(res(&d, "aws_instance.y")["unpriced_reason"]
        .as_str()
        .unwrap()
        .contains("unknown until apply"));
    assert!(res(&d, "aws_rds_cluster.db")["unpriced_reason"]
        .as_str()
        .unwrap()
        .contains("not supported"));
    // Endpoint configuration: 2 × ml.g5.xlarge hosting 1.408 × 730 = 2,055.68
    assert_eq!(
        cost(&d, "aws_sagemaker_endpoint_configuration.e"),
        "2055.68"
    );
    assert_eq!(d["totals"]["unpriced_count"], 3);
}

#[test]
fn output_formats_snapshot() {
    for (case, fmt) in [
        ("aws-replace", "table"),
        ("aws-replace", "json"),
        ("aws-ml-platform-create", "table"),
    ] {
        let out = costgate()
            .args([
                "estimate",
                &format!("testdata/plans/{case}/plan.json"),
                "--format",
                fmt,
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        insta::assert_snapshot!(
            format!("estimate_{case}_{fmt}"),
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
