//! A flat JSON object's fields read straight from its text, and the plain values read from
//! them, for payloads serde has already checked.

use std::borrow::Cow;

/// One field as written: its name (borrowed from the text unless it holds an escape) and its
/// value's JSON text.
pub type Field<'a> = (Cow<'a, str>, &'a str);

/// Reads a flat object's fields from its text into `out` (in order, a name given twice kept
/// twice), for text serde has already checked (a raw value): keys and strings without escapes,
/// values that are strings, numbers, `true`, `false` or `null`. Anything else (an escape, a
/// nested object or array, what is not an object) returns `false`, and the caller has serde read
/// the item instead; `out` then holds what was read before it gave up.
#[inline(never)] // one function the "z" callers call, not a copy optimised as theirs
pub fn flat_object<'a>(text: &'a str, out: &mut Vec<Field<'a>>) -> bool {
    flat(text, out).is_some()
}

fn flat<'a>(text: &'a str, out: &mut Vec<Field<'a>>) -> Option<()> {
    let b = text.as_bytes();
    let mut i = ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return Some(());
    }
    loop {
        let key_end = string_end(b, i)?;
        let key = text.get(i + 1..key_end - 1)?;
        i = ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let start = ws(b, i + 1);
        let end = match b.get(start)? {
            b'"' => string_end(b, start)?,
            b'{' | b'[' => return None,
            _ => {
                let len = b
                    .get(start..)?
                    .iter()
                    .position(|&c| c == b',' || c == b'}' || c.is_ascii_whitespace())?;
                start + len
            }
        };
        out.push((Cow::Borrowed(key), text.get(start..end)?));
        i = ws(b, end);
        match b.get(i)? {
            b',' => i = ws(b, i + 1),
            b'}' => return Some(()),
            _ => return None,
        }
    }
}

/// The first index from `i` that is not JSON whitespace.
#[inline(always)]
fn ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// The index after the closing quote of the string that opens at `i`; `None` for an escape.
#[inline(always)]
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let len = b
        .get(i + 1..)?
        .iter()
        .position(|&c| c == b'"' || c == b'\\')?;
    (b.get(i + 1 + len) == Some(&b'"')).then_some(i + len + 2)
}

/// The value of the last field named `name` (as sent, `null` included).
pub fn last<'a>(fields: &[Field<'a>], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .rev()
        .find(|(k, _)| k.as_ref() == name)
        .map(|(_, v)| *v)
}

/// A JSON string's text when it holds no escape (the value is valid JSON, so what lies between
/// its quotes is then the text itself); `None` otherwise.
pub fn plain_string(raw: &str) -> Option<&str> {
    let s = raw.strip_prefix('"')?.strip_suffix('"')?;
    (!s.as_bytes().contains(&b'\\')).then_some(s)
}

/// A JSON number's text read as an integer: `None` for a fraction, an exponent or what is out of
/// `i64`'s range (the caller has serde say why).
pub fn int(raw: &str) -> Option<i64> {
    raw.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Option<Vec<(String, String)>> {
        let mut out = Vec::new();
        flat_object(text, &mut out).then(|| {
            out.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
    }

    #[test]
    fn flat_objects_in_any_spacing() {
        let pairs = |p: &[(&str, &str)]| {
            Some(
                p.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )
        };
        assert_eq!(fields("{}"), pairs(&[]));
        assert_eq!(fields(" {\t}\n"), pairs(&[]));
        assert_eq!(
            fields(r#"{"a":"x y","b" : -1.5e3 ,"c":true,"d":null,"a":"z"}"#),
            pairs(&[
                ("a", r#""x y""#),
                ("b", "-1.5e3"),
                ("c", "true"),
                ("d", "null"),
                ("a", r#""z""#)
            ])
        );
        assert_eq!(fields(r#"{"é":"ü"}"#), pairs(&[("é", r#""ü""#)]));
    }

    #[test]
    fn declines_what_serde_must_read() {
        for text in [
            r#"{"a":"x\"y"}"#,
            r#"{"a\u0062":1}"#,
            r#"{"a":{"b":1}}"#,
            r#"{"a":[1]}"#,
            "[1]",
            r#""x""#,
            "",
            "{",
            r#"{"a""#,
            r#"{"a":1"#,
        ] {
            assert_eq!(fields(text), None, "{text}");
        }
    }

    #[test]
    fn the_last_of_a_name_counts() {
        let mut out = Vec::new();
        assert!(flat_object(r#"{"a":1,"b":2,"a":3}"#, &mut out));
        assert_eq!(last(&out, "a"), Some("3"));
        assert_eq!(last(&out, "b"), Some("2"));
        assert_eq!(last(&out, "c"), None);
    }

    #[test]
    fn plain_values() {
        assert_eq!(plain_string(r#""abc""#), Some("abc"));
        assert_eq!(plain_string(r#""""#), Some(""));
        assert_eq!(plain_string(r#""a\nb""#), None);
        assert_eq!(plain_string("12"), None);
        assert_eq!(int("-12"), Some(-12));
        assert_eq!(int("9223372036854775807"), Some(i64::MAX));
        for not_int in ["1.5", "1e3", "9223372036854775808", "\"1\"", "true"] {
            assert_eq!(int(not_int), None, "{not_int}");
        }
    }
}
