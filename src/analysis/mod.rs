//! The timeline's analysis: summary, idle gaps, live extents, row windowing and run-vs-run diff;
//! and a list's jobs, each run against its job's usual.
//!
//! Everything here is plain Rust over the [`crate::model`] (no Leptos, no DOM, no serde), so that
//! it is tested natively and a component only draws what these functions return. Times are the
//! model's one unit, microseconds since the epoch. Every function is linear or `n log n` in the
//! number of entries, so that a 50 000-entry log stays well inside a frame budget
//! (`examples/timeline_bench.rs` measures it). Zoom and pan maths live beside the axis, in
//! [`crate::components::timeline::axis`].

pub mod diff;
pub mod filter;
pub mod gaps;
pub mod jobs;
pub mod live;
pub mod night;
pub mod overview;
pub mod steps;
pub mod summary;
pub mod virtual_rows;

pub use diff::{diff, step_key, Change, DiffRow};
pub use filter::{EntryFilter, FilterIndex};
pub use gaps::{gaps, largest_gaps};
pub use jobs::{slower_than_usual, Baseline, Compared, Jobs, Streak};
pub use live::{entry_is_running, live_extent, looks_running};
pub use steps::{sort_steps, step_stats, usual_steps, StepOrder, StepStat, StepUsual};
pub use summary::{slowest, summarise, Slow, StatusCounts, Summary, SLOWEST};
pub use virtual_rows::{RowWindow, VirtualRows};

/// Small builders shared by the unit tests of this module.
#[cfg(test)]
pub(crate) mod builders {
    use crate::model::{parse_timestamp, Duration, LogEntry, SessionLog, Status, Timestamp};

    /// The instant every builder counts from.
    pub fn base() -> Timestamp {
        parse_timestamp("2021-01-01T00:00:00Z")
            .ok()
            .flatten()
            .expect("a valid timestamp") // ok: test fixture
    }

    /// `secs` seconds after [`base`], in microseconds since the epoch.
    pub fn at(secs: i64) -> i64 {
        base().unix_micros() + secs * 1_000_000
    }

    /// A timestamp `secs` seconds after [`base`].
    pub fn ts(secs: i64) -> Timestamp {
        base().plus(Duration::from_micros(secs * 1_000_000))
    }

    /// An entry starting `start` seconds after [`base`] and ending at `end` (observed span set).
    pub fn entry(status: Status, start: i64, end: Option<i64>) -> LogEntry {
        let (s, e) = (ts(start), end.map(ts));
        LogEntry {
            order: 0,
            status,
            vendor_status: status.label().to_string(),
            message: "step".to_string(),
            start: Some(s),
            end: e,
            logged_at: None,
            reported: None,
            observed: e.map(|e| e.since(&s)),
            source: Default::default(),
        }
    }

    /// A successful step from `start` to `end` seconds with this message.
    pub fn step(message: &str, start: i64, end: i64) -> LogEntry {
        LogEntry {
            message: message.to_string(),
            ..entry(Status::Success, start, Some(end))
        }
    }

    /// A run of steps, each `(message, seconds)`, laid end to end.
    pub fn run(steps: &[(&str, i64)]) -> SessionLog {
        let mut t = 0;
        log(steps
            .iter()
            .map(|&(m, secs)| {
                t += secs;
                step(m, t - secs, t)
            })
            .collect())
    }

    /// An entry with no time at all.
    pub fn timeless() -> LogEntry {
        LogEntry {
            start: None,
            end: None,
            observed: None,
            ..entry(Status::Unknown, 0, None)
        }
    }

    /// A log of these entries, numbered in order.
    pub fn log(entries: Vec<LogEntry>) -> SessionLog {
        SessionLog {
            session_id: "s".to_string(),
            entries: entries
                .into_iter()
                .enumerate()
                .map(|(i, e)| LogEntry {
                    order: i as u64,
                    ..e
                })
                .collect(),
            skipped: vec![],
        }
    }

    /// The seed logs, read by their adapters.
    pub fn seed_aws() -> SessionLog {
        let text = include_str!("../../public/samples/veeam-aws-session-log.json");
        let log = crate::vendors::veeam_aws::session_log(text).expect("AWS seed"); // ok: test fixture
        log
    }

    pub fn seed_m365() -> SessionLog {
        let text = include_str!("../../public/samples/veeam-m365-log-items.json");
        let log = crate::vendors::veeam_m365::log_items(text).expect("M365 seed"); // ok: test fixture
        log
    }
}
