//! `google_compute_address` / `google_compute_global_address`: a reserved external IPv4
//! address. GCP bills a static address by the hour whether or not it is in use, at a lower
//! rate while a VM uses it (the VM-hour rate, which is also what an ephemeral address costs) and
//! a higher one while it is reserved and idle. Whether it will be attached is not in the
//! address's own configuration: usage `in_use_hours` (hours a month it is attached to a running
//! VM; default 0, idle the whole month) splits the month. Internal addresses are free.

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "google_compute_address",
    cloud: "gcp",
    types: &["google_compute_address", "google_compute_global_address"],
    reads: &["address_type", "purpose", "ip_version"],
    price_keys: &[IDLE, IN_USE],
    cost,
};

const IDLE: &str = "external-ip/unused-hour";
const IN_USE: &str = "external-ip/vm-hour";

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    if v.get("address_type").as_str() == Some("INTERNAL")
        || v.get("purpose").as_str() == Some("VPC_PEERING")
        || v.get("purpose").as_str() == Some("PRIVATE_SERVICE_CONNECT")
    {
        c.notes.push("internal addresses are free".into());
        return c;
    }
    if v.get("ip_version").as_str() == Some("IPV6") {
        c.notes
            .push("external IPv6 ranges are not priced (not in the catalog)".into());
        c.partial.push("IPv6 address not priced".into());
        return c;
    }
    let hours = v.hours();
    let in_use = v.usage("in_use_hours").unwrap_or(Decimal::ZERO).min(hours);
    if in_use > Decimal::ZERO {
        c.add(
            v.component("static IP in use by a VM", IN_USE, in_use, "hours")
                .map(|mut x| {
                    x.usage_based = true;
                    x
                }),
        );
    } else {
        c.notes.push(
            "priced as reserved and idle the whole month; set `in_use_hours` in the usage \
             file for the hours a VM uses it"
                .into(),
        );
    }
    if hours > in_use {
        c.add(v.component("static IP reserved, idle", IDLE, hours - in_use, "hours"));
    }
    c
}
