//! Thin entry point: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = costgate::cli::Cli::parse();
    if cli.global.no_color || std::env::var_os("NO_COLOR").is_some() {
        let _ = miette::set_hook(Box::new(|_| {
            Box::new(miette::MietteHandlerOpts::new().color(false).build())
        }));
    }
    match costgate::run(cli) {
        Ok(code) => ExitCode::from(code as u8),
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(costgate::EXIT_ERROR as u8)
        }
    }
}
