//! No input makes the plan loader or the estimate panic: truncations at many points and
//! byte mutations of a real plan (a cheap, deterministic stand-in for the fuzzer run in CI).

use std::path::Path;

use costgate::estimate::{estimate, usage::Usage};
use costgate::input::{plan, LoadOptions};
use costgate::pricing::Catalogs;

/// Small deterministic generator (xorshift) so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn run(text: &str, catalogs: &Catalogs) {
    if let Ok(p) = plan::parse(Path::new("fuzz.json"), text, &LoadOptions::default()) {
        let _ = estimate(&p, catalogs, &Usage::default());
    }
}

#[test]
fn truncated_and_mutated_plans_never_panic() {
    let catalogs = Catalogs::embedded().unwrap();
    let base = std::fs::read_to_string("testdata/plans/aws-ml-platform-create/plan.json").unwrap();
    let bytes = base.as_bytes();
    for cut in (0..bytes.len()).step_by(bytes.len() / 97 + 1) {
        if let Ok(t) = std::str::from_utf8(&bytes[..cut]) {
            run(t, &catalogs);
        }
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // Replacements that keep JSON plausible but change types and values.
    let tokens: &[&[u8]] = &[
        b"null",
        b"true",
        b"[]",
        b"{}",
        b"-1",
        b"1e400",
        b"\"x\"",
        b"0",
        b"\"\\u0000\"",
    ];
    for _ in 0..300 {
        let mut m = bytes.to_vec();
        for _ in 0..(1 + rng.next() % 4) {
            let at = (rng.next() as usize) % m.len();
            let tok = tokens[(rng.next() as usize) % tokens.len()];
            let end = (at + 1 + (rng.next() as usize) % 12).min(m.len());
            m.splice(at..end, tok.iter().copied());
        }
        if let Ok(t) = String::from_utf8(m) {
            run(&t, &catalogs);
        }
    }
}

#[test]
fn wrong_types_in_known_places_are_handled() {
    let catalogs = Catalogs::embedded().unwrap();
    for after in [
        r#"{"instance_type": 5}"#,
        r#"{"instance_type": "g5.xlarge", "root_block_device": {"volume_size": "big"}}"#,
        r#"{"instance_type": "g5.xlarge", "root_block_device": [{"volume_size": -100, "volume_type": 7}]}"#,
        r#"{"size": 1e300, "type": "gp3", "iops": "many"}"#,
        r#"{"scaling_config": [{"desired_size": -3, "min_size": null, "max_size": "x"}]}"#,
        r#"{"production_variants": [{"instance_type": null, "initial_instance_count": 1e20}]}"#,
    ] {
        for rtype in [
            "aws_instance",
            "aws_ebs_volume",
            "aws_eks_node_group",
            "aws_sagemaker_endpoint_configuration",
            "aws_autoscaling_group",
        ] {
            let text = format!(
                r#"{{"format_version":"1.2","resource_changes":[{{"address":"{rtype}.x","mode":"managed","type":"{rtype}","name":"x","change":{{"actions":["create"],"before":null,"after":{after},"after_unknown":{{}}}}}}]}}"#
            );
            run(&text, &catalogs);
        }
    }
}
