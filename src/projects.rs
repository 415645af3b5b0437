//! Monorepos: a directory whose Terraform root modules are below it (`envs/dev`, `envs/prod`
//! calling `../../modules/gpu`). Each root module is a *project*; one run prices all of them
//! (in parallel) as one [`Project`] whose addresses carry the project name as a prefix
//! (`envs/dev:module.gpu.aws_instance.node`), so findings, waivers and reports stay unique.
//!
//! Projects come from `[[projects]]` in the directory's own `costgate.toml` (`path`, `name`,
//! `var_files`, `usage`, `workspace`), else are detected: every directory with `.tf` files that no other
//! directory calls as a local module (`source = "../x"`) and that declares resources, module
//! calls or providers. A directory that has `.tf` files itself and no `[[projects]]` is one
//! ordinary project (this module is not involved).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Result;
use crate::input::hcl::load::{normalize, parse_dir, tf_files};
use crate::input::hcl::sandbox::Sandbox;
use crate::input::LoadOptions;
use crate::project::{Project, ProjectInfo};

/// Directories never searched for projects.
const SKIP: &[&str] = &["node_modules", "target"];
/// How deep below PATH root modules are looked for.
const MAX_DEPTH: usize = 8;

#[derive(Debug, Deserialize)]
struct RawConfig {
    #[serde(default)]
    projects: Vec<RawProject>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    path: String,
    name: Option<String>,
    #[serde(default)]
    var_files: Vec<String>,
    usage: Option<String>,
    workspace: Option<String>,
}

/// One project to price.
#[derive(Debug, Clone)]
pub struct Spec {
    pub info: ProjectInfo,
    /// The project directory.
    pub dir: PathBuf,
    pub var_files: Vec<PathBuf>,
    /// `terraform.workspace` of the project.
    pub workspace: Option<String>,
}

/// A path of the config, relative to the monorepo directory, that must stay inside it.
fn inside(root: &Path, rel: &str, what: &str) -> Result<PathBuf> {
    let p = Path::new(rel);
    let joined = normalize(&root.join(p));
    // Judged on absolute paths: a root of `.` or `./` normalizes to nothing, which no
    // joined path "starts with".
    let abs_root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let abs = normalize(&abs_root.join(p));
    if p.is_absolute() || !abs.starts_with(normalize(&abs_root)) {
        return Err(miette::miette!(
            code = crate::error::Code::ConfigProjects,
            "[[projects]] {what} `{}` leaves {}",
            rel.chars().take(100).collect::<String>(),
            root.display()
        ));
    }
    Ok(joined)
}

/// A file `[[projects]]` names, through the HCL sandbox (symlinks resolved, inside the
/// monorepo's repository, a regular file, never `/proc`, `/dev`, ...): its canonical path.
fn sandboxed(sandbox: &Sandbox, file: &Path, path: PathBuf, what: &str) -> Result<PathBuf> {
    let err = |why: String| {
        miette::miette!(
            code = crate::error::Code::ConfigProjects,
            help = "[[projects]] var_files and usage must be regular files inside the repository",
            "[[projects]] {what} in {}: {why}",
            file.display()
        )
    };
    let c = sandbox.check_file(&path).map_err(err)?;
    if std::fs::metadata(&c).is_ok_and(|m| m.len() > MAX_NAMED_FILE) {
        return Err(err(format!(
            "`{}` is larger than {} MiB",
            path.display(),
            MAX_NAMED_FILE >> 20
        )));
    }
    Ok(c)
}

/// Largest var or usage file a `[[projects]]` entry may name.
const MAX_NAMED_FILE: u64 = 64 << 20;

/// `[[projects]]` of `dir/costgate.toml`, when it has any.
fn configured(dir: &Path) -> Result<Option<Vec<Spec>>> {
    let file = dir.join(crate::policy::config::CONFIG_FILE);
    if !file.is_file() {
        return Ok(None);
    }
    let text = crate::error::read_file(&file)?;
    // A directory of its own .tf files needs no [[projects]]: a config it cannot read is
    // reported where the config is used (`check`), not here.
    if !tf_files(dir)?.is_empty() && !text.contains("[[projects]]") {
        return Ok(None);
    }
    let raw: RawConfig = toml::from_str(&text).map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        crate::error::FileError::at_line_col(
            &file,
            &text,
            crate::error::line_of(&text, offset),
            1,
            format!("{} is not a valid config", file.display()),
            e.message().to_string(),
        )
        .with_code(crate::error::Code::ConfigProjects)
        .with_help("[[projects]] takes path, name, var_files, usage and workspace")
    })?;
    if raw.projects.is_empty() {
        return Ok(None);
    }
    let mut names = BTreeSet::new();
    let mut specs = Vec::new();
    let sandbox = Sandbox::for_path(dir, &[]);
    for p in raw.projects {
        let pdir = inside(dir, &p.path, "path")?;
        let name = p
            .name
            .clone()
            .unwrap_or_else(|| p.path.trim_end_matches('/').to_string());
        if name.is_empty() || name.contains(':') || !names.insert(name.clone()) {
            return Err(miette::miette!(
                code = crate::error::Code::ConfigProjects,
                "[[projects]] name `{}` in {}: names must be unique, non-empty and without `:`",
                name.chars().take(100).collect::<String>(),
                file.display()
            ));
        }
        let var_files = p
            .var_files
            .iter()
            .map(|f| inside(dir, &format!("{}/{f}", p.path), "var file"))
            .map(|f| sandboxed(&sandbox, &file, f?, "var file"))
            .collect::<Result<Vec<_>>>()?;
        let usage = p
            .usage
            .as_deref()
            .map(|u| inside(dir, &format!("{}/{u}", p.path), "usage file"))
            .transpose()?
            .map(|u| sandboxed(&sandbox, &file, u, "usage file"))
            .transpose()?;
        specs.push(Spec {
            info: ProjectInfo {
                name,
                path: p.path.clone(),
                usage,
            },
            dir: pdir,
            var_files,
            workspace: p.workspace.clone(),
        });
    }
    Ok(Some(specs))
}

/// Root modules below `dir` (which has no .tf files of its own).
fn detect(dir: &Path) -> Result<Vec<Spec>> {
    let root = normalize(dir);
    let mut tf_dirs = Vec::new();
    let walk = walkdir::WalkDir::new(&root)
        .max_depth(MAX_DEPTH)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let n = e.file_name().to_string_lossy();
            e.depth() == 0 || !(n.starts_with('.') || SKIP.contains(&n.as_ref()))
        });
    for e in walk.filter_map(|e| e.ok()) {
        if e.file_type().is_dir() && !tf_files(e.path())?.is_empty() {
            tf_dirs.push(normalize(e.path()));
        }
    }
    let mut parsed = Vec::new();
    let mut called = BTreeSet::new();
    let sandbox = Sandbox::for_path(&root, &[]);
    for d in &tf_dirs {
        // Syntax errors surface when the project is loaded.
        let (m, _) = parse_dir(d, &sandbox)?;
        for c in &m.calls {
            if let Some(s) = c
                .source
                .as_deref()
                .filter(|s| s.starts_with("./") || s.starts_with("../"))
            {
                called.insert(normalize(&d.join(s)));
            }
        }
        let declares = !m.resources.is_empty() || !m.calls.is_empty() || !m.providers.is_empty();
        parsed.push((d.clone(), declares));
    }
    Ok(parsed
        .into_iter()
        .filter(|(d, declares)| *declares && !called.contains(d))
        .map(|(d, _)| {
            let rel = d
                .strip_prefix(&root)
                .unwrap_or(&d)
                .to_string_lossy()
                .replace('\\', "/");
            Spec {
                info: ProjectInfo {
                    name: rel.clone(),
                    path: rel,
                    usage: None,
                },
                dir: d,
                var_files: Vec::new(),
                workspace: None,
            }
        })
        .collect())
}

/// The projects of `dir`, or None when `dir` is an ordinary root module.
pub fn discover(dir: &Path) -> Result<Option<Vec<Spec>>> {
    if let Some(specs) = configured(dir)? {
        return Ok(Some(specs));
    }
    if !tf_files(dir)?.is_empty() {
        return Ok(None);
    }
    let specs = detect(dir)?;
    Ok((!specs.is_empty()).then_some(specs))
}

/// `dir` and the local module directories it calls, transitively (what its cost depends on
/// besides variables given from outside).
pub fn local_closure(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![normalize(dir)];
    let sandbox = Sandbox::for_path(dir, &[]);
    while let Some(d) = todo.pop() {
        if !d.is_dir() || !seen.insert(d.clone()) {
            continue;
        }
        let (m, _) = parse_dir(&d, &sandbox)?;
        for c in &m.calls {
            if let Some(s) = c
                .source
                .as_deref()
                .filter(|s| s.starts_with("./") || s.starts_with("../"))
            {
                todo.push(normalize(&d.join(s)));
            }
        }
    }
    Ok(seen.into_iter().collect())
}

/// `name:address`.
pub fn prefixed(name: &str, address: &str) -> String {
    format!("{name}:{address}")
}

/// The project name an address carries (`envs/dev:aws_instance.x` → `envs/dev`): the part
/// before the first `:`, when that part holds no instance key (a Terraform address has `:`
/// only inside quoted keys).
pub fn project_of(address: &str) -> Option<&str> {
    let (p, _) = address.split_once(':')?;
    (!p.contains(['[', '"'])).then_some(p)
}

/// Load every project (in parallel) into one project, addresses prefixed by project name.
pub fn load(dir: &Path, specs: Vec<Spec>, opts: &LoadOptions) -> Result<Project> {
    use rayon::prelude::*;
    let run_budget = opts.run_budget.clone().unwrap_or_else(|| {
        std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(opts.max_instances()))
    });
    let loaded: Vec<Result<Project>> = specs
        .par_iter()
        .map(|s| {
            let mut o = opts.clone();
            o.run_budget = Some(run_budget.clone());
            // The monorepo's modules (`../../modules/gpu`) are part of what was given.
            o.allow_paths.push(dir.to_path_buf());
            if s.workspace.is_some() {
                o.workspace = s.workspace.clone();
            }
            o.var_files = s
                .var_files
                .iter()
                .cloned()
                .chain(opts.var_files.iter().cloned())
                .collect();
            if !s.dir.is_dir() {
                return Err(miette::miette!(
                    code = crate::error::Code::InputMissing,
                    "project `{}`: {} is not a directory",
                    s.info.name,
                    s.dir.display()
                ));
            }
            crate::input::hcl::load(&s.dir, &o)
        })
        .collect();
    let mut out = Project {
        name: dir.display().to_string(),
        input_kind: crate::project::InputKind::Hcl,
        ..Default::default()
    };
    for (spec, p) in specs.into_iter().zip(loaded) {
        let p = p?;
        let name = &spec.info.name;
        for mut r in p.resources {
            r.address = prefixed(name, &r.address);
            out.resources.push(r);
        }
        out.warnings
            .extend(p.warnings.into_iter().map(|w| format!("{name}: {w}")));
        for mut w in p.inline_waivers {
            // Waivers match addresses: the project's prefix goes on the first part.
            if w.module.is_empty() {
                w.resource = prefixed(name, &w.resource);
            } else {
                w.module = prefixed(name, &w.module);
            }
            out.inline_waivers.push(w);
        }
        out.invalid_waivers.extend(p.invalid_waivers);
        // Coverage gaps (a module not loaded, a repeat unknown) count inside a project too,
        // under its prefix.
        for mut g in p.gaps {
            g.address = prefixed(name, &g.address);
            out.gaps.push(g);
        }
        out.projects.push(spec.info);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_names_are_read_back_from_addresses() {
        assert_eq!(project_of("envs/dev:aws_instance.x"), Some("envs/dev"));
        assert_eq!(project_of("aws_instance.x[\"a:b\"]"), None);
        assert_eq!(project_of("module.m[\"a:b\"].aws_instance.x"), None);
        assert_eq!(project_of("aws_instance.x"), None);
    }
}
