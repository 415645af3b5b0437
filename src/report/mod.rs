//! Renderers: one module per output format. They read an [`Estimate`](crate::estimate::Estimate) (and, for `check`,
//! findings) and never change them.

/// One line of human text (`writeln!` with control characters in the formatted text made
/// visible, see [`escape::control`]; leading newlines of the format stay blank lines).
macro_rules! hline {
    ($out:expr, $($arg:tt)*) => {
        {
            use $crate::report::escape::HumanWrite as _;
            $out.push_line(format_args!($($arg)*))
        }
    };
}

pub mod book;
pub mod escape;
pub mod explain;
pub mod focus;
pub mod github;
pub mod html;
pub mod infracost;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod saved;
pub mod showback;
pub mod table;
pub mod text;
pub mod view;

use clap::ValueEnum;

/// Output formats of `estimate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EstimateFormat {
    Table,
    Json,
    Markdown,
    Html,
    /// FinOps FOCUS 1.x cost rows as CSV (one row per cost component, forecast month).
    Focus,
    /// The same FOCUS rows as a JSON array.
    FocusJson,
    /// Infracost's JSON output shape (for tools that read Infracost JSON).
    InfracostJson,
}

/// Output formats of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// GitHub workflow commands (annotations); also appends the Markdown report to
    /// `$GITHUB_STEP_SUMMARY` when set.
    Github,
    /// The pull-request comment.
    Markdown,
    /// A self-contained HTML page.
    Html,
    /// Infracost's JSON output shape (the estimate; findings are not part of it).
    InfracostJson,
}

/// Output formats of `output` (re-rendering a saved JSON report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// The text table (`estimate`'s table; `check`'s text for a check report).
    #[value(alias = "text")]
    Table,
    Json,
    /// The pull-request comment.
    Markdown,
    /// A self-contained HTML page.
    Html,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// GitHub workflow commands; also appends the Markdown to `$GITHUB_STEP_SUMMARY` when set.
    Github,
    /// Infracost's JSON output shape.
    InfracostJson,
}
