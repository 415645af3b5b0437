//! Pipeline benchmark: generates plans of 10k and 50k resources (GPU and CPU instances, EBS
//! volumes, launch templates + autoscaling groups, S3 buckets, with tags and modules), then
//! prints wall time for parse, estimate, policy (input document + the four built-in policies
//! in regorus, with a GPU quota and budget configured) and total, plus peak memory (VmHWM).
//!
//! Run: `cargo bench --bench pipeline` (add `-- 1000` for other sizes). With
//! `COSTGATE_BENCH_FINDINGS=DIR` the findings of each size are written to
//! `DIR/findings-<n>.json`, so optimisations can be checked for identical results. With
//! `COSTGATE_BENCH_WRITE=DIR` each generated plan is written to `DIR/plan-<n>.json` (for
//! `benches/peers.py`).

use std::path::Path;
use std::time::Instant;

use costgate::estimate::{estimate, usage::Usage};
use costgate::input::{plan, LoadOptions};
use costgate::policy::{self, CheckOptions};
use costgate::pricing::Catalogs;

const TYPES: &[&str] = &[
    "m5.xlarge",
    "t3.micro",
    "g5.xlarge",
    "c5.xlarge",
    "p4d.24xlarge",
    "g6e.12xlarge",
    "r5.xlarge",
    "p5.48xlarge",
];

fn change(
    address: &str,
    module: Option<&str>,
    rtype: &str,
    name: &str,
    after: serde_json::Value,
) -> serde_json::Value {
    let mut rc = serde_json::json!({
        "address": address, "mode": "managed", "type": rtype, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": ["create"], "before": null, "after": after,
                   "after_unknown": {"id": true, "arn": true}, "before_sensitive": false,
                   "after_sensitive": {"tags": {}, "tags_all": {}}}
    });
    if let Some(m) = module {
        rc["module_address"] = m.into();
    }
    rc
}

/// A plan with `n` resources.
pub fn generate(n: usize) -> String {
    let mut rcs = Vec::with_capacity(n);
    let mut i = 0;
    while rcs.len() < n {
        let module = format!("module.team[\"t{}\"]", i % 50);
        let tags = serde_json::json!({"team": format!("t{}", i % 50), "env": if i % 3 == 0 {"dev"} else {"prod"}, "owner": "x"});
        let m = Some(module.as_str());
        match i % 5 {
            0 | 1 => rcs.push(change(
                &format!("{module}.aws_instance.node[{i}]"), m, "aws_instance", "node",
                serde_json::json!({"instance_type": TYPES[i % TYPES.len()], "availability_zone": "us-east-1a",
                    "root_block_device": [{"volume_size": 100, "volume_type": "gp3", "iops": 3000, "throughput": 125}],
                    "tags": tags, "tags_all": tags}),
            )),
            2 => rcs.push(change(
                &format!("{module}.aws_ebs_volume.data[{i}]"), m, "aws_ebs_volume", "data",
                serde_json::json!({"size": 500 + i % 1000, "type": if i % 2 == 0 {"gp3"} else {"io2"}, "iops": 6000, "throughput": 250,
                    "availability_zone": "us-east-1b", "tags": tags, "tags_all": tags}),
            )),
            3 => {
                rcs.push(change(
                    &format!("{module}.aws_launch_template.lt[{i}]"), m, "aws_launch_template", "lt",
                    serde_json::json!({"name": format!("lt-{i}"), "instance_type": "g5.2xlarge",
                        "block_device_mappings": [{"ebs": [{"volume_size": 100, "volume_type": "gp3"}]}], "tags": tags, "tags_all": tags}),
                ));
                rcs.push(change(
                    &format!("{module}.aws_autoscaling_group.asg[{i}]"), m, "aws_autoscaling_group", "asg",
                    serde_json::json!({"min_size": 0, "max_size": 4, "desired_capacity": 2,
                        "launch_template": [{"name": format!("lt-{i}"), "version": "$Latest"}]}),
                ));
            }
            _ => rcs.push(change(
                &format!("{module}.aws_s3_bucket.b[{i}]"), m, "aws_s3_bucket", "b",
                serde_json::json!({"bucket": format!("bucket-{i}"), "tags": tags, "tags_all": tags}),
            )),
        }
        i += 1;
    }
    rcs.truncate(n);
    serde_json::json!({
        "format_version": "1.2", "terraform_version": "1.11.4",
        "resource_changes": rcs,
        "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}}}, "root_module": {}}
    })
    .to_string()
}

fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = s
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 50_000]
    } else {
        sizes
    };
    let catalogs = Catalogs::embedded().expect("embedded catalogs");
    // A config that turns every built-in policy on (quota per team, budget).
    let dir = std::env::temp_dir().join(format!("costgate-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let config = dir.join("costgate.toml");
    std::fs::write(
        &config,
        "[policies.gpu-quota]\nscope_tag = \"team\"\nlimits = [{ gpu = \"*\", scope = \"*\", max = 64 }]\n[policies.budget.deny]\ntotal_monthly = 1000000\n",
    )
    .expect("config");
    let opts = CheckOptions {
        policy_dirs: vec![],
        data: vec![],
        config: Some(config),
        no_config: false,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"),
    };
    let usage = Usage::default();
    println!(
        "{:>9} {:>8} {:>9} {:>12} {:>10} {:>9} {:>13} {:>9}",
        "resources",
        "plan MB",
        "parse ms",
        "estimate ms",
        "policy ms",
        "total ms",
        "peak RSS MiB",
        "findings"
    );
    for n in sizes {
        let text = generate(n);
        if let Some(dir) = std::env::var_os("COSTGATE_BENCH_WRITE") {
            std::fs::write(Path::new(&dir).join(format!("plan-{n}.json")), &text)
                .expect("write plan");
        }
        let t0 = Instant::now();
        let project = plan::parse(Path::new("bench.json"), &text, &LoadOptions::default())
            .expect("plan parses");
        let t1 = Instant::now();
        let e = estimate(&project, &catalogs, &usage);
        let t2 = Instant::now();
        assert_eq!(e.resources.len(), n);
        let prepared =
            policy::prepare(Path::new("bench.json"), &project, e, &opts).expect("input document");
        let report = policy::check(prepared, &opts).expect("policies evaluate");
        let t3 = Instant::now();
        if let Some(dir) = std::env::var_os("COSTGATE_BENCH_FINDINGS") {
            let json = serde_json::to_string_pretty(&report.findings).expect("findings json");
            std::fs::write(Path::new(&dir).join(format!("findings-{n}.json")), json)
                .expect("write findings");
        }
        println!(
            "{:>9} {:>8.1} {:>9.1} {:>12.1} {:>10.1} {:>9.1} {:>13.0} {:>9}",
            n,
            text.len() as f64 / 1e6,
            (t1 - t0).as_secs_f64() * 1e3,
            (t2 - t1).as_secs_f64() * 1e3,
            (t3 - t2).as_secs_f64() * 1e3,
            (t3 - t0).as_secs_f64() * 1e3,
            peak_rss_mib().unwrap_or(f64::NAN),
            report.findings.len()
        );
    }
}
