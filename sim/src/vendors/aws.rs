//! Veeam Backup for AWS: OAuth-style `/api/v1/token` (password, refresh and MFA grants) with
//! `x-api-version` checked against the simulated release, `Session` resources as the vendor's
//! OpenAPI schema writes them, the session list with its filters, session logs with zone-less
//! timestamps, and RFC 7807 problem bodies whose `errorCode` is one the schema lists.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Serialize;

use crate::clock::{
    fmt_utc_z, fmt_vba, parse_timestamp, Ticks, TICKS_PER_DAY, TICKS_PER_MIN, TICKS_PER_MS,
    TICKS_PER_SEC,
};
use crate::config::Config;
use crate::http::{json, parse_urlencoded, respond, Req};
use crate::prng::Rng;
use crate::vendors::shared::{steady, FAILED_IN_A_ROW, SLOW_RUN_MIN, USUAL_RUN_MIN};
use crate::vendors::{default_message, seg_is};
use crate::App;

/// The seed page's session (its log is the page's five items, verbatim).
pub const SEED_SESSION_ID: &str = "90faa259-fbf6-493a-b492-e59e1cfbe3a6";
/// The session whose log has `--aws-log-entries` entries.
pub const BIG_LOG_SESSION_ID: &str = "0b1e55ed-0000-4000-8000-00000000b16a";
const PROBLEM: &str = "application/problem+json; charset=utf-8";
/// How long an MFA token from a password log-on waits for its one-time code.
const MFA_TOKEN_TTL: std::time::Duration = std::time::Duration::from_secs(300);

/// An API revision `1.M-revR` as `(M, R)`, ordered as VBA orders them.
pub type Revision = (u32, u32);

/// A simulated VBA release: the inclusive range of `x-api-version` revisions it accepts
/// (Veeam's versioning page: VBA 7 `1.3-rev0`…`1.5-rev1`, 8 `1.4-rev0`…`1.6-rev0`, 9 `1.7-rev0`,
/// 9.1 `1.7-rev1`). `all` is no real server: it accepts every revision, for a client that still
/// sends `1.0-rev0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Release {
    pub name: &'static str,
    pub oldest: Revision,
    pub newest: Revision,
}

impl Release {
    pub const DEFAULT: Release = Release {
        name: "9",
        oldest: (7, 0),
        newest: (7, 0),
    };
    const ALL: [Release; 6] = [
        // Before VBA 7 (inferred range: the versioning page names only 1.0-rev0 as "oldest").
        Release {
            name: "oldest",
            oldest: (0, 0),
            newest: (2, 1),
        },
        Release {
            name: "7",
            oldest: (3, 0),
            newest: (5, 1),
        },
        Release {
            name: "8",
            oldest: (4, 0),
            newest: (6, 0),
        },
        Release::DEFAULT,
        // 9.1 keeps accepting 9's revision (inferred: each release accepts a range).
        Release {
            name: "9.1",
            oldest: (7, 0),
            newest: (7, 1),
        },
        Release {
            name: "all",
            oldest: (0, 0),
            newest: (7, 1),
        },
    ];

    pub fn parse(s: &str) -> Option<Release> {
        Self::ALL.iter().copied().find(|r| r.name == s)
    }

    pub fn accepts(&self, v: Revision) -> bool {
        self.oldest <= v && v <= self.newest
    }

    /// The newest revision, for `config.json` and messages.
    pub fn newest_str(&self) -> String {
        fmt_revision(self.newest)
    }

    pub fn range_str(&self) -> String {
        if self.oldest == self.newest {
            return fmt_revision(self.newest);
        }
        format!(
            "{} to {}",
            fmt_revision(self.oldest),
            fmt_revision(self.newest)
        )
    }
}

pub fn fmt_revision((m, r): Revision) -> String {
    format!("1.{m}-rev{r}")
}

/// The first revision whose `Session` carries `name` and `extendedSessionType` (the 1.0-rev0
/// document has neither; the simulator gives them from VBA 9's 1.7-rev0 on).
pub const NAMED_SESSIONS_FROM: Revision = (7, 0);

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
    /// `SessionTypes` word (`Policy`, `RetentionActivity`, `FLRTask`, …).
    pub kind: &'static str,
    /// `extendedSessionType` word (`PolicyBackup`, `PolicySnapshot`, …).
    pub ext: &'static str,
    pub usn: u64,
    pub status: &'static str,
    pub start: Ticks,
    pub stop: Option<Ticks>,
    /// The policy a policy session is a run of (its id; linked as `rel: policy`).
    pub policy: Option<String>,
    /// A run of the steady policy: its log is the same steps every time (see [`steady_log`]).
    steady: bool,
    log_len: usize,
    stream: u64,
}

struct Tokens {
    /// access token → (user, expiry)
    access: HashMap<String, (String, Instant)>,
    /// refresh token → (user, expiry)
    refresh: HashMap<String, (String, Instant)>,
    /// MFA token of a password log-on still waiting for its code → (user, expiry)
    mfa: HashMap<String, (String, Instant)>,
    rng: Rng,
}

pub struct AwsState {
    /// Newest first, as the server lists them.
    pub sessions: Vec<Session>,
    seed: u64,
    tokens: Mutex<Tokens>,
}

/// `(type, extendedSessionType, label)`. Types are the schema's `SessionTypes`; the extended
/// words for policies are the ones SPEC names, the two others are inferred.
const KINDS: [(&str, &str, &str); 5] = [
    ("Policy", "PolicyBackup", "Backup policy"),
    ("Policy", "PolicySnapshot", "Snapshot policy"),
    ("Policy", "PolicyRdsSnapshot", "RDS snapshot policy"),
    ("RetentionActivity", "Retention", "Retention"),
    ("FLRTask", "FileLevelRestore", "File-level restore"),
];
/// VBA policy names; EM's jobs and PAM's roles reuse them (see `vendors::shared`).
pub const POLICIES: [&str; 6] = crate::vendors::shared::POLICIES;

/// The job history's steady policy (its newest finished run is slow, its database the step
/// that got slower) and failing policy, as `(extendedSessionType, policy name)`; see
/// `shared::USUAL_RUN_MIN`.
pub const STEADY_POLICY: (&str, &str) = ("PolicyBackup", "prod-ec2-daily");
pub const FAILING_POLICY: (&str, &str) = ("PolicySnapshot", "rds-hourly");

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
        // Each policy's id, per kind of policy (a backup and a snapshot policy of one name are
        // two policies), from a stream of their own so the sessions stay as they were.
        let mut ids = Rng::derive(cfg.seed, 0xA7);
        let policy_ids: Vec<(&str, &str, String)> = KINDS
            .iter()
            .filter(|k| k.0 == "Policy")
            .flat_map(|k| POLICIES.iter().map(move |p| (k.1, *p)))
            .map(|(ext, p)| (ext, p, ids.guid()))
            .collect();
        // Newest first: the steady policy's first finished run is its slow one, the failing
        // policy's first finished ones its streak.
        let (mut slow_told, mut failed_told) = (false, 0);
        for (i, &start) in starts.iter().enumerate() {
            let (kind, ext, label) = *rng.pick(&KINDS);
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
            // The job history's story, told without drawing more numbers.
            let steady_run = (ext, policy) == STEADY_POLICY;
            let drawn = status;
            let (status, dur) = if running {
                (status, dur)
            } else if steady_run && !slow_told {
                slow_told = true;
                ("Succeeded", SLOW_RUN_MIN * TICKS_PER_MIN)
            } else if steady_run {
                ("Succeeded", steady(dur, USUAL_RUN_MIN))
            } else if (ext, policy) == FAILING_POLICY && failed_told < FAILED_IN_A_ROW {
                failed_told += 1;
                ("Failed", dur)
            } else {
                (status, dur)
            };
            let policy_id = policy_ids
                .iter()
                .find(|(e, p, _)| *e == ext && *p == policy)
                .map(|(_, _, id)| id.clone());
            let stop = if running || status == "NeverExecuted" {
                None
            } else {
                Some((start + dur).min(end))
            };
            let id = rng.guid();
            // As many draws as the drawn status asked for; a never-executed run the story
            // turned into a finished one gets a log of a finished run's length.
            let log_len = if drawn == "NeverExecuted" {
                1
            } else {
                rng.range(4, 14) as usize
            };
            let log_len = if status == "NeverExecuted" {
                1
            } else {
                log_len.max(4)
            };
            sessions.push(Session {
                id,
                name: format!("{label} '{policy}'"),
                kind,
                ext,
                usn: 0,
                status,
                start,
                stop,
                policy: policy_id,
                steady: steady_run,
                log_len,
                stream: 0x1000 + i as u64,
            });
        }
        // The big log: a long backup that ended with warnings, a day before the anchor.
        let big_start = end - TICKS_PER_DAY;
        let big_dur = (cfg.aws_log_entries as i64 * 2 * TICKS_PER_SEC).max(TICKS_PER_SEC);
        sessions.push(Session {
            id: BIG_LOG_SESSION_ID.into(),
            name: "Backup policy 'big-log'".into(),
            kind: "Policy",
            ext: "PolicyBackup",
            usn: 0,
            status: "Warning",
            start: big_start,
            stop: Some(big_start + big_dur),
            policy: Some(ids.guid()),
            steady: false,
            log_len: cfg.aws_log_entries,
            stream: 0xB16,
        });
        let seed_start = parse_timestamp("2020-06-20T19:12:00.514619").unwrap_or(0);
        let seed_stop = parse_timestamp("2020-06-20T19:22:46.807221").unwrap_or(0);
        sessions.push(Session {
            id: SEED_SESSION_ID.into(),
            name: "FLR task 'ubuntu16'".into(),
            kind: "FLRTask",
            ext: "FileLevelRestore",
            usn: 0,
            status: "Succeeded",
            start: seed_start,
            stop: Some(seed_stop),
            policy: None,
            steady: false,
            log_len: SEED_LOG.len(),
            stream: 0,
        });
        sessions.sort_by_key(|s| std::cmp::Reverse(s.start));
        // The update sequence number grows with time; the newest session has the largest.
        let n = sessions.len() as u64;
        for (i, s) in sessions.iter_mut().enumerate() {
            s.usn = 1000 + 3 * (n - i as u64);
        }
        AwsState {
            sessions,
            seed: cfg.seed,
            tokens: Mutex::new(Tokens {
                access: HashMap::new(),
                refresh: HashMap::new(),
                mfa: HashMap::new(),
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
    // Every VBA call, the token request included, names the API revision it speaks, and the
    // server refuses one outside its release's range. The schema's `errorCode` list has no
    // version code: `UnexpectedContent` (400) is the one that fits a refused header value.
    let release = app.cfg.aws_release;
    let version = match req.header("x-api-version") {
        None => {
            return problem(
                req,
                StatusCode::BAD_REQUEST,
                "UnexpectedContent",
                "The x-api-version header is required.",
            )
        }
        Some(v) => match parse_revision(v) {
            Some(rev) if release.accepts(rev) => rev,
            _ => {
                return problem(
                    req,
                    StatusCode::BAD_REQUEST,
                    "UnexpectedContent",
                    &format!(
                    "API version '{v}' is not supported by this server. Supported versions: {}.",
                    release.range_str()
                ),
                )
            }
        },
    };
    let rest = &segs[2..];
    match (rest, &req.method) {
        ([t], &Method::POST) if t.eq_ignore_ascii_case("token") => token(app, req),
        ([t], &Method::DELETE) if t.eq_ignore_ascii_case("token") => logout(app, req),
        ([s], &Method::GET) if s.eq_ignore_ascii_case("sessions") => {
            with_auth(app, req, |app, req| list(app, req, version))
        }
        ([s, id], &Method::GET) if s.eq_ignore_ascii_case("sessions") => {
            with_auth(app, req, |app, req| match app.aws.find(id) {
                Some(sess) => json(StatusCode::OK, &session_json(req, sess, version)),
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

/// `1.M-revR`, the revision format VBA servers use, as `(M, R)`.
pub fn parse_revision(v: &str) -> Option<Revision> {
    let (minor, rev) = v.trim().strip_prefix("1.")?.split_once("-rev")?;
    Some((minor.parse().ok()?, rev.parse().ok()?))
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
            "InvalidToken",
            "Authorization header with a Bearer token is required.",
        );
    };
    let tokens = app.aws.tokens.lock().unwrap_or_else(|e| e.into_inner());
    match tokens.access.get(token) {
        None => problem(
            req,
            StatusCode::UNAUTHORIZED,
            "InvalidToken",
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

/// `RESTLogin`. A password log-on of an MFA account carries only `mfa_enabled: true` and
/// `mfa_token` (no usable access token) until the `mfa` grant completes it.
#[derive(Serialize)]
struct TokenResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    access_token: Option<String>,
    token_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    expires_in: u64,
    #[serde(rename = ".issued")]
    issued: String,
    #[serde(rename = ".expires")]
    expires: String,
    username: String,
    mfa_enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    mfa_token: Option<String>,
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
                    "UnexpectedContent",
                    "username and password are required for grant_type=password.",
                );
            };
            let mfa_user = app
                .cfg
                .aws_mfa_user
                .as_ref()
                .is_some_and(|(mu, mp, _)| mu == u && mp == p);
            if mfa_user {
                // First factor done: hand out an MFA token that only the `mfa` grant accepts.
                let mfa = format!(
                    "vbm.{:016x}{:016x}",
                    tokens.rng.next_u64(),
                    tokens.rng.next_u64()
                );
                tokens
                    .mfa
                    .insert(mfa.clone(), (u.to_string(), Instant::now() + MFA_TOKEN_TTL));
                let wall = wall_ticks();
                return json(
                    StatusCode::OK,
                    &TokenResponse {
                        access_token: None,
                        token_type: "bearer",
                        refresh_token: None,
                        expires_in: MFA_TOKEN_TTL.as_secs(),
                        issued: fmt_utc_z(wall),
                        expires: fmt_utc_z(wall + MFA_TOKEN_TTL.as_secs() as i64 * TICKS_PER_SEC),
                        username: u.to_string(),
                        mfa_enabled: true,
                        mfa_token: Some(mfa),
                    },
                );
            }
            if !app.cfg.users.iter().any(|(cu, cp)| cu == u && cp == p) {
                return problem(
                    req,
                    StatusCode::UNAUTHORIZED,
                    "AccessDenied",
                    "The user name or password is incorrect.",
                );
            }
            u.to_string()
        }
        Some("mfa") => {
            let (Some(mt), Some(code)) = (get("mfa_token"), get("mfa_code")) else {
                return problem(
                    req,
                    StatusCode::BAD_REQUEST,
                    "UnexpectedContent",
                    "mfa_token and mfa_code are required for grant_type=mfa.",
                );
            };
            let expected = app.cfg.aws_mfa_user.as_ref().map(|(_, _, c)| c.as_str());
            match tokens.mfa.get(mt).cloned() {
                None => {
                    return problem(
                        req,
                        StatusCode::UNAUTHORIZED,
                        "InvalidToken",
                        "The MFA token is invalid.",
                    )
                }
                Some((_, exp)) if Instant::now() >= exp => {
                    tokens.mfa.remove(mt);
                    return problem(
                        req,
                        StatusCode::UNAUTHORIZED,
                        "ExpiredToken",
                        "The MFA token has expired. Log on again.",
                    );
                }
                // A wrong code keeps the MFA token, so the user can type the code again.
                Some(_) if Some(code) != expected => {
                    return problem(
                        req,
                        StatusCode::UNAUTHORIZED,
                        "AccessDenied",
                        "The verification code is incorrect.",
                    )
                }
                Some((u, _)) => {
                    tokens.mfa.remove(mt);
                    u
                }
            }
        }
        Some("refresh_token") => {
            let Some(rt) = get("refresh_token") else {
                return problem(
                    req,
                    StatusCode::BAD_REQUEST,
                    "UnexpectedContent",
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
                "UnexpectedContent",
                &format!("grant_type '{other}' is not supported."),
            )
        }
        None => {
            return problem(
                req,
                StatusCode::BAD_REQUEST,
                "UnexpectedContent",
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
            access_token: Some(access),
            token_type: "bearer",
            refresh_token: Some(refresh),
            expires_in: ttl.as_secs(),
            issued: fmt_utc_z(wall),
            expires: fmt_utc_z(wall + ttl.as_secs() as i64 * TICKS_PER_SEC),
            username: user,
            mfa_enabled: false,
            mfa_token: None,
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
            "InvalidToken",
            "Authorization header with a Bearer token is required.",
        );
    };
    let mut tokens = app.aws.tokens.lock().unwrap_or_else(|e| e.into_inner());
    match tokens.access.remove(token) {
        Some((user, _)) => {
            tokens.refresh.retain(|_, (u, _)| *u != user);
            // The schema documents 204 No Content for `DELETE /api/v1/token`.
            crate::http::empty(if app.cfg.aws_logoff_200 {
                StatusCode::OK
            } else {
                StatusCode::NO_CONTENT
            })
        }
        None => problem(
            req,
            StatusCode::UNAUTHORIZED,
            "InvalidToken",
            "The access token is invalid.",
        ),
    }
}

/// A `Link` of the schema: `_links` is an array of these.
#[derive(Serialize)]
struct Link {
    method: &'static str,
    rel: &'static str,
    href: String,
}

/// `Session` as the OpenAPI document writes it; `name` and `extendedSessionType` only from
/// [`NAMED_SESSIONS_FROM`]. Absent values are left out (the schema has no `nullable`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionJson {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    extended_session_type: Option<&'static str>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    usn: u64,
    execution_start_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    execution_stop_time: Option<String>,
    /// Milliseconds, as the session resource documents.
    #[serde(skip_serializing_if = "Option::is_none")]
    execution_duration: Option<i64>,
    #[serde(rename = "_links")]
    links: Vec<Link>,
}

fn session_json(req: &Req, s: &Session, version: Revision) -> SessionJson {
    // `result` is a SessionResults word (note `Cancelled`); a never-run session has none.
    let (result, reason) = match s.status {
        "Succeeded" => (Some("Success"), None),
        "Warning" => (Some("Warning"), Some("Session finished with warnings.")),
        "Failed" => (Some("Failed"), Some("Session failed. See the session log.")),
        "Canceled" => (Some("Cancelled"), Some("Session was canceled by a user.")),
        "Running" => (Some("Running"), None),
        _ => (None, Some("Session was never executed.")),
    };
    let self_href = format!("{}/api/v1/sessions/{}", req.base, s.id);
    let named = version >= NAMED_SESSIONS_FROM;
    SessionJson {
        id: s.id.clone(),
        name: named.then(|| s.name.clone()),
        kind: s.kind,
        extended_session_type: named.then_some(s.ext),
        status: s.status,
        result,
        reason,
        usn: s.usn,
        execution_start_time: fmt_vba(s.start),
        execution_stop_time: s.stop.map(fmt_vba),
        execution_duration: s.stop.map(|e| (e - s.start) / TICKS_PER_MS),
        links: [
            Some(Link {
                method: "GET",
                rel: "self",
                href: self_href.clone(),
            }),
            Some(Link {
                method: "GET",
                rel: "log",
                href: format!("{self_href}/log"),
            }),
            // The policy this session is a run of (`/api/v1/policies/{policyId}`).
            s.policy.as_ref().map(|id| Link {
                method: "GET",
                rel: "policy",
                href: format!("{}/api/v1/policies/{id}", req.base),
            }),
        ]
        .into_iter()
        .flatten()
        .collect(),
    }
}

/// Values of a repeatable query parameter (`Status=a&Status=b` or `Status=a,b`), any case.
fn multi(req: &Req, name: &str) -> Vec<String> {
    req.query
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .flat_map(|(_, v)| v.split(',').map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty())
        .collect()
}

const SESSION_TYPES: [&str; 10] = [
    "Policy",
    "Job",
    "Task",
    "UserPolicy",
    "RetentionActivity",
    "RestoreTask",
    "FLRTask",
    "SelfBackupActivity",
    "ImportPolicy",
    "TombstoneRetention",
];

fn list(app: &App, req: &Req, version: Revision) -> Response {
    let bad = |m: String| problem(req, StatusCode::BAD_REQUEST, "UnexpectedContent", &m);
    let int = |name: &str| -> Result<Option<i64>, Response> {
        match req.q_ci(name) {
            None => Ok(None),
            Some(v) => v
                .parse::<i64>()
                .map(Some)
                .map_err(|_| bad(format!("{name} must be an integer, got '{v}'."))),
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
    // The schema: Offset ≥ 0, Limit ≥ -1 where -1 (or no Limit) means every session.
    let Ok(offset) = usize::try_from(offset) else {
        return bad(format!("Offset must be 0 or more, got {offset}."));
    };
    let limit = match limit {
        None | Some(-1) => usize::MAX,
        Some(l) => match usize::try_from(l) {
            Ok(l) => l,
            Err(_) => return bad(format!("Limit must be -1 or more, got {l}.")),
        },
    };
    let types = multi(req, "Types");
    if let Some(t) = types
        .iter()
        .find(|t| !SESSION_TYPES.iter().any(|k| k.eq_ignore_ascii_case(t)))
    {
        return bad(format!(
            "Types '{t}' is not one of {}.",
            SESSION_TYPES.join(", ")
        ));
    }
    // The document's `PolicyId` (a uuid): the runs of one policy.
    let policy = req.q_ci("PolicyId");
    if let Some(p) = policy.filter(|p| !crate::vendors::m365::is_guid(p)) {
        return bad(format!("PolicyId '{p}' is not a valid uuid."));
    }
    let statuses = multi(req, "Status");
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
        .filter(|s| types.is_empty() || types.iter().any(|t| t.eq_ignore_ascii_case(s.kind)))
        .filter(|s| {
            policy.is_none_or(|p| {
                s.policy
                    .as_deref()
                    .is_some_and(|id| id.eq_ignore_ascii_case(p))
            })
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
            .take(limit)
            .map(|s| session_json(req, s, version))
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
    } else if s.steady {
        steady_log(s)
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

/// A steady policy run's log: the same steps every time, each taking its usual time, except the
/// database, which takes what is left: 21 min in a usual 30 min run, 66 min in the slow one.
fn steady_log(s: &Session) -> Vec<LogItem> {
    let end = s.stop.unwrap_or(s.start + USUAL_RUN_MIN * TICKS_PER_MIN);
    let usual = 3 * TICKS_PER_MIN;
    let db = (end - s.start - 3 * usual).max(0);
    let steps: [(String, Ticks); 6] = [
        (format!("{} started.", s.name), 0),
        ("Processing web-01.".into(), usual),
        ("Processing web-02.".into(), usual),
        ("Processing db-prod-eu.".into(), db),
        ("Processing efs-share-01.".into(), usual),
        ("Session finished.".into(), 0),
    ];
    let mut t = s.start;
    steps
        .into_iter()
        .map(|(message, d)| {
            let item = LogItem {
                status: "Success",
                log_time: fmt_vba(t + d),
                message,
                execution_start_time: fmt_vba(t),
                execution_duration: d / TICKS_PER_MS,
            };
            t += d;
            item
        })
        .collect()
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
    // Only the schema's `errorCode` words; statuses it has no word for get `UnknownError`.
    let code = match status.as_u16() {
        400 => "UnexpectedContent",
        401 => "InvalidToken",
        403 => "AccessDenied",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        501 => "NotImplemented",
        503 => "ServiceUnavailable",
        _ => "UnknownError",
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
