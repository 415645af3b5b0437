//! The "varied" benchmark plan shape: unlike `plans::plan` (whole fixtures copied as modules),
//! every resource here is drawn on its own from a weighted mix of types, each cloned from a
//! real `terraform show -json` fixture's full attribute set and then varied, so the plan looks
//! like a large organisation's: instances 29 %, EBS volumes 24 %, SageMaker notebooks 9 % and
//! their lifecycle configurations 9 %, EKS GPU node groups 12 %, NAT gateways, S3 buckets, GCP
//! instances and GKE node pools, Azure VMs and AKS node pools; ~89 % tagged with 3–14 keys
//! (provider `default_tags` merged into `tags_all`, GCP `labels`); 82 % create, 6 % update,
//! 6 % replace, 6 % delete; addresses nested two modules deep (`for_each` teams calling `count`
//! pools). Deterministic: the same `n` always gives the same plan.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Map, Value};

/// (type, weight in ‰, fixture that holds a full attribute set for it).
const MIX: &[(&str, u32, &str)] = &[
    ("aws_instance", 290, "aws-gpu-create"),
    ("aws_ebs_volume", 240, "aws-gpu-create"),
    (
        "aws_sagemaker_notebook_instance",
        90,
        "aws-ml-platform-create",
    ),
    (
        "aws_sagemaker_notebook_instance_lifecycle_configuration",
        90,
        "aws-ml-platform-create",
    ),
    ("aws_eks_node_group", 120, "aws-ml-platform-create"),
    ("aws_nat_gateway", 30, "aws-ml-platform-create"),
    ("aws_s3_bucket", 40, "aws-ml-platform-create"),
    ("google_compute_instance", 30, "gcp-ml"),
    ("google_container_node_pool", 30, "gcp-ml"),
    ("azurerm_linux_virtual_machine", 20, "azure-ml"),
    ("azurerm_kubernetes_cluster_node_pool", 20, "azure-ml"),
];

const EC2_TYPES: &[&str] = &[
    "m5.large",
    "m5.2xlarge",
    "c5.4xlarge",
    "r5.xlarge",
    "t3.medium",
    "g5.xlarge",
    "g5.12xlarge",
    "g6.2xlarge",
    "p4d.24xlarge",
    "p5.48xlarge",
];
const NOTEBOOK_TYPES: &[&str] = &[
    "ml.t3.medium",
    "ml.m5.xlarge",
    "ml.g4dn.xlarge",
    "ml.g5.2xlarge",
    "ml.p3.2xlarge",
];
const NODE_TYPES: &[&[&str]] = &[
    &["g5.2xlarge"],
    &["g6.xlarge", "g6.2xlarge"],
    &["p4d.24xlarge"],
    &["p5.48xlarge"],
    &["m5.xlarge"],
];
const VOLUME_TYPES: &[&str] = &["gp3", "gp2", "io2", "st1"];
const GCE_TYPES: &[&str] = &[
    "n2-standard-8",
    "a2-highgpu-1g",
    "g2-standard-8",
    "e2-medium",
];
const AZURE_SIZES: &[&str] = &[
    "Standard_D4s_v5",
    "Standard_NC24ads_A100_v4",
    "Standard_NC4as_T4_v3",
];
const TAG_KEYS: &[&str] = &[
    "team",
    "env",
    "owner",
    "cost-center",
    "project",
    "app",
    "component",
    "managed-by",
    "data-classification",
    "repo",
    "tier",
    "created-by",
    "compliance",
    "backup",
];
const ENVS: &[&str] = &["dev", "staging", "prod", "sandbox"];

/// Lifecycle scripts (base64 of `on_start`): an idle auto-stop, a setup script, empty.
const SCRIPTS: &[&str] = &[
    "#!/bin/bash\nset -e\nIDLE_TIME=3600\n(crontab -l; echo \"*/5 * * * * python3 /home/ec2-user/autostop.py --time $IDLE_TIME\") | crontab -\n",
    "#!/bin/bash\nset -e\nsudo -u ec2-user -i pip install --upgrade transformers datasets\n",
    "#!/bin/bash\necho start\n",
];

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

/// The first created resource change of each type in the fixtures `MIX` names.
fn templates(root: &Path) -> BTreeMap<&'static str, Value> {
    let mut plans: BTreeMap<&str, Value> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for (ty, _, fixture) in MIX {
        let plan = plans.entry(fixture).or_insert_with(|| {
            let path = root.join("testdata/plans").join(fixture).join("plan.json");
            serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
        });
        let rc = plan["resource_changes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|rc| rc["type"] == *ty && rc["change"]["after"].is_object())
            .unwrap_or_else(|| panic!("no {ty} in {fixture}"))
            .clone();
        out.insert(*ty, rc);
    }
    out
}

/// Tags for one resource: `None` for the ~11 % untagged, else 3–14 keys of which `team` and
/// `env` are usually present.
fn tags(rng: &mut Rng, team: usize, env: &str) -> Option<Map<String, Value>> {
    if rng.below(100) < 11 {
        return None;
    }
    let mut t = Map::new();
    let n = 3 + rng.below(12) as usize;
    for key in TAG_KEYS.iter().take(n) {
        let v = match *key {
            "team" if rng.below(20) == 0 => continue, // a few miss a required tag
            "team" => format!("team-{team}"),
            "env" => env.to_string(),
            "owner" => format!("owner-{team}@example.com"),
            k => format!("{k}-{}", rng.below(40)),
        };
        t.insert(key.to_string(), json!(v));
    }
    Some(t)
}

/// Vary the attributes that pricing and policies read.
fn vary(ty: &str, after: &mut Value, rng: &mut Rng, name: &str) {
    let o = after.as_object_mut().expect("object");
    match ty {
        "aws_instance" => {
            o.insert("instance_type".into(), json!(rng.pick(EC2_TYPES)));
        }
        "aws_ebs_volume" => {
            o.insert("size".into(), json!(50 * (1 + rng.below(40))));
            o.insert("type".into(), json!(rng.pick(VOLUME_TYPES)));
        }
        "aws_sagemaker_notebook_instance" => {
            o.insert("instance_type".into(), json!(rng.pick(NOTEBOOK_TYPES)));
            o.insert("name".into(), json!(name));
            o.insert("volume_size".into(), json!(5 + 5 * rng.below(20)));
        }
        "aws_sagemaker_notebook_instance_lifecycle_configuration" => {
            use base64::Engine;
            let script = rng.pick(SCRIPTS);
            let b64 = base64::engine::general_purpose::STANDARD.encode(script);
            o.insert("on_start".into(), json!(b64));
            o.insert("name".into(), json!(name));
        }
        "aws_eks_node_group" => {
            o.insert("instance_types".into(), json!(rng.pick(NODE_TYPES)));
            let min = rng.below(3);
            let desired = min + rng.below(4);
            o.insert(
                "scaling_config".into(),
                json!([{"min_size": min, "desired_size": desired, "max_size": desired + 4}]),
            );
            o.insert("node_group_name".into(), json!(name));
        }
        "google_compute_instance" => {
            o.insert("machine_type".into(), json!(rng.pick(GCE_TYPES)));
        }
        "google_container_node_pool" => {
            o.insert("node_count".into(), json!(1 + rng.below(8)));
        }
        "azurerm_linux_virtual_machine" => {
            o.insert("size".into(), json!(rng.pick(AZURE_SIZES)));
        }
        "azurerm_kubernetes_cluster_node_pool" => {
            o.insert("vm_size".into(), json!(rng.pick(AZURE_SIZES)));
            o.insert("node_count".into(), json!(1 + rng.below(6)));
        }
        _ => {}
    }
}

/// Put the effective tags where the type keeps them (`tags` + `tags_all` on AWS with the
/// provider's default tags merged in, `labels` on GCP, `tags` on Azure).
fn set_tags(ty: &str, after: &mut Value, tags: Option<&Map<String, Value>>, env: &str) {
    let o = after.as_object_mut().expect("object");
    let own = tags.cloned().map(Value::Object).unwrap_or(Value::Null);
    if ty.starts_with("aws_") {
        let mut all = Map::new();
        all.insert("managed-by".into(), json!("terraform"));
        all.insert("env".into(), json!(env));
        if let Some(t) = tags {
            all.extend(t.clone());
        }
        o.insert("tags".into(), own);
        o.insert("tags_all".into(), Value::Object(all));
    } else if ty.starts_with("google_") {
        if ty == "google_container_node_pool" {
            if let Some(Value::Object(nc)) = o
                .get_mut("node_config")
                .and_then(|v| v.as_array_mut())
                .and_then(|a| a.first_mut())
            {
                nc.insert("labels".into(), own);
            }
        } else {
            o.insert("labels".into(), own);
        }
    } else {
        o.insert("tags".into(), own);
    }
}

/// What the second module level is called for a type.
fn pool_of(ty: &str) -> &'static str {
    match ty {
        "aws_instance" | "aws_ebs_volume" => "compute",
        t if t.starts_with("aws_sagemaker") => "notebooks",
        "aws_eks_node_group" => "gpu_pools",
        t if t.starts_with("google_") => "gcp",
        t if t.starts_with("azurerm_") => "azure",
        _ => "network",
    }
}

/// A varied plan of exactly `n` managed resources, with `planned_values`, `prior_state` for the
/// resources that exist before, and a `configuration` with provider `default_tags` and nested
/// module calls.
pub fn plan(n: usize, root: &Path) -> String {
    let templates = templates(root);
    let total: u32 = MIX.iter().map(|m| m.1).sum();
    let mut rng = Rng(0x5eed_c057_6a7e);
    let mut changes = Vec::with_capacity(n);
    let mut planned = Vec::with_capacity(n);
    let mut prior = Vec::new();
    for i in 0..n {
        let mut roll = rng.below(u64::from(total)) as u32;
        let (ty, ..) = MIX
            .iter()
            .find(|(_, w, _)| {
                let hit = roll < *w;
                roll = roll.saturating_sub(*w);
                hit
            })
            .expect("weights cover the roll");
        let team = (i / 37) % 60;
        let env = *rng.pick(ENVS);
        let pool = pool_of(ty);
        let module = format!("module.team[\"team-{team}\"].module.{pool}[{}]", i % 7);
        let name = format!("r{i}");
        let address = format!("{module}.{ty}.{name}");
        let mut rc = templates[ty].clone();
        let mut after = rc["change"]["after"].clone();
        vary(ty, &mut after, &mut rng, &name);
        let t = tags(&mut rng, team, env);
        set_tags(ty, &mut after, t.as_ref(), env);
        let roll = rng.below(100);
        let (actions, before, after) = match roll {
            0..=5 => {
                // update: tags changed in place
                let mut before = after.clone();
                set_tags(ty, &mut before, None, env);
                (json!(["update"]), before, after)
            }
            6..=11 => {
                // replace: an attribute that forces a new resource changed
                let mut before = after.clone();
                vary(ty, &mut before, &mut rng, &name);
                (json!(["delete", "create"]), before, after)
            }
            12..=17 => (json!(["delete"]), after, Value::Null),
            _ => (json!(["create"]), Value::Null, after),
        };
        let c = rc["change"].as_object_mut().expect("change");
        c.insert("actions".into(), actions.clone());
        if !before.is_null() {
            c.insert("before_sensitive".into(), c["after_sensitive"].clone());
            prior.push(
                json!({"address": address, "mode": "managed", "type": ty, "name": name,
                "provider_name": rc["provider_name"], "schema_version": 0, "values": before}),
            );
        }
        if after.is_null() {
            let c = rc["change"].as_object_mut().expect("change");
            c.insert("after_unknown".into(), json!({}));
            c.insert("after_sensitive".into(), json!(false));
        } else {
            planned.push(
                json!({"address": address, "mode": "managed", "type": ty, "name": name,
                "provider_name": rc["provider_name"], "schema_version": 0, "values": after}),
            );
        }
        let c = rc["change"].as_object_mut().expect("change");
        c.insert("before".into(), before);
        c.insert("after".into(), after);
        let o = rc.as_object_mut().expect("resource change");
        o.insert("address".into(), json!(address));
        o.insert("module_address".into(), json!(module));
        o.insert("name".into(), json!(name));
        o.remove("index");
        changes.push(rc);
    }
    let provider = json!({
        "aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                "expressions": {"region": {"constant_value": "us-east-1"},
                                "default_tags": [{"tags": {"constant_value": {"managed-by": "terraform"}}}]}},
        "google": {"name": "google", "full_name": "registry.terraform.io/hashicorp/google",
                   "expressions": {"region": {"constant_value": "us-central1"}}},
        "azurerm": {"name": "azurerm", "full_name": "registry.terraform.io/hashicorp/azurerm",
                    "expressions": {"features": [{}]}}
    });
    let pools: Map<String, Value> = [
        "compute",
        "notebooks",
        "gpu_pools",
        "gcp",
        "azure",
        "network",
    ]
    .iter()
    .map(|p| {
        (
            p.to_string(),
            json!({"source": format!("../{p}"), "count_expression": {"constant_value": 7},
                       "module": {"resources": []}}),
        )
    })
    .collect();
    json!({
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "prior_state": {"format_version": "1.0", "terraform_version": "1.11.4",
                        "values": {"root_module": {"resources": prior}}},
        "configuration": {"provider_config": provider, "root_module": {"module_calls": {
            "team": {"source": "./modules/team", "for_each_expression": {"references": ["local.teams"]},
                     "module": {"module_calls": pools}}}}},
        "timestamp": "2026-11-26T12:00:00Z",
        "applyable": true,
        "complete": true,
        "errored": false
    })
    .to_string()
}
