//! Is this run normal? Sessions grouped into jobs, each run against its job's previous runs, and
//! each job's failure streak and last success.
//!
//! A **job** is every session of a list with the same [`Session::job`] key (AWS: the policy,
//! M365: `jobId`, EM: the job's uid, PAM: the role; Ekran's adapter puts the user there, so that a
//! user's sessions are compared with that user's others). Sessions without a key belong to no job.
//!
//! A job's **runs** are in time order: by start (by end where a session has no start; sessions
//! with neither come first), equal instants in list order.
//!
//! **Previous runs** of a run are the last [`HISTORY`] runs of its job before it that *finished
//! normally* with a duration: status success, warning or ended. Failed and canceled runs often
//! stop early, and running ones have not finished, so none of them shapes what "usual" is.
//!
//! **Usual** for a run is the median and the 90th percentile of its previous runs' durations
//! ([`Baseline`]); a run is compared with it once it has at least [`MIN_RUNS`] previous runs
//! ([`Compared`]): its duration against the median in percent, and [`slower_than_usual`].
//! A running session is compared by its length so far, so that one already past its usual
//! length is marked while it runs.
//!
//! **Cost.** [`Jobs::build`] hashes each key once (borrowed, no allocation per session), sorts
//! the sessions' indices once by time (the list's own sort) and groups them by job in one
//! counting pass, and keeps each job's window of previous durations sorted as it
//! walks (O(log [`HISTORY`] + [`HISTORY`]) per run): O(n log n) in all, a few milliseconds for
//! 100 000 sessions.

use std::collections::HashMap;

use crate::model::{Duration, Session, Status};

/// How many previous runs make a run's usual: the last 20 that finished normally.
pub const HISTORY: usize = 20;

/// How many previous runs a run needs before it is compared with them: fewer are not a habit.
pub const MIN_RUNS: u32 = 3;

/// No job (in [`Jobs::job_of`]'s table).
const NONE: u32 = u32::MAX;

/// The usual duration of a job's runs: median and 90th percentile of some previous runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Baseline {
    /// How many runs it was taken over (at most [`HISTORY`]).
    pub runs: u32,
    /// The middle duration; for an even count, the mean of the two middle ones (rounded down).
    pub median: Duration,
    /// The 90th percentile, nearest rank: the smallest duration at least 90% of the runs are not
    /// longer than.
    pub p90: Duration,
}

/// One run against its job's usual.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Compared {
    /// The run's duration (so far, while it runs).
    pub duration: Duration,
    /// Its previous runs' usual (at least [`MIN_RUNS`] runs).
    pub usual: Baseline,
    /// The duration against the median, in whole percent (`+85` = 85% longer, `-20` = shorter),
    /// rounded half away from zero; `None` when the median is zero.
    pub percent: Option<i64>,
    /// [`slower_than_usual`].
    pub slow: bool,
    /// Whether the run is still running (so `slow` means "already past its usual length").
    pub running: bool,
}

/// A job's failed runs in a row, newest back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Streak {
    /// How many of its latest finished runs failed in a row (0 when the latest did not fail).
    pub failed: u32,
    /// The first failed run of the streak (a session index): "failing since" its start.
    pub since: Option<usize>,
}

/// One job: where its runs are in [`Jobs::runs`], and what its history says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Job {
    first: u32,
    len: u32,
    /// Its latest failures in a row. Runs still running or pending are passed over (they have not
    /// failed yet); any other finished run (success, warning, canceled, ended, unknown) ends it.
    pub streak: Streak,
    /// Its newest run that succeeded (success or warning), as a session index.
    pub last_success: Option<usize>,
    /// The usual over its last [`HISTORY`] normally finished runs, the newest included (for the
    /// job's own view: the band its runs are drawn against); `None` when none finished normally.
    pub usual: Option<Baseline>,
}

/// A list's sessions grouped into jobs, with each session's usual.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Jobs {
    /// Session indices grouped by job (jobs in order of their first session in the list), each
    /// job's runs oldest first.
    order: Vec<u32>,
    jobs: Vec<Job>,
    /// Per session: its job's index, or [`NONE`].
    job_of: Vec<u32>,
    /// Per session: the usual of its previous runs, where it has at least one.
    usual: Vec<Option<Baseline>>,
}

impl Jobs {
    /// Groups `sessions` into jobs and takes every run's usual (see the module's words).
    pub fn build(sessions: &[Session]) -> Jobs {
        let n = sessions.len();
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut job_of = vec![NONE; n];
        let mut members: Vec<u32> = Vec::new();
        for (i, s) in sessions.iter().enumerate() {
            let Some(key) = s.job.as_deref().filter(|k| !k.is_empty()) else {
                continue;
            };
            let next = ids.len() as u32;
            let job = *ids.entry(key).or_insert(next);
            if let Some(slot) = job_of.get_mut(i) {
                *slot = job;
            }
            members.push(i as u32);
        }
        // In time order (equal instants in list order), with the list's one sort (no sort
        // instance of its own in the bundle), then stably by job: each job's runs oldest first.
        let time = |i: u32| {
            let s = sessions.get(i as usize)?;
            Some(s.start.or(s.end).map_or(i64::MIN, |t| t.unix_micros()))
        };
        // Lists usually come in time order, oldest or newest first: then no sort is needed (a
        // strictly newest-first list is reversed; equal instants keep list order, so a list with
        // ties the other way round is sorted).
        let (mut oldest_first, mut newest_first) = (true, true);
        let mut before = None;
        for &i in &members {
            let t = time(i);
            if before.is_some() {
                oldest_first &= before <= Some(t);
                newest_first &= before > Some(t);
            }
            before = Some(t);
        }
        if newest_first && !oldest_first {
            members.reverse();
        } else if !oldest_first {
            let ascending = crate::list::SortKey::new(crate::list::Column::Start, false);
            crate::list::sort::sort_by_key(&mut members, ascending, &time);
        }
        let mut first = vec![0u32; ids.len() + 1];
        for &i in &members {
            let j = job_of.get(i as usize).map_or(0, |&j| j as usize);
            if let Some(c) = first.get_mut(j + 1) {
                *c += 1;
            }
        }
        for j in 1..first.len() {
            let before = first.get(j - 1).copied().unwrap_or(0);
            if let Some(c) = first.get_mut(j) {
                *c += before;
            }
        }
        let mut order = vec![0u32; members.len()];
        let mut next = first.clone();
        for &i in &members {
            let j = job_of.get(i as usize).map_or(0, |&j| j as usize);
            if let Some(at) = next.get_mut(j) {
                if let Some(slot) = order.get_mut(*at as usize) {
                    *slot = i;
                }
                *at += 1;
            }
        }

        let mut jobs = Vec::with_capacity(ids.len());
        let mut usual = vec![None; n];
        let mut window = Window::default();
        for bounds in first.windows(2) {
            let (at, end) = match bounds {
                [a, b] => (*a as usize, *b as usize),
                _ => continue,
            };
            let len = end - at;
            let runs = order.get(at..end).unwrap_or_default();
            window.clear();
            for &i in runs {
                let Some(s) = sessions.get(i as usize) else {
                    continue;
                };
                if let Some(slot) = usual.get_mut(i as usize) {
                    *slot = window.baseline();
                }
                if finished_normally(s) {
                    if let Some(d) = s.duration(0) {
                        window.push(d.micros());
                    }
                }
            }
            let (streak, last_success) = history(sessions, runs);
            jobs.push(Job {
                first: at as u32,
                len: len as u32,
                streak,
                last_success,
                usual: window.baseline(),
            });
        }
        Jobs {
            order,
            jobs,
            job_of,
            usual,
        }
    }

    /// How many jobs.
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Job `j` (jobs are numbered by their first session in the list).
    pub fn job(&self, j: usize) -> Option<&Job> {
        self.jobs.get(j)
    }

    /// Every job, in order.
    pub fn jobs(&self) -> &[Job] {
        &self.jobs
    }

    /// Job `j`'s runs as session indices, oldest first (empty for no such job).
    pub fn runs(&self, j: usize) -> &[u32] {
        self.jobs
            .get(j)
            .and_then(|job| {
                self.order
                    .get(job.first as usize..job.first as usize + job.len as usize)
            })
            .unwrap_or_default()
    }

    /// The job session `i` is a run of.
    pub fn job_of(&self, i: usize) -> Option<usize> {
        self.job_of
            .get(i)
            .filter(|&&j| j != NONE)
            .map(|&j| j as usize)
    }

    /// Job `j`'s key, as its sessions carry it.
    pub fn key<'a>(&self, sessions: &'a [Session], j: usize) -> Option<&'a str> {
        let first = *self.runs(j).first()?;
        sessions.get(first as usize)?.job.as_deref()
    }

    /// Job `j`'s name: its newest run's `name` that has one, else its key.
    pub fn name<'a>(&self, sessions: &'a [Session], j: usize) -> Option<&'a str> {
        self.runs(j)
            .iter()
            .rev()
            .find_map(|&i| sessions.get(i as usize)?.name.as_deref())
            .or_else(|| self.key(sessions, j))
    }

    /// Job `j`'s newest run, as a session index.
    pub fn latest(&self, j: usize) -> Option<usize> {
        self.runs(j).last().map(|&i| i as usize)
    }

    /// The usual of session `i`'s previous runs (any number of them, at least one).
    pub fn usual(&self, i: usize) -> Option<Baseline> {
        self.usual.get(i).copied().flatten()
    }

    /// Session `i` against its usual, as of `now_us` (for a running one), where it has a duration
    /// and at least [`MIN_RUNS`] previous runs.
    pub fn compare(&self, sessions: &[Session], i: usize, now_us: i64) -> Option<Compared> {
        let usual = self.usual(i)?;
        let session = sessions.get(i)?;
        compare(session, usual, now_us)
    }
}

/// `session` against `usual`, as of `now_us`: `None` without a duration, or with fewer than
/// [`MIN_RUNS`] runs in `usual`.
pub fn compare(session: &Session, usual: Baseline, now_us: i64) -> Option<Compared> {
    if usual.runs < MIN_RUNS {
        return None;
    }
    let duration = session.duration(now_us)?;
    Some(Compared {
        duration,
        usual,
        percent: percent_of(duration, usual.median),
        slow: slower_than_usual(duration, &usual),
        running: session.is_open(),
    })
}

/// The rule for "slower than usual" in words ([`slower_than_usual`]), for titles and the
/// sentence of [`usual_sentence`]: the list's marker, the log page, the details.
pub const RULE: &str = "Slower than usual: longer than 90% of the job's previous runs (their 90th percentile) and more than 1.5 × their median. Previous runs are the last 20 that finished normally (success, warning or ended); at least 3 are needed.";

/// **The rule for "slower than usual"**: a run is slower than usual when its job has at least
/// [`MIN_RUNS`] previous runs to compare with, and it took longer than 90% of them (more than
/// their 90th percentile) **and** more than half as long again as their median.
///
/// Both, because each alone misleads: a job that always takes 10 min ± 5 s has its 90th
/// percentile a few seconds above its median, so the percentile alone would flag a run for 10
/// seconds of jitter; a job that swings between 5 and 20 min would be flagged by "1.5 × median"
/// alone on its ordinary long nights. A running session is judged by its length so far, so the
/// same rule says it is already past its usual length.
pub fn slower_than_usual(duration: Duration, usual: &Baseline) -> bool {
    // Saturating i64, not i128: 128-bit arithmetic costs the wasm bundle its runtime routines,
    // and only lengths of hundreds of thousands of years would saturate.
    let d = duration.micros();
    usual.runs >= MIN_RUNS
        && d > usual.p90.micros()
        && d.saturating_mul(2) > usual.median.micros().saturating_mul(3)
}

/// `+85%`, `−20%`, `+0%`.
pub fn signed_percent(p: i64) -> String {
    if p < 0 {
        format!("−{}%", p.unsigned_abs())
    } else {
        format!("+{p}%")
    }
}

/// This run against its job's usual, in one sentence: "1 h 15 min: +150% against the usual
/// 30 min (median of 12 runs) — slower than usual."
pub fn usual_sentence(c: &Compared) -> String {
    let runs = c.usual.runs;
    let mut out = crate::format::duration_words(c.duration);
    if c.running {
        out.push_str(" so far");
    }
    out.push_str(": ");
    if let Some(p) = c.percent {
        out.push_str(&signed_percent(p));
        out.push(' ');
    }
    out.push_str(&format!(
        "against the usual {} (median of {runs} runs) — ",
        crate::format::duration_words(c.usual.median)
    ));
    out.push_str(match (c.slow, c.running) {
        (true, true) => "already past its usual length.",
        (true, false) => "slower than usual.",
        (false, _) => "within its usual.",
    });
    out
}

/// `duration` against `median` in whole percent, rounded half away from zero (`+85`: 85% longer);
/// `None` when the median is not positive.
pub fn percent_of(duration: Duration, median: Duration) -> Option<i64> {
    let m = median.micros();
    if m <= 0 {
        return None;
    }
    // Saturating, as in [`slower_than_usual`].
    let diff = duration.micros().saturating_sub(m).saturating_mul(100);
    let half = m / 2;
    Some(if diff >= 0 {
        diff.saturating_add(half) / m
    } else {
        diff.saturating_sub(half) / m
    })
}

/// The usual of these durations (µs, sorted ascending): `None` when there are none.
pub fn baseline(sorted: &[i64]) -> Option<Baseline> {
    let n = sorted.len();
    let mid = *sorted.get(n / 2)?;
    let median = if n % 2 == 1 {
        mid
    } else {
        let low = sorted.get(n / 2 - 1).copied().unwrap_or(mid);
        low + (mid - low) / 2
    };
    // Nearest rank: the ⌈0.9 n⌉-th smallest.
    let p90 = sorted
        .get((9 * n).div_ceil(10).saturating_sub(1))
        .copied()?;
    Some(Baseline {
        runs: n as u32,
        median: Duration::from_micros(median),
        p90: Duration::from_micros(p90),
    })
}

/// Whether a run finished normally, so that its duration is part of its job's usual.
pub fn finished_normally(session: &Session) -> bool {
    matches!(
        session.status,
        Status::Success | Status::Warning | Status::Ended
    ) && !session.is_open()
}

/// A job's failure streak and last success, from its runs (oldest first).
fn history(sessions: &[Session], runs: &[u32]) -> (Streak, Option<usize>) {
    let mut streak = Streak::default();
    let mut counting = true;
    let mut last_success = None;
    for &i in runs.iter().rev() {
        let Some(s) = sessions.get(i as usize) else {
            continue;
        };
        if counting {
            match s.status {
                Status::Running | Status::Pending => {}
                Status::Failed => {
                    streak.failed += 1;
                    streak.since = Some(i as usize);
                }
                _ => counting = false,
            }
        }
        if matches!(s.status, Status::Success | Status::Warning) {
            last_success = Some(i as usize);
            break;
        }
    }
    (streak, last_success)
}

/// The last [`HISTORY`] durations, in arrival order (a ring) and sorted. Fixed arrays, not a
/// `VecDeque` and `Vec::insert`: less code in the wasm bundle, and no allocation at all.
#[derive(Default)]
struct Window {
    /// The ring: `arrived[next]` is the oldest once it is full.
    arrived: [i64; HISTORY],
    next: usize,
    sorted: [i64; HISTORY],
    len: usize,
}

impl Window {
    fn clear(&mut self) {
        self.next = 0;
        self.len = 0;
    }

    fn push(&mut self, d: i64) {
        let Some(slot) = self.arrived.get_mut(self.next) else {
            return;
        };
        let old = std::mem::replace(slot, d);
        self.next = (self.next + 1) % HISTORY;
        let sorted = &mut self.sorted;
        let mut len = self.len;
        if len == HISTORY {
            // Drop the oldest: shift what follows it one place left.
            let Some(live) = sorted.get(..len) else {
                return;
            };
            let at = live.partition_point(|&x| x < old);
            if at < len {
                sorted.copy_within(at + 1..len, at);
                len -= 1;
            }
        }
        // Insert after equal values: shift what follows one place right.
        let at = sorted
            .get(..len)
            .map_or(0, |live| live.partition_point(|&x| x <= d));
        sorted.copy_within(at..len, at + 1);
        if let Some(slot) = sorted.get_mut(at) {
            *slot = d;
        }
        self.len = len + 1;
    }

    fn baseline(&self) -> Option<Baseline> {
        baseline(self.sorted.get(..self.len).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::builders::{at, ts};

    /// A run of job `job` starting at minute `start` and lasting `minutes` (`None`: still open).
    fn run(job: &str, start: i64, minutes: Option<i64>, status: Status) -> Session {
        Session {
            id: format!("{job}-{start}"),
            user: None,
            host: None,
            start: Some(ts(start * 60)),
            end: minutes.map(|m| ts((start + m) * 60)),
            reported: None,
            status,
            vendor_status: Default::default(),
            name: Some(format!("Job {job}")),
            log_href: None,
            job: Some(job.to_string()),
            details: Vec::new(),
            source: Default::default(),
        }
    }

    fn ok(job: &str, start: i64, minutes: i64) -> Session {
        run(job, start, Some(minutes), Status::Success)
    }

    fn min(m: i64) -> Duration {
        Duration::from_micros(m * 60_000_000)
    }

    #[test]
    fn the_summary_sentence() {
        let c = Compared {
            duration: min(75),
            usual: Baseline {
                runs: 12,
                median: min(30),
                p90: min(31),
            },
            percent: Some(150),
            slow: true,
            running: false,
        };
        assert_eq!(
            usual_sentence(&c),
            "1 h 15 min: +150% against the usual 30 min (median of 12 runs) — slower than usual."
        );
        let fast = Compared {
            duration: min(24),
            percent: Some(-20),
            slow: false,
            ..c
        };
        assert_eq!(
            usual_sentence(&fast),
            "24 min: −20% against the usual 30 min (median of 12 runs) — within its usual."
        );
        let running = Compared {
            running: true,
            percent: None,
            ..c
        };
        assert_eq!(
            usual_sentence(&running),
            "1 h 15 min so far: against the usual 30 min (median of 12 runs) — already past its usual length."
        );
    }

    #[test]
    fn the_rule_in_words_says_the_numbers_the_rule_uses() {
        assert!(RULE.contains(&format!("the last {HISTORY} ")), "{RULE}");
        assert!(RULE.contains(&format!("at least {MIN_RUNS} ")), "{RULE}");
    }

    fn usual(runs: u32, median: i64, p90: i64) -> Baseline {
        Baseline {
            runs,
            median: min(median),
            p90: min(p90),
        }
    }

    #[test]
    fn median_and_percentile_on_small_sets() {
        assert_eq!(baseline(&[]), None);
        let m = |v: &[i64]| baseline(v).map(|b| (b.runs, b.median.micros(), b.p90.micros()));
        assert_eq!(m(&[7]), Some((1, 7, 7)));
        assert_eq!(m(&[4, 10]), Some((2, 7, 10)));
        assert_eq!(m(&[1, 2, 3]), Some((3, 2, 3)));
        // Ties: the median and the percentile are one of the equal values.
        assert_eq!(m(&[5, 5, 5, 5]), Some((4, 5, 5)));
        assert_eq!(m(&[1, 5, 5, 9]), Some((4, 5, 9)));
        // Ten runs: the 9th smallest is the 90th percentile, the 10th is above it.
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(m(&ten), Some((10, 5, 9)));
        let twenty: Vec<i64> = (1..=20).collect();
        assert_eq!(m(&twenty), Some((20, 10, 18)));
        // Even count: the mean of the middle two, rounded down.
        assert_eq!(m(&[1, 2]), Some((2, 1, 2)));
    }

    #[test]
    fn percent_against_the_median() {
        assert_eq!(percent_of(min(37), min(20)), Some(85));
        assert_eq!(percent_of(min(10), min(20)), Some(-50));
        assert_eq!(percent_of(min(20), min(20)), Some(0));
        // Half a percent rounds away from zero, either way.
        let us = Duration::from_micros;
        assert_eq!(percent_of(us(2005), us(2000)), Some(0));
        assert_eq!(percent_of(us(201), us(200)), Some(1));
        assert_eq!(percent_of(us(199), us(200)), Some(-1));
        assert_eq!(percent_of(us(5), us(0)), None);
        assert_eq!(percent_of(us(i64::MAX), us(1)), Some(i64::MAX));
    }

    #[test]
    fn the_slower_than_usual_rule() {
        // Past both bounds.
        assert!(slower_than_usual(min(31), &usual(3, 20, 25)));
        // Exactly at 1.5 × median is not past it; the percentile alone is not enough.
        assert!(!slower_than_usual(min(30), &usual(3, 20, 25)));
        assert!(!slower_than_usual(min(26), &usual(3, 20, 25)));
        // 1.5 × median alone is not enough on a job that swings.
        assert!(!slower_than_usual(min(31), &usual(3, 20, 40)));
        // Too few runs to have a habit.
        assert!(!slower_than_usual(min(100), &usual(2, 20, 25)));
        // A job that takes no time: any time at all is slower.
        assert!(slower_than_usual(min(1), &usual(5, 0, 0)));
    }

    #[test]
    fn runs_are_grouped_and_ordered_by_time() {
        // Listed newest first, two jobs interleaved, one session without a job.
        let mut loose = ok("x", 0, 1);
        loose.job = None;
        let sessions = vec![
            ok("a", 300, 10),
            ok("b", 250, 5),
            loose,
            ok("a", 100, 10),
            ok("a", 200, 12),
            ok("b", 50, 5),
        ];
        let jobs = Jobs::build(&sessions);
        assert_eq!(jobs.len(), 2);
        assert_eq!(jobs.runs(0), &[3, 4, 0]);
        assert_eq!(jobs.runs(1), &[5, 1]);
        assert_eq!(jobs.runs(2), &[] as &[u32]);
        assert_eq!(jobs.key(&sessions, 0), Some("a"));
        assert_eq!(jobs.name(&sessions, 1), Some("Job b"));
        assert_eq!(jobs.job_of(0), Some(0));
        assert_eq!(jobs.job_of(2), None);
        assert_eq!(jobs.job_of(99), None);
        assert_eq!(jobs.latest(0), Some(0));
        // Equal start instants keep list order.
        let tied = vec![ok("t", 0, 1), ok("t", 0, 2), ok("t", 0, 3)];
        assert_eq!(Jobs::build(&tied).runs(0), &[0, 1, 2]);
    }

    #[test]
    fn lists_in_time_order_either_way_group_as_any_other() {
        // Oldest first, newest first (strictly), and newest first with a tie: same runs.
        let oldest: Vec<Session> = (0..6)
            .map(|k| ok(["a", "b"][k % 2], k as i64 * 10, 1))
            .collect();
        let newest: Vec<Session> = oldest.iter().rev().cloned().collect();
        assert_eq!(Jobs::build(&oldest).runs(0), &[0, 2, 4]);
        assert_eq!(Jobs::build(&newest).runs(1), &[5, 3, 1]);
        assert_eq!(Jobs::build(&newest).runs(0), &[4, 2, 0]);
        let tied = vec![
            ok("t", 20, 1),
            ok("t", 10, 1),
            ok("t", 10, 2),
            ok("t", 0, 1),
        ];
        assert_eq!(Jobs::build(&tied).runs(0), &[3, 1, 2, 0]);
    }

    #[test]
    fn a_job_with_one_run_has_no_usual() {
        let sessions = vec![ok("solo", 0, 10)];
        let jobs = Jobs::build(&sessions);
        assert_eq!(jobs.usual(0), None);
        assert_eq!(jobs.compare(&sessions, 0, 0), None);
        assert_eq!(jobs.job(0).and_then(|j| j.usual), Some(usual(1, 10, 10)));
        assert_eq!(jobs.job(0).map(|j| j.streak), Some(Streak::default()));
        assert_eq!(jobs.job(0).and_then(|j| j.last_success), Some(0));
    }

    #[test]
    fn each_run_against_its_previous_runs() {
        let sessions = vec![
            ok("j", 0, 10),
            ok("j", 100, 12),
            ok("j", 200, 11),
            ok("j", 300, 20),
            ok("j", 400, 11),
        ];
        let jobs = Jobs::build(&sessions);
        // Two previous runs: a usual, but not enough to compare with.
        assert_eq!(jobs.usual(2), Some(usual(2, 11, 12)));
        assert_eq!(jobs.compare(&sessions, 2, 0), None);
        // 20 min against 10, 12, 11: median 11, p90 12 → +82 %, slow.
        let c = jobs.compare(&sessions, 3, 0);
        assert_eq!(
            c,
            Some(Compared {
                duration: min(20),
                usual: usual(3, 11, 12),
                percent: Some(82),
                slow: true,
                running: false,
            })
        );
        // The slow run is part of the next run's usual (median of 10, 11, 12, 20: 11 min 30 s);
        // 11 min is ordinary.
        let c = jobs.compare(&sessions, 4, 0);
        let expected = Baseline {
            median: Duration::from_micros(690_000_000),
            ..usual(4, 0, 20)
        };
        assert_eq!(
            c.map(|c| (c.usual, c.percent, c.slow)),
            Some((expected, Some(-4), false))
        );
    }

    #[test]
    fn the_window_holds_the_last_twenty_normal_runs() {
        // 25 runs of 1..=25 min, then one of 30 min.
        let mut sessions: Vec<Session> = (1..=25).map(|m| ok("w", m * 100, m)).collect();
        sessions.push(ok("w", 3000, 30));
        let jobs = Jobs::build(&sessions);
        // Its previous runs are 6..=25: median 15 (15.5 rounded down), p90 the 18th: 23.
        let u = jobs
            .usual(25)
            .map(|u| (u.runs, u.median.micros() / 60_000_000, u.p90));
        assert_eq!(u, Some((20, 15, min(23))));
        // Ties, and long runs leaving the window: three of 100 min, then twenty of 10 min.
        let mut ties: Vec<Session> = (0..3).map(|k| ok("t", k * 200, 100)).collect();
        ties.extend((3..23).map(|k| ok("t", k * 200, 10)));
        let jobs = Jobs::build(&ties);
        // Session 20's last 20 runs hold all three: the 18th smallest is 100 min.
        assert_eq!(jobs.usual(20), Some(usual(20, 10, 100)));
        // One has left (two remain: the 18th smallest is 10 min), then all.
        assert_eq!(jobs.usual(21), Some(usual(20, 10, 10)));
        assert_eq!(jobs.job(0).and_then(|j| j.usual), Some(usual(20, 10, 10)));
    }

    #[test]
    fn failed_canceled_and_running_runs_are_not_part_of_the_usual() {
        let sessions = vec![
            ok("f", 0, 10),
            run("f", 100, Some(1), Status::Failed),
            ok("f", 200, 10),
            run("f", 300, Some(2), Status::Canceled),
            ok("f", 400, 10),
            // A failed run without any time: no duration, so nothing to compare.
            Session {
                start: None,
                end: None,
                ..run("f", 0, None, Status::Failed)
            },
            run("f", 500, None, Status::Running),
        ];
        let jobs = Jobs::build(&sessions);
        // The timeless run is ordered first; it has no previous runs and no duration.
        assert_eq!(jobs.runs(0).first(), Some(&5));
        assert_eq!(jobs.compare(&sessions, 5, 0), None);
        assert_eq!(jobs.usual(6), Some(usual(3, 10, 10)));
        // The failed run after three normal ones is compared too (it stopped early: −90 %).
        let late = vec![
            ok("g", 0, 10),
            ok("g", 100, 10),
            ok("g", 200, 10),
            run("g", 300, Some(1), Status::Failed),
        ];
        let c = Jobs::build(&late).compare(&late, 3, 0);
        assert_eq!(c.map(|c| (c.percent, c.slow)), Some((Some(-90), false)));
    }

    #[test]
    fn a_running_session_past_its_usual_length() {
        let sessions = vec![
            ok("r", 0, 10),
            ok("r", 100, 10),
            ok("r", 200, 12),
            run("r", 300, None, Status::Running),
        ];
        let jobs = Jobs::build(&sessions);
        // 10 minutes in: within its usual.
        let c = jobs.compare(&sessions, 3, at(310 * 60));
        assert_eq!(
            c.map(|c| (c.percent, c.slow, c.running)),
            Some((Some(0), false, true))
        );
        // 16 minutes in: past 12 (p90) and 15 (1.5 × median).
        let c = jobs.compare(&sessions, 3, at(316 * 60));
        assert_eq!(
            c.map(|c| (c.percent, c.slow, c.running)),
            Some((Some(60), true, true))
        );
        // The running run is not the job's latest failure or success.
        let job = jobs.job(0).copied();
        assert_eq!(
            job.map(|j| (j.streak, j.last_success)),
            Some((Streak::default(), Some(2)))
        );
    }

    #[test]
    fn failure_streaks() {
        let failed = |start| run("s", start, Some(1), Status::Failed);
        let sessions = vec![
            ok("s", 0, 10),
            failed(100),
            run("s", 150, Some(10), Status::Warning),
            failed(200),
            failed(300),
            failed(400),
            run("s", 500, None, Status::Running),
        ];
        let jobs = Jobs::build(&sessions);
        let job = jobs.job(0).copied();
        // Three failed in a row since the run at 200 (index 3); the running one is passed over;
        // the warning run is the last success.
        assert_eq!(
            job.map(|j| (j.streak, j.last_success)),
            Some((
                Streak {
                    failed: 3,
                    since: Some(3)
                },
                Some(2)
            ))
        );
        // A canceled run ends a streak; a job that never succeeded has no last success.
        let broken = vec![
            failed(0),
            run("s", 50, Some(1), Status::Canceled),
            failed(100),
        ];
        let job = Jobs::build(&broken).job(0).copied();
        assert_eq!(
            job.map(|j| (j.streak, j.last_success)),
            Some((
                Streak {
                    failed: 1,
                    since: Some(2)
                },
                None
            ))
        );
        let all_failed = vec![failed(0), failed(100)];
        let job = Jobs::build(&all_failed).job(0).copied();
        assert_eq!(job.map(|j| j.streak.failed), Some(2));
    }

    #[test]
    fn empty_and_keyless_lists() {
        assert!(Jobs::build(&[]).is_empty());
        let mut s = ok("", 0, 1);
        assert!(Jobs::build(std::slice::from_ref(&s)).is_empty());
        s.job = None;
        let jobs = Jobs::build(&[s]);
        assert!(jobs.is_empty());
        assert_eq!(jobs.usual(0), None);
    }

    #[test]
    fn a_hundred_thousand_sessions_are_grouped_quickly() {
        let sessions: Vec<Session> = (0..100_000i64)
            .map(|i| {
                ok(
                    ["a", "b", "c", "d", "e", "f", "g"][(i % 7) as usize],
                    i,
                    1 + i % 13,
                )
            })
            .collect();
        let t = std::time::Instant::now();
        let jobs = Jobs::build(&sessions);
        let took = t.elapsed();
        assert_eq!(jobs.len(), 7);
        assert_eq!(jobs.runs(0).len(), 14_286);
        assert!(jobs.compare(&sessions, 99_999, 0).is_some());
        // Natively, in a debug build, on a shared 2-core machine: generous.
        assert!(took.as_millis() < 2_000, "{took:?}");
    }
}
