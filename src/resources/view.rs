//! What a family reads: the context of the whole plan ([`Ctx`]) and one side of one
//! resource ([`View`]), with the helpers that turn catalog prices into components.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::estimate::usage::Usage;
use crate::money::{Decimal, HOURS_PER_MONTH};
use crate::pricing::{cloud_of_provider, tiered_cost, Catalogs};
use crate::project::{Attrs, Field, Project, Resource};

use super::component::describe;
use super::{
    default_region, Component, Facts, PriceDetails, PriceProvenance, Recorder, UsageBasis,
};

/// Which side of a change is being priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Before,
    After,
}

/// Everything a family may consult, with indexes so that following links stays linear in
/// the size of the plan.
pub struct Ctx<'a> {
    pub catalogs: &'a Catalogs,
    pub project: &'a Project,
    pub usage: &'a Usage,
    /// address → index into `project.resources`.
    pub by_address: HashMap<&'a str, usize>,
    /// referenced address (with and without instance key) → resources whose expressions refer to it.
    referrers: HashMap<&'a str, Vec<usize>>,
    /// (side, `id`/`name` value) → resources with that value, for links already known.
    by_value: HashMap<(bool, &'a str), Vec<usize>>,
    /// Record the attributes each component is computed from and keep the price's source
    /// title, URL and note (`costgate explain`); off for ordinary estimates, which do not
    /// show them (and would hold a copy per component).
    pub record_inputs: bool,
}

/// Attributes by which one resource names another once both exist.
const LINK_ATTRS: &[&str] = &["id", "name", "arn"];

impl<'a> Ctx<'a> {
    pub fn new(catalogs: &'a Catalogs, project: &'a Project, usage: &'a Usage) -> Self {
        let mut by_address = HashMap::new();
        let mut referrers: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_value: HashMap<(bool, &str), Vec<usize>> = HashMap::new();
        for (i, r) in project.resources.iter().enumerate() {
            if r.deposed.is_none() {
                by_address.insert(r.address.as_str(), i);
            }
            for t in r.refs.values().flatten() {
                let v = referrers.entry(t.as_str()).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
            for (after, attrs) in [(false, &r.before), (true, &r.after)] {
                let Some(a) = attrs else { continue };
                for k in LINK_ATTRS {
                    let val = a.values.get(k).and_then(serde_json::Value::as_str);
                    if let Some(val) = val.filter(|v| *v != crate::project::REDACTED) {
                        by_value.entry((after, val)).or_default().push(i);
                    }
                }
            }
        }
        Ctx {
            catalogs,
            project,
            usage,
            by_address,
            referrers,
            by_value,
            record_inputs: false,
        }
    }

    pub fn resource(&self, address: &str) -> Option<&'a Resource> {
        self.by_address
            .get(address)
            .map(|i| &self.project.resources[*i])
    }

    /// Resources whose configuration refers to `address` (or to its unindexed form).
    pub fn referrers_of(&self, address: &str) -> impl Iterator<Item = &'a Resource> + '_ {
        let base = address.split('[').next().unwrap_or(address);
        let mut idx: Vec<usize> = self.referrers.get(address).cloned().unwrap_or_default();
        if base != address {
            idx.extend(self.referrers.get(base).into_iter().flatten());
        }
        idx.sort_unstable();
        idx.dedup();
        idx.into_iter().map(move |i| &self.project.resources[i])
    }

    fn with_value(&self, side: Side, value: &str) -> Vec<&'a Resource> {
        let resources = &self.project.resources;
        self.by_value
            .get(&(side == Side::After, value))
            .map(|v| v.iter().map(|i| &resources[*i]).collect())
            .unwrap_or_default()
    }
}

/// One side of one resource, with helpers to read attributes and build components.
pub struct View<'a> {
    pub res: &'a Resource,
    pub attrs: &'a Attrs,
    pub ctx: &'a Ctx<'a>,
    pub side: Side,
    pub cloud: &'a str,
    pub region: String,
    /// Attribute reads, when the context records inputs (shared with linked views).
    pub recorder: Option<Rc<RefCell<Recorder>>>,
}

impl<'a> View<'a> {
    pub fn new(res: &'a Resource, ctx: &'a Ctx<'a>, side: Side) -> Option<Self> {
        let attrs = match side {
            Side::Before => res.before.as_ref()?,
            Side::After => res.after.as_ref()?,
        };
        let cloud = cloud_of_provider(&res.provider);
        let region = res
            .region
            .clone()
            .unwrap_or_else(|| default_region(cloud).to_string());
        let recorder = ctx
            .record_inputs
            .then(|| Rc::new(RefCell::new(Recorder::new(&res.address))));
        Some(View {
            res,
            attrs,
            ctx,
            side,
            cloud,
            region,
            recorder,
        })
    }

    pub fn get(&self, path: &str) -> Field<'a> {
        let f = self.attrs.get(path);
        self.note(self.attrs, path, f);
        f
    }

    /// Note that a component depends on attribute `path` of `attrs` (another side of the
    /// same resource): [`View::get`] notes its own reads; families that read the other side's
    /// attributes directly call this.
    pub fn record(&self, attrs: &Attrs, path: &str) {
        self.note(attrs, path, attrs.get(path));
    }

    fn note(&self, attrs: &Attrs, path: &str, f: Field) {
        if let Some(r) = &self.recorder {
            let (status, value) = if attrs.is_sensitive(path) {
                ("sensitive".to_string(), serde_json::Value::Null)
            } else {
                describe(f)
            };
            r.borrow_mut().read(&self.res.address, path, status, value);
        }
    }

    /// Why a field read as unknown: sensitive, or unknown until apply.
    pub fn unknown_reason(&self, path: &str) -> String {
        if self.attrs.is_sensitive(path) {
            format!("`{path}` is sensitive")
        } else {
            format!("`{path}` is unknown until apply")
        }
    }

    /// A string attribute that must be known: `Err` says it is unknown, sensitive or unset
    /// (never quoting a value: it may come from anywhere).
    pub fn required_str(&self, path: &str) -> Result<&'a str, String> {
        match self.get(path) {
            Field::Known(serde_json::Value::String(s)) if !s.is_empty() => Ok(s),
            Field::Unknown => Err(self.unknown_reason(path)),
            Field::Known(serde_json::Value::String(_)) => Err(format!("`{path}` is empty")),
            Field::Known(other) => Err(format!(
                "`{path}` is {}, expected a string",
                crate::error::json_kind(other)
            )),
            Field::Absent => Err(format!("`{path}` is not set")),
        }
    }

    /// A number attribute, or `default` when unset; `Err` when unknown.
    pub fn num_or(&self, path: &str, default: Decimal) -> Result<Decimal, String> {
        match self.get(path) {
            Field::Unknown => Err(self.unknown_reason(path)),
            Field::Absent => Ok(default),
            f => f
                .as_f64()
                .and_then(crate::money::from_f64)
                .ok_or_else(|| format!("`{path}` is not a number"))
                .and_then(|d| {
                    if d.is_sign_negative() {
                        Err(format!("`{path}` is negative"))
                    } else {
                        Ok(d)
                    }
                }),
        }
    }

    /// Is `path` unknown because the configuration sets it from something known only after
    /// apply? An attribute the configuration leaves out is absent in HCL mode, but in a plan
    /// the provider may show it as computed (unknown): there the provider's documented
    /// default applies, and only an unknown that comes from an expression (one with
    /// references) is "unknown from the configuration". Such values are never replaced by a
    /// default.
    pub fn unknown_from_config(&self, path: &str) -> bool {
        if !self.get(path).is_unknown() {
            return false;
        }
        self.ctx.project.input_kind == crate::project::InputKind::Hcl
            || self.res.refs.keys().any(|k| {
                k == path
                    || path.starts_with(&format!("{k}."))
                    || k.starts_with(&format!("{path}."))
            })
    }

    /// The resource another attribute refers to (e.g. `launch_template.0.id` →
    /// `aws_launch_template.gpu`), seen from the same side. Falls back to matching a known
    /// attribute value (`id`/`name`) of another resource, as in update plans.
    pub fn linked(&self, attr_paths: &[&str], match_attrs: &[&str]) -> Option<View<'a>> {
        for p in attr_paths {
            let targets = self
                .res
                .refs
                .iter()
                .filter(|(k, _)| *k == p || k.starts_with(&format!("{p}.")))
                .flat_map(|(_, v)| v.iter());
            for t in targets {
                // `aws_x.y` referring to a counted resource: take its first instance.
                let found = self
                    .ctx
                    .resource(t)
                    .or_else(|| self.ctx.resource(&format!("{t}[0]")));
                if let Some(r) = found {
                    if let Some(mut v) = View::new(r, self.ctx, self.side)
                        .or_else(|| View::new(r, self.ctx, Side::After))
                    {
                        v.recorder = self.recorder.clone();
                        return Some(v);
                    }
                }
            }
            // Known value (update plans): a resource whose id/name equals it.
            if let Some(val) = self.get(p).as_str() {
                for r in self.ctx.with_value(self.side, val) {
                    if std::ptr::eq(r, self.res) {
                        continue;
                    }
                    let a = match self.side {
                        Side::Before => r.before.as_ref(),
                        Side::After => r.after.as_ref(),
                    };
                    if a.is_some_and(|a| match_attrs.iter().any(|m| a.str(m) == Some(val))) {
                        return View::new(r, self.ctx, self.side).map(|mut v| {
                            v.recorder = self.recorder.clone();
                            v
                        });
                    }
                }
            }
        }
        None
    }

    /// A usage value for this resource (usage file, then type defaults).
    pub fn usage(&self, key: &str) -> Option<Decimal> {
        self.ctx.usage.get(&self.res.address, &self.res.rtype, key)
    }

    /// A usage value and the usage-file entry it came from.
    pub fn usage_basis(&self, key: &str) -> UsageBasis {
        let found = self
            .ctx
            .usage
            .lookup(&self.res.address, &self.res.rtype, key);
        UsageBasis {
            key: key.to_string(),
            value: found.as_ref().map(|(v, _)| *v),
            origin: found.map(|(_, o)| format!("usage file {o}")),
            per: None,
        }
    }

    /// Hours per month the resource runs: usage `monthly_hours`, else 730.
    pub fn hours(&self) -> Decimal {
        self.usage("monthly_hours").unwrap_or(HOURS_PER_MONTH)
    }

    /// A time-based component: `count` units for [`hours`](Self::hours) at the hourly `key`.
    pub fn hourly(
        &self,
        name: impl Into<String>,
        key: &str,
        count: Decimal,
    ) -> Result<Component, String> {
        let hours = self.hours();
        let mut c = self.component(name, key, count * hours, "hours")?;
        if self.ctx.record_inputs {
            let mut basis = self.usage_basis("monthly_hours");
            basis.value.get_or_insert(hours);
            basis
                .origin
                .get_or_insert_with(|| "default: always on".into());
            basis.per = Some(count);
            c.usage = Some(Box::new(basis));
        }
        Ok(c)
    }

    /// `quantity` monthly units of `key` (flat or tiered).
    pub fn component(
        &self,
        name: impl Into<String>,
        key: &str,
        quantity: Decimal,
        unit: &str,
    ) -> Result<Component, String> {
        let p = self.ctx.catalogs.price(self.cloud, &self.region, key)?;
        let (unit_price, monthly) = match (&p.entry.price, &p.entry.tiers) {
            (Some(price), _) => (*price, *price * quantity),
            (None, Some(t)) => {
                if let Some(top) = t.last().and_then(|t| t.upto).filter(|top| quantity > *top) {
                    return Err(format!("{quantity} {unit} of `{key}` is beyond the catalog's tiers (priced up to {top})"));
                }
                (
                    p.entry.base_price().unwrap_or_default(),
                    tiered_cost(t, quantity),
                )
            }
            (None, None) => return Err(format!("catalog entry `{key}` has no price")),
        };
        let details = self.ctx.record_inputs;
        let price = PriceProvenance {
            catalog: crate::pricing::CLOUDS
                .iter()
                .find(|c| **c == self.cloud)
                .copied()
                .unwrap_or_default(),
            region: p.region.clone(),
            catalog_price: unit_price,
            source: p.entry.source.clone(),
            as_of: p.as_of.clone(),
            derived: (p.confidence() == "derived").then(|| {
                let how = p
                    .source_info
                    .and_then(|s| s.derivation.clone())
                    .unwrap_or_else(|| "derived".into());
                match &p.entry.note {
                    Some(n) => format!("{how}; here: {n}"),
                    None => how,
                }
            }),
            details: details.then(|| {
                Box::new(PriceDetails {
                    unit: p.entry.unit.clone(),
                    title: p.source_info.map(|s| s.title.clone()),
                    url: p.source_info.and_then(|s| s.url.clone()),
                    note: p.entry.note.clone(),
                })
            }),
        };
        Ok(Component {
            name: name.into(),
            unit: unit.to_string(),
            quantity,
            unit_price,
            monthly_cost: monthly,
            price_key: key.to_string(),
            price_source: p.source,
            tiered: p.entry.tiers.is_some(),
            usage_based: false,
            note: None,
            price,
            usage: None,
            inputs: self
                .recorder
                .as_ref()
                .map(|r| r.borrow_mut().take())
                .unwrap_or_default(),
            facts: Facts::default(),
            book: None,
        })
    }

    /// Like [`hourly`](Self::hourly) for spot capacity: the catalog's spot price when it has
    /// one, else the on-demand price less the documented spot discount (usage `spot_discount`).
    pub fn hourly_spot(
        &self,
        name: impl Into<String>,
        od_key: &str,
        spot_key: &str,
        count: Decimal,
    ) -> Result<Component, String> {
        if self
            .ctx
            .catalogs
            .price(self.cloud, &self.region, spot_key)
            .is_ok()
        {
            let mut c = self.hourly(name, spot_key, count)?;
            c.note = Some("spot price from the catalog".into());
            return Ok(c);
        }
        let mut c = self.hourly(name, od_key, count)?;
        let discount = self
            .usage("spot_discount")
            .unwrap_or(self.ctx.usage.spot_discount());
        c.unit_price *= Decimal::ONE - discount;
        c.monthly_cost *= Decimal::ONE - discount;
        c.note = Some(format!(
            "spot: on-demand less the assumed {}% spot discount",
            (discount * Decimal::ONE_HUNDRED).normalize()
        ));
        Ok(c)
    }

    /// A usage-based component: quantity from the usage file (0 when not given, and marked).
    pub fn usage_component(
        &self,
        name: impl Into<String>,
        key: &str,
        usage_key: &str,
        unit: &str,
    ) -> Result<Component, String> {
        self.usage_component_per(name, key, usage_key, Decimal::ONE, unit)
    }

    /// Like [`usage_component`](Self::usage_component) for a catalog unit of `per` usage
    /// units (requests priced per million: `per` = 1,000,000).
    pub fn usage_component_per(
        &self,
        name: impl Into<String>,
        key: &str,
        usage_key: &str,
        per: Decimal,
        unit: &str,
    ) -> Result<Component, String> {
        let q = self.usage(usage_key);
        let quantity = q.unwrap_or_default();
        let quantity = if per == Decimal::ONE {
            quantity
        } else {
            quantity / per
        };
        let mut c = self.component(name, key, quantity, unit)?;
        c.usage_based = true;
        if self.ctx.record_inputs {
            c.usage = Some(Box::new(self.usage_basis(usage_key)));
        }
        if q.is_none() {
            c.note = Some(format!(
                "depends on usage: set `{usage_key}` in the usage file"
            ));
        }
        Ok(c)
    }
}
