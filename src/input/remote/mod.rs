//! Remote module sources, fetched the way `terraform init` would, without Terraform:
//! registry modules ([`registry`]), git ([`git`]), HTTP(S) archives ([`archive`]), into a
//! local cache ([`cache`]), honouring Terraform's CLI configuration ([`cliconfig`]).
//!
//! Every package is checked before use (no path or symlink leaving it, size and entry caps);
//! a module read from the cache has its package directory as its root: its local sources
//! (`./x`) and file functions may not leave it. Anything that cannot be fetched is an error
//! string for the caller to report (the module is then "not loaded", never silently empty).

pub mod archive;
pub mod cache;
pub mod cliconfig;
pub mod git;
pub mod registry;
pub mod source;
pub mod version;

use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

use reqwest::blocking::Client;
use reqwest::Url;

use self::archive::Limits;
use self::cache::Cache;
use self::cliconfig::CliConfig;
use self::source::{redact_url, RegistryAddr, Source};
use self::version::Constraints;

/// How remote modules are fetched (from the command line and environment).
#[derive(Debug, Clone, Default)]
pub struct RemoteOptions {
    /// `--offline`: use the module cache only.
    pub offline: bool,
    /// Cache directory (default: `COSTGATE_CACHE_DIR`, then the XDG cache dir).
    pub cache_dir: Option<PathBuf>,
}

/// A fetched module: its directory, and the package root it may read inside.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub dir: PathBuf,
    pub root: PathBuf,
    /// The registry version chosen, if any.
    pub version: Option<String>,
}

pub struct Fetcher {
    offline: bool,
    cache: Cache,
    cli: CliConfig,
    limits: Limits,
    timeout: Duration,
    http: OnceLock<Result<Client, String>>,
    bases: Mutex<HashMap<String, Result<Url, String>>>,
    progress: Progress,
    /// Fetches running now (at most [`MAX_CONCURRENT`]), and the bytes all of this run's
    /// downloads and clones took (at most `max_total`).
    running: (Mutex<usize>, Condvar),
    spent: AtomicU64,
    max_total: u64,
}

/// Fetches at a time, whatever the number of module calls.
const MAX_CONCURRENT: usize = 4;

/// Nesting of `X-Terraform-Get` indirections we follow.
const MAX_HOPS: usize = 4;

fn env_u64(k: &str) -> Option<u64> {
    std::env::var(k).ok().and_then(|v| v.trim().parse().ok())
}

impl Fetcher {
    pub fn new(opts: &RemoteOptions) -> Fetcher {
        let mut limits = Limits::default();
        if let Some(b) = env_u64("COSTGATE_MODULE_MAX_BYTES") {
            limits.max_bytes = b;
        }
        Fetcher {
            offline: opts.offline,
            cache: Cache::new(opts.cache_dir.clone()),
            cli: CliConfig::load(),
            limits,
            timeout: Duration::from_secs(env_u64("COSTGATE_MODULE_TIMEOUT").unwrap_or(120)),
            http: OnceLock::new(),
            bases: Mutex::new(HashMap::new()),
            progress: Progress::new(),
            running: (Mutex::new(0), Condvar::new()),
            spent: AtomicU64::new(0),
            max_total: env_u64("COSTGATE_MODULE_MAX_TOTAL_BYTES").unwrap_or(4 * limits.max_bytes),
        }
    }

    /// Count `n` more bytes against the run's total; an error past it.
    fn spend(&self, n: u64) -> Result<(), String> {
        let total = self.spent.fetch_add(n, Ordering::SeqCst) + n;
        if total > self.max_total {
            return Err(format!(
                "remote modules of this run take more than {} bytes in all; refused",
                self.max_total
            ));
        }
        Ok(())
    }

    /// Warnings from reading the CLI configuration.
    pub fn warnings(&self) -> Vec<String> {
        self.cli.warnings.clone()
    }

    fn http(&self) -> Result<&Client, String> {
        self.http
            .get_or_init(|| {
                Client::builder()
                    .timeout(self.timeout)
                    .connect_timeout(Duration::from_secs(15))
                    .redirect(reqwest::redirect::Policy::limited(5))
                    .user_agent(concat!("costgate/", env!("CARGO_PKG_VERSION")))
                    .build()
                    .map_err(|e| format!("cannot start the HTTP client: {e}"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Fetch the module at `source` (with the block's `version` constraint, registry only).
    pub fn fetch(&self, source: &str, version: Option<&str>) -> Result<Fetched, String> {
        self.progress.start();
        {
            let (m, cv) = &self.running;
            let mut n = m.lock().unwrap_or_else(|p| p.into_inner());
            while *n >= MAX_CONCURRENT {
                n = cv.wait(n).unwrap_or_else(|p| p.into_inner());
            }
            *n += 1;
        }
        let r = self.fetch_inner(source, version, 0);
        {
            let (m, cv) = &self.running;
            *m.lock().unwrap_or_else(|p| p.into_inner()) -= 1;
            cv.notify_one();
        }
        self.progress.done();
        r
    }

    /// Clone `g` into `dest` and check it, its bytes counted against the run's total.
    fn clone_git(&self, g: &source::GitSource, dest: &Path) -> Result<(), String> {
        let left = self
            .max_total
            .saturating_sub(self.spent.load(Ordering::SeqCst));
        git::clone(g, dest, self.timeout, self.limits.max_bytes.min(left))?;
        let bytes = archive::check_tree(dest, self.limits)?;
        self.spend(bytes)
    }

    fn fetch_inner(
        &self,
        source: &str,
        version: Option<&str>,
        hop: usize,
    ) -> Result<Fetched, String> {
        let parsed = source::parse(source);
        let (root, chosen) = match &parsed.source {
            Source::Unsupported(why) => return Err(why.clone()),
            Source::Registry(addr) => {
                let c = Constraints::parse(version.unwrap_or(""))?;
                let (root, v) = self.registry_package(addr, &c, version, hop)?;
                (root, Some(v))
            }
            Source::Git(g) => {
                if version.is_some() {
                    return Err(
                        "`version` is only valid for registry modules (use `?ref=` for git)".into(),
                    );
                }
                let id = format!(
                    "{}\n{}\n{:?}",
                    g.url,
                    g.reference.as_deref().unwrap_or(""),
                    g.depth
                );
                let target = self.cache.entry("git", &id);
                if !target.is_dir() {
                    self.must_be_online(source)?;
                    self.cache.install(&target, |tmp| self.clone_git(g, tmp))?;
                }
                (target, None)
            }
            Source::Http { url } => {
                if version.is_some() {
                    return Err("`version` is only valid for registry modules".into());
                }
                (self.http_package(url, hop)?, None)
            }
        };
        let dir = subdir(&root, &parsed.subdir)?;
        Ok(Fetched {
            dir,
            root,
            version: chosen,
        })
    }

    fn must_be_online(&self, source: &str) -> Result<(), String> {
        if self.offline {
            Err(format!(
                "`{}` is not in the module cache and --offline forbids fetching it",
                redact_url(source)
            ))
        } else {
            Ok(())
        }
    }

    /// The package root of `addr` at the newest allowed version (from the cache when offline).
    fn registry_package(
        &self,
        addr: &RegistryAddr,
        c: &Constraints,
        raw: Option<&str>,
        hop: usize,
    ) -> Result<(PathBuf, String), String> {
        let dir = self
            .cache
            .entry("registry", &format!("{}/{}", addr.host, addr.path()));
        let wanted = raw.map(|r| format!(" matching `{r}`")).unwrap_or_default();
        if self.offline {
            let cached: Vec<String> = std::fs::read_dir(&dir)
                .map(|rd| {
                    rd.filter_map(|e| e.ok())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .filter(|n| !n.starts_with('.'))
                        .collect()
                })
                .unwrap_or_default();
            let (v, _) = c.newest(cached.iter().map(String::as_str)).ok_or_else(|| {
                format!(
                    "no version of {}/{}{wanted} is in the module cache and --offline forbids fetching it",
                    addr.host,
                    addr.path()
                )
            })?;
            return Ok((dir.join(v), v.to_string()));
        }
        let http = self.http()?;
        let base = {
            let mut bases = self.bases.lock().unwrap_or_else(|p| p.into_inner());
            bases
                .entry(addr.host.clone())
                .or_insert_with(|| registry::modules_base(http, &self.cli, &addr.host))
                .clone()?
        };
        let all = registry::versions(http, &self.cli, &base, addr)?;
        let (v, _) = c.newest(all.iter().map(String::as_str)).ok_or_else(|| {
            format!(
                "the registry {} has no version of {}{wanted}",
                addr.host,
                addr.path()
            )
        })?;
        let v = v.to_string();
        if !safe_name(&v) {
            return Err(format!(
                "the registry {} lists an invalid version",
                addr.host
            ));
        }
        let target = dir.join(&v);
        if !target.is_dir() {
            let loc = registry::download(http, &self.cli, &base, addr, &v)?;
            let same_host = Url::parse(loc.split_once("::").map(|x| x.1).unwrap_or(&loc))
                .ok()
                .is_some_and(|u| u.host_str() == base.host_str() && u.port() == base.port());
            let token = if same_host {
                self.cli.token(&addr.host)
            } else {
                None
            };
            // The location is a package address of its own (archive or git), maybe with a
            // sub-directory; the whole package is cached under this registry version.
            self.cache
                .install(&target, |tmp| self.materialize(&loc, tmp, token, hop + 1))?;
        }
        Ok((target, v))
    }

    /// Put the package named by `loc` (no registry addresses) into `dest`, which must not exist.
    /// A `//subdir` of `loc` is kept: the package root stays the whole package.
    fn materialize(
        &self,
        loc: &str,
        dest: &Path,
        token: Option<&cliconfig::Token>,
        hop: usize,
    ) -> Result<(), String> {
        if hop > MAX_HOPS {
            return Err("too many package redirections (X-Terraform-Get)".into());
        }
        let parsed = source::parse(loc);
        if !parsed.subdir.is_empty() {
            return Err(format!(
                "package location `{}` names a sub-directory; not supported for registry downloads",
                redact_url(loc)
            ));
        }
        match &parsed.source {
            Source::Git(g) => self.clone_git(g, dest),
            Source::Http { url } => self.download_into(url, dest, token, hop),
            Source::Registry(_) => {
                Err("a registry download pointed at another registry module".into())
            }
            Source::Unsupported(why) => Err(why.clone()),
        }
    }

    fn http_package(&self, url: &str, hop: usize) -> Result<PathBuf, String> {
        let target = self.cache.entry("http", url);
        if !target.is_dir() {
            self.must_be_online(url)?;
            self.cache
                .install(&target, |tmp| self.download_into(url, tmp, None, hop))?;
        }
        Ok(target)
    }

    /// GET `url` and unpack it into `dest`; a reply naming another location
    /// (`X-Terraform-Get`) is followed.
    fn download_into(
        &self,
        url: &str,
        dest: &Path,
        token: Option<&cliconfig::Token>,
        hop: usize,
    ) -> Result<(), String> {
        if hop > MAX_HOPS {
            return Err("too many package redirections (X-Terraform-Get)".into());
        }
        let shown = redact_url(url);
        let u = Url::parse(url).map_err(|_| format!("`{shown}` is not a valid URL"))?;
        let mut req = self.http()?.get(u);
        if let Some(t) = token {
            req = req.header(reqwest::header::AUTHORIZATION, t.bearer());
        }
        let resp = req
            .send()
            .map_err(|e| format!("download failed: {}", registry::net_error(&e)))?;
        let status = resp.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(format!("download of {shown} answered HTTP {status}"));
        }
        if let Some(next) = resp
            .headers()
            .get("x-terraform-get")
            .and_then(|h| h.to_str().ok())
        {
            let next = registry::absolute(resp.url(), next);
            return self.materialize(&next, dest, None, hop + 1);
        }
        if resp
            .content_length()
            .is_some_and(|n| n > self.limits.max_bytes)
        {
            return Err(format!(
                "{shown} is larger than {} bytes; refused",
                self.limits.max_bytes
            ));
        }
        // Streamed to a file beside the package (in the same private directory), counted
        // against the package's and the run's caps while it arrives.
        let file_path = dest.with_extension("download");
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&file_path)
            .map_err(|e| format!("cannot write to the module cache: {e}"))?;
        let mut head = Vec::new();
        let mut resp = resp.take(self.limits.max_bytes + 1);
        let mut buf = vec![0u8; 64 * 1024];
        let mut got: u64 = 0;
        loop {
            let n = resp
                .read(&mut buf)
                .map_err(|_| format!("download of {shown} was interrupted"))?;
            if n == 0 {
                break;
            }
            got += n as u64;
            if got > self.limits.max_bytes {
                return Err(format!(
                    "{shown} is larger than {} bytes; refused",
                    self.limits.max_bytes
                ));
            }
            self.spend(n as u64)?;
            if head.len() < 8 {
                head.extend_from_slice(&buf[..n.min(8)]);
            }
            file.write_all(&buf[..n])
                .map_err(|e| format!("cannot write to the module cache: {e}"))?;
        }
        let kind = archive::kind_of_url(url)
            .or_else(|| archive::kind_of_bytes(&head))
            .ok_or_else(|| format!("{shown} is not a .zip or .tar.gz archive"))?;
        std::fs::create_dir_all(dest)
            .map_err(|e| format!("cannot write to the module cache: {e}"))?;
        use std::io::Seek;
        file.rewind()
            .map_err(|e| format!("cannot read the module cache: {e}"))?;
        let r = archive::extract_from(kind, file, dest, self.limits)
            .map_err(|e| format!("{shown}: {e}"));
        let _ = std::fs::remove_file(&file_path);
        r
    }
}

fn safe_name(v: &str) -> bool {
    !v.is_empty()
        && !v.starts_with('.')
        && v.len() < 64
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-+".contains(&b))
}

/// The module directory inside a package; the sub-directory may not leave it.
fn subdir(root: &Path, sub: &str) -> Result<PathBuf, String> {
    if sub.is_empty() {
        return Ok(root.to_path_buf());
    }
    let rel = archive::safe_relative(Path::new(sub))
        .map_err(|_| format!("sub-directory `{sub}` leaves the module package"))?;
    let d = root.join(rel);
    let canon_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match d.canonicalize() {
        Ok(c) if c.starts_with(&canon_root) && c.is_dir() => Ok(d),
        Ok(_) => Err(format!("sub-directory `{sub}` leaves the module package")),
        Err(_) => Err(format!("the package has no sub-directory `{sub}`")),
    }
}

/// A progress line on stderr, only when it is a terminal (CI logs stay quiet).
struct Progress {
    tty: bool,
    total: AtomicUsize,
    done: AtomicUsize,
    lock: Mutex<()>,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            tty: std::io::stderr().is_terminal(),
            total: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            lock: Mutex::new(()),
        }
    }
    fn start(&self) {
        self.total.fetch_add(1, Ordering::SeqCst);
        self.show();
    }
    fn done(&self) {
        self.done.fetch_add(1, Ordering::SeqCst);
        self.show();
    }
    fn show(&self) {
        if !self.tty {
            return;
        }
        let _g = self.lock.lock();
        let (d, t) = (
            self.done.load(Ordering::SeqCst),
            self.total.load(Ordering::SeqCst),
        );
        let mut e = std::io::stderr();
        if d >= t {
            let _ = write!(e, "\r\x1b[K");
        } else {
            let _ = write!(e, "\r\x1b[Kcostgate: fetching modules {d}/{t}");
        }
        let _ = e.flush();
    }
}
