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
use super::{Costing, GpuFacts, View};

/// The self-describing AWS families (one line per family file).
pub const FAMILIES: &[&Family] = &[
    &kms_key::FAMILY,
    &capacity_reservation::FAMILY,
    &bedrock_provisioned_throughput::FAMILY,
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

/// The AWS registration list: the self-describing families, then the older ones by type.
pub fn family(rtype: &str) -> Option<fn(&View) -> Costing> {
    if let Some(f) = FAMILIES.iter().find(|f| f.types.contains(&rtype)) {
        return Some(f.cost);
    }
    Some(match rtype {
        "aws_instance" | "aws_spot_instance_request" => ec2_instance::cost,
        "aws_ebs_volume" => ebs_volume::cost,
        "aws_autoscaling_group" => autoscaling_group::cost,
        "aws_eks_node_group" => eks_node_group::cost,
        "aws_sagemaker_notebook_instance" => sagemaker_notebook::cost,
        "aws_sagemaker_endpoint_configuration" => sagemaker_endpoint::cost,
        "aws_s3_bucket" => s3_bucket::cost,
        "aws_nat_gateway" => nat_gateway::cost,
        "aws_sagemaker_domain" => sagemaker_domain::cost,
        "aws_batch_compute_environment" => batch_compute_environment::cost,
        "aws_efs_file_system" => efs_file_system::cost,
        "aws_fsx_lustre_file_system" => fsx_lustre::cost,
        "aws_eks_cluster" => eks_cluster::cost,
        "aws_eip" => eip::cost,
        "aws_cloudwatch_metric_alarm" => cloudwatch::metric_alarm,
        "aws_cloudwatch_log_group" => cloudwatch::log_group,
        "aws_ssm_parameter" => ssm_parameter::cost,
        _ => return None,
    })
}

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
        c.unpriced
            .push(format!("unknown EC2 instance type `{itype}`"));
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
