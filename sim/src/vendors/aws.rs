//! Veeam Backup for AWS: OAuth-style `/api/v1/token` (password and refresh grants) with
//! `x-api-version`, the session list with its filters, session logs with zone-less timestamps,
//! and RFC 7807 problem bodies.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Serialize;

use crate::clock::{
    fmt_utc_z, fmt_vba, parse_timestamp, Ticks, TICKS_PER_DAY, TICKS_PER_MS, TICKS_PER_SEC,
};
use crate::config::Config;
use crate::http::{json, parse_urlencoded, respond, Req};
use crate::prng::Rng;
use crate::vendors::{code_word, default_message, seg_is};
use crate::App;

/// The seed page's session (its log is the page's five items, verbatim).
pub const SEED_SESSION_ID: &str = "90faa259-fbf6-493a-b492-e59e1cfbe3a6";
/// The session whose log has `--aws-log-entries` entries.
pub const BIG_LOG_SESSION_ID: &str = "0b1e55ed-0000-4000-8000-00000000b16a";
const PROBLEM: &str = "application/problem+json; charset=utf-8";

/// The seed page's log, as `(status, logTime, message, executionStartTime, executionDuration)`.
const SEED_LOG: [(&str, &str, &str, &str, i64); 5] = [
    (
        "Success",
        "2020-06-20T19:12:00.514619",
        "FLR task 'ubuntu16' started at 05/20/2020 21:11:59.",
        "2020-06-20T19:12:00.514619",
        0,
    ),
    (
        "Success",
        "2020-06-20T19:22:13.849335",
        "Processing ubuntu16.",
        "2020-06-20T19:12:04.161597",
        687,
    ),
    (
        "Success",
        "2020-06-20T19:15:57.919684",
        "Preparing the worker VM.",
        "2020-06-20T19:14:13.888376",
        31,
    ),
    (
        "Success",
        "2020-06-20T19:19:52.3988",
        "File Level Recovery Browser is ready to work",
        "2020-06-20T19:19:52.3988",
        0,
    ),
    (
        "Success",
        "2020-06-20T19:22:46.807221",
        "Session finished at 05/20/2020 21:22:46.",
        "2020-06-20T19:22:46.807221",
        0,
    ),
];

/// One generated session; its log is generated on request from `stream`.
pub struct Session {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub start: Ticks,
    pub stop: Option<Ticks>,
    log_len: usize,
    stream: u64,
}

struct Tokens {
    /// access token → (user, expiry)
    access: HashMap<String, (String, Instant)>,
    /// refresh token → (user, expiry)
    refresh: HashMap<String, (String, Instant)>,
    rng: Rng,
}

pub struct AwsState {
    /// Newest first, as the server lists them.
    pub sessions: Vec<Session>,
    seed: u64,
    tokens: Mutex<Tokens>,
}

const KINDS: [(&str, &str); 5] = [
    ("PolicyBackup", "Backup policy"),
    ("PolicySnapshot", "Snapshot policy"),
    ("PolicyReplica", "Replication policy"),
    ("Retention", "Retention"),
    ("FileLevelRestore", "File-level restore"),
];
const POLICIES: [&str; 6] = [
    "prod-ec2-daily",
    "rds-hourly",
    "efs-weekly",
    "web-tier",
    "vpc-config",
    "dr-eu-west-1",
];

impl AwsState {
    pub fn new(cfg: &Config) -> Self {
        let mut rng = Rng::derive(cfg.seed, 0xA5);
        let end = cfg.anchor;
        let span = 30 * TICKS_PER_DAY;
        let mut starts: Vec<Ticks> = (0..cfg.aws_sessions)
            .map(|_| end - rng.range(0, span))
            .collect();
        starts.sort_unstable_by(|a, b| b.cmp(a));
        let mut sessions = Vec::with_capacity(cfg.aws_sessions + 2);
        for (i, &start) in starts.iter().enumerate() {
            let (kind, label) = *rng.pick(&KINDS);
            let policy = *rng.pick(&POLICIES);
            // The newest session (and any other of the newest three begun within a day) is
            // still running, as on a live server.
            let running = i == 0 || (i < 3 && end - start < TICKS_PER_DAY);
            let status = if running {
                "Running"
            } else {
                match rng.below(1000) {
                    0..=819 => "Succeeded",
                    820..=919 => "Warning",
                    920..=979 => "Failed",
                    980..=994 => "Canceled",
                    _ => "NeverExecuted",
                }
            };
            let dur = rng.range(20 * TICKS_PER_SEC, 3 * 3600 * TICKS_PER_SEC);
            let stop = if running || status == "NeverExecuted" {
                None
            } else {
                Some((start + dur).min(end))
            };
            sessions.push(Session {
                id: rng.guid(),
                name: format!("{label} '{policy}'"),
                kind,
                status,
                start,
                stop,
                log_len: if status == "NeverExecuted" {
                    1
                } else {
                    rng.range(4, 14) as usize
                },
                stream: 0x1000 + i as u64,
            });
        }
        // The big log: a long backup that ended with warnings, a day before the anchor.
        let big_start = end - TICKS_PER_DAY;
        let big_dur = (cfg.aws_log_entries as i64 * 2 * TICKS_PER_SEC).max(TICKS_PER_SEC);
        sessions.push(Session {
            id: BIG_LOG_SESSION_ID.into(),
            name: "Backup policy 'big-log'".into(),
            kind: "PolicyBackup",
            status: "Warning",
            start: big_start,
            stop: Some(big_start + big_dur),
            log_len: cfg.aws_log_entries,
            stream: 0xB16,
        });
        let seed_start = parse_timestamp("2020-06-20T19:12:00.514619").unwrap_or(0);
        let seed_stop = parse_timestamp("2020-06-20T19:22:46.807221").unwrap_or(0);
        sessions.push(Session {
            id: SEED_SESSION_ID.into(),
            name: "FLR task 'ubuntu16'".into(),
            kind: "FileLevelRestore",
            status: "Succeeded",
            start: seed_start,
            stop: Some(seed_stop),
            log_len: SEED_LOG.len(),
            stream: 0,
        });
        sessions.sort_by_key(|s| std::cmp::Reverse(s.start));
        AwsState {
            sessions,
            seed: cfg.seed,
            tokens: Mutex::new(Tokens {
                access: HashMap::new(),
                refresh: HashMap::new(),
                rng: Rng::derive(cfg.seed, 0xA6),
            }),
        }
    }

    fn find(&self, id: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id.eq_ignore_ascii_case(id))
    }
}

pub fn handle(app: &App, req: &Req) -> Response {
    let segs = req.segments();
    if !(seg_is(segs.first(), "api") && seg_is(segs.get(1), "v1")) {
        return error(req, StatusCode::NOT_FOUND, "Resource not found.");
    }
    // Every VBA call, the token request included, names the API revision it speaks.
    match req.header("x-api-version") {
        None => {
            return problem(
                req,
                StatusCode::BAD_REQUEST,
                "InvalidApiVersion",
                "The x-api-version header is required.",
            )
        }
        Some(v) if !valid_api_version(v) => {
            return problem(
                req,
                StatusCode::BAD_REQUEST,
                "InvalidApiVersion",
                &format!("API version '{v}' is not supported. Use 1.0-rev0 to 1.7-rev0."),
            )
        }
        Some(_) => {}
    }
    let rest = &segs[2..];
    match (rest, &req.method) {
        ([t], &Method::POST) if t.eq_ignore_ascii_case("token") => token(app, req),
        ([t], &Method::DELETE) if t.eq_ignore_ascii_case("token") => logout(app, req),
        ([s], &Method::GET) if s.eq_ignore_ascii_case("sessions") => with_auth(app, req, list),
        ([s, id], &Method::GET) if s.eq_ignore_ascii_case("sessions") => {
            with_auth(app, req, |app, req| match app.aws.find(id) {
                Some(sess) => json(StatusCode::OK, &session_json(req, sess)),
                None => not_found(req, id),
            })
        }
        ([s, id, l], &Method::GET)
            if s.eq_ignore_ascii_case("sessions") && l.eq_ignore_ascii_case("log") =>
        {
            with_auth(app, req, |app, req| match app.aws.find(id) {
                Some(sess) => log(app, req, sess),
                None => not_found(req, id),
            })
        }
        ([t], _) | ([t, ..], _)
            if t.eq_ignore_ascii_case("token") || t.eq_ignore_ascii_case("sessions") =>
        {
            problem(
                req,
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                default_message(StatusCode::METHOD_NOT_ALLOWED),
            )
        }
        _ => error(req, StatusCode::NOT_FOUND, "Resource not found."),
    }
}

/// `1.N-revM`, the revision format VBA servers use (`1.0-rev0` … `1.7-rev0`).
fn valid_api_version(v: &str) -> bool {
    let Some(rest) = v.strip_prefix("1.") else {
        return false;
    };
    let Some((minor, rev)) = rest.split_once("-rev") else {
        return false;
    };
    matches!(minor.parse::<u32>(), Ok(0..=7)) && rev.parse::<u32>().is_ok()
}

fn not_found(req: &Req, id: &str) -> Response {
    problem(
        req,
        StatusCode::NOT_FOUND,
        "NotFound",
        &format!("Session {id} was not found."),
    )
}

fn with_auth(app: &App, req: &Req, f: impl FnOnce(&App, &Req) -> Response) -> Response {
    let Some(token) = req.bearer() else {
        return problem(
            req,
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Authorization header with a Bearer token is required.",
        );
    };
    let tokens = app.aws.tokens.lock().unwrap_or_else(|e| e.into_inner());
    match tokens.access.get(token) {
        None => problem(
            req,
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "The access token is invalid.",
        ),
        Some((_, exp)) if Instant::now() >= *exp => problem(
            req,
            StatusCode::UNAUTHORIZED,
            "ExpiredToken",
            "The access token has expired.",
        ),
        Some(_) => {
            drop(tokens);
            f(app, req)
        }
    }
}

#[derive(Serialize)]
struct TokenResponse {
    access_token: String,
    token_type: &'static str,
    refresh_token: String,
    expires_in: u64,
    #[serde(rename = ".issued")]
    issued: String,
    #[serde(rename = ".expires")]
    expires: String,
    username: String,
}

fn token(app: &App, req: &Req) -> Response {
    let form = parse_urlencoded(std::str::from_utf8(&req.body).unwrap_or(""));
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let ttl = app.cfg.aws_token_ttl;
    let mut tokens = app.aws.tokens.lock().unwrap_or_else(|e| e.into_inner());
    let user = match get("grant_type") {
        Some("password") => {
            let (Some(u), Some(p)) = (get("username"), get("password")) else {
                return problem(
                    req,
                    StatusCode::BAD_REQUEST,
                    "InvalidRequest",
                    "username and password are required for grant_type=password.",
                );
            };
            if !app.cfg.users.iter().any(|(cu, cp)| cu == u && cp == p) {
                return problem(
                    req,
                    StatusCode::UNAUTHORIZED,
                    "InvalidCredentials",
                    "The user name or password is incorrect.",
                );
            }
            u.to_string()
        }
        Some("refresh_token") => {
            let Some(rt) = get("refresh_token") else {
                return problem(
                    req,
                    StatusCode::BAD_REQUEST,
                    "InvalidRequest",
                    "refresh_token is required for grant_type=refresh_token.",
                );
            };
            // A refresh token is single-use, as OAuth servers rotate them.
            match tokens.refresh.remove(rt) {
                Some((u, exp)) if Instant::now() < exp => u,
                Some(_) => {
                    return problem(
                        req,
                        StatusCode::UNAUTHORIZED,
                        "ExpiredToken",
                        "The refresh token has expired.",
                    )
                }
                None => {
                    return problem(
                        req,
                        StatusCode::UNAUTHORIZED,
                        "InvalidToken",
                        "The refresh token is invalid.",
                    )
                }
            }
        }
        Some(other) => {
            return problem(
                req,
                StatusCode::BAD_REQUEST,
                "UnsupportedGrantType",
                &format!("grant_type '{other}' is not supported."),
            )
        }
        None => {
            return problem(
                req,
                StatusCode::BAD_REQUEST,
                "InvalidRequest",
                "grant_type is required (form-encoded body).",
            )
        }
    };
    let access = format!(
        "vba.{:016x}{:016x}",
        tokens.rng.next_u64(),
        tokens.rng.next_u64()
    );
    let refresh = format!(
        "vbr.{:016x}{:016x}",
        tokens.rng.next_u64(),
        tokens.rng.next_u64()
    );
    let now = Instant::now();
    tokens
        .access
        .insert(access.clone(), (user.clone(), now + ttl));
    tokens
        .refresh
        .insert(refresh.clone(), (user.clone(), now + ttl * 2));
    let wall = wall_ticks();
    json(
        StatusCode::OK,
        &TokenResponse {
            access_token: access,
            token_type: "bearer",
            refresh_token: refresh,
            expires_in: ttl.as_secs(),
            issued: fmt_utc_z(wall),
            expires: fmt_utc_z(wall + ttl.as_secs() as i64 * TICKS_PER_SEC),
            username: user,
        },
    )
}

/// The real clock, for token issue times (the only wall-clock values the simulator shows).
pub fn wall_ticks() -> Ticks {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| (d.as_nanos() / 100) as i64)
        .unwrap_or(0)
}

fn logout(app: &App, req: &Req) -> Response {
    let Some(token) = req.bearer() else {
        return problem(
            req,
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Authorization header with a Bearer token is required.",
        );
    };
    let mut tokens = app.aws.tokens.lock().unwrap_or_else(|e| e.into_inner());
    match tokens.access.remove(token) {
        Some((user, _)) => {
            tokens.refresh.retain(|_, (u, _)| *u != user);
            crate::http::empty(StatusCode::OK)
        }
        None => problem(
            req,
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "The access token is invalid.",
        ),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionResult {
    result: &'static str,
    message: String,
    is_canceled: bool,
}

#[derive(Serialize)]
struct Href {
    href: String,
}

#[derive(Serialize)]
struct SessionLinks {
    #[serde(rename = "self")]
    this: Href,
    log: Href,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionJson {
    id: String,
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
    status: &'static str,
    result: SessionResult,
    execution_start_time: String,
    execution_stop_time: Option<String>,
    /// Milliseconds, as the session resource documents.
    execution_duration: Option<i64>,
    #[serde(rename = "_links")]
    links: SessionLinks,
}

fn session_json(req: &Req, s: &Session) -> SessionJson {
    let (result, message) = match s.status {
        "Succeeded" => ("Success", String::new()),
        "Warning" => ("Warning", "Session finished with warnings.".into()),
        "Failed" => ("Error", "Session failed. See the session log.".into()),
        "Canceled" => ("Cancelled", "Session was canceled by a user.".into()),
        _ => ("None", String::new()),
    };
    let self_href = format!("{}/api/v1/sessions/{}", req.base, s.id);
    SessionJson {
        id: s.id.clone(),
        name: s.name.clone(),
        kind: s.kind,
        status: s.status,
        result: SessionResult {
            result,
            message,
            is_canceled: s.status == "Canceled",
        },
        execution_start_time: fmt_vba(s.start),
        execution_stop_time: s.stop.map(fmt_vba),
        execution_duration: s.stop.map(|e| (e - s.start) / TICKS_PER_MS),
        links: SessionLinks {
            log: Href {
                href: format!("{self_href}/log"),
            },
            this: Href { href: self_href },
        },
    }
}

fn list(app: &App, req: &Req) -> Response {
    let bad = |m: String| problem(req, StatusCode::BAD_REQUEST, "InvalidParameter", &m);
    let int = |name: &str| -> Result<Option<usize>, Response> {
        match req.q_ci(name) {
            None => Ok(None),
            Some(v) => v
                .parse::<usize>()
                .map(Some)
                .map_err(|_| bad(format!("{name} must be a non-negative integer, got '{v}'."))),
        }
    };
    let time = |name: &str| -> Result<Option<Ticks>, Response> {
        match req.q_ci(name) {
            None => Ok(None),
            Some(v) => parse_timestamp(v)
                .map(Some)
                .ok_or_else(|| bad(format!("{name} is not a valid date-time: '{v}'."))),
        }
    };
    let (offset, limit, from, to) =
        match (int("Offset"), int("Limit"), time("FromUtc"), time("ToUtc")) {
            (Ok(o), Ok(l), Ok(f), Ok(t)) => (o.unwrap_or(0), l, f, t),
            (Err(r), ..) | (_, Err(r), ..) | (_, _, Err(r), _) | (.., Err(r)) => return r,
        };
    // `Status` may repeat or hold a comma-separated list.
    let statuses: Vec<String> = req
        .query
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("Status"))
        .flat_map(|(_, v)| v.split(',').map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty())
        .collect();
    const KNOWN: [&str; 6] = [
        "Running",
        "NeverExecuted",
        "Succeeded",
        "Warning",
        "Failed",
        "Canceled",
    ];
    if let Some(s) = statuses
        .iter()
        .find(|s| !KNOWN.iter().any(|k| k.eq_ignore_ascii_case(s)))
    {
        return bad(format!("Status '{s}' is not one of {}.", KNOWN.join(", ")));
    }
    let matching: Vec<&Session> = app
        .aws
        .sessions
        .iter()
        .filter(|s| {
            statuses.is_empty() || statuses.iter().any(|st| st.eq_ignore_ascii_case(s.status))
        })
        .filter(|s| from.is_none_or(|f| s.start >= f))
        .filter(|s| to.is_none_or(|t| s.start <= t))
        .collect();
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Page {
        total_count: usize,
        results: Vec<SessionJson>,
    }
    let page = Page {
        total_count: matching.len(),
        results: matching
            .iter()
            .skip(offset)
            .take(limit.unwrap_or(usize::MAX))
            .map(|s| session_json(req, s))
            .collect(),
    };
    json(StatusCode::OK, &page)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogItem {
    status: &'static str,
    log_time: String,
    message: String,
    execution_start_time: String,
    execution_duration: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionLog {
    session_id: String,
    log: Vec<LogItem>,
}

fn log(app: &App, _req: &Req, s: &Session) -> Response {
    let log = if s.id == SEED_SESSION_ID {
        // The seed page's items verbatim, including their unsorted logTimes and 4-digit fraction.
        SEED_LOG
            .iter()
            .map(|&(status, lt, m, st, d)| LogItem {
                status,
                log_time: lt.into(),
                message: m.into(),
                execution_start_time: st.into(),
                execution_duration: d,
            })
            .collect()
    } else {
        generate_log(app.aws.seed, s)
    };
    json(
        StatusCode::OK,
        &SessionLog {
            session_id: s.id.clone(),
            log,
        },
    )
}

/// A session's log, derived only from the seed and the session, so it is the same every time.
fn generate_log(seed: u64, s: &Session) -> Vec<LogItem> {
    let mut rng = Rng::derive(seed, s.stream);
    let n = s.log_len.max(1);
    let end = s.stop.unwrap_or(s.start + n as i64 * 30 * TICKS_PER_SEC);
    let step = ((end - s.start) / n as i64).max(1);
    const RESOURCES: [&str; 8] = [
        "i-0a1b2c3d4e5f60718",
        "i-0fedcba9876543210",
        "vol-0123456789abcdef0",
        "db-prod-eu",
        "web-01",
        "web-02",
        "efs-share-01",
        "ubuntu16",
    ];
    let mut out = Vec::with_capacity(n);
    let bad_index = match s.status {
        "Warning" | "Failed" if n > 2 => Some(rng.range(1, n as i64 - 2) as usize),
        _ => None,
    };
    for i in 0..n {
        let start = s.start + step * i as i64 + rng.range(0, step / 4);
        let dur_ticks = rng.range(0, step);
        // The reported duration mostly equals the observed span; some items disagree, as the
        // seed's do, so the app's "both shown where they disagree" path gets exercised.
        let observed_ms = dur_ticks / TICKS_PER_MS;
        let reported = if rng.chance(100) {
            observed_ms / 1000
        } else {
            observed_ms
        };
        let res = *rng.pick(&RESOURCES);
        let last = i + 1 == n;
        let (status, message) = if i == 0 {
            ("Success", format!("{} started.", s.name))
        } else if s.status == "NeverExecuted" {
            ("NeverExecuted", "Session was never executed.".into())
        } else if last {
            match s.status {
                "Running" => ("Running", format!("Processing {res}.")),
                "Failed" => ("Error", "Session finished with errors.".into()),
                "Warning" => ("Warning", "Session finished with warnings.".into()),
                "Canceled" => ("Canceled", "Session was canceled by a user.".into()),
                _ => ("Success", "Session finished.".into()),
            }
        } else if Some(i) == bad_index {
            if s.status == "Failed" {
                (
                    "Error",
                    format!("Failed to process {res}: snapshot creation timed out."),
                )
            } else {
                (
                    "Warning",
                    format!("Processing {res} finished with warning: retrying after throttling."),
                )
            }
        } else if s.status == "Warning" && rng.chance(20) {
            ("Warning", format!("{res}: some files were skipped."))
        } else {
            ("Success", format!("Processing {res}."))
        };
        let (log_time, reported) = if status == "Running" {
            (start, 0)
        } else {
            (start + dur_ticks, reported)
        };
        out.push(LogItem {
            status,
            log_time: fmt_vba(log_time),
            message,
            execution_start_time: fmt_vba(start),
            execution_duration: reported,
        });
    }
    out
}

/// RFC 7807 problem body with VBA's `errorCode`.
pub fn problem(req: &Req, status: StatusCode, code: &str, details: &str) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Problem<'a> {
        #[serde(rename = "type")]
        kind: String,
        title: &'a str,
        status: u16,
        error_code: &'a str,
        details: &'a str,
        instance: String,
    }
    let title = status.canonical_reason().unwrap_or("Error");
    let body = Problem {
        kind: status_type(status),
        title,
        status: status.as_u16(),
        error_code: code,
        details,
        instance: format!("/api{}", req.path.strip_prefix("/api").unwrap_or(&req.path)),
    };
    match serde_json::to_vec(&body) {
        Ok(b) => respond(status, PROBLEM, b),
        Err(_) => respond(status, PROBLEM, "{}"),
    }
}

/// The RFC section describing a status, as ASP.NET Core's problem details name it.
fn status_type(status: StatusCode) -> String {
    let section = match status.as_u16() {
        400 => "rfc7231#section-6.5.1",
        401 => "rfc7235#section-3.1",
        403 => "rfc7231#section-6.5.3",
        404 => "rfc7231#section-6.5.4",
        405 => "rfc7231#section-6.5.5",
        408 => "rfc7231#section-6.5.7",
        429 => "rfc6585#section-4",
        500 => "rfc7231#section-6.6.1",
        503 => "rfc7231#section-6.6.4",
        _ => "rfc7231#section-6",
    };
    format!("https://tools.ietf.org/html/{section}")
}

/// VBA's error body for an injected or generic status.
pub fn error(req: &Req, status: StatusCode, message: &str) -> Response {
    let code = match status.as_u16() {
        500 => "UnexpectedError",
        _ => code_word(status),
    };
    problem(
        req,
        status,
        code,
        if message.is_empty() {
            default_message(status)
        } else {
            message
        },
    )
}
