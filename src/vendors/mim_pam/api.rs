//! Microsoft Identity Manager PAM behind the vendor contract: the browser's own (Windows)
//! credentials, the optional `?v=` version, session info and its OData envelope and errors.

use crate::connections::{AuthMode, Connection, Credentials};
use crate::http::{percent, Call};
use crate::vendors::contract::{
    utc_instant, Fallback, ListApi, Match, Names, Page, Paging, Rank, Read, RequestError, Sample,
    Shape, SignIn, Vendor, Version, Window,
};
use crate::vendors::{bearer, no_log_off, Kind, Payload, NO_LINKS};

pub const VENDOR: Vendor = Vendor {
    kind: Kind::MimPam,
    id: "mim-pam",
    product: "Microsoft Identity Manager PAM",
    payloads: "MIM PAM session info",
    auth_modes: &[AuthMode::Browser, AuthMode::Token, AuthMode::None],
    version: Some(Version {
        default: None,
        known: &[],
        automatic: false,
        refuses: |_| false,
        valid: is_version,
        refused: "is not a PAM API version such as 1.0 (leave it out for the newest)",
        hint: "Optional, sent as ?v= (such as 1.0). Empty: the server's newest.",
        header: None,
    }),
    api_root: |segment| segment.eq_ignore_ascii_case("api"),
    sign_in: SignIn {
        password: None,
        refresh: None,
        log_off: no_log_off,
        pasted: bearer,
    },
    lists: &[
        ListApi {
            id: "sessions",
            label: "Open sessions",
            paging: Paging::Whole,
            request: session_info,
            decode,
            // The seed page's old path, for servers that answer the current one with 404.
            fallback: Some(Fallback {
                statuses: &[404],
                request: |conn, creds, _| Ok(get(conn, creds, "/api/session/sessioninfo")),
            }),
            server_window: false,
            server_filter: None,
            length_is_total: true,
            names: None,
        },
        // The elevation requests themselves: who asked for which role, why, from when to when.
        ListApi {
            id: "requests",
            label: "Open elevation requests",
            paging: Paging::Whole,
            request: requests,
            decode: decode_requests,
            fallback: None,
            server_window: true,
            server_filter: None,
            length_is_total: true,
            // Role names from `pamroles`.
            names: Some(Names {
                request: |conn, creds| get(conn, creds, "/api/pamresources/pamroles"),
                decode: super::pam_roles,
            }),
        },
    ],
    log: None,
    error_body: super::error_body,
    links: NO_LINKS,
    recognise,
    sample: Sample {
        id: "sample-mim-pam",
        page: "logon",
        path: "samples/mim-pam-sessioninfo.json",
        title: "MIM PAM session info (vendor example)",
    },
};

/// `GET /api/pamresources/sessioninfo` (the path Microsoft's reference and its own sample
/// portal use).
fn session_info(
    conn: &Connection,
    creds: &Credentials,
    _: &Window,
    _: Page,
) -> Result<Call, RequestError> {
    Ok(get(conn, creds, "/api/pamresources/sessioninfo"))
}

/// `GET /api/pamresources/pamrequests`, the window as an OData `$filter` on `CreationTime`.
fn requests(
    conn: &Connection,
    creds: &Credentials,
    window: &Window,
    _: Page,
) -> Result<Call, RequestError> {
    let terms: Vec<String> = window
        .bounds()?
        .into_iter()
        .map(|(name, bound)| {
            let op = if name == "start" { "ge" } else { "le" };
            let at = utc_instant(bound);
            format!("CreationTime {op} datetime'{}'", at.trim_end_matches('Z'))
        })
        .collect();
    let mut call = get(conn, creds, "/api/pamresources/pamrequests");
    if !terms.is_empty() {
        let sep = if call.url.contains('?') { '&' } else { '?' };
        call.url
            .push_str(&format!("{sep}$filter={}", percent(&terms.join(" and "))));
    }
    Ok(call)
}

fn decode_requests(body: &crate::model::Text) -> Result<Payload, crate::vendors::DecodeError> {
    super::pam_requests(body).map(|l| Payload::sessions(Kind::MimPam, l))
}

/// A GET of `path` with the optional API version as `?v=` (left out, the server's newest).
fn get(conn: &Connection, creds: &Credentials, path: &str) -> Call {
    let path = match &conn.api_version {
        Some(v) => format!("{path}?v={}", percent(v)),
        None => path.to_string(),
    };
    Call::get(conn, creds, &path)
}

fn decode(body: &crate::model::Text) -> Result<Payload, crate::vendors::DecodeError> {
    super::session_info(body).map(|s| Payload::logons(Kind::MimPam, s))
}

fn recognise(shape: &Shape, text: &str) -> Option<Match> {
    let Shape::Object(_) = shape else {
        return None;
    };
    let has = |k| shape.has(k);
    let read = if has("odata.error") || (has("error") && shape.fields() == 1) {
        Read::Error(super::error_body)
    } else if has("value")
        && crate::import::first_value_keys(text).is_some_and(|k| k.contains_key("RequestId"))
    {
        Read::Payload(decode_requests)
    } else if has("value") || has("odata.metadata") {
        Read::Payload(decode)
    } else {
        return None;
    };
    Some(Match {
        rank: Rank::Distinctive,
        read,
    })
}

/// `1`, `1.0`, `2.0`: PAM's `?v=`.
fn is_version(v: &str) -> bool {
    v.len() <= 16
        && v.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && v.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}
