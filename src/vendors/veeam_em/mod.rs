//! Veeam Backup Enterprise Manager: `GET /api/logonSessions/{ID}` and `GET /api/logonSessions`,
//! in XML (the default) and JSON.

pub mod api;
mod convert;
mod wire;

pub use api::VENDOR;
mod xml;

pub use convert::{error_body, logon_sessions, EXPECTED};
