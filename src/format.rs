//! Words for what the model holds: durations people can read, and long text cut to a size the
//! page can afford.

use crate::model::Duration;

/// A duration in words, truncated to the unit shown: `687 ms`, `9.7 s`, `42 s`, `4 min 12 s`,
/// `1 h 02 min`, `2 d 03 h`. Negative durations (clocks that disagree) get a minus sign.
pub fn duration_words(d: Duration) -> String {
    let us = d.micros();
    if us < 0 {
        return format!(
            "−{}",
            duration_words(Duration::from_micros(us.saturating_neg()))
        );
    }
    const MS: i64 = 1_000;
    const S: i64 = 1_000_000;
    const MIN: i64 = 60 * S;
    const H: i64 = 60 * MIN;
    const D: i64 = 24 * H;
    match us {
        0 => "0 ms".to_string(),
        1..MS => "< 1 ms".to_string(),
        MS..S => format!("{} ms", us / MS),
        S..10_000_000 => {
            let tenths = us / (S / 10);
            if tenths % 10 == 0 {
                format!("{} s", tenths / 10)
            } else {
                format!("{}.{} s", tenths / 10, tenths % 10)
            }
        }
        10_000_000..MIN => format!("{} s", us / S),
        MIN..H => {
            let (m, s) = (us / MIN, us % MIN / S);
            if s == 0 {
                format!("{m} min")
            } else {
                format!("{m} min {s} s")
            }
        }
        H..D => format!("{} h {:02} min", us / H, us % H / MIN),
        _ => format!("{} d {:02} h", us / D, us % D / H),
    }
}

/// A share of a whole (0.0–1.0) as a CSS percentage with four decimals (`94.3357%`), clamped to
/// 0–100 %. Integer arithmetic on purpose: Rust's float formatting costs about 10 KB of wasm.
pub fn css_percent(share: f64) -> String {
    let units = (share.clamp(0.0, 1.0) * 1_000_000.0).round() as u32; // 1 unit = 0.0001 %
    format!("{}.{:04}%", units / 10_000, units % 10_000)
}

/// A share of a whole (0.0–1.0) as a whole percentage for people (`94%`).
pub fn whole_percent(share: f64) -> String {
    format!("{}%", (share.clamp(0.0, 1.0) * 100.0).round() as u32)
}

/// The first `max_chars` characters of `text`, and how many characters were left out. Keeps a
/// 10 MB message from being laid out in full when only a line of it is visible.
pub fn clip(text: &str, max_chars: usize) -> (&str, usize) {
    match text.char_indices().nth(max_chars) {
        None => (text, 0),
        Some((cut, _)) => {
            let shown = text.get(..cut).unwrap_or(text);
            (
                shown,
                text.get(cut..).map_or(0, |rest| rest.chars().count()),
            )
        }
    }
}

/// Appends `text` lowercased. ASCII (nearly every value in these lists) is done byte by byte;
/// other text goes to the browser's `toLowerCase` in wasm, which spares the bundle Rust's Unicode
/// case tables (about 12 KB), and to the standard library natively. Both follow Unicode's
/// default case mapping.
pub fn push_lowercase(out: &mut String, text: &str) {
    if text.is_ascii() {
        out.extend(text.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
    #[cfg(target_arch = "wasm32")]
    out.push_str(&String::from(js_sys::JsString::from(text).to_lower_case()));
    #[cfg(not(target_arch = "wasm32"))]
    out.push_str(&text.to_lowercase());
}

/// `text` lowercased (see [`push_lowercase`]).
pub fn lowercase(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_lowercase(&mut out, text);
    out
}

/// How long ago an instant was, in the coarse words a list wants (`just now`, `12 min ago`,
/// `3 h ago`, `5 d ago`, or `in 2 h` for the future); `None` beyond 30 days, where a date says
/// more.
pub fn relative_words(ago: Duration) -> Option<String> {
    const MIN: i64 = 60_000_000;
    const H: i64 = 60 * MIN;
    const D: i64 = 24 * H;
    let us = ago.micros();
    let (n, future) = (us.unsigned_abs(), us < 0);
    let text = match n {
        n if n < 45_000_000 => return Some("just now".to_string()),
        n if n < H as u64 => format!("{} min", (n / MIN as u64).max(1)),
        n if n < D as u64 => format!("{} h", n / H as u64),
        n if n <= 30 * D as u64 => format!("{} d", n / D as u64),
        _ => return None,
    };
    Some(if future {
        format!("in {text}")
    } else {
        format!("{text} ago")
    })
}

/// Writes `text` as a JSON string literal (quotes, backslashes and control characters
/// escaped): for the JSON this app writes by hand (saved connections, EM's XML entities).
pub fn json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(us: i64) -> String {
        duration_words(Duration::from_micros(us))
    }

    #[test]
    fn duration_words_by_magnitude() {
        for (us, expected) in [
            (0, "0 ms"),
            (400, "< 1 ms"),
            (687_000, "687 ms"),
            (999_999, "999 ms"),
            (1_000_000, "1 s"),
            (9_750_000, "9.7 s"),
            (42_900_000, "42 s"),
            (60_000_000, "1 min"),
            (252_000_000, "4 min 12 s"),
            (609_687_738, "10 min 9 s"),
            (104_031_308, "1 min 44 s"),
            (3_720_000_000, "1 h 02 min"),
            (3_600_000_000, "1 h 00 min"),
            (183_600_000_000, "2 d 03 h"),
            (-1_500_000, "−1.5 s"),
            (i64::MIN, "−106751991 d 04 h"),
        ] {
            assert_eq!(words(us), expected, "{us} µs");
        }
    }

    #[test]
    fn percentages_without_float_formatting() {
        assert_eq!(css_percent(0.0), "0.0000%");
        assert_eq!(css_percent(0.943357), "94.3357%");
        assert_eq!(css_percent(0.004), "0.4000%");
        assert_eq!(css_percent(0.99600004), "99.6000%");
        assert_eq!(css_percent(1.0), "100.0000%");
        assert_eq!(css_percent(-0.5), "0.0000%");
        assert_eq!(css_percent(f64::NAN), "0.0000%");
        assert_eq!(css_percent(7.0), "100.0000%");
        for share in [0.0, 0.123456, 0.5, 0.999999, 1.0] {
            assert_eq!(
                css_percent(share),
                format!("{:.4}%", share * 100.0),
                "{share}"
            );
        }
        assert_eq!(whole_percent(0.9434), "94%");
        assert_eq!(whole_percent(0.161), "16%");
        assert_eq!(whole_percent(0.995), "100%");
    }

    #[test]
    fn clip_counts_what_it_leaves_out() {
        assert_eq!(clip("short", 10), ("short", 0));
        assert_eq!(clip("abcdef", 3), ("abc", 3));
        assert_eq!(clip("ééé€€", 2), ("éé", 3), "cuts on characters, not bytes");
        assert_eq!(clip("", 0), ("", 0));
        let huge = "x".repeat(10 * 1024 * 1024);
        let (shown, rest) = clip(&huge, 500);
        assert_eq!((shown.len(), rest), (500, huge.len() - 500));
    }

    #[test]
    fn relative_words_are_coarse_and_stop_at_a_month() {
        let ago = |us: i64| relative_words(Duration::from_micros(us));
        assert_eq!(ago(0).as_deref(), Some("just now"));
        assert_eq!(ago(-44_000_000).as_deref(), Some("just now"));
        assert_eq!(ago(45_000_000).as_deref(), Some("1 min ago"));
        assert_eq!(ago(12 * 60_000_000 + 5).as_deref(), Some("12 min ago"));
        assert_eq!(ago(3 * 3_600_000_000 + 1).as_deref(), Some("3 h ago"));
        assert_eq!(ago(-2 * 3_600_000_000).as_deref(), Some("in 2 h"));
        assert_eq!(ago(5 * 86_400_000_000).as_deref(), Some("5 d ago"));
        assert_eq!(ago(30 * 86_400_000_000).as_deref(), Some("30 d ago"));
        assert_eq!(ago(30 * 86_400_000_000 + 1), None);
        assert_eq!(ago(i64::MIN), None);
    }
}
