//! The module cache: one directory per package, keyed by the SHA-256 of its kind, source and
//! resolved version (so no two sources share an entry, and no source can be chosen to collide
//! with another's), under `COSTGATE_CACHE_DIR`, else `$XDG_CACHE_HOME/costgate/modules`, else
//! `~/.cache/costgate/modules`. A package is filled in a fresh private (0700) temporary
//! directory beside it and renamed into place, so a cache entry is always complete and nothing
//! is ever unpacked into a directory another package or process can reach.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Cache {
    pub root: PathBuf,
}

/// SHA-256 of `s`, in hex.
fn sha256(s: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
    format!("{}-{}", sha256(s), slug(s))
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
        self.root.join(kind).join(key(&format!("{kind}\n{id}")))
    }

    /// Fill `target` through `fill` (given a path that does not exist yet, inside a fresh
    /// private temporary directory), then move it into place. When another process got there
    /// first, its copy is kept.
    pub fn install(
        &self,
        target: &Path,
        fill: impl FnOnce(&Path) -> Result<(), String>,
    ) -> Result<(), String> {
        let parent = target.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create the module cache {}: {e}", parent.display()))?;
        // Private: created new with mode 0700, a name no one can guess; removed when dropped.
        let private = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempdir_in(parent)
            .map_err(|e| format!("cannot create the module cache {}: {e}", parent.display()))?;
        let tmp = private.path().join("package");
        fill(&tmp)?;
        if std::fs::rename(&tmp, target).is_err() && !target.is_dir() {
            return Err(format!(
                "cannot write the module cache {}",
                target.display()
            ));
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
        // A known SHA-256 (of "abc"), so the key is the real digest.
        assert_eq!(
            sha256("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let c = Cache::new(Some(PathBuf::from("/c")));
        assert_ne!(c.entry("git", "x"), c.entry("http", "x"));
    }

    #[test]
    fn a_failed_fill_leaves_nothing() {
        let d = tempfile::tempdir().unwrap();
        let c = Cache::new(Some(d.path().to_path_buf()));
        let t = c.entry("git", "x");
        assert!(c
            .install(&t, |tmp| {
                std::fs::create_dir(tmp).unwrap();
                Err("no".into())
            })
            .is_err());
        assert!(!t.exists());
        // No temporary directory is left behind.
        assert_eq!(std::fs::read_dir(t.parent().unwrap()).unwrap().count(), 0);
        c.install(&t, |tmp| {
            std::fs::create_dir(tmp).map_err(|e| e.to_string())
        })
        .unwrap();
        assert!(t.is_dir());
    }
}
