//! Reusable parts of the views. Components draw; the maths they need lives in plain functions
//! beside them (`timeline/axis.rs`) or in `crate::format`.

pub mod auto_refresh;
pub mod clipboard;
pub mod connections;
pub mod cssom;
pub mod editor;
pub mod failure;
pub mod logon_details;
pub mod open_file;
pub mod session_list;
pub mod skipped;
pub mod status;
pub mod time;
pub mod timeline;
