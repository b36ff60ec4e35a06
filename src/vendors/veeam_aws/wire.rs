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
