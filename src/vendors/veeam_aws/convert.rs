//! Veeam Backup for AWS wire types → the normalised model.

use super::wire;
use serde_json::value::RawValue;

use crate::model::{Duration, LogEntry, Session, SessionList, SessionLog, Source, Status, Text};
use crate::vendors::{
    adapt_items, raw_bool, raw_int, raw_text, status_word, time_field, wire_item, DecodeError,
    ItemError, VendorError,
};

/// What a session log looks like, for error messages.
pub(crate) const EXPECTED: &str =
    "a Veeam Backup for AWS session log: {\"sessionId\": \"…\", \"log\": [ … ]}";

/// Reads a session log (`GET /api/v1/sessions/{id}/log`). Items that cannot be read are skipped
/// and listed in [`SessionLog::skipped`]; only a document that is not a session log at all fails.
pub fn session_log(text: &str) -> Result<SessionLog, DecodeError> {
    let wire = wire::SessionLog::read(text, EXPECTED)?;
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
pub fn sessions(text: &Text) -> Result<SessionList, DecodeError> {
    let keys = crate::vendors::object_keys(text, EXPECTED_SESSIONS)?;
    let (items, total): (Vec<&RawValue>, _) = if keys.contains_key("results") {
        let page = wire::SessionPage::read(text, EXPECTED_SESSIONS)?;
        (page.results, page.total_count)
    } else {
        let one: &RawValue = serde_json::from_str(text)
            .map_err(|e| DecodeError::from_json(&e, EXPECTED_SESSIONS))?;
        (vec![one], Some(1))
    };
    let (sessions, skipped) = adapt_items(&items, |_, raw| session(raw, text));
    Ok(SessionList {
        sessions,
        skipped,
        total,
    })
}

/// Reads an RFC 7807 problem+json body; `None` if it is not one.
pub fn error_body(text: &str) -> Option<VendorError> {
    let p = wire::Problem::read(text)?;
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

fn session(raw: &RawValue, text: &Text) -> Result<Session, ItemError> {
    let item = wire::Session::read(raw)?;
    let id = item
        .id
        .filter(|i| !i.is_empty())
        .ok_or(ItemError::Missing("id"))?;
    // A finished session's `result` is the more precise word; `status` says it is still running.
    // The object form's `None` means no result yet, and `isCanceled` wins over its word.
    let result = match item.result {
        None => None,
        Some(raw) if raw.get().starts_with('{') => {
            let detailed = wire::DetailedResult::read(raw)?;
            if detailed.is_canceled == Some(true) {
                Some("Cancelled".to_string())
            } else {
                detailed.result
            }
        }
        Some(raw) => Some(wire_item::<String>(raw)?),
    }
    .filter(|r| !r.is_empty() && !r.eq_ignore_ascii_case("None"));
    let vendor_status = match (item.status, result) {
        (Some(s), _) if s.eq_ignore_ascii_case("Running") => s,
        (_, Some(r)) => r,
        (Some(s), None) => s,
        (None, None) => String::new(),
    };
    let job = item.links.and_then(policy_of);
    let mut details: Vec<(&'static str, String)> = Vec::new();
    let kind = raw_text(item.kind).filter(|k| !k.trim().is_empty());
    let extended = raw_text(item.extended_session_type).filter(|k| !k.trim().is_empty());
    if let Some(kind) = &kind {
        details.push(("Type", kind.clone()));
    }
    if let Some(extended) = &extended {
        details.push(("Kind", extended.clone()));
    }
    if let Some(reason) = raw_text(item.reason).filter(|r| !r.trim().is_empty()) {
        details.push(("Reason", reason));
    }
    if let Some(usn) = raw_int(item.usn) {
        details.push(("USN", usn.to_string()));
    }
    // 1.7-rev0 names the session; older revisions say only what kind of session it is.
    let name = raw_text(item.name)
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
        vendor_status: vendor_status.into(),
        name,
        source: Source::within(text, raw.get()),
    })
}

/// The policy a session is a run of, where its links say: the `Session` schema has no policy id
/// field, so this is a link whose relation names a policy, or whose address is under
/// `/policies/{id}`; the id is the segment after `policies` (else the last one).
fn policy_of(links: &RawValue) -> Option<String> {
    // An array in the document, an object keyed by relation in older answers; a value of any
    // other shape (or with a link of the wrong shape) is dropped as a whole.
    let links: Vec<(Option<String>, String)> = if links.get().starts_with('[') {
        let list: Vec<&RawValue> = serde_json::from_str(links.get()).ok()?;
        let mut links = Vec::with_capacity(list.len());
        for raw in list {
            let link = wire::Link::read(raw).ok()?;
            links.extend(link.href.map(|href| (link.rel, href)));
        }
        links
    } else {
        let map = crate::vendors::Fields::read(links).ok()?;
        let mut links = Vec::new();
        for (rel, raw) in map.iter() {
            let link = wire::Link::read(raw).ok()?;
            links.extend(
                link.href
                    .map(|href| (link.rel.or(Some(rel.to_string())), href)),
            );
        }
        links
    };
    links.into_iter().find_map(|(rel, href)| {
        let rel = rel.as_deref();
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
    let login = wire::Login::read(body)?;
    if raw_bool(login.mfa_enabled) != Some(true) {
        return None;
    }
    raw_text(login.mfa_token).filter(|t| !t.trim().is_empty())
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
    let item = wire::LogItem::read(raw)?;
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
        source: raw.get().into(),
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
        let read = match sessions(&list.into()) {
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
                first.vendor_status.as_ref(),
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
        let one = sessions(&r#"{"id":"x","status":"Canceled","result":"Cancelled"}"#.into())
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
        // The envelope's fields are scanned before `log` is read, so a deep object whose
        // innermost value is missing is refused as broken JSON (it was refused for its type
        // before `log` was held raw); a well-formed one is refused for its type.
        let deep_object = format!("{}{}", "{\"log\":".repeat(10_000), "}".repeat(10_000));
        let err = session_log(&deep_object)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("This JSON is broken"), "{err}");
        let deep_object = format!("{}[]{}", "{\"log\":".repeat(10_000), "}".repeat(10_000));
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

    // Bodies captured from the simulator, see `tests/fixtures/README.md`.
    const SESSIONS_1_0: &str =
        include_str!("../../../tests/fixtures/veeam_aws/1.0-rev0-sessions.json");
    const SESSIONS_1_7: &str =
        include_str!("../../../tests/fixtures/veeam_aws/1.7-rev0-sessions.json");
    const LOGIN_1_0: &str = include_str!("../../../tests/fixtures/veeam_aws/1.0-rev0-login.json");
    const LOGIN_MFA: &str =
        include_str!("../../../tests/fixtures/veeam_aws/1.7-rev0-login-mfa.json");

    fn list(text: &str) -> SessionList {
        match sessions(&text.into()) {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        }
    }

    fn detail_rows(s: &Session) -> Vec<(&str, &str)> {
        s.details.iter().map(|(l, v)| (*l, v.as_str())).collect()
    }

    /// Both revisions serve the same sessions; 1.7-rev0 adds `name` and `extendedSessionType`.
    #[test]
    fn sessions_1_0_rev0_and_1_7_rev0_shapes_every_field() {
        type Row = (
            &'static str,
            Status,
            &'static str,
            bool,
            &'static str,
            Option<&'static str>,
            &'static str,
            Option<&'static str>,
            &'static str,
        );
        // id, status, vendor word, open, type, kind (1.7), name (1.7), reason, usn
        let expected: [Row; 6] = [
            (
                "2939da84-4d27-4026-8b38-78f1dd37f705",
                Status::Running,
                "Running",
                true,
                "RetentionActivity",
                Some("Retention"),
                "Retention 'efs-weekly'",
                None,
                "1906",
            ),
            (
                "684c2bb5-f118-430e-90d4-fd036be17a10",
                Status::Success,
                "Success",
                false,
                "Policy",
                Some("PolicyRdsSnapshot"),
                "RDS snapshot policy 'web-tier'",
                None,
                "1897",
            ),
            (
                "0bb027a8-22d4-4b5d-a56e-c14709f19199",
                Status::Warning,
                "Warning",
                false,
                "Policy",
                Some("PolicyRdsSnapshot"),
                "RDS snapshot policy 'efs-weekly'",
                Some("Session finished with warnings."),
                "1891",
            ),
            (
                "25a44fe5-99fb-4196-a569-a9153031ccba",
                Status::Failed,
                "Failed",
                false,
                "Policy",
                Some("PolicySnapshot"),
                "Snapshot policy 'web-tier'",
                Some("Session failed. See the session log."),
                "1801",
            ),
            (
                "b1a2bd7e-c2a9-43d3-8830-426838cff163",
                Status::Canceled,
                "Cancelled",
                false,
                "Policy",
                Some("PolicySnapshot"),
                "Snapshot policy 'vpc-config'",
                Some("Session was canceled by a user."),
                "1720",
            ),
            (
                "bfe3fe5f-1c66-4c75-8629-25c36cbd8775",
                Status::Pending,
                "NeverExecuted",
                // A start time and no stop time: the model calls that open, whatever the status.
                true,
                "Policy",
                Some("PolicyBackup"),
                "Backup policy 'prod-ec2-daily'",
                Some("Session was never executed."),
                "1207",
            ),
        ];
        for (revision, text, named) in [
            ("1.0-rev0", SESSIONS_1_0, false),
            ("1.7-rev0", SESSIONS_1_7, true),
        ] {
            let read = list(text);
            assert_eq!(
                (read.total, read.skipped.len()),
                (Some(302), 0),
                "{revision}"
            );
            assert_eq!(read.sessions.len(), expected.len(), "{revision}");
            for (s, (id, status, word, open, kind, ext, name, reason, usn)) in
                read.sessions.iter().zip(expected)
            {
                assert_eq!(
                    (s.id.as_str(), s.status, s.vendor_status.as_ref()),
                    (id, status, word),
                    "{revision}"
                );
                assert_eq!(s.is_open(), open, "{revision} {id}");
                assert_eq!(s.log_href, Some(super::super::api::log_path(id)));
                assert_eq!(s.job, None, "{revision} {id}: no link names a policy");
                let mut want = vec![("Type", kind)];
                if named {
                    want.extend(ext.map(|e| ("Kind", e)));
                }
                want.extend(reason.map(|r| ("Reason", r)));
                want.push(("USN", usn));
                assert_eq!(detail_rows(s), want, "{revision} {id}");
                let want_name = if named { name } else { kind };
                assert_eq!(s.name.as_deref(), Some(want_name), "{revision} {id}");
            }
        }
    }

    #[test]
    fn name_is_name_else_extended_type_else_type() {
        for (item, name) in [
            (
                r#"{"id":"1","name":"Daily","extendedSessionType":"PolicyBackup","type":"Policy"}"#,
                Some("Daily"),
            ),
            (
                r#"{"id":"1","name":"","extendedSessionType":"PolicyBackup","type":"Policy"}"#,
                Some("PolicyBackup"),
            ),
            (
                r#"{"id":"1","name":null,"extendedSessionType":null,"type":"Policy"}"#,
                Some("Policy"),
            ),
            (
                r#"{"id":"1","name":5,"extendedSessionType":[],"type":"FLRTask"}"#,
                Some("FLRTask"),
            ),
            (r#"{"id":"1"}"#, None),
        ] {
            let read = list(item);
            assert_eq!(
                read.sessions.first().and_then(|s| s.name.as_deref()),
                name,
                "{item}"
            );
        }
    }

    #[test]
    fn old_object_result_and_object_links_are_still_read() {
        let read = list(
            r#"{"totalCount":3,"results":[
                {"id":"a","status":"Succeeded","result":{"result":"Warning","isCanceled":false},"_links":{"self":{"href":"/api/v1/sessions/a"},"policy":{"href":"/api/v1/policies/p-1"}}},
                {"id":"b","status":"Canceled","result":{"result":"Success","isCanceled":true},"_links":{"self":{"href":"/api/v1/sessions/b"}}},
                {"id":"c","status":"Succeeded","result":{"result":"None"},"_links":[]}
            ]}"#,
        );
        let rows: Vec<(&str, Status, &str, Option<&str>)> = read
            .sessions
            .iter()
            .map(|s| {
                (
                    s.id.as_str(),
                    s.status,
                    s.vendor_status.as_ref(),
                    s.job.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("a", Status::Warning, "Warning", Some("p-1")),
                ("b", Status::Canceled, "Cancelled", None),
                ("c", Status::Success, "Succeeded", None),
            ]
        );
    }

    #[test]
    fn job_is_the_policy_a_link_points_at() {
        for (links, job) in [
            (
                r#"[{"method":"GET","rel":"self","href":"https://h/api/v1/sessions/s"},{"method":"GET","rel":"policy","href":"https://h/api/v1/policies/7f1c/"}]"#,
                Some("7f1c"),
            ),
            (
                r#"[{"method":"GET","rel":"backupPolicy","href":"https://h/api/v1/virtualMachines/policies/9?x=1"}]"#,
                Some("9"),
            ),
            (
                r#"[{"method":"GET","rel":"relatedPolicy","href":"https://h/api/v1/things/42"}]"#,
                Some("42"),
            ),
            (
                r#"[{"method":"GET","rel":"parent","href":"/api/v1/policies/p2/start"}]"#,
                Some("p2"),
            ),
            (
                r#"[{"method":"GET","rel":"self","href":"https://h/api/v1/sessions/s"},{"method":"GET","rel":"log","href":"https://h/api/v1/sessions/s/log"}]"#,
                None,
            ),
            (r#"[{"method":"GET","rel":"policy"}]"#, None),
            (r#"[{"method":"GET","rel":"policy","href":"/"}]"#, None),
            (r#"{"policy":{"href":"/api/v1/policies/o"}}"#, Some("o")),
            (r#""policies/x""#, None),
            ("null", None),
        ] {
            let text = format!(r#"{{"id":"s","status":"Running","_links":{links}}}"#);
            let read = list(&text);
            assert_eq!(
                read.sessions.first().and_then(|s| s.job.as_deref()),
                job,
                "{links}"
            );
        }
    }

    #[test]
    fn mfa_challenge_yes_no_and_hostile() {
        assert_eq!(
            mfa_challenge(LOGIN_MFA).as_deref(),
            Some("vbm.62a1af11c27f7967ddd8d008c438dc24")
        );
        assert_eq!(mfa_challenge(LOGIN_1_0), None, "mfa_enabled: false");
        for (body, token) in [
            (r#"{"mfa_enabled":true,"mfa_token":"t"}"#, Some("t")),
            (
                r#"{"access_token":"a","mfa_enabled":true,"mfa_token":"t"}"#,
                Some("t"),
            ),
            (r#"{"mfa_enabled":false,"mfa_token":"t"}"#, None),
            (r#"{"mfa_token":"t"}"#, None),
            (r#"{"mfa_enabled":true}"#, None),
            (r#"{"mfa_enabled":true,"mfa_token":""}"#, None),
            (r#"{"mfa_enabled":true,"mfa_token":"   "}"#, None),
            (r#"{"mfa_enabled":true,"mfa_token":null}"#, None),
            (r#"{"mfa_enabled":"true","mfa_token":"t"}"#, None),
            (r#"{"mfa_enabled":1,"mfa_token":"t"}"#, None),
            (r#"{"mfa_enabled":true,"mfa_token":42}"#, None),
            (r#"{"mfa_enabled":true,"mfa_token":{"t":1}}"#, None),
            (
                r#"{"type":"x","title":"Unauthorized","status":401,"errorCode":"AccessDenied"}"#,
                None,
            ),
            (r#"[{"mfa_enabled":true,"mfa_token":"t"}]"#, None),
            ("null", None),
            ("", None),
            ("{", None),
            ("<html>mfa_token</html>", None),
        ] {
            assert_eq!(mfa_challenge(body).as_deref(), token, "{body}");
        }
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(mfa_challenge(&deep), None);
    }

    #[test]
    fn hostile_sessions_never_panic() {
        let read = list(
            r#"{"totalCount":null,"results":[
                {"id":"1","name":null,"type":null,"extendedSessionType":null,"status":null,"result":null,"reason":null,"usn":null,"executionStartTime":null,"executionStopTime":null,"executionDuration":null,"_links":null},
                {"id":"2","name":{},"type":7,"extendedSessionType":true,"reason":[1],"usn":"12","_links":[{"rel":5,"href":false},null,"x",{"rel":"policy","href":"/policies/ok"}]},
                {"id":"3","usn":-1,"_links":{"policy":null}},
                {"id":"4","usn":1.5},
                {"id":"5","result":7},
                {"id":""},
                null, 3, "s", []
            ]}"#,
        );
        let ids: Vec<&str> = read.sessions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "3", "4"]);
        let skipped: Vec<usize> = read.skipped.iter().map(|s| s.index).collect();
        assert_eq!(skipped, [4, 5, 6, 7, 8, 9]);
        assert_eq!(read.total, None);
        let details: Vec<Vec<(&str, &str)>> = read.sessions.iter().map(detail_rows).collect();
        assert_eq!(details, [vec![], vec![], vec![("USN", "-1")], vec![]]);
        // A wrong-typed link list is dropped as a whole; nothing is guessed from it.
        assert!(read
            .sessions
            .iter()
            .all(|s| s.job.is_none() && s.name.is_none()));
    }

    /// The OpenAPI document's own examples (`Session`, `SessionsPage`, `RESTLogin`), read from
    /// `shared/vendor-specs/` when it is beside the repository (it is not copied in).
    #[test]
    fn openapi_document_examples_read() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/vendor-specs/vba-1.0-rev0.openapi.yaml");
        let Ok(doc) = std::fs::read_to_string(&path) else {
            eprintln!(
                "not checked: {} is not beside the repository",
                path.display()
            );
            return;
        };
        let example = |schema: &str| -> String {
            let value = yaml_example(&doc, schema);
            assert!(value.is_object(), "{schema} has an example");
            value.to_string()
        };
        let one = list(&example("Session"));
        let session = one.sessions.first().expect("the example session reads"); // ok: test fixture
        assert_eq!(session.id, "046b6c7f-0b8a-43b9-b35d-6489e6daee91");
        assert_eq!(detail_rows(session), [("Reason", "reason"), ("USN", "1")]);
        assert_eq!(
            (
                session.status,
                session.name.as_deref(),
                session.job.as_deref()
            ),
            (Status::Unknown, None, None)
        );
        assert_eq!(session.reported, Some(Duration::from_millis(6)));
        assert!(session.start.is_some() && session.end.is_some());
        let page = list(&example("SessionsPage"));
        assert_eq!(
            (page.total, page.sessions.len(), page.skipped.len()),
            (Some(0), 2, 0)
        );
        assert_eq!(
            mfa_challenge(&example("RESTLogin")).as_deref(),
            Some("mfa_token")
        );
        // The schema's words: every SessionResults and SessionStatuses word is in the table.
        for schema in ["SessionResults", "SessionStatuses"] {
            let words = yaml_enum(&doc, schema);
            assert!(words.len() >= 5, "{schema}: {words:?}");
            for w in words {
                assert_ne!(session_status(&w), Status::Unknown, "{schema} {w}");
            }
        }
    }

    /// The lines of `components.schemas.<schema>` (indented 4) up to the next schema.
    fn yaml_schema<'a>(doc: &'a str, schema: &str) -> Vec<&'a str> {
        let head = format!("    {schema}:");
        doc.lines()
            .skip_while(|l| *l != head)
            .skip(1)
            .take_while(|l| l.starts_with("     ") || l.trim().is_empty())
            .collect()
    }

    fn yaml_enum(doc: &str, schema: &str) -> Vec<String> {
        yaml_schema(doc, schema)
            .iter()
            .skip_while(|l| l.trim() != "enum:")
            .skip(1)
            .take_while(|l| l.trim_start().starts_with("- "))
            .map(|l| l.trim_start().trim_start_matches("- ").trim().to_string())
            .collect()
    }

    /// A schema's `example:` block as JSON: the subset the document's examples use (mappings,
    /// lists of mappings, plain and quoted scalars).
    fn yaml_example(doc: &str, schema: &str) -> serde_json::Value {
        let lines = yaml_schema(doc, schema);
        let block: Vec<(usize, String)> = lines
            .iter()
            .skip_while(|l| l.trim() != "example:")
            .skip(1)
            .take_while(|l| l.starts_with("        "))
            .flat_map(|l| {
                let indent = l.len() - l.trim_start().len();
                match l.trim_start().strip_prefix("- ") {
                    Some(rest) => vec![(indent, "-".to_string()), (indent + 2, rest.to_string())],
                    None => vec![(indent, l.trim_start().to_string())],
                }
            })
            .collect();
        let mut at = 0;
        yaml_value(&block, &mut at, 8)
    }

    fn yaml_value(block: &[(usize, String)], at: &mut usize, indent: usize) -> serde_json::Value {
        use serde_json::Value;
        if block
            .get(*at)
            .is_some_and(|(i, l)| *i == indent && l == "-")
        {
            let mut items = Vec::new();
            while block
                .get(*at)
                .is_some_and(|(i, l)| *i == indent && l == "-")
            {
                *at += 1;
                items.push(yaml_value(block, at, indent + 2));
            }
            return Value::Array(items);
        }
        let mut map = serde_json::Map::new();
        while let Some((i, line)) = block.get(*at) {
            if *i != indent || line == "-" {
                break;
            }
            *at += 1;
            let (key, rest) = line.split_once(':').unwrap_or((line, "")); // ok: test fixture
            let key = key.trim().trim_matches('"').to_string();
            let rest = rest.trim();
            let value = if rest.is_empty() {
                match block.get(*at) {
                    Some((next, _)) if *next >= indent => yaml_value(block, at, *next),
                    _ => Value::Null,
                }
            } else if let Ok(n) = rest.parse::<i64>() {
                Value::from(n)
            } else if rest == "true" || rest == "false" {
                Value::Bool(rest == "true")
            } else {
                Value::String(rest.trim_matches('"').to_string())
            };
            map.insert(key, value);
        }
        Value::Object(map)
    }
}
