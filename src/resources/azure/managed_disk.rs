//! `azurerm_managed_disk`: Standard HDD / Standard SSD / Premium SSD disks are billed per
//! month at the tier their size rounds up to (LRS or ZRS); Premium SSD v2 and Ultra disks per
//! hour for the provisioned GiB, IOPS and MB/s (Premium SSD v2 includes 3,000 IOPS and
//! 125 MB/s per disk). Transactions and snapshots are not modelled.

use crate::money::Decimal;
use crate::resources::{Component, Costing, View};

use super::disk_component;

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let at = match v.required_str("storage_account_type") {
        Ok(a) => a,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let size = match v.num_or("disk_size_gb", Decimal::ZERO) {
        Ok(s) if s > Decimal::ZERO => s,
        Ok(_) => {
            c.unpriced
                .push("`disk_size_gb` is not set (sized from its source)".into());
            return c;
        }
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let (kind, name, free_iops, free_mbps) = if at.eq_ignore_ascii_case("UltraSSD_LRS") {
        ("ultra", "Ultra disk", 0, 0)
    } else if at.eq_ignore_ascii_case("PremiumV2_LRS") {
        ("premium-v2", "Premium SSD v2", 3000, 125)
    } else {
        c.add(disk_component(v, "disk", at, size, Decimal::ONE));
        return c;
    };
    c.add(provisioned(
        v,
        name,
        kind,
        "capacity",
        "gib-hour",
        size,
        "GiB-hours",
    ));
    for (attr, what, key, free, unit) in [
        (
            "disk_iops_read_write",
            "IOPS",
            "iops-hour",
            free_iops,
            "IOPS-hours",
        ),
        (
            "disk_mbps_read_write",
            "throughput",
            "mbps-hour",
            free_mbps,
            "MBps-hours",
        ),
    ] {
        let q = match v.get(attr) {
            f if f.is_unknown() => {
                c.unpriced.push(v.unknown_reason(attr));
                continue;
            }
            f => f.as_f64().and_then(crate::money::from_f64),
        };
        // Unset: Azure provisions the baseline (Premium SSD v2) or a size-based default
        // (Ultra), which the plan does not show.
        let Some(q) = q else {
            if free > 0 {
                c.notes.push(format!(
                    "`{attr}` not set: the included {free} {what} apply"
                ));
            } else {
                c.unpriced
                    .push(format!("`{attr}` is not set for an Ultra disk"));
            }
            continue;
        };
        let billed = (q - Decimal::from(free)).max(Decimal::ZERO);
        if billed > Decimal::ZERO {
            c.add(provisioned(v, name, kind, what, key, billed, unit));
        } else {
            c.notes
                .push(format!("{what} within the {free} included with the disk"));
        }
    }
    c
}

/// `qty` provisioned units of an hourly meter for the month.
fn provisioned(
    v: &View,
    name: &str,
    kind: &str,
    what: &str,
    key: &str,
    qty: Decimal,
    unit: &str,
) -> Result<Component, String> {
    v.component(
        format!("{name} {what} ({qty})"),
        &format!("disk/{kind}/{key}"),
        qty * v.hours(),
        unit,
    )
}
