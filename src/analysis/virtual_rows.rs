//! Windowing maths for a virtualised list of fixed-height rows: which rows to put in the DOM.

/// How a virtualised list lays out its rows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VirtualRows {
    /// Height of every row, in CSS pixels. Anything not a positive finite number is read as 1.
    pub row_height: f64,
    /// Rows rendered beyond each edge of the viewport, so that a fast scroll shows no blank.
    pub overscan: usize,
    /// Never more rows than this in the DOM (SPEC §4: ≤ 200), whatever the inputs.
    pub max_rows: usize,
}

/// The rows to render, and the spacers that stand in for the rest.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowWindow {
    /// First row to render (an index into the list).
    pub start: usize,
    /// One past the last row to render; `start <= end <= row_count`.
    pub end: usize,
    /// Height of the spacer above the rendered rows: `start * row_height`.
    pub top: f64,
    /// Height of the spacer below: `(row_count - end) * row_height`.
    pub bottom: f64,
    /// Height of the whole list, `row_count * row_height`, so the scrollbar is true to its length.
    pub total: f64,
}

impl Default for VirtualRows {
    fn default() -> VirtualRows {
        VirtualRows {
            row_height: 28.0,
            overscan: 10,
            max_rows: 200,
        }
    }
}

impl VirtualRows {
    /// The rows to render when the list is scrolled to `scroll_top` in a viewport
    /// `viewport_height` pixels tall and holds `row_count` rows.
    ///
    /// Negative, NaN or infinite scroll offsets and heights are read as 0 (an infinite height as
    /// "as tall as allowed"); an offset past the end shows the last screenful. When the visible
    /// rows plus overscan exceed [`VirtualRows::max_rows`], the overscan is cut first, then rows at
    /// the bottom of the viewport. O(1).
    pub fn window(&self, scroll_top: f64, viewport_height: f64, row_count: usize) -> RowWindow {
        let h = self.height();
        let total = row_count as f64 * h;
        let viewport = finite_or_zero(viewport_height, total);
        // The furthest a browser lets the list scroll.
        let max_scroll = (total - viewport).max(0.0);
        let scroll = finite_or_zero(scroll_top, max_scroll).min(max_scroll);

        // Float → usize casts saturate (and NaN is 0), so huge values cannot wrap.
        let first_visible = ((scroll / h).floor() as usize).min(row_count);
        let end_visible =
            (((scroll + viewport) / h).ceil() as usize).clamp(first_visible, row_count);

        let start = first_visible.saturating_sub(self.overscan);
        let end = end_visible.saturating_add(self.overscan).min(row_count);
        let (start, end) = if end - start <= self.max_rows {
            (start, end)
        } else if end_visible - first_visible <= self.max_rows {
            // Share what is left of the budget between the two edges, above first.
            let spare = self.max_rows - (end_visible - first_visible);
            let above = (first_visible - start).min(spare.div_ceil(2));
            let below = (end - end_visible).min(spare - above);
            let above = (first_visible - start).min(spare - below);
            (first_visible - above, end_visible + below)
        } else {
            (first_visible, first_visible + self.max_rows)
        };
        RowWindow {
            start,
            end,
            top: start as f64 * h,
            bottom: (row_count - end) as f64 * h,
            total,
        }
    }

    /// The scroll offset that brings row `index` into view from `scroll_top` with the least
    /// movement (for "go to first failure" and keyboard navigation): unchanged when the row is
    /// already fully visible, top-aligned when it is above, bottom-aligned when below.
    pub fn scroll_to(&self, index: usize, scroll_top: f64, viewport_height: f64) -> f64 {
        let h = self.height();
        let top = index as f64 * h;
        let viewport = finite_or_zero(viewport_height, f64::MAX);
        let scroll = finite_or_zero(scroll_top, f64::MAX);
        // A row taller than the viewport shows its top.
        if top < scroll || (top + h > scroll + viewport && h >= viewport) {
            top
        } else if top + h > scroll + viewport {
            top + h - viewport
        } else {
            scroll
        }
    }

    fn height(&self) -> f64 {
        if self.row_height.is_finite() && self.row_height > 0.0 {
            self.row_height
        } else {
            1.0
        }
    }
}

/// `x` when it is a non-negative finite number, `infinity` for +∞, else 0.
fn finite_or_zero(x: f64, infinity: f64) -> f64 {
    if x == f64::INFINITY {
        infinity
    } else if x.is_finite() && x > 0.0 {
        x
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(row_height: f64, overscan: usize, max_rows: usize) -> VirtualRows {
        VirtualRows {
            row_height,
            overscan,
            max_rows,
        }
    }

    /// The invariants every window keeps, whatever the inputs.
    fn check(v: VirtualRows, scroll: f64, viewport: f64, count: usize) -> RowWindow {
        let w = v.window(scroll, viewport, count);
        let ctx = format!("{v:?} scroll={scroll} viewport={viewport} count={count}: {w:?}");
        assert!(w.start <= w.end && w.end <= count, "{ctx}");
        assert!(w.end - w.start <= v.max_rows, "{ctx}");
        assert!(w.top >= 0.0 && w.bottom >= 0.0 && w.total >= 0.0, "{ctx}");
        let h = v.height();
        let sum = w.top + (w.end - w.start) as f64 * h + w.bottom;
        // Only absurd inputs (rows of f64::MAX pixels) overflow the total to infinity.
        if w.total.is_finite() {
            assert!((sum - w.total).abs() <= w.total * 1e-12 + 1e-9, "{ctx}");
        }
        assert_eq!(w.total, count as f64 * h, "{ctx}");
        w
    }

    #[test]
    fn top_of_a_long_list() {
        let w = check(rows(20.0, 5, 200), 0.0, 400.0, 50_000);
        assert_eq!((w.start, w.end), (0, 25), "20 visible and 5 below");
        assert_eq!(
            (w.top, w.bottom, w.total),
            (0.0, (50_000 - 25) as f64 * 20.0, 1e6)
        );
    }

    #[test]
    fn middle_and_end() {
        let w = check(rows(20.0, 5, 200), 10_010.0, 400.0, 50_000);
        // Row 500 is partly hidden at the top; rows up to 520 show at the bottom.
        assert_eq!((w.start, w.end), (495, 526));
        assert_eq!(w.top, 495.0 * 20.0);
        let w = check(rows(20.0, 5, 200), 1e12, 400.0, 50_000);
        assert_eq!(
            (w.start, w.end),
            (49_975, 50_000),
            "past the end shows the last screen"
        );
        assert_eq!(w.bottom, 0.0);
    }

    #[test]
    fn short_lists_render_whole() {
        let w = check(rows(20.0, 5, 200), 0.0, 400.0, 3);
        assert_eq!((w.start, w.end, w.bottom), (0, 3, 0.0));
        let w = check(rows(20.0, 5, 200), 50.0, 400.0, 0);
        assert_eq!((w.start, w.end, w.total), (0, 0, 0.0));
    }

    #[test]
    fn the_budget_cuts_overscan_then_the_bottom() {
        // 300 px viewport of 1 px rows: 300 visible, cut to 200 from the first visible row.
        let w = check(rows(1.0, 50, 200), 1_000.0, 300.0, 10_000);
        assert_eq!((w.start, w.end), (1_000, 1_200));
        // 180 visible, 20 spare: 10 above and 10 below.
        let w = check(rows(1.0, 50, 200), 1_000.0, 180.0, 10_000);
        assert_eq!((w.start, w.end), (990, 1_190));
        // At the top nothing fits above, so the spare goes below.
        let w = check(rows(1.0, 50, 200), 0.0, 180.0, 10_000);
        assert_eq!((w.start, w.end), (0, 200));
    }

    #[test]
    fn hostile_inputs() {
        let nasty = [
            0.0,
            -1.0,
            -1e300,
            1e-300,
            0.5,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN_POSITIVE,
        ];
        let counts = [0, 1, 2, 199, 200, 201, 50_000, usize::MAX / 2, usize::MAX];
        for &h in &nasty {
            for &scroll in &nasty {
                for &viewport in &nasty {
                    for &count in &counts {
                        for (overscan, max) in [(0, 200), (10, 200), (usize::MAX, 200), (5, 0)] {
                            check(rows(h, overscan, max), scroll, viewport, count);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn pseudo_random_inputs_keep_the_invariants() {
        // A small linear congruential generator: deterministic, no dependency.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state >> 11
        };
        for _ in 0..20_000 {
            let count = (next() % 100_000) as usize;
            let h = (next() % 64) as f64 + 0.5;
            let viewport = (next() % 5_000) as f64;
            let scroll = (next() % 4_000_000) as f64 - 1_000.0;
            let v = rows(h, (next() % 40) as usize, (next() % 300) as usize);
            let w = check(v, scroll, viewport, count);
            // The rows on screen are rendered whenever the budget allows them all.
            let visible = (viewport / h).ceil() as usize + 1;
            if visible <= v.max_rows && count > 0 {
                let max_scroll = (count as f64 * h - viewport).max(0.0);
                let s = scroll.clamp(0.0, max_scroll);
                let first = ((s / h).floor() as usize).min(count);
                let last = (((s + viewport) / h).ceil() as usize).min(count);
                assert!(
                    w.start <= first && last <= w.end,
                    "{v:?} {scroll} {viewport} {count} {w:?}"
                );
            }
        }
    }

    #[test]
    fn scroll_to_moves_the_least() {
        let v = rows(20.0, 0, 200);
        assert_eq!(v.scroll_to(10, 0.0, 400.0), 0.0, "already visible");
        assert_eq!(v.scroll_to(30, 0.0, 400.0), 220.0, "bottom-aligned");
        assert_eq!(v.scroll_to(2, 400.0, 400.0), 40.0, "top-aligned");
        assert_eq!(v.scroll_to(0, f64::NAN, f64::NAN), 0.0);
    }
}
