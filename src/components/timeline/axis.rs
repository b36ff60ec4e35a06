//! The timeline's layout maths: a time range mapped onto [0, 1], bars and ticks on it. Pure, so
//! that it is tested natively and the component only draws.

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

    /// Ticks at a round spacing from the axis start, at most `max_ticks` + 1 of them.
    pub fn ticks(&self, max_ticks: usize) -> Vec<Tick> {
        let span = self.end - self.start;
        let max_ticks = max_ticks.max(1) as i64;
        let step = STEPS
            .iter()
            .copied()
            .find(|s| span / s <= max_ticks)
            .unwrap_or_else(|| span / max_ticks + 1);
        (0..=span / step)
            .map(|i| {
                let offset = i * step;
                Tick {
                    at: offset as f64 / span as f64,
                    label: if i == 0 {
                        "0".to_string()
                    } else {
                        duration_words(Duration::from_micros(offset))
                    },
                }
            })
            .collect()
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
}
