//! Signing in (a password log-on, a pasted token, the browser's own credentials), renewing a
//! grant, and signing out; the credentials live in the store's memory, and in `sessionStorage`
//! only for a connection the user asked to keep for this tab.

use leptos::prelude::*;

use crate::connections::{keep, registry, AuthMode, Connection, Credentials, Failure};
use crate::http;
use crate::store::Store;

/// The browser's `sessionStorage`, where it has one.
fn tab_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

/// The `localStorage` key under which the API version a log-on found is remembered for a
/// connection: its id, kind and base URL together (`keep::key`), so that another server that
/// takes the same id never inherits it. A version is no secret; nothing else is stored there.
fn version_key(conn: &Connection) -> String {
    format!("session-viewer.api-version {}", keep::key(conn))
}

/// The version an earlier log-on found for a connection that names none, where it is one the
/// app still knows.
fn remembered(conn: &Connection) -> Option<String> {
    let rule = conn.kind.vendor().version.as_ref()?;
    if !rule.automatic || conn.api_version.is_some() {
        return None;
    }
    let storage = crate::store::local_storage()?;
    let version = storage.get_item(&version_key(conn)).ok()??;
    rule.known.contains(&version.as_str()).then_some(version)
}

/// Puts back the credentials kept for this tab, for the connections that are still configured
/// exactly as they were (`keep::key`).
pub(super) fn restore(store: Store, known: &[&Connection]) {
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
                    registry::connection(store, id).map(|conn| (keep::key(&conn), creds.clone()))
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

/// The connection as requests to it go out: with the API version its log-on found (this time,
/// or an earlier one), for a connection whose vendor finds one itself and that names none.
pub fn in_use(store: Store, conn: &Connection) -> Connection {
    let found = store.versions.with_untracked(|v| v.get(&conn.id).cloned());
    let found = found.or_else(|| remembered(conn));
    match found {
        Some(version) if conn.api_version.is_none() => Connection {
            api_version: Some(version),
            ..conn.clone()
        },
        _ => conn.clone(),
    }
}

/// The API version a connection speaks, and whether its log-on found it: for the card.
pub fn version_in_use(store: Store, conn: &Connection) -> Option<(String, bool)> {
    let rule = conn.kind.vendor().version.as_ref()?;
    if let Some(v) = &conn.api_version {
        return Some((v.clone(), false));
    }
    let found = store.versions.with(|v| v.get(&conn.id).cloned());
    match found.or_else(|| remembered(conn)) {
        Some(v) => Some((v, true)),
        None => rule.default.map(|d| (d.to_string(), false)),
    }
}

/// The versions a log-on (or a check) tries, in order: the connection's own, or (where its
/// vendor finds one itself) the one an earlier log-on found, then every other version the app
/// knows, newest first.
pub(super) fn candidates(conn: &Connection) -> Vec<Option<String>> {
    match (conn.kind.vendor().version.as_ref(), &conn.api_version) {
        (_, Some(v)) => vec![Some(v.clone())],
        (Some(rule), None) if rule.automatic => {
            let found = remembered(conn);
            let mut tries = Vec::new();
            if found.is_some() {
                tries.push(found.clone());
            }
            for v in rule.known {
                if found.as_deref() != Some(*v) {
                    tries.push(Some(v.to_string()));
                }
            }
            tries
        }
        _ => vec![None],
    }
}

/// Logs on with a user name and password and keeps the token in memory. A connection whose
/// vendor finds its API version itself tries the versions the app knows, newest first, until
/// the server accepts one, and remembers it for the connection (in `localStorage`, tried first at
/// the next log-on, also after a reload). An account with a second factor
/// answers [`Failure::SignIn`] with `SignInError::SecondFactor`: finish with
/// [`second_factor`].
pub async fn sign_in(
    store: Store,
    conn: &Connection,
    user: &str,
    password: &str,
    keep: bool,
    cancel: Option<web_sys::AbortSignal>,
) -> Result<(), Failure> {
    let vendor = conn.kind.vendor();
    let Some(log_on) = &vendor.sign_in.password else {
        return Err(Failure::NoPasswordLogOn {
            product: vendor.product,
        });
    };
    let tries = candidates(conn);
    let last = tries.len().saturating_sub(1);
    for (i, version) in tries.into_iter().enumerate() {
        let attempt = Connection {
            api_version: version.clone().or_else(|| conn.api_version.clone()),
            ..conn.clone()
        };
        let call = (log_on.request)(&attempt, user, password);
        let reply = match http::send(&attempt.channel(cancel.clone()), &call).await {
            Ok(reply) => reply,
            Err(error) => {
                let refused = vendor.version.as_ref().is_some_and(|r| (r.refuses)(&error));
                match (refused, version) {
                    // Refused: an older version may be served.
                    (true, Some(_)) if i < last => continue,
                    (true, Some(version)) => {
                        return Err(Failure::VersionRefused {
                            product: vendor.product,
                            version,
                            automatic: conn.api_version.is_none(),
                            error: Box::new(error),
                        })
                    }
                    _ => return Err(attempt.failure(error)),
                }
            }
        };
        if conn.api_version.is_none() {
            if let Some(version) = version {
                if let Some(storage) = crate::store::local_storage() {
                    let _ = storage.set_item(&version_key(conn), &version);
                }
                store.versions.update(|v| {
                    v.insert(conn.id.clone(), version);
                });
            }
        }
        let creds = (log_on.credentials)(reply.rest_session, &reply.body, now_ms())?;
        hold(store, &conn.id, creds, keep);
        return Ok(());
    }
    Err(Failure::LogOnFirst)
}

/// Completes a log-on that asked for a second factor: the server's `token` from the first
/// answer and the user's one-time `code`.
pub async fn second_factor(
    store: Store,
    conn: &Connection,
    token: &str,
    code: &str,
    keep: bool,
    cancel: Option<web_sys::AbortSignal>,
) -> Result<(), Failure> {
    let conn = in_use(store, conn);
    let vendor = conn.kind.vendor();
    let Some((log_on, complete)) = vendor
        .sign_in
        .password
        .as_ref()
        .and_then(|p| Some((p, p.second_factor?)))
    else {
        return Err(Failure::NoPasswordLogOn {
            product: vendor.product,
        });
    };
    if code.trim().is_empty() {
        return Err(Failure::NoCode);
    }
    let call = complete(&conn, token, code);
    let reply = http::send(&conn.channel(cancel), &call)
        .await
        .map_err(|error| conn.failure(error))?;
    let creds = (log_on.credentials)(reply.rest_session, &reply.body, now_ms())?;
    hold(store, &conn.id, creds, keep);
    Ok(())
}

/// Keeps a pasted token in memory.
pub fn use_token(store: Store, conn: &Connection, token: &str, keep: bool) -> Result<(), Failure> {
    if token.trim().is_empty() {
        return Err(Failure::NoToken);
    }
    let creds = (conn.kind.vendor().sign_in.pasted)(token);
    hold(store, &conn.id, creds, keep);
    Ok(())
}

/// Logs off at the vendor where it has a log-off call (EM, VBA), then forgets the credentials
/// whatever the answer: the user asked to be signed out.
pub async fn sign_out(store: Store, conn: &Connection) -> Result<(), Failure> {
    let conn = &in_use(store, conn);
    let call =
        credentials(store, conn).and_then(|c| (conn.kind.vendor().sign_in.log_off)(conn, &c));
    forget(store, &conn.id);
    match call {
        Some(call) => http::send(&conn.channel(None), &call)
            .await
            .map(|_| ())
            .map_err(|error| Failure::LogOff {
                product: conn.kind.product(),
                error,
            }),
        None => Ok(()),
    }
}

/// Forgets a connection's credentials (and the version its log-on found), in memory and in
/// `sessionStorage`.
pub fn forget(store: Store, conn_id: &str) {
    store.versions.update(|v| {
        v.remove(conn_id);
    });
    store.kept.update_value(|k| k.retain(|i| i != conn_id));
    store.credentials.update(|c| {
        c.remove(conn_id);
    });
    persist(store);
}

/// The request that renews `creds`, where its vendor renews grants and they hold a refresh
/// token.
pub fn renewal(conn: &Connection, creds: &Credentials) -> Option<http::Call> {
    let refresh = conn.kind.vendor().sign_in.refresh?;
    Some(refresh(conn, creds.refresh_token()?))
}

/// Whether a grant's access token expires within the margin and can be renewed.
pub fn needs_renewal(conn: &Connection, creds: &Credentials, now_ms: i64) -> bool {
    creds.expires_soon(now_ms) && renewal(conn, creds).is_some()
}

/// Exchanges a refresh token for a new grant and keeps it; on failure the credentials are
/// dropped and the user is asked to log on again.
pub(super) async fn renew(
    store: Store,
    conn: &Connection,
    creds: &Credentials,
) -> Result<Credentials, Failure> {
    let vendor = conn.kind.vendor();
    let (Some(call), Some(log_on)) = (renewal(conn, creds), &vendor.sign_in.password) else {
        return Err(Failure::LogOnFirst);
    };
    let fresh = match http::send(&conn.channel(None), &call).await {
        Ok(reply) => (log_on.credentials)(None, &reply.body, now_ms()).map_err(Failure::from),
        Err(error) => Err(conn.failure(error)),
    };
    match fresh {
        Ok(fresh) => {
            let keep = store.kept.with_value(|k| k.contains(&conn.id));
            hold(store, &conn.id, fresh.clone(), keep);
            Ok(fresh)
        }
        Err(e) => {
            forget(store, &conn.id);
            Err(Failure::Renewal(Box::new(e)))
        }
    }
}

pub(super) fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

impl Connection {
    /// How requests to this connection are sent: its kind, its time limit, whether CORS is
    /// involved, and what may cancel them.
    pub fn channel(&self, cancel: Option<web_sys::AbortSignal>) -> http::Channel {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        http::Channel {
            kind: self.kind,
            cross_origin: self.is_cross_origin(&origin),
            timeout_ms: self.timeout_s.saturating_mul(1000),
            cancel,
        }
    }

    /// A failed request to this connection.
    pub fn failure(&self, error: http::HttpError) -> Failure {
        Failure::Http {
            product: self.kind.product(),
            error,
        }
    }
}
