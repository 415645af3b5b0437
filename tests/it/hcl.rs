//! HCL mode: agreement with terraform's own plans on every AWS fixture, the GCP/Azure HCL
//! fixtures, HCL features (modules, aliases, dynamic blocks, unknowns, secrets), source
//! locations in both modes, and syntax-error diagnostics.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use costgate::estimate::{estimate, usage::Usage};
use costgate::input::{load, LoadOptions};
use costgate::pricing::Catalogs;
use costgate::project::{Action, Field, Project, Resource};
use serde_json::Value;

fn costgate() -> Command {
    let mut c = Command::cargo_bin("costgate").unwrap();
    c.env_remove("COSTGATE_PRICING_DIR").env("NO_COLOR", "1");
    c
}

/// Attribute paths the AWS families price from (instance types, counts, sizes, scaling).
const PRICED: &[&str] = &[
    "instance_type",
    "instance_types",
    "capacity_type",
    "ami_type",
    "disk_size",
    "size",
    "type",
    "iops",
    "throughput",
    "availability_zone",
    "root_block_device.0.volume_size",
    "root_block_device.0.volume_type",
    "ebs_block_device.0.volume_size",
    "ebs_block_device.0.volume_type",
    "ebs_block_device.0.iops",
    "scaling_config.0.desired_size",
    "scaling_config.0.min_size",
    "scaling_config.0.max_size",
    "desired_capacity",
    "min_size",
    "max_size",
    "volume_size",
    "lifecycle_config_name",
    "production_variants.0.instance_type",
    "production_variants.0.initial_instance_count",
    "block_device_mappings.0.ebs.0.volume_size",
    "block_device_mappings.0.ebs.0.volume_type",
    "launch_template.0.version",
    "domain",
];

/// Plan fixture directories that also hold the .tf files they were made from.
fn plan_cases() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir("testdata/plans")
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|d| d.join("plan.json").is_file())
        .filter(|d| costgate::input::hcl::load::tf_files(d).is_ok_and(|f| !f.is_empty()))
        .collect();
    out.sort();
    out
}

fn num_or_str(f: Field) -> Option<Value> {
    match f.known()? {
        Value::Number(n) => Some(Value::from(n.as_f64()?)),
        v => Some(v.clone()),
    }
}

/// Resources of a plan that exist (in config) after it: not deletes, not forgotten ones.
fn plan_after(p: &Project) -> Vec<&Resource> {
    p.resources
        .iter()
        .filter(|r| r.action.has_after() && r.action != Action::Forget && r.deposed.is_none())
        .collect()
}

/// Compare HCL mode against a terraform plan of the same configuration.
fn assert_agrees(case: &Path, plan_file: &Path, plan: &Project, hcl: &Project) {
    let plan_json: Value =
        serde_json::from_str(&std::fs::read_to_string(plan_file).unwrap()).unwrap();
    let has_state = case.join("terraform.tfstate").exists();
    let p_addrs: BTreeSet<&str> = plan_after(plan)
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    let h_addrs: BTreeSet<&str> = hcl.resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(p_addrs, h_addrs, "{}: addresses differ", case.display());
    for pr in plan_after(plan) {
        let hr = hcl
            .resources
            .iter()
            .find(|r| r.address == pr.address)
            .unwrap();
        let (pa, ha) = (pr.after.as_ref().unwrap(), hr.after.as_ref().unwrap());
        for path in PRICED {
            let (pv, hv) = (num_or_str(pa.get(path)), num_or_str(ha.get(path)));
            let ctx = format!("{} {} {path}", case.display(), pr.address);
            if hv.is_some() {
                assert_eq!(pv, hv, "{ctx}: HCL value differs from the plan");
            } else if !has_state {
                // A value terraform knows from the configuration must be known in HCL mode
                // too (provider defaults are not in the configuration, and not invented).
                assert!(
                    pv.is_none() || !config_sets(&plan_json, &pr.address, path),
                    "{ctx}: plan has {pv:?} from the configuration, HCL mode has nothing"
                );
            }
        }
        assert_eq!(
            pr.region,
            hr.region,
            "{} {}: region",
            case.display(),
            pr.address
        );
        // Where terraform computed tags_all, HCL mode's provider default_tags merge must agree.
        if matches!(pa.get("tags_all"), Field::Known(Value::Object(_))) {
            assert_eq!(pr.tags, hr.tags, "{} {}: tags", case.display(), pr.address);
            assert!(hr.tags_known);
        }
        // Links through references (ASG → launch template...) resolve the same way.
        for (path, targets) in &pr.refs {
            let h = hr.refs.get(path).unwrap_or_else(|| {
                panic!(
                    "{} {}: no refs for {path} in HCL mode",
                    case.display(),
                    pr.address
                )
            });
            assert_eq!(targets.first(), h.first(), "{} {path}", pr.address);
        }
        assert_eq!(pr.source, hr.source, "{}: source location", pr.address);
    }
}

/// Does terraform's `configuration` section give `path` of the resource at `address` an
/// expression (so the value comes from the .tf files, not from a provider default)?
fn config_sets(plan_json: &Value, address: &str, path: &str) -> bool {
    let (mods, local) = costgate::input::hcl::index::split_address(address).unwrap();
    let mut m = &plan_json["configuration"]["root_module"];
    for name in &mods {
        m = &m["module_calls"][name]["module"];
    }
    let Some(r) = m["resources"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["address"] == local.as_str()))
    else {
        return false;
    };
    let mut cur = &r["expressions"];
    for seg in path.split('.') {
        cur = match seg.parse::<usize>() {
            Ok(i) => &cur[i],
            Err(_) => &cur[seg],
        };
    }
    !cur.is_null()
}

#[test]
fn hcl_mode_agrees_with_terraform_plan_on_every_aws_fixture() {
    let cases = plan_cases();
    assert!(
        cases.len() >= 7,
        "expected the plan fixtures, found {cases:?}"
    );
    let catalogs = Catalogs::load(None).unwrap();
    let usage = Usage::default();
    for case in cases {
        let opts = LoadOptions::default();
        let plan = load(&case.join("plan.json"), &opts).unwrap();
        let hcl = load(&case, &opts).unwrap();
        assert_agrees(&case, &case.join("plan.json"), &plan, &hcl);
        // Same estimate for create-only plans: one estimate path for both inputs.
        if !case.join("terraform.tfstate").exists() {
            let (ep, eh) = (
                estimate(&plan, &catalogs, &usage),
                estimate(&hcl, &catalogs, &usage),
            );
            for rp in &ep.resources {
                let rh = eh
                    .resources
                    .iter()
                    .find(|r| r.address == rp.address)
                    .unwrap();
                assert_eq!(rp.monthly_after, rh.monthly_after, "{}", rp.address);
                assert_eq!(rp.unpriced_reason, rh.unpriced_reason, "{}", rp.address);
                assert_eq!(
                    rp.gpu.as_ref().map(|g| (g.model.clone(), g.per_node)),
                    rh.gpu.as_ref().map(|g| (g.model.clone(), g.per_node)),
                    "{}",
                    rp.address
                );
            }
            assert_eq!(
                ep.totals.monthly_after,
                eh.totals.monthly_after,
                "{}",
                case.display()
            );
        }
    }
}

/// With terraform and the offline provider mirror present, plan a temp copy of each case
/// afresh and compare again (skips otherwise).
#[test]
fn hcl_mode_agrees_with_a_fresh_terraform_plan() {
    let mirror = Path::new("/opt/tf-plugins");
    let tf_ok = std::process::Command::new("terraform")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !tf_ok || !mirror.is_dir() {
        eprintln!("skipped: terraform or /opt/tf-plugins not available");
        return;
    }
    let rc = std::fs::canonicalize("testdata/plans/terraformrc").unwrap();
    for name in [
        "aws-multi-module",
        "aws-ml-platform-create",
        "aws-hcl-fidelity",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&Path::new("testdata/plans").join(name), tmp.path());
        let run = |args: &[&str]| {
            let o = std::process::Command::new("terraform")
                .args(args)
                .current_dir(tmp.path())
                .env("TF_CLI_CONFIG_FILE", &rc)
                .env("TF_IN_AUTOMATION", "1")
                .env("CHECKPOINT_DISABLE", "1")
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "terraform {args:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            o.stdout
        };
        run(&["init", "-input=false", "-no-color"]);
        run(&[
            "plan",
            "-input=false",
            "-refresh=false",
            "-lock=false",
            "-no-color",
            "-out=p.tfplan",
        ]);
        let json = run(&["show", "-json", "p.tfplan"]);
        std::fs::write(tmp.path().join("fresh.json"), json).unwrap();
        let opts = LoadOptions::default();
        let plan = load(&tmp.path().join("fresh.json"), &opts).unwrap();
        let hcl = load(tmp.path(), &opts).unwrap();
        assert_agrees(tmp.path(), &tmp.path().join("fresh.json"), &plan, &hcl);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        let n = e.file_name();
        if n == "plan.json" || n == ".terraform" {
            continue;
        }
        if p.is_dir() {
            copy_dir(&p, &to.join(&n));
        } else {
            std::fs::copy(&p, to.join(&n)).unwrap();
        }
    }
}

fn res<'a>(p: &'a Project, address: &str) -> &'a Resource {
    p.resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| {
            let all: Vec<&str> = p.resources.iter().map(|r| r.address.as_str()).collect();
            panic!("{address} not in {all:?}")
        })
}

fn s<'a>(r: &'a Resource, path: &str) -> Option<&'a str> {
    r.after.as_ref().unwrap().str(path)
}

fn n(r: &Resource, path: &str) -> Option<f64> {
    r.after.as_ref().unwrap().get(path).as_f64()
}

#[test]
fn multi_module_fixture_with_count_for_each_tfvars_and_locals() {
    let p = load(
        Path::new("testdata/plans/aws-multi-module"),
        &LoadOptions::default(),
    )
    .unwrap();
    // tfvars: env = staging → lookup() picks g6e.12xlarge; vision has 2 nodes, nlp 1.
    let node = res(
        &p,
        "module.training[\"vision\"].module.node[1].aws_instance.this",
    );
    assert_eq!(s(node, "instance_type"), Some("g6e.12xlarge"));
    assert_eq!(n(node, "root_block_device.0.volume_size"), Some(200.0));
    assert_eq!(node.tags.get("cluster").map(String::as_str), Some("vision"));
    assert_eq!(node.tags.get("env").map(String::as_str), Some("staging"));
    assert_eq!(
        node.tags.get("cost_center").map(String::as_str),
        Some("cc-4242")
    );
    assert!(
        node.source
            .as_ref()
            .unwrap()
            .file
            .ends_with("modules/node/main.tf"),
        "{:?}",
        node.source
    );
    assert_eq!(
        res(
            &p,
            "module.training[\"vision\"].module.node[0].aws_ebs_volume.scratch"
        )
        .after
        .as_ref()
        .unwrap()
        .get("size")
        .as_f64(),
        Some(1000.0)
    );
    assert!(!p.resources.iter().any(|r| r
        .address
        .contains("module.training[\"nlp\"].module.node[1]")));
    assert_eq!(
        s(
            res(&p, "aws_sagemaker_notebook_instance.user[\"bob\"]"),
            "name"
        ),
        Some("nb-bob")
    );
    // --var overrides tfvars: prod picks p4d, io2 scratch with iops, and two bastions.
    let opts = LoadOptions {
        vars: vec![("env".into(), "prod".into())],
        ..Default::default()
    };
    let p = load(Path::new("testdata/plans/aws-multi-module"), &opts).unwrap();
    let vol = res(
        &p,
        "module.training[\"nlp\"].module.node[0].aws_ebs_volume.scratch",
    );
    assert_eq!(s(vol, "type"), Some("io2"));
    assert_eq!(n(vol, "iops"), Some(16000.0));
    assert_eq!(
        s(
            res(
                &p,
                "module.training[\"nlp\"].module.node[0].aws_instance.this"
            ),
            "instance_type"
        ),
        Some("p4d.24xlarge")
    );
    res(&p, "aws_instance.bastion[1]");
}

#[test]
fn var_files_and_tf_var_environment_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let vf = dir.path().join("prod.tfvars");
    std::fs::write(&vf, "env = \"prod\"\nnotebook_users = [\"zoe\"]\n").unwrap();
    let out = costgate()
        .args([
            "estimate",
            "testdata/plans/aws-multi-module",
            "--format",
            "json",
            "--var-file",
        ])
        .arg(&vf)
        .env("TF_VAR_owner", "env-owner@example.com")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let addrs: Vec<&str> = doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    assert!(
        addrs.contains(&"aws_sagemaker_notebook_instance.user[\"zoe\"]"),
        "{addrs:?}"
    );
    assert!(!addrs.contains(&"aws_sagemaker_notebook_instance.user[\"alice\"]"));
    let bastion = doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == "aws_instance.bastion[0]")
        .unwrap();
    // terraform.tfvars sets owner, which beats TF_VAR_owner.
    assert_eq!(bastion["tags"]["owner"], "ml-research@example.com");
    assert_eq!(bastion["tags"]["env"], "prod");
    assert_eq!(
        bastion["source"]["file"],
        "testdata/plans/aws-multi-module/main.tf"
    );
    assert_eq!(bastion["source"]["line"], 45);
}

#[test]
fn features_aliases_dynamic_blocks_unknowns_and_secrets() {
    let p = load(Path::new("testdata/hcl/features"), &LoadOptions::default()).unwrap();
    let west = res(&p, "aws_instance.west");
    assert_eq!(west.region.as_deref(), Some("us-west-2"));
    assert_eq!(west.tags.get("team").map(String::as_str), Some("ml-west"));
    assert_eq!(
        west.tags.get("subnet").map(String::as_str),
        Some("10.0.1.0/24")
    );
    assert_eq!(n(west, "ebs_block_device.1.volume_size"), Some(300.0));
    assert_eq!(s(west, "ebs_block_device.0.tags.Name"), Some("vol-0100"));
    let a = west.after.as_ref().unwrap();
    assert!(a.get("ami").is_unknown(), "data source values are unknown");
    assert!(
        a.is_sensitive("user_data"),
        "sensitive variable taints user_data"
    );
    assert!(!a.redacted().to_string().contains("hf_FAKE"));
    // ASG → launch template link is recorded though the id is unknown; a configured
    // attribute of the template resolves.
    let asg = res(&p, "aws_autoscaling_group.gpu");
    assert_eq!(
        asg.refs["launch_template.0.id"],
        vec!["aws_launch_template.gpu"]
    );
    assert!(asg
        .after
        .as_ref()
        .unwrap()
        .get("launch_template.0.id")
        .is_unknown());
    assert_eq!(s(asg, "tag.0.value"), Some("g5.2xlarge"));
    // Unknown count: one entry, everything unknown, and a warning; never a guessed count.
    let ps = res(&p, "aws_instance.per_subnet");
    assert!(ps.after.as_ref().unwrap().get("instance_type").is_unknown());
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("aws_instance.per_subnet") && w.contains("count is unknown")),
        "{:?}",
        p.warnings
    );
    // Provider map into a module.
    let vol = res(&p, "module.west_volumes.aws_ebs_volume.this");
    assert_eq!(vol.tags.get("team").map(String::as_str), Some("ml-west"));
    assert_eq!(vol.source.as_ref().unwrap().line, 5);
    // Estimate prices the ASG through the template and leaves the unknown one unpriced.
    let e = estimate(&p, &Catalogs::load(None).unwrap(), &Usage::default());
    let asg_e = e
        .resources
        .iter()
        .find(|r| r.address == "aws_autoscaling_group.gpu")
        .unwrap();
    assert!(asg_e.monthly_after.is_some(), "{:?}", asg_e.unpriced_reason);
    let ps_e = e
        .resources
        .iter()
        .find(|r| r.address == "aws_instance.per_subnet")
        .unwrap();
    assert!(ps_e.unpriced_reason.as_deref().unwrap().contains("unknown"));
}

/// An unknown `count`/`for_each` is the unpriced reason, not the attributes it hides.
#[test]
fn unknown_count_or_for_each_is_the_unpriced_reason() {
    let catalogs = Catalogs::load(None).unwrap();
    let p = load(Path::new("testdata/hcl/features"), &LoadOptions::default()).unwrap();
    let e = estimate(&p, &catalogs, &Usage::default());
    let ps = e
        .resources
        .iter()
        .find(|r| r.address == "aws_instance.per_subnet")
        .unwrap();
    let why = ps.unpriced_reason.as_deref().unwrap();
    assert!(
        why.starts_with(
            "count is unknown until the data source is read (`count = length(data.aws_subnets.private.ids)`)"
        ),
        "{why}"
    );
    assert!(!why.contains("instance_type"), "{why}");
    assert_eq!(ps.monthly_after, None);
    assert!(e.totals.unpriced_count >= 1);
    // for_each over something unknown, in a module: same, and the CLI says it too.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "provider \"aws\" {\n  region = \"us-east-1\"\n}\ndata \"aws_subnets\" \"s\" {}\nresource \"aws_instance\" \"each\" {\n  for_each      = toset(data.aws_subnets.s.ids)\n  instance_type = \"g5.xlarge\"\n  ami           = \"ami-1\"\n}\nresource \"aws_instance\" \"known\" {\n  count         = 1\n  instance_type = \"g5.xlarge\"\n  ami           = \"ami-1\"\n}\n",
    )
    .unwrap();
    let out = costgate()
        .args(["estimate", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let by = |a: &str| {
        doc["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["address"] == a)
            .unwrap()
            .clone()
    };
    let each = by("aws_instance.each");
    assert!(
        each["unpriced_reason"].as_str().unwrap().starts_with(
            "for_each is unknown until the data source is read (`for_each = toset(data.aws_subnets.s.ids)`)"
        ),
        "{each}"
    );
    assert_eq!(by("aws_instance.known[0]")["unpriced_reason"], Value::Null);
}

#[test]
fn downloaded_modules_are_read_from_modules_json() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("main.tf"),
        "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n\nmodule \"gpu\" {\n  source  = \"example/gpu/aws\"\n  version = \"1.0.0\"\n  count   = 2\n  itype   = \"g5.xlarge\"\n}\n\nmodule \"absent\" {\n  source = \"example/absent/aws\"\n}\n",
    )
    .unwrap();
    let m = root.join(".terraform/modules/gpu");
    std::fs::create_dir_all(m.join("modules/inner")).unwrap();
    std::fs::write(
        root.join(".terraform/modules/modules.json"),
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"gpu","Source":"registry.terraform.io/example/gpu/aws","Version":"1.0.0","Dir":".terraform/modules/gpu"}]}"#,
    )
    .unwrap();
    std::fs::write(
        m.join("main.tf"),
        "variable \"itype\" {}\n\nmodule \"inner\" {\n  source = \"./modules/inner\"\n  t      = var.itype\n}\n",
    )
    .unwrap();
    std::fs::write(
        m.join("modules/inner/main.tf"),
        "variable \"t\" {}\n\nresource \"aws_instance\" \"n\" {\n  instance_type = var.t\n}\n",
    )
    .unwrap();
    let p = load(root, &LoadOptions::default()).unwrap();
    let r = res(&p, "module.gpu[1].module.inner.aws_instance.n");
    assert_eq!(s(r, "instance_type"), Some("g5.xlarge"));
    assert_eq!(r.region.as_deref(), Some("eu-west-1"));
    assert!(r
        .source
        .as_ref()
        .unwrap()
        .file
        .contains(".terraform/modules/gpu/modules/inner/main.tf"));
    assert_eq!(p.resources.len(), 2);
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("module absent") && w.contains("terraform init")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn gcp_fixture_addresses_attributes_labels_regions() {
    let p = load(Path::new("testdata/hcl/gcp-ml"), &LoadOptions::default()).unwrap();
    let t4 = res(&p, "google_compute_instance.trainer[\"t4\"]");
    assert_eq!(s(t4, "machine_type"), Some("n1-standard-16"));
    assert_eq!(s(t4, "guest_accelerator.0.type"), Some("nvidia-tesla-t4"));
    assert_eq!(n(t4, "guest_accelerator.0.count"), Some(2.0));
    assert_eq!(n(t4, "boot_disk.0.initialize_params.0.size"), Some(200.0));
    assert_eq!(t4.region.as_deref(), Some("us-central1"));
    // default_labels (env from terraform.tfvars) merged with the resource labels.
    assert_eq!(t4.tags.get("env").map(String::as_str), Some("prod"));
    assert_eq!(t4.tags.get("owner").map(String::as_str), Some("alice"));
    let a100 = res(&p, "google_compute_instance.trainer[\"a100\"]");
    assert_eq!(
        a100.after
            .as_ref()
            .unwrap()
            .get("guest_accelerator")
            .as_array()
            .len(),
        0
    );
    let a3 = res(&p, "google_compute_instance.a3");
    assert_eq!(a3.region.as_deref(), Some("us-east4"));
    assert_eq!(s(a3, "scheduling.0.provisioning_model"), Some("SPOT"));
    let pool = res(&p, "google_container_node_pool.l4");
    assert_eq!(s(pool, "node_config.0.machine_type"), Some("g2-standard-8"));
    assert_eq!(n(pool, "autoscaling.0.max_node_count"), Some(4.0));
    assert!(pool.after.as_ref().unwrap().get("cluster").is_unknown());
    assert_eq!(pool.refs["cluster"], vec!["google_container_cluster.ml"]);
    assert_eq!(
        s(
            res(&p, "google_workbench_instance.notebook"),
            "gce_setup.0.metadata.idle-timeout-seconds"
        ),
        Some("10800")
    );
    assert_eq!(
        res(&p, "google_storage_bucket.artifacts").region.as_deref(),
        Some("us-multi")
    );
    assert_eq!(
        s(res(&p, "google_storage_bucket.artifacts"), "name"),
        Some("ml-prod-123456-ml-artifacts")
    );
    assert_eq!(p.resources.len(), 8);
    assert_estimate_does_not_invent(&p);
}

#[test]
fn azure_fixture_addresses_attributes_tags_regions() {
    let p = load(Path::new("testdata/hcl/azure-ml"), &LoadOptions::default()).unwrap();
    let vm = res(&p, "azurerm_linux_virtual_machine.gpu[1]");
    assert_eq!(s(vm, "size"), Some("Standard_NC24ads_A100_v4"));
    assert_eq!(n(vm, "os_disk.0.disk_size_gb"), Some(256.0));
    assert_eq!(vm.region.as_deref(), Some("eastus"));
    assert_eq!(vm.tags.get("role").map(String::as_str), Some("trainer"));
    assert!(vm
        .after
        .as_ref()
        .unwrap()
        .get("network_interface_ids.0")
        .is_unknown());
    assert_eq!(
        vm.refs["network_interface_ids"],
        vec![
            "azurerm_network_interface.gpu[1]",
            "azurerm_network_interface.gpu"
        ]
    );
    assert!(
        s(vm, "custom_data")
            .unwrap()
            .starts_with("I2Nsb3VkLWNvbmZpZw"),
        "file() + base64encode()"
    );
    let pool = res(&p, "azurerm_kubernetes_cluster_node_pool.gpu");
    assert_eq!(s(pool, "priority"), Some("Spot"));
    assert_eq!(n(pool, "max_count"), Some(3.0));
    assert_eq!(
        res(&p, "azurerm_managed_disk.data").region.as_deref(),
        Some("eastus")
    );
    assert_eq!(
        n(
            res(&p, "azurerm_kubernetes_cluster.aks"),
            "default_node_pool.0.node_count"
        ),
        Some(2.0)
    );
    assert_eq!(p.resources.len(), 10);
    assert_estimate_does_not_invent(&p);
}

/// Estimate runs; whatever is not priced says why.
fn assert_estimate_does_not_invent(p: &Project) {
    let e = estimate(p, &Catalogs::load(None).unwrap(), &Usage::default());
    assert_eq!(e.resources.len(), p.resources.len());
    for r in &e.resources {
        if r.monthly_after.is_none() {
            assert!(
                r.unpriced_reason.as_deref().is_some_and(|s| !s.is_empty()),
                "{}",
                r.address
            );
        }
    }
}

#[test]
fn plan_mode_gets_source_locations_beside_the_plan_and_with_source() {
    let p = load(
        Path::new("testdata/plans/aws-multi-module/plan.json"),
        &LoadOptions::default(),
    )
    .unwrap();
    let r = res(
        &p,
        "module.training[\"nlp\"].module.node[0].aws_instance.this",
    );
    let loc = r.source.as_ref().unwrap();
    assert_eq!(
        loc.file,
        "testdata/plans/aws-multi-module/modules/node/main.tf"
    );
    assert_eq!(loc.line, 1);
    // --source: a plan copied elsewhere still maps to the .tf files.
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("plan.json");
    std::fs::copy("testdata/plans/aws-ml-platform-create/plan.json", &copy).unwrap();
    let bare = load(&copy, &LoadOptions::default()).unwrap();
    assert!(bare.resources.iter().all(|r| r.source.is_none()));
    let opts = LoadOptions {
        source_dir: Some("testdata/plans/aws-ml-platform-create".into()),
        ..Default::default()
    };
    let p = load(&copy, &opts).unwrap();
    let r = res(&p, "module.gpu_pool[\"b\"].aws_ebs_volume.scratch");
    let loc = r.source.as_ref().unwrap();
    assert_eq!(
        loc.file,
        "testdata/plans/aws-ml-platform-create/modules/gpu_pool/main.tf"
    );
    assert_eq!(loc.line, 12);
    // Every resource's line is its block's first line.
    for r in &p.resources {
        let loc = r.source.as_ref().unwrap();
        let text = std::fs::read_to_string(&loc.file).unwrap();
        let line = text.lines().nth(loc.line - 1).unwrap();
        assert!(
            line.starts_with(&format!("resource \"{}\" \"{}\"", r.rtype, r.name)),
            "{}: {line}",
            r.address
        );
    }
    // A broken --source is an error; the CLI exits 2.
    costgate()
        .args([
            "estimate",
            "testdata/plans/aws-gpu-create/plan.json",
            "--source",
            "testdata/hcl/broken",
        ])
        .assert()
        .code(2);
}

#[test]
fn broken_tf_gives_a_located_diagnostic_for_every_file() {
    let err = load(Path::new("testdata/hcl/broken"), &LoadOptions::default()).unwrap_err();
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(72)
        .render_report(&mut out, err.as_ref())
        .unwrap();
    insta::assert_snapshot!("broken_tf_diagnostic", out);
    let o = costgate()
        .args(["estimate", "testdata/hcl/broken"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("testdata/hcl/broken/main.tf:7:3"),
        "{stderr}"
    );
    assert!(
        stderr.contains("testdata/hcl/broken/volumes.tf:2:15"),
        "{stderr}"
    );
}

#[test]
fn missing_var_file_is_an_error() {
    costgate()
        .args([
            "estimate",
            "testdata/hcl/features",
            "--var-file",
            "nope.tfvars",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("nope.tfvars"));
}

fn estimate_of(dir: &str) -> (Project, costgate::estimate::Estimate) {
    let p = load(Path::new(dir), &LoadOptions::default()).unwrap();
    let e = estimate(&p, &Catalogs::load(None).unwrap(), &Usage::default());
    (p, e)
}

fn est<'a>(
    e: &'a costgate::estimate::Estimate,
    address: &str,
) -> &'a costgate::estimate::ResourceEstimate {
    e.resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| panic!("{address} not estimated"))
}

/// (model, per node, desired nodes) of a resource's GPUs.
fn gpus(r: &costgate::estimate::ResourceEstimate) -> (String, f64, u64) {
    let g = r
        .gpu
        .as_ref()
        .unwrap_or_else(|| panic!("{}: no GPUs", r.address));
    (g.model.clone(), g.per_node, g.nodes_desired)
}

/// Fixtures of our own modelled on the most used public modules (EKS managed node groups from
/// a map, VPC NAT gateways, GKE node pools from a list of objects with optional attributes,
/// an Azure VM module with optional attributes): they load with exit 0 and the GPU pools are
/// priced at the right machine type and count.
#[test]
fn corpus_of_public_module_shapes_loads_and_prices_gpu_pools() {
    for d in ["eks", "vpc", "gke", "azure-vm"] {
        costgate()
            .args(["estimate", &format!("testdata/hcl/corpus/{d}")])
            .assert()
            .code(0);
    }
    let (p, e) = estimate_of("testdata/hcl/corpus/eks");
    // for_each over a map whose values hold unknowns (role ARN, cluster name): one module
    // instance per key.
    let gpu = est(&e, "module.node_group[\"gpu\"].aws_eks_node_group.this");
    assert_eq!(gpus(gpu), ("H100".into(), 8.0, 2));
    assert!(
        gpu.components[0].name.contains("p5.48xlarge"),
        "{:?}",
        gpu.components
    );
    let sys = res(&p, "module.node_group[\"system\"].aws_eks_node_group.this");
    // Absent instance_types: the EKS API default, said in a note.
    let sys_e = est(&e, &sys.address);
    assert!(sys_e.components[0].name.contains("t3.medium"));
    assert!(sys_e.notes.iter().any(|n| n.contains("EKS uses t3.medium")));
    assert!(
        p.warnings.iter().all(|w| !w.contains("not included")),
        "{:?}",
        p.warnings
    );

    let (p, _) = estimate_of("testdata/hcl/corpus/vpc");
    let nats: Vec<&str> = p
        .resources
        .iter()
        .filter(|r| r.rtype == "aws_nat_gateway")
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(nats.len(), 3, "{nats:?}");

    let (p, e) = estimate_of("testdata/hcl/corpus/gke");
    let h100 = "module.gke.google_container_node_pool.pools[\"h100\"]";
    // machine_type from optional(string, "a3-highgpu-8g"); 8 nodes × 8 H100 = 64.
    assert_eq!(
        s(res(&p, h100), "node_config.0.machine_type"),
        Some("a3-highgpu-8g")
    );
    let g = est(&e, h100);
    assert_eq!(gpus(g), ("H100".into(), 8.0, 8));
    assert!(g.components[0].name.contains("a3-highgpu-8g"));
    // google-beta resources use their own location, not the provider's region.
    assert_eq!(res(&p, h100).region.as_deref(), Some("us-central1"));
    assert_eq!(res(&p, h100).provider, "google-beta");

    let (p, e) = estimate_of("testdata/hcl/corpus/azure-vm");
    for i in 0..2 {
        let a = format!("module.trainer.azurerm_linux_virtual_machine.this[{i}]");
        assert_eq!(gpus(est(&e, &a)), ("A100-80GB".into(), 1.0, 1));
        assert_eq!(n(res(&p, &a), "os_disk.0.disk_size_gb"), Some(256.0));
    }
    assert!(
        p.warnings.iter().all(|w| !w.contains("unknown")),
        "{:?}",
        p.warnings
    );
}

/// The terraform-planned fidelity fixture (compared attribute by attribute with its plan in
/// `hcl_mode_agrees_with_terraform_plan_on_every_aws_fixture`): the shapes themselves.
#[test]
fn fidelity_fixture_links_templates_configurations_and_json_overrides() {
    let dir = "testdata/plans/aws-hcl-fidelity";
    for path in [dir.to_string(), format!("{dir}/plan.json")] {
        let (p, e) = estimate_of(&path);
        let ctx = path.as_str();
        // Provider local name `awsv5` (source hashicorp/aws), `region = local.home_region`
        // (resolved from the configuration beside the plan in plan mode).
        for r in &p.resources {
            assert_eq!(r.provider, "aws", "{ctx} {}", r.address);
            assert_eq!(
                r.region.as_deref(),
                Some("eu-west-1"),
                "{ctx} {}",
                r.address
            );
        }
        assert!(
            p.warnings.iter().all(|w| !w.contains("prices assume")),
            "{ctx}: {:?}",
            p.warnings
        );
        // Through a local: the ASG finds its template.
        let asg = res(&p, "aws_autoscaling_group.gpu");
        assert_eq!(
            asg.refs["launch_template.0.id"].first().map(String::as_str),
            Some("aws_launch_template.gpu"),
            "{ctx}"
        );
        assert_eq!(gpus(est(&e, &asg.address)), ("A10G".into(), 1.0, 2));
        // launch_configuration = resource.aws_launch_configuration.legacy.name
        let legacy = est(&e, "aws_autoscaling_group.legacy");
        assert_eq!(gpus(legacy), ("T4".into(), 1.0, 3), "{ctx}");
        assert!(legacy
            .components
            .iter()
            .any(|c| c.name.contains("root volume")));
        // From the template: its type, both block devices, and its dedicated tenancy.
        let inst = est(&e, "aws_instance.from_template");
        assert_eq!(gpus(inst), ("A10G".into(), 1.0, 1));
        let vols: Vec<&str> = inst
            .components
            .iter()
            .filter(|c| c.name.contains("template volume"))
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(vols.len(), 2, "{ctx}: {:?}", inst.components);
        assert!(inst
            .unpriced_reason
            .as_deref()
            .is_some_and(|r| r.contains("tenancy `dedicated`")));
        // The dynamic element with an unknown KMS key is kept; "100" is a number.
        let lt = res(&p, "aws_launch_template.gpu");
        assert_eq!(
            n(lt, "block_device_mappings.1.ebs.0.volume_size"),
            Some(500.0)
        );
        assert!(lt
            .after
            .as_ref()
            .unwrap()
            .get("block_device_mappings.1.ebs.0.kms_key_id")
            .is_unknown());
        assert_eq!(
            lt.after
                .as_ref()
                .unwrap()
                .get("block_device_mappings.0.ebs.0.volume_size")
                .known(),
            Some(&Value::from(100)),
            "{ctx}"
        );
        // Quoted period inside a nested block counts as high resolution.
        let alarm = res(&p, "aws_cloudwatch_metric_alarm.fast");
        assert_eq!(n(alarm, "metric_query.0.metric.0.period"), Some(10.0));
        // .tf.json resource, merged with sizes_override.tf.
        let vol = res(&p, "aws_ebs_volume.scratch");
        assert_eq!(
            (s(vol, "type"), n(vol, "iops"), n(vol, "size")),
            (Some("io2"), Some(4000.0), Some(250.0))
        );
        assert_eq!(
            vol.tags.get("Name").map(String::as_str),
            Some("scratch-default")
        );
        // for_each over a map with unknown values: one node group per key.
        assert_eq!(
            s(
                res(&p, "aws_eks_node_group.this[\"cpu\"]"),
                "instance_types.0"
            ),
            Some("m5.large")
        );
        assert_eq!(
            gpus(est(&e, "aws_eks_node_group.this[\"gpu\"]")),
            ("A100-40GB".into(), 8.0, 2)
        );
    }
}

/// Shapes terraform accepts that HCL mode must read (OpenTofu files, import/removed blocks,
/// empty heredocs, repeated object keys) and values that are never guessed.
#[test]
fn accepted_shapes_and_never_guessed_values() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let w = |f: &str, t: &str| std::fs::write(root.join(f), t).unwrap();
    w(
        "main.tf",
        r#"
variable "pool_type" { type = string }
variable "group_types" { type = list(string) }
locals {
  sizes = {
    disk = 10
    disk = 30
  }
}
resource "aws_instance" "heredoc" {
  instance_type = "t3.micro"
  user_data     = <<EOT
  EOT
}
resource "aws_instance" "after_heredoc" {
  instance_type = "t3.small"
  root_block_device {
    volume_size = local.sizes.disk
  }
}
import {
  to = aws_instance.heredoc
  id = "i-0123456789abcdef0"
}
removed {
  from = aws_instance.gone
  lifecycle {
    destroy = false
  }
}
resource "google_container_node_pool" "unknown_type" {
  name       = "p"
  cluster    = "c"
  location   = "europe-west4-a"
  node_count = 1
  node_config {
    machine_type = var.pool_type
  }
}
resource "aws_eks_node_group" "unknown_types" {
  cluster_name   = "c"
  node_role_arn  = "arn"
  subnet_ids     = ["s"]
  instance_types = var.group_types
  scaling_config {
    desired_size = 1
    min_size     = 1
    max_size     = 1
  }
}
"#,
    );
    std::fs::create_dir(root.join("m")).unwrap();
    w(
        "m/main.tf",
        "variable \"itype\" {\n  type     = string\n  default  = \"t3.large\"\n  nullable = false\n}\nresource \"aws_instance\" \"n\" {\n  instance_type = var.itype\n}\n",
    );
    w(
        "call.tf",
        "module \"n\" {\n  source = \"./m\"\n  itype  = null\n}\n",
    );
    w(
        "shadow.tf",
        "resource \"aws_instance\" \"tofu\" {\n  instance_type = \"m5.large\"\n}\n",
    );
    w(
        "shadow.tofu",
        "resource \"aws_instance\" \"tofu\" {\n  instance_type = \"g5.xlarge\"\n}\n",
    );
    let p = load(root, &LoadOptions::default()).unwrap();
    let addrs: Vec<&str> = p.resources.iter().map(|r| r.address.as_str()).collect();
    assert!(addrs.contains(&"aws_instance.after_heredoc"), "{addrs:?}");
    assert_eq!(
        n(
            res(&p, "aws_instance.after_heredoc"),
            "root_block_device.0.volume_size"
        ),
        Some(30.0)
    );
    assert_eq!(
        s(res(&p, "aws_instance.tofu"), "instance_type"),
        Some("g5.xlarge")
    );
    assert_eq!(p.resources.iter().filter(|r| r.name == "tofu").count(), 1);
    // nullable = false: a null argument means the default.
    assert_eq!(
        s(res(&p, "module.n.aws_instance.n"), "instance_type"),
        Some("t3.large")
    );
    // No region anywhere: the assumed one is said.
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("provider aws: no region") && w.contains("us-east-1")),
        "{:?}",
        p.warnings
    );
    let e = estimate(&p, &Catalogs::load(None).unwrap(), &Usage::default());
    let pool = est(&e, "google_container_node_pool.unknown_type");
    assert!(
        pool.unpriced_reason
            .as_deref()
            .is_some_and(|r| r.contains("machine_type is unknown")),
        "{:?}",
        pool.unpriced_reason
    );
    assert!(
        pool.components.is_empty(),
        "no e2-medium guess: {:?}",
        pool.components
    );
    let ng = est(&e, "aws_eks_node_group.unknown_types");
    assert!(
        ng.unpriced_reason
            .as_deref()
            .is_some_and(|r| r.contains("instance_types is unknown")),
        "{:?}",
        ng.unpriced_reason
    );
    assert!(ng.components.iter().all(|c| !c.name.contains("t3.medium")));
}

#[test]
fn one_broken_module_called_three_times_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("m")).unwrap();
    std::fs::write(
        root.join("m/main.tf"),
        "resource \"a\" \"b\" {\n  x = \n}\n",
    )
    .unwrap();
    let calls: String = (0..3)
        .map(|i| format!("module \"m{i}\" {{\n  source = \"./m\"\n}}\n"))
        .collect();
    std::fs::write(root.join("main.tf"), calls).unwrap();
    let err = format!("{:?}", load(root, &LoadOptions::default()).unwrap_err());
    assert!(!err.contains("files have syntax errors"), "{err}");
    assert_eq!(err.matches("HCL syntax error").count(), 1, "{err}");
}

// ---- Remote modules: a mock registry on 127.0.0.1, a local bare git repository ----

use crate::support::registry;

mod remote {
    use super::registry::{targz, Module, Registry};
    use super::*;

    const GPU_V1: &str = "variable \"nodes\" {}\n\nresource \"aws_instance\" \"node\" {\n  count         = var.nodes\n  instance_type = \"p5.48xlarge\"\n  ami           = \"ami-12345678\"\n}\n";
    const OLD: &str = "variable \"nodes\" {}\n\nresource \"aws_instance\" \"node\" {\n  instance_type = \"t3.micro\"\n}\n";

    fn modules(extra: Vec<(&str, Vec<u8>)>) -> Vec<Module> {
        let mut versions: std::collections::BTreeMap<String, Vec<u8>> = [
            ("1.0.0", targz(&[("main.tf", OLD)])),
            ("1.3.1", targz(&[("main.tf", GPU_V1)])),
            ("2.0.0", targz(&[("main.tf", OLD)])),
        ]
        .into_iter()
        .map(|(v, d)| (v.to_string(), d))
        .collect();
        for (v, d) in extra {
            versions.insert(v.to_string(), d);
        }
        vec![Module {
            path: "acme/gpu/aws".into(),
            versions,
        }]
    }

    /// A project calling `source` (version `~> 1.2`), with its own cache, HOME and CLI config.
    struct Case {
        dir: tempfile::TempDir,
    }

    impl Case {
        fn new(source: &str, version: Option<&str>, cli_config: &str) -> Case {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("root");
            std::fs::create_dir_all(&root).unwrap();
            std::fs::create_dir_all(dir.path().join("home")).unwrap();
            let version = version
                .map(|v| format!("  version = \"{v}\"\n"))
                .unwrap_or_default();
            std::fs::write(
                root.join("main.tf"),
                format!("provider \"aws\" {{\n  region = \"us-east-1\"\n}}\n\nmodule \"gpu\" {{\n  source  = \"{source}\"\n{version}  nodes   = 2\n}}\n"),
            )
            .unwrap();
            std::fs::write(dir.path().join("cli.tfrc"), cli_config).unwrap();
            Case { dir }
        }
        fn root(&self) -> PathBuf {
            self.dir.path().join("root")
        }
        fn cmd(&self, args: &[&str]) -> Command {
            let mut c = costgate();
            c.env("TF_CLI_CONFIG_FILE", self.dir.path().join("cli.tfrc"))
                .env("HOME", self.dir.path().join("home"))
                .env("COSTGATE_CACHE_DIR", self.dir.path().join("cache"))
                .env("COSTGATE_MODULE_TIMEOUT", "20")
                .env_remove("XDG_CACHE_HOME")
                .args(args)
                .arg(self.root());
            c
        }
        fn json(&self, args: &[&str]) -> Value {
            let mut a = vec!["estimate", "--format", "json"];
            a.extend_from_slice(args);
            let out = self.cmd(&a).output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            serde_json::from_slice(&out.stdout).unwrap()
        }
        fn check(&self, extra: &[&str], env: &[(&str, &str)]) -> (i32, Value, String) {
            let mut a = vec![
                "check",
                "--no-config",
                "--format",
                "json",
                "--fail-on",
                "warn",
            ];
            a.extend_from_slice(extra);
            let mut c = self.cmd(&a);
            for (k, v) in env {
                c.env(k, v);
            }
            let out = c.output().unwrap();
            let text = String::from_utf8_lossy(&out.stdout).to_string();
            let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
            (
                out.status.code().unwrap_or(-1),
                v,
                text + &String::from_utf8_lossy(&out.stderr),
            )
        }
    }

    fn host_block(base: &str) -> String {
        format!("host \"registry.example.test\" {{\n  services = {{\n    \"modules.v1\" = \"{base}/v1/modules/\"\n  }}\n}}\n")
    }

    fn instances_monthly(v: &Value) -> (usize, String) {
        let rs: Vec<&Value> = v["resources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                r["address"]
                    .as_str()
                    .unwrap()
                    .starts_with("module.gpu.aws_instance.node[")
            })
            .collect();
        let mut cents = 0i64;
        for r in &rs {
            let m = r["monthly_cost"].as_str().unwrap();
            cents += (m.parse::<f64>().unwrap() * 100.0).round() as i64;
        }
        (rs.len(), format!("{}.{:02}", cents / 100, cents % 100))
    }

    fn coverage_findings(v: &Value) -> Vec<&Value> {
        v["findings"]
            .as_array()
            .map(|a| a.iter().filter(|f| f["policy"] == "coverage").collect())
            .unwrap_or_default()
    }

    #[test]
    fn registry_module_through_a_cli_config_host_block_is_fetched_and_priced() {
        let reg = Registry::start(modules(vec![]), None);
        let case = Case::new(
            "registry.example.test/acme/gpu/aws",
            Some("~> 1.2"),
            &host_block(&reg.base),
        );
        let v = case.json(&[]);
        // ~> 1.2 picks 1.3.1 (not 1.0.0, not 2.0.0): 2 × p5.48xlarge at $55.04/h × 730 h.
        assert_eq!(
            instances_monthly(&v),
            (2, "80358.40".to_string()),
            "{:?} {}",
            reg.log.lock().unwrap(),
            v["warnings"]
        );
        assert_eq!(v["totals"]["monthly_after"], "80358.40");
        // The root volume size comes from the AMI: priced without it, counted as partly priced.
        assert_eq!(v["totals"]["partially_priced_count"], 2);
        let log = reg.log.lock().unwrap().clone();
        assert!(
            log.iter().any(|p| p.ends_with("/acme/gpu/aws/versions")),
            "{log:?}"
        );
        assert!(
            log.iter().any(|p| p.ends_with("/1.3.1/download")),
            "{log:?}"
        );
        assert!(
            !log.iter().any(|p| p.contains("well-known")),
            "the host block replaces discovery: {log:?}"
        );

        // Cache reuse: --offline asks nothing, and the same figure comes out.
        drop(reg);
        let v = case.json(&["--offline"]);
        assert_eq!(instances_monthly(&v), (2, "80358.40".to_string()));
    }

    #[test]
    fn unreachable_registry_fails_check_on_warn_with_a_coverage_finding() {
        // A port nobody listens on.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let case = Case::new(
            "registry.example.test/acme/gpu/aws",
            Some("~> 1.2"),
            &host_block(&format!("http://127.0.0.1:{port}")),
        );
        let (code, v, text) = case.check(&[], &[]);
        assert_eq!(code, 1, "{text}");
        let f = coverage_findings(&v);
        assert!(
            f.iter().any(|f| f["address"] == "module.gpu"
                && f["message"]
                    .as_str()
                    .unwrap()
                    .contains("registry.example.test/acme/gpu/aws")
                && f["message"]
                    .as_str()
                    .unwrap()
                    .contains("could not be loaded")),
            "{text}"
        );
        // Without --fail-on warn, a warning does not fail the check.
        let out = case.cmd(&["check", "--no-config"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        // Offline with an empty cache: also a coverage finding, no request made.
        let (code, v, text) = case.check(&["--offline"], &[]);
        assert_eq!(code, 1, "{text}");
        assert!(
            coverage_findings(&v)
                .iter()
                .any(|f| f["message"].as_str().unwrap().contains("--offline")),
            "{text}"
        );
    }

    #[test]
    fn service_discovery_on_a_loopback_registry_host() {
        let reg = Registry::start(modules(vec![]), None);
        let source = format!("{}/acme/gpu/aws", reg.addr);
        let case = Case::new(&source, Some(">= 1.1, < 2.0.0, != 1.2.0"), "");
        let v = case.json(&[]);
        assert_eq!(instances_monthly(&v), (2, "80358.40".to_string()));
        let log = reg.log.lock().unwrap().clone();
        assert_eq!(
            log.first().map(String::as_str),
            Some("/.well-known/terraform.json"),
            "{log:?}"
        );
    }

    #[test]
    fn private_registry_needs_its_token_which_is_never_shown() {
        const TOKEN: &str = "s3cr3t-registry-token-42";
        let reg = Registry::start(modules(vec![]), Some(TOKEN));
        let case = Case::new(
            "registry.example.test/acme/gpu/aws",
            Some("~> 1.2"),
            &host_block(&reg.base),
        );
        let (code, v, text) = case.check(&[], &[]);
        assert_eq!(code, 1, "{text}");
        assert!(
            coverage_findings(&v).iter().any(|f| f["message"]
                .as_str()
                .unwrap()
                .contains("requires authentication")),
            "{text}"
        );
        // TF_TOKEN_<host>: dots as `_`.
        let (code, v, text) = case.check(&[], &[("TF_TOKEN_registry_example_test", TOKEN)]);
        assert_eq!(instances_monthly(&v), (2, "80358.40".to_string()), "{text}");
        assert!(!text.contains(TOKEN));
        assert_eq!(
            code, 1,
            "partly priced instances are a coverage warning: {text}"
        );
        // A wrong token in a credentials block: refused, and not quoted.
        let cfg = format!(
            "{}credentials \"registry.example.test\" {{\n  token = \"wrong-token-77\"\n}}\n",
            host_block(&reg.base)
        );
        let case = Case::new("registry.example.test/acme/gpu/aws", Some("~> 1.2"), &cfg);
        let (_, v, text) = case.check(&[], &[]);
        assert!(
            coverage_findings(&v).iter().any(|f| f["message"]
                .as_str()
                .unwrap()
                .contains("refused the configured token")),
            "{text}"
        );
        assert!(!text.contains("wrong-token-77"));
    }

    #[test]
    fn hostile_packages_are_refused() {
        // `..` in a tar entry (written raw: the tar crate refuses to build it).
        let mut h = tar::Header::new_gnu();
        let body = b"resource \"aws_instance\" \"x\" {}\n";
        h.set_size(body.len() as u64);
        h.set_mode(0o644);
        h.as_old_mut().name[..12].copy_from_slice(b"../evil.tf\0\0");
        h.set_cksum();
        let enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut b = tar::Builder::new(enc);
        b.append(&h, &body[..]).unwrap();
        let traversal = b.into_inner().unwrap().finish().unwrap();
        let big = "#".repeat(200_000);
        let oversized = targz(&[("main.tf", GPU_V1), ("big.tf", &big)]);
        // Two links, each inside on its face, whose chain leads out of the package (`b` is
        // `./..`); then the same with a later entry written through the chain.
        let chain = |then_file: bool| {
            let enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let mut b = tar::Builder::new(enc);
            let file = |b: &mut tar::Builder<_>, name: &str, data: &[u8]| {
                let mut h = tar::Header::new_gnu();
                h.set_size(data.len() as u64);
                h.set_mode(0o644);
                b.append_data(&mut h, name, data).unwrap();
            };
            file(&mut b, "main.tf", GPU_V1.as_bytes());
            for (name, target) in [("a", "."), ("b", "a/..")] {
                let mut h = tar::Header::new_gnu();
                h.set_size(0);
                h.set_entry_type(tar::EntryType::Symlink);
                b.append_link(&mut h, name, target).unwrap();
            }
            if then_file {
                file(&mut b, "b/evil.tf", &body[..]);
            }
            b.into_inner().unwrap().finish().unwrap()
        };
        let reg = Registry::start(
            modules(vec![
                ("1.4.0", traversal),
                ("1.5.0", oversized),
                ("1.6.0", chain(false)),
                ("1.7.0", chain(true)),
            ]),
            None,
        );
        for (version, why) in [
            ("1.4.0", "outside the package"),
            ("1.5.0", "more than 100000 bytes"),
            ("1.6.0", "resolves outside the package"),
            ("1.7.0", "symlink over another entry"),
        ] {
            let case = Case::new(
                "registry.example.test/acme/gpu/aws",
                Some(version),
                &host_block(&reg.base),
            );
            let (code, v, text) = case.check(&[], &[("COSTGATE_MODULE_MAX_BYTES", "100000")]);
            assert_eq!(code, 1, "{text}");
            assert!(
                coverage_findings(&v)
                    .iter()
                    .any(|f| f["address"] == "module.gpu"
                        && f["message"].as_str().unwrap().contains(why)),
                "{version}: {text}"
            );
            assert!(!case.dir.path().join("cache/registry/evil.tf").exists());
            let leaked = walkdir::WalkDir::new(case.dir.path())
                .into_iter()
                .flatten()
                .any(|e| e.file_name() == "evil.tf");
            assert!(!leaked, "{version}");
        }
    }

    #[test]
    fn a_fetched_module_reads_its_own_files_and_nothing_outside() {
        const OWN: &str = "variable \"nodes\" {}\n\nresource \"aws_instance\" \"node\" {\n  count         = var.nodes\n  instance_type = trimspace(file(\"${path.module}/type.txt\"))\n}\n";
        const OUT: &str = "variable \"nodes\" {}\n\nresource \"aws_instance\" \"node\" {\n  count         = var.nodes\n  instance_type = trimspace(file(\"${path.module}/../../../../root/type.txt\"))\n}\n";
        let reg = Registry::start(
            modules(vec![
                (
                    "1.6.0",
                    targz(&[("main.tf", OWN), ("type.txt", "p5.48xlarge\n")]),
                ),
                ("1.7.0", targz(&[("main.tf", OUT)])),
            ]),
            None,
        );
        let case = Case::new(
            "registry.example.test/acme/gpu/aws",
            Some("1.6.0"),
            &host_block(&reg.base),
        );
        assert_eq!(
            instances_monthly(&case.json(&[])),
            (2, "80358.40".to_string())
        );
        // The project's own file, reached from the package: refused (the package is the root).
        let case = Case::new(
            "registry.example.test/acme/gpu/aws",
            Some("1.7.0"),
            &host_block(&reg.base),
        );
        std::fs::write(case.root().join("type.txt"), "p5.48xlarge\n").unwrap();
        let v = case.json(&[]);
        let r = v["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| {
                r["address"]
                    .as_str()
                    .unwrap()
                    .starts_with("module.gpu.aws_instance.node")
            })
            .unwrap();
        assert!(r["monthly_cost"].is_null(), "{r}");
    }

    fn git(dir: &Path, args: &[&str]) {
        let out = std::process::Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.test",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `git daemon` serving `base` on 127.0.0.1 (a free port), stopped when dropped.
    struct GitDaemon {
        child: std::process::Child,
        port: u16,
    }

    impl GitDaemon {
        fn start(base: &Path) -> GitDaemon {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let child = std::process::Command::new("git")
                .arg("daemon")
                .arg("--reuseaddr")
                .arg("--export-all")
                .arg("--listen=127.0.0.1")
                .arg(format!("--port={port}"))
                .arg(format!("--base-path={}", base.display()))
                .arg(base)
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("git daemon runs");
            let d = GitDaemon { child, port };
            for _ in 0..100 {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return d;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            panic!("git daemon did not start");
        }
    }

    impl Drop for GitDaemon {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    #[test]
    fn git_source_from_a_local_bare_repository_at_a_tag() {
        let tmp = tempfile::tempdir().unwrap();
        let work = tmp.path().join("work");
        std::fs::create_dir_all(work.join("modules/gpu")).unwrap();
        std::fs::write(work.join("modules/gpu/main.tf"), GPU_V1).unwrap();
        git(&work, &["init", "-q"]);
        git(&work, &["add", "."]);
        git(&work, &["commit", "-qm", "v1.2.0"]);
        git(&work, &["tag", "v1.2.0"]);
        // Later commits on main must not be what ?ref=v1.2.0 reads.
        std::fs::write(work.join("modules/gpu/main.tf"), OLD).unwrap();
        git(&work, &["commit", "-qam", "later"]);
        let served = tmp.path().join("served");
        std::fs::create_dir_all(&served).unwrap();
        git(&served, &["clone", "-q", "--bare", "../work", "repo.git"]);
        // A repository on the local file system is refused (outside the project).
        let local = format!(
            "git::file://{}//modules/gpu?ref=v1.2.0",
            served.join("repo.git").display()
        );
        let (_, v, text) = Case::new(&local, None, "").check(&[], &[]);
        assert!(
            coverage_findings(&v).iter().any(|f| f["message"]
                .as_str()
                .unwrap()
                .contains("on the local file system")),
            "{text}"
        );
        let daemon = GitDaemon::start(&served);
        let url = format!(
            "git::git://127.0.0.1:{}/repo.git//modules/gpu?ref=v1.2.0&depth=1",
            daemon.port
        );
        let case = Case::new(&url, None, "");
        let v = case.json(&[]);
        assert_eq!(instances_monthly(&v), (2, "80358.40".to_string()));
        // From the cache when offline, even with the repository gone.
        drop(daemon);
        std::fs::remove_dir_all(served.join("repo.git")).unwrap();
        let v = case.json(&["--offline"]);
        assert_eq!(instances_monthly(&v), (2, "80358.40".to_string()));
    }

    #[test]
    fn unsupported_sources_are_reported_not_guessed() {
        let case = Case::new(
            "s3::https://s3-eu-west-1.amazonaws.com/bucket/gpu.zip",
            None,
            "",
        );
        let (code, v, text) = case.check(&[], &[]);
        assert_eq!(code, 1, "{text}");
        assert!(
            coverage_findings(&v)
                .iter()
                .any(|f| f["message"].as_str().unwrap().contains("S3")),
            "{text}"
        );
    }
}

/// Typed variables (issue 24): `"2"` converts to a number; a value that does not fit the
/// declared type, from any source, is refused with exit 2, where it was given and the type
/// required; a known `validation` that fails shows its error_message (never a secret).
#[test]
fn variable_values_are_converted_or_refused_as_terraform_does() {
    let case = "testdata/hcl/typed-inputs";
    let ok = costgate()
        .args(["estimate", case, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let doc: Value = serde_json::from_slice(&ok.stdout).unwrap();
    let ng = doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == "aws_eks_node_group.gpu")
        .unwrap();
    assert_eq!(ng["monthly_cost"], "1773.52", "{ng}");
    assert_eq!(ng["gpu"]["nodes"]["desired"], 2, "{ng}");

    let refused = |extra: &[&str], env: &[(&str, &str)], files: &[(&str, &str)]| {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(Path::new(case), dir.path());
        for (n, text) in files {
            std::fs::write(dir.path().join(n), text).unwrap();
        }
        let mut c = costgate();
        c.arg("estimate")
            .arg(dir.path())
            .args(extra)
            .current_dir(dir.path());
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        // miette wraps long lines: compare on the words.
        let err = String::from_utf8_lossy(&out.stderr)
            .replace('│', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(out.status.code(), Some(2), "{extra:?} {env:?}: {err}");
        err
    };
    // terraform.tfvars: file and line of the value, the type required.
    let e = refused(
        &[],
        &[],
        &[("terraform.tfvars", "# x\n\ndesired = \"two\"\n")],
    );
    assert!(e.contains("a number is required, got a string"), "{e}");
    assert!(e.contains("terraform.tfvars:3"), "{e}");
    assert!(e.contains("variable `desired`"), "{e}");
    // *.auto.tfvars, nested in an object type.
    let e = refused(
        &[],
        &[],
        &[(
            "x.auto.tfvars",
            "groups = { gpu = { instance_type = \"p4d.24xlarge\", count = \"many\" } }\n",
        )],
    );
    assert!(e.contains("x.auto.tfvars:1"), "{e}");
    assert!(
        e.contains("a number is required at `[\"gpu\"].count`"),
        "{e}"
    );
    // A required object attribute missing.
    let e = refused(
        &[],
        &[],
        &[("y.auto.tfvars.json", "{\n  \"groups\": {\"gpu\": {}}\n}\n")],
    );
    assert!(
        e.contains("attribute `[\"gpu\"].instance_type` is required"),
        "{e}"
    );
    assert!(e.contains("y.auto.tfvars.json:2"), "{e}");
    // --var, --var-file and TF_VAR_.
    let e = refused(&["--var", "desired=two"], &[], &[]);
    assert!(
        e.contains("--var desired") && e.contains("a number is required"),
        "{e}"
    );
    let e = refused(
        &["--var-file", "prod.tfvars"],
        &[],
        &[("prod.tfvars", "desired = [2]\n")],
    );
    assert!(
        e.contains("prod.tfvars:1") && e.contains("got a list"),
        "{e}"
    );
    let e = refused(
        &[],
        &[("TF_VAR_desired", "two")],
        &[("terraform.tfvars", "")],
    );
    assert!(
        e.contains("TF_VAR_desired") && e.contains("a number is required"),
        "{e}"
    );
    // A validation whose condition is known: its error_message.
    let e = refused(&["--var", "env=staging"], &[], &[]);
    assert!(e.contains("env must be dev or prod, not staging."), "{e}");
    // ...but a sensitive value never reaches the message.
    let e = refused(&["--var", "token=s3cr3t-v4lue-long"], &[], &[]);
    assert!(e.contains("validation failed"), "{e}");
    assert!(!e.contains("s3cr3t"), "{e}");
}

/// Regions inherited through references (issue 24), in HCL mode and plan mode: an AKS node
/// pool is where its cluster is, a GKE pool without `location` where its `cluster` is, a disk
/// without a zone where the instance it is attached to is. Priced as if written explicitly.
#[test]
fn regions_are_inherited_from_the_resources_referred_to() {
    let case = Path::new("testdata/hcl/region-inherit");
    let run = |dir: &Path| estimate_json(dir, &[]);
    let get = |doc: &Value, addr: &str, key: &str| resource_of(doc, addr)[key].clone();
    let doc = run(case);
    assert_eq!(
        get(&doc, "azurerm_kubernetes_cluster_node_pool.gpu", "region"),
        "westeurope"
    );
    assert_eq!(
        get(&doc, "google_container_node_pool.gpu", "region"),
        "europe-west4"
    );
    assert_eq!(
        get(&doc, "google_compute_disk.data", "region"),
        "europe-west4"
    );
    assert!(
        !doc["warnings"].to_string().contains("prices assume eastus"),
        "no resource is priced in the assumed region: {}",
        doc["warnings"]
    );
    // The same figures as with the location written out.
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(case, tmp.path());
    let main = std::fs::read_to_string(tmp.path().join("main.tf")).unwrap();
    let main = main
        .replace(
            "  cluster    = google_container_cluster.gke.name\n",
            "  cluster    = google_container_cluster.gke.name\n  location   = \"europe-west4\"\n",
        )
        .replace(
            "  type = \"pd-ssd\"\n",
            "  type = \"pd-ssd\"\n  zone = \"europe-west4-a\"\n",
        );
    std::fs::write(tmp.path().join("main.tf"), main).unwrap();
    let explicit = run(tmp.path());
    for addr in ["google_container_node_pool.gpu", "google_compute_disk.data"] {
        assert_eq!(
            get(&doc, addr, "monthly_cost"),
            get(&explicit, addr, "monthly_cost"),
            "{addr}"
        );
        assert!(get(&doc, addr, "monthly_cost").is_string(), "{addr} priced");
    }
    // Without the inheritance, the us-central1 price differs (the test can fail).
    std::fs::write(
        tmp.path().join("main.tf"),
        std::fs::read_to_string(tmp.path().join("main.tf"))
            .unwrap()
            .replace(
                "location   = \"europe-west4\"",
                "location   = \"us-central1\"",
            ),
    )
    .unwrap();
    assert_ne!(
        get(
            &run(tmp.path()),
            "google_container_node_pool.gpu",
            "monthly_cost"
        ),
        get(&doc, "google_container_node_pool.gpu", "monthly_cost")
    );

    // Plan mode: the references come from the plan's configuration.
    let plan = serde_json::json!({
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_changes": [
            {"address": "azurerm_kubernetes_cluster.aks", "mode": "managed", "type": "azurerm_kubernetes_cluster", "name": "aks",
             "provider_name": "registry.terraform.io/hashicorp/azurerm",
             "change": {"actions": ["create"], "before": null, "after": {"location": "westeurope", "name": "aks",
                "default_node_pool": [{"name": "system", "vm_size": "Standard_D4s_v5", "node_count": 1}]}, "after_unknown": {}}},
            {"address": "azurerm_kubernetes_cluster_node_pool.gpu", "mode": "managed", "type": "azurerm_kubernetes_cluster_node_pool", "name": "gpu",
             "provider_name": "registry.terraform.io/hashicorp/azurerm",
             "change": {"actions": ["create"], "before": null, "after": {"name": "gpu", "vm_size": "Standard_NC24ads_A100_v4", "node_count": 1},
                "after_unknown": {"kubernetes_cluster_id": true}}}
        ],
        "configuration": {"provider_config": {"azurerm": {"name": "azurerm", "full_name": "registry.terraform.io/hashicorp/azurerm"}},
            "root_module": {"resources": [
                {"address": "azurerm_kubernetes_cluster.aks", "mode": "managed", "type": "azurerm_kubernetes_cluster", "name": "aks",
                 "provider_config_key": "azurerm", "expressions": {}},
                {"address": "azurerm_kubernetes_cluster_node_pool.gpu", "mode": "managed", "type": "azurerm_kubernetes_cluster_node_pool", "name": "gpu",
                 "provider_config_key": "azurerm",
                 "expressions": {"kubernetes_cluster_id": {"references": ["azurerm_kubernetes_cluster.aks.id", "azurerm_kubernetes_cluster.aks"]}}}
            ]}}
    });
    let pf = tmp.path().join("plan.json");
    std::fs::write(&pf, plan.to_string()).unwrap();
    let doc = run(&pf);
    assert_eq!(
        get(&doc, "azurerm_kubernetes_cluster_node_pool.gpu", "region"),
        "westeurope"
    );
}

/// A region that does not exist is an error with a did-you-mean (issue 24), in the resource's
/// own attributes, the provider's, or `--region`; real regions without prices stay priced or
/// unpriced with a reason.
#[test]
fn a_region_that_does_not_exist_is_an_error_with_a_suggestion() {
    let run = |main: &str, extra: &[&str]| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("main.tf"), main).unwrap();
        let out = costgate()
            .arg("estimate")
            .arg(dir.path())
            .args(extra)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr)
            .replace('│', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        (out.status.code(), err)
    };
    let aws = |region: &str| {
        format!(
            "provider \"aws\" {{\n  region = \"{region}\"\n}}\nresource \"aws_instance\" \"gpu\" {{\n  ami           = \"ami-0123456789abcdef0\"\n  instance_type = \"g5.xlarge\"\n}}\n"
        )
    };
    let (code, err) = run(&aws("us-east-7"), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("region `us-east-7` does not exist in aws"),
        "{err}"
    );
    assert!(err.contains("did you mean `us-east-1`?"), "{err}");
    assert!(err.contains("main.tf:4"), "{err}");
    let azure = "provider \"azurerm\" {\n  features {}\n}\nresource \"azurerm_managed_disk\" \"d\" {\n  name = \"d\"\n  location = \"westeurop\"\n  resource_group_name = \"rg\"\n  storage_account_type = \"Premium_LRS\"\n  create_option = \"Empty\"\n  disk_size_gb = 128\n}\n";
    let (code, err) = run(azure, &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("did you mean `westeurope`?"), "{err}");
    let (code, err) = run(
        &aws("us-east-1").replace("  region = \"us-east-1\"\n", ""),
        &["--region", "eu-wst-1"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("--region eu-wst-1") && err.contains("did you mean `eu-west-1`?"),
        "{err}"
    );
    // Real regions: fine, also an AWS Local Zone and the GCS multi-/dual-regions.
    assert_eq!(run(&aws("eu-west-1"), &[]).0, Some(0));
    assert_eq!(run(&aws("us-west-2").replace("resource \"aws_instance\"", "resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"us-west-2-lax-1a\"\n  size = 10\n}\nresource \"aws_instance\""), &[]).0, Some(0));
}

/// GCS buckets at the multi-regions (`US`, `EU`, `ASIA`) and predefined dual-regions are
/// priced at the catalog's multi-/dual-region entries; a configurable dual-region is unpriced
/// with a reason (issue 24).
#[test]
fn gcs_multi_and_dual_regions_are_priced_or_unpriced_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut main =
        String::from("provider \"google\" {\n  project = \"p\"\n  region = \"us-central1\"\n}\n");
    for loc in ["US", "EU", "ASIA", "NAM4", "EUR4", "us-central1"] {
        main.push_str(&format!(
            "resource \"google_storage_bucket\" \"b_{}\" {{\n  name = \"b\"\n  location = \"{loc}\"\n}}\n",
            loc.to_lowercase().replace('-', "_")
        ));
    }
    main.push_str("resource \"google_storage_bucket\" \"custom\" {\n  name = \"c\"\n  location = \"US\"\n  custom_placement_config {\n    data_locations = [\"US-EAST1\", \"US-WEST1\"]\n  }\n}\n");
    std::fs::write(dir.path().join("main.tf"), main).unwrap();
    std::fs::write(
        dir.path().join("usage.toml"),
        "version = 1\n[defaults.google_storage_bucket]\nstorage_gb = 1000\n",
    )
    .unwrap();
    let usage = dir.path().join("usage.toml");
    let doc = estimate_json(dir.path(), &["--usage", usage.to_str().unwrap()]);
    let r = |a: &str| resource_of(&doc, a).clone();
    for (addr, region) in [
        ("google_storage_bucket.b_us", "us-multi"),
        ("google_storage_bucket.b_eu", "europe-multi"),
        ("google_storage_bucket.b_asia", "asia-multi"),
        ("google_storage_bucket.b_nam4", "nam4"),
        ("google_storage_bucket.b_eur4", "eur4"),
    ] {
        let b = r(addr);
        assert_eq!(b["region"], region, "{b}");
        assert!(b["unpriced_reason"].is_null(), "{b}");
        assert!(
            b["monthly_cost"].as_str().is_some_and(|c| c != "0.00"),
            "{b}"
        );
    }
    // A multi-region costs more than a single region.
    let us: f64 = r("google_storage_bucket.b_us")["monthly_cost"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let one: f64 = r("google_storage_bucket.b_us_central1")["monthly_cost"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(us > one, "{us} vs {one}");
    let c = r("google_storage_bucket.custom");
    assert!(
        c["unpriced_reason"]
            .as_str()
            .unwrap()
            .contains("configurable dual-region"),
        "{c}"
    );
}

/// `TF_WORKSPACE` sets `terraform.workspace` (issue 24).
#[test]
fn tf_workspace_sets_terraform_workspace() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "provider \"aws\" {\n  region = \"us-east-1\"\n}\nresource \"aws_instance\" \"gpu\" {\n  count         = terraform.workspace == \"prod\" ? 3 : 1\n  ami           = \"ami-0123456789abcdef0\"\n  instance_type = \"g5.xlarge\"\n}\n",
    )
    .unwrap();
    let count = |ws: Option<&str>| {
        let mut c = costgate();
        c.args(["estimate", "--format", "json"]).arg(dir.path());
        match ws {
            Some(w) => c.env("TF_WORKSPACE", w),
            None => c.env_remove("TF_WORKSPACE"),
        };
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["resources"].as_array().unwrap().len()
    };
    assert_eq!(count(None), 1);
    assert_eq!(count(Some("prod")), 3);
}

/// `[[projects]]` paths resolve when PATH is `.` or `./`; run-wide settings at the top level
/// of costgate.toml (`usage = ...`) are refused, not ignored (issue 24).
#[test]
fn projects_under_dot_and_top_level_usage_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("envs/dev")).unwrap();
    std::fs::write(
        root.join("envs/dev/main.tf"),
        "provider \"aws\" {\n  region = \"us-east-1\"\n}\nresource \"aws_instance\" \"gpu\" {\n  ami           = \"ami-0123456789abcdef0\"\n  instance_type = \"g5.xlarge\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("costgate.toml"),
        "[[projects]]\npath = \"envs/dev\"\nname = \"dev\"\n",
    )
    .unwrap();
    for path in [".", "./"] {
        let out = costgate()
            .args(["estimate", "--format", "json", path])
            .current_dir(root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{path}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["resources"].as_array().unwrap().len(), 1, "{path}");
    }
    std::fs::write(
        root.join("costgate.toml"),
        "fail_on = \"deny\"\nusage = \"usage.toml\"\n\n[[projects]]\npath = \"envs/dev\"\n",
    )
    .unwrap();
    let out = costgate()
        .args(["check", "."])
        .current_dir(root)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("`usage` at the top level"), "{err}");
    assert!(err.contains("--usage"), "{err}");
}

/// `--usage infracost-usage.yml`: Infracost's YAML usage format is read, its known keys mapped
/// and the others reported (issue 24).
#[test]
fn infracost_yaml_usage_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "provider \"aws\" {\n  region = \"us-east-1\"\n}\nresource \"aws_s3_bucket\" \"data\" {\n  bucket = \"data\"\n}\n",
    )
    .unwrap();
    let yml = dir.path().join("infracost-usage.yml");
    std::fs::write(
        &yml,
        "version: 0.1\nresource_usage:\n  aws_s3_bucket.data:\n    standard:\n      storage_gb: 10000\n    object_tags: 5\n",
    )
    .unwrap();
    let out = costgate()
        .args(["estimate", "--format", "json", "--usage"])
        .arg(&yml)
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let b = &doc["resources"][0];
    let comps = b["components"].to_string();
    assert!(comps.contains("\"quantity\":\"10000\""), "{b}");
    assert!(
        doc["warnings"]
            .to_string()
            .contains("aws_s3_bucket.data.object_tags"),
        "{}",
        doc["warnings"]
    );
    std::fs::write(&yml, "version: 0.2\nresource_usage: {}\n").unwrap();
    let out = costgate()
        .args(["estimate", "--usage"])
        .arg(&yml)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only 0.1"));
}

/// OpenTofu's `lifecycle { enabled = false }` leaves the resource out; a count fed by a data
/// source is a coverage finding saying so (issue 24).
#[test]
fn lifecycle_enabled_and_counts_from_data_sources() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tofu"),
        r#"provider "aws" {
  region = "us-east-1"
}
variable "gpu" {
  default = false
}
data "aws_availability_zones" "all" {}
resource "aws_instance" "gpu" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "p4d.24xlarge"
  lifecycle {
    enabled = var.gpu
  }
}
resource "aws_instance" "cpu" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"
  lifecycle {
    enabled = true
  }
}
resource "aws_instance" "per_zone" {
  count         = length(data.aws_availability_zones.all.names)
  ami           = "ami-0123456789abcdef0"
  instance_type = "g5.xlarge"
}
"#,
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let out = costgate()
            .args(["check", "--no-config", "--format", "json"])
            .args(extra)
            .arg(dir.path())
            .output()
            .unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let doc = run(&[]);
    let addrs: Vec<&str> = doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    assert!(!addrs.contains(&"aws_instance.gpu"), "{addrs:?}");
    assert!(addrs.contains(&"aws_instance.cpu"), "{addrs:?}");
    let findings = doc["findings"].to_string();
    assert!(
        findings.contains("unknown until the data source is read"),
        "{findings}"
    );
    let doc = run(&["--var", "gpu=true"]);
    assert!(doc["resources"].to_string().contains("aws_instance.gpu"));
}

/// HCL mode's synthesised plan fields agree with terraform's plan where it can know them:
/// `tags_all` (provider default_tags merged) in resource_changes, and planned_values'
/// resources and their tags_all (issue 24).
#[test]
fn synthesised_plan_fields_agree_with_terraform() {
    use costgate::policy::raw_plan;
    for case in [
        "testdata/plans/aws-real-idioms",
        "testdata/plans/aws-multi-module",
    ] {
        let case = Path::new(case);
        let plan_text = std::fs::read_to_string(case.join("plan.json")).unwrap();
        let plan: Value = serde_json::from_str(&plan_text).unwrap();
        let hcl = load(case, &LoadOptions::default()).unwrap();
        let fields = ["resource_changes", "planned_values"];
        let ours = raw_plan::for_input(case, &hcl, &fields).unwrap();
        let mut checked = 0;
        for rc in plan["resource_changes"].as_array().unwrap() {
            let addr = rc["address"].as_str().unwrap();
            let Some(want) = rc["change"]["after"].get("tags_all") else {
                continue;
            };
            if want.is_null() {
                continue;
            }
            let got = ours["resource_changes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["address"] == addr)
                .unwrap_or_else(|| panic!("{addr}"));
            assert_eq!(&got["change"]["after"]["tags_all"], want, "{addr}");
            checked += 1;
        }
        assert!(checked > 0, "{}", case.display());
        // planned_values: the same resources, by module.
        fn addrs(m: &Value, out: &mut BTreeSet<String>) {
            for r in m["resources"].as_array().into_iter().flatten() {
                out.insert(r["address"].as_str().unwrap().to_string());
            }
            for c in m["child_modules"].as_array().into_iter().flatten() {
                addrs(c, out);
            }
        }
        let (mut want, mut got) = (BTreeSet::new(), BTreeSet::new());
        addrs(&plan["planned_values"]["root_module"], &mut want);
        addrs(&ours["planned_values"]["root_module"], &mut got);
        assert_eq!(want, got, "{}", case.display());
    }
}

/// A loaded policy that reads plan fields HCL mode cannot fill is told so, once.
#[test]
fn hcl_mode_says_which_plan_fields_it_cannot_fill() {
    let dir = tempfile::tempdir().unwrap();
    let rego = dir.path().join("cfg.rego");
    std::fs::write(
        &rego,
        "package main\n\nimport rego.v1\n\ndeny contains msg if {\n\tsome r in input.configuration.root_module.resources\n\tr.type == \"x\"\n\tmsg := \"x\"\n}\n\ndeny contains msg if {\n\tinput.prior_state.values\n\tmsg := \"y\"\n}\n",
    )
    .unwrap();
    let out = costgate()
        .args([
            "check",
            "--no-config",
            "--format",
            "json",
            "testdata/plans/aws-real-idioms",
            "--policy",
        ])
        .arg(&rego)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let w: Vec<&str> = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|w| w.contains("HCL mode has no plan"))
        .collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("configuration") && w[0].contains("prior_state"),
        "{w:?}"
    );
}

/// OpenTofu 1.9 provider `for_each`: each resource instance is priced in the region of the
/// provider instance it names, without a false "no region" warning (issue 24).
#[test]
fn provider_for_each_instances_give_their_regions() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tofu"),
        r#"locals {
  regions = toset(["eu-west-1", "us-west-2"])
}
provider "aws" {
  alias    = "by_region"
  for_each = local.regions
  region   = each.key
}
resource "aws_instance" "gpu" {
  for_each      = local.regions
  provider      = aws.by_region[each.key]
  ami           = "ami-0123456789abcdef0"
  instance_type = "g5.xlarge"
}
"#,
    )
    .unwrap();
    let out = costgate()
        .args(["estimate", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let regions: BTreeSet<(String, String)> = doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["address"].as_str().unwrap().to_string(),
                r["region"].as_str().unwrap_or("none").to_string(),
            )
        })
        .collect();
    assert_eq!(
        regions,
        BTreeSet::from([
            (
                "aws_instance.gpu[\"eu-west-1\"]".to_string(),
                "eu-west-1".to_string()
            ),
            (
                "aws_instance.gpu[\"us-west-2\"]".to_string(),
                "us-west-2".to_string()
            ),
        ])
    );
    assert!(
        !doc["warnings"].to_string().contains("prices assume"),
        "{}",
        doc["warnings"]
    );
}

/// `costgate estimate --format json DIR EXTRA…`, which must succeed.
fn estimate_json(dir: &Path, extra: &[&str]) -> Value {
    let out = costgate()
        .args(["estimate", "--format", "json"])
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The resource of a JSON report at `address`.
fn resource_of<'a>(doc: &'a Value, address: &str) -> &'a Value {
    doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("{address} not in the report"))
}
