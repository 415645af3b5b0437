//! Findings: what policies say about resources. Produced by the policy engine, rendered by
//! every report format (text, json, sarif, github, markdown, html).

use serde::Serialize;

use crate::estimate::Estimate;
use crate::project::SourceLocation;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Advice (e.g. savings): reported, never fails `check`.
    Info,
    Warn,
    Deny,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Deny => "deny",
        }
    }
}

/// One policy result about one resource (or about the whole plan: address empty).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    /// Policy id, e.g. `required-tags`, `gpu-quota`, `idle-autopause`, `budget`.
    pub policy: String,
    pub severity: Severity,
    pub address: String,
    pub message: String,
    pub source: Option<SourceLocation>,
    /// For a resource in a module: the root module's `module` block that calls it (where the
    /// values it is given are written).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_site: Option<SourceLocation>,
    /// A waiver (config or inline comment) covers this finding.
    pub waived: bool,
    /// The waiver's reason, or why a waiver no longer applies (expired).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver_note: Option<String>,
    /// Monthly saving the finding advises (USD, two decimals), from a result's
    /// `monthly_saving_cents`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_saving: Option<String>,
}

/// What a policy is, for reports (SARIF rules, Markdown headings, help text).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PolicyMeta {
    pub id: String,
    pub title: String,
    /// Default severity.
    pub severity: Severity,
    pub help: String,
    /// Where the policy came from (`builtin` or a file path).
    pub origin: String,
}

/// Everything `check` produced: the estimate, the findings and the policies that ran.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub estimate: Estimate,
    pub findings: Vec<Finding>,
    pub policies: Vec<PolicyMeta>,
    pub warnings: Vec<String>,
}

impl CheckReport {
    /// Findings that count (not waived) at `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| !f.waived && f.severity == severity)
            .count()
    }
}
