//! Unit economics: cost per 1,000 requests for resources that serve requests (inference
//! endpoints, GPU serving pools), when the usage file gives their monthly request volume
//! (`monthly_requests`). Terraform cannot know traffic, so nothing is assumed without it.

use serde::Serialize;

use crate::money::Decimal;
use crate::resources::Ctx;

use super::ResourceEstimate;

/// The usage-file key for requests served per month.
pub const REQUESTS_KEY: &str = "monthly_requests";

/// Types that deploy a priced resource without costing anything themselves: their request
/// volume counts for the resource they refer to (`aws_sagemaker_endpoint` → its endpoint
/// configuration).
const DEPLOYERS: &[(&str, &str)] = &[(
    "aws_sagemaker_endpoint",
    "aws_sagemaker_endpoint_configuration",
)];

/// Cost per 1,000 requests of one resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitCost {
    /// Requests per month, from the usage file.
    pub monthly_requests: Decimal,
    /// Where the volume came from (`usage file resources."…"`).
    pub origin: String,
    /// Monthly cost after the change ÷ requests × 1,000, rounded to 4 decimals (`None` when
    /// the resource is not priced, is deleted by the change, or the volume is 0).
    pub cost_per_1k_requests: Option<Decimal>,
}

/// The unit cost of a priced resource whose request volume the usage file gives, on the
/// resource itself or on the endpoint that deploys it.
pub fn unit_cost(e: &ResourceEstimate, ctx: &Ctx) -> Option<UnitCost> {
    let own = ctx
        .usage
        .lookup(&e.address, &e.rtype, REQUESTS_KEY)
        .map(|(v, o)| (v, format!("usage file {o}")));
    let (requests, origin) = own.or_else(|| deployer_requests(e, ctx))?;
    let cost_per_1k_requests = match e.monthly_after {
        Some(m) if !requests.is_zero() && e.action.has_after() => {
            Some((m / requests * Decimal::ONE_THOUSAND).round_dp(4))
        }
        _ => None,
    };
    Some(UnitCost {
        monthly_requests: requests,
        origin,
        cost_per_1k_requests,
    })
}

/// Requests given for the deployers (endpoints) that refer to this resource, added up.
fn deployer_requests(e: &ResourceEstimate, ctx: &Ctx) -> Option<(Decimal, String)> {
    let deployer = DEPLOYERS
        .iter()
        .find(|(_, target)| *target == e.rtype)
        .map(|(d, _)| *d)?;
    let mut total: Option<Decimal> = None;
    let mut from = Vec::new();
    for r in ctx.referrers_of(&e.address).filter(|r| r.rtype == deployer) {
        if let Some((v, _)) = ctx.usage.lookup(&r.address, &r.rtype, REQUESTS_KEY) {
            *total.get_or_insert(Decimal::ZERO) += v;
            from.push(r.address.clone());
        }
    }
    total.map(|t| (t, format!("usage file, on {}", from.join(", "))))
}
