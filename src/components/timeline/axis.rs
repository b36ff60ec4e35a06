//! The timeline's layout maths: a time range mapped onto [0, 1], bars and ticks on it, and the
//! zoomed window (viewport) over it. Pure, so that it is tested natively and the component only
//! draws.

use crate::format::duration_words;
use crate::model::Duration;

/// Bars never get narrower than this share of the axis, so that instant steps stay visible.
pub const MIN_BAR: f64 = 0.004;

/// A time range (microseconds since the epoch) drawn across the width of the timeline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    start: i64,
    end: i64,
}

/// A bar's place on the axis, as shares of its width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub left: f64,
    pub width: f64,
}

/// A labelled mark on the axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// Share of the axis width.
    pub at: f64,
    /// Time since the axis start, in words.
    pub label: String,
}

/// Tick spacings to choose from, in microseconds: 1-2-5 steps, then clock-friendly ones.
const STEPS: [i64; 30] = [
    1,
    10,
    100,
    1_000,
    2_000,
    5_000,
    10_000,
    20_000,
    50_000,
    100_000,
    200_000,
    500_000,
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
    21_600_000_000,
    43_200_000_000,
    86_400_000_000,
    604_800_000_000,
];

impl Axis {
    /// An axis from `start` to `end`. An empty or reversed range becomes one millisecond wide, so
    /// that a log whose steps all happened at once still draws.
    pub fn new(start: i64, end: i64) -> Axis {
        let end = if end > start {
            end
        } else {
            start.saturating_add(1_000)
        };
        Axis { start, end }
    }

    pub fn span(&self) -> Duration {
        Duration::from_micros(self.end - self.start)
    }

    /// The first instant on the axis (µs since the epoch).
    pub fn start(&self) -> i64 {
        self.start
    }

    /// The last instant on the axis (µs since the epoch).
    pub fn end(&self) -> i64 {
        self.end
    }

    /// Where `t` falls, as a share of the width, clamped to [0, 1].
    pub fn fraction(&self, t: i64) -> f64 {
        let span = (self.end - self.start) as f64;
        ((t.saturating_sub(self.start)) as f64 / span).clamp(0.0, 1.0)
    }

    /// The bar for the interval `[from, to]`: at least [`MIN_BAR`] wide, and kept inside the axis.
    pub fn bar(&self, from: i64, to: i64) -> Bar {
        let (a, b) = (self.fraction(from), self.fraction(to.max(from)));
        let width = (b - a).max(MIN_BAR);
        let left = a.min(1.0 - width).max(0.0);
        Bar { left, width }
    }

    /// The bar for `[from, to]` when any of it lies on the axis, else `None`: what a zoomed
    /// timeline draws, omitting steps wholly outside its window and clipping the others to it.
    pub fn bar_in_view(&self, from: i64, to: i64) -> Option<Bar> {
        (to.max(from) >= self.start && from <= self.end).then(|| self.bar(from, to))
    }

    /// Ticks at a round spacing from the axis start, at most `max_ticks` + 1 of them.
    pub fn ticks(&self, max_ticks: usize) -> Vec<Tick> {
        self.ticks_from(self.start, max_ticks)
    }

    /// Ticks at round multiples of a step counted from `origin` (the session's start, when the
    /// axis is a zoomed window of it), labelled with the time since `origin`; at most
    /// `max_ticks` + 1 of them, all on the axis.
    pub fn ticks_from(&self, origin: i64, max_ticks: usize) -> Vec<Tick> {
        let span = self.end - self.start;
        let max_ticks = max_ticks.max(1) as i64;
        let step = STEPS
            .iter()
            .copied()
            .find(|s| span / s <= max_ticks)
            .unwrap_or_else(|| span / max_ticks + 1);
        // The first multiple of `step` (from `origin`) at or after the axis start.
        let first = self.start.saturating_sub(origin).div_euclid(step)
            + i64::from(self.start.saturating_sub(origin).rem_euclid(step) != 0);
        (0..=span / step)
            .map(|i| first.saturating_add(i).saturating_mul(step))
            .map(|offset| (offset, origin.saturating_add(offset)))
            .take_while(|&(_, t)| t <= self.end)
            .map(|(offset, t)| Tick {
                at: (t - self.start) as f64 / span as f64,
                label: if offset == 0 {
                    "0".to_string()
                } else {
                    duration_words(Duration::from_micros(offset))
                },
            })
            .collect()
    }
}

/// The narrowest window zooming may reach: one millisecond.
pub const MIN_VIEW_US: i64 = 1_000;
/// One key press or zoom button zooms by this factor, about the window's centre.
pub const KEY_ZOOM: f64 = 1.5;
/// An arrow key pans by this share of the window.
pub const KEY_PAN: f64 = 0.1;
/// Page Up / Page Down pan by this share of the window, keeping a little of it in view.
pub const PAGE_PAN: f64 = 0.9;
/// Zoom per pixel of wheel movement: `exp(-delta_y × this)`, so that a notch of 100 px is ≈ 1.2×.
pub const WHEEL_ZOOM_PER_PX: f64 = 0.002;

/// The zoomed window over a log's full time range: what the main timeline shows, and the
/// highlighted part of the overview strip.
///
/// Positions are kept as fractional microseconds from the full range's start, so that zooming in
/// and back out by the same factor about the same anchor returns to the same window; the
/// accessors round to whole microseconds. Every operation keeps the window inside the full range
/// and at least [`MIN_VIEW_US`] wide (or the whole range, if that is narrower), and ignores NaN
/// and infinite inputs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    full: Axis,
    /// Offset of the window's start from `full.start`, in µs.
    offset: f64,
    /// Width of the window, in µs.
    width: f64,
}

/// Keyboard commands for the timeline's zoom and pan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewKey {
    ZoomIn,
    ZoomOut,
    Left,
    Right,
    PageLeft,
    PageRight,
    /// To the start of the log, keeping the zoom.
    Start,
    /// To the end of the log, keeping the zoom.
    End,
    /// The whole log.
    Reset,
}

impl ViewKey {
    /// The command for a `KeyboardEvent.key` value: `+`/`=` and `-`/`_` zoom, arrows and
    /// Page Up/Down pan, Home/End go to either end, `0` shows the whole log.
    pub fn from_key(key: &str) -> Option<ViewKey> {
        Some(match key {
            "+" | "=" => ViewKey::ZoomIn,
            "-" | "_" => ViewKey::ZoomOut,
            "ArrowLeft" => ViewKey::Left,
            "ArrowRight" => ViewKey::Right,
            "PageUp" => ViewKey::PageLeft,
            "PageDown" => ViewKey::PageRight,
            "Home" => ViewKey::Start,
            "End" => ViewKey::End,
            "0" => ViewKey::Reset,
            _ => return None,
        })
    }
}

/// The zoom factor for a wheel movement of `delta_y` pixels (`WheelEvent.deltaY` in pixel mode):
/// wheel up (negative) zooms in. Capped to 4× either way per event; 1 for non-finite input.
pub fn wheel_zoom(delta_y: f64) -> f64 {
    if delta_y.is_finite() {
        (-delta_y * WHEEL_ZOOM_PER_PX).exp().clamp(0.25, 4.0)
    } else {
        1.0
    }
}

/// `px` pixels into a strip `width_px` wide, as a share of its width in [0, 1] (0 for a strip
/// with no width): the anchor of a wheel zoom, or a click or drag on the overview strip.
pub fn px_fraction(px: f64, width_px: f64) -> f64 {
    if width_px.is_finite() && width_px > 0.0 && !px.is_nan() {
        (px / width_px).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

impl Viewport {
    /// The whole of `[start, end]` (normalised as by [`Axis::new`]).
    pub fn new(start: i64, end: i64) -> Viewport {
        let full = Axis::new(start, end);
        Viewport {
            full,
            offset: 0.0,
            width: full.span().micros() as f64,
        }
    }

    /// The window as an axis, for the main timeline's bars ([`Axis::bar_in_view`]) and ticks
    /// ([`Axis::ticks_from`] with the full start as origin).
    pub fn axis(&self) -> Axis {
        Axis::new(self.start(), self.end())
    }

    /// The full range, for the overview strip.
    pub fn full(&self) -> Axis {
        self.full
    }

    /// The window's first instant (µs since the epoch).
    pub fn start(&self) -> i64 {
        self.full.start.saturating_add(self.offset.round() as i64)
    }

    /// The window's last instant (µs since the epoch).
    pub fn end(&self) -> i64 {
        let end = self
            .full
            .start
            .saturating_add((self.offset + self.width).round() as i64);
        end.min(self.full.end)
    }

    /// Whether the whole range is shown (no zoom).
    pub fn is_whole(&self) -> bool {
        self.offset <= 0.0 && self.width >= self.full_width()
    }

    /// Zooms in by `factor` (> 1; below 1 zooms out) keeping the instant at `anchor` — a share of
    /// the window's width, e.g. where the pointer is — at the same place on screen, unless the
    /// window would leave the full range or pass the minimum width.
    pub fn zoom(self, factor: f64, anchor: f64) -> Viewport {
        if !factor.is_finite() || factor <= 0.0 {
            return self;
        }
        let anchor = if anchor.is_finite() {
            anchor.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let at = self.offset + anchor * self.width;
        let width = self.clamp_width(self.width / factor);
        self.place(at - anchor * width, width)
    }

    /// Moves the window by `fraction` of its width (positive: later), stopping at either end.
    pub fn pan(self, fraction: f64) -> Viewport {
        if !fraction.is_finite() {
            return self;
        }
        self.place(self.offset + fraction * self.width, self.width)
    }

    /// The window `[start, end]` (µs since the epoch), clamped into the full range; one narrower
    /// than the minimum widens about its centre.
    pub fn show(self, start: i64, end: i64) -> Viewport {
        let (a, b) = (start.min(end), start.max(end));
        let from = a.saturating_sub(self.full.start) as f64;
        let to = b.saturating_sub(self.full.start) as f64;
        self.centred(from, to)
    }

    /// What a key does.
    pub fn key(self, key: ViewKey) -> Viewport {
        match key {
            ViewKey::ZoomIn => self.zoom(KEY_ZOOM, 0.5),
            ViewKey::ZoomOut => self.zoom(1.0 / KEY_ZOOM, 0.5),
            ViewKey::Left => self.pan(-KEY_PAN),
            ViewKey::Right => self.pan(KEY_PAN),
            ViewKey::PageLeft => self.pan(-PAGE_PAN),
            ViewKey::PageRight => self.pan(PAGE_PAN),
            ViewKey::Start => self.place(0.0, self.width),
            ViewKey::End => self.place(self.full_width(), self.width),
            ViewKey::Reset => Viewport::new(self.full.start, self.full.end),
        }
    }

    /// The window's place on the overview strip, as shares of the strip's width.
    pub fn overview(&self) -> Bar {
        let full = self.full_width();
        Bar {
            left: (self.offset / full).clamp(0.0, 1.0),
            width: (self.width / full).clamp(0.0, 1.0),
        }
    }

    /// Centres the window on `fraction` of the overview strip (a click on it), keeping the zoom.
    pub fn centre_on(self, fraction: f64) -> Viewport {
        if !fraction.is_finite() {
            return self;
        }
        self.place(fraction * self.full_width() - self.width / 2.0, self.width)
    }

    /// Moves the window by `delta` of the overview strip's width (dragging the highlighted part).
    pub fn drag(self, delta: f64) -> Viewport {
        if !delta.is_finite() {
            return self;
        }
        self.place(self.offset + delta * self.full_width(), self.width)
    }

    /// The window between two shares of the overview strip (a brush drawn on it), in either order.
    pub fn select(self, from: f64, to: f64) -> Viewport {
        if !from.is_finite() || !to.is_finite() {
            return self;
        }
        let full = self.full_width();
        let (a, b) = (from.min(to).clamp(0.0, 1.0), from.max(to).clamp(0.0, 1.0));
        self.centred(a * full, b * full)
    }

    /// The same window over a new full range (a running log grew): a window showing the whole
    /// range or touching its end keeps doing so, so that the live edge stays in view; any other
    /// window stays on the same instants.
    pub fn regrow(self, start: i64, end: i64) -> Viewport {
        let grown = Viewport::new(start, end);
        if self.is_whole() {
            grown
        } else if self.end() >= self.full.end {
            grown.place(grown.full_width(), self.width)
        } else {
            grown.show(self.start(), self.end())
        }
    }

    fn full_width(&self) -> f64 {
        (self.full.end - self.full.start) as f64
    }

    fn clamp_width(&self, width: f64) -> f64 {
        let full = self.full_width();
        // `max`/`min`, not `clamp`: with bounds not known at compile time, `f64::clamp` keeps its
        // panic message, which brings Rust's float formatting (≈ 5 KB brotli) into the wasm.
        width.max((MIN_VIEW_US as f64).min(full)).min(full)
    }

    /// The window `[from, to]` (offsets), widened about its centre to the minimum width.
    fn centred(self, from: f64, to: f64) -> Viewport {
        let width = self.clamp_width(to - from);
        self.place((from + to) / 2.0 - width / 2.0, width)
    }

    /// The window of `width` starting at `offset`, slid inside the full range.
    fn place(self, offset: f64, width: f64) -> Viewport {
        if offset.is_nan() || width.is_nan() {
            return self;
        }
        let width = self.clamp_width(width);
        Viewport {
            offset: offset.min(self.full_width() - width).max(0.0),
            width,
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000;

    #[test]
    fn fraction_maps_the_range_onto_unit_width() {
        let axis = Axis::new(100 * S, 200 * S);
        assert_eq!(axis.fraction(100 * S), 0.0);
        assert_eq!(axis.fraction(150 * S), 0.5);
        assert_eq!(axis.fraction(200 * S), 1.0);
        assert_eq!(axis.fraction(0), 0.0, "clamped before");
        assert_eq!(axis.fraction(i64::MAX), 1.0, "clamped after");
        assert_eq!(axis.span(), Duration::from_micros(100 * S));
    }

    #[test]
    fn empty_range_is_one_millisecond() {
        let axis = Axis::new(5, 5);
        assert_eq!(axis.span(), Duration::from_millis(1));
        assert_eq!(Axis::new(10, 0).span(), Duration::from_millis(1));
    }

    #[test]
    fn bars_have_a_minimum_width_and_stay_inside() {
        let axis = Axis::new(0, 1000 * S);
        assert_eq!(
            axis.bar(250 * S, 750 * S),
            Bar {
                left: 0.25,
                width: 0.5
            }
        );
        assert_eq!(
            axis.bar(500 * S, 500 * S),
            Bar {
                left: 0.5,
                width: MIN_BAR
            }
        );
        let last = axis.bar(1000 * S, 1000 * S);
        assert!(
            (last.left + last.width - 1.0).abs() < 1e-12,
            "an instant at the very end is pulled inside"
        );
        assert_eq!(
            axis.bar(600 * S, 100 * S),
            Bar {
                left: 0.6,
                width: MIN_BAR
            },
            "reversed"
        );
    }

    #[test]
    fn seed_log_bars() {
        // The seed's first step starts the axis and its "Processing" step ends it (19:12:00.514619 → 19:22:46.807221).
        let start = 1_592_680_320_514_619;
        let end = start + 646_292_602;
        let axis = Axis::new(start, end);
        let processing = axis.bar(start + 3_646_978, start + 613_334_716);
        assert!((processing.left - 0.005643).abs() < 1e-5, "{processing:?}");
        assert!((processing.width - 0.943357).abs() < 1e-5, "{processing:?}");
    }

    #[test]
    fn ticks_use_round_steps() {
        let ticks = Axis::new(0, 646 * S).ticks(8);
        let labels: Vec<&str> = ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0", "2 min", "4 min", "6 min", "8 min", "10 min"]);
        assert!(ticks.iter().all(|t| (0.0..=1.0).contains(&t.at)));
        let fine = Axis::new(0, 3_000).ticks(4);
        assert_eq!(
            fine.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(),
            ["0", "1 ms", "2 ms", "3 ms"]
        );
        let long = Axis::new(0, 400 * 86_400 * S).ticks(5);
        assert!(long.len() <= 6, "{}", long.len());
    }

    // Viewport: zoom, pan and the overview strip.

    /// A 1000-second log starting at second 100.
    fn view() -> Viewport {
        Viewport::new(100 * S, 1100 * S)
    }

    /// The instant at `fraction` of the window.
    fn instant_at(v: &Viewport, fraction: f64) -> f64 {
        v.start() as f64 + fraction * (v.end() - v.start()) as f64
    }

    /// What every viewport keeps, whatever was done to it.
    fn check_view(v: &Viewport) {
        let (full, w) = (v.full(), v.end() - v.start());
        assert!(v.start() >= full.start() && v.end() <= full.end(), "{v:?}");
        assert!(w >= MIN_VIEW_US.min(full.end() - full.start()), "{v:?}");
        let o = v.overview();
        assert!(
            o.left >= 0.0 && o.width >= 0.0 && o.left + o.width <= 1.0 + 1e-9,
            "{v:?}"
        );
    }

    #[test]
    fn a_new_viewport_shows_everything() {
        let v = view();
        assert!(v.is_whole());
        assert_eq!((v.start(), v.end()), (100 * S, 1100 * S));
        assert_eq!(v.axis(), v.full());
        assert_eq!(
            v.overview(),
            Bar {
                left: 0.0,
                width: 1.0
            }
        );
        let empty = Viewport::new(7, 7);
        assert_eq!(
            empty.end() - empty.start(),
            MIN_VIEW_US,
            "as Axis::new: 1 ms"
        );
    }

    #[test]
    fn zoom_keeps_the_anchor_fixed() {
        for anchor in [0.0, 0.25, 0.5, 0.9, 1.0] {
            let v = view().zoom(4.0, 0.5).pan(0.3);
            let before = instant_at(&v, anchor);
            let z = v.zoom(2.0, anchor);
            assert!(
                (instant_at(&z, anchor) - before).abs() <= 1.0,
                "{anchor}: {v:?} {z:?}"
            );
            assert_eq!(z.end() - z.start(), (v.end() - v.start()) / 2);
            check_view(&z);
        }
    }

    #[test]
    fn zoom_in_then_out_returns() {
        let start = view().zoom(3.0, 0.2);
        for (factor, anchor) in [(2.0, 0.5), (10.0, 0.1), (1.37, 0.77), (1000.0, 0.5)] {
            let back = start.zoom(factor, anchor).zoom(1.0 / factor, anchor);
            assert!(
                (back.start() - start.start()).abs() <= 1,
                "{factor}: {back:?}"
            );
            assert!((back.end() - start.end()).abs() <= 1, "{factor}: {back:?}");
        }
        let whole = view().zoom(5.0, 0.3).zoom(0.2, 0.3);
        assert!(whole.is_whole(), "{whole:?}");
    }

    #[test]
    fn zoom_and_pan_clamp_to_the_range_and_the_minimum_width() {
        let v = view().zoom(1e12, 0.5);
        assert_eq!(v.end() - v.start(), MIN_VIEW_US);
        assert_eq!(v.start(), 600 * S - MIN_VIEW_US / 2, "about the anchor");
        assert!(
            view().zoom(0.001, 0.5).is_whole(),
            "cannot zoom out past everything"
        );
        let z = view().zoom(10.0, 0.5);
        let right = z.pan(1e9);
        assert_eq!(
            (right.end(), right.end() - right.start()),
            (1100 * S, 100 * S)
        );
        let left = z.pan(-10.0);
        assert_eq!((left.start(), left.end()), (100 * S, 200 * S));
        assert_eq!(z.pan(0.5).start(), z.start() + 50 * S);
        // Nonsense leaves the window alone.
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -2.0] {
            assert_eq!(z.zoom(bad, 0.5), z, "{bad}");
        }
        assert_eq!(z.pan(f64::NAN), z);
        assert_eq!(
            z.zoom(2.0, f64::NAN),
            z.zoom(2.0, 0.5),
            "an unknown anchor is the centre"
        );
    }

    #[test]
    fn keys() {
        let z = view().zoom(10.0, 0.5);
        assert_eq!(ViewKey::from_key("+"), Some(ViewKey::ZoomIn));
        assert_eq!(ViewKey::from_key("ArrowLeft"), Some(ViewKey::Left));
        assert_eq!(ViewKey::from_key("a"), None);
        assert_eq!(z.key(ViewKey::Right).start(), z.start() + 10 * S);
        assert_eq!(z.key(ViewKey::PageLeft).start(), z.start() - 90 * S);
        assert_eq!(z.key(ViewKey::Start).start(), 100 * S);
        assert_eq!(z.key(ViewKey::End).end(), 1100 * S);
        assert!(z.key(ViewKey::Reset).is_whole());
        let zin = z.key(ViewKey::ZoomIn);
        assert_eq!(zin.end() - zin.start(), 100 * S * 2 / 3);
        let back = zin.key(ViewKey::ZoomOut);
        assert!((back.start() - z.start()).abs() <= 1 && (back.end() - z.end()).abs() <= 1);
    }

    #[test]
    fn the_overview_strip_shows_and_moves_the_window() {
        let z = view().zoom(4.0, 0.0);
        assert_eq!(
            z.overview(),
            Bar {
                left: 0.0,
                width: 0.25
            }
        );
        let c = z.centre_on(px_fraction(300.0, 600.0));
        assert_eq!((c.start(), c.end()), (475 * S, 725 * S));
        assert_eq!(
            c.overview(),
            Bar {
                left: 0.375,
                width: 0.25
            }
        );
        assert_eq!(c.drag(0.1).start(), 575 * S);
        assert_eq!(c.drag(5.0).end(), 1100 * S, "dragged against the end");
        let s = view().select(0.8, 0.6);
        assert_eq!((s.start(), s.end()), (700 * S, 900 * S));
        let tiny = view().select(0.5, 0.5);
        assert_eq!((tiny.start(), tiny.end()), (600 * S - 500, 600 * S + 500));
        assert_eq!(
            view().show(0, 5 * S).start(),
            100 * S,
            "clamped into the range"
        );
        assert_eq!(px_fraction(-5.0, 600.0), 0.0);
        assert_eq!(px_fraction(900.0, 600.0), 1.0);
        assert_eq!(px_fraction(10.0, 0.0), 0.0);
        assert_eq!(px_fraction(f64::NAN, 600.0), 0.0);
    }

    #[test]
    fn wheel_zoom_is_gentle_and_bounded() {
        assert!(
            (wheel_zoom(-100.0) - 0.2f64.exp()).abs() < 1e-12,
            "wheel up zooms in"
        );
        assert!(wheel_zoom(100.0) < 1.0);
        assert_eq!(wheel_zoom(1e9), 0.25);
        assert_eq!(wheel_zoom(-1e9), 4.0);
        assert_eq!(wheel_zoom(f64::NAN), 1.0);
    }

    #[test]
    fn a_growing_log_keeps_the_live_edge_in_view() {
        assert!(view().regrow(100 * S, 2000 * S).is_whole());
        let at_end = view().zoom(10.0, 1.0).regrow(100 * S, 2000 * S);
        assert_eq!((at_end.start(), at_end.end()), (1900 * S, 2000 * S));
        let middle = view().zoom(10.0, 0.5).regrow(100 * S, 2000 * S);
        assert_eq!((middle.start(), middle.end()), (550 * S, 650 * S));
    }

    #[test]
    fn random_operations_keep_the_invariants() {
        let mut state: u64 = 99;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for range in [
            (0, 1),
            (0, 5_000),
            (100 * S, 1100 * S),
            (0, 400 * 86_400 * S),
        ] {
            let mut v = Viewport::new(range.0, range.1);
            for _ in 0..2_000 {
                let (x, y) = (next(), next());
                v = match (next() * 6.0) as u32 {
                    0 => v.zoom((x * 8.0 - 3.0).exp(), y),
                    1 => v.pan(x * 4.0 - 2.0),
                    2 => v.centre_on(x),
                    3 => v.drag(x - 0.5),
                    4 => v.select(x, y),
                    _ => v.key(
                        ViewKey::from_key(["+", "-", "ArrowLeft", "End"][(x * 4.0) as usize % 4])
                            .unwrap_or(ViewKey::Reset),
                    ),
                };
                check_view(&v);
            }
        }
    }

    #[test]
    fn bars_outside_the_window_are_omitted_and_others_clipped() {
        let axis = Axis::new(100 * S, 200 * S);
        assert_eq!(axis.bar_in_view(0, 50 * S), None);
        assert_eq!(axis.bar_in_view(250 * S, 300 * S), None);
        assert_eq!(
            axis.bar_in_view(50 * S, 150 * S),
            Some(Bar {
                left: 0.0,
                width: 0.5
            })
        );
        assert_eq!(
            axis.bar_in_view(0, 1000 * S),
            Some(Bar {
                left: 0.0,
                width: 1.0
            })
        );
        assert!(
            axis.bar_in_view(200 * S, 200 * S).is_some(),
            "an instant on the edge"
        );
        assert!(axis.bar_in_view(99 * S, 99 * S).is_none());
    }

    #[test]
    fn zoomed_ticks_count_from_the_session_start() {
        // A window 5 min 12 s – 5 min 42 s into the session: 10 s steps, aligned on the session.
        let axis = Axis::new(312 * S, 342 * S);
        let labels: Vec<String> = axis.ticks_from(0, 4).into_iter().map(|t| t.label).collect();
        assert_eq!(labels, ["5 min 20 s", "5 min 30 s", "5 min 40 s"]);
        let at: Vec<f64> = axis.ticks_from(0, 4).iter().map(|t| t.at).collect();
        assert_eq!(at, [8.0 / 30.0, 18.0 / 30.0, 28.0 / 30.0]);
        assert_eq!(
            Axis::new(0, 646 * S).ticks_from(0, 8),
            Axis::new(0, 646 * S).ticks(8)
        );
    }
}
