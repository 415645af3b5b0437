//! VM scale sets: `instances` (default 0) VMs of `sku` (`sku_name` for orchestrated sets), Spot
//! from `priority`, OS and data disks per instance. An `azurerm_monitor_autoscale_setting`
//! targeting the set gives min/max.

use crate::money::Decimal;
use crate::resources::aws::Nodes;
use crate::resources::{dec, Costing, IdleFacts, View};

use super::{disk_component, os_disk, vm_compute};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let instances = match v.num_or("instances", Decimal::ZERO) {
        Ok(n) => crate::resources::whole(n),
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let (min, max) = autoscale(v).unwrap_or((instances, instances));
    let nodes = Nodes {
        min,
        desired: instances,
        max: max.max(instances),
    };
    let spot = v.get("priority").as_str() == Some("Spot");
    let size = v
        .required_str("sku")
        .or_else(|_| v.required_str("sku_name"));
    match size {
        Ok(s) => vm_compute(v, &mut c, s, nodes, spot, "instances"),
        Err(e) => c.unpriced.push(e),
    }
    if v.res.rtype.contains("windows") {
        c.not_priced(super::WINDOWS_LICENCE.into());
    }
    os_disk(v, &mut c, dec(instances));
    for (i, d) in v.get("data_disk").as_array().iter().enumerate() {
        let size = d
            .get("disk_size_gb")
            .and_then(|s| s.as_f64())
            .and_then(crate::money::from_f64);
        let at = d
            .get("storage_account_type")
            .and_then(|s| s.as_str())
            .unwrap_or("Standard_LRS");
        match size {
            Some(s) => c.add(disk_component(
                v,
                &format!("data disk {i}"),
                at,
                s,
                dec(instances),
            )),
            None => c.not_priced(format!("data disk {i}: size unknown; not priced")),
        }
    }
    if c.gpu.is_some() {
        c.idle = Some(IdleFacts::scale_floor(min, "minimum instances"));
    }
    c
}

/// min/max capacity of an autoscale setting whose `target_resource_id` refers to this set.
fn autoscale(v: &View) -> Option<(u64, u64)> {
    let base = v.res.address.split('[').next().unwrap_or(&v.res.address);
    v.ctx.project.resources.iter().find_map(|r| {
        if r.rtype != "azurerm_monitor_autoscale_setting" {
            return None;
        }
        let hit = r
            .refs
            .get("target_resource_id")
            .is_some_and(|t| t.iter().any(|a| a == &v.res.address || a == base));
        if !hit {
            return None;
        }
        let a = r.current()?;
        let n = |k: &str| {
            a.get(&format!("profile.0.capacity.0.{k}"))
                .as_f64()
                .map(|x| x.max(0.0) as u64)
        };
        Some((n("minimum")?, n("maximum")?))
    })
}
