//! Ekran System: `GET /ekranapi/sessions?start=&end=` and the paged `POST /ekranapi/sessions`.

mod convert;
mod wire;

pub use convert::{parse_timespan, sessions, EXPECTED};
