//! "Open file": recognise which of the vendors' payloads a saved response is, and adapt it
//! (SPEC §3.3). Recognition looks only at the top-level field names (and, for arrays, those of
//! the first item), so it costs one pass that builds no values.

use std::fmt;

use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};

use crate::model::Text;
use crate::vendors::contract::{Keys, Match, Read, Shape};
use crate::vendors::{DecodeError, Kind, Payload, VendorError};

/// The most bytes the app reads from one file or one response (128 MB). A file's size and a
/// response's `Content-Length` are checked before anything is read; a response without one is
/// gathered by the browser (outside the wasm memory) and its size checked before it is read in.
pub const MAX_BYTES: u64 = 128 << 20;

/// Whether `len` bytes (a file's size, a `Content-Length`) are more than the app reads.
pub fn too_large(len: f64) -> bool {
    len > MAX_BYTES as f64
}

/// What is said when a file is over [`MAX_BYTES`].
pub const FILE_TOO_LARGE: &str = "The file is over 128 MB, more than the viewer reads.";

/// Every payload shape this version reads, for "expected …" messages: "one of: a, b, … or z".
fn expected() -> String {
    let mut out = "one of: ".to_string();
    for (i, kind) in Kind::ALL.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if i + 1 == Kind::ALL.len() {
            out.push_str("or ");
        }
        out.push_str(kind.vendor().payloads);
    }
    out
}

/// Recognises the payload in a file's bytes and adapts it. A vendor's error response is
/// recognised too, and reported as what it says. The bytes become the payload's [`Text`] as
/// they are (a `Vec` is taken without a copy): what is read from it keeps ranges of it.
pub fn read_payload(bytes: impl Into<Vec<u8>>) -> Result<Payload, DecodeError> {
    let mut bytes = bytes.into();
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.copy_within(3.., 0);
        bytes.truncate(bytes.len().saturating_sub(3));
    }
    let text = String::from_utf8(bytes).map_err(|e| DecodeError::NotText {
        valid_up_to: e.utf8_error().valid_up_to(),
    })?;
    // Copied from a web page, JSON is often indented with non-breaking spaces (the vendors' own
    // examples are): as whitespace between tokens they are read as spaces; inside strings they
    // stay.
    // U+00A0 is C2 A0 in UTF-8: a byte search (memchr, word by word) rules it out first, where
    // `contains(char)` would run a substring search over the whole file for a non-ASCII char.
    let text = Text::from(
        if text.as_bytes().contains(&0xA0) && text.contains('\u{a0}') {
            plain_spaces_between_tokens(&text)
        } else {
            text
        },
    );
    let text = &text;
    let unrecognised = |found: String| DecodeError::Unrecognised {
        expected: expected(),
        found,
    };
    match text.trim_start().as_bytes().first() {
        Some(b'<') => read_shape(&Shape::Xml, text)
            .unwrap_or_else(|| Err(unrecognised("an XML document".to_string())))
            // A reader's own "expected" names only its vendor: name every shape instead.
            .map_err(|e| match e {
                DecodeError::Unrecognised { found, .. } => unrecognised(found),
                other => other,
            }),
        Some(b'{') => {
            // The top-level names read by a scan that checks nothing (the vendor that claims
            // them parses and checks the document); where it cannot say, or the claim fails,
            // serde reads the names as it always did and the claim is asked again, so that
            // broken JSON is said as before. serde's read of the names alone was one of three
            // passes over a 50 000-entry log.
            let quick = top_level_keys(text).and_then(|k| read_shape(&Shape::Object(&k), text));
            if let Some(Ok(payload)) = quick {
                return Ok(payload);
            }
            let keys: Keys =
                serde_json::from_str(text).map_err(|e| DecodeError::from_json(&e, &expected()))?;
            read_shape(&Shape::Object(&keys), text)
                .unwrap_or_else(|| Err(unrecognised(describe_object(&keys))))
        }
        Some(b'[') => {
            // The first item's keys are read, not the rest: the vendor that claims them parses
            // the whole array (and reports broken JSON as this would). Where nobody claims it,
            // the whole array is checked first, so that broken JSON is said before "unknown".
            let claimed = match first_item_only(text) {
                Some(keys) => read_shape(&Shape::Array(&keys), text),
                None => None,
            };
            claimed.unwrap_or_else(|| match first_item_keys(text)? {
                First::Empty => Err(unrecognised(
                    "an empty JSON array: there is nothing to show".to_string(),
                )),
                First::NotObject => Err(unrecognised(
                    "a JSON array of values that are not objects".to_string(),
                )),
                First::Object(keys) => {
                    read_shape(&Shape::Array(&keys), text).unwrap_or_else(|| {
                        Err(unrecognised(format!(
                            "a JSON array of {}",
                            describe_object(&keys).trim_start_matches("a ")
                        )))
                    })
                }
            })
        }
        None => Err(unrecognised("an empty file".to_string())),
        Some(_) => Err(unrecognised(
            if serde_json::from_str::<IgnoredAny>(text).is_ok() {
                "a single JSON value, not an object or an array"
            } else {
                "neither JSON nor XML"
            }
            .to_string(),
        )),
    }
}

/// The names of a JSON object's top-level fields, found by skipping over strings and nested
/// values without checking them; `None` where a name holds an escape or the text is not an
/// object as far as the scan can tell. For valid JSON it reads what serde reads as [`Keys`].
fn top_level_keys(text: &str) -> Option<Keys> {
    let b = text.as_bytes();
    let ws = |mut i: usize| {
        while b
            .get(i)
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
        {
            i += 1;
        }
        i
    };
    // The index after the string that opens at `i` (escapes skipped).
    let string_end = |mut i: usize| loop {
        i += 1 + b
            .get(i + 1..)?
            .iter()
            .position(|&c| c == b'"' || c == b'\\')?;
        match b.get(i)? {
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    };
    let mut keys = Keys::new();
    let mut i = ws(0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = ws(i + 1);
    if b.get(i) == Some(&b'}') {
        return Some(keys);
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let end = string_end(i)?;
        let name = text.get(i + 1..end - 1)?;
        if name.contains('\\') {
            return None;
        }
        keys.insert(name.to_string());
        i = ws(end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = ws(i + 1);
        // Past the value: a string, a nested object or array (by depth), or a literal.
        let mut depth = 0usize;
        loop {
            match b.get(i)? {
                b'"' => i = string_end(i)?,
                b'{' | b'[' => {
                    depth += 1;
                    i += 1;
                }
                b'}' | b']' if depth > 0 => {
                    depth -= 1;
                    i += 1;
                }
                b',' | b'}' if depth == 0 => break,
                _ => i += 1,
            }
        }
        match b.get(i)? {
            b',' => i = ws(i + 1),
            _ => return Some(keys),
        }
    }
}

/// `text` with each non-breaking space outside a JSON string replaced by a plain space (XML keeps
/// them: its whitespace rules are its own, and EM writes none).
fn plain_spaces_between_tokens(text: &str) -> String {
    if text
        .trim_start_matches(['\u{a0}', ' ', '\t', '\r', '\n'])
        .starts_with('<')
    {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        match c {
            '\u{a0}' if !in_string => out.push(' '),
            _ => {
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        in_string = false;
                    }
                } else if c == '"' {
                    in_string = true;
                }
                out.push(c);
            }
        }
    }
    out
}

/// Asks every vendor whether `shape` is theirs, and reads it as the surest claim says (ties go
/// to the first kind in [`Kind::ALL`]); `None` when no vendor claims it.
fn read_shape(shape: &Shape, text: &Text) -> Option<Result<Payload, DecodeError>> {
    let mut best: Option<(Kind, Match)> = None;
    for kind in Kind::ALL {
        if let Some(claim) = (kind.vendor().recognise)(shape, text) {
            if best.as_ref().is_none_or(|(_, b)| claim.rank > b.rank) {
                best = Some((kind, claim));
            }
        }
    }
    let (kind, claim) = best?;
    match claim.read {
        Read::Payload(read) => Some(read(text)),
        Read::Error(read) => read(text).map(|e| Err(vendor_error(kind, e))),
    }
}

/// The field names of the first item of an object's `results` array (M365's envelope), without
/// building anything; `None` when there is no such object item.
pub(crate) fn first_result_keys(text: &str) -> Option<Keys> {
    match serde_json::from_str::<ResultsFirst>(text).ok()?.results.0 {
        First::Object(keys) => Some(keys),
        First::Empty | First::NotObject => None,
    }
}

fn vendor_error(kind: Kind, error: VendorError) -> DecodeError {
    DecodeError::ErrorResponse {
        product: kind.product(),
        message: error.to_string(),
    }
}

fn describe_object(keys: &Keys) -> String {
    let mut names: Vec<&str> = keys.keys().map(String::as_str).take(6).collect();
    if keys.len() > names.len() {
        names.push("…");
    }
    if names.is_empty() {
        "an empty JSON object".to_string()
    } else {
        format!("a JSON object with the fields {}", names.join(", "))
    }
}

/// What a JSON array's first item is.
enum First {
    Empty,
    NotObject,
    Object(Keys),
}

/// The field names of a JSON array's first item when it is an object, reading nothing after it
/// (a 15 MB list is then parsed once, by its vendor, not twice).
fn first_item_only(text: &str) -> Option<Keys> {
    struct FirstOnly<'k>(&'k mut Option<Keys>);
    impl<'de> Visitor<'de> for FirstOnly<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON array")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            if let Some(FirstObject(keys)) = seq.next_element::<FirstObject>()? {
                *self.0 = keys;
            }
            Ok(())
        }
    }
    let mut keys = None;
    // serde_json then fails on the items left unread: expected, and what this stops for.
    let _ = (&mut serde_json::Deserializer::from_str(text)).deserialize_seq(FirstOnly(&mut keys));
    keys
}

/// The field names of a JSON array's first item, skipping the rest without building it.
fn first_item_keys(text: &str) -> Result<First, DecodeError> {
    serde_json::from_str::<FirstKeys>(text)
        .map(|f| f.0)
        .map_err(|e| DecodeError::from_json(&e, &expected()))
}

/// `{"results": [first, …]}` → the first result's field names.
#[derive(serde::Deserialize)]
struct ResultsFirst {
    results: FirstKeys,
}

/// `{"value": [first, …]}` (an OData envelope) → the first value's field names.
#[derive(serde::Deserialize)]
struct ValueFirst {
    value: FirstKeys,
}

/// The field names of the first item of an object's `value` array (an OData envelope), without
/// building anything; `None` when there is no such object item.
pub(crate) fn first_value_keys(text: &str) -> Option<Keys> {
    match serde_json::from_str::<ValueFirst>(text).ok()?.value.0 {
        First::Object(keys) => Some(keys),
        First::Empty | First::NotObject => None,
    }
}

struct FirstKeys(First);

impl<'de> serde::Deserialize<'de> for FirstKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FirstVisitor;
        impl<'de> Visitor<'de> for FirstVisitor {
            type Value = FirstKeys;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FirstKeys, A::Error> {
                let first = match seq.next_element::<FirstObject>()? {
                    None => First::Empty,
                    Some(FirstObject(None)) => First::NotObject,
                    Some(FirstObject(Some(keys))) => First::Object(keys),
                };
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(FirstKeys(first))
            }
        }
        deserializer.deserialize_seq(FirstVisitor)
    }
}

/// An object's keys, or `None` for any other value.
struct FirstObject(Option<Keys>);

impl<'de> serde::Deserialize<'de> for FirstObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Obj;
        impl<'de> Visitor<'de> for Obj {
            type Value = FirstObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<FirstObject, A::Error> {
                let mut keys = Keys::new();
                while let Some(k) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.insert(k);
                }
                Ok(FirstObject(Some(keys)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FirstObject, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(FirstObject(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<FirstObject, E> {
                Ok(FirstObject(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<FirstObject, E> {
                Ok(FirstObject(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<FirstObject, E> {
                Ok(FirstObject(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<FirstObject, E> {
                Ok(FirstObject(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<FirstObject, E> {
                Ok(FirstObject(None))
            }
            fn visit_unit<E>(self) -> Result<FirstObject, E> {
                Ok(FirstObject(None))
            }
        }
        deserializer.deserialize_any(Obj)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_size_limit_is_128_mb() {
        assert!(!super::too_large(0.0));
        assert!(!super::too_large((128u64 << 20) as f64));
        assert!(super::too_large((128u64 << 20) as f64 + 1.0));
        assert!(super::too_large(1e12));
    }

    use super::*;
    use crate::model::Content;

    fn error(bytes: &[u8]) -> String {
        match read_payload(bytes) {
            Err(e) => e.to_string(),
            Ok(p) => panic!("expected an error, read {p:?}"),
        }
    }

    /// What a payload was recognised as: (kind, shape, items read, items skipped).
    type Seen = (Kind, &'static str, usize, usize);

    fn recognised(bytes: &[u8]) -> Seen {
        match read_payload(bytes) {
            Ok(Payload {
                kind,
                content: Content::Log(log),
            }) => (kind, "log", log.entries.len(), log.skipped.len()),
            Ok(Payload {
                kind,
                content: Content::Sessions(list),
            }) => (kind, "list", list.sessions.len(), list.skipped.len()),
            Ok(Payload {
                kind,
                content: Content::Logons(sessions),
            }) => (
                kind,
                "logons",
                sessions.sessions.len(),
                sessions.skipped.len(),
            ),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn every_bundled_sample_is_recognised() {
        use Kind::*;
        let cases: [(&[u8], Seen); 6] = [
            (
                include_bytes!("../public/samples/veeam-aws-session-log.json"),
                (VeeamAws, "log", 5, 0),
            ),
            (
                include_bytes!("../public/samples/veeam-m365-log-items.json"),
                (VeeamM365, "log", 5, 0),
            ),
            (
                include_bytes!("../public/samples/ekran-sessions.json"),
                (Ekran, "list", 2, 0),
            ),
            (
                include_bytes!("../public/samples/mim-pam-sessioninfo.json"),
                (MimPam, "logons", 1, 0),
            ),
            (
                include_bytes!("../public/samples/veeam-em-logon-session.xml"),
                (VeeamEm, "logons", 1, 0),
            ),
            (
                include_bytes!("../public/samples/veeam-em-logon-session.json"),
                (VeeamEm, "logons", 1, 0),
            ),
        ];
        for (bytes, expected) in cases {
            assert_eq!(recognised(bytes), expected);
            let mut with_bom = b"\xEF\xBB\xBF".to_vec();
            with_bom.extend_from_slice(bytes);
            assert_eq!(recognised(&with_bom), expected, "with a byte-order mark");
        }
    }

    #[test]
    fn other_shapes_by_their_fields() {
        use Kind::*;
        assert_eq!(
            recognised(br#"{"offset":0,"limit":30,"results":[{"usn":1,"title":"[Success] a"}]}"#),
            (VeeamM365, "log", 1, 0)
        );
        assert_eq!(
            recognised(br#"{"offset":0,"limit":30,"results":[{"id":"a","status":"Success"}]}"#),
            (VeeamM365, "list", 1, 0)
        );
        assert_eq!(
            recognised(br#"{"id":"a","status":"Success","creationTime":"2021-01-01T00:00:00Z"}"#),
            (VeeamM365, "list", 1, 0)
        );
        assert_eq!(
            recognised(br#"[{"id":"a","status":"Failed","creationTime":"2021-01-01T00:00:00Z"}]"#),
            (VeeamM365, "list", 1, 0)
        );
        assert_eq!(
            recognised(br#"{"totalCount":1,"results":[{"id":"a","status":"Running"}]}"#),
            (VeeamAws, "list", 1, 0)
        );
        assert_eq!(
            recognised(
                br#"{"id":"a","status":"Succeeded","executionStartTime":"2021-01-01T00:00:00"}"#
            ),
            (VeeamAws, "list", 1, 0)
        );
        assert_eq!(
            recognised(br#"{"sessions":[{"sessionId":1}],"totalCount":1}"#),
            (Ekran, "list", 1, 0)
        );
        assert_eq!(
            recognised(br#"[{"UserName":"a"},{"UserName":null}]"#),
            (VeeamEm, "logons", 1, 1)
        );
        assert_eq!(
            recognised(br#"{"LogonSessions":[{"UserName":"a"}]}"#),
            (VeeamEm, "logons", 1, 0)
        );
        assert_eq!(
            recognised(b"<LogonSessions xmlns=\"http://www.veeam.com/ent/v1.0\"></LogonSessions>"),
            (VeeamEm, "logons", 0, 0)
        );
    }

    #[test]
    fn vendor_error_responses_say_what_the_vendor_said() {
        let cases: [(&[u8], &str); 5] = [
            (br#"{"type":"t","title":"Access token has expired.","status":401,"errorCode":"ExpiredToken"}"#, "error response from Veeam Backup for AWS: Access token has expired. (ExpiredToken)"),
            (br#"{"odata.error":{"code":"","message":{"lang":"en-US","value":"Access is denied."}}}"#, "from Microsoft Identity Manager PAM: Access is denied."),
            (br#"{"error":{"code":"Forbidden","message":"No."}}"#, "PAM: No. (Forbidden)"),
            (br#"{"Message":"Session is expired","StatusCode":401}"#, "from Veeam Backup Enterprise Manager: Session is expired"),
            (b"<Error xmlns=\"http://www.veeam.com/ent/v1.0\" Message=\"Not found\" StatusCode=\"404\"/>", "Enterprise Manager: Not found"),
        ];
        for (bytes, needle) in cases {
            let e = error(bytes);
            assert!(e.contains(needle), "{e}");
        }
    }

    const SAMPLES: [&[u8]; 6] = [
        include_bytes!("../public/samples/veeam-aws-session-log.json"),
        include_bytes!("../public/samples/veeam-m365-log-items.json"),
        include_bytes!("../public/samples/ekran-sessions.json"),
        include_bytes!("../public/samples/mim-pam-sessioninfo.json"),
        include_bytes!("../public/samples/veeam-em-logon-session.xml"),
        include_bytes!("../public/samples/veeam-em-logon-session.json"),
    ];

    /// Every truncation of every sample, at every byte, is an error or a partial result, never a
    /// panic. (Cut inside a multi-byte character it must be "not text"; cut elsewhere it reads.)
    #[test]
    fn every_truncation_of_every_sample_is_handled() {
        for sample in SAMPLES {
            for cut in 0..sample.len() {
                let prefix = sample.get(..cut).unwrap_or_default();
                match read_payload(prefix) {
                    Ok(_) => {}
                    Err(e) => assert!(!e.to_string().is_empty()),
                }
            }
        }
    }

    #[test]
    fn null_everywhere() {
        for (text, needle) in [
            ("null", "a single JSON value"),
            ("\"a string\"", "a single JSON value"),
            ("[null]", "not objects"),
            ("{\"log\":null}", "invalid type: null, expected a sequence"),
            ("{\"sessionId\":null,\"log\":[null,null]}", ""),
            ("{\"results\":null}", "invalid type: null"),
            ("{\"value\":null}", "invalid type: null"),
            ("{\"sessions\":null}", "invalid type: null"),
            ("{\"LogonSessions\":null}", "invalid type: null"),
            ("{\"UserName\":null,\"SessionId\":null,\"Links\":null}", ""),
            (
                "[{\"usn\":null,\"title\":null,\"creationTime\":null,\"endTime\":null}]",
                "",
            ),
            (
                "[{\"sessionId\":null,\"userId\":null,\"loginDate\":null}]",
                "",
            ),
        ] {
            match read_payload(text.as_bytes()) {
                Ok(Payload {
                    content: Content::Log(log),
                    ..
                }) => assert!(
                    log.entries.is_empty() && needle.is_empty(),
                    "{text}: {log:?}"
                ),
                Ok(Payload {
                    content: Content::Sessions(list),
                    ..
                }) => {
                    assert!(
                        list.sessions.is_empty() && !list.skipped.is_empty(),
                        "{text}"
                    )
                }
                Ok(Payload {
                    content: Content::Logons(sessions),
                    ..
                }) => {
                    assert!(
                        sessions.sessions.is_empty() && !sessions.skipped.is_empty(),
                        "{text}"
                    )
                }
                Err(e) => assert!(
                    !needle.is_empty() && e.to_string().contains(needle),
                    "{text}: {e}"
                ),
            }
        }
    }

    #[test]
    fn json_indented_with_non_breaking_spaces_opens_and_strings_keep_theirs() {
        let seed = include_str!("../public/samples/veeam-aws-session-log.json");
        let pasted = seed.replace("  ", "\u{a0}\u{a0}");
        assert_ne!(pasted, seed);
        assert_eq!(recognised(pasted.as_bytes()), (Kind::VeeamAws, "log", 5, 0));
        let kept =
            "[{\"sessionId\":1,\"clientGuid\":\"a\u{a0}b\",\u{a0}\"loginDate\":\"2021-01-01\"}]";
        match read_payload(kept.as_bytes()) {
            Ok(Payload {
                content: Content::Sessions(list),
                ..
            }) => assert_eq!(
                list.sessions
                    .first()
                    .and_then(|s| s.host.clone())
                    .as_deref(),
                Some("a\u{a0}b")
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn huge_strings_and_markup_stay_data() {
        let huge = "<b>".repeat(3 * 1024 * 1024);
        let cases = [
            format!("[{{\"usn\":1,\"title\":\"[Failed] {huge}\"}}]"),
            format!("[{{\"sessionId\":1,\"clientGuid\":\"{huge}\"}}]"),
            format!("{{\"value\":[{{\"Username\":\"{huge}\"}}]}}"),
            format!(
                "<LogonSession><UserName>{}</UserName></LogonSession>",
                huge.replace('<', "&lt;")
            ),
        ];
        for text in cases {
            let read = read_payload(text.as_bytes());
            let kept = match &read {
                Ok(Payload {
                    content: Content::Log(log),
                    ..
                }) => log.entries.first().map(|e| e.message.len()),
                Ok(Payload {
                    content: Content::Sessions(list),
                    ..
                }) => list
                    .sessions
                    .first()
                    .and_then(|s| s.host.as_ref())
                    .map(String::len),
                Ok(Payload {
                    content: Content::Logons(sessions),
                    ..
                }) => sessions.sessions.first().map(|s| s.user.len()),
                Err(e) => panic!("{e}"),
            };
            assert_eq!(kept, Some(huge.len()));
        }
    }

    #[test]
    fn everything_else_gets_a_message_naming_what_was_expected() {
        assert!(error(b"").contains("an empty file"));
        assert!(error(b"   \n").contains("an empty file"));
        assert!(error(b"{}").contains("an empty JSON object"));
        assert!(error(b"[]").contains("an empty JSON array"));
        let e = error(br#"{"foo":1,"bar":[]}"#);
        assert!(
            e.contains("fields bar, foo") && e.contains("Ekran System session list"),
            "{e}"
        );
        assert!(error(b"[{\"a\":1}]").contains("a JSON array of JSON object with the fields a"));
        assert!(error(b"[1,2]").contains("a JSON array of values that are not objects"));
        assert!(error(b"<html><body>Bad gateway</body></html>").contains("root is <html>"));
        assert!(error(b"hello").contains("neither JSON nor XML"));
        assert!(error(b"{\"log\": [").contains("broken at line 1"));
        assert!(error(b"[1,").contains("broken"));
        // Only the first item is read before a vendor claims the array; broken JSON after it is
        // still said as broken, with its place, whether a vendor claims the array or not.
        let claimed = error(b"[{\"sessionId\":1,\"userId\":2,\"loginDate\":\"2021-01-01T00:00:00Z\"},\n{\"sessionId\":");
        assert!(claimed.contains("broken at line 2"), "{claimed}");
        let unclaimed = error(b"[{\"a\":1},\n{\"a\":");
        assert!(unclaimed.contains("broken at line 2"), "{unclaimed}");
        assert!(error(&[0x7b, 0xff, 0xfe]).contains("not a text file"));
        assert!(
            error(b"\xFF\xFE{\x00").contains("not a text file"),
            "UTF-16 is refused, not misread"
        );
        // serde_json skips ignored values without recursing: deep nesting cannot overflow the stack.
        let deep_array = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(
            error(deep_array.as_bytes()).contains("a JSON array of values that are not objects")
        );
        let deep_object = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
        let e = error(deep_object.as_bytes());
        assert!(e.contains("the fields a"), "{e}");
    }

    #[test]
    fn a_claimed_object_broken_after_its_names_is_said_as_broken_with_its_place() {
        // The quick scan finds `sessionId` and `log` (Veeam Backup for AWS claims them); serde
        // then finds the missing comma, and says so as it did before the scan.
        let e = error(b"{\"sessionId\": \"s\",\n \"log\": [{\"status\": \"Success\"} {}]}");
        assert!(e.contains("broken at line 2"), "{e}");
        let names = |t: &str| top_level_keys(t).map(|k| k.keys().cloned().collect::<Vec<_>>());
        assert_eq!(
            names(r#" { "b" : [1, "]}", {"c": "\""}], "a":null,"b":2 } "#),
            Some(vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(names("{}"), Some(vec![]));
        assert_eq!(
            names(r#"{"\u0061": 1}"#),
            None,
            "an escaped name is serde's to read"
        );
        assert_eq!(names("[1]"), None);
        assert_eq!(names(r#"{"a": [1, 2"#), None, "cut off inside a value");
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod quick_names {
        use proptest::prelude::*;

        fn value() -> impl Strategy<Value = serde_json::Value> {
            let leaf = prop_oneof![
                Just(serde_json::Value::Null),
                any::<bool>().prop_map(serde_json::Value::from),
                any::<i64>().prop_map(serde_json::Value::from),
                r#"[a-z é:,{}\[\]"\\]{0,8}"#.prop_map(serde_json::Value::from),
            ];
            leaf.prop_recursive(3, 24, 4, |inner| {
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 0..4)
                        .prop_map(serde_json::Value::from),
                    proptest::collection::vec((r#"[a-z:,{}"\\]{0,4}"#, inner), 0..4)
                        .prop_map(|fields| serde_json::Value::Object(fields.into_iter().collect())),
                ]
            })
        }

        proptest! {
            /// Any object, nested any way, spaced or not: the quick scan reads the names serde
            /// reads, or (a name with an escape) declines.
            #[test]
            fn the_quick_scan_reads_the_names_serde_reads(
                fields in proptest::collection::vec((r#"[a-z é:,{}"\\]{0,6}"#, value()), 0..6),
                pretty in any::<bool>(),
            ) {
                let object = serde_json::Value::Object(fields.into_iter().collect());
                let text = if pretty {
                    serde_json::to_string_pretty(&object)
                } else {
                    serde_json::to_string(&object)
                }
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
                let slow: crate::vendors::contract::Keys = serde_json::from_str(&text)
                    .map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
                match super::super::top_level_keys(&text) {
                    Some(fast) => prop_assert_eq!(
                        fast.keys().collect::<Vec<_>>(),
                        slow.keys().collect::<Vec<_>>(),
                        "{}",
                        text
                    ),
                    None => prop_assert!(text.contains('\\'), "declined without an escape: {}", text),
                }
            }
        }
    }
}
