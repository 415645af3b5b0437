//! A priced line ([`Component`]), its typed facts, where its price comes from and the
//! attribute reads recorded for `explain`.

use serde::Serialize;

use crate::money::Decimal;
use crate::project::Field;

/// One priced line of a resource.
#[derive(Debug, Clone, Serialize)]
pub struct Component {
    pub name: String,
    pub unit: String,
    /// Monthly quantity (hours, GB-months, ...).
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub monthly_cost: Decimal,
    pub price_key: String,
    pub price_source: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tiered: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub usage_based: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The catalog entry the unit price comes from.
    pub price: PriceProvenance,
    /// The usage assumption behind the quantity (hours a month, GB, requests), when the
    /// quantity comes from the usage file or its default rather than from attributes alone
    /// (recorded for `costgate explain` only, like `inputs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<Box<UsageBasis>>,
    /// Attribute values the component was computed from (recorded for `costgate explain`
    /// only; sensitive values redacted). Empty in ordinary estimates.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<AttrInput>,
    /// Typed facts about what the component prices, for the estimate's own readers (savings):
    /// never parsed back from `name`. Not part of the JSON output.
    #[serde(skip)]
    pub facts: Facts,
    /// The list price beside the price paid, when a price book is in use (`unit_price` and
    /// `monthly_cost` are then what this organisation pays).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub book: Option<Box<BookPrice>>,
}

/// A component's list price and what the price book made of it.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct BookPrice {
    /// List unit price (in the output currency).
    pub list_unit_price: Decimal,
    /// List monthly cost (in the output currency, unrounded).
    pub list_monthly_cost: Decimal,
    /// The discount or negotiated rate applied (`−20 % EDP`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjustment: Option<String>,
    /// The unit price after the discount or rate, before commitments.
    pub discounted_unit_price: Decimal,
    /// Commitments covering part of the quantity.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commitments: Vec<CommitmentUse>,
}

/// The part of a component a commitment covers.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CommitmentUse {
    pub id: String,
    /// `reserved` or `savings_plan`.
    pub kind: &'static str,
    /// Quantity covered (unit-hours).
    pub quantity: Decimal,
    /// Unit price under the commitment (output currency).
    pub unit_price: Decimal,
}

impl Component {
    /// The monthly cost at list price.
    pub fn list_monthly(&self) -> Decimal {
        self.book
            .as_ref()
            .map_or(self.monthly_cost, |b| b.list_monthly_cost)
    }
}

/// Typed facts a family attaches to a component (see [`Component::facts`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// A block-storage line: `count` volumes of `size_gb` GB of `volume_type`.
    pub volume: Option<VolumeFacts>,
}

/// One block-storage component's volumes.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeFacts {
    /// `gp2`, `gp3`, `io1`, … as priced.
    pub volume_type: String,
    /// Size of one volume.
    pub size_gb: Decimal,
    /// Number of volumes of that size.
    pub count: Decimal,
}

impl Component {
    /// The component with its volume facts.
    pub fn with_volume(mut self, volume_type: &str, size_gb: Decimal, count: Decimal) -> Self {
        self.facts.volume = Some(VolumeFacts {
            volume_type: volume_type.to_string(),
            size_gb,
            count,
        });
        self
    }
}

#[cfg(test)]
impl Component {
    /// A plain component for unit tests: `quantity` × `unit_price` = `monthly_cost` as given.
    pub(crate) fn for_test(
        name: &str,
        unit: &str,
        quantity: Decimal,
        unit_price: Decimal,
        monthly_cost: Decimal,
        price_key: &str,
    ) -> Self {
        Component {
            name: name.into(),
            unit: unit.into(),
            quantity,
            unit_price,
            monthly_cost,
            price_key: price_key.into(),
            price_source: "test".into(),
            tiered: false,
            usage_based: false,
            note: None,
            price: Default::default(),
            usage: None,
            inputs: Vec::new(),
            facts: Facts::default(),
            book: None,
        }
    }
}

/// Where a unit price comes from: one entry of a price catalog and its provenance (the key
/// is [`Component::price_key`]). Ordinary estimates keep only what the reports use; the
/// descriptive fields are filled when recording inputs (`explain`).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct PriceProvenance {
    /// Catalog (`aws`, `azure`, `gcp`).
    pub catalog: &'static str,
    /// Catalog region the entry was found in (`global` for region-independent prices).
    pub region: String,
    /// The entry's price (the first tier's for tiered entries). The component's unit price
    /// differs when it is adjusted (spot: on-demand less the assumed discount).
    pub catalog_price: Decimal,
    /// Source id in the catalog's `sources`.
    pub source: String,
    /// Date of the price (entry, else source, else catalog date).
    pub as_of: String,
    /// How the price was derived, when it is not read straight from a published price list
    /// (confidence `derived`); None = `list`.
    pub derived: Option<String>,
    /// Unit, source title and URL, note: kept when recording inputs (`explain`) only.
    pub details: Option<Box<PriceDetails>>,
}

/// The descriptive part of a [`PriceProvenance`].
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct PriceDetails {
    /// The catalog's unit (`hour`, `GB-month`, ...).
    pub unit: String,
    /// The source's title and URL.
    pub title: Option<String>,
    pub url: Option<String>,
    /// The entry's note (how it was derived).
    pub note: Option<String>,
}

/// The usage assumption behind a component's quantity.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UsageBasis {
    /// Usage-file key (`monthly_hours`, `storage_gb`, ...).
    pub key: String,
    /// The value used; `None` when the usage file does not give one (the quantity is then 0).
    pub value: Option<Decimal>,
    /// Where the value came from (`usage file resources."aws_instance.x"`, the default);
    /// `None` when not set.
    pub origin: Option<String>,
    /// Units priced per hour (instances, nodes) for time-based components.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per: Option<Decimal>,
}

/// One attribute a component was computed from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AttrInput {
    /// The resource it belongs to, when not the one being priced (a linked launch template).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    pub attribute: String,
    /// `known` (the value is in `value`), `known after apply`, `not set`, `sensitive`
    /// (never shown), `list of N`, `object`.
    pub status: String,
    /// The value when it is a known scalar, else null.
    pub value: serde_json::Value,
}

impl AttrInput {
    /// `"p5.48xlarge"` / `100` / `(known after apply)` / `(sensitive)`.
    pub fn display(&self) -> String {
        if self.status == "known" {
            self.value.to_string()
        } else {
            format!("({})", self.status)
        }
    }
}

/// Attribute reads of one resource side, cut into the runs that precede each component.
#[derive(Debug, Default)]
pub struct Recorder {
    owner: String,
    reads: Vec<AttrInput>,
    /// Index of the first read not yet given to a component.
    mark: usize,
    /// The inputs given to the previous component (a component built from no new reads,
    /// e.g. the IOPS of the volume just priced, shares them).
    last: Vec<AttrInput>,
}

impl Recorder {
    pub fn new(owner: &str) -> Self {
        Recorder {
            owner: owner.to_string(),
            ..Default::default()
        }
    }

    pub(super) fn read(
        &mut self,
        address: &str,
        path: &str,
        status: String,
        value: serde_json::Value,
    ) {
        let input = AttrInput {
            resource: (address != self.owner).then(|| address.to_string()),
            attribute: path.to_string(),
            status,
            value,
        };
        if !self.reads[self.mark..].contains(&input) {
            self.reads.push(input);
        }
    }

    pub(super) fn take(&mut self) -> Vec<AttrInput> {
        let new = self.reads[self.mark..].to_vec();
        self.mark = self.reads.len();
        if new.is_empty() {
            self.last.clone()
        } else {
            self.last = new.clone();
            new
        }
    }
}

/// Status and value of an attribute for [`AttrInput`] (scalars only: a list or block is
/// summarised, its leaves are recorded when read).
pub(super) fn describe(f: Field) -> (String, serde_json::Value) {
    use serde_json::Value;
    let status = match f {
        Field::Unknown => "known after apply".into(),
        Field::Absent => "not set".into(),
        Field::Known(Value::Array(a)) => format!("list of {}", a.len()),
        Field::Known(Value::Object(_)) => "object".into(),
        Field::Known(v) => return ("known".into(), v.clone()),
    };
    (status, Value::Null)
}
