//! The static module tree: the root directory and, for every `module` block, the directory its
//! source resolves to. Local sources (`./`, `../`) resolve beside the calling module; others
//! come from `.terraform/modules/modules.json`, which `terraform init` writes, and otherwise are
//! fetched into the module cache (see [`crate::input::remote`]). A module that cannot be found
//! is reported (a [`Gap`]), not guessed. A fetched module reads only inside its package: its
//! own [`Sandbox`] has the package directory as its one root.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde::Deserialize;

use super::load::{attr, normalize, parse_dir, ModuleSrc};
use super::sandbox::Sandbox;
use crate::error::{FileError, FileErrors, Result};
use crate::input::remote::{source::redact_url, Fetched, Fetcher};
use crate::project::Gap;

/// Deepest module nesting we follow (Terraform forbids recursion; this guards odd inputs).
const MAX_DEPTH: usize = 32;

/// One module directory and the modules it calls.
#[derive(Debug)]
pub struct ModuleTree {
    pub src: ModuleSrc,
    /// The directory this module may read inside (local sources, file functions): the project
    /// root, or for a fetched module its package in the cache.
    pub root: PathBuf,
    /// A fetched module's own sandbox (its package is its root); `None`: the project's.
    pub sandbox: Option<Rc<Sandbox>>,
    /// Call name → module, or `None` when its source is not available locally.
    pub calls: BTreeMap<String, Option<Rc<ModuleTree>>>,
}

#[derive(Debug, Deserialize)]
struct Manifest {
    #[serde(rename = "Modules", default)]
    modules: Vec<ManifestEntry>,
}

#[derive(Debug, Deserialize)]
struct ManifestEntry {
    #[serde(rename = "Key")]
    key: String,
    #[serde(rename = "Dir")]
    dir: String,
}

struct Builder<'s> {
    root: PathBuf,
    sandbox: &'s Sandbox,
    /// Module directories read so far (each call counts), bounded by `max_modules`.
    built: usize,
    max_modules: usize,
    /// Canonical directories of the modules being built, root first (a call back into one
    /// of them recurses forever).
    chain: Vec<PathBuf>,
    /// Directories parsed so far (a directory called many times is read once).
    parsed: std::collections::HashMap<PathBuf, ModuleSrc>,
    /// modules.json key (`a.b`) → directory relative to the root.
    manifest: BTreeMap<String, String>,
    errors: Vec<FileError>,
    warnings: Vec<String>,
    gaps: Vec<Gap>,
    fetcher: Option<&'s Fetcher>,
    /// Package root → its sandbox (one per fetched package).
    package_sandboxes: std::collections::HashMap<PathBuf, Rc<Sandbox>>,
}

/// The module tree, the loader's warnings, and the modules that could not be loaded.
pub type Loaded = (Rc<ModuleTree>, Vec<String>, Vec<Gap>);

/// Parse the root module and every module it reaches, reading only inside `sandbox`. Syntax
/// errors anywhere are returned together as one diagnostic; a module that calls itself, or
/// more than `max_modules` module calls in all, is an error.
pub fn load_tree(
    root: &Path,
    sandbox: &Sandbox,
    max_modules: usize,
) -> Result<(Rc<ModuleTree>, Vec<String>)> {
    load_tree_with(root, sandbox, max_modules, None).map(|(t, w, _)| (t, w))
}

/// [`load_tree`], fetching remote modules that `.terraform/modules` does not have.
pub fn load_tree_with(
    root: &Path,
    sandbox: &Sandbox,
    max_modules: usize,
    fetcher: Option<&Fetcher>,
) -> Result<Loaded> {
    let root = normalize(root);
    let mut b = Builder {
        manifest: read_manifest(&root, sandbox),
        root: root.clone(),
        sandbox,
        built: 0,
        max_modules,
        chain: Vec::new(),
        parsed: Default::default(),
        errors: Vec::new(),
        warnings: fetcher.map(Fetcher::warnings).unwrap_or_default(),
        gaps: Vec::new(),
        fetcher,
        package_sandboxes: Default::default(),
    };
    let tree = b.build(&root, &root, "", 0)?;
    match b.errors.len() {
        0 => Ok((Rc::new(tree), b.warnings, b.gaps)),
        1 => Err(b.errors.remove(0).into()),
        n => Err(FileErrors {
            message: format!("{n} .tf files have syntax errors"),
            errors: b.errors,
        }
        .into()),
    }
}

fn read_manifest(root: &Path, sandbox: &Sandbox) -> BTreeMap<String, String> {
    let p = root.join(".terraform/modules/modules.json");
    let Ok(text) = sandbox.read_text(&p) else {
        return BTreeMap::new();
    };
    serde_json::from_str::<Manifest>(&text)
        .map(|m| m.modules.into_iter().map(|e| (e.key, e.dir)).collect())
        .unwrap_or_default()
}

/// Is this a local path source (`./x`, `../x`)?
pub fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

impl Builder<'_> {
    /// The sandbox a module under `root` reads through: its package's, or the project's.
    fn sandbox_of(&self, root: &Path) -> Option<Rc<Sandbox>> {
        (root != self.root.as_path())
            .then(|| self.package_sandboxes.get(root).cloned())
            .flatten()
    }

    fn build(&mut self, dir: &Path, root: &Path, key: &str, depth: usize) -> Result<ModuleTree> {
        self.built += 1;
        if self.built > self.max_modules {
            return Err(miette::miette!(
                code = crate::error::Code::InputTooManyInstances,
                help = "raise the bound with --max-instances N if the configuration is real",
                "more than {} module calls in the module tree (at module {key}): stopped",
                self.max_modules
            ));
        }
        let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        self.chain.push(canonical);
        let src = match self.parsed.get(&normalize(dir)) {
            Some(src) => src.clone(),
            None => {
                let own = self.sandbox_of(root);
                let (mut src, errs) = parse_dir(dir, own.as_deref().unwrap_or(self.sandbox))?;
                self.errors.extend(errs);
                self.warnings.append(&mut src.warnings);
                self.parsed.insert(normalize(dir), src.clone());
                src
            }
        };
        let fetched = self.fetch_all(&src, key);
        let mut calls = BTreeMap::new();
        for call in src.calls.clone() {
            let child_key = child_key(key, &call.name);
            let resolved = match fetched.get(&call.name) {
                Some(r) => r.clone(),
                None => self.resolve(dir, root, &child_key, call.source.as_deref()),
            };
            let child = match resolved {
                Ok(f) if self.calls_itself(&f.dir) => {
                    return Err(miette::miette!(
                        code = crate::error::Code::InputModuleRecursion,
                        help = "a module cannot call itself, directly or through other modules (Terraform would recurse forever)",
                        "module {child_key} ({}:{}): its source `{}` is a module that is already being called above it",
                        call.loc.file,
                        call.loc.line,
                        call.source.as_deref().map(redact_url).unwrap_or_default()
                    ));
                }
                Ok(f) if depth < MAX_DEPTH => {
                    let before = self.errors.len();
                    let t = self.build(&f.dir, &f.root, &child_key, depth + 1)?;
                    if f.root != self.root && self.errors.len() > before {
                        // A fetched package the parser cannot read is a module not loaded,
                        // not a failure of the pull request's own files.
                        let errs: Vec<FileError> = self.errors.drain(before..).collect();
                        let why = format!(
                            "{} file(s) of the fetched package cannot be parsed ({}: {})",
                            errs.len(),
                            errs[0].message,
                            errs[0].label
                        );
                        self.not_loaded(&child_key, &call, why);
                        None
                    } else {
                        Some(Rc::new(t))
                    }
                }
                Ok(_) => {
                    self.warnings.push(format!(
                        "module {child_key}: nested more than {MAX_DEPTH} levels; not read"
                    ));
                    None
                }
                Err(why) => {
                    self.not_loaded(&child_key, &call, why);
                    None
                }
            };
            calls.insert(call.name, child);
        }
        self.chain.pop();
        Ok(ModuleTree {
            src,
            root: root.to_path_buf(),
            sandbox: self.sandbox_of(root),
            calls,
        })
    }

    fn not_loaded(&mut self, key: &str, call: &super::load::CallBlock, why: String) {
        self.warnings.push(format!(
            "module {key} ({}:{}): {why}; its resources are not included",
            call.loc.file, call.loc.line
        ));
        self.gaps.push(Gap {
            kind: "module-not-loaded",
            address: address_of(key),
            source: call.source.as_deref().map(redact_url),
            reason: why,
            location: Some(call.loc.clone()),
        });
    }

    /// Fetch this module's remote calls that `.terraform/modules` does not have, in parallel.
    /// Each package gets its own sandbox, rooted at the package.
    fn fetch_all(
        &mut self,
        src: &ModuleSrc,
        key: &str,
    ) -> BTreeMap<String, Result<Fetched, String>> {
        let Some(fetcher) = self.fetcher else {
            return BTreeMap::new();
        };
        let todo: Vec<(String, String, Option<String>)> = src
            .calls
            .iter()
            .filter(|c| !self.manifest.contains_key(&child_key(key, &c.name)))
            .filter_map(|c| {
                let s = c.source.as_deref().filter(|s| !is_local(s))?;
                let version = attr(&c.body, "version").and_then(|e| match e {
                    hcl::Expression::String(v) => Some(v.clone()),
                    _ => None,
                });
                Some((c.name.clone(), s.to_string(), version))
            })
            .collect();
        let out: BTreeMap<String, Result<Fetched, String>> = std::thread::scope(|s| {
            let handles: Vec<_> = todo
                .into_iter()
                .map(|(name, source, version)| {
                    let h = s.spawn(move || fetcher.fetch(&source, version.as_deref()));
                    (name, h)
                })
                .collect();
            handles
                .into_iter()
                .map(|(name, h)| {
                    let r = h
                        .join()
                        .unwrap_or_else(|_| Err("fetching the module failed".into()));
                    (name, r)
                })
                .collect()
        });
        for f in out.values().flatten() {
            self.package_sandboxes
                .entry(f.root.clone())
                .or_insert_with(|| {
                    let mut sb = Sandbox::default();
                    sb.allow(&f.root);
                    Rc::new(sb)
                });
        }
        out
    }

    fn calls_itself(&self, dir: &Path) -> bool {
        dir.canonicalize().is_ok_and(|c| self.chain.contains(&c))
    }

    fn resolve(
        &self,
        dir: &Path,
        root: &Path,
        key: &str,
        source: Option<&str>,
    ) -> Result<Fetched, String> {
        let source = source.ok_or("`source` is not a literal string")?;
        let (dir, root) = if is_local(source) {
            let d = normalize(&dir.join(source));
            // A module fetched into the cache may only use local paths inside its package.
            if root != self.root.as_path() && !d.starts_with(root) {
                return Err(format!(
                    "local source `{source}` leaves the module package it is in"
                ));
            }
            (d, root.to_path_buf())
        } else {
            let rel = self.manifest.get(key).ok_or_else(|| match self.fetcher {
                None => format!(
                    "source `{}` is not downloaded (run `terraform init` so .terraform/modules has it)",
                    redact_url(source)
                ),
                Some(_) => "not fetched".to_string(),
            })?;
            (normalize(&self.root.join(rel)), self.root.clone())
        };
        if !dir.is_dir() {
            return Err(format!("module directory {} does not exist", dir.display()));
        }
        match self.sandbox_of(&root) {
            Some(own) => own.check_dir(&dir)?,
            None => self.sandbox.check_dir(&dir)?,
        };
        Ok(Fetched {
            dir,
            root,
            version: None,
        })
    }
}

fn child_key(key: &str, name: &str) -> String {
    if key.is_empty() {
        name.to_string()
    } else {
        format!("{key}.{name}")
    }
}

/// `a.b` → `module.a.module.b`.
fn address_of(key: &str) -> String {
    key.split('.')
        .map(|n| format!("module.{n}"))
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_sources() {
        assert!(is_local("./modules/x"));
        assert!(is_local("../node"));
        assert!(!is_local("terraform-aws-modules/eks/aws"));
        assert!(!is_local("git::https://example.com/x.git"));
    }
}
