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
    let q = v.usage(usage_key);
    let mut c = v.component(name, key, q.unwrap_or_default() / per, unit)?;
    c.usage_based = true;
    if v.ctx.record_inputs {
        c.usage = Some(Box::new(v.usage_basis(usage_key)));
    }
    if q.is_none() {
        c.note = Some(format!(
            "depends on usage: set `{usage_key}` in the usage file"
        ));
    }
    Ok(c)
}

/// One million.
pub fn million() -> Decimal {
    Decimal::from(1_000_000)
}
