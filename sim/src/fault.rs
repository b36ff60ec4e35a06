//! Fault injection: the `X-Sim-Fault` / `sim_fault` / `--fault` syntax and what each fault does
//! to a response (latency, error statuses, 503 bursts, cut bodies, dropped connections,
//! malformed payloads, responses that never end).

use std::time::Duration;

use axum::body::{to_bytes, Body, Bytes};
use axum::http::header;
use axum::response::Response;
use futures_util::stream::{self, StreamExt};

/// One parsed fault specification, e.g. `latency=300,5xx=2/5`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fault {
    /// The text it was parsed from: the key of its `5xx` burst counter.
    pub spec: String,
    pub latency: Option<Duration>,
    /// Answer this status with the vendor's error body instead of the real answer.
    pub error: Option<u16>,
    /// `(n, m)`: of every `m` requests carrying this spec, the first `n` answer 503.
    pub burst: Option<(u64, u64)>,
    pub body: Option<BodyFault>,
}

/// What happens to the bytes of an otherwise normal response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyFault {
    /// Full `Content-Length` announced, half the body sent, connection closed.
    Cut,
    /// Connection closed before any byte of the response.
    Drop,
    /// A complete 200 whose JSON or XML does not parse.
    Malformed,
    /// Headers and half the body sent, then nothing, forever.
    Hang,
}

/// Parses a comma-separated fault list; `Err` names the first bad item.
pub fn parse(spec: &str) -> Result<Fault, String> {
    let mut f = Fault {
        spec: spec.to_string(),
        ..Fault::default()
    };
    for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (name, value) = item.split_once('=').unwrap_or((item, ""));
        let bad = || format!("bad fault item `{item}`");
        match name.to_ascii_lowercase().as_str() {
            "latency" => f.latency = Some(Duration::from_millis(value.parse().map_err(|_| bad())?)),
            "error" => {
                let code: u16 = value.parse().map_err(|_| bad())?;
                if !(400..=599).contains(&code) {
                    return Err(bad());
                }
                f.error = Some(code);
            }
            "5xx" => {
                let (n, m) = value.split_once('/').ok_or_else(bad)?;
                let n: u64 = n.parse().map_err(|_| bad())?;
                let m: u64 = m.parse().map_err(|_| bad())?;
                if m == 0 || n > m {
                    return Err(bad());
                }
                f.burst = Some((n, m));
            }
            "cut" => f.body = Some(BodyFault::Cut),
            "drop" => f.body = Some(BodyFault::Drop),
            "malformed" => f.body = Some(BodyFault::Malformed),
            "hang" => f.body = Some(BodyFault::Hang),
            _ => return Err(bad()),
        }
    }
    if f == (Fault {
        spec: f.spec.clone(),
        ..Fault::default()
    }) {
        return Err("empty fault specification".into());
    }
    Ok(f)
}

fn io_err(msg: &'static str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::ConnectionAborted, msg)
}

/// Rewrites a finished response according to a body fault.
pub async fn apply_body(fault: BodyFault, resp: Response) -> Response {
    let (mut parts, body) = resp.into_parts();
    // Our own responses are in memory already; the limit only guards against surprises.
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    let body = match fault {
        BodyFault::Drop => {
            // A body that fails at once makes hyper abort the connection before the head is
            // flushed, which the client sees as a connection closed without a response.
            Body::from_stream(stream::once(async { Err::<Bytes, _>(io_err("sim: drop")) }))
        }
        BodyFault::Cut => {
            parts
                .headers
                .insert(header::CONTENT_LENGTH, bytes.len().into());
            let chunks: Vec<Result<Bytes, std::io::Error>> =
                vec![Ok(half), Err(io_err("sim: cut"))];
            // The short pause lets hyper flush the half before it sees the error and closes.
            Body::from_stream(stream::iter(chunks).then(|c| async move {
                if c.is_err() {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                c
            }))
        }
        BodyFault::Hang => {
            parts.headers.remove(header::CONTENT_LENGTH);
            let first = stream::once(async move { Ok::<Bytes, std::io::Error>(half) });
            Body::from_stream(first.chain(stream::pending()))
        }
        BodyFault::Malformed => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Body::from(malform(&bytes))
        }
    };
    Response::from_parts(parts, body)
}

/// Breaks a JSON or XML document while keeping it complete: JSON gets its first `:` turned into
/// `=` (or a stray `}` appended when it has none); XML gets a second, unclosed root appended.
pub fn malform(bytes: &[u8]) -> Vec<u8> {
    let mut v = bytes.to_vec();
    let first = v.iter().find(|c| !c.is_ascii_whitespace()).copied();
    if first == Some(b'<') {
        v.extend_from_slice(b"<unclosed");
    } else if let Some(i) = v.iter().position(|&c| c == b':') {
        v[i] = b'=';
    } else {
        v.push(b'}');
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_items() {
        let f = parse("latency=250, 5xx=2/5,cut").unwrap();
        assert_eq!(f.latency, Some(Duration::from_millis(250)));
        assert_eq!(f.burst, Some((2, 5)));
        assert_eq!(f.body, Some(BodyFault::Cut));
        assert_eq!(parse("error=503").unwrap().error, Some(503));
        for bad in ["", "latency", "error=200", "5xx=3/2", "5xx=1/0", "explode"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn malformed_bodies_do_not_parse() {
        for body in [&b"{\"a\":1}"[..], b"[]", b"[{\"x\":[1,2]}]"] {
            let broken = malform(body);
            assert!(serde_json::from_slice::<serde_json::Value>(&broken).is_err());
        }
        assert!(malform(b"<a/>").ends_with(b"<unclosed"));
    }
}
