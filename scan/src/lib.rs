//! The byte-level readers every large payload goes through, kept in a crate of their own so
//! that the release build can compile them for speed while the app is compiled for size: at
//! `opt-level = "z"` every small helper in these loops stays a call. Reading 100 000 Ekran
//! sessions in Chromium (`sv:load`) took 284 ms with them at "z" and 222 ms with them here at 3,
//! for 0.7 KB more brotli (Cargo.toml says what the one-pass list reader's A/B read).
//! Natively (`examples/load_bench`) the whole app at 3 reads them in half the time of "z": that
//! is the ceiling. Nothing here knows a vendor or the model; the callers wrap what these return
//! into their own types and errors.

pub mod json;
pub mod time;
