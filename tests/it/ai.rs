//! AI capacity and model services (issue 28): TPU slices, Azure OpenAI deployments, GPU
//! templates started by schedulers, capacity reservations and blocks. Each figure is checked
//! by hand against the catalog entry named in the comment (730 hours a month).

use std::path::Path;

use costgate::estimate::{estimate, usage::Usage, Estimate, ResourceEstimate};
use costgate::pricing::Catalogs;

use crate::support::fixtures::d;

fn run(dir: &str, usage: Option<&str>) -> Estimate {
    let project = costgate::input::load(Path::new(dir), &Default::default()).unwrap();
    let usage = match usage {
        Some(u) => Usage::load(Path::new(u)).unwrap(),
        None => Usage::default(),
    };
    estimate(&project, &Catalogs::embedded().unwrap(), &usage)
}

fn res<'a>(e: &'a Estimate, address: &str) -> &'a ResourceEstimate {
    e.resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| panic!("no {address}"))
}

#[test]
fn tpu_slices_are_chips_times_the_per_chip_price() {
    let e = run("testdata/hcl/ai-tpu", None);
    // gcp tpu/v5litepod-8 us-central1: 9.6/hour for 8 chips = 1.2 per chip-hour
    // (services/gcp_tpu_anycloud_skypilot.csv): 8 × 1.2 × 730 = 7,008.
    let v5e = res(&e, "google_tpu_v2_vm.v5e");
    assert_eq!(v5e.monthly_after, Some(d("7008")));
    assert_eq!(v5e.components[0].unit_price, d("1.2"));
    let g = v5e.gpu.as_ref().unwrap();
    assert_eq!(
        (g.model.as_str(), g.family.as_deref(), g.count),
        ("TPU v5e", Some("TPU"), 8.0)
    );
    // accelerator_config V6E 2x2 = 4 chips, spot: tpu-spot/v6e-4 us-central1 0.514415.
    let v6e = res(&e, "google_tpu_v2_vm.v6e_spot");
    // 1,502.0918 to the cent.
    assert_eq!(v6e.monthly_after, Some(d("1502.09")));
    assert!(v6e.gpu.as_ref().unwrap().spot);
    // Legacy node v3-8 = 4 chips, preemptible: tpu-spot/v3-8 0.51 → 4 × 0.51 × 730.
    assert_eq!(
        res(&e, "google_tpu_node.legacy").monthly_after,
        Some(d("1489.2"))
    );
    // Queued resource v5p-16 = 8 chips in us-east5 at 4.2 → 8 × 4.2 × 730.
    let qr = res(&e, "google_tpu_v2_queued_resource.v5p");
    assert_eq!(qr.monthly_after, Some(d("24528")));
    assert_eq!(qr.gpu.as_ref().unwrap().count, 8.0);
    // Accelerators appear in the totals beside GPUs.
    assert_eq!(e.totals.gpu_count_by_model.get("TPU v5e"), Some(&8.0));
    assert_eq!(e.totals.gpu_count_by_model.get("TPU v5p"), Some(&8.0));
}

#[test]
fn azure_openai_provisioned_and_token_deployments() {
    let e = run(
        "testdata/hcl/ai-openai",
        Some("testdata/hcl/ai-openai/usage.toml"),
    );
    // azure openai-ptu/datazone eastus 1.1 per PTU-hour ("Provisioned Managed Data Zone
    // Unit"): 15 × 1.1 × 730 = 12,045.
    let ptu = res(&e, "azurerm_cognitive_deployment.ptu");
    assert_eq!(ptu.monthly_after, Some(d("12045")));
    assert_eq!(ptu.components[0].price_key, "openai-ptu/datazone");
    // gpt-4o 2024-11-20 GlobalStandard: "gpt 4o 1120 Inp glbl" 0.0025/1K = 2.5/1M,
    // "Outp glbl" 0.01/1K = 10/1M: 100 × 2.5 + 20 × 10 = 450.
    let chat = res(&e, "azurerm_cognitive_deployment.chat");
    assert_eq!(chat.monthly_after, Some(d("450")));
    assert_eq!(
        chat.components
            .iter()
            .map(|c| c.price_key.as_str())
            .collect::<Vec<_>>(),
        [
            "openai/gpt-4o-1120/global/input",
            "openai/gpt-4o-1120/global/output"
        ]
    );
    assert!(
        chat.notes.iter().any(|n| n.contains("$3.75 per 1M tokens")),
        "{:?}",
        chat.notes
    );
}

#[test]
fn token_deployment_without_usage_is_zero_and_says_so() {
    let e = run("testdata/hcl/ai-openai", None);
    let chat = res(&e, "azurerm_cognitive_deployment.chat");
    assert_eq!(chat.monthly_after, Some(d("0")));
    assert!(chat
        .components
        .iter()
        .all(|c| c.usage_based && c.note.as_deref().is_some_and(|n| n.contains("usage"))));
}

#[test]
fn gpu_templates_started_by_a_scheduler_count_at_their_max() {
    let e = run(
        "testdata/hcl/ai-slurm",
        Some("testdata/hcl/ai-slurm/usage.toml"),
    );
    // Slurm nodeset from the configuration object: 2 static + 14 dynamic a2-ultragpu-8g;
    // priced at the 2 static nodes (gcp gce/a2-ultragpu-8g us-central1 40.550383123/hour:
    // 2 × 40.550383123 × 730 = 59,203.56), quota at 16 nodes × 8 A100-80GB = 128.
    let a2 = res(&e, "google_compute_instance_template.a2_ultra");
    assert_eq!(a2.monthly_after, Some(d("59203.56")));
    let g = a2.gpu.as_ref().unwrap();
    assert_eq!(
        (g.model.as_str(), g.count, g.max_count, g.potential),
        ("A100-80GB", 16.0, 128.0, false)
    );
    // Usage file: 0–10 nodes of 4 × T4: nothing priced, 40 T4 at max.
    let t4 = res(&e, "google_compute_instance_template.t4");
    assert_eq!(t4.monthly_after, Some(d("0")));
    let g = t4.gpu.as_ref().unwrap();
    assert_eq!((g.model.as_str(), g.max_count), ("T4", 40.0));
    // The totals carry the maximum beside the running count.
    assert_eq!(
        e.totals.gpu_max_count_by_model.get("A100-80GB"),
        Some(&128.0)
    );
    assert_eq!(e.totals.gpu_count_by_model.get("A100-80GB"), Some(&16.0));
    // A template a group uses: the group has the GPUs, the template none.
    assert!(res(&e, "google_compute_instance_template.grouped")
        .gpu
        .is_none());
    assert_eq!(
        res(&e, "google_compute_instance_group_manager.svc")
            .gpu
            .as_ref()
            .map(|g| g.count),
        Some(2.0)
    );
}

#[test]
fn gpu_template_without_node_counts_is_never_zero_gpus() {
    let e = run("testdata/hcl/ai-slurm", None);
    let t4 = res(&e, "google_compute_instance_template.t4");
    let g = t4.gpu.as_ref().unwrap();
    assert_eq!((g.count, g.max_count), (0.0, 4.0));
    assert!(t4.notes.iter().any(|n| n.contains("max_nodes")));
}

#[test]
fn capacity_reservations_and_blocks_hold_gpus() {
    let e = run(
        "testdata/families/aws_ec2_capacity_reservation/plan.json",
        None,
    );
    // Existing Capacity Block, 1 × p5.48xlarge, 2026-12-14 11:30 → 2026-12-21 11:30 (168 h)
    // in us-east-2 at capacity-block/p5.48xlarge 41.528 per instance-hour: 168 × 41.528 =
    // 6,976.704 for the block, all in one month.
    let week = res(&e, "aws_ec2_capacity_block_reservation.week");
    assert_eq!(week.monthly_after, Some(d("6976.70")));
    assert_eq!(week.components[0].quantity, d("168"));
    assert_eq!(week.gpu.as_ref().map(|g| g.count), Some(8.0));
    assert!(week
        .notes
        .iter()
        .any(|n| n.contains("block total $6976.70")));
    // A new block's type and dates come from its offering: unpriced, never guessed.
    assert!(res(&e, "aws_ec2_capacity_block_reservation.next_run")
        .unpriced_reason
        .as_deref()
        .is_some_and(|r| r.contains("offering")));
    // 2 × p5.48xlarge reserved on demand (ec2/p5.48xlarge us-east-2 55.04): 2 × 55.04 × 730
    // = 80,358.40, 16 H100 held, and nothing uses it.
    let h100 = res(&e, "aws_ec2_capacity_reservation.h100");
    assert_eq!(h100.monthly_after, Some(d("80358.40")));
    let g = h100.gpu.as_ref().unwrap();
    assert_eq!((g.model.as_str(), g.count), ("H100", 16.0));
    assert!(h100.notes.iter().any(|n| n.contains("reserved but idle")));
    // The instance launched into the targeted reservation is priced once, on itself.
    let inf = res(&e, "aws_ec2_capacity_reservation.inference");
    assert_eq!(inf.monthly_after, Some(d("0")));
    assert!(inf.gpu.is_none());
    assert!(!inf.notes.iter().any(|n| n.contains("reserved but idle")));
}

#[test]
fn gce_reservations_hold_gpus_and_say_when_idle() {
    let e = run("testdata/hcl/ai-reservation", None);
    // 2 × a3-highgpu-8g (gce/a3-highgpu-8g us-central1 88.490000119, H100 bundled):
    // 2 × 88.490000119 × 730 = 129,195.40; 16 H100 held; nothing targets it.
    let a3 = res(&e, "google_compute_reservation.a3");
    assert_eq!(a3.monthly_after, Some(d("129195.40")));
    assert_eq!(a3.gpu.as_ref().map(|g| g.count), Some(16.0));
    assert!(a3.notes.iter().any(|n| n.contains("reserved but idle")));
    // The T4 reservation's one VM is the instance that names it: priced once, on the
    // instance, and its GPUs counted once.
    let t4 = res(&e, "google_compute_reservation.t4");
    assert_eq!(t4.monthly_after, Some(d("0")));
    assert!(t4.gpu.is_none());
    assert_eq!(e.totals.gpu_count_by_model.get("T4"), Some(&2.0));
}

#[test]
fn bedrock_provisioned_throughput_by_model_and_term() {
    let e = run(
        "testdata/families/aws_bedrock_provisioned_model_throughput/plan.json",
        None,
    );
    // aws bedrock-pt/anthropic.claude-v2:1/6-month us-east-1 34.992 per model unit-hour:
    // 2 × 34.992 × 730 = 51,088.32.
    let v2 = res(&e, "aws_bedrock_provisioned_model_throughput.claude_v2");
    assert_eq!(v2.monthly_after, Some(d("51088.32")));
    // Without a published rate: unpriced, naming the model.
    for a in ["no_commitment", "nova"] {
        let r = res(&e, &format!("aws_bedrock_provisioned_model_throughput.{a}"));
        assert!(r.monthly_after.is_none());
        assert!(r
            .unpriced_reason
            .as_deref()
            .is_some_and(|w| w.contains("model `")));
    }
}

#[test]
fn azure_capacity_reservation_holds_gpus() {
    let e = run("testdata/hcl/ai-openai", None);
    // 2 × Standard_ND96isr_H100_v5 in eastus (vm/standard_nd96isr_h100_v5 98.32):
    // 2 × 98.32 × 730 = 143,547.20; 16 H100 held, no VM names the group.
    let r = res(&e, "azurerm_capacity_reservation.h100");
    assert_eq!(r.monthly_after, Some(d("143547.20")));
    assert_eq!(r.gpu.as_ref().map(|g| g.count), Some(16.0));
    assert!(r.notes.iter().any(|n| n.contains("reserved but idle")));
    assert!(res(&e, "azurerm_capacity_reservation_group.gpu")
        .free
        .is_some());
}
