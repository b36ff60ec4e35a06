//! Veeam Backup for Microsoft 365 behind the vendor contract: its token grant, the paged job
//! session list, log items paged by the envelope, link shapes and payload recognition.

use crate::connections::{AuthMode, Connection, Credentials};
use crate::http::{percent, Call, Method};
use crate::vendors::contract::{
    utc_instant, Links, ListApi, LogApi, Match, Names, Page, Paging, Password, Rank, Read,
    RequestError, Sample, ServerFilter, Shape, SignIn, Target, Vendor, Version, Window,
};
use crate::vendors::{bearer, token_grant, Kind, Payload};

/// The most log items one request may ask for (the API's own maximum).
pub const LOG_PAGE: usize = 10_000;

/// The API versions current servers serve, newest first (`/v3/` was deprecated in VB365 6.0).
pub const KNOWN_VERSIONS: &[&str] = &["v8", "v7", "v6"];

/// The version a connection speaks when it names none: the newest.
pub const DEFAULT_VERSION: &str = "v8";

pub const VENDOR: Vendor = Vendor {
    kind: Kind::VeeamM365,
    id: "veeam-m365",
    product: "Veeam Backup for Microsoft 365",
    payloads: "Veeam Backup for Microsoft 365 log items or job sessions",
    auth_modes: &[AuthMode::Password, AuthMode::Token, AuthMode::None],
    version: Some(Version {
        default: Some(DEFAULT_VERSION),
        known: KNOWN_VERSIONS,
        // The version is in every path: a connection names it, or speaks the newest.
        automatic: false,
        refuses: |_| false,
        valid: is_version,
        refused: "is not a Veeam Backup for Microsoft 365 API version such as v8, v7 or v6",
        hint: "The path's version: v8 (VB365 8), v7 or v6; v3 for servers before 6.0. Empty: v8.",
        header: None,
    }),
    api_root: is_version,
    sign_in: SignIn {
        password: Some(Password {
            request: log_on,
            credentials: |_, body, now_ms| token_grant(body, now_ms),
            second_factor: None,
        }),
        // M365 asks the user to log on again instead.
        refresh: None,
        log_off,
        pasted: bearer,
    },
    lists: &[ListApi {
        id: "sessions",
        label: "Open sessions",
        paging: Paging::Offset { page_size: 1000 },
        request: list_page,
        decode,
        fallback: None,
        server_window: true,
        // `jobId` from v7 (v6 has it only in another path, without the window).
        server_filter: Some(ServerFilter {
            label: "Job",
            known: &[],
            served: |conn| number(conn).is_some_and(|n| n >= 7),
        }),
        // An envelope page without a total says nothing of the list's length.
        length_is_total: false,
        names: Some(Names {
            request: |conn, creds| {
                Call::get(
                    conn,
                    creds,
                    &format!("/{}/Jobs?offset=0&limit=1000", version(conn)),
                )
            },
            decode: super::jobs,
        }),
    }],
    log: Some(LogApi {
        path: log_path,
        page_size: Some(LOG_PAGE),
        request: log_page,
        decode: super::log_items,
        // The v3 page's bare array cannot be paged; the envelope can.
        pages: |body| !body.trim_start().starts_with('['),
    }),
    error_body: |_| None,
    links: Links {
        target: link_target,
        path: |conn, target| match target {
            Target::Log(id) => Some(log_path(conn, id)),
            Target::LogonSessions | Target::LogonSession(_) => None,
        },
    },
    recognise,
    sample: Sample {
        id: "sample-veeam-m365",
        page: "log",
        path: "samples/veeam-m365-log-items.json",
        title: "Veeam Backup for Microsoft 365 job log items (vendor example)",
    },
};

/// The API version in a connection's paths.
fn version(conn: &Connection) -> &str {
    conn.api_version.as_deref().unwrap_or(DEFAULT_VERSION)
}

/// The connection's version's number: 8 for `v8`.
fn number(conn: &Connection) -> Option<u32> {
    version(conn).get(1..)?.parse().ok()
}

/// `v8`: a version segment of M365's paths (`v` and a number).
fn is_version(segment: &str) -> bool {
    let digits = segment
        .strip_prefix('v')
        .or_else(|| segment.strip_prefix('V'))
        .unwrap_or_default();
    !digits.is_empty() && digits.len() <= 2 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A job session's log items at the newest version, for a session read from a file: a live
/// log is fetched at its connection's own version ([`log_path`]).
pub fn log_href(session_id: &str) -> String {
    format!("/{DEFAULT_VERSION}/JobSessions/{session_id}/LogItems")
}

/// The API path of a job session's log items on this connection's version.
pub fn log_path(conn: &Connection, session_id: &str) -> String {
    format!("/{}/JobSessions/{session_id}/LogItems", version(conn))
}

/// `POST /vN/token` with the password grant (v3 spells it `Token`; the servers match paths
/// without regard to case).
fn log_on(conn: &Connection, user: &str, password: &str) -> Call {
    Call::post_form(
        conn,
        &format!("/{}/token", version(conn)),
        vec![("Accept", "application/json".into())],
        &[
            ("grant_type", "password"),
            ("username", user),
            ("password", password),
            ("disable_antiforgery_token", "true"),
        ],
    )
}

/// `POST /vN/token/logout` (v7 and later) ends the token the call carries; v6 and older have no
/// log-off, and their tokens live out their hour.
fn log_off(conn: &Connection, creds: &Credentials) -> Option<Call> {
    if number(conn)? < 7 || !matches!(creds, Credentials::Grant { .. } | Credentials::Bearer(_)) {
        return None;
    }
    let path = format!("/{}/token/logout", version(conn));
    Some(Call::get(conn, creds, &path).with_method(Method::Post))
}

/// `GET /vN/JobSessions?offset=&limit=`, the window as `endTimeLowerBound`/`endTimeUpperBound`
/// (the API filters job sessions by when they ended), and the window's job as `jobId`.
fn list_page(
    conn: &Connection,
    creds: &Credentials,
    window: &Window,
    page: Page,
) -> Result<Call, RequestError> {
    let mut path = format!(
        "/{}/JobSessions?offset={}&limit={}",
        version(conn),
        page.offset,
        page.limit
    );
    for (name, bound) in window.bounds()? {
        let param = if name == "start" {
            "endTimeLowerBound"
        } else {
            "endTimeUpperBound"
        };
        path.push_str(&format!("&{param}={}", percent(&utc_instant(bound))));
    }
    if !window.only.is_empty() {
        path.push_str("&jobId=");
        path.push_str(&percent(window.only));
    }
    Ok(Call::get(conn, creds, &path))
}

fn decode(body: &crate::model::Text) -> Result<Payload, crate::vendors::DecodeError> {
    super::job_sessions(body).map(|l| Payload::sessions(Kind::VeeamM365, l))
}

/// One page of log items: the envelope's default page is 30 items, so the limit is always given.
fn log_page(conn: &Connection, creds: &Credentials, path: &str, page: Page) -> Call {
    Call::get(
        conn,
        creds,
        &format!("{path}?offset={}&limit={}", page.offset, page.limit),
    )
}

/// `JobSessions/{id}/LogItems` after the API root.
fn link_target(rest: &[&str]) -> Option<Target> {
    match rest {
        [sessions, id, items]
            if sessions.eq_ignore_ascii_case("JobSessions")
                && items.eq_ignore_ascii_case("LogItems") =>
        {
            Some(Target::Log(id.to_string()))
        }
        _ => None,
    }
}

fn read_log(text: &crate::model::Text) -> Result<Payload, crate::vendors::DecodeError> {
    super::log_items(text).map(|l| Payload::log(Kind::VeeamM365, l))
}

fn recognise(shape: &Shape, text: &str) -> Option<Match> {
    let has = |k| shape.has(k);
    let (rank, read) = match shape {
        Shape::Object(_) if has("results") => {
            // The envelope holds log items or job sessions: the first item says which.
            let first = crate::import::first_result_keys(text);
            let log = first.is_some_and(|k| k.contains_key("usn") || k.contains_key("title"));
            let read = if log { read_log } else { decode };
            (Rank::Fields, Read::Payload(read))
        }
        Shape::Object(_) if has("id") && has("status") && has("creationTime") => {
            (Rank::Fields, Read::Payload(decode))
        }
        Shape::Array(_) if has("usn") || (has("title") && has("creationTime")) => {
            (Rank::Distinctive, Read::Payload(read_log))
        }
        Shape::Array(_) if has("creationTime") && has("status") => {
            (Rank::Fields, Read::Payload(decode))
        }
        _ => return None,
    };
    Some(Match { rank, read })
}
