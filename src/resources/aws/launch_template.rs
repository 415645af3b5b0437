//! `aws_launch_template`: costs nothing itself; instances, autoscaling groups and EKS node
//! groups that use it read its instance type, market and block devices from here.

use crate::money::Decimal;
use crate::resources::{Costing, Unpriced, View};

use super::ebs_volume::volume_components;

/// Instance type and spot market of a launch template.
pub struct Template<'a> {
    pub instance_type: Result<&'a str, Unpriced>,
    pub spot: bool,
}

pub fn read<'a>(lt: &View<'a>) -> Template<'a> {
    let instance_type = match lt.required_str("instance_type") {
        Ok(t) => Ok(t),
        Err(_) if !lt.get("instance_requirements").as_array().is_empty() => Err(format!(
            "{} selects instance types by attribute (instance_requirements); not priced",
            lt.res.address
        )
        .into()),
        Err(e) => Err(format!("{}: {e}", lt.res.address).into()),
    };
    Template {
        instance_type,
        spot: lt.get("instance_market_options.0.market_type").as_str() == Some("spot"),
    }
}

/// EBS volumes in the template's block device mappings, for `nodes` instances.
pub fn add_block_devices(lt: &View, c: &mut Costing, nodes: Decimal) {
    for (i, bdm) in lt
        .get("block_device_mappings")
        .as_array()
        .iter()
        .enumerate()
    {
        let Some(ebs) = bdm.get("ebs").and_then(|e| e.get(0)) else {
            continue;
        };
        let num = |k: &str| {
            ebs.get(k)
                // A quoted number ("400") counts, as Terraform converts it by the schema.
                .and_then(|x| x.as_f64().or_else(|| x.as_str()?.trim().parse().ok()))
                .filter(|f| *f >= 0.0)
                .and_then(crate::money::from_f64)
        };
        let Some(size) = num("volume_size") else {
            c.not_priced(format!(
                "launch template volume {i}: size comes from the AMI; not priced"
            ));
            continue;
        };
        let vtype = ebs
            .get("volume_type")
            .and_then(|t| t.as_str())
            .unwrap_or("gp2");
        for comp in volume_components(
            lt,
            "template volume",
            vtype,
            size,
            num("iops"),
            num("throughput"),
            nodes,
        ) {
            c.add(comp);
        }
    }
}
