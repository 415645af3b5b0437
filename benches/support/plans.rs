//! Realistic generated inputs for the benchmark, built from the real fixtures.
//!
//! Plans: every `terraform show -json` fixture made by real Terraform under testdata/plans/aws-*
//! (instances, GPU node groups, ASGs + launch templates, SageMaker, EBS, S3, IAM, VPC pieces;
//! creates, updates, replaces, deletes) becomes the body of a `for_each` module, instantiated as
//! many times as it takes to reach `n` resources. Each copy keeps everything Terraform writes
//! (`resource_changes` with full attribute sets and unknown/sensitive masks, `planned_values`,
//! `prior_state` for fixtures with state, `configuration` once per module as Terraform does), with
//! addresses moved under the module instance and a `team` tag that varies across 50 teams.
//!
//! HCL: the HCL fixture directories become modules, copied until the tree holds `files` .tf
//! files, with a root that calls each copy.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

/// The real plan fixtures the generated plans are made of.
const PLAN_FIXTURES: &[&str] = &[
    "aws-gpu-create",
    "aws-ml-platform-create",
    "aws-multi-module",
    "aws-policy-cases",
    "aws-update",
    "aws-replace",
    "aws-delete",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

struct Fixture {
    name: String,
    plan: Value,
}

fn fixtures() -> Vec<Fixture> {
    PLAN_FIXTURES
        .iter()
        .map(|name| {
            let path = root().join("testdata/plans").join(name).join("plan.json");
            let text = std::fs::read_to_string(&path).expect("fixture plan");
            let plan: Value = serde_json::from_str(&text).expect("fixture JSON");
            Fixture {
                name: name.replace('-', "_"),
                plan,
            }
        })
        .collect()
}

/// Move every `address` / `module_address` in `v` under `module`, and vary `team` tags.
fn relocate(v: &mut Value, module: &str, team: &str) {
    match v {
        Value::Object(o) => {
            for key in ["address", "module_address"] {
                if let Some(Value::String(a)) = o.get_mut(key) {
                    *a = format!("{module}.{a}");
                }
            }
            if o.contains_key("address")
                && o.contains_key("type")
                && !o.contains_key("module_address")
            {
                o.insert("module_address".into(), json!(module));
            }
            for key in ["tags", "tags_all"] {
                if let Some(Value::Object(t)) = o.get_mut(key) {
                    if t.contains_key("team") {
                        t.insert("team".into(), json!(team));
                    }
                }
            }
            for (_, x) in o.iter_mut() {
                relocate(x, module, team);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| relocate(x, module, team)),
        _ => {}
    }
}

/// The `resources` list of a module tree (`planned_values` / `prior_state.values`), flattened.
fn module_resources(m: &Value, out: &mut Vec<Value>) {
    if let Some(rs) = m["resources"].as_array() {
        out.extend(rs.iter().cloned());
    }
    if let Some(cs) = m["child_modules"].as_array() {
        cs.iter().for_each(|c| module_resources(c, out));
    }
}

/// A plan of about `n` managed resources (exactly `n` resource changes of mode managed, plus the
/// data sources the fixtures read).
pub fn plan(n: usize) -> String {
    let fixtures = fixtures();
    let mut changes = Vec::new();
    let mut planned = Vec::new();
    let mut prior = Vec::new();
    let mut count = 0;
    let mut copy = 0;
    'outer: loop {
        for f in &fixtures {
            if count >= n {
                break 'outer;
            }
            let module = format!("module.{}[\"c{copy}\"]", f.name);
            let team = format!("team-{}", copy % 50);
            let mut rcs = f.plan["resource_changes"].clone();
            relocate(&mut rcs, &module, &team);
            let mut taken = Vec::new();
            for rc in rcs.as_array().into_iter().flatten() {
                if rc["mode"] != "data" {
                    if count >= n {
                        break;
                    }
                    count += 1;
                }
                taken.push(rc.clone());
            }
            changes.extend(taken);
            let mut pv = Vec::new();
            module_resources(&f.plan["planned_values"]["root_module"], &mut pv);
            let mut pv = Value::Array(pv);
            relocate(&mut pv, &module, &team);
            planned.extend(pv.as_array().cloned().unwrap_or_default());
            let mut ps = Vec::new();
            module_resources(&f.plan["prior_state"]["values"]["root_module"], &mut ps);
            let mut ps = Value::Array(ps);
            relocate(&mut ps, &module, &team);
            prior.extend(ps.as_array().cloned().unwrap_or_default());
        }
        copy += 1;
    }
    let mut calls = Map::new();
    for f in &fixtures {
        calls.insert(
            f.name.clone(),
            json!({"source": format!("./{}", f.name), "for_each": {"references": ["local.copies"]},
                   "module": f.plan["configuration"]["root_module"].clone()}),
        );
    }
    let provider = fixtures[4].plan["configuration"]["provider_config"].clone();
    let state = json!({"format_version": "1.0", "terraform_version": "1.11.4",
                       "values": {"root_module": {"resources": prior}}});
    json!({
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "prior_state": state,
        "configuration": {"provider_config": provider, "root_module": {"module_calls": calls}},
        "timestamp": "2026-11-26T12:00:00Z",
        "applyable": true,
        "complete": true,
        "errored": false
    })
    .to_string()
}

/// The HCL fixture directories made into modules.
const HCL_FIXTURES: &[&str] = &[
    "testdata/plans/aws-ml-platform-create",
    "testdata/plans/aws-gpu-create",
    "testdata/plans/aws-policy-cases",
    "testdata/hcl/features",
];

/// Write a tree of `files` .tf files under `dir` (modules copied from the HCL fixtures, a root
/// that calls each copy) and return how many .tf files it holds.
pub fn hcl_tree(dir: &Path, files: usize) -> usize {
    let mut written = 0;
    let mut calls = String::new();
    let mut copy = 0;
    while written < files {
        for src in HCL_FIXTURES {
            if written >= files {
                break;
            }
            let name = format!(
                "m{copy}_{}",
                Path::new(src)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .replace('-', "_")
            );
            let dest = dir.join("modules").join(&name);
            written += copy_tf(&root().join(src), &dest);
            calls.push_str(&format!(
                "module \"{name}\" {{\n  source = \"./modules/{name}\"\n}}\n\n"
            ));
        }
        copy += 1;
    }
    std::fs::write(dir.join("main.tf"), calls).expect("root main.tf");
    written + 1
}

/// Copy the .tf files of `src` (recursively, without `terraform {}`/`provider` blocks the root
/// would own) to `dest`; returns how many were written.
fn copy_tf(src: &Path, dest: &Path) -> usize {
    let mut n = 0;
    for e in walkdir::WalkDir::new(src)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "tf" || x == "tfvars") {
            let rel = p.strip_prefix(src).expect("under src");
            let out = dest.join(rel);
            std::fs::create_dir_all(out.parent().expect("parent")).expect("mkdir");
            std::fs::copy(p, &out).expect("copy .tf");
            n += usize::from(p.extension().is_some_and(|x| x == "tf"));
        }
    }
    n
}
