//! Showback: the estimate's resources grouped by a tag value, type, module or region
//! (`estimate --group-by tag:team`, `[report] group_by` in costgate.toml for the PR comment),
//! with monthly before / after / delta and the unpriced count per group.
//!
//! Groups add up to the estimate's totals exactly: each group sums the same per-resource
//! values (rounded to cents once, unpriced resources left out) that the totals sum. Resources
//! that cost nothing by nature (IAM, templates) are not listed. For `tag:KEY`, resources
//! without the tag form the `(untagged)` group and resources whose tags are unknown until
//! apply (and lack the key among the known ones) the `(unknown until apply)` group.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::estimate::{Estimate, ResourceEstimate};
use crate::money::{fmt2, fmt_grouped, Decimal};

use super::view::signed_money;

/// Group label of resources that lack the tag.
pub const UNTAGGED: &str = "(untagged)";
/// Group label of resources whose tags are not known until apply.
pub const UNKNOWN: &str = "(unknown until apply)";
/// Module label of root-module resources.
pub const ROOT: &str = "(root module)";
/// Region label of resources without a region.
pub const NO_REGION: &str = "(no region)";

pub use crate::settings::GroupBy;

impl GroupBy {
    /// The group a resource falls in.
    pub fn label(&self, r: &ResourceEstimate) -> String {
        match self {
            GroupBy::Tag(k) => match r.tags.get(k) {
                Some(v) => v.clone(),
                None if !r.tags_known => UNKNOWN.into(),
                None => UNTAGGED.into(),
            },
            GroupBy::Type => r.rtype.clone(),
            GroupBy::Module if r.module.is_empty() => ROOT.into(),
            GroupBy::Module => r.module.clone(),
            GroupBy::Region => r.region.clone().unwrap_or_else(|| NO_REGION.into()),
        }
    }
}

/// One group's totals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    pub name: String,
    pub resources: usize,
    pub unpriced: usize,
    pub monthly_before: Decimal,
    pub monthly_after: Decimal,
}

impl Group {
    pub fn monthly_delta(&self) -> Decimal {
        self.monthly_after - self.monthly_before
    }

    fn add(&mut self, r: &ResourceEstimate) {
        self.resources += 1;
        if !r.is_priced() {
            self.unpriced += 1;
        }
        self.monthly_before += r.monthly_before.unwrap_or_default();
        self.monthly_after += r.monthly_after.unwrap_or_default();
    }
}

/// The grouped estimate: groups by monthly cost after the change, largest first.
#[derive(Debug, Clone)]
pub struct Showback {
    pub by: GroupBy,
    pub groups: Vec<Group>,
    pub total: Group,
}

/// Group the estimate's (non-free) resources.
pub fn showback(e: &Estimate, by: &GroupBy) -> Showback {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut total = Group {
        name: "TOTAL".into(),
        ..Default::default()
    };
    for r in e.resources.iter().filter(|r| r.free.is_none()) {
        let name = by.label(r);
        groups
            .entry(name.clone())
            .or_insert_with(|| Group {
                name,
                ..Default::default()
            })
            .add(r);
        total.add(r);
    }
    let mut groups: Vec<Group> = groups.into_values().collect();
    groups.sort_by(|a, b| {
        b.monthly_after
            .cmp(&a.monthly_after)
            .then_with(|| a.name.cmp(&b.name))
    });
    Showback {
        by: by.clone(),
        groups,
        total,
    }
}

/// The plain-text table (appended to `estimate`'s table, `check`'s text).
pub fn render_text(s: &Showback) -> String {
    let mut out = String::new();
    let w = s
        .groups
        .iter()
        .map(|g| g.name.chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, 60);
    hline!(out, "\nCost by {}", s.by);
    hline!(
        out,
        "{:<w$}  {:>9} {:>8} {:>13} {:>13} {:>13}",
        "GROUP",
        "RESOURCES",
        "UNPRICED",
        "BEFORE/MO",
        "AFTER/MO",
        "DELTA/MO"
    );
    for g in s.groups.iter().chain([&s.total]) {
        hline!(
            out,
            "{:<w$}  {:>9} {:>8} {:>13} {:>13} {:>13}",
            g.name,
            g.resources,
            g.unpriced,
            fmt_grouped(g.monthly_before),
            fmt_grouped(g.monthly_after),
            signed_money(g.monthly_delta())
        );
    }
    out
}

fn group_json(g: &Group) -> Value {
    json!({
        "group": g.name,
        "resources": g.resources,
        "unpriced_count": g.unpriced,
        "monthly_before": fmt2(g.monthly_before),
        "monthly_after": fmt2(g.monthly_after),
        "monthly_delta": fmt2(g.monthly_delta()),
    })
}

/// `{"key": "tag:team", "groups": [...], "total": {...}}` (the `group_by` member of the JSON).
pub fn to_json(s: &Showback) -> Value {
    json!({
        "key": s.by.to_string(),
        "groups": s.groups.iter().map(group_json).collect::<Vec<_>>(),
        "total": group_json(&s.total),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_group_keys() {
        assert_eq!("tag:team".parse(), Ok(GroupBy::Tag("team".into())));
        assert_eq!("region".parse(), Ok(GroupBy::Region));
        assert!("tag:".parse::<GroupBy>().is_err());
        assert!("owner".parse::<GroupBy>().is_err());
        assert_eq!(
            GroupBy::Tag("cost-center".into()).to_string(),
            "tag:cost-center"
        );
    }
}
