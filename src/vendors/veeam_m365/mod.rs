//! Veeam Backup for Microsoft 365 (REST v3, and v6–v8 as today's servers serve them):
//! `GET /vN/JobSessions/{id}/LogItems`, job sessions and the jobs that name them.

pub mod api;
mod convert;
mod wire;

pub use api::VENDOR;

pub use convert::{
    item_type_status, job_sessions, jobs, log_items, title_status, EXPECTED_JOBS,
    EXPECTED_JOB_SESSIONS, EXPECTED_LOG_ITEMS,
};
