//! `aws_eks_cluster`: the managed control plane, one cluster-hour per hour at the
//! standard-support rate. Node groups, Fargate pods and add-ons are priced on their own
//! resources. A cluster whose Kubernetes version has left standard support bills the
//! extended-support rate instead; costgate does not keep the EKS version calendar, so it says
//! so in a note whenever the upgrade policy allows extended support (the AWS default).

use crate::money::Decimal;
use crate::resources::family::*;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "aws_eks_cluster",
    cloud: Cloud::Aws,
    types: &["aws_eks_cluster"],
    reads: &["upgrade_policy.0.support_type", "version"],
    price_keys: &["eks/cluster-hour"],
    usage: &[MONTHLY_HOURS],
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    c.add(v.hourly(
        "EKS control plane (standard support)",
        "eks/cluster-hour",
        Decimal::ONE,
    ));
    let support = v.get("upgrade_policy.0.support_type").as_str();
    if support != Some("STANDARD") {
        let version = match v.get("version").as_str() {
            Some(ver) => format!("Kubernetes {ver}"),
            None => "its Kubernetes version".into(),
        };
        c.notes.push(format!(
            "priced at standard support; once {version} leaves standard support the \
             control plane bills the extended-support rate (`eks/extended-support-hour`) unless \
             upgrade_policy.support_type = \"STANDARD\""
        ));
    }
    c
}
