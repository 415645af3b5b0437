//! Types that cost nothing by themselves (IAM, networking glue, configuration objects) or whose
//! cost is counted on another resource. The lists are data, in `free_types.toml` beside this
//! file (embedded at build time). Anything neither there nor in a family is reported as
//! unpriced ("not supported"), never as $0.
//!
//! Prefixes are only used for families whose every member is free; a prefix that would also
//! catch a billed type lists that type under `[not_free]` (or is replaced by exact names), so
//! a billed type is reported unpriced with its reason instead of free.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// The free-type lists (`free_types.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreeTypes {
    /// Exact type → why it is free.
    pub free: BTreeMap<String, String>,
    /// Type prefix → why every type under it is free.
    pub prefixes: BTreeMap<String, String>,
    /// Billed types under a free prefix that are not priced yet → why they are unpriced.
    pub not_free: BTreeMap<String, String>,
}

/// The embedded lists, parsed once.
pub fn lists() -> &'static FreeTypes {
    static LISTS: OnceLock<FreeTypes> = OnceLock::new();
    LISTS.get_or_init(|| {
        toml::from_str(include_str!("free_types.toml")).expect("free_types.toml is valid")
    })
}

/// Why a type is known to cost money although a free prefix would match it.
pub fn not_free_reason(rtype: &str) -> Option<&'static str> {
    lists().not_free.get(rtype).map(String::as_str)
}

/// Why a type is free, or `None` when it is not known to be free.
pub fn reason(rtype: &str) -> Option<&'static str> {
    if not_free_reason(rtype).is_some() {
        return None;
    }
    let l = lists();
    l.free
        .get(rtype)
        .or_else(|| {
            l.prefixes
                .iter()
                .find(|(p, _)| rtype.starts_with(p.as_str()))
                .map(|(_, r)| r)
        })
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_lists_parse_and_do_not_overlap() {
        let l = super::lists();
        assert!(!l.free.is_empty() && !l.prefixes.is_empty());
        for t in l.not_free.keys() {
            assert!(!l.free.contains_key(t), "{t} is both free and not free");
        }
        for a in l.prefixes.keys() {
            for b in l.prefixes.keys() {
                assert!(
                    a == b || !b.starts_with(a.as_str()),
                    "prefix {a} covers {b}"
                );
            }
        }
    }

    #[test]
    fn free_and_unknown() {
        assert!(super::reason("aws_iam_role").is_some());
        assert!(super::reason("aws_s3_bucket").is_none());
        assert!(super::reason("aws_rds_cluster").is_none());
    }

    #[test]
    fn billed_types_are_never_free() {
        // Under a free prefix but billed: not free, and the reason says why.
        for t in [
            "aws_s3_bucket_metric",
            "aws_s3_bucket_replication_configuration",
            "databricks_sql_endpoint",
            "databricks_model_serving",
        ] {
            assert!(super::reason(t).is_none(), "{t} must not be free");
            assert!(super::not_free_reason(t).is_some(), "{t} needs a reason");
        }
        // Prefixes narrowed to exact names: their billed neighbours fall out.
        for t in [
            "aws_route53_zone",
            "aws_route53_resolver_endpoint",
            "azurerm_virtual_network_gateway",
            "databricks_job",
            "databricks_mws_workspaces",
        ] {
            assert!(super::reason(t).is_none(), "{t} must not be free");
        }
        for t in [
            "aws_route_table",
            "aws_s3_bucket_policy",
            "azurerm_virtual_network",
            "databricks_notebook",
            "databricks_secret_scope",
        ] {
            assert!(super::reason(t).is_some(), "{t} is free");
        }
    }

    #[test]
    fn priced_families_are_not_listed_free() {
        // These are priced by families now; the free list must not claim them.
        for t in [
            "aws_eks_cluster",
            "aws_eip",
            "aws_cloudwatch_metric_alarm",
            "aws_cloudwatch_log_group",
            "aws_ssm_parameter",
            "google_container_cluster",
        ] {
            assert!(super::reason(t).is_none(), "{t} listed as free");
            assert!(
                matches!(
                    crate::resources::handling(t),
                    Some(crate::resources::Handling::Priced(_))
                ),
                "{t} should be priced"
            );
        }
    }
}
