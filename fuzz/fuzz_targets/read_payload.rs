//! "Open file" on arbitrary bytes: shape detection plus whichever adapter it picks.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = session_viewer::import::read_payload(data);
});
