//! Usage-driven lines shared by the AWS service families: a quantity from the usage file,
//! scaled to the catalog's unit (requests → millions), marked usage-based, and a note naming
//! the usage key when it is not given (the line is then 0, never silently).

use crate::money::Decimal;
use crate::resources::{Component, View};

/// `usage_key` (in its own unit) ÷ `per` units of `key`; 0 with a note when unset.
pub fn scaled(
    v: &View,
    name: &str,
    key: &str,
    usage_key: &str,
    per: Decimal,
    unit: &str,
) -> Result<Component, String> {
    v.usage_component_per(name, key, usage_key, per, unit)
}

/// One million.
pub fn million() -> Decimal {
    Decimal::from(1_000_000)
}
