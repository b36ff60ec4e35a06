//! Ekran System: `GET /ekranapi/sessions?start=&end=` (bare array, range clipping) and the
//! paged `POST /ekranapi/sessions` with .NET TimeSpan durations; bearer token or no auth.
//!
//! Range rule (the vendor page leaves it open, this is the simulator's documented choice):
//! `start`/`end` are UTC instants (a date alone is its midnight). A session `[loginDate,
//! logoutDate]` (an open session extends forever) is returned when it overlaps `[start, end)`:
//! `logoutDate >= start` and `loginDate < end`. Returned dates are clipped to the range, the
//! bound standing in for "the first/last activity": `loginDate` becomes `max(loginDate, start)`
//! and a `logoutDate` after `end` becomes `end`. Open sessions keep `logoutDate: null`.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use crate::clock::{
    fmt_ekran, fmt_timespan, parse_ekran_param, parse_timestamp, Ticks, TICKS_PER_DAY,
    TICKS_PER_HOUR, TICKS_PER_SEC,
};
use crate::config::Config;
use crate::http::{push_json_str, respond, Req, JSON};
use crate::prng::Rng;
use crate::vendors::seg_is;
use crate::App;

const MAX_PAGE: usize = 1000;

/// One session, kept compact so 100 000 of them generate and filter quickly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Session {
    pub id: u32,
    pub user: u32,
    /// Index into [`EkranData::clients`].
    pub client: u32,
    pub login: Ticks,
    pub logout: Option<Ticks>,
}

pub struct EkranData {
    /// Oldest first.
    pub sessions: Vec<Session>,
    pub clients: Vec<String>,
}

impl EkranData {
    pub fn new(cfg: &Config) -> Self {
        let mut rng = Rng::derive(cfg.seed, 0xE6);
        // The page's two clientGuids are not valid hex: client ids are opaque strings.
        let mut clients = vec![
            "1d4fegdr-g3ff-4114-a814-f3aeee14dgdg".to_string(),
            "dd4lwdr-xxff-4ss4-a814-f3aeee14dgdsg".to_string(),
        ];
        clients.extend((0..64).map(|_| rng.guid()));
        let seed_t = parse_timestamp("2000-01-23T04:56:07").unwrap_or(0);
        let mut sessions = Vec::with_capacity(cfg.ekran_sessions + 2);
        sessions.push(Session {
            id: 124,
            user: 61,
            client: 0,
            login: seed_t,
            logout: Some(seed_t),
        });
        sessions.push(Session {
            id: 142,
            user: 16,
            client: 1,
            login: seed_t,
            logout: Some(seed_t),
        });
        let end = cfg.anchor;
        let span = 30 * TICKS_PER_DAY;
        let mut logins: Vec<Ticks> = (0..cfg.ekran_sessions)
            .map(|_| ms(end - rng.range(0, span)))
            .collect();
        logins.sort_unstable();
        for (i, login) in logins.into_iter().enumerate() {
            // Mostly short interactive sessions, some long ones; a share of the recent ones are
            // still open.
            let dur = if rng.chance(850) {
                rng.range(30 * TICKS_PER_SEC, 2 * TICKS_PER_HOUR)
            } else {
                rng.range(2 * TICKS_PER_HOUR, 3 * TICKS_PER_DAY)
            };
            let logout = login + dur;
            let open = logout > end || (end - login < 12 * TICKS_PER_HOUR && rng.chance(300));
            sessions.push(Session {
                id: 1000 + i as u32,
                user: 1 + rng.below(200) as u32,
                client: 2 + rng.below(64) as u32,
                login,
                logout: if open { None } else { Some(ms(logout)) },
            });
        }
        EkranData { sessions, clients }
    }

    /// The sessions overlapping `[start, end)`, clipped (see the module docs).
    pub fn select(&self, start: Option<Ticks>, end: Option<Ticks>) -> Vec<Session> {
        let s = start.unwrap_or(Ticks::MIN);
        let e = end.unwrap_or(Ticks::MAX);
        self.sessions
            .iter()
            .filter(|x| x.login < e && x.logout.unwrap_or(Ticks::MAX) >= s)
            .map(|x| Session {
                login: x.login.max(s),
                logout: x.logout.map(|l| l.min(e)),
                ..*x
            })
            .collect()
    }
}

/// Ekran stores milliseconds; rounding here keeps dates and TimeSpans consistent.
fn ms(t: Ticks) -> Ticks {
    t - t.rem_euclid(TICKS_PER_SEC / 1000)
}

pub fn handle(app: &App, req: &Req) -> Response {
    let segs = req.segments();
    if !(segs.len() == 2 && seg_is(segs.first(), "ekranapi") && seg_is(segs.get(1), "sessions")) {
        return error(req, StatusCode::NOT_FOUND, "No message available");
    }
    if let Some(expected) = &app.cfg.ekran_token {
        match req.bearer() {
            Some(t) if t == expected => {}
            Some(_) => return error(req, StatusCode::UNAUTHORIZED, "Invalid bearer token"),
            None => {
                return error(
                    req,
                    StatusCode::UNAUTHORIZED,
                    "Full authentication is required to access this resource",
                )
            }
        }
    }
    match req.method {
        Method::GET => get(app, req),
        Method::POST => post(app, req),
        _ => error(
            req,
            StatusCode::METHOD_NOT_ALLOWED,
            "Request method not supported",
        ),
    }
}

/// Parses one optional range bound; `Err` is the 400.
fn bound(req: &Req, name: &str, v: Option<&str>) -> Result<Option<Ticks>, Response> {
    match v {
        None | Some("") => Ok(None),
        Some(v) => parse_ekran_param(v).map(Some).ok_or_else(|| {
            error(
                req,
                StatusCode::BAD_REQUEST,
                &format!("Invalid value '{v}' for parameter '{name}': expected yyyy-MM-dd, yyyy-MM-ddTHH:mm or yyyy-MM-ddTHH:mm:ss"),
            )
        }),
    }
}

fn get(app: &App, req: &Req) -> Response {
    let (start, end) = match (
        bound(req, "start", req.q("start")),
        bound(req, "end", req.q("end")),
    ) {
        (Ok(s), Ok(e)) => (s, e),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let sel = app.ekran.select(start, end);
    let mut out = String::with_capacity(sel.len() * 170 + 2);
    out.push('[');
    for (i, s) in sel.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_session(&mut out, &app.ekran, s, false);
    }
    out.push(']');
    respond(StatusCode::OK, JSON, out)
}

/// One session object in the page's field order; `with_duration` adds the POST variant's
/// `duration` TimeSpan.
fn write_session(out: &mut String, data: &EkranData, s: &Session, with_duration: bool) {
    out.push_str("{\"clientGuid\":");
    push_json_str(
        out,
        data.clients
            .get(s.client as usize)
            .map(String::as_str)
            .unwrap_or(""),
    );
    out.push_str(",\"logoutDate\":");
    match s.logout {
        Some(t) => {
            out.push('"');
            out.push_str(&fmt_ekran(t));
            out.push('"');
        }
        None => out.push_str("null"),
    }
    out.push_str(",\"loginDate\":\"");
    out.push_str(&fmt_ekran(s.login));
    out.push_str("\",\"sessionId\":");
    out.push_str(&s.id.to_string());
    out.push_str(",\"userId\":");
    out.push_str(&s.user.to_string());
    if with_duration {
        out.push_str(",\"duration\":");
        match s.logout {
            Some(t) => {
                out.push('"');
                out.push_str(&fmt_timespan(t - s.login));
                out.push('"');
            }
            None => out.push_str("null"),
        }
    }
    out.push('}');
}

/// The paged request body. `pageIndex` counts from 0 (inferred; the vendor page shows none).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct PageRequest {
    page_index: Option<i64>,
    session_count: Option<i64>,
    start: Option<String>,
    end: Option<String>,
}

fn post(app: &App, req: &Req) -> Response {
    let body: PageRequest = if req.body.iter().all(u8::is_ascii_whitespace) {
        PageRequest::default()
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(b) => b,
            Err(e) => {
                return error(
                    req,
                    StatusCode::BAD_REQUEST,
                    &format!("JSON parse error: {e}"),
                )
            }
        }
    };
    // Query parameters work too, for clients that page with a bodiless POST.
    let qnum = |n: &str| req.q(n).and_then(|v| v.parse::<i64>().ok());
    let page_index = body.page_index.or_else(|| qnum("pageIndex")).unwrap_or(0);
    let count = body
        .session_count
        .or_else(|| qnum("sessionCount"))
        .unwrap_or(100);
    if page_index < 0 {
        return error(req, StatusCode::BAD_REQUEST, "pageIndex must be 0 or more");
    }
    if !(1..=MAX_PAGE as i64).contains(&count) {
        return error(
            req,
            StatusCode::BAD_REQUEST,
            &format!("sessionCount must be between 1 and {MAX_PAGE}"),
        );
    }
    let start_v = body
        .start
        .clone()
        .or_else(|| req.q("start").map(String::from));
    let end_v = body.end.clone().or_else(|| req.q("end").map(String::from));
    let (start, end) = match (
        bound(req, "start", start_v.as_deref()),
        bound(req, "end", end_v.as_deref()),
    ) {
        (Ok(s), Ok(e)) => (s, e),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let sel = app.ekran.select(start, end);
    let from = (page_index as usize)
        .saturating_mul(count as usize)
        .min(sel.len());
    let page = &sel[from..(from + count as usize).min(sel.len())];
    let mut out = String::with_capacity(page.len() * 200 + 100);
    out.push_str(&format!(
        "{{\"pageIndex\":{page_index},\"sessionCount\":{count},\"totalCount\":{},\"sessions\":[",
        sel.len()
    ));
    for (i, s) in page.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_session(&mut out, &app.ekran, s, true);
    }
    out.push_str("]}");
    respond(StatusCode::OK, JSON, out)
}

/// Ekran's error body, in the shape of the Spring Boot default its API's samples suggest
/// (`{timestamp, status, error, message, path}`; inferred).
pub fn error(req: &Req, status: StatusCode, message: &str) -> Response {
    let message = if message.is_empty() {
        crate::vendors::default_message(status)
    } else {
        message
    };
    #[derive(serde::Serialize)]
    struct Body<'a> {
        timestamp: String,
        status: u16,
        error: &'a str,
        message: &'a str,
        path: &'a str,
    }
    let body = Body {
        timestamp: fmt_ekran(crate::vendors::aws::wall_ticks()),
        status: status.as_u16(),
        error: status.canonical_reason().unwrap_or("Error"),
        message,
        path: &req.path,
    };
    crate::http::json(status, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Ticks {
        parse_timestamp(s).unwrap()
    }

    fn data(sessions: Vec<Session>) -> EkranData {
        EkranData {
            sessions,
            clients: vec!["c".into()],
        }
    }

    fn sess(id: u32, login: &str, logout: Option<&str>) -> Session {
        Session {
            id,
            user: 1,
            client: 0,
            login: t(login),
            logout: logout.map(t),
        }
    }

    /// `(start, end, ids expected)` against three sessions: 10:00–11:00, 12:00–12:00 (zero
    /// length), 13:00–open.
    #[test]
    fn overlap_rule_on_the_boundaries() {
        let d = data(vec![
            sess(1, "2021-04-01T10:00", Some("2021-04-01T11:00")),
            sess(2, "2021-04-01T12:00", Some("2021-04-01T12:00")),
            sess(3, "2021-04-01T13:00", None),
        ]);
        let check = |start: Option<&str>, end: Option<&str>, ids: &[u32]| {
            let got: Vec<u32> = d
                .select(start.map(t), end.map(t))
                .iter()
                .map(|s| s.id)
                .collect();
            assert_eq!(got, ids, "{start:?}..{end:?}");
        };
        check(None, None, &[1, 2, 3]);
        check(Some("2021-04-01T11:00"), None, &[1, 2, 3]);
        check(Some("2021-04-01T11:01"), None, &[2, 3]);
        check(None, Some("2021-04-01T12:00"), &[1]);
        check(None, Some("2021-04-01T12:01"), &[1, 2]);
        check(Some("2021-04-02"), None, &[3]);
        check(Some("2021-04-01T10:30"), Some("2021-04-01T10:45"), &[1]);
    }

    #[test]
    fn selected_sessions_are_clipped_to_the_range() {
        let d = data(vec![
            sess(1, "2021-04-01T10:00", Some("2021-04-01T11:00")),
            sess(3, "2021-04-01T13:00", None),
        ]);
        let got = d.select(Some(t("2021-04-01T10:30")), Some(t("2021-04-01T10:45")));
        assert_eq!(got[0].login, t("2021-04-01T10:30"));
        assert_eq!(got[0].logout, Some(t("2021-04-01T10:45")));
        let open = d.select(Some(t("2021-04-02")), Some(t("2021-04-03")));
        assert_eq!(open[0].login, t("2021-04-02"));
        assert_eq!(open[0].logout, None, "open sessions stay open");
    }

    #[test]
    fn generation_depends_only_on_the_seed() {
        let cfg = |seed| Config {
            seed,
            ekran_sessions: 500,
            ..Config::default()
        };
        let a = EkranData::new(&cfg(5));
        assert_eq!(a.sessions, EkranData::new(&cfg(5)).sessions);
        assert_ne!(a.sessions, EkranData::new(&cfg(6)).sessions);
        assert!(a.sessions.windows(2).all(|w| w[0].login <= w[1].login));
        assert!(a
            .sessions
            .iter()
            .all(|s| s.logout.is_none_or(|l| l >= s.login)));
    }
}
