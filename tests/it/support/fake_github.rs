//! A fake GitHub API on 127.0.0.1 (std `TcpListener`, one thread): issue comments with
//! `Link` pagination, create/update/delete, GraphQL `minimizeComment`, and switches for a
//! read-only token (403) and a one-off rate limit (`retry-after`). Every request is recorded.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Default)]
pub struct State {
    pub comments: Vec<Value>,
    pub next_id: u64,
    pub requests: Vec<Request>,
    pub page_size: usize,
    /// Writes answer 403 "Resource not accessible by integration".
    pub read_only: bool,
    /// The next N requests answer 403 with `retry-after: 1`.
    pub rate_limit_next: usize,
    pub minimized: Vec<String>,
}

pub struct FakeGitHub {
    pub url: String,
    pub state: Arc<Mutex<State>>,
}

impl FakeGitHub {
    pub fn start() -> FakeGitHub {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            next_id: 1000,
            page_size: 100,
            ..State::default()
        }));
        let st = state.clone();
        let base = url.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                handle(stream, &st, &base);
            }
        });
        FakeGitHub { url, state }
    }

    /// Add a comment as if posted earlier by `login`.
    pub fn seed(&self, login: &str, body: &str) -> u64 {
        let mut s = self.state.lock().unwrap();
        s.next_id += 1;
        let id = s.next_id;
        let c = comment(id, login, body, &self.url);
        s.comments.push(c);
        id
    }

    pub fn bodies(&self) -> Vec<String> {
        let s = self.state.lock().unwrap();
        s.comments
            .iter()
            .map(|c| c["body"].as_str().unwrap().to_string())
            .collect()
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }
}

fn comment(id: u64, login: &str, body: &str, base: &str) -> Value {
    json!({
        "id": id,
        "node_id": format!("IC_{id}"),
        "body": body,
        "user": {"login": login},
        "created_at": format!("2025-01-01T00:{:02}:00Z", id % 60),
        "html_url": format!("{base}/acme/infra/pull/42#issuecomment-{id}"),
    })
}

fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut r = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        r.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    r.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into(),
    })
}

fn respond(stream: &mut TcpStream, status: u16, extra: &[(String, String)], body: &Value) {
    let text = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        text.len()
    );
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(text.as_bytes());
}

fn handle(mut stream: TcpStream, st: &Arc<Mutex<State>>, base: &str) {
    let Some(req) = read_request(&mut stream) else {
        return;
    };
    let mut s = st.lock().unwrap();
    s.requests.push(req.clone());
    let (status, headers, body) = route(&mut s, &req, base);
    drop(s);
    respond(&mut stream, status, &headers, &body);
}

type Reply = (u16, Vec<(String, String)>, Value);

fn route(s: &mut State, req: &Request, base: &str) -> Reply {
    if s.rate_limit_next > 0 {
        s.rate_limit_next -= 1;
        return (
            403,
            vec![("retry-after".into(), "1".into())],
            json!({"message": "You have exceeded a secondary rate limit"}),
        );
    }
    let (path, query) = req.path.split_once('?').unwrap_or((&req.path, ""));
    let page: usize = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("page="))
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    let writes = req.method != "GET";
    if writes && s.read_only {
        return (
            403,
            vec![],
            json!({"message": "Resource not accessible by integration"}),
        );
    }
    let body: Value = serde_json::from_str(&req.body).unwrap_or(Value::Null);
    match (req.method.as_str(), path) {
        ("GET", "/repos/acme/infra/issues/42/comments") => {
            let start = (page - 1) * s.page_size;
            let items: Vec<Value> = s
                .comments
                .iter()
                .skip(start)
                .take(s.page_size)
                .cloned()
                .collect();
            let mut headers = vec![];
            if start + s.page_size < s.comments.len() {
                headers.push((
                    "link".into(),
                    format!("<{base}/repos/acme/infra/issues/42/comments?per_page={}&page={}>; rel=\"next\"", s.page_size, page + 1),
                ));
            }
            (200, headers, Value::Array(items))
        }
        ("POST", "/repos/acme/infra/issues/42/comments") => {
            s.next_id += 1;
            let c = comment(
                s.next_id,
                "github-actions[bot]",
                body["body"].as_str().unwrap_or(""),
                base,
            );
            s.comments.push(c.clone());
            (201, vec![], c)
        }
        (m @ ("PATCH" | "DELETE"), p) if p.starts_with("/repos/acme/infra/issues/comments/") => {
            let id: u64 = p.rsplit('/').next().unwrap().parse().unwrap_or(0);
            let Some(i) = s.comments.iter().position(|c| c["id"] == id) else {
                return (404, vec![], json!({"message": "Not Found"}));
            };
            if m == "DELETE" {
                s.comments.remove(i);
                return (204, vec![], Value::Null);
            }
            s.comments[i]["body"] = body["body"].clone();
            (200, vec![], s.comments[i].clone())
        }
        ("POST", "/graphql") => {
            let id = body["variables"]["id"].as_str().unwrap_or("").to_string();
            s.minimized.push(id);
            (
                200,
                vec![],
                json!({"data": {"minimizeComment": {"minimizedComment": {"isMinimized": true}}}}),
            )
        }
        _ => (404, vec![], json!({"message": "Not Found"})),
    }
}
