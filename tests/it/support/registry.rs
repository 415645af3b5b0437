//! A mock Terraform module registry on 127.0.0.1 for module-fetching tests: service discovery,
//! `versions`, `download` answering 204 with a relative `X-Terraform-Get`, and the package
//! archives themselves. Optionally requires a bearer token on the registry API. Counts
//! requests. Stops when dropped (the accept loop is woken and ends).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// One module: its address path (`acme/gpu/aws`) and its versions' packages (.tar.gz bytes).
pub struct Module {
    pub path: String,
    pub versions: BTreeMap<String, Vec<u8>>,
}

pub struct Registry {
    pub base: String,
    pub addr: String,
    stop: Arc<AtomicBool>,
    pub hits: Arc<AtomicUsize>,
    pub log: Arc<Mutex<Vec<String>>>,
}

/// A .tar.gz of `files` (path, contents).
pub fn targz(files: &[(&str, &str)]) -> Vec<u8> {
    let enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut b = tar::Builder::new(enc);
    for (p, text) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(text.len() as u64);
        h.set_mode(0o644);
        h.set_path(p).unwrap();
        h.set_cksum();
        b.append(&h, text.as_bytes()).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap()
}

impl Registry {
    pub fn start(modules: Vec<Module>, token: Option<&str>) -> Registry {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let base = format!("http://{addr}");
        let stop = Arc::new(AtomicBool::new(false));
        let hits = Arc::new(AtomicUsize::new(0));
        let log = Arc::new(Mutex::new(Vec::new()));
        let modules = Arc::new(modules);
        let token = token.map(|t| format!("Bearer {t}"));
        let (s, h, l) = (stop.clone(), hits.clone(), log.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                h.fetch_add(1, Ordering::SeqCst);
                let (m, t, l) = (modules.clone(), token.clone(), l.clone());
                std::thread::spawn(move || serve(stream, &m, t.as_deref(), &l));
            }
        });
        Registry {
            base,
            addr,
            stop,
            hits,
            log,
        }
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(&self.addr);
    }
}

fn reply(s: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = s.write_all(head.as_bytes());
    let _ = s.write_all(body);
}

fn serve(mut stream: TcpStream, modules: &[Module], token: Option<&str>, log: &Mutex<Vec<String>>) {
    let mut r = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if r.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut auth = None;
    loop {
        let mut h = String::new();
        if r.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("authorization") {
                auth = Some(v.trim().to_string());
            }
        }
    }
    log.lock().unwrap().push(path.clone());
    if path == "/.well-known/terraform.json" {
        return reply(
            &mut stream,
            "200 OK",
            &[("Content-Type", "application/json".into())],
            br#"{"modules.v1": "/v1/modules/"}"#,
        );
    }
    if let Some(rest) = path.strip_prefix("/v1/modules/") {
        if token.is_some() && auth.as_deref() != token {
            return reply(
                &mut stream,
                "401 Unauthorized",
                &[],
                b"{\"errors\":[\"unauthorized\"]}",
            );
        }
        for m in modules {
            let Some(tail) = rest.strip_prefix(&format!("{}/", m.path)) else {
                continue;
            };
            if tail == "versions" {
                let vs: Vec<String> = m
                    .versions
                    .keys()
                    .map(|v| format!("{{\"version\":\"{v}\"}}"))
                    .collect();
                let body = format!("{{\"modules\":[{{\"versions\":[{}]}}]}}", vs.join(","));
                return reply(
                    &mut stream,
                    "200 OK",
                    &[("Content-Type", "application/json".into())],
                    body.as_bytes(),
                );
            }
            if let Some(v) = tail.strip_suffix("/download") {
                if m.versions.contains_key(v) {
                    let file = format!("/files/{}/{v}.tar.gz", m.path.replace('/', "-"));
                    return reply(
                        &mut stream,
                        "204 No Content",
                        &[("X-Terraform-Get", file)],
                        b"",
                    );
                }
            }
        }
        return reply(&mut stream, "404 Not Found", &[], b"{}");
    }
    if let Some(rest) = path.strip_prefix("/files/") {
        for m in modules {
            for (v, data) in &m.versions {
                if rest == format!("{}/{v}.tar.gz", m.path.replace('/', "-")) {
                    return reply(
                        &mut stream,
                        "200 OK",
                        &[("Content-Type", "application/gzip".into())],
                        data,
                    );
                }
            }
        }
    }
    reply(&mut stream, "404 Not Found", &[], b"")
}
