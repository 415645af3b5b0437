//! `azurerm_cognitive_deployment` (Azure OpenAI / AI Foundry model deployments; the azapi form
//! `Microsoft.CognitiveServices/accounts/deployments` maps here).
//!
//! * Provisioned deployments (`sku.name` `ProvisionedManaged`, `GlobalProvisionedManaged`,
//!   `DataZoneProvisionedManaged`) are billed per provisioned throughput unit (PTU) per hour,
//!   whether used or not: `sku.capacity` PTUs × the hourly rate of the deployment type in the
//!   account's region. Monthly and yearly PTU reservations lower it (not modelled: a price-book
//!   matter).
//! * Standard deployments (`Standard`, `GlobalStandard`, `DataZoneStandard`) are billed per
//!   token: input and output tokens a month from the usage file (`monthly_input_tokens`,
//!   `monthly_output_tokens`) × the model's rate for the deployment type, with the unit
//!   economics (cost per 1M tokens, per 1,000 requests given `monthly_requests`) in notes.
//!
//! The region is the cognitive account's `location` (a deployment has none of its own).

use crate::money::Decimal;
use crate::resources::{Costing, View};

use crate::resources::family::*;

pub const FAMILY: Family = Family {
    name: "azurerm_cognitive_deployment",
    cloud: Cloud::Azure,
    types: &["azurerm_cognitive_deployment"],
    reads: &[
        "model.0.name",
        "model.0.version",
        "sku.0.capacity",
        "sku.0.name",
    ],
    price_keys: &[
        "openai-ptu/{deployment_type}",
        "openai/{model}/{deployment_type}/input",
        "openai/{model}/{deployment_type}/output",
    ],
    usage: &[
        MONTHLY_HOURS,
        UsageKey {
            key: "monthly_input_tokens",
            unit: "tokens",
            doc: "input (prompt) tokens a month (Standard deployments)",
        },
        UsageKey {
            key: "monthly_output_tokens",
            unit: "tokens",
            doc: "output (completion) tokens a month (Standard deployments)",
        },
    ],
    taggable: false,
    cost,
    ..Family::DEFAULTS
};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    // A copy of this view (not one rebuilt from the resource: an `azapi_resource` hands over
    // translated attributes that the resource itself does not carry).
    let mut w = View {
        region: v.region.clone(),
        recorder: v.recorder.clone(),
        ..*v
    };
    if let Some(region) = v
        .linked(&["cognitive_account_id"], &["id"])
        .and_then(|a| a.get("location").as_str().map(normalise_region))
    {
        w.region = region;
    } else {
        c.notes.push(format!(
            "the cognitive account is not in the configuration: region {} assumed",
            w.region
        ));
    }
    // azurerm 4 `sku`, azurerm 3 `scale`.
    let (name_path, cap_path) = if v.get("sku.0.name").as_str().is_some() {
        ("sku.0.name", "sku.0.capacity")
    } else {
        ("scale.0.type", "scale.0.capacity")
    };
    let sku = match w.required_str(name_path) {
        Ok(s) => s,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let kind = match sku {
        "ProvisionedManaged" | "Standard" => "regional",
        "GlobalProvisionedManaged" | "GlobalStandard" => "global",
        "DataZoneProvisionedManaged" | "DataZoneStandard" => "datazone",
        other => {
            c.unpriced.push(format!(
                "deployment SKU `{other}` is not priced (batch and developer tiers are \
                 billed per job or per token at rates not in the catalog)"
            ));
            return c;
        }
    };
    if sku.contains("Provisioned") {
        let ptu = match w.num_or(cap_path, Decimal::ONE) {
            Ok(p) => p,
            Err(e) => {
                c.unpriced.push(e);
                return c;
            }
        };
        c.add(w.hourly(
            format!("{ptu} PTU ({sku})"),
            &format!("openai-ptu/{kind}"),
            ptu,
        ));
        c.notes.push(
            "provisioned throughput is billed every hour whether used or not; monthly or \
             yearly PTU reservations lower the rate"
                .into(),
        );
        return c;
    }
    tokens(&w, &mut c, kind);
    c
}

/// Token-priced deployment: input and output tokens from the usage file.
fn tokens(w: &View, c: &mut Costing, kind: &str) {
    let model = match w.required_str("model.0.name") {
        Ok(m) => m.to_ascii_lowercase(),
        Err(e) => {
            c.unpriced.push(e);
            return;
        }
    };
    let version = w.get("model.0.version").as_str().unwrap_or_default();
    let Some(base) = model_key(w, &model, version, kind) else {
        c.unpriced.push(format!(
            "no {kind} token price for model `{model}`{} in the azure catalog",
            if version.is_empty() {
                String::new()
            } else {
                format!(" version {version}")
            }
        ));
        return;
    };
    let mut total = Decimal::ZERO;
    let mut tokens = Decimal::ZERO;
    for (dir, key) in [
        ("input", "monthly_input_tokens"),
        ("output", "monthly_output_tokens"),
    ] {
        let r = w.usage_component(
            format!("{dir} tokens ({model}, {kind})"),
            &format!("{base}/{dir}"),
            key,
            "1M tokens",
        );
        // Usage counts tokens; the catalog prices per 1M.
        let r = r.map(|mut comp| {
            comp.quantity /= Decimal::from(1_000_000);
            comp.monthly_cost = comp.quantity * comp.unit_price;
            comp.unit = "1M tokens".into();
            total += comp.monthly_cost;
            tokens += comp.quantity;
            comp
        });
        c.add(r);
    }
    if tokens > Decimal::ZERO {
        let per_m = (total / tokens).round_dp(4).normalize();
        c.notes.push(format!(
            "unit economics: ${per_m} per 1M tokens (input and output blended)"
        ));
    }
}

/// The catalog key stem of a model: `openai/<name>-<MMDD>/<kind>` for a dated version, else
/// `openai/<name>/<kind>`, whichever the catalog has.
fn model_key(w: &View, model: &str, version: &str, kind: &str) -> Option<String> {
    let mmdd: String = version
        .split('-')
        .skip(1)
        .collect::<Vec<_>>()
        .concat()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let mut cands = Vec::new();
    if mmdd.len() == 4 {
        cands.push(format!("openai/{model}-{mmdd}/{kind}"));
    }
    cands.push(format!("openai/{model}/{kind}"));
    cands.into_iter().find(|k| {
        w.ctx
            .catalogs
            .price("azure", &w.region, &format!("{k}/input"))
            .is_ok()
    })
}

/// `East US` → `eastus`.
fn normalise_region(r: &str) -> String {
    r.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}
