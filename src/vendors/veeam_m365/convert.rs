//! Veeam Backup for Microsoft 365 wire types → the normalised model.

use serde_json::value::RawValue;

use super::wire;
use crate::model::{LogEntry, Session, SessionList, SessionLog, Status};
use crate::vendors::{adapt_items, status_word, time_field, wire_item, DecodeError, ItemError};

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
        let item: wire::LogItem = wire_item(raw)?;
        if session_id.is_none() {
            session_id = item
                .links
                .as_ref()
                .and_then(|l| l.jobsessions.as_ref())
                .and_then(|h| h.href.as_deref())
                .and_then(last_segment);
        }
        log_item(index, raw, item)
    });
    // Stable: equal usns keep payload order.
    entries.sort_by_key(|e| e.order);
    Ok(SessionLog {
        session_id: session_id.unwrap_or_default(),
        entries,
        skipped,
    })
}

/// Reads `GET /v3/JobSessions` (envelope or bare array) or one `GET /v3/JobSessions/{id}`.
pub fn job_sessions(text: &str) -> Result<SessionList, DecodeError> {
    let trimmed = text.trim_start();
    let (items, total) = if trimmed.starts_with('{') && !has_results(trimmed) {
        // A single job session.
        let raw: &RawValue = serde_json::from_str(text)
            .map_err(|e| DecodeError::from_json(&e, EXPECTED_JOB_SESSIONS))?;
        (vec![raw], Some(1))
    } else {
        (results(text, EXPECTED_JOB_SESSIONS)?, None)
    };
    let (sessions, skipped) = adapt_items(&items, |_, raw| job_session(raw));
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
        .filter_map(|raw| wire_item::<wire::Job>(raw).ok())
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
        source: raw.get().to_string(),
    })
}

fn job_session(raw: &RawValue) -> Result<Session, ItemError> {
    let item: wire::JobSession = wire_item(raw)?;
    let id = item.id.ok_or(ItemError::Missing("id"))?;
    let vendor_status = item.status.unwrap_or_default();
    // v6 and later documents (`RESTJobSession`) say `details` is the run's error or warning
    // text. Only the old shape, which has none of their fields, keeps being read as before:
    // `details` as the name, else the linked job.
    let documented = item.retry_count.is_some()
        || item.progress.is_some()
        || item.statistics.is_some()
        || item.job_type.is_some()
        || item.job_id.is_some();
    // The job this is a run of: v8 says so; older versions only link to it.
    let job = item.job_id.filter(|j| !j.trim().is_empty()).or_else(|| {
        item.links
            .and_then(|l| l.job)
            .and_then(|h| h.href)
            .and_then(|h| last_segment(&h))
    });
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
    if let Some(kind) = item.job_type.filter(|k| !k.trim().is_empty()) {
        details.push(("Type", kind));
    }
    if let Some(progress) = item.progress {
        details.push(("Progress", format!("{progress} objects")));
    }
    if let Some(retries) = item.retry_count.filter(|r| *r > 0) {
        details.push(("Retries", retries.to_string()));
    }
    if let Some(main) = item.main_session_id.filter(|m| !m.trim().is_empty()) {
        details.push(("Retry of", main));
    }
    if let Some(stats) = item.statistics {
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
        log_href: Some(super::api::log_path(&id)),
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
        vendor_status,
        name,
        source: raw.get().to_string(),
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
    let mut value = magnitude as f64 / 1024.0;
    let mut unit = "KB";
    for next in UNITS.iter().skip(1) {
        // Round first, so that 1023.96 KB is written 1.0 MB rather than 1024.0 KB.
        if (value * 10.0).round() / 10.0 < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = next;
    }
    format!("{sign}{value:.1} {unit}")
}

/// The items of a bare array or of a `{results: […]}` envelope.
fn results<'a>(text: &'a str, expected: &str) -> Result<Vec<&'a RawValue>, DecodeError> {
    if text.trim_start().starts_with('[') {
        serde_json::from_str(text).map_err(|e| DecodeError::from_json(&e, expected))
    } else {
        let page: wire::Page<'a> =
            serde_json::from_str(text).map_err(|e| DecodeError::from_json(&e, expected))?;
        let _ = (page.offset, page.limit);
        Ok(page.results)
    }
}

fn has_results(text: &str) -> bool {
    serde_json::from_str::<std::collections::BTreeMap<String, serde::de::IgnoredAny>>(text)
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
        let sessions = match job_sessions(list) {
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
            Some("/v3/JobSessions/be376069-2865-4156-a9bc-825cef7d687e/LogItems"),
            "the vendor's wrong _links.log is not used"
        );
        let second = &sessions.sessions[1];
        assert_eq!(
            (second.status, second.end, second.name.as_deref()),
            (Status::Running, None, Some("Job 77"))
        );
        assert!(second.is_open(), "the .NET not-set end means still running");

        let single = r#"{"id":"9","creationTime":"2017-04-05T00:07:21Z","endTime":"2017-04-05T00:09:21Z","status":"Stopped"}"#;
        let one = match job_sessions(single) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(
            (one.sessions.len(), one.sessions[0].status, one.total),
            (1, Status::Canceled, Some(1))
        );
    }
}
