//! How the list writes times: in the viewer's zone or in UTC, remembered in `localStorage` (a
//! preference, never a secret). Named `ShowTimesIn` so as not to be taken for the model's
//! `Zone` (a timestamp's written offset).

use crate::model::wall_clock;
use crate::store::local_storage;

/// Where the time-zone choice is remembered.
const KEY: &str = "session-viewer.time-zone";

/// How times are written: the viewer's zone or UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ShowTimesIn {
    Local,
    Utc,
}

impl ShowTimesIn {
    /// The remembered choice; local time when none is.
    pub(super) fn remembered() -> ShowTimesIn {
        let utc = local_storage()
            .and_then(|s| s.get_item(KEY).ok().flatten())
            .is_some_and(|z| z == "utc");
        ShowTimesIn::from_utc(utc)
    }

    pub(super) fn from_utc(utc: bool) -> ShowTimesIn {
        if utc {
            ShowTimesIn::Utc
        } else {
            ShowTimesIn::Local
        }
    }

    pub(super) fn is_utc(self) -> bool {
        self == ShowTimesIn::Utc
    }

    pub(super) fn remember(self) {
        if let Some(s) = local_storage() {
            let _ = s.set_item(KEY, if self.is_utc() { "utc" } else { "local" });
        }
    }

    fn offset_minutes(self, unix_us: i64) -> i16 {
        if self.is_utc() {
            return 0;
        }
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64((unix_us / 1000) as f64));
        // getTimezoneOffset is UTC − local in minutes; real zones are within ±14 h.
        (-(date.get_timezone_offset() as i32)).clamp(-14 * 60, 14 * 60) as i16
    }

    pub(super) fn show(self, unix_us: i64) -> String {
        wall_clock(unix_us, self.offset_minutes(unix_us), self.is_utc())
    }

    /// The zone as an export's header names it: `UTC`, or `local (Europe/Berlin)`; each written
    /// time carries its own offset.
    pub(super) fn name(self) -> String {
        if self.is_utc() {
            return "UTC".to_string();
        }
        let options =
            js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
                .resolved_options();
        match js_sys::Reflect::get(&options, &"timeZone".into())
            .ok()
            .and_then(|z| z.as_string())
        {
            Some(zone) => format!("local ({zone})"),
            None => "local".to_string(),
        }
    }

    /// A `datetime-local` value (the viewer's wall clock, or UTC when times are shown in UTC)
    /// as an instant.
    pub(super) fn read_input(self, text: &str) -> Option<i64> {
        let as_utc = crate::model::parse_timestamp(text)
            .ok()
            .flatten()?
            .unix_micros();
        // The offset at the instant read as UTC is right except within an hour of a DST change.
        Some(as_utc - i64::from(self.offset_minutes(as_utc)) * 60_000_000)
    }
}
