//! One routed page per file. Pages fetch what they show through the store and draw it with
//! components; they know no vendor field names.

pub mod doc;
pub mod home;
pub mod job;
pub mod log;
pub mod logon_session;
pub mod not_found;
pub mod sessions;
