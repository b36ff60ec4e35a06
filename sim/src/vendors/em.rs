//! Veeam Backup Enterprise Manager: Basic log-on to an `X-RestSvcSessionId` token with idle
//! expiry, `LogonSession` resources in XML (default) or JSON, and EM's `Error` bodies.

use std::sync::Mutex;
use std::time::Instant;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Serialize;

use crate::clock::{fmt_utc_z, Ticks, TICKS_PER_DAY, TICKS_PER_MIN};
use crate::config::Config;
use crate::http::{base64_encode, basic_credentials, json, respond, with_header, xml_escape, Req};
use crate::prng::Rng;
use crate::vendors::shared::{steady, FAILED_IN_A_ROW, POLICIES, SLOW_RUN_MIN, USUAL_RUN_MIN};
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
        (2, &Method::GET) if seg_is(segs.get(1), "backupSessions") => {
            match authenticate(app, req) {
                Ok(_) => backup_sessions(app, req, None),
                Err(r) => r,
            }
        }
        (3, &Method::GET) if seg_is(segs.get(1), "backupSessions") => {
            match authenticate(app, req) {
                Ok(_) => backup_sessions(app, req, Some(segs[2])),
                Err(r) => r,
            }
        }
        (4, &Method::GET)
            if seg_is(segs.get(1), "backupSessions") && seg_is(segs.get(3), "taskSessions") =>
        {
            match authenticate(app, req) {
                Ok(_) => task_sessions(app, req, segs[2]),
                Err(r) => r,
            }
        }
        _ => error(req, StatusCode::NOT_FOUND, "Resource not found."),
    }
}

/// One backup job run on the Veeam server EM manages. The jobs carry VBA's policy names (one
/// company protecting the same workloads on-premises and in AWS).
struct JobRun {
    id: String,
    job: usize,
    job_uid: String,
    start: Ticks,
    end: Option<Ticks>,
    result: &'static str,
    vms: u32,
    stream: u64,
}

/// The job history's steady job (`prod-ec2-daily`: its newest run is slow, its `-db` task the
/// step that got slower) and failing job (`rds-hourly`); see `shared::USUAL_RUN_MIN`.
pub const STEADY_JOB: usize = 0;
pub const FAILING_JOB: usize = 1;
/// The steady job's other tasks take this long, every night.
const TASK_MIN: i64 = 8;

/// Two weeks of daily runs per job before `--anchor`, from the seed alone; the newest run (of
/// the last job) is still working.
fn job_runs(app: &App) -> Vec<JobRun> {
    let mut rng = Rng::derive(app.cfg.seed, 0xE6);
    let jobs: Vec<String> = POLICIES.iter().map(|_| rng.guid()).collect();
    let end = app.cfg.anchor;
    let mut out = Vec::new();
    for day in (0..14i64).rev() {
        for (j, uid) in jobs.iter().enumerate() {
            let start = end - (day + 1) * TICKS_PER_DAY
                + (j as i64 * 17 + 60) * TICKS_PER_MIN
                + rng.range(0, 5 * TICKS_PER_MIN);
            let dur = rng.range(4 * TICKS_PER_MIN, 90 * TICKS_PER_MIN);
            let running = day == 0 && j + 1 == POLICIES.len();
            let result = if running {
                "None"
            } else {
                match rng.below(100) {
                    0..=84 => "Success",
                    85..=94 => "Warning",
                    _ => "Failed",
                }
            };
            let id = rng.guid();
            let vms = rng.range(2, 6) as u32;
            // The job history's story (see `shared::USUAL_RUN_MIN`), told without drawing more
            // numbers, so every other run stays as it was.
            let (dur, result) = match j {
                STEADY_JOB if day == 0 => (SLOW_RUN_MIN * TICKS_PER_MIN, "Success"),
                STEADY_JOB => (steady(dur, USUAL_RUN_MIN), "Success"),
                FAILING_JOB if day < FAILED_IN_A_ROW => (dur, "Failed"),
                _ => (dur, result),
            };
            out.push(JobRun {
                id,
                job: j,
                job_uid: uid.clone(),
                start,
                end: (!running).then_some(start + dur),
                result,
                vms,
                stream: (day as u64) << 8 | j as u64,
            });
        }
    }
    // Newest first, as EM lists them.
    out.sort_by_key(|r| std::cmp::Reverse(r.start));
    out
}

fn fmt_em(t: Ticks) -> String {
    fmt_utc_z(t)
}

fn backup_sessions(app: &App, req: &Req, id: Option<&str>) -> Response {
    let runs = job_runs(app);
    let mut chosen: Vec<&JobRun> = match id {
        None => runs.iter().collect(),
        Some(id) => runs
            .iter()
            .filter(|r| uid_matches(id, &r.id, "BackupJobSession"))
            .collect(),
    };
    if id.is_some() && chosen.is_empty() {
        return error(req, StatusCode::NOT_FOUND, "Backup session was not found.");
    }
    chosen.truncate(if id.is_some() { 1 } else { usize::MAX });
    let items: Vec<serde_json::Value> = chosen.iter().map(|r| job_run_json(req, r)).collect();
    render_entities(
        req,
        "BackupJobSessions",
        "BackupJobSession",
        items,
        id.is_some(),
    )
}

/// EM accepts an id as the bare GUID or as its `urn:veeam:Type:GUID` UID.
fn uid_matches(given: &str, id: &str, kind: &str) -> bool {
    let bare = given
        .strip_prefix(&format!("urn:veeam:{kind}:"))
        .unwrap_or(given);
    bare.eq_ignore_ascii_case(id)
}

fn job_run_json(req: &Req, r: &JobRun) -> serde_json::Value {
    let name = POLICIES.get(r.job).copied().unwrap_or("job");
    let href = format!("{}/api/backupSessions/{}", req.base, r.id);
    serde_json::json!({
        "JobUid": format!("urn:veeam:Job:{}", r.job_uid),
        "JobName": name,
        "JobType": "Backup",
        "CreationTimeUTC": fmt_em(r.start),
        "EndTimeUTC": r.end.map(fmt_em),
        "State": if r.end.is_some() { "Stopped" } else { "Working" },
        "Result": r.result,
        "Progress": if r.end.is_some() { 100 } else { 40 },
        "IsRetry": false,
        "Href": href,
        "Type": "BackupJobSession",
        "UID": format!("urn:veeam:BackupJobSession:{}", r.id),
        "Name": format!("{name}@{}", fmt_em(r.start)),
        "Links": [
            { "Rel": "Up", "Href": format!("{}/api/jobs/{}", req.base, r.job_uid), "Name": name, "Type": "JobReference" },
            { "Rel": "Down", "Href": format!("{href}/taskSessions"), "Name": null, "Type": "BackupTaskSessionReferenceList" }
        ]
    })
}

fn task_sessions(app: &App, req: &Req, id: &str) -> Response {
    let runs = job_runs(app);
    let Some(run) = runs
        .iter()
        .find(|r| uid_matches(id, &r.id, "BackupJobSession"))
    else {
        return error(req, StatusCode::NOT_FOUND, "Backup session was not found.");
    };
    let mut rng = Rng::derive(app.cfg.seed, 0xE700 ^ run.stream);
    let job = POLICIES.get(run.job).copied().unwrap_or("job");
    let items: Vec<serde_json::Value> = (0..run.vms)
        .map(|k| {
            let steady_job = run.job == STEADY_JOB;
            // The steady job's first task is its database server, the step that got slower in
            // its slow run (it ends with the run); its other VMs take the same time every night.
            let vm = if steady_job && k == 0 {
                format!("{job}-db")
            } else {
                format!("{job}-vm{:02}", k + 1)
            };
            let tid = rng.guid();
            let start = run.start + i64::from(k) * TICKS_PER_MIN;
            let end = run.end.map(|e| {
                if steady_job && k > 0 {
                    (start + TASK_MIN * TICKS_PER_MIN).min(e)
                } else {
                    e.max(start)
                }
            });
            // The run's bad result lands on its first VM; the others succeed.
            let result = if k == 0 { run.result } else if run.end.is_some() { "Success" } else { "None" };
            let reason = match result {
                "Warning" => "Changed block tracking is disabled; a full read was done.",
                "Failed" => "Error: Failed to create VM snapshot: timed out.",
                _ => "",
            };
            serde_json::json!({
                "VmDisplayName": vm,
                "TotalSize": rng.range(1 << 30, 200 << 30),
                "CreationTimeUTC": fmt_em(start),
                "EndTimeUTC": end.map(fmt_em),
                "State": if end.is_some() { "Stopped" } else { "InProgress" },
                "Result": result,
                "Reason": reason,
                "Href": format!("{}/api/backupTaskSessions/{tid}", req.base),
                "Type": "BackupTaskSession",
                "UID": format!("urn:veeam:BackupTaskSession:{tid}"),
                "Name": vm,
                "Links": [
                    { "Rel": "Up", "Href": format!("{}/api/backupSessions/{}", req.base, run.id), "Name": null, "Type": "BackupJobSession" }
                ]
            })
        })
        .collect();
    render_entities(req, "BackupTaskSessions", "BackupTaskSession", items, false)
}

/// JSON `{"<List>":[…]}` (or the one item) with `Accept: application/json`; otherwise XML where
/// `Href`, `Type`, `UID`, `Name` are attributes, `Links` a `<Links>` list and the rest elements.
fn render_entities(
    req: &Req,
    list: &str,
    item: &str,
    items: Vec<serde_json::Value>,
    single: bool,
) -> Response {
    if wants_json(req) {
        let body = match (single, items.first()) {
            (true, Some(one)) => one.clone(),
            _ => serde_json::json!({ list: items }),
        };
        return json(StatusCode::OK, &body);
    }
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    if !single {
        x.push_str(&format!("<{list} xmlns=\"{NS}\">\n"));
    }
    for it in &items {
        let attr = |k: &str| it[k].as_str().map(xml_escape).unwrap_or_default();
        let ns = if single {
            format!(" xmlns=\"{NS}\"")
        } else {
            String::new()
        };
        x.push_str(&format!(
            "<{item}{ns} Href=\"{}\" Type=\"{}\" Name=\"{}\" UID=\"{}\">\n  <Links>\n",
            attr("Href"),
            attr("Type"),
            attr("Name"),
            attr("UID")
        ));
        for l in it["Links"].as_array().into_iter().flatten() {
            let a = |k: &str| l[k].as_str().map(xml_escape);
            x.push_str(&format!(
                "    <Link Href=\"{}\"",
                a("Href").unwrap_or_default()
            ));
            if let Some(n) = a("Name") {
                x.push_str(&format!(" Name=\"{n}\""));
            }
            x.push_str(&format!(
                " Type=\"{}\" Rel=\"{}\" />\n",
                a("Type").unwrap_or_default(),
                a("Rel").unwrap_or_default()
            ));
        }
        x.push_str("  </Links>\n");
        for (k, v) in it.as_object().into_iter().flatten() {
            if matches!(k.as_str(), "Href" | "Type" | "Name" | "UID" | "Links") || v.is_null() {
                continue;
            }
            let text = match v {
                serde_json::Value::String(s) => xml_escape(s),
                other => other.to_string(),
            };
            x.push_str(&format!("  <{k}>{text}</{k}>\n"));
        }
        x.push_str(&format!("</{item}>\n"));
    }
    if !single {
        x.push_str(&format!("</{list}>\n"));
    }
    respond(StatusCode::OK, XML, x)
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
