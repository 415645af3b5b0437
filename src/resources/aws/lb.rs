//! `aws_lb` / `aws_alb` / `aws_elb`: load-balancer hours by type (application, network,
//! gateway; classic for `aws_elb`) plus capacity units from usage (`lcu` average LCUs per hour
//! for ALB, NLCUs for NLB, GLCUs for GWLB; `data_processed_gb` for classic).

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

use super::usage_parts::scaled;

pub const FAMILY: Family = Family {
    name: "aws_lb",
    cloud: "aws",
    types: &["aws_lb", "aws_alb", "aws_elb"],
    reads: &["load_balancer_type"],
    price_keys: &[
        "lb/application/hour",
        "lb/application/lcu",
        "lb/network/hour",
        "lb/network/nlcu",
        "lb/gateway/hour",
        "lb/gateway/glcu",
        "lb/classic/hour",
        "lb/classic/gb",
    ],
    cost,
};

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    if v.res.rtype == "aws_elb" {
        c.add(v.hourly("Classic Load Balancer", "lb/classic/hour", Decimal::ONE));
        c.add(scaled(
            v,
            "data processed",
            "lb/classic/gb",
            "data_processed_gb",
            Decimal::ONE,
            "GB",
        ));
        return c;
    }
    let ty = v
        .get("load_balancer_type")
        .as_str()
        .unwrap_or("application");
    let (label, unit_key, unit) = match ty {
        "application" => (
            "Application Load Balancer",
            "lb/application/lcu",
            "LCU-hours",
        ),
        "network" => ("Network Load Balancer", "lb/network/nlcu", "NLCU-hours"),
        "gateway" => ("Gateway Load Balancer", "lb/gateway/glcu", "GLCU-hours"),
        other => {
            c.unpriced
                .push(format!("load_balancer_type `{other}` is not priced"));
            return c;
        }
    };
    c.add(v.hourly(label, &format!("lb/{ty}/hour"), Decimal::ONE));
    // Capacity units: `lcu` is the average per hour; the line is lcu × hours.
    let hours = v.hours();
    let lcu = v.usage("lcu");
    let mut line = v.component(
        "capacity units",
        unit_key,
        lcu.unwrap_or_default() * hours,
        unit,
    );
    if let Ok(l) = &mut line {
        l.usage_based = true;
        if lcu.is_none() {
            l.note = Some("depends on usage: set `lcu` (average capacity units per hour)".into());
        }
    }
    c.add(line);
    c
}
