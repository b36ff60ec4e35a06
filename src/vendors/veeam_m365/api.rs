//! Veeam Backup for Microsoft 365 behind the vendor contract: its token grant, the paged job
//! session list, log items paged by the envelope, link shapes and payload recognition.

use crate::connections::{AuthMode, Connection, Credentials};
use crate::http::Call;
use crate::vendors::contract::{
    Links, ListApi, LogApi, Match, Page, Paging, Password, Rank, Read, RequestError, Sample, Shape,
    SignIn, Target, Vendor, Window,
};
use crate::vendors::{bearer, no_log_off, token_grant, Kind, Payload};

/// The most log items one request may ask for (the API's own maximum).
pub const LOG_PAGE: usize = 10_000;

pub const VENDOR: Vendor = Vendor {
    kind: Kind::VeeamM365,
    id: "veeam-m365",
    product: "Veeam Backup for Microsoft 365",
    payloads: "Veeam Backup for Microsoft 365 log items or job sessions",
    auth_modes: &[AuthMode::Password, AuthMode::Token, AuthMode::None],
    version: None,
    api_root: "v3",
    sign_in: SignIn {
        password: Some(Password {
            request: log_on,
            credentials: |_, body, now_ms| token_grant(body, now_ms),
        }),
        // M365 asks the user to log on again instead.
        refresh: None,
        log_off: no_log_off,
        pasted: bearer,
    },
    list: ListApi {
        paging: Paging::Offset { page_size: 1000 },
        request: list_page,
        decode: |body| super::job_sessions(body).map(|l| Payload::sessions(Kind::VeeamM365, l)),
        fallback: None,
        server_window: false,
        // An envelope page without a total says nothing of the list's length.
        length_is_total: false,
    },
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
        path: |target| match target {
            Target::Log(id) => Some(log_path(id)),
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

/// The API path of a job session's log items.
pub fn log_path(session_id: &str) -> String {
    format!("/v3/JobSessions/{session_id}/LogItems")
}

/// `POST /v3/Token` with the password grant.
fn log_on(conn: &Connection, user: &str, password: &str) -> Call {
    Call::post_form(
        conn,
        "/v3/Token",
        vec![("Accept", "application/json".into())],
        &[
            ("grant_type", "password"),
            ("username", user),
            ("password", password),
            ("disable_antiforgery_token", "true"),
        ],
    )
}

/// `GET /v3/JobSessions?offset=&limit=`.
fn list_page(
    conn: &Connection,
    creds: &Credentials,
    _: &Window,
    page: Page,
) -> Result<Call, RequestError> {
    let path = format!(
        "/v3/JobSessions?offset={}&limit={}",
        page.offset, page.limit
    );
    Ok(Call::get(conn, creds, &path))
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

fn read_log(text: &str) -> Result<Payload, crate::vendors::DecodeError> {
    super::log_items(text).map(|l| Payload::log(Kind::VeeamM365, l))
}

fn recognise(shape: &Shape, text: &str) -> Option<Match> {
    let has = |k| shape.has(k);
    let (rank, read) = match shape {
        Shape::Object(_) if has("results") => {
            // The envelope holds log items or job sessions: the first item says which.
            let first = crate::import::first_result_keys(text);
            let log = first.is_some_and(|k| k.contains_key("usn") || k.contains_key("title"));
            let read = if log { read_log } else { VENDOR.list.decode };
            (Rank::Fields, Read::Payload(read))
        }
        Shape::Object(_) if has("id") && has("status") && has("creationTime") => {
            (Rank::Fields, Read::Payload(VENDOR.list.decode))
        }
        Shape::Array(_) if has("usn") || (has("title") && has("creationTime")) => {
            (Rank::Distinctive, Read::Payload(read_log))
        }
        Shape::Array(_) if has("creationTime") && has("status") => {
            (Rank::Fields, Read::Payload(VENDOR.list.decode))
        }
        _ => return None,
    };
    Some(Match { rank, read })
}
