//! Inputs: a `terraform show -json` plan file, or a directory of `.tf` files. Both become a
//! [`Project`](crate::project::Project).

pub mod common;
pub mod plan;

use std::path::Path;

use crate::error::Result;
use crate::project::Project;

/// Options that shape how inputs are read (variables for HCL mode, source dir for plans).
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `--source DIR`: the .tf files a plan was made from (plan mode source locations).
    pub source_dir: Option<std::path::PathBuf>,
    /// `--var k=v`.
    pub vars: Vec<(String, String)>,
    /// `--var-file F`.
    pub var_files: Vec<std::path::PathBuf>,
    /// `--region`: region to assume when the configuration does not say.
    pub default_region: Option<String>,
}

/// Read PATH: a plan JSON file or a directory of .tf files.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Project> {
    if !path.exists() {
        return Err(miette::miette!(
            code = "costgate::input::missing",
            help = "give a plan JSON file (`terraform show -json plan.tfplan > plan.json`) or a directory of .tf files",
            "{} does not exist",
            path.display()
        ));
    }
    if path.is_dir() {
        return Err(miette::miette!(
            code = "costgate::input::hcl",
            "{} is a directory: HCL mode is not available in this build",
            path.display()
        ));
    }
    plan::load(path, opts)
}
