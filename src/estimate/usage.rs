//! The usage file: quantities Terraform cannot know (hours a resource runs, GB stored, GB sent
//! out, requests), per resource address (with `*` wildcards for count/for_each instances) and per
//! resource type.
//!
//! ```toml
//! version = 1
//! spot_discount = 0.6            # assumed spot discount when the catalog has no spot price
//!
//! [defaults.aws_s3_bucket]        # every bucket
//! storage_gb = 500
//!
//! [resources."aws_s3_bucket.training"]
//! storage_gb = 200000
//! tier1_requests = 1000000
//!
//! [resources."module.gpu[*].aws_instance.node"]
//! monthly_hours = 200
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{read_file, FileError, Result};
use crate::money::Decimal;

/// Default spot discount: the low end of the 60–70 % planning range for GPU spot capacity.
pub const DEFAULT_SPOT_DISCOUNT: Decimal = Decimal::from_parts(6, 0, 0, false, 1);

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Usage {
    #[serde(default)]
    pub version: Option<u32>,
    #[serde(default)]
    spot_discount: Option<Decimal>,
    #[serde(default)]
    defaults: BTreeMap<String, BTreeMap<String, Decimal>>,
    #[serde(default)]
    resources: BTreeMap<String, BTreeMap<String, Decimal>>,
    /// What reading the file noticed (Infracost keys costgate does not know), for the report.
    #[serde(skip)]
    pub notes: Vec<String>,
}

impl Usage {
    pub fn load(path: &Path) -> Result<Usage> {
        let text = read_file(path)?;
        Self::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Usage> {
        if super::infracost_usage::looks_like(path, text) {
            return Self::parse_infracost(path, text);
        }
        let u: Usage = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            let line = crate::error::line_of(text, offset);
            let col = offset
                - text[..offset.min(text.len())]
                    .rfind('\n')
                    .map(|p| p + 1)
                    .unwrap_or(0)
                + 1;
            FileError::at_line_col(
                path,
                text,
                line,
                col,
                format!("{} is not a valid usage file", path.display()),
                e.message().to_string(),
            )
            .with_help("see docs/usage.md for the usage file format")
            .with_code(crate::error::Code::UsageParse)
        })?;
        if let Some(d) = u.spot_discount {
            if d < Decimal::ZERO || d >= Decimal::ONE {
                return Err(miette::miette!(
                    code = crate::error::Code::UsageInvalid,
                    "{}: spot_discount must be in [0, 1), got {d}",
                    path.display()
                ));
            }
        }
        Ok(u)
    }

    /// An Infracost usage file (YAML, `version: 0.1`): known keys mapped, the others noted.
    fn parse_infracost(path: &Path, text: &str) -> Result<Usage> {
        crate::error::check_nesting(path, text).map_err(|e| miette::Report::new(*e))?;
        let doc: serde_json::Value = yaml_serde::from_str(text).map_err(|e| {
            let (line, col) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((1, 1));
            FileError::at_line_col(
                path,
                text,
                line,
                col,
                format!("{} is not valid YAML", path.display()),
                e.to_string(),
            )
            .with_code(crate::error::Code::UsageParse)
        })?;
        let (defaults, resources, unknown) =
            super::infracost_usage::convert(&doc).map_err(|e| {
                miette::miette!(
                    code = crate::error::Code::UsageParse,
                    help = "costgate reads its own TOML usage file (docs/usage.md) or Infracost's YAML (version 0.1)",
                    "{}: {e}",
                    path.display()
                )
            })?;
        let mut notes = Vec::new();
        if !unknown.is_empty() {
            let shown: Vec<&str> = unknown.iter().take(10).map(String::as_str).collect();
            notes.push(format!(
                "{}: Infracost usage keys costgate does not use, ignored: {}{}",
                path.display(),
                shown.join(", "),
                if unknown.len() > 10 {
                    format!(" and {} more", unknown.len() - 10)
                } else {
                    String::new()
                }
            ));
        }
        Ok(Usage {
            version: None,
            spot_discount: None,
            defaults,
            resources,
            notes,
        })
    }

    /// Value of `key` for the resource: exact address, then the most specific wildcard pattern,
    /// then the type's defaults.
    pub fn get(&self, address: &str, rtype: &str, key: &str) -> Option<Decimal> {
        self.find(address, rtype, key).map(|(v, _)| v)
    }

    /// Like [`Usage::get`], also saying which entry of the file gave the value
    /// (`resources."aws_instance.x"`, `resources."module.m[*].aws_x.y"`, `defaults.aws_x`).
    pub fn lookup(&self, address: &str, rtype: &str, key: &str) -> Option<(Decimal, String)> {
        self.find(address, rtype, key).map(|(v, from)| {
            let origin = match from {
                Some(pattern) => format!("resources.\"{pattern}\""),
                None => format!("defaults.{rtype}"),
            };
            (v, origin)
        })
    }

    /// The value and the `resources` key that gave it (`None`: the type's defaults).
    fn find<'s>(
        &'s self,
        address: &str,
        rtype: &str,
        key: &str,
    ) -> Option<(Decimal, Option<&'s str>)> {
        if let Some((pat, m)) = self.resources.get_key_value(address) {
            if let Some(v) = m.get(key) {
                return Some((*v, Some(pat.as_str())));
            }
        }
        let best = self
            .resources
            .iter()
            .filter(|(pat, m)| {
                pat.contains('*') && m.contains_key(key) && wildcard_match(pat, address)
            })
            .max_by_key(|(pat, _)| pat.len());
        if let Some((pat, m)) = best {
            return m.get(key).map(|v| (*v, Some(pat.as_str())));
        }
        self.defaults
            .get(rtype)
            .and_then(|m| m.get(key))
            .map(|v| (*v, None))
    }

    /// Merge a monorepo project's usage file: its `resources` entries apply to the project's
    /// addresses (`name:` + key). Defaults and `spot_discount` are run-wide (`--usage`).
    pub fn add_project(&mut self, name: &str, other: Usage, file: &Path) -> Result<()> {
        if !other.defaults.is_empty() || other.spot_discount.is_some() {
            return Err(miette::miette!(
                code = crate::error::Code::UsageInvalid,
                help = "put [defaults] and spot_discount in the --usage file of the run",
                "{}: a project's usage file (project `{name}`) may only have [resources] entries",
                file.display()
            ));
        }
        for (k, v) in other.resources {
            self.resources.insert(format!("{name}:{k}"), v);
        }
        Ok(())
    }

    pub fn spot_discount(&self) -> Decimal {
        self.spot_discount.unwrap_or(DEFAULT_SPOT_DISCOUNT)
    }

    /// Does the usage file set the spot discount (top level or for this resource)?
    pub fn spot_discount_given(&self, address: &str, rtype: &str) -> bool {
        self.spot_discount.is_some() || self.get(address, rtype, "spot_discount").is_some()
    }
}

/// `*` matches any run of characters.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut pos = 0;
    for (i, p) in parts.iter().enumerate() {
        if i == 0 {
            if !text.starts_with(p) {
                return false;
            }
            pos = p.len();
        } else if i == parts.len() - 1 {
            return text.len() >= pos + p.len() && text[pos..].ends_with(p);
        } else {
            match text[pos..].find(p) {
                Some(f) => pos += f + p.len(),
                None => return false,
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        let u = Usage::parse(
            Path::new("u.toml"),
            r#"
version = 1
[defaults.aws_s3_bucket]
storage_gb = 10
[resources."aws_s3_bucket.b"]
storage_gb = 99
[resources."aws_instance.w[*]"]
monthly_hours = 100
"#,
        )
        .unwrap();
        assert_eq!(
            u.get("aws_s3_bucket.b", "aws_s3_bucket", "storage_gb"),
            Some(Decimal::from(99))
        );
        assert_eq!(
            u.get("aws_s3_bucket.c", "aws_s3_bucket", "storage_gb"),
            Some(Decimal::from(10))
        );
        assert_eq!(
            u.get("aws_instance.w[3]", "aws_instance", "monthly_hours"),
            Some(Decimal::from(100))
        );
        assert_eq!(
            u.get("aws_instance.x", "aws_instance", "monthly_hours"),
            None
        );
        let origin = |a: &str, t: &str, k: &str| u.lookup(a, t, k).map(|(_, o)| o);
        assert_eq!(
            origin("aws_instance.w[3]", "aws_instance", "monthly_hours").as_deref(),
            Some("resources.\"aws_instance.w[*]\"")
        );
        assert_eq!(
            origin("aws_s3_bucket.c", "aws_s3_bucket", "storage_gb").as_deref(),
            Some("defaults.aws_s3_bucket")
        );
        assert!(wildcard_match(
            "module.m[*].aws_x.y",
            "module.m[\"a\"].aws_x.y"
        ));
        assert!(!wildcard_match("a*c", "abd"));
    }

    #[test]
    fn bad_usage_file_is_located() {
        let e = Usage::parse(
            Path::new("u.toml"),
            "version = 1\n[resources.\"x\"]\nstorage_gb = \"lots\"\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("not a valid usage file"));
    }
}
