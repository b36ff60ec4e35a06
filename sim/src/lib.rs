//! Session Viewer's vendor simulator: the five vendor session APIs on one loopback port, with
//! deterministic generated data, fault injection, optional CORS and an optional static app.
//!
//! The simulator writes every vendor payload from its own definitions and never depends on the
//! app crate, so it can catch the app misreading a vendor rather than agreeing with it.

// Handlers pass a finished error `Response` up as `Err`: it is the vendor's answer, built once on
// a cold path, and boxing it would only add noise.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::Router;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub mod clock;
pub mod config;
pub mod fault;
pub mod http;
pub mod prng;
pub mod static_files;
pub mod vendors;

pub use config::Config;

use fault::Fault;
use http::{parse_urlencoded, Req};
use vendors::Vendor;

/// Largest request body read; the APIs take small forms and JSON only.
const MAX_BODY: usize = 1 << 20;

/// Shared state of one simulator instance: settings, datasets and token stores.
pub struct App {
    pub cfg: Config,
    pub em: vendors::em::EmState,
    pub aws: vendors::aws::AwsState,
    pub m365: vendors::m365::M365State,
    pub ekran: vendors::ekran::EkranData,
    /// Request counters of `5xx=N/M` faults, one per distinct spec text.
    bursts: Mutex<HashMap<String, u64>>,
}

/// How long each dataset took to generate (for `--bench-generate`).
#[derive(Debug, Clone, Copy)]
pub struct GenTimes {
    pub em: Duration,
    pub aws: Duration,
    pub m365: Duration,
    pub ekran: Duration,
}

impl App {
    pub fn new(cfg: Config) -> Self {
        Self::new_timed(cfg).0
    }

    pub fn new_timed(cfg: Config) -> (Self, GenTimes) {
        let t = Instant::now();
        let em = vendors::em::EmState::new(&cfg);
        let t_em = t.elapsed();
        let t = Instant::now();
        let aws = vendors::aws::AwsState::new(&cfg);
        let t_aws = t.elapsed();
        let t = Instant::now();
        let m365 = vendors::m365::M365State::new(&cfg);
        let t_m365 = t.elapsed();
        let t = Instant::now();
        let ekran = vendors::ekran::EkranData::new(&cfg);
        let t_ekran = t.elapsed();
        (
            App {
                cfg,
                em,
                aws,
                m365,
                ekran,
                bursts: Mutex::new(HashMap::new()),
            },
            GenTimes {
                em: t_em,
                aws: t_aws,
                m365: t_m365,
                ekran: t_ekran,
            },
        )
    }

    /// Counts one request against a `5xx=N/M` spec; true when it falls in the failing part.
    fn burst_hit(&self, spec: &str, n: u64, m: u64) -> bool {
        let mut b = self.bursts.lock().unwrap_or_else(|e| e.into_inner());
        let c = b.entry(spec.to_string()).or_insert(0);
        let hit = *c % m < n;
        *c += 1;
        hit
    }
}

/// A running simulator. Dropping it stops accepting connections.
pub struct ServerHandle {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl ServerHandle {
    /// Stops accepting connections (open connections end with the runtime).
    pub fn shutdown(self) {
        self.task.abort();
    }

    /// Waits until the server task ends (it normally never does).
    pub async fn wait(self) {
        let _ = (&mut { self }.task).await;
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Builds the datasets, binds 127.0.0.1:`cfg.port` and serves in a background task.
pub async fn serve(cfg: Config) -> std::io::Result<(SocketAddr, ServerHandle)> {
    let port = cfg.port;
    let app = Arc::new(App::new(cfg));
    serve_app(app, port).await
}

/// Serves an already built [`App`] (so callers can time generation separately).
pub async fn serve_app(app: Arc<App>, port: u16) -> std::io::Result<(SocketAddr, ServerHandle)> {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    let addr = listener.local_addr()?;
    let router = Router::new().fallback(front_door).with_state(app);
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            eprintln!("sv-sim: server error: {e}");
        }
    });
    Ok((addr, ServerHandle { addr, task }))
}

/// Every request enters here: vendor APIs under `/vendors/{name}/`, the static app elsewhere.
async fn front_door(State(app): State<Arc<App>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let cors_ok = matches!((&app.cfg.cors_origin, &origin), (Some(a), Some(o)) if a == o);
    let resp = if let Some(rest) = path.strip_prefix("/vendors/") {
        let (name, sub) = rest.split_once('/').map_or((rest, ""), |(n, s)| (n, s));
        match Vendor::from_prefix(name) {
            Some(_) if cors_ok && req.method() == Method::OPTIONS => preflight(&req),
            Some(v) => {
                let sub = format!("/{sub}");
                vendor_request(&app, v, name, sub, req).await
            }
            None => http::respond(
                StatusCode::NOT_FOUND,
                "text/plain; charset=utf-8",
                "unknown vendor prefix\n",
            ),
        }
    } else if let Some(dist) = &app.cfg.dist {
        static_files::serve(dist, &path).await
    } else {
        http::respond(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "sv-sim: the APIs live under /vendors/{em,aws,m365,pam,ekran}/; start with --dist DIR to serve the app here\n",
        )
    };
    if cors_ok {
        add_cors(resp, origin.as_deref().unwrap_or(""))
    } else {
        resp
    }
}

async fn vendor_request(
    app: &App,
    vendor: Vendor,
    name: &str,
    sub: String,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let query = parts.uri.query().map(parse_urlencoded).unwrap_or_default();
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_string();
    let mut r = Req {
        method: parts.method,
        path: sub,
        query,
        headers: parts.headers,
        body: Default::default(),
        base: format!("http://{host}/vendors/{name}"),
    };
    // A request's own fault wins over the global one.
    let own = r
        .header("x-sim-fault")
        .map(String::from)
        .or_else(|| r.q("sim_fault").map(String::from));
    let fault: Option<Fault> = match own {
        Some(spec) => match fault::parse(&spec) {
            Ok(f) => Some(f),
            Err(e) => return vendor.error(&r, StatusCode::BAD_REQUEST, &format!("sv-sim: {e}")),
        },
        None => app.cfg.fault.clone(),
    };
    match to_bytes(body, MAX_BODY).await {
        Ok(b) => r.body = b,
        Err(_) => {
            return vendor.error(&r, StatusCode::PAYLOAD_TOO_LARGE, "Request body too large.")
        }
    }
    let Some(fault) = fault else {
        return with_bom(app, vendor, vendor.handle(app, &r)).await;
    };
    if let Some(d) = fault.latency {
        tokio::time::sleep(d).await;
    }
    if let Some((n, m)) = fault.burst {
        if app.burst_hit(&fault.spec, n, m) {
            let resp = vendor.error(&r, StatusCode::SERVICE_UNAVAILABLE, "");
            return http::with_header(resp, "retry-after", "1");
        }
    }
    let resp = match fault.error {
        Some(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            vendor.error(&r, status, "")
        }
        None => with_bom(app, vendor, vendor.handle(app, &r)).await,
    };
    match fault.body {
        Some(b) => fault::apply_body(b, resp).await,
        None => resp,
    }
}

/// With `--em-json-bom`, EM's JSON answers start with a UTF-8 byte order mark, as some real EM
/// servers send them (community clients strip it before parsing).
async fn with_bom(app: &App, vendor: Vendor, resp: Response) -> Response {
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(app.cfg.em_json_bom && vendor == Vendor::Em && is_json) {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    match to_bytes(body, usize::MAX).await {
        Ok(b) => {
            let mut out = Vec::with_capacity(b.len() + 3);
            out.extend_from_slice(b"\xEF\xBB\xBF");
            out.extend_from_slice(&b);
            Response::from_parts(parts, axum::body::Body::from(out))
        }
        Err(_) => http::respond(StatusCode::INTERNAL_SERVER_ERROR, http::JSON, "{}"),
    }
}

fn preflight(req: &Request) -> Response {
    let mut r = http::empty(StatusCode::NO_CONTENT);
    let h = r.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, DELETE, OPTIONS"),
    );
    if let Some(v) = req.headers().get(header::ACCESS_CONTROL_REQUEST_HEADERS) {
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, v.clone());
    }
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    r
}

/// CORS for the one configured origin, with credentials (as PAM's hand-edited web.config does).
fn add_cors(mut r: Response, origin: &str) -> Response {
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(origin) {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
    }
    h.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
    // EM's token travels in a response header the app must be allowed to read.
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("X-RestSvcSessionId, Location, Retry-After, WWW-Authenticate"),
    );
    h.append(header::VARY, HeaderValue::from_static("Origin"));
    r
}

/// The app `config.json` (SPEC §3.2) with one connection per simulated vendor.
pub fn app_config_json(cfg: &Config) -> String {
    let ekran_auth = if cfg.ekran_token.is_some() {
        "token"
    } else {
        "none"
    };
    let pam_auth = if cfg.pam_auth { "browser" } else { "none" };
    // No `apiVersion` for VBA: the app finds the newest revision the server serves at log-on.
    let v = serde_json::json!({
        "connections": [
            { "id": "sim-em", "kind": "veeam-em", "label": "Enterprise Manager (simulator)",
              "baseUrl": "/vendors/em", "auth": "password" },
            { "id": "sim-aws", "kind": "veeam-aws", "label": "Backup for AWS (simulator)",
              "baseUrl": "/vendors/aws", "auth": "password" },
            { "id": "sim-m365", "kind": "veeam-m365", "label": "Backup for Microsoft 365 (simulator)",
              "baseUrl": "/vendors/m365", "auth": "password" },
            { "id": "sim-pam", "kind": "mim-pam", "label": "MIM PAM (simulator)",
              "baseUrl": "/vendors/pam", "auth": pam_auth },
            { "id": "sim-ekran", "kind": "ekran", "label": "Ekran System (simulator)",
              "baseUrl": "/vendors/ekran", "auth": ekran_auth }
        ]
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

pub fn write_app_config(cfg: &Config, path: &Path) -> std::io::Result<()> {
    std::fs::write(path, app_config_json(cfg))
}
