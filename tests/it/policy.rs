//! `costgate check`, `policy test` and `policy input` end to end: each built-in policy fails
//! and passes on testdata/plans/aws-policy-cases, waivers (config and inline, expired),
//! broken policies, exit codes, and parity with real OPA (skipped when not installed).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const PLAN: &str = "testdata/plans/aws-policy-cases/plan.json";
const FAIL_CFG: &str = "testdata/policies/aws-policy-cases.toml";
const PASS_DATA: &str = "testdata/policies/aws-policy-cases-pass.yaml";

fn cg() -> Command {
    let mut c = Command::cargo_bin("costgate").unwrap();
    c.env("COSTGATE_TODAY", "2026-06-01").env("NO_COLOR", "1");
    c
}

fn check_json(args: &[&str]) -> (i32, Value) {
    let out = cg()
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(
        code != 2,
        "check failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (code, serde_json::from_slice(&out.stdout).unwrap())
}

/// (policy, severity, address, waived) of every deny and warn finding (advice, `info`, is
/// tested in tests/savings.rs).
fn summary(doc: &Value) -> BTreeSet<(String, String, String, bool)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] != "info")
        .map(|f| {
            (
                f["policy"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["address"].as_str().unwrap().to_string(),
                f["waived"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn s(p: &str, sev: &str, a: &str, waived: bool) -> (String, String, String, bool) {
    (p.into(), sev.into(), a.into(), waived)
}

#[test]
fn every_builtin_fails_on_the_policy_cases() {
    let (code, doc) = check_json(&[PLAN, "--config", FAIL_CFG]);
    assert_eq!(code, 1);
    let got = summary(&doc);
    let want: BTreeSet<_> = [
        s("required-tags", "deny", "aws_ebs_volume.untagged", false),
        s(
            "idle-autopause",
            "deny",
            "aws_instance.gpu_dev_unscheduled",
            false,
        ),
        s(
            "idle-autopause",
            "deny",
            "aws_sagemaker_notebook_instance.no_autostop",
            false,
        ),
        s("gpu-quota", "deny", "aws_instance.h100[0]", false),
        s("gpu-quota", "deny", "aws_instance.h100[1]", false),
        s("gpu-quota", "deny", "aws_instance.h100[2]", false),
        s("budget", "deny", "", false),
        s("budget", "warn", "", false),
        // sagemaker-notebook/ml.g4dn.xlarge has no catalog price: not priced, so said.
        s("coverage", "warn", "", false),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, want);
    let msgs: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(msgs.contains(
        &"H100 GPUs in env=dev would be 24 (was 0, counted at max size), over the limit of 16; this resource adds 8"
    ), "{msgs:#?}");
    assert!(msgs.contains(&"aws_ebs_volume.untagged is missing required tag(s): owner, team"));
    // Findings carry the .tf location found beside the plan.
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["address"] == "aws_ebs_volume.untagged")
        .unwrap();
    assert!(
        f["source"]["file"].as_str().unwrap().ends_with("main.tf"),
        "{f}"
    );
    assert_eq!(doc["version"], 1);
}

#[test]
fn every_builtin_passes_when_relaxed() {
    let (code, doc) = check_json(&[PLAN, "--config", FAIL_CFG, "--data", PASS_DATA]);
    assert_eq!(summary(&doc), BTreeSet::new(), "{:#}", doc["findings"]);
    assert_eq!(code, 0);
}

#[test]
fn clean_plan_has_no_findings_without_config() {
    // aws-policy-cases carries team/owner on GPU machines; with defaults only the idle and
    // tag policies speak, and coverage (one notebook type has no price), never quota or budget
    // (no limits configured).
    let (_, doc) = check_json(&[PLAN]);
    assert!(summary(&doc)
        .iter()
        .all(|(p, ..)| p == "required-tags" || p == "idle-autopause" || p == "coverage"));
}

#[test]
fn fail_on_and_severity_override() {
    let args = [PLAN, "--config", FAIL_CFG, "--data", PASS_DATA];
    let dir = tempfile::tempdir().unwrap();
    let warn_only = dir.path().join("w.json");
    std::fs::write(
        &warn_only,
        r#"{"policies": {"budget": {"deny": {}, "warn": {"total_monthly": 1}}}}"#,
    )
    .unwrap();
    let w = warn_only.to_str().unwrap();
    let mut with_warn = args.to_vec();
    with_warn.extend(["--data", w]);
    let (code, doc) = check_json(&with_warn);
    assert_eq!(code, 0, "warnings alone pass by default");
    assert_eq!(summary(&doc).len(), 1);
    let mut fail_warn = with_warn.clone();
    fail_warn.extend(["--fail-on", "warn"]);
    assert_eq!(check_json(&fail_warn).0, 1);
    let (code, doc) = check_json(&[PLAN, "--config", FAIL_CFG, "--fail-on", "never"]);
    assert_eq!(code, 0);
    assert!(!summary(&doc).is_empty());
    // severity = "warn" turns a policy's denials into warnings.
    let adv = dir.path().join("adv.json");
    std::fs::write(&adv, r#"{"policies": {"required-tags": {"severity": "warn"}, "idle-autopause": {"enabled": false}}}"#).unwrap();
    let (code, doc) = check_json(&[PLAN, "--data", adv.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(
        summary(&doc),
        [
            s("required-tags", "warn", "aws_ebs_volume.untagged", false),
            s("coverage", "warn", "", false),
        ]
        .into_iter()
        .collect()
    );
}

/// A copy of the policy-cases plan with its .tf file, the first lines of main.tf replaced.
fn plan_copy(prefix_for: &str, comment: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new("testdata/plans/aws-policy-cases");
    std::fs::copy(src.join("plan.json"), dir.path().join("plan.json")).unwrap();
    let tf = std::fs::read_to_string(src.join("main.tf")).unwrap();
    let tf = tf.replace(prefix_for, &format!("{comment}\n{prefix_for}"));
    std::fs::write(dir.path().join("main.tf"), tf).unwrap();
    let plan = dir.path().join("plan.json");
    (dir, plan)
}

#[test]
fn inline_waivers_waive_until_they_expire() {
    let (_d, plan) = plan_copy(
        "resource \"aws_instance\" \"h100\"",
        "# costgate:ignore gpu-quota reason=\"burst approved in FIN-42\" until=2026-12-31",
    );
    let (code, doc) = check_json(&[plan.to_str().unwrap(), "--config", FAIL_CFG]);
    let got = summary(&doc);
    assert!(got.contains(&s("gpu-quota", "deny", "aws_instance.h100[1]", true)));
    assert_eq!(code, 1, "other denials remain");
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["address"] == "aws_instance.h100[0]")
        .unwrap();
    assert!(f["waiver_note"]
        .as_str()
        .unwrap()
        .contains("burst approved in FIN-42"));

    let (_d, plan) = plan_copy(
        "resource \"aws_instance\" \"h100\"",
        "# costgate:ignore gpu-quota reason=\"old approval\" until=2026-01-31",
    );
    let (_, doc) = check_json(&[plan.to_str().unwrap(), "--config", FAIL_CFG]);
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["address"] == "aws_instance.h100[0]")
        .unwrap();
    assert_eq!(f["waived"], false);
    assert!(
        f["waiver_note"]
            .as_str()
            .unwrap()
            .starts_with("waiver expired on 2026-01-31"),
        "{f}"
    );
}

#[test]
fn inline_waiver_without_reason_is_a_config_error() {
    let (_d, plan) = plan_copy(
        "resource \"aws_ebs_volume\" \"untagged\"",
        "# costgate:ignore required-tags until=2026-12-31",
    );
    let out = cg().args(["check"]).arg(&plan).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("has no reason") && err.contains("main.tf"),
        "{err}"
    );
}

#[test]
fn config_waivers_by_glob() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("costgate.toml");
    let base = std::fs::read_to_string(FAIL_CFG).unwrap();
    std::fs::write(
        &cfg,
        format!("{base}\n[[waivers]]\npolicy = \"idle-*\"\naddress = \"aws_*.gpu_dev_*\"\nreason = \"dev box\"\n\n[[waivers]]\npolicy = \"budget\"\naddress = \"\"\nreason = \"quarter-end\"\nuntil = \"2026-06-01\"\n"),
    )
    .unwrap();
    let (_, doc) = check_json(&[PLAN, "--config", cfg.to_str().unwrap()]);
    let got = summary(&doc);
    assert!(got.contains(&s(
        "idle-autopause",
        "deny",
        "aws_instance.gpu_dev_unscheduled",
        true
    )));
    assert!(
        got.contains(&s("budget", "deny", "", true)),
        "until is inclusive"
    );
    std::fs::write(&cfg, "[[waivers]]\npolicy = \"budget\"\naddress = \"*\"\n").unwrap();
    let out = cg()
        .args(["check", PLAN, "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("without a reason"));
}

#[test]
fn broken_policies_are_diagnostics_not_crashes() {
    for (dir, want) in [
        ("testdata/policies/broken-syntax", "bad.rego:8"),
        ("testdata/policies/broken-function", "unknown_fn.rego:7"),
    ] {
        let out = cg()
            .args(["check", PLAN, "--policy", dir])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{dir}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want) && err.contains("policy error"), "{err}");
    }
}

#[test]
fn custom_policy_from_examples() {
    let (_, doc) = check_json(&[
        PLAN,
        "--policy",
        "policies/examples",
        "--data",
        PASS_DATA,
        "--config",
        FAIL_CFG,
    ]);
    let got = summary(&doc);
    assert!(
        got.contains(&s("allowed-gpu-regions", "warn", "", false)),
        "{got:?}"
    );
    let data = r#"{"allowed_gpu_regions": ["eu-west-1"]}"#;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("regions.json");
    std::fs::write(&f, data).unwrap();
    let (code, doc) = check_json(&[
        PLAN,
        "--policy",
        "policies/examples",
        "--data",
        f.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(summary(&doc).contains(&s(
        "allowed-gpu-regions",
        "deny",
        "aws_instance.h100[0]",
        false
    )));
}

#[test]
fn policy_test_passes_on_builtins_and_fails_on_a_broken_test() {
    let out = cg()
        .args(["policy", "test", "--coverage"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("PASS  data.costgate.gpu_quota_test.test_new_gpus_over_limit_denied"));
    assert!(text.contains("coverage policies/budget.rego"), "{text}");
    let out = cg()
        .args(["policy", "test", "policies/examples"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = cg()
        .args(["policy", "test", "testdata/policies/broken-test"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("FAIL  data.costgate.examples.broken_test.test_fails"));
    assert!(text.contains("PASS  data.costgate.examples.broken_test.test_passes"));
}

fn policy_input(args: &[&str]) -> Value {
    let out = cg().args(["policy", "input"]).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn input_document_has_rounded_money_and_no_secrets() {
    let doc = policy_input(&[PLAN, "--config", FAIL_CFG]);
    assert_eq!(doc["version"], 1);
    assert!(doc["totals"]["monthly_after_cents"].is_i64());
    assert!(doc["totals"]["monthly_after"]
        .as_str()
        .unwrap()
        .contains('.'));
    let r = doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == "aws_instance.h100[0]")
        .unwrap();
    assert_eq!(r["gpu"]["model"], "H100");
    assert_eq!(r["gpu"]["count"], 8);
    assert!(r["monthly_cost_cents"].is_i64());
    assert_eq!(
        doc["config"]["policies"]["gpu-quota"]["limits"][0]["max"],
        16
    );
    // No float money anywhere: every *_cents is an integer.
    fn walk(v: &Value, path: &str) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, x)| {
                if k.ends_with("_cents") {
                    assert!(x.is_i64() || x.is_null(), "{path}.{k} = {x}");
                }
                walk(x, &format!("{path}.{k}"))
            }),
            Value::Array(a) => a.iter().for_each(|x| walk(x, path)),
            _ => {}
        }
    }
    walk(&doc, "");
}

#[test]
fn sensitive_attributes_are_redacted_in_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan: Value = serde_json::from_str(&std::fs::read_to_string(PLAN).unwrap()).unwrap();
    let rc = &mut plan["resource_changes"][0]["change"];
    rc["after"]["user_data"] = Value::String("hunter2-secret".into());
    rc["after_sensitive"] = serde_json::json!({"user_data": true});
    let p = dir.path().join("plan.json");
    std::fs::write(&p, plan.to_string()).unwrap();
    let out = cg().args(["policy", "input"]).arg(&p).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(!text.contains("hunter2-secret") && text.contains("(sensitive)"));
}

/// Real OPA agrees with regorus on the deny/warn/info set and the savings figures (without the
/// bindings: fails under CI, prints a SKIP line elsewhere).
#[test]
fn opa_gives_the_same_findings() {
    let cases: Vec<Vec<&str>> = vec![
        vec![PLAN, "--config", FAIL_CFG],
        vec![PLAN, "--config", FAIL_CFG, "--data", PASS_DATA],
        vec![
            PLAN,
            "--config",
            FAIL_CFG,
            "--data",
            "testdata/policies/gpu-globs.yaml",
        ],
        vec![PLAN],
        vec![
            "testdata/plans/aws-ml-platform-create/plan.json",
            "--config",
            FAIL_CFG,
        ],
        vec!["testdata/plans/aws-update/plan.json", "--config", FAIL_CFG],
        // Unchanged (no-op) resources are judged only when `actions` says so.
        vec![
            "testdata/plans/aws-delete/plan.json",
            "--config",
            "testdata/policies/aws-policy-cases-audit.toml",
        ],
        vec!["testdata/plans/aws-savings/plan.json", "--no-config"],
        vec!["testdata/plans/savings-multicloud/plan.json", "--no-config"],
    ];
    let mut policies: Vec<String> = std::fs::read_dir("policies")
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".rego") && !p.ends_with("_test.rego"))
        .collect();
    policies.push("policies/examples/allowed_gpu_regions.rego".into());
    let dir = tempfile::tempdir().unwrap();
    for args in cases {
        if !Path::new(args[0]).exists() {
            continue;
        }
        let input = policy_input(&args);
        let f = dir.path().join("input.json");
        std::fs::write(&f, input.to_string()).unwrap();
        let out = match std::process::Command::new("python3")
            .arg("tests/it/opa_parity.py")
            .arg(&f)
            .args(&policies)
            .output()
        {
            Ok(o) => o,
            Err(_) => {
                return crate::support::peer::missing("python3", "apt-get install -y python3");
            }
        };
        if out.status.code() == Some(3) {
            return crate::support::peer::missing(
                "real OPA",
                "pip install --ignore-requires-python opa-golib-python-bindings",
            );
        }
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let opa: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        type Row = (String, String, String, String, Option<String>);
        let opa: BTreeSet<Row> = opa
            .iter()
            .map(|f| {
                let g = |k: &str| f[k].as_str().unwrap().to_string();
                let saving = f["monthly_saving_cents"]
                    .as_i64()
                    .map(|c| format!("{}.{:02}", c / 100, c % 100));
                (g("policy"), g("severity"), g("address"), g("msg"), saving)
            })
            .collect();
        let mut check_args = args.clone();
        check_args.extend(["--policy", "policies/examples", "--fail-on", "never"]);
        let (_, doc) = check_json(&check_args);
        let ours: BTreeSet<Row> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let g = |k: &str| f[k].as_str().unwrap().to_string();
                let saving = f["monthly_saving"].as_str().map(String::from);
                (
                    g("policy"),
                    g("severity"),
                    g("address"),
                    g("message"),
                    saving,
                )
            })
            .collect();
        assert!(
            !ours.is_empty() || args.len() > 3,
            "case {args:?} should find something"
        );
        assert_eq!(ours, opa, "case {args:?}");
    }
}

/// An HCL directory: a module called with for_each whose counted resource carries a waiver,
/// a waiver at the start of a block body, and an untagged volume without one.
fn hcl_waiver_dir(extra_root: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("pool")).unwrap();
    std::fs::write(
        root.join("pool/main.tf"),
        "# costgate:ignore required-tags reason=\"scratch disks, FIN-9\"\nresource \"aws_ebs_volume\" \"scratch\" {\n  count             = 2\n  availability_zone = \"us-east-1a\"\n  size              = 100\n  tags              = { env = \"dev\" }\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("main.tf"),
        format!("provider \"aws\" {{\n  region = \"us-east-1\"\n}}\n\nmodule \"pool\" {{\n  source   = \"./pool\"\n  for_each = toset([\"a\", \"b\"])\n}}\n\nresource \"aws_ebs_volume\" \"inside\" {{\n  # costgate:ignore required-* reason=\"waived from inside the block\" until=2026-12-31\n  availability_zone = \"us-east-1a\"\n  size              = 10\n  tags              = {{ env = \"dev\" }}\n}}\n\nresource \"aws_ebs_volume\" \"plain\" {{\n  availability_zone = \"us-east-1a\"\n  size              = 10\n  tags              = {{ env = \"dev\" }}\n}}\n{extra_root}"),
    )
    .unwrap();
    dir
}

#[test]
fn inline_waivers_in_hcl_mode_cover_every_module_and_resource_instance() {
    let dir = hcl_waiver_dir("");
    let (code, doc) = check_json(&[dir.path().to_str().unwrap()]);
    let got = summary(&doc);
    let mut want: BTreeSet<_> = ["a", "b"]
        .iter()
        .flat_map(|k| {
            (0..2).map(move |i| {
                s(
                    "required-tags",
                    "deny",
                    &format!("module.pool[\"{k}\"].aws_ebs_volume.scratch[{i}]"),
                    true,
                )
            })
        })
        .collect();
    want.insert(s("required-tags", "deny", "aws_ebs_volume.inside", true));
    want.insert(s("required-tags", "deny", "aws_ebs_volume.plain", false));
    assert_eq!(got, want);
    assert_eq!(code, 1, "the plain volume still denies");
    let note = |a: &str| {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["address"] == a)
            .unwrap()["waiver_note"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let n = note("module.pool[\"b\"].aws_ebs_volume.scratch[1]");
    assert!(n.contains("pool/main.tf:1") && n.contains("FIN-9"), "{n}");
    assert!(note("aws_ebs_volume.inside").starts_with("waived until 2026-12-31"));
}

#[test]
fn unreadable_inline_waiver_stops_check_but_only_warns_estimate() {
    let dir = hcl_waiver_dir(
        "\n# costgate:ignore budget until=2026-12-31\nresource \"aws_ebs_volume\" \"late\" {\n  availability_zone = \"us-east-1a\"\n  size              = 1\n}\n",
    );
    let out = cg().args(["check"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("has no reason") && err.contains("main.tf:23"),
        "{err}"
    );
    let out = cg().args(["estimate"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("main.tf:23: costgate:ignore budget has no reason")
            && text.contains("`check` refuses"),
        "{text}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

#[test]
fn inline_waiver_in_a_nested_module_covers_every_module_instance_of_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new("testdata/plans/aws-multi-module"), dir.path());
    let node = dir.path().join("modules/node/main.tf");
    let tf = std::fs::read_to_string(&node).unwrap();
    std::fs::write(
        &node,
        format!(
            "// costgate:ignore required-tags reason=\"nodes are tagged by the cluster\"\n{tf}"
        ),
    )
    .unwrap();
    let cfg = dir.path().join("team.toml");
    std::fs::write(
        &cfg,
        "[policies.required-tags]\nrules = [{ keys = [\"budget_code\"] }]\n",
    )
    .unwrap();
    let plan = dir.path().join("plan.json");
    let (_, doc) = check_json(&[plan.to_str().unwrap(), "--config", cfg.to_str().unwrap()]);
    let got = summary(&doc);
    for m in [
        "module.training[\"nlp\"].module.node[0]",
        "module.training[\"vision\"].module.node[0]",
        "module.training[\"vision\"].module.node[1]",
    ] {
        let inst = s(
            "required-tags",
            "deny",
            &format!("{m}.aws_instance.this"),
            true,
        );
        assert!(got.contains(&inst), "{inst:?} in {got:?}");
        let vol = s(
            "required-tags",
            "deny",
            &format!("{m}.aws_ebs_volume.scratch"),
            false,
        );
        assert!(got.contains(&vol), "{vol:?} in {got:?}");
    }
    assert!(got.contains(&s(
        "required-tags",
        "deny",
        "aws_instance.bastion[0]",
        false
    )));
}

/// HCL mode has no provider schema: a resource that writes no `tags` argument must still be
/// judged by required-tags (a plan shows `tags: null` for it), while types that cannot carry
/// tags (an autoscaling group) are not.
#[test]
fn hcl_mode_flags_resources_that_write_no_tags() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"
provider "aws" {
  region = "us-east-1"
}

resource "aws_ebs_volume" "bare" {
  availability_zone = "us-east-1a"
  size              = 100
  type              = "gp3"
}

resource "aws_ebs_volume" "tagged" {
  availability_zone = "us-east-1a"
  size              = 100
  tags              = { team = "ml", owner = "ana" }
}
"#,
    )
    .unwrap();
    let (code, doc) = check_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    let got = summary(&doc);
    assert!(
        got.contains(&s("required-tags", "deny", "aws_ebs_volume.bare", false)),
        "{got:?}"
    );
    assert!(
        !got.iter().any(|f| f.2 == "aws_ebs_volume.tagged"),
        "{got:?}"
    );
}

/// A protected config (e.g. the base branch's, loaded with the action's policy-ref) can refuse
/// inline waivers, so a pull request cannot waive its own findings in its .tf files.
#[test]
fn config_can_refuse_inline_waivers() {
    let (dir, plan) = plan_copy(
        "resource \"aws_instance\" \"h100\"",
        "# costgate:ignore gpu-quota reason=\"burst approved in FIN-42\" until=2026-12-31",
    );
    let strict = dir.path().join("strict.toml");
    let base = std::fs::read_to_string(FAIL_CFG).unwrap();
    std::fs::write(&strict, format!("inline_waivers = false\n{base}")).unwrap();
    let (_, doc) = check_json(&[plan.to_str().unwrap(), "--config", strict.to_str().unwrap()]);
    let got = summary(&doc);
    assert!(
        got.contains(&s("gpu-quota", "deny", "aws_instance.h100[1]", false)),
        "{got:?}"
    );
    assert!(doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str().unwrap().contains("inline_waivers = false")));
}

const CONFTEST: &str = "testdata/conftest/policy";

/// Rows (policy, severity, address, message) of real OPA on `costgate policy input ARGS`, or
/// None when the bindings (or python3) are missing.
fn opa_rows(
    input_args: &[&str],
    opa_args: &[&str],
) -> Option<BTreeSet<(String, String, String, String)>> {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("input.json");
    let mut args = input_args.to_vec();
    args.extend(["--policy", CONFTEST]);
    std::fs::write(&f, policy_input(&args).to_string()).unwrap();
    let out = std::process::Command::new("python3")
        .arg("tests/it/opa_parity.py")
        .arg(&f)
        .args(opa_args)
        .output()
        .ok()?;
    if out.status.code() == Some(3) {
        return None;
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    Some(
        rows.iter()
            .map(|r| {
                let g = |k: &str| r[k].as_str().unwrap().to_string();
                (g("policy"), g("severity"), g("address"), g("msg"))
            })
            .collect(),
    )
}

/// The conftest-style (third-party) rows of `check --format json`.
fn conftest_rows(doc: &Value) -> BTreeSet<(String, String, String, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["policy"].as_str().unwrap().contains('/'))
        .map(|f| {
            let g = |k: &str| f[k].as_str().unwrap().to_string();
            (g("policy"), g("severity"), g("address"), g("message"))
        })
        .collect()
}

fn conftest_files() -> Vec<String> {
    ["tags.rego", "gpu_v0.rego", "cost.rego"]
        .iter()
        .map(|f| format!("{CONFTEST}/{f}"))
        .collect()
}

/// Policies written for conftest (package main and another package, Rego v1 and v0,
/// deny/violation/warn, strings and objects, reading resource_changes) run unchanged and give
/// exactly what real OPA gives, in plan mode and in HCL mode; their results are located.
#[test]
fn conftest_policies_run_unchanged_and_match_opa() {
    let files = conftest_files();
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (vec![PLAN, "--no-config"], vec![]),
        (
            vec![
                PLAN,
                "--no-config",
                "--data",
                "testdata/conftest/gpu_teams.yaml",
            ],
            vec!["--all-namespaces"],
        ),
        (
            vec!["testdata/plans/aws-policy-cases", "--no-config"],
            vec!["--all-namespaces"],
        ),
        (
            vec![
                "testdata/plans/aws-ml-platform-create/plan.json",
                "--no-config",
            ],
            vec!["--all-namespaces"],
        ),
    ];
    for (args, extra) in cases {
        let mut check = args.clone();
        check.extend(["--policy", CONFTEST, "--fail-on", "never"]);
        check.extend(extra.iter().copied());
        let (_, doc) = check_json(&check);
        let ours = conftest_rows(&doc);
        assert!(!ours.is_empty(), "{args:?}");
        // Every result that names a resource is located at its file:line.
        for f in doc["findings"].as_array().unwrap() {
            if f["policy"].as_str().unwrap().contains('/') && f["address"] != "" {
                assert!(f["source"]["line"].as_u64().is_some(), "{f}");
            }
        }
        let mut opa_args: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        if let Some(i) = args.iter().position(|a| *a == "--data") {
            opa_args.extend(["--data".into(), args[i + 1].to_string()]);
        }
        opa_args.extend(files.iter().cloned());
        let opa_args: Vec<&str> = opa_args.iter().map(String::as_str).collect();
        let Some(opa) = opa_rows(&args, &opa_args) else {
            eprintln!("SKIP: opa-golib-python-bindings not installed");
            continue;
        };
        assert_eq!(ours, opa, "case {args:?}");
    }
    // The shapes: a string naming one address, an object with `address`, `details.address`,
    // and a plan-level result.
    let (_, doc) = check_json(&[
        PLAN,
        "--no-config",
        "--policy",
        CONFTEST,
        "--all-namespaces",
        "--fail-on",
        "never",
    ]);
    let rows = conftest_rows(&doc);
    let has =
        |p: &str, a: &str, m: &str| rows.iter().any(|r| r.0 == p && r.2 == a && r.3.contains(m));
    assert!(has(
        "main/deny",
        "aws_ebs_volume.untagged",
        "missing required tags: cost-center"
    ));
    assert!(has(
        "main/warn_big",
        "aws_instance.h100[0]",
        "most expensive"
    ));
    assert!(has(
        "terraform.cost/violation",
        "aws_instance.h100[2]",
        "costs 40179.20 a month"
    ));
    assert!(has("main/warn", "", "this plan creates 8 resources"));
    assert!(has(
        "main/deny_untagged_volume",
        "aws_ebs_volume.untagged",
        "no tags at all"
    ));
    // Without --all-namespaces only `main` counts; --namespace picks others.
    let (_, doc) = check_json(&[
        PLAN,
        "--no-config",
        "--policy",
        CONFTEST,
        "--fail-on",
        "never",
    ]);
    assert!(!conftest_rows(&doc)
        .iter()
        .any(|r| r.0.starts_with("terraform.")));
    let warned = doc["warnings"].as_array().unwrap().iter().any(|w| {
        w.as_str()
            .unwrap()
            .contains("package(s) terraform.cost not evaluated")
    });
    assert!(warned, "{}", doc["warnings"]);
    let (_, doc) = check_json(&[
        PLAN,
        "--no-config",
        "--policy",
        CONFTEST,
        "-n",
        "terraform.*",
        "--fail-on",
        "never",
    ]);
    let rows = conftest_rows(&doc);
    assert!(rows.iter().all(|r| r.0.starts_with("terraform.cost/")) && !rows.is_empty());
    // Waivable: a config waiver on the conftest id.
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(&cfg, "[[waivers]]\npolicy = \"main/deny\"\naddress = \"aws_instance.h100\"\nreason = \"tagged at apply\"\n").unwrap();
    let (_, doc) = check_json(&[
        PLAN,
        "--config",
        cfg.to_str().unwrap(),
        "--policy",
        CONFTEST,
        "--fail-on",
        "never",
    ]);
    let waived: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["waived"] == true)
        .collect();
    assert_eq!(waived.len(), 3, "{waived:?}");
}

#[test]
fn conftest_tests_pass_and_v0_can_be_refused() {
    let out = cg().args(["policy", "test", CONFTEST]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("6 passed, 0 failed, 0 errors, 1 skipped"),
        "{text}"
    );
    assert!(text.contains("PASS  data.main.test_plan_excerpt_from_a_file"));
    assert!(text.contains("note: testdata/conftest/policy/gpu_v0.rego: Rego v0 syntax"));
    let out = cg()
        .args([
            "check",
            PLAN,
            "--no-config",
            "--policy",
            CONFTEST,
            "--rego-version",
            "v1",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--rego-version v1 refuses it"), "{err}");
    assert!(err.contains("cost.rego:5:1"), "{err}");
}

/// Every configuration mistake exits 2 with the file:line of the mistake.
#[test]
fn configuration_mistakes_are_errors_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &str, &str)] = &[
        ("unknown.toml", "[policies.gpu-quota]\nscope_tag = \"env\"\nlimits = [\n  { gpus = \"A100*\", max = 8 },\n]\n", "unknown.toml:4:1"),
        ("shape.toml", "[policies.required-tags]\nexact_keys = true\nrules = [{ keys = \"team\" }]\n", "shape.toml:3:1"),
        ("gpu.toml", "[policies.gpu-quota]\nlimits = [{ gpu = 8, max = 8 }]\n", "gpu.toml:2:1"),
        ("id.toml", "fail_on = \"deny\"\n\n[policies.gpu-qouta]\nlimits = []\n", "id.toml:3:1"),
        ("enum.toml", "[policies.gpu-quota]\ncount_at = \"maximum\"\n", "enum.toml:2:1"),
        ("pattern.toml", "[policies.idle-autopause]\nautostop_patterns = \"idle\"\n", "pattern.toml:2:1"),
    ];
    for (name, text, at) in cases {
        let f = dir.path().join(name);
        std::fs::write(&f, text).unwrap();
        let out = cg()
            .args(["check", PLAN, "--config"])
            .arg(&f)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(at), "{name}: {err}");
    }
    let y = dir.path().join("d.yaml");
    std::fs::write(
        &y,
        "policies:\n  idle-autopause:\n    autostop_pattern: [x]\n",
    )
    .unwrap();
    let out = cg()
        .args(["check", PLAN, "--no-config", "--data"])
        .arg(&y)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("`autostop_pattern`") && err.contains("d.yaml:3:1"),
        "{err}"
    );
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = cg()
        .args(["check", PLAN, "--no-config", "--policy"])
        .arg(&empty)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds no .rego file"));
    std::fs::write(empty.join("x_test.rego"), "package x_test\n").unwrap();
    let out = cg()
        .args(["check", PLAN, "--no-config", "--policy"])
        .arg(&empty)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only tests"));
    let w = dir.path().join("w.toml");
    std::fs::write(
        &w,
        "[[waivers]]\npolicy = \"gpu-qota\"\naddress = \"*\"\nreason = \"x\"\n",
    )
    .unwrap();
    let out = cg()
        .args(["check", PLAN, "--config"])
        .arg(&w)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("`gpu-qota`") && err.contains("w.toml:1"),
        "{err}"
    );
}

/// A waiver above a `module` block covers every resource of that module (not of another call
/// of the same directory), and findings in a module name the call site.
#[test]
fn module_block_waivers_cover_the_module_and_findings_name_the_call_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("m")).unwrap();
    std::fs::write(
        root.join("main.tf"),
        "provider \"aws\" {\n  region = \"us-east-1\"\n}\n\n# costgate:ignore required-tags reason=\"tagged by the platform module\"\nmodule \"gpu\" {\n  source = \"./m\"\n  size   = \"g5.xlarge\"\n}\n\nmodule \"other\" {\n  source = \"./m\"\n  size   = \"t3.micro\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("m/main.tf"),
        "variable \"size\" {}\n\nresource \"aws_instance\" \"node\" {\n  ami           = \"ami-1\"\n  instance_type = var.size\n}\n",
    )
    .unwrap();
    let (_, doc) = check_json(&[root.to_str().unwrap(), "--no-config", "--fail-on", "never"]);
    let tags: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["policy"] == "required-tags")
        .collect();
    assert_eq!(tags.len(), 2, "{tags:?}");
    for f in tags {
        let gpu = f["address"] == "module.gpu.aws_instance.node";
        assert_eq!(f["waived"], gpu, "{f}");
        assert_eq!(f["call_site"]["line"], if gpu { 6 } else { 11 }, "{f}");
        assert_eq!(f["source"]["line"], 3);
    }
}

/// A lifecycle configuration whose script is not a known auto-stop is `unknown` (a warning
/// that says so, and that its name claims auto-stop); `autostop_patterns` recognise it.
#[test]
fn unrecognised_lifecycle_scripts_warn_and_patterns_recognise_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"provider "aws" {
  region = "us-east-1"
}

resource "aws_sagemaker_notebook_instance_lifecycle_configuration" "autostop" {
  name     = "team-autostop"
  on_start = base64encode("/opt/team/reaper.sh --after 1h")
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name                  = "nb"
  role_arn              = "arn:aws:iam::123456789012:role/x"
  instance_type         = "ml.g4dn.xlarge"
  lifecycle_config_name = aws_sagemaker_notebook_instance_lifecycle_configuration.autostop.name
  tags                  = { team = "a", owner = "b" }
}
"#,
    )
    .unwrap();
    let path = dir.path().to_str().unwrap();
    let (code, doc) = check_json(&[path, "--no-config"]);
    let idle: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["policy"] == "idle-autopause")
        .collect();
    assert_eq!(code, 0, "{idle:?}");
    assert_eq!(idle.len(), 1);
    assert_eq!(idle[0]["severity"], "warn");
    let msg = idle[0]["message"].as_str().unwrap();
    assert!(msg.contains("not recognised as an idle auto-stop"), "{msg}");
    assert!(
        msg.contains("its name `team-autostop` says auto-stop"),
        "{msg}"
    );
    let data = dir.path().join("d.yaml");
    std::fs::write(
        &data,
        "policies:\n  idle-autopause:\n    autostop_patterns: [\"reaper\\\\.sh\"]\n",
    )
    .unwrap();
    let (_, doc) = check_json(&[path, "--no-config", "--data", data.to_str().unwrap()]);
    assert!(!doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["policy"] == "idle-autopause"));
}

#[test]
fn inline_waiver_naming_no_policy_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "provider \"aws\" {\n  region = \"us-east-1\"\n}\n\n# costgate:ignore required-tag reason=\"typo\"\nresource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"us-east-1a\"\n  size = 10\n}\n",
    )
    .unwrap();
    let out = cg()
        .args(["check", "--no-config"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("`required-tag`") && err.contains("main.tf:5:1"),
        "{err}"
    );
}

/// HCL mode synthesises `resource_changes` in the plan's shape: the same addresses, types,
/// actions and written attributes as terraform's own plan of the same files.
#[test]
fn hcl_mode_resource_changes_match_the_plan() {
    let key = |d: &Value| -> BTreeSet<(String, String, String, String, String)> {
        d["resource_changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|rc| rc["mode"] == "managed")
            .map(|rc| {
                let after = &rc["change"]["after"];
                (
                    rc["address"].as_str().unwrap().to_string(),
                    rc["type"].as_str().unwrap().to_string(),
                    rc["change"]["actions"].to_string(),
                    rc["provider_name"].as_str().unwrap().to_string(),
                    after["instance_type"].to_string(),
                )
            })
            .collect()
    };
    let plan = policy_input(&[PLAN, "--no-config", "--plan-fields"]);
    let hcl = policy_input(&[
        "testdata/plans/aws-policy-cases",
        "--no-config",
        "--plan-fields",
    ]);
    // Without --plan-fields (and no policy reading them) the fields are left out.
    assert!(policy_input(&[PLAN, "--no-config"])
        .get("resource_changes")
        .is_none());
    assert_eq!(key(&plan), key(&hcl));
    assert_eq!(plan["terraform_version"], "1.11.4");
    assert!(hcl.get("terraform_version").is_none());
    let tags = |d: &Value| d["resource_changes"][1]["change"]["after"]["tags"].clone();
    assert_eq!(tags(&plan), tags(&hcl));
}

/// conftest `exception` rules exempt the rules they name (for the whole input, as in
/// conftest): the findings are reported as waived, saying why.
#[test]
fn conftest_exceptions_waive_the_rules_they_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.rego"),
        "package main\n\nimport rego.v1\n\ndeny_gpu contains msg if {\n\tsome rc in input.resource_changes\n\tstartswith(rc.change.after.instance_type, \"p5.\")\n\tmsg := sprintf(\"%s is a p5\", [rc.address])\n}\n\ndeny contains \"plain\" if true\n\nexception contains rules if {\n\tinput.format_version\n\trules := [\"gpu\"]\n}\n",
    )
    .unwrap();
    let (code, doc) = check_json(&[
        PLAN,
        "--no-config",
        "--policy",
        dir.path().to_str().unwrap(),
    ]);
    let rows: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["policy"].as_str().unwrap().starts_with("main/"))
        .collect();
    assert_eq!(rows.len(), 4, "{rows:?}");
    for f in &rows {
        let gpu = f["policy"] == "main/deny_gpu";
        assert_eq!(f["waived"], gpu, "{f}");
        if gpu {
            assert!(f["waiver_note"]
                .as_str()
                .unwrap()
                .contains("conftest exception in main"));
        }
    }
    assert_eq!(code, 1, "the plain deny still fails");
}

/// With `--no-inline-waivers` (the action passes it with policy-ref) a pull request's
/// `# costgate:ignore` comments count only when the trusted config says `inline_waivers = true`.
#[test]
fn untrusted_pull_requests_cannot_waive_their_own_findings() {
    let (dir, plan) = plan_copy(
        "resource \"aws_instance\" \"h100\"",
        "# costgate:ignore gpu-quota reason=\"burst approved in FIN-42\" until=2026-12-31",
    );
    let p = plan.to_str().unwrap();
    let waived =
        |doc: &Value| summary(doc).contains(&s("gpu-quota", "deny", "aws_instance.h100[1]", true));
    let (_, doc) = check_json(&[p, "--config", FAIL_CFG]);
    assert!(waived(&doc), "honoured without the flag");
    for args in [
        vec![p, "--config", FAIL_CFG, "--no-inline-waivers"],
        vec![p, "--no-config", "--no-inline-waivers"],
    ] {
        let (_, doc) = check_json(&args);
        assert!(!waived(&doc), "{args:?}");
        assert!(doc["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("--no-inline-waivers")));
    }
    let allow = dir.path().join("allow.toml");
    let base = std::fs::read_to_string(FAIL_CFG).unwrap();
    std::fs::write(&allow, format!("inline_waivers = true\n{base}")).unwrap();
    let (_, doc) = check_json(&[
        p,
        "--config",
        allow.to_str().unwrap(),
        "--no-inline-waivers",
    ]);
    assert!(waived(&doc), "the trusted config turns them on");
}

/// A waiver for every policy, or one that expires beyond the horizon (366 days by default,
/// `waiver_horizon_days`), is a configuration error at its file:line.
#[test]
fn wildcard_and_far_future_waivers_are_configuration_errors() {
    let refused = |args: &[&str], want: &[&str]| {
        let out = cg().args(["check"]).args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        for w in want {
            assert!(err.contains(w), "{w} not in {err}");
        }
    };
    let (_d, plan) = plan_copy(
        "resource \"aws_instance\" \"h100\"",
        "# costgate:ignore * reason=\"everything is fine\"",
    );
    refused(
        &[plan.to_str().unwrap(), "--no-config"],
        &["main.tf:", "every policy"],
    );
    let (dir, plan) = plan_copy(
        "resource \"aws_instance\" \"h100\"",
        "# costgate:ignore gpu-quota reason=\"forever\" until=2099-01-01",
    );
    let p = plan.to_str().unwrap();
    refused(&[p, "--no-config"], &["main.tf:", "366 days"]);
    // Off (policy-ref): not judged; a config horizon that allows it: accepted.
    let (code, _) = check_json(&[p, "--no-config", "--no-inline-waivers"]);
    assert_eq!(code, 1);
    let long = dir.path().join("long.toml");
    let base = std::fs::read_to_string(FAIL_CFG).unwrap();
    std::fs::write(&long, format!("waiver_horizon_days = 30000\n{base}")).unwrap();
    let (_, doc) = check_json(&[p, "--config", long.to_str().unwrap()]);
    assert!(summary(&doc).contains(&s("gpu-quota", "deny", "aws_instance.h100[1]", true)));
    let cfg = dir.path().join("far.toml");
    std::fs::write(
        &cfg,
        "[[waivers]]\npolicy = \"budget\"\naddress = \"*\"\nreason = \"ok\"\nuntil = \"2028-01-01\"\n",
    )
    .unwrap();
    refused(
        &[p, "--config", cfg.to_str().unwrap(), "--no-inline-waivers"],
        &["far.toml:1", "366 days"],
    );
}

/// `--policy` pointing at an empty folder, a file that is not .rego or an unreadable folder is
/// an error (exit 2), not "no extra policies".
#[test]
fn a_policy_path_without_rego_files_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let txt = dir.path().join("rules.txt");
    std::fs::write(&txt, "package costgate.x\n").unwrap();
    let only_other = dir.path().join("docs");
    std::fs::create_dir(&only_other).unwrap();
    std::fs::write(only_other.join("README.md"), "x").unwrap();
    let mut cases = vec![
        (empty, "holds no .rego file"),
        (txt, "is not a .rego file"),
        (only_other, "holds no .rego file"),
    ];
    // Unreadable (skipped as root, who reads everything).
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("a.rego"), "package costgate.a\n").unwrap();
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    if std::fs::read_dir(&locked).is_err() {
        cases.push((locked.clone(), "cannot read policy path"));
    }
    for (p, want) in cases {
        let out = cg()
            .args(["check", PLAN, "--policy"])
            .arg(&p)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {err}", p.display());
        assert!(err.contains(want), "{want} not in {err}");
    }
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
}

/// policies/defaults.json is the source of every built-in setting's default: each fallback a
/// built-in Rego policy writes (`object.get(cfg, "key", X)`, or a named list such as
/// `default_pool_types`) and each default the docs table shows (`` `key` (X) ``) must equal
/// it, so the three cannot drift apart.
#[test]
fn policy_defaults_agree_with_defaults_json() {
    let defaults: Value =
        serde_json::from_str(&std::fs::read_to_string("policies/defaults.json").unwrap()).unwrap();
    let defaults = &defaults["policies"];
    let first_json = |s: &str| -> Option<Value> {
        let mut it = serde_json::Deserializer::from_str(s).into_iter::<Value>();
        it.next()?.ok()
    };
    let get =
        regex::Regex::new(r#"object\.get\(cfg, "(\w+)", ((?s:.*?))\)\s*(?:\n|[*}|])"#).unwrap();
    let mut checked = 0;
    let mut drift = Vec::new();
    for (id, settings) in defaults.as_object().unwrap() {
        let file = format!("policies/{}.rego", id.replace('-', "_"));
        let rego = std::fs::read_to_string(&file).unwrap();
        for c in get.captures_iter(&rego) {
            let (key, lit) = (&c[1], c[2].trim());
            let value = match first_json(lit) {
                Some(v) => v,
                None => {
                    // A named list: `name := [...]` in this file or the one it names.
                    let (pkg, name) = lit.rsplit_once('.').unwrap_or(("", lit));
                    let text = if pkg.is_empty() {
                        rego.clone()
                    } else {
                        std::fs::read_to_string(format!("policies/{pkg}.rego")).unwrap()
                    };
                    let at = text
                        .find(&format!("{name} := "))
                        .unwrap_or_else(|| panic!("{file}: `{lit}` for {key} not found"));
                    let body = &text[at + name.len() + 4..];
                    let body = body.replace(",\n]", "\n]");
                    first_json(&body).unwrap_or_else(|| panic!("{file}: {name} is not a literal"))
                }
            };
            let want = settings
                .get(key)
                .unwrap_or_else(|| panic!("{file}: setting {key} is not in defaults.json"));
            // Deliberate: without any configuration the Rego requires no tags
            // (required_tags_test.rego `test_no_config_no_findings`); costgate always passes
            // the defaults.json rules.
            if &value != want && (id.as_str(), key) != ("required-tags", "rules") {
                drift.push(format!("{file}: {key} = {value} (defaults.json: {want})"));
            }
            checked += 1;
        }
    }
    // The docs table: `key` (VALUE…) in each policy's row.
    let docs = std::fs::read_to_string("docs/policies.md").unwrap();
    let pair = regex::Regex::new(r"`(\w+)` \(([^)]*)").unwrap();
    for line in docs.lines().filter(|l| l.starts_with("| `")) {
        let id = &line[3..line[3..].find('`').unwrap() + 3];
        let Some(settings) = defaults.get(id) else {
            continue;
        };
        for c in pair.captures_iter(line) {
            let (key, text) = (&c[1], &c[2]);
            let (Some(want), Some(shown)) = (settings.get(key), first_json(text)) else {
                continue;
            };
            if &shown != want {
                drift.push(format!(
                    "docs/policies.md: {id}.{key} = {shown} (defaults.json: {want})"
                ));
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} defaults compared");
    assert!(drift.is_empty(), "defaults differ:\n{}", drift.join("\n"));
}

/// A rule that hits a runtime error (a failing builtin) is never silently fewer findings: a
/// visible warning at the policy file:line, and under `--strict` an error (exit 2). Rules that
/// do not err still report (issue 24).
#[test]
fn a_rule_runtime_error_is_reported_never_silent() {
    let dir = tempfile::tempdir().unwrap();
    let rego = dir.path().join("fmt.rego");
    std::fs::write(
        &rego,
        r#"package costgate.custom_fmt

import rego.v1

deny contains f if {
	some r in input.resources
	r.type == "aws_instance"
	f := {"policy": "custom-fmt", "address": r.address, "msg": sprintf("%d GPUs", [1.5])}
}

warn contains f if {
	some r in input.resources
	r.address == "aws_instance.p5"
	f := {"policy": "custom-fmt", "address": r.address, "msg": "still reported"}
}
"#,
    )
    .unwrap();
    let run = |strict: bool| {
        let mut c = Command::cargo_bin("costgate").unwrap();
        c.env("NO_COLOR", "1").args([
            "check",
            "testdata/plans/aws-gpu-create/plan.json",
            "--no-config",
            "--format",
            "json",
            "--policy",
        ]);
        c.arg(&rego);
        if strict {
            c.arg("--strict");
        }
        c.output().unwrap()
    };
    let out = run(false);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let warnings = doc["warnings"].to_string();
    assert!(
        warnings.contains("policy runtime error at") && warnings.contains("fmt.rego:8"),
        "{warnings}"
    );
    let custom: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["policy"] == "custom-fmt")
        .collect();
    assert_eq!(custom.len(), 1, "{custom:?}");
    assert_eq!(custom[0]["message"], "still reported");
    let out = run(true);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("policy runtime error") && err.contains("fmt.rego:8"),
        "{err}"
    );
}

/// `actions` (issue 24): with `--compare-to`, a legacy untagged resource the change leaves
/// alone is `no-op` and not judged by required-tags, as in plan mode; the new one is.
#[test]
fn compare_to_judges_only_what_the_change_touches() {
    let dir = tempfile::tempdir().unwrap();
    let (base, head) = (dir.path().join("base"), dir.path().join("head"));
    let legacy = "provider \"aws\" {\n  region = \"us-east-1\"\n}\nresource \"aws_instance\" \"legacy\" {\n  ami           = \"ami-0123456789abcdef0\"\n  instance_type = \"m5.large\"\n}\n";
    std::fs::create_dir_all(&base).unwrap();
    std::fs::create_dir_all(&head).unwrap();
    std::fs::write(base.join("main.tf"), legacy).unwrap();
    std::fs::write(
        head.join("main.tf"),
        format!("{legacy}resource \"aws_instance\" \"new\" {{\n  ami           = \"ami-0123456789abcdef0\"\n  instance_type = \"m5.large\"\n}}\n"),
    )
    .unwrap();
    let out = Command::cargo_bin("costgate")
        .unwrap()
        .args(["check", "--no-config", "--format", "json", "--compare-to"])
        .arg(&base)
        .arg(&head)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let denied: BTreeSet<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["policy"] == "required-tags")
        .map(|f| f["address"].as_str().unwrap())
        .collect();
    assert_eq!(denied, BTreeSet::from(["aws_instance.new"]), "{doc}");
}

/// A policy that runs past `--policy-timeout` is stopped with a clear error (exit 2), and one
/// that calls `http.send` is said to get no network.
#[test]
fn a_slow_policy_is_stopped_and_http_send_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("slow.rego"),
        "package costgate.slow\n\nimport rego.v1\n\ndeny contains msg if {\n  n := count([1 | some i in numbers.range(1, 50000); some j in numbers.range(1, 50000); i * j == -1])\n  n < 0\n  msg := \"never\"\n}\n",
    )
    .unwrap();
    // 2.5 billion iterations of the interpreter: only the deadline ends it this soon.
    let out = cg()
        .args(["check", PLAN, "--policy-timeout", "1", "--policy"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("costgate::policy::timeout"), "{err}");
    assert!(err.contains("took longer than 1s"), "{err}");
    let net = tempfile::tempdir().unwrap();
    std::fs::write(
        net.path().join("net.rego"),
        "package costgate.net\n\nimport rego.v1\n\ndeny contains msg if {\n  r := http.send({\"method\": \"get\", \"url\": \"http://127.0.0.1:9/\"})\n  msg := sprintf(\"%v\", [r])\n}\n",
    )
    .unwrap();
    let out = cg()
        .args(["check", PLAN, "--format", "json", "--policy"])
        .arg(net.path())
        .output()
        .unwrap();
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        doc["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("calls http.send")),
        "{}",
        doc["warnings"]
    );
}
