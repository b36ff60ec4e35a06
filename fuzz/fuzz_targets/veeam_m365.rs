//! The veeam_m365 adapter's entry points on arbitrary text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = session_viewer::vendors::veeam_m365::log_items(text);
    let _ = session_viewer::vendors::veeam_m365::job_sessions(&text.into());
});
