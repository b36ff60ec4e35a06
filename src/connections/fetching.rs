//! Fetching through a connection: session lists page by page (one loop for every paged list,
//! driven by the vendor's paging description), logs, followed links, and "Check connection".
//! Every request goes through [`fetch`], which renews grants and turns a 401 into a log-on form.

use leptos::prelude::*;

use crate::connections::paging::{self, Pager};
use crate::connections::probe::{self, Verdict};
use crate::connections::signing::{self, now_ms};
use crate::connections::{registry, AuthMode, Connection, Credentials, Failure};
use crate::http::{self, Call, ErrorKind};
use crate::model::{Content, SessionList, SessionLog, Text};
use crate::store::{LogOrigin, Relogon, Store};
use crate::vendors::contract::{ListApi, Page, Paging, Target, Window};
use crate::vendors::{DecodeError, Payload};

/// Where a fetch was started: from the connection's own card (which shows its log-on form again
/// after a 401), or from a view (which the user is taken back to after logging on again).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    Card,
    View,
}

/// "Check connection": asks for the smallest piece of the session list with the connection's
/// own stored credentials (none when not signed in: never another connection's), once, within
/// its time limit, and says what the answer means.
pub async fn probe(
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
    let found = signing::in_use(store, conn);
    let Some(list) = conn.kind.vendor().lists.first() else {
        return probe::verdict(conn.kind, signed_in, Err(&no_request()));
    };
    // A version found at log-on is the one; otherwise, as a log-on would, the newest the server
    // serves (a refused version is not a verdict on the connection).
    let tries = if found.api_version.is_some() {
        vec![found.api_version.clone()]
    } else {
        signing::candidates(conn)
    };
    let refuses = conn.kind.vendor().version.as_ref().map(|v| v.refuses);
    let mut outcome = Err(no_request());
    for (i, version) in tries.iter().enumerate() {
        let attempt = Connection {
            api_version: version.clone(),
            ..conn.clone()
        };
        let channel = attempt.channel(cancel.clone());
        outcome = match (list.request)(&attempt, &creds, &Window::ALL, probe::PAGE) {
            Ok(call) => http::send(&channel, &call).await,
            Err(_) => Err(no_request()),
        };
        // A server without the paged request: ask for the whole list the way it answers.
        if let (Some(fallback), Err(e)) = (&list.fallback, &outcome) {
            if e.status.is_some_and(|s| fallback.statuses.contains(&s)) {
                if let Ok(call) = (fallback.request)(&attempt, &creds, &Window::ALL) {
                    outcome = http::send(&channel, &call).await;
                }
            }
        }
        let refused = matches!((&outcome, refuses), (Err(e), Some(r)) if r(e));
        if !refused || i + 1 == tries.len() {
            break;
        }
    }
    probe::verdict(conn.kind, signed_in, outcome.as_ref().map(|r| &r.body))
}

/// Fetches the connection's list `list` (its vendor's lists by index: 0 is the main one) into
/// the store, page after page where the API pages (telling `progress` after each page), until
/// the end, [`paging::CAP`] or `cancel`; returns the route that shows it. A cap that was hit is
/// named in the document's title.
pub async fn open_sessions(
    store: Store,
    conn: &Connection,
    list: usize,
    from: Caller,
    cancel: Option<web_sys::AbortSignal>,
    progress: &dyn Fn(&Pager),
) -> Result<String, Failure> {
    let conn = signing::in_use(store, conn);
    let list = conn
        .kind
        .vendor()
        .lists
        .get(list)
        .ok_or(Failure::NotConfigured)?;
    load_list(store, &conn, list, from, cancel, progress, Window::ALL).await
}

/// Fetches a connection's sessions within a time window (for vendors whose server can be asked
/// for one) into the same document as [`open_sessions`], replacing it; returns the route that
/// shows it. For the session list to call when its time range changes.
pub async fn open_window(
    store: Store,
    conn_id: &str,
    list_id: Option<&str>,
    window: Window<'_>,
    cancel: Option<web_sys::AbortSignal>,
) -> Result<String, Failure> {
    let conn = registry::connection(store, conn_id).ok_or(Failure::NotConfigured)?;
    let conn = signing::in_use(store, &conn);
    let creds = signing::credentials(store, &conn).ok_or_else(|| ask_log_on(store, &conn.id))?;
    let vendor = conn.kind.vendor();
    let list = match list_id {
        Some(id) => vendor.lists.iter().find(|l| l.id == id),
        None => vendor.lists.first(),
    }
    .ok_or(Failure::NotConfigured)?;
    if !list.server_window {
        return Err(crate::vendors::contract::RequestError::NoWindow {
            product: vendor.product,
        }
        .into());
    }
    // Checked before anything is sent, so a bad window is the user's to fix, not a 400.
    (list.request)(&conn, &creds, &window, Page::first(1))?;
    load_list(store, &conn, list, Caller::View, cancel, &|_| {}, window).await
}

/// The one page loop: reads the list the vendor describes, page by page, within `window`,
/// then names its jobs where the vendor has a list of them.
async fn load_list(
    store: Store,
    conn: &Connection,
    list: &'static ListApi,
    from: Caller,
    cancel: Option<web_sys::AbortSignal>,
    progress: &dyn Fn(&Pager),
    window: Window<'_>,
) -> Result<String, Failure> {
    let (mut payload, note) =
        read_list(store, conn, list, from, cancel.as_ref(), progress, window).await?;
    if let (Some(names), Content::Sessions(sessions)) = (&list.names, &mut payload.content) {
        // Names only decorate: a list that came is shown even when its names do not.
        let got = fetch(store, conn, from, cancel.as_ref(), &|creds| {
            Ok((names.request)(conn, creds))
        })
        .await;
        if let Some(pairs) = got.ok().and_then(|reply| (names.decode)(&reply.body).ok()) {
            name_jobs(std::sync::Arc::make_mut(sessions), &pairs);
        }
    }
    Ok(insert_list(store, conn, list, payload, note, window.only))
}

/// Gives each session whose job is named in `pairs` (job key, name) that name, where the session
/// has none of its own.
pub fn name_jobs(list: &mut SessionList, pairs: &[(String, String)]) {
    // Key to position in `pairs`: a map type the app already has (the list's facets and sort).
    let names: std::collections::HashMap<&str, u32> = pairs
        .iter()
        .enumerate()
        .map(|(i, (key, _))| (key.as_str(), i as u32))
        .collect();
    for session in &mut list.sessions {
        if session.name.is_none() {
            let at = session.job.as_deref().and_then(|j| names.get(j));
            if let Some((_, name)) = at.and_then(|&i| pairs.get(i as usize)) {
                session.name = Some(name.clone());
            }
        }
    }
}

/// Reads a list: in one answer, or page by page; a server without the paged (or current)
/// request is asked the vendor's fallback instead. Returns the list and, when it may not be
/// whole, why.
async fn read_list(
    store: Store,
    conn: &Connection,
    list: &'static ListApi,
    from: Caller,
    cancel: Option<&web_sys::AbortSignal>,
    progress: &dyn Fn(&Pager),
    window: Window<'_>,
) -> Result<(Payload, Option<String>), Failure> {
    let Some(mut pager) = Pager::for_list(list.paging) else {
        let sent = fetch(store, conn, from, cancel, &|creds| {
            (list.request)(conn, creds, &window, Page::first(0))
        })
        .await;
        let reply = match sent {
            Err(failure) => whole_instead(store, conn, list, from, cancel, window, failure).await?,
            Ok(reply) => reply,
        };
        return Ok((decode(conn, &reply, list.decode)?, None));
    };
    let mut all = SessionList {
        sessions: Vec::new(),
        skipped: Vec::new(),
        total: None,
    };
    progress(&pager);
    while let Some((offset, limit)) = pager.next() {
        // Numbered pages: a page that starts mid-way cannot be asked for.
        let number = match list.paging {
            Paging::Numbered { .. } => match pager.page_index(offset) {
                Some(number) => number,
                None => {
                    pager.done = true;
                    break;
                }
            },
            Paging::Offset { .. } | Paging::Whole => 0,
        };
        // Numbered pages are always whole pages: a page's size says where the next one starts.
        let limit = match list.paging {
            Paging::Numbered { page_size } => page_size,
            Paging::Offset { .. } | Paging::Whole => limit,
        };
        let page = Page {
            offset,
            limit,
            number,
        };
        let sent = fetch(store, conn, from, cancel, &|creds| {
            (list.request)(conn, creds, &window, page)
        })
        .await;
        let reply = match sent {
            // A server without the paged request: the whole list in one answer.
            Err(failure) if offset == 0 && list.fallback.is_some() => {
                let reply = whole_instead(store, conn, list, from, cancel, window, failure).await?;
                return Ok((decode(conn, &reply, list.decode)?, None));
            }
            sent => sent?,
        };
        let Content::Sessions(got) = decode(conn, &reply, list.decode)?.content else {
            return Err(conn.failure(http::error::undecodable(
                reply.status,
                "not a list of sessions".to_string(),
                &reply.body,
            )));
        };
        let got = std::sync::Arc::unwrap_or_clone(got);
        pager.record(got.sessions.len() + got.skipped.len(), got.total);
        paging::append(&mut all, got, offset);
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
    Ok((Payload::sessions(conn.kind, all), note))
}

/// The vendor's fallback request for a list whose first request failed with one of the
/// statuses that say "not here" (no paged POST, an old path); any other failure stands.
async fn whole_instead(
    store: Store,
    conn: &Connection,
    list: &'static ListApi,
    from: Caller,
    cancel: Option<&web_sys::AbortSignal>,
    window: Window<'_>,
    failure: Failure,
) -> Result<http::Reply, Failure> {
    match &list.fallback {
        Some(fallback)
            if failure
                .status()
                .is_some_and(|s| fallback.statuses.contains(&s)) =>
        {
            fetch(store, conn, from, cancel, &|creds| {
                (fallback.request)(conn, creds, &window)
            })
            .await
        }
        _ => Err(failure),
    }
}

/// Puts a connection's list in the store as that list's one document: `live-<connection>` for
/// its main list, `live-<connection>-<list>` for the others.
fn insert_list(
    store: Store,
    conn: &Connection,
    list: &'static ListApi,
    payload: Payload,
    note: Option<String>,
    only: &str,
) -> String {
    let main = conn
        .kind
        .vendor()
        .lists
        .first()
        .is_some_and(|first| first.id == list.id);
    let (id, what) = if main {
        (format!("live-{}", conn.id), "sessions".to_string())
    } else {
        (
            format!("live-{}-{}", conn.id, list.id),
            list.label.trim_start_matches("Open ").to_string(),
        )
    };
    let name = match note {
        Some(note) => format!("{}: {what} ({note})", conn.label),
        None => format!("{}: {what}", conn.label),
    };
    // Whether the list's select offers the server's filter, and what it was asked with.
    let only = list
        .server_filter
        .as_ref()
        .filter(|f| (f.served)(conn))
        .map(|_| only.to_string());
    store.insert_list(id, name, payload, conn.id.clone(), list.id, only)
}

/// What a `live-…` document id names (see [`insert_list`] and [`load_log`]): one of a
/// connection's lists, or one session's log.
#[derive(Debug, PartialEq, Eq)]
pub enum Live<'a> {
    /// The connection's list, by its index among its vendor's lists.
    List(usize),
    /// The log of the session with this id.
    Log(&'a str),
}

/// Reads a `live-…` document id against the connections: which connection (by position) and
/// what of it. The longest connection id that fits wins (`aws-prod` over `aws`). A log's id is
/// taken only where [`doc_safe`] cannot have rewritten it (letters, digits and `-`), so that the
/// same session is asked for; logon details followed from a link are not named here.
pub fn live<'a>(doc_id: &'a str, conns: &[Connection]) -> Option<(usize, Live<'a>)> {
    let rest = doc_id.strip_prefix("live-")?;
    let (c, conn) = conns
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.id.is_empty() && rest.starts_with(c.id.as_str()))
        .max_by_key(|(_, c)| c.id.len())?;
    let lists = conn.kind.vendor().lists;
    let after = rest.get(conn.id.len()..)?;
    if after.is_empty() {
        return (!lists.is_empty()).then_some((c, Live::List(0)));
    }
    let what = after.strip_prefix('-')?;
    if let Some(i) = lists.iter().skip(1).position(|l| l.id == what) {
        return Some((c, Live::List(i + 1)));
    }
    let plain = what.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    (plain && !what.starts_with("logon-") && super::links::is_id(what))
        .then_some((c, Live::Log(what)))
}

/// Fetches again, through its connection, a `live-…` document that a reload (or a link kept from
/// another tab) names but this tab does not hold: documents are not stored, connections are.
/// `None` when the id names no connection's list or log. Not signed in, or signed out by the
/// server: the log-on form, and back here after it (a view's call).
pub async fn reopen(store: Store, doc_id: &str) -> Option<Result<String, Failure>> {
    let conns = registry::all(store);
    let (c, what) = live(doc_id, &conns)?;
    let conn = conns.get(c)?;
    Some(match what {
        Live::List(i) => open_sessions(store, conn, i, Caller::View, None, &|_| {}).await,
        Live::Log(session) => open_log(store, &conn.id, session).await,
    })
}

/// Fetches one session's log into the store, at the path its connection's vendor (and API
/// version) has for it; returns the route that shows it.
pub async fn open_log(store: Store, conn_id: &str, session_id: &str) -> Result<String, Failure> {
    fetch_log(store, conn_id, session_id, None).await
}

/// [`open_log`] that `cancel` can stop (the step statistics fetch a job's recent runs' logs).
pub async fn fetch_log(
    store: Store,
    conn_id: &str,
    session_id: &str,
    cancel: Option<&web_sys::AbortSignal>,
) -> Result<String, Failure> {
    let conn = registry::connection(store, conn_id).ok_or(Failure::NotConfigured)?;
    let conn = signing::in_use(store, &conn);
    let Some(api) = &conn.kind.vendor().log else {
        return Err(Failure::NoLog {
            product: conn.kind.product(),
        });
    };
    // The id comes from the data and goes into the request path: only the shapes these APIs use.
    if !super::links::is_id(session_id) {
        return Err(crate::vendors::contract::RequestError::BadId {
            id: session_id.to_string(),
        }
        .into());
    }
    let origin = LogOrigin {
        connection: conn_id.to_string(),
        session_id: session_id.to_string(),
        log_path: (api.path)(&conn, session_id),
    };
    load_log(store, origin, Caller::View, cancel).await
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
        .ok_or(Failure::NotLive)?;
    load_log(store, origin, Caller::Card, cancel.as_ref())
        .await
        .map(|_| ())
}

/// Fetches what a logon session's link leads to (`super::links`) through the connection
/// `conn_id` and opens it; returns the route that shows it. A view's call: on a 401 the user is
/// asked to log on again and brought back.
pub async fn follow(
    store: Store,
    conn_id: &str,
    target: &Target,
    cancel: Option<web_sys::AbortSignal>,
) -> Result<String, Failure> {
    let conn = registry::connection(store, conn_id).ok_or(Failure::NotConfigured)?;
    let conn = signing::in_use(store, &conn);
    let vendor = conn.kind.vendor();
    let path = (vendor.links.path)(&conn, target).ok_or(Failure::NotConfigured)?;
    if let Target::Log(id) = target {
        let origin = LogOrigin {
            connection: conn.id.clone(),
            session_id: id.clone(),
            log_path: path,
        };
        return load_log(store, origin, Caller::View, cancel.as_ref()).await;
    }
    let reply = fetch(store, &conn, Caller::View, cancel.as_ref(), &|creds| {
        Ok(Call::get(&conn, creds, &path))
    })
    .await?;
    let main = vendor.lists.first().ok_or(Failure::NotConfigured)?;
    let payload = decode(&conn, &reply, main.decode)?;
    Ok(match target {
        Target::LogonSession(id) => store.insert(
            format!("live-{}-logon-{}", conn.id, doc_safe(id)),
            format!("{}: logon session {id}", conn.label),
            payload,
            Some(conn.id.clone()),
        ),
        Target::LogonSessions | Target::Log(_) => {
            insert_list(store, &conn, main, payload, None, "")
        }
    })
}

/// Fetches the log `origin` names into the store, as the one document of that session: page
/// after page (`(offset, limit)`, at the vendor's page size) until a short page or
/// [`paging::CAP`] items where the vendor's logs page; whole where they do not.
async fn load_log(
    store: Store,
    origin: LogOrigin,
    from: Caller,
    cancel: Option<&web_sys::AbortSignal>,
) -> Result<String, Failure> {
    let conn = registry::connection(store, &origin.connection).ok_or(Failure::NotConfigured)?;
    let conn = signing::in_use(store, &conn);
    let Some(api) = &conn.kind.vendor().log else {
        return Err(Failure::NoLog {
            product: conn.kind.product(),
        });
    };
    let log_path = origin.log_path.as_str();
    let page_size = api.page_size.unwrap_or(paging::CAP);
    let mut pager = Pager::new(page_size, paging::CAP);
    let mut log = SessionLog {
        session_id: String::new(),
        entries: Vec::new(),
        skipped: Vec::new(),
    };
    let mut cut = None;
    while let Some((offset, limit)) = pager.next() {
        let page = Page {
            offset,
            limit,
            number: 0,
        };
        let reply = fetch(store, &conn, from, cancel, &|creds| {
            Ok((api.request)(&conn, creds, log_path, page))
        })
        .await?;
        let items = (api.decode)(&reply.body).map_err(|e| undecodable(&conn, &reply, e))?;
        let got = items.entries.len() + items.skipped.len();
        paging::append_log(&mut log, items, offset);
        // A log that comes whole, or a shape that cannot be paged, is taken as it comes.
        if api.page_size.is_none() {
            break;
        }
        if !(api.pages)(&reply.body) {
            cut = paging::log_cut_note(got, limit);
            break;
        }
        pager.record(got, None);
    }
    let cut = cut.or_else(|| paging::log_capped_note(&pager));
    let session_id = &origin.session_id;
    let name = match cut {
        Some(note) => format!("{}: session {session_id} ({note})", conn.label),
        None => format!("{}: session {session_id}", conn.label),
    };
    let id = format!("live-{}-{}", conn.id, doc_safe(session_id));
    Ok(store.insert_live_log(id, name, Payload::log(conn.kind, log), origin))
}

/// Sends the call `make` builds from the connection's credentials. A grant about to expire is
/// renewed first, and renewed once more on `ExpiredToken`; on any other 401 the stored
/// credentials are dropped so that the log-on form comes back (over the view, when `from` is one).
async fn fetch(
    store: Store,
    conn: &Connection,
    from: Caller,
    cancel: Option<&web_sys::AbortSignal>,
    make: &dyn Fn(&Credentials) -> Result<Call, crate::vendors::contract::RequestError>,
) -> Result<http::Reply, Failure> {
    let channel = conn.channel(cancel.cloned());
    let mut creds = signing::credentials(store, conn).ok_or_else(|| match from {
        Caller::View => ask_log_on(store, &conn.id),
        Caller::Card => Failure::LogOnFirst,
    })?;
    if signing::needs_renewal(conn, &creds, now_ms()) {
        // A failed early renewal is not fatal: the token may still be good for a while.
        if let Ok(fresh) = signing::renew(store, conn, &creds).await {
            creds = fresh;
        }
    }
    let mut renewed = false;
    loop {
        match http::send_with_retry(&channel, &make(&creds)?).await {
            Ok(reply) => return Ok(reply),
            Err(e)
                if e.kind == ErrorKind::Unauthenticated
                    && !renewed
                    && e.code.as_deref() == Some("ExpiredToken")
                    && signing::renewal(conn, &creds).is_some() =>
            {
                renewed = true;
                creds = signing::renew(store, conn, &creds).await?;
            }
            Err(e) => {
                if e.kind == ErrorKind::Unauthenticated
                    && matches!(conn.auth, AuthMode::Password | AuthMode::Token)
                {
                    signing::forget(store, &conn.id);
                    if from == Caller::View {
                        store.relogon.set(Some(Relogon {
                            connection: conn.id.clone(),
                            back: None,
                            ended: true,
                        }));
                    }
                }
                return Err(conn.failure(e));
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
    Failure::LogOnFirst
}

/// A request that could not be built: for "Check connection", a failure without a response.
fn no_request() -> http::HttpError {
    http::error::without_response(ErrorKind::Other)
}

/// Reads an answer with `read`, or says it could not be read (with the body one click away).
fn decode(
    conn: &Connection,
    reply: &http::Reply,
    read: fn(&Text) -> Result<Payload, DecodeError>,
) -> Result<Payload, Failure> {
    read(&reply.body).map_err(|e| undecodable(conn, reply, e))
}

fn undecodable(conn: &Connection, reply: &http::Reply, e: DecodeError) -> Failure {
    conn.failure(http::error::undecodable(
        reply.status,
        e.to_string(),
        &reply.body,
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn conns() -> Vec<Connection> {
        let text = r#"{"connections": [
            {"id": "aws", "kind": "veeam-aws", "label": "A", "baseUrl": "/a", "auth": "password"},
            {"id": "aws-prod", "kind": "veeam-aws", "label": "B", "baseUrl": "/b", "auth": "password"},
            {"id": "em", "kind": "veeam-em", "label": "E", "baseUrl": "/e", "auth": "password"}
        ]}"#;
        crate::connections::config::parse_config(text)
            .map(|c| c.connections)
            .unwrap_or_default()
    }

    #[test]
    fn live_ids_name_a_list_or_a_log() {
        let conns = conns();
        assert_eq!(conns.len(), 3);
        assert_eq!(live("live-aws", &conns), Some((0, Live::List(0))));
        assert_eq!(
            live("live-aws-prod", &conns),
            Some((1, Live::List(0))),
            "the longest id"
        );
        assert_eq!(
            live("live-em-backup-sessions", &conns),
            Some((2, Live::List(1)))
        );
        let guid = "live-aws-prod-5496707f-c814-47ce-8d6d-110aa03cec03";
        assert_eq!(
            live(guid, &conns),
            Some((1, Live::Log("5496707f-c814-47ce-8d6d-110aa03cec03")))
        );
        assert_eq!(live("live-em-1207", &conns), Some((2, Live::Log("1207"))));
    }

    #[test]
    fn live_ids_that_name_nothing_fetchable() {
        let conns = conns();
        for id in [
            "file-3",
            "sample-veeam-aws",
            "live-",
            "live-gone",
            "live-awsx",
            "live-aws-",
            // Rewritten by doc_safe: the session's own id is not known.
            "live-aws-a_b",
            "live-em-logon-5496707f",
        ] {
            assert_eq!(live(id, &conns), None, "{id}");
        }
        assert_eq!(live("live-aws", &[]), None);
    }
}
