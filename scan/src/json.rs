//! A flat JSON object's fields read straight from its text, and the plain values read from
//! them; and a whole document that is an array of flat objects, checked as JSON as it is read.

use std::borrow::Cow;

/// One field as written: its name (borrowed from the text unless it holds an escape) and its
/// value's JSON text.
pub type Field<'a> = (Cow<'a, str>, &'a str);

/// Reads a flat object's fields from its text into `out` (in order, a name given twice kept
/// twice): keys and strings without escapes, values that are strings, numbers, `true`, `false`
/// or `null`. Anything else (an escape, a nested object or array, what is not an object or not
/// JSON) returns `false`, and the caller has serde read the item instead; `out` then holds what
/// was read before it gave up.
#[inline(never)] // one function the "z" callers call, not a copy optimised as theirs
pub fn flat_object<'a>(text: &'a str, out: &mut Vec<Field<'a>>) -> bool {
    let b = text.as_bytes();
    object(text, ws(b, 0), out).is_some_and(|end| ws(b, end) == b.len())
}

/// Reads a whole document that is a JSON array of flat objects (each as [`flat_object`] reads
/// it), checking as it goes that the text is JSON as RFC 8259 writes it (whitespace, strings
/// without control characters, numbers, literals, commas, nothing after the array), so that
/// serde need not read it first. `item` gets each object's text and its fields, in a list used
/// again for the next object. `false` for anything else (not an array, an item that is not a
/// flat object, an escape, what is not JSON), after `item` has had the objects before it: the
/// caller drops what it made of them and has serde read the document, which says why.
#[inline(never)]
pub fn flat_array<'a>(text: &'a str, item: &mut dyn FnMut(&'a str, &mut Vec<Field<'a>>)) -> bool {
    array(text, item).is_some()
}

fn array<'a>(text: &'a str, item: &mut dyn FnMut(&'a str, &mut Vec<Field<'a>>)) -> Option<()> {
    let b = text.as_bytes();
    let mut i = ws(b, 0);
    if b.get(i) != Some(&b'[') {
        return None;
    }
    i = ws(b, i + 1);
    let mut fields = Vec::with_capacity(8);
    if b.get(i) != Some(&b']') {
        loop {
            fields.clear();
            let end = object(text, i, &mut fields)?;
            item(text.get(i..end)?, &mut fields);
            i = ws(b, end);
            match b.get(i)? {
                b',' => i = ws(b, i + 1),
                b']' => break,
                _ => return None,
            }
        }
    }
    (ws(b, i + 1) == b.len()).then_some(())
}

/// Reads the flat object that opens at `i` into `out`; the index after its `}`.
fn object<'a>(text: &'a str, mut i: usize, out: &mut Vec<Field<'a>>) -> Option<usize> {
    let b = text.as_bytes();
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return Some(i + 1);
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
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
                    .position(|&c| c == b',' || c == b'}' || is_ws(c))?;
                scalar(b.get(start..start + len)?).then_some(start + len)?
            }
        };
        out.push((Cow::Borrowed(key), text.get(start..end)?));
        i = ws(b, end);
        match b.get(i)? {
            b',' => i = ws(b, i + 1),
            b'}' => return Some(i + 1),
            _ => return None,
        }
    }
}

/// JSON's whitespace (not form feed, which `u8::is_ascii_whitespace` counts).
#[inline(always)]
fn is_ws(c: u8) -> bool {
    c == b' ' || c == b'\n' || c == b'\r' || c == b'\t'
}

/// The first index from `i` that is not JSON whitespace.
#[inline(always)]
fn ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|&c| is_ws(c)) {
        i += 1;
    }
    i
}

/// The index after the closing quote of the string that opens at `i`; `None` for an escape or
/// a control character (which JSON does not allow unescaped).
#[inline(always)]
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let len = b
        .get(i + 1..)?
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
    (b.get(i + 1 + len) == Some(&b'"')).then_some(i + len + 2)
}

/// Whether a value's text is `true`, `false`, `null` or a JSON number:
/// `-`? (`0` | [1-9][0-9]*) (`.` [0-9]+)? ([eE] [+-]? [0-9]+)?
fn scalar(t: &[u8]) -> bool {
    if t == b"true" || t == b"false" || t == b"null" {
        return true;
    }
    let t = t.strip_prefix(b"-").unwrap_or(t);
    let (whole, rest) = digits(t);
    if whole.is_empty() || (whole.len() > 1 && whole.starts_with(b"0")) {
        return false;
    }
    let rest = match rest.strip_prefix(b".") {
        Some(r) => match digits(r) {
            (d, r) if !d.is_empty() => r,
            _ => return false,
        },
        None => rest,
    };
    let rest = match rest.strip_prefix(b"e").or_else(|| rest.strip_prefix(b"E")) {
        Some(r) => {
            let r = r
                .strip_prefix(b"+")
                .or_else(|| r.strip_prefix(b"-"))
                .unwrap_or(r);
            match digits(r) {
                (d, r) if !d.is_empty() => r,
                _ => return false,
            }
        }
        None => rest,
    };
    rest.is_empty()
}

/// The leading ASCII digits of `t`, and what follows them.
fn digits(t: &[u8]) -> (&[u8], &[u8]) {
    let n = t.iter().take_while(|c| c.is_ascii_digit()).count();
    t.split_at_checked(n).unwrap_or((t, &[]))
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

    /// What JSON does not allow is declined too (serde then says what is wrong).
    #[test]
    fn declines_what_is_not_json() {
        for text in [
            r#"{"a":01}"#,
            r#"{"a":-}"#,
            r#"{"a":1.}"#,
            r#"{"a":.5}"#,
            r#"{"a":1e}"#,
            r#"{"a":1e+}"#,
            r#"{"a":+1}"#,
            r#"{"a":0x1}"#,
            r#"{"a":tru}"#,
            r#"{"a":nul}"#,
            r#"{"a":True}"#,
            r#"{"a":1]}"#,
            "{\"a\":\"x\ty\"}",
            "{\"a\u{1}\":1}",
            "{\"a\":1,}",
            "{,}",
            "{\"a\" 1}",
            "{\"a\":1 \"b\":2}",
            "{a:1}",
            "{\"a\":1}x",
            "{\"a\":1}}",
            "\u{c}{\"a\":1}",
        ] {
            assert_eq!(fields(text), None, "{text:?}");
        }
        for number in [
            "0", "-0", "12", "-1.5", "1e5", "1E+5", "2.5e-3", "10", "0.0",
        ] {
            assert!(scalar(number.as_bytes()), "{number}");
        }
    }

    fn items(text: &str) -> Option<Vec<(String, usize)>> {
        let mut seen = Vec::new();
        flat_array(text, &mut |item, fields| {
            seen.push((item.to_string(), fields.len()));
        })
        .then_some(seen)
    }

    #[test]
    fn flat_arrays_item_by_item() {
        assert_eq!(items("[]"), Some(vec![]));
        assert_eq!(items(" \r\n[ \t] "), Some(vec![]));
        assert_eq!(
            items(r#"[{"a":1,"b":"x"} , {},{"c":null}]"#),
            Some(vec![
                (r#"{"a":1,"b":"x"}"#.to_string(), 2),
                ("{}".to_string(), 0),
                (r#"{"c":null}"#.to_string(), 1),
            ])
        );
        for text in [
            "",
            "{}",
            "[",
            "[{}",
            "[{},]",
            "[,{}]",
            "[{}{}]",
            "[{}] x",
            "[{}]]",
            "[1]",
            r#"["a"]"#,
            "[[]]",
            "[null]",
            r#"[{"a":[1]}]"#,
            r#"[{"a":"\n"}]"#,
            r#"[{"a":01}]"#,
        ] {
            assert_eq!(items(text), None, "{text:?}");
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
