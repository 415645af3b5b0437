//! `aws_sqs_queue` (standard or FIFO requests) and `aws_sns_topic` (publishes): billed per
//! million requests from usage `monthly_requests`; the queue or topic itself costs nothing.
//! The account-level free tier (first million per month) is not applied.

use crate::resources::family::Family;
use crate::resources::{Costing, View};

use super::usage_parts::{million, scaled};

pub const FAMILY: Family = Family {
    name: "aws_messaging",
    cloud: "aws",
    types: &["aws_sqs_queue", "aws_sns_topic"],
    reads: &["fifo_queue", "fifo_topic"],
    price_keys: &["sqs/standard", "sqs/fifo", "sns/publish"],
    cost,
};

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let (name, key) = if v.res.rtype == "aws_sns_topic" {
        ("publishes", "sns/publish")
    } else if v.get("fifo_queue").as_bool() == Some(true) {
        ("FIFO requests", "sqs/fifo")
    } else {
        ("standard requests", "sqs/standard")
    };
    c.add(scaled(
        v,
        name,
        key,
        "monthly_requests",
        million(),
        "1M requests",
    ));
    if v.res.rtype == "aws_sns_topic" {
        c.notes.push(
            "deliveries to HTTP, email, SMS and mobile endpoints bill per delivery (not \
             modelled); to SQS and Lambda they are free"
                .into(),
        );
    }
    c
}
