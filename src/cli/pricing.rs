//! `costgate pricing refresh|show|verify`: arguments and dispatch.
//!
//! `--region` and `--pricing-dir` are the global flags: `refresh` reads `--region` as a
//! comma-separated list (`--region us-east-1,us-west-2`), `show` as a filter, and `show`/
//! `verify` read the catalogs from `--pricing-dir` (else the embedded ones).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};

use super::Global;
use crate::error::Result;
use crate::pricing::{refresh, show, verify, Catalogs};

#[derive(Debug, Args)]
pub struct PricingArgs {
    #[command(subcommand)]
    pub command: PricingCommand,
}

#[derive(Debug, Subcommand)]
pub enum PricingCommand {
    /// Rebuild a cloud's price catalog from its public price API (written atomically).
    Refresh(RefreshArgs),
    /// Rebuild the catalogs from a folder of public price tables (CSV; see pricing/README.md).
    Import(ImportArgs),
    /// Print the prices in use (key, region, unit, price, source, as_of).
    Show(ShowArgs),
    /// Check the catalogs: schema, provenance, prices > 0, GPU types, staleness.
    Verify(VerifyArgs),
    /// The organisation's price book (docs/price-book.md).
    #[command(subcommand)]
    Book(BookCommand),
}

#[derive(Debug, Subcommand)]
pub enum BookCommand {
    /// Print `[[commitments]]` for the price book from a FOCUS 1.3 cost-and-usage export
    /// (rows with a CommitmentDiscountId), to review and paste into the book.
    Import(BookImportArgs),
}

#[derive(Debug, Args)]
pub struct BookImportArgs {
    /// The FOCUS export (CSV).
    #[arg(value_name = "FOCUS_CSV")]
    pub file: PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CloudArg {
    Aws,
    Azure,
    Gcp,
}

impl CloudArg {
    fn name(self) -> &'static str {
        match self {
            CloudArg::Aws => "aws",
            CloudArg::Azure => "azure",
            CloudArg::Gcp => "gcp",
        }
    }
}

#[derive(Debug, Args)]
pub struct RefreshArgs {
    #[arg(long, value_enum)]
    pub cloud: CloudArg,
    /// Base URL of the price API or a mirror (default: the cloud's public endpoint).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Catalog folder to update (`<cloud>.json` is replaced; `machines/` is read, never written).
    #[arg(long, value_name = "DIR", default_value = "pricing")]
    pub out: PathBuf,
    /// Write even when the refresh sanity checks fail (far fewer prices, no GPU types,
    /// implausible prices).
    #[arg(long)]
    pub force: bool,
    /// Timeout in seconds for connecting, for response headers and for each body read.
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    pub timeout_secs: f64,
    /// Attempts per request (retries on connection errors, timeouts, 429 and 5xx).
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,
    /// First back-off delay in milliseconds (doubles per attempt).
    #[arg(long, value_name = "MS", default_value_t = 500, hide = true)]
    pub retry_base_ms: u64,
    /// The whole refresh (all requests, retries and bodies) must end within this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 3600.0)]
    pub deadline_secs: f64,
    /// Also fetch from (and follow redirects to) this host; the endpoint's host is always
    /// allowed, any other is refused. Repeatable.
    #[arg(long, value_name = "HOST")]
    pub allow_redirect_host: Vec<String>,
    /// Largest JSON page, in bytes (indices and API pages are read whole).
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20, hide = true)]
    pub max_json_bytes: u64,
    /// Largest streamed response, in bytes (the AWS offer files).
    #[arg(long, value_name = "BYTES", default_value_t = 4 << 30, hide = true)]
    pub max_body_bytes: u64,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Folder with the source tables (`aws-ec2-ondemand-karpenter-YYYY-MM-DD.csv`, ...).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Catalog folder to update (`<cloud>.json` and `machines/<cloud>.json` are replaced).
    #[arg(long, value_name = "DIR", default_value = "pricing")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    #[arg(long, value_enum)]
    pub cloud: Option<CloudArg>,
    /// Only keys containing this text (case-insensitive).
    #[arg(long, value_name = "SUBSTR")]
    pub filter: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Warn when a catalog is older than this many days.
    #[arg(long, value_name = "N", default_value_t = verify::DEFAULT_MAX_AGE_DAYS)]
    pub max_age_days: i64,
}

pub fn run(args: PricingArgs, g: &Global) -> Result<i32> {
    match args.command {
        PricingCommand::Refresh(a) => run_refresh(a, g),
        PricingCommand::Import(a) => {
            let summary = crate::pricing::import::run(&a.dir, &a.out)?;
            if !g.quiet {
                eprint!("{summary}");
            }
            Ok(crate::EXIT_OK)
        }
        PricingCommand::Book(BookCommand::Import(a)) => {
            let text = crate::error::read_file(&a.file)?;
            let toml = crate::book::import::commitments_toml(&a.file.display().to_string(), &text)
                .map_err(|m| {
                    miette::miette!(
                        code = crate::error::Code::PriceBook,
                        help = "a FOCUS 1.3 export with CommitmentDiscountId, CommitmentDiscountCategory, CommitmentDiscountQuantity, ListCost, EffectiveCost, ChargePeriodStart/End",
                        "{}: {m}",
                        a.file.display()
                    )
                })?;
            crate::write_stdout(&toml)?;
            Ok(crate::EXIT_OK)
        }
        PricingCommand::Show(a) => {
            let cats = Catalogs::load_user_full(g.pricing_dir.as_deref())?;
            let f = show::Filter {
                cloud: a.cloud.map(|c| c.name().to_string()),
                region: g.region.clone(),
                substr: a.filter,
            };
            match show::render(&cats, &f) {
                Some(t) => crate::write_stdout(&t)?,
                None => eprintln!("no prices match"),
            }
            Ok(crate::EXIT_OK)
        }
        PricingCommand::Verify(a) => {
            // A missing, empty or file --pricing-dir is an error, as for estimate: never a
            // silent check of the embedded catalogs instead.
            if let Some(d) = g.pricing_dir.as_deref() {
                crate::pricing::check_pricing_dir(d)?;
            }
            let (r, checked) = verify::verify_dir(
                g.pricing_dir.as_deref(),
                crate::settings::today()?,
                a.max_age_days,
            )?;
            let mut out = String::new();
            for e in &r.errors {
                out.push_str(&format!("error: {e}\n"));
            }
            for w in &r.warnings {
                out.push_str(&format!("warning: {w}\n"));
            }
            for i in &r.info {
                out.push_str(&format!("{i}\n"));
            }
            out.push_str(&format!(
                "{checked} catalog(s) checked: {} error(s), {} warning(s)\n",
                r.errors.len(),
                r.warnings.len()
            ));
            crate::write_stdout(&out)?;
            Ok(if r.errors.is_empty() {
                crate::EXIT_OK
            } else {
                crate::EXIT_DENY
            })
        }
    }
}

fn run_refresh(a: RefreshArgs, g: &Global) -> Result<i32> {
    if !(a.deadline_secs.is_finite() && a.deadline_secs > 0.0) {
        return Err(miette::miette!(
            code = crate::error::Code::Cli,
            "--deadline-secs must be a positive number of seconds"
        ));
    }
    if !(a.timeout_secs.is_finite() && a.timeout_secs > 0.0) {
        return Err(miette::miette!(
            code = crate::error::Code::Cli,
            "--timeout-secs must be a positive number of seconds"
        ));
    }
    let regions = g
        .region
        .as_deref()
        .map(|r| {
            r.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    let opts = refresh::Options {
        cloud: a.cloud.name().to_string(),
        regions,
        endpoint: a.endpoint,
        out: a.out,
        force: a.force,
        http: refresh::HttpConfig {
            timeout: Duration::from_secs_f64(a.timeout_secs),
            tries: a.retries.max(1),
            backoff_base: Duration::from_millis(a.retry_base_ms),
            deadline: Duration::from_secs_f64(a.deadline_secs),
            max_json_bytes: a.max_json_bytes,
            max_body_bytes: a.max_body_bytes,
            allow_hosts: a.allow_redirect_host,
        },
        today: crate::settings::today()?,
        api_key: refresh::gcp::api_key_from_env(),
    };
    let summary = refresh::run(&opts)?;
    if !g.quiet {
        eprint!("{summary}");
    }
    Ok(crate::EXIT_OK)
}
