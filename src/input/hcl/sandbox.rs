//! The file sandbox of HCL mode: every path the configuration makes costgate read (the `.tf`
//! files of a module, a local module's directory, auto-loaded `.tfvars`, the paths given to
//! `file()`, `templatefile()`, `fileset()`, ...) is resolved, symlinks included, and must stay
//! inside one of the allowed roots: the project root (the directory given, or the git
//! repository containing it) and the directories of `--allow-path`. A pull request controls
//! these paths, so nothing outside (the runner's environment in `/proc/self/environ`, keys in
//! the home directory, device files) is ever read.
//!
//! A refused path is an error of the function call that names the path, never its content;
//! the caller turns it into an unknown value with a warning. [`REFUSED`] marks these errors so
//! that `try()` and `can()` do not turn them into a fallback value.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::eval::{b64, EResult, Env, Found, Val};
use super::load::normalize;

/// Largest file a function may read.
pub const MAX_FILE: u64 = 4 * 1024 * 1024;

/// Most paths `fileset()` returns (and directory entries it visits, ten times that).
const MAX_FILESET: usize = 10_000;

/// Marks an error as a sandbox refusal (see the module documentation).
pub const REFUSED: &str = "refused by the costgate sandbox";

/// Directories whose files are never regular data, whatever the roots say.
const SYSTEM: &[&str] = &["/proc", "/sys", "/dev"];

/// The allowed roots (canonical paths) and whether a template is being evaluated.
#[derive(Debug, Default)]
pub struct Sandbox {
    roots: Vec<PathBuf>,
    in_template: Cell<bool>,
}

/// The enclosing git repository's root of a canonical directory, if any.
fn git_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

impl Sandbox {
    /// The sandbox of the project at `path` (a directory, or a file whose directory counts):
    /// its git repository's root, else the directory itself, plus `allow`.
    pub fn for_path(path: &Path, allow: &[PathBuf]) -> Sandbox {
        let dir = if path.is_dir() {
            path
        } else {
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        };
        let mut sb = Sandbox::default();
        if let Ok(c) = dir.canonicalize() {
            sb.roots.push(git_root(&c).unwrap_or(c));
        }
        for a in allow {
            sb.allow(a);
        }
        sb
    }

    /// Widen the sandbox by a directory (`--allow-path`, a module cache). A directory that
    /// does not exist allows nothing.
    pub fn allow(&mut self, dir: &Path) {
        if let Ok(c) = dir.canonicalize() {
            if !self.roots.contains(&c) {
                self.roots.push(c);
            }
        }
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Inside a root, outside the system directories, and not inside a repository's `.git`
    /// directory (with `actions/checkout`'s default `persist-credentials`, `.git/config` holds
    /// the job's token).
    fn inside(&self, canonical: &Path) -> bool {
        !SYSTEM.iter().any(|s| canonical.starts_with(s))
            && self.roots.iter().any(|r| {
                canonical.strip_prefix(r).is_ok_and(|rel| {
                    !rel.components()
                        .any(|c| c.as_os_str() == std::ffi::OsStr::new(".git"))
                })
            })
    }

    /// Resolve `path` (symlinks included) and check it stays inside the roots.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, String> {
        let shown = path.display();
        let outside = || {
            format!("`{shown}` is outside the project root and the --allow-path directories ({REFUSED})")
        };
        match path.canonicalize() {
            Ok(c) if self.inside(&c) => Ok(c),
            Ok(_) => Err(outside()),
            Err(e) => {
                // A path that is outside (lexically) is "outside" whether or not it exists,
                // so the configuration cannot probe the runner's file system.
                let cwd = std::env::current_dir().and_then(|d| d.canonicalize());
                let abs = normalize(&cwd.map(|d| d.join(path)).unwrap_or_default());
                if self.inside(&abs) {
                    Err(format!("`{shown}`: {}", io_reason(&e)))
                } else {
                    Err(outside())
                }
            }
        }
    }

    /// A regular file inside the roots.
    pub fn check_file(&self, path: &Path) -> Result<PathBuf, String> {
        let c = self.resolve(path)?;
        let meta = std::fs::metadata(&c)
            .map_err(|e| format!("`{}`: {}", path.display(), io_reason(&e)))?;
        if !meta.is_file() {
            return Err(format!(
                "`{}` is not a regular file ({REFUSED})",
                path.display()
            ));
        }
        Ok(c)
    }

    /// A directory inside the roots.
    pub fn check_dir(&self, path: &Path) -> Result<PathBuf, String> {
        let c = self.resolve(path)?;
        if !c.is_dir() {
            return Err(format!("`{}` is not a directory", path.display()));
        }
        Ok(c)
    }

    /// The bytes of a regular file inside the roots, at most [`MAX_FILE`] (checked while
    /// reading: a file's stated size is not trusted).
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, String> {
        let c = self.check_file(path)?;
        let f = std::fs::File::open(&c)
            .map_err(|e| format!("`{}`: {}", path.display(), io_reason(&e)))?;
        if !f.metadata().is_ok_and(|m| m.is_file()) {
            return Err(format!(
                "`{}` is not a regular file ({REFUSED})",
                path.display()
            ));
        }
        let mut bytes = Vec::new();
        f.take(MAX_FILE + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("`{}`: {}", path.display(), io_reason(&e)))?;
        if bytes.len() as u64 > MAX_FILE {
            return Err(format!(
                "`{}` is larger than {} MiB",
                path.display(),
                MAX_FILE / 1024 / 1024
            ));
        }
        Ok(bytes)
    }

    /// A UTF-8 text file (see [`read`](Self::read)).
    pub fn read_text(&self, path: &Path) -> Result<String, String> {
        String::from_utf8(self.read(path)?)
            .map_err(|_| format!("`{}` is not UTF-8 text (use filebase64)", path.display()))
    }

    /// `Err` while a template is being evaluated.
    pub fn not_in_template(&self) -> Result<(), String> {
        if self.in_template.get() {
            return Err("templatefile cannot be called from inside a template (Terraform forbids recursive templatefile calls)".into());
        }
        Ok(())
    }

    /// Run `f` as the evaluation of a template; a template may not call `templatefile` (as in
    /// Terraform), which also bounds the recursion.
    pub fn in_template<T>(&self, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
        self.not_in_template()?;
        self.in_template.set(true);
        let r = f();
        self.in_template.set(false);
        r
    }
}

/// An I/O error in words, without the OS's text (which may quote nothing, but varies).
fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "no such file or directory".into(),
        K::PermissionDenied => "permission denied".into(),
        _ => "cannot be read".into(),
    }
}

/// The functions that read files, by name.
pub const FILE_FUNCTIONS: &[&str] = &[
    "file",
    "fileexists",
    "filebase64",
    "fileset",
    "filemd5",
    "filesha1",
    "filesha256",
    "filesha512",
    "filebase64sha256",
    "filebase64sha512",
    "abspath",
    "pathexpand",
];

/// Call a file function. `base` is the directory relative paths start from (the root
/// module's, as Terraform's working directory); `sandbox` is `None` where no file may be read.
pub fn call(name: &str, args: &[Val], base: &Path, sandbox: Option<&Sandbox>) -> EResult {
    if args.iter().any(Val::has_unknown) {
        return Ok(Val::Unknown);
    }
    let arg = |i: usize| -> Result<String, String> {
        args.get(i)
            .ok_or_else(|| format!("{name}() expects {} argument(s)", i + 1))?
            .to_str()
    };
    let sb = sandbox.ok_or_else(|| format!("{name}() cannot read files here ({REFUSED})"))?;
    let path = |s: &str| base.join(s);
    match name {
        "file" => Ok(Val::Str(sb.read_text(&path(&arg(0)?))?)),
        "filebase64" => Ok(Val::Str(b64(&sb.read(&path(&arg(0)?))?))),
        "fileexists" => {
            let p = path(&arg(0)?);
            match sb.resolve(&p) {
                Ok(c) => Ok(Val::Bool(c.is_file())),
                Err(e) if e.contains(REFUSED) => Err(e),
                Err(_) => Ok(Val::Bool(false)),
            }
        }
        "fileset" => fileset(sb, &path(&arg(0)?), &arg(1)?),
        // Hashes of files are not needed to price anything: unknown, never guessed (the
        // path is still checked, so a refused path says so).
        "filemd5" | "filesha1" | "filesha256" | "filesha512" | "filebase64sha256"
        | "filebase64sha512" => {
            sb.check_file(&path(&arg(0)?))?;
            Ok(Val::Unknown)
        }
        // The runner's directories (working directory, home) are not the configuration's
        // business: unknown.
        "abspath" | "pathexpand" => Ok(Val::Unknown),
        _ => Err(format!("function `{name}` is not supported in HCL mode")),
    }
}

/// `fileset(path, pattern)`: the files under `path` matching `pattern`, relative to `path`,
/// sorted. Symlinks are followed only when they stay inside the roots.
fn fileset(sb: &Sandbox, dir: &Path, pattern: &str) -> EResult {
    let root = sb.check_dir(dir)?;
    let glob = globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("fileset(): invalid pattern: {}", e.kind()))?
        .compile_matcher();
    let mut out = BTreeSet::new();
    let mut visited = 0usize;
    let walk = walkdir::WalkDir::new(&root)
        .follow_links(true)
        .max_depth(64)
        .into_iter()
        .filter_entry(|e| sb.resolve(e.path()).is_ok());
    for entry in walk {
        visited += 1;
        if visited > 10 * MAX_FILESET {
            return Err(format!(
                "fileset(): `{}` has too many entries",
                dir.display()
            ));
        }
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if glob.is_match(&rel) {
            out.insert(rel);
            if out.len() > MAX_FILESET {
                return Err(format!("fileset(): more than {MAX_FILESET} files match"));
            }
        }
    }
    Ok(Val::List(out.into_iter().map(Val::Str).collect()))
}

/// The names a template sees: its variables only (they are frames of the evaluator); file
/// functions read from the same sandbox as the calling module.
pub struct TemplateEnv<'s> {
    pub base: PathBuf,
    pub sandbox: Option<&'s Sandbox>,
}

impl Env for TemplateEnv<'_> {
    fn lookup(&self, root: &str, _attr: Option<&str>) -> Result<Found, String> {
        Err(format!(
            "`{root}` is not a variable of the template (pass it in templatefile's variables)"
        ))
    }
    fn base_dir(&self) -> PathBuf {
        self.base.clone()
    }
    fn sandbox(&self) -> Option<&Sandbox> {
        self.sandbox
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repositorys_git_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("infra")).unwrap();
        std::fs::write(
            root.join(".git/config"),
            "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0LXRva2Vu\n",
        )
        .unwrap();
        std::fs::write(root.join("infra/ok.txt"), "inside").unwrap();
        let sb = Sandbox::for_path(&root.join("infra"), &[]);
        assert_eq!(sb.read_text(&root.join("infra/ok.txt")).unwrap(), "inside");
        for p in [root.join(".git/config"), root.join("infra/../.git/config")] {
            let e = sb.read_text(&p).unwrap_err();
            assert!(e.contains(REFUSED) && !e.contains("c2VjcmV0"), "{e}");
        }
    }

    #[test]
    fn paths_outside_the_root_are_refused_without_their_content() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("proj");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("ok.txt"), "inside").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s3cr3t-value").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
        std::os::unix::fs::symlink("/proc/self/environ", root.join("env")).unwrap();
        let sb = Sandbox::for_path(&root, &[]);
        assert_eq!(sb.read_text(&root.join("ok.txt")).unwrap(), "inside");
        for p in [
            root.join("link.txt"),
            root.join("../secret.txt"),
            dir.path().join("secret.txt"),
            root.join("env"),
            PathBuf::from("/proc/self/environ"),
            PathBuf::from("/etc/passwd"),
            PathBuf::from("/nonexistent/file"),
        ] {
            let e = sb.read_text(&p).unwrap_err();
            assert!(e.contains(REFUSED), "{p:?}: {e}");
            assert!(!e.contains("s3cr3t") && !e.contains("root:"), "{e}");
        }
        // --allow-path widens.
        let wide = Sandbox::for_path(&root, &[dir.path().to_path_buf()]);
        assert_eq!(
            wide.read_text(&root.join("link.txt")).unwrap(),
            "s3cr3t-value"
        );
        // Device files stay refused even inside an allowed root.
        let all = Sandbox::for_path(&root, &[PathBuf::from("/")]);
        assert!(all
            .read(Path::new("/dev/zero"))
            .unwrap_err()
            .contains(REFUSED));
        assert!(all
            .read(Path::new("/proc/self/environ"))
            .unwrap_err()
            .contains(REFUSED));
    }

    #[test]
    fn fifos_and_large_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let sb = Sandbox::for_path(dir.path(), &[]);
        if made.is_ok_and(|s| s.success()) {
            assert!(sb.read(&fifo).unwrap_err().contains("not a regular file"));
        }
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'a'; MAX_FILE as usize + 1]).unwrap();
        assert!(sb.read(&big).unwrap_err().contains("larger than"));
    }

    #[test]
    fn fileset_stays_inside() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("p");
        std::fs::create_dir_all(root.join("files/sub")).unwrap();
        std::fs::write(root.join("files/a.txt"), "").unwrap();
        std::fs::write(root.join("files/sub/b.txt"), "").unwrap();
        std::fs::write(dir.path().join("outside.txt"), "").unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("files/up")).unwrap();
        let sb = Sandbox::for_path(&root, &[]);
        let got = call(
            "fileset",
            &[Val::Str("files".into()), Val::Str("**/*.txt".into())],
            &root,
            Some(&sb),
        )
        .unwrap();
        assert_eq!(
            got,
            Val::List(vec![Val::Str("a.txt".into()), Val::Str("sub/b.txt".into())])
        );
        assert!(call(
            "fileset",
            &[Val::Str("/".into()), Val::Str("*".into())],
            &root,
            Some(&sb)
        )
        .unwrap_err()
        .contains(REFUSED));
        assert!(call("file", &[Val::Str("files/a.txt".into())], &root, None)
            .unwrap_err()
            .contains(REFUSED));
    }
}
