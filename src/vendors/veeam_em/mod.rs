//! Veeam Backup Enterprise Manager: `GET /api/logonSessions/{ID}` and `GET /api/logonSessions`,
//! in XML (the default) and JSON.

pub mod api;
mod convert;
mod wire;

pub use api::VENDOR;
mod xml;

pub use convert::{
    backup_sessions, error_body, logon_sessions, session_status, task_sessions, EXPECTED,
    EXPECTED_BACKUP_SESSIONS, EXPECTED_TASK_SESSIONS,
};
