//! `aws_dynamodb_table`: provisioned capacity (table and global secondary indexes, RCU/WCU
//! hours) or on-demand requests from usage (`monthly_read_request_units`,
//! `monthly_write_request_units`), plus storage (usage `storage_gb`). Autoscaling changes the
//! provisioned figures over time: the configured capacity is priced.

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

use super::usage_parts::{million, scaled};

pub const FAMILY: Family = Family {
    name: "aws_dynamodb_table",
    cloud: "aws",
    types: &["aws_dynamodb_table"],
    reads: &[
        "billing_mode",
        "read_capacity",
        "write_capacity",
        "global_secondary_index",
    ],
    price_keys: &[
        "dynamodb/provisioned/rcu",
        "dynamodb/provisioned/wcu",
        "dynamodb/on-demand/read",
        "dynamodb/on-demand/write",
        "dynamodb/storage",
    ],
    cost,
};

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let mode = v.get("billing_mode").as_str().unwrap_or("PROVISIONED");
    if mode == "PAY_PER_REQUEST" {
        c.add(scaled(
            v,
            "write request units",
            "dynamodb/on-demand/write",
            "monthly_write_request_units",
            million(),
            "1M WRUs",
        ));
        c.add(scaled(
            v,
            "read request units",
            "dynamodb/on-demand/read",
            "monthly_read_request_units",
            million(),
            "1M RRUs",
        ));
    } else {
        let (mut rcu, mut wcu) = (Decimal::ZERO, Decimal::ZERO);
        for (r, w) in [("read_capacity", "write_capacity")] {
            match (v.num_or(r, Decimal::ZERO), v.num_or(w, Decimal::ZERO)) {
                (Ok(a), Ok(b)) => {
                    rcu += a;
                    wcu += b;
                }
                (Err(e), _) | (_, Err(e)) => c.unpriced.push(e),
            }
        }
        let gsis = v.get("global_secondary_index").as_array();
        for g in gsis {
            let n = |k: &str| {
                g.get(k)
                    .and_then(|x| x.as_f64())
                    .and_then(crate::money::from_f64)
                    .unwrap_or_default()
            };
            rcu += n("read_capacity");
            wcu += n("write_capacity");
        }
        let with = if gsis.is_empty() {
            String::new()
        } else {
            format!(" incl. {} GSI(s)", gsis.len())
        };
        c.add(v.hourly(
            format!("write capacity ({wcu} WCU{with})"),
            "dynamodb/provisioned/wcu",
            wcu,
        ));
        c.add(v.hourly(
            format!("read capacity ({rcu} RCU{with})"),
            "dynamodb/provisioned/rcu",
            rcu,
        ));
    }
    c.add(scaled(
        v,
        "storage",
        "dynamodb/storage",
        "storage_gb",
        Decimal::ONE,
        "GB-months",
    ));
    c
}
