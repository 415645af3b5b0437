//! The price book: what this organisation pays beside the list price, kept in the repository
//! (`[price_book]` in costgate.toml, or its own TOML file with `--price-book FILE`) and
//! reviewed like code. Offline: no price API is asked.
//!
//! ```toml
//! name = "ACME EDP 2026"
//! [[discounts]]                 # percent off list; the most specific entry wins
//! name = "EDP"
//! cloud = "aws"
//! percent = 20
//! [[rates]]                     # a negotiated unit price replaces list and discounts
//! key = "ec2/p5.48xlarge"
//! region = "us-east-1"
//! price = 38.00
//! [[commitments]]               # reserved instances, savings plans (see `commit`)
//! id = "ri-p4d"
//! kind = "reserved"
//! key = "ec2/p4d.24xlarge"
//! region = "us-east-1"
//! count = 2
//! hourly = 19.22
//! [currency]                    # output currency, dated rates (1 USD = per_usd units)
//! code = "EUR"
//! rates = [{ from = "2026-11-01", per_usd = 0.92 }]
//! ```
//!
//! This module reads and checks the book and answers "what does this organisation pay for
//! this price key"; [`crate::estimate`] applies it to components and allocates commitments.

pub mod commit;
pub mod import;

use chrono::NaiveDate;
use serde_json::Value;

use crate::money::Decimal;

/// The price book's JSON Schema (checked with the config's schema checker).
pub const SCHEMA: &str = include_str!("schema.json");

/// A loaded price book.
#[derive(Debug, Clone, Default)]
pub struct PriceBook {
    /// `name`, else the file it came from.
    pub name: String,
    /// Where it was read (`costgate.toml [price_book]` or the file).
    pub origin: String,
    /// The date dated entries are judged on (`COSTGATE_TODAY` or today).
    pub today: Option<NaiveDate>,
    pub discounts: Vec<Discount>,
    pub rates: Vec<Rate>,
    pub commitments: Vec<commit::Commitment>,
    /// Output currency and its rate on `today` (units per USD).
    pub currency: Option<Fx>,
}

/// What a book entry applies to (every field optional; all given must match).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub cloud: Option<String>,
    pub service: Option<String>,
    pub rtype: Option<String>,
    pub key: Option<(String, globset::GlobMatcher)>,
    pub region: Option<String>,
}

/// What is being priced: one component of one resource.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    /// Catalog (`aws`, `azure`, `gcp`, `databricks`).
    pub cloud: &'a str,
    pub rtype: &'a str,
    pub key: &'a str,
    pub region: Option<&'a str>,
}

impl Item<'_> {
    /// Price-key prefix (`ec2` of `ec2/p5.48xlarge`).
    pub fn service(&self) -> &str {
        self.key.split('/').next().unwrap_or("")
    }
}

impl Scope {
    pub fn matches(&self, it: &Item) -> bool {
        let eq = |want: &Option<String>, have: Option<&str>| {
            want.as_deref()
                .is_none_or(|w| have.is_some_and(|h| w.eq_ignore_ascii_case(h)))
        };
        eq(&self.cloud, Some(it.cloud))
            && eq(&self.service, Some(it.service()))
            && eq(&self.rtype, Some(it.rtype))
            && eq(&self.region, it.region)
            && self.key.as_ref().is_none_or(|(_, g)| g.is_match(it.key))
    }

    /// More specific scopes win: a key over a type over a service over a cloud; a region
    /// breaks ties.
    pub fn specificity(&self) -> u8 {
        (self.key.is_some() as u8) * 8
            + (self.rtype.is_some() as u8) * 4
            + (self.service.is_some() as u8) * 2
            + (self.region.is_some() as u8)
    }

    /// `aws ec2/p5.* in us-east-1` (what the scope covers, for messages).
    pub fn describe(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for p in [&self.cloud, &self.service, &self.rtype]
            .into_iter()
            .flatten()
        {
            parts.push(p);
        }
        if let Some((k, _)) = &self.key {
            parts.push(k);
        }
        let mut s = if parts.is_empty() {
            "everything".to_string()
        } else {
            parts.join(" ")
        };
        if let Some(r) = &self.region {
            s.push_str(" in ");
            s.push_str(r);
        }
        s
    }
}

/// Validity dates of an entry.
#[derive(Debug, Clone, Default)]
pub struct Dates {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Dates {
    /// In force on `day` (`from` and `until` inclusive); always when no day is known.
    pub fn active(&self, day: Option<NaiveDate>) -> bool {
        let Some(day) = day else { return true };
        self.from.is_none_or(|f| f <= day) && self.until.is_none_or(|u| day <= u)
    }
}

/// Percent off list.
#[derive(Debug, Clone)]
pub struct Discount {
    pub name: String,
    pub scope: Scope,
    pub percent: Decimal,
    pub dates: Dates,
}

/// A negotiated unit price.
#[derive(Debug, Clone)]
pub struct Rate {
    pub name: String,
    pub scope: Scope,
    pub price: Decimal,
    pub dates: Dates,
}

/// The output currency: code and units per USD on the book's date.
#[derive(Debug, Clone)]
pub struct Fx {
    pub code: String,
    pub per_usd: Decimal,
    /// The date the rate is valid from.
    pub from: NaiveDate,
}

/// How the book changes one list unit price.
#[derive(Debug, Clone, PartialEq)]
pub enum Adjustment {
    /// `percent` off (`name` from the book).
    Discount { name: String, percent: Decimal },
    /// A negotiated unit price replaces list (in USD).
    Rate { name: String, price: Decimal },
}

impl Adjustment {
    /// The unit price after the adjustment (USD in, USD out).
    pub fn apply(&self, list: Decimal) -> Decimal {
        match self {
            Adjustment::Discount { percent, .. } => {
                list * (Decimal::ONE_HUNDRED - *percent) / Decimal::ONE_HUNDRED
            }
            Adjustment::Rate { price, .. } => *price,
        }
    }

    /// `−20 % EDP` / `negotiated rate H100`.
    pub fn label(&self) -> String {
        match self {
            Adjustment::Discount { name, percent } => {
                format!("\u{2212}{} % {name}", percent.normalize())
            }
            Adjustment::Rate { name, .. } => format!("negotiated rate {name}"),
        }
    }
}

impl PriceBook {
    /// The adjustment for one item: a negotiated rate (the most specific in force), else the
    /// most specific discount in force; the first entry wins a tie.
    pub fn adjustment(&self, it: &Item) -> Option<Adjustment> {
        if let Some(r) = self.most_specific(&self.rates, |r| (&r.scope, &r.dates), it) {
            return Some(Adjustment::Rate {
                name: r.name.clone(),
                price: r.price,
            });
        }
        self.most_specific(&self.discounts, |d| (&d.scope, &d.dates), it)
            .map(|d| Adjustment::Discount {
                name: d.name.clone(),
                percent: d.percent,
            })
    }

    /// The entry in force that matches `it` with the most specific scope (the first of equals).
    fn most_specific<'a, T>(
        &self,
        entries: &'a [T],
        of: impl Fn(&T) -> (&Scope, &Dates),
        it: &Item,
    ) -> Option<&'a T> {
        let mut best: Option<(u8, &T)> = None;
        for e in entries {
            let (scope, dates) = of(e);
            if !dates.active(self.today) || !scope.matches(it) {
                continue;
            }
            let s = scope.specificity();
            if best.is_none_or(|(b, _)| s > b) {
                best = Some((s, e));
            }
        }
        best.map(|(_, e)| e)
    }

    /// Units of the output currency per USD (1 without a currency).
    pub fn fx(&self) -> Decimal {
        self.currency.as_ref().map_or(Decimal::ONE, |c| c.per_usd)
    }

    /// The output currency code.
    pub fn currency_code(&self) -> &str {
        self.currency.as_ref().map_or("USD", |c| c.code.as_str())
    }

    /// The unit price this organisation pays for a list price, in the output currency.
    pub fn effective_unit(&self, it: &Item, list_usd: Decimal) -> Decimal {
        let usd = self.adjustment(it).map_or(list_usd, |a| a.apply(list_usd));
        usd * self.fx()
    }

    /// A book from its JSON form, already checked against [`SCHEMA`]: the book, or the path
    /// of the offending setting (under the book) and the problem.
    pub fn build(
        v: &Value,
        origin: String,
        today: Option<NaiveDate>,
    ) -> std::result::Result<Self, (Vec<String>, String)> {
        let err = |at: &[String], msg: String| (at.to_vec(), msg);
        let mut book = PriceBook {
            name: v
                .get("name")
                .and_then(Value::as_str)
                .map_or_else(|| origin.clone(), str::to_string),
            origin,
            today,
            ..Default::default()
        };
        let list = |k: &str| {
            v.get(k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        for (i, d) in list("discounts").iter().enumerate() {
            let at = |f: &str| vec!["discounts".to_string(), i.to_string(), f.to_string()];
            let percent = dec(d, "percent").unwrap_or_default();
            if percent < Decimal::ZERO || percent > Decimal::ONE_HUNDRED {
                return Err(err(
                    &at("percent"),
                    "a discount's percent is between 0 and 100".into(),
                ));
            }
            book.discounts.push(Discount {
                name: str_of(d, "name").unwrap_or_else(|| "discount".into()),
                scope: scope(d).map_err(|m| err(&at("key"), m))?,
                percent,
                dates: dates(d).map_err(|(f, m)| err(&at(f), m))?,
            });
        }
        for (i, r) in list("rates").iter().enumerate() {
            let at = |f: &str| vec!["rates".to_string(), i.to_string(), f.to_string()];
            let price = dec(r, "price").unwrap_or_default();
            if price < Decimal::ZERO {
                return Err(err(
                    &at("price"),
                    "a negotiated price cannot be negative".into(),
                ));
            }
            let key = str_of(r, "key").unwrap_or_default();
            book.rates.push(Rate {
                name: str_of(r, "name").unwrap_or(key),
                scope: scope(r).map_err(|m| err(&at("key"), m))?,
                price,
                dates: dates(r).map_err(|(f, m)| err(&at(f), m))?,
            });
        }
        for (i, c) in list("commitments").iter().enumerate() {
            let at = |f: &str| vec!["commitments".to_string(), i.to_string(), f.to_string()];
            let sc = scope(c).map_err(|m| err(&at("key"), m))?;
            let ds = dates(c).map_err(|(f, m)| err(&at(f), m))?;
            let made =
                commit::Commitment::from_value(c, sc, ds).map_err(|(f, m)| err(&at(f), m))?;
            if book.commitments.iter().any(|o| o.id == made.id) {
                return Err(err(
                    &at("id"),
                    format!("commitment id `{}` is used twice", made.id),
                ));
            }
            book.commitments.push(made);
        }
        if let Some(cur) = v.get("currency") {
            let code = str_of(cur, "code").unwrap_or_default();
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(err(
                    &["currency".into(), "code".into()],
                    format!("currency code `{code}` is not an ISO 4217 code such as EUR"),
                ));
            }
            let mut best: Option<(NaiveDate, Decimal)> = None;
            for (i, r) in cur["rates"].as_array().into_iter().flatten().enumerate() {
                let at = vec![
                    "currency".into(),
                    "rates".into(),
                    i.to_string(),
                    "from".into(),
                ];
                let from = date(r, "from")
                    .map_err(|m| err(&at, m))?
                    .unwrap_or_default();
                let rate = dec(r, "per_usd").unwrap_or_default();
                if rate <= Decimal::ZERO {
                    let mut at = at.clone();
                    *at.last_mut().expect("path") = "per_usd".into();
                    return Err(err(&at, "an exchange rate must be above 0".into()));
                }
                let usable = today.is_none_or(|t| from <= t);
                if usable && best.is_none_or(|(f, _)| from > f) {
                    best = Some((from, rate));
                }
            }
            let Some((from, per_usd)) = best else {
                return Err(err(
                    &["currency".into(), "rates".into()],
                    format!(
                        "no exchange rate for {code} is in force on {}: give one with a `from` date on or before it",
                        today.map_or("today".to_string(), |t| t.to_string())
                    ),
                ));
            };
            book.currency = Some(Fx {
                code,
                per_usd,
                from,
            });
        }
        Ok(book)
    }
}

fn str_of(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_string)
}

/// A number as an exact decimal (through its shortest text, so 0.1 stays 0.1).
pub(crate) fn dec(v: &Value, k: &str) -> Option<Decimal> {
    let n = v.get(k)?;
    n.as_i64()
        .map(Decimal::from)
        .or_else(|| n.as_f64().and_then(crate::money::from_f64))
}

fn date(v: &Value, k: &str) -> std::result::Result<Option<NaiveDate>, String> {
    match v.get(k).and_then(Value::as_str) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| format!("{k} = \"{s}\" is not a YYYY-MM-DD date")),
    }
}

fn dates(v: &Value) -> std::result::Result<Dates, (&'static str, String)> {
    let from = date(v, "from").map_err(|m| ("from", m))?;
    let until = date(v, "until").map_err(|m| ("until", m))?;
    if let (Some(f), Some(u)) = (from, until) {
        if u < f {
            return Err(("until", format!("until ({u}) is before from ({f})")));
        }
    }
    Ok(Dates { from, until })
}

fn scope(v: &Value) -> std::result::Result<Scope, String> {
    let key = match str_of(v, "key") {
        None => None,
        Some(k) => {
            let g = globset::Glob::new(&k)
                .map_err(|e| format!("key `{k}` is not a valid glob: {e}"))?
                .compile_matcher();
            Some((k, g))
        }
    };
    Ok(Scope {
        cloud: str_of(v, "cloud"),
        service: str_of(v, "service"),
        rtype: str_of(v, "type"),
        key,
        region: str_of(v, "region"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn book(text: &str) -> PriceBook {
        let v: toml::Value = toml::from_str(text).unwrap();
        let json = serde_json::to_value(v).unwrap();
        PriceBook::build(
            &json,
            "book.toml".into(),
            NaiveDate::from_ymd_opt(2026, 12, 6),
        )
        .unwrap()
    }

    fn item<'a>(key: &'a str, region: &'a str) -> Item<'a> {
        Item {
            cloud: "aws",
            rtype: "aws_instance",
            key,
            region: Some(region),
        }
    }

    #[test]
    fn the_most_specific_entry_wins_and_rates_replace_discounts() {
        let b = book(
            "[[discounts]]\nname = \"EDP\"\ncloud = \"aws\"\npercent = 20\n\
             [[discounts]]\nname = \"GPU\"\nkey = \"ec2/p4d.*\"\npercent = 30\n\
             [[discounts]]\nname = \"old\"\ncloud = \"aws\"\nservice = \"ec2\"\npercent = 50\nuntil = \"2026-01-31\"\n\
             [[rates]]\nkey = \"ec2/p5.48xlarge\"\nregion = \"us-east-1\"\nprice = 38.00\n",
        );
        let d = |p: &str| Decimal::from_str_exact(p).unwrap();
        assert_eq!(
            b.effective_unit(&item("ec2/m5.xlarge", "us-east-1"), d("0.192")),
            d("0.1536")
        );
        assert_eq!(
            b.effective_unit(&item("ec2/p4d.24xlarge", "us-east-1"), d("32.7726")),
            d("22.94082")
        );
        assert_eq!(
            b.effective_unit(&item("ec2/p5.48xlarge", "us-east-1"), d("55.04")),
            d("38")
        );
        // Not in the negotiated region: the EDP.
        assert_eq!(
            b.effective_unit(&item("ec2/p5.48xlarge", "us-west-2"), d("55.04")),
            d("44.032")
        );
        let gcp = Item {
            cloud: "gcp",
            ..item("gce/n1-standard-4", "us-central1")
        };
        assert_eq!(b.adjustment(&gcp), None);
        assert_eq!(
            b.adjustment(&item("ec2/m5.xlarge", "us-east-1"))
                .unwrap()
                .label(),
            "\u{2212}20 % EDP"
        );
    }

    #[test]
    fn the_latest_exchange_rate_in_force_is_used() {
        let b = book(
            "[currency]\ncode = \"EUR\"\nrates = [\n { from = \"2026-10-01\", per_usd = 0.95 },\n { from = \"2026-12-01\", per_usd = 0.92 },\n { from = \"2027-01-01\", per_usd = 0.5 },\n]\n",
        );
        assert_eq!(b.fx(), Decimal::from_str_exact("0.92").unwrap());
        assert_eq!(b.currency_code(), "EUR");
    }
}
