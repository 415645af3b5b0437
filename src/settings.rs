//! Settings read from the environment, each parsed in exactly one place.

use chrono::NaiveDate;

use crate::error::{Code, Result};

/// Name of the config file looked up from PATH upward (read by `policy::config`; projects and
/// `--base-ref` look for it too).
pub const CONFIG_FILE: &str = "costgate.toml";

/// The variable that fixes "today" for reproducible runs (waiver expiry, catalog staleness,
/// the FOCUS billing period).
pub const TODAY_ENV: &str = "COSTGATE_TODAY";

/// Today's date (local clock), or `COSTGATE_TODAY=YYYY-MM-DD`.
pub fn today() -> Result<NaiveDate> {
    match std::env::var(TODAY_ENV) {
        Ok(s) => parse_today(&s),
        Err(_) => Ok(chrono::Local::now().date_naive()),
    }
}

fn parse_today(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|e| {
        miette::miette!(
            code = Code::Cli,
            "{TODAY_ENV} `{s}` is not a YYYY-MM-DD date: {e}"
        )
    })
}

/// What showback groups costs by (`--group-by`, `[showback] group_by`); the grouping itself
/// is `report::showback`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupBy {
    Tag(String),
    Type,
    Module,
    Region,
}

impl std::str::FromStr for GroupBy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "type" => Ok(GroupBy::Type),
            "module" => Ok(GroupBy::Module),
            "region" => Ok(GroupBy::Region),
            t => match t.strip_prefix("tag:").map(str::trim) {
                Some(k) if !k.is_empty() => Ok(GroupBy::Tag(k.to_string())),
                _ => Err(format!(
                    "cannot group by `{s}`: expected tag:KEY, type, module or region"
                )),
            },
        }
    }
}

impl std::fmt::Display for GroupBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GroupBy::Tag(k) => write!(f, "tag:{k}"),
            GroupBy::Type => f.write_str("type"),
            GroupBy::Module => f.write_str("module"),
            GroupBy::Region => f.write_str("region"),
        }
    }
}

/// Terraform's `TF_WORKSPACE`: the workspace HCL mode evaluates `terraform.workspace` as
/// (a `[[projects]] workspace` overrides it). Empty means unset.
pub fn tf_workspace() -> Option<String> {
    std::env::var("TF_WORKSPACE")
        .ok()
        .map(|w| w.trim().to_string())
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_accepts_only_iso_dates() {
        assert_eq!(
            parse_today(" 2026-11-26 ").unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
        );
        let e = parse_today("26/11/2026").unwrap_err();
        assert!(e.to_string().contains("COSTGATE_TODAY `26/11/2026`"), "{e}");
        assert_eq!(e.code().unwrap().to_string(), "costgate::cli");
    }
}
