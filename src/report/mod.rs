//! Renderers: one module per output format. They read an [`Estimate`] (and, for `check`,
//! findings) and never change them.

pub mod json;
pub mod table;
pub mod text;

use clap::ValueEnum;

/// Output formats of `estimate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EstimateFormat {
    Table,
    Json,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}
