//! Step statistics for a log: its entries grouped by step, with where the time went, and (with
//! other runs of the same job) each step's usual duration.
//!
//! A **step** is every entry with the same [`step_key`] (the run-against-run diff's number-free
//! key): "Processing vm1" and "Processing vm2" are one step with two entries. An entry's length is
//! its extent on the timeline, as in [`super::summary::slowest`] (running entries grow to now).

use std::collections::HashMap;

use super::diff::step_key;
use super::jobs::{baseline, percent_of, slower_than_usual, Baseline, MIN_RUNS};
use super::live::{live_extent, looks_running};
use crate::model::{Duration, SessionLog};

/// One step of a log.
#[derive(Clone, Debug, PartialEq)]
pub struct StepStat {
    /// Its [`step_key`].
    pub key: String,
    /// Its entries, as indices into the log's entries, in log order (never empty).
    pub entries: Vec<u32>,
    /// How many of them have a length.
    pub timed: u32,
    /// The sum of their lengths.
    pub total: Duration,
    /// The longest entry (an index into the log's entries) and its length.
    pub longest: Option<(usize, Duration)>,
    /// `total` as a share of the session's span, in [0, 1] (steps that overlap, such as a job's
    /// step and the steps inside it, each count their own time, so shares may add up past 1).
    pub share: f64,
}

impl StepStat {
    /// How many entries.
    pub fn count(&self) -> usize {
        self.entries.len()
    }

    /// Its first entry: what the step is called on screen is that entry's message.
    pub fn first(&self) -> usize {
        self.entries.first().map_or(0, |&i| i as usize)
    }

    /// The mean length of the entries that have one.
    pub fn mean(&self) -> Option<Duration> {
        (self.timed > 0).then(|| Duration::from_micros(self.total.micros() / i64::from(self.timed)))
    }
}

/// A step's time against its usual in the job's other runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepUsual {
    /// The median and 90th percentile of the step's total in the other runs that have it.
    pub usual: Baseline,
    /// This run's total against that median, in whole percent (see [`percent_of`]).
    pub percent: Option<i64>,
    /// [`slower_than_usual`] with the step's total: "which step got slower".
    pub slow: bool,
}

/// What a sort of the step table orders by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepOrder {
    /// The step's first appearance in the log.
    First,
    Count,
    Total,
    Mean,
    Longest,
}

/// `log`'s steps, the most total time first (equal totals: first appearance first), as of
/// `now_us` (for running entries). O(entries) key building and hashing, O(steps log steps) sorting.
pub fn step_stats(log: &SessionLog, now_us: i64) -> Vec<StepStat> {
    let running = looks_running(log);
    let mut span: Option<(i64, i64)> = None;
    // Keys first, so the map borrows them (the same map type as `usual_steps`' and the diff's).
    let keys: Vec<String> = log.entries.iter().map(|e| step_key(&e.message)).collect();
    // `u32` values: the list's map type, so no `HashMap` code of its own in the bundle.
    let mut at: HashMap<&str, u32> = HashMap::new();
    let mut steps: Vec<StepStat> = Vec::new();
    for ((i, e), key) in log.entries.iter().enumerate().zip(&keys) {
        let length = live_extent(e, running, now_us).map(|(s, t)| {
            span = Some(span.map_or((s, t), |(a, b)| (a.min(s), b.max(t))));
            t.saturating_sub(s)
        });
        let k = match at.get(key.as_str()) {
            Some(&k) => k as usize,
            None => {
                at.insert(key, steps.len() as u32);
                steps.push(StepStat {
                    key: key.clone(),
                    entries: Vec::new(),
                    timed: 0,
                    total: Duration::ZERO,
                    longest: None,
                    share: 0.0,
                });
                steps.len() - 1
            }
        };
        let Some(step) = steps.get_mut(k) else {
            continue;
        };
        step.entries.push(i as u32);
        if let Some(length) = length {
            step.timed += 1;
            step.total = Duration::from_micros(step.total.micros().saturating_add(length));
            if step.longest.is_none_or(|(_, d)| length > d.micros()) {
                step.longest = Some((i, Duration::from_micros(length)));
            }
        }
    }
    let whole = span.map_or(0, |(s, e)| e.saturating_sub(s));
    for step in &mut steps {
        if whole > 0 {
            step.share = (step.total.micros() as f64 / whole as f64).clamp(0.0, 1.0);
        }
    }
    sort_steps(&mut steps, StepOrder::Total, true);
    steps
}

/// Sorts the step table by `order`, descending or not; ties keep first appearance first, and
/// steps without a mean or longest entry come last either way.
pub fn sort_steps(steps: &mut [StepStat], order: StepOrder, descending: bool) {
    let value = |s: &StepStat| -> Option<i64> {
        match order {
            StepOrder::First => Some(-(s.first() as i64)),
            StepOrder::Count => Some(s.count() as i64),
            StepOrder::Total => Some(s.total.micros()),
            StepOrder::Mean => s.mean().map(Duration::micros),
            StepOrder::Longest => s.longest.map(|(_, d)| d.micros()),
        }
    };
    // Through the list's index sort (no sort instance of its own in the bundle): the steps are
    // named by their first entry, which differs from step to step, so its index tie-break is
    // "first appearance first" and the order is total. `place[first]` is the step's position.
    let mut place: Vec<u32> = Vec::new();
    for (k, s) in steps.iter().enumerate() {
        let f = s.first();
        if place.len() <= f {
            place.resize(f + 1, u32::MAX);
        }
        if let Some(slot) = place.get_mut(f) {
            *slot = k as u32;
        }
    }
    let step_at = |f: u32| place.get(f as usize).and_then(|&k| steps.get(k as usize));
    let mut at: Vec<u32> = steps.iter().map(|s| s.first() as u32).collect();
    let key = crate::list::sort::SortKey {
        column: crate::list::sort::Column::Start,
        descending,
    };
    crate::list::sort::sort_by_key(&mut at, key, &|f| step_at(f).and_then(value));
    let sorted: Vec<StepStat> = at.iter().filter_map(|&f| step_at(f).cloned()).collect();
    if sorted.len() == steps.len() {
        steps.clone_from_slice(&sorted);
    }
}

/// Each step's usual in `others` (other runs of the same job; pass those that finished normally):
/// the median and 90th percentile of the step's total time in each run that has it, and this
/// run's total against it. `None` for a step fewer than [`MIN_RUNS`] of the others have.
/// One entry per step, in `steps`' order.
pub fn usual_steps(steps: &[StepStat], others: &[&SessionLog]) -> Vec<Option<StepUsual>> {
    // Per step (by key), its total in each other run that has it.
    let index: HashMap<&str, u32> = steps
        .iter()
        .enumerate()
        .map(|(k, s)| (s.key.as_str(), k as u32))
        .collect();
    let mut totals: Vec<Vec<i64>> = vec![Vec::new(); steps.len()];
    // This run's total per step (by position in `steps`), `None` where the run lacks the step.
    let mut run: Vec<Option<i64>> = vec![None; steps.len()];
    for log in others {
        run.fill(None);
        for e in &log.entries {
            let key = step_key(&e.message);
            let Some(&k) = index.get(key.as_str()) else {
                continue;
            };
            let length = e.extent().map_or(0, |(s, t)| t.saturating_sub(s));
            if let Some(total) = run.get_mut(k as usize) {
                *total = Some(total.unwrap_or(0).saturating_add(length));
            }
        }
        for (list, total) in totals.iter_mut().zip(&run) {
            if let Some(total) = *total {
                list.push(total);
            }
        }
    }
    steps
        .iter()
        .zip(totals.iter_mut())
        .map(|(step, list)| {
            if (list.len() as u32) < MIN_RUNS {
                return None;
            }
            // Through the list's index sort: no sort instance for i64 of its own.
            let mut at: Vec<u32> = (0..list.len() as u32).collect();
            let ascending = crate::list::sort::SortKey {
                column: crate::list::sort::Column::Start,
                descending: false,
            };
            crate::list::sort::sort_by_key(&mut at, ascending, &|i| list.get(i as usize).copied());
            let sorted: Vec<i64> = at
                .iter()
                .filter_map(|&i| list.get(i as usize).copied())
                .collect();
            let usual = baseline(&sorted)?;
            Some(StepUsual {
                usual,
                percent: percent_of(step.total, usual.median),
                slow: slower_than_usual(step.total, &usual),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::builders::{entry, log, run, step, timeless};
    use crate::model::Status;

    fn secs(s: i64) -> Duration {
        Duration::from_micros(s * 1_000_000)
    }

    /// One line of the table: `(key, count, total s, mean s, longest index, share %)`.
    type Line = (String, usize, i64, Option<i64>, Option<usize>, i64);

    fn table(steps: &[StepStat]) -> Vec<Line> {
        steps
            .iter()
            .map(|s| {
                (
                    s.key.clone(),
                    s.count(),
                    s.total.micros() / 1_000_000,
                    s.mean().map(|m| m.micros() / 1_000_000),
                    s.longest.map(|(i, _)| i),
                    (s.share * 100.0).round() as i64,
                )
            })
            .collect()
    }

    #[test]
    fn entries_are_grouped_by_their_number_free_step() {
        let l = run(&[
            ("Preparing job 7", 10),
            ("Processing vm1", 30),
            ("Processing vm2", 50),
            ("Processing vm3", 10),
            ("Truncating logs", 0),
        ]);
        let steps = step_stats(&l, 0);
        assert_eq!(
            table(&steps),
            [
                ("processing vm#".to_string(), 3, 90, Some(30), Some(2), 90),
                ("preparing job #".to_string(), 1, 10, Some(10), Some(0), 10),
                ("truncating logs".to_string(), 1, 0, Some(0), Some(4), 0),
            ]
        );
        assert_eq!(
            steps.first().map(|s| s.entries.clone()),
            Some(vec![1, 2, 3])
        );
        assert_eq!(steps.first().map(StepStat::first), Some(1));
    }

    #[test]
    fn entries_without_a_time_count_but_add_no_time() {
        let mut entries = vec![step("Copy", 0, 10)];
        entries.push(crate::model::LogEntry {
            message: "copy".into(),
            ..timeless()
        });
        let steps = step_stats(&log(entries), 0);
        let s = steps.first().cloned();
        assert_eq!(
            s.map(|s| (s.count(), s.timed, s.total, s.mean(), s.share)),
            Some((2, 1, secs(10), Some(secs(10)), 1.0))
        );
        // A log with no time at all: counts only, no share.
        let steps = step_stats(&log(vec![timeless(), timeless()]), 0);
        assert_eq!(
            steps
                .first()
                .map(|s| (s.count(), s.timed, s.mean(), s.longest, s.share)),
            Some((2, 0, None, None, 0.0))
        );
        assert!(step_stats(&log(vec![]), 0).is_empty());
    }

    #[test]
    fn a_running_entry_grows_to_now() {
        let l = log(vec![step("Start", 0, 5), entry(Status::Running, 5, None)]);
        let now = crate::analysis::builders::at(65);
        let steps = step_stats(&l, now);
        assert_eq!(
            steps.first().map(|s| (s.key.as_str(), s.total)),
            Some(("step", secs(60)))
        );
    }

    #[test]
    fn sorting_by_each_column() {
        let l = run(&[("A", 5), ("B", 1), ("B", 1), ("B", 1), ("C", 4)]);
        let mut steps = step_stats(&l, 0);
        let keys = |s: &[StepStat]| s.iter().map(|s| s.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&steps), ["a", "c", "b"]);
        sort_steps(&mut steps, StepOrder::Count, true);
        assert_eq!(keys(&steps), ["b", "a", "c"]);
        sort_steps(&mut steps, StepOrder::Mean, false);
        assert_eq!(keys(&steps), ["b", "c", "a"]);
        sort_steps(&mut steps, StepOrder::First, true);
        assert_eq!(keys(&steps), ["a", "b", "c"]);
        // Equal totals (B 3 s after one more B): first appearance first.
        let l = run(&[("A", 3), ("B", 3)]);
        let mut steps = step_stats(&l, 0);
        sort_steps(&mut steps, StepOrder::Total, true);
        assert_eq!(keys(&steps), ["a", "b"]);
        sort_steps(&mut steps, StepOrder::Longest, false);
        assert_eq!(keys(&steps), ["a", "b"]);
    }

    #[test]
    fn each_step_against_other_runs_of_the_job() {
        let this = run(&[
            ("Prepare", 10),
            ("Copy vm1", 60),
            ("Copy vm2", 60),
            ("New step", 5),
        ]);
        let others = [
            run(&[("Prepare", 10), ("Copy vm1", 30), ("Copy vm2", 30)]),
            run(&[("Prepare", 12), ("Copy vm1", 30), ("Copy vm2", 35)]),
            run(&[("Prepare", 9), ("Copy vm1", 25), ("Copy vm2", 30)]),
        ];
        let refs: Vec<&SessionLog> = others.iter().collect();
        let steps = step_stats(&this, 0);
        let usual = usual_steps(&steps, &refs);
        type Seen = (i64, Option<i64>, bool);
        let view: Vec<(String, Option<Seen>)> = steps
            .iter()
            .zip(&usual)
            .map(|(s, u)| {
                (
                    s.key.clone(),
                    u.map(|u| (u.usual.median.micros() / 1_000_000, u.percent, u.slow)),
                )
            })
            .collect();
        assert_eq!(
            view,
            [
                // Copying took 120 s against a usual 60 s: the step that got slower.
                ("copy vm#".to_string(), Some((60, Some(100), true))),
                ("prepare".to_string(), Some((10, Some(0), false))),
                // In no other run: no usual.
                ("new step".to_string(), None),
            ]
        );
        // Fewer than three other runs with the step: no usual either.
        let two: Vec<&SessionLog> = others.iter().take(2).collect();
        assert!(usual_steps(&steps, &two).iter().all(Option::is_none));
    }
}
