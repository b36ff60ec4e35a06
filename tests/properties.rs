//! Property tests over the timestamp parser, the .NET TimeSpan parser, the duration words, the
//! timeline's windowing and zoom maths and followed links' API paths: generated values, checked
//! against an independent reference or an invariant.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use session_viewer::analysis::{step_key, VirtualRows};
use session_viewer::components::timeline::axis::{Viewport, MIN_VIEW_US};
use session_viewer::connections::links::target;
use session_viewer::format::duration_words;
use session_viewer::model::{parse_timestamp, Duration, Precision, Zone};
use session_viewer::vendors::ekran::parse_timespan;
use session_viewer::vendors::Kind;

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm), as a
/// reference independent of the parser's use of the `time` crate.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A valid calendar date.
fn date() -> impl Strategy<Value = (i64, i64, i64)> {
    (1i64..=9999, 1i64..=12).prop_flat_map(|(y, m)| (Just(y), Just(m), 1..=days_in_month(y, m)))
}

/// A zone as written: none, `Z`, or an offset in minutes.
fn zone() -> impl Strategy<Value = Option<Option<i64>>> {
    prop_oneof![
        Just(None),
        Just(Some(None)),
        (-(23i64 * 60 + 59)..=(23 * 60 + 59)).prop_map(|m| Some(Some(m)))
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any well-formed timestamp parses to the instant the reference computes, with the zone and
    /// precision it was written with.
    #[test]
    fn written_timestamps_parse_to_the_reference_instant(
        (y, mo, d) in date(),
        h in 0i64..24, mi in 0i64..60, s in 0i64..60,
        fraction in proptest::option::of("[0-9]{1,9}"),
        zone in zone(),
        sep in prop_oneof![Just('T'), Just(' ')],
    ) {
        let mut text = format!("{y:04}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}");
        if let Some(f) = &fraction {
            text.push('.');
            text.push_str(f);
        }
        match zone {
            None => {}
            Some(None) => text.push('Z'),
            Some(Some(m)) => text.push_str(&format!("{}{:02}:{:02}", if m < 0 { '-' } else { '+' }, m.abs() / 60, m.abs() % 60)),
        }
        let micros = fraction.as_deref().map_or(0, |f| format!("{:0<6}", &f[..f.len().min(6)]).parse::<i64>().unwrap_or(0));
        let offset = zone.flatten().unwrap_or(0);
        let expected = (days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset * 60) * 1_000_000 + micros;
        let parsed = parse_timestamp(&text);
        let is_sentinel = (y, mo, d, h, mi, s, micros) == (1, 1, 1, 0, 0, 0, 0);
        match parsed {
            Ok(None) => prop_assert!(is_sentinel, "{text} read as not set"),
            Ok(Some(t)) => {
                prop_assert!(!is_sentinel);
                prop_assert_eq!(t.unix_micros(), expected, "{}", text);
                let want_zone = match zone { None => Zone::Unspecified, Some(None) => Zone::Utc, Some(Some(m)) => Zone::Offset(m as i16) };
                prop_assert_eq!(t.zone(), want_zone);
                let digits = fraction.as_ref().map_or(0, |f| f.len() as u8);
                prop_assert_eq!(t.precision(), Precision::Second { fraction_digits: digits });
                // The UTC rendering reads back to the same instant.
                let again = parse_timestamp(&t.utc_rfc3339());
                prop_assert_eq!(again.ok().flatten().map(|a| a.unix_micros()), Some(expected));
            }
            Err(e) => prop_assert!(false, "{} failed: {}", text, e),
        }
    }

    /// Impossible days are refused, whatever else is right.
    #[test]
    fn days_past_the_end_of_the_month_are_refused((y, mo) in (1i64..=9999, 1i64..=12), extra in 1i64..=3) {
        let d = days_in_month(y, mo) + extra;
        prop_assume!(d <= 99);
        let text = format!("{y:04}-{mo:02}-{d:02}T00:00:00Z");
        prop_assert!(parse_timestamp(&text).is_err(), "{}", text);
    }

    /// Any text at all gives a value or an error, never a panic, and an error quotes at most 64
    /// characters of it.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,80}|[0-9T:.+\\-Z ]{0,40}") {
        if let Err(e) = parse_timestamp(&text) {
            prop_assert!(e.input.chars().count() <= 64);
        }
    }

    /// A TimeSpan written from its parts reads back to the same length.
    #[test]
    fn timespans_round_trip(days in proptest::option::of(0i64..100_000), h in 0i64..24, m in 0i64..60, s in 0i64..60, f in proptest::option::of("[0-9]{1,7}"), negative in any::<bool>()) {
        let mut text = String::new();
        if negative { text.push('-'); }
        if let Some(d) = days { text.push_str(&format!("{d}.")); }
        text.push_str(&format!("{h:02}:{m:02}:{s:02}"));
        if let Some(f) = &f { text.push('.'); text.push_str(f); }
        let micros = f.as_deref().map_or(0, |f| format!("{:0<6}", &f[..f.len().min(6)]).parse::<i64>().unwrap_or(0));
        let total = ((days.unwrap_or(0) * 86_400 + h * 3600 + m * 60 + s) * 1_000_000 + micros) * if negative { -1 } else { 1 };
        prop_assert_eq!(parse_timespan(&text).map(Duration::micros), Some(total), "{}", text);
    }

    /// Duration words: never empty, a unit always shown, the sign mirrored, and never more than
    /// two units.
    #[test]
    fn duration_words_are_short_and_signed(us in any::<i64>()) {
        let words = duration_words(Duration::from_micros(us));
        prop_assert!(!words.is_empty());
        prop_assert!(["ms", " s", "min", " h", " d"].iter().any(|u| words.contains(u)), "{}", words);
        prop_assert!(words.split(' ').count() <= 4, "{}", words);
        if us < 0 && us != i64::MIN {
            prop_assert_eq!(words.clone(), format!("−{}", duration_words(Duration::from_micros(-us))));
        }
    }

    /// Longer never reads as a smaller leading number of the same unit.
    #[test]
    fn duration_words_grow_with_the_duration(a in 0i64..400_000_000_000, b in 0i64..400_000_000_000) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let lead = |us: i64| {
            let w = duration_words(Duration::from_micros(us));
            let mut parts = w.split(' ');
            let n: f64 = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0.0);
            (parts.next().map(str::to_string).unwrap_or_default(), n)
        };
        let ((unit_lo, n_lo), (unit_hi, n_hi)) = (lead(lo), lead(hi));
        if unit_lo == unit_hi {
            prop_assert!(n_lo <= n_hi, "{} {} vs {} {}", n_lo, unit_lo, n_hi, unit_hi);
        }
    }
}

proptest! {
    /// SPEC §4: the DOM holds at most `max_rows` rows, and the spacers keep the list's true height.
    #[test]
    fn row_windows_stay_bounded(
        scroll in any::<f64>(), viewport in any::<f64>(), height in any::<f64>(),
        count in any::<usize>(), overscan in any::<usize>(), max_rows in 0usize..500,
    ) {
        let v = VirtualRows { row_height: height, overscan, max_rows };
        let w = v.window(scroll, viewport, count);
        prop_assert!(w.start <= w.end && w.end <= count);
        prop_assert!(w.end - w.start <= max_rows);
        prop_assert!(w.top >= 0.0 && w.bottom >= 0.0);
        if w.total.is_finite() && count < 1 << 40 {
            let h = w.total / count.max(1) as f64;
            let sum = w.top + (w.end - w.start) as f64 * h + w.bottom;
            prop_assert!((sum - w.total).abs() <= w.total * 1e-9 + 1e-6);
        }
    }

    /// Zoom keeps the anchored instant in place (unless clamped) and the window inside the range.
    #[test]
    fn zoom_keeps_its_anchor_and_bounds(
        start in -1i64 << 52..1i64 << 52, len in 0i64..1i64 << 40,
        factor in 0.01f64..100.0, anchor in 0.0f64..=1.0, pan in -2.0f64..2.0,
    ) {
        let v = Viewport::new(start, start + len).zoom(3.0, 0.5).pan(pan);
        let z = v.zoom(factor, anchor);
        let full = z.full();
        prop_assert!(z.start() >= full.start() && z.end() <= full.end());
        prop_assert!(z.end() - z.start() >= MIN_VIEW_US.min(full.end() - full.start()));
        let at = |w: &Viewport| w.start() as f64 + anchor * (w.end() - w.start()) as f64;
        let clamped = z.start() == full.start() || z.end() == full.end()
            || z.end() - z.start() == MIN_VIEW_US || z.is_whole();
        if !clamped {
            prop_assert!((at(&z) - at(&v)).abs() <= 2.0, "{:?} → {:?}", v, z);
        }
    }

    /// Step keys ignore numbers and case, and never panic on any text.
    #[test]
    fn step_keys_ignore_numbers(words in "[a-zA-Z ]{0,20}", a in any::<u32>(), b in any::<u32>(), text in "\\PC{0,80}") {
        prop_assert_eq!(step_key(&format!("{words} {a} done")), step_key(&format!("{} {b} DONE", words.to_uppercase())));
        let _ = step_key(&text);
    }
}

/// Path segments that make up plausible and hostile hrefs.
fn href_part() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just("api".to_string()).boxed(),
        1 => Just("v3".to_string()).boxed(),
        1 => Just("v1".to_string()).boxed(),
        1 => Just("logonSessions".to_string()).boxed(),
        1 => Just("JobSessions".to_string()).boxed(),
        1 => Just("LogItems".to_string()).boxed(),
        1 => Just("sessions".to_string()).boxed(),
        1 => Just("log".to_string()).boxed(),
        1 => Just("..".to_string()).boxed(),
        1 => Just(".".to_string()).boxed(),
        1 => Just("%2e%2e".to_string()).boxed(),
        4 => "[a-zA-Z0-9_-]{0,12}".boxed(),
        4 => "[ -~]{0,8}".boxed(),
        1 => any::<String>().boxed(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// Whatever a link's href holds, following it sends only a path the app built: under the
    /// vendor's API root, of plain segments, never one that climbs or escapes.
    #[test]
    fn followed_links_only_ever_map_to_plain_api_paths(
        scheme in prop_oneof![Just(""), Just("https://em.example:9398"), Just("http://127.0.0.1:8080"), Just("javascript:"), Just("//evil.example")],
        start in prop_oneof![Just(""), Just("api/logonSessions/"), Just("vendors/aws/api/v1/sessions/"), Just("v3/JobSessions/")],
        parts in proptest::collection::vec(href_part(), 0..3),
        kind in prop_oneof![Just(Kind::VeeamEm), Just(Kind::VeeamAws), Just(Kind::VeeamM365), Just(Kind::MimPam), Just(Kind::Ekran)],
    ) {
        let href = format!("{scheme}/{start}{}", parts.join("/"));
        if let Some(t) = target(kind, &href, Some("https://em.example:9398/api/logonSessions/x")) {
            let conn = session_viewer::connections::Connection {
                id: "c".into(),
                kind,
                label: "c".into(),
                base_url: "/x".into(),
                api_version: None,
                auth: session_viewer::connections::AuthMode::None,
                timeout_s: 30,
            };
            let path = session_viewer::connections::links::path(&conn, &t).unwrap_or_default();
            // Under the vendor's API root: `/api/`, or M365's version (the connection's, v8).
            prop_assert!(path.starts_with("/api/") || path.starts_with("/v8/"), "{path}");
            prop_assert!(path.split('/').skip(1).all(|s| !s.is_empty() && s != "." && s != ".."
                && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')), "{path}");
            prop_assert!(scheme.is_empty() || scheme.starts_with("https://em.example"), "{href}");
        }
    }
}
