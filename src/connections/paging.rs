//! Automatic paging of session lists: which page to ask for next, when to stop, the cap, and the
//! words for "loaded N of M". Pure, so that every stopping rule is tested natively; `fetching`
//! sends the pages.

use crate::model::{SessionList, SessionLog, Skipped};
use crate::vendors::contract::Paging;

/// The most sessions one list loads. Past this the list stops, and says so.
pub const CAP: usize = 100_000;

/// Where a paged list stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pager {
    /// Items asked for per page.
    pub page_size: usize,
    /// Items received so far (read or skipped).
    pub loaded: usize,
    /// The total the server reports (VBA's `totalCount`), when it reports one.
    pub total: Option<usize>,
    /// No page is left to ask for.
    pub done: bool,
    /// Stopped at [`CAP`] with more on the server (or possibly more, when it reports no total).
    pub capped: bool,
    /// The most items this list will load.
    pub cap: usize,
}

impl Pager {
    /// A pager for a list that is read in pages (VBA `Offset`/`Limit`, M365 `offset`/`limit`,
    /// Ekran's POST `pageIndex`/`sessionCount`); `None` for lists that come whole in one answer.
    pub fn for_list(paging: Paging) -> Option<Pager> {
        match paging {
            Paging::Whole => None,
            Paging::Offset { page_size } | Paging::Numbered { page_size } => {
                Some(Pager::new(page_size, CAP))
            }
        }
    }

    pub fn new(page_size: usize, cap: usize) -> Pager {
        Pager {
            page_size: page_size.max(1),
            loaded: 0,
            total: None,
            done: cap == 0,
            capped: false,
            cap,
        }
    }

    /// The next page to ask for, as `(offset, limit)`; `None` once done.
    pub fn next(&self) -> Option<(usize, usize)> {
        if self.done {
            return None;
        }
        let left = self.cap.saturating_sub(self.loaded);
        let limit = self.page_size.min(left).min(
            self.total
                .map_or(usize::MAX, |t| t.saturating_sub(self.loaded)),
        );
        (limit > 0).then_some((self.loaded, limit))
    }

    /// For APIs that page by number (Ekran): the number of the page that starts at `offset`, or
    /// `None` when `offset` is not on a page boundary (after a short page that the server's total
    /// said was not the last), where asking by number would repeat sessions.
    pub fn page_index(&self, offset: usize) -> Option<usize> {
        offset
            .is_multiple_of(self.page_size)
            .then_some(offset / self.page_size)
    }

    /// Records a page that held `got` items, with the server's `total` if it reports one.
    pub fn record(&mut self, got: usize, total: Option<u64>) {
        let asked = self.next().map_or(0, |(_, limit)| limit);
        self.loaded = self.loaded.saturating_add(got);
        if let Some(t) = total {
            self.total = Some(usize::try_from(t).unwrap_or(usize::MAX));
        }
        let more_on_server = match self.total {
            Some(t) => self.loaded < t,
            // Without a total, a full page means there may be more; a short one is the last.
            None => got > 0 && got >= asked,
        };
        // An empty page ends the list whatever the total says (the server moved on, or lies).
        if got == 0 || !more_on_server {
            self.done = true;
        } else if self.loaded >= self.cap {
            self.done = true;
            self.capped = true;
        }
    }

    /// "Loaded 1 500 of 2 302 sessions", "Loaded 3 000 sessions", or the cap that was hit.
    pub fn words(&self) -> String {
        let loaded = thousands(self.loaded);
        match (self.capped, self.total) {
            (true, Some(t)) => format!(
                "Stopped at {loaded} of {} sessions: the app loads at most {} sessions per list.",
                thousands(t),
                thousands(self.cap)
            ),
            (true, None) => format!(
                "Stopped at {loaded} sessions: the app loads at most {} sessions per list, and the server may have more.",
                thousands(self.cap)
            ),
            (false, Some(t)) => format!("Loaded {loaded} of {} sessions", thousands(t)),
            (false, None) => format!("Loaded {loaded} sessions"),
        }
    }
}

/// A log that came back as long as the most that was asked for, in a shape that cannot be paged
/// (a bare array), may be longer on the server: say so in its title rather than show it as if
/// whole.
pub fn log_cut_note(received: usize, limit: usize) -> Option<String> {
    (received >= limit).then(|| {
        format!(
            "the first {} items: the server sends at most that many, and this log may have more",
            thousands(limit)
        )
    })
}

/// Why a paged log may not be whole: it stopped at the pager's cap with more on the server.
pub fn log_capped_note(pager: &Pager) -> Option<String> {
    pager.capped.then(|| {
        format!(
            "the first {} items: the app loads at most that many per log, and this log may have more",
            thousands(pager.loaded)
        )
    })
}

/// Appends a log page that began at item `offset` to the log loaded so far (skipped items keep
/// their position in the whole log), keeping the vendor's order across pages.
pub fn append_log(all: &mut SessionLog, page: SessionLog, offset: usize) {
    if all.session_id.is_empty() {
        all.session_id = page.session_id;
    }
    let sorted = all
        .entries
        .last()
        .zip(page.entries.first())
        .is_none_or(|(a, b)| a.order <= b.order);
    all.entries.extend(page.entries);
    if !sorted {
        // Stable: equal order keys keep the order they came in.
        crate::model::sort_by_order(&mut all.entries);
    }
    all.skipped
        .extend(page.skipped.into_iter().map(|s| Skipped {
            index: s.index.saturating_add(offset),
            ..s
        }));
}

/// Appends a page that began at item `offset` to the list loaded so far; skipped items keep
/// their position in the whole list.
pub fn append(all: &mut SessionList, page: SessionList, offset: usize) {
    all.sessions.extend(page.sessions);
    all.skipped
        .extend(page.skipped.into_iter().map(|s| Skipped {
            index: s.index.saturating_add(offset),
            ..s
        }));
}

/// `1234567` → `1 234 567` (a thin space would not survive every font; a plain one does).
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendors::Kind;

    /// Runs a pager against a server holding `n` items that reports its total or not; returns the
    /// `(offset, limit)` pairs asked for and the final pager.
    fn run(mut p: Pager, n: usize, reports_total: bool) -> (Vec<(usize, usize)>, Pager) {
        let mut asked = Vec::new();
        while let Some((offset, limit)) = p.next() {
            asked.push((offset, limit));
            assert!(asked.len() < 10_000, "the pager must end");
            let got = n.saturating_sub(offset).min(limit);
            p.record(got, reports_total.then_some(n as u64));
        }
        (asked, p)
    }

    #[test]
    fn pages_until_the_total() {
        let (asked, p) = run(Pager::new(500, CAP), 1201, true);
        assert_eq!(asked, [(0, 500), (500, 500), (1000, 201)]);
        assert_eq!(
            (p.loaded, p.total, p.done, p.capped),
            (1201, Some(1201), true, false)
        );
        assert_eq!(p.words(), "Loaded 1 201 of 1 201 sessions");
    }

    #[test]
    fn without_a_total_a_short_page_is_the_last() {
        let (asked, p) = run(Pager::new(1000, CAP), 2600, false);
        assert_eq!(asked, [(0, 1000), (1000, 1000), (2000, 1000)]);
        assert_eq!((p.loaded, p.capped), (2600, false));
        assert_eq!(p.words(), "Loaded 2 600 sessions");
        // An exact multiple costs one empty page, and ends there.
        let (asked, p) = run(Pager::new(1000, CAP), 2000, false);
        assert_eq!(asked.len(), 3);
        assert_eq!(p.loaded, 2000);
        let (asked, p) = run(Pager::new(1000, CAP), 0, false);
        assert_eq!((asked.len(), p.loaded, p.done), (1, 0, true));
    }

    #[test]
    fn the_cap_is_hit_and_named() {
        let (asked, p) = run(Pager::new(400, 1000), 5000, true);
        assert_eq!(
            asked,
            [(0, 400), (400, 400), (800, 200)],
            "the last page asks only up to the cap"
        );
        assert_eq!((p.loaded, p.capped), (1000, true));
        assert_eq!(
            p.words(),
            "Stopped at 1 000 of 5 000 sessions: the app loads at most 1 000 sessions per list."
        );
        let (_, p) = run(Pager::new(400, 1000), 5000, false);
        assert!(p.capped);
        assert!(p.words().contains("the server may have more"));
        // Exactly at the cap with a total that says so: loaded everything, not capped.
        let (_, p) = run(Pager::new(400, 1000), 1000, true);
        assert_eq!((p.loaded, p.capped), (1000, false));
        assert_eq!(
            Pager::for_list(Kind::VeeamAws.vendor().lists[0].paging).map(|p| p.cap),
            Some(CAP)
        );
        assert_eq!(
            Pager::for_list(Kind::VeeamEm.vendor().lists[0].paging),
            None
        );
        assert_eq!(Pager::for_list(Kind::MimPam.vendor().lists[0].paging), None);
        let ekran = Pager::for_list(Kind::Ekran.vendor().lists[0].paging).expect("Ekran pages"); // ok: test fixture
        assert_eq!((ekran.page_size, ekran.next()), (1000, Some((0, 1000))));
        assert_eq!(
            [0, 1000, 5000, 999, 1500].map(|o| ekran.page_index(o)),
            [Some(0), Some(1), Some(5), None, None]
        );
    }

    #[test]
    fn a_server_that_ignores_offsets_or_lies_cannot_loop_forever() {
        // Always a full page, never a total: ends at the cap.
        let mut p = Pager::new(1000, 5000);
        let mut pages = 0;
        while p.next().is_some() {
            p.record(1000, None);
            pages += 1;
        }
        assert_eq!((pages, p.capped), (5, true));
        // A total larger than what comes: an empty page ends it.
        let mut p = Pager::new(100, CAP);
        p.record(100, Some(1_000_000));
        p.record(0, Some(1_000_000));
        assert!(p.done && !p.capped);
        assert_eq!(p.next(), None);
        // A page larger than asked (a server that ignores the limit) is counted as it came.
        let mut p = Pager::new(100, CAP);
        p.record(250, Some(250));
        assert_eq!((p.loaded, p.done), (250, true));
    }

    #[test]
    fn pages_append_with_positions_in_the_whole_list() {
        let page = |ids: &[&str], skipped: &[usize]| SessionList {
            sessions: ids
                .iter()
                .map(|id| crate::model::Session {
                    id: id.to_string(),
                    user: None,
                    host: None,
                    start: None,
                    end: None,
                    reported: None,
                    status: crate::model::Status::Unknown,
                    vendor_status: Default::default(),
                    name: None,
                    log_href: None,
                    job: None,
                    details: Vec::new(),
                    source: Default::default(),
                })
                .collect(),
            skipped: skipped
                .iter()
                .map(|i| Skipped {
                    index: *i,
                    reason: "bad".into(),
                })
                .collect(),
            total: Some(5),
        };
        let mut all = page(&[], &[]);
        append(&mut all, page(&["a", "b"], &[2]), 0);
        append(&mut all, page(&["c"], &[0, 1]), 3);
        let ids: Vec<&str> = all.sessions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        let skipped: Vec<usize> = all.skipped.iter().map(|s| s.index).collect();
        assert_eq!(skipped, [2, 3, 4]);
    }

    fn entry(order: u64) -> crate::model::LogEntry {
        crate::model::LogEntry {
            order,
            message: format!("step {order}"),
            ..crate::analysis::builders::timeless()
        }
    }

    fn log(id: &str, orders: &[u64], skipped: &[usize]) -> SessionLog {
        SessionLog {
            session_id: id.into(),
            entries: orders.iter().copied().map(entry).collect(),
            skipped: skipped
                .iter()
                .map(|&index| Skipped {
                    index,
                    reason: "bad".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn log_pages_join_in_the_vendors_order() {
        let mut all = log("", &[1, 5, 9], &[1]);
        append_log(&mut all, log("s", &[10, 12], &[0, 2]), 4);
        assert_eq!(all.session_id, "s", "the first id the pages name");
        assert_eq!(
            all.entries.iter().map(|e| e.order).collect::<Vec<_>>(),
            [1, 5, 9, 10, 12]
        );
        assert_eq!(
            all.skipped.iter().map(|s| s.index).collect::<Vec<_>>(),
            [1, 4, 6],
            "skipped items keep their place in the whole log"
        );
        // A page that overlaps the last (usns are not contiguous, pages may interleave).
        append_log(&mut all, log("other", &[11, 13, 11], &[]), 9);
        assert_eq!(all.session_id, "s");
        assert_eq!(
            all.entries
                .iter()
                .map(|e| (e.order, e.message.as_str()))
                .collect::<Vec<_>>(),
            [
                (1, "step 1"),
                (5, "step 5"),
                (9, "step 9"),
                (10, "step 10"),
                (11, "step 11"),
                (11, "step 11"),
                (12, "step 12"),
                (13, "step 13")
            ]
        );
    }

    #[test]
    fn a_paged_log_stops_at_the_cap_and_says_so() {
        let mut p = Pager::new(10_000, 25_000);
        let mut asked = Vec::new();
        while let Some(page) = p.next() {
            asked.push(page);
            p.record(page.1, None);
        }
        assert_eq!(asked, [(0, 10_000), (10_000, 10_000), (20_000, 5_000)]);
        assert_eq!(
            log_capped_note(&p).as_deref(),
            Some("the first 25 000 items: the app loads at most that many per log, and this log may have more")
        );
        let mut whole = Pager::new(10_000, 25_000);
        whole.record(10_000, None);
        whole.record(50, None);
        assert_eq!((whole.done, log_capped_note(&whole)), (true, None));
    }

    #[test]
    fn a_log_that_fills_the_limit_is_named_as_cut() {
        assert_eq!(log_cut_note(9_999, 10_000), None);
        assert_eq!(
            log_cut_note(10_000, 10_000).as_deref(),
            Some("the first 10 000 items: the server sends at most that many, and this log may have more")
        );
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1 000");
        assert_eq!(thousands(100_000), "100 000");
        assert_eq!(thousands(1_234_567), "1 234 567");
    }
}
