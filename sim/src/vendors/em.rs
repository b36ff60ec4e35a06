//! Veeam Backup Enterprise Manager: Basic log-on to an `X-RestSvcSessionId` token with idle
//! expiry, `LogonSession` resources in XML (default) or JSON, and EM's `Error` bodies.

use std::sync::Mutex;
use std::time::Instant;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Serialize;

use crate::config::Config;
use crate::http::{base64_encode, basic_credentials, json, respond, with_header, xml_escape, Req};
use crate::prng::Rng;
use crate::vendors::{default_message, seg_is};
use crate::App;

/// The seed page's logon session, its user and the token it was requested with.
pub const SEED_SESSION_ID: &str = "5496707f-c814-47ce-8d6d-110aa03cec03";
pub const SEED_USER: &str = "ENTERPRISE04\\Administrator";
pub const SEED_TOKEN: &str = "NDRjZmJkYmUtNWE5NS00MTU2LTg4NjctOTFmMDY5YjdjMmNj";
const NS: &str = "http://www.veeam.com/ent/v1.0";
const XML: &str = "application/xml; charset=utf-8";
/// Machine name prefixed to users who log on without a domain, like the seed's `ENTERPRISE04\…`.
const MACHINE: &str = "ENTERPRISE04";

struct Session {
    id: String,
    user: String,
    /// The `X-RestSvcSessionId` that authenticates as this session; generated sessions have one
    /// nobody knows, as other users' sessions would.
    token: String,
    last_used: Instant,
    /// The seed session's token never idles out, so the page's example works at any time.
    expires: bool,
}

pub struct EmState {
    sessions: Mutex<Vec<Session>>,
    rng: Mutex<Rng>,
}

impl EmState {
    pub fn new(cfg: &Config) -> Self {
        let mut rng = Rng::derive(cfg.seed, 0xE4);
        let now = Instant::now();
        let mut sessions = vec![Session {
            id: SEED_SESSION_ID.into(),
            user: SEED_USER.into(),
            token: SEED_TOKEN.into(),
            last_used: now,
            expires: false,
        }];
        const USERS: [&str; 6] = [
            "ENTERPRISE04\\backupadmin",
            "CONTOSO\\svc-veeam",
            "CONTOSO\\j.doe",
            "CONTOSO\\restore-operator",
            "ENTERPRISE04\\Administrator",
            "CONTOSO\\auditor",
        ];
        for _ in 0..cfg.em_sessions {
            let user = rng.pick(&USERS).to_string();
            let id = rng.guid();
            let token = base64_encode(rng.guid().as_bytes());
            sessions.push(Session {
                id,
                user,
                token,
                last_used: now,
                expires: true,
            });
        }
        EmState {
            sessions: Mutex::new(sessions),
            rng: Mutex::new(Rng::derive(cfg.seed, 0xE5)),
        }
    }
}

/// True when the client asked for JSON with exactly one `Accept` value, as EM requires;
/// anything else (absent, `application/xml`, lists, wildcards) gets XML.
fn wants_json(req: &Req) -> bool {
    req.header("accept").is_some_and(|a| {
        let types: Vec<&str> = a
            .split(',')
            .map(|t| t.split(';').next().unwrap_or("").trim())
            .collect();
        types.len() == 1 && types[0].eq_ignore_ascii_case("application/json")
    })
}

pub fn handle(app: &App, req: &Req) -> Response {
    let segs = req.segments();
    if !seg_is(segs.first(), "api") {
        return error(req, StatusCode::NOT_FOUND, "Resource not found.");
    }
    match (segs.len(), &req.method) {
        (2, m) if seg_is(segs.get(1), "sessionMngr") => {
            if *m == Method::POST {
                logon(app, req)
            } else {
                not_allowed(req)
            }
        }
        (2, m) if seg_is(segs.get(1), "logonSessions") => {
            if *m == Method::GET {
                list(app, req)
            } else {
                not_allowed(req)
            }
        }
        (3, m) if seg_is(segs.get(1), "logonSessions") => {
            let id = segs[2];
            if *m == Method::GET {
                get_one(app, req, id)
            } else if *m == Method::DELETE {
                logoff(app, req, id)
            } else {
                not_allowed(req)
            }
        }
        _ => error(req, StatusCode::NOT_FOUND, "Resource not found."),
    }
}

fn not_allowed(req: &Req) -> Response {
    error(
        req,
        StatusCode::METHOD_NOT_ALLOWED,
        "The requested method is not supported for this resource.",
    )
}

fn logon(app: &App, req: &Req) -> Response {
    let Some((user, password)) = req.header("authorization").and_then(basic_credentials) else {
        return error(req, StatusCode::UNAUTHORIZED, "Authentication is required.");
    };
    let known = app
        .cfg
        .users
        .iter()
        .any(|(u, p)| *u == user && *p == password);
    if !known {
        return error(
            req,
            StatusCode::UNAUTHORIZED,
            "Access is denied. The user name or password is incorrect.",
        );
    }
    let user = if user.contains('\\') {
        user
    } else {
        format!("{MACHINE}\\{user}")
    };
    let (id, token) = {
        let mut rng = app.em.rng.lock().unwrap_or_else(|e| e.into_inner());
        (rng.guid(), base64_encode(rng.guid().as_bytes()))
    };
    let body = render_one(req, &id, &user);
    let mut sessions = app.em.sessions.lock().unwrap_or_else(|e| e.into_inner());
    sessions.push(Session {
        id: id.clone(),
        user,
        token: token.clone(),
        last_used: Instant::now(),
        expires: true,
    });
    let mut r = body;
    *r.status_mut() = StatusCode::CREATED;
    let r = with_header(r, "x-restsvcsessionid", &token);
    with_header(
        r,
        "location",
        &format!("{}/api/logonSessions/{id}", req.base),
    )
}

/// Checks `X-RestSvcSessionId`, enforcing and refreshing the idle timeout; `Err` is the 401.
fn authenticate(app: &App, req: &Req) -> Result<String, Response> {
    let unauthorized = |msg: &str| error(req, StatusCode::UNAUTHORIZED, msg);
    let Some(token) = req.header("x-restsvcsessionid").map(str::trim) else {
        return Err(unauthorized(
            "Authentication is required: send X-RestSvcSessionId.",
        ));
    };
    let mut sessions = app.em.sessions.lock().unwrap_or_else(|e| e.into_inner());
    let Some(pos) = sessions.iter().position(|s| s.token == token) else {
        return Err(unauthorized(
            "The logon session does not exist or has expired.",
        ));
    };
    let now = Instant::now();
    let s = &mut sessions[pos];
    if s.expires && now.duration_since(s.last_used) > app.cfg.em_idle_timeout {
        sessions.remove(pos);
        return Err(unauthorized("The logon session has expired."));
    }
    s.last_used = now;
    Ok(s.id.clone())
}

fn list(app: &App, req: &Req) -> Response {
    if let Err(r) = authenticate(app, req) {
        return r;
    }
    let sessions = app.em.sessions.lock().unwrap_or_else(|e| e.into_inner());
    if wants_json(req) {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct List {
            logon_sessions: Vec<SessionJson>,
        }
        let list = List {
            logon_sessions: sessions
                .iter()
                .map(|s| session_json(req, &s.id, &s.user))
                .collect(),
        };
        json(StatusCode::OK, &list)
    } else {
        let mut x =
            format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<LogonSessions xmlns=\"{NS}\">\n");
        for s in sessions.iter() {
            x.push_str(&session_xml(req, &s.id, &s.user, false));
        }
        x.push_str("</LogonSessions>\n");
        respond(StatusCode::OK, XML, x)
    }
}

fn get_one(app: &App, req: &Req, id: &str) -> Response {
    if let Err(r) = authenticate(app, req) {
        return r;
    }
    let sessions = app.em.sessions.lock().unwrap_or_else(|e| e.into_inner());
    match sessions.iter().find(|s| s.id.eq_ignore_ascii_case(id)) {
        Some(s) => render_one(req, &s.id, &s.user),
        None => error(
            req,
            StatusCode::NOT_FOUND,
            &format!("Logon session [{id}] was not found."),
        ),
    }
}

/// Log off. Only the caller's own session may be deleted (inferred: EM documents no rule).
fn logoff(app: &App, req: &Req, id: &str) -> Response {
    let own = match authenticate(app, req) {
        Ok(own) => own,
        Err(r) => return r,
    };
    let mut sessions = app.em.sessions.lock().unwrap_or_else(|e| e.into_inner());
    let Some(pos) = sessions.iter().position(|s| s.id.eq_ignore_ascii_case(id)) else {
        return error(
            req,
            StatusCode::NOT_FOUND,
            &format!("Logon session [{id}] was not found."),
        );
    };
    if !own.eq_ignore_ascii_case(id) {
        return error(
            req,
            StatusCode::FORBIDDEN,
            "Access is denied: a logon session can only be closed by its owner.",
        );
    }
    sessions.remove(pos);
    crate::http::empty(StatusCode::NO_CONTENT)
}

struct Link {
    rel: &'static str,
    ty: &'static str,
    href: String,
    name: Option<String>,
}

/// The links a logon session advertises: its parent, its own deletion and the top-level lists.
fn links(req: &Req, id: &str) -> Vec<Link> {
    let b = &req.base;
    let l = |rel, ty, path: &str, name: Option<&str>| Link {
        rel,
        ty,
        href: format!("{b}/api/{path}"),
        name: name.map(String::from),
    };
    vec![
        l("Up", "EnterpriseManager", "", Some(MACHINE)),
        l(
            "Delete",
            "LogonSession",
            &format!("logonSessions/{id}"),
            None,
        ),
        l("Down", "BackupServerReferenceList", "backupServers", None),
        l("Down", "JobReferenceList", "jobs", None),
        l(
            "Down",
            "BackupJobSessionReferenceList",
            "backupSessions",
            None,
        ),
        l("Down", "RestorePointReferenceList", "restorePoints", None),
    ]
}

fn session_xml(req: &Req, id: &str, user: &str, root: bool) -> String {
    let href = format!("{}/api/logonSessions/{id}", req.base);
    let ns = if root {
        format!(" xmlns=\"{NS}\"")
    } else {
        String::new()
    };
    let mut x = format!(
        "<LogonSession{ns} Type=\"LogonSession\" Href=\"{}\">\n  <Links>\n",
        xml_escape(&href)
    );
    for l in links(req, id) {
        x.push_str(&format!("    <Link Href=\"{}\"", xml_escape(&l.href)));
        if let Some(n) = &l.name {
            x.push_str(&format!(" Name=\"{}\"", xml_escape(n)));
        }
        x.push_str(&format!(" Type=\"{}\" Rel=\"{}\" />\n", l.ty, l.rel));
    }
    x.push_str(&format!(
        "  </Links>\n  <UserName>{}</UserName>\n  <SessionId>{}</SessionId>\n</LogonSession>\n",
        xml_escape(user),
        xml_escape(id)
    ));
    x
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct LinkJson {
    rel: &'static str,
    href: String,
    name: Option<String>,
    #[serde(rename = "Type")]
    ty: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SessionJson {
    links: Vec<LinkJson>,
    user_name: String,
    session_id: String,
    href: String,
    #[serde(rename = "Type")]
    ty: &'static str,
}

fn session_json(req: &Req, id: &str, user: &str) -> SessionJson {
    SessionJson {
        links: links(req, id)
            .into_iter()
            .map(|l| LinkJson {
                rel: l.rel,
                href: l.href,
                name: l.name,
                ty: l.ty,
            })
            .collect(),
        user_name: user.into(),
        session_id: id.into(),
        href: format!("{}/api/logonSessions/{id}", req.base),
        ty: "LogonSession",
    }
}

fn render_one(req: &Req, id: &str, user: &str) -> Response {
    if wants_json(req) {
        json(StatusCode::OK, &session_json(req, id, user))
    } else {
        let x = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{}",
            session_xml(req, id, user, true)
        );
        respond(StatusCode::OK, XML, x)
    }
}

/// EM's error body: `{"Message","StatusCode"}` in JSON, `<Error Message=… StatusCode=…/>` in XML
/// (attributes, as EM writes them). Every 401 carries `WWW-Authenticate: Basic`.
pub fn error(req: &Req, status: StatusCode, message: &str) -> Response {
    let message = if message.is_empty() {
        default_message(status)
    } else {
        message
    };
    let r = if wants_json(req) {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Error<'a> {
            message: &'a str,
            status_code: u16,
        }
        json(
            status,
            &Error {
                message,
                status_code: status.as_u16(),
            },
        )
    } else {
        let x = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Error xmlns=\"{NS}\" Message=\"{}\" StatusCode=\"{}\" />\n",
            xml_escape(message),
            status.as_u16()
        );
        respond(status, XML, x)
    };
    if status == StatusCode::UNAUTHORIZED {
        with_header(r, "www-authenticate", "Basic")
    } else {
        r
    }
}
