//! Module source addresses as `terraform init` reads them (go-getter conventions): registry
//! addresses, `git::` and GitHub/Bitbucket shorthands, `git@host:path`, HTTP(S) archives,
//! `//subdir` and `?ref=` / `?depth=` / `?archive=`.

/// Where a package comes from, and which sub-directory of it is the module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `[HOST/]NAMESPACE/NAME/PROVIDER`.
    Registry(RegistryAddr),
    Git(GitSource),
    /// An archive (`.zip`, `.tar.gz`, `.tgz`, `?archive=`) or a page answering `X-Terraform-Get`.
    Http {
        url: String,
    },
    /// A source costgate does not fetch (S3, GCS, Mercurial…), with the reason.
    Unsupported(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryAddr {
    pub host: String,
    pub namespace: String,
    pub name: String,
    pub provider: String,
}

impl RegistryAddr {
    pub fn path(&self) -> String {
        format!("{}/{}/{}", self.namespace, self.name, self.provider)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitSource {
    /// The URL given to `git clone` (without costgate-only query parameters).
    pub url: String,
    pub reference: Option<String>,
    pub depth: Option<u32>,
}

/// A parsed source: the package and the sub-directory inside it (`""` for its root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub source: Source,
    pub subdir: String,
}

pub const DEFAULT_REGISTRY: &str = "registry.terraform.io";

/// Split `pkg//sub?query` into (`pkg?query`, `sub`), keeping a scheme's `://` intact.
pub fn split_subdir(s: &str) -> (String, String) {
    let (body, query) = match s.find('?') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let start = body.find("://").map(|i| i + 3).unwrap_or(0);
    match body[start..].find("//") {
        Some(i) => {
            let at = start + i;
            let sub = body[at + 2..].trim_matches('/').to_string();
            (format!("{}{query}", &body[..at]), sub)
        }
        None => (s.to_string(), String::new()),
    }
}

/// Parse a non-local module source.
pub fn parse(raw: &str) -> Parsed {
    let raw = raw.trim();
    let (forced, rest) = match raw.split_once("::") {
        Some((f, r)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            (Some(f), r)
        }
        _ => (None, raw),
    };
    let (pkg, subdir) = split_subdir(rest);
    let source = match forced {
        Some("git") => git(&pkg),
        Some("s3") => Source::Unsupported("S3 sources (`s3::`) are not fetched by costgate: it holds no cloud credentials; run `terraform init` so .terraform/modules has it".into()),
        Some("gcs") => Source::Unsupported("GCS sources (`gcs::`) are not fetched by costgate: it holds no cloud credentials; run `terraform init` so .terraform/modules has it".into()),
        Some("hg") => Source::Unsupported("Mercurial sources (`hg::`) are not supported; run `terraform init` so .terraform/modules has it".into()),
        Some("http") | Some("https") => Source::Http { url: pkg },
        Some(other) => Source::Unsupported(format!("the `{other}::` source type is not supported")),
        None => detect(&pkg),
    };
    Parsed { source, subdir }
}

fn detect(pkg: &str) -> Source {
    if pkg.starts_with("git@") {
        // `git@host:org/repo.git` (scp-like SSH).
        return git(pkg);
    }
    if let Some(rest) = pkg.strip_prefix("github.com/") {
        return shorthand("github.com", rest);
    }
    if let Some(rest) = pkg.strip_prefix("bitbucket.org/") {
        return shorthand("bitbucket.org", rest);
    }
    if pkg.contains(".s3.amazonaws.com/") || pkg.contains(".s3-") && pkg.contains(".amazonaws.com/")
    {
        return Source::Unsupported("S3 bucket sources are not fetched by costgate (no cloud credentials); run `terraform init` so .terraform/modules has it".into());
    }
    if pkg.starts_with("www.googleapis.com/storage/") {
        return Source::Unsupported("GCS bucket sources are not fetched by costgate (no cloud credentials); run `terraform init` so .terraform/modules has it".into());
    }
    if pkg.starts_with("https://") || pkg.starts_with("http://") {
        return Source::Http {
            url: pkg.to_string(),
        };
    }
    if pkg.starts_with("file://") || pkg.starts_with('/') {
        return Source::Unsupported(
            "absolute file paths as module sources are outside the project; not read".into(),
        );
    }
    if let Some(r) = registry(pkg) {
        return Source::Registry(r);
    }
    Source::Unsupported(format!(
        "`{pkg}` is not a source address costgate understands"
    ))
}

fn shorthand(host: &str, rest: &str) -> Source {
    let (path, query) = match rest.find('?') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    git(&format!("https://{host}/{path}.git{query}"))
}

fn git(pkg: &str) -> Source {
    let (url, query) = match pkg.find('?') {
        Some(i) => (&pkg[..i], &pkg[i + 1..]),
        None => (pkg, ""),
    };
    let mut reference = None;
    let mut depth = None;
    for kv in query.split('&').filter(|s| !s.is_empty()) {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        let v = percent_decode(v);
        match k {
            "ref" => reference = Some(v),
            "depth" => match v.parse::<u32>() {
                Ok(d) => depth = Some(d),
                Err(_) => return Source::Unsupported(format!("`depth={v}` is not a number")),
            },
            "sshkey" => {
                return Source::Unsupported(
                    "git sources with `sshkey=` are not fetched (costgate does not handle keys)"
                        .into(),
                )
            }
            other => return Source::Unsupported(format!("unknown git source argument `{other}`")),
        }
    }
    if let Some(r) = &reference {
        if r.starts_with('-') || r.is_empty() {
            return Source::Unsupported("the git `ref` is not a valid reference".into());
        }
    }
    let url = match url.strip_prefix("git@") {
        // scp-like `git@host:path` → `ssh://git@host/path`.
        Some(rest) if !url.contains("://") => match rest.split_once(':') {
            Some((host, path)) => format!("ssh://git@{host}/{path}"),
            None => return Source::Unsupported("`git@` source without `host:path`".into()),
        },
        _ => url.to_string(),
    };
    if url.to_ascii_lowercase().starts_with("file:") || url.starts_with('/') {
        return Source::Unsupported(
            "git sources on the local file system (`file://`, absolute paths) are outside the project; not read".into(),
        );
    }
    let scheme_ok = ["https://", "http://", "ssh://", "git://"]
        .iter()
        .any(|s| url.starts_with(s));
    if !scheme_ok || url.starts_with('-') {
        return Source::Unsupported(format!(
            "git URL `{}` has no supported scheme",
            redact_url(&url)
        ));
    }
    Source::Git(GitSource {
        url,
        reference,
        depth,
    })
}

fn valid_part(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn registry(pkg: &str) -> Option<RegistryAddr> {
    if pkg.contains('?') {
        return None;
    }
    let parts: Vec<&str> = pkg.split('/').collect();
    let (host, rest) = match parts.len() {
        3 => (DEFAULT_REGISTRY.to_string(), &parts[..]),
        4 => {
            let h = parts[0].to_ascii_lowercase();
            let ok = !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:".contains(&b))
                && (h.contains('.') || h.starts_with("localhost"));
            if !ok || h == "github.com" || h == "bitbucket.org" {
                return None;
            }
            (h, &parts[1..])
        }
        _ => return None,
    };
    let (ns, name, provider) = (rest[0], rest[1], rest[2]);
    if !(valid_part(ns) && valid_part(name) && valid_part(provider)) {
        return None;
    }
    if !provider
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return None;
    }
    Some(RegistryAddr {
        host,
        namespace: ns.to_string(),
        name: name.to_string(),
        provider: provider.to_string(),
    })
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(x) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(x);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A URL safe to show: no user info, no query (signed URLs carry secrets there).
pub fn redact_url(u: &str) -> String {
    let u = u.split(['?', '#']).next().unwrap_or(u);
    match u.find("://") {
        Some(i) => {
            let (scheme, rest) = (&u[..i + 3], &u[i + 3..]);
            let host_end = rest.find('/').unwrap_or(rest.len());
            match rest[..host_end].rfind('@') {
                Some(at) => format!("{scheme}{}", &rest[at + 1..]),
                None => u.to_string(),
            }
        }
        None => u.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(host: &str, ns: &str, n: &str, p: &str) -> Source {
        Source::Registry(RegistryAddr {
            host: host.into(),
            namespace: ns.into(),
            name: n.into(),
            provider: p.into(),
        })
    }

    #[test]
    fn registry_addresses() {
        let p = parse("terraform-aws-modules/eks/aws");
        assert_eq!(
            p.source,
            reg(DEFAULT_REGISTRY, "terraform-aws-modules", "eks", "aws")
        );
        let p = parse("app.terraform.io/acme/gpu/aws//modules/node");
        assert_eq!(p.source, reg("app.terraform.io", "acme", "gpu", "aws"));
        assert_eq!(p.subdir, "modules/node");
        let p = parse("localhost:8080/acme/gpu/aws");
        assert_eq!(p.source, reg("localhost:8080", "acme", "gpu", "aws"));
        assert!(matches!(parse("a/b").source, Source::Unsupported(_)));
        assert!(matches!(
            parse("acme/gpu/AWS").source,
            Source::Unsupported(_)
        ));
    }

    #[test]
    fn git_sources() {
        let p = parse("git::https://example.com/infra.git//modules/gpu?ref=v1.2.0&depth=1");
        assert_eq!(
            p.source,
            Source::Git(GitSource {
                url: "https://example.com/infra.git".into(),
                reference: Some("v1.2.0".into()),
                depth: Some(1)
            })
        );
        assert_eq!(p.subdir, "modules/gpu");
        let p = parse("github.com/acme/infra//gpu?ref=main");
        assert_eq!(
            p.source,
            Source::Git(GitSource {
                url: "https://github.com/acme/infra.git".into(),
                reference: Some("main".into()),
                depth: None
            })
        );
        assert_eq!(p.subdir, "gpu");
        let p = parse("git@github.com:acme/infra.git?ref=v1");
        assert!(
            matches!(&p.source, Source::Git(g) if g.url == "ssh://git@github.com/acme/infra.git")
        );
        for s in [
            "git::file:///srv/repo.git?ref=v1.2.0",
            "git::/srv/repo.git",
            "git::FILE:///x",
        ] {
            assert!(
                matches!(&parse(s).source, Source::Unsupported(w) if w.contains("outside the project")),
                "{s}"
            );
        }
        assert!(matches!(
            parse("git::https://x/y.git?ref=--upload-pack=evil").source,
            Source::Unsupported(_)
        ));
        assert!(matches!(
            parse("git::-oProxyCommand=x").source,
            Source::Unsupported(_)
        ));
        assert!(matches!(
            parse("git::https://x/y.git?sshkey=abc").source,
            Source::Unsupported(_)
        ));
    }

    #[test]
    fn archives_and_unsupported() {
        let p = parse("https://example.com/gpu.tar.gz//sub");
        assert_eq!(
            p.source,
            Source::Http {
                url: "https://example.com/gpu.tar.gz".into()
            }
        );
        assert_eq!(p.subdir, "sub");
        let p = parse("https://example.com/get?archive=zip");
        assert_eq!(
            p.source,
            Source::Http {
                url: "https://example.com/get?archive=zip".into()
            }
        );
        for s in [
            "s3::https://s3.amazonaws.com/b/m.zip",
            "gcs::https://www.googleapis.com/storage/v1/b/m.zip",
            "hg::http://x/y",
            "bucket.s3.amazonaws.com/m.zip",
        ] {
            assert!(matches!(parse(s).source, Source::Unsupported(_)), "{s}");
        }
    }

    #[test]
    fn urls_are_redacted() {
        assert_eq!(
            redact_url("https://user:pw@example.com/x.zip?X-Amz-Signature=s"),
            "https://example.com/x.zip"
        );
    }
}
