//! Live connections: reading `config.json`, signing in, and fetching lists and logs into the
//! store. Everything goes through `crate::http`; credentials stay in the store's memory.

use leptos::prelude::*;

use crate::check::{self, Verdict};
use crate::config::{self, parse_config, AuthMode, Config, Connection, Draft, Invalid};
use crate::http::{self, ErrorKind, HttpError};
use crate::import::Payload;
use crate::keep;
use crate::links::Target;
use crate::model::{SessionList, SessionLog};
use crate::paging::{self, Pager};
use crate::saved;
use crate::store::{LogOrigin, Relogon, Store};
use crate::vendors::calls::{self, Credentials};
use crate::vendors::{ekran, mim_pam, veeam_aws, veeam_em, veeam_m365, DecodeError, Kind};

/// A failed live action: what to tell the user, and the server's response for "show details".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    pub raw: Option<String>,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure { message, raw: None }
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Self {
        message.to_string().into()
    }
}

/// Fetches `config.json` from beside `index.html`. No file means no connections, not an error.
pub async fn load_config(store: Store) {
    let result = match gloo_net::http::Request::get("config.json").send().await {
        Ok(r) if r.status() == 404 => Ok(Config::default()),
        Ok(r) if r.ok() => match r.text().await {
            Ok(text) => parse_config(&text),
            Err(e) => Err(format!("config.json could not be read: {e}")),
        },
        Ok(r) => Err(format!(
            "config.json could not be fetched: HTTP {}",
            r.status()
        )),
        Err(e) => Err(format!("config.json could not be fetched: {e}")),
    };
    let from_file = |id: &str| {
        result
            .as_ref()
            .is_ok_and(|c| c.connections.iter().any(|c| c.id == id))
    };
    load_saved(store, &from_file);
    let saved = store.saved.get_untracked();
    let known: Vec<&Connection> = result
        .as_ref()
        .map(|c| c.connections.iter().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(saved.iter())
        .collect();
    restore(store, &known);
    store.config.set(Some(result));
}

/// The browser's `localStorage`, where it has one (and the user allows it).
fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Reads the connections added in the editor; ids `config.json` uses (`taken`) win over them.
fn load_saved(store: Store, taken: &dyn Fn(&str) -> bool) {
    let Some(text) = local_storage().and_then(|s| s.get_item(saved::KEY).ok().flatten()) else {
        return;
    };
    let found = saved::decode(&text, taken);
    store.saved.set(found.connections);
    store.saved_problems.set(found.problems);
}

/// Writes the editor's connections to `localStorage` (never a credential: see `saved`).
fn persist_saved(store: Store) {
    let text = store
        .saved
        .with_untracked(|s| (!s.is_empty()).then(|| saved::encode(s)));
    let written = local_storage().is_some_and(|storage| match &text {
        Some(text) => storage.set_item(saved::KEY, text).is_ok(),
        None => storage.remove_item(saved::KEY).is_ok(),
    });
    store.saved_problems.set(if written {
        Vec::new()
    } else {
        vec!["This browser did not let the app store connections: they last only until the page is closed.".into()]
    });
}

/// Checks `draft` exactly as `config.json` entries are checked and saves it: as a new connection
/// with a fresh id, or in place of the saved connection `editing`. A change of anything but the
/// label forgets the credentials, which belong to the old server and settings. Returns the id.
pub fn save_connection(
    store: Store,
    mut draft: Draft,
    editing: Option<&str>,
) -> Result<String, Vec<Invalid>> {
    let taken = |id: &str| {
        Some(id) != editing
            && (store.config.with_untracked(|c| {
                c.as_ref()
                    .and_then(|c| c.as_ref().ok())
                    .is_some_and(|c| c.connections.iter().any(|c| c.id == id))
            }) || store.saved.with_untracked(|s| s.iter().any(|c| c.id == id)))
    };
    let id = match editing {
        Some(id) => id.to_string(),
        None => {
            let kind = draft
                .kind
                .as_deref()
                .and_then(crate::vendors::Kind::from_id);
            let label = draft.label.as_deref().unwrap_or_default();
            config::new_id(label, kind.unwrap_or(crate::vendors::Kind::Ekran), &taken)
        }
    };
    draft.id = Some(id.clone());
    let conn = config::check(draft, &taken, config::DEFAULT_TIMEOUT_S)?;
    let before = connection(store, &id);
    store
        .saved
        .update(|s| match s.iter_mut().find(|c| c.id == id) {
            Some(old) => *old = conn.clone(),
            None => s.push(conn.clone()),
        });
    if before.is_some_and(|b| {
        Connection {
            label: conn.label.clone(),
            ..b
        } != conn
    }) {
        forget(store, &id);
    }
    persist_saved(store);
    Ok(id)
}

/// Removes a connection added in the editor, forgets its credentials, and logs off at the
/// vendor where it has a log-off call.
pub fn remove_connection(store: Store, id: &str) {
    let Some(conn) = store
        .saved
        .with_untracked(|s| s.iter().find(|c| c.id == id).cloned())
    else {
        return;
    };
    store.saved.update(|s| s.retain(|c| c.id != id));
    persist_saved(store);
    leptos::task::spawn_local(async move {
        let _ = sign_out(store, &conn).await;
    });
}

/// "Check connection": asks for the smallest piece of the session list with the connection's
/// own stored credentials (none when not signed in: never another connection's), once, within
/// its time limit, and says what the answer means.
pub async fn check(
    store: Store,
    conn: &Connection,
    cancel: Option<web_sys::AbortSignal>,
) -> Verdict {
    let stored = match conn.auth {
        AuthMode::Password | AuthMode::Token => store
            .credentials
            .with_untracked(|c| c.get(&conn.id).cloned()),
        AuthMode::Browser | AuthMode::None => None,
    };
    let signed_in = stored.is_some();
    let creds = stored.unwrap_or(Credentials::Ambient);
    // Ekran: one session of the paged POST (its answer has the total), or the documented
    // whole-list GET where the server has no POST.
    let via = via(conn, cancel);
    let whole = calls::list(conn, &creds, check::PAGE);
    let first = match conn.kind {
        Kind::Ekran => {
            calls::ekran_page(conn, &creds, "", "", check::PAGE).unwrap_or(whole.clone())
        }
        _ => whole.clone(),
    };
    let mut outcome = http::send(&via, &first).await;
    if conn.kind == Kind::Ekran && matches!(&outcome, Err(e) if calls::lacks_paged_post(e.status)) {
        outcome = http::send(&via, &whole).await;
    }
    check::verdict(
        conn.kind,
        signed_in,
        outcome.as_ref().map(|r| r.body.as_str()),
    )
}

/// The browser's `sessionStorage`, where it has one.
fn tab_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

/// Puts back the credentials kept for this tab, for the connections that are still configured
/// exactly as they were (`keep::key`).
fn restore(store: Store, known: &[&Connection]) {
    let Some(text) = tab_storage().and_then(|s| s.get_item(keep::KEY).ok().flatten()) else {
        return;
    };
    for (id, creds) in keep::restorable(&text, known) {
        store.kept.update_value(|k| k.push(id.clone()));
        store.credentials.update(|c| {
            c.insert(id, creds);
        });
    }
}

/// Writes the kept connections' credentials to `sessionStorage`, or removes the entry when none
/// are kept.
fn persist(store: Store) {
    let Some(storage) = tab_storage() else {
        return;
    };
    // Filed under each connection's id, kind and base URL, not its id alone.
    let kept: Vec<(String, Credentials)> = store.credentials.with_untracked(|c| {
        store.kept.with_value(|k| {
            c.iter()
                .filter(|(id, _)| k.contains(*id))
                .filter_map(|(id, creds)| {
                    connection(store, id).map(|conn| (keep::key(&conn), creds.clone()))
                })
                .collect()
        })
    });
    let text = keep::encode(kept.iter().map(|(key, creds)| (key, creds)));
    let _ = if text.is_empty() {
        storage.remove_item(keep::KEY)
    } else {
        storage.set_item(keep::KEY, &text)
    };
}

/// Keeps `creds` as the connection's credentials, in `sessionStorage` too when `keep` is set.
fn hold(store: Store, conn_id: &str, creds: Credentials, keep: bool) {
    store.kept.update_value(|k| {
        k.retain(|i| i != conn_id);
        if keep {
            k.push(conn_id.to_string());
        }
    });
    store.credentials.update(|c| {
        c.insert(conn_id.to_string(), creds);
    });
    persist(store);
}

/// The connection with this id, from `config.json` or the editor.
pub fn connection(store: Store, id: &str) -> Option<Connection> {
    store
        .config
        .with_untracked(|c| {
            c.as_ref()
                .and_then(|c| c.as_ref().ok())
                .and_then(|c| c.connections.iter().find(|c| c.id == id).cloned())
        })
        .or_else(|| {
            store
                .saved
                .with_untracked(|s| s.iter().find(|c| c.id == id).cloned())
        })
}

/// What the connection can send right now: stored credentials, or the ambient ones of `browser`
/// and `none` connections.
pub fn credentials(store: Store, conn: &Connection) -> Option<Credentials> {
    match conn.auth {
        AuthMode::Browser | AuthMode::None => Some(Credentials::Ambient),
        AuthMode::Password | AuthMode::Token => store
            .credentials
            .with_untracked(|c| c.get(&conn.id).cloned()),
    }
}

/// Logs on with a user name and password and keeps the token in memory.
pub async fn sign_in(
    store: Store,
    conn: &Connection,
    user: &str,
    password: &str,
    keep: bool,
    cancel: Option<web_sys::AbortSignal>,
) -> Result<(), String> {
    let Some(call) = calls::log_on(conn, user, password) else {
        return Err(format!("{} has no password log-on.", conn.kind.product()));
    };
    let reply = http::send(&via(conn, cancel), &call)
        .await
        .map_err(|e| words(conn, &e))?;
    let creds = calls::token_from(conn.kind, reply.rest_session, &reply.body, now_ms())?;
    hold(store, &conn.id, creds, keep);
    Ok(())
}

/// Keeps a pasted token in memory.
pub fn use_token(store: Store, conn: &Connection, token: &str, keep: bool) -> Result<(), String> {
    if token.trim().is_empty() {
        return Err("Paste a token first.".to_string());
    }
    hold(store, &conn.id, calls::pasted(conn.kind, token), keep);
    Ok(())
}

/// Logs off at the vendor where it has a log-off call (EM, VBA), then forgets the credentials
/// whatever the answer: the user asked to be signed out.
pub async fn sign_out(store: Store, conn: &Connection) -> Result<(), Failure> {
    let call = credentials(store, conn).and_then(|c| calls::log_off(conn, &c));
    forget(store, &conn.id);
    match call {
        Some(call) => http::send(&via(conn, None), &call)
            .await
            .map(|_| ())
            .map_err(|e| Failure {
                message: format!(
                    "Signed out here, but the server did not confirm the log-off: {}",
                    words(conn, &e)
                ),
                raw: e.raw.clone(),
            }),
        None => Ok(()),
    }
}

/// Forgets a connection's credentials, in memory and in `sessionStorage`.
pub fn forget(store: Store, conn_id: &str) {
    store.kept.update_value(|k| k.retain(|i| i != conn_id));
    store.credentials.update(|c| {
        c.remove(conn_id);
    });
    persist(store);
}

/// Fetches the connection's session list into the store, page after page where the API pages
/// (telling `progress` after each page), until the end, [`paging::CAP`] or `cancel`; returns the
/// route that shows it. A cap that was hit is named in the document's title.
pub async fn open_sessions(
    store: Store,
    conn: &Connection,
    from: Caller,
    cancel: Option<web_sys::AbortSignal>,
    progress: &dyn Fn(&Pager),
) -> Result<String, Failure> {
    load_list(store, conn, from, cancel, progress, ("", "")).await
}

/// Fetches an Ekran connection's sessions for a `start`/`end` range (`YYYY-MM-DD`,
/// `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`, UTC; either may be empty) into the same document
/// as [`open_sessions`], replacing it; returns the route that shows it. For the session list to
/// call when its time range changes.
pub async fn open_ekran_range(
    store: Store,
    conn_id: &str,
    start: &str,
    end: &str,
    cancel: Option<web_sys::AbortSignal>,
) -> Result<String, Failure> {
    let conn = connection(store, conn_id).ok_or("This connection is no longer configured.")?;
    let creds = credentials(store, &conn).ok_or_else(|| ask_log_on(store, &conn.id))?;
    // Checked before anything is sent, so a bad range is the user's to fix, not a 400.
    calls::ekran_range(&conn, &creds, start, end)?;
    load_list(store, &conn, Caller::View, cancel, &|_| {}, (start, end)).await
}

/// [`open_sessions`] within an Ekran `start`/`end` range (both empty for every session).
async fn load_list(
    store: Store,
    conn: &Connection,
    from: Caller,
    cancel: Option<web_sys::AbortSignal>,
    progress: &dyn Fn(&Pager),
    range: (&str, &str),
) -> Result<String, Failure> {
    let Some(mut pager) = Pager::for_kind(conn.kind) else {
        let reply = fetch(store, conn, from, cancel.as_ref(), &|creds| {
            calls::list(conn, creds, (0, 0))
        })
        .await?;
        let payload = adapt_list(conn.kind, &reply.body)
            .map_err(|e| undecodable(conn, reply.status, e, &reply.body))?;
        return Ok(insert_list(store, conn, payload, None));
    };
    let mut all = SessionList {
        sessions: Vec::new(),
        skipped: Vec::new(),
        total: None,
    };
    progress(&pager);
    while let Some(page) = pager.next() {
        let reply = if conn.kind == Kind::Ekran {
            // Ekran pages by number; a page that starts mid-way cannot be asked for.
            let Some(index) = pager.page_index(page.0) else {
                pager.done = true;
                break;
            };
            let (start, end) = range;
            let sent = fetch_status(store, conn, from, cancel.as_ref(), &|creds| {
                calls::ekran_page(conn, creds, start, end, (index, calls::EKRAN_PAGE))
                    .unwrap_or_else(|_| calls::list(conn, creds, (0, 0)))
            })
            .await;
            match sent {
                // A server without the paged POST: the documented GET gives the whole list.
                Err((status, _)) if index == 0 && calls::lacks_paged_post(status) => {
                    return whole_ekran_list(store, conn, from, cancel, range).await;
                }
                other => other.map_err(|(_, failure)| failure)?,
            }
        } else {
            fetch(store, conn, from, cancel.as_ref(), &|creds| {
                calls::list(conn, creds, page)
            })
            .await?
        };
        let list = match conn.kind {
            Kind::VeeamAws => veeam_aws::sessions(&reply.body),
            Kind::Ekran => ekran::sessions(&reply.body),
            _ => veeam_m365::job_sessions(&reply.body),
        }
        .map_err(|e| undecodable(conn, reply.status, e, &reply.body))?;
        pager.record(list.sessions.len() + list.skipped.len(), list.total);
        paging::append(&mut all, list, page.0);
        progress(&pager);
    }
    all.total = pager.total.map(|t| t as u64);
    let short = pager.total.is_some_and(|t| pager.loaded < t) && !pager.capped;
    let note = if pager.capped {
        Some(pager.words())
    } else if short {
        Some(format!(
            "stopped at {} of {}: the server sent a short page before the end",
            paging::thousands(pager.loaded),
            paging::thousands(pager.total.unwrap_or_default())
        ))
    } else {
        None
    };
    let payload = Payload::SessionList {
        kind: conn.kind,
        list: all,
    };
    Ok(insert_list(store, conn, payload, note))
}

/// Ekran's documented `GET /ekranapi/sessions[?start=&end=]`: every session of the range in one
/// answer, for servers that do not have the paged POST.
async fn whole_ekran_list(
    store: Store,
    conn: &Connection,
    from: Caller,
    cancel: Option<web_sys::AbortSignal>,
    range: (&str, &str),
) -> Result<String, Failure> {
    let (start, end) = range;
    let reply = fetch(store, conn, from, cancel.as_ref(), &|creds| {
        calls::ekran_range(conn, creds, start, end)
            .unwrap_or_else(|_| calls::list(conn, creds, (0, 0)))
    })
    .await?;
    let list = ekran::sessions(&reply.body)
        .map_err(|e| undecodable(conn, reply.status, e, &reply.body))?;
    let payload = Payload::SessionList {
        kind: conn.kind,
        list,
    };
    Ok(insert_list(store, conn, payload, None))
}

/// Puts a connection's session list in the store as its one list document.
fn insert_list(store: Store, conn: &Connection, payload: Payload, note: Option<String>) -> String {
    let name = match note {
        Some(note) => format!("{}: sessions ({note})", conn.label),
        None => format!("{}: sessions", conn.label),
    };
    store.insert(
        format!("live-{}", conn.id),
        name,
        payload,
        Some(conn.id.clone()),
    )
}

/// Fetches one session's log into the store; returns the route that shows it.
pub async fn open_log(
    store: Store,
    conn_id: &str,
    session_id: &str,
    log_path: &str,
) -> Result<String, Failure> {
    let origin = LogOrigin {
        connection: conn_id.to_string(),
        session_id: session_id.to_string(),
        log_path: log_path.to_string(),
    };
    load_log(store, origin, Caller::View, None).await
}

/// Fetches an open live log again into the same document (same id, same route), for the log
/// page's auto-refresh. A 401 is only reported (the card's way): the user keeps the log shown.
pub async fn refresh_log(
    store: Store,
    doc_id: &str,
    cancel: Option<web_sys::AbortSignal>,
) -> Result<(), Failure> {
    let origin = store
        .doc_untracked(doc_id)
        .and_then(|d| d.origin)
        .ok_or("This log was not fetched from a connection.")?;
    load_log(store, origin, Caller::Card, cancel.as_ref())
        .await
        .map(|_| ())
}

/// Fetches what a logon session's link leads to (`crate::links`) through the connection
/// `conn_id` and opens it; returns the route that shows it. A view's call: on a 401 the user is
/// asked to log on again and brought back.
pub async fn follow(
    store: Store,
    conn_id: &str,
    target: &Target,
    cancel: Option<web_sys::AbortSignal>,
) -> Result<String, Failure> {
    let conn = connection(store, conn_id).ok_or("This connection is no longer configured.")?;
    if let Target::AwsLog(id) | Target::M365Log(id) = target {
        let origin = LogOrigin {
            connection: conn.id.clone(),
            session_id: id.clone(),
            log_path: target.path(),
        };
        return load_log(store, origin, Caller::View, cancel.as_ref()).await;
    }
    let reply = fetch(store, &conn, Caller::View, cancel.as_ref(), &|creds| {
        calls::follow(&conn, creds, target)
    })
    .await?;
    let payload = adapt_list(conn.kind, &reply.body)
        .map_err(|e| undecodable(&conn, reply.status, e, &reply.body))?;
    Ok(match target {
        Target::EmLogonSession(id) => store.insert(
            format!("live-{}-logon-{}", conn.id, doc_safe(id)),
            format!("{}: logon session {id}", conn.label),
            payload,
            Some(conn.id.clone()),
        ),
        _ => insert_list(store, &conn, payload, None),
    })
}

/// Fetches the log `origin` names into the store, as the one document of that session.
async fn load_log(
    store: Store,
    origin: LogOrigin,
    from: Caller,
    cancel: Option<&web_sys::AbortSignal>,
) -> Result<String, Failure> {
    let conn =
        connection(store, &origin.connection).ok_or("This connection is no longer configured.")?;
    let log_path = origin.log_path.as_str();
    let (log, cut) = match conn.kind {
        Kind::VeeamAws => {
            let reply = fetch(store, &conn, from, cancel, &|creds| {
                calls::log(&conn, creds, log_path)
            })
            .await?;
            let log = veeam_aws::session_log(&reply.body)
                .map_err(|e| undecodable(&conn, reply.status, e, &reply.body))?;
            (log, None)
        }
        Kind::VeeamM365 => m365_log(store, &conn, log_path, from, cancel).await?,
        other => {
            return Err(format!("{} sessions have no log to open.", other.product()).into());
        }
    };
    let session_id = &origin.session_id;
    let name = match cut {
        Some(note) => format!("{}: session {session_id} ({note})", conn.label),
        None => format!("{}: session {session_id}", conn.label),
    };
    let id = format!("live-{}-{}", conn.id, doc_safe(session_id));
    Ok(store.insert_live_log(
        id,
        name,
        Payload::SessionLog {
            kind: conn.kind,
            log,
        },
        origin,
    ))
}

/// Fetches an M365 session's log items page after page (the envelope's `offset`/`limit`, at the
/// API's maximum per page) until a short page or [`paging::CAP`] items. A bare array (the v3
/// page's shape) cannot be paged and is taken as it comes. Returns the log and, when it may not
/// be whole, why.
async fn m365_log(
    store: Store,
    conn: &Connection,
    log_path: &str,
    from: Caller,
    cancel: Option<&web_sys::AbortSignal>,
) -> Result<(SessionLog, Option<String>), Failure> {
    let mut pager = Pager::new(calls::M365_LOG_LIMIT, paging::CAP);
    let mut all = SessionLog {
        session_id: String::new(),
        entries: Vec::new(),
        skipped: Vec::new(),
    };
    while let Some(page) = pager.next() {
        let reply = fetch(store, conn, from, cancel, &|creds| {
            calls::log_page(conn, creds, log_path, page)
        })
        .await?;
        let items = veeam_m365::log_items(&reply.body)
            .map_err(|e| undecodable(conn, reply.status, e, &reply.body))?;
        let got = items.entries.len() + items.skipped.len();
        paging::append_log(&mut all, items, page.0);
        if reply.body.trim_start().starts_with('[') {
            return Ok((all, paging::log_cut_note(got, page.1)));
        }
        pager.record(got, None);
    }
    let note = paging::log_capped_note(&pager);
    Ok((all, note))
}

/// Where a fetch was started: from the connection's own card (which shows its log-on form again
/// after a 401), or from a view (which the user is taken back to after logging on again).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    Card,
    View,
}

/// Sends the call `make` builds from the connection's credentials. A VBA grant about to expire is
/// refreshed first, and refreshed once more on `ExpiredToken`; on any other 401 the stored
/// credentials are dropped so that the log-on form comes back (over the view, when `from` is one).
async fn fetch(
    store: Store,
    conn: &Connection,
    from: Caller,
    cancel: Option<&web_sys::AbortSignal>,
    make: &dyn Fn(&Credentials) -> calls::Call,
) -> Result<http::Reply, Failure> {
    fetch_status(store, conn, from, cancel, make)
        .await
        .map_err(|(_, failure)| failure)
}

/// [`fetch`], with the HTTP status of a failure that had one (to choose a fallback by).
async fn fetch_status(
    store: Store,
    conn: &Connection,
    from: Caller,
    cancel: Option<&web_sys::AbortSignal>,
    make: &dyn Fn(&Credentials) -> calls::Call,
) -> Result<http::Reply, (Option<u16>, Failure)> {
    let via = via(conn, cancel.cloned());
    let mut creds = credentials(store, conn).ok_or_else(|| {
        let failure = match from {
            Caller::View => ask_log_on(store, &conn.id),
            Caller::Card => "Log on first.".into(),
        };
        (None, failure)
    })?;
    if calls::needs_refresh(conn, &creds, now_ms()) {
        // A failed early refresh is not fatal: the token may still be good for a while.
        if let Ok(fresh) = refresh(store, conn, &creds).await {
            creds = fresh;
        }
    }
    let mut refreshed = false;
    loop {
        match http::send_with_retry(&via, &make(&creds)).await {
            Ok(reply) => return Ok(reply),
            Err(e)
                if e.kind == ErrorKind::Unauthenticated
                    && !refreshed
                    && e.code.as_deref() == Some("ExpiredToken")
                    && calls::refresh(conn, &creds).is_some() =>
            {
                refreshed = true;
                creds = refresh(store, conn, &creds)
                    .await
                    .map_err(|e| (None, Failure::from(e)))?;
            }
            Err(e) => {
                if e.kind == ErrorKind::Unauthenticated
                    && matches!(conn.auth, AuthMode::Password | AuthMode::Token)
                {
                    forget(store, &conn.id);
                    if from == Caller::View {
                        store.relogon.set(Some(Relogon {
                            connection: conn.id.clone(),
                            back: None,
                            ended: true,
                        }));
                    }
                }
                return Err((e.status, failure(conn, &e)));
            }
        }
    }
}

/// A view needs a connection nobody is signed in to: ask for a log-on, then come back.
fn ask_log_on(store: Store, conn_id: &str) -> Failure {
    store.relogon.set(Some(Relogon {
        connection: conn_id.to_string(),
        back: None,
        ended: false,
    }));
    "Log on first.".into()
}

/// Exchanges a VBA refresh token for a new grant and keeps it; on failure the credentials are
/// dropped and the user is asked to log on again.
async fn refresh(
    store: Store,
    conn: &Connection,
    creds: &Credentials,
) -> Result<Credentials, String> {
    let call = calls::refresh(conn, creds).ok_or("Log on again.")?;
    let fresh = match http::send(&via(conn, None), &call).await {
        Ok(reply) => calls::token_from(conn.kind, None, &reply.body, now_ms()),
        Err(e) => Err(words(conn, &e)),
    };
    match fresh {
        Ok(fresh) => {
            let keep = store.kept.with_value(|k| k.contains(&conn.id));
            hold(store, &conn.id, fresh.clone(), keep);
            Ok(fresh)
        }
        Err(e) => {
            forget(store, &conn.id);
            Err(format!(
                "The session expired and could not be renewed; log on again. ({e})"
            ))
        }
    }
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

fn adapt_list(kind: Kind, body: &str) -> Result<Payload, DecodeError> {
    Ok(match kind {
        Kind::VeeamEm => Payload::LogonSessions {
            kind,
            sessions: veeam_em::logon_sessions(body)?,
        },
        Kind::MimPam => Payload::LogonSessions {
            kind,
            sessions: mim_pam::session_info(body)?,
        },
        Kind::VeeamAws => Payload::SessionList {
            kind,
            list: veeam_aws::sessions(body)?,
        },
        Kind::VeeamM365 => Payload::SessionList {
            kind,
            list: veeam_m365::job_sessions(body)?,
        },
        Kind::Ekran => Payload::SessionList {
            kind,
            list: ekran::sessions(body)?,
        },
    })
}

fn undecodable(conn: &Connection, status: u16, e: DecodeError, body: &str) -> Failure {
    failure(conn, &http::error::undecodable(status, e.to_string(), body))
}

fn failure(conn: &Connection, e: &HttpError) -> Failure {
    Failure {
        message: words(conn, e),
        raw: e.raw.clone(),
    }
}

fn words(conn: &Connection, e: &HttpError) -> String {
    e.sentence(conn.kind.product())
}

/// How requests to `conn` are sent: its kind, its time limit, whether CORS is involved.
fn via(conn: &Connection, cancel: Option<web_sys::AbortSignal>) -> http::Via {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    http::Via {
        kind: conn.kind,
        cross_origin: conn.is_cross_origin(&origin),
        timeout_ms: conn.timeout_s.saturating_mul(1000),
        cancel,
    }
}

/// Ids become route segments: keep them to safe characters.
fn doc_safe(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
