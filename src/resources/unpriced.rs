//! Why a resource (or one side of it) cannot be priced, as data: consumers (the estimate's
//! nearest-region figure, reports, policies) read the fields; [`Display`](std::fmt::Display)
//! gives the sentence people see, and only people read it.

use serde::{Serialize, Serializer};

use crate::pricing::PriceMiss;

/// One reason a resource cannot be priced.
#[derive(Debug, Clone, PartialEq)]
pub enum Unpriced {
    /// The catalog has no price for a key in the resource's region (`nearest` names the
    /// nearest region that has one, with its price), or none at all (`nearest` is `None`).
    NoPrice(PriceMiss),
    /// An attribute the price depends on is known only after apply.
    UnknownUntilApply { attr: String },
    /// An attribute the price depends on is sensitive (never read, never shown).
    Sensitive { attr: String },
    /// An attribute the price depends on is not set.
    NotSet { attr: String },
    /// A machine type / size / accelerator no catalog knows: `kind` is e.g. `EC2 instance type`.
    UnknownMachine { kind: &'static str, name: String },
    /// A linked resource (launch template, workspace...) could not be found; `what` says
    /// which link and what is missing.
    LinkNotFound { what: String },
    /// A billed resource type costgate does not price yet, and why it costs money if known.
    UnsupportedType { rtype: String, why: Option<String> },
    /// Anything else, as a sentence.
    Other(String),
}

impl Unpriced {
    /// The nearest region that has the missing price, and that price, when the only problem
    /// is the region.
    pub fn nearest(&self) -> Option<&crate::pricing::NearestPrice> {
        match self {
            Unpriced::NoPrice(m) => m.nearest.as_deref(),
            _ => None,
        }
    }
}

impl std::fmt::Display for Unpriced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unpriced::NoPrice(m) => m.fmt(f),
            Unpriced::UnknownUntilApply { attr } => write!(f, "`{attr}` is unknown until apply"),
            Unpriced::Sensitive { attr } => write!(f, "`{attr}` is sensitive"),
            Unpriced::NotSet { attr } => write!(f, "`{attr}` is not set"),
            Unpriced::UnknownMachine { kind, name } => write!(f, "unknown {kind} `{name}`"),
            Unpriced::LinkNotFound { what } => f.write_str(what),
            Unpriced::UnsupportedType {
                rtype,
                why: Some(why),
            } => {
                write!(f, "resource type `{rtype}` costs money: {why}")
            }
            Unpriced::UnsupportedType { rtype, why: None } => {
                write!(f, "resource type `{rtype}` is not supported yet")
            }
            Unpriced::Other(s) => f.write_str(s),
        }
    }
}

impl From<PriceMiss> for Unpriced {
    fn from(m: PriceMiss) -> Self {
        Unpriced::NoPrice(m)
    }
}

/// A sentence (families written before the typed reasons).
impl From<String> for Unpriced {
    fn from(s: String) -> Self {
        Unpriced::Other(s)
    }
}

impl From<&str> for Unpriced {
    fn from(s: &str) -> Self {
        Unpriced::Other(s.to_string())
    }
}

/// For helpers that still return `Result<_, String>` (the sentence; the fields are lost).
impl From<Unpriced> for String {
    fn from(u: Unpriced) -> String {
        u.to_string()
    }
}

impl Serialize for Unpriced {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The reasons one side of a resource cannot be priced (non-empty ⇒ unpriced). `push` takes
/// an [`Unpriced`] or a sentence.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Reasons(Vec<Unpriced>);

impl Reasons {
    pub fn push(&mut self, reason: impl Into<Unpriced>) {
        self.0.push(reason.into());
    }
}

impl std::ops::Deref for Reasons {
    type Target = Vec<Unpriced>;
    fn deref(&self) -> &Vec<Unpriced> {
        &self.0
    }
}

impl std::ops::DerefMut for Reasons {
    fn deref_mut(&mut self) -> &mut Vec<Unpriced> {
        &mut self.0
    }
}

impl IntoIterator for Reasons {
    type Item = Unpriced;
    type IntoIter = std::vec::IntoIter<Unpriced>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Reasons {
    type Item = &'a Unpriced;
    type IntoIter = std::slice::Iter<'a, Unpriced>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_before() {
        let u = |a: &str| a.to_string();
        assert_eq!(
            Unpriced::UnknownUntilApply {
                attr: u("instance_type")
            }
            .to_string(),
            "`instance_type` is unknown until apply"
        );
        assert_eq!(
            Unpriced::UnknownMachine {
                kind: "EC2 instance type",
                name: u("zz.huge")
            }
            .to_string(),
            "unknown EC2 instance type `zz.huge`"
        );
        assert_eq!(
            Unpriced::UnsupportedType {
                rtype: u("aws_x"),
                why: None
            }
            .to_string(),
            "resource type `aws_x` is not supported yet"
        );
        let mut r = Reasons::default();
        r.push("a sentence".to_string());
        assert_eq!(serde_json::to_string(&r).unwrap(), "[\"a sentence\"]");
    }
}
