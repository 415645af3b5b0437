//! The module cache: one directory per package, keyed by its source and resolved version,
//! under `COSTGATE_CACHE_DIR`, else `$XDG_CACHE_HOME/costgate/modules`, else
//! `~/.cache/costgate/modules`. A package is filled in a temporary directory beside it and
//! renamed into place, so a cache entry is always complete.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug, Clone)]
pub struct Cache {
    pub root: PathBuf,
}

static SEQ: AtomicUsize = AtomicUsize::new(0);

/// FNV-1a: a stable, dependency-free hash for directory names.
fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// A short readable name from a source (letters, digits, `-`), for people browsing the cache.
fn slug(s: &str) -> String {
    let tail = s.rsplit(['/', ':']).find(|p| !p.is_empty()).unwrap_or("m");
    let t: String = tail
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(32)
        .collect();
    t.trim_matches('-').to_string()
}

pub fn key(s: &str) -> String {
    format!("{:016x}-{}", fnv(s), slug(s))
}

impl Cache {
    pub fn new(explicit: Option<PathBuf>) -> Cache {
        let env = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let root = explicit
            .or_else(|| env("COSTGATE_CACHE_DIR"))
            .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("costgate/modules")))
            .or_else(|| env("HOME").map(|d| d.join(".cache/costgate/modules")))
            .unwrap_or_else(|| std::env::temp_dir().join("costgate-modules"));
        Cache { root }
    }

    /// The directory of a package: `<kind>/<key>`.
    pub fn entry(&self, kind: &str, id: &str) -> PathBuf {
        self.root.join(kind).join(key(id))
    }

    /// Fill `target` through `fill` (given an empty temporary directory), then move it into
    /// place. When another process got there first, its copy is kept.
    pub fn install(
        &self,
        target: &Path,
        fill: impl FnOnce(&Path) -> Result<(), String>,
    ) -> Result<(), String> {
        let parent = target.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create the module cache {}: {e}", parent.display()))?;
        let tmp = parent.join(format!(
            ".tmp-{}-{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&tmp);
        let r = fill(&tmp);
        if let Err(e) = r {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
        if std::fs::rename(&tmp, target).is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
            if !target.is_dir() {
                return Err(format!(
                    "cannot write the module cache {}",
                    target.display()
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_and_readable() {
        assert_eq!(
            key("git::https://x/y.git?ref=v1"),
            key("git::https://x/y.git?ref=v1")
        );
        assert_ne!(key("a/b/c 1.0.0"), key("a/b/c 1.0.1"));
        assert!(key("https://example.com/gpu.tar.gz").ends_with("-gpu-tar-gz"));
    }

    #[test]
    fn a_failed_fill_leaves_nothing() {
        let d = tempfile::tempdir().unwrap();
        let c = Cache::new(Some(d.path().to_path_buf()));
        let t = c.entry("git", "x");
        assert!(c.install(&t, |_| Err("no".into())).is_err());
        assert!(!t.exists());
        c.install(&t, |tmp| {
            std::fs::create_dir(tmp).map_err(|e| e.to_string())
        })
        .unwrap();
        assert!(t.is_dir());
    }
}
