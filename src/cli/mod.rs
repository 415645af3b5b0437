//! Command-line interface (clap derive): the one settings boundary. Every clap type lives
//! under src/cli/; the library modules take plain values and never import this module.
//! Names here are the contract users and tests rely on.

pub(crate) mod commands;
pub mod github;
pub mod output;
pub mod pricing;
pub mod shell;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::showback::GroupBy;
use crate::report::{CheckFormat, EstimateFormat, ExplainFormat};

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
#[command(next_help_heading = "Global options")]
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
    /// HCL mode reads files (file(), templatefile(), modules, symlinked .tf) only inside the
    /// project root (PATH, or the git repository containing it); this widens it; repeatable.
    #[arg(long = "allow-path", global = true, value_name = "DIR")]
    pub allow_paths: Vec<PathBuf>,
    /// Most module and resource instances HCL mode creates before it stops with an error
    /// (default 200000).
    #[arg(long, global = true, value_name = "N")]
    pub max_instances: Option<usize>,
    /// Deadline of one policy evaluation, in seconds (a policy that runs longer is stopped
    /// with an error, exit 2).
    #[arg(
        long,
        global = true,
        value_name = "SECONDS",
        env = "COSTGATE_POLICY_TIMEOUT"
    )]
    pub policy_timeout: Option<u64>,
    /// Disable colours.
    #[arg(long, global = true)]
    pub no_color: bool,
    /// HCL mode: use only modules already in the module cache (or `.terraform/modules`);
    /// fetch nothing.
    #[arg(long, global = true)]
    pub offline: bool,
    /// Print less.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// The organisation's price book (TOML: discounts, negotiated rates, commitments,
    /// currency); default: `[price_book]` in the config (see docs/price-book.md).
    #[arg(long, global = true, value_name = "FILE")]
    pub price_book: Option<PathBuf>,
    /// Where `[price_book]` is read without `--price-book` (set from `check`'s config flags).
    #[arg(skip)]
    pub book_config: crate::policy::price_book::BookConfig,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Estimate monthly cost of a plan JSON file or a directory of .tf files.
    Estimate(EstimateArgs),
    /// Show how one resource's cost is computed: attributes, catalog entries, usage.
    Explain(ExplainArgs),
    /// Price catalog maintenance: refresh from the public price APIs, show, verify.
    Pricing(pricing::PricingArgs),
    /// Estimate, then evaluate the policies: exit 1 on a denial (see --fail-on).
    Check(CheckArgs),
    /// Policy tooling: run Rego tests, print the input document.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Post the report as one sticky pull-request comment.
    #[command(subcommand)]
    Comment(github::CommentCommand),
    /// Re-render a saved JSON report (`estimate|check --format json`) in another format.
    Output(output::OutputArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(shell::CompletionsArgs),
    /// Print the man page as roff (`costgate man check`), or write all pages with `--out DIR`.
    Man(shell::ManArgs),
}

/// Where policies, their data and configuration come from.
#[derive(Debug, Args, Clone, Default)]
pub struct PolicyArgs {
    /// Directory (or file) of extra Rego policies, added to the built-ins; repeatable.
    #[arg(long = "policy", value_name = "DIR")]
    pub policy_dirs: Vec<PathBuf>,
    /// JSON, YAML or TOML data (a file, or a folder of them) merged into `input.config` (and
    /// its `waivers`), and seen by policies as `data.<key>`; repeatable.
    #[arg(long = "data", value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Configuration file (default: `costgate.toml` found upward from PATH).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Use no configuration file: built-in defaults and `--data` only, no `costgate.toml`
    /// looked up from PATH (so a file a pull request adds cannot change the rules).
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// The files checked come from an untrusted pull request: `# costgate:ignore` comments
    /// count only when the config sets `inline_waivers = true` (the action passes this with
    /// `policy-ref`).
    #[arg(long)]
    pub no_inline_waivers: bool,
    /// A policy rule that hits a runtime error (a builtin that fails, e.g. `sprintf("%d",
    /// [1.5])`) is an error (exit 2) instead of a warning: its findings may be missing.
    #[arg(long)]
    pub strict: bool,
}

/// conftest's flags: which packages' rules count, and which Rego syntax the files use.
#[derive(Debug, Args, Clone, Default)]
pub struct ConftestArgs {
    /// Package (namespace) whose `deny`/`violation`/`warn` rules count, as in conftest;
    /// repeatable, globs allowed (`*` matches dots too). Default `main`. costgate's own
    /// `costgate.*` packages always run.
    #[arg(long = "namespace", short = 'n', value_name = "NS")]
    pub namespaces: Vec<String>,
    /// Evaluate the rules of every package (conftest's `--all-namespaces`).
    #[arg(long, conflicts_with = "namespaces")]
    pub all_namespaces: bool,
    /// Rego syntax of the policy files: `v1` (refuse v0 files), `v0` (every file is v0, as
    /// OPA's v0 mode). Default: each file as it is written (v0 syntax detected per file).
    #[arg(long, value_enum, value_name = "VERSION")]
    pub rego_version: Option<RegoVersion>,
}

/// `--rego-version` (the library's [`crate::policy::RegoVersion`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RegoVersion {
    V0,
    V1,
}

impl From<RegoVersion> for crate::policy::RegoVersion {
    fn from(v: RegoVersion) -> Self {
        match v {
            RegoVersion::V0 => crate::policy::RegoVersion::V0,
            RegoVersion::V1 => crate::policy::RegoVersion::V1,
        }
    }
}

/// What the change is measured against when there is no plan (see `compare`).
#[derive(Debug, Args, Clone, Default)]
pub struct CompareArgs {
    /// Price the difference from BASE: a JSON report of an earlier `estimate`/`check`
    /// (`--format json`), a plan JSON, or a directory of .tf files. Resources are matched by
    /// address (and `moved` blocks); each gets create, update, replace, delete or no-op.
    #[arg(long, value_name = "BASE", conflicts_with = "base_ref")]
    pub compare_to: Option<PathBuf>,
    /// Price the difference from the same directory at this git ref (HCL mode on both sides);
    /// config, policies, data and usage files of the repository are read from REF too.
    /// `--base-ref HEAD`: what the uncommitted change costs.
    #[arg(long, value_name = "REF")]
    pub base_ref: Option<String>,
    /// With --base-ref: the root of the git checkout (the directory holding `.git`), so the
    /// repository is never discovered inside the working tree. Default: the first directory
    /// upward from PATH with a `.git`. A repository between PATH and the root is refused.
    #[arg(long, value_name = "DIR", env = "COSTGATE_REPO_ROOT")]
    pub repo_root: Option<PathBuf>,
}

/// When `check` exits 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Deny,
    Warn,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Plan JSON or a directory of .tf files.
    pub path: PathBuf,
    #[command(flatten)]
    pub policy: PolicyArgs,
    #[command(flatten)]
    pub conftest: ConftestArgs,
    #[command(flatten)]
    pub compare: CompareArgs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
    /// Exit 1 on a denial (default), on a denial or warning, or never.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Add cost per group (tag:KEY, type, module or region) to the text, JSON and Markdown
    /// reports (overrides `[report] group_by` of the config).
    #[arg(long, value_name = "KEY")]
    pub group_by: Option<GroupBy>,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Run the `test_*` rules of policy directories (the built-ins' tests when none given).
    Test(PolicyTestArgs),
    /// Print the exact JSON input document the policies see.
    Input(PolicyInputArgs),
}

#[derive(Debug, Args)]
pub struct PolicyTestArgs {
    /// Directories or .rego files.
    pub dirs: Vec<PathBuf>,
    /// Report line coverage of the policy files.
    #[arg(long)]
    pub coverage: bool,
    /// `--data FILE` documents (or folders of them) the tests see as `data.<key>` (JSON, YAML
    /// or TOML); repeatable.
    #[arg(long = "data", value_name = "FILE")]
    pub data: Vec<PathBuf>,
    #[command(flatten)]
    pub conftest: ConftestArgs,
}

#[derive(Debug, Args)]
pub struct PolicyInputArgs {
    pub path: PathBuf,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Include every raw plan field (`resource_changes`, `configuration`, `planned_values`,
    /// ...), not only those the loaded `--policy` files read.
    #[arg(long)]
    pub plan_fields: bool,
}

#[derive(Debug, Args)]
pub struct EstimateArgs {
    /// Plan JSON (`terraform show -json plan.tfplan`) or a directory of .tf files.
    pub path: PathBuf,
    #[command(flatten)]
    pub compare: CompareArgs,
    #[arg(long, value_enum, default_value = "table")]
    pub format: EstimateFormat,
    /// Add cost per group: tag:KEY, type, module or region (table, JSON and Markdown).
    #[arg(long, value_name = "KEY")]
    pub group_by: Option<GroupBy>,
    /// Forecast month of the FOCUS formats, YYYY-MM (default: next month).
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Plan JSON or a directory of .tf files.
    pub path: PathBuf,
    /// Resource address, e.g. `aws_instance.trainer` or `module.gpu[0].aws_instance.node`.
    pub address: String,
    #[command(flatten)]
    pub compare: CompareArgs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExplainFormat,
}
