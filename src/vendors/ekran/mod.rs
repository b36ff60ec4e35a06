//! Ekran System: `GET /ekranapi/sessions?start=&end=` and the paged `POST /ekranapi/sessions`.

pub mod api;
mod convert;
mod wire;

pub use api::VENDOR;

pub use convert::{parse_timespan, sessions, EXPECTED};
