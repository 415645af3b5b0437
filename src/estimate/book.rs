//! The price book applied to an estimate: each component priced at what this organisation
//! pays (discount or negotiated rate, then the output currency) with its list price kept
//! beside it, and the book's commitments spread over the hour-based usage (what already runs
//! first, then the change). See [`crate::book`].

use crate::book::{commit, Adjustment, Item, PriceBook};
use crate::money::{cents, Decimal};
use crate::project::Resource;
use crate::resources::{BookPrice, CommitmentUse, Component, Costing};

use super::{Estimate, ResourceEstimate};

/// What an estimate says about the price book it used.
#[derive(Debug, Clone, Default)]
pub struct BookUse {
    pub name: String,
    pub origin: String,
    /// Output currency (`USD` without a `[currency]`).
    pub currency: String,
    /// Units per USD and the date the rate is valid from (with a `[currency]`).
    pub fx: Option<(Decimal, String)>,
    /// Commitments with capacity nothing in the configuration uses.
    pub idle: Vec<IdleCommitment>,
}

/// An idle commitment (money in the output currency).
#[derive(Debug, Clone)]
pub struct IdleCommitment {
    pub id: String,
    pub kind: &'static str,
    pub scope: String,
    pub detail: String,
    /// Monthly cost of the unused capacity.
    pub monthly_unused: Decimal,
    /// Nothing uses it at all.
    pub unused: bool,
}

impl BookUse {
    /// `price_book` of the JSON documents: name, origin, basis, exchange rate, idle commitments.
    pub fn json(&self) -> serde_json::Value {
        use serde_json::{json, Map, Value};
        let b = self;
        let idle: Vec<Value> = b
            .idle
            .iter()
            .map(|i| {
                json!({
                    "id": i.id,
                    "kind": i.kind,
                    "scope": i.scope,
                    "detail": i.detail,
                    "monthly_unused": crate::money::fmt2(i.monthly_unused),
                    "unused": i.unused,
                })
            })
            .collect();
        let mut m = Map::new();
        m.insert("name".into(), json!(b.name));
        m.insert("origin".into(), json!(b.origin));
        if let Some((rate, from)) = &b.fx {
            m.insert(
                "exchange_rate".into(),
                json!({"per_usd": rate.normalize().to_string(), "from": from}),
            );
        }
        m.insert("idle_commitments".into(), Value::Array(idle));
        Value::Object(m)
    }

    pub fn of(book: &PriceBook) -> Self {
        BookUse {
            name: book.name.clone(),
            origin: book.origin.clone(),
            currency: book.currency_code().to_string(),
            fx: book
                .currency
                .as_ref()
                .map(|c| (c.per_usd, c.from.to_string())),
            idle: Vec::new(),
        }
    }
}

fn item<'a>(c: &'a Component, r: &'a Resource) -> Item<'a> {
    let cloud = if c.price.catalog.is_empty() {
        crate::pricing::cloud_of_provider(&r.provider)
    } else {
        c.price.catalog
    };
    Item {
        cloud,
        rtype: &r.rtype,
        key: &c.price_key,
        region: r.region.as_deref().or(Some(c.price.region.as_str())),
    }
}

/// Price the components of one side at the book's prices, keeping list beside them.
pub fn apply(book: &PriceBook, r: &Resource, costing: &mut Costing) {
    let fx = book.fx();
    for c in &mut costing.components {
        let adj = book.adjustment(&item(c, r));
        let (unit, monthly) = match &adj {
            None => (c.unit_price, c.monthly_cost),
            Some(a @ Adjustment::Discount { .. }) => {
                (a.apply(c.unit_price), a.apply(c.monthly_cost))
            }
            Some(Adjustment::Rate { price, .. }) => (*price, *price * c.quantity),
        };
        c.book = Some(Box::new(BookPrice {
            list_unit_price: c.unit_price * fx,
            list_monthly_cost: c.monthly_cost * fx,
            adjustment: adj.map(|a| a.label()),
            discounted_unit_price: unit * fx,
            commitments: Vec::new(),
        }));
        c.unit_price = unit * fx;
        c.monthly_cost = monthly * fx;
    }
}

/// The monthly list cost of a side, rounded as the effective one is (None when unpriced).
pub fn list_money(c: &Option<Costing>) -> Option<Decimal> {
    match c {
        None => Some(Decimal::ZERO),
        Some(c) if c.unpriced.is_empty() => Some(cents(
            c.components.iter().map(Component::list_monthly).sum(),
        )),
        Some(_) => None,
    }
}

/// A component commitments may cover: priced by the hour at one rate.
fn hourly(c: &Component) -> bool {
    c.unit == "hours" && !c.tiered && c.book.is_some()
}

/// Spread the commitments over both sides (what already runs first, then the change) and
/// record the idle ones.
pub fn commitments(book: &PriceBook, project: &crate::project::Project, e: &mut Estimate) {
    if book.commitments.is_empty() {
        return;
    }
    let by_address: std::collections::HashMap<(&str, Option<&str>), &Resource> = project
        .resources
        .iter()
        .map(|r| ((r.address.as_str(), r.deposed.as_deref()), r))
        .collect();
    let fx = book.fx();
    // Existing resources first (stable otherwise).
    let mut order: Vec<usize> = (0..e.resources.len()).collect();
    order.sort_by_key(|&i| !e.resources[i].action.has_before());
    for after in [false, true] {
        let mut slots: Vec<(usize, usize)> = Vec::new();
        let mut lines: Vec<commit::Line> = Vec::new();
        for &i in &order {
            let re = &e.resources[i];
            let side_exists = if after {
                re.action.has_after()
            } else {
                re.action.has_before()
            };
            if !side_exists || !re.is_priced() {
                continue;
            }
            let Some(r) = by_address.get(&(re.address.as_str(), re.deposed.as_deref())) else {
                continue;
            };
            for (j, c) in side_components(re, after).iter().enumerate() {
                if !hourly(c) {
                    continue;
                }
                let list_usd = c.book.as_ref().map_or(c.unit_price, |b| b.list_unit_price) / fx;
                slots.push((i, j));
                lines.push(commit::Line {
                    item: item(c, r),
                    hours: c.quantity,
                    list_usd,
                });
            }
        }
        let (covers, idle) = commit::allocate(&book.commitments, book.today, &lines);
        drop(lines);
        for ((i, j), cs) in slots.into_iter().zip(covers) {
            if cs.is_empty() {
                continue;
            }
            let re = &mut e.resources[i];
            let c = &mut side_components_mut(re, after)[j];
            let b = c
                .book
                .as_mut()
                .expect("hourly components carry book prices");
            let covered: Decimal = cs.iter().map(|x| x.hours).sum();
            let mut monthly = (c.quantity - covered) * b.discounted_unit_price;
            for x in cs {
                monthly += x.hours * x.unit_usd * fx;
                b.commitments.push(CommitmentUse {
                    id: x.id,
                    kind: x.kind,
                    quantity: x.hours,
                    unit_price: x.unit_usd * fx,
                });
            }
            c.monthly_cost = monthly;
        }
        for re in e.resources.iter_mut() {
            let total: Decimal = side_components(re, after)
                .iter()
                .map(|c| c.monthly_cost)
                .sum();
            let shares = if after {
                re.action.has_after()
            } else {
                re.action.has_before()
            };
            if !shares || !re.is_priced() || !touched(side_components(re, after)) {
                continue;
            }
            if after {
                re.monthly_after = Some(cents(total));
            } else {
                re.monthly_before = Some(cents(total));
            }
        }
        if after {
            if let Some(u) = e.book.as_mut() {
                u.idle = idle
                    .into_iter()
                    .map(|x| IdleCommitment {
                        unused: x.unused_share == Decimal::ONE,
                        id: x.id,
                        kind: x.kind,
                        scope: x.scope,
                        detail: x.detail,
                        monthly_unused: cents(x.unused_monthly_usd * fx),
                    })
                    .collect();
            }
        }
    }
    e.totals = super::totals_of(&e.resources);
}

fn touched(cs: &[Component]) -> bool {
    cs.iter()
        .any(|c| c.book.as_ref().is_some_and(|b| !b.commitments.is_empty()))
}

/// The components of a side: after (or before, for deletes) are `components`; the before
/// side of an update is kept in `components_before`.
fn side_components(re: &ResourceEstimate, after: bool) -> &[Component] {
    if after || !re.action.has_after() {
        &re.components
    } else {
        &re.components_before
    }
}

fn side_components_mut(re: &mut ResourceEstimate, after: bool) -> &mut Vec<Component> {
    if after || !re.action.has_after() {
        &mut re.components
    } else {
        &mut re.components_before
    }
}
