//! Enterprise Manager payloads exactly as sent. JSON uses the XML names in PascalCase, with
//! `null` for absent attributes; `xml.rs` reads the XML form into these same types.

use serde_json::value::RawValue;

use crate::vendors::{DecodeError, Fields, ItemError};

/// A `LogonSession`.
#[derive(Debug, Default, PartialEq)]
pub struct LogonSession {
    pub user_name: Option<String>,
    pub session_id: Option<String>,
    pub href: Option<String>,
    pub kind: Option<String>,
    pub links: Option<Vec<Link>>,
}

/// A `Link` of a `LogonSession`: the resources the account may reach.
#[derive(Debug, Default, PartialEq)]
pub struct Link {
    pub rel: Option<String>,
    pub kind: Option<String>,
    pub href: Option<String>,
    pub name: Option<String>,
}

impl LogonSession {
    pub fn read(raw: &RawValue) -> Result<Self, ItemError> {
        let f = Fields::read(raw)?;
        Ok(LogonSession {
            user_name: f.text("UserName")?,
            session_id: f.text("SessionId")?,
            href: f.text("Href")?,
            kind: f.text("Type")?,
            links: links(&f)?,
        })
    }
}

/// `Links`, each a [`Link`]; one of the wrong shape fails the item.
fn links(f: &Fields) -> Result<Option<Vec<Link>>, ItemError> {
    f.list("Links")?
        .map(|list| {
            list.into_iter()
                .map(|raw| {
                    let l = Fields::read(raw)?;
                    Ok(Link {
                        rel: l.text("Rel")?,
                        kind: l.text("Type")?,
                        href: l.text("Href")?,
                        name: l.text("Name")?,
                    })
                })
                .collect()
        })
        .transpose()
}

/// The key of the JSON list form `{"LogonSessions": [ … ]}` (inferred from the XML
/// `<LogonSessions>`).
pub const LOGON_SESSIONS: &str = "LogonSessions";

/// The items of a JSON list `{key: [ … ]}`, held raw.
pub fn list<'a>(
    text: &'a str,
    key: &'static str,
    expected: &str,
) -> Result<Vec<&'a RawValue>, DecodeError> {
    Fields::document(text, expected)?.items(key, expected)
}

/// The error body: `{"Message", "StatusCode", …}` in JSON, an `Error` element in XML.
#[derive(Debug, Default, PartialEq)]
pub struct Error {
    pub message: Option<String>,
    pub status_code: Option<u16>,
}

impl Error {
    /// The JSON form; `None` when it is not an object or a field has the wrong type.
    pub fn read(text: &str) -> Option<Self> {
        let f = Fields::parse(text).ok()?;
        Some(Error {
            message: f.text("Message").ok()?,
            status_code: match f.uint("StatusCode").ok()? {
                None => None,
                Some(n) => Some(u16::try_from(n).ok()?),
            },
        })
    }
}

/// A `BackupJobSession` entity (`GET /api/backupSessions?format=Entity`): one run of a backup job
/// on a backup server EM manages. `Href`, `Type`, `Name` and `UID` are attributes in XML.
#[derive(Debug, Default)]
pub struct BackupJobSession<'a> {
    /// `urn:veeam:BackupJobSession:{GUID}`.
    pub uid: Option<String>,
    pub href: Option<String>,
    /// `{JobName}@{start}`.
    pub name: Option<String>,
    pub job_uid: Option<String>,
    pub job_name: Option<String>,
    pub job_type: Option<String>,
    pub creation_time_utc: Option<String>,
    /// `null` (JSON) or absent (XML) while the session runs.
    pub end_time_utc: Option<String>,
    pub state: Option<String>,
    pub result: Option<String>,
    /// A percentage: a number in JSON, text in XML. Held raw (see `convert::scalar_text`): an
    /// untagged enum would buffer every session through serde's `Content`, and a
    /// `serde_json::Number` would bring float formatting.
    pub progress: Option<&'a RawValue>,
    /// A boolean in JSON, `true`/`false` text in XML.
    pub is_retry: Option<&'a RawValue>,
}

impl<'a> BackupJobSession<'a> {
    /// One entity as JSON text (XML entities are written as JSON by `xml.rs`).
    pub fn read(text: &'a str) -> Result<Self, ItemError> {
        let f = Fields::parse(text)?;
        Ok(BackupJobSession {
            uid: f.text("UID")?,
            href: f.text("Href")?,
            name: f.text("Name")?,
            job_uid: f.text("JobUid")?,
            job_name: f.text("JobName")?,
            job_type: f.text("JobType")?,
            creation_time_utc: f.text("CreationTimeUTC")?,
            end_time_utc: f.text("EndTimeUTC")?,
            state: f.text("State")?,
            result: f.text("Result")?,
            progress: f.raw("Progress"),
            is_retry: f.raw("IsRetry"),
        })
    }
}

/// A `BackupTaskSession` entity (`GET /api/backupSessions/{id}/taskSessions`): one object (VM)
/// a backup job session processed.
#[derive(Debug, Default)]
pub struct BackupTaskSession {
    pub uid: Option<String>,
    pub name: Option<String>,
    pub vm_display_name: Option<String>,
    pub creation_time_utc: Option<String>,
    pub end_time_utc: Option<String>,
    pub state: Option<String>,
    pub result: Option<String>,
    /// Why the task warned or failed; empty when it succeeded.
    pub reason: Option<String>,
    /// The task's parent job session is the `Up` link to `/backupSessions/{id}`.
    pub links: Option<Vec<Link>>,
}

impl BackupTaskSession {
    /// One entity as JSON text (XML entities are written as JSON by `xml.rs`).
    pub fn read(text: &str) -> Result<Self, ItemError> {
        let f = Fields::parse(text)?;
        Ok(BackupTaskSession {
            uid: f.text("UID")?,
            name: f.text("Name")?,
            vm_display_name: f.text("VmDisplayName")?,
            creation_time_utc: f.text("CreationTimeUTC")?,
            end_time_utc: f.text("EndTimeUTC")?,
            state: f.text("State")?,
            result: f.text("Result")?,
            reason: f.text("Reason")?,
            links: links(&f)?,
        })
    }
}

/// The key of the JSON job session list, to tell it from a single entity.
pub const BACKUP_JOB_SESSIONS: &str = "BackupJobSessions";
/// The key of the JSON task session list.
pub const BACKUP_TASK_SESSIONS: &str = "BackupTaskSessions";
