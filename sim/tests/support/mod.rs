//! Test support: start a simulator in-process, and a minimal HTTP/1.1 client over a loopback
//! `TcpStream` that can also observe cut-off bodies, dropped connections and endless responses.

#![allow(dead_code)]

pub mod openapi;

use std::net::SocketAddr;
use std::time::Duration;

use session_viewer_sim::{serve, Config, ServerHandle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A running simulator for one test.
pub struct Sim {
    pub addr: SocketAddr,
    _handle: ServerHandle,
}

pub async fn start(cfg: Config) -> Sim {
    let (addr, handle) = serve(Config { port: 0, ..cfg }).await.expect("bind");
    assert!(addr.ip().is_loopback());
    Sim {
        addr,
        _handle: handle,
    }
}

pub async fn start_default() -> Sim {
    start(Config::default()).await
}

/// What came back, however incomplete.
#[derive(Debug, Clone)]
pub struct Resp {
    /// `None` when the connection closed before a status line.
    pub status: Option<u16>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The body arrived in full (per Content-Length or the final chunk).
    pub complete: bool,
    /// The deadline passed while still reading.
    pub timed_out: bool,
}

impl Resp {
    pub fn status(&self) -> u16 {
        self.status.unwrap_or(0)
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

impl Sim {
    pub async fn req(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Resp {
        request(
            self.addr,
            method,
            path,
            headers,
            body,
            Duration::from_secs(10),
        )
        .await
    }

    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        self.req("GET", path, headers, b"").await
    }

    /// A form-encoded POST, as the token endpoints want.
    pub async fn post_form(&self, path: &str, headers: &[(&str, &str)], form: &str) -> Resp {
        let mut h = headers.to_vec();
        h.push(("Content-Type", "application/x-www-form-urlencoded"));
        self.req("POST", path, &h, form.as_bytes()).await
    }

    /// Logs on to VBA and returns the token response.
    pub async fn aws_token(&self) -> serde_json::Value {
        let r = self
            .post_form(
                "/vendors/aws/api/v1/token",
                &[("x-api-version", "1.7-rev0")],
                "grant_type=password&username=admin&password=admin",
            )
            .await;
        assert_eq!(r.status(), 200, "{}", r.text());
        r.json()
    }

    pub async fn m365_token(&self) -> String {
        let r = self
            .post_form(
                "/vendors/m365/v7/token",
                &[],
                "grant_type=password&username=admin&password=admin&disable_antiforgery_token=true",
            )
            .await;
        assert_eq!(r.status(), 200, "{}", r.text());
        r.json()["access_token"].as_str().unwrap().to_string()
    }

    /// The body with this server's address replaced, to compare two servers' output.
    pub fn normalise(&self, r: &Resp) -> String {
        r.text().replace(&self.addr.to_string(), "HOST")
    }
}

/// One HTTP/1.1 request with `Connection: close`; reads until close, completion or `deadline`.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    deadline: Duration,
) -> Resp {
    assert!(addr.ip().is_loopback(), "tests talk to loopback only");
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await.expect("write");
    s.write_all(body).await.expect("write body");
    let mut raw = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let end = tokio::time::Instant::now() + deadline;
    let mut timed_out = false;
    loop {
        if let Some(r) = parse(&raw) {
            if r.complete {
                return r;
            }
        }
        match tokio::time::timeout_at(end, s.read(&mut buf)).await {
            Err(_) => {
                timed_out = true;
                break;
            }
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => raw.extend_from_slice(&buf[..n]),
        }
    }
    let mut r = parse(&raw).unwrap_or(Resp {
        status: None,
        headers: vec![],
        body: raw,
        complete: false,
        timed_out: false,
    });
    r.timed_out = timed_out;
    r
}

/// Parses what has arrived so far; `None` while the head is incomplete.
fn parse(raw: &[u8]) -> Option<Resp> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let rest = &raw[split + 4..];
    let find = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    };
    let (body, complete) = if let Some(len) = find("content-length") {
        let len: usize = len.parse().ok()?;
        (rest[..rest.len().min(len)].to_vec(), rest.len() >= len)
    } else if find("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        dechunk(rest)
    } else {
        // No length: the body ends when the connection closes (or there is none, e.g. 204).
        (rest.to_vec(), status == Some(204) || status == Some(304))
    };
    Some(Resp {
        status,
        headers,
        body,
        complete,
        timed_out: false,
    })
}

fn dechunk(mut rest: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    loop {
        let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") else {
            return (out, false);
        };
        let size = std::str::from_utf8(&rest[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok());
        let Some(size) = size else {
            return (out, false);
        };
        rest = &rest[eol + 2..];
        if size == 0 {
            return (out, true);
        }
        if rest.len() < size + 2 {
            out.extend_from_slice(&rest[..rest.len().min(size)]);
            return (out, false);
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}
