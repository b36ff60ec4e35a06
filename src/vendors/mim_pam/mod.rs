//! Microsoft Identity Manager PAM REST API: `GET /api/session/sessioninfo`.

pub mod api;
mod convert;
mod wire;

pub use api::VENDOR;

pub use convert::{
    error_body, pam_requests, pam_roles, request_status, seconds_in_words, session_info, EXPECTED,
    EXPECTED_REQUESTS, EXPECTED_ROLES,
};
