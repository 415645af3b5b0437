//! A tiny HTTP/1.1 server on 127.0.0.1 for price-API tests: routes match a path and
//! substrings of the (percent-decoded) query and answer with a scripted sequence of replies
//! (the last one repeats). `{{BASE}}` in bodies becomes the server's base URL. One thread per
//! connection, `Connection: close` on every reply.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum Reply {
    /// 200 with a JSON body.
    Json(String),
    /// A status with an empty JSON body and extra headers.
    Status(u16, Vec<(String, String)>),
    /// Content-Length says the whole body, but only the first `keep` bytes are sent.
    Truncated(String, usize),
    /// Accept and read the request, then say nothing for this long.
    Stall(Duration),
}

impl Reply {
    pub fn file(rel: &str) -> Reply {
        let p = format!("{}/testdata/pricing-api/{rel}", env!("CARGO_MANIFEST_DIR"));
        Reply::Json(std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}")))
    }
}

pub struct Route {
    pub path: String,
    pub needles: Vec<String>,
    pub replies: Vec<Reply>,
    pub hits: AtomicUsize,
}

pub fn route(path: &str, needles: &[&str], replies: Vec<Reply>) -> Route {
    Route {
        path: path.into(),
        needles: needles.iter().map(|s| s.to_string()).collect(),
        replies,
        hits: AtomicUsize::new(0),
    }
}

pub struct Server {
    pub base: String,
    routes: Arc<Vec<Route>>,
    pub unmatched: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(routes: Vec<Route>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes = Arc::new(routes);
        let unmatched = Arc::new(Mutex::new(Vec::new()));
        let (r, u, b) = (routes.clone(), unmatched.clone(), base.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (r, u, b) = (r.clone(), u.clone(), b.clone());
                std::thread::spawn(move || serve(stream, &r, &u, &b));
            }
        });
        Server {
            base,
            routes,
            unmatched,
        }
    }

    /// Requests served by the route whose path is `path` (first match).
    pub fn hits(&self, path: &str) -> usize {
        self.routes
            .iter()
            .filter(|r| r.path == path)
            .map(|r| r.hits.load(Ordering::SeqCst))
            .sum()
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn serve(stream: TcpStream, routes: &[Route], unmatched: &Mutex<Vec<String>>, base: &str) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h == "\r\n" || h.is_empty() {
            break;
        }
    }
    let target = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let query = decode(query);
    let found = routes
        .iter()
        .find(|r| r.path == path && r.needles.iter().all(|n| query.contains(n.as_str())));
    let mut stream = stream;
    let Some(route) = found else {
        unmatched.lock().unwrap().push(target.clone());
        let _ = respond(&mut stream, 404, &[], b"{\"error\":\"no route\"}", None);
        return;
    };
    let n = route.hits.fetch_add(1, Ordering::SeqCst);
    let reply = route.replies[n.min(route.replies.len() - 1)].clone();
    let _ = match reply {
        Reply::Json(body) => {
            let body = body.replace("{{BASE}}", base);
            respond(&mut stream, 200, &[], body.as_bytes(), None)
        }
        Reply::Status(code, headers) => respond(&mut stream, code, &headers, b"{}", None),
        Reply::Truncated(body, keep) => {
            let body = body.replace("{{BASE}}", base);
            respond(&mut stream, 200, &[], body.as_bytes(), Some(keep))
        }
        Reply::Stall(d) => {
            std::thread::sleep(d);
            Ok(())
        }
    };
}

fn respond(
    s: &mut TcpStream,
    code: u16,
    headers: &[(String, String)],
    body: &[u8],
    keep: Option<usize>,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {code} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())?;
    s.write_all(&body[..keep.unwrap_or(body.len()).min(body.len())])?;
    s.flush()?;
    let _ = s.shutdown(std::net::Shutdown::Both);
    Ok(())
}
