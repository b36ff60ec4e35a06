//! "Compared with usual" for a session list: each session against its job's usual
//! ([`crate::analysis::jobs`]), worked out once per list so that the column, the row hooks
//! (`data-vs-usual-pct`, `data-slow`), the sort, the filter terms (`job:`, `vs-usual>50%`,
//! `is:slow`, `streak>=3`), the job facet and the exports read one answer.
//!
//! Running sessions are compared by their length at the instant the list was grouped (`now_us`
//! of [`Usual::build`]), so that every part of the list says the same of them.

use crate::analysis::jobs::{Compared, Jobs};
use crate::model::Session;

use super::sort::{Column, SortKey};

/// One session against its job's usual (where it has at least `MIN_RUNS` previous runs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vs {
    /// The duration against the median in whole percent (`+85`); `None` when the median is 0.
    pub percent: Option<i64>,
    /// [`crate::analysis::jobs::slower_than_usual`].
    pub slow: bool,
    /// Still running: `slow` then means "already past its usual length".
    pub running: bool,
}

/// A list's sessions grouped into jobs, and each one against its usual.
#[derive(Clone, Debug, Default)]
pub struct Usual {
    jobs: Jobs,
    /// Per session: its comparison, if it has one.
    vs: Vec<Option<Vs>>,
    /// Per job: its key and its name, lowercased (for `job:`).
    text: Vec<(String, String)>,
    /// The instant running sessions were compared at.
    at_us: i64,
}

impl Usual {
    /// Groups `sessions` into jobs ([`Jobs::build`]) and compares each with its usual as of
    /// `now_us`.
    pub fn build(sessions: &[Session], now_us: i64) -> Usual {
        let jobs = Jobs::build(sessions);
        let vs = (0..sessions.len())
            .map(|i| {
                jobs.compare(sessions, i, now_us).map(|c| Vs {
                    percent: c.percent,
                    slow: c.slow,
                    running: c.running,
                })
            })
            .collect();
        let lower = |t: Option<&str>| crate::format::lowercase(t.unwrap_or_default());
        let text = (0..jobs.len())
            .map(|j| (lower(jobs.key(sessions, j)), lower(jobs.name(sessions, j))))
            .collect();
        Usual {
            jobs,
            vs,
            text,
            at_us: now_us,
        }
    }

    /// Whether it was built from no sessions (or not at all).
    pub fn is_empty(&self) -> bool {
        self.vs.is_empty()
    }

    /// The jobs themselves.
    pub fn jobs(&self) -> &Jobs {
        &self.jobs
    }

    /// Session `i` against its usual.
    pub fn vs(&self, i: usize) -> Option<Vs> {
        self.vs.get(i).copied().flatten()
    }

    /// Session `i` against its usual in full (its duration, the usual's runs and median), as of
    /// the same instant as [`Usual::vs`].
    pub fn compared(&self, sessions: &[Session], i: usize) -> Option<Compared> {
        self.jobs.compare(sessions, i, self.at_us)
    }

    /// Session `i`'s percent against its usual (the sort key of the "vs usual" column).
    pub fn percent(&self, i: usize) -> Option<i64> {
        self.vs(i).and_then(|v| v.percent)
    }

    /// The failure streak of session `i`'s job (its latest failed runs in a row).
    pub fn streak(&self, i: usize) -> Option<u32> {
        let j = self.jobs.job_of(i)?;
        self.jobs.job(j).map(|job| job.streak.failed)
    }

    /// Whether session `i`'s job has `lower` (lowercased) in its key or name, or, `exact`, is it.
    pub fn job_matches(&self, i: usize, lower: &str, exact: bool) -> bool {
        let Some((key, name)) = self.jobs.job_of(i).and_then(|j| self.text.get(j)) else {
            return false;
        };
        if exact {
            key == lower || name == lower
        } else {
            key.contains(lower) || name.contains(lower)
        }
    }
}

/// Sorts indices by `key` ([`super::sort_indices`]), the "vs usual" column by `usual`.
pub fn sort(indices: &mut [u32], sessions: &[Session], key: SortKey, now_us: i64, usual: &Usual) {
    if key.column == Column::VsUsual {
        super::sort::sort_by_key(indices, key, &|i| usual.percent(i as usize));
    } else {
        super::sort_indices(indices, sessions, key, now_us);
    }
}

/// How a percent against the usual is written in `data-vs-usual-pct` (SPEC §3.4: `+85`, `-20`,
/// `+0`) and in the filter language (`vs-usual>+85%` reads as `vs-usual>85%`).
pub fn signed(percent: i64) -> String {
    format!("{percent:+}")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::analysis::builders::ts;
    use crate::model::Status;

    pub(crate) fn run(job: &str, start_min: i64, minutes: Option<i64>, status: Status) -> Session {
        Session {
            id: format!("{job}-{start_min}"),
            user: None,
            host: None,
            start: Some(ts(start_min * 60)),
            end: minutes.map(|m| ts((start_min + m) * 60)),
            reported: None,
            status,
            vendor_status: Default::default(),
            name: Some(format!("Nightly {job}")),
            log_href: None,
            job: Some(job.to_string()),
            details: Vec::new(),
            source: Default::default(),
        }
    }

    /// Job `a`: three ordinary runs, a slow one (+100 %), one running 16 min at `now` (+45 %);
    /// job `b`: two failures in a row; one session without a job.
    pub(crate) fn fixture() -> (Vec<Session>, i64) {
        let mut loose = run("x", 0, Some(5), Status::Success);
        loose.job = None;
        let sessions = vec![
            run("a", 0, Some(10), Status::Success),
            run("a", 100, Some(10), Status::Success),
            run("a", 200, Some(12), Status::Success),
            run("a", 300, Some(20), Status::Success),
            run("b", 0, Some(1), Status::Failed),
            run("b", 100, Some(1), Status::Failed),
            run("a", 400, None, Status::Running),
            loose,
        ];
        (sessions, ts(416 * 60).unix_micros())
    }

    #[test]
    fn the_vs_usual_column_sorts_with_missing_values_last() {
        let (sessions, now) = fixture();
        let u = Usual::build(&sessions, now);
        let mut rows: Vec<u32> = (0..sessions.len() as u32).collect();
        sort(
            &mut rows,
            &sessions,
            SortKey::new(Column::VsUsual, true),
            now,
            &u,
        );
        assert_eq!(rows, [3, 6, 0, 1, 2, 4, 5, 7]);
        sort(
            &mut rows,
            &sessions,
            SortKey::new(Column::VsUsual, false),
            now,
            &u,
        );
        assert_eq!(rows, [6, 3, 0, 1, 2, 4, 5, 7]);
        // Other columns sort as ever.
        sort(
            &mut rows,
            &sessions,
            SortKey::new(Column::Id, false),
            now,
            &u,
        );
        assert_eq!(rows.first(), Some(&0));
    }

    #[test]
    fn each_session_against_its_usual_streaks_and_job_text() {
        let sessions = vec![
            run("a", 0, Some(10), Status::Success),
            run("a", 100, Some(10), Status::Success),
            run("a", 200, Some(12), Status::Success),
            run("a", 300, Some(20), Status::Success),
            run("b", 0, Some(1), Status::Failed),
            run("b", 100, Some(1), Status::Failed),
            run("a", 400, None, Status::Running),
        ];
        // Now: 16 minutes into the running run.
        let u = Usual::build(&sessions, ts(416 * 60).unix_micros());
        assert_eq!(u.vs(0), None);
        assert_eq!(
            u.vs(3),
            Some(Vs {
                percent: Some(100),
                slow: true,
                running: false
            })
        );
        assert_eq!(u.percent(3), Some(100));
        // Against 10, 10, 12, 20: median 11, p90 20 → 16 min is +45 %, not past the p90.
        assert_eq!(
            u.vs(6),
            Some(Vs {
                percent: Some(45),
                slow: false,
                running: true
            })
        );
        assert_eq!(u.streak(4), Some(2));
        assert_eq!(u.streak(0), Some(0));
        assert!(u.job_matches(4, "b", true));
        assert!(u.job_matches(4, "nightly b", true));
        assert!(u.job_matches(0, "ghtly", false));
        assert!(!u.job_matches(0, "nightly", true));
        assert!(!u.job_matches(99, "a", false));
        assert_eq!(signed(85), "+85");
        assert_eq!(signed(-20), "-20");
        assert_eq!(signed(0), "+0");
    }
}
