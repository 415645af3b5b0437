//! AWS resource families and the helpers they share (EC2 compute, EBS, GPUs).

pub mod autoscaling_group;
pub mod batch_compute_environment;
pub mod bedrock_provisioned_throughput;
pub mod capacity_reservation;
pub mod cloudwatch;
pub mod db_instance;
pub mod dynamodb_table;
pub mod ebs_volume;
pub mod ec2_instance;
pub mod ecr_repository;
pub mod efs_file_system;
pub mod eip;
pub mod eks_cluster;
pub mod eks_node_group;
pub mod elasticache;
pub mod fsx_lustre;
pub mod kms_key;
pub mod lambda_function;
pub mod launch_template;
pub mod lb;
pub mod messaging;
pub mod nat_gateway;
pub mod opensearch;
pub mod rds_cluster;
pub mod route53;
pub mod s3_bucket;
pub mod s3_bucket_reports;
pub mod sagemaker_domain;
pub mod sagemaker_endpoint;
pub mod sagemaker_notebook;
pub mod secretsmanager_secret;
pub mod ssm_parameter;
pub mod usage_parts;
pub mod vpc_endpoint;

use super::family::Family;
use super::{Costing, GpuFacts, Unpriced, View};

/// The AWS families (one line per family).
pub const FAMILIES: &[&Family] = &[
    &autoscaling_group::FAMILY,
    &batch_compute_environment::FAMILY,
    &cloudwatch::LOG_GROUP,
    &cloudwatch::METRIC_ALARM,
    &ebs_volume::FAMILY,
    &ec2_instance::FAMILY,
    &efs_file_system::FAMILY,
    &eip::FAMILY,
    &eks_cluster::FAMILY,
    &eks_node_group::FAMILY,
    &fsx_lustre::FAMILY,
    &kms_key::FAMILY,
    &nat_gateway::FAMILY,
    &s3_bucket::FAMILY,
    &sagemaker_domain::FAMILY,
    &sagemaker_endpoint::FAMILY,
    &sagemaker_notebook::FAMILY,
    &ssm_parameter::FAMILY,
    &bedrock_provisioned_throughput::FAMILY,
    &capacity_reservation::FAMILY,
    &db_instance::FAMILY,
    &rds_cluster::FAMILY,
    &lb::FAMILY,
    &secretsmanager_secret::FAMILY,
    &route53::FAMILY,
    &elasticache::FAMILY,
    &opensearch::FAMILY,
    &lambda_function::FAMILY,
    &dynamodb_table::FAMILY,
    &messaging::FAMILY,
    &vpc_endpoint::FAMILY,
    &ecr_repository::FAMILY,
    &s3_bucket_reports::FAMILY,
];
use crate::money::Decimal;

/// Capacity of a group of nodes.
#[derive(Debug, Clone, Copy)]
pub struct Nodes {
    pub min: u64,
    pub desired: u64,
    pub max: u64,
}

impl Nodes {
    pub fn one() -> Self {
        Nodes {
            min: 1,
            desired: 1,
            max: 1,
        }
    }

    /// A single machine that is stopped: it runs no hours but may be started again.
    pub fn stopped() -> Self {
        Nodes {
            min: 0,
            desired: 0,
            max: 1,
        }
    }
}

/// EC2 compute for `nodes.desired` instances of `itype`, plus GPU facts. An unknown type is
/// explained (`unknown instance type` vs `no price in this region`).
pub fn ec2_compute(v: &View, c: &mut Costing, itype: &str, nodes: Nodes, spot: bool, name: &str) {
    let key = format!("ec2/{itype}");
    if !v.ctx.catalogs.knows("aws", &key) && v.ctx.catalogs.machine("aws", itype).is_none() {
        c.unpriced.push(Unpriced::UnknownMachine {
            kind: "EC2 instance type",
            name: itype.to_string(),
        });
        return;
    }
    let count = Decimal::from(nodes.desired);
    let label = format!("{name} ({}{itype})", if spot { "spot, " } else { "" });
    c.add(if spot {
        v.hourly_spot(label, &key, &format!("ec2-spot/{itype}"), count)
    } else {
        v.hourly(label, &key, count)
    });
    if let Some(g) = v
        .ctx
        .catalogs
        .machine("aws", itype)
        .and_then(|m| m.gpu.as_ref())
    {
        c.gpu = Some(GpuFacts::new(g, nodes.min, nodes.desired, nodes.max, spot));
    }
}

/// Strip SageMaker's `ml.` prefix to find the EC2 hardware.
pub fn ec2_type_of_ml(t: &str) -> &str {
    t.strip_prefix("ml.").unwrap_or(t)
}
