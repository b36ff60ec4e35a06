//! The timestamp grammar: the one lexer for every style the vendors write, turned into an
//! instant in microseconds, the zone and the precision as written (the model's `Timestamp` is
//! made from these).

/// Microseconds in one day, the unit the calendar arithmetic works in.
pub const DAY_US: i64 = 86_400_000_000;
/// Julian day number of 1970-01-01, the Unix epoch.
pub const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

/// The zone a timestamp was written with. Kept so that it can be shown as the source wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    /// `Z`.
    Utc,
    /// `±hh:mm`, in minutes east of UTC.
    Offset(i16),
    /// No zone at all (Veeam Backup for AWS writes these): read as UTC, and the UI says so.
    Unspecified,
}

/// How much of a timestamp the source wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// `YYYY-MM-DD`.
    Day,
    /// `YYYY-MM-DDTHH:MM`.
    Minute,
    /// `YYYY-MM-DDTHH:MM:SS` with this many fraction digits (0 to 9; kept to 6 in the instant).
    Second { fraction_digits: u8 },
}

/// A timestamp as read: the instant in microseconds since 1970-01-01T00:00:00Z, and the zone and
/// precision the source wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub unix_us: i64,
    pub zone: Zone,
    pub precision: Precision,
}

/// Reads a timestamp in any style of the app's SPEC §1 (RFC 3339 with 0 to 9 fraction digits and
/// `Z`, an offset or no zone; a date alone; a date with `HH:MM`; `T`, `t` or a space between date
/// and time), surrounding whitespace ignored. `Ok(None)` for .NET's "not set" value
/// `0001-01-01T00:00:00`; the reason in words when it is no timestamp.
#[inline(never)] // one function the "z" callers call, not a copy optimised as theirs
pub fn parse(text: &str) -> Result<Option<Parsed>, &'static str> {
    let bytes = text.trim().as_bytes();
    let mut lex = Lexer { bytes, pos: 0 };

    let year = lex.digits(4).ok_or("expected a four-digit year")?;
    lex.eat(b'-').ok_or("expected '-' after the year")?;
    let month = lex.digits(2).ok_or("expected a two-digit month")?;
    lex.eat(b'-').ok_or("expected '-' after the month")?;
    let day = lex.digits(2).ok_or("expected a two-digit day")?;

    let (mut hour, mut minute, mut second, mut micros) = (0, 0, 0, 0);
    let mut precision = Precision::Day;
    let mut zone = Zone::Unspecified;
    if !lex.at_end() {
        lex.eat_any(b"Tt ")
            .ok_or("expected 'T' between date and time")?;
        hour = lex.digits(2).ok_or("expected a two-digit hour")?;
        lex.eat(b':').ok_or("expected ':' after the hour")?;
        minute = lex.digits(2).ok_or("expected two-digit minutes")?;
        precision = Precision::Minute;
        if lex.eat(b':').is_some() {
            second = lex.digits(2).ok_or("expected two-digit seconds")?;
            let mut fraction_digits = 0u8;
            if lex.eat_any(b".,").is_some() {
                let start = lex.pos;
                while lex.peek().is_some_and(|b| b.is_ascii_digit()) {
                    lex.pos += 1;
                }
                let fraction = lex.bytes.get(start..lex.pos).unwrap_or_default();
                if fraction.is_empty() {
                    return Err("expected digits after the decimal point");
                }
                if fraction.len() > 9 {
                    return Err("more than 9 fraction digits");
                }
                fraction_digits = fraction.len() as u8;
                // Keep microseconds; digits 7 to 9 are finer than the model's unit.
                micros = fraction
                    .iter()
                    .chain(std::iter::repeat(&b'0'))
                    .take(6)
                    .fold(0i64, |acc, b| acc * 10 + i64::from(b - b'0'));
            }
            precision = Precision::Second { fraction_digits };
        }
        zone = match lex.peek() {
            None => Zone::Unspecified,
            Some(b'Z' | b'z') => {
                lex.pos += 1;
                Zone::Utc
            }
            Some(sign @ (b'+' | b'-')) => {
                lex.pos += 1;
                let hours = lex.digits(2).ok_or("expected an offset as ±hh:mm")?;
                lex.eat(b':');
                let mins = lex.digits(2).ok_or("expected an offset as ±hh:mm")?;
                if hours > 23 || mins > 59 {
                    return Err("the offset is out of range");
                }
                let total = (hours * 60 + mins) as i16;
                Zone::Offset(if sign == b'-' { -total } else { total })
            }
            Some(_) => return Err("unexpected text after the time"),
        };
    }
    if !lex.at_end() {
        return Err("unexpected text after the timestamp");
    }

    if hour > 23 || minute > 59 {
        return Err("the time of day is out of range");
    }
    if second > 59 {
        return Err("seconds out of range (leap seconds are not supported)");
    }
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| ::time::Month::try_from(m).ok())
        .ok_or("the month is out of range")?;
    let date = ::time::Date::from_calendar_date(year as i32, month, day as u8)
        .map_err(|_| "no such day in the calendar")?;

    if year == 1
        && u8::from(month) == 1
        && day == 1
        && hour == 0
        && minute == 0
        && second == 0
        && micros == 0
    {
        return Ok(None);
    }

    let days = i64::from(date.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY;
    let offset_us = match zone {
        Zone::Offset(minutes) => i64::from(minutes) * 60_000_000,
        Zone::Utc | Zone::Unspecified => 0,
    };
    let time_us =
        (i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second)) * 1_000_000 + micros;
    // Four-digit years keep this far inside i64: |days| < 4 million, times 8.64e10.
    let unix_us = days * DAY_US + time_us - offset_us;
    Ok(Some(Parsed {
        unix_us,
        zone,
        precision,
    }))
}

/// Reads fixed-width fields off a timestamp's bytes.
struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        self.eat_any(&[byte])
    }

    fn eat_any(&mut self, set: &[u8]) -> Option<()> {
        let b = self.peek()?;
        if set.contains(&b) {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    /// Exactly `n` ASCII digits as a number.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let field = self.bytes.get(self.pos..self.pos + n)?;
        if !field.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.pos += n;
        Some(
            field
                .iter()
                .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0')),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The model's own tests (`model::time`) go through every style and every reason; these check
    // what this layer adds: the parts as read, the trim, and "not set".
    #[test]
    fn parts_as_read() {
        assert_eq!(
            parse(" 2021-04-01T12:00:05.5+02:00\n"),
            Ok(Some(Parsed {
                unix_us: 1_617_271_205_500_000,
                zone: Zone::Offset(120),
                precision: Precision::Second { fraction_digits: 1 },
            }))
        );
        assert_eq!(
            parse("1970-01-01"),
            Ok(Some(Parsed {
                unix_us: 0,
                zone: Zone::Unspecified,
                precision: Precision::Day,
            }))
        );
        assert_eq!(parse("0001-01-01T00:00:00"), Ok(None));
        assert_eq!(parse("2021-02-30"), Err("no such day in the calendar"));
    }
}
