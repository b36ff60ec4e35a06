//! Idle time on the timeline: how long nothing earlier was running before each entry started.

use crate::model::{Duration, SessionLog};

/// For each entry (in display order), the idle time before it: the time between the latest end of
/// all earlier entries and this entry's start, during which no earlier entry was running.
///
/// Steps overlap in real logs (a task's "Processing" entry spans the steps logged after it), so
/// the gap is measured from a running maximum of ends, not from the previous row's end: an entry
/// that starts while any earlier one is still running has a gap of zero. Entries are taken in
/// display order, not sorted by start, because the gap is shown in the row and answers "how long
/// did the job sit idle before this step". Intervals are [`crate::model::LogEntry::extent`].
///
/// `None` for an entry without a time, and for the first entry with a time (nothing before it).
/// An entry without a time neither has a gap nor moves the running maximum. O(entries).
pub fn gaps(log: &SessionLog) -> Vec<Option<Duration>> {
    let mut latest_end: Option<i64> = None;
    log.entries
        .iter()
        .map(|e| {
            let (start, end) = e.extent()?;
            let gap = latest_end.map(|l| Duration::from_micros(start.saturating_sub(l).max(0)));
            latest_end = Some(latest_end.map_or(end, |l| l.max(end)));
            gap
        })
        .collect()
}

/// Indices of the `n` largest non-zero gaps, largest first; equal gaps keep display order.
/// O(gaps × n).
pub fn largest_gaps(gaps: &[Option<Duration>], n: usize) -> Vec<usize> {
    // The winners so far, best first: an insertion into at most `n` slots per gap. `n` is small
    // (5 on the timeline), and this keeps the slice selection code out of the wasm.
    let mut top: Vec<(Duration, usize)> = Vec::with_capacity(n.min(gaps.len()));
    for (i, g) in gaps.iter().enumerate() {
        let Some(d) = g.filter(|d| d.micros() > 0) else {
            continue;
        };
        // Equal gaps keep display order: a later one goes after every equal earlier one.
        let at = top.iter().position(|&(t, _)| d > t).unwrap_or(top.len());
        if at < n {
            if top.len() == n {
                top.pop();
            }
            top.insert(at, (d, i));
        }
    }
    top.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::builders::{entry, log, seed_aws, seed_m365, step, timeless};
    use crate::model::Status;

    fn secs(s: &[Option<i64>]) -> Vec<Option<Duration>> {
        s.iter()
            .map(|g| g.map(|s| Duration::from_micros(s * 1_000_000)))
            .collect()
    }

    #[test]
    fn sequential_steps() {
        let l = log(vec![step("a", 0, 2), step("b", 5, 6), step("c", 6, 9)]);
        assert_eq!(gaps(&l), secs(&[None, Some(3), Some(0)]));
    }

    #[test]
    fn overlaps_use_the_latest_end_so_far() {
        // "a" runs 0–100 and contains "b" and "c"; "d" starts 10 s after "a" ends, not after "c".
        let l = log(vec![
            step("a", 0, 100),
            step("b", 10, 20),
            step("c", 30, 40),
            step("d", 110, 120),
            step("e", 115, 130),
        ]);
        assert_eq!(gaps(&l), secs(&[None, Some(0), Some(0), Some(10), Some(0)]));
    }

    #[test]
    fn out_of_order_starts_have_no_gap() {
        let l = log(vec![
            step("late", 50, 60),
            step("early", 0, 10),
            step("next", 70, 71),
        ]);
        assert_eq!(gaps(&l), secs(&[None, Some(0), Some(10)]));
    }

    #[test]
    fn entries_without_times_are_skipped() {
        let l = log(vec![
            timeless(),
            step("a", 0, 5),
            timeless(),
            step("b", 8, 9),
        ]);
        assert_eq!(gaps(&l), secs(&[None, None, None, Some(3)]));
        assert!(gaps(&log(vec![])).is_empty());
        // An entry with a start only is an instant: it moves the running end to its start.
        let l = log(vec![
            step("a", 0, 5),
            entry(Status::Success, 20, None),
            step("b", 30, 31),
        ]);
        assert_eq!(gaps(&l), secs(&[None, Some(15), Some(10)]));
    }

    #[test]
    fn aws_seed_gaps() {
        let g = gaps(&seed_aws());
        let us: Vec<Option<i64>> = g.iter().map(|d| d.map(Duration::micros)).collect();
        // Processing starts 3.6 s after the task started; the next two entries run inside it;
        // "Session finished" comes 33 s after Processing's log time.
        assert_eq!(
            us,
            [None, Some(3_646_978), Some(0), Some(0), Some(32_957_886)]
        );
        assert_eq!(largest_gaps(&g, 5), [4, 1]);
    }

    #[test]
    fn m365_seed_gaps() {
        let g = gaps(&seed_m365());
        // Items 2–5 start while earlier ones still run; item 2 starts 1 ms after item 1.
        let us: Vec<Option<i64>> = g.iter().map(|d| d.map(Duration::micros)).collect();
        assert_eq!(us, [None, Some(998), Some(0), Some(0), Some(0)]);
    }

    #[test]
    fn largest_gaps_rank_and_ties() {
        let g = secs(&[
            None,
            Some(5),
            Some(0),
            Some(9),
            Some(5),
            None,
            Some(1),
            Some(9),
        ]);
        assert_eq!(largest_gaps(&g, 3), [3, 7, 1]);
        assert_eq!(
            largest_gaps(&g, 10),
            [3, 7, 1, 4, 6],
            "zeros are never highlighted"
        );
        assert!(largest_gaps(&g, 0).is_empty());
        assert!(largest_gaps(&[], 3).is_empty());
    }
}
