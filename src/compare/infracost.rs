//! An Infracost JSON output (`infracost breakdown --format json`) as `--compare-to` base: the
//! resources of each project's `breakdown`, as reported, in the shape of a costgate JSON
//! report's resources (so the base is taken exactly as a costgate report base is).

use std::path::Path;

use serde_json::{json, Map, Value};

use crate::error::Result;
use crate::money::{fmt2, Decimal};

const HELP: &str = "give Infracost's JSON output (`infracost breakdown --format json`), a costgate JSON report, a plan JSON or a directory of .tf files";

/// The resources of every project's `breakdown`, each as a costgate report resource
/// (`address`, `type`, `action`, `monthly_cost` or `unpriced_reason`, `components`, `tags`).
pub fn resources(path: &Path, doc: &Value) -> Result<Vec<Map<String, Value>>> {
    let bad = |what: String| {
        miette::miette!(
            code = crate::error::Code::CompareBase,
            help = HELP,
            "--compare-to: {} is not a readable Infracost JSON output: {what}",
            path.display()
        )
    };
    let projects = doc
        .get("projects")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no `projects` list".into()))?;
    let mut out = Vec::new();
    for (p, project) in projects.iter().enumerate() {
        let list = project
            .get("breakdown")
            .and_then(|b| b.get("resources"))
            .and_then(Value::as_array)
            .ok_or_else(|| bad(format!("projects[{p}].breakdown has no `resources` list")))?;
        for (i, r) in list.iter().enumerate() {
            let at = format!("projects[{p}].breakdown.resources[{i}]");
            let s = |k: &str| r.get(k).and_then(Value::as_str);
            let (Some(name), Some(rtype)) = (s("name"), s("resourceType")) else {
                return Err(bad(format!(
                    "{at} has no `name` and `resourceType` strings"
                )));
            };
            let cost = amount(r.get("monthlyCost")).map_err(|_| {
                bad(format!(
                    "{at}.monthlyCost is neither a decimal string nor null"
                ))
            })?;
            let mut components = Vec::new();
            collect_components(r, "", &mut components);
            let mut m = Map::new();
            m.insert("address".into(), json!(name));
            m.insert("type".into(), json!(rtype));
            m.insert("action".into(), json!("create"));
            m.insert(
                "region".into(),
                r.pointer("/metadata/region")
                    .cloned()
                    .unwrap_or(Value::Null),
            );
            m.insert("monthly_cost".into(), json!(cost.map(fmt2)));
            if cost.is_none() {
                m.insert(
                    "unpriced_reason".into(),
                    json!("no monthly cost in the Infracost base"),
                );
            }
            m.insert("components".into(), Value::Array(components));
            m.insert(
                "tags".into(),
                r.get("tags")
                    .filter(|t| t.is_object())
                    .cloned()
                    .unwrap_or_else(|| json!({})),
            );
            m.insert("gpu".into(), Value::Null);
            out.push(m);
        }
    }
    Ok(out)
}

/// A decimal money string, a JSON number or null.
fn amount(v: Option<&Value>) -> std::result::Result<Option<Decimal>, ()> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => s.parse().map(Some).map_err(|_| ()),
        Some(Value::Number(n)) => crate::money::from_f64(n.as_f64().ok_or(())?)
            .map(Some)
            .ok_or(()),
        Some(_) => Err(()),
    }
}

/// The cost components of a resource and of its subresources (named `sub / component`).
fn collect_components(r: &Value, prefix: &str, out: &mut Vec<Value>) {
    let text = |c: &Value, k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    for c in r
        .get("costComponents")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Ok(Some(q)), Ok(Some(p)), Ok(Some(m))) = (
            amount(c.get("monthlyQuantity")),
            amount(c.get("price")),
            amount(c.get("monthlyCost")),
        ) else {
            continue;
        };
        out.push(json!({
            "name": format!("{prefix}{}", text(c, "name")),
            "unit": text(c, "unit"),
            "quantity": q.normalize().to_string(),
            "unit_price": p.normalize().to_string(),
            "monthly_cost": fmt2(m),
            "price_key": "",
            "price_source": "infracost-base",
        }));
    }
    for sub in r
        .get("subresources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = format!("{prefix}{} / ", text(sub, "name"));
        collect_components(sub, &name, out);
    }
}
