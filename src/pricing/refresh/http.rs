//! HTTP for `pricing refresh`: a blocking reqwest client with timeouts and retries.
//!
//! A request is tried up to `tries` times; it is retried on connection errors, timeouts,
//! HTTP 429 and 5xx, waiting `base × 2^(attempt-1)` between tries, or the server's
//! `Retry-After` (seconds or HTTP date, capped) when it sends one. Other statuses fail at once.
//! Bodies are read by the caller (streamed for the big AWS offer files); a body that breaks off
//! is an error, never a partial result.
//!
//! A mirror may be hostile: every body is capped ([`HttpConfig::max_json_bytes`] for pages
//! parsed whole, [`HttpConfig::max_body_bytes`] for streams), the whole refresh has a deadline
//! besides the per-read timeout, and requests and redirects go only to the endpoint's host
//! (or a host allowed with `--allow-redirect-host`).

use std::io::Read;
use std::time::{Duration, Instant};

use reqwest::blocking::{Client, Response};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::Result;

/// Longest wait honoured from a `Retry-After` header.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

/// Retry and timeout settings.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Timeout for connecting, for the response headers and for each body read.
    pub timeout: Duration,
    /// Attempts per request (at least 1).
    pub tries: u32,
    /// First back-off delay; doubles per attempt.
    pub backoff_base: Duration,
    /// The whole refresh (every request, retry and body) must end within this.
    pub deadline: Duration,
    /// Largest JSON page read whole (indices, API pages).
    pub max_json_bytes: u64,
    /// Largest streamed body (an AWS regional offer file is a few hundred MB).
    pub max_body_bytes: u64,
    /// Hosts besides the endpoint's that requests and redirects may go to.
    pub allow_hosts: Vec<String>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            timeout: Duration::from_secs(60),
            tries: 3,
            backoff_base: Duration::from_millis(500),
            deadline: Duration::from_secs(3600),
            max_json_bytes: 64 << 20,
            max_body_bytes: 4 << 30,
            allow_hosts: Vec::new(),
        }
    }
}

/// A client that retries.
pub struct Http {
    client: Client,
    cfg: HttpConfig,
    /// The endpoint's host and the allowed ones (lower case).
    hosts: Vec<String>,
    until: Instant,
}

/// A response body that stops at its cap and at the deadline (an error, never a silent cut).
pub struct Body {
    resp: Response,
    left: u64,
    cap: u64,
    until: Instant,
}

impl Read for Body {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if Instant::now() > self.until {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the refresh deadline passed while reading (--deadline-secs)",
            ));
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left + 1).unwrap_or(usize::MAX));
        let n = self.resp.read(&mut buf[..want])?;
        if n as u64 > self.left {
            return Err(std::io::Error::other(format!(
                "the response is larger than {} bytes: refused",
                self.cap
            )));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

fn host_of(url: &reqwest::Url) -> String {
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    }
}

fn host_allowed(hosts: &[String], url: &reqwest::Url) -> bool {
    let h = host_of(url);
    let bare = url.host_str().unwrap_or("").to_ascii_lowercase();
    hosts.iter().any(|a| *a == h || *a == bare)
}

/// Why one attempt failed.
#[derive(Debug)]
enum Failure {
    /// Worth another try, after the server's requested delay if it gave one.
    Transient(String, Option<Duration>),
    Permanent(String),
}

impl Http {
    /// A client for `endpoint` (requests and redirects stay on its host, or the allowed ones).
    pub fn new(cfg: HttpConfig, endpoint: &str) -> Result<Self> {
        let base = reqwest::Url::parse(endpoint).map_err(|e| {
            miette::miette!(
                code = crate::error::Code::Cli,
                "--endpoint `{endpoint}` is not a URL: {e}"
            )
        })?;
        let mut hosts = vec![host_of(&base)];
        hosts.extend(
            cfg.allow_hosts
                .iter()
                .map(|h| h.trim().to_ascii_lowercase()),
        );
        let allowed = hosts.clone();
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("more than 5 redirects")
            } else if host_allowed(&allowed, attempt.url()) {
                attempt.follow()
            } else {
                let to = host_of(attempt.url());
                attempt.error(format!(
                    "redirect to another host ({to}) refused; pass --allow-redirect-host {to} to follow it"
                ))
            }
        });
        let client = Client::builder()
            .timeout(cfg.timeout)
            .connect_timeout(cfg.timeout)
            .redirect(redirects)
            .user_agent(concat!(
                "costgate/",
                env!("CARGO_PKG_VERSION"),
                " (pricing refresh)"
            ))
            .build()
            .map_err(|e| {
                miette::miette!(
                    code = crate::error::Code::Http,
                    "cannot build HTTP client: {e}"
                )
            })?;
        let until = Instant::now() + cfg.deadline;
        Ok(Http {
            client,
            cfg,
            hosts,
            until,
        })
    }

    /// GET `url` and return its body (capped at `max_body_bytes`) once its status is a success.
    pub fn get(&self, url: &str) -> Result<Body> {
        self.get_capped(url, self.cfg.max_body_bytes, false)
    }

    /// `whole`: a page read at once, so the request as a whole (not only each read) must end
    /// within the per-read timeout and the deadline.
    fn get_capped(&self, url: &str, cap: u64, whole: bool) -> Result<Body> {
        let parsed = reqwest::Url::parse(url).map_err(|e| {
            miette::miette!(
                code = crate::error::Code::PricingApi,
                "`{}` is not a URL: {e}",
                redact(url)
            )
        })?;
        if !host_allowed(&self.hosts, &parsed) {
            let to = host_of(&parsed);
            return Err(miette::miette!(
                code = crate::error::Code::PricingApi,
                help = format!("the mirror pointed at another host; pass --allow-redirect-host {to} if that is intended. The existing catalog was left unchanged"),
                "refusing to fetch {} (host {to} is not the endpoint's)",
                redact(url)
            ));
        }
        let tries = self.cfg.tries.max(1);
        let mut last = String::new();
        for attempt in 1..=tries {
            if Instant::now() > self.until {
                return Err(http_error(
                    url,
                    "the refresh deadline passed (--deadline-secs)",
                    attempt - 1,
                ));
            }
            // A page: the whole request within the timeout and the deadline. A stream keeps
            // the client's per-read timeout; its reads check the deadline (see [`Body`]).
            let left = self.until.saturating_duration_since(Instant::now());
            let total = whole.then(|| left.min(self.cfg.timeout));
            match self.attempt(url, total) {
                Ok(resp) => {
                    if resp.content_length().is_some_and(|n| n > cap) {
                        return Err(http_error(
                            url,
                            &format!("the response is larger than {cap} bytes: refused"),
                            attempt,
                        ));
                    }
                    return Ok(Body {
                        resp,
                        left: cap,
                        cap,
                        until: self.until,
                    });
                }
                Err(Failure::Permanent(msg)) => return Err(http_error(url, &msg, attempt)),
                Err(Failure::Transient(msg, retry_after)) => {
                    last = msg;
                    if attempt < tries {
                        let wait = backoff(&self.cfg, attempt, retry_after);
                        let left = self.until.saturating_duration_since(Instant::now());
                        std::thread::sleep(wait.min(left));
                    }
                }
            }
        }
        Err(http_error(url, &last, tries))
    }

    /// GET `url` and parse the whole body as JSON (for small pages: indices, API pages).
    pub fn get_json<T: DeserializeOwned>(&self, url: &str) -> Result<T> {
        let mut body = Vec::new();
        self.get_capped(url, self.cfg.max_json_bytes, true)?
            .read_to_end(&mut body)
            .map_err(|e| {
                miette::miette!(
                    code = crate::error::Code::Http,
                    help =
                        "the connection broke off or timed out while reading; nothing was written",
                    "reading {} failed: {e}",
                    redact(url)
                )
            })?;
        serde_json::from_slice(&body).map_err(|e| {
            miette::miette!(
                code = crate::error::Code::PricingApi,
                help = "the price API answered with something that is not the expected JSON \
                        (truncated, or a different format); nothing was written",
                "unexpected response from {}: {e}",
                redact(url)
            )
        })
    }

    fn attempt(
        &self,
        url: &str,
        total: Option<Duration>,
    ) -> std::result::Result<Response, Failure> {
        let mut req = self.client.get(url);
        if let Some(t) = total {
            req = req.timeout(t);
        }
        let resp = req.send().map_err(|e| {
            let kind = if e.is_timeout() {
                "timed out"
            } else {
                "failed"
            };
            Failure::Transient(format!("request {kind}: {}", error_chain(&e)), None)
        })?;
        let status = resp.status();
        if status.is_success() {
            return Ok(resp);
        }
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let msg = format!("HTTP {status}");
        if retryable(status) {
            Err(Failure::Transient(msg, retry_after))
        } else {
            Err(Failure::Permanent(msg))
        }
    }
}

/// 429 and 5xx are worth retrying.
fn retryable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

/// Delay before attempt `attempt + 1`.
fn backoff(cfg: &HttpConfig, attempt: u32, retry_after: Option<Duration>) -> Duration {
    retry_after
        .map(|d| d.min(MAX_RETRY_AFTER))
        .unwrap_or_else(|| cfg.backoff_base * 2u32.saturating_pow(attempt.saturating_sub(1)))
}

/// `Retry-After`: delay seconds or an HTTP date.
fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let secs = (when.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds();
    Some(Duration::from_secs(secs.max(0) as u64))
}

fn http_error(url: &str, msg: &str, attempts: u32) -> miette::Report {
    miette::miette!(
        code = crate::error::Code::Http,
        help = "check the network or --endpoint; raise --timeout-secs or --retries for slow \
                mirrors. The existing catalog was left unchanged",
        "GET {} failed after {attempts} attempt(s): {msg}",
        redact(url)
    )
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

/// The URL with any `key=` query value hidden (GCP API keys must not reach logs).
pub fn redact(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) if u.query_pairs().any(|(k, _)| k == "key") => {
            let pairs: Vec<(String, String)> = u
                .query_pairs()
                .map(|(k, v)| {
                    let v = if k == "key" {
                        "REDACTED".into()
                    } else {
                        v.into_owned()
                    };
                    (k.into_owned(), v)
                })
                .collect();
            u.query_pairs_mut().clear().extend_pairs(pairs);
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// Resolve a possibly relative URL (AWS indices use paths) against `base`.
pub fn join(base: &str, path: &str) -> Result<String> {
    let b = reqwest::Url::parse(base).map_err(|e| {
        miette::miette!(
            code = crate::error::Code::Cli,
            "--endpoint `{base}` is not a URL: {e}"
        )
    })?;
    b.join(path).map(|u| u.to_string()).map_err(|e| {
        miette::miette!(
            code = crate::error::Code::PricingApi,
            "cannot resolve `{path}` against {base}: {e}"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_honours_retry_after() {
        let cfg = HttpConfig {
            backoff_base: Duration::from_millis(100),
            ..Default::default()
        };
        assert_eq!(backoff(&cfg, 1, None), Duration::from_millis(100));
        assert_eq!(backoff(&cfg, 3, None), Duration::from_millis(400));
        assert_eq!(
            backoff(&cfg, 1, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        assert_eq!(
            backoff(&cfg, 1, Some(Duration::from_secs(9999))),
            MAX_RETRY_AFTER
        );
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn which_statuses_retry() {
        assert!(retryable(StatusCode::TOO_MANY_REQUESTS));
        assert!(retryable(StatusCode::BAD_GATEWAY));
        assert!(!retryable(StatusCode::NOT_FOUND));
        assert!(!retryable(StatusCode::FORBIDDEN));
    }

    #[test]
    fn keys_are_redacted_and_paths_join() {
        let r = redact("https://x.test/v1/services?key=SECRET&pageSize=5");
        assert!(!r.contains("SECRET") && r.contains("pageSize=5"), "{r}");
        assert_eq!(
            join("http://127.0.0.1:9/", "/offers/v1.0/aws/index.json").unwrap(),
            "http://127.0.0.1:9/offers/v1.0/aws/index.json"
        );
        assert_eq!(
            join("http://127.0.0.1:9", "https://other.test/a").unwrap(),
            "https://other.test/a"
        );
    }
}
