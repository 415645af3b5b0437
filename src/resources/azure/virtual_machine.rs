//! `azurerm_linux_virtual_machine` / `azurerm_windows_virtual_machine`: `size` hours (Spot when
//! `priority = Spot`), the OS disk tier, GPUs, and whether a DevTest shutdown schedule stops it.

use crate::money::Decimal;
use crate::resources::aws::Nodes;
use crate::resources::{Costing, IdleFacts, View};

use super::{os_disk, vm_compute};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let spot = v.get("priority").as_str() == Some("Spot");
    match v.required_str("size") {
        Ok(s) => vm_compute(v, &mut c, s, Nodes::one(), spot, "VM"),
        Err(e) => c.unpriced.push(e),
    }
    if v.res.rtype.contains("windows") {
        c.not_priced(super::WINDOWS_LICENCE.into());
    }
    os_disk(v, &mut c, Decimal::ONE);
    if c.gpu.is_some() {
        c.idle = Some(idle(v));
    }
    c
}

/// A DevTest global shutdown schedule pointing at this VM stops it daily.
fn idle(v: &View) -> IdleFacts {
    let addr = &v.res.address;
    let base = addr.split('[').next().unwrap_or(addr);
    let schedule = v.ctx.project.resources.iter().find(|r| {
        r.rtype == "azurerm_dev_test_global_vm_shutdown_schedule"
            && r.refs
                .get("virtual_machine_id")
                .is_some_and(|t| t.iter().any(|a| a == addr || a == base))
            && r.current().and_then(|a| a.get("enabled").as_bool()) != Some(false)
    });
    match schedule {
        Some(s) => IdleFacts {
            interactive: false,
            autopause: "configured",
            detail: format!("daily shutdown by {}", s.address),
        },
        None => IdleFacts {
            interactive: false,
            autopause: "missing",
            detail: "no azurerm_dev_test_global_vm_shutdown_schedule for this VM".into(),
        },
    }
}
