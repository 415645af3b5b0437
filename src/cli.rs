//! Command-line interface (clap derive). Names here are the contract users and tests rely on.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::EstimateFormat;

#[derive(Debug, Parser)]
#[command(
    name = "costgate",
    version,
    about = "Cost guardrails for Terraform/OpenTofu: estimate GPU, storage and egress cost and enforce Rego policies before merge"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone, Default)]
pub struct Global {
    /// Usage file (TOML) with hours, storage GB, egress GB and request counts.
    #[arg(long, global = true, value_name = "FILE")]
    pub usage: Option<PathBuf>,
    /// Set a Terraform variable (HCL mode), `name=value`; repeatable.
    #[arg(long = "var", global = true, value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Load Terraform variables from a .tfvars file (HCL mode); repeatable.
    #[arg(long = "var-file", global = true, value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Region to assume when the configuration does not name one.
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// Read price catalogs from this folder instead of the embedded ones.
    #[arg(long, global = true, env = "COSTGATE_PRICING_DIR", value_name = "DIR")]
    pub pricing_dir: Option<PathBuf>,
    /// The .tf files a plan was made from (for file:line in plan mode).
    #[arg(long, global = true, value_name = "DIR")]
    pub source: Option<PathBuf>,
    /// Disable colours.
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Print less.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Estimate monthly cost of a plan JSON file or a directory of .tf files.
    Estimate(EstimateArgs),
    /// Post the report as one sticky pull-request comment.
    #[command(subcommand)]
    Comment(crate::github::CommentCommand),
}

#[derive(Debug, Args)]
pub struct EstimateArgs {
    /// Plan JSON (`terraform show -json plan.tfplan`) or a directory of .tf files.
    pub path: PathBuf,
    #[arg(long, value_enum, default_value = "table")]
    pub format: EstimateFormat,
}
