//! A small blocking GitHub REST/GraphQL client: base URLs from the environment (GitHub
//! Enterprise works), the headers GitHub requires, `Link` pagination, and bounded retries on
//! rate limits (`retry-after`, `x-ratelimit-reset`) and server errors. The token lives in a
//! type whose `Debug` hides it, and is scrubbed from every error message.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::blocking::{Client as Http, RequestBuilder};
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::Value;

pub const API_VERSION: &str = "2022-11-28";

/// A secret that never prints.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    pub fn new(s: impl Into<String>) -> Self {
        Token(s.into())
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// Why a request failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 403 that is not a rate limit: the token may not do this (fork PRs get read-only tokens).
    Forbidden(String),
    /// Rate limited for longer than we are willing to wait, or retries used up.
    RateLimited(String),
    /// Any other HTTP error status.
    Status { status: u16, message: String },
    /// Could not talk to the server.
    Transport(String),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Forbidden(m) => write!(f, "403 forbidden: {m}"),
            ApiError::RateLimited(m) => write!(f, "rate limited: {m}"),
            ApiError::Status { status, message } => write!(f, "HTTP {status}: {message}"),
            ApiError::Transport(m) => write!(f, "request failed: {m}"),
        }
    }
}

/// A successful response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub body: Value,
    /// `Link: <…>; rel="next"`.
    pub next: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Client {
    http: Http,
    api: String,
    graphql: String,
    token: Token,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Longest single wait we accept for a rate limit.
    pub max_wait: Duration,
    /// First backoff for server errors and dropped connections (doubles each time).
    pub backoff: Duration,
}

impl Client {
    pub fn new(api_url: &str, graphql_url: &str, token: Token) -> Result<Self, ApiError> {
        let http = Http::builder()
            .user_agent(concat!("costgate/", env!("CARGO_PKG_VERSION")))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| ApiError::Transport(e.to_string()))?;
        Ok(Client {
            http,
            api: api_url.trim_end_matches('/').to_string(),
            graphql: graphql_url.to_string(),
            token,
            max_retries: 3,
            max_wait: Duration::from_secs(60),
            backoff: Duration::from_secs(1),
        })
    }

    /// `path` under the API base, e.g. `/repos/o/r/issues/1/comments`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.api)
    }

    fn scrub(&self, s: String) -> String {
        if self.token.0.is_empty() {
            s
        } else {
            s.replace(&self.token.0, "***")
        }
    }

    fn request(&self, method: &Method, url: &str, body: Option<&Value>) -> RequestBuilder {
        let mut rb = self
            .http
            .request(method.clone(), url)
            .bearer_auth(&self.token.0)
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", API_VERSION);
        if let Some(b) = body {
            rb = rb.json(b);
        }
        rb
    }

    /// Send with bounded retries; returns the response or why it failed.
    pub fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&Value>,
    ) -> Result<Response, ApiError> {
        let mut backoff = self.backoff;
        let mut attempt = 0;
        loop {
            let last = attempt >= self.max_retries;
            attempt += 1;
            let resp = match self.request(&method, url, body).send() {
                Ok(r) => r,
                Err(e) if !last && (e.is_connect() || e.is_timeout()) => {
                    std::thread::sleep(backoff);
                    backoff *= 2;
                    continue;
                }
                Err(e) => return Err(ApiError::Transport(self.scrub(e.to_string()))),
            };
            let status = resp.status().as_u16();
            let headers = resp.headers().clone();
            let text = resp.text().unwrap_or_default();
            let message = self.scrub(error_message(&text));
            if (200..300).contains(&status) {
                let body = if text.trim().is_empty() {
                    Value::Null
                } else {
                    serde_json::from_str(&text).map_err(|e| ApiError::Status {
                        status,
                        message: format!("response is not JSON: {e}"),
                    })?
                };
                return Ok(Response {
                    status,
                    body,
                    next: next_link(&headers),
                });
            }
            if let Some(wait) = rate_limit_wait(status, &headers) {
                if last || wait > self.max_wait {
                    return Err(ApiError::RateLimited(format!(
                        "{message} (retry in {}s)",
                        wait.as_secs()
                    )));
                }
                std::thread::sleep(wait);
                continue;
            }
            if status >= 500 && !last {
                std::thread::sleep(backoff);
                backoff *= 2;
                continue;
            }
            return Err(match status {
                403 => ApiError::Forbidden(message),
                _ => ApiError::Status { status, message },
            });
        }
    }

    /// GET every page (following `Link: rel="next"`), concatenating the JSON arrays.
    pub fn get_all(&self, url: &str) -> Result<Vec<Value>, ApiError> {
        let mut items = Vec::new();
        let mut next = Some(url.to_string());
        let mut pages = 0;
        while let Some(u) = next {
            pages += 1;
            if pages > 100 {
                break; // 10,000 comments: enough; never loop forever on a bad Link.
            }
            let r = self.send(Method::GET, &u, None)?;
            match r.body {
                Value::Array(a) => items.extend(a),
                other => {
                    return Err(ApiError::Status {
                        status: r.status,
                        message: format!(
                            "expected a JSON array, got {}",
                            crate::error::json_kind(&other)
                        ),
                    })
                }
            }
            next = r.next;
        }
        Ok(items)
    }

    /// A GraphQL query or mutation; GraphQL-level errors become [`ApiError::Status`].
    pub fn graphql(&self, query: &str, variables: Value) -> Result<Value, ApiError> {
        let body = serde_json::json!({ "query": query, "variables": variables });
        let r = self.send(Method::POST, &self.graphql, Some(&body))?;
        if let Some(errs) = r.body.get("errors").filter(|e| !e.is_null()) {
            let msg = errs
                .get(0)
                .and_then(|e| e.get("message"))
                .and_then(Value::as_str)
                .unwrap_or("GraphQL error")
                .to_string();
            if errs
                .get(0)
                .and_then(|e| e.get("type"))
                .and_then(Value::as_str)
                == Some("FORBIDDEN")
            {
                return Err(ApiError::Forbidden(self.scrub(msg)));
            }
            return Err(ApiError::Status {
                status: r.status,
                message: self.scrub(msg),
            });
        }
        Ok(r.body)
    }
}

/// GitHub's `{"message": "..."}`, or the start of the body.
fn error_message(text: &str) -> String {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| text.chars().take(200).collect())
}

/// The URL of the next page from a `Link` header.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    let link = headers.get("link")?.to_str().ok()?;
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim() == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
    })
}

/// How long to wait before retrying, when the response is a rate limit (GitHub's guidance:
/// `retry-after` seconds; else, with `x-ratelimit-remaining: 0`, until `x-ratelimit-reset`;
/// a 429 without either waits a minute).
pub fn rate_limit_wait(status: u16, headers: &HeaderMap) -> Option<Duration> {
    if status != 403 && status != 429 {
        return None;
    }
    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(secs) = header("retry-after").and_then(|v| v.parse::<u64>().ok()) {
        return Some(Duration::from_secs(secs));
    }
    if header("x-ratelimit-remaining") == Some("0") {
        let reset = header("x-ratelimit-reset").and_then(|v| v.parse::<u64>().ok())?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        return Some(Duration::from_secs(reset.saturating_sub(now) + 1));
    }
    (status == 429).then(|| Duration::from_secs(60))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn link_header_next() {
        let h = headers(&[(
            "link",
            "<https://api.github.com/repositories/1/issues/2/comments?page=3>; rel=\"next\", <https://x/?page=9>; rel=\"last\"",
        )]);
        assert_eq!(
            next_link(&h).as_deref(),
            Some("https://api.github.com/repositories/1/issues/2/comments?page=3")
        );
        let last = headers(&[("link", "<https://x/?page=1>; rel=\"prev\"")]);
        assert_eq!(next_link(&last), None);
    }

    #[test]
    fn rate_limit_waits() {
        assert_eq!(
            rate_limit_wait(403, &headers(&[("retry-after", "2")])),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            rate_limit_wait(403, &headers(&[])),
            None,
            "plain 403 is a permission error"
        );
        assert_eq!(
            rate_limit_wait(429, &headers(&[])),
            Some(Duration::from_secs(60))
        );
        let soon = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 5;
        let w = rate_limit_wait(
            403,
            &headers(&[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", &soon.to_string()),
            ]),
        )
        .unwrap();
        assert!(
            w >= Duration::from_secs(4) && w <= Duration::from_secs(6),
            "{w:?}"
        );
        assert_eq!(
            rate_limit_wait(500, &headers(&[("retry-after", "1")])),
            None
        );
    }

    #[test]
    fn token_is_hidden() {
        let t = Token::new("ghs_secret");
        assert!(!format!("{t:?}").contains("ghs_secret"));
        let c = Client::new("http://127.0.0.1:9", "http://127.0.0.1:9/graphql", t).unwrap();
        assert!(!format!("{c:?}").contains("ghs_secret"));
        assert_eq!(c.scrub("x ghs_secret y".into()), "x *** y");
    }
}
