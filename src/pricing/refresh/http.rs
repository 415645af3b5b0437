//! HTTP for `pricing refresh`: a blocking reqwest client with timeouts and retries.
//!
//! A request is tried up to `tries` times; it is retried on connection errors, timeouts,
//! HTTP 429 and 5xx, waiting `base × 2^(attempt-1)` between tries, or the server's
//! `Retry-After` (seconds or HTTP date, capped) when it sends one. Other statuses fail at once.
//! Bodies are read by the caller (streamed for the big AWS offer files); a body that breaks off
//! is an error, never a partial result.

use std::io::Read;
use std::time::Duration;

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
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            timeout: Duration::from_secs(60),
            tries: 3,
            backoff_base: Duration::from_millis(500),
        }
    }
}

/// A client that retries.
pub struct Http {
    client: Client,
    cfg: HttpConfig,
}

/// Why one attempt failed.
#[derive(Debug)]
enum Failure {
    /// Worth another try, after the server's requested delay if it gave one.
    Transient(String, Option<Duration>),
    Permanent(String),
}

impl Http {
    pub fn new(cfg: HttpConfig) -> Result<Self> {
        let client = Client::builder()
            .timeout(cfg.timeout)
            .connect_timeout(cfg.timeout)
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
        Ok(Http { client, cfg })
    }

    /// GET `url` and return the response once its status is a success.
    pub fn get(&self, url: &str) -> Result<Response> {
        let tries = self.cfg.tries.max(1);
        let mut last = String::new();
        for attempt in 1..=tries {
            match self.attempt(url) {
                Ok(r) => return Ok(r),
                Err(Failure::Permanent(msg)) => return Err(http_error(url, &msg, attempt)),
                Err(Failure::Transient(msg, retry_after)) => {
                    last = msg;
                    if attempt < tries {
                        std::thread::sleep(backoff(&self.cfg, attempt, retry_after));
                    }
                }
            }
        }
        Err(http_error(url, &last, tries))
    }

    /// GET `url` and parse the whole body as JSON (for small pages: indices, API pages).
    pub fn get_json<T: DeserializeOwned>(&self, url: &str) -> Result<T> {
        let mut body = Vec::new();
        self.get(url)?.read_to_end(&mut body).map_err(|e| {
            miette::miette!(
                code = crate::error::Code::Http,
                help = "the connection broke off or timed out while reading; nothing was written",
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

    fn attempt(&self, url: &str) -> std::result::Result<Response, Failure> {
        let resp = self.client.get(url).send().map_err(|e| {
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
