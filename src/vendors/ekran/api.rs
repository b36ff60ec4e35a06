//! Ekran System behind the vendor contract: a pasted token, the paged `POST /ekranapi/sessions`
//! with the time window in its body, the documented whole-list `GET` for servers without it,
//! and how its payloads are recognised.

use crate::connections::{AuthMode, Connection, Credentials};
use crate::http::{percent, Call, Method};
use crate::vendors::contract::{
    Fallback, ListApi, Match, Page, Paging, Rank, Read, RequestError, Sample, Shape, SignIn,
    Vendor, Window,
};
use crate::vendors::{bearer, no_log_off, Kind, Payload, NO_LINKS};

/// Sessions per page of the paged POST: the API's maximum `sessionCount`.
pub const PAGE: usize = 1000;

pub const VENDOR: Vendor = Vendor {
    kind: Kind::Ekran,
    id: "ekran",
    product: "Ekran System",
    payloads: "an Ekran System session list",
    auth_modes: &[AuthMode::Token, AuthMode::None],
    version: None,
    api_root: |segment| segment.eq_ignore_ascii_case("ekranapi"),
    sign_in: SignIn {
        password: None,
        refresh: None,
        log_off: no_log_off,
        pasted: bearer,
    },
    lists: &[ListApi {
        id: "sessions",
        label: "Open sessions",
        paging: Paging::Numbered { page_size: PAGE },
        request: page,
        decode,
        // A server without the paged POST answers 404 or 405; the GET gives the whole list.
        fallback: Some(Fallback {
            statuses: &[404, 405],
            request: whole,
        }),
        server_window: true,
        server_filter: None,
        length_is_total: true,
        names: None,
    }],
    log: None,
    error_body: |_| None,
    links: NO_LINKS,
    recognise,
    sample: Sample {
        id: "sample-ekran",
        page: "sessions",
        path: "samples/ekran-sessions.json",
        title: "Ekran System sessions (vendor example)",
    },
};

fn decode(body: &crate::model::Text) -> Result<Payload, crate::vendors::DecodeError> {
    super::sessions(body).map(|l| Payload::sessions(Kind::Ekran, l))
}

/// The documented `GET /ekranapi/sessions[?start=&end=]`: every session of the window in one
/// answer.
fn whole(conn: &Connection, creds: &Credentials, window: &Window) -> Result<Call, RequestError> {
    let query: Vec<String> = window
        .bounds()?
        .into_iter()
        .map(|(name, value)| format!("{name}={}", percent(value)))
        .collect();
    let path = if query.is_empty() {
        "/ekranapi/sessions".to_string()
    } else {
        format!("/ekranapi/sessions?{}", query.join("&"))
    };
    Ok(Call::get(conn, creds, &path))
}

/// One page of the paged `POST /ekranapi/sessions`: JSON `{"pageIndex", "sessionCount",
/// "start"?, "end"?}` (the field names are the vendor's; that they travel as a JSON body is
/// inferred). Only reads, so it is retried like a GET.
fn page(
    conn: &Connection,
    creds: &Credentials,
    window: &Window,
    page: Page,
) -> Result<Call, RequestError> {
    let count = page.limit.clamp(1, PAGE);
    let mut body = format!("{{\"pageIndex\":{},\"sessionCount\":{count}", page.number);
    // Checked to digits, `-`, `T` and `:`: nothing to escape.
    for (name, value) in window.bounds()? {
        body.push_str(&format!(",\"{name}\":\"{value}\""));
    }
    body.push('}');
    let mut call = Call::get(conn, creds, "/ekranapi/sessions").with_method(Method::PostQuery);
    call.headers
        .push(("Content-Type", "application/json".to_string()));
    call.form = Some(body);
    Ok(call)
}

fn recognise(shape: &Shape, _: &str) -> Option<Match> {
    let has = |k| shape.has(k);
    let ours = match shape {
        Shape::Object(_) => has("sessions"),
        Shape::Array(_) => {
            has("loginDate") || has("clientGuid") || (has("sessionId") && has("userId"))
        }
        Shape::Xml => false,
    };
    ours.then_some(Match {
        rank: Rank::Distinctive,
        read: Read::Payload(decode),
    })
}
