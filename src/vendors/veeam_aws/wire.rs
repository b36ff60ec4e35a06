//! Veeam Backup for AWS payloads exactly as sent (camelCase JSON). Every field is optional here:
//! what is required is decided in `convert.rs`, so that one bad item can be skipped, not fatal.

use serde_json::value::RawValue;

use crate::vendors::{raw_bool, DecodeError, Fields, ItemError};

/// `SessionLog`: `{"sessionId": "…", "log": [LogItem, …]}`.
pub struct SessionLog<'a> {
    pub session_id: Option<String>,
    /// Kept raw so that each item is read on its own (and shown as sent in "show source").
    pub log: Vec<&'a RawValue>,
}

impl<'a> SessionLog<'a> {
    pub fn read(text: &'a str, expected: &str) -> Result<Self, DecodeError> {
        let f = Fields::document(text, expected)?;
        Ok(SessionLog {
            session_id: f.field("sessionId", expected)?,
            log: f.items("log", expected)?,
        })
    }
}

/// `LogItem`.
pub struct LogItem {
    pub status: Option<String>,
    pub log_time: Option<String>,
    pub message: Option<String>,
    pub execution_start_time: Option<String>,
    /// An integer whose unit the log page does not state; the session resource says milliseconds.
    pub execution_duration: Option<i64>,
}

impl LogItem {
    pub fn read(raw: &RawValue) -> Result<Self, ItemError> {
        let f = Fields::read(raw)?;
        Ok(LogItem {
            status: f.text("status")?,
            log_time: f.text("logTime")?,
            message: f.text("message")?,
            execution_start_time: f.text("executionStartTime")?,
            execution_duration: f.int("executionDuration")?,
        })
    }
}

/// `GET /api/v1/sessions`: `{"totalCount": n, "results": [Session, …]}`.
pub struct SessionPage<'a> {
    pub total_count: Option<u64>,
    pub results: Vec<&'a RawValue>,
}

impl<'a> SessionPage<'a> {
    pub fn read(text: &'a str, expected: &str) -> Result<Self, DecodeError> {
        let f = Fields::document(text, expected)?;
        Ok(SessionPage {
            total_count: f.field("totalCount", expected)?,
            results: f.items("results", expected)?,
        })
    }
}

/// A `Session` (`GET /api/v1/sessions/{id}`). The document requires `id`, `status`, `type` and
/// `usn`; here everything is optional, and fields that only add to the session's details are held
/// raw and read in `convert.rs` (`raw_text`, `raw_int`), so that a value of the wrong type there
/// cannot cost the session.
pub struct Session<'a> {
    pub id: Option<String>,
    /// From 1.7-rev0 (VBA 9) on.
    pub name: Option<&'a RawValue>,
    /// `SessionTypes`: `Policy`, `Job`, `Task`, `UserPolicy`, `RetentionActivity`, `RestoreTask`,
    /// `FLRTask`, `SelfBackupActivity`, `ImportPolicy`, `TombstoneRetention`.
    pub kind: Option<&'a RawValue>,
    /// From 1.7-rev0 (VBA 9) on: `PolicyBackup`, `PolicySnapshot`, `PolicyRdsSnapshot`, …
    pub extended_session_type: Option<&'a RawValue>,
    pub status: Option<String>,
    /// The outcome: a word in the documented schema (`Running`, `Success`, `Warning`, `Failed`,
    /// `Cancelled` (sic)), an object ([`DetailedResult`]) in some later revisions.
    pub result: Option<&'a RawValue>,
    pub reason: Option<&'a RawValue>,
    /// Update sequence number (an integer).
    pub usn: Option<&'a RawValue>,
    pub execution_start_time: Option<String>,
    pub execution_stop_time: Option<String>,
    /// Milliseconds (the session resource documents the unit).
    pub execution_duration: Option<i64>,
    /// `_links`: an array of [`Link`] in the document; an object keyed by relation in older
    /// answers. Read in `convert.rs`; a value of another shape costs the links, not the session.
    pub links: Option<&'a RawValue>,
}

impl<'a> Session<'a> {
    pub fn read(raw: &'a RawValue) -> Result<Self, ItemError> {
        let f = Fields::read(raw)?;
        Ok(Session {
            id: f.text("id")?,
            name: f.raw("name"),
            kind: f.raw("type"),
            extended_session_type: f.raw("extendedSessionType"),
            status: f.text("status")?,
            result: f.raw("result"),
            reason: f.raw("reason"),
            usn: f.raw("usn"),
            execution_start_time: f.text("executionStartTime")?,
            execution_stop_time: f.text("executionStopTime")?,
            execution_duration: f.int("executionDuration")?,
            links: f.raw("_links"),
        })
    }
}

/// The document's `Link`: `{method, rel, href}` (all three required there, optional here; the
/// method is not needed to read a session).
pub struct Link {
    pub rel: Option<String>,
    pub href: Option<String>,
}

impl Link {
    pub fn read(raw: &RawValue) -> Result<Self, ItemError> {
        let f = Fields::read(raw)?;
        Ok(Link {
            rel: f.text("rel")?,
            href: f.text("href")?,
        })
    }
}

/// A session's `result` in its object form (the other is a plain word).
pub struct DetailedResult {
    pub result: Option<String>,
    pub is_canceled: Option<bool>,
}

impl DetailedResult {
    pub fn read(raw: &RawValue) -> Result<Self, ItemError> {
        let f = Fields::read(raw)?;
        let is_canceled = match f.raw("isCanceled") {
            None => None,
            Some(b) => Some(raw_bool(Some(b)).ok_or(ItemError::Shape(
                "isCanceled: expected a boolean".to_string(),
            ))?),
        };
        Ok(DetailedResult {
            result: f.text("result")?,
            is_canceled,
        })
    }
}

/// RFC 7807 `application/problem+json`.
pub struct Problem {
    pub kind: Option<String>,
    pub title: Option<String>,
    pub status: Option<u16>,
    pub error_code: Option<String>,
    pub details: Option<String>,
    pub instance: Option<String>,
}

impl Problem {
    /// `None` when the body is not an object or a field has the wrong type.
    pub fn read(text: &str) -> Option<Self> {
        let f = Fields::parse(text).ok()?;
        Some(Problem {
            kind: f.text("type").ok()?,
            title: f.text("title").ok()?,
            status: match f.uint("status").ok()? {
                None => None,
                Some(n) => Some(u16::try_from(n).ok()?),
            },
            error_code: f.text("errorCode").ok()?,
            details: f.text("details").ok()?,
            instance: f.text("instance").ok()?,
        })
    }
}

/// `RESTLogin`, the log-on answer: only what says that a second factor is needed, held raw (a
/// value of another type means no challenge). (Its tokens are read by the shared grant reader;
/// this type has no `Debug`, so that none is ever printed.)
pub struct Login<'a> {
    pub mfa_enabled: Option<&'a RawValue>,
    pub mfa_token: Option<&'a RawValue>,
}

impl<'a> Login<'a> {
    /// `None` when the body is not an object.
    pub fn read(text: &'a str) -> Option<Self> {
        let f = Fields::parse(text).ok()?;
        Some(Login {
            mfa_enabled: f.raw("mfa_enabled"),
            mfa_token: f.raw("mfa_token"),
        })
    }
}
