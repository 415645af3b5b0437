//! The static module tree: the root directory and, for every `module` block, the directory its
//! source resolves to. Local sources (`./`, `../`) resolve beside the calling module; others
//! come from `.terraform/modules/modules.json`, which `terraform init` writes (so registry and
//! git modules work offline after init). A module that cannot be found is reported, not guessed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde::Deserialize;

use super::load::{normalize, parse_dir, ModuleSrc};
use super::sandbox::Sandbox;
use crate::error::{FileError, FileErrors, Result};

/// Deepest module nesting we follow (Terraform forbids recursion; this guards odd inputs).
const MAX_DEPTH: usize = 32;

/// One module directory and the modules it calls.
#[derive(Debug)]
pub struct ModuleTree {
    pub src: ModuleSrc,
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
}

/// Parse the root module and every module it reaches, reading only inside `sandbox`. Syntax
/// errors anywhere are returned together as one diagnostic; a module that calls itself, or
/// more than `max_modules` module calls in all, is an error.
pub fn load_tree(
    root: &Path,
    sandbox: &Sandbox,
    max_modules: usize,
) -> Result<(Rc<ModuleTree>, Vec<String>)> {
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
        warnings: Vec::new(),
    };
    let tree = b.build(&root, "", 0)?;
    match b.errors.len() {
        0 => Ok((Rc::new(tree), b.warnings)),
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
    fn build(&mut self, dir: &Path, key: &str, depth: usize) -> Result<ModuleTree> {
        self.built += 1;
        if self.built > self.max_modules {
            return Err(miette::miette!(
                code = "costgate::input::too-many-instances",
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
                let (mut src, errs) = parse_dir(dir, self.sandbox)?;
                self.errors.extend(errs);
                self.warnings.append(&mut src.warnings);
                self.parsed.insert(normalize(dir), src.clone());
                src
            }
        };
        let mut calls = BTreeMap::new();
        for call in src.calls.clone() {
            let child_key = if key.is_empty() {
                call.name.clone()
            } else {
                format!("{key}.{}", call.name)
            };
            let child = match self.resolve(dir, &child_key, call.source.as_deref()) {
                Ok(d) if self.calls_itself(&d) => {
                    return Err(miette::miette!(
                        code = "costgate::input::module-recursion",
                        help = "a module cannot call itself, directly or through other modules (Terraform would recurse forever)",
                        "module {child_key} ({}:{}): its source `{}` is a module that is already being called above it",
                        call.loc.file,
                        call.loc.line,
                        call.source.as_deref().unwrap_or_default()
                    ));
                }
                Ok(d) if depth < MAX_DEPTH => {
                    Some(Rc::new(self.build(&d, &child_key, depth + 1)?))
                }
                Ok(_) => {
                    self.warnings.push(format!(
                        "module {child_key}: nested more than {MAX_DEPTH} levels; not read"
                    ));
                    None
                }
                Err(why) => {
                    self.warnings.push(format!(
                        "module {child_key} ({}:{}): {why}; its resources are not included",
                        call.loc.file, call.loc.line
                    ));
                    None
                }
            };
            calls.insert(call.name, child);
        }
        self.chain.pop();
        Ok(ModuleTree { src, calls })
    }

    fn calls_itself(&self, dir: &Path) -> bool {
        dir.canonicalize().is_ok_and(|c| self.chain.contains(&c))
    }

    fn resolve(&self, dir: &Path, key: &str, source: Option<&str>) -> Result<PathBuf, String> {
        let source = source.ok_or("`source` is not a literal string")?;
        let dir = if is_local(source) {
            normalize(&dir.join(source))
        } else {
            let rel = self.manifest.get(key).ok_or_else(|| {
                format!("source `{source}` is not downloaded (run `terraform init` so .terraform/modules has it)")
            })?;
            normalize(&self.root.join(rel))
        };
        if !dir.is_dir() {
            return Err(format!("module directory {} does not exist", dir.display()));
        }
        self.sandbox.check_dir(&dir)?;
        Ok(dir)
    }
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
