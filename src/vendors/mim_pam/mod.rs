//! Microsoft Identity Manager PAM REST API: `GET /api/session/sessioninfo`.

pub mod api;
mod convert;
mod wire;

pub use api::VENDOR;

pub use convert::{error_body, session_info, EXPECTED};
