//! GCP, Azure, Databricks and AWS ML-platform coverage on hand-written plans. Every expected
//! number is worked out from the catalog prices in the comment next to it (730 h/month).

use std::path::Path;

use costgate::estimate::usage::Usage;
use costgate::estimate::{estimate, Estimate, ResourceEstimate};
use costgate::money::Decimal;
use costgate::pricing::Catalogs;

fn run(case: &str, with_usage: bool) -> Estimate {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let plan = dir.join(case).join("plan.json");
    let project = costgate::input::load(&plan, &Default::default()).expect("plan loads");
    let usage = if with_usage {
        Usage::load(&dir.join(case).join("usage.toml")).expect("usage loads")
    } else {
        Usage::default()
    };
    estimate(&project, &Catalogs::embedded().unwrap(), &usage)
}

fn res<'a>(e: &'a Estimate, address: &str) -> &'a ResourceEstimate {
    e.resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| panic!("{address} not in the estimate"))
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Monthly cost after the change, as a 2-decimal string.
fn after(e: &Estimate, address: &str) -> String {
    let r = res(e, address);
    assert_eq!(r.unpriced_reason, None, "{address} should be priced");
    format!("{:.2}", r.monthly_after.unwrap())
}

fn unpriced(e: &Estimate, address: &str) -> String {
    res(e, address)
        .unpriced_reason
        .clone()
        .unwrap_or_else(|| panic!("{address} should be unpriced"))
}

fn gpu(e: &Estimate, address: &str) -> (String, f64, u64, u64, u64, bool) {
    let g = res(e, address).gpu.as_ref().expect("gpu facts");
    (
        g.model.clone(),
        g.count,
        g.nodes_min,
        g.nodes_desired,
        g.nodes_max,
        g.spot,
    )
}

fn idle(e: &Estimate, address: &str) -> (bool, &'static str) {
    let i = res(e, address).idle.as_ref().expect("idle facts");
    (i.interactive, i.autopause)
}

#[test]
fn gcp_compute_instances() {
    let e = run("plans/gcp-ml", false);
    // a2-highgpu-1g 3.673385 × 730 = 2681.57105; boot 200 GB pd-balanced × 0.10 = 20.00
    assert_eq!(after(&e, "google_compute_instance.a2_trainer"), "2701.57");
    assert_eq!(
        gpu(&e, "google_compute_instance.a2_trainer"),
        ("A100-40GB".into(), 1.0, 1, 1, 1, false)
    );
    // Spot (Cyclenerd/anycloud 2026 tables, issue 15): gce-spot/n1-standard-8 0.13402 × 730 =
    // 97.8346; gpu-spot T4 0.1654 × 2 × 730 = 241.484; boot 50 GB pd-ssd × 0.17 = 8.50 → 347.82
    assert_eq!(after(&e, "google_compute_instance.t4_spot"), "347.82");
    assert_eq!(
        gpu(&e, "google_compute_instance.t4_spot"),
        ("T4".into(), 2.0, 1, 1, 1, true)
    );
    assert_eq!(
        idle(&e, "google_compute_instance.t4_spot"),
        (false, "missing")
    );
    assert!(unpriced(&e, "google_compute_instance.mystery")
        .contains("unknown GCE machine type `n9-mega-4`"));
}

#[test]
fn gke_node_pools() {
    let e = run("plans/gcp-ml", false);
    // node_count 2 per zone × 2 node_locations = 4 nodes:
    // n1-standard-4 0.19 × 4 × 730 = 554.80; V100 2.48 × 4 × 730 = 7241.60;
    // full month: N1 and its GPUs earn the 30 % sustained-use discount, each as its own line
    // (554.80 + 7241.60) × 0.7 = 5457.48; disks 100 GB pd-standard × 4 × 0.04 = 16.00 → 5473.48
    assert_eq!(after(&e, "google_container_node_pool.v100"), "5473.48");
    // autoscaling 0..4 per zone × 2 zones → min 0, max 8
    assert_eq!(
        gpu(&e, "google_container_node_pool.v100"),
        ("V100".into(), 4.0, 0, 4, 8, false)
    );
    assert_eq!(
        idle(&e, "google_container_node_pool.v100"),
        (false, "configured")
    );
    // total_min 1 (node_count unknown): gce-spot/g2-standard-8 0.479872 (Cyclenerd 2026-07-30)
    // × 730 = 350.30656; default disk 100 GB pd-balanced = 10.00
    assert_eq!(after(&e, "google_container_node_pool.l4_spot"), "360.31");
    assert_eq!(
        gpu(&e, "google_container_node_pool.l4_spot"),
        ("L4".into(), 1.0, 1, 1, 3, true)
    );
    let c = &res(&e, "google_container_node_pool.l4_spot").components[0];
    assert!(c
        .note
        .as_deref()
        .unwrap()
        .contains("spot price from the catalog"));
}

#[test]
fn workbench_disks_and_groups() {
    let e = run("plans/gcp-ml", false);
    // n1-standard-8 0.38 × 730 = 277.40; T4 0.35 × 730 = 255.50; boot 150 × 0.10 = 15.00;
    // data 200 GB pd-ssd × 0.17 = 34.00; list 581.90. Full month: the n1-standard-8 and T4
    // lines each get a 30 % sustained-use line (−83.22, −76.65) → 422.03
    assert_eq!(after(&e, "google_workbench_instance.notebook"), "422.03");
    let nb = res(&e, "google_workbench_instance.notebook");
    let sud: Vec<_> = nb
        .components
        .iter()
        .filter(|c| c.price_key.starts_with("sud/"))
        .map(|c| (c.price_key.as_str(), c.monthly_cost.round_dp(2).to_string()))
        .collect();
    assert_eq!(
        sud,
        [
            ("sud/gce/n1-standard-8", "-83.22".to_string()),
            ("sud/gpu/nvidia-tesla-t4", "-76.65".to_string())
        ]
    );
    assert_eq!(
        idle(&e, "google_workbench_instance.notebook"),
        (true, "default-on")
    );
    assert_eq!(
        idle(&e, "google_workbench_instance.always_on"),
        (true, "missing")
    );
    // 500 GB pd-ssd × 0.17 = 85.00
    assert_eq!(after(&e, "google_compute_disk.scratch"), "85.00");
    assert!(unpriced(&e, "google_compute_disk.hyper").contains("hyperdisk-balanced"));
    // MIG: 2 × g2-standard-4 0.70683228 × 730 = 1031.975; template disk 100 GB × 2 × 0.10 = 20
    assert_eq!(
        after(&e, "google_compute_instance_group_manager.l4"),
        "1051.98"
    );
    assert_eq!(
        gpu(&e, "google_compute_instance_group_manager.l4"),
        ("L4".into(), 2.0, 2, 2, 2, false)
    );
    // The template the group uses costs nothing itself and brings no GPUs of its own.
    let tpl = res(&e, "google_compute_instance_template.l4");
    assert_eq!(after(&e, "google_compute_instance_template.l4"), "0.00");
    assert!(tpl.gpu.is_none());
    assert!(tpl.notes.iter().any(|n| n.contains("priced on the groups")));
    // Usage-based bucket without usage: $0, marked as depending on usage.
    let b = res(&e, "google_storage_bucket.datasets");
    assert!(b.components[0].usage_based && b.components[0].note.is_some());
}

#[test]
fn gcp_usage_storage_and_tiered_egress() {
    let e = run("plans/gcp-ml", true);
    // 10000 GB × 0.020 = 200.00; egress 1024 × 0.12 + 1024 × 0.11 = 235.52 → 435.52
    assert_eq!(after(&e, "google_storage_bucket.datasets"), "435.52");
    // 2701.57 + inter-zone 500 GB × 0.01 = 5.00
    assert_eq!(after(&e, "google_compute_instance.a2_trainer"), "2706.57");
    let egress = res(&e, "google_storage_bucket.datasets")
        .components
        .iter()
        .find(|c| c.price_key == "egress/internet")
        .unwrap();
    assert!(egress.tiered && egress.usage_based);
    assert_eq!(egress.monthly_cost, d("235.52"));
}

#[test]
fn azure_vms_and_scale_sets() {
    let e = run("plans/azure-ml", false);
    // NC24ads_A100_v4 3.673 × 730 = 2681.29; 128 GiB Premium → P10 19.71 → 2701.00
    assert_eq!(after(&e, "azurerm_linux_virtual_machine.a100"), "2701.00");
    // Spot from the catalog: 0.7345 × 730 = 536.185 → 536.19 (OS disk size from the image)
    assert_eq!(
        after(&e, "azurerm_linux_virtual_machine.a100_spot"),
        "536.19"
    );
    assert_eq!(
        gpu(&e, "azurerm_linux_virtual_machine.a100_spot"),
        ("A100-80GB".into(), 1.0, 1, 1, 1, true)
    );
    // NC4as_T4_v3 0.526 × 730 = 383.98; 127 GiB StandardSSD → E10 9.60 → 393.58
    assert_eq!(after(&e, "azurerm_windows_virtual_machine.t4"), "393.58");
    assert!(unpriced(&e, "azurerm_linux_virtual_machine.mystery")
        .contains("unknown Azure VM size `Standard_NX99_v9`"));
    // 2 × ND96isr_H100_v5 98.32 × 730 = 143547.20; 2 × P15 38.01 = 76.02
    assert_eq!(
        after(&e, "azurerm_linux_virtual_machine_scale_set.h100"),
        "143623.22"
    );
    assert_eq!(
        gpu(&e, "azurerm_linux_virtual_machine_scale_set.h100"),
        ("H100".into(), 16.0, 2, 2, 2, false)
    );
}

#[test]
fn aks_and_azure_ml() {
    let e = run("plans/azure-ml", false);
    // default pool 3 × D4s_v5 0.192 × 730 = 420.48; 3 × P10 19.71 = 59.13 → 479.61
    assert_eq!(after(&e, "azurerm_kubernetes_cluster.aks"), "479.61");
    // auto_scaling_enabled, min 0, node_count unknown → 0 nodes; ephemeral OS disk
    assert_eq!(
        after(&e, "azurerm_kubernetes_cluster_node_pool.gpu"),
        "0.00"
    );
    assert_eq!(
        gpu(&e, "azurerm_kubernetes_cluster_node_pool.gpu"),
        ("V100".into(), 0.0, 0, 0, 4, false)
    );
    assert_eq!(
        idle(&e, "azurerm_kubernetes_cluster_node_pool.gpu"),
        (false, "configured")
    );
    // enable_auto_scaling (3.x), node_count 2, Spot from the catalog (anycloud 2026-05-20):
    // 0.204246 × 2 × 730 = 298.19916; 2 × P6 10.2048 (eastus row) = 20.4096 → 318.61
    assert_eq!(
        after(&e, "azurerm_kubernetes_cluster_node_pool.t4_spot"),
        "318.61"
    );
    assert_eq!(
        gpu(&e, "azurerm_kubernetes_cluster_node_pool.t4_spot"),
        ("T4".into(), 2.0, 1, 2, 3, true)
    );
    // LowPriority at min_node_count 2: 0.7345 × 2 × 730 = 1072.37
    assert_eq!(
        after(&e, "azurerm_machine_learning_compute_cluster.train"),
        "1072.37"
    );
    assert_eq!(
        gpu(&e, "azurerm_machine_learning_compute_cluster.train"),
        ("A100-80GB".into(), 2.0, 2, 2, 8, true)
    );
    assert_eq!(
        idle(&e, "azurerm_machine_learning_compute_cluster.train"),
        (false, "missing")
    );
    assert_eq!(
        after(&e, "azurerm_machine_learning_compute_instance.dev"),
        "383.98"
    );
    let i = res(&e, "azurerm_machine_learning_compute_instance.dev")
        .idle
        .as_ref()
        .unwrap();
    assert_eq!(i.autopause, "unknown");
    assert!(i.detail.contains("cannot verify from Terraform"));
}

#[test]
fn azure_disks_and_storage() {
    let e = run("plans/azure-ml", false);
    // 600 GiB Premium → smallest tier ≥ 600 is P30 (1024 GiB) 135.17
    assert_eq!(after(&e, "azurerm_managed_disk.data"), "135.17");
    // 10 GiB Standard HDD → S4 (32 GiB, the smallest S tier) 1.54
    assert_eq!(after(&e, "azurerm_managed_disk.small"), "1.54");
    let u = run("plans/azure-ml", true);
    // 51200 × 0.0208 + 8800 × 0.019968 = 1240.6784; egress (1100 − 100 free) × 0.087 = 87.00
    assert_eq!(after(&u, "azurerm_storage_account.lake"), "1327.68");
}

#[test]
fn databricks_clusters_priced_in_their_cloud() {
    let e = run("plans/databricks", false);
    // AWS: 2 × g5.xlarge 1.006 × 730 = 1468.76 + driver m5.xlarge 0.192 × 730 = 140.16
    assert_eq!(after(&e, "databricks_cluster.aws_gpu"), "1608.92");
    assert_eq!(
        gpu(&e, "databricks_cluster.aws_gpu"),
        ("A10G".into(), 2.0, 2, 2, 2, false)
    );
    assert_eq!(idle(&e, "databricks_cluster.aws_gpu"), (true, "configured"));
    // Azure: autoscale min 1 + driver (same type) = 2 × 3.06 × 730 = 4467.60; GPUs 2, max 4 + 1
    assert_eq!(after(&e, "databricks_cluster.azure_gpu"), "4467.60");
    assert_eq!(
        gpu(&e, "databricks_cluster.azure_gpu"),
        ("V100".into(), 2.0, 2, 2, 5, false)
    );
    assert_eq!(idle(&e, "databricks_cluster.azure_gpu"), (true, "missing"));
    // GCP: spot worker 1.92802 (Cyclenerd 2026-07-30) × 730 = 1407.4546 + on-demand driver
    // 2681.57105
    assert_eq!(after(&e, "databricks_cluster.gcp_gpu"), "4089.03");
    assert!(unpriced(&e, "databricks_cluster.mystery").contains("`weird`"));
    // Pool: min_idle_instances 2 × g4dn.xlarge 0.526 × 730 = 767.96; up to max_capacity 10
    assert_eq!(after(&e, "databricks_instance_pool.t4"), "767.96");
    assert_eq!(
        gpu(&e, "databricks_instance_pool.t4"),
        ("T4".into(), 2.0, 2, 2, 10, false)
    );
    assert_eq!(idle(&e, "databricks_instance_pool.t4"), (false, "missing"));
    let notes = &res(&e, "databricks_cluster.aws_gpu").notes;
    assert!(notes.iter().any(|n| n.contains("DBUs")));
}

#[test]
fn aws_ml_platform_additions() {
    let e = run("plans/aws-ml-extras", false);
    let dom = res(&e, "aws_sagemaker_domain.studio");
    let g = dom.gpu.as_ref().unwrap();
    assert!(g.potential && g.count == 0.0 && g.model == "A10G");
    assert_eq!(
        idle(&e, "aws_sagemaker_domain.studio"),
        (true, "configured")
    );
    // Potential GPUs do not count in the totals.
    assert!(!e.totals.gpu_count_by_model.contains_key("A10G"));
    // min_vcpus 16 ÷ 8 vCPU = 2 × p3.2xlarge 3.06 × 730 = 4467.60; max 64 ÷ 8 = 8
    assert_eq!(after(&e, "aws_batch_compute_environment.train"), "4467.60");
    assert_eq!(
        gpu(&e, "aws_batch_compute_environment.train"),
        ("V100".into(), 2.0, 2, 2, 8, false)
    );
    assert!(unpriced(&e, "aws_batch_compute_environment.families").contains("families"));
    // Spot request: g4dn.xlarge 0.526 less the Spot Advisor's 64 % = 0.18936 × 730 = 138.2328;
    // root 100 GB gp3 × 0.08 = 8.00
    assert_eq!(after(&e, "aws_spot_instance_request.worker"), "146.23");
    assert!(gpu(&e, "aws_spot_instance_request.worker").5);
    // provisioned throughput 100 × 6.00 = 600.00 (storage is usage-based: 0 without usage)
    assert_eq!(after(&e, "aws_efs_file_system.shared"), "600.00");
    // 2400 GiB × 0.145 = 348.00
    assert_eq!(after(&e, "aws_fsx_lustre_file_system.scratch"), "348.00");

    let u = run("plans/aws-ml-extras", true);
    // 600 + 1000 GB × 0.30 + inter-AZ 500 × 0.01 = 905.00
    assert_eq!(after(&u, "aws_efs_file_system.shared"), "905.00");
    // 348 + 10240 × 0.09 + 9760 × 0.085 = 348 + 921.60 + 829.60 = 2099.20
    assert_eq!(after(&u, "aws_fsx_lustre_file_system.scratch"), "2099.20");
}

#[test]
fn multi_cloud_example_totals_gpus_by_model() {
    let e = run("examples/multi-cloud", false);
    let t = &e.totals.gpu_count_by_model;
    // GCP: a2 1 × A100-40GB, t4_spot 2 × T4, GKE 4 × V100, Workbench 1 × T4;
    // Azure: 1 × A100-80GB VM, 16 × H100 scale set, 2 × A100-80GB AML cluster;
    // Databricks: 2 × A10G (AWS), 2 × V100 (Azure); AWS: spot request 1 × T4.
    assert_eq!(t.get("A100-40GB"), Some(&1.0));
    assert_eq!(t.get("A100-80GB"), Some(&3.0));
    assert_eq!(t.get("H100"), Some(&16.0));
    assert_eq!(t.get("T4"), Some(&4.0));
    assert_eq!(t.get("V100"), Some(&6.0));
    assert_eq!(t.get("A10G"), Some(&2.0));
    assert_eq!(e.totals.unpriced_count, 0);
    let table = costgate::report::table::render(&e);
    assert!(table.contains("16 × H100"), "{table}");
}

#[test]
fn cli_estimate_shows_gpus_by_model_across_clouds() {
    let plan =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/examples/multi-cloud/plan.json");
    assert_cmd::Command::cargo_bin("costgate")
        .unwrap()
        .args(["estimate"])
        .arg(&plan)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "GPUs after the change: 1 × A100-40GB, 3 × A100-80GB (up to 9), 2 × A10G, 16 × H100, 4 × T4, 6 × V100 (up to 13)",
        ));
}

#[test]
fn gke_clusters_fee_default_and_inline_pools() {
    let e = run("plans/gcp-ml", false);
    // Management fee gke/cluster-hour 0.10 × 730 = 73.00; default pool removed → fee only.
    assert_eq!(after(&e, "google_container_cluster.ml"), "73.00");
    let ml = res(&e, "google_container_cluster.ml");
    assert_eq!(ml.components.len(), 1);
    assert_eq!(ml.components[0].price_key, "gke/cluster-hour");
    assert!(ml.notes.iter().any(|n| n.contains("free tier")));
    assert!(ml.gpu.is_none());
    // Zonal cluster us-central1-a + node_locations [us-central1-b] = 2 zones × initial 2 = 4
    // nodes; machine type unknown → GKE's e2-medium 0.03350571 × 4 × 730 = 97.8366732;
    // boot disks 4 × 50 GB pd-standard × 0.04 = 8.00; + fee 73.00 → 178.84
    assert_eq!(after(&e, "google_container_cluster.dev_default"), "178.84");
    let dev = res(&e, "google_container_cluster.dev_default");
    let nodes = dev
        .components
        .iter()
        .find(|c| c.price_key == "gce/e2-medium")
        .unwrap();
    assert_eq!(nodes.quantity, d("2920"));
    assert!(dev.notes.iter().any(|n| n.contains("e2-medium")));
    // Inline pools, 1 zone: cpu n1-standard-4 0.19 × 730 = 138.70 + disk 100 × 0.10 = 10.00;
    // t4: 2 × n1-standard-8 0.38 × 730 = 554.80 + 2 × T4 0.35 × 730 = 511.00
    // + disks 2 × 100 × 0.10 = 20.00; + fee 73.00 = 1307.50 at list; the N1 and T4 lines
    // (1204.50) earn 30 % sustained use for the full month → 843.15 + 30 + 73 = 946.15
    assert_eq!(after(&e, "google_container_cluster.gpu_inline"), "946.15");
    assert_eq!(
        gpu(&e, "google_container_cluster.gpu_inline"),
        ("T4".into(), 2.0, 0, 2, 4, false)
    );
    assert_eq!(
        idle(&e, "google_container_cluster.gpu_inline"),
        (false, "configured")
    );
    // Autopilot: the fee only, with a note that Pod requests are not modelled.
    assert_eq!(after(&e, "google_container_cluster.autopilot"), "73.00");
    assert!(res(&e, "google_container_cluster.autopilot")
        .notes
        .iter()
        .any(|n| n.contains("Autopilot")));
    // Existing cluster whose state lists "batch" (its own google_container_node_pool) and
    // "default-pool": fee 73.00 + e2-standard-4 0.13402284 (Cyclenerd 2026-07-30) × 730 =
    // 97.8366732 + 100 GB pd-standard × 0.04 = 4.00 → 174.84; batch is not counted twice.
    assert_eq!(after(&e, "google_container_cluster.legacy"), "174.84");
    let legacy = res(&e, "google_container_cluster.legacy");
    assert_eq!(legacy.monthly_before, legacy.monthly_after);
    assert!(!legacy
        .components
        .iter()
        .any(|c| c.price_key == "gce/n1-standard-8"));
    // The pool itself: 3 × n1-standard-8 0.38 × 730 = 832.20, less 30 % sustained use for the
    // full month = 582.54; + 300 GB × 0.04 = 12.00 → 594.54
    assert_eq!(after(&e, "google_container_node_pool.batch"), "594.54");
}

#[test]
fn billed_glue_is_priced_or_unpriced_never_free() {
    let e = run("plans/aws-ml-extras", false);
    // EKS control plane eks/cluster-hour 0.10 × 730 = 73.00; support_type STANDARD → no
    // extended-support note.
    assert_eq!(after(&e, "aws_eks_cluster.ml"), "73.00");
    assert!(res(&e, "aws_eks_cluster.ml").notes.is_empty());
    // Public IPv4 0.005 × 730 = 3.65; a BYOIP pool is not charged (priced at 0 with a note).
    assert_eq!(after(&e, "aws_eip.nat"), "3.65");
    assert_eq!(after(&e, "aws_eip.byoip"), "0.00");
    assert!(res(&e, "aws_eip.byoip").notes[0].contains("BYOIP"));
    // Alarms: 1 standard metric 0.10; period 10 s → high resolution 0.30;
    // anomaly band on 1 metric = 3 standard alarm metrics × 0.10 = 0.30.
    assert_eq!(after(&e, "aws_cloudwatch_metric_alarm.gpu_idle"), "0.10");
    assert_eq!(after(&e, "aws_cloudwatch_metric_alarm.fast"), "0.30");
    assert_eq!(
        res(&e, "aws_cloudwatch_metric_alarm.fast").components[0].price_key,
        "cloudwatch/alarm/high-resolution"
    );
    assert_eq!(after(&e, "aws_cloudwatch_metric_alarm.anomaly"), "0.30");
    assert_eq!(
        res(&e, "aws_cloudwatch_metric_alarm.anomaly").components[0].quantity,
        d("3")
    );
    // Advanced SSM parameter: 0.05 a month.
    assert_eq!(after(&e, "aws_ssm_parameter.big_config"), "0.05");
    // Log group without usage: usage-based lines at 0, marked.
    let lg = res(&e, "aws_cloudwatch_log_group.training");
    assert!(lg.free.is_none() && lg.components.iter().all(|c| c.usage_based));
    // Billed types that a free prefix used to swallow: unpriced with the reason.
    // S3 Inventory is priced now (per million objects listed; objects are usage).
    assert_eq!(after(&e, "aws_s3_bucket_inventory.datasets"), "0.00");
    // Hosted zones are priced now (issue 26): one global rate per zone-month.
    assert_eq!(after(&e, "aws_route53_zone.internal"), "0.50");
    assert!(res(&e, "aws_route_table.private").free.is_some());

    let u = run("plans/aws-ml-extras", true);
    // 100 GB ingested × 0.50 = 50.00 + 200 GB stored × 0.03 = 6.00
    assert_eq!(after(&u, "aws_cloudwatch_log_group.training"), "56.00");
}

#[test]
fn aks_control_plane_tiers() {
    let e = run("plans/azure-ml", false);
    // Standard tier: aks/standard-tier-hour 0.10 × 730 = 73.00 + 1 × D4s_v5 0.192 × 730
    // = 140.16 (ephemeral OS disk: no disk line) → 213.16
    assert_eq!(
        after(&e, "azurerm_kubernetes_cluster.aks_standard"),
        "213.16"
    );
    // Premium tier: no catalog price → unpriced with the reason, never a silent $0 fee.
    assert!(unpriced(&e, "azurerm_kubernetes_cluster.aks_premium").contains("Premium"));
    // Free tier (sku_tier unset): no fee line.
    assert!(!res(&e, "azurerm_kubernetes_cluster.aks")
        .components
        .iter()
        .any(|c| c.price_key.starts_with("aks/")));
}
