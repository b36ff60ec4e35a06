//! Live connections: everything between a configured connection and the documents it fetches.
//!
//! - [`config`]: `config.json` and the one field-by-field check of a connection (shared with the
//!   editor and `localStorage`); [`saved`]: the editor's connections in `localStorage`;
//! - [`credentials`]: what a signed-in connection holds; [`keep`]: "keep me signed in for this
//!   tab" in `sessionStorage`; [`signing`]: signing in, renewing and out;
//! - [`fetching`]: lists page by page ([`paging`]), logs, followed [`links`], each request
//!   through `crate::http` with the connection's credentials; [`probe`]: "Check connection".
//!
//! Vendor specifics come from the vendor's contract (`crate::vendors::contract::Vendor`), never
//! from a match on the kind. Components call [`signing`] and [`fetching`], never `http`.

pub mod config;
pub mod credentials;
pub mod failure;
pub mod fetching;
pub mod keep;
pub mod links;
pub mod paging;
pub mod probe;
pub mod registry;
pub mod saved;
pub mod signing;

pub use config::{AuthMode, Config, Connection};
pub use credentials::{Credentials, REFRESH_MARGIN_MS};
pub use failure::Failure;
