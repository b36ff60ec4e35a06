//! The overview strip under the time axis: how many steps start in each slice of the session, and
//! the worst status among them, so that the whole session is drawn in a bounded number of bars.

use crate::model::Status;

/// One slice of the overview strip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bucket {
    /// Entries whose interval starts in this slice.
    pub count: usize,
    /// The worst status among them (see [`Status`]'s order); `None` when the slice is empty.
    pub worst: Option<Status>,
}

/// `buckets` equal slices of `[start, end]` (µs since the epoch) with the entries, given as
/// `(interval, status)`, counted by where they start; entries without an interval are left out,
/// and starts outside the range count in the nearest end slice. O(entries + buckets).
pub fn density(
    entries: impl Iterator<Item = (Option<(i64, i64)>, Status)>,
    (start, end): (i64, i64),
    buckets: usize,
) -> Vec<Bucket> {
    let mut out = vec![
        Bucket {
            count: 0,
            worst: None
        };
        buckets
    ];
    if buckets == 0 {
        return out;
    }
    // Shares in f64 (exact enough for choosing a slice; 128-bit division would cost wasm).
    let span = end.saturating_sub(start).max(1) as f64;
    for (extent, status) in entries {
        let Some((from, _)) = extent else { continue };
        let share = (from.saturating_sub(start) as f64 / span).clamp(0.0, 1.0);
        // The last instant joins the last slice; the cast saturates.
        let slot = ((share * buckets as f64) as usize).min(buckets - 1);
        if let Some(b) = out.get_mut(slot) {
            b.count += 1;
            b.worst = Some(b.worst.map_or(status, |w| w.min(status)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_worst_status_per_slice() {
        let items = [
            (Some((0, 5)), Status::Success),
            (Some((10, 11)), Status::Warning),
            (Some((12, 40)), Status::Failed),
            (None, Status::Failed),
            (Some((99, 100)), Status::Success),
            (Some((100, 100)), Status::Running),
            (Some((-50, 1)), Status::Pending),
            (Some((500, 600)), Status::Canceled),
        ];
        let b = density(items.into_iter(), (0, 100), 4);
        let summary: Vec<(usize, Option<Status>)> = b.iter().map(|b| (b.count, b.worst)).collect();
        assert_eq!(
            summary,
            [
                (4, Some(Status::Failed)),
                (0, None),
                (0, None),
                (3, Some(Status::Running)),
            ]
        );
    }

    #[test]
    fn degenerate_inputs() {
        assert!(density(std::iter::empty(), (0, 10), 0).is_empty());
        let b = density([(Some((5, 5)), Status::Success)].into_iter(), (5, 5), 3);
        assert_eq!(b.iter().map(|b| b.count).sum::<usize>(), 1);
        let b = density(
            [
                (Some((i64::MIN, i64::MAX)), Status::Success),
                (Some((i64::MAX, i64::MAX)), Status::Failed),
            ]
            .into_iter(),
            (i64::MIN, i64::MAX),
            7,
        );
        assert_eq!(b.first().map(|b| b.count), Some(1));
        assert_eq!(b.last().map(|b| b.worst), Some(Some(Status::Failed)));
    }
}
