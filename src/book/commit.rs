//! Commitments: reserved instances / Azure reservations (a count of units of one price key in
//! a region, paid per unit-hour whether used or not) and savings plans / committed-use
//! discounts (a spend per hour, buying usage at a discount per family).
//!
//! [`allocate`] spreads each commitment over the hour-based usage it matches, in the order
//! given (the estimate passes what already runs first, then the change); usage beyond the
//! commitments stays at its discounted or list price. Capacity nothing uses is returned as
//! [`Idle`].

use serde_json::Value;

use super::{dec, Dates, Item, Scope};
use crate::money::{Decimal, HOURS_PER_MONTH};

const HOURS_PER_YEAR: Decimal = Decimal::from_parts(8760, 0, 0, false, 0);

/// One commitment of the book.
#[derive(Debug, Clone)]
pub struct Commitment {
    pub id: String,
    pub scope: Scope,
    pub dates: Dates,
    pub kind: Kind,
}

#[derive(Debug, Clone)]
pub enum Kind {
    /// `count` units, each `rate` USD per unit-hour (hourly + upfront spread over the term).
    Reserved { count: Decimal, rate: Decimal },
    /// `hourly` USD of usage per hour, bought at `percent` off list per key glob.
    SavingsPlan {
        hourly: Decimal,
        discounts: Vec<(globset::GlobMatcher, Decimal)>,
    },
}

impl Kind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Reserved { .. } => "reserved",
            Kind::SavingsPlan { .. } => "savings_plan",
        }
    }
}

type Problem = (&'static str, String);

impl Commitment {
    pub(super) fn from_value(v: &Value, scope: Scope, dates: Dates) -> Result<Self, Problem> {
        let id = v["id"].as_str().unwrap_or_default().to_string();
        let kind = match v["kind"].as_str() {
            Some("reserved") => {
                let count = v.get("count").and_then(Value::as_i64).unwrap_or(0);
                if count < 1 {
                    return Err(("count", "a reservation needs count = 1 or more".into()));
                }
                if scope.key.is_none() {
                    return Err((
                        "key",
                        "a reservation needs the price key it reserves (key = \"ec2/p4d.24xlarge\")"
                            .into(),
                    ));
                }
                let hourly = dec(v, "hourly").unwrap_or_default();
                let upfront = dec(v, "upfront").unwrap_or_default();
                if v.get("hourly").is_none() && v.get("upfront").is_none() {
                    return Err((
                        "hourly",
                        "a reservation needs its price: hourly (per unit-hour) and/or upfront (per unit)".into(),
                    ));
                }
                let years = match v.get("term").and_then(Value::as_str) {
                    Some("3y") => Decimal::from(3),
                    Some(_) => Decimal::ONE,
                    None if upfront > Decimal::ZERO => {
                        return Err((
                            "term",
                            "an upfront payment needs its term (1y or 3y)".into(),
                        ))
                    }
                    None => Decimal::ONE,
                };
                if hourly < Decimal::ZERO || upfront < Decimal::ZERO {
                    return Err(("hourly", "a reservation's price cannot be negative".into()));
                }
                Kind::Reserved {
                    count: Decimal::from(count),
                    rate: hourly + upfront / (years * HOURS_PER_YEAR),
                }
            }
            _ => {
                let hourly = dec(v, "hourly_commitment").unwrap_or_default();
                if hourly <= Decimal::ZERO {
                    return Err((
                        "hourly_commitment",
                        "a savings plan needs hourly_commitment (USD per hour) above 0".into(),
                    ));
                }
                let mut discounts = Vec::new();
                for d in v
                    .get("discounts")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let k = d["key"].as_str().unwrap_or_default();
                    let g = globset::Glob::new(k)
                        .map_err(|e| ("discounts", format!("key `{k}` is not a valid glob: {e}")))?
                        .compile_matcher();
                    let p = dec(d, "percent").unwrap_or_default();
                    if p < Decimal::ZERO || p >= Decimal::ONE_HUNDRED {
                        return Err((
                            "discounts",
                            "a savings plan's percent is at least 0 and below 100".into(),
                        ));
                    }
                    discounts.push((g, p));
                }
                if discounts.is_empty() {
                    return Err((
                        "discounts",
                        "a savings plan needs its discounts by family: discounts = [{ key = \"ec2/p5.*\", percent = 40 }]".into(),
                    ));
                }
                Kind::SavingsPlan { hourly, discounts }
            }
        };
        Ok(Commitment {
            id,
            scope,
            dates,
            kind,
        })
    }

    /// The unit price under this commitment (USD), or None when it does not apply.
    fn unit_price(&self, it: &Item, list_usd: Decimal) -> Option<Decimal> {
        if !self.scope.matches(it) {
            return None;
        }
        match &self.kind {
            Kind::Reserved { rate, .. } => Some(*rate),
            Kind::SavingsPlan { discounts, .. } => discounts
                .iter()
                .find(|(g, _)| g.is_match(it.key))
                .map(|(_, p)| list_usd * (Decimal::ONE_HUNDRED - p) / Decimal::ONE_HUNDRED),
        }
    }

    /// Monthly capacity: unit-hours (reserved) or USD (savings plan).
    fn capacity(&self) -> Decimal {
        match &self.kind {
            Kind::Reserved { count, .. } => *count * HOURS_PER_MONTH,
            Kind::SavingsPlan { hourly, .. } => *hourly * HOURS_PER_MONTH,
        }
    }

    /// What the commitment costs a month (USD), used or not.
    pub fn monthly_usd(&self) -> Decimal {
        match &self.kind {
            Kind::Reserved { count, rate } => *count * *rate * HOURS_PER_MONTH,
            Kind::SavingsPlan { hourly, .. } => *hourly * HOURS_PER_MONTH,
        }
    }
}

/// Hour-based usage a commitment may cover: one component.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    pub item: Item<'a>,
    /// Unit-hours a month.
    pub hours: Decimal,
    /// List unit price (USD).
    pub list_usd: Decimal,
}

/// The part of a line a commitment covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Cover {
    pub id: String,
    pub kind: &'static str,
    /// Unit-hours covered.
    pub hours: Decimal,
    /// Unit price under the commitment (USD).
    pub unit_usd: Decimal,
}

/// Commitment capacity nothing in the configuration uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Idle {
    pub id: String,
    pub kind: &'static str,
    /// What it covers (`aws ec2/p4d.24xlarge in us-east-1`).
    pub scope: String,
    /// Share of the capacity unused (0–1].
    pub unused_share: Decimal,
    /// Its monthly cost paid for nothing (USD).
    pub unused_monthly_usd: Decimal,
    /// Human-readable: "1 of 2 reserved units unused".
    pub detail: String,
}

/// Spread the book's commitments in force over `lines` (in priority order): the covers of each
/// line, and the commitments with capacity left.
pub fn allocate(
    commitments: &[Commitment],
    today: Option<chrono::NaiveDate>,
    lines: &[Line],
) -> (Vec<Vec<Cover>>, Vec<Idle>) {
    let mut covers = vec![Vec::new(); lines.len()];
    let mut left_hours: Vec<Decimal> = lines.iter().map(|l| l.hours).collect();
    let mut idle = Vec::new();
    for c in commitments.iter().filter(|c| c.dates.active(today)) {
        let capacity = c.capacity();
        let mut remaining = capacity;
        for (i, l) in lines.iter().enumerate() {
            if remaining <= Decimal::ZERO {
                break;
            }
            if left_hours[i] <= Decimal::ZERO {
                continue;
            }
            let Some(unit) = c.unit_price(&l.item, l.list_usd) else {
                continue;
            };
            let hours = match c.kind {
                Kind::Reserved { .. } => left_hours[i].min(remaining),
                Kind::SavingsPlan { .. } if unit > Decimal::ZERO => {
                    left_hours[i].min(remaining / unit)
                }
                Kind::SavingsPlan { .. } => left_hours[i],
            };
            remaining -= match c.kind {
                Kind::Reserved { .. } => hours,
                Kind::SavingsPlan { .. } => hours * unit,
            };
            left_hours[i] -= hours;
            covers[i].push(Cover {
                id: c.id.clone(),
                kind: c.kind.as_str(),
                hours,
                unit_usd: unit,
            });
        }
        if remaining > Decimal::ZERO {
            let share = remaining / capacity;
            let detail = match &c.kind {
                Kind::Reserved { count, .. } => {
                    let units = remaining / HOURS_PER_MONTH;
                    format!(
                        "{} of {} reserved units unused",
                        crate::money::cents(units).normalize(),
                        count
                    )
                }
                Kind::SavingsPlan { hourly, .. } => format!(
                    "{} of its ${}/h commitment unused",
                    crate::money::fmt2(remaining / HOURS_PER_MONTH),
                    crate::money::fmt2(*hourly)
                ),
            };
            idle.push(Idle {
                id: c.id.clone(),
                kind: c.kind.as_str(),
                scope: c.scope.describe(),
                unused_share: share,
                unused_monthly_usd: c.monthly_usd() * share,
                detail,
            });
        }
    }
    (covers, idle)
}
