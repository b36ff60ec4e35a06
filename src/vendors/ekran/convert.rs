//! Ekran System wire types → the normalised model.

use serde_json::value::RawValue;

use super::wire;
use crate::model::{Duration, Session, SessionList, Source, Status, Text};
use crate::vendors::{adapt_items, flat_items, time_field, DecodeError, ItemError};

pub const EXPECTED: &str =
    "Ekran System sessions ([{\"sessionId\", \"userId\", \"clientGuid\", \"loginDate\", \"logoutDate\"}, …] or {\"sessions\": […]})";

/// Reads `GET /ekranapi/sessions` (a bare array) or the paged POST variant (`{"sessions": […]}`).
/// A session with no `logoutDate` is still open.
pub fn sessions(text: &Text) -> Result<SessionList, DecodeError> {
    // The bare array of the documented GET, when its items are flat, in one checked pass.
    if let Some((sessions, skipped)) =
        flat_items(text, |raw, f| session(wire::Session::of(f)?, raw, text))
    {
        return Ok(SessionList {
            sessions,
            skipped,
            total: None,
        });
    }
    by_serde(text)
}

/// What [`sessions`] reads, read by serde first (each item then on its own): the paged variant,
/// items with escapes or nested values, and what is not JSON, for serde's words.
fn by_serde(text: &Text) -> Result<SessionList, DecodeError> {
    let (items, total): (Vec<&RawValue>, _) = if text.trim_start().starts_with('[') {
        (
            serde_json::from_str(text).map_err(|e| DecodeError::from_json(&e, EXPECTED))?,
            None,
        )
    } else {
        let page = wire::Page::read(text, EXPECTED)?;
        (page.sessions, page.total_count)
    };
    // Each session's source is a range of the text, not a copy of its own.
    let (sessions, skipped) = adapt_items(&items, |_, raw| {
        session(wire::Session::read(raw)?, raw.get(), text)
    });
    Ok(SessionList {
        sessions,
        skipped,
        total,
    })
}

/// Parses a .NET TimeSpan as Ekran writes it: `[-][d.]hh:mm:ss[.fffffff]`.
pub fn parse_timespan(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (clock, fraction) = match text.split_once('.') {
        // "d.hh:mm:ss": the first dot precedes the clock when no colon comes before it.
        Some((days, rest)) if !days.contains(':') => {
            let (clock, fraction) = rest.split_once('.').map_or((rest, ""), |(c, f)| (c, f));
            let days: i64 = days.parse().ok()?;
            return finish(negative, Some(days), clock, fraction);
        }
        Some((clock, fraction)) => (clock, fraction),
        None => (text, ""),
    };
    finish(negative, None, clock, fraction)
}

fn finish(negative: bool, days: Option<i64>, clock: &str, fraction: &str) -> Option<Duration> {
    let mut parts = clock.split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || [h, m, s]
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (h, m, s): (i64, i64, i64) = (h.parse().ok()?, m.parse().ok()?, s.parse().ok()?);
    if h > 23
        || m > 59
        || s > 59
        || fraction.len() > 7
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let micros = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(6)
        .fold(0i64, |acc, b| acc * 10 + i64::from(b - b'0'));
    let total = days
        .unwrap_or(0)
        .checked_mul(86_400)?
        .checked_add(h * 3600 + m * 60 + s)?
        .checked_mul(1_000_000)?
        .checked_add(micros)?;
    Some(Duration::from_micros(if negative { -total } else { total }))
}

fn session(item: wire::Session, raw: &str, text: &Text) -> Result<Session, ItemError> {
    let id = item.session_id.ok_or(ItemError::Missing("sessionId"))?;
    let start = time_field("loginDate", item.login_date.as_deref())?;
    let end = time_field("logoutDate", item.logout_date.as_deref())?;
    let reported = match item.duration.as_deref() {
        None => None,
        Some(text) => Some(parse_timespan(text).ok_or_else(|| ItemError::Field {
            field: "duration",
            why: format!("“{text}” is not a [d.]hh:mm:ss TimeSpan"),
        })?),
    };
    let (status, vendor_status) = if end.is_some() {
        (Status::Ended, "Logged out")
    } else {
        (Status::Running, "Open")
    };
    let user = item.user_id.map(|u| format!("user {u}"));
    Ok(Session {
        id: id.to_string(),
        // Ekran's sessions are no job's runs: a user's sessions are what one of them is compared
        // with ("is this session unusually long for this user"), so the user is the job key.
        job: user.clone(),
        user,
        host: item.client_guid,
        start,
        end,
        reported,
        status,
        vendor_status: vendor_status.into(),
        name: None,
        log_href: None,
        details: Vec::new(),
        source: Source::within(text, raw),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vendor page's example (`shared/seeds/004_…`), verbatim.
    const SEED: &str = include_str!("../../../public/samples/ekran-sessions.json");

    /// The one-pass reader and serde's agree, session for session, on every list it takes:
    /// the vendor's example, every spacing JSON allows, and items that are skipped.
    #[test]
    fn both_readers_read_the_same() {
        let spaced = SEED.replace(" : ", "\t:\n ").replace(",\n", "\r\n,  ");
        let hostile = r#"[{"sessionId":1,"loginDate":"2021-04-01T10:00:00Z"},
            {"sessionId":"x"},{"userId":2},{"sessionId":3,"loginDate":"yesterday"},
            {"sessionId":4,"userId":-7,"clientGuid":"g","loginDate":"2021-04-01T10:00:00Z",
             "logoutDate":null,"duration":"1.02:03:04.5"},{},{"sessionId":5e0}]"#;
        for doc in [SEED, spaced.as_str(), hostile, "[]"] {
            let text: Text = doc.into();
            let fast = flat_items(&text, |raw, f| session(wire::Session::of(f)?, raw, &text));
            let Some((sessions, skipped)) = fast else {
                panic!("not read in one pass: {doc}")
            };
            let Ok(slow) = by_serde(&text) else {
                panic!("{doc}")
            };
            assert_eq!(sessions, slow.sessions, "{doc}");
            assert_eq!(skipped, slow.skipped, "{doc}");
        }
        assert_eq!(read(hostile).skipped.len(), 5);
        // What it declines is read as before: an escape, a nested value, broken JSON.
        let escaped = SEED.replacen("\"loginDate\"", "\"login\\u0044ate\"", 1);
        let unsourced = |text: &str| -> Vec<Session> {
            let sessions = read(text).sessions.into_iter();
            sessions
                .map(|s| Session {
                    source: Source::from(""),
                    ..s
                })
                .collect()
        };
        assert_eq!(unsourced(&escaped), unsourced(SEED));
        assert!(flat_items(&escaped, |_, _| Ok(())).is_none());
        for broken in ["[{\"sessionId\":01}]", "[{\"sessionId\":1},]", "[{}] x"] {
            let Err(e) = sessions(&broken.into()) else {
                panic!("{broken}")
            };
            assert!(e.to_string().contains("JSON"), "{broken}: {e}");
        }
    }

    fn read(text: &str) -> SessionList {
        match sessions(&text.into()) {
            Ok(list) => list,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn seed_example_every_field() {
        let list = read(SEED);
        assert!(list.skipped.is_empty());
        assert_eq!(list.total, None);
        let expected = [
            ("124", "user 61", "1d4fegdr-g3ff-4114-a814-f3aeee14dgdg"),
            ("142", "user 16", "dd4lwdr-xxff-4ss4-a814-f3aeee14dgdsg"),
        ];
        assert_eq!(list.sessions.len(), 2);
        for (s, (id, user, client)) in list.sessions.iter().zip(expected) {
            assert_eq!(s.id, id);
            // "Show source" shows the item as sent, whole.
            assert!(
                s.source.starts_with('{')
                    && s.source.ends_with('}')
                    && s.source.contains(&format!("\"sessionId\" : {id}"))
                    && SEED.contains(s.source.as_str()),
                "{:?}",
                s.source
            );
            assert_eq!(s.user.as_deref(), Some(user));
            assert_eq!(
                s.job.as_deref(),
                Some(user),
                "a user's sessions are compared"
            );
            assert_eq!(
                s.host.as_deref(),
                Some(client),
                "the opaque clientGuid is kept as sent"
            );
            assert_eq!(
                s.start.map(|t| t.utc_rfc3339()).as_deref(),
                Some("2000-01-23T04:56:07Z")
            );
            assert_eq!(
                s.end.map(|t| t.utc_rfc3339()).as_deref(),
                Some("2000-01-23T04:56:07Z")
            );
            assert_eq!(
                (s.status, s.vendor_status.as_ref()),
                (Status::Ended, "Logged out")
            );
            assert_eq!(s.duration(0), Some(Duration::ZERO));
            assert_eq!(
                (s.reported, s.name.as_deref(), s.log_href.as_deref()),
                (None, None, None)
            );
        }
    }

    #[test]
    fn missing_or_null_logout_means_open() {
        let list = read(
            r#"[{"sessionId":1,"loginDate":"2021-04-01T12:00:00.000+00:00"},{"sessionId":2,"loginDate":"2021-04-01T12:00","logoutDate":null}]"#,
        );
        assert!(list
            .sessions
            .iter()
            .all(|s| s.is_open() && s.status == Status::Running));
    }

    #[test]
    fn paged_post_variant_with_timespans() {
        let list = read(
            r#"{"sessions":[
                {"sessionId":7,"userId":3,"clientGuid":"x","loginDate":"2021-04-01T12:00:00Z","logoutDate":"2021-04-02T14:30:05.5Z","duration":"1.02:30:05.5000000"},
                {"sessionId":8,"duration":"not a span"}
            ],"totalCount":1200}"#,
        );
        assert_eq!(list.total, Some(1200));
        let first = &list.sessions[0];
        assert_eq!(first.reported, Some(Duration::from_micros(95_405_500_000)));
        assert_eq!(
            first.duration(0),
            first.reported,
            "the TimeSpan agrees with login → logout"
        );
        assert_eq!(list.skipped.len(), 1);
        assert!(list.skipped[0].reason.contains("TimeSpan"));
    }

    #[test]
    fn timespans_row_by_row() {
        for (text, micros) in [
            ("00:00:00", Some(0)),
            ("01:02:03", Some(3_723_000_000)),
            ("00:00:01.1234567", Some(1_123_456)),
            ("1.00:00:00", Some(86_400_000_000)),
            ("10.23:59:59.9999999", Some(950_399_999_999)),
            ("-00:00:05", Some(-5_000_000)),
            ("24:00:00", None),
            ("00:60:00", None),
            ("1:2", None),
            ("aa:bb:cc", None),
            ("00:00:00.12345678", None),
            ("", None),
            ("99999999999999999.00:00:00", None),
        ] {
            assert_eq!(
                parse_timespan(text).map(Duration::micros),
                micros,
                "{text:?}"
            );
        }
    }

    #[test]
    fn bad_items_are_skipped() {
        let list = read(
            r#"[{"sessionId":1},{"userId":2},{"sessionId":"3"},{"sessionId":4,"loginDate":"2021-02-30"},null]"#,
        );
        assert_eq!(list.sessions.len(), 1);
        assert_eq!(
            list.skipped.iter().map(|s| s.index).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
        assert!(list.skipped[0].reason.contains("no sessionId"));
    }
}
