//! Microsoft Identity Manager PAM REST API: `GET /api/session/sessioninfo`.

mod convert;
mod wire;

pub use convert::{error_body, session_info, EXPECTED};
