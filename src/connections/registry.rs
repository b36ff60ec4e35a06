//! The connections the app knows: `config.json`'s (read once at start) and the editor's (kept in
//! `localStorage` without any secret), loaded into the store, saved, removed and looked up.

use leptos::prelude::*;

use crate::connections::config::{
    self, parse_config, Config, ConfigError, Connection, Draft, Invalid,
};
use crate::connections::{saved, signing};
use crate::store::{local_storage, Store};
use crate::vendors::Kind;

/// Fetches `config.json` from beside `index.html`. No file means no connections, not an error.
pub async fn load_config(store: Store) {
    let result = match gloo_net::http::Request::get("config.json").send().await {
        Ok(r) if r.status() == 404 => Ok(Config::default()),
        Ok(r) if r.ok() => match r.text().await {
            // A host that answers every unknown path with the app's own page (the SPA fallback)
            // has no config.json either.
            Ok(text) if config::is_html(&text) => Ok(Config::default()),
            Ok(text) => parse_config(&text),
            Err(e) => Err(ConfigError::Body(e.to_string())),
        },
        Ok(r) => Err(ConfigError::Status(r.status())),
        Err(e) => Err(ConfigError::Fetch(e.to_string())),
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
    signing::restore(store, &known);
    store.config.set(Some(result));
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
            let kind = draft.kind.as_deref().and_then(Kind::from_id);
            let label = draft.label.as_deref().unwrap_or_default();
            config::new_id(label, kind.map_or("connection", Kind::id), &taken)
        }
    };
    draft.id = Some(id.clone());
    let conn = config::validate(draft, &taken, config::DEFAULT_TIMEOUT_S)?;
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
        signing::forget(store, &id);
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
        let _ = signing::sign_out(store, &conn).await;
    });
}

/// Every connection: `config.json`'s, then the editor's.
pub fn all(store: Store) -> Vec<Connection> {
    let mut all = store.config.with_untracked(|c| {
        c.as_ref()
            .and_then(|c| c.as_ref().ok())
            .map(|c| c.connections.clone())
            .unwrap_or_default()
    });
    all.extend(store.saved.get_untracked());
    all
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
