//! A session's log: entries in order, each with its times, durations and status.

use super::{Duration, Status, Timestamp};

/// One session's log, from any vendor, plus what could not be read of it.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionLog {
    /// The session the log belongs to, as the vendor identifies it.
    pub session_id: String,
    /// Entries in the vendor's order (see [`LogEntry::order`]).
    pub entries: Vec<LogEntry>,
    /// Items that were present but could not be adapted; the rest is still shown.
    pub skipped: Vec<Skipped>,
}

/// One step of a session log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    /// Position in the vendor's order (an index, or a sequence number such as M365's `usn`).
    pub order: u64,
    pub status: Status,
    /// The vendor's own word for the status, shown beside the normalised one.
    pub vendor_status: String,
    pub message: String,
    /// When the step began executing.
    pub start: Option<Timestamp>,
    /// When the step ended, where the vendor says so.
    pub end: Option<Timestamp>,
    /// When the vendor wrote the entry.
    pub logged_at: Option<Timestamp>,
    /// The duration the vendor reports.
    pub reported: Option<Duration>,
    /// The duration the timestamps show (end or logged-at, minus start).
    pub observed: Option<Duration>,
    /// The item as the vendor sent it, for "show source".
    pub source: String,
}

/// An item that could not be adapted, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Its position in the payload (0-based).
    pub index: usize,
    pub reason: String,
}

/// Reported and observed durations further apart than this, and than [`MISMATCH_SHARE`] of the
/// larger, are shown as a disagreement. Below a second, clock resolution and rounding explain it.
const MISMATCH_FLOOR_US: i64 = 1_000_000;
/// …and than this share of the larger of the two.
const MISMATCH_SHARE: f64 = 0.10;

/// Sorts entries by [`LogEntry::order`], stably: equal keys keep the order they came in. Through
/// the session list's index sort (ties by index, so stable in effect): the bundle then holds no
/// sort instance for entries at all.
pub fn sort_by_order(entries: &mut Vec<LogEntry>) {
    let mut at: Vec<u32> = (0..entries.len() as u32).collect();
    let key = crate::list::sort::SortKey {
        column: crate::list::sort::Column::Start,
        descending: false,
    };
    // Flipping the top bit maps u64 onto i64 keeping the order.
    let order = |i: u32| {
        entries
            .get(i as usize)
            .map(|e| (e.order ^ (1 << 63)) as i64)
    };
    crate::list::sort::sort_by_key(&mut at, key, &order);
    let mut taken: Vec<Option<LogEntry>> = std::mem::take(entries).into_iter().map(Some).collect();
    entries.extend(
        at.iter()
            .filter_map(|&i| taken.get_mut(i as usize).and_then(Option::take)),
    );
}

impl LogEntry {
    /// The duration to show first: the vendor's report where there is one, else the observed span.
    pub fn duration(&self) -> Option<Duration> {
        self.reported.or(self.observed)
    }

    /// Whether the reported duration and the observed span tell different stories (SPEC §1:
    /// "show both where they disagree").
    pub fn durations_disagree(&self) -> bool {
        let (Some(r), Some(o)) = (self.reported, self.observed) else {
            return false;
        };
        let diff = r.abs_diff(o).micros();
        let larger = r.micros().abs().max(o.micros().abs());
        diff > MISMATCH_FLOOR_US && diff as f64 > larger as f64 * MISMATCH_SHARE
    }

    /// The interval the entry occupies on a timeline, in microseconds since the epoch: from its
    /// start (or, lacking one, when it was logged) to its end, else its logged-at time, else start
    /// plus its duration. An end before the start collapses to the start.
    pub fn extent(&self) -> Option<(i64, i64)> {
        let start = self.start.or(self.logged_at)?;
        let end = self
            .end
            .or(self.logged_at)
            .or_else(|| self.duration().map(|d| start.plus(d)))
            .unwrap_or(start);
        let (s, e) = (start.unix_micros(), end.unix_micros());
        Some((s, e.max(s)))
    }
}

impl SessionLog {
    /// The earliest start and latest end over all entries, if any entry has a time.
    pub fn extent(&self) -> Option<(i64, i64)> {
        self.entries
            .iter()
            .filter_map(LogEntry::extent)
            .reduce(|(s1, e1), (s2, e2)| (s1.min(s2), e1.max(e2)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_timestamp;

    fn t(text: &str) -> Option<Timestamp> {
        parse_timestamp(text).ok().flatten()
    }

    fn entry() -> LogEntry {
        LogEntry {
            order: 0,
            status: Status::Success,
            vendor_status: "Success".into(),
            message: String::new(),
            start: None,
            end: None,
            logged_at: None,
            reported: None,
            observed: None,
            source: Default::default(),
        }
    }

    fn disagree(reported_ms: i64, observed_ms: i64) -> bool {
        LogEntry {
            reported: Some(Duration::from_millis(reported_ms)),
            observed: Some(Duration::from_millis(observed_ms)),
            ..entry()
        }
        .durations_disagree()
    }

    #[test]
    fn disagreement_needs_a_second_and_ten_percent() {
        assert!(!disagree(0, 0));
        assert!(!disagree(687, 1_600), "under a second apart");
        assert!(disagree(687, 609_688), "the seed's second item");
        assert!(disagree(31, 104_031), "the seed's third item");
        assert!(!disagree(100_000, 105_000), "5% apart");
        assert!(disagree(100_000, 120_000));
        assert!(!LogEntry {
            reported: Some(Duration::ZERO),
            ..entry()
        }
        .durations_disagree());
    }

    #[test]
    fn duration_prefers_the_report() {
        let e = LogEntry {
            reported: Some(Duration::from_millis(5)),
            observed: Some(Duration::from_millis(9)),
            ..entry()
        };
        assert_eq!(e.duration(), Some(Duration::from_millis(5)));
        assert_eq!(
            LogEntry {
                reported: None,
                ..e.clone()
            }
            .duration(),
            Some(Duration::from_millis(9))
        );
    }

    #[test]
    fn extent_falls_back_from_end_to_logged_at_to_duration() {
        let start = t("2021-01-01T00:00:00Z");
        let base = start.map(|s| s.unix_micros()).unwrap_or_default();
        let with_end = LogEntry {
            start,
            end: t("2021-01-01T00:00:02Z"),
            logged_at: t("2021-01-01T00:00:09Z"),
            ..entry()
        };
        assert_eq!(with_end.extent(), Some((base, base + 2_000_000)));
        let logged = LogEntry {
            end: None,
            ..with_end.clone()
        };
        assert_eq!(logged.extent(), Some((base, base + 9_000_000)));
        let reported = LogEntry {
            logged_at: None,
            reported: Some(Duration::from_millis(3)),
            ..logged.clone()
        };
        assert_eq!(reported.extent(), Some((base, base + 3_000)));
        let backwards = LogEntry {
            end: t("2020-12-31T00:00:00Z"),
            ..entry()
        };
        assert_eq!(LogEntry { start, ..backwards }.extent(), Some((base, base)));
        assert_eq!(entry().extent(), None);
    }

    #[test]
    fn log_extent_spans_all_entries() {
        let log = SessionLog {
            session_id: "s".into(),
            entries: vec![
                LogEntry {
                    start: t("2021-01-01T00:00:05Z"),
                    end: t("2021-01-01T00:00:06Z"),
                    ..entry()
                },
                LogEntry {
                    start: t("2021-01-01T00:00:01Z"),
                    end: t("2021-01-01T00:00:02Z"),
                    ..entry()
                },
                entry(),
            ],
            skipped: vec![],
        };
        let base = t("2021-01-01T00:00:00Z")
            .map(|s| s.unix_micros())
            .unwrap_or_default();
        assert_eq!(log.extent(), Some((base + 1_000_000, base + 6_000_000)));
    }
}
