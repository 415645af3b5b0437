//! `aws_sagemaker_endpoint_configuration`: hosting hours for every production variant
//! (`initial_instance_count` instances). The `aws_sagemaker_endpoint` that deploys it is free:
//! pricing the configuration keeps replaces of the configuration visible as a delta.

use crate::money::Decimal;
use crate::resources::{whole, Costing, GpuFacts, Unpriced, View};

use super::ec2_type_of_ml;
use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "aws_sagemaker_endpoint_configuration",
    cloud: Cloud::Aws,
    types: &["aws_sagemaker_endpoint_configuration"],
    reads: &[
        "production_variants",
        "production_variants.0.initial_instance_count",
        "production_variants.0.instance_type",
        "production_variants.0.managed_instance_scaling.0.max_instance_count",
        "production_variants.0.managed_instance_scaling.0.min_instance_count",
        "production_variants.0.serverless_config",
    ],
    price_keys: &["sagemaker-hosting/{instance_type}"],
    usage: &[MONTHLY_HOURS],
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let variants = v.get("production_variants").as_array();
    if variants.is_empty() && v.get("production_variants").is_unknown() {
        c.unpriced.push(Unpriced::UnknownUntilApply {
            attr: "production_variants".into(),
        });
        return c;
    }
    let deployed = v
        .ctx
        .referrers_of(&v.res.address)
        .any(|r| r.rtype == "aws_sagemaker_endpoint");
    if !deployed {
        c.notes.push(
            "no aws_sagemaker_endpoint in this plan deploys it; priced as if deployed".into(),
        );
    }
    let mut gpus: Option<GpuFacts> = None;
    for i in 0..variants.len() {
        let p = |k: &str| format!("production_variants.{i}.{k}");
        if !v.get(&p("serverless_config")).as_array().is_empty() {
            c.notes.push(format!(
                "variant {i} is serverless: priced per request, not modelled"
            ));
            continue;
        }
        let t = match v.required_str(&p("instance_type")) {
            Ok(t) => t,
            Err(e) => {
                c.unpriced.push(e);
                continue;
            }
        };
        let n = match v.num_or(&p("initial_instance_count"), Decimal::ONE) {
            Ok(n) => n,
            Err(e) => {
                c.unpriced.push(e);
                continue;
            }
        };
        let key = format!("sagemaker-hosting/{t}");
        if !v.ctx.catalogs.knows("aws", &key)
            && v.ctx.catalogs.machine("aws", ec2_type_of_ml(t)).is_none()
        {
            c.unpriced
                .push(format!("unknown SageMaker instance type `{t}`"));
            continue;
        }
        c.add(v.hourly(format!("variant {i} ({} × {t})", n.normalize()), &key, n));
        if let Some(g) = v
            .ctx
            .catalogs
            .machine("aws", ec2_type_of_ml(t))
            .and_then(|m| m.gpu.as_ref())
        {
            let nodes = whole(n);
            let min = v
                .get(&p("managed_instance_scaling.0.min_instance_count"))
                .as_f64()
                .map(|f| f as u64)
                .unwrap_or(nodes);
            let max = v
                .get(&p("managed_instance_scaling.0.max_instance_count"))
                .as_f64()
                .map(|f| f as u64)
                .unwrap_or(nodes);
            let f = GpuFacts::new(g, min, nodes, max, false);
            gpus = Some(match gpus {
                // Several GPU variants: keep the first model, add up the counts.
                Some(mut acc) if acc.model == f.model => {
                    acc.count += f.count;
                    acc.max_count += f.max_count;
                    acc.nodes_desired += f.nodes_desired;
                    acc
                }
                Some(acc) => {
                    c.notes.push(format!(
                        "variant {i} uses {} GPUs; counted under the first variant's model only",
                        f.model
                    ));
                    acc
                }
                None => f,
            });
        }
    }
    c.gpu = gpus;
    c
}
