//! The veeam_aws adapter's entry points on arbitrary text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = session_viewer::vendors::veeam_aws::session_log(text);
    let _ = session_viewer::vendors::veeam_aws::sessions(&text.into());
    let _ = session_viewer::vendors::veeam_aws::error_body(text);
});
