//! `--base-ref REF`: a temporary `git worktree` of REF (detached), removed when dropped.
//! Paths of the repository map to the same paths in the checkout: the base side of the
//! directory, and the config, policy, data and usage files read from REF.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Result;

/// A detached worktree of REF in a temporary directory.
#[derive(Debug)]
pub struct Checkout {
    /// The ref as given.
    pub name: String,
    /// The commit it resolved to.
    pub commit: String,
    /// The repository's top level (canonical).
    repo: PathBuf,
    /// The checkout (inside `_tmp`).
    root: PathBuf,
    _tmp: tempfile::TempDir,
}

fn git_error(what: String) -> miette::Report {
    miette::miette!(
        code = crate::error::Code::CompareGit,
        help = "--base-ref needs a git repository with REF fetched (in GitHub Actions: `actions/checkout` with `fetch-depth: 0`, or `git fetch origin BASE`)",
        "{what}"
    )
}

fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| git_error(format!("--base-ref: cannot run git: {e}")))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(200)
            .collect::<String>();
        return Err(git_error(format!(
            "--base-ref: git {} failed: {first}",
            args[0]
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The directory a path lives in (itself for a directory).
fn dir_of(path: &Path) -> PathBuf {
    let p = if path.is_dir() {
        path
    } else {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    };
    p.to_path_buf()
}

impl Checkout {
    /// Check out `reference` of the repository holding `path`.
    pub fn open(path: &Path, reference: &str) -> Result<Checkout> {
        if reference.is_empty() || reference.starts_with('-') || reference.contains('\0') {
            return Err(git_error(format!(
                "--base-ref: `{}` is not a git ref",
                reference.chars().take(80).collect::<String>()
            )));
        }
        let dir = dir_of(path);
        let top = git(&dir, &["rev-parse", "--show-toplevel"])?;
        let repo = std::fs::canonicalize(&top)
            .map_err(|e| git_error(format!("--base-ref: cannot resolve {top}: {e}")))?;
        let spec = format!("{reference}^{{commit}}");
        let commit = git(
            &repo,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &spec,
            ],
        )
        .map_err(|_| {
            git_error(format!(
                "--base-ref: `{}` is not a commit of this repository",
                reference.chars().take(80).collect::<String>()
            ))
        })?;
        let tmp = tempfile::Builder::new()
            .prefix("costgate-base-")
            .tempdir()
            .map_err(|e| {
                git_error(format!(
                    "--base-ref: cannot create a temporary directory: {e}"
                ))
            })?;
        let root = tmp.path().join("base");
        let root_s = root.to_string_lossy().to_string();
        git(
            &repo,
            &["worktree", "add", "--detach", "--quiet", &root_s, &commit],
        )?;
        let root = std::fs::canonicalize(&root).unwrap_or(root);
        Ok(Checkout {
            name: reference.to_string(),
            commit,
            repo,
            root,
            _tmp: tmp,
        })
    }

    /// Where `path` (inside the repository) is in the checkout; None outside the repository.
    pub fn map(&self, path: &Path) -> Option<PathBuf> {
        let abs = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir().ok()?.join(path)
        };
        let abs = crate::input::hcl::load::normalize(&abs);
        // Canonical through the deepest existing ancestor (the path may not exist at HEAD).
        let mut existing = abs.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            rest.push(existing.file_name()?.to_os_string());
            existing = existing.parent()?;
        }
        let mut canon = std::fs::canonicalize(existing).ok()?;
        for r in rest.iter().rev() {
            canon.push(r);
        }
        let rel = canon.strip_prefix(&self.repo).ok()?;
        Some(self.root.join(rel))
    }

    /// A file the rules are read from: REF's version when it is in the repository (an error
    /// when REF does not have it), else the file itself.
    pub fn file(&self, path: &Path, what: &str) -> Result<PathBuf> {
        match self.map(path) {
            None => Ok(path.to_path_buf()),
            Some(p) if p.exists() => Ok(p),
            Some(_) => Err(miette::miette!(
                code = crate::error::Code::CompareGit,
                help = "with --base-ref the rules come from the base, so a change cannot weaken them: commit the file to the base first",
                "{what} {} is not in {} ({})",
                path.display(),
                self.name,
                &self.commit[..self.commit.len().min(12)]
            )),
        }
    }

    /// The `costgate.toml` found upward from `path`'s place in the checkout, up to its root.
    pub fn config_for(&self, path: &Path) -> Option<PathBuf> {
        let mut d = self.map(&dir_of(path))?;
        loop {
            let f = d.join(crate::settings::CONFIG_FILE);
            if f.is_file() {
                return Some(f);
            }
            if d == self.root || !d.pop() || !d.starts_with(&self.root) {
                return None;
            }
        }
    }

    /// Are these paths of the working tree (files or directories) as they are at REF: no
    /// tracked change, no new file? Any doubt (a git error) counts as changed.
    pub fn unchanged(&self, paths: &[PathBuf]) -> bool {
        // Absolute (git -C resolves relative paths from the repository, not from here).
        let Ok(paths) = paths
            .iter()
            .map(std::fs::canonicalize)
            .collect::<std::io::Result<Vec<PathBuf>>>()
        else {
            return false;
        };
        if paths.is_empty() || paths.iter().any(|p| !p.starts_with(&self.repo)) {
            return false;
        }
        let run = |args: &[&str]| {
            Command::new("git")
                .arg("-C")
                .arg(&self.repo)
                .args(args)
                .arg("--")
                .args(&paths)
                .env("GIT_TERMINAL_PROMPT", "0")
                .output()
                .ok()
        };
        let diff = run(&["diff", "--quiet", &self.commit]);
        let new = run(&["ls-files", "--others", "--exclude-standard"]);
        matches!((diff, new), (Some(d), Some(n))
            if d.status.success() && n.status.success() && n.stdout.is_empty())
    }

    /// The root of the checkout.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

impl Drop for Checkout {
    fn drop(&mut self) {
        let root = self.root.to_string_lossy().to_string();
        let _ = git(&self.repo, &["worktree", "remove", "--force", &root]);
        let _ = git(&self.repo, &["worktree", "prune"]);
    }
}
