//! Veeam Backup for AWS wire types → the normalised model.

use super::wire;
use serde_json::value::RawValue;

use crate::model::{Duration, LogEntry, Session, SessionList, SessionLog, Status};
use crate::vendors::{
    adapt_items, status_word, time_field, wire_item, DecodeError, ItemError, VendorError,
};

/// What a session log looks like, for error messages.
pub(crate) const EXPECTED: &str =
    "a Veeam Backup for AWS session log: {\"sessionId\": \"…\", \"log\": [ … ]}";

/// Reads a session log (`GET /api/v1/sessions/{id}/log`). Items that cannot be read are skipped
/// and listed in [`SessionLog::skipped`]; only a document that is not a session log at all fails.
pub fn session_log(text: &str) -> Result<SessionLog, DecodeError> {
    let wire: wire::SessionLog<'_> =
        serde_json::from_str(text).map_err(|e| DecodeError::from_json(&e, EXPECTED))?;
    let (entries, skipped) = adapt_items(&wire.log, log_item);
    Ok(SessionLog {
        session_id: wire.session_id.unwrap_or_default(),
        entries,
        skipped,
    })
}

pub(crate) const EXPECTED_SESSIONS: &str =
    "Veeam Backup for AWS sessions ({\"totalCount\": n, \"results\": [{\"id\", \"status\", \"executionStartTime\"}, …]})";

/// Reads `GET /api/v1/sessions` (`{totalCount, results}`) or one `GET /api/v1/sessions/{id}`.
pub fn sessions(text: &str) -> Result<SessionList, DecodeError> {
    let keys = crate::vendors::object_keys(text, EXPECTED_SESSIONS)?;
    let (items, total): (Vec<&RawValue>, _) = if keys.contains_key("results") {
        let page: wire::SessionPage<'_> = serde_json::from_str(text)
            .map_err(|e| DecodeError::from_json(&e, EXPECTED_SESSIONS))?;
        (page.results, page.total_count)
    } else {
        let one: &RawValue = serde_json::from_str(text)
            .map_err(|e| DecodeError::from_json(&e, EXPECTED_SESSIONS))?;
        (vec![one], Some(1))
    };
    let (sessions, skipped) = adapt_items(&items, |_, raw| session(raw));
    Ok(SessionList {
        sessions,
        skipped,
        total,
    })
}

/// Reads an RFC 7807 problem+json body; `None` if it is not one.
pub fn error_body(text: &str) -> Option<VendorError> {
    let p: wire::Problem = serde_json::from_str(text).ok()?;
    if p.title.is_none() && p.error_code.is_none() {
        return None;
    }
    let _ = (p.kind, p.instance);
    Some(VendorError {
        status: p.status,
        title: p.title.or_else(|| p.error_code.clone()).unwrap_or_default(),
        code: p.error_code,
        detail: p.details,
    })
}

/// Session status and result words onto normalised statuses, ignoring case. `result` spells
/// `Cancelled` where `status` spells `Canceled`; both are read.
pub fn session_status(word: &str) -> Status {
    const TABLE: [(&str, Status); 9] = [
        ("Running", Status::Running),
        ("NeverExecuted", Status::Pending),
        ("Error", Status::Failed),
        ("Succeeded", Status::Success),
        ("Success", Status::Success),
        ("Warning", Status::Warning),
        ("Failed", Status::Failed),
        ("Canceled", Status::Canceled),
        ("Cancelled", Status::Canceled),
    ];
    status_word(&TABLE, word)
}

fn session(raw: &RawValue) -> Result<Session, ItemError> {
    let item: wire::Session = wire_item(raw)?;
    let id = item
        .id
        .filter(|i| !i.is_empty())
        .ok_or(ItemError::Missing("id"))?;
    // A finished session's `result` is the more precise word; `status` says it is still running.
    // The object form's `None` means no result yet, and `isCanceled` wins over its word.
    let result = match item.result {
        Some(wire::SessionResult::Word(w)) => Some(w),
        Some(wire::SessionResult::Detailed {
            is_canceled: Some(true),
            ..
        }) => Some("Cancelled".to_string()),
        Some(wire::SessionResult::Detailed { result, .. }) => result,
        None => None,
    }
    .filter(|r| !r.is_empty() && !r.eq_ignore_ascii_case("None"));
    let vendor_status = match (item.status, result) {
        (Some(s), _) if s.eq_ignore_ascii_case("Running") => s,
        (_, Some(r)) => r,
        (Some(s), None) => s,
        (None, None) => String::new(),
    };
    let job = item.links.as_ref().and_then(policy_of);
    let mut details: Vec<(&'static str, String)> = Vec::new();
    let kind = item.kind.filter(|k| !k.trim().is_empty());
    let extended = item.extended_session_type.filter(|k| !k.trim().is_empty());
    if let Some(kind) = &kind {
        details.push(("Type", kind.clone()));
    }
    if let Some(extended) = &extended {
        details.push(("Kind", extended.clone()));
    }
    if let Some(reason) = item.reason.filter(|r| !r.trim().is_empty()) {
        details.push(("Reason", reason));
    }
    if let Some(usn) = item.usn {
        details.push(("USN", usn.to_string()));
    }
    // 1.7-rev0 names the session; older revisions say only what kind of session it is.
    let name = item
        .name
        .filter(|n| !n.trim().is_empty())
        .or(extended)
        .or(kind);
    Ok(Session {
        log_href: Some(super::api::log_path(&id)),
        job,
        details,
        id,
        user: None,
        host: None,
        start: time_field("executionStartTime", item.execution_start_time.as_deref())?,
        end: time_field("executionStopTime", item.execution_stop_time.as_deref())?,
        reported: item.execution_duration.map(Duration::from_millis),
        status: session_status(&vendor_status),
        vendor_status,
        name,
        source: raw.get().to_string(),
    })
}

/// The policy a session is a run of, where its links say: the `Session` schema has no policy id
/// field, so this is a link whose relation names a policy, or whose address is under
/// `/policies/{id}`; the id is the segment after `policies` (else the last one).
fn policy_of(links: &wire::Links) -> Option<String> {
    let links: Vec<(Option<&str>, &str)> = match links {
        wire::Links::List(list) => list
            .iter()
            .filter_map(|l| Some((l.rel.as_deref(), l.href.as_deref()?)))
            .collect(),
        wire::Links::ByRel(map) => map
            .iter()
            .filter_map(|(rel, l)| Some((l.rel.as_deref().or(Some(rel)), l.href.as_deref()?)))
            .collect(),
    };
    links.into_iter().find_map(|(rel, href)| {
        let path = href.split(['?', '#']).next().unwrap_or_default();
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let after_policies = segments
            .iter()
            .position(|s| s.eq_ignore_ascii_case("policies"))
            .and_then(|i| segments.get(i + 1));
        let rel_names_policy = rel.is_some_and(|r| r.to_ascii_lowercase().contains("polic"));
        match after_policies {
            Some(id) => Some(id.to_string()),
            None if rel_names_policy => segments.last().map(|s| s.to_string()),
            None => None,
        }
    })
}

/// The MFA token of a log-on answer (`RESTLogin`) that asks for a second factor: `mfa_enabled`
/// is `true` and `mfa_token` is not empty. The app then completes the log-on with the `mfa`
/// grant, this token and the user's one-time code. `None` for any other answer.
pub fn mfa_challenge(body: &str) -> Option<String> {
    let login: wire::Login = serde_json::from_str(body).ok()?;
    if login.mfa_enabled != Some(true) {
        return None;
    }
    login.mfa_token.filter(|t| !t.trim().is_empty())
}

/// The LogItem status words (SPEC §1) onto normalised statuses, ignoring case.
///
/// A step still running with a warning or an error maps to `warning` / `failed`: the normalised
/// order puts what needs attention first, and the vendor's word stays visible beside it.
/// `NeverExecuted` is a step that did not run: `pending`.
pub fn log_status(word: &str) -> Status {
    const TABLE: [(&str, Status); 10] = [
        ("Success", Status::Success),
        ("Warning", Status::Warning),
        ("Error", Status::Failed),
        ("NeverExecuted", Status::Pending),
        ("Pending", Status::Pending),
        ("Running", Status::Running),
        ("RunningWithWarning", Status::Warning),
        ("RunningWithError", Status::Failed),
        ("Canceling", Status::Running),
        ("Canceled", Status::Canceled),
    ];
    status_word(&TABLE, word)
}

fn log_item(index: usize, raw: &RawValue) -> Result<LogEntry, ItemError> {
    let item: wire::LogItem = wire_item(raw)?;
    let start = time_field("executionStartTime", item.execution_start_time.as_deref())?;
    let logged_at = time_field("logTime", item.log_time.as_deref())?;
    if start.is_none() && logged_at.is_none() && item.message.is_none() && item.status.is_none() {
        return Err(ItemError::Empty {
            index,
            fields: "status, message, logTime, executionStartTime",
        });
    }
    let observed = match (start, logged_at) {
        (Some(s), Some(l)) => Some(l.since(&s)),
        _ => None,
    };
    let vendor_status = item.status.unwrap_or_default();
    Ok(LogEntry {
        order: index as u64,
        status: log_status(&vendor_status),
        vendor_status,
        message: item.message.unwrap_or_default(),
        start,
        end: None,
        logged_at,
        reported: item.execution_duration.map(Duration::from_millis),
        observed,
        source: raw.get().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed page's example (`shared/seeds/001_…`), as `public/samples/` ships it.
    const SEED: &str = include_str!("../../../public/samples/veeam-aws-session-log.json");

    fn ms(entry: &LogEntry) -> (Option<i64>, Option<i64>) {
        (
            entry.reported.map(Duration::millis_rounded),
            entry.observed.map(Duration::millis_rounded),
        )
    }

    #[test]
    fn seed_example_every_field() {
        let log = session_log(SEED).expect("the seed example reads"); // ok: test fixture
        assert_eq!(log.session_id, "90faa259-fbf6-493a-b492-e59e1cfbe3a6");
        assert!(log.skipped.is_empty());
        let expected = [
            // message, start (UTC), logged at (UTC), reported ms, observed ms
            (
                "FLR task 'ubuntu16' started at 05/20/2020 21:11:59.",
                "2020-06-20T19:12:00.514619Z",
                "2020-06-20T19:12:00.514619Z",
                0,
                0,
            ),
            (
                "Processing ubuntu16.",
                "2020-06-20T19:12:04.161597Z",
                "2020-06-20T19:22:13.849335Z",
                687,
                609_688,
            ),
            (
                "Preparing the worker VM.",
                "2020-06-20T19:14:13.888376Z",
                "2020-06-20T19:15:57.919684Z",
                31,
                104_031,
            ),
            (
                "File Level Recovery Browser is ready to work",
                "2020-06-20T19:19:52.3988Z",
                "2020-06-20T19:19:52.3988Z",
                0,
                0,
            ),
            (
                "Session finished at 05/20/2020 21:22:46.",
                "2020-06-20T19:22:46.807221Z",
                "2020-06-20T19:22:46.807221Z",
                0,
                0,
            ),
        ];
        assert_eq!(log.entries.len(), expected.len());
        for (i, (entry, (message, start, logged, reported, observed))) in
            log.entries.iter().zip(expected).enumerate()
        {
            assert_eq!(entry.order, i as u64);
            assert_eq!(entry.status, Status::Success);
            assert_eq!(entry.vendor_status, "Success");
            assert_eq!(entry.message, message);
            assert_eq!(entry.start.map(|t| t.utc_rfc3339()).as_deref(), Some(start));
            assert_eq!(
                entry.logged_at.map(|t| t.utc_rfc3339()).as_deref(),
                Some(logged)
            );
            assert_eq!(entry.end, None);
            assert_eq!(ms(entry), (Some(reported), Some(observed)), "item {i}");
            assert!(entry.source.contains(message));
        }
        let disagreeing: Vec<bool> = log
            .entries
            .iter()
            .map(LogEntry::durations_disagree)
            .collect();
        assert_eq!(disagreeing, [false, true, true, false, false]);
    }

    #[test]
    fn sample_is_the_seed_pages_example() {
        let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/seeds/001_bb818641a9af31ca.txt");
        let Ok(page) = std::fs::read_to_string(&seed) else {
            eprintln!(
                "not checked: {} is not beside the repository",
                seed.display()
            );
            return;
        };
        let body = page
            .split_once("Response Body:")
            .map(|(_, b)| b)
            .unwrap_or_default();
        let json = match (body.find('{'), body.rfind('}')) {
            (Some(a), Some(b)) => body.get(a..=b).unwrap_or_default(),
            _ => "",
        };
        // The page is HTML turned to text: its indentation is non-breaking spaces.
        assert_eq!(json.replace('\u{a0}', " "), SEED.trim_end());
    }

    #[test]
    fn sessions_list_single_and_statuses() {
        let list = r#"{"totalCount":3,"results":[
            {"id":"90faa259-fbf6-493a-b492-e59e1cfbe3a6","name":"Daily EC2","type":"PolicyBackup","status":"Succeeded","result":"Warning","executionStartTime":"2020-06-20T19:12:00.514619","executionStopTime":"2020-06-20T19:22:46.807221","executionDuration":646292},
            {"id":"b","type":"FileLevelRestore","status":"Running","executionStartTime":"2020-06-21T01:00:00"},
            {"status":"Failed"}
        ]}"#;
        let read = match sessions(list) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(
            (read.total, read.sessions.len(), read.skipped.len()),
            (Some(3), 2, 1)
        );
        let first = &read.sessions[0];
        assert_eq!(
            (
                first.status,
                first.vendor_status.as_str(),
                first.name.as_deref()
            ),
            (Status::Warning, "Warning", Some("Daily EC2"))
        );
        assert_eq!(
            first.log_href.as_deref(),
            Some("/api/v1/sessions/90faa259-fbf6-493a-b492-e59e1cfbe3a6/log")
        );
        assert_eq!(first.reported, Some(Duration::from_millis(646_292)));
        let second = &read.sessions[1];
        assert_eq!(
            (second.status, second.name.as_deref(), second.is_open()),
            (Status::Running, Some("FileLevelRestore"), true)
        );
        let one = sessions(r#"{"id":"x","status":"Canceled","result":"Cancelled"}"#)
            .map(|l| l.sessions[0].status);
        assert_eq!(one, Ok(Status::Canceled));
        for (word, status) in [
            ("Running", Status::Running),
            ("NeverExecuted", Status::Pending),
            ("Succeeded", Status::Success),
            ("Warning", Status::Warning),
            ("Failed", Status::Failed),
            ("Canceled", Status::Canceled),
            ("Cancelled", Status::Canceled),
            ("Error", Status::Failed),
            ("Paused", Status::Unknown),
        ] {
            assert_eq!(session_status(word), status, "{word}");
        }
    }

    #[test]
    fn problem_json_errors() {
        let body = r#"{"type":"https://x/errors/ExpiredToken","title":"Access token has expired.","status":401,"errorCode":"ExpiredToken","details":"Refresh the token.","instance":"/api/v1/sessions"}"#;
        let e = error_body(body);
        assert_eq!(
            e,
            Some(VendorError {
                status: Some(401),
                code: Some("ExpiredToken".into()),
                title: "Access token has expired.".into(),
                detail: Some("Refresh the token.".into())
            })
        );
        assert_eq!(
            e.map(|e| e.to_string()).as_deref(),
            Some("Access token has expired. Refresh the token. (ExpiredToken)")
        );
        assert_eq!(error_body(r#"{"sessionId":"s","log":[]}"#), None);
        assert_eq!(error_body("<html>"), None);
    }

    #[test]
    fn status_table_row_by_row() {
        for (word, status) in [
            ("Success", Status::Success),
            ("Warning", Status::Warning),
            ("Error", Status::Failed),
            ("NeverExecuted", Status::Pending),
            ("Pending", Status::Pending),
            ("Running", Status::Running),
            ("RunningWithWarning", Status::Warning),
            ("RunningWithError", Status::Failed),
            ("Canceling", Status::Running),
            ("Canceled", Status::Canceled),
            ("success", Status::Success),
            (" Error ", Status::Failed),
            ("Succeeded", Status::Unknown),
            ("", Status::Unknown),
        ] {
            assert_eq!(log_status(word), status, "{word:?}");
        }
    }

    #[test]
    fn bad_items_are_skipped_and_the_rest_kept() {
        let text = r#"{"sessionId":"s","log":[
            {"status":"Error","message":"ok","executionStartTime":"2021-01-01T00:00:00","logTime":"2021-01-01T00:00:05","executionDuration":5000},
            {"status":"Success","executionStartTime":"2021-02-30T00:00:00"},
            {"status":5},
            "not an object",
            {},
            null,
            {"status":null,"message":"<script>alert(1)</script>","logTime":null,"executionStartTime":null,"executionDuration":null}
        ]}"#;
        let log = session_log(text).expect("partial result"); // ok: test fixture
        assert_eq!(log.entries.len(), 2);
        assert_eq!(log.entries[0].status, Status::Failed);
        assert!(!log.entries[0].durations_disagree());
        assert_eq!(log.entries[1].message, "<script>alert(1)</script>");
        assert_eq!(log.entries[1].status, Status::Unknown);
        assert_eq!(log.entries[1].order, 6);
        let skipped: Vec<usize> = log.skipped.iter().map(|s| s.index).collect();
        assert_eq!(skipped, [1, 2, 3, 4, 5]);
        assert!(
            log.skipped[0].reason.contains("executionStartTime")
                && log.skipped[0].reason.contains("no such day")
        );
        assert!(
            log.skipped[1].reason.contains("invalid type"),
            "{}",
            log.skipped[1].reason
        );
    }

    #[test]
    fn documents_that_are_not_a_session_log_fail_clearly() {
        let cases = [
            (
                "{\"sessionId\":\"s\",\"log\":[{\"status\":\"Succ",
                "broken at line 1",
            ),
            ("{\"sessionId\":\"s\"}", "missing field `log`"),
            ("{\"log\":{}}", "invalid type"),
            ("[1,2]", "Expected a Veeam Backup for AWS session log"),
            ("", "broken"),
        ];
        for (text, needle) in cases {
            let err = session_log(text)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains(needle), "{text:?} → {err:?}");
        }
    }

    #[test]
    fn hostile_sizes_do_not_panic() {
        // Deep nesting inside `log` is scanned without recursion, then refused as one bad item.
        let nested = format!(
            "{{\"log\":[{}{}]}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let log = session_log(&nested).expect("a log with one bad item"); // ok: test fixture
        assert_eq!((log.entries.len(), log.skipped.len()), (0, 1));
        let deep_object = format!("{}{}", "{\"log\":".repeat(10_000), "}".repeat(10_000));
        let err = session_log(&deep_object)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("invalid type: map, expected a sequence"),
            "{err}"
        );
        let huge = "x".repeat(10 * 1024 * 1024);
        let text = format!(
            "{{\"sessionId\":\"s\",\"log\":[{{\"status\":\"Success\",\"message\":\"{huge}\"}}]}}"
        );
        let log = session_log(&text).expect("a long message is still a log"); // ok: test fixture
        assert_eq!(log.entries[0].message.len(), huge.len());
    }
}
