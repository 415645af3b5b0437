//! `--base-ref REF`: a temporary `git worktree` of REF (detached), removed when dropped.
//! Paths of the repository map to the same paths in the checkout: the base side of the
//! directory, and the config, policy, data and usage files read from REF.
//!
//! The pull request controls the working tree, so git is never left to discover a repository
//! there: the repository is the one at the root given (`--repo-root`, which the action sets to
//! its checkout), else the first directory upward from PATH holding a `.git`; a git repository
//! (a `.git`, or a bare layout `HEAD` + `objects/` + `refs/`) between PATH and that root is
//! refused. Every git command runs with that repository named explicitly (`GIT_DIR`,
//! `GIT_WORK_TREE`, a ceiling directory), without system or global configuration, with
//! fsmonitor, hooks, transports, textconv and external diff off ([`hardened`]). Paths map into
//! the checkout lexically (never through a symlink of the working tree), and a rules file that
//! is a symlink in REF is refused.

use std::path::{Component, Path, PathBuf};
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

/// `git` for the repository at `root` (its work tree), named explicitly and with nothing of
/// the environment, the system or the user's configuration that could run a program.
pub fn hardened(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("GIT_") {
            cmd.env_remove(k);
        }
    }
    cmd.current_dir(root)
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "core.sshCommand=false",
            "-c",
            "core.askPass=",
            "-c",
            "credential.helper=",
            "-c",
            "protocol.allow=never",
            "-c",
            "safe.bareRepository=explicit",
            "-c",
            "diff.external=",
            "-c",
            "core.pager=cat",
            "-c",
            "core.untrackedCache=false",
        ])
        .env("GIT_DIR", root.join(".git"))
        .env("GIT_WORK_TREE", root)
        .env(
            "GIT_CEILING_DIRECTORIES",
            root.parent().unwrap_or(Path::new("/")),
        )
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_ASKPASS", "true")
        .env("GIT_NO_REPLACE_OBJECTS", "1")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(std::process::Stdio::null());
    cmd
}

fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let out = hardened(dir)
        .args(args)
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

/// Does `d` hold a git repository: a `.git`, or the layout of a bare one?
fn is_repository(d: &Path) -> bool {
    std::fs::symlink_metadata(d.join(".git")).is_ok()
        || (d.join("HEAD").is_file() && d.join("objects").is_dir() && d.join("refs").is_dir())
}

/// The absolute, lexically normal form of `p` (no symlink resolved).
fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(p)
    };
    crate::input::hcl::load::normalize(&abs)
}

/// The repository's root (canonical): `root` when given, else the first directory upward from
/// `path` with a `.git`. No repository may sit between `path` and the root.
fn locate(path: &Path, root: Option<&Path>) -> Result<PathBuf> {
    let start = absolute(&dir_of(path));
    let root = match root {
        Some(r) => absolute(r),
        None => start
            .ancestors()
            .find(|d| std::fs::symlink_metadata(d.join(".git")).is_ok())
            .map(Path::to_path_buf)
            .ok_or_else(|| {
                git_error(format!(
                    "--base-ref: {} is not inside a git checkout",
                    path.display()
                ))
            })?,
    };
    if std::fs::symlink_metadata(root.join(".git")).is_err() {
        return Err(git_error(format!(
            "--base-ref: {} is not the root of a git checkout (no .git there)",
            root.display()
        )));
    }
    let Ok(rel) = start.strip_prefix(&root) else {
        return Err(git_error(format!(
            "--base-ref: {} is outside the repository {}",
            path.display(),
            root.display()
        )));
    };
    let mut d = root.clone();
    for c in rel.components() {
        d.push(c);
        if is_repository(&d) {
            return Err(miette::miette!(
                code = crate::error::Code::CompareGit,
                help = "the change adds a git repository (a `.git`, or HEAD + objects/ + refs/) inside the working tree; it is never used: remove it, or point PATH elsewhere",
                "--base-ref: {} holds a git repository of its own; refused",
                d.strip_prefix(&root).unwrap_or(&d).display()
            ));
        }
    }
    std::fs::canonicalize(&root).map_err(|e| {
        git_error(format!(
            "--base-ref: cannot resolve {}: {e}",
            root.display()
        ))
    })
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
    /// Check out `reference` of the repository at `repo_root` (else the first directory upward
    /// from `path` with a `.git`), which must hold `path`.
    pub fn open(path: &Path, reference: &str, repo_root: Option<&Path>) -> Result<Checkout> {
        if reference.is_empty() || reference.starts_with('-') || reference.contains('\0') {
            return Err(git_error(format!(
                "--base-ref: `{}` is not a git ref",
                reference.chars().take(80).collect::<String>()
            )));
        }
        let repo = locate(path, repo_root)?;
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
    /// Lexical: a symlink of the working tree (which the change controls) is never followed.
    pub fn map(&self, path: &Path) -> Option<PathBuf> {
        let abs = absolute(path);
        let rel = abs
            .strip_prefix(&self.repo)
            .ok()
            .map(Path::to_path_buf)
            .or_else(|| {
                // The repository named through a symlinked path (e.g. /tmp on macOS): its
                // canonical form, with the rest of `path` kept lexical.
                abs.ancestors().find_map(|a| {
                    let canon = std::fs::canonicalize(a).ok()?;
                    canon.starts_with(&self.repo).then(|| {
                        canon
                            .strip_prefix(&self.repo)
                            .unwrap_or(Path::new(""))
                            .join(abs.strip_prefix(a).unwrap_or(Path::new("")))
                    })
                })
            })?;
        if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return None;
        }
        Some(self.root.join(rel))
    }

    /// A symlink on the way from the checkout's root to `p` (inside it)?
    fn through_link(&self, p: &Path) -> bool {
        let Ok(rel) = p.strip_prefix(&self.root) else {
            return true;
        };
        let mut d = self.root.clone();
        rel.components().any(|c| {
            d.push(c);
            std::fs::symlink_metadata(&d).is_ok_and(|m| m.file_type().is_symlink())
        })
    }

    /// A file the rules are read from: REF's version when it is in the repository (an error
    /// when REF does not have it), else the file itself.
    pub fn file(&self, path: &Path, what: &str) -> Result<PathBuf> {
        match self.map(path) {
            None => Ok(path.to_path_buf()),
            Some(p) if std::fs::symlink_metadata(&p).is_ok() => self.file_in_checkout(&p, path),
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

    /// The `costgate.toml` found upward from `path`'s place in the checkout, up to its root
    /// (one that is a symlink in REF is refused).
    pub fn config_for(&self, path: &Path) -> Result<Option<PathBuf>> {
        let Some(mut d) = self.map(&dir_of(path)) else {
            return Ok(None);
        };
        loop {
            let f = d.join(crate::policy::config::CONFIG_FILE);
            if std::fs::symlink_metadata(&f).is_ok() {
                return self.file_in_checkout(&f, path).map(Some);
            }
            if d == self.root || !d.pop() || !d.starts_with(&self.root) {
                return Ok(None);
            }
        }
    }

    /// `p` (in the checkout) when no symlink leads to it.
    fn file_in_checkout(&self, p: &Path, shown: &Path) -> Result<PathBuf> {
        if self.through_link(p) {
            return Err(miette::miette!(
                code = crate::error::Code::CompareGit,
                help = "with --base-ref the rules are read from the base's own files; a symlink there is refused",
                "{} (for {}) is a symlink in {} ({}); refused",
                p.strip_prefix(&self.root).unwrap_or(p).display(),
                shown.display(),
                self.name,
                &self.commit[..self.commit.len().min(12)]
            ));
        }
        Ok(p.to_path_buf())
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
            hardened(&self.repo)
                .args(args)
                .arg("--")
                .args(&paths)
                .output()
                .ok()
        };
        let diff = run(&[
            "diff",
            "--quiet",
            "--no-textconv",
            "--no-ext-diff",
            &self.commit,
        ]);
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
