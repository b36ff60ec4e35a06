//! Enterprise Manager payloads exactly as sent. JSON uses the XML names in PascalCase, with
//! `null` for absent attributes; `xml.rs` reads the XML form into these same types.

use serde::Deserialize;
use serde_json::value::RawValue;

/// A `LogonSession`.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct LogonSession {
    pub user_name: Option<String>,
    pub session_id: Option<String>,
    pub href: Option<String>,
    #[serde(rename = "Type")]
    pub kind: Option<String>,
    pub links: Option<Vec<Link>>,
}

/// A `Link` of a `LogonSession`: the resources the account may reach.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Link {
    pub rel: Option<String>,
    #[serde(rename = "Type")]
    pub kind: Option<String>,
    pub href: Option<String>,
    pub name: Option<String>,
}

/// The JSON list form `{"LogonSessions": [ … ]}` (inferred from the XML `<LogonSessions>`).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LogonSessionList<'a> {
    #[serde(borrow)]
    pub logon_sessions: Vec<&'a RawValue>,
}

/// The error body: `{"Message", "StatusCode", …}` in JSON, an `Error` element in XML.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Error {
    pub message: Option<String>,
    pub status_code: Option<u16>,
}

/// A `BackupJobSession` entity (`GET /api/backupSessions?format=Entity`): one run of a backup job
/// on a backup server EM manages. `Href`, `Type`, `Name` and `UID` are attributes in XML.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BackupJobSession {
    /// `urn:veeam:BackupJobSession:{GUID}`.
    #[serde(rename = "UID")]
    pub uid: Option<String>,
    pub href: Option<String>,
    /// `{JobName}@{start}`.
    pub name: Option<String>,
    pub job_uid: Option<String>,
    pub job_name: Option<String>,
    pub job_type: Option<String>,
    #[serde(rename = "CreationTimeUTC")]
    pub creation_time_utc: Option<String>,
    /// `null` (JSON) or absent (XML) while the session runs.
    #[serde(rename = "EndTimeUTC")]
    pub end_time_utc: Option<String>,
    pub state: Option<String>,
    pub result: Option<String>,
    /// A percentage: a number in JSON, text in XML. Held raw (see `convert::scalar_text`): an
    /// untagged enum would buffer every session through serde's `Content`, and a
    /// `serde_json::Number` would bring float formatting.
    pub progress: Option<Box<RawValue>>,
    /// A boolean in JSON, `true`/`false` text in XML.
    pub is_retry: Option<Box<RawValue>>,
}

/// A `BackupTaskSession` entity (`GET /api/backupSessions/{id}/taskSessions`): one object (VM)
/// a backup job session processed.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct BackupTaskSession {
    #[serde(rename = "UID")]
    pub uid: Option<String>,
    pub name: Option<String>,
    pub vm_display_name: Option<String>,
    #[serde(rename = "CreationTimeUTC")]
    pub creation_time_utc: Option<String>,
    #[serde(rename = "EndTimeUTC")]
    pub end_time_utc: Option<String>,
    pub state: Option<String>,
    pub result: Option<String>,
    /// Why the task warned or failed; empty when it succeeded.
    pub reason: Option<String>,
    /// The task's parent job session is the `Up` link to `/backupSessions/{id}`.
    pub links: Option<Vec<Link>>,
}

/// The JSON list `{"BackupJobSessions": [ … ]}`.
#[derive(Deserialize)]
pub struct BackupJobSessionList<'a> {
    #[serde(rename = "BackupJobSessions", borrow)]
    pub items: Vec<&'a RawValue>,
}

/// The JSON list `{"BackupTaskSessions": [ … ]}`.
#[derive(Deserialize)]
pub struct BackupTaskSessionList<'a> {
    #[serde(rename = "BackupTaskSessions", borrow)]
    pub items: Vec<&'a RawValue>,
}

/// The key of the JSON job session list, to tell it from a single entity.
pub const BACKUP_JOB_SESSIONS: &str = "BackupJobSessions";
/// The key of the JSON task session list.
pub const BACKUP_TASK_SESSIONS: &str = "BackupTaskSessions";
