//! FinOps views: `explain` (how one resource is priced), `--group-by` showback, cost per
//! 1,000 requests, and the FOCUS export.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rust_decimal::Decimal;
use serde_json::Value;

const GPU: &str = "testdata/plans/aws-gpu-create/plan.json";
const REPLACE: &str = "testdata/plans/aws-replace/plan.json";
const PLATFORM: &str = "testdata/plans/aws-ml-platform-create/plan.json";
const POLICY_CASES: &str = "testdata/plans/aws-policy-cases/plan.json";
const MULTI: &str = "testdata/examples/multi-cloud/plan.json";
const USAGE: &str = "testdata/finops/usage.toml";

fn costgate() -> Command {
    let mut c = Command::cargo_bin("costgate").unwrap();
    c.env_remove("COSTGATE_PRICING_DIR")
        .env("NO_COLOR", "1")
        .env("COSTGATE_TODAY", "2026-11-26");
    c
}

fn run_ok(args: &[&str]) -> String {
    let out = costgate().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "costgate {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&run_ok(args)).unwrap()
}

fn dec(v: &Value) -> Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("{v} is not a money string"))
        .parse()
        .unwrap()
}

/// Every plan fixture (and the shipped example).
fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("testdata/plans")
        .unwrap()
        .map(|e| e.unwrap().path().join("plan.json"))
        .filter(|p| p.exists())
        .collect();
    v.sort();
    v.push(PathBuf::from(MULTI));
    assert!(v.len() >= 8, "fixtures: {v:?}");
    v
}

/// A copy of a plan with one resource change edited.
fn edited_plan(dir: &Path, plan: &str, address: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(plan).unwrap()).unwrap();
    let rc = doc["resource_changes"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|rc| rc["address"] == address)
        .unwrap_or_else(|| panic!("{address} not in {plan}"));
    edit(&mut rc["change"]);
    let p = dir.join("plan.json");
    std::fs::write(&p, doc.to_string()).unwrap();
    p
}

/// A Markdown section: its heading, blank line and table (up to the next blank line).
fn section<'a>(md: &'a str, heading: &str) -> &'a str {
    let at = md
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading} in {md}"));
    let body = at + heading.len();
    let end = md[body..]
        .trim_start_matches('\n')
        .find("\n\n")
        .map(|e| e + (md.len() - md[body..].trim_start_matches('\n').len()))
        .unwrap_or(md.len());
    &md[at..end]
}

// ---------------------------------------------------------------- explain

#[test]
fn explain_names_the_catalog_entry_and_its_date() {
    let text = run_ok(&["explain", GPU, "aws_instance.p5"]);
    // p5.48xlarge at $55.04/h from the catalog's dated source, 730 default hours.
    assert!(
        text.contains("key ec2/p5.48xlarge = $55.04 per hour"),
        "{text}"
    );
    assert!(text.contains("source:     nable-2026-09"), "{text}");
    assert!(text.contains("as of:      2026-09-24"), "{text}");
    assert!(text.contains("instance_type = \"p5.48xlarge\""), "{text}");
    assert!(text.contains("monthly_hours: default: always on"), "{text}");
    assert!(text.contains("730 × $55.04 = $40,179.20"), "{text}");
    insta::assert_snapshot!("explain_p5_text", text);
}

#[test]
fn explain_shows_both_sides_of_a_replace_as_json() {
    let doc = json(&[
        "explain",
        REPLACE,
        "aws_instance.trainer",
        "--format",
        "json",
    ]);
    assert_eq!(doc["action"], "replace");
    let before = &doc["before"]["components"][0];
    let after = &doc["after"]["components"][0];
    assert_eq!(before["price"]["key"], "ec2/g5.12xlarge");
    assert_eq!(after["price"]["key"], "ec2/p5.48xlarge");
    assert_eq!(after["price"]["as_of"], "2026-09-24");
    assert_eq!(after["usage"]["key"], "monthly_hours");
    assert_eq!(doc["monthly_delta"], "36038.64");
    insta::assert_json_snapshot!("explain_replace_json", doc);
}

#[test]
fn explain_uses_the_usage_file_entry() {
    let dir = tempfile::tempdir().unwrap();
    let usage = dir.path().join("usage.toml");
    std::fs::write(
        &usage,
        "version = 1\n[resources.\"aws_instance.p5\"]\nmonthly_hours = 200\n",
    )
    .unwrap();
    let u = usage.to_str().unwrap();
    let doc = json(&[
        "explain",
        GPU,
        "aws_instance.p5",
        "--usage",
        u,
        "--format",
        "json",
    ]);
    let c = &doc["after"]["components"][0];
    assert_eq!(c["usage"]["value"], "200");
    assert_eq!(
        c["usage"]["origin"],
        "usage file resources.\"aws_instance.p5\""
    );
    // 200 h × $55.04
    assert_eq!(c["monthly_cost"], "11008.00");
}

#[test]
fn explain_gives_the_reason_for_unpriced_resources() {
    let text = run_ok(&["explain", POLICY_CASES, "aws_kinesis_stream.events"]);
    assert!(
        text.contains("not priced: resource type `aws_kinesis_stream` costs money"),
        "{text}"
    );
    let free = run_ok(&["explain", PLATFORM, "aws_iam_role.eks_nodes"]);
    assert!(free.contains("Costs nothing by itself"), "{free}");
}

#[test]
fn explain_of_an_unknown_address_lists_close_matches() {
    let out = costgate()
        .args(["explain", GPU, "aws_instance.p6"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no resource `aws_instance.p6`"), "{err}");
    assert!(err.contains("did you mean: aws_instance.p5"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn explain_never_prints_sensitive_attribute_values() {
    let dir = tempfile::tempdir().unwrap();
    let p = edited_plan(dir.path(), GPU, "aws_instance.p5", |ch| {
        ch["after"]["instance_market_options"] =
            serde_json::json!([{"market_type": "hunter2-secret"}]);
        ch["after_sensitive"] =
            serde_json::json!({"instance_market_options": [{"market_type": true}]});
    });
    let p = p.to_str().unwrap();
    for (format, marker) in [
        ("text", "market_type = (sensitive)"),
        ("json", "\"status\": \"sensitive\""),
    ] {
        let text = run_ok(&["explain", p, "aws_instance.p5", "--format", format]);
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains(marker), "{text}");
    }
}

#[test]
fn explain_redacts_the_other_sides_sensitive_values_too() {
    // The new root volume is unknown, so the old side's volume is read: its mask applies.
    let dir = tempfile::tempdir().unwrap();
    let p = edited_plan(dir.path(), REPLACE, "aws_instance.trainer", |ch| {
        ch["before_sensitive"] = serde_json::json!({"root_block_device": [{"volume_type": true}]});
    });
    let text = run_ok(&["explain", p.to_str().unwrap(), "aws_instance.trainer"]);
    assert!(
        text.contains("root_block_device.0.volume_type = (sensitive)"),
        "{text}"
    );
    assert!(!text.contains("volume_type = \"gp3\""), "{text}");
}

#[test]
fn explain_in_hcl_mode_shows_catalog_spot_prices_and_their_source() {
    let text = run_ok(&[
        "explain",
        "testdata/hcl/gcp-ml",
        "google_container_node_pool.l4",
    ]);
    // The complete catalogs carry GCP spot prices (Cyclenerd 2026-07-30), so no assumed
    // discount applies: the spot key, its price and its source are shown.
    assert!(
        text.contains("key gce-spot/g2-standard-8 = $0.479872 per hour"),
        "{text}"
    );
    assert!(text.contains("(spot price from the catalog)"), "{text}");
    assert!(
        text.contains("source:     imp-gcp-cyclenerd-2026-07-30"),
        "{text}"
    );
    assert!(text.contains("node_config.0.spot = true"), "{text}");
    // a3-highgpu-8g was unpriced in us-east4 before the regional catalogs; now it is.
    let text = run_ok(&[
        "explain",
        "testdata/hcl/gcp-ml",
        "google_compute_instance.a3",
    ]);
    assert!(
        text.contains("region us-east4, key gce-spot/a3-highgpu-8g = $36.3208366027 per hour"),
        "{text}"
    );
}

// ---------------------------------------------------------------- group-by

#[test]
fn group_by_tag_table() {
    let text = run_ok(&["estimate", MULTI, "--group-by", "tag:team", "-q"]);
    let at = text.find("Cost by tag:team").expect("showback table");
    insta::assert_snapshot!("group_by_tag_team_table", &text[at..]);
}

#[test]
fn group_by_module_json() {
    let doc = json(&[
        "estimate",
        "testdata/plans/aws-multi-module/plan.json",
        "--group-by",
        "module",
        "--format",
        "json",
    ]);
    insta::assert_json_snapshot!("group_by_module_json", doc["group_by"]);
}

#[test]
fn group_sums_equal_the_estimate_total_exactly() {
    for plan in fixtures() {
        let plan = plan.to_str().unwrap();
        for key in ["tag:team", "tag:env", "type", "module", "region"] {
            let doc = json(&["estimate", plan, "--group-by", key, "--format", "json"]);
            let g = &doc["group_by"];
            assert_eq!(g["key"], key);
            let groups = g["groups"].as_array().unwrap();
            for field in ["monthly_before", "monthly_after", "monthly_delta"] {
                let sum: Decimal = groups.iter().map(|x| dec(&x[field])).sum();
                assert_eq!(sum, dec(&doc["totals"][field]), "{plan} {key} {field}");
                assert_eq!(sum, dec(&g["total"][field]), "{plan} {key} {field}");
            }
            let unpriced: u64 = groups
                .iter()
                .map(|x| x["unpriced_count"].as_u64().unwrap())
                .sum();
            assert_eq!(
                unpriced,
                doc["totals"]["unpriced_count"].as_u64().unwrap(),
                "{plan} {key}"
            );
        }
    }
}

#[test]
fn resources_without_the_tag_or_with_unknown_tags_get_their_own_rows() {
    let dir = tempfile::tempdir().unwrap();
    let p = edited_plan(dir.path(), GPU, "aws_instance.p5", |ch| {
        ch["after"]["tags"] = Value::Null;
        ch["after"]["tags_all"] = Value::Null;
        ch["after_unknown"]["tags"] = Value::Bool(true);
        ch["after_unknown"]["tags_all"] = Value::Bool(true);
    });
    let doc = json(&[
        "estimate",
        p.to_str().unwrap(),
        "--group-by",
        "tag:cost-center",
        "--format",
        "json",
    ]);
    let names: Vec<&str> = doc["group_by"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"(unknown until apply)"), "{names:?}");
    assert!(names.contains(&"(untagged)"), "{names:?}");
    let unknown = doc["group_by"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "(unknown until apply)")
        .unwrap();
    assert_eq!(unknown["monthly_after"], "40179.20");
}

#[test]
fn markdown_comment_takes_group_by_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("costgate.toml");
    std::fs::write(&cfg, "[report]\ngroup_by = \"tag:team\"\n").unwrap();
    let c = cfg.to_str().unwrap();
    let check_md = |extra: &[&str]| {
        let mut args = vec!["check", MULTI, "--config", c, "--format", "markdown"];
        args.extend(["--fail-on", "never"]);
        args.extend(extra);
        run_ok(&args)
    };
    let md = check_md(&[]);
    insta::assert_snapshot!("group_by_markdown", section(&md, "#### Cost by `tag:team`"));
    // JSON gets the same groups.
    let doc = json(&[
        "check",
        MULTI,
        "--config",
        c,
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    assert_eq!(doc["group_by"]["key"], "tag:team");
    assert_eq!(
        doc["group_by"]["total"]["monthly_after"],
        doc["totals"]["monthly_after"]
    );
    // The flag wins over the config.
    let md = check_md(&["--group-by", "region"]);
    assert!(md.contains("#### Cost by `region`"));
    // A bad key is a located config error.
    std::fs::write(&cfg, "fail_on = \"deny\"\n[report]\ngroup_by = \"owner\"\n").unwrap();
    let out = costgate()
        .args(["check", MULTI, "--config", c])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot group by `owner`") && err.contains(":3:"),
        "{err}"
    );
}

#[test]
fn bad_group_by_flag_is_rejected() {
    for args in [
        &["--group-by", "tag:"][..],
        &["--group-by", "type", "--format", "focus"][..],
    ] {
        let out = costgate()
            .args(["estimate", GPU])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

// ---------------------------------------------------------------- unit economics

#[test]
fn cost_per_thousand_requests() {
    let dir = tempfile::tempdir().unwrap();
    // ml.g5.xlarge is in the catalog ($1.408/h); the fixture's ml.g5.2xlarge is not.
    let p = edited_plan(
        dir.path(),
        PLATFORM,
        "aws_sagemaker_endpoint_configuration.llm",
        |ch| ch["after"]["production_variants"][0]["instance_type"] = "ml.g5.xlarge".into(),
    );
    let p = p.to_str().unwrap();
    let doc = json(&["estimate", p, "--usage", USAGE, "--format", "json"]);
    let r = doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == "aws_sagemaker_endpoint_configuration.llm")
        .unwrap();
    // 2 × 1.408 × 730 = 2,055.68 a month; ÷ 12,000,000 × 1,000 = 0.17130666…
    assert_eq!(r["monthly_cost"], "2055.68");
    assert_eq!(r["unit_cost"]["monthly_requests"], "12000000");
    assert_eq!(r["unit_cost"]["cost_per_1k_requests"], "0.1713");
    assert_eq!(
        r["unit_cost"]["origin"],
        "usage file, on aws_sagemaker_endpoint.llm"
    );
    let md = run_ok(&["estimate", p, "--usage", USAGE, "--format", "markdown"]);
    let s = section(&md, "#### Unit cost");
    assert!(
        s.contains(
            "| `aws_sagemaker_endpoint_configuration.llm` | 12,000,000 | $2,055.68 | $0.1713 |"
        ),
        "{s}"
    );
    insta::assert_snapshot!("unit_cost_markdown", s);
    let table = run_ok(&["estimate", p, "--usage", USAGE]);
    assert!(table.contains("unit cost: $0.1713 per 1,000 requests (12000000 requests/month)"));
    // Without a usage file there is no unit cost.
    let doc = json(&["estimate", p, "--format", "json"]);
    assert!(doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r.get("unit_cost").is_none()));
}

#[test]
fn a_deleted_resource_has_no_cost_per_request() {
    let dir = tempfile::tempdir().unwrap();
    let usage = dir.path().join("usage.toml");
    std::fs::write(
        &usage,
        "version = 1\n[resources.\"aws_ebs_volume.old_scratch\"]\nmonthly_requests = 1000\n\
         [resources.\"aws_ebs_volume.keep\"]\nmonthly_requests = 4000\n",
    )
    .unwrap();
    let plan = "testdata/plans/aws-delete/plan.json";
    let doc = json(&[
        "estimate",
        plan,
        "--usage",
        usage.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let unit = |a: &str| {
        doc["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["address"] == a)
            .unwrap()["unit_cost"]["cost_per_1k_requests"]
            .clone()
    };
    assert_eq!(unit("aws_ebs_volume.old_scratch"), Value::Null);
    // 8.00 ÷ 4,000 × 1,000
    assert_eq!(unit("aws_ebs_volume.keep"), "2.0000");
}

// ---------------------------------------------------------------- FOCUS

#[test]
fn focus_csv() {
    let csv = run_ok(&["estimate", GPU, "--format", "focus", "--period", "2026-12"]);
    assert!(csv.starts_with("BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart"));
    insta::assert_snapshot!("focus_csv", csv);
}

#[test]
fn focus_json() {
    let text = run_ok(&["estimate", REPLACE, "--format", "focus-json"]);
    let rows: Value = serde_json::from_str(&text).unwrap();
    // The default period is the month after "today" (COSTGATE_TODAY = 2026-11-26).
    assert_eq!(rows[0]["ChargePeriodStart"], "2026-12-01T00:00:00Z");
    assert_eq!(rows[0]["ChargePeriodEnd"], "2027-01-01T00:00:00Z");
    insta::assert_json_snapshot!("focus_json", rows);
}

#[test]
fn focus_list_cost_sums_to_the_estimate_total() {
    for plan in fixtures() {
        let plan = plan.to_str().unwrap();
        let doc = json(&["estimate", plan, "--format", "json"]);
        let rows: Value = json(&["estimate", plan, "--format", "focus-json"]);
        let rows = rows.as_array().unwrap();
        let sum: Decimal = rows
            .iter()
            .filter(|r| !r["ListCost"].is_null())
            .map(|r| dec(&r["ListCost"]))
            .sum();
        assert_eq!(sum, dec(&doc["totals"]["monthly_after"]), "{plan}");
        for r in rows {
            assert_eq!(r["BilledCost"], r["ListCost"]);
            assert_eq!(r["EffectiveCost"], r["ListCost"]);
            assert_eq!(r["ChargeCategory"], "Usage");
            assert_eq!(r["BillingCurrency"], "USD");
            // Every row is priced or says why not.
            assert!(
                r["ListCost"].is_null() != r["x_UnpricedReason"].is_null(),
                "{r}"
            );
        }
        // The CSV has the same rows (header + one line per row; no value spans lines here).
        let csv = run_ok(&["estimate", plan, "--format", "focus"]);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(reader.records().count(), rows.len(), "{plan}");
    }
}

#[test]
fn focus_marks_unpriced_resources() {
    let rows = json(&["estimate", POLICY_CASES, "--format", "focus-json"]);
    let r = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ResourceId"] == "aws_kinesis_stream.events")
        .unwrap();
    assert!(r["ListCost"].is_null());
    assert!(r["x_UnpricedReason"]
        .as_str()
        .unwrap()
        .contains("aws_kinesis_stream"));
}

#[test]
fn period_flag_is_checked() {
    let out = costgate()
        .args(["estimate", GPU, "--format", "focus", "--period", "2026-13"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = costgate()
        .args(["estimate", GPU, "--period", "2026-12"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
