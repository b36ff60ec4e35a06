//! Veeam Backup for Microsoft 365 wire types → the normalised model.

use serde_json::value::RawValue;

use super::wire;
use crate::model::{LogEntry, Session, SessionList, SessionLog, Source, Status, Text};
use crate::vendors::{
    adapt_items, raw_int, raw_text, status_word, time_field, DecodeError, ItemError,
};

pub const EXPECTED_LOG_ITEMS: &str =
    "Veeam Backup for Microsoft 365 log items ([{\"usn\", \"title\": \"[Success] …\" or \"type\" and \"message\", \"creationTime\", \"endTime\"}, …] or {\"results\": […]})";
pub const EXPECTED_JOB_SESSIONS: &str =
    "Veeam Backup for Microsoft 365 job sessions ({\"results\": [{\"id\", \"status\", \"creationTime\", \"endTime\"}, …]})";
pub const EXPECTED_JOBS: &str =
    "Veeam Backup for Microsoft 365 jobs ([{\"id\", \"name\"}, …] or {\"results\": […]})";

/// Reads `GET /v3/JobSessions/{id}/LogItems`, as a bare array (the v3 page) or the paged envelope
/// (live servers). Entries are ordered by `usn`; items without one follow in payload order.
pub fn log_items(text: &str) -> Result<SessionLog, DecodeError> {
    let items = results(text, EXPECTED_LOG_ITEMS)?;
    let mut session_id = None;
    let (mut entries, skipped) = adapt_items(&items, |index, raw| {
        let item = wire::LogItem::read(raw)?;
        if session_id.is_none() {
            session_id = item.job_session_href.as_deref().and_then(last_segment);
        }
        log_item(index, raw, item)
    });
    // Stable: equal usns keep payload order.
    crate::model::sort_by_order(&mut entries);
    Ok(SessionLog {
        session_id: session_id.unwrap_or_default(),
        entries,
        skipped,
    })
}

/// Reads `GET /v3/JobSessions` (envelope or bare array) or one `GET /v3/JobSessions/{id}`.
pub fn job_sessions(text: &Text) -> Result<SessionList, DecodeError> {
    let trimmed = text.trim_start();
    let (items, total) = if trimmed.starts_with('{') && !has_results(trimmed) {
        // A single job session.
        let raw: &RawValue = serde_json::from_str(text)
            .map_err(|e| DecodeError::from_json(&e, EXPECTED_JOB_SESSIONS))?;
        (vec![raw], Some(1))
    } else {
        (results(text, EXPECTED_JOB_SESSIONS)?, None)
    };
    let (sessions, skipped) = adapt_items(&items, |_, raw| job_session(raw, text));
    Ok(SessionList {
        sessions,
        skipped,
        total,
    })
}

/// Reads `GET /vN/Jobs` into `(id, name)` pairs, for naming job sessions by their `job`: a bare
/// array (v6, v7) or the paged envelope (v8). Items without an id or a name are left out.
pub fn jobs(text: &str) -> Result<Vec<(String, String)>, DecodeError> {
    let items = results(text, EXPECTED_JOBS)?;
    Ok(items
        .iter()
        .filter_map(|raw| wire::Job::read(raw).ok())
        .filter_map(|job| {
            let id = job.id.filter(|i| !i.trim().is_empty())?;
            let name = job.name.filter(|n| !n.trim().is_empty())?;
            Some((id, name))
        })
        .collect())
}

/// The status in a log item title's bracketed prefix (`[Success] …`), and the title without it.
/// An unknown word or no prefix at all is `unknown`.
pub fn title_status(title: &str) -> (Status, &str, &str) {
    let trimmed = title.trim_start();
    let Some((word, rest)) = trimmed.strip_prefix('[').and_then(|t| t.split_once(']')) else {
        return (Status::Unknown, "", title.trim());
    };
    const TABLE: [(&str, Status); 5] = [
        ("Success", Status::Success),
        ("Warning", Status::Warning),
        ("Failed", Status::Failed),
        ("Error", Status::Failed),
        ("Running", Status::Running),
    ];
    let status = status_word(&TABLE, word);
    (status, word.trim(), rest.trim())
}

/// v8's log item `type` words onto normalised statuses, ignoring case.
pub fn item_type_status(word: &str) -> Status {
    const TABLE: [(&str, Status); 5] = [
        ("Running", Status::Running),
        ("Warning", Status::Warning),
        ("Error", Status::Failed),
        ("Success", Status::Success),
        ("Stop", Status::Canceled),
    ];
    status_word(&TABLE, word)
}

/// Job session status words onto normalised statuses, ignoring case.
fn job_status(word: &str) -> Status {
    const TABLE: [(&str, Status); 8] = [
        ("Success", Status::Success),
        ("Warning", Status::Warning),
        ("Failed", Status::Failed),
        ("Running", Status::Running),
        ("Queued", Status::Pending),
        ("NotConfigured", Status::Pending),
        ("Stopped", Status::Canceled),
        ("Disconnected", Status::Failed),
    ];
    status_word(&TABLE, word)
}

fn log_item(index: usize, raw: &RawValue, item: wire::LogItem) -> Result<LogEntry, ItemError> {
    let start = time_field("creationTime", item.creation_time.as_deref())?;
    let end = time_field("endTime", item.end_time.as_deref())?;
    // v3–v7 put the status in the title's prefix; v8 has no title but `type` and `message`. An
    // item with a title is read from it, whatever else it carries.
    let (status, word, message) = match item.title.filter(|t| !t.is_empty()) {
        Some(title) => {
            let (status, word, message) = title_status(&title);
            (status, word.to_string(), message.to_string())
        }
        None => {
            let word = item.kind.unwrap_or_default().trim().to_string();
            let message = item.message.unwrap_or_default().trim().to_string();
            if word.is_empty() && message.is_empty() && start.is_none() && item.id.is_none() {
                return Err(ItemError::Empty {
                    index,
                    fields: "id, title, type, message, creationTime",
                });
            }
            (item_type_status(&word), word, message)
        }
    };
    let observed = match (start, end) {
        (Some(s), Some(e)) => Some(e.since(&s)),
        _ => None,
    };
    Ok(LogEntry {
        // Items without a usn sort after all that have one, in payload order.
        order: item.usn.unwrap_or(u64::MAX / 2 + index as u64),
        status,
        vendor_status: word,
        message,
        start,
        end,
        logged_at: None,
        reported: None,
        observed,
        source: raw.get().into(),
    })
}

fn job_session(raw: &RawValue, text: &Text) -> Result<Session, ItemError> {
    let item = wire::JobSession::read(raw)?;
    let id = item.id.ok_or(ItemError::Missing("id"))?;
    let vendor_status = item.status.unwrap_or_default();
    // v6 and later documents (`RESTJobSession`) say `details` is the run's error or warning
    // text. Only the old shape, which has none of their fields, keeps being read as before:
    // `details` as the name, else the linked job.
    let job_id = raw_text(item.job_id);
    let job_type = raw_text(item.job_type);
    let progress = raw_int(item.progress);
    let retry_count = raw_int(item.retry_count);
    let statistics = item.statistics;
    let documented = retry_count.is_some()
        || progress.is_some()
        || statistics.is_some()
        || job_type.is_some()
        || job_id.is_some();
    // The job this is a run of: v8 says so; older versions only link to it.
    let job = job_id
        .filter(|j| !j.trim().is_empty())
        .or_else(|| item.job_href.as_deref().and_then(last_segment));
    let message = item.details.filter(|d| !d.trim().is_empty());
    let (name, message) = if documented {
        (None, message)
    } else {
        (
            message.or_else(|| job.as_ref().map(|j| format!("Job {j}"))),
            None,
        )
    };
    let mut details: Vec<(&'static str, String)> = Vec::new();
    if let Some(text) = message {
        details.push(("Message", text.trim().to_string()));
    }
    if let Some(kind) = job_type.filter(|k| !k.trim().is_empty()) {
        details.push(("Type", kind));
    }
    if let Some(progress) = progress {
        details.push(("Progress", format!("{progress} objects")));
    }
    if let Some(retries) = retry_count.filter(|r| *r > 0) {
        details.push(("Retries", retries.to_string()));
    }
    if let Some(main) = raw_text(item.main_session_id).filter(|m| !m.trim().is_empty()) {
        details.push(("Retry of", main));
    }
    if let Some(stats) = statistics {
        if let Some(n) = stats.processed_objects {
            details.push(("Processed objects", n.to_string()));
        }
        if let Some(bytes) = stats.transferred_data_bytes {
            details.push(("Transferred", human_bytes(bytes)));
        }
        if let Some(rate) = stats.processing_rate_bytes_ps {
            details.push(("Rate", format!("{}/s", human_bytes(rate))));
        }
        if let Some(word) = stats.bottleneck.filter(|b| !b.trim().is_empty()) {
            details.push(("Bottleneck", word));
        }
    }
    Ok(Session {
        // The session's own `_links.log` is wrong on real servers (404): the path is built.
        log_href: Some(super::api::log_href(&id)),
        job,
        details,
        id,
        user: None,
        host: None,
        start: time_field("creationTime", item.creation_time.as_deref())?,
        // A running session's end is .NET's not-set value, which reads as no end.
        end: time_field("endTime", item.end_time.as_deref())?,
        reported: None,
        status: job_status(&vendor_status),
        vendor_status: vendor_status.into(),
        name,
        source: Source::within(text, raw.get()),
    })
}

/// A byte count in 1024-based units with one decimal, as Veeam's consoles write sizes:
/// `512 B`, `1.5 KB`, `1.2 GB`. A negative count (which no server should send) keeps its sign.
fn human_bytes(bytes: i64) -> String {
    const UNITS: [&str; 6] = ["KB", "MB", "GB", "TB", "PB", "EB"];
    let sign = if bytes < 0 { "-" } else { "" };
    let magnitude = bytes.unsigned_abs();
    if magnitude < 1024 {
        return format!("{sign}{magnitude} B");
    }
    // Tenths of a unit in integers: float formatting would cost the bundle ~5 KB. Rounded at
    // each step, so that 1023.96 KB is written 1.0 MB rather than 1024.0 KB. In `u64` (split so
    // that `magnitude * 10` cannot overflow): `u128`'s `Display` costs 1.5 KB more.
    let mut tenths = magnitude / 1024 * 10 + (magnitude % 1024 * 10 + 512) / 1024;
    let mut unit = 0;
    while tenths >= 10_240 && unit + 1 < UNITS.len() {
        tenths = (tenths + 512) / 1024;
        unit += 1;
    }
    let unit = UNITS.get(unit).copied().unwrap_or("EB");
    format!("{sign}{}.{} {unit}", tenths / 10, tenths % 10)
}

/// The items of a bare array or of a `{results: […]}` envelope.
fn results<'a>(text: &'a str, expected: &str) -> Result<Vec<&'a RawValue>, DecodeError> {
    if text.trim_start().starts_with('[') {
        serde_json::from_str(text).map_err(|e| DecodeError::from_json(&e, expected))
    } else {
        let page = wire::Page::read(text, expected)?;
        let _ = (page.offset, page.limit);
        Ok(page.results)
    }
}

fn has_results(text: &str) -> bool {
    serde_json::from_str::<crate::vendors::contract::Keys>(text)
        .map(|keys| keys.contains_key("results"))
        .unwrap_or(false)
}

fn last_segment(href: &str) -> Option<String> {
    href.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Duration;

    /// The v3 page's example (`shared/seeds/003_…`), completed where the page elides the tail.
    const SEED: &str = include_str!("../../../public/samples/veeam-m365-log-items.json");

    fn read(text: &str) -> SessionLog {
        match log_items(text) {
            Ok(log) => log,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn seed_example_every_field() {
        let log = read(SEED);
        assert_eq!(log.session_id, "be376069-2865-4156-a9bc-825cef7d687e");
        assert!(log.skipped.is_empty());
        let expected = [
            // usn, message, start UTC, end UTC, observed µs
            (
                1,
                "Job started at 4/4/2017 12:07:21 AM",
                "2017-04-04T07:07:21.366416Z",
                "2017-04-04T07:07:21.366416Z",
                0,
            ),
            (
                2,
                "Connected to organization",
                "2017-04-04T07:07:21.367414Z",
                "2017-04-04T07:07:25.395217Z",
                4_027_803,
            ),
            (
                3,
                "Mailboxes enumerated",
                "2017-04-04T07:07:21.367414Z",
                "2017-04-04T07:07:28.451488Z",
                7_084_074,
            ),
            (
                4,
                "3 mailboxes found",
                "2017-04-04T07:07:21.367414Z",
                "2017-04-04T07:07:28.454487Z",
                7_087_073,
            ),
            (
                5,
                "Processing mailbox: petep@eastsupport.onmicrosoft.com",
                "2017-04-04T07:07:25.397246Z",
                "2017-04-04T07:07:37.191867Z",
                11_794_621,
            ),
        ];
        assert_eq!(log.entries.len(), expected.len());
        for (entry, (usn, message, start, end, observed)) in log.entries.iter().zip(expected) {
            assert_eq!(entry.order, usn);
            assert_eq!(entry.status, Status::Success);
            assert_eq!(entry.vendor_status, "Success");
            assert_eq!(entry.message, message);
            assert_eq!(entry.start.map(|t| t.utc_rfc3339()).as_deref(), Some(start));
            assert_eq!(entry.end.map(|t| t.utc_rfc3339()).as_deref(), Some(end));
            assert_eq!(
                entry.observed,
                Some(Duration::from_micros(observed)),
                "usn {usn}"
            );
            assert_eq!(entry.reported, None);
            assert!(!entry.durations_disagree());
            // The source offset is kept for display.
            assert!(entry
                .start
                .is_some_and(|t| t.source_display().ends_with("-07:00")));
        }
    }

    #[test]
    fn envelope_is_read_like_the_bare_array() {
        let items = SEED.trim();
        let envelope = format!("{{\"offset\":0,\"limit\":30,\"results\":{items},\"_links\":{{\"self\":{{\"href\":\"x\"}}}}}}");
        assert_eq!(read(&envelope), read(SEED));
        assert_eq!(
            read("{\"offset\":0,\"limit\":30,\"results\":[]}").entries,
            []
        );
        assert_eq!(read("[]").entries, []);
    }

    #[test]
    fn ordered_by_usn_not_payload_order() {
        let log = read(
            r#"[{"usn":40,"title":"[Warning] c"},{"title":"[Success] no usn"},{"usn":7,"title":"[Failed] a"},{"usn":12,"title":"[Error] b"}]"#,
        );
        let messages: Vec<&str> = log.entries.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, ["a", "b", "c", "no usn"]);
        let statuses: Vec<Status> = log.entries.iter().map(|e| e.status).collect();
        assert_eq!(
            statuses,
            [
                Status::Failed,
                Status::Failed,
                Status::Warning,
                Status::Success
            ]
        );
    }

    #[test]
    fn title_prefixes_row_by_row() {
        for (title, status, word, rest) in [
            (
                "[Success] Job started",
                Status::Success,
                "Success",
                "Job started",
            ),
            ("[Warning] Slow", Status::Warning, "Warning", "Slow"),
            ("[Failed] Boom", Status::Failed, "Failed", "Boom"),
            ("[Error] Boom", Status::Failed, "Error", "Boom"),
            ("[success]x", Status::Success, "success", "x"),
            ("[Info] Hello", Status::Unknown, "Info", "Hello"),
            ("No prefix", Status::Unknown, "", "No prefix"),
            ("[Unclosed prefix", Status::Unknown, "", "[Unclosed prefix"),
            ("", Status::Unknown, "", ""),
        ] {
            assert_eq!(title_status(title), (status, word, rest), "{title:?}");
        }
    }

    #[test]
    fn job_status_table_row_by_row() {
        for (word, status) in [
            ("Success", Status::Success),
            ("Warning", Status::Warning),
            ("Failed", Status::Failed),
            ("Running", Status::Running),
            ("Queued", Status::Pending),
            ("NotConfigured", Status::Pending),
            ("Stopped", Status::Canceled),
            ("Disconnected", Status::Failed),
            ("failed", Status::Failed),
            ("Paused", Status::Unknown),
            ("", Status::Unknown),
        ] {
            assert_eq!(job_status(word), status, "{word:?}");
        }
    }

    #[test]
    fn bad_items_are_skipped() {
        let log = read(
            r#"[{"usn":1,"title":"[Success] ok","creationTime":"2017-04-04T00:07:21.3664166-07:00","endTime":"2017-04-04T00:07:22-07:00"},
                {"usn":"two","title":"[Success] bad usn"},
                {"usn":3,"creationTime":"2017-04-31T00:00:00Z"},
                {"usn":-4,"title":"negative"},
                {},
                42]"#,
        );
        assert_eq!(log.entries.len(), 1);
        let skipped: Vec<usize> = log.skipped.iter().map(|s| s.index).collect();
        assert_eq!(skipped, [1, 2, 3, 4, 5]);
        assert!(log.skipped[1].reason.contains("creationTime"));
    }

    #[test]
    fn job_sessions_list_and_single() {
        let list = r#"{"offset":0,"limit":30,"results":[
            {"id":"be376069-2865-4156-a9bc-825cef7d687e","creationTime":"2017-04-04T00:07:21.3664166-07:00","endTime":"2017-04-04T00:08:00-07:00","status":"Warning","details":"Daily mailboxes","_links":{"log":{"href":"https://x:4443/v3/JobSessions/be37/log"}}},
            {"id":"2","creationTime":"2017-04-05T00:07:21Z","endTime":"0001-01-01T00:00:00","status":"Running","_links":{"job":{"href":"https://x:4443/v3/Jobs/77"}}},
            {"creationTime":"2017-04-05T00:07:21Z"}
        ]}"#;
        let sessions = match job_sessions(&list.into()) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(sessions.sessions.len(), 2);
        assert_eq!(sessions.skipped.len(), 1);
        let first = &sessions.sessions[0];
        assert_eq!(
            (first.status, first.name.as_deref()),
            (Status::Warning, Some("Daily mailboxes"))
        );
        assert_eq!(
            first.log_href.as_deref(),
            Some("/v8/JobSessions/be376069-2865-4156-a9bc-825cef7d687e/LogItems"),
            "the vendor's wrong _links.log is not used"
        );
        let second = &sessions.sessions[1];
        assert_eq!(
            (second.status, second.end, second.name.as_deref()),
            (Status::Running, None, Some("Job 77"))
        );
        assert!(second.is_open(), "the .NET not-set end means still running");

        let single = r#"{"id":"9","creationTime":"2017-04-05T00:07:21Z","endTime":"2017-04-05T00:09:21Z","status":"Stopped"}"#;
        let one = match job_sessions(&single.into()) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(
            (one.sessions.len(), one.sessions[0].status, one.total),
            (1, Status::Canceled, Some(1))
        );
    }

    // Bodies captured from the simulator (`sim/`, `--seed 1`), see `tests/fixtures/README.md`.
    const V6_ITEMS: &str = include_str!("../../../tests/fixtures/veeam_m365/v6-log-items.json");
    const V7_FAILED: &str =
        include_str!("../../../tests/fixtures/veeam_m365/v7-log-items-failed.json");
    const V7_WARNING: &str =
        include_str!("../../../tests/fixtures/veeam_m365/v7-log-items-warning.json");
    const V7_RUNNING: &str =
        include_str!("../../../tests/fixtures/veeam_m365/v7-log-items-running.json");
    const V8_FAILED: &str =
        include_str!("../../../tests/fixtures/veeam_m365/v8-log-items-failed.json");
    const V8_WARNING: &str =
        include_str!("../../../tests/fixtures/veeam_m365/v8-log-items-warning.json");
    const V8_RUNNING: &str =
        include_str!("../../../tests/fixtures/veeam_m365/v8-log-items-running.json");
    const V6_SESSIONS: &str =
        include_str!("../../../tests/fixtures/veeam_m365/v6-job-sessions.json");
    const V7_SESSIONS: &str =
        include_str!("../../../tests/fixtures/veeam_m365/v7-job-sessions.json");
    const V8_SESSIONS: &str =
        include_str!("../../../tests/fixtures/veeam_m365/v8-job-sessions.json");
    const V6_JOBS: &str = include_str!("../../../tests/fixtures/veeam_m365/v6-jobs.json");
    const V7_JOBS: &str = include_str!("../../../tests/fixtures/veeam_m365/v7-jobs.json");
    const V8_JOBS: &str = include_str!("../../../tests/fixtures/veeam_m365/v8-jobs.json");

    fn sessions_of(text: &str) -> SessionList {
        match job_sessions(&text.into()) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn v8_items_without_title_read_status_from_type_and_text_from_message() {
        // The same sessions served as v7 (titles) and v8 (type + message): same entries, and
        // the same statuses except where v8 says an item is still running.
        for (v7, v8, failed, warnings, running) in [
            (V7_FAILED, V8_FAILED, 2, 0, 0),
            (V7_WARNING, V8_WARNING, 0, 3, 0),
            (V7_RUNNING, V8_RUNNING, 0, 0, 1),
        ] {
            let (old, new) = (read(v7), read(v8));
            assert!(old.skipped.is_empty() && new.skipped.is_empty());
            assert_eq!(new.session_id, old.session_id);
            assert!(!new.session_id.is_empty());
            assert_eq!(new.entries.len(), old.entries.len());
            for (o, n) in old.entries.iter().zip(&new.entries) {
                assert_eq!(
                    (n.order, &n.message, n.start, n.end),
                    (o.order, &o.message, o.start, o.end)
                );
                assert!(
                    !n.message.is_empty() && !n.message.starts_with('['),
                    "{}",
                    n.message
                );
                if n.status != Status::Running {
                    assert_eq!(n.status, o.status, "usn {}", n.order);
                } else {
                    assert_eq!((n.vendor_status.as_str(), n.end), ("Running", None));
                }
            }
            let count = |s: Status| new.entries.iter().filter(|e| e.status == s).count();
            assert_eq!(
                (
                    count(Status::Failed),
                    count(Status::Warning),
                    count(Status::Running)
                ),
                (failed, warnings, running)
            );
            let words: std::collections::BTreeSet<&str> = new
                .entries
                .iter()
                .map(|e| e.vendor_status.as_str())
                .collect();
            assert!(words
                .iter()
                .all(|w| ["Success", "Warning", "Error", "Running"].contains(w)));
        }
    }

    #[test]
    fn v8_item_type_table_row_by_row() {
        for (word, status) in [
            ("Running", Status::Running),
            ("Warning", Status::Warning),
            ("Error", Status::Failed),
            ("Success", Status::Success),
            ("Stop", Status::Canceled),
            ("stop", Status::Canceled),
            (" Error ", Status::Failed),
            ("Failed", Status::Unknown),
            ("", Status::Unknown),
        ] {
            assert_eq!(item_type_status(word), status, "{word:?}");
        }
        let log = read(
            r#"{"offset":0,"limit":30,"results":[
                {"id":"a","usn":2,"type":"Stop","message":"Job stopped by user","creationTime":"2025-08-30T05:00:00-07:00","endTime":"2025-08-30T05:00:01-07:00"},
                {"id":"b","usn":1,"type":"Error","message":" Boom ","creationTime":"2025-08-30T05:00:00-07:00","endTime":"0001-01-01T00:00:00"}
            ]}"#,
        );
        let rows: Vec<(u64, Status, &str, &str, bool)> = log
            .entries
            .iter()
            .map(|e| {
                (
                    e.order,
                    e.status,
                    e.vendor_status.as_str(),
                    e.message.as_str(),
                    e.end.is_some(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (1, Status::Failed, "Error", "Boom", false),
                (2, Status::Canceled, "Stop", "Job stopped by user", true)
            ]
        );
    }

    #[test]
    fn v6_and_v7_titles_still_read_from_their_prefix() {
        let log = read(V6_ITEMS);
        assert!(log.skipped.is_empty());
        assert_eq!(log.entries.len(), 5);
        assert!(log
            .entries
            .iter()
            .all(|e| e.status == Status::Success && e.vendor_status == "Success"));
        assert_eq!(
            log.entries.first().map(|e| e.message.as_str()),
            Some("Job started at 8/30/2025 5:00:00 AM")
        );
        let v7 = read(V7_FAILED);
        let words: std::collections::BTreeSet<&str> = v7
            .entries
            .iter()
            .map(|e| e.vendor_status.as_str())
            .collect();
        assert_eq!(
            words.into_iter().collect::<Vec<_>>(),
            ["Error", "Failed", "Success"]
        );
    }

    #[test]
    fn an_item_with_a_title_keeps_todays_reading_whatever_else_it_carries() {
        let log = read(
            r#"[{"usn":1,"title":"[Warning] from the title","type":"Error","message":"from message"},
                {"usn":2,"title":"","type":"Success","message":"empty title: v8 reading"},
                {"usn":3,"type":null,"message":null,"id":"only an id"}]"#,
        );
        let rows: Vec<(Status, &str, &str)> = log
            .entries
            .iter()
            .map(|e| (e.status, e.vendor_status.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                (Status::Warning, "Warning", "from the title"),
                (Status::Success, "Success", "empty title: v8 reading"),
                (Status::Unknown, "", "")
            ]
        );
    }

    /// Every session of the captures, with every detail; v6 has no `jobType` and no
    /// `mainSessionId`, so those rows are absent there.
    #[test]
    fn job_sessions_v6_v7_v8_every_detail() {
        const JOB: &str = "dbfca60a-9052-42b0-a0d5-9827ae55c5c7";
        const FAILED: &str =
            "Job finished with error: Exchange Web Services returned 503 (server busy).";
        const WARNED: &str = "Job finished with warning: some items were skipped.";
        type Row = (
            &'static str,
            Status,
            bool,
            &'static [(&'static str, &'static str)],
        );
        let expected: [Row; 5] = [
            (
                "eb26def8-ff5e-49a3-bad3-8c15a06faa57",
                Status::Running,
                true,
                &[
                    ("Type", "Backup"),
                    ("Progress", "16 objects"),
                    ("Processed objects", "16"),
                    ("Transferred", "3.9 GB"),
                    ("Rate", "3.9 GB/s"),
                    ("Bottleneck", "Detecting"),
                ],
            ),
            (
                "5cdd2bb2-f558-4ca0-b6cb-a6d474e1aa6c",
                Status::Failed,
                false,
                &[
                    ("Message", FAILED),
                    ("Type", "Backup"),
                    ("Progress", "33 objects"),
                    ("Processed objects", "33"),
                    ("Transferred", "1.8 GB"),
                    ("Rate", "7.7 MB/s"),
                    ("Bottleneck", "NA"),
                ],
            ),
            (
                "607418eb-ff81-4c80-8e48-b1fc92ffaf8f",
                Status::Success,
                false,
                &[
                    ("Type", "Backup"),
                    ("Progress", "6 objects"),
                    ("Retries", "1"),
                    ("Retry of", "5cdd2bb2-f558-4ca0-b6cb-a6d474e1aa6c"),
                    ("Processed objects", "6"),
                    ("Transferred", "2.4 GB"),
                    ("Rate", "13.8 MB/s"),
                    ("Bottleneck", "Detecting"),
                ],
            ),
            (
                "96d27397-07aa-4c89-bcb1-75d0c32610af",
                Status::Warning,
                false,
                &[
                    ("Message", WARNED),
                    ("Type", "Backup"),
                    ("Progress", "7 objects"),
                    ("Processed objects", "7"),
                    ("Transferred", "2.4 GB"),
                    ("Rate", "2.8 MB/s"),
                    ("Bottleneck", "NA"),
                ],
            ),
            (
                "b728b2b7-b4e4-44a3-8a61-14e436b4e39a",
                Status::Success,
                false,
                &[
                    ("Type", "Backup"),
                    ("Progress", "29 objects"),
                    ("Processed objects", "29"),
                    ("Transferred", "342.9 MB"),
                    ("Rate", "228.4 KB/s"),
                    ("Bottleneck", "Detecting"),
                ],
            ),
        ];
        for (version, text, absent) in [
            ("v6", V6_SESSIONS, &["Type", "Retry of"][..]),
            ("v7", V7_SESSIONS, &[][..]),
            ("v8", V8_SESSIONS, &[][..]),
        ] {
            let list = sessions_of(text);
            assert!(list.skipped.is_empty(), "{version}");
            assert_eq!(list.sessions.len(), expected.len(), "{version}");
            for (session, (id, status, running, details)) in list.sessions.iter().zip(expected) {
                assert_eq!(
                    (session.id.as_str(), session.status),
                    (id, status),
                    "{version}"
                );
                assert_eq!(session.job.as_deref(), Some(JOB), "{version} {id}");
                assert_eq!(session.name, None, "{version} {id}: details is not a name");
                assert_eq!(session.is_open(), running, "{version} {id}");
                assert_eq!(
                    session.end.is_none(),
                    running,
                    "{version} {id}: 0001-01-01 is not set"
                );
                assert_eq!(session.log_href, Some(super::super::api::log_href(id)));
                let want: Vec<(&str, String)> = details
                    .iter()
                    .filter(|(label, _)| !absent.contains(label))
                    .map(|(label, value)| (*label, value.to_string()))
                    .collect();
                assert_eq!(session.details, want, "{version} {id}");
            }
        }
    }

    #[test]
    fn details_text_is_a_detail_not_a_name_in_documented_sessions() {
        let list = sessions_of(
            r#"[{"id":"1","status":"Failed","details":"  Boom  ","retryCount":0,"_links":{"job":{"href":"https://x/v7/Jobs/j7/"}}},
                {"id":"2","status":"Success","details":"","progress":0,"jobId":"j8","_links":{"job":{"href":"https://x/v8/Jobs/other"}}},
                {"id":"3","status":"Warning","details":"Old shape keeps its reading"}]"#,
        );
        type Row<'a> = (
            Option<&'a str>,
            Option<&'a str>,
            &'a [(&'static str, String)],
        );
        let rows: Vec<Row> = list
            .sessions
            .iter()
            .map(|s| (s.name.as_deref(), s.job.as_deref(), s.details.as_slice()))
            .collect();
        assert_eq!(
            rows,
            [
                (None, Some("j7"), &[("Message", "Boom".to_string())][..]),
                (
                    None,
                    Some("j8"),
                    &[("Progress", "0 objects".to_string())][..]
                ),
                (Some("Old shape keeps its reading"), None, &[][..]),
            ]
        );
    }

    #[test]
    fn human_bytes_row_by_row() {
        for (bytes, text) in [
            (0, "0 B"),
            (1023, "1023 B"),
            (1024, "1.0 KB"),
            (1536, "1.5 KB"),
            (1_048_524, "1023.9 KB"),
            (1_048_550, "1.0 MB"),
            (1_288_490_189, "1.2 GB"),
            (i64::MAX, "8.0 EB"),
            (-2048, "-2.0 KB"),
            (i64::MIN, "-8.0 EB"),
        ] {
            assert_eq!(human_bytes(bytes), text, "{bytes}");
        }
    }

    #[test]
    fn jobs_v6_v7_array_and_v8_envelope() {
        let read_jobs = |text: &str| match jobs(text) {
            Ok(j) => j,
            Err(e) => panic!("{e}"),
        };
        let v6 = read_jobs(V6_JOBS);
        let names: Vec<&str> = v6.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names.len(), 4);
        assert_eq!(names.first(), Some(&"Exchange mailboxes hourly"));
        assert_eq!(
            v6.first().map(|(id, _)| id.as_str()),
            Some("dbfca60a-9052-42b0-a0d5-9827ae55c5c7")
        );
        assert!(V6_JOBS.trim_start().starts_with('[') && V8_JOBS.trim_start().starts_with('{'));
        assert_eq!(read_jobs(V7_JOBS), v6);
        assert_eq!(read_jobs(V8_JOBS), v6);
        // Items without an id or a name, or not jobs at all, are left out.
        let odd = read_jobs(
            r#"{"offset":0,"limit":30,"results":[{"id":"a","name":"A"},{"id":"b"},{"name":"C"},{"id":"","name":"D"},{"id":"e","name":"  "},{"id":5,"name":"F"},null,7,"x",{"id":"g","name":"G","lastStatus":42}]}"#,
        );
        assert_eq!(
            odd,
            [
                ("a".to_string(), "A".to_string()),
                ("g".to_string(), "G".to_string())
            ]
        );
        assert_eq!(read_jobs("[]"), []);
        for bad in ["", "{", "{\"results\":{}}", "42", "null"] {
            assert!(jobs(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn hostile_job_sessions_and_log_items_never_panic() {
        let list = sessions_of(
            r#"{"results":[
                {"id":"1","creationTime":null,"endTime":null,"status":null,"details":null,"jobId":null,"jobType":null,"progress":null,"retryCount":null,"mainSessionId":null,"statistics":null,"_links":null},
                {"id":"2","jobId":5,"jobType":[],"progress":"50","retryCount":{},"mainSessionId":false,"statistics":"fast","status":"Running"},
                {"id":"3","statistics":{"processedObjects":"x","transferredDataBytes":-5,"processingRateBytesPS":1e300,"bottleneck":7},"retryCount":-1},
                {"id":"4","_links":{"job":{"href":"/"}}},
                {"id":"5","_links":{"job":null}},
                {"id":6},
                {"id":"7","creationTime":"not a time"},
                null, [], "s", 1.5
            ]}"#,
        );
        let ids: Vec<&str> = list.sessions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "3", "4", "5"]);
        let skipped: Vec<usize> = list.skipped.iter().map(|s| s.index).collect();
        assert_eq!(skipped, [5, 6, 7, 8, 9, 10]);
        let details = |i: usize| {
            list.sessions
                .get(i)
                .map(|s| s.details.clone())
                .unwrap_or_default()
        };
        assert_eq!(details(0), []);
        assert_eq!(details(1), [], "wrong types are dropped, not guessed at");
        assert_eq!(details(2), [("Transferred", "-5 B".to_string())]);
        assert!(list
            .sessions
            .iter()
            .all(|s| s.job.is_none() && s.name.is_none()));

        let log = read(
            r#"[{"usn":null,"title":null,"type":null,"message":null,"creationTime":null,"endTime":null,"id":null,"_links":null},
                {"usn":1,"type":5,"message":"wrong type"},
                {"usn":2,"type":"Error","message":["x"]},
                {"usn":3,"type":"Error","message":"ok","_links":{"jobsessions":{"href":null}}}]"#,
        );
        assert_eq!(log.entries.len(), 1);
        assert_eq!(log.skipped.len(), 3);
        assert_eq!(log.session_id, "");
    }

    /// The fields read here are the ones the vendor's documents name (checked when
    /// `shared/vendor-specs/` is beside the repository; the documents are not copied in).
    #[test]
    fn vendor_documents_name_the_fields_read() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/vendor-specs");
        for version in [6, 7, 8] {
            let path = dir.join(format!("vb365-v{version}.openapi.json"));
            let Ok(text) = std::fs::read_to_string(&path) else {
                eprintln!(
                    "not checked: {} is not beside the repository",
                    path.display()
                );
                return;
            };
            let doc: serde_json::Value = serde_json::from_str(&text).expect("an OpenAPI document"); // ok: test fixture
            let schema = |name: &str| doc["components"]["schemas"][name]["properties"].clone(); // ok: test fixture
            let item = schema("RESTLogItem");
            if version >= 8 {
                assert!(item.get("title").is_none() && item.get("message").is_some());
                let words: Vec<&str> = item["type"]["enum"] // ok: test fixture
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|w| w.as_str())
                    .collect();
                assert_eq!(words, ["Running", "Warning", "Error", "Success", "Stop"]);
                assert!(words.iter().all(|w| item_type_status(w) != Status::Unknown));
            } else {
                assert!(item.get("title").is_some() && item.get("type").is_none());
            }
            let session = schema("RESTJobSession");
            let mut fields = vec![
                "id",
                "details",
                "creationTime",
                "endTime",
                "retryCount",
                "progress",
                "status",
                "statistics",
                "_links",
            ];
            if version >= 7 {
                fields.extend(["jobType", "mainSessionId"]);
            }
            if version >= 8 {
                fields.push("jobId");
            }
            for field in fields {
                assert!(
                    session.get(field).is_some(),
                    "v{version} RESTJobSession.{field}"
                );
            }
            let statistics = schema("RESTJobStatistics");
            for field in [
                "processedObjects",
                "transferredDataBytes",
                "processingRateBytesPS",
                "bottleneck",
            ] {
                assert!(
                    statistics.get(field).is_some(),
                    "v{version} RESTJobStatistics.{field}"
                );
            }
            let job = schema("RESTJob");
            assert!(job.get("id").is_some() && job.get("name").is_some());
        }
    }
}
