//! `aws_bedrock_provisioned_model_throughput`: Provisioned Throughput for a Bedrock model is
//! billed per model unit per hour, every hour of the commitment term, at a rate that depends
//! on the model and the term (`commitment_duration` `OneMonth`, `SixMonths`; none = hourly
//! without commitment). AWS publishes these rates on its pricing page only; the catalog holds
//! the ones public price lists carry (legacy models). A model or term without a rate is
//! unpriced with a reason naming it, never guessed.

use crate::resources::family::Family;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "aws_bedrock_provisioned_model_throughput",
    cloud: "aws",
    types: &["aws_bedrock_provisioned_model_throughput"],
    reads: &["model_arn", "model_units", "commitment_duration"],
    // Keys are per model and term (`bedrock-pt/<model id>/<1-month|6-month>`); the fixture's:
    price_keys: &["bedrock-pt/anthropic.claude-v2:1/6-month"],
    cost,
};

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let arn = match v.required_str("model_arn") {
        Ok(a) => a,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let model = model_id(arn);
    let units = match v.num_or("model_units", crate::money::Decimal::ONE) {
        Ok(u) => u,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let term = match v.get("commitment_duration").as_str() {
        Some("OneMonth") => "1-month",
        Some("SixMonths") => "6-month",
        Some(other) => {
            c.unpriced
                .push(format!("commitment term `{other}` is not known"));
            return c;
        }
        None if v.get("commitment_duration").is_unknown() => {
            c.unpriced.push(v.unknown_reason("commitment_duration"));
            return c;
        }
        None => {
            c.unpriced.push(format!(
                "no published no-commitment provisioned throughput rate for model `{model}` in \
                 the catalog"
            ));
            return c;
        }
    };
    let key = format!("bedrock-pt/{model}/{term}");
    if !v.ctx.catalogs.knows("aws", &key) {
        c.unpriced.push(format!(
            "no published {term} provisioned throughput rate for model `{model}` in the catalog \
             (AWS lists current models' rates on the Bedrock pricing page only)"
        ));
        return c;
    }
    c.add(v.hourly(
        format!("{units} model unit(s) of {model} ({term} commitment)"),
        &key,
        units,
    ));
    c.notes.push(format!(
        "billed every hour of the {term} commitment whether the model is used or not"
    ));
    c
}

/// `arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1` → `anthropic.claude-v2:1`;
/// a context-window suffix (`:18k`, `:200k`) is dropped.
fn model_id(arn: &str) -> &str {
    let id = arn.rsplit('/').next().unwrap_or(arn);
    match id.rsplit_once(':') {
        Some((head, tail))
            if tail.ends_with('k') && tail[..tail.len() - 1].parse::<u32>().is_ok() =>
        {
            head
        }
        _ => id,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn model_ids_from_arns() {
        use super::model_id;
        assert_eq!(
            model_id("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1"),
            "anthropic.claude-v2:1"
        );
        assert_eq!(
            model_id("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1:18k"),
            "anthropic.claude-v2:1"
        );
        assert_eq!(model_id("amazon.nova-pro-v1:0"), "amazon.nova-pro-v1:0");
    }
}
