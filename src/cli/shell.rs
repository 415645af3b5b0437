//! `costgate completions SHELL` and `costgate man`: shell completion scripts (clap_complete)
//! and roff man pages (clap_mangen), both generated from the one clap definition so they
//! never drift from the real flags.

use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::Result;
use crate::{write_stdout, EXIT_OK};

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell to write the completion script for.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Subcommand whose page to print (`check`, `pricing refresh`, …); default: the main page.
    #[arg(value_name = "SUBCOMMAND", num_args = 0..)]
    pub subcommand: Vec<String>,
    /// Write every page (`costgate.1`, `costgate-check.1`, …) into this folder instead.
    #[arg(long, value_name = "DIR", conflicts_with = "subcommand")]
    pub out: Option<PathBuf>,
}

/// Print the completion script for a shell.
pub fn completions(a: &CompletionsArgs) -> Result<i32> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "costgate", &mut buf);
    write_stdout(&String::from_utf8_lossy(&buf))?;
    Ok(EXIT_OK)
}

/// Print one man page, or write them all.
pub fn man(a: &ManArgs) -> Result<i32> {
    let root = Cli::command().name("costgate");
    if let Some(dir) = &a.out {
        write_all(&root, dir)?;
        return Ok(EXIT_OK);
    }
    let mut cmd = root;
    let mut name = String::from("costgate");
    for part in &a.subcommand {
        let Some(sub) = cmd.find_subcommand(part).cloned() else {
            let known: Vec<String> = cmd
                .get_subcommands()
                .map(|s| s.get_name().to_string())
                .collect();
            return Err(miette::miette!(
                code = crate::error::Code::CliArgs,
                help = format!("known: {}", known.join(", ")),
                "`{name}` has no subcommand `{}`",
                crate::report::escape::control(part)
            ));
        };
        name = format!("{name}-{}", sub.get_name());
        cmd = sub.name(name.clone()).version(env!("CARGO_PKG_VERSION"));
    }
    write_stdout(&render(cmd)?)?;
    Ok(EXIT_OK)
}

fn render(cmd: clap::Command) -> Result<String> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut buf)
        .map_err(|e| miette::miette!("cannot render the man page: {e}"))?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// `costgate.1` and one `costgate-<sub>[-<subsub>].1` per subcommand, recursively.
fn write_all(root: &clap::Command, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| miette::miette!("cannot create {}: {e}", dir.display()))?;
    let mut stack = vec![(root.get_name().to_string(), root.clone())];
    while let Some((name, cmd)) = stack.pop() {
        for sub in cmd.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let sub_name = format!("{name}-{}", sub.get_name());
            let page = sub.clone().name(sub_name.clone());
            stack.push((sub_name, page.version(env!("CARGO_PKG_VERSION"))));
        }
        let page = render(cmd.name(name.clone()))?;
        let file = dir.join(format!("{name}.1"));
        std::fs::write(&file, page)
            .map_err(|e| miette::miette!("cannot write {}: {e}", file.display()))?;
    }
    Ok(())
}
