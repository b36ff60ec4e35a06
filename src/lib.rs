//! Session Viewer: logon sessions, session logs and session lists from backup and
//! privileged-access products, read and drawn entirely in the browser.
//!
//! Data flows one way: bytes (a file, a sample, later a live response) → a vendor adapter in
//! [`vendors`] → the normalised [`model`] → [`views`] and [`components`], which only draw. The
//! README's architecture section has the code map and the invariants.

pub mod analysis;
pub mod app;
pub mod components;
pub mod connections;
pub mod embed;
pub mod format;
pub mod http;
pub mod import;
pub mod list;
pub mod model;
pub mod perf;
pub mod store;
pub mod vendors;
pub mod views;

pub use app::App;
