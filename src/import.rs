//! "Open file": recognise which payload a saved response is and adapt it (SPEC §3.3).

use std::collections::BTreeMap;

use serde::de::IgnoredAny;

use crate::model::SessionLog;
use crate::vendors::{veeam_aws, DecodeError, Kind};

/// A payload read into the model, with the kind it was recognised as.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    SessionLog { kind: Kind, log: SessionLog },
}

/// The payload shapes this version reads, for "expected …" messages.
const EXPECTED: &str =
    "a Veeam Backup for AWS session log ({\"sessionId\": \"…\", \"log\": [ … ]})";

/// Recognises the payload in a file's bytes and adapts it.
pub fn read_payload(bytes: &[u8]) -> Result<Payload, DecodeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| DecodeError::NotText {
        valid_up_to: e.valid_up_to(),
    })?;
    match text.trim_start().as_bytes().first() {
        Some(b'<') => Err(DecodeError::Unsupported {
            what: "An XML document (Veeam Backup Enterprise Manager answers in XML)".to_string(),
        }),
        Some(b'{') => {
            let keys = object_keys(text)?;
            if keys.contains_key("log") {
                let log = veeam_aws::session_log(text)?;
                Ok(Payload::SessionLog {
                    kind: Kind::VeeamAws,
                    log,
                })
            } else {
                let mut names: Vec<&str> = keys.keys().map(String::as_str).take(6).collect();
                if keys.len() > names.len() {
                    names.push("…");
                }
                let found = if names.is_empty() {
                    "an empty JSON object".to_string()
                } else {
                    format!("a JSON object with the fields {}", names.join(", "))
                };
                Err(DecodeError::Unrecognised {
                    expected: EXPECTED.to_string(),
                    found,
                })
            }
        }
        Some(b'[') => {
            // Bare arrays (Ekran sessions, M365 log items) are read from issue 3 on; say what it
            // is rather than "unrecognised" when it is well-formed.
            serde_json::from_str::<IgnoredAny>(text)
                .map_err(|e| DecodeError::from_json(&e, EXPECTED))?;
            Err(DecodeError::Unrecognised {
                expected: EXPECTED.to_string(),
                found: "a JSON array".to_string(),
            })
        }
        None => Err(DecodeError::Unrecognised {
            expected: EXPECTED.to_string(),
            found: "an empty file".to_string(),
        }),
        Some(_) => Err(DecodeError::Unrecognised {
            expected: EXPECTED.to_string(),
            found: "neither JSON nor XML".to_string(),
        }),
    }
}

/// The top-level field names of a JSON object, without building its values.
fn object_keys(text: &str) -> Result<BTreeMap<String, IgnoredAny>, DecodeError> {
    serde_json::from_str(text).map_err(|e| DecodeError::from_json(&e, EXPECTED))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(bytes: &[u8]) -> String {
        match read_payload(bytes) {
            Err(e) => e.to_string(),
            Ok(p) => panic!("expected an error, read {p:?}"),
        }
    }

    #[test]
    fn seed_is_recognised_as_a_veeam_aws_log() {
        let bytes = include_bytes!("../public/samples/veeam-aws-session-log.json");
        match read_payload(bytes) {
            Ok(Payload::SessionLog { kind, log }) => {
                assert_eq!(kind, Kind::VeeamAws);
                assert_eq!(log.entries.len(), 5);
            }
            Err(e) => panic!("{e}"),
        }
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(bytes);
        assert!(read_payload(&with_bom).is_ok());
    }

    #[test]
    fn everything_else_gets_a_message_naming_what_was_expected() {
        assert!(error(b"").contains("an empty file"));
        assert!(error(b"   \n").contains("an empty file"));
        assert!(error(b"{}").contains("an empty JSON object"));
        let e = error(br#"{"value":[{"Username":"CONTOSO\\jen"}],"odata.metadata":"x"}"#);
        assert!(
            e.contains("fields odata.metadata, value")
                && e.contains("Veeam Backup for AWS session log"),
            "{e}"
        );
        assert!(error(b"[{\"sessionId\":1}]").contains("a JSON array"));
        assert!(error(b"<LogonSession/>").contains("XML"));
        assert!(error(b"hello").contains("neither JSON nor XML"));
        assert!(error(b"{\"log\": [").contains("broken at line 1"));
        assert!(error(b"[1,").contains("broken"));
        let deep_array = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        // serde_json skips ignored values without recursing: deep nesting cannot overflow the stack.
        assert!(error(deep_array.as_bytes()).contains("a JSON array"));
        let deep_object = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
        let e = error(deep_object.as_bytes());
        assert!(e.contains("the fields a"), "{e}");
        assert!(error(&[0x7b, 0xff, 0xfe]).contains("not a text file"));
        assert!(
            error(b"\xFF\xFE{\x00").contains("not a text file"),
            "UTF-16 is refused, not misread"
        );
    }
}
