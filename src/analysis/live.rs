//! Where an entry sits on the timeline while its session is still running ("grows to now").

use crate::model::{LogEntry, SessionLog, Status};

/// Whether the log looks like a session still in progress: some entry is running.
///
/// An entry is running when its normalised status is [`Status::Running`] or its vendor word
/// begins with "Running": adapters map a vendor's "RunningWithWarning"/"RunningWithError" onto
/// `warning`/`failed` (what needs attention first), and those steps are still running too.
/// A log whose entries have all finished never grows, even when some of them lack an end time:
/// a finished step without an end is an instant, not a step that lasts until now.
pub fn looks_running(log: &SessionLog) -> bool {
    log.entries.iter().any(entry_is_running)
}

/// Whether this one entry says it is still running (see [`looks_running`]).
pub fn entry_is_running(entry: &LogEntry) -> bool {
    entry.status == Status::Running
        || entry
            .vendor_status
            .get(..7)
            .is_some_and(|w| w.eq_ignore_ascii_case("running"))
}

/// The entry's interval on the timeline, given whether its log `running` (from [`looks_running`])
/// and the current time.
///
/// In a running log, an entry that is itself running, or that has nothing telling when it ended
/// (no end, no logged-at time, no reported duration), extends to `now_us`; its end never moves
/// backwards when `now_us` is earlier than what the vendor wrote (clocks disagree). Otherwise this
/// is [`LogEntry::extent`].
pub fn live_extent(entry: &LogEntry, running: bool, now_us: i64) -> Option<(i64, i64)> {
    let (start, end) = entry.extent()?;
    // In a finished log nothing grows: the entry's own words are not read (a pass per entry).
    let open = running
        && (entry_is_running(entry)
            || (entry.end.is_none() && entry.logged_at.is_none() && entry.reported.is_none()));
    if open {
        Some((start, end.max(now_us)))
    } else {
        Some((start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::builders::{at, entry, log};
    use crate::model::Duration;

    #[test]
    fn a_finished_log_never_grows() {
        let l = log(vec![entry(Status::Success, 0, Some(5)), {
            let mut e = entry(Status::Success, 10, None);
            e.end = None;
            e
        }]);
        assert!(!looks_running(&l));
        let now = at(1_000);
        let ext: Vec<_> = l
            .entries
            .iter()
            .map(|e| live_extent(e, false, now))
            .collect();
        assert_eq!(ext, [Some((at(0), at(5))), Some((at(10), at(10)))]);
    }

    #[test]
    fn running_and_open_entries_grow_to_now() {
        let mut running = entry(Status::Running, 10, Some(12));
        running.vendor_status = "Running".into();
        let open = entry(Status::Success, 20, None);
        let mut reported = entry(Status::Success, 30, None);
        reported.reported = Some(Duration::from_millis(1_000));
        let l = log(vec![
            entry(Status::Success, 0, Some(5)),
            running,
            open,
            reported,
        ]);
        assert!(looks_running(&l));
        let now = at(100);
        let ext: Vec<_> = l
            .entries
            .iter()
            .map(|e| live_extent(e, true, now))
            .collect();
        assert_eq!(
            ext,
            [
                Some((at(0), at(5))),
                Some((at(10), at(100))),
                Some((at(20), at(100))),
                Some((at(30), at(31))),
            ]
        );
        // A clock behind the log's own times never shortens an entry.
        assert_eq!(
            live_extent(&l.entries[1], true, at(11)),
            Some((at(10), at(12)))
        );
    }

    #[test]
    fn running_with_a_warning_is_still_running() {
        let mut e = entry(Status::Warning, 0, None);
        e.vendor_status = "RunningWithWarning".into();
        assert!(entry_is_running(&e));
        e.vendor_status = "Run".into();
        assert!(!entry_is_running(&e), "short words do not panic or match");
        e.vendor_status = "é".repeat(10);
        assert!(!entry_is_running(&e), "a multi-byte word cut mid-character");
    }
}
