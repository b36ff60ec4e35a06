//! Veeam Backup for AWS payloads exactly as sent (camelCase JSON). Every field is optional here:
//! what is required is decided in `convert.rs`, so that one bad item can be skipped, not fatal.

use serde::Deserialize;
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

/// A `Session` (`GET /api/v1/sessions/{id}`). Fields beyond `status` and the execution times are
/// read where present (inferred from the API reference, not from a seed page).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub status: Option<String>,
    /// The outcome: a word in the documented schema (`Running`, `Success`, `Warning`, `Failed`,
    /// `Cancelled` (sic)), an object in some later revisions.
    pub result: Option<SessionResult>,
    pub execution_start_time: Option<String>,
    pub execution_stop_time: Option<String>,
    /// Milliseconds (the session resource documents the unit).
    pub execution_duration: Option<i64>,
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

/// The log-on answer's MFA fields (`RESTLogin`): an account with a second factor gets
/// `mfa_enabled` and the token to complete the log-on with, instead of an access token.
#[derive(Deserialize)]
pub(super) struct Login {
    pub mfa_enabled: Option<bool>,
    pub mfa_token: Option<String>,
}
