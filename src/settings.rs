//! Settings read from the environment, each parsed in exactly one place.

use chrono::NaiveDate;

use crate::error::{Code, Result};

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
