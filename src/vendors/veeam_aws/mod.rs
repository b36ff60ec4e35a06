//! Veeam Backup for AWS: `GET /api/v1/sessions/{id}/log` (the session log), the session list,
//! and the log-on answer's MFA challenge.

pub mod api;
mod convert;
mod wire;

pub use api::VENDOR;

pub use convert::{error_body, log_status, mfa_challenge, session_log, session_status, sessions};
