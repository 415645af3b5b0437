//! Thin entry point: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

/// jemalloc: the pipeline allocates many small values (plan attributes, policy values); glibc
/// malloc spent a quarter of a large run in its own bookkeeping. (mimalloc, tried too, returns
/// freed pages to the OS within milliseconds and spent most of a large run faulting them back.)
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = costgate::cli::Cli::parse();
    if cli.global.no_color || std::env::var_os("NO_COLOR").is_some() {
        let _ = miette::set_hook(Box::new(|_| {
            Box::new(miette::MietteHandlerOpts::new().color(false).build())
        }));
    }
    let outcome = costgate::run(cli);
    costgate::timing::peak_memory();
    match outcome {
        Ok(code) => ExitCode::from(code as u8),
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(costgate::EXIT_ERROR as u8)
        }
    }
}
