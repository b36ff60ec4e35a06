//! One HTTP request described as data (method, URL, headers, body), so that every vendor's
//! requests are built and tested natively; [`crate::http::send`] only sends them. Secrets pass
//! through here into headers and bodies, never into URLs, and never into `Debug` output.

use crate::connections::{Connection, Credentials};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    /// A POST that only reads (Ekran's paged session list): sent as a POST, retried like a GET.
    PostQuery,
    Delete,
}

/// One HTTP request, ready to send.
#[derive(Clone, PartialEq, Eq)]
pub struct Call {
    pub method: Method,
    /// Absolute or base-relative URL (the connection's base plus the vendor path).
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    /// The request body: form-encoded, unless `headers` name another `Content-Type`.
    pub form: Option<String>,
    /// Send the browser's cookies / Windows credentials (PAM), with no custom headers.
    pub include_credentials: bool,
}

/// Redacted: headers and form bodies may hold secrets.
impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| *n).collect();
        write!(
            f,
            "{:?} {} headers={names:?} form={}",
            self.method,
            self.url,
            self.form.is_some()
        )
    }
}

impl Call {
    /// A GET of `path` on `conn`'s server with the credentials' auth header, the vendor's
    /// version header (if it has one) and exactly one `Accept` value. A connection that signs in
    /// with the browser's own credentials sends no custom header at all (PAM: a CORS preflight
    /// would fail), and includes the browser's credentials instead.
    pub fn get(conn: &Connection, creds: &Credentials, path: &str) -> Call {
        let mut headers = Vec::new();
        let browser = conn.auth == crate::connections::AuthMode::Browser;
        if !browser {
            headers.push(("Accept", "application/json".to_string()));
        }
        headers.extend(conn.version_header());
        creds.authorize(&mut headers);
        Call {
            method: Method::Get,
            url: conn.url(path),
            headers,
            form: None,
            include_credentials: browser,
        }
    }

    /// A form-encoded POST of `pairs` to `path`, with `headers` and no credentials (a log-on).
    pub fn post_form(
        conn: &Connection,
        path: &str,
        headers: Vec<(&'static str, String)>,
        pairs: &[(&str, &str)],
    ) -> Call {
        Call {
            method: Method::Post,
            url: conn.url(path),
            headers,
            form: Some(form(pairs)),
            include_credentials: false,
        }
    }

    /// This call with another method (a DELETE for a log-off, a reading POST).
    pub fn with_method(self, method: Method) -> Call {
        Call { method, ..self }
    }
}

/// `application/x-www-form-urlencoded`.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent(k), percent(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a query or form value (space as `+`).
pub fn percent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Standard base64 with padding (EM's Basic log-on).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let index = ((n >> (18 - 6 * i)) & 63) as usize;
                out.push(ALPHABET.get(index).copied().unwrap_or(b'=') as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
