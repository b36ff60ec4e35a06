//! Instants and durations in the model's one time unit, the microsecond, and the one parser for
//! every timestamp style the vendors write (SPEC §1 "Timestamps").

use std::fmt;

pub use session_viewer_scan::time::{Precision, Zone};
use session_viewer_scan::time::{DAY_US, UNIX_EPOCH_JULIAN_DAY};

/// An instant, with the zone and precision the source wrote it in.
///
/// Equality compares all three; compare [`Timestamp::unix_micros`] to order instants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp {
    unix_us: i64,
    zone: Zone,
    precision: Precision,
}

/// A signed length of time in microseconds (an observed span can be negative when a vendor's
/// clocks disagree; the UI shows that rather than hiding it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    us: i64,
}

/// Why a text is not a timestamp.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeError {
    /// The offending text, cut to a readable length.
    pub input: String,
    /// What is wrong with it, in words.
    pub reason: &'static str,
}

/// Parses every timestamp style of SPEC §1: RFC 3339 with 0 to 9 fraction digits and `Z`, an
/// offset or no zone; a date alone; a date with `HH:MM`. `T`, `t` or a space separates date and
/// time.
///
/// Returns `Ok(None)` for .NET's "not set" value `0001-01-01T00:00:00`, which vendors write
/// where a time is absent.
pub fn parse_timestamp(text: &str) -> Result<Option<Timestamp>, TimeError> {
    match session_viewer_scan::time::parse(text) {
        Ok(parsed) => Ok(parsed.map(|p| Timestamp {
            unix_us: p.unix_us,
            zone: p.zone,
            precision: p.precision,
        })),
        Err(reason) => Err(TimeError {
            input: text.chars().take(64).collect(),
            reason,
        }),
    }
}

impl Timestamp {
    /// Microseconds since 1970-01-01T00:00:00Z.
    pub fn unix_micros(&self) -> i64 {
        self.unix_us
    }

    pub fn zone(&self) -> Zone {
        self.zone
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// The same instant, `d` later (or earlier, for a negative `d`).
    pub fn plus(self, d: Duration) -> Timestamp {
        Timestamp {
            unix_us: self.unix_us.saturating_add(d.us),
            ..self
        }
    }

    /// The time from `earlier` to `self`.
    pub fn since(&self, earlier: &Timestamp) -> Duration {
        Duration::from_micros(self.unix_us.saturating_sub(earlier.unix_us))
    }

    /// The instant in UTC as RFC 3339, for `<time datetime>` (SPEC §3.4); fraction digits only
    /// where the instant has them.
    pub fn utc_rfc3339(&self) -> String {
        let (date, clock) = civil(self.unix_us, 0);
        format!("{date}T{clock}Z")
    }

    /// The wall-clock time as the source wrote it (in the source's own offset), followed by the
    /// zone: ` UTC`, ` +02:00`, or nothing when the source gave no zone.
    pub fn source_display(&self) -> String {
        let offset_minutes = match self.zone {
            Zone::Offset(m) => m,
            Zone::Utc | Zone::Unspecified => 0,
        };
        let (date, clock) = civil(self.unix_us, offset_minutes);
        let shown = match self.precision {
            Precision::Day => date,
            Precision::Minute => format!("{date} {}", clock.get(..5).unwrap_or(&clock)),
            Precision::Second { .. } => format!("{date} {clock}"),
        };
        match self.zone {
            Zone::Utc => format!("{shown} UTC"),
            Zone::Offset(m) => format!("{shown} {}", offset_text(m)),
            Zone::Unspecified => shown,
        }
    }

    /// The time of day alone (`19:12:04.161`), in the source's offset, to milliseconds.
    pub fn clock_display(&self) -> String {
        let offset_minutes = match self.zone {
            Zone::Offset(m) => m,
            Zone::Utc | Zone::Unspecified => 0,
        };
        let (_, clock) = civil(self.unix_us - self.unix_us.rem_euclid(1000), offset_minutes);
        clock
    }

    /// A sentence for a tooltip: the instant in UTC and how the source wrote it.
    pub fn describe(&self) -> String {
        let zone = match self.zone {
            Zone::Utc => "written in UTC".to_string(),
            Zone::Offset(m) => format!("written with offset {}", offset_text(m)),
            Zone::Unspecified => "written without a time zone; read as UTC".to_string(),
        };
        format!("{} ({zone})", self.utc_rfc3339())
    }
}

/// An instant as wall-clock time at `offset_minutes` east of UTC, to the second, with the
/// offset (`2021-04-01 02:00:00 +02:00`; `… UTC` at offset 0 when `utc` is set). For showing
/// times in the viewer's zone or in UTC rather than the source's.
pub fn wall_clock(unix_us: i64, offset_minutes: i16, utc: bool) -> String {
    let (date, clock) = civil(unix_us - unix_us.rem_euclid(1_000_000), offset_minutes);
    if utc && offset_minutes == 0 {
        format!("{date} {clock} UTC")
    } else {
        format!("{date} {clock} {}", offset_text(offset_minutes))
    }
}

fn offset_text(minutes: i16) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

/// Splits an instant into `YYYY-MM-DD` and `HH:MM:SS[.ffffff]` at the given offset.
fn civil(unix_us: i64, offset_minutes: i16) -> (String, String) {
    let local = unix_us.saturating_add(i64::from(offset_minutes) * 60_000_000);
    let days = local.div_euclid(DAY_US);
    let in_day = local.rem_euclid(DAY_US);
    let date = i32::try_from(days + UNIX_EPOCH_JULIAN_DAY)
        .ok()
        .and_then(|jd| ::time::Date::from_julian_day(jd).ok());
    let date = match date {
        Some(d) => {
            let (y, m, day) = d.to_calendar_date();
            format!("{y:04}-{:02}-{day:02}", u8::from(m))
        }
        // Unreachable for instants the parser produced; shown rather than panicking.
        None => "????-??-??".to_string(),
    };
    let secs = in_day / 1_000_000;
    let micros = in_day % 1_000_000;
    let mut clock = format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    if micros != 0 {
        let fraction = format!("{micros:06}");
        clock.push('.');
        clock.push_str(fraction.trim_end_matches('0'));
    }
    (date, clock)
}

impl Duration {
    pub const ZERO: Duration = Duration { us: 0 };

    pub fn from_micros(us: i64) -> Duration {
        Duration { us }
    }

    pub fn from_millis(ms: i64) -> Duration {
        Duration {
            us: ms.saturating_mul(1000),
        }
    }

    pub fn micros(self) -> i64 {
        self.us
    }

    /// Whole milliseconds, rounded half away from zero (what `data-duration-ms` carries).
    pub fn millis_rounded(self) -> i64 {
        let ms = self.us / 1000;
        let rest = self.us % 1000;
        if rest >= 500 {
            ms + 1
        } else if rest <= -500 {
            ms - 1
        } else {
            ms
        }
    }

    pub fn abs_diff(self, other: Duration) -> Duration {
        Duration {
            us: self.us.abs_diff(other.us).min(i64::MAX as u64) as i64,
        }
    }
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "“{}” is not a timestamp: {}", self.input, self.reason)
    }
}

impl std::error::Error for TimeError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> Timestamp {
        match parse_timestamp(text) {
            Ok(Some(t)) => t,
            other => panic!("{text}: {other:?}"),
        }
    }

    /// Checks that `text` parses to the given UTC instant, zone and precision.
    fn check(text: &str, utc: &str, zone: Zone, precision: Precision) {
        let t = ts(text);
        assert_eq!(t.utc_rfc3339(), utc, "{text}");
        assert_eq!(t.zone(), zone, "{text}");
        assert_eq!(t.precision(), precision, "{text}");
    }

    fn rejects(text: &str, reason: &str) {
        match parse_timestamp(text) {
            Err(e) => assert!(e.reason.contains(reason), "{text}: {e}"),
            other => panic!("{text} should fail with {reason:?}, got {other:?}"),
        }
    }

    const S0: Precision = Precision::Second { fraction_digits: 0 };

    #[test]
    fn veeam_aws_zone_less_values_read_as_utc() {
        check(
            "2020-06-20T19:12:00.514619",
            "2020-06-20T19:12:00.514619Z",
            Zone::Unspecified,
            Precision::Second { fraction_digits: 6 },
        );
        // The seed's fourth item writes four fraction digits.
        check(
            "2020-06-20T19:19:52.3988",
            "2020-06-20T19:19:52.3988Z",
            Zone::Unspecified,
            Precision::Second { fraction_digits: 4 },
        );
    }

    #[test]
    fn rfc3339_with_zone_and_offsets() {
        check(
            "2021-04-01T10:00:00Z",
            "2021-04-01T10:00:00Z",
            Zone::Utc,
            S0,
        );
        check(
            "2021-04-01t10:00:00z",
            "2021-04-01T10:00:00Z",
            Zone::Utc,
            S0,
        );
        check(
            "2021-04-01T12:30:00+02:30",
            "2021-04-01T10:00:00Z",
            Zone::Offset(150),
            S0,
        );
        check(
            "2021-04-01T02:00:00-08:00",
            "2021-04-01T10:00:00Z",
            Zone::Offset(-480),
            S0,
        );
        check(
            "2021-04-01T02:00:00-0800",
            "2021-04-01T10:00:00Z",
            Zone::Offset(-480),
            S0,
        );
        check(
            "2021-04-01 10:00:00",
            "2021-04-01T10:00:00Z",
            Zone::Unspecified,
            S0,
        );
        // Crossing midnight backwards with a positive offset.
        check(
            "2021-04-01T01:00:00+03:00",
            "2021-03-31T22:00:00Z",
            Zone::Offset(180),
            S0,
        );
    }

    #[test]
    fn zero_to_nine_fraction_digits() {
        check(
            "2021-04-01T10:00:00.5Z",
            "2021-04-01T10:00:00.5Z",
            Zone::Utc,
            Precision::Second { fraction_digits: 1 },
        );
        check(
            "2021-04-01T10:00:00.123456789Z",
            "2021-04-01T10:00:00.123456Z",
            Zone::Utc,
            Precision::Second { fraction_digits: 9 },
        );
        check(
            "2021-04-01T10:00:00,25Z",
            "2021-04-01T10:00:00.25Z",
            Zone::Utc,
            Precision::Second { fraction_digits: 2 },
        );
        rejects("2021-04-01T10:00:00.1234567891Z", "more than 9");
        rejects("2021-04-01T10:00:00.Z", "digits after the decimal point");
    }

    #[test]
    fn date_only_and_minutes() {
        check(
            "2021-04-01",
            "2021-04-01T00:00:00Z",
            Zone::Unspecified,
            Precision::Day,
        );
        check(
            "2021-04-01T10:05",
            "2021-04-01T10:05:00Z",
            Zone::Unspecified,
            Precision::Minute,
        );
        assert_eq!(ts("2021-04-01T10:05").source_display(), "2021-04-01 10:05");
        assert_eq!(ts("2021-04-01").source_display(), "2021-04-01");
    }

    #[test]
    fn dotnet_not_set_sentinel_is_none() {
        assert_eq!(parse_timestamp("0001-01-01T00:00:00"), Ok(None));
        assert_eq!(parse_timestamp("0001-01-01T00:00:00Z"), Ok(None));
        assert_eq!(
            parse_timestamp("0001-01-01T00:00:00.0000000+00:00"),
            Ok(None)
        );
        // One microsecond later is a real (if odd) instant.
        assert!(matches!(
            parse_timestamp("0001-01-01T00:00:00.000001Z"),
            Ok(Some(_))
        ));
    }

    #[test]
    fn impossible_values_are_refused_with_a_reason() {
        rejects("2021-02-29T00:00:00Z", "no such day");
        rejects("2021-13-01", "month");
        rejects("2021-04-01T24:00:00Z", "time of day");
        rejects("2021-04-01T10:60:00Z", "time of day");
        rejects("2021-04-01T10:00:61Z", "seconds");
        rejects("2021-04-01T10:00:00+24:00", "offset");
        rejects("2021-04-01T10:00:00 UTC", "unexpected text");
        rejects("4/4/2017 12:07:21 AM", "four-digit year");
        rejects("", "four-digit year");
        rejects("2021-04-01T", "hour");
        rejects("２０２１-04-01", "four-digit year");
        assert!(matches!(parse_timestamp("2024-02-29"), Ok(Some(_))));
    }

    #[test]
    fn errors_cut_long_input() {
        let long = "9".repeat(10_000);
        let e = parse_timestamp(&long).err().map(|e| e.input.len());
        assert_eq!(e, Some(64));
    }

    #[test]
    fn instant_arithmetic() {
        let a = ts("2020-06-20T19:12:04.161597");
        let b = ts("2020-06-20T19:22:13.849335");
        assert_eq!(b.since(&a), Duration::from_micros(609_687_738));
        assert_eq!(a.since(&b).micros(), -609_687_738);
        assert_eq!(
            a.plus(Duration::from_millis(687)).utc_rfc3339(),
            "2020-06-20T19:12:04.848597Z"
        );
        assert_eq!(ts("1970-01-01T00:00:00Z").unix_micros(), 0);
        assert_eq!(ts("1969-12-31T23:59:59.999999Z").unix_micros(), -1);
        assert_eq!(
            ts("1969-12-31T23:59:59.999999Z").utc_rfc3339(),
            "1969-12-31T23:59:59.999999Z"
        );
        assert_eq!(
            ts("9999-12-31T23:59:59.999999Z").utc_rfc3339(),
            "9999-12-31T23:59:59.999999Z"
        );
    }

    #[test]
    fn displays_keep_the_source_offset() {
        let t = ts("2021-04-01T12:30:15.5+02:30");
        assert_eq!(t.source_display(), "2021-04-01 12:30:15.5 +02:30");
        assert_eq!(t.clock_display(), "12:30:15.5");
        assert!(t.describe().contains("offset +02:30"));
        assert_eq!(
            ts("2021-04-01T10:00:00Z").source_display(),
            "2021-04-01 10:00:00 UTC"
        );
        assert_eq!(
            ts("2020-06-20T19:12:00.514619").clock_display(),
            "19:12:00.514"
        );
        assert!(ts("2020-06-20T19:12:00.514619")
            .describe()
            .contains("without a time zone"));
    }

    #[test]
    fn millis_round_half_away_from_zero() {
        assert_eq!(Duration::from_micros(1_499).millis_rounded(), 1);
        assert_eq!(Duration::from_micros(1_500).millis_rounded(), 2);
        assert_eq!(Duration::from_micros(-1_500).millis_rounded(), -2);
        assert_eq!(Duration::from_millis(i64::MAX).micros(), i64::MAX);
    }

    #[test]
    fn wall_clock_shows_an_instant_at_any_offset() {
        let t = parse_timestamp("2021-04-01T23:30:15.250Z").ok().flatten();
        let us = t.map(|t| t.unix_micros()).unwrap_or_default();
        assert_eq!(wall_clock(us, 0, true), "2021-04-01 23:30:15 UTC");
        assert_eq!(wall_clock(us, 0, false), "2021-04-01 23:30:15 +00:00");
        assert_eq!(wall_clock(us, 120, false), "2021-04-02 01:30:15 +02:00");
        assert_eq!(wall_clock(us, -330, false), "2021-04-01 18:00:15 -05:30");
        // Before the epoch, fractions round down to the second, not towards zero.
        assert_eq!(wall_clock(-1, 0, true), "1969-12-31 23:59:59 UTC");
    }
}
