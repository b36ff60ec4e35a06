//! Veeam Backup for AWS behind the vendor contract: its token grant and refresh, the paged
//! session list, the session log, link shapes and how its payloads are recognised.

use crate::connections::{AuthMode, Connection, Credentials};
use crate::http::{percent, Call, Method};
use crate::vendors::contract::{
    utc_instant, Links, ListApi, LogApi, Match, Page, Paging, Password, Rank, Read, RequestError,
    Sample, ServerFilter, Shape, SignIn, SignInError, Target, Vendor, Version, Window,
};
use crate::vendors::{bearer, token_grant, Kind, Payload};

/// The API revisions this app knows, newest first (Veeam's versioning page: VBA 7 serves
/// `1.3-rev0`…`1.5-rev1`, 8 `1.4-rev0`…`1.6-rev0`, 9 `1.7-rev0`, 9.1 `1.7-rev1`; `1.0-rev0` is
/// the seed page's and works only on the oldest servers).
pub const KNOWN_VERSIONS: &[&str] = &[
    "1.7-rev1", "1.7-rev0", "1.6-rev0", "1.5-rev1", "1.5-rev0", "1.4-rev0", "1.3-rev0", "1.2-rev0",
    "1.1-rev0", "1.0-rev0",
];

/// The revision sent before one was found (a pasted token): the newest this app knows.
pub const DEFAULT_VERSION: &str = "1.7-rev1";

pub const VENDOR: Vendor = Vendor {
    kind: Kind::VeeamAws,
    id: "veeam-aws",
    product: "Veeam Backup for AWS",
    payloads: "a Veeam Backup for AWS session log or session list",
    auth_modes: &[AuthMode::Password, AuthMode::Token, AuthMode::None],
    version: Some(Version {
        default: Some(DEFAULT_VERSION),
        known: KNOWN_VERSIONS,
        automatic: true,
        // VBA answers a revision outside its range with 400 and `UnexpectedContent`.
        refuses: |e| e.status == Some(400) && e.code.as_deref() == Some("UnexpectedContent"),
        valid: is_revision,
        refused: "is not a Veeam Backup for AWS revision such as 1.0-rev0 or 1.7-rev0",
        hint: "Sent as x-api-version, such as 1.7-rev0 (VBA 9) or 1.5-rev1 (VBA 7). Empty: found automatically at log-on, newest first.",
        header: Some("x-api-version"),
    }),
    api_root: |segment| segment.eq_ignore_ascii_case("api"),
    sign_in: SignIn {
        password: Some(Password {
            request: log_on,
            credentials: |_, body, now_ms| match super::mfa_challenge(body) {
                Some(token) => Err(SignInError::SecondFactor(token)),
                None => token_grant(body, now_ms),
            },
            second_factor: Some(second_factor),
        }),
        refresh: Some(refresh),
        log_off,
        pasted: bearer,
    },
    lists: &[ListApi {
        id: "sessions",
        label: "Open sessions",
        paging: Paging::Offset { page_size: 500 },
        request: list_page,
        decode,
        fallback: None,
        server_window: true,
        // The `Types` the sessions list takes (the document's `SessionTypes` for it).
        server_filter: Some(ServerFilter {
            label: "Type",
            known: &[
                "Policy",
                "Job",
                "Task",
                "UserPolicy",
                "RetentionActivity",
                "RestoreTask",
                "FLRTask",
                "SelfBackupActivity",
            ],
            served: |_| true,
        }),
        length_is_total: true,
        names: None,
    }],
    log: Some(LogApi {
        path: |_, id| log_path(id),
        page_size: None,
        request: |conn, creds, path, _| Call::get(conn, creds, path),
        decode: super::session_log,
        pages: |_| false,
    }),
    error_body: super::error_body,
    links: Links {
        target: link_target,
        path: |_, target| match target {
            Target::Log(id) => Some(log_path(id)),
            Target::LogonSessions | Target::LogonSession(_) => None,
        },
    },
    recognise,
    sample: Sample {
        id: "sample-veeam-aws",
        page: "log",
        path: "samples/veeam-aws-session-log.json",
        title: "Veeam Backup for AWS session log (vendor example)",
    },
};

/// The API path of a session's log.
pub fn log_path(session_id: &str) -> String {
    format!("/api/v1/sessions/{session_id}/log")
}

/// `POST /api/v1/token` with the password grant and the connection's `x-api-version`.
fn log_on(conn: &Connection, user: &str, password: &str) -> Call {
    Call::post_form(
        conn,
        "/api/v1/token",
        token_headers(conn),
        &[
            ("grant_type", "password"),
            ("username", user),
            ("password", password),
        ],
    )
}

/// `POST /api/v1/token` with the MFA grant: the log-on's `mfa_token` and the user's one-time
/// code.
fn second_factor(conn: &Connection, mfa_token: &str, code: &str) -> Call {
    Call::post_form(
        conn,
        "/api/v1/token",
        token_headers(conn),
        &[
            ("grant_type", "mfa"),
            ("mfa_token", mfa_token),
            ("mfa_code", code.trim()),
        ],
    )
}

/// `POST /api/v1/token` with the refresh grant.
fn refresh(conn: &Connection, refresh_token: &str) -> Call {
    Call::post_form(
        conn,
        "/api/v1/token",
        token_headers(conn),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ],
    )
}

fn token_headers(conn: &Connection) -> Vec<(&'static str, String)> {
    let mut headers: Vec<(&'static str, String)> = conn.version_header().into_iter().collect();
    headers.push(("Accept", "application/json".into()));
    headers
}

/// `DELETE /api/v1/token` revokes the token the call carries.
fn log_off(conn: &Connection, creds: &Credentials) -> Option<Call> {
    matches!(creds, Credentials::Grant { .. } | Credentials::Bearer(_))
        .then(|| Call::get(conn, creds, "/api/v1/token").with_method(Method::Delete))
}

/// `GET /api/v1/sessions?Offset=&Limit=`, within the window's `FromUtc`/`ToUtc`, of its type
/// (`Types`).
fn list_page(
    conn: &Connection,
    creds: &Credentials,
    window: &Window,
    page: Page,
) -> Result<Call, RequestError> {
    let mut path = format!(
        "/api/v1/sessions?Offset={}&Limit={}",
        page.offset, page.limit
    );
    for (name, bound) in window.bounds()? {
        let param = if name == "start" { "FromUtc" } else { "ToUtc" };
        path.push_str(&format!("&{param}={}", percent(&utc_instant(bound))));
    }
    if !window.only.is_empty() {
        path.push_str("&Types=");
        path.push_str(&percent(window.only));
    }
    Ok(Call::get(conn, creds, &path))
}

fn decode(body: &crate::model::Text) -> Result<Payload, crate::vendors::DecodeError> {
    super::sessions(body).map(|l| Payload::sessions(Kind::VeeamAws, l))
}

/// `v1/sessions/{id}/log` after the API root.
fn link_target(rest: &[&str]) -> Option<Target> {
    match rest {
        [v1, sessions, id, log]
            if v1.eq_ignore_ascii_case("v1")
                && sessions.eq_ignore_ascii_case("sessions")
                && log.eq_ignore_ascii_case("log") =>
        {
            Some(Target::Log(id.to_string()))
        }
        _ => None,
    }
}

fn recognise(shape: &Shape, _: &str) -> Option<Match> {
    let Shape::Object(_) = shape else {
        return None;
    };
    let has = |k| shape.has(k);
    let (rank, read) = if has("log") {
        (
            Rank::Distinctive,
            Read::Payload(|t| super::session_log(t).map(|l| Payload::log(Kind::VeeamAws, l))),
        )
    } else if has("errorCode") || (has("title") && has("status") && has("type")) {
        (Rank::Distinctive, Read::Error(super::error_body))
    } else if has("totalCount") && has("results") {
        (Rank::Envelope, Read::Payload(decode))
    } else if has("id") && has("status") && (has("executionStartTime") || has("result")) {
        (Rank::Weak, Read::Payload(decode))
    } else {
        return None;
    };
    Some(Match { rank, read })
}

/// `1.0-rev0`: VBA's `x-api-version` shape.
fn is_revision(v: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    let Some((number, rev)) = v.split_once("-rev") else {
        return false;
    };
    let Some((major, minor)) = number.split_once('.') else {
        return false;
    };
    digits(major) && digits(minor) && digits(rev)
}
