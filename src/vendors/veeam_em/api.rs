//! Veeam Backup Enterprise Manager behind the vendor contract: Basic log-on for an
//! `X-RestSvcSessionId` token, log-off by deleting the logon session, the list of logon
//! sessions, its link shapes, and its XML and JSON payloads.

use crate::connections::{AuthMode, Connection, Credentials};
use crate::http::{base64, Call, Method};
use crate::vendors::contract::{
    Links, ListApi, LogApi, Match, Page, Paging, Password, Rank, Read, RequestError, Sample, Shape,
    SignIn, SignInError, Target, Vendor, Window,
};
use crate::vendors::{Kind, Payload};

pub const VENDOR: Vendor = Vendor {
    kind: Kind::VeeamEm,
    id: "veeam-em",
    product: "Veeam Backup Enterprise Manager",
    payloads: "an Enterprise Manager logon session (XML or JSON)",
    auth_modes: &[AuthMode::Password, AuthMode::Token, AuthMode::None],
    version: None,
    api_root: |segment| segment.eq_ignore_ascii_case("api"),
    sign_in: SignIn {
        password: Some(Password {
            request: log_on,
            credentials,
            second_factor: None,
        }),
        // A token dies after 15 idle minutes; there is no refresh.
        refresh: None,
        log_off,
        pasted: |token| Credentials::RestSession {
            token: token.trim().to_string(),
            session_id: None,
        },
    },
    lists: &[
        ListApi {
            id: "sessions",
            label: "Open sessions",
            paging: Paging::Whole,
            request: list,
            decode,
            fallback: None,
            server_window: false,
            server_filter: None,
            length_is_total: true,
            names: None,
        },
        // The backup server's job sessions: what EM users come for.
        ListApi {
            id: "backup-sessions",
            label: "Open backup sessions",
            paging: Paging::Whole,
            request: |conn, creds, _, _| {
                Ok(Call::get(conn, creds, "/api/backupSessions?format=Entity"))
            },
            decode: decode_backup_sessions,
            fallback: None,
            server_window: false,
            server_filter: None,
            length_is_total: true,
            names: None,
        },
    ],
    // A backup session's "log" is its task sessions, one entry per machine.
    log: Some(LogApi {
        path: |_, id| task_sessions_path(id),
        page_size: None,
        request: |conn, creds, path, _| Call::get(conn, creds, path),
        decode: super::task_sessions,
        pages: |_| false,
    }),
    error_body: super::error_body,
    links: Links {
        target: link_target,
        path: |_, target| match target {
            Target::LogonSessions => Some(LOGON_SESSIONS.to_string()),
            Target::LogonSession(id) => Some(format!("{LOGON_SESSIONS}/{id}")),
            Target::Log(id) => Some(task_sessions_path(id)),
        },
    },
    recognise,
    sample: Sample {
        id: "sample-veeam-em",
        page: "logon",
        path: "samples/veeam-em-logon-session.xml",
        title: "Veeam Backup Enterprise Manager logon session (vendor example)",
    },
};

const LOGON_SESSIONS: &str = "/api/logonSessions";

/// `POST /api/sessionMngr/?v=latest` with Basic credentials and an empty body.
fn log_on(conn: &Connection, user: &str, password: &str) -> Call {
    Call {
        method: Method::Post,
        url: conn.url("/api/sessionMngr/?v=latest"),
        headers: vec![(
            "Authorization",
            format!("Basic {}", base64(format!("{user}:{password}").as_bytes())),
        )],
        form: None,
        include_credentials: false,
    }
}

/// The token is the `X-RestSvcSessionId` header; the body is the `LogonSession` itself, whose
/// id logging off needs.
fn credentials(
    rest_session: Option<String>,
    body: &str,
    _: i64,
) -> Result<Credentials, SignInError> {
    let token = rest_session
        .filter(|t| !t.is_empty())
        .ok_or(SignInError::NoSessionHeader)?;
    Ok(Credentials::RestSession {
        token,
        session_id: super::logon_sessions(body)
            .ok()
            .and_then(|l| l.sessions.into_iter().next())
            .and_then(|s| s.session_id),
    })
}

/// `DELETE /api/logonSessions/{ID}`, for a session whose id is known (not a pasted token).
fn log_off(conn: &Connection, creds: &Credentials) -> Option<Call> {
    let Credentials::RestSession {
        session_id: Some(id),
        ..
    } = creds
    else {
        return None;
    };
    // The id comes from the server's answer and goes into the path: only an id's shape.
    if !crate::connections::links::is_id(id) {
        return None;
    }
    Some(Call::get(conn, creds, &format!("{LOGON_SESSIONS}/{id}")).with_method(Method::Delete))
}

/// `GET /api/logonSessions`: the whole list.
fn list(conn: &Connection, creds: &Credentials, _: &Window, _: Page) -> Result<Call, RequestError> {
    Ok(Call::get(conn, creds, LOGON_SESSIONS))
}

fn decode(body: &crate::model::Text) -> Result<Payload, crate::vendors::DecodeError> {
    super::logon_sessions(body).map(|s| Payload::logons(Kind::VeeamEm, s))
}

/// The task sessions of a backup session.
fn task_sessions_path(id: &str) -> String {
    format!("/api/backupSessions/{id}/taskSessions")
}

/// Backup job sessions, each with its task sessions as its log.
fn decode_backup_sessions(
    body: &crate::model::Text,
) -> Result<Payload, crate::vendors::DecodeError> {
    let mut list = super::backup_sessions(body)?;
    for session in &mut list.sessions {
        session.log_href = Some(task_sessions_path(&session.id));
    }
    Ok(Payload::sessions(Kind::VeeamEm, list))
}

fn decode_task_sessions(body: &crate::model::Text) -> Result<Payload, crate::vendors::DecodeError> {
    super::task_sessions(body).map(|l| Payload::log(Kind::VeeamEm, l))
}

/// `logonSessions[/{id}]` after the API root.
fn link_target(rest: &[&str]) -> Option<Target> {
    match rest {
        [list] if list.eq_ignore_ascii_case("logonSessions") => Some(Target::LogonSessions),
        [list, id] if list.eq_ignore_ascii_case("logonSessions") => {
            Some(Target::LogonSession(id.to_string()))
        }
        [list, id, tasks]
            if list.eq_ignore_ascii_case("backupSessions")
                && tasks.eq_ignore_ascii_case("taskSessions") =>
        {
            Some(Target::Log(id.to_string()))
        }
        _ => None,
    }
}

fn recognise(shape: &Shape, text: &str) -> Option<Match> {
    let has = |k| shape.has(k);
    // Which entity an XML document holds: its root element says.
    let root = |name: &str| text.contains(&format!("<{name}"));
    let read = match shape {
        // Every XML document is read as Enterprise Manager's: no other vendor writes XML.
        Shape::Xml if super::error_body(text).is_some() => Read::Error(super::error_body),
        Shape::Xml if root("BackupTaskSession") => Read::Payload(decode_task_sessions),
        Shape::Xml if root("BackupJobSession") => Read::Payload(decode_backup_sessions),
        Shape::Xml => Read::Payload(decode),
        Shape::Object(_) if has("BackupTaskSessions") => Read::Payload(decode_task_sessions),
        Shape::Object(_) | Shape::Array(_)
            if has("BackupJobSessions") || (has("JobName") && has("JobUid")) =>
        {
            Read::Payload(decode_backup_sessions)
        }
        Shape::Object(_) if has("Message") && has("StatusCode") => Read::Error(super::error_body),
        Shape::Object(_) if has("UserName") || has("LogonSessions") => Read::Payload(decode),
        Shape::Array(_) if has("UserName") => Read::Payload(decode),
        _ => return None,
    };
    Some(Match {
        rank: Rank::Distinctive,
        read,
    })
}
