//! Infracost's YAML usage file (`version: 0.1`, `resource_usage`,
//! `resource_type_default_usage`), read as a costgate usage file: the keys costgate knows are
//! mapped (`monthly_hrs` → `monthly_hours`, S3 storage classes → their `*_storage_gb` keys),
//! the others are reported, never silently dropped.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::money::Decimal;

/// Does this text look like an Infracost usage file?
pub fn looks_like(path: &Path, text: &str) -> bool {
    let yaml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"));
    yaml || text.contains("resource_usage:") || text.contains("resource_type_default_usage:")
}

/// Infracost key → costgate key, for flat keys.
const FLAT: &[(&str, &str)] = &[
    ("monthly_hrs", "monthly_hours"),
    ("monthly_hours", "monthly_hours"),
    ("storage_gb", "storage_gb"),
    ("monthly_requests", "monthly_requests"),
    ("monthly_data_processed_gb", "data_processed_gb"),
    ("monthly_outbound_data_transfer_gb", "egress_gb"),
    ("monthly_egress_data_transfer_gb", "egress_gb"),
    ("monthly_ingested_gb", "ingested_gb"),
];

/// Infracost's nested S3 storage classes: (class, key) → costgate key.
const NESTED: &[(&str, &str, &str)] = &[
    ("standard", "storage_gb", "storage_gb"),
    ("standard", "monthly_tier_1_requests", "tier1_requests"),
    ("standard", "monthly_tier_2_requests", "tier2_requests"),
    (
        "standard_infrequent_access",
        "storage_gb",
        "standard_ia_storage_gb",
    ),
    (
        "one_zone_infrequent_access",
        "storage_gb",
        "one_zone_ia_storage_gb",
    ),
    (
        "intelligent_tiering",
        "frequent_access_storage_gb",
        "intelligent_tiering_storage_gb",
    ),
    (
        "glacier_flexible_retrieval",
        "storage_gb",
        "glacier_storage_gb",
    ),
    ("glacier", "storage_gb", "glacier_storage_gb"),
    (
        "glacier_instant_retrieval",
        "storage_gb",
        "glacier_ir_storage_gb",
    ),
    (
        "glacier_deep_archive",
        "storage_gb",
        "deep_archive_storage_gb",
    ),
];

/// (defaults per type, per-address values, what was not mapped).
pub type Converted = (
    BTreeMap<String, BTreeMap<String, Decimal>>,
    BTreeMap<String, BTreeMap<String, Decimal>>,
    Vec<String>,
);

/// Convert a parsed Infracost usage document.
pub fn convert(doc: &Value) -> Result<Converted, String> {
    let Value::Object(top) = doc else {
        return Err(
            "expected a mapping with version, resource_usage, resource_type_default_usage".into(),
        );
    };
    match top.get("version") {
        Some(v) if v.as_f64() == Some(0.1) || v.as_str() == Some("0.1") => {}
        Some(v) => {
            return Err(format!(
                "Infracost usage file version {v}: only 0.1 is known"
            ))
        }
        None => return Err("an Infracost usage file needs `version: 0.1`".into()),
    }
    let mut unknown = Vec::new();
    for k in top.keys() {
        if !matches!(
            k.as_str(),
            "version" | "resource_usage" | "resource_type_default_usage"
        ) {
            unknown.push(k.clone());
        }
    }
    let defaults = section(top.get("resource_type_default_usage"), &mut unknown)?;
    let resources = section(top.get("resource_usage"), &mut unknown)?;
    Ok((defaults, resources, unknown))
}

fn section(
    v: Option<&Value>,
    unknown: &mut Vec<String>,
) -> Result<BTreeMap<String, BTreeMap<String, Decimal>>, String> {
    let mut out = BTreeMap::new();
    let Some(v) = v else { return Ok(out) };
    let Value::Object(m) = v else {
        return Err("resource_usage / resource_type_default_usage must be mappings".into());
    };
    for (name, keys) in m {
        let mut vals = BTreeMap::new();
        let Value::Object(keys) = keys else {
            unknown.push(name.clone());
            continue;
        };
        for (k, x) in keys {
            match x {
                Value::Object(inner) => {
                    for (ik, iv) in inner {
                        let to = NESTED
                            .iter()
                            .find(|(c, f, _)| c == k && f == ik)
                            .map(|(_, _, t)| *t);
                        match (to, number(iv)) {
                            (Some(t), Some(n)) => {
                                vals.insert(t.to_string(), n);
                            }
                            _ => unknown.push(format!("{name}.{k}.{ik}")),
                        }
                    }
                }
                _ => {
                    let to = FLAT.iter().find(|(f, _)| f == k).map(|(_, t)| *t);
                    match (to, number(x)) {
                        (Some(t), Some(n)) => {
                            vals.insert(t.to_string(), n);
                        }
                        _ => unknown.push(format!("{name}.{k}")),
                    }
                }
            }
        }
        if !vals.is_empty() {
            out.insert(name.clone(), vals);
        }
    }
    Ok(out)
}

fn number(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => n.to_string().parse().ok(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_known_keys_and_reports_the_rest() {
        let doc: Value = yaml_serde::from_str(
            "version: 0.1\nresource_type_default_usage:\n  aws_instance:\n    monthly_hrs: 200\n    operating_system: linux\nresource_usage:\n  aws_s3_bucket.data:\n    standard:\n      storage_gb: 1000\n      monthly_tier_1_requests: 50000\n    glacier_deep_archive:\n      storage_gb: 9000\n  aws_lambda_function.f:\n    monthly_requests: 1000000\n    request_duration_ms: 300\n",
        )
        .unwrap();
        let (d, r, unknown) = convert(&doc).unwrap();
        assert_eq!(d["aws_instance"]["monthly_hours"], Decimal::from(200));
        assert_eq!(r["aws_s3_bucket.data"]["storage_gb"], Decimal::from(1000));
        assert_eq!(
            r["aws_s3_bucket.data"]["tier1_requests"],
            Decimal::from(50000)
        );
        assert_eq!(
            r["aws_s3_bucket.data"]["deep_archive_storage_gb"],
            Decimal::from(9000)
        );
        assert_eq!(
            r["aws_lambda_function.f"]["monthly_requests"],
            Decimal::from(1000000)
        );
        assert_eq!(
            unknown,
            vec![
                "aws_instance.operating_system",
                "aws_lambda_function.f.request_duration_ms"
            ]
        );
        let bad: Value = yaml_serde::from_str("version: 0.2\n").unwrap();
        assert!(convert(&bad).unwrap_err().contains("only 0.1"));
    }
}
