//! Veeam Backup for Microsoft 365 (REST v3): `GET /v3/JobSessions/{id}/LogItems` and job sessions.

pub mod api;
mod convert;
mod wire;

pub use api::VENDOR;

pub use convert::{
    job_sessions, jobs, log_items, title_status, EXPECTED_JOB_SESSIONS, EXPECTED_LOG_ITEMS,
};
