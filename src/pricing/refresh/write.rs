//! Atomic catalog writes: render, re-parse and validate, write a temp file in the target
//! folder, fsync it, rename it over the old file, fsync the folder. A failure at any step
//! removes the temp file and leaves the old catalog as it was.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use crate::error::Result;
use crate::pricing::catalog::Catalog;

/// Render like the hand-made seeds: one price entry per line, so refresh diffs stay readable.
pub fn render(c: &Catalog) -> Result<String> {
    let mut s = String::from("{\n");
    let _ = writeln!(s, "  \"schema_version\": {},", c.schema_version);
    let _ = writeln!(s, "  \"cloud\": {},", j(&c.cloud));
    let _ = writeln!(s, "  \"currency\": {},", j(&c.currency));
    let _ = writeln!(s, "  \"generated_at\": {},", j(&c.generated_at));
    if let Some(g) = &c.generator {
        let _ = writeln!(s, "  \"generator\": {},", j(g));
    }
    s.push_str("  \"sources\": {");
    for (i, (id, src)) in c.sources.iter().enumerate() {
        let sep = if i == 0 { "\n" } else { ",\n" };
        let _ = write!(s, "{sep}    {}: {}", j(id), j(src));
    }
    s.push_str("\n  },\n  \"prices\": {");
    for (i, (region, entries)) in c.prices.iter().enumerate() {
        let sep = if i == 0 { "\n" } else { ",\n" };
        let _ = write!(s, "{sep}    {}: {{", j(region));
        for (k, (key, e)) in entries.iter().enumerate() {
            let sep = if k == 0 { "\n" } else { ",\n" };
            let _ = write!(s, "{sep}      {}: {}", j(key), j(e));
        }
        s.push_str("\n    }");
    }
    s.push_str("\n  }\n}\n");
    Ok(s)
}

/// One-line JSON with `": "` and `", "` like the seeds (our own plain data types cannot fail
/// to serialize).
fn j<T: serde::Serialize + ?Sized>(v: &T) -> String {
    let mut buf = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, Spaced);
    if v.serialize(&mut ser).is_err() {
        return String::new();
    }
    String::from_utf8(buf).unwrap_or_default()
}

/// serde_json formatter: compact, but with a space after `:` and `,`.
struct Spaced;

/// `, ` before every element but the first.
fn separator<W: ?Sized + std::io::Write>(w: &mut W, first: bool) -> std::io::Result<()> {
    if first {
        Ok(())
    } else {
        w.write_all(b", ")
    }
}

impl serde_json::ser::Formatter for Spaced {
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        separator(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        separator(w, first)
    }
}

/// Validate and atomically replace `path` with `c`.
pub fn write_catalog(path: &Path, c: &Catalog) -> Result<()> {
    let text = render(c)?;
    // What we write must load back exactly as a catalog.
    Catalog::parse(path, &text)?;
    write_atomic(path, text.as_bytes())
}

/// Write `bytes` to `path` through a temp file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| io_err("create", &dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "catalog.json".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(|e| io_err("create", &tmp, e))?;
        f.write_all(bytes).map_err(|e| io_err("write", &tmp, e))?;
        f.sync_all().map_err(|e| io_err("sync", &tmp, e))?;
        drop(f);
        std::fs::rename(&tmp, path).map_err(|e| io_err("replace", path, e))?;
        sync_dir(&dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Make the rename durable (best effort: not every platform can open a folder).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

fn io_err(what: &str, path: &Path, e: std::io::Error) -> miette::Report {
    miette::miette!(
        code = crate::error::Code::Io,
        help = "the old catalog was left unchanged",
        "cannot {what} {}: {e}",
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_round_trips_the_shipped_catalogs() {
        let cats = crate::pricing::Catalogs::embedded().unwrap();
        for (cloud, c) in &cats.prices {
            let text = render(c).unwrap();
            let back = Catalog::parse(Path::new("x.json"), &text).unwrap();
            assert_eq!(
                serde_json::to_value(&back).unwrap(),
                serde_json::to_value(c).unwrap(),
                "{cloud}"
            );
            // One line per entry.
            let n: usize = c.prices.values().map(|m| m.len()).sum();
            assert!(text.lines().count() < n + c.sources.len() + 20, "{cloud}");
        }
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("aws.json");
        std::fs::write(&p, "old").unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn failed_write_keeps_old_file() {
        let dir = tempfile::tempdir().unwrap();
        // The target is a non-empty folder, so the rename must fail.
        let p = dir.path().join("aws.json");
        std::fs::create_dir(&p).unwrap();
        std::fs::write(p.join("keep"), "x").unwrap();
        assert!(write_atomic(&p, b"new").is_err());
        assert_eq!(std::fs::read(p.join("keep")).unwrap(), b"x");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
