//! Facts both inputs derive the same way: effective tags and the region of a resource.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::project::{Attrs, Field, REDACTED};

/// Tags the cloud will apply to the resource, from its attributes and the provider's default
/// tags. Returns the tags and whether they are all known. Sensitive values are redacted.
pub fn effective_tags(
    provider: &str,
    attrs: &Attrs,
    default_tags: &BTreeMap<String, String>,
) -> (BTreeMap<String, String>, bool) {
    let (computed, own): (&[&str], &[&str]) = match provider {
        "aws" => (&["tags_all"], &["tags"]),
        "google" | "google-beta" => (&["terraform_labels"], &["labels", "resource_labels"]),
        "databricks" => (&[], &["custom_tags"]),
        _ => (&[], &["tags"]),
    };
    // The provider's own merge (tags_all / terraform_labels) wins when known.
    for key in computed {
        match attrs.get(key) {
            Field::Known(Value::Object(_)) => {
                let mut t = map_of(attrs, key);
                // Attribution label the google provider adds on its own: not a team's tag.
                t.remove("goog-terraform-provisioned");
                return (t, true);
            }
            Field::Unknown => return (BTreeMap::new(), false),
            _ => {}
        }
    }
    let mut tags = default_tags.clone();
    let mut known = true;
    for key in own {
        match attrs.get(key) {
            Field::Known(Value::Object(_)) => tags.extend(map_of(attrs, key)),
            Field::Unknown => known = false,
            _ => {}
        }
    }
    (tags, known)
}

fn map_of(attrs: &Attrs, key: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Field::Known(Value::Object(m)) = attrs.get(key) {
        for (k, v) in m {
            let path = format!("{key}.{k}");
            let val = if attrs.is_sensitive(&path) {
                REDACTED.to_string()
            } else {
                match v {
                    Value::String(s) => s.clone(),
                    Value::Null => continue,
                    other => other.to_string(),
                }
            };
            out.insert(k.clone(), val);
        }
    }
    out
}

/// Region assumed when neither the resource nor its provider (nor `--region`) says.
pub fn default_region(cloud: &str) -> &'static str {
    match cloud {
        "gcp" => "us-central1",
        "azure" => "eastus",
        _ => "us-east-1",
    }
}

/// The warning shown once per provider when a region had to be assumed.
pub fn assumed_region_warning(provider: &str, why: &str) -> String {
    let cloud = crate::pricing::cloud_of_provider(provider);
    format!(
        "provider {provider}: {why}; prices assume {} (set the provider's region or pass --region)",
        default_region(cloud)
    )
}

/// Region of a resource from its own attributes, else the provider's region.
pub fn resource_region(
    provider: &str,
    attrs: Option<&Attrs>,
    provider_region: Option<&str>,
) -> Option<String> {
    if let Some(a) = attrs {
        match provider {
            "aws" => {
                if let Some(r) = a.str("region") {
                    return Some(r.to_string());
                }
                if let Some(az) = a.str("availability_zone") {
                    return Some(aws_region_of_zone(az));
                }
            }
            "google" | "google-beta" => {
                if let Some(r) = a.str("region") {
                    return Some(basename(r).to_string());
                }
                for key in ["zone", "location"] {
                    if let Some(z) = a.str(key) {
                        return Some(gcp_region_of(basename(z)));
                    }
                }
            }
            "azurerm" | "azapi" => {
                if let Some(l) = a.str("location") {
                    return Some(azure_location(l));
                }
            }
            _ => {}
        }
    }
    provider_region.map(|r| match provider {
        "google" | "google-beta" => gcp_region_of(r),
        "azurerm" | "azapi" => azure_location(r),
        _ => r.to_string(),
    })
}

/// `us-east-1a` → `us-east-1`; local zones (`us-west-2-lax-1a`) keep their parent region.
pub fn aws_region_of_zone(az: &str) -> String {
    let trimmed = az.trim_end_matches(|c: char| c.is_ascii_lowercase());
    let parts: Vec<&str> = trimmed.split('-').collect();
    if parts.len() > 3 {
        parts[..3].join("-")
    } else {
        trimmed.to_string()
    }
}

/// `us-central1-a` → `us-central1`; a region stays itself. The multi-regions `US`, `EU`,
/// `ASIA` become the catalogs' `us-multi`, `europe-multi`, `asia-multi`; predefined
/// dual-regions (`NAM4`, `EUR4`, `ASIA1`) are lower-cased.
pub fn gcp_region_of(z: &str) -> String {
    let parts: Vec<&str> = z.split('-').collect();
    if parts.len() == 3 && parts[2].len() == 1 {
        format!("{}-{}", parts[0], parts[1])
    } else {
        match z.to_ascii_lowercase().as_str() {
            "us" => "us-multi".to_string(),
            "eu" => "europe-multi".to_string(),
            "asia" => "asia-multi".to_string(),
            other => other.to_string(),
        }
    }
}

/// `East US` → `eastus`.
pub fn azure_location(l: &str) -> String {
    l.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Last path segment of a self-link.
pub fn basename(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn regions() {
        assert_eq!(aws_region_of_zone("us-east-1a"), "us-east-1");
        assert_eq!(aws_region_of_zone("us-west-2-lax-1a"), "us-west-2");
        assert_eq!(gcp_region_of("us-central1-a"), "us-central1");
        assert_eq!(gcp_region_of("europe-west4"), "europe-west4");
        assert_eq!(azure_location("East US"), "eastus");
    }

    #[test]
    fn tags_all_wins_and_unknown_is_reported() {
        let a = Attrs::new(json!({"tags": {"a": "1"}, "tags_all": {"a": "1", "team": "x"}}));
        let (t, k) = effective_tags("aws", &a, &BTreeMap::new());
        assert!(k);
        assert_eq!(t.get("team").map(String::as_str), Some("x"));
        let u = Attrs {
            values: json!({}),
            unknown: json!({"tags_all": true}),
            sensitive: json!(false),
        };
        assert!(!effective_tags("aws", &u, &BTreeMap::new()).1);
        let d = BTreeMap::from([("env".to_string(), "dev".to_string())]);
        let o = Attrs::new(json!({"tags": {"owner": "me"}}));
        let (t, _) = effective_tags("azurerm", &o, &d);
        assert_eq!(t.len(), 2);
    }
}
