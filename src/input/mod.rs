//! Inputs: a `terraform show -json` plan file, or a directory of `.tf` files. Both become a
//! [`Project`].

pub mod common;
pub mod excerpt;
pub mod hcl;
pub mod inherit;
pub mod plan;
pub mod remote;

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
    /// HCL mode: the value of `terraform.workspace` (`[[projects]] workspace`; default
    /// `default`).
    pub workspace: Option<String>,
    /// HCL mode: fetch remote modules that `.terraform/modules` does not have (registry, git,
    /// archives) into the module cache; `None` reads only what is on disk.
    pub remote: Option<remote::RemoteOptions>,
    /// `--allow-path DIR`: directories HCL mode may read besides the project root.
    pub allow_paths: Vec<std::path::PathBuf>,
    /// `--max-instances`: most module and resource instances HCL mode creates (default
    /// [`DEFAULT_MAX_INSTANCES`]).
    pub max_instances: Option<usize>,
    /// Instances left for the whole run when several projects are loaded (a monorepo): the
    /// bound is global, not per project.
    pub run_budget: Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>,
}

/// Default bound on the module and resource instances of one HCL load.
pub const DEFAULT_MAX_INSTANCES: usize = 200_000;

impl LoadOptions {
    pub fn max_instances(&self) -> usize {
        self.max_instances.unwrap_or(DEFAULT_MAX_INSTANCES)
    }
}

/// Read PATH: a plan JSON file or a directory of .tf files.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Project> {
    if !path.exists() {
        return Err(miette::miette!(
            code = crate::error::Code::InputMissing,
            help = "give a plan JSON file (`terraform show -json plan.tfplan > plan.json`) or a directory of .tf files",
            "{} does not exist",
            path.display()
        ));
    }
    if path.is_dir() {
        if let Some(specs) = crate::projects::discover(path)? {
            return crate::projects::load(path, specs, opts);
        }
        return hcl::load(path, opts);
    }
    let mut project = plan::load(path, opts)?;
    attach_sources(&mut project, path, opts)?;
    // References to locals the configuration could not resolve link nothing.
    for r in &mut project.resources {
        for targets in r.refs.values_mut() {
            targets.retain(|t| !is_local_ref(t));
        }
        r.refs.retain(|_, t| !t.is_empty());
    }
    Ok(project)
}

/// `local.x` or `module.m.local.x`.
pub(crate) fn is_local_ref(t: &str) -> bool {
    t.starts_with("local.") || t.contains(".local.")
}

/// Plan mode: give each resource its file:line, and the project its inline waivers, from the
/// .tf files given by `--source`, or found beside the plan file. Problems reading `--source`
/// are errors; problems with files that merely sit beside the plan are warnings.
fn attach_sources(project: &mut Project, plan: &Path, opts: &LoadOptions) -> Result<()> {
    let (dir, explicit) = match &opts.source_dir {
        Some(d) => (d.clone(), true),
        None => {
            let parent = plan.parent().filter(|p| !p.as_os_str().is_empty());
            let dir = parent.unwrap_or(Path::new(".")).to_path_buf();
            let has_tf = hcl::load::tf_files(&dir).is_ok_and(|f| !f.is_empty());
            if !has_tf {
                return Ok(());
            }
            (dir, false)
        }
    };
    let sandbox = hcl::sandbox::Sandbox::for_path(&dir, &opts.allow_paths);
    match hcl::modules::load_tree(&dir, &sandbox, opts.max_instances()) {
        Ok((tree, warnings)) => {
            hcl::index::SourceIndex::from_tree(&tree).annotate(project);
            project.warnings.extend(warnings);
            hcl::fill_plan_links(project, tree, sandbox, opts);
            Ok(())
        }
        Err(e) if !explicit => {
            project.warnings.push(format!(
                "source locations and inline waivers unavailable: the .tf files beside the plan could not be read: {e}"
            ));
            Ok(())
        }
        Err(e) => Err(e),
    }
}
