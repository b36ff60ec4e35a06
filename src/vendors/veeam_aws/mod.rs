//! Veeam Backup for AWS: `GET /api/v1/sessions/{id}/log` (the session log).

mod convert;
mod wire;

pub use convert::{log_status, session_log};
