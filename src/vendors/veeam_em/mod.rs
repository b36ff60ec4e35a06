//! Veeam Backup Enterprise Manager: `GET /api/logonSessions/{ID}` and `GET /api/logonSessions`,
//! in XML (the default) and JSON.

mod convert;
mod wire;
mod xml;

pub use convert::{error_body, logon_sessions, EXPECTED};
