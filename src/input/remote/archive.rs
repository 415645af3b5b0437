//! Unpacking downloaded module archives (`.tar.gz`/`.tgz`, `.zip`) into the cache, refusing
//! anything that would write outside the destination: absolute paths, `..`, symlinks whose
//! target leaves the package, hard links, devices; and capped in total size and entries.
//!
//! Files and directories are written first, each created new (`O_EXCL`, never through or
//! over a link); symlinks are made only after the last file, and then every one of them is
//! resolved on the real file system: a package where any link (alone or through a chain of
//! links) leads outside it is refused as a whole.

use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

/// Caps on what one module package may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes downloaded, and bytes unpacked.
    pub max_bytes: u64,
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 256 * 1024 * 1024,
            max_entries: 50_000,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    TarGz,
    Tar,
    Zip,
}

/// The archive kind of a URL: `?archive=` first, then the path's extension.
pub fn kind_of_url(url: &str) -> Option<Kind> {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    for kv in query.split('&') {
        if let Some(v) = kv.strip_prefix("archive=") {
            return kind_of_name(&format!("x.{v}"));
        }
    }
    kind_of_name(path)
}

fn kind_of_name(p: &str) -> Option<Kind> {
    let p = p.to_ascii_lowercase();
    if p.ends_with(".tar.gz") || p.ends_with(".tgz") {
        Some(Kind::TarGz)
    } else if p.ends_with(".tar") {
        Some(Kind::Tar)
    } else if p.ends_with(".zip") {
        Some(Kind::Zip)
    } else {
        None
    }
}

/// The archive kind from the first bytes (gzip or zip magic), for URLs that do not say.
pub fn kind_of_bytes(b: &[u8]) -> Option<Kind> {
    if b.starts_with(&[0x1f, 0x8b]) {
        Some(Kind::TarGz)
    } else if b.starts_with(b"PK\x03\x04") {
        Some(Kind::Zip)
    } else {
        None
    }
}

/// A relative path with only normal components (no `..`, no root, no drive).
pub fn safe_relative(p: &Path) -> Result<PathBuf, String> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::CurDir => {}
            _ => {
                return Err(format!(
                    "archive entry `{}` points outside the package",
                    shown(p)
                ))
            }
        }
    }
    Ok(out)
}

/// Does a symlink at `entry` (relative to the package root) pointing at `target` stay inside?
pub fn link_inside(entry: &Path, target: &Path) -> bool {
    if target.is_absolute() || target.has_root() {
        return false;
    }
    let mut depth: i64 = 0;
    let parent = entry.parent().unwrap_or(Path::new(""));
    for c in parent.components().chain(target.components()) {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => return false,
        }
    }
    true
}

fn shown(p: &Path) -> String {
    let s: String = p.display().to_string().chars().take(120).collect();
    s.escape_default().to_string()
}

struct Budget {
    limits: Limits,
    bytes: u64,
    entries: usize,
}

impl Budget {
    fn entry(&mut self) -> Result<(), String> {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            return Err(format!(
                "the package has more than {} files; refused",
                self.limits.max_entries
            ));
        }
        Ok(())
    }

    /// Copy at most the remaining byte budget; error when there is more.
    fn copy(&mut self, r: &mut dyn Read, to: &Path) -> Result<(), String> {
        let left = self.limits.max_bytes.saturating_sub(self.bytes);
        let mut f = create_new(to)?;
        let n = std::io::copy(&mut r.take(left + 1), &mut f)
            .map_err(|e| format!("the archive cannot be read: {e}"))?;
        if n > left {
            return Err(format!(
                "the package unpacks to more than {} bytes; refused",
                self.limits.max_bytes
            ));
        }
        self.bytes += n;
        f.flush()
            .map_err(|e| format!("cannot write to the module cache: {e}"))
    }
}

/// Unpack `data` into the (empty) directory `dest`.
pub fn extract(kind: Kind, data: &[u8], dest: &Path, limits: Limits) -> Result<(), String> {
    extract_from(kind, std::io::Cursor::new(data), dest, limits)
}

/// Unpack an archive read from `data` (a file, for a download) into the directory `dest`.
pub fn extract_from<R: Read + std::io::Seek>(
    kind: Kind,
    data: R,
    dest: &Path,
    limits: Limits,
) -> Result<(), String> {
    let mut budget = Budget {
        limits,
        bytes: 0,
        entries: 0,
    };
    let data = std::io::BufReader::new(data);
    match kind {
        Kind::TarGz => untar(flate2::read::GzDecoder::new(data), dest, &mut budget),
        Kind::Tar => untar(data, dest, &mut budget),
        Kind::Zip => unzip(data, dest, &mut budget),
    }
}

/// Open `to` for writing as a new file, never following a symlink. An earlier regular file of
/// the same name (a tar archive may repeat a name; the last one wins) is replaced; anything
/// else there (a directory, a link) refuses the entry.
fn create_new(to: &Path) -> Result<std::fs::File, String> {
    let open = || {
        // `create_new` is O_CREAT|O_EXCL: it fails on an existing name, a symlink included
        // (dangling or not), so it never writes through one.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(to)
    };
    match open() {
        Ok(f) => Ok(f),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let regular = std::fs::symlink_metadata(to).is_ok_and(|m| m.file_type().is_file());
            if !regular {
                return Err(format!(
                    "archive entry `{}` would replace a directory or link; refused",
                    shown(to.file_name().map(Path::new).unwrap_or(to))
                ));
            }
            std::fs::remove_file(to)
                .and_then(|_| open())
                .map_err(|e| format!("cannot write to the module cache: {e}"))
        }
        Err(e) => Err(format!("cannot write to the module cache: {e}")),
    }
}

fn mkdirs(p: &Path) -> Result<(), String> {
    std::fs::create_dir_all(p).map_err(|e| format!("cannot write to the module cache: {e}"))
}

fn parent_dirs(dest: &Path, rel: &Path) -> Result<PathBuf, String> {
    let to = dest.join(rel);
    if let Some(p) = to.parent() {
        mkdirs(p)?;
        // A directory on the way that is a symlink could lead outside: refuse.
        let mut cur = dest.to_path_buf();
        for c in rel.parent().unwrap_or(Path::new("")).components() {
            cur.push(c);
            if std::fs::symlink_metadata(&cur).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(format!(
                    "archive entry `{}` goes through a symlink; refused",
                    shown(rel)
                ));
            }
        }
    }
    Ok(to)
}

/// Symlinks of an archive, made after every file and directory is written.
#[derive(Default)]
struct Links(Vec<(PathBuf, PathBuf)>);

impl Links {
    /// Note a symlink (refused at once when its target leaves the package on its face).
    fn add(&mut self, rel: PathBuf, target: PathBuf) -> Result<(), String> {
        if !link_inside(&rel, &target) {
            return Err(format!(
                "archive entry `{}` is a symlink pointing outside the package; refused",
                shown(&rel)
            ));
        }
        self.0.push((rel, target));
        Ok(())
    }

    /// Make the links (none over an existing entry, none inside a linked directory), then
    /// resolve each on the real file system: all must stay inside `dest`.
    fn make(self, dest: &Path) -> Result<(), String> {
        for (rel, target) in &self.0 {
            let to = parent_dirs(dest, rel)?;
            if std::fs::symlink_metadata(&to).is_ok() {
                return Err(format!(
                    "archive entry `{}` is a symlink over another entry; refused",
                    shown(rel)
                ));
            }
            #[cfg(unix)]
            std::os::unix::fs::symlink(target, &to)
                .map_err(|e| format!("cannot write to the module cache: {e}"))?;
            #[cfg(not(unix))]
            let _ = (to, target);
        }
        for (rel, _) in &self.0 {
            resolves_inside(dest, rel)?;
        }
        Ok(())
    }
}

/// The link at `root/rel`, resolved through every link on the way, stays inside `root`
/// (a dangling link, already checked on its face, leads nowhere and is let be).
fn resolves_inside(root: &Path, rel: &Path) -> Result<(), String> {
    let canon_root = root
        .canonicalize()
        .map_err(|e| format!("cannot read the package: {e}"))?;
    match root.join(rel).canonicalize() {
        Ok(real) if real.starts_with(&canon_root) => Ok(()),
        Ok(_) => Err(format!(
            "`{}` is a symlink that resolves outside the package; refused",
            shown(rel)
        )),
        Err(_) => Ok(()),
    }
}

fn untar<R: Read>(r: R, dest: &Path, budget: &mut Budget) -> Result<(), String> {
    use tar::EntryType;
    let mut links = Links::default();
    let mut ar = tar::Archive::new(r);
    let entries = ar
        .entries()
        .map_err(|e| format!("the archive cannot be read: {e}"))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("the archive cannot be read: {e}"))?;
        budget.entry()?;
        let raw = entry
            .path()
            .map_err(|e| format!("the archive cannot be read: {e}"))?
            .into_owned();
        let rel = safe_relative(&raw)?;
        if rel.as_os_str().is_empty() {
            continue;
        }
        match entry.header().entry_type() {
            EntryType::Directory => mkdirs(&parent_dirs(dest, &rel)?)?,
            EntryType::Regular | EntryType::Continuous => {
                let to = parent_dirs(dest, &rel)?;
                budget.copy(&mut entry, &to)?;
            }
            EntryType::Symlink => {
                let target = entry
                    .link_name()
                    .map_err(|e| format!("the archive cannot be read: {e}"))?
                    .ok_or("a symlink without a target")?
                    .into_owned();
                links.add(rel, target)?;
            }
            EntryType::Link => {
                return Err(format!(
                    "archive entry `{}` is a hard link; refused",
                    shown(&rel)
                ))
            }
            // PAX/GNU headers are handled by the tar crate; devices, FIFOs: skipped.
            _ => {}
        }
    }
    links.make(dest)
}

fn unzip<R: Read + std::io::Seek>(data: R, dest: &Path, budget: &mut Budget) -> Result<(), String> {
    let mut links = Links::default();
    let mut ar =
        zip::ZipArchive::new(data).map_err(|e| format!("the zip archive cannot be read: {e}"))?;
    for i in 0..ar.len() {
        budget.entry()?;
        let mut f = ar
            .by_index(i)
            .map_err(|e| format!("the zip archive cannot be read: {e}"))?;
        let raw = PathBuf::from(f.name());
        let rel = safe_relative(&raw)?;
        if rel.as_os_str().is_empty() {
            continue;
        }
        if f.is_symlink() {
            let mut t = String::new();
            f.by_ref()
                .take(4096)
                .read_to_string(&mut t)
                .map_err(|e| format!("the zip archive cannot be read: {e}"))?;
            links.add(rel, PathBuf::from(t))?;
        } else if f.is_dir() {
            mkdirs(&parent_dirs(dest, &rel)?)?;
        } else {
            let to = parent_dirs(dest, &rel)?;
            budget.copy(&mut f, &to)?;
        }
    }
    links.make(dest)
}

/// Check a package already on disk (a git checkout): entry count, total size, and that no
/// symlink leads outside it. Its size in bytes.
pub fn check_tree(root: &Path, limits: Limits) -> Result<u64, String> {
    let mut budget = Budget {
        limits,
        bytes: 0,
        entries: 0,
    };
    for e in walkdir::WalkDir::new(root).follow_links(false) {
        let e = e.map_err(|e| format!("cannot read the package: {e}"))?;
        budget.entry()?;
        let rel = e.path().strip_prefix(root).unwrap_or(e.path());
        let ft = e.file_type();
        if ft.is_symlink() {
            let t = std::fs::read_link(e.path())
                .map_err(|e| format!("cannot read the package: {e}"))?;
            if !link_inside(rel, &t) {
                return Err(format!(
                    "`{}` is a symlink pointing outside the package; refused",
                    shown(rel)
                ));
            }
            resolves_inside(root, rel)?;
        } else if ft.is_file() {
            budget.bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
            if budget.bytes > limits.max_bytes {
                return Err(format!(
                    "the package holds more than {} bytes; refused",
                    limits.max_bytes
                ));
            }
        }
    }
    Ok(budget.bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tgz(build: impl FnOnce(&mut tar::Builder<flate2::write::GzEncoder<Vec<u8>>>)) -> Vec<u8> {
        let enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut b = tar::Builder::new(enc);
        build(&mut b);
        b.into_inner().unwrap().finish().unwrap()
    }

    fn file(b: &mut tar::Builder<flate2::write::GzEncoder<Vec<u8>>>, name: &str, data: &[u8]) {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        // Write the name raw: `append_data` itself refuses `..`.
        let n = name.as_bytes();
        h.as_old_mut().name[..n.len()].copy_from_slice(n);
        h.set_cksum();
        b.append(&h, data).unwrap();
    }

    fn link(b: &mut tar::Builder<flate2::write::GzEncoder<Vec<u8>>>, name: &str, target: &str) {
        let mut h = tar::Header::new_gnu();
        h.set_size(0);
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_link_name(target).unwrap();
        h.set_path(name).unwrap();
        h.set_cksum();
        b.append(&h, &[][..]).unwrap();
    }

    #[test]
    fn a_plain_archive_unpacks() {
        let data = tgz(|b| {
            file(b, "main.tf", b"# x\n");
            file(b, "modules/node/main.tf", b"# y\n");
            link(b, "modules/node/shared.tf", "../../main.tf");
        });
        let d = tempfile::tempdir().unwrap();
        extract(Kind::TarGz, &data, d.path(), Limits::default()).unwrap();
        assert_eq!(
            std::fs::read_to_string(d.path().join("modules/node/shared.tf")).unwrap(),
            "# x\n"
        );
    }

    #[test]
    fn hostile_archives_are_refused() {
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("traversal", tgz(|b| file(b, "../../evil.tf", b"x"))),
            ("absolute", tgz(|b| file(b, "/tmp/evil.tf", b"x"))),
            (
                "symlink out",
                tgz(|b| link(b, "x.tf", "../../../etc/passwd")),
            ),
            ("absolute symlink", tgz(|b| link(b, "x.tf", "/etc/passwd"))),
            (
                "through a symlink",
                tgz(|b| {
                    link(b, "d", ".");
                    file(b, "d/x.tf", b"x");
                }),
            ),
        ];
        for (name, data) in cases {
            let outer = tempfile::tempdir().unwrap();
            let dest = outer.path().join("pkg");
            std::fs::create_dir(&dest).unwrap();
            let r = extract(Kind::TarGz, &data, &dest, Limits::default());
            assert!(r.is_err(), "{name}: {r:?}");
            assert!(!outer.path().join("evil.tf").exists(), "{name}");
        }
    }

    #[test]
    fn oversized_and_crowded_archives_are_refused() {
        let big = vec![0u8; 64 * 1024];
        let data = tgz(|b| file(b, "big.bin", &big));
        let d = tempfile::tempdir().unwrap();
        let small = Limits {
            max_bytes: 1024,
            max_entries: 10,
        };
        let e = extract(Kind::TarGz, &data, d.path(), small).unwrap_err();
        assert!(e.contains("more than 1024 bytes"), "{e}");
        let data = tgz(|b| (0..20).for_each(|i| file(b, &format!("f{i}.tf"), b"")));
        let d = tempfile::tempdir().unwrap();
        let e = extract(Kind::TarGz, &data, d.path(), small).unwrap_err();
        assert!(e.contains("more than 10 files"), "{e}");
    }

    #[test]
    fn zip_traversal_is_refused() {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let o = zip::write::SimpleFileOptions::default();
            w.start_file("ok.tf", o).unwrap();
            w.write_all(b"# ok\n").unwrap();
            w.start_file("../evil.tf", o).unwrap();
            w.write_all(b"x").unwrap();
            w.finish().unwrap();
        }
        let outer = tempfile::tempdir().unwrap();
        let dest = outer.path().join("pkg");
        std::fs::create_dir(&dest).unwrap();
        assert!(extract(Kind::Zip, buf.get_ref(), &dest, Limits::default()).is_err());
        assert!(!outer.path().join("evil.tf").exists());
    }

    /// The attack of issue 32: two links in a chain (each inside on its face) and a later
    /// entry of the same name as the chain's end, meant to write outside the package.
    #[test]
    fn link_chains_and_writes_through_links_are_refused() {
        let cases: Vec<(&str, Vec<u8>)> = vec![
            (
                "chain resolving outside",
                tgz(|b| {
                    link(b, "a", ".");
                    link(b, "b", "a/..");
                }),
            ),
            (
                "chain then a file through it",
                tgz(|b| {
                    link(b, "a", ".");
                    link(b, "b", "a/..");
                    file(b, "b/evil.tf", b"x");
                }),
            ),
            (
                "link then a file of the same name",
                tgz(|b| {
                    link(b, "m/x.tf", "../y.tf");
                    link(b, "y.tf", "z.tf");
                    file(b, "m/x.tf", b"x");
                }),
            ),
            (
                "file then a link of the same name",
                tgz(|b| {
                    file(b, "x.tf", b"x");
                    link(b, "x.tf", "y.tf");
                }),
            ),
        ];
        for (name, data) in cases {
            let outer = tempfile::tempdir().unwrap();
            let dest = outer.path().join("pkg");
            std::fs::create_dir(&dest).unwrap();
            let victim = outer.path().join("evil.tf");
            let r = extract(Kind::TarGz, &data, &dest, Limits::default());
            assert!(r.is_err(), "{name}: {r:?}");
            assert!(!victim.exists(), "{name}");
            assert_eq!(
                std::fs::read_dir(outer.path()).unwrap().count(),
                1,
                "{name}: nothing beside the package"
            );
        }
        // A repeated plain file is allowed: the last copy wins.
        let data = tgz(|b| {
            file(b, "x.tf", b"1");
            file(b, "x.tf", b"2");
        });
        let d = tempfile::tempdir().unwrap();
        extract(Kind::TarGz, &data, d.path(), Limits::default()).unwrap();
        assert_eq!(std::fs::read_to_string(d.path().join("x.tf")).unwrap(), "2");
    }

    #[cfg(unix)]
    #[test]
    fn a_zip_link_chain_is_refused() {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let o = zip::write::SimpleFileOptions::default();
            w.add_symlink("a", ".", o).unwrap();
            w.add_symlink("b", "a/..", o).unwrap();
            w.start_file("ok.tf", o).unwrap();
            w.write_all(b"# ok\n").unwrap();
            w.finish().unwrap();
        }
        let outer = tempfile::tempdir().unwrap();
        let dest = outer.path().join("pkg");
        std::fs::create_dir(&dest).unwrap();
        let e = extract(Kind::Zip, buf.get_ref(), &dest, Limits::default()).unwrap_err();
        assert!(e.contains("resolves outside"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_checkout_with_a_link_chain_out_is_refused() {
        let d = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(".", d.path().join("a")).unwrap();
        std::os::unix::fs::symlink("a/..", d.path().join("b")).unwrap();
        let e = check_tree(d.path(), Limits::default()).unwrap_err();
        assert!(e.contains("resolves outside"), "{e}");
    }

    #[test]
    fn symlink_rules() {
        assert!(link_inside(Path::new("a/b.tf"), Path::new("../c.tf")));
        assert!(!link_inside(Path::new("a/b.tf"), Path::new("../../c.tf")));
        assert!(!link_inside(Path::new("b.tf"), Path::new("/etc/passwd")));
    }
}
