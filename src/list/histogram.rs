//! How many sessions were running over time, per status: the list's histogram, and mapping a
//! drag on it back to a time range.

use crate::model::{Session, Status};

use super::filter::span;

/// Equal-width buckets over a time range, each counting the sessions running during it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Histogram {
    /// The range the buckets cover, `[from, to)` in microseconds since the epoch.
    pub from: i64,
    pub to: i64,
    pub buckets: Vec<Bucket>,
}

/// One bucket: `[from, to)` and, per status (indexed like [`Status::ALL`]), the number of
/// sessions that overlap it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bucket {
    pub from: i64,
    pub to: i64,
    pub counts: [u32; Status::ALL.len()],
}

/// The span a list's histogram covers when no range is chosen: the bulk of its sessions, so
/// that a few far outliers (a vendor's 2017 example among this week's sessions) do not squeeze
/// the rest into a few bars; and how many sessions lie wholly outside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extent {
    /// What the chart shows, `[from, to)` in µs.
    pub span: (i64, i64),
    /// Every session's span, outliers included.
    pub full: (i64, i64),
    /// Sessions that end at or before `span.0`, and that start at or after `span.1`.
    pub before: usize,
    pub after: usize,
}

/// The [`Extent`] of `sessions`: from the 5th percentile of starts to the 95th of ends, widened
/// on each side by a quarter of that (and never past the data). A session farther out than that is
/// left out of the chart; a list of fewer than 20 sessions keeps them all.
pub fn extent(sessions: &[Session], now_us: i64) -> Option<Extent> {
    // One pass over the sessions into lists sized once, the whole span counted on the way.
    let mut starts = Vec::with_capacity(sessions.len());
    let mut ends = Vec::with_capacity(sessions.len());
    let mut full: Option<(i64, i64)> = None;
    for (s, e) in sessions.iter().filter_map(|s| span(s, now_us)) {
        starts.push(s);
        ends.push(e);
        full = Some(full.map_or((s, e), |(a, b)| (a.min(s), b.max(e))));
    }
    let full = full?;
    let n = starts.len();
    let q = n / 20;
    let lo = nth_bin(&starts, q, full).0;
    let hi = nth_bin(&ends, n - 1 - q, full).1;
    let margin = (hi.saturating_sub(lo) / 4).max(1);
    let span = (
        full.0.max(lo.saturating_sub(margin)),
        full.1.min(hi.saturating_add(margin)),
    );
    let cut = |yes: bool, n: usize| if yes { n } else { 0 };
    Some(Extent {
        span,
        full,
        before: cut(
            span.0 > full.0,
            ends.iter().filter(|&&e| e <= span.0).count(),
        ),
        after: cut(
            span.1 < full.1,
            starts.iter().filter(|&&s| s >= span.1).count(),
        ),
    })
}

/// The bounds of the bin that holds the `k`-th smallest of `values` (0-based), of 1024 equal
/// bins over `range`: a percentile to within 1/1024 of the range, counted, not sorted.
fn nth_bin(values: &[i64], k: usize, range: (i64, i64)) -> (i64, i64) {
    const BINS: i128 = 1024;
    let (from, to) = (i128::from(range.0), i128::from(range.1));
    let width = (to - from) / BINS + 1;
    let mut counts = [0usize; BINS as usize];
    // In u64, not i128 (a 128-bit division per value is a library call in wasm): the distance
    // from `range.0` up to a value in the range, and the width, fit; one below it is bin 0.
    let step = u64::try_from(width).unwrap_or(u64::MAX);
    for &v in values {
        let bin = if v < range.0 {
            0
        } else {
            usize::try_from(v.abs_diff(range.0) / step).unwrap_or(usize::MAX)
        };
        if let Some(c) = counts.get_mut(bin) {
            *c += 1;
        }
    }
    let mut seen = 0;
    let bin = counts
        .iter()
        .position(|&c| {
            seen += c;
            seen > k
        })
        .unwrap_or(0) as i128;
    let at = |b: i128| {
        i64::try_from(from + b * width)
            .unwrap_or(range.1)
            .min(range.1)
    };
    (at(bin), at(bin + 1))
}

/// Counts, for each of `buckets` equal buckets of `range`, the sessions at `indices` that run
/// during it (a session spans `[start, end)`, open ones to `now_us`; see
/// [`super::filter::span`]), stacked by status.
///
/// O(n + buckets): each session adds +1 at its first bucket and −1 after its last in a
/// difference array, and one prefix sum gives the counts. There are never more buckets than
/// microseconds in the range; an empty or reversed range gives no buckets.
pub fn running_over_time(
    sessions: &[Session],
    indices: &[u32],
    range: (i64, i64),
    buckets: usize,
    now_us: i64,
) -> Histogram {
    let (from, to) = range;
    let width = i128::from(to) - i128::from(from);
    if width <= 0 || buckets == 0 {
        return Histogram {
            from,
            to,
            buckets: Vec::new(),
        };
    }
    let n = buckets.min(usize::try_from(width).unwrap_or(usize::MAX));
    let shape = Shape { from, width, n };
    let mut diff = vec![[0i64; Status::ALL.len()]; n + 1];
    for s in indices.iter().filter_map(|&i| sessions.get(i as usize)) {
        let Some((start, end)) = span(s, now_us) else {
            continue;
        };
        if start >= to || end <= from {
            continue;
        }
        let first = shape.bucket_of(start.max(from));
        // The last bucket whose start is before `end`, i.e. the one holding `end - 1`.
        let last = shape.bucket_of(end.min(to) - 1);
        let k = s.status as usize;
        if let Some(d) = diff.get_mut(first).and_then(|row| row.get_mut(k)) {
            *d += 1;
        }
        if let Some(d) = diff.get_mut(last + 1).and_then(|row| row.get_mut(k)) {
            *d -= 1;
        }
    }
    let mut running = [0i64; Status::ALL.len()];
    let buckets = (0..n)
        .map(|i| {
            if let Some(row) = diff.get(i) {
                for (r, d) in running.iter_mut().zip(row) {
                    *r += d;
                }
            }
            Bucket {
                from: shape.edge(i),
                to: shape.edge(i + 1),
                counts: running.map(|c| u32::try_from(c).unwrap_or(0)),
            }
        })
        .collect();
    Histogram { from, to, buckets }
}

impl Bucket {
    pub fn count(&self, status: Status) -> u32 {
        self.counts.get(status as usize).copied().unwrap_or(0)
    }

    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }
}

impl Histogram {
    /// The tallest bucket's total, for scaling the chart.
    pub fn max_total(&self) -> u32 {
        self.buckets.iter().map(Bucket::total).max().unwrap_or(0)
    }

    /// The time range a drag from `px_from` to `px_to` (in either order) selects on a chart
    /// `width` pixels wide, widened to whole buckets. Pixels outside the chart are clamped; a
    /// chart with no width or no buckets selects nothing.
    pub fn range_at(&self, px_from: f64, px_to: f64, width: f64) -> Option<(i64, i64)> {
        if width.is_nan()
            || width <= 0.0
            || self.buckets.is_empty()
            || px_from.is_nan()
            || px_to.is_nan()
        {
            return None;
        }
        let (a, b) = if px_from <= px_to {
            (px_from, px_to)
        } else {
            (px_to, px_from)
        };
        let n = self.buckets.len();
        let bucket_at = |px: f64| {
            let x = (px / width).clamp(0.0, 1.0) * n as f64;
            // A drag ending exactly on the right edge belongs to the last bucket.
            (x.floor() as usize).min(n - 1)
        };
        let first = self.buckets.get(bucket_at(a))?;
        let last = self.buckets.get(bucket_at(b))?;
        Some((first.from, last.to))
    }
}

/// The arithmetic of `n` equal buckets over `[from, from + width)`: bucket `i` starts at
/// `from + ceil(i × width / n)`, so that the bucket holding `t` is `floor((t − from) × n /
/// width)` exactly, in integers.
struct Shape {
    from: i64,
    width: i128,
    n: usize,
}

impl Shape {
    fn edge(&self, i: usize) -> i64 {
        let n = self.n as i128;
        let offset = (i as i128 * self.width + n - 1) / n;
        i64::try_from(i128::from(self.from) + offset).unwrap_or(i64::MAX)
    }

    /// The bucket holding `t`, for `from <= t < from + width`.
    fn bucket_of(&self, t: i64) -> usize {
        let offset = (i128::from(t) - i128::from(self.from)).max(0);
        let i = offset * self.n as i128 / self.width;
        usize::try_from(i).unwrap_or(0).min(self.n - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::{naive, session};
    use super::*;

    const T0: i64 = 1_617_235_200_000_000; // 2021-04-01T00:00:00Z
    const H: i64 = 3_600_000_000;

    fn s(status: Status, start: Option<i64>, end: Option<i64>) -> Session {
        session(status, start, end)
    }

    fn sessions() -> Vec<Session> {
        use Status::*;
        vec![
            s(Success, Some(T0), Some(T0 + 2 * H)),
            s(Failed, Some(T0 + H + 1), Some(T0 + H + 2)),
            s(Running, Some(T0 + 5 * H), None), // open: runs to now
            s(Success, Some(T0 - 10 * H), Some(T0 - 9 * H)), // before the range
            s(Success, Some(T0 + 20 * H), Some(T0 + 30 * H)), // after the range
            s(Warning, Some(T0 - H), Some(T0 + 30 * H)), // across the whole range
            s(Ended, Some(T0 + 3 * H), Some(T0 + 3 * H)), // zero length
            s(Unknown, None, None),             // no times at all
            s(Canceled, Some(T0 + 4 * H), Some(T0 + 3 * H)), // end before start
            s(Success, Some(T0 + 8 * H - 1), Some(T0 + 9 * H)), // ends after range
        ]
    }

    #[test]
    fn matches_the_naive_count() {
        let list = sessions();
        let all: Vec<u32> = (0..list.len() as u32).collect();
        let now = T0 + 7 * H;
        for buckets in [1, 2, 3, 7, 8, 13, 200] {
            for range in [
                (T0, T0 + 8 * H),
                (T0 + 1, T0 + 8 * H - 3),
                (T0 + H, T0 + H + 5),
            ] {
                let h = running_over_time(&list, &all, range, buckets, now);
                let got: Vec<[u32; 8]> = h.buckets.iter().map(|b| b.counts).collect();
                assert_eq!(got, naive(&list, &h, now), "{buckets} {range:?}");
                assert_eq!(h.buckets.first().map(|b| b.from), Some(range.0));
                assert_eq!(h.buckets.last().map(|b| b.to), Some(range.1));
                for pair in h.buckets.windows(2) {
                    assert_eq!(pair[0].to, pair[1].from);
                    assert!(pair[0].from < pair[0].to);
                }
            }
        }
    }

    #[test]
    fn hourly_buckets_by_hand() {
        let list = sessions();
        let all: Vec<u32> = (0..list.len() as u32).collect();
        let h = running_over_time(&list, &all, (T0, T0 + 8 * H), 8, T0 + 7 * H);
        let totals: Vec<u32> = h.buckets.iter().map(Bucket::total).collect();
        // Warning runs throughout; Success 0–2 h; Failed in hour 1; Ended at 3 h; Canceled is
        // an instant at 4 h; Running from 5 h to now (7 h); the last Success from just before 8 h.
        assert_eq!(totals, [2, 3, 1, 2, 2, 2, 2, 2]);
        assert_eq!(h.buckets[1].count(Status::Failed), 1);
        assert_eq!(h.buckets[6].count(Status::Running), 1);
        assert_eq!(h.buckets[7].count(Status::Running), 0, "now is 7 h");
        assert_eq!(h.buckets[7].count(Status::Success), 1);
        assert_eq!(h.max_total(), 3);
        // Only the filtered indices count.
        let h = running_over_time(&list, &[1, 99], (T0, T0 + 8 * H), 8, T0 + 7 * H);
        assert_eq!(h.max_total(), 1);
    }

    #[test]
    fn degenerate_ranges() {
        let list = sessions();
        let all: Vec<u32> = (0..list.len() as u32).collect();
        assert!(running_over_time(&list, &all, (T0, T0), 10, T0)
            .buckets
            .is_empty());
        assert!(running_over_time(&list, &all, (T0, T0 - 1), 10, T0)
            .buckets
            .is_empty());
        assert!(running_over_time(&list, &all, (T0, T0 + H), 0, T0)
            .buckets
            .is_empty());
        // Fewer microseconds than buckets: one bucket per microsecond.
        assert_eq!(
            running_over_time(&list, &all, (T0, T0 + 3), 10, T0)
                .buckets
                .len(),
            3
        );
        let h = running_over_time(&list, &all, (i64::MIN, i64::MAX), 5, T0);
        assert_eq!(h.buckets.len(), 5);
        assert_eq!(h.buckets.last().map(|b| b.to), Some(i64::MAX));
    }

    #[test]
    fn far_outliers_are_left_out_of_the_extent_and_counted() {
        const D: i64 = 24 * H;
        // 100 sessions over 30 days, and three from years before: the chart keeps the 30 days.
        let mut list: Vec<Session> = (0..100)
            .map(|i| {
                s(
                    Status::Success,
                    Some(T0 + i * 7 * H),
                    Some(T0 + i * 7 * H + H),
                )
            })
            .collect();
        let bulk = extent(&list, T0 + 40 * D).unwrap(); // ok: test fixture
        assert_eq!((bulk.before, bulk.after), (0, 0));
        assert_eq!(bulk.span, bulk.full);
        for years in [3, 4, 9] {
            let t = T0 - years * 365 * D;
            list.push(s(Status::Failed, Some(t), Some(t + H)));
        }
        let e = extent(&list, T0 + 40 * D).unwrap(); // ok: test fixture
        assert_eq!((e.before, e.after), (3, 0));
        assert_eq!(e.full, (T0 - 9 * 365 * D, T0 + 99 * 7 * H + H));
        assert!(e.span.0 > T0 - 40 * D && e.span.0 <= T0, "{:?}", e.span);
        assert_eq!(e.span.1, e.full.1);
        // A few sessions keep everything; no sessions, no extent.
        let few = &list[97..];
        assert_eq!(extent(few, T0).map(|e| e.span == e.full), Some(true));
        assert_eq!(extent(&[], T0), None);
    }

    #[test]
    fn a_drag_maps_back_to_whole_buckets() {
        let h = running_over_time(&[], &[], (T0, T0 + 8 * H), 8, T0);
        assert_eq!(h.range_at(0.0, 800.0, 800.0), Some((T0, T0 + 8 * H)));
        assert_eq!(h.range_at(150.0, 120.0, 800.0), Some((T0 + H, T0 + 2 * H)));
        assert_eq!(h.range_at(150.0, 350.0, 800.0), Some((T0 + H, T0 + 4 * H)));
        assert_eq!(h.range_at(-50.0, 9000.0, 800.0), Some((T0, T0 + 8 * H)));
        assert_eq!(h.range_at(0.0, 10.0, 0.0), None);
        assert_eq!(h.range_at(f64::NAN, 10.0, 800.0), None);
        assert_eq!(Histogram::default().range_at(0.0, 1.0, 1.0), None);
    }
}

/// Random sessions and ranges against the naive count.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::tests_support::*;
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn difference_array_equals_naive(
            spans in proptest::collection::vec(
                (0usize..8, proptest::option::of(-50i64..150), proptest::option::of(-50i64..150)),
                0..30,
            ),
            from in -20i64..60,
            width in 1i64..120,
            buckets in 1usize..40,
            now in -20i64..160,
        ) {
            let list: Vec<Session> = spans
                .iter()
                .map(|&(k, start, end)| session(Status::ALL[k], start, end))
                .collect();
            let all: Vec<u32> = (0..list.len() as u32).collect();
            let h = running_over_time(&list, &all, (from, from + width), buckets, now);
            prop_assert_eq!(h.buckets.len(), buckets.min(width as usize));
            let got: Vec<[u32; 8]> = h.buckets.iter().map(|b| b.counts).collect();
            prop_assert_eq!(got, naive(&list, &h, now));
        }

        /// The percentile bin, counted in u64, is the bin an i128 count finds, over the whole
        /// i64 range too.
        #[test]
        fn nth_bin_equals_the_wide_count(
            values in proptest::collection::vec(any::<i64>(), 1..40),
            small in proptest::collection::vec(-1000i64..1000, 1..40),
            pick in 0usize..40,
            lo in any::<i64>(),
        ) {
            for values in [values, small] {
                let (min, max) = (values.iter().min().copied().unwrap_or(0), values.iter().max().copied().unwrap_or(0));
                for range in [(min, max), (lo.min(min), max), (min, min.saturating_add(7))] {
                    let k = pick % values.len();
                    prop_assert_eq!(nth_bin(&values, k, range), wide_nth_bin(&values, k, range));
                }
            }
        }
    }

    /// `nth_bin` as first written, in i128 throughout.
    fn wide_nth_bin(values: &[i64], k: usize, range: (i64, i64)) -> (i64, i64) {
        let (from, to) = (i128::from(range.0), i128::from(range.1));
        let width = (to - from) / 1024 + 1;
        let mut counts = [0usize; 1024];
        for &v in values {
            let bin = usize::try_from((i128::from(v) - from) / width).unwrap_or(0);
            if let Some(c) = counts.get_mut(bin) {
                *c += 1;
            }
        }
        let mut seen = 0;
        let bin = counts
            .iter()
            .position(|&c| {
                seen += c;
                seen > k
            })
            .unwrap_or(0) as i128;
        let at = |b: i128| {
            i64::try_from(from + b * width)
                .unwrap_or(range.1)
                .min(range.1)
        };
        (at(bin), at(bin + 1))
    }
}

#[cfg(test)]
pub(crate) use tests_support::session as test_session;

#[cfg(test)]
mod tests_support {
    use super::*;
    use crate::list::filter::span;
    use crate::model::{parse_timestamp, Duration};

    pub fn session(status: Status, start: Option<i64>, end: Option<i64>) -> Session {
        let epoch = parse_timestamp("1970-01-01T00:00:00Z").ok().flatten();
        let at =
            |us: Option<i64>| us.and_then(|us| epoch.map(|e| e.plus(Duration::from_micros(us))));
        Session {
            id: String::new(),
            user: None,
            host: None,
            start: at(start),
            end: at(end),
            reported: None,
            status,
            vendor_status: Default::default(),
            name: None,
            log_href: None,
            job: None,
            details: Vec::new(),
            source: Default::default(),
        }
    }

    /// The obvious O(n × buckets) count, from the edges the histogram reports.
    pub fn naive(sessions: &[Session], h: &Histogram, now: i64) -> Vec<[u32; 8]> {
        h.buckets
            .iter()
            .map(|b| {
                let mut counts = [0u32; 8];
                for s in sessions {
                    if let Some((start, end)) = span(s, now) {
                        if start < b.to && end > b.from {
                            counts[s.status as usize] += 1;
                        }
                    }
                }
                counts
            })
            .collect()
    }
}
