//! The session list's state in the URL (`?q=…&range=…&sort=…&sel=…&only=…`), read tolerantly and
//! written canonically.

use std::fmt;

use crate::model::{parse_timestamp, Duration};

use super::query::{duration_text, instant_text, parse_duration};
use super::sort::SortKey;

/// What the session list shows, as far as the URL carries it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListState {
    /// The filter text as typed (kept even when it has errors: the filter bar shows them).
    pub query: String,
    pub range: Option<RangeSpec>,
    pub sort: Option<SortKey>,
    /// The id of the selected session.
    pub selected: Option<String>,
    /// The value of the filter the server is asked for (VBA's session type, M365's job), for a
    /// list whose vendor takes one.
    pub only: Option<String>,
}

/// A time range: fixed instants, or "the last …" relative to now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeSpec {
    /// `[from, to)` in microseconds; written `2021-04-01/2021-04-02T12:00:00Z`.
    Absolute { from: i64, to: i64 },
    /// The last `Duration` up to now; written `1h`, `24h`, `7d`.
    Last(Duration),
}

/// A URL parameter that was ignored, and why (shown in the console or as a notice).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlIssue {
    pub param: String,
    /// The decoded value, cut to a readable length.
    pub value: String,
    pub reason: String,
}

impl ListState {
    /// Reads the state from a URL query string (with or without the leading `?`). Never fails:
    /// a bad value is ignored with an issue saying why, unknown parameters are left to others,
    /// and when a parameter repeats the first one wins.
    pub fn from_query_string(query: &str) -> (ListState, Vec<UrlIssue>) {
        let mut state = ListState::default();
        let mut issues = Vec::new();
        let mut seen = [false; 5];
        let query = query.strip_prefix('?').unwrap_or(query);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = decode(key);
            let value = decode(value);
            let slot = match key.as_str() {
                "q" => 0,
                "range" => 1,
                "sort" => 2,
                "sel" => 3,
                "only" => 4,
                _ => continue,
            };
            let mut issue = |reason: String| {
                issues.push(UrlIssue {
                    param: key.clone(),
                    value: value.chars().take(80).collect(),
                    reason,
                })
            };
            if seen.get(slot).copied().unwrap_or(true) {
                issue("repeated; the first one is used".into());
                continue;
            }
            if let Some(s) = seen.get_mut(slot) {
                *s = true;
            }
            match slot {
                0 => state.query = value.clone(),
                1 => match RangeSpec::parse(&value) {
                    Ok(range) => state.range = Some(range),
                    Err(reason) => issue(reason),
                },
                2 => match SortKey::parse(&value) {
                    Some(sort) => state.sort = Some(sort),
                    None => {
                        issue("not a sort: write a column and asc or desc, e.g. start:desc".into())
                    }
                },
                4 if value.is_empty() => {}
                4 => state.only = Some(value.clone()),
                _ if value.is_empty() => issue("empty session id".into()),
                _ => state.selected = Some(value.clone()),
            }
        }
        (state, issues)
    }

    /// The state as a URL query string without the leading `?`; parameters in a fixed order,
    /// absent or empty ones left out, so that equal states give equal URLs.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        if !self.query.trim().is_empty() {
            parts.push(format!("q={}", encode(&self.query)));
        }
        if let Some(range) = self.range {
            parts.push(format!("range={}", encode(&range.to_text())));
        }
        if let Some(sort) = self.sort {
            parts.push(format!("sort={}", encode(&sort.to_text())));
        }
        if let Some(sel) = self.selected.as_deref().filter(|s| !s.is_empty()) {
            parts.push(format!("sel={}", encode(sel)));
        }
        if let Some(only) = self.only.as_deref().filter(|s| !s.is_empty()) {
            parts.push(format!("only={}", encode(only)));
        }
        parts.join("&")
    }
}

impl RangeSpec {
    /// Reads `24h`, `7d`, `1h30m` (the last so long) or `from/to` with each side a timestamp.
    pub fn parse(text: &str) -> Result<RangeSpec, String> {
        let text = text.trim();
        if let Some((from, to)) = text.split_once('/') {
            let instant = |side: &str, what: &str| match parse_timestamp(side) {
                Ok(Some(t)) => Ok(t.unix_micros()),
                Ok(None) => Err(format!("the {what} is .NET's “not set” date")),
                Err(e) => Err(format!("the {what} is not a time: {}", e.reason)),
            };
            let from = instant(from, "start")?;
            let to = instant(to, "end")?;
            if from >= to {
                return Err("the range ends before it starts".into());
            }
            return Ok(RangeSpec::Absolute { from, to });
        }
        match parse_duration(text) {
            Ok(d) if d.micros() > 0 => Ok(RangeSpec::Last(d)),
            Ok(_) => Err("a relative range must be longer than zero".into()),
            Err(reason) => Err(format!(
                "not a range ({reason}); write e.g. 24h or 2021-04-01/2021-04-02"
            )),
        }
    }

    /// The canonical text `parse` reads back.
    pub fn to_text(self) -> String {
        match self {
            RangeSpec::Absolute { from, to } => {
                format!("{}/{}", instant_text(from), instant_text(to))
            }
            RangeSpec::Last(d) => duration_text(d),
        }
    }

    /// The range picker's preset this range is (`1h`, `24h`, `7d`), if it is one.
    pub fn preset(self) -> Option<&'static str> {
        const H: i64 = 3_600_000_000;
        match self {
            RangeSpec::Last(d) if d.micros() == H => Some("1h"),
            RangeSpec::Last(d) if d.micros() == 24 * H => Some("24h"),
            RangeSpec::Last(d) if d.micros() == 7 * 24 * H => Some("7d"),
            _ => None,
        }
    }

    /// The instants the range covers at `now_us`.
    pub fn resolve(self, now_us: i64) -> (i64, i64) {
        match self {
            RangeSpec::Absolute { from, to } => (from, to),
            RangeSpec::Last(d) => (now_us.saturating_sub(d.micros()), now_us),
        }
    }
}

impl fmt::Display for UrlIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ignored {}=“{}”: {}",
            self.param, self.value, self.reason
        )
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters (and `:`, `/`, `@`, which a
/// query may hold as they are and which keep `start:desc` readable).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:/@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 0xf));
        }
    }
    out
}

/// Decodes `%XX` and `+` (a space, as forms write it). A `%` not followed by two hex digits is
/// kept as it is; bytes that are not UTF-8 become U+FFFD.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let escaped = match (b, bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) => hex_value(h).zip(hex_value(l)).map(|(h, l)| h << 4 | l),
            _ => None,
        };
        match (escaped, b) {
            (Some(v), _) => {
                out.push(v);
                i += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                i += 1;
            }
            (None, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_digit(n: u8) -> char {
    char::from(
        b"0123456789ABCDEF"
            .get(usize::from(n & 0xf))
            .copied()
            .unwrap_or(b'0'),
    )
}

fn hex_value(c: u8) -> Option<u8> {
    char::from(c)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::list::sort::Column;

    const T0: i64 = 1_617_235_200_000_000; // 2021-04-01T00:00:00Z
    const H: i64 = 3_600_000_000;

    fn read(qs: &str) -> (ListState, Vec<UrlIssue>) {
        ListState::from_query_string(qs)
    }

    #[test]
    fn round_trips() {
        for state in [
            ListState::default(),
            ListState {
                query: r#"user:"DOMAIN\jen" -status:success duration>1h é&=?#+%"#.into(),
                range: Some(RangeSpec::Last(Duration::from_micros(24 * H))),
                sort: Some(SortKey::new(Column::Start, true)),
                selected: Some("a b/c&d".into()),
                only: Some("5a1c/&é".into()),
            },
            ListState {
                query: "x".into(),
                range: Some(RangeSpec::Absolute {
                    from: T0,
                    to: T0 + H + 500_000,
                }),
                sort: Some(SortKey::new(Column::Name, false)),
                selected: None,
                only: None,
            },
        ] {
            let qs = state.to_query_string();
            assert_eq!(read(&qs), (state.clone(), vec![]), "{qs}");
            assert_eq!(read(&format!("?{qs}")).0, state);
        }
        let state = ListState {
            query: "status:failed jen".into(),
            range: Some(RangeSpec::Absolute {
                from: T0,
                to: T0 + 24 * H,
            }),
            sort: Some(SortKey::new(Column::Duration, true)),
            selected: Some("42".into()),
            only: Some("FLRTask".into()),
        };
        assert_eq!(
            state.to_query_string(),
            "q=status:failed%20jen&range=2021-04-01/2021-04-02&sort=duration:desc&sel=42&only=FLRTask"
        );
    }

    #[test]
    fn relative_and_absolute_ranges() {
        assert_eq!(
            RangeSpec::parse("7d"),
            Ok(RangeSpec::Last(Duration::from_micros(7 * 24 * H)))
        );
        assert_eq!(
            RangeSpec::Last(Duration::from_micros(H)).resolve(T0),
            (T0 - H, T0)
        );
        assert_eq!(
            RangeSpec::parse("2021-04-01/2021-04-01T01:00:00+00:00"),
            Ok(RangeSpec::Absolute {
                from: T0,
                to: T0 + H
            })
        );
        assert_eq!(
            RangeSpec::parse("24h").map(RangeSpec::to_text),
            Ok("1d".into())
        );
    }

    #[test]
    fn garbage_is_ignored_with_a_reason() {
        let (state, issues) = read(
            "range=yesterday&sort=colour:up&sel=&q=%ZZ%4&foo=bar&&=&q=second&range=2021-04-02/2021-04-01",
        );
        assert_eq!(
            state,
            ListState {
                query: "%ZZ%4".into(),
                ..ListState::default()
            }
        );
        let params: Vec<&str> = issues.iter().map(|i| i.param.as_str()).collect();
        assert_eq!(params, ["range", "sort", "sel", "q", "range"]);
        assert!(issues[0].reason.contains("not a range"), "{}", issues[0]);
        assert!(issues[3].reason.contains("repeated"));
        for (qs, reason) in [
            ("range=0s", "longer than zero"),
            ("range=2021-04-02/2021-04-01", "ends before"),
            ("range=2021-13-01/2021-04-01", "start is not a time"),
            ("range=2021-04-01/0001-01-01", "not set"),
        ] {
            let (state, issues) = read(qs);
            assert_eq!(state.range, None, "{qs}");
            assert!(
                issues.iter().any(|i| i.reason.contains(reason)),
                "{qs}: {issues:?}"
            );
        }
        // Bytes that are not UTF-8 and lone percent signs never panic.
        assert_eq!(read("q=%FF%FE%").0.query, "\u{FFFD}\u{FFFD}%");
        assert_eq!(read("q=a+b%2Bc").0.query, "a b+c");
        assert_eq!(read("sel=%E2%82%AC").0.selected.as_deref(), Some("€"));
    }

    #[test]
    fn encoding() {
        assert_eq!(encode("a b&c=d/é"), "a%20b%26c%3Dd/%C3%A9");
        assert_eq!(decode(&encode("100% \"sure\" +")), "100% \"sure\" +");
    }
}

/// Any query string is read without a panic, and any state survives a round trip.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_query_string_is_read(qs in r"[a-z=&%+?0-9A-F/:\-é ]{0,60}") {
            let _ = ListState::from_query_string(&qs);
        }

        #[test]
        fn states_round_trip(
            query in r"\PC{0,20}",
            selected in proptest::option::of(r"\PC{1,10}"),
            last_ms in proptest::option::of(1i64..1_000_000_000_000),
        ) {
            let state = ListState {
                // Blank queries are left out of the URL, so they read back as "".
                query: if query.trim().is_empty() { String::new() } else { query },
                range: last_ms.map(|ms| RangeSpec::Last(Duration::from_millis(ms))),
                sort: None,
                selected,
                only: None,
            };
            let qs = state.to_query_string();
            prop_assert_eq!(ListState::from_query_string(&qs), (state, vec![]), "{}", qs);
        }
    }

    #[test]
    fn presets_are_recognised_however_they_are_written() {
        let preset = |t: &str| RangeSpec::parse(t).ok().and_then(RangeSpec::preset);
        assert_eq!(preset("1h"), Some("1h"));
        assert_eq!(preset("60m"), Some("1h"));
        assert_eq!(preset("24h"), Some("24h"));
        assert_eq!(preset("1d"), Some("24h"));
        assert_eq!(preset("7d"), Some("7d"));
        assert_eq!(preset("2h"), None);
        assert_eq!(preset("2021-04-01/2021-04-02"), None);
    }
}
