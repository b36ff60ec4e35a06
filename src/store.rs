//! The documents the user has opened in this tab (files and samples), shared by every view.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;

use crate::connections::config::{Config, ConfigError, Connection};
use crate::connections::Credentials;
use crate::import::read_payload;
use crate::model::SessionList;
use crate::vendors::contract::Sample;
use crate::vendors::{Kind, Payload};

pub use crate::model::Content;

/// One opened payload, addressable by its id in routes (`/log/:id`, `/sessions/:id`, `/logon/:id`).
#[derive(Clone, Debug, PartialEq)]
pub struct Doc {
    /// `file-N` for opened files, `sample-<kind>` for bundled samples.
    pub id: String,
    /// The file name, or the sample's title.
    pub name: String,
    pub kind: Kind,
    pub content: Content,
    /// The connection it was fetched from, for following links (a session to its log).
    pub connection: Option<String>,
    /// For a log fetched from a connection, where exactly, so that it can be fetched again.
    pub origin: Option<LogOrigin>,
    /// For a list fetched from a connection, which of its vendor's lists it is.
    pub list_id: Option<&'static str>,
    /// For such a list whose server takes a filter beside the window, the value it was asked
    /// with (`Window::only`; empty: none).
    pub only: Option<String>,
}

/// Where a live log was fetched from: its connection, session and the log's API path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogOrigin {
    pub connection: String,
    pub session_id: String,
    pub log_path: String,
}

/// A view that needs its connection logged on (again), to come back to afterwards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relogon {
    pub connection: String,
    /// The view's path and query, once the shell has filled it in.
    pub back: Option<String>,
    /// The server ended the session (401), rather than nobody having logged on yet.
    pub ended: bool,
}

/// What became of one file the user opened.
#[derive(Clone, Debug, PartialEq)]
pub enum Opened {
    Doc(String),
    Failed { name: String, error: String },
}

/// The bundled samples: each vendor page's own example, in [`Kind::ALL`]'s order (the first is
/// the home page's "Try a sample").
/// The browser's `localStorage`, where it has one (and the user allows it): what the app keeps
/// across visits (connections without secrets, column choices, the time zone, API versions found).
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn samples() -> impl Iterator<Item = &'static Sample> {
    Kind::ALL.into_iter().map(|k| &k.vendor().sample)
}

/// A bundled sample's bytes, fetched from beside `index.html`.
async fn sample_bytes(sample: &Sample) -> Result<Vec<u8>, DocError> {
    let response = gloo_net::http::Request::get(sample.path)
        .send()
        .await
        .map_err(|e| DocError::Fetch(e.to_string()))?;
    if !response.ok() {
        return Err(DocError::Fetch(format!("HTTP {}.", response.status())));
    }
    response
        .binary()
        .await
        .map_err(|e| DocError::Read(format!("The sample could not be read: {e}")))
}

/// How many times each bundled sample is read by [`warm_readers`].
const WARM_READS: usize = 1000;

/// Makes the payload readers ready before a file is read: each bundled sample (every vendor's)
/// is read [`WARM_READS`] times, opening nothing. V8 runs a wasm function in its baseline tier
/// until it has run a while, and a running loop stays in its tier: 100 000 sessions opened first
/// read in 231 ms, in 181 ms after 3 000 (medians of 6; after 300, no change); with this warm-up
/// 143 → 127 ms (8-run A/B). Returns the sessions of the first sample that is a list, for the
/// list's own warm-up.
pub async fn warm_readers() -> Option<Arc<SessionList>> {
    let mut list = None;
    for sample in samples() {
        let Ok(bytes) = sample_bytes(sample).await else {
            continue;
        };
        for _ in 0..WARM_READS {
            if let Ok(Payload {
                content: Content::Sessions(sessions),
                ..
            }) = read_payload(bytes.clone())
            {
                list.get_or_insert(sessions);
            }
        }
    }
    list
}

/// Why a document an address names (a bundled sample, a connection's list or log) could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocError {
    /// Occurs when a deep link names a sample that does not exist.
    Unknown(String),
    /// Occurs when the sample file could not be fetched (the static host lacks it).
    Fetch(String),
    /// Occurs when the sample's body could not be read or adapted (or, for a connection's
    /// document fetched again, when the fetch failed: the failure's sentence).
    Read(String),
    /// Occurs when an address names a connection's document and no such connection is known.
    NotConfigured,
}

impl std::fmt::Display for DocError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DocError::Unknown(id) => write!(f, "There is no sample called “{id}”."),
            DocError::Fetch(why) => write!(f, "The sample could not be fetched: {why}"),
            DocError::Read(why) => f.write_str(why),
            DocError::NotConfigured => f.write_str(
                "This came from a connection that is not configured here: the home page lists the connections.",
            ),
        }
    }
}

impl Doc {
    /// The vendor's list this document was fetched as: the one named, else the first.
    pub fn list(&self) -> Option<&'static crate::vendors::contract::ListApi> {
        let lists = self.kind.vendor().lists;
        match self.list_id {
            Some(id) => lists.iter().find(|l| l.id == id),
            None => lists.first(),
        }
    }

    /// The route that shows this document.
    pub fn href(&self) -> String {
        let view = match self.content {
            Content::Log(_) => "log",
            Content::Sessions(_) => "sessions",
            Content::Logons(_) => "logon",
        };
        format!("/{view}/{}", self.id)
    }

    /// "5 entries", "2 sessions", "1 logon session".
    pub fn summary(&self) -> String {
        let (n, one, many) = match &self.content {
            Content::Log(l) => (l.entries.len(), "entry", "entries"),
            Content::Sessions(s) => (s.sessions.len(), "session", "sessions"),
            Content::Logons(s) => (s.sessions.len(), "logon session", "logon sessions"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

/// App-wide state, provided as context by the shell. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Store {
    docs: RwSignal<Vec<Doc>>,
    next_file: StoredValue<usize>,
    /// `config.json`: `None` while loading.
    pub config: RwSignal<Option<Result<Config, ConfigError>>>,
    /// Credentials by connection id. In memory, and in `sessionStorage` only for the connections
    /// in `kept`; never in `localStorage`, URLs or logs.
    pub credentials: RwSignal<HashMap<String, Credentials>>,
    /// A view needs a log-on to a connection: the shell fills in the view's path and shows the
    /// log-on form, and the card returns there once signed in.
    pub relogon: RwSignal<Option<Relogon>>,
    /// Connections whose credentials the user asked to keep for this tab (`sessionStorage`).
    pub kept: StoredValue<Vec<String>>,
    /// Connections added in the connection editor (in `localStorage`, without secrets).
    pub saved: RwSignal<Vec<Connection>>,
    /// What of the saved connections could not be used, one sentence each.
    pub saved_problems: RwSignal<Vec<String>>,
    /// The API version each connection that finds its own (VBA "automatic") found at log-on.
    pub versions: RwSignal<HashMap<String, String>>,
}

impl Store {
    pub fn new() -> Store {
        Store {
            docs: RwSignal::new(Vec::new()),
            next_file: StoredValue::new(0),
            config: RwSignal::new(None),
            credentials: RwSignal::new(HashMap::new()),
            relogon: RwSignal::new(None),
            kept: StoredValue::new(Default::default()),
            saved: RwSignal::new(Vec::new()),
            saved_problems: RwSignal::new(Vec::new()),
            versions: RwSignal::new(HashMap::new()),
        }
    }

    /// Every opened document, in the order opened (reactive).
    pub fn docs(&self) -> Vec<Doc> {
        self.docs.get()
    }

    /// `f` over every opened document, without copying them (reactive).
    pub fn with_docs<T>(&self, f: impl FnOnce(&[Doc]) -> T) -> T {
        self.docs.with(|docs| f(docs))
    }

    /// `f` over every opened document, outside any reactive tracking.
    pub fn with_docs_untracked<T>(&self, f: impl FnOnce(&[Doc]) -> T) -> T {
        self.docs.with_untracked(|docs| f(docs))
    }

    /// The document with this id, if it is open (reactive).
    pub fn doc(&self, id: &str) -> Option<Doc> {
        self.docs
            .with(|docs| docs.iter().find(|d| d.id == id).cloned())
    }

    /// The document with this id, if it is open, outside any reactive tracking.
    pub fn doc_untracked(&self, id: &str) -> Option<Doc> {
        self.docs
            .with_untracked(|docs| docs.iter().find(|d| d.id == id).cloned())
    }

    /// Adapts one file's bytes and, if it reads, opens it under a new `file-N` id.
    /// The bytes become the document's text without a copy.
    pub fn open_bytes(&self, name: String, bytes: Vec<u8>) -> Opened {
        match crate::perf::timed("sv:load", || read_payload(bytes)) {
            Ok(payload) => {
                let n = self.next_file.get_value();
                self.next_file.set_value(n + 1);
                let id = format!("file-{n}");
                self.insert(id.clone(), name, payload, None);
                Opened::Doc(id)
            }
            Err(e) => Opened::Failed {
                name,
                error: e.to_string(),
            },
        }
    }

    /// Opens a bundled sample (fetched from beside `index.html`) unless it is open already, and
    /// returns the route that shows it.
    pub async fn open_sample(&self, id: &str) -> Result<String, DocError> {
        if let Some(doc) = self
            .docs
            .with_untracked(|d| d.iter().find(|d| d.id == id).cloned())
        {
            return Ok(doc.href());
        }
        let Some(sample) = samples().find(|s| s.id == id) else {
            return Err(DocError::Unknown(id.to_string()));
        };
        let bytes = sample_bytes(sample).await?;
        let payload = crate::perf::timed("sv:load", || read_payload(bytes))
            .map_err(|e| DocError::Read(e.to_string()))?;
        Ok(self.insert(id.to_string(), sample.title.to_string(), payload, None))
    }

    /// Adds (or replaces) a document and returns its route.
    pub fn insert(
        &self,
        id: String,
        name: String,
        payload: Payload,
        connection: Option<String>,
    ) -> String {
        self.put(id, name, payload, connection, None, (None, None))
    }

    /// Adds (or replaces) a list fetched from a connection, as the vendor's list `list_id`.
    pub fn insert_list(
        &self,
        id: String,
        name: String,
        payload: Payload,
        connection: String,
        list_id: &'static str,
        only: Option<String>,
    ) -> String {
        let list = (Some(list_id), only);
        self.put(id, name, payload, Some(connection), None, list)
    }

    /// Adds (or replaces, keeping its id and so its route) a log fetched from a connection.
    pub fn insert_live_log(
        &self,
        id: String,
        name: String,
        payload: Payload,
        origin: LogOrigin,
    ) -> String {
        let connection = Some(origin.connection.clone());
        self.put(id, name, payload, connection, Some(origin), (None, None))
    }

    fn put(
        &self,
        id: String,
        name: String,
        payload: Payload,
        connection: Option<String>,
        origin: Option<LogOrigin>,
        (list_id, only): (Option<&'static str>, Option<String>),
    ) -> String {
        let Payload { kind, content } = payload;
        let doc = Doc {
            id,
            name,
            kind,
            content,
            connection,
            origin,
            list_id,
            only,
        };
        let href = doc.href();
        self.docs.update(|docs| {
            docs.retain(|d| d.id != doc.id);
            docs.push(doc);
        });
        // Model ready: the session list measures `sv:render` from here.
        crate::perf::mark("sv:ready");
        href
    }
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}
