//! Veeam Backup for AWS payloads exactly as sent (camelCase JSON). Every field is optional here:
//! what is required is decided in `convert.rs`, so that one bad item can be skipped, not fatal.

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// `SessionLog`: `{"sessionId": "…", "log": [LogItem, …]}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionLog<'a> {
    pub session_id: Option<String>,
    /// Kept raw so that each item is read on its own (and shown as sent in "show source").
    #[serde(borrow)]
    pub log: Vec<&'a RawValue>,
}

/// `LogItem`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogItem {
    pub status: Option<String>,
    pub log_time: Option<String>,
    pub message: Option<String>,
    pub execution_start_time: Option<String>,
    /// An integer whose unit the log page does not state; the session resource says milliseconds.
    pub execution_duration: Option<i64>,
}

/// `GET /api/v1/sessions`: `{"totalCount": n, "results": [Session, …]}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionPage<'a> {
    pub total_count: Option<u64>,
    #[serde(borrow)]
    pub results: Vec<&'a RawValue>,
}

/// A `Session` (`GET /api/v1/sessions/{id}`). The document requires `id`, `status`, `type` and
/// `usn`; here everything is optional, and fields that only add to the session's details are read
/// leniently ([`lenient`]), so that a value of the wrong type there cannot cost the session.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub id: Option<String>,
    /// From 1.7-rev0 (VBA 9) on.
    #[serde(default, deserialize_with = "lenient")]
    pub name: Option<String>,
    /// `SessionTypes`: `Policy`, `Job`, `Task`, `UserPolicy`, `RetentionActivity`, `RestoreTask`,
    /// `FLRTask`, `SelfBackupActivity`, `ImportPolicy`, `TombstoneRetention`.
    #[serde(rename = "type", default, deserialize_with = "lenient")]
    pub kind: Option<String>,
    /// From 1.7-rev0 (VBA 9) on: `PolicyBackup`, `PolicySnapshot`, `PolicyRdsSnapshot`, …
    #[serde(default, deserialize_with = "lenient")]
    pub extended_session_type: Option<String>,
    pub status: Option<String>,
    /// The outcome: a word in the documented schema (`Running`, `Success`, `Warning`, `Failed`,
    /// `Cancelled` (sic)), an object in some later revisions.
    pub result: Option<SessionResult>,
    #[serde(default, deserialize_with = "lenient")]
    pub reason: Option<String>,
    /// Update sequence number (an integer).
    #[serde(default, deserialize_with = "lenient")]
    pub usn: Option<i64>,
    pub execution_start_time: Option<String>,
    pub execution_stop_time: Option<String>,
    /// Milliseconds (the session resource documents the unit).
    pub execution_duration: Option<i64>,
    #[serde(rename = "_links", default, deserialize_with = "lenient")]
    pub links: Option<Links>,
}

/// `_links`: an array of [`Link`] in the document; an object keyed by relation in older answers.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum Links {
    List(Vec<Link>),
    ByRel(std::collections::BTreeMap<String, Link>),
}

/// The document's `Link`: `{method, rel, href}` (all three required there, optional here; the
/// method is not needed to read a session).
#[derive(Deserialize)]
pub struct Link {
    // Plain options: inside the untagged `Links` a raw value cannot be held, and a link of the
    // wrong shape only costs the links (read leniently as a whole), never the session.
    pub rel: Option<String>,
    pub href: Option<String>,
}

/// A session's `result`, in either of the forms servers send.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum SessionResult {
    Word(String),
    Detailed {
        result: Option<String>,
        #[serde(rename = "isCanceled")]
        is_canceled: Option<bool>,
    },
}

/// RFC 7807 `application/problem+json`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub title: Option<String>,
    pub status: Option<u16>,
    pub error_code: Option<String>,
    pub details: Option<String>,
    pub instance: Option<String>,
}

/// `RESTLogin`, the log-on answer: only what says that a second factor is needed. (Its tokens are
/// read by the shared grant reader; this type has no `Debug`, so that none is ever printed.)
#[derive(Deserialize)]
pub struct Login {
    #[serde(default, deserialize_with = "lenient")]
    pub mfa_enabled: Option<bool>,
    #[serde(default, deserialize_with = "lenient")]
    pub mfa_token: Option<String>,
}

/// Reads a value of `T`, or `None` when it is null or of another shape.
fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    // Held as raw text, not a `serde_json::Value` (which would cost the bundle its whole tree).
    let raw = Box::<serde_json::value::RawValue>::deserialize(deserializer)?;
    Ok(serde_json::from_str(raw.get()).ok())
}
