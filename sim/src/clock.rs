//! Calendar arithmetic and the vendors' timestamp styles, written out by hand to avoid a date crate.
//!
//! Every instant in the simulator is an `i64` count of 100 ns ticks since 1970-01-01T00:00:00Z:
//! .NET's tick resolution is the finest any vendor writes (Veeam Backup for Microsoft 365 prints
//! seven fraction digits), so nothing is lost when formatting.

/// 100 ns ticks since the Unix epoch, UTC.
pub type Ticks = i64;

pub const TICKS_PER_MS: i64 = 10_000;
pub const TICKS_PER_SEC: i64 = 10_000_000;
pub const TICKS_PER_MIN: i64 = 60 * TICKS_PER_SEC;
pub const TICKS_PER_HOUR: i64 = 60 * TICKS_PER_MIN;
pub const TICKS_PER_DAY: i64 = 24 * TICKS_PER_HOUR;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (inverse of [`days_from_civil`]).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Broken-down civil time of an instant shifted by `offset_min` minutes.
struct Parts {
    y: i64,
    mo: u32,
    d: u32,
    h: i64,
    mi: i64,
    s: i64,
    /// Sub-second part in ticks (0..10^7).
    frac: i64,
}

fn parts(t: Ticks, offset_min: i64) -> Parts {
    let t = t + offset_min * TICKS_PER_MIN;
    let days = t.div_euclid(TICKS_PER_DAY);
    let rem = t.rem_euclid(TICKS_PER_DAY);
    let (y, mo, d) = civil_from_days(days);
    let secs = rem / TICKS_PER_SEC;
    Parts {
        y,
        mo,
        d,
        h: secs / 3600,
        mi: secs / 60 % 60,
        s: secs % 60,
        frac: rem % TICKS_PER_SEC,
    }
}

fn date_time(p: &Parts) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        p.y, p.mo, p.d, p.h, p.mi, p.s
    )
}

/// Fraction digits with trailing zeros trimmed, as .NET's `FFFFFFF` pattern writes them.
fn trimmed_fraction(value: i64, digits: usize) -> String {
    if value == 0 {
        return String::new();
    }
    let s = format!("{value:0digits$}");
    format!(".{}", s.trim_end_matches('0'))
}

/// Veeam Backup for AWS style: no zone, microseconds with trailing zeros trimmed
/// (`2020-06-20T19:19:52.3988`).
pub fn fmt_vba(t: Ticks) -> String {
    let p = parts(t, 0);
    format!("{}{}", date_time(&p), trimmed_fraction(p.frac / 10, 6))
}

/// Veeam Backup for Microsoft 365 style: server-local time with seven trimmed fraction digits
/// and the offset (`2017-04-04T00:07:28.454487-07:00`).
pub fn fmt_m365(t: Ticks, offset_min: i64) -> String {
    let p = parts(t, offset_min);
    let sign = if offset_min < 0 { '-' } else { '+' };
    let o = offset_min.abs();
    format!(
        "{}{}{}{:02}:{:02}",
        date_time(&p),
        trimmed_fraction(p.frac, 7),
        sign,
        o / 60,
        o % 60
    )
}

/// Ekran style: milliseconds always present, explicit `+00:00` (`2000-01-23T04:56:07.000+00:00`).
pub fn fmt_ekran(t: Ticks) -> String {
    let p = parts(t, 0);
    format!("{}.{:03}+00:00", date_time(&p), p.frac / TICKS_PER_MS)
}

/// RFC 3339 in UTC with a `Z`, whole seconds (token `.issued`/`.expires` fields).
pub fn fmt_utc_z(t: Ticks) -> String {
    format!("{}Z", date_time(&parts(t, 0)))
}

/// HTTP-date-free human form used inside free text, US locale (`4/4/2017 12:07:21 AM`), as
/// Windows servers print it; clients must show it, never parse it.
pub fn fmt_us_text(t: Ticks, offset_min: i64) -> String {
    let p = parts(t, offset_min);
    let (h12, ampm) = match p.h {
        0 => (12, "AM"),
        1..=11 => (p.h, "AM"),
        12 => (12, "PM"),
        _ => (p.h - 12, "PM"),
    };
    format!(
        "{}/{}/{} {}:{:02}:{:02} {}",
        p.mo, p.d, p.y, h12, p.mi, p.s, ampm
    )
}

/// .NET `TimeSpan` constant format `[-][d.]hh:mm:ss[.fffffff]`.
pub fn fmt_timespan(ticks: i64) -> String {
    let sign = if ticks < 0 { "-" } else { "" };
    let t = ticks.unsigned_abs();
    let tps = TICKS_PER_SEC as u64;
    let frac = t % tps;
    let secs = t / tps;
    let days = secs / 86_400;
    let (h, m, s) = (secs / 3600 % 24, secs / 60 % 60, secs % 60);
    let mut out = String::from(sign);
    if days > 0 {
        out.push_str(&format!("{days}."));
    }
    out.push_str(&format!("{h:02}:{m:02}:{s:02}"));
    if frac > 0 {
        out.push_str(&format!(".{frac:07}"));
    }
    out
}

/// Parses the timestamp forms clients send: `YYYY-MM-DD`, optionally followed by `T` (or a
/// space) and `HH:MM`, `:SS`, a fraction of any length, and `Z` or `±hh:mm`. A value without a
/// zone is taken as UTC. Returns `None` for anything else, including impossible dates.
pub fn parse_timestamp(s: &str) -> Option<Ticks> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let y = num(0, 4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let mo = u32::try_from(num(5, 2)?).ok()?;
    let d = u32::try_from(num(8, 2)?).ok()?;
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) {
        return None;
    }
    let mut t = days_from_civil(y, mo, d) * TICKS_PER_DAY;
    let mut i = 10;
    if b.len() == i {
        return Some(t);
    }
    if !matches!(b[i], b'T' | b't' | b' ') {
        return None;
    }
    let h = num(i + 1, 2)?;
    if b.get(i + 3) != Some(&b':') {
        return None;
    }
    let mi = num(i + 4, 2)?;
    if h > 23 || mi > 59 {
        return None;
    }
    t += h * TICKS_PER_HOUR + mi * TICKS_PER_MIN;
    i += 6;
    if b.get(i) == Some(&b':') {
        let sec = num(i + 1, 2)?;
        if sec > 59 {
            return None;
        }
        t += sec * TICKS_PER_SEC;
        i += 3;
        if b.get(i) == Some(&b'.') {
            let start = i + 1;
            let mut end = start;
            while b.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            if end == start {
                return None;
            }
            // Only the first seven digits fit in a tick; further digits are truncated.
            let digits = &s[start..end.min(start + 7)];
            let mut frac: i64 = digits.parse().ok()?;
            for _ in digits.len()..7 {
                frac *= 10;
            }
            t += frac;
            i = end;
        }
    }
    match b.get(i) {
        None => Some(t),
        Some(b'Z' | b'z') if b.len() == i + 1 => Some(t),
        Some(&c @ (b'+' | b'-')) if b.len() == i + 6 && b[i + 3] == b':' => {
            let oh = num(i + 1, 2)?;
            let om = num(i + 4, 2)?;
            let off = (oh * 60 + om) * TICKS_PER_MIN;
            Some(if c == b'+' { t - off } else { t + off })
        }
        _ => None,
    }
}

/// Parses the three forms the Ekran page documents (`2021-04-01`, `2021-04-01T12:00`,
/// `2021-04-01T12:00:00`), taken as UTC; other forms are rejected as the page allows no others.
pub fn parse_ekran_param(s: &str) -> Option<Ticks> {
    let ok_shape = match s.len() {
        10 => true,
        16 | 19 => s.as_bytes()[10] == b'T',
        _ => false,
    };
    if ok_shape {
        parse_timestamp(s)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(s: &str, expected: &str) {
        let t = parse_timestamp(s).unwrap_or_else(|| panic!("{s} did not parse"));
        assert_eq!(fmt_vba(t), expected, "{s}");
    }

    #[test]
    fn round_trips_vba_seed_timestamps() {
        check("2020-06-20T19:19:52.3988", "2020-06-20T19:19:52.3988");
        check("2020-06-20T19:12:00.514619", "2020-06-20T19:12:00.514619");
        check("2020-06-20", "2020-06-20T00:00:00");
        check("2020-06-20T19:12", "2020-06-20T19:12:00");
    }

    #[test]
    fn offsets_are_folded_into_the_instant() {
        check(
            "2017-04-04T00:07:21.3664166-07:00",
            "2017-04-04T07:07:21.366416",
        );
        check("2000-01-23T04:56:07.000+00:00", "2000-01-23T04:56:07");
    }

    #[test]
    fn m365_style_matches_the_seed() {
        let t = parse_timestamp("2017-04-04T00:07:28.454487-07:00").unwrap();
        assert_eq!(fmt_m365(t, -420), "2017-04-04T00:07:28.454487-07:00");
        let t = parse_timestamp("2017-04-04T00:07:21.3664166-07:00").unwrap();
        assert_eq!(fmt_m365(t, -420), "2017-04-04T00:07:21.3664166-07:00");
        assert_eq!(fmt_us_text(t, -420), "4/4/2017 12:07:21 AM");
    }

    #[test]
    fn ekran_style_and_params() {
        let t = parse_ekran_param("2000-01-23T04:56:07").unwrap();
        assert_eq!(fmt_ekran(t), "2000-01-23T04:56:07.000+00:00");
        assert!(parse_ekran_param("2021-04-01").is_some());
        assert!(parse_ekran_param("2021-04-01T12:00").is_some());
        assert!(parse_ekran_param("2021-04-01T12:00:00Z").is_none());
        assert!(parse_ekran_param("2021-02-30").is_none());
        assert!(parse_ekran_param("yesterday").is_none());
    }

    #[test]
    fn timespans_use_the_dotnet_constant_format() {
        assert_eq!(fmt_timespan(0), "00:00:00");
        assert_eq!(fmt_timespan(90 * TICKS_PER_MIN + 5), "01:30:00.0000005");
        assert_eq!(fmt_timespan(TICKS_PER_DAY + TICKS_PER_SEC), "1.00:00:01");
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 1, 10_957, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }
}
