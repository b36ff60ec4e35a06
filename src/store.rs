//! The documents the user has opened in this tab (files and samples), shared by every view.

use std::sync::Arc;

use leptos::prelude::*;

use crate::import::{read_payload, Payload};
use crate::model::SessionLog;
use crate::vendors::Kind;

/// One opened payload, addressable by its id in routes (`/log/:id`).
#[derive(Clone, Debug, PartialEq)]
pub struct Doc {
    /// `file-N` for opened files, `sample-<kind>` for bundled samples.
    pub id: String,
    /// The file name, or the sample's title.
    pub name: String,
    pub kind: Kind,
    pub log: Arc<SessionLog>,
}

/// What became of one file the user opened.
#[derive(Clone, Debug, PartialEq)]
pub enum Opened {
    Doc(String),
    Failed { name: String, error: String },
}

/// The bundled samples: `(route id, file under public/samples/, title)`.
pub const SAMPLES: [(&str, &str, &str); 1] = [(
    "sample-veeam-aws",
    "samples/veeam-aws-session-log.json",
    "Veeam Backup for AWS session log (vendor example)",
)];

/// App-wide state, provided as context by the shell. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Store {
    docs: RwSignal<Vec<Doc>>,
    next_file: StoredValue<usize>,
}

impl Store {
    pub fn new() -> Store {
        Store {
            docs: RwSignal::new(Vec::new()),
            next_file: StoredValue::new(0),
        }
    }

    /// Every opened document, in the order opened (reactive).
    pub fn docs(&self) -> Vec<Doc> {
        self.docs.get()
    }

    /// The document with this id, if it is open (reactive).
    pub fn doc(&self, id: &str) -> Option<Doc> {
        self.docs
            .with(|docs| docs.iter().find(|d| d.id == id).cloned())
    }

    /// Adapts one file's bytes and, if it reads, opens it under a new `file-N` id.
    pub fn open_bytes(&self, name: String, bytes: &[u8]) -> Opened {
        match read_payload(bytes) {
            Ok(payload) => {
                let n = self.next_file.get_value();
                self.next_file.set_value(n + 1);
                let id = format!("file-{n}");
                self.insert(id.clone(), name, payload);
                Opened::Doc(id)
            }
            Err(e) => Opened::Failed {
                name,
                error: e.to_string(),
            },
        }
    }

    /// Opens a bundled sample (fetched from beside `index.html`) unless it is open already.
    pub async fn open_sample(&self, id: &str) -> Result<(), String> {
        if self.docs.with_untracked(|d| d.iter().any(|d| d.id == id)) {
            return Ok(());
        }
        let Some((_, path, title)) = SAMPLES.iter().find(|(sid, _, _)| *sid == id) else {
            return Err(format!("There is no sample called “{id}”."));
        };
        let response = gloo_net::http::Request::get(path)
            .send()
            .await
            .map_err(|e| format!("The sample could not be fetched: {e}"))?;
        if !response.ok() {
            return Err(format!(
                "The sample could not be fetched: HTTP {}.",
                response.status()
            ));
        }
        let bytes = response
            .binary()
            .await
            .map_err(|e| format!("The sample could not be read: {e}"))?;
        let payload = read_payload(&bytes).map_err(|e| e.to_string())?;
        self.insert(id.to_string(), title.to_string(), payload);
        Ok(())
    }

    fn insert(&self, id: String, name: String, payload: Payload) {
        let Payload::SessionLog { kind, log } = payload;
        let doc = Doc {
            id,
            name,
            kind,
            log: Arc::new(log),
        };
        self.docs.update(|docs| {
            docs.retain(|d| d.id != doc.id);
            docs.push(doc);
        });
    }
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}
