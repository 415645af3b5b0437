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
    // EKS spot: 3 × g6.xlarge spot 0.410448 (0.8048 less the Spot Advisor's 49 %) × 730 =
    // 898.88; disks 3 × 100 GB gp2 × 0.10 = 30
    assert_eq!(cost(&d, "aws_eks_node_group.gpu_spot"), "928.88");
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
       // ml.g4dn.xlarge notebook: the hosting rate of the same size (0.736 × 730), derived.
    let nb = res(&d, "aws_sagemaker_notebook_instance.scratch");
    assert_eq!(nb["unpriced_reason"], serde_json::Value::Null);
    assert_eq!(
        cost(&d, "aws_sagemaker_notebook_instance.scratch"),
        "537.28"
    );
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
          {"address":"aws_appsync_graphql_api.db","mode":"managed","type":"aws_appsync_graphql_api","name":"db",
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
    assert!(res(&d, "aws_appsync_graphql_api.db")["unpriced_reason"]
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

/// Issue 15 acceptance: the embedded catalogs price every region of this fixture (none of
/// which the old three-region catalogs had), with confidence and source per component.
#[test]
fn complete_catalogs_price_every_region_with_provenance() {
    let d = estimate_json(&["testdata/hcl/catalog-regions"]);
    let comp = |addr: &str, key: &str| -> Value {
        res(&d, addr)["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["price_key"] == key)
            .unwrap_or_else(|| panic!("{addr}: no {key}"))
            .clone()
    };
    let cases = [
        ("aws_instance.frankfurt", "ec2/m5.large", "0.115", true),
        ("aws_instance.tokyo_gpu", "ec2/g5.xlarge", "1.459", true),
        ("aws_instance.p5", "ec2/p5.48xlarge", "55.04", false),
        (
            "azurerm_linux_virtual_machine.sweden",
            "vm/standard_d2s_v5",
            "0.102",
            false,
        ),
        (
            "azurerm_linux_virtual_machine.a100",
            "vm/standard_nc24ads_a100_v4",
            "4.775",
            false,
        ),
        (
            "google_compute_instance.t4",
            "gce/n1-standard-4",
            "0.209168",
            false,
        ),
        (
            "google_compute_instance.t4",
            "gpu/nvidia-tesla-t4",
            "0.3675",
            false,
        ),
        (
            "google_compute_instance.a3",
            "gce/a3-highgpu-8g",
            "88.5557561512",
            false,
        ),
    ];
    for (addr, key, price, derived) in cases {
        let c = comp(addr, key);
        assert_eq!(c["unit_price"], price, "{addr} {key}");
        assert!(c["price_source"].as_str().is_some_and(|s| !s.is_empty()));
        assert_eq!(
            c["price_confidence"] == "derived",
            derived,
            "{addr} {key}: {c}"
        );
        if derived {
            // How: the 2024 regional price, checked against the current us-east-1 price.
            let how = c["price_derivation"].as_str().unwrap();
            assert!(how.contains("us-east-1"), "{how}");
        }
    }
    // The a3 bundle carries its 8 H100s (machine facts for every priced type).
    assert_eq!(res(&d, "google_compute_instance.a3")["gpu"]["count"], 8);
}

// --- Comparing without a plan: --compare-to BASE and --base-ref REF ---

const BASE: &str = "testdata/compare/base";
const HEAD: &str = "testdata/compare/head";

/// `(address, action, before, after, delta)` of every resource.
fn changes(doc: &Value) -> Vec<(String, String, String, String, String)> {
    let s = |v: &Value| v.as_str().unwrap_or("null").to_string();
    doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                s(&r["address"]),
                s(&r["action"]),
                s(&r["monthly_cost_before"]),
                s(&r["monthly_cost"]),
                s(&r["monthly_delta"]),
            )
        })
        .collect()
}

fn expected_changes() -> Vec<(String, String, String, String, String)> {
    // g5.12xlarge $5.672/h and p5.48xlarge $55.04/h, g5.xlarge $1.006/h, gp3 $0.08/GB-month.
    [
        (
            "aws_instance.trainer",
            "update",
            "4140.56",
            "40179.20",
            "36038.64",
        ),
        ("aws_instance.web", "no-op", "70.08", "70.08", "0.00"),
        (
            "aws_instance.inference",
            "create",
            "0.00",
            "734.38",
            "734.38",
        ),
        (
            "aws_ebs_volume.scratch",
            "delete",
            "40.00",
            "0.00",
            "-40.00",
        ),
    ]
    .iter()
    .map(|(a, b, c, d, e)| {
        (
            a.to_string(),
            b.to_string(),
            c.to_string(),
            d.to_string(),
            e.to_string(),
        )
    })
    .collect()
}

#[test]
fn compare_to_a_directory_gives_exactly_the_three_changes() {
    let doc = estimate_json(&[HEAD, "--compare-to", BASE]);
    assert_eq!(changes(&doc), expected_changes());
    let sum: rust_decimal::Decimal = doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["monthly_delta"]
                .as_str()
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap()
        })
        .sum();
    assert_eq!(sum.to_string(), "36733.02");
    assert_eq!(doc["totals"]["monthly_delta"], "36733.02");
    assert_eq!(doc["totals"]["monthly_before"], "4250.64");
    assert_eq!(doc["totals"]["monthly_after"], "40983.66");
    assert_eq!(doc["totals"]["gpu_count_by_model_before"]["A10G"], 4);
    assert_eq!(doc["totals"]["gpu_count_by_model"]["H100"], 8);
    // The deleted volume is shown with its components, and no file:line of the base.
    let gone = res(&doc, "aws_ebs_volume.scratch");
    assert_eq!(gone["components"][0]["monthly_cost"], "40.00");
    assert!(gone["source"].is_null());
    // The head's own file:line for the others.
    assert_eq!(res(&doc, "aws_instance.trainer")["source"]["line"], 9);
}

#[test]
fn a_saved_json_report_as_base_gives_the_same_as_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("base.json");
    let out = costgate()
        .args(["estimate", BASE, "--format", "json"])
        .output()
        .unwrap();
    std::fs::write(&saved, &out.stdout).unwrap();
    let from_dir = estimate_json(&[HEAD, "--compare-to", BASE]);
    let from_json = estimate_json(&[HEAD, "--compare-to", saved.to_str().unwrap()]);
    assert_eq!(from_json, from_dir);
    // A check report works as well (it has findings and policies besides).
    let out = costgate()
        .args([
            "check",
            BASE,
            "--format",
            "json",
            "--no-config",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    std::fs::write(&saved, &out.stdout).unwrap();
    let from_check = estimate_json(&[HEAD, "--compare-to", saved.to_str().unwrap()]);
    assert_eq!(changes(&from_check), expected_changes());
    // The text table says the same.
    let out = costgate()
        .args(["estimate", HEAD, "--compare-to", BASE, "-q"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("$4,250.64 → $40,983.66 (+36,733.02)"),
        "{text}"
    );
}

#[test]
fn a_plan_compared_with_itself_changes_nothing() {
    let plan = "testdata/plans/aws-update/plan.json";
    let doc = estimate_json(&[plan, "--compare-to", plan]);
    assert_eq!(doc["totals"]["monthly_delta"], "0.00");
    let rs = doc["resources"].as_array().unwrap();
    assert!(!rs.is_empty());
    assert!(rs.iter().all(|r| r["action"] == "no-op"), "{doc:#}");
}

/// A copy of the fixture with `edit` applied to the head's main.tf.
fn head_variant(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(format!("{HEAD}/main.tf")).unwrap();
    std::fs::write(dir.path().join("main.tf"), edit(text)).unwrap();
    dir
}

#[test]
fn moved_blocks_and_force_new_attributes() {
    let dir = head_variant(|t| {
        t.replace("\"trainer\"", "\"train\"").replace(
            "\"web\" {\n  ami           = \"ami-0123456789abcdef0\"",
            "\"web\" {\n  ami           = \"ami-0fedcba9876543210\"",
        ) + "\nmoved {\n  from = aws_instance.trainer\n  to   = aws_instance.train\n}\n"
    });
    let doc = estimate_json(&[dir.path().to_str().unwrap(), "--compare-to", BASE]);
    let action = |a: &str| res(&doc, a)["action"].as_str().unwrap().to_string();
    // Renamed with a moved block: the same instance, updated in place.
    assert_eq!(action("aws_instance.train"), "update");
    assert_eq!(
        res(&doc, "aws_instance.train")["monthly_cost_before"],
        "4140.56"
    );
    // A new AMI replaces the instance.
    assert_eq!(action("aws_instance.web"), "replace");
    assert_eq!(doc["totals"]["monthly_delta"], "36733.02");
    // Without the moved block: one delete and one create, the same totals.
    let dir = head_variant(|t| t.replace("\"trainer\"", "\"train\""));
    let doc = estimate_json(&[dir.path().to_str().unwrap(), "--compare-to", BASE]);
    assert_eq!(res(&doc, "aws_instance.train")["action"], "create");
    assert_eq!(res(&doc, "aws_instance.trainer")["action"], "delete");
}

#[test]
fn check_budget_increase_limits_judge_the_delta() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("costgate.toml");
    std::fs::write(
        &cfg,
        "[policies.budget]\ndeny = { increase_monthly = 40000 }\nwarn = { increase_monthly = 30000 }\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        costgate()
            .args([
                "check",
                HEAD,
                "--format",
                "json",
                "--config",
                cfg.to_str().unwrap(),
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    // Whole head as new: $40,983.66 > $40,000 → deny.
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1));
    // The change from the base: +$36,733.02, between the warn and the deny limits.
    let out = run(&["--compare-to", BASE]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let budget: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["policy"] == "budget")
        .collect();
    assert_eq!(budget.len(), 1, "{budget:?}");
    assert_eq!(budget[0]["severity"], "warn");
    let msg = budget[0]["message"].as_str().unwrap();
    assert!(msg.contains("$36,733.02 ($4,250.64 → $40,983.66)"), "{msg}");
}

#[test]
fn compare_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\"version\": 1,\n \"resources\": [\n  {\"address\": 3}\n ]}",
    )
    .unwrap();
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, "{\"version\": 1,\n \"resources\": [ ,").unwrap();
    for (args, needle) in [
        (
            vec!["--compare-to", "testdata/compare/nope"],
            "does not exist",
        ),
        (
            vec!["--compare-to", bad.to_str().unwrap()],
            "has no `address` string",
        ),
        (
            vec!["--compare-to", junk.to_str().unwrap()],
            "not valid JSON",
        ),
        (
            vec!["--compare-to", BASE, "--base-ref", "HEAD"],
            "cannot be used with",
        ),
        (vec!["--base-ref=-x"], "is not a git ref"),
    ] {
        let out = costgate()
            .arg("estimate")
            .arg(HEAD)
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

/// A repository whose commit holds the base fixture (and a strict config) in `infra/`, with
/// the head fixture (and a loosened config) written over it, uncommitted.
fn base_ref_repo() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    let r = repo.path();
    git(r, &["init", "-q", "-b", "main"]);
    let infra = r.join("infra");
    std::fs::create_dir(&infra).unwrap();
    std::fs::copy(format!("{BASE}/main.tf"), infra.join("main.tf")).unwrap();
    std::fs::write(
        r.join("costgate.toml"),
        "[policies.budget]\ndeny = { increase_monthly = 30000 }\n",
    )
    .unwrap();
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "base"]);
    std::fs::copy(format!("{HEAD}/main.tf"), infra.join("main.tf")).unwrap();
    std::fs::write(r.join("costgate.toml"), "[policies.budget]\ndeny = {}\n").unwrap();
    repo
}

#[test]
fn base_ref_gives_the_same_as_compare_to_and_judges_with_the_base_rules() {
    let repo = base_ref_repo();
    let infra = repo.path().join("infra");
    let doc = estimate_json(&[infra.to_str().unwrap(), "--base-ref", "HEAD"]);
    assert_eq!(changes(&doc), expected_changes());
    assert_eq!(doc["totals"]["monthly_delta"], "36733.02");
    // The same from inside the repository, with a relative path.
    let out = costgate()
        .current_dir(repo.path())
        .args([
            "estimate",
            "infra",
            "--base-ref",
            "HEAD",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rel: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(changes(&rel), expected_changes());
    // The config is the committed one (deny above +$30,000), not the loosened working copy.
    let out = costgate()
        .current_dir(repo.path())
        .args(["check", "infra", "--base-ref", "HEAD", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["policy"] == "budget" && f["severity"] == "deny"));
    // Without --base-ref the working copy's (loosened) config applies: no budget denial.
    let out = costgate()
        .current_dir(repo.path())
        .args(["check", "infra", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The temporary worktree is gone afterwards.
    let list = std::process::Command::new("git")
        .arg("-C")
        .arg(repo.path())
        .args(["worktree", "list", "--porcelain"])
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&list.stdout);
    assert_eq!(list.matches("worktree ").count(), 1, "{list}");
}

/// A fake bare repository written by the change (HEAD, config, objects/, refs/) whose config
/// runs a program through `core.fsmonitor` when git touches it: never run, and refused when it
/// sits between PATH and the repository's root.
#[cfg(unix)]
#[test]
fn base_ref_never_uses_a_repository_the_change_commits() {
    use std::os::unix::fs::PermissionsExt;
    let repo = base_ref_repo();
    let r = repo.path();
    let marker = r.join("MARKER");
    let script = r.join("monitor.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\ntouch '{}'\n", marker.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let fake = |d: &std::path::Path| {
        std::fs::create_dir_all(d.join("objects/info")).unwrap();
        std::fs::create_dir_all(d.join("refs/heads")).unwrap();
        std::fs::write(d.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(
            d.join("config"),
            format!(
                "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = ..\n\tfsmonitor = {}\n\thooksPath = {}\n[diff]\n\texternal = {}\n",
                script.display(),
                r.display(),
                script.display()
            ),
        )
        .unwrap();
    };
    // Plain git, left to discover, does run it (so the fixture is a real attack).
    fake(&r.join("infra"));
    let _ = std::process::Command::new("git")
        .arg("-C")
        .arg(r.join("infra"))
        .args(["status", "--short"])
        .env_remove("GIT_DIR")
        .output();
    assert!(marker.exists(), "the fixture does not trigger git");
    std::fs::remove_file(&marker).unwrap();
    for args in [
        vec!["estimate", "infra", "--base-ref", "HEAD"],
        vec![
            "estimate",
            "infra",
            "--base-ref",
            "HEAD",
            "--repo-root",
            ".",
        ],
        vec!["check", "infra/", "--base-ref", "HEAD"],
    ] {
        let out = costgate().current_dir(r).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("holds a git repository of its own"), "{err}");
        assert!(!marker.exists(), "{args:?}: git ran the change's program");
    }
    // Elsewhere in the tree (not between PATH and the root) it is inert: git never looks there,
    // nor at a GIT_DIR of the environment.
    std::fs::remove_dir_all(r.join("infra/objects")).unwrap();
    std::fs::remove_dir_all(r.join("infra/refs")).unwrap();
    std::fs::remove_file(r.join("infra/HEAD")).unwrap();
    std::fs::remove_file(r.join("infra/config")).unwrap();
    fake(&r.join("infra/modules/evil"));
    fake(&r.join("elsewhere"));
    let out = costgate()
        .current_dir(r)
        .env("GIT_DIR", r.join("elsewhere"))
        .env("GIT_CONFIG_PARAMETERS", "'core.fsmonitor'='/bin/false'")
        .args([
            "estimate",
            "infra",
            "--base-ref",
            "HEAD",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["totals"]["monthly_delta"], "36733.02");
    assert!(!marker.exists(), "git ran the change's program");
    // A root that is not a checkout's root, and a PATH outside it, are errors.
    for (args, needle) in [
        (
            vec!["--repo-root", "infra"],
            "is not the root of a git checkout",
        ),
        (
            vec!["--repo-root", "/"],
            "is not the root of a git checkout",
        ),
    ] {
        let out = costgate()
            .current_dir(r)
            .args(["estimate", "infra", "--base-ref", "HEAD"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

/// Rules files are the base's own: a symlink the change puts in place of one is not followed,
/// and one that is a symlink in the base is refused.
#[cfg(unix)]
#[test]
fn base_ref_rules_are_never_read_through_a_symlink() {
    let repo = base_ref_repo();
    let r = repo.path();
    std::fs::remove_file(r.join("costgate.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/null", r.join("costgate.toml")).unwrap();
    let out = costgate()
        .current_dir(r)
        .args([
            "check",
            "infra",
            "--base-ref",
            "HEAD",
            "--config",
            "costgate.toml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["policy"] == "budget" && f["severity"] == "deny"));
    // Committed as a symlink in the base: refused (found upward, or named).
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "link"]);
    for extra in [vec![], vec!["--config", "costgate.toml"]] {
        let out = costgate()
            .current_dir(r)
            .args(["check", "infra", "--base-ref", "HEAD"])
            .args(&extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("is a symlink in HEAD"), "{extra:?}: {err}");
    }
}

#[test]
fn base_ref_of_a_directory_the_change_adds_prices_everything_as_new() {
    let repo = base_ref_repo();
    let new = repo.path().join("new");
    std::fs::create_dir(&new).unwrap();
    std::fs::copy(format!("{HEAD}/main.tf"), new.join("main.tf")).unwrap();
    let doc = estimate_json(&[new.to_str().unwrap(), "--base-ref", "HEAD"]);
    assert_eq!(doc["totals"]["monthly_before"], "0.00");
    assert_eq!(doc["totals"]["monthly_delta"], "40983.66");
    let out = costgate()
        .args(["estimate", "infra", "--base-ref", "no-such-ref"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`no-such-ref` is not a commit of this repository"),
        "{err}"
    );
    assert!(err.contains("fetch-depth: 0"), "{err}");
}

// --- Monorepos: root modules below PATH are projects ---

const MONOREPO: &str = "testdata/monorepo";

#[test]
fn a_monorepo_gives_one_project_per_root_module_and_their_sum() {
    let doc = estimate_json(&[MONOREPO]);
    let projects = doc["projects"].as_array().unwrap();
    let names: Vec<&str> = projects
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    // modules/gpu is called by both environments: not a project.
    assert_eq!(names, ["envs/dev", "envs/prod"]);
    // dev: 1 × g5.xlarge (730 × $1.006); prod: 2 × g5.12xlarge (730 × $5.672).
    assert_eq!(projects[0]["totals"]["monthly_after"], "734.38");
    assert_eq!(projects[1]["totals"]["monthly_after"], "8281.12");
    assert_eq!(doc["totals"]["monthly_after"], "9015.50");
    for r in doc["resources"].as_array().unwrap() {
        let a = r["address"].as_str().unwrap();
        assert!(
            a.starts_with(&format!("{}:", r["project"].as_str().unwrap())),
            "{a}"
        );
    }
    assert_eq!(
        res(&doc, "envs/prod:module.gpu.aws_instance.node[1]")["monthly_cost"],
        "4140.56"
    );
    // The table and the Markdown show the per-project summary before the details.
    let out = costgate()
        .args(["estimate", MONOREPO, "-q"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let summary = text.find("PROJECT").unwrap();
    assert!(summary < text.find("RESOURCE").unwrap(), "{text}");
    assert!(
        text.contains("envs/prod           0.00      8,281.12     +8,281.12"),
        "{text}"
    );
    let out = costgate()
        .args(["estimate", MONOREPO, "--format", "markdown"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("| `envs/dev` | $0.00 | $734.38 | +$734.38 |"),
        "{md}"
    );
}

#[test]
fn budget_and_gpu_quota_scope_per_project() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("costgate.toml");
    std::fs::write(
        &cfg,
        "[policies.budget]\nscope = \"project\"\ndeny = { total_monthly = 5000 }\n\
         [policies.gpu-quota]\nscope = \"project\"\nlimits = [{ gpu = \"A10G\", max = 4 }]\n",
    )
    .unwrap();
    let out = costgate()
        .args([
            "check",
            MONOREPO,
            "--format",
            "json",
            "--config",
            cfg.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let msgs: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "deny")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    // Only prod is over: $8,281.12 > $5,000 and 8 A10G > 4 (the run's total, $9,015.50, and
    // dev's 1 GPU are not judged).
    assert!(
        msgs.contains(
            &"project envs/prod monthly cost would be $8,281.12, over the budget of $5,000.00"
                .to_string()
        ),
        "{msgs:?}"
    );
    assert_eq!(
        msgs.iter()
            .filter(|m| m.contains("A10G GPUs in project envs/prod would be 8"))
            .count(),
        2,
        "{msgs:?}"
    );
    assert_eq!(msgs.len(), 3, "{msgs:?}");
}

#[test]
fn projects_from_the_config_with_var_files_and_usage() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let copy = |from: &str, to: &str| {
        let to = root.join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(format!("{MONOREPO}/{from}"), to).unwrap();
    };
    copy("modules/gpu/main.tf", "modules/gpu/main.tf");
    copy("envs/dev/main.tf", "envs/dev/main.tf");
    std::fs::write(
        root.join("envs/dev/vars.tf"),
        "variable \"extra\" {\n  type    = number\n  default = 0\n}\n\
         resource \"aws_ebs_volume\" \"data\" {\n  count             = var.extra\n  availability_zone = \"us-east-1a\"\n  size              = 100\n  type              = \"gp3\"\n}\n\
         resource \"aws_ebs_volume\" \"ws\" {\n  count             = terraform.workspace == \"staging\" ? 1 : 0\n  availability_zone = \"us-east-1a\"\n  size              = 50\n  type              = \"gp3\"\n}\n",
    )
    .unwrap();
    std::fs::write(root.join("envs/dev/two.tfvars"), "extra = 2\n").unwrap();
    std::fs::write(
        root.join("envs/dev/usage.toml"),
        "[resources.\"module.gpu.aws_instance.node[0]\"]\nmonthly_hours = 100\n",
    )
    .unwrap();
    std::fs::write(
        root.join("costgate.toml"),
        "[[projects]]\nname = \"dev\"\npath = \"envs/dev\"\nvar_files = [\"two.tfvars\"]\nusage = \"usage.toml\"\nworkspace = \"staging\"\n",
    )
    .unwrap();
    let doc = estimate_json(&[root.to_str().unwrap()]);
    assert_eq!(doc["projects"][0]["name"], "dev");
    // 2 × 100 GB gp3 ($8.00 each), the g5.xlarge for 100 hours (100 × $1.006).
    assert_eq!(
        res(&doc, "dev:aws_ebs_volume.data[1]")["monthly_cost"],
        "8.00"
    );
    assert_eq!(
        res(&doc, "dev:module.gpu.aws_instance.node[0]")["monthly_cost"],
        "100.60"
    );
    // terraform.workspace is the project's workspace: 50 GB gp3 only in "staging".
    assert_eq!(
        res(&doc, "dev:aws_ebs_volume.ws[0]")["monthly_cost"],
        "4.00"
    );
    assert_eq!(doc["projects"][0]["totals"]["monthly_after"], "120.60");
    // A project path outside the directory is refused.
    std::fs::write(
        root.join("costgate.toml"),
        "[[projects]]\npath = \"../elsewhere\"\n",
    )
    .unwrap();
    let out = costgate()
        .args(["estimate", root.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("leaves"));
}

/// A git repository holding the monorepo fixture, committed once as `base`.
fn monorepo_repo() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    let r = repo.path();
    git(r, &["init", "-q", "-b", "main"]);
    for f in [
        "modules/gpu/main.tf",
        "envs/dev/main.tf",
        "envs/prod/main.tf",
    ] {
        let to = r.join(f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(format!("{MONOREPO}/{f}"), to).unwrap();
    }
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "base"]);
    repo
}

#[test]
fn base_ref_on_a_monorepo_diffs_each_project() {
    let repo = monorepo_repo();
    let r = repo.path();
    // The change: prod gets a third node.
    let prod = r.join("envs/prod/main.tf");
    let text = std::fs::read_to_string(&prod)
        .unwrap()
        .replace("nodes         = 2", "nodes         = 3");
    std::fs::write(&prod, text).unwrap();
    let doc = estimate_json(&[r.to_str().unwrap(), "--base-ref", "HEAD"]);
    assert_eq!(doc["totals"]["monthly_delta"], "4140.56");
    let p = doc["projects"].as_array().unwrap();
    assert_eq!(p[0]["totals"]["monthly_delta"], "0.00");
    assert_eq!(p[1]["totals"]["monthly_delta"], "4140.56");
    assert_eq!(
        res(&doc, "envs/prod:module.gpu.aws_instance.node[2]")["action"],
        "create"
    );
    assert_eq!(
        res(&doc, "envs/dev:module.gpu.aws_instance.node[0]")["action"],
        "no-op"
    );
}

/// The project list is a rule: a change that drops `envs/prod` from `[[projects]]` while
/// growing it is still priced for prod (from the base's list); a project only the change
/// configures is priced too, and said.
#[test]
fn base_ref_takes_the_project_list_from_the_base() {
    let repo = monorepo_repo();
    let r = repo.path();
    std::fs::write(
        r.join("costgate.toml"),
        "[[projects]]\npath = \"envs/dev\"\n\n[[projects]]\npath = \"envs/prod\"\n",
    )
    .unwrap();
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "projects"]);
    let prod = r.join("envs/prod/main.tf");
    let text = std::fs::read_to_string(&prod)
        .unwrap()
        .replace("nodes         = 2", "nodes         = 3");
    std::fs::write(&prod, &text).unwrap();
    std::fs::create_dir_all(r.join("envs/new")).unwrap();
    std::fs::copy(&prod, r.join("envs/new/main.tf")).unwrap();
    std::fs::write(
        r.join("costgate.toml"),
        "[[projects]]\npath = \"envs/dev\"\n\n[[projects]]\npath = \"envs/new\"\n",
    )
    .unwrap();
    let doc = estimate_json(&[r.to_str().unwrap(), "--base-ref", "HEAD"]);
    let names: Vec<&str> = doc["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["envs/dev", "envs/prod", "envs/new"], "{doc}");
    assert_eq!(
        res(&doc, "envs/prod:module.gpu.aws_instance.node[2]")["action"],
        "create"
    );
    assert_eq!(
        res(&doc, "envs/new:module.gpu.aws_instance.node[0]")["action"],
        "create"
    );
    assert!(
        doc["warnings"].as_array().unwrap().iter().any(|w| w
            .as_str()
            .unwrap()
            .contains("project `envs/new` is not a project of HEAD")),
        "{}",
        doc["warnings"]
    );
    // Without --base-ref the change's own list applies (prod is not a project then).
    let doc = estimate_json(&[r.to_str().unwrap()]);
    assert!(!doc.to_string().contains("envs/prod:"));
}

#[test]
fn base_ref_tells_changed_projects_from_unchanged_ones() {
    let repo = monorepo_repo();
    let r = repo.path();
    let co = costgate::compare::git::Checkout::open(r, "HEAD", None).unwrap();
    let closure = |p: &str| costgate::projects::local_closure(&r.join(p)).unwrap();
    // dev calls ../../modules/gpu: both directories count.
    assert_eq!(closure("envs/dev").len(), 2);
    assert!(co.unchanged(&closure("envs/dev")));
    // A new file in prod changes prod only; an edit of the shared module changes both.
    std::fs::write(r.join("envs/prod/extra.tf"), "# new\n").unwrap();
    assert!(co.unchanged(&closure("envs/dev")));
    assert!(!co.unchanged(&closure("envs/prod")));
    std::fs::write(r.join("modules/gpu/main.tf"), "# edited\n").unwrap();
    assert!(!co.unchanged(&closure("envs/dev")));
    drop(co);
    let list = std::process::Command::new("git")
        .arg("-C")
        .arg(r)
        .args(["worktree", "list"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&list.stdout).lines().count(), 1);
}
