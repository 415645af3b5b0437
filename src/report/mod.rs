//! Renderers: one module per output format. They read an [`Estimate`] (and, for `check`,
//! findings) and never change them.

pub mod github;
pub mod html;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod table;
pub mod view;

use clap::ValueEnum;

/// Output formats of `estimate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EstimateFormat {
    Table,
    Json,
    Markdown,
    Html,
}
