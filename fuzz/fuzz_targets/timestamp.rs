//! The timestamp parser on arbitrary text; whatever it accepts must render and read back.
#![no_main]
use libfuzzer_sys::fuzz_target;
use session_viewer::model::parse_timestamp;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(Some(t)) = parse_timestamp(text) {
        let again = parse_timestamp(&t.utc_rfc3339());
        assert_eq!(again.ok().flatten().map(|a| a.unix_micros()), Some(t.unix_micros()), "{text:?}");
        let _ = (t.source_display(), t.clock_display(), t.describe());
    }
});
