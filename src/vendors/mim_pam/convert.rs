//! MIM PAM wire types → the normalised model.

use super::wire;
use crate::model::{LogonSession, LogonSessions};
use crate::vendors::{adapt_items, wire_item, DecodeError, ItemError, VendorError};

pub const EXPECTED: &str = "MIM PAM session info ({\"odata.metadata\": \"…\", \"value\": [{\"Username\": \"DOMAIN\\\\user\"}]})";

/// Reads `GET /api/session/sessioninfo` (or `/api/pamresources/sessioninfo`): who is logged on.
pub fn session_info(text: &str) -> Result<LogonSessions, DecodeError> {
    let envelope: wire::Envelope<'_> =
        serde_json::from_str(text).map_err(|e| DecodeError::from_json(&e, EXPECTED))?;
    let _ = envelope.metadata;
    let (sessions, skipped) = adapt_items(&envelope.value, |_, raw| {
        let info: wire::SessionInfo = wire_item(raw)?;
        let user = info
            .username
            .filter(|u| !u.is_empty())
            .ok_or(ItemError::Missing("Username"))?;
        Ok(LogonSession {
            user,
            session_id: None,
            href: None,
            links: Vec::new(),
        })
    });
    Ok(LogonSessions { sessions, skipped })
}

/// Reads an OData error body, v3 (`odata.error`) or v4 (`error`); `None` if it is not one.
pub fn error_body(text: &str) -> Option<VendorError> {
    let envelope: wire::ErrorEnvelope = serde_json::from_str(text).ok()?;
    let error = envelope.v3.or(envelope.v4)?;
    let message = error.message.and_then(|m| match m {
        wire::ODataMessage::Text(t) => Some(t),
        wire::ODataMessage::Localised { value } => value,
    });
    Some(VendorError {
        status: None,
        code: error.code.clone(),
        title: message
            .or(error.code)
            .unwrap_or_else(|| "The server reported an error".to_string()),
        detail: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vendor page's example (`shared/seeds/002_…`), verbatim.
    const SEED: &str = include_str!("../../../public/samples/mim-pam-sessioninfo.json");

    #[test]
    fn seed_example_every_field() {
        let read = match session_info(SEED) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        assert!(read.skipped.is_empty());
        assert_eq!(
            read.sessions,
            [LogonSession {
                user: "FIMCITONEBOXAD\\Jen".to_string(),
                session_id: None,
                href: None,
                links: vec![]
            }]
        );
    }

    #[test]
    fn bad_items_and_bad_envelopes() {
        let read = match session_info(
            r#"{"value":[{"Username":""},{"Username":7},{},{"Username":"A\\b"}]}"#,
        ) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(read.sessions.len(), 1);
        assert_eq!(read.skipped.len(), 3);
        assert!(session_info(r#"{"value":null}"#).is_err());
        assert!(session_info(r#"{"odata.metadata":"x"}"#).is_err());
    }

    #[test]
    fn odata_errors_v3_and_v4() {
        let v3 =
            r#"{"odata.error":{"code":"","message":{"lang":"en-US","value":"Access is denied."}}}"#;
        let e = error_body(v3);
        assert_eq!(
            e.as_ref().map(|e| e.title.as_str()),
            Some("Access is denied.")
        );
        let v4 = r#"{"error":{"code":"Forbidden","message":"You are not a PAM user."}}"#;
        let e = error_body(v4);
        assert_eq!(
            e.as_ref().map(|e| (e.title.as_str(), e.code.as_deref())),
            Some(("You are not a PAM user.", Some("Forbidden")))
        );
        let code_only = r#"{"error":{"code":"RequestTimeout"}}"#;
        assert_eq!(
            error_body(code_only).map(|e| e.title),
            Some("RequestTimeout".to_string())
        );
        assert_eq!(error_body(r#"{"value":[]}"#), None);
        assert_eq!(error_body("not json"), None);
    }
}
