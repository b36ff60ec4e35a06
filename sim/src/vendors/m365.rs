//! Veeam Backup for Microsoft 365 at the API versions today's servers serve (`/v6/`, `/v7/`,
//! `/v8/`; `/v3/` only for an old server, `--m365-legacy-v3`): throttled `token`, `token/logout`,
//! `Jobs`, a month of job sessions (warnings, failures, retries and running ones) with the
//! documented filters, paged `LogItems` (v8 items have `type` + `message`, older ones a
//! `[Status]`-prefixed `title`), and the wrong `_links.log`.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Instant;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Serialize;

use crate::clock::{
    fmt_m365, fmt_us_text, fmt_utc_z, parse_timestamp, Ticks, TICKS_PER_DAY, TICKS_PER_HOUR,
    TICKS_PER_MIN, TICKS_PER_MS, TICKS_PER_SEC,
};
use crate::config::Config;
use crate::http::{json, parse_urlencoded, with_header, Req};
use crate::prng::Rng;
use crate::vendors::default_message;
use crate::vendors::shared::{steady, FAILED_IN_A_ROW, SLOW_RUN_MIN, USUAL_RUN_MIN};
use crate::App;

/// The seed page's job session; its log is the page's five items.
pub const SEED_SESSION_ID: &str = "be376069-2865-4156-a9bc-825cef7d687e";
/// The session whose log has `--m365-log-items` items.
pub const BIG_LOG_SESSION_ID: &str = "0b1e55ed-0000-4000-8000-00000000365b";
/// The server's local offset (the seed's `-07:00`); M365 writes local times with offsets.
const OFFSET_MIN: i64 = -7 * 60;
/// .NET's `DateTime.MinValue`: what the server writes for "not ended yet".
const NOT_SET: &str = "0001-01-01T00:00:00";
const DEFAULT_LIMIT: usize = 30;
/// The schema's `bottleneck` words.
const BOTTLENECKS: [&str; 4] = ["NA", "Detecting", "Source", "Target"];
const MAX_LIMIT: usize = 10_000;

/// `(id, usn, title, creationTime, endTime)` of the seed page's items.
const SEED_ITEMS: [(&str, u64, &str, &str, &str); 5] = [
    (
        "e7668151-524f-4fa5-a30a-c647bf7ca8c5",
        1,
        "[Success] Job started at 4/4/2017 12:07:21 AM",
        "2017-04-04T00:07:21.3664166-07:00",
        "2017-04-04T00:07:21.3664166-07:00",
    ),
    (
        "a6c7a35c-20e1-4cf9-931e-c1e060172b43",
        2,
        "[Success] Connected to organization",
        "2017-04-04T00:07:21.3674143-07:00",
        "2017-04-04T00:07:25.3952173-07:00",
    ),
    (
        "8bbea7df-f870-40c1-89a0-64dca53c1e03",
        3,
        "[Success] Mailboxes enumerated",
        "2017-04-04T00:07:21.3674143-07:00",
        "2017-04-04T00:07:28.4514886-07:00",
    ),
    (
        "45342637-79ab-4247-900e-c33c1cfb1274",
        4,
        "[Success] 3 mailboxes found",
        "2017-04-04T00:07:21.3674143-07:00",
        "2017-04-04T00:07:28.454487-07:00",
    ),
    (
        "a4d40d0e-cea8-40fa-93d9-202bffad855e",
        5,
        "[Success] Processing mailbox: petep@eastsupport.onmicrosoft.com",
        "2017-04-04T00:07:25.3972468-07:00",
        "2017-04-04T00:07:37.191867-07:00",
    ),
];

/// `(name, period in hours, what it backs up)`.
/// The job history's steady job ("OneDrive daily": its newest run is slow, its last OneDrive the
/// step that took the extra time) and failing job ("SharePoint daily"); see
/// `shared::USUAL_RUN_MIN`.
const STEADY_JOB: usize = 1;
const FAILING_JOB: usize = 2;

const JOBS: [(&str, i64, &str); 4] = [
    ("Exchange mailboxes hourly", 1, "mailbox"),
    ("OneDrive daily", 24, "OneDrive"),
    ("SharePoint daily", 24, "site"),
    ("Teams every 8 hours", 8, "team"),
];

pub struct JobSession {
    pub id: String,
    job: usize,
    /// 0 for a job's own run; 1 for the automatic retry of a failed run.
    retry_count: u32,
    /// The failed run a retry repeats (`mainSessionId`).
    main_id: Option<String>,
    pub status: &'static str,
    pub start: Ticks,
    pub end: Option<Ticks>,
    items: usize,
    /// The steady job's slow run: its items take their usual time, except its last mailbox (or
    /// site, …), which takes all the extra time.
    slow_step: bool,
    stream: u64,
}

struct Tokens {
    /// access token → (expiry, the refresh token issued with it)
    access: HashMap<String, (Instant, String)>,
    refresh: HashMap<String, String>,
    /// Times of recent `POST /v3/Token` calls, for the throttle.
    calls: VecDeque<Instant>,
    rng: Rng,
}

pub struct M365State {
    /// Newest first.
    pub sessions: Vec<JobSession>,
    pub job_ids: Vec<String>,
    repository_id: String,
    organization_id: String,
    seed: u64,
    tokens: Mutex<Tokens>,
}

impl M365State {
    pub fn new(cfg: &Config) -> Self {
        let mut rng = Rng::derive(cfg.seed, 0x365);
        let job_ids: Vec<String> = JOBS.iter().map(|_| rng.guid()).collect();
        let end = cfg.anchor;
        let begin = end - i64::from(cfg.m365_days) * TICKS_PER_DAY;
        let mut sessions = Vec::new();
        let mut stream = 0x10_000u64;
        for (j, &(_, period_h, _)) in JOBS.iter().enumerate() {
            let period = period_h * TICKS_PER_HOUR;
            // Each job fires on its own schedule offset, with a little start jitter.
            let mut t = begin + (j as i64 * 7 + 3) * TICKS_PER_MIN;
            while t < end {
                let start =
                    t + rng.range(0, 90 * TICKS_PER_SEC) + rng.below(TICKS_PER_SEC as u64) as i64;
                let dur = rng.range(2 * TICKS_PER_MIN, (period / 2).max(3 * TICKS_PER_MIN));
                let running = start + dur > end;
                let status = if running {
                    "Running"
                } else {
                    match rng.below(100) {
                        0..=84 => "Success",
                        85..=94 => "Warning",
                        _ => "Failed",
                    }
                };
                let id = rng.guid();
                let items = rng.range(6, 40) as usize;
                // The job history's story (see `shared::USUAL_RUN_MIN`), told without drawing
                // more numbers, so every other run stays as it was.
                let newest = t + period >= end;
                let (dur, status, items, slow_step) = match j {
                    STEADY_JOB if newest => (SLOW_RUN_MIN * TICKS_PER_MIN, "Success", 20, true),
                    STEADY_JOB => (steady(dur, USUAL_RUN_MIN), "Success", 20, false),
                    FAILING_JOB if t + FAILED_IN_A_ROW * period >= end => {
                        (dur, "Failed", items, false)
                    }
                    _ => (dur, status, items, false),
                };
                sessions.push(JobSession {
                    id,
                    job: j,
                    retry_count: 0,
                    main_id: None,
                    status,
                    start,
                    end: (!running).then_some(start + dur),
                    items,
                    slow_step,
                    stream,
                });
                stream += 1;
                t += period;
            }
            // Frequent jobs always have a run in progress at the anchor, so "still running"
            // exists whatever the seed.
            if period_h <= 8 {
                if let Some(last) = sessions.last_mut() {
                    last.start = end - rng.range(TICKS_PER_MIN, 20 * TICKS_PER_MIN);
                    last.end = None;
                    last.status = "Running";
                }
            }
        }
        // A failed run is retried automatically a few minutes later (`retryCount` 1,
        // `mainSessionId`). Drawn from a stream of its own so the runs above stay as they were.
        let mut retry_rng = Rng::derive(cfg.seed, 0x367);
        let retries: Vec<JobSession> = sessions
            .iter()
            .filter(|s| s.status == "Failed")
            .filter_map(|s| {
                let start = s.end? + retry_rng.range(5 * TICKS_PER_MIN, 10 * TICKS_PER_MIN);
                let dur = retry_rng.range(2 * TICKS_PER_MIN, 20 * TICKS_PER_MIN);
                let status = if retry_rng.chance(250) {
                    "Warning"
                } else {
                    "Success"
                };
                // The failing job's retries fail too: its streak is not broken by them.
                let status = if s.job == FAILING_JOB {
                    "Failed"
                } else {
                    status
                };
                (start + dur < end).then(|| JobSession {
                    id: retry_rng.guid(),
                    job: s.job,
                    retry_count: 1,
                    main_id: Some(s.id.clone()),
                    status,
                    start,
                    end: Some(start + dur),
                    items: retry_rng.range(6, 12) as usize,
                    slow_step: false,
                    stream: 0x20_000 + s.stream,
                })
            })
            .collect();
        sessions.extend(retries);
        let big_start = end - 2 * TICKS_PER_DAY;
        sessions.push(JobSession {
            id: BIG_LOG_SESSION_ID.into(),
            job: 0,
            retry_count: 0,
            main_id: None,
            status: "Warning",
            start: big_start,
            end: Some(
                big_start + (cfg.m365_log_items as i64 * 3 * TICKS_PER_SEC).max(TICKS_PER_MIN),
            ),
            items: cfg.m365_log_items,
            slow_step: false,
            stream: 0x365B,
        });
        let seed_start = parse_timestamp(SEED_ITEMS[0].3).unwrap_or(0);
        let seed_end = parse_timestamp(SEED_ITEMS[4].4).unwrap_or(0);
        sessions.push(JobSession {
            id: SEED_SESSION_ID.into(),
            job: 0,
            retry_count: 0,
            main_id: None,
            status: "Success",
            start: seed_start,
            end: Some(seed_end),
            items: SEED_ITEMS.len(),
            slow_step: false,
            stream: 0,
        });
        sessions.sort_by_key(|s| std::cmp::Reverse(s.start));
        M365State {
            sessions,
            job_ids,
            repository_id: rng.guid(),
            organization_id: rng.guid(),
            seed: cfg.seed,
            tokens: Mutex::new(Tokens {
                access: HashMap::new(),
                refresh: HashMap::new(),
                calls: VecDeque::new(),
                rng: Rng::derive(cfg.seed, 0x366),
            }),
        }
    }

    fn find(&self, id: &str) -> Option<&JobSession> {
        self.sessions.iter().find(|s| s.id.eq_ignore_ascii_case(id))
    }
}

/// The REST API version a path names. The shapes differ per version (see `session_json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Api {
    V3,
    V6,
    V7,
    V8,
}

impl Api {
    fn from_segment(s: &str, legacy_v3: bool) -> Option<Api> {
        Some(match s.to_ascii_lowercase().as_str() {
            "v3" if legacy_v3 => Api::V3,
            "v6" => Api::V6,
            "v7" => Api::V7,
            "v8" => Api::V8,
            _ => return None,
        })
    }

    fn segment(self) -> &'static str {
        match self {
            Api::V3 => "v3",
            Api::V6 => "v6",
            Api::V7 => "v7",
            Api::V8 => "v8",
        }
    }
}

fn no_resource() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "No HTTP resource was found that matches the request URI.",
    )
}

pub fn handle(app: &App, req: &Req) -> Response {
    let segs = req.segments();
    // `/v3/` was deprecated in VB365 6.0: today's servers answer it with a 404.
    let Some(api) = segs
        .first()
        .and_then(|s| Api::from_segment(s, app.cfg.m365_legacy_v3))
    else {
        return no_resource();
    };
    let rest = &segs[1..];
    let is = |s: &&str, n: &str| s.eq_ignore_ascii_case(n);
    match (rest, &req.method) {
        ([t], &Method::POST) if is(t, "Token") => token(app, req, api),
        ([t, l], &Method::POST) if is(t, "Token") && is(l, "logout") && api >= Api::V7 => {
            logout(app, req, api)
        }
        ([j], &Method::GET) if is(j, "Jobs") && api >= Api::V6 => {
            with_auth(app, req, |app, req| jobs(app, req, api))
        }
        ([j, id], &Method::GET) if is(j, "Jobs") && api >= Api::V6 => {
            with_auth(app, req, |app, req| {
                match app
                    .m365
                    .job_ids
                    .iter()
                    .position(|j| j.eq_ignore_ascii_case(id))
                {
                    Some(k) => json(StatusCode::OK, &job_json(app, req, api, k)),
                    None => error(
                        StatusCode::NOT_FOUND,
                        &format!("Job with ID {id} was not found."),
                    ),
                }
            })
        }
        ([s], &Method::GET) if is(s, "JobSessions") => {
            with_auth(app, req, |app, req| list(app, req, api))
        }
        ([s, id], &Method::GET) if is(s, "JobSessions") => {
            with_auth(app, req, |app, req| match app.m365.find(id) {
                Some(js) => json(StatusCode::OK, &session_json(app, req, api, js)),
                None => not_found(id),
            })
        }
        ([s, id, l], &Method::GET) if is(s, "JobSessions") && is(l, "LogItems") => {
            with_auth(app, req, |app, req| match app.m365.find(id) {
                Some(js) => log_items(app, req, api, js),
                None => not_found(id),
            })
        }
        _ => no_resource(),
    }
}

fn not_found(id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        &format!("Job session with ID {id} was not found."),
    )
}

fn with_auth(app: &App, req: &Req, f: impl FnOnce(&App, &Req) -> Response) -> Response {
    let ok = req.bearer().is_some_and(|t| {
        let tokens = app.m365.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens
            .access
            .get(t)
            .is_some_and(|(exp, _)| Instant::now() < *exp)
    });
    if ok {
        f(app, req)
    } else {
        error(
            StatusCode::UNAUTHORIZED,
            "Authorization has been denied for this request.",
        )
    }
}

/// OWIN's OAuth error body, which the token endpoint uses instead of the API's.
fn oauth_error(code: &str, description: &str) -> Response {
    #[derive(Serialize)]
    struct E<'a> {
        error: &'a str,
        error_description: &'a str,
    }
    json(
        StatusCode::BAD_REQUEST,
        &E {
            error: code,
            error_description: description,
        },
    )
}

fn token(app: &App, req: &Req, api: Api) -> Response {
    let mut tokens = app.m365.tokens.lock().unwrap_or_else(|e| e.into_inner());
    let now = Instant::now();
    let window = app.cfg.m365_token_window;
    while tokens
        .calls
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        tokens.calls.pop_front();
    }
    if tokens.calls.len() >= app.cfg.m365_token_limit as usize {
        let retry = tokens
            .calls
            .front()
            .map(|t| {
                window
                    .saturating_sub(now.duration_since(*t))
                    .as_secs()
                    .max(1)
            })
            .unwrap_or(1);
        let r = error(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many token requests. Try again later.",
        );
        return with_header(r, "retry-after", &retry.to_string());
    }
    tokens.calls.push_back(now);
    let form = parse_urlencoded(std::str::from_utf8(&req.body).unwrap_or(""));
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if let Some(v) = get("disable_antiforgery_token") {
        if v != "true" && v != "false" {
            return oauth_error(
                "invalid_request",
                "disable_antiforgery_token must be true or false.",
            );
        }
    }
    let user = match get("grant_type") {
        Some("password") => match (get("username"), get("password")) {
            (Some(u), Some(p)) if app.cfg.users.iter().any(|(cu, cp)| cu == u && cp == p) => {
                u.to_string()
            }
            (Some(_), Some(_)) => {
                return oauth_error("invalid_grant", "The user name or password is incorrect.")
            }
            _ => return oauth_error("invalid_request", "username and password are required."),
        },
        Some("refresh_token") => {
            match get("refresh_token").and_then(|r| tokens.refresh.remove(r)) {
                Some(u) => u,
                None => return oauth_error("invalid_grant", "The refresh token is invalid."),
            }
        }
        Some(_) => {
            return oauth_error("unsupported_grant_type", "The grant type is not supported.")
        }
        None => return oauth_error("invalid_request", "grant_type is required."),
    };
    let access = format!(
        "vbo.{:016x}{:016x}",
        tokens.rng.next_u64(),
        tokens.rng.next_u64()
    );
    let refresh = format!(
        "vbor.{:016x}{:016x}",
        tokens.rng.next_u64(),
        tokens.rng.next_u64()
    );
    let ttl = app.cfg.m365_token_ttl;
    tokens
        .access
        .insert(access.clone(), (now + ttl, refresh.clone()));
    tokens.refresh.insert(refresh.clone(), user.clone());
    /// `OAuthTokenResponse`: the v6–v8 documents spell the user `userName` (required in v6
    /// and v7); the old v3 server is kept as it was (`username`).
    #[derive(Serialize)]
    struct T {
        access_token: String,
        token_type: &'static str,
        expires_in: u64,
        refresh_token: String,
        #[serde(rename = ".issued")]
        issued: String,
        #[serde(rename = ".expires")]
        expires: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        username: Option<String>,
        #[serde(rename = "userName", skip_serializing_if = "Option::is_none")]
        user_name: Option<String>,
    }
    let wall = crate::vendors::aws::wall_ticks();
    json(
        StatusCode::OK,
        &T {
            access_token: access,
            token_type: "bearer",
            expires_in: ttl.as_secs(),
            refresh_token: refresh,
            issued: fmt_utc_z(wall),
            expires: fmt_utc_z(wall + ttl.as_secs() as i64 * TICKS_PER_SEC),
            username: (api == Api::V3).then(|| user.clone()),
            user_name: (api != Api::V3).then_some(user),
        },
    )
}

/// `POST /vN/token/logout` (v7, v8): the bearer token and its refresh token stop working.
/// v7 documents `200 OK`, v8 `204 No Content`.
fn logout(app: &App, req: &Req, api: Api) -> Response {
    let mut tokens = app.m365.tokens.lock().unwrap_or_else(|e| e.into_inner());
    let live = req
        .bearer()
        .and_then(|t| tokens.access.remove(t))
        .filter(|(exp, _)| Instant::now() < *exp);
    match live {
        Some((_, refresh)) => {
            tokens.refresh.remove(&refresh);
            if api == Api::V7 {
                crate::http::empty(StatusCode::OK)
            } else {
                crate::http::empty(StatusCode::NO_CONTENT)
            }
        }
        None => error(
            StatusCode::UNAUTHORIZED,
            "Authorization has been denied for this request.",
        ),
    }
}

#[derive(Serialize)]
struct Href {
    href: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Statistics {
    // The API spells the unit `PS` (per second), which camelCase would write `Ps`.
    #[serde(rename = "processingRateBytesPS")]
    processing_rate_bytes_ps: u64,
    #[serde(rename = "processingRateItemsPS")]
    processing_rate_items_ps: u64,
    #[serde(rename = "readRateBytesPS")]
    read_rate_bytes_ps: u64,
    #[serde(rename = "writeRateBytesPS")]
    write_rate_bytes_ps: u64,
    transferred_data_bytes: u64,
    processed_objects: u64,
    bottleneck: &'static str,
}

/// A job session. v3 is the old server's shape, kept as the app reads it today; v6–v8 follow
/// `RESTJobSession` of each version's document: v7 adds `repositoryId`, `mainSessionId` (retries
/// only), `jobWillBeRetried` and `jobType`; v8 adds `jobId`, `jobSessionConfigType` and `eTag`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionJson {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repository_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    main_session_id: Option<String>,
    creation_time: String,
    end_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_session: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_will_be_retried: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    progress: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_session_config_type: Option<&'static str>,
    status: &'static str,
    /// Error or warning text of the run (empty when it has none), not a name.
    details: String,
    statistics: Statistics,
    #[serde(skip_serializing_if = "Option::is_none")]
    e_tag: Option<u64>,
    #[serde(rename = "_links")]
    links: BTreeMap<&'static str, Href>,
}

fn session_json(app: &App, req: &Req, api: Api, s: &JobSession) -> SessionJson {
    let mut rng = Rng::derive(app.m365.seed, s.stream ^ 0x5747);
    let objects = s.items.saturating_sub(4) as u64;
    let bytes = rng.range(1 << 20, 4 << 30) as u64;
    let secs = s
        .end
        .map(|e| ((e - s.start) / TICKS_PER_SEC).max(1) as u64)
        .unwrap_or(1);
    let base = format!("{}/{}", req.base, api.segment());
    let job_id = app.m365.job_ids.get(s.job).cloned().unwrap_or_default();
    let mut links = BTreeMap::new();
    links.insert(
        "self",
        Href {
            href: format!("{base}/JobSessions/{}", s.id),
        },
    );
    links.insert(
        "job",
        Href {
            href: format!("{base}/Jobs/{job_id}"),
        },
    );
    // Deliberately wrong, as on real servers: the log lives at /JobSessions/{id}/LogItems.
    links.insert(
        "log",
        Href {
            href: format!("{base}/JobSessions/{}/Log", s.id),
        },
    );
    // A running session has processed about half its objects so far.
    let progress = if s.end.is_some() {
        objects
    } else {
        objects / 2
    };
    let v7 = api >= Api::V7;
    let v8 = api >= Api::V8;
    let modern = api >= Api::V6;
    SessionJson {
        id: s.id.clone(),
        job_id: v8.then(|| job_id.clone()),
        repository_id: v7.then(|| app.m365.repository_id.clone()),
        main_session_id: if v7 { s.main_id.clone() } else { None },
        creation_time: fmt_m365(s.start, OFFSET_MIN),
        end_time: s
            .end
            .map(|e| fmt_m365(e, OFFSET_MIN))
            .unwrap_or_else(|| NOT_SET.into()),
        retry_session: (!modern).then_some(s.retry_count > 0),
        retry_count: modern.then_some(s.retry_count),
        job_will_be_retried: v7.then(|| s.status == "Failed" && s.retry_count == 0),
        progress: modern.then_some(progress),
        job_type: v7.then_some("Backup"),
        // The first run of each job is the full one; the month shown is all incremental.
        job_session_config_type: v8.then_some("Incremental"),
        status: s.status,
        details: match s.status {
            "Failed" => {
                "Job finished with error: Exchange Web Services returned 503 (server busy).".into()
            }
            "Warning" => "Job finished with warning: some items were skipped.".into(),
            _ => String::new(),
        },
        statistics: Statistics {
            processing_rate_bytes_ps: bytes / secs,
            processing_rate_items_ps: objects / secs,
            read_rate_bytes_ps: bytes / secs,
            write_rate_bytes_ps: bytes / secs / 2,
            transferred_data_bytes: bytes,
            processed_objects: progress,
            bottleneck: if s.end.is_none() {
                "Detecting"
            } else {
                BOTTLENECKS[rng.below(BOTTLENECKS.len() as u64) as usize]
            },
        },
        e_tag: v8.then_some(1 + s.stream % 7),
        links,
    }
}

/// `RESTJob`: `lastStatus`/`lastRun` from the job's newest session, `lastBackup` (v7+) from its
/// newest successful one, `nextRun` one period after the last run.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JobJson {
    id: String,
    name: &'static str,
    description: String,
    backup_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization_id: Option<String>,
    repository_id: String,
    last_run: Option<String>,
    next_run: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_backup: Option<Option<String>>,
    is_enabled: bool,
    last_status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    e_tag: Option<u64>,
    #[serde(rename = "_links")]
    links: BTreeMap<&'static str, Href>,
}

fn job_json(app: &App, req: &Req, api: Api, k: usize) -> JobJson {
    let (name, period_h, what) = JOBS.get(k).copied().unwrap_or(JOBS[0]);
    let id = app.m365.job_ids.get(k).cloned().unwrap_or_default();
    // Sessions are newest first; the seed page's 2017 session is not a "last run".
    let mine = || {
        app.m365
            .sessions
            .iter()
            .filter(move |s| s.job == k && s.id != SEED_SESSION_ID)
    };
    let last = mine().next();
    let last_ok = mine().find(|s| s.status == "Success" && s.end.is_some());
    let base = format!("{}/{}", req.base, api.segment());
    let mut links = BTreeMap::new();
    links.insert(
        "self",
        Href {
            href: format!("{base}/Jobs/{id}"),
        },
    );
    links.insert(
        "jobsessions",
        Href {
            href: format!("{base}/JobSessions?jobId={id}"),
        },
    );
    JobJson {
        id,
        name,
        description: format!("Backs up every {what} of the organization."),
        backup_type: "EntireOrganization",
        organization_id: (api >= Api::V8).then(|| app.m365.organization_id.clone()),
        repository_id: app.m365.repository_id.clone(),
        last_run: last.map(|s| fmt_m365(s.start, OFFSET_MIN)),
        next_run: last.map(|s| fmt_m365(s.start + period_h * TICKS_PER_HOUR, OFFSET_MIN)),
        last_backup: (api >= Api::V7)
            .then(|| last_ok.and_then(|s| s.end).map(|e| fmt_m365(e, OFFSET_MIN))),
        is_enabled: true,
        last_status: last.map(|s| s.status),
        e_tag: (api >= Api::V8).then_some(3 + k as u64),
        links,
    }
}

/// `GET /vN/Jobs`: a bare array in v6 and v7, the paged envelope in v8.
fn jobs(app: &App, req: &Req, api: Api) -> Response {
    let all: Vec<JobJson> = (0..JOBS.len())
        .map(|k| job_json(app, req, api, k))
        .collect();
    if api < Api::V8 {
        return json(StatusCode::OK, &all);
    }
    let (offset, limit) = match paging(req) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let total = all.len();
    let page = all.into_iter().skip(offset).take(limit).collect();
    envelope(req, api, "Jobs", offset, limit, total, page)
}

/// Reads `offset`/`limit` (any case), defaulting to 0/30 and refusing a limit over 10 000.
fn paging(req: &Req) -> Result<(usize, usize), Response> {
    let get = |n: &str, default: usize| -> Result<usize, Response> {
        match req.q_ci(n) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| {
                error(
                    StatusCode::BAD_REQUEST,
                    &format!("The value '{v}' is not valid for {n}."),
                )
            }),
        }
    };
    let offset = get("offset", 0)?;
    let limit = get("limit", DEFAULT_LIMIT)?;
    if limit == 0 || limit > MAX_LIMIT {
        return Err(error(
            StatusCode::BAD_REQUEST,
            &format!("limit must be between 1 and {MAX_LIMIT}."),
        ));
    }
    Ok((offset, limit))
}

/// The paged envelope `{offset, limit, results, _links}` with `next` while more remain.
fn envelope<T: Serialize>(
    req: &Req,
    api: Api,
    path: &str,
    offset: usize,
    limit: usize,
    total: usize,
    results: Vec<T>,
) -> Response {
    #[derive(Serialize)]
    struct Page<T> {
        offset: usize,
        limit: usize,
        results: Vec<T>,
        #[serde(rename = "_links")]
        links: BTreeMap<&'static str, Href>,
    }
    let href = |o: usize| Href {
        href: format!(
            "{}/{}/{path}?offset={o}&limit={limit}",
            req.base,
            api.segment()
        ),
    };
    let mut links = BTreeMap::new();
    links.insert("self", href(offset));
    if offset + limit < total {
        links.insert("next", href(offset + limit));
    }
    if offset > 0 {
        links.insert("prev", href(offset.saturating_sub(limit)));
    }
    json(
        StatusCode::OK,
        &Page {
            offset,
            limit,
            results,
            links,
        },
    )
}

fn bad_request(message: String) -> Response {
    error(StatusCode::BAD_REQUEST, &message)
}

pub(crate) fn is_guid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// The filters of `GET /vN/JobSessions`, as far as each version documents them: v6 `jobType`
/// and `endTimeLowerBound`; v7 adds `jobId` and `endTimeUpperBound`; v8 adds `status`.
/// Parameters a version does not document are ignored, as ASP.NET ignores unknown ones.
/// Bounds compare with the session's end; a running session ends "later than any bound".
struct Filters {
    job: Option<String>,
    copy_only: bool,
    status: Option<&'static str>,
    lower: Option<Ticks>,
    upper: Option<Ticks>,
}

fn filters(req: &Req, api: Api) -> Result<Filters, Response> {
    let time = |n: &str| -> Result<Option<Ticks>, Response> {
        match req.q_ci(n) {
            None => Ok(None),
            Some(v) => parse_timestamp(v)
                .map(Some)
                .ok_or_else(|| bad_request(format!("The value '{v}' is not valid for {n}."))),
        }
    };
    let mut f = Filters {
        job: None,
        copy_only: false,
        status: None,
        lower: None,
        upper: None,
    };
    if api < Api::V6 {
        return Ok(f);
    }
    if let Some(t) = req.q_ci("jobType") {
        match t.to_ascii_lowercase().as_str() {
            "backup" => {}
            "copy" => f.copy_only = true,
            _ => {
                return Err(bad_request(format!(
                    "The value '{t}' is not valid for jobType."
                )))
            }
        }
    }
    f.lower = time("endTimeLowerBound")?;
    if api >= Api::V7 {
        f.upper = time("endTimeUpperBound")?;
        if let Some(j) = req.q_ci("jobId") {
            if !is_guid(j) {
                return Err(bad_request(format!(
                    "The value '{j}' is not valid for jobId."
                )));
            }
            f.job = Some(j.to_ascii_lowercase());
        }
    }
    if api >= Api::V8 {
        if let Some(v) = req.q_ci("status") {
            // The filter's enum says `Succeeded` where the sessions say `Success`.
            f.status = Some(match v.to_ascii_lowercase().as_str() {
                "succeeded" | "success" => "Success",
                "running" => "Running",
                "failed" => "Failed",
                "warning" => "Warning",
                "stopped" => "Stopped",
                _ => {
                    return Err(bad_request(format!(
                        "The value '{v}' is not valid for status."
                    )))
                }
            });
        }
    }
    Ok(f)
}

fn list(app: &App, req: &Req, api: Api) -> Response {
    let (offset, limit) = match paging(req) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let f = match filters(req, api) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let job_ids = &app.m365.job_ids;
    let matching: Vec<&JobSession> = app
        .m365
        .sessions
        .iter()
        // Every simulated job is a backup job: a Copy filter matches nothing.
        .filter(|_| !f.copy_only)
        .filter(|s| {
            f.job
                .as_deref()
                .is_none_or(|j| job_ids.get(s.job).is_some_and(|id| id == j))
        })
        .filter(|s| f.status.is_none_or(|st| s.status == st))
        .filter(|s| f.lower.is_none_or(|l| s.end.is_none_or(|e| e >= l)))
        .filter(|s| f.upper.is_none_or(|u| s.end.is_some_and(|e| e <= u)))
        .collect();
    let results = matching
        .iter()
        .skip(offset)
        .take(limit)
        .map(|s| session_json(app, req, api, s))
        .collect();
    envelope(
        req,
        api,
        "JobSessions",
        offset,
        limit,
        matching.len(),
        results,
    )
}

/// A log item: v3, v6 and v7 carry `title` with the status as its `[Status]` prefix; v8 has no
/// `title` but `type` (Running, Warning, Error, Success, Stop) and `message`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogItem {
    id: String,
    usn: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    creation_time: String,
    end_time: String,
    #[serde(rename = "_links")]
    links: BTreeMap<&'static str, Href>,
}

/// v8's `type` and `message` for an item the older versions title `[Status] message`. An item
/// that has not ended yet is `Running` whatever its prefix.
fn split_title(title: &str, end_time: &str) -> (&'static str, String) {
    let (word, message) = match title.strip_prefix('[').and_then(|t| t.split_once("] ")) {
        Some((w, m)) => (w, m.to_string()),
        None => ("", title.to_string()),
    };
    let kind = if end_time == NOT_SET {
        "Running"
    } else {
        match word {
            "Warning" => "Warning",
            "Failed" | "Error" => "Error",
            "Stopped" | "Stop" => "Stop",
            _ => "Success",
        }
    };
    (kind, message)
}

const ITEM_TYPES: [&str; 5] = ["Running", "Warning", "Error", "Success", "Stop"];

fn log_items(app: &App, req: &Req, api: Api, s: &JobSession) -> Response {
    let (offset, limit) = match paging(req) {
        Ok(p) => p,
        Err(r) => return r,
    };
    // v8's `type` filter and `orderAsc` (default true: oldest first).
    let (want, ascending) = if api >= Api::V8 {
        let want = match req.q_ci("type") {
            None => None,
            Some(t) => match ITEM_TYPES.iter().find(|k| k.eq_ignore_ascii_case(t)) {
                Some(k) => Some(*k),
                None => return bad_request(format!("The value '{t}' is not valid for type.")),
            },
        };
        let ascending = match req.q_ci("orderAsc").map(|v| v.to_ascii_lowercase()) {
            None => true,
            Some(v) if v == "true" => true,
            Some(v) if v == "false" => false,
            Some(v) => return bad_request(format!("The value '{v}' is not valid for orderAsc.")),
        };
        (want, ascending)
    } else {
        (None, true)
    };
    let session_href = format!("{}/{}/JobSessions/{}", req.base, api.segment(), s.id);
    let link = || {
        let mut l = BTreeMap::new();
        l.insert(
            "jobsessions",
            Href {
                href: session_href.clone(),
            },
        );
        l
    };
    let raw: Vec<(String, u64, String, String, String)> = if s.id == SEED_SESSION_ID {
        SEED_ITEMS
            .iter()
            .map(|&(id, usn, title, c, e)| {
                (
                    id.to_string(),
                    usn,
                    title.to_string(),
                    c.to_string(),
                    e.to_string(),
                )
            })
            .collect()
    } else {
        generate_items(app.m365.seed, s)
    };
    let mut items: Vec<LogItem> = raw
        .into_iter()
        .filter_map(|(id, usn, title, creation_time, end_time)| {
            let (title, kind, message) = if api >= Api::V8 {
                let (kind, message) = split_title(&title, &end_time);
                if want.is_some_and(|w| w != kind) {
                    return None;
                }
                (None, Some(kind), Some(message))
            } else {
                (Some(title), None, None)
            };
            Some(LogItem {
                id,
                usn,
                title,
                kind,
                message,
                creation_time,
                end_time,
                links: link(),
            })
        })
        .collect();
    if !ascending {
        items.reverse();
    }
    let total = items.len();
    let results = items.into_iter().skip(offset).take(limit).collect();
    envelope(
        req,
        api,
        &format!("JobSessions/{}/LogItems", s.id),
        offset,
        limit,
        total,
        results,
    )
}

/// A session's log items `(id, usn, title, creationTime, endTime)`, in usn order, derived only
/// from the seed and the session. Usns are a server-wide sequence, so they skip numbers.
fn generate_items(seed: u64, s: &JobSession) -> Vec<(String, u64, String, String, String)> {
    let mut rng = Rng::derive(seed, s.stream);
    let (_, _, what) = JOBS[s.job];
    let n = s.items.max(4);
    let objects = n - 4;
    let mut usn = 1000 + s.stream * 50 + rng.below(20);
    let end = s.end.unwrap_or(s.start + n as i64 * 20 * TICKS_PER_SEC);
    // The slow run's items are spaced as in a usual run; its last object takes the rest.
    let paced = if s.slow_step {
        end.min(s.start + USUAL_RUN_MIN * TICKS_PER_MIN)
    } else {
        end
    };
    let step = ((paced - s.start) / n as i64).max(TICKS_PER_MS);
    let fmt = |t: Ticks| fmt_m365(t, OFFSET_MIN);
    let mut out = Vec::with_capacity(n);
    let bad = if objects > 0 && s.status != "Success" && s.status != "Running" {
        Some(rng.below(objects as u64) as usize)
    } else {
        None
    };
    let mut push = |rng: &mut Rng, title: String, c: Ticks, e: Option<Ticks>| {
        usn += 1 + rng.below(4);
        out.push((
            rng.guid(),
            usn,
            title,
            fmt(c),
            e.map(fmt).unwrap_or_else(|| NOT_SET.into()),
        ));
    };
    let t0 = s.start;
    push(
        &mut rng,
        format!("[Success] Job started at {}", fmt_us_text(t0, OFFSET_MIN)),
        t0,
        Some(t0),
    );
    push(
        &mut rng,
        "[Success] Connected to organization".into(),
        t0 + TICKS_PER_MS,
        Some(t0 + step),
    );
    push(
        &mut rng,
        format!("[Success] {objects} {what}s found"),
        t0 + TICKS_PER_MS,
        Some(t0 + step + step / 3),
    );
    for k in 0..objects {
        let c = t0 + step * (k as i64 + 2) + rng.range(0, step / 2);
        let name = format!("user{:03}@contoso.onmicrosoft.com", rng.below(500));
        let running = s.status == "Running" && k + 1 == objects;
        let title = if Some(k) == bad && s.status == "Failed" {
            format!("[Failed] Processing {what}: {name} failed: The remote server returned an error: (503) Server Unavailable.")
        } else if Some(k) == bad || (s.status == "Warning" && rng.chance(30)) {
            format!("[Warning] Processing {what}: {name} finished with warning: item is too large and was skipped")
        } else {
            format!("[Success] Processing {what}: {name}")
        };
        let e = (!running).then(|| c + rng.range(TICKS_PER_SEC / 10, step.max(TICKS_PER_SEC)));
        let e = match e {
            Some(_) if s.slow_step && k + 1 == objects => Some(end - TICKS_PER_SEC),
            e => e,
        };
        push(&mut rng, title, c, e);
    }
    if let Some(e) = s.end {
        let when = fmt_us_text(e, OFFSET_MIN);
        let title = match s.status {
            "Failed" => format!("[Error] Job finished with error at {when}"),
            "Warning" => format!("[Warning] Job finished with warning at {when}"),
            _ => format!("[Success] Job finished at {when}"),
        };
        push(&mut rng, title, e, Some(e));
    }
    out
}

/// M365's API error body `{"message": …}` (ASP.NET Web API's, camel-cased as the API writes JSON).
pub fn error(status: StatusCode, message: &str) -> Response {
    #[derive(Serialize)]
    struct E<'a> {
        message: &'a str,
    }
    json(
        status,
        &E {
            message: if message.is_empty() {
                default_message(status)
            } else {
                message
            },
        },
    )
}
