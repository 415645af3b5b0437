//! Infracost compatibility: `--format infracost-json` (validated against a schema written from
//! Infracost's documented output format), an Infracost JSON as `--compare-to` base, and
//! `costgate output` re-rendering a saved report.

use assert_cmd::Command;
use serde_json::{json, Value};

use crate::support::fixtures;
use costgate::report::infracost;

const PLAN: &str = "testdata/plans/aws-update/plan.json";

fn costgate() -> Command {
    Command::cargo_bin("costgate").unwrap()
}

/// Run costgate; stdout, stderr and the exit code.
fn run(args: &[&str]) -> (String, String, i32) {
    let out = costgate()
        .args(args)
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!(
        "../../testdata/schemas/infracost-output.schema.json"
    ))
    .unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn assert_valid(v: &jsonschema::Validator, name: &str, doc: &Value) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}");
}

#[test]
fn infracost_json_validates_against_the_documented_shape() {
    let v = validator();
    let doc = infracost::document(&fixtures::estimate(), "2026-12-06T21:00:00Z");
    assert_valid(&v, "fixture", &doc);
    for cmd in ["estimate", "check"] {
        let (out, err, code) = run(&[cmd, PLAN, "--format", "infracost-json"]);
        // `check` keeps its exit code (this plan has denials).
        assert_eq!(code, if cmd == "check" { 1 } else { 0 }, "{err}");
        let doc: Value = serde_json::from_str(&out).unwrap();
        assert_valid(&v, cmd, &doc);
        let c = &doc["projects"][0]["breakdown"]["resources"][1]["costComponents"][0];
        assert_eq!(c["unit"], "hours", "{c}");
        assert_eq!(c["monthlyQuantity"], "730");
        assert_eq!(c["hourlyQuantity"], "1");
    }
    // The schema rejects what a float writer or a missing field would produce.
    let mut bad = doc.clone();
    bad["totalMonthlyCost"] = json!(40179.2);
    assert!(!v.is_valid(&bad));
    let mut bad = doc.clone();
    bad["projects"][0]["breakdown"]["resources"][0]
        .as_object_mut()
        .unwrap()
        .remove("costComponents");
    assert!(!v.is_valid(&bad));
    let mut bad = doc;
    bad["summary"]
        .as_object_mut()
        .unwrap()
        .remove("totalNoPriceResources");
    assert!(!v.is_valid(&bad));
}

#[test]
fn infracost_json_figures_and_counts_are_costgate_s() {
    let e = fixtures::estimate();
    let doc = infracost::document(&e, "2026-12-06T21:00:00Z");
    assert_eq!(doc["version"], "0.2");
    assert_eq!(doc["currency"], "USD");
    assert_eq!(doc["timeGenerated"], "2026-12-06T21:00:00Z");
    // Exact decimals from the estimate's totals.
    let after = e.totals.monthly_after.normalize().to_string();
    let before = e.totals.monthly_before.normalize().to_string();
    assert_eq!(doc["totalMonthlyCost"], after.as_str());
    assert_eq!(doc["pastTotalMonthlyCost"], before.as_str());
    assert_eq!(
        doc["diffTotalMonthlyCost"],
        e.totals.monthly_delta().normalize().to_string().as_str()
    );
    assert_eq!(after, "47938.83");
    // Hourly = monthly over 730 hours.
    assert_eq!(doc["totalHourlyCost"], "65.669630137");
    let p = &doc["projects"][0];
    assert_eq!(p["name"], "infra/gpu");
    assert_eq!(p["metadata"]["path"], "infra/gpu");
    let names = |b: &str| -> Vec<String> {
        p[b]["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_string())
            .collect()
    };
    // The deleted instance is in the past only; the created ones in the present only.
    assert!(names("pastBreakdown").contains(&"aws_instance.old".to_string()));
    assert!(!names("breakdown").contains(&"aws_instance.old".to_string()));
    assert!(!names("pastBreakdown").contains(&"aws_instance.p5".to_string()));
    assert!(names("diff").contains(&"aws_instance.old".to_string()));
    let old = p["diff"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "aws_instance.old")
        .unwrap();
    assert_eq!(old["monthlyCost"], "-140.16");
    // The unpriced resource: null costs and its reason, counted unsupported; the free role is
    // "no price".
    let unknown = p["breakdown"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "aws_bedrock_thing.x")
        .unwrap();
    assert_eq!(unknown["monthlyCost"], Value::Null);
    assert_eq!(unknown["hourlyCost"], Value::Null);
    assert!(unknown["metadata"]["unpricedReason"]
        .as_str()
        .unwrap()
        .contains("not supported"));
    let s = &doc["summary"];
    assert_eq!(s["totalDetectedResources"], 5, "{s}");
    assert_eq!(s["totalUnsupportedResources"], 1);
    assert_eq!(s["totalNoPriceResources"], 1);
    assert_eq!(s["totalSupportedResources"], 3);
    assert_eq!(
        s["unsupportedResourceCounts"],
        json!({"aws_bedrock_thing": 1})
    );
    assert_eq!(s["noPriceResourceCounts"], json!({"aws_iam_role": 1}));
}

/// An Infracost JSON written for this test (the documented shape): one instance with a
/// subresource, one resource without a monthly cost.
fn infracost_base() -> Value {
    json!({
        "version": "0.2",
        "currency": "USD",
        "metadata": {},
        "projects": [{
            "name": "base",
            "metadata": {"path": "base"},
            "breakdown": {
                "resources": [
                    {
                        "name": "aws_instance.trainer",
                        "resourceType": "aws_instance",
                        "metadata": {},
                        "hourlyCost": "1.5",
                        "monthlyCost": "1095",
                        "costComponents": [{
                            "name": "Instance usage", "unit": "hours",
                            "hourlyQuantity": "1", "monthlyQuantity": "730",
                            "price": "1.4", "hourlyCost": "1.4", "monthlyCost": "1022"
                        }],
                        "subresources": [{
                            "name": "root_block_device",
                            "resourceType": "",
                            "metadata": {},
                            "hourlyCost": "0.1", "monthlyCost": "73",
                            "costComponents": [{
                                "name": "Storage", "unit": "GB",
                                "hourlyQuantity": "1.2", "monthlyQuantity": "912.5",
                                "price": "0.08", "hourlyCost": "0.1", "monthlyCost": "73"
                            }],
                            "subresources": []
                        }]
                    },
                    {
                        "name": "aws_ebs_volume.scratch",
                        "resourceType": "aws_ebs_volume",
                        "metadata": {},
                        "hourlyCost": null,
                        "monthlyCost": null,
                        "costComponents": [],
                        "subresources": []
                    }
                ],
                "totalHourlyCost": "1.5",
                "totalMonthlyCost": "1095"
            }
        }],
        "totalHourlyCost": "1.5",
        "totalMonthlyCost": "1095",
        "pastTotalHourlyCost": "0",
        "pastTotalMonthlyCost": "0",
        "diffTotalHourlyCost": "1.5",
        "diffTotalMonthlyCost": "1095",
        "timeGenerated": "2026-12-01T00:00:00Z",
        "summary": {}
    })
}

#[test]
fn an_infracost_json_is_a_compare_to_base_taken_as_reported() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("infracost.json");
    std::fs::write(&base, infracost_base().to_string()).unwrap();
    let (out, err, code) = run(&[
        "estimate",
        "testdata/compare/head",
        "--compare-to",
        base.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let r = |a: &str| {
        doc["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["address"] == a)
            .unwrap_or_else(|| panic!("{a} in {doc}"))
            .clone()
    };
    // The base's figure (subresources included) is the before side.
    let trainer = r("aws_instance.trainer");
    assert_eq!(trainer["action"], "update");
    assert_eq!(trainer["monthly_cost_before"], "1095.00");
    // Unknown in the base: unpriced before, said so; the head deletes it.
    let scratch = r("aws_ebs_volume.scratch");
    assert_eq!(scratch["action"], "delete");
    assert_eq!(scratch["monthly_cost_before"], Value::Null);
    assert!(scratch["unpriced_reason"]
        .as_str()
        .unwrap()
        .contains("Infracost base"));
    // Not in the base: created.
    assert_eq!(r("aws_instance.inference")["action"], "create");
    assert_eq!(doc["totals"]["monthly_before"], "1095.00");

    // costgate's own Infracost output as base gives what its JSON report as base gives.
    let ic = dir.path().join("ic.json");
    let cg = dir.path().join("cg.json");
    let (o, _, _) = run(&[
        "estimate",
        "testdata/compare/base",
        "--format",
        "infracost-json",
    ]);
    std::fs::write(&ic, o).unwrap();
    let (o, _, _) = run(&["estimate", "testdata/compare/base", "--format", "json"]);
    std::fs::write(&cg, o).unwrap();
    let with = |b: &std::path::Path| {
        run(&[
            "estimate",
            "testdata/compare/head",
            "--compare-to",
            b.to_str().unwrap(),
        ])
        .0
    };
    let from_ic = with(&ic);
    assert!(from_ic.contains("update"), "{from_ic}");
    assert_eq!(from_ic, with(&cg));
}

#[test]
fn a_broken_infracost_base_is_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("infracost.json");
    let mut doc = infracost_base();
    doc["projects"][0]["breakdown"]["resources"][0]["monthlyCost"] = json!("lots");
    std::fs::write(&base, doc.to_string()).unwrap();
    let (_, err, code) = run(&[
        "estimate",
        "testdata/compare/head",
        "--compare-to",
        base.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("costgate::compare::base"), "{err}");
    assert!(err.contains("resources[0].monthlyCost"), "{err}");
}

#[test]
fn output_re_renders_a_saved_report_as_the_run_did() {
    let dir = tempfile::tempdir().unwrap();
    for (cmd, code) in [("estimate", 0), ("check", 1)] {
        let saved = dir.path().join(format!("{cmd}.json"));
        let (json, err, c) = run(&[cmd, PLAN, "--format", "json"]);
        assert_eq!(c, code, "{err}");
        std::fs::write(&saved, &json).unwrap();
        let formats: &[(&str, &str)] = if cmd == "estimate" {
            &[
                ("markdown", "markdown"),
                ("html", "html"),
                ("table", "table"),
                ("json", "json"),
            ]
        } else {
            &[
                ("markdown", "markdown"),
                ("html", "html"),
                ("sarif", "sarif"),
                ("github", "github"),
                ("text", "table"),
                ("json", "json"),
            ]
        };
        for (run_format, output_format) in formats {
            let (original, _, _) = run(&[cmd, PLAN, "--format", run_format]);
            let (again, err, c) =
                run(&["output", saved.to_str().unwrap(), "--format", output_format]);
            assert_eq!(c, 0, "{cmd} {output_format}: {err}");
            assert!(!again.trim().is_empty());
            assert_eq!(again, original, "{cmd} --format {run_format}");
        }
        let strip = |s: &str| -> Value {
            let mut v: Value = serde_json::from_str(s).unwrap();
            v["timeGenerated"] = Value::Null;
            v
        };
        let (original, _, _) = run(&[cmd, PLAN, "--format", "infracost-json"]);
        let (again, _, _) = run(&[
            "output",
            saved.to_str().unwrap(),
            "--format",
            "infracost-json",
        ]);
        assert_eq!(strip(&again), strip(&original), "{cmd} infracost-json");
    }
}

#[test]
fn output_refuses_bad_and_foreign_files() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let ic = infracost_base().to_string();
    let cases = [
        (write("truncated.json", "{\"version\": 1, \"resources\": ["), "not valid JSON"),
        (write("v9.json", "{\"version\": 9, \"resources\": []}"), "version 9"),
        (
            write(
                "nores.json",
                "{\"version\": 1, \"resources\": [{\"address\": \"a\", \"type\": \"t\", \"action\": \"create\"}], \"totals\": {}}",
            ),
            "neither `monthly_cost` nor `unpriced_reason`",
        ),
        (write("infracost.json", &ic), "Infracost's JSON output"),
        (PLAN.to_string(), "Terraform plan JSON"),
        (
            dir.path().join("missing.json").to_str().unwrap().to_string(),
            "cannot read",
        ),
    ];
    for (path, says) in cases {
        let (out, err, code) = run(&["output", &path, "--format", "markdown"]);
        assert_eq!(code, 2, "{path}: {err}");
        assert!(out.is_empty(), "{path}: {out}");
        assert!(err.contains(says), "{path}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
