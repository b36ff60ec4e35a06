//! MIM PAM wire types → the normalised model.

use serde_json::value::RawValue;

use super::wire;
use crate::model::{LogonSession, LogonSessions, Session, SessionList, Source, Status, Text};
use crate::vendors::{
    adapt_items, object_keys, raw_text, status_word, time_field, DecodeError, ItemError,
    VendorError,
};

pub const EXPECTED: &str = "MIM PAM session info ({\"odata.metadata\": \"…\", \"value\": [{\"Username\": \"DOMAIN\\\\user\"}]})";
pub const EXPECTED_REQUESTS: &str = "MIM PAM requests ({\"odata.metadata\": \"…\", \"value\": [{\"RequestId\", \"RoleId\", \"RequestStatus\", \"RequestedTime\", …}]})";
pub const EXPECTED_ROLES: &str =
    "MIM PAM roles ({\"odata.metadata\": \"…\", \"value\": [{\"RoleId\", \"DisplayName\", …}]})";

/// Reads `GET /api/session/sessioninfo` (or `/api/pamresources/sessioninfo`): who is logged on.
pub fn session_info(text: &str) -> Result<LogonSessions, DecodeError> {
    let text = without_bom(text);
    let envelope = wire::Envelope::read(text, EXPECTED)?;
    let _ = envelope.metadata;
    let (sessions, skipped) = adapt_items(&envelope.value, |_, raw| {
        let info = wire::SessionInfo::read(raw)?;
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
    let text = without_bom(text);
    let envelope = wire::ErrorEnvelope::read(text)?;
    let error = envelope.v3.or(envelope.v4)?;
    // A message of neither form means the body is not an OData error.
    let message = match error.message {
        None => None,
        Some(m) if m.get().starts_with('{') => wire::Localised::read(m)?.value,
        Some(m) => Some(raw_text(Some(m))?),
    };
    Some(VendorError {
        status: None,
        code: error.code.clone(),
        title: message
            .or(error.code)
            .unwrap_or_else(|| "The server reported an error".to_string()),
        detail: None,
    })
}

/// Reads `GET /api/pamresources/pamrequests` (an OData envelope) or one request (the
/// `pamrequests/@Element` answer to creating one): each elevation request as a session of its
/// role. The role's name is not in a request: `job` is the role's id, for joining `pamroles`.
pub fn pam_requests(whole: &Text) -> Result<SessionList, DecodeError> {
    let text = without_bom(whole);
    let keys = object_keys(text, EXPECTED_REQUESTS)?;
    let items: Vec<&RawValue> =
        if !keys.contains_key(wire::VALUE) && keys.contains_key(wire::REQUEST_ID) {
            vec![serde_json::from_str(text)
                .map_err(|e| DecodeError::from_json(&e, EXPECTED_REQUESTS))?]
        } else {
            envelope(text, EXPECTED_REQUESTS)?
        };
    let (sessions, skipped) = adapt_items(&items, |_, raw| request(raw, whole));
    Ok(SessionList {
        sessions,
        skipped,
        total: None,
    })
}

/// Reads `GET /api/pamresources/pamroles`: each role's id and display name (trimmed; Microsoft's
/// own example has a trailing space). A role without either is left out.
pub fn pam_roles(text: &str) -> Result<Vec<(String, String)>, DecodeError> {
    let text = without_bom(text);
    let items = envelope(text, EXPECTED_ROLES)?;
    Ok(items
        .iter()
        .filter_map(|raw| {
            let role = wire::PamRole::read(raw).ok()?;
            let id = role.role_id.map(|i| i.trim().to_string());
            let name = role.display_name.map(|n| n.trim().to_string());
            Some((
                id.filter(|i| !i.is_empty())?,
                name.filter(|n| !n.is_empty())?,
            ))
        })
        .collect())
}

/// A request's `RequestStatus` onto a normalised status. Microsoft's reference lists Processing,
/// Active, Closed, Closing, Expired, PendingApproval, PendingMFA and Rejected. An elevation has no
/// result: one that was closed or ran out simply ended; a refused one is a failure to look at.
pub fn request_status(word: &str) -> Status {
    const TABLE: [(&str, Status); 10] = [
        ("Active", Status::Running),
        ("Closing", Status::Running),
        ("Processing", Status::Pending),
        ("PendingApproval", Status::Pending),
        ("PendingMFA", Status::Pending),
        ("Closed", Status::Ended),
        ("Expired", Status::Ended),
        ("Rejected", Status::Failed),
        ("Canceled", Status::Canceled),
        ("Cancelled", Status::Canceled),
    ];
    status_word(&TABLE, word)
}

/// A count of seconds in words: `3600` → `1 h`, `5400` → `1 h 30 min`, `12960000` → `150 d`.
pub fn seconds_in_words(seconds: u64) -> String {
    const UNITS: [(u64, &str); 4] = [(86_400, "d"), (3_600, "h"), (60, "min"), (1, "s")];
    let mut rest = seconds;
    let mut parts = Vec::new();
    for (size, unit) in UNITS {
        let n = rest / size;
        rest %= size;
        if n > 0 {
            parts.push(format!("{n} {unit}"));
        }
    }
    if parts.is_empty() {
        "0 s".to_string()
    } else {
        parts.join(" ")
    }
}

/// The items of an OData envelope.
fn envelope<'a>(text: &'a str, expected: &str) -> Result<Vec<&'a RawValue>, DecodeError> {
    let envelope = wire::Envelope::read(text, expected)?;
    let _ = envelope.metadata;
    Ok(envelope.value)
}

fn request(raw: &RawValue, whole: &Text) -> Result<Session, ItemError> {
    let r = wire::PamRequest::read(raw)?;
    let text = |field: &Option<String>| {
        field
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    let id = text(&r.request_id).ok_or(ItemError::Missing("RequestId"))?;
    let vendor_status = text(&r.request_status).unwrap_or_default();
    let status = request_status(&vendor_status);
    let start = match time_field("RequestedTime", r.requested_time.as_deref())? {
        Some(t) => Some(t),
        None => time_field("CreationTime", r.creation_time.as_deref())?,
    };
    let expires = time_field("ExpirationTime", r.expiration_time.as_deref())?;
    // A request that is over but never got an expiration (a rejected one) granted nothing: it
    // ends where it starts rather than looking open for ever.
    let over = matches!(status, Status::Ended | Status::Failed | Status::Canceled);
    let end = expires.or(if over { start } else { None });
    let role = text(&r.role_id);
    let mut details = Vec::new();
    if let Some(why) = text(&r.justification) {
        details.push(("Justification", why));
    }
    if let Some(ttl) = r.requested_ttl.map(ttl_words).transpose()?.flatten() {
        details.push(("Requested for", ttl));
    }
    if let Some(method) = text(&r.creation_method) {
        details.push(("Created", method));
    }
    if let Some(role) = &role {
        details.push(("Role", role.clone()));
    }
    Ok(Session {
        id,
        user: text(&r.creator_id),
        host: None,
        start,
        end,
        reported: None,
        status,
        vendor_status: vendor_status.into(),
        name: None,
        log_href: None,
        job: role,
        details,
        source: Source::within(whole, raw.get()),
    })
}

/// `RequestedTTL` (text or a number) in words; text that is not a count of seconds is shown as
/// sent. A value of another type is not a count: the request is not read.
fn ttl_words(ttl: &RawValue) -> Result<Option<String>, ItemError> {
    let raw = ttl.get().trim();
    let text = match raw.bytes().next() {
        Some(b'"') => raw_text(Some(ttl)).unwrap_or_default().trim().to_string(),
        Some(b'-' | b'0'..=b'9') => raw.to_string(),
        _ => {
            return Err(ItemError::Shape(
                "RequestedTTL: expected a number or text".to_string(),
            ))
        }
    };
    Ok(match text.parse::<u64>() {
        Ok(seconds) => Some(seconds_in_words(seconds)),
        Err(_) => Some(text).filter(|t| !t.is_empty()),
    })
}

/// Strips one leading UTF-8 byte order mark.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
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

    // Elevation requests and roles (`pamrequests`, `pamroles`), in the shape Microsoft's
    // reference documents (values are the simulator's, not Microsoft's).

    const ROLE_AD: &str = "5a0f6d3e-1c2b-4a59-9e8f-0a1b2c3d4e5f";
    const ROLE_AWS: &str = "c0ffee00-1234-4abc-8def-000000000003";
    const JEN: &str = "9d2c41b7-3e5f-4a60-8b71-c2d3e4f5a6b7";

    const REQUESTS: &str = r#"{"odata.metadata":"https://pam/api/pamresources/%24metadata#pamrequests","value":[
{"RequestId":"11111111-aaaa-4bbb-8ccc-000000000001","CreatorID":"9d2c41b7-3e5f-4a60-8b71-c2d3e4f5a6b7","Justification":"Restore check for prod-ec2-daily, ticket INC004211","CreationTime":"2025-08-30T09:00:00Z","CreationMethod":"PAM Web API","ExpirationTime":"2025-08-30T10:00:05Z","RoleId":"5a0f6d3e-1c2b-4a59-9e8f-0a1b2c3d4e5f","RequestedTTL":"3600","RequestedTime":"2025-08-30T09:00:05Z","RequestStatus":"Expired"},
{"RequestId":"11111111-aaaa-4bbb-8ccc-000000000002","CreatorID":"9d2c41b7-3e5f-4a60-8b71-c2d3e4f5a6b7","Justification":null,"CreationTime":"2025-09-01T11:10:00Z","CreationMethod":"PAM Web API","ExpirationTime":"0001-01-01T00:00:00","RoleId":"c0ffee00-1234-4abc-8def-000000000003","RequestedTTL":"14400","RequestedTime":"2025-09-01T11:12:00Z","RequestStatus":"Active"},
{"RequestId":"11111111-aaaa-4bbb-8ccc-000000000003","CreatorID":"9d2c41b7-3e5f-4a60-8b71-c2d3e4f5a6b7","Justification":"","CreationTime":"2025-09-01T11:40:00Z","CreationMethod":null,"ExpirationTime":"0001-01-01T00:00:00","RoleId":"c0ffee00-1234-4abc-8def-000000000003","RequestedTTL":"5400","RequestedTime":"0001-01-01T00:00:00","RequestStatus":"PendingApproval"},
{"RequestId":"11111111-aaaa-4bbb-8ccc-000000000004","CreatorID":"9d2c41b7-3e5f-4a60-8b71-c2d3e4f5a6b7","Justification":"Rejected one","CreationTime":"2025-08-29T08:00:00Z","CreationMethod":"PAM Web API","ExpirationTime":"0001-01-01T00:00:00","RoleId":"c0ffee00-1234-4abc-8def-000000000003","RequestedTTL":12960000,"RequestedTime":"2025-08-29T08:00:00Z","RequestStatus":"Rejected"}
]}"#;

    const ROLES: &str = r#"{"odata.metadata":"https://pam/api/pamresources/%24metadata#pamroles","value":[
{"RoleId":"5a0f6d3e-1c2b-4a59-9e8f-0a1b2c3d4e5f","DisplayName":"Allow AD Access ","Description":null,"TTL":"3600","AvailableFrom":"0001-01-01T00:00:00","AvailableTo":"0001-01-01T00:00:00","MFAEnabled":false,"ApprovalEnabled":false,"AvailabilityWindowEnabled":false},
{"RoleId":"c0ffee00-1234-4abc-8def-000000000003","DisplayName":"AWS backup admins (prod-ec2-daily)","Description":"x","TTL":"14400","AvailableFrom":"0001-01-01T00:00:00","AvailableTo":"0001-01-01T00:00:00","MFAEnabled":false,"ApprovalEnabled":true,"AvailabilityWindowEnabled":false}
]}"#;

    fn t(text: &str) -> Option<crate::model::Timestamp> {
        crate::model::parse_timestamp(text).ok().flatten()
    }

    fn requests(text: &str) -> SessionList {
        match pam_requests(&text.into()) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        }
    }

    fn request_row(
        n: u8,
        start: &str,
        end: Option<&str>,
        status: Status,
        word: &str,
        role: &str,
        details: &[(&'static str, &str)],
    ) -> Session {
        Session {
            id: format!("11111111-aaaa-4bbb-8ccc-00000000000{n}"),
            user: Some(JEN.into()),
            host: None,
            start: t(start),
            end: end.and_then(t),
            reported: None,
            status,
            vendor_status: word.to_string().into(),
            name: None,
            log_href: None,
            job: Some(role.into()),
            details: details.iter().map(|(k, v)| (*k, v.to_string())).collect(),
            source: Default::default(),
        }
    }

    #[test]
    fn pam_requests_open_expired_pending_every_field() {
        let read = requests(REQUESTS);
        assert!(read.skipped.is_empty(), "{:?}", read.skipped);
        assert_eq!(read.total, None);
        let got: Vec<Session> = read
            .sessions
            .iter()
            .map(|s| Session {
                source: Default::default(),
                ..s.clone()
            })
            .collect();
        assert_eq!(
            got,
            [
                request_row(
                    1,
                    "2025-08-30T09:00:05Z",
                    Some("2025-08-30T10:00:05Z"),
                    Status::Ended,
                    "Expired",
                    ROLE_AD,
                    &[
                        (
                            "Justification",
                            "Restore check for prod-ec2-daily, ticket INC004211"
                        ),
                        ("Requested for", "1 h"),
                        ("Created", "PAM Web API"),
                        ("Role", ROLE_AD),
                    ],
                ),
                request_row(
                    2,
                    "2025-09-01T11:12:00Z",
                    None,
                    Status::Running,
                    "Active",
                    ROLE_AWS,
                    &[
                        ("Requested for", "4 h"),
                        ("Created", "PAM Web API"),
                        ("Role", ROLE_AWS),
                    ],
                ),
                // RequestedTime not set: the request's creation is its start.
                request_row(
                    3,
                    "2025-09-01T11:40:00Z",
                    None,
                    Status::Pending,
                    "PendingApproval",
                    ROLE_AWS,
                    &[("Requested for", "1 h 30 min"), ("Role", ROLE_AWS)],
                ),
                // Refused, never expiring: it ends where it starts instead of looking open.
                request_row(
                    4,
                    "2025-08-29T08:00:00Z",
                    Some("2025-08-29T08:00:00Z"),
                    Status::Failed,
                    "Rejected",
                    ROLE_AWS,
                    &[
                        ("Justification", "Rejected one"),
                        ("Requested for", "150 d"),
                        ("Created", "PAM Web API"),
                        ("Role", ROLE_AWS),
                    ],
                ),
            ]
        );
        assert!(read.sessions[1].is_open() && read.sessions[2].is_open()); // ok: test fixture
        assert!(!read.sessions[0].is_open() && !read.sessions[3].is_open()); // ok: test fixture
        for s in &read.sessions {
            assert!(s.source.starts_with("{\"RequestId\":") && s.source.contains(&s.id));
        }
    }

    #[test]
    fn request_status_table_row_by_row() {
        let rows = [
            ("Active", Status::Running),
            ("Closing", Status::Running),
            ("Processing", Status::Pending),
            ("PendingApproval", Status::Pending),
            ("PendingMFA", Status::Pending),
            ("Closed", Status::Ended),
            ("Expired", Status::Ended),
            ("Rejected", Status::Failed),
            ("Canceled", Status::Canceled),
            ("Cancelled", Status::Canceled),
            (" expired ", Status::Ended),
            ("", Status::Unknown),
            ("Elevated", Status::Unknown),
        ];
        for (word, status) in rows {
            assert_eq!(request_status(word), status, "{word:?}");
        }
    }

    #[test]
    fn requested_ttl_in_words() {
        for (seconds, words) in [
            (0, "0 s"),
            (45, "45 s"),
            (60, "1 min"),
            (3600, "1 h"),
            (5400, "1 h 30 min"),
            (86_400, "1 d"),
            (90_061, "1 d 1 h 1 min 1 s"),
            (12_960_000, "150 d"),
        ] {
            assert_eq!(seconds_in_words(seconds), words);
        }
        let read = requests(
            r#"{"value":[{"RequestId":"a","RequestedTTL":"soon"},{"RequestId":"b","RequestedTTL":" "},{"RequestId":"c","RequestedTTL":-5}]}"#,
        );
        let details: Vec<_> = read.sessions.iter().map(|s| s.details.clone()).collect();
        assert_eq!(
            details,
            [
                vec![("Requested for", "soon".to_string())],
                vec![],
                vec![("Requested for", "-5".to_string())]
            ]
        );
    }

    #[test]
    fn pam_roles_are_id_and_trimmed_name_pairs() {
        let roles = match pam_roles(ROLES) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(
            roles,
            [
                (ROLE_AD.to_string(), "Allow AD Access".to_string()),
                (
                    ROLE_AWS.to_string(),
                    "AWS backup admins (prod-ec2-daily)".to_string()
                ),
            ]
        );
        let odd = r#"{"value":[null,{"RoleId":"x"},{"DisplayName":"y"},{"RoleID":"z","DisplayName":"Zed"},{"RoleId":7,"DisplayName":"n"}]}"#;
        assert_eq!(
            pam_roles(odd),
            Ok(vec![("z".to_string(), "Zed".to_string())])
        );
        assert!(pam_roles(r#"{"value":null}"#).is_err());
        assert!(pam_roles("[]").is_err());
    }

    #[test]
    fn one_created_request_reads_as_a_list_of_one() {
        let created = r#"{"odata.metadata":"https://pam/api/pamresources/%24metadata#pamrequests/@Element","RequestId":"r1","CreatorID":"c","Justification":"j","CreationTime":"2015-07-11T23:38:09.036164-07:00","CreationMethod":"PAM Web API","ExpirationTime":"0001-01-01T00:00:00","RoleId":"role","RequestedTTL":"7200","RequestedTime":"2015-07-12T06:40:00Z","RequestStatus":"PendingApproval"}"#;
        let read = requests(created);
        let rows: Vec<_> = read
            .sessions
            .iter()
            .map(|s| (s.id.as_str(), s.status, s.start, s.end, s.job.as_deref()))
            .collect();
        assert_eq!(
            rows,
            [(
                "r1",
                Status::Pending,
                t("2015-07-12T06:40:00Z"),
                None,
                Some("role")
            )]
        );
    }

    #[test]
    fn hostile_pam_requests_never_panic() {
        let odd = r#"{"odata.metadata":null,"value":[null,1,[],{},{"RequestId":""},{"RequestId":7},{"RequestId":"t","CreationTime":"not a time"},{"RequestId":"ok","RequestStatus":null,"RequestedTTL":null,"ExpirationTime":null}]}"#;
        let read = requests(odd);
        let ids: Vec<&str> = read.sessions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["ok"]);
        let ok = &read.sessions[0]; // ok: test fixture
        assert_eq!((ok.status, ok.start, ok.end), (Status::Unknown, None, None));
        assert_eq!(ok.details, []);
        let skipped: Vec<usize> = read.skipped.iter().map(|s| s.index).collect();
        assert_eq!(skipped, [0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(read.skipped[3].reason, "no RequestId"); // ok: test fixture
        assert!(read.skipped[6].reason.starts_with("CreationTime: ")); // ok: test fixture
        for bad in [
            "",
            "null",
            "[]",
            "{}",
            r#"{"value":{}}"#,
            "{\"value\":[",
            "\u{feff}",
        ] {
            assert!(pam_requests(&bad.into()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn pam_answers_with_a_byte_order_mark_read_like_any_other() {
        let bom = |text: &str| format!("\u{feff}{text}");
        assert_eq!(requests(&bom(REQUESTS)), requests(REQUESTS));
        assert_eq!(pam_roles(&bom(ROLES)), pam_roles(ROLES));
        assert_eq!(session_info(&bom(SEED)), session_info(SEED));
        let v4 = r#"{"error":{"code":"Forbidden","message":"No."}}"#;
        assert_eq!(error_body(&bom(v4)), error_body(v4));
    }

    /// `pamrequests` and `pamroles` captured from the simulator (`sv-sim --pam-auth off`).
    #[test]
    fn simulator_requests_join_its_roles() {
        let read = requests(include_str!(
            "../../../tests/fixtures/mim-pam-pamrequests.json"
        ));
        let roles = match pam_roles(include_str!(
            "../../../tests/fixtures/mim-pam-pamroles.json"
        )) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        assert!(read.skipped.is_empty(), "{:?}", read.skipped);
        assert_eq!(read.sessions.len(), 90);
        assert_eq!(roles.len(), 4);
        assert!(read
            .sessions
            .iter()
            .all(|s| roles.iter().any(|(id, _)| s.job.as_ref() == Some(id))));
        let count = |status| read.sessions.iter().filter(|s| s.status == status).count();
        assert_eq!(
            [Status::Running, Status::Ended, Status::Failed].map(count),
            [1, 78, 11]
        );
        let open: Vec<&str> = read
            .sessions
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.vendor_status.as_ref())
            .collect();
        assert_eq!(open, ["Active"]);
    }
}
