//! Veeam Backup for Microsoft 365 (REST v3): throttled `/v3/Token`, a month of job sessions
//! (with warnings, failures and running ones), paged `LogItems`, and the wrong `_links.log`.

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
use crate::vendors::{default_message, seg_is};
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
const BOTTLENECKS: [&str; 4] = ["Source", "Target", "Proxy", "Network"];
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
const JOBS: [(&str, i64, &str); 4] = [
    ("Exchange mailboxes hourly", 1, "mailbox"),
    ("OneDrive daily", 24, "OneDrive"),
    ("SharePoint daily", 24, "site"),
    ("Teams every 8 hours", 8, "team"),
];

pub struct JobSession {
    pub id: String,
    job: usize,
    pub status: &'static str,
    pub start: Ticks,
    pub end: Option<Ticks>,
    items: usize,
    stream: u64,
}

struct Tokens {
    access: HashMap<String, Instant>,
    refresh: HashMap<String, String>,
    /// Times of recent `POST /v3/Token` calls, for the throttle.
    calls: VecDeque<Instant>,
    rng: Rng,
}

pub struct M365State {
    /// Newest first.
    pub sessions: Vec<JobSession>,
    job_ids: Vec<String>,
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
                sessions.push(JobSession {
                    id: rng.guid(),
                    job: j,
                    status,
                    start,
                    end: (!running).then_some(start + dur),
                    items: rng.range(6, 40) as usize,
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
        let big_start = end - 2 * TICKS_PER_DAY;
        sessions.push(JobSession {
            id: BIG_LOG_SESSION_ID.into(),
            job: 0,
            status: "Warning",
            start: big_start,
            end: Some(
                big_start + (cfg.m365_log_items as i64 * 3 * TICKS_PER_SEC).max(TICKS_PER_MIN),
            ),
            items: cfg.m365_log_items,
            stream: 0x365B,
        });
        let seed_start = parse_timestamp(SEED_ITEMS[0].3).unwrap_or(0);
        let seed_end = parse_timestamp(SEED_ITEMS[4].4).unwrap_or(0);
        sessions.push(JobSession {
            id: SEED_SESSION_ID.into(),
            job: 0,
            status: "Success",
            start: seed_start,
            end: Some(seed_end),
            items: SEED_ITEMS.len(),
            stream: 0,
        });
        sessions.sort_by_key(|s| std::cmp::Reverse(s.start));
        M365State {
            sessions,
            job_ids,
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

pub fn handle(app: &App, req: &Req) -> Response {
    let segs = req.segments();
    if !seg_is(segs.first(), "v3") {
        return error(
            StatusCode::NOT_FOUND,
            "No HTTP resource was found that matches the request URI.",
        );
    }
    let rest = &segs[1..];
    let is = |s: &&str, n: &str| s.eq_ignore_ascii_case(n);
    match (rest, &req.method) {
        ([t], &Method::POST) if is(t, "Token") => token(app, req),
        ([s], &Method::GET) if is(s, "JobSessions") => with_auth(app, req, list),
        ([s, id], &Method::GET) if is(s, "JobSessions") => {
            with_auth(app, req, |app, req| match app.m365.find(id) {
                Some(js) => json(StatusCode::OK, &session_json(app, req, js)),
                None => not_found(id),
            })
        }
        ([s, id, l], &Method::GET) if is(s, "JobSessions") && is(l, "LogItems") => {
            with_auth(app, req, |app, req| match app.m365.find(id) {
                Some(js) => log_items(app, req, js),
                None => not_found(id),
            })
        }
        _ => error(
            StatusCode::NOT_FOUND,
            "No HTTP resource was found that matches the request URI.",
        ),
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
            .is_some_and(|exp| Instant::now() < *exp)
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

fn token(app: &App, req: &Req) -> Response {
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
    tokens.access.insert(access.clone(), now + ttl);
    tokens.refresh.insert(refresh.clone(), user.clone());
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
        username: String,
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
            username: user,
        },
    )
}

#[derive(Serialize)]
struct Href {
    href: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Statistics {
    processing_rate_bytes_ps: u64,
    processing_rate_items_ps: u64,
    read_rate_bytes_ps: u64,
    write_rate_bytes_ps: u64,
    transferred_data_bytes: u64,
    processed_objects: u64,
    bottleneck: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionJson {
    id: String,
    creation_time: String,
    end_time: String,
    retry_session: bool,
    status: &'static str,
    details: String,
    statistics: Statistics,
    #[serde(rename = "_links")]
    links: BTreeMap<&'static str, Href>,
}

fn session_json(app: &App, req: &Req, s: &JobSession) -> SessionJson {
    let mut rng = Rng::derive(app.m365.seed, s.stream ^ 0x5747);
    let objects = s.items.saturating_sub(4) as u64;
    let bytes = rng.range(1 << 20, 4 << 30) as u64;
    let secs = s
        .end
        .map(|e| ((e - s.start) / TICKS_PER_SEC).max(1) as u64)
        .unwrap_or(1);
    let base = format!("{}/v3", req.base);
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
            href: format!("{base}/Jobs/{}", app.m365.job_ids[s.job]),
        },
    );
    // Deliberately wrong, as on real servers: the log lives at /JobSessions/{id}/LogItems.
    links.insert(
        "log",
        Href {
            href: format!("{base}/JobSessions/{}/Log", s.id),
        },
    );
    SessionJson {
        id: s.id.clone(),
        creation_time: fmt_m365(s.start, OFFSET_MIN),
        end_time: s
            .end
            .map(|e| fmt_m365(e, OFFSET_MIN))
            .unwrap_or_else(|| NOT_SET.into()),
        retry_session: false,
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
            processed_objects: objects,
            bottleneck: BOTTLENECKS[rng.below(BOTTLENECKS.len() as u64) as usize],
        },
        links,
    }
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
        href: format!("{}/v3/{path}?offset={o}&limit={limit}", req.base),
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

fn list(app: &App, req: &Req) -> Response {
    let (offset, limit) = match paging(req) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let all = &app.m365.sessions;
    let results = all
        .iter()
        .skip(offset)
        .take(limit)
        .map(|s| session_json(app, req, s))
        .collect();
    envelope(req, "JobSessions", offset, limit, all.len(), results)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogItem {
    id: String,
    usn: u64,
    title: String,
    creation_time: String,
    end_time: String,
    #[serde(rename = "_links")]
    links: BTreeMap<&'static str, Href>,
}

fn log_items(app: &App, req: &Req, s: &JobSession) -> Response {
    let (offset, limit) = match paging(req) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let session_href = format!("{}/v3/JobSessions/{}", req.base, s.id);
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
    let raw = if s.id == SEED_SESSION_ID {
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
    let total = raw.len();
    let results = raw
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|(id, usn, title, creation_time, end_time)| LogItem {
            id,
            usn,
            title,
            creation_time,
            end_time,
            links: link(),
        })
        .collect();
    envelope(
        req,
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
    let step = ((end - s.start) / n as i64).max(TICKS_PER_MS);
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
