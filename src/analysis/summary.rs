//! The summary above the timeline: total span, counts by status, first problems, slowest steps.

use super::live::{live_extent, looks_running};
use crate::model::{Duration, SessionLog, Status};

/// How many slowest steps [`summarise`] lists.
pub const SLOWEST: usize = 5;

/// What a log comes to, for the header above its timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// From the earliest start to the latest end over all entries (µs since the epoch), with
    /// running entries extended to now (see [`live_extent`]); `None` when no entry has a time.
    pub span: Option<(i64, i64)>,
    /// The length of [`Summary::span`]; zero when it is `None`.
    pub total: Duration,
    /// Whether the log looks running (see [`looks_running`]), so that the total is "so far".
    pub running: bool,
    pub counts: StatusCounts,
    /// Index into `log.entries` (display order) of the first failed entry.
    pub first_failed: Option<usize>,
    /// Index into `log.entries` of the first entry with a warning.
    pub first_warning: Option<usize>,
    /// The [`SLOWEST`] longest steps, longest first (see [`slowest`]).
    pub slowest: Vec<Slow>,
}

/// How many entries have each status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusCounts([usize; Status::ALL.len()]);

/// One of the slowest steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slow {
    /// Index into `log.entries`.
    pub index: usize,
    /// The step's length on the timeline: its observed span (see [`slowest`]).
    pub duration: Duration,
    /// `duration` as a share of the log's total span, in [0, 1].
    pub share: f64,
}

/// Summarises `log` as of `now_us` (µs since the epoch; only used when the log looks running).
#[inline(never)]
pub fn summarise(log: &SessionLog, now_us: i64) -> Summary {
    let running = looks_running(log);
    let mut counts = StatusCounts::default();
    let mut first_failed = None;
    let mut first_warning = None;
    let mut span: Option<(i64, i64)> = None;
    for (i, e) in log.entries.iter().enumerate() {
        counts.add(e.status);
        match e.status {
            Status::Failed => first_failed = first_failed.or(Some(i)),
            Status::Warning => first_warning = first_warning.or(Some(i)),
            _ => {}
        }
        if let Some((s, t)) = live_extent(e, running, now_us) {
            span = Some(span.map_or((s, t), |(a, b)| (a.min(s), b.max(t))));
        }
    }
    let total = span.map_or(Duration::ZERO, |(s, e)| {
        Duration::from_micros(e.saturating_sub(s))
    });
    Summary {
        span,
        total,
        running,
        counts,
        first_failed,
        first_warning,
        slowest: slowest(log, running, now_us, SLOWEST),
    }
}

/// The `n` longest steps of `log`, longest first; equal lengths keep display order.
///
/// A step's length is its extent on the timeline (start to end or logged-at time, extended to now
/// while running), i.e. the **observed** span, and the vendor's reported duration only where the
/// timestamps give no end ([`crate::model::LogEntry::extent`] falls back to start + reported).
/// The observed span ranks because the question is where the session's wall-clock time went, and
/// a share of the total span only means something for a length measured on the same clock: the
/// AWS seed's "Processing ubuntu16." reports 687 ms but spans 10 min of the 10 min 46 s session,
/// and its bar covers 94% of the axis. Both durations stay on the row for the UI to show.
///
/// Steps of zero length are left out: an instant is never "slow". Runs in O(entries) plus
/// O(n) per step for the winners (n is small).
/// `running` is [`looks_running`]'s answer for `log`.
pub fn slowest(log: &SessionLog, running: bool, now_us: i64, n: usize) -> Vec<Slow> {
    let mut span: Option<(i64, i64)> = None;
    // The n winners so far, longest first, then earliest: a total order, so the winners are the
    // same on every run. Entries come in index order, so a step goes before the first winner it
    // is strictly longer than (kept by insertion: n is small, and no sort instance is needed).
    let mut lengths: Vec<(i64, usize)> = Vec::new();
    for (i, e) in log.entries.iter().enumerate() {
        if let Some((s, t)) = live_extent(e, running, now_us) {
            span = Some(span.map_or((s, t), |(a, b)| (a.min(s), b.max(t))));
            let length = t.saturating_sub(s);
            if length > 0 {
                let at = lengths
                    .iter()
                    .position(|&(l, _)| length > l)
                    .unwrap_or(lengths.len());
                if at < n {
                    lengths.insert(at, (length, i));
                    lengths.truncate(n);
                }
            }
        }
    }
    let total = span.map_or(0, |(s, e)| e.saturating_sub(s));
    lengths
        .into_iter()
        .map(|(length, index)| Slow {
            index,
            duration: Duration::from_micros(length),
            share: if total > 0 {
                (length as f64 / total as f64).clamp(0.0, 1.0)
            } else {
                0.0
            },
        })
        .collect()
}

impl StatusCounts {
    /// How many entries have `status`.
    pub fn get(&self, status: Status) -> usize {
        self.0.get(status as usize).copied().unwrap_or(0)
    }

    /// The statuses present, with their counts, in status order (worst first).
    pub fn present(&self) -> impl Iterator<Item = (Status, usize)> + '_ {
        Status::ALL
            .iter()
            .map(|&s| (s, self.get(s)))
            .filter(|&(_, n)| n > 0)
    }

    /// All entries counted.
    pub fn total(&self) -> usize {
        self.0.iter().sum()
    }

    fn add(&mut self, status: Status) {
        // `Status` is declared in the order of `Status::ALL`, so its discriminant is its slot.
        if let Some(n) = self.0.get_mut(status as usize) {
            *n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::builders::{at, entry, log, seed_aws, seed_m365, timeless};

    #[test]
    fn discriminants_are_slots_in_status_order() {
        for (i, s) in Status::ALL.iter().enumerate() {
            assert_eq!(*s as usize, i, "{s:?}");
        }
    }

    #[test]
    fn aws_seed() {
        let l = seed_aws();
        let s = summarise(&l, i64::MAX);
        assert!(!s.running, "every step finished: `now` is not used");
        // 19:12:00.514619 (first start) → 19:22:46.807221 (last log time).
        assert_eq!(s.total, Duration::from_micros(646_292_602));
        assert_eq!(s.counts.get(Status::Success), 5);
        assert_eq!(s.counts.total(), 5);
        assert_eq!(
            s.counts.present().collect::<Vec<_>>(),
            [(Status::Success, 5)]
        );
        assert_eq!((s.first_failed, s.first_warning), (None, None));
        // Observed spans rank: "Processing ubuntu16." (reported 687 ms) spans 609.7 s.
        let top = s.slowest.first().copied();
        assert_eq!(top.map(|t| t.index), Some(1));
        assert_eq!(
            top.map(|t| t.duration),
            Some(Duration::from_micros(609_687_738))
        );
        let share = top.map_or(0.0, |t| t.share);
        assert!((share - 0.943_363).abs() < 1e-5, "{share}");
        // Then "Preparing the worker VM." (reported 31 ms, observed 104 s); instants are left out.
        let order: Vec<usize> = s.slowest.iter().map(|t| t.index).collect();
        assert_eq!(order, [1, 2]);
        assert_eq!(
            s.slowest.get(1).map(|t| t.duration),
            Some(Duration::from_micros(104_031_308))
        );
    }

    #[test]
    fn m365_seed() {
        let l = seed_m365();
        let s = summarise(&l, 0);
        // 00:07:21.3664166 → 00:07:37.191867 (-07:00): 15.825 s, the seventh digit dropped.
        assert_eq!(s.total, Duration::from_micros(15_825_451));
        assert_eq!(s.counts.get(Status::Success), 5);
        let order: Vec<usize> = s.slowest.iter().map(|t| t.index).collect();
        // Mailbox processing 11.79 s, then enumerated and "3 mailboxes found" (7.08 s; the
        // latter 3 ms longer), then connecting 4.03 s; the instant first item is left out.
        assert_eq!(order, [4, 3, 2, 1]);
        assert_eq!(
            s.slowest.first().map(|t| t.duration),
            Some(Duration::from_micros(11_794_621))
        );
    }

    #[test]
    fn counts_and_first_problems_in_display_order() {
        let l = log(vec![
            entry(Status::Success, 0, Some(1)),
            entry(Status::Warning, 1, Some(2)),
            entry(Status::Failed, 2, Some(3)),
            entry(Status::Warning, 3, Some(4)),
            entry(Status::Failed, 4, Some(5)),
            timeless(),
        ]);
        let s = summarise(&l, 0);
        assert_eq!((s.first_failed, s.first_warning), (Some(2), Some(1)));
        assert_eq!(s.counts.get(Status::Failed), 2);
        assert_eq!(s.counts.get(Status::Unknown), 1);
        assert_eq!(s.counts.get(Status::Running), 0);
        assert_eq!(
            s.total,
            Duration::from_micros(5_000_000),
            "the timeless entry adds nothing"
        );
    }

    #[test]
    fn ties_keep_display_order_and_n_limits() {
        let l = log((0..20)
            .map(|i| entry(Status::Success, i * 10, Some(i * 10 + 1 + i % 3)))
            .collect());
        let top = slowest(&l, looks_running(&l), 0, 5);
        let picked: Vec<usize> = top.iter().map(|t| t.index).collect();
        assert_eq!(picked, [2, 5, 8, 11, 14], "3 s steps, earliest first");
        assert!(slowest(&l, looks_running(&l), 0, 0).is_empty());
        assert_eq!(slowest(&l, looks_running(&l), 0, 100).len(), 20);
        let sum: f64 = slowest(&l, looks_running(&l), 0, 100)
            .iter()
            .map(|t| t.share)
            .sum();
        assert!(sum <= 1.0 + 1e-12, "these steps do not overlap: {sum}");
    }

    #[test]
    fn running_log_extends_to_now() {
        let l = log(vec![
            entry(Status::Success, 0, Some(10)),
            entry(Status::Running, 10, None),
        ]);
        let s = summarise(&l, at(70));
        assert!(s.running);
        assert_eq!(s.span, Some((at(0), at(70))));
        assert_eq!(s.slowest.first().map(|t| t.index), Some(1));
        let share = s.slowest.first().map_or(0.0, |t| t.share);
        assert!((share - 60.0 / 70.0).abs() < 1e-12);
    }

    #[test]
    fn empty_and_timeless_logs() {
        let s = summarise(&log(vec![]), 0);
        assert_eq!(
            (s.span, s.total, s.counts.total()),
            (None, Duration::ZERO, 0)
        );
        assert!(s.slowest.is_empty());
        let s = summarise(&log(vec![timeless(), timeless()]), 0);
        assert_eq!((s.span, s.counts.total()), (None, 2));
        // All instants: a zero total and no slow steps, never a division by zero.
        let s = summarise(&log(vec![entry(Status::Success, 5, Some(5))]), 0);
        assert_eq!((s.total, s.slowest.len()), (Duration::ZERO, 0));
    }
}
