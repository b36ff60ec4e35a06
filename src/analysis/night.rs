//! A night's overview, and the scale of a job's chart: pure functions over [`Jobs`].
//!
//! **The overview** ("what failed or warned in the last 24 hours") lists, per session list, the
//! jobs whose latest run in the 24 hours up to `to` failed or warned, or is slower than usual
//! ([`super::jobs::slower_than_usual`]): worst first ([`worst_first`]). `to` is now, unless every
//! session of the list is older than 24 hours (a saved file, a sample): then it is the list's
//! newest session, so that such a list still shows its last night ([`Night::newest`] says so).

use crate::list::sort::{sort_by_key, Column, SortKey};
use crate::model::{Session, Status};

use super::jobs::Jobs;

/// A day, in microseconds.
pub const DAY_US: i64 = 24 * 3_600 * 1_000_000;

/// One job in the overview.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NightRow {
    /// The job (an index into [`Jobs`]).
    pub job: usize,
    /// Its latest run in the window (a session index).
    pub latest: usize,
    pub status: Status,
    /// Its failed runs in a row ([`super::Streak::failed`]).
    pub streak: u32,
    /// The slowest of its runs in the window against its usual, in whole percent.
    pub worst_pct: Option<i64>,
    /// Whether its latest run in the window is slower than usual.
    pub slow: bool,
}

/// The overview of one list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Night {
    /// The window's end (µs): now, or the list's newest session.
    pub to_us: i64,
    /// Whether the window ends at the newest session rather than now.
    pub newest: bool,
    /// The jobs to look at, worst first.
    pub rows: Vec<NightRow>,
}

/// When a session happened, for the window: its start, else its end.
fn when(s: &Session) -> Option<i64> {
    s.start.or(s.end).map(|t| t.unix_micros())
}

/// The overview of `sessions` (grouped as `jobs`) as of `now_us`.
pub fn night(sessions: &[Session], jobs: &Jobs, now_us: i64) -> Night {
    let newest_at = sessions.iter().filter_map(when).max();
    let Some(newest_at) = newest_at else {
        return Night::default();
    };
    let newest = newest_at <= now_us - DAY_US;
    let to_us = if newest { newest_at } else { now_us };
    let in_window = |i: u32| {
        sessions
            .get(i as usize)
            .and_then(when)
            .is_some_and(|t| t > to_us - DAY_US && t <= to_us)
    };
    let mut rows = Vec::new();
    for (j, job) in jobs.jobs().iter().enumerate() {
        let mut latest = None;
        let mut worst_pct: Option<i64> = None;
        for &i in jobs.runs(j).iter().filter(|&&i| in_window(i)) {
            latest = Some(i as usize);
            if let Some(p) = jobs
                .compare(sessions, i as usize, now_us)
                .and_then(|c| c.percent)
            {
                worst_pct = Some(worst_pct.map_or(p, |w| w.max(p)));
            }
        }
        let Some((latest, s)) = latest.and_then(|i| Some((i, sessions.get(i)?))) else {
            continue;
        };
        let slow = jobs
            .compare(sessions, latest, now_us)
            .is_some_and(|c| c.slow);
        if slow || matches!(s.status, Status::Failed | Status::Warning) {
            rows.push(NightRow {
                job: j,
                latest,
                status: s.status,
                streak: job.streak.failed,
                worst_pct,
                slow,
            });
        }
    }
    worst_first(&mut rows);
    Night {
        to_us,
        newest,
        rows,
    }
}

/// Worst first: failed before warned before the rest (slow only), then the longer failure
/// streak, then the larger slowdown; ties keep job order. One integer key per row, through the
/// list's sort (no sort of its own in the bundle).
pub fn worst_first(rows: &mut Vec<NightRow>) {
    let key = |r: &NightRow| {
        let rank: i64 = match r.status {
            Status::Failed => 0,
            Status::Warning => 1,
            _ => 2,
        };
        let streak = i64::from(r.streak.min(0xFFFF));
        let pct = r.worst_pct.unwrap_or(0).clamp(-0x7FFF_FFFF, 0x7FFF_FFFF) + 0x8000_0000;
        (rank << 48) | ((0xFFFF - streak) << 32) | (0xFFFF_FFFF - pct)
    };
    let mut order: Vec<u32> = (0..rows.len() as u32).collect();
    sort_by_key(&mut order, SortKey::new(Column::Status, false), &|i| {
        rows.get(i as usize).map(key)
    });
    let sorted: Vec<NightRow> = order
        .iter()
        .filter_map(|&i| rows.get(i as usize).copied())
        .collect();
    *rows = sorted;
}

/// The job of `jobs` whose key is `key`.
pub fn find_job(jobs: &Jobs, sessions: &[Session], key: &str) -> Option<usize> {
    (0..jobs.len()).find(|&j| jobs.key(sessions, j) == Some(key))
}

/// Round steps for a chart's duration axis (µs): 1, 2, 5, 10, 15, 30 s and min, 1, 2, 3, 6, 12 h.
const STEPS: [i64; 17] = [
    1_000_000,
    2_000_000,
    5_000_000,
    10_000_000,
    15_000_000,
    30_000_000,
    60_000_000,
    120_000_000,
    300_000_000,
    600_000_000,
    900_000_000,
    1_800_000_000,
    3_600_000_000,
    7_200_000_000,
    10_800_000_000,
    21_600_000_000,
    43_200_000_000,
];

/// A duration axis for values up to `max_us`: `(top, step)`, where `top` is a whole number of
/// round `step`s, at least `max_us`, with at most four steps (beyond 12 h steps are whole days).
pub fn chart_scale(max_us: i64) -> (i64, i64) {
    let max = max_us.max(1);
    let step = STEPS
        .into_iter()
        .find(|&s| s.saturating_mul(4) >= max)
        .unwrap_or_else(|| {
            let days = (max / 4 / DAY_US + 1).max(1);
            days.saturating_mul(DAY_US)
        });
    let steps = max / step + i64::from(max % step != 0);
    let top = steps.max(1).saturating_mul(step);
    (top, step)
}

/// `value_us` as thousandths of `top_us` (clamped to 0–1000): a bar's height. A non-zero value
/// is at least 5 (half a percent), so that a short run still shows.
pub fn permille(value_us: i64, top_us: i64) -> i64 {
    if value_us <= 0 || top_us <= 0 {
        return 0;
    }
    let p = value_us.saturating_mul(1000) / top_us;
    p.clamp(5, 1000)
}

/// Thousandths as a CSS percentage (`42.5%`), integer maths.
pub fn permille_css(p: i64) -> String {
    format!("{}.{}%", p / 10, p % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::builders::{at, ts};

    /// A run of `job` starting at hour `start` lasting `minutes` (`None`: still open).
    fn run(job: &str, start: i64, minutes: Option<i64>, status: Status) -> Session {
        Session {
            id: format!("{job}-{start}"),
            user: None,
            host: None,
            start: Some(ts(start * 3600)),
            end: minutes.map(|m| ts(start * 3600 + m * 60)),
            reported: None,
            status,
            vendor_status: Default::default(),
            name: None,
            log_href: None,
            job: Some(job.to_string()),
            details: Vec::new(),
            source: Default::default(),
        }
    }

    fn ok(job: &str, start: i64, minutes: i64) -> Session {
        run(job, start, Some(minutes), Status::Success)
    }

    fn row(job: usize, status: Status, streak: u32, pct: Option<i64>) -> NightRow {
        NightRow {
            job,
            latest: 0,
            status,
            streak,
            worst_pct: pct,
            slow: false,
        }
    }

    #[test]
    fn worst_first_orders_failed_warned_then_streak_then_slowdown() {
        let mut rows = vec![
            row(0, Status::Success, 0, Some(150)),
            row(1, Status::Warning, 0, None),
            row(2, Status::Failed, 1, Some(500)),
            row(3, Status::Failed, 4, None),
            row(4, Status::Running, 0, Some(300)),
            row(5, Status::Warning, 0, Some(-20)),
            row(6, Status::Failed, 4, Some(10)),
            row(7, Status::Success, 0, Some(150)),
        ];
        worst_first(&mut rows);
        let jobs: Vec<usize> = rows.iter().map(|r| r.job).collect();
        // Failed (streak 4: the larger slowdown first; then streak 1), warned (no figure counts
        // as 0, above −20 %), then the slow ones by slowdown, ties in job order.
        assert_eq!(jobs, [6, 3, 2, 1, 5, 4, 0, 7]);
    }

    #[test]
    fn the_last_24_hours_of_now_or_of_the_newest_session() {
        // Hour 0 … 100: job "f" fails its last four (all within the day before hour 100),
        // job "s" ran steadily for 30 min, then 75 min, "q" is quiet and fine, "w" warned two
        // days before.
        let mut sessions = Vec::new();
        for h in 0..4 {
            sessions.push(ok("f", h * 24, 10));
            sessions.push(ok("s", h * 24 + 1, 30));
            sessions.push(ok("q", h * 24 + 2, 5));
        }
        for h in [80, 85, 90, 95] {
            sessions.push(run("f", h, Some(1), Status::Failed));
        }
        sessions.push(ok("s", 97, 75));
        sessions.push(ok("q", 98, 5));
        sessions.push(run("w", 50, Some(3), Status::Warning));
        let jobs = Jobs::build(&sessions);
        // A month later: all sessions are older than a day, so the window ends at the newest.
        let later = at(30 * 24 * 3600);
        let n = night(&sessions, &jobs, later);
        assert!(n.newest);
        assert_eq!(n.to_us, at(98 * 3600));
        let named: Vec<(&str, Status, u32, bool)> = n
            .rows
            .iter()
            .map(|r| {
                (
                    jobs.key(&sessions, r.job).unwrap_or_default(),
                    r.status,
                    r.streak,
                    r.slow,
                )
            })
            .collect();
        assert_eq!(
            named,
            [
                ("f", Status::Failed, 4, false),
                ("s", Status::Success, 0, true)
            ]
        );
        assert_eq!(n.rows.get(1).and_then(|r| r.worst_pct), Some(150));
        // An hour after the newest session: relative to now; the same jobs.
        let n = night(&sessions, &jobs, at(99 * 3600));
        assert!(!n.newest);
        assert_eq!(n.to_us, at(99 * 3600));
        assert_eq!(n.rows.len(), 2);
        // A list whose newest session warned at hour 50, seen at hour 200: its last day.
        let old = vec![ok("q", 10, 5), run("w", 50, Some(3), Status::Warning)];
        let n = night(&old, &Jobs::build(&old), at(200 * 3600));
        assert!(n.newest);
        assert_eq!(
            n.rows.iter().map(|r| (r.job, r.status)).collect::<Vec<_>>(),
            [(1, Status::Warning)]
        );
        // No list, no times: nothing.
        assert_eq!(night(&[], &Jobs::build(&[]), 0), Night::default());
    }

    #[test]
    fn a_running_run_past_its_usual_counts_as_slow() {
        let sessions = vec![
            ok("r", 0, 10),
            ok("r", 1, 10),
            ok("r", 2, 10),
            run("r", 3, None, Status::Running),
        ];
        let jobs = Jobs::build(&sessions);
        let n = night(&sessions, &jobs, at(3 * 3600 + 20 * 60));
        assert_eq!(n.rows.len(), 1);
        assert!(n.rows.iter().all(|r| r.slow && r.status == Status::Running));
        assert!(night(&sessions, &jobs, at(3 * 3600 + 60)).rows.is_empty());
    }

    #[test]
    fn jobs_are_found_by_key() {
        let sessions = vec![ok("a", 0, 1), ok("b", 0, 1)];
        let jobs = Jobs::build(&sessions);
        assert_eq!(find_job(&jobs, &sessions, "b"), Some(1));
        assert_eq!(find_job(&jobs, &sessions, "c"), None);
    }

    #[test]
    fn chart_scales_are_round() {
        let min = |m: i64| m * 60_000_000;
        assert_eq!(chart_scale(min(75)), (min(90), min(30)));
        assert_eq!(chart_scale(min(30)), (min(30), min(10)));
        assert_eq!(chart_scale(1), (1_000_000, 1_000_000));
        assert_eq!(chart_scale(0), (1_000_000, 1_000_000));
        assert_eq!(chart_scale(4_500_000), (6_000_000, 2_000_000));
        // Beyond 48 h: whole days.
        assert_eq!(chart_scale(5 * DAY_US), (6 * DAY_US, 2 * DAY_US));
        assert_eq!(chart_scale(i64::MAX).1 % DAY_US, 0);
        assert_eq!(permille(min(45), min(90)), 500);
        assert_eq!(permille(1, min(90)), 5);
        assert_eq!(permille(0, min(90)), 0);
        assert_eq!(permille(min(200), min(90)), 1000);
        assert_eq!(permille(5, 0), 0);
        assert_eq!(permille_css(425), "42.5%");
        assert_eq!(permille_css(1000), "100.0%");
    }
}
