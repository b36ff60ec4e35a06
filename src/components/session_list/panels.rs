//! Facets and the histogram over what is shown, both written as escaped HTML text
//! (`list::html`), and the drag across the histogram that narrows the range.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::list::html::escape_to_string;
use crate::list::{running_over_time, FacetIndex, Facets, Histogram, RangeSpec};

use super::region::Region;
use super::{range, All, List, Shown};

/// Buckets in the histogram.
const BUCKETS: usize = 120;
/// Values per text facet.
const FACET_VALUES: usize = 6;
/// A drag shorter than this (px) is a click, not a range.
const MIN_DRAG_PX: f64 = 3.0;

pub(super) fn facet_counts(
    sessions: StoredValue<All>,
    facet_index: StoredValue<Option<FacetIndex>>,
    shown: Memo<Shown>,
) -> Memo<Facets> {
    Memo::new(move |_| {
        shown.with(|s| {
            sessions.with_value(|all| {
                // Built by the first count of some rows (a long list's first count has none:
                // its rows come first, see `settle`); no rows count the same without it.
                let unbuilt = facet_index.with_value(Option::is_none);
                if unbuilt && s.0.is_empty() {
                    return crate::list::facets::facets(all, &[], FACET_VALUES);
                }
                if unbuilt {
                    facet_index.set_value(Some(FacetIndex::new(all)));
                }
                facet_index.with_value(|fx| {
                    fx.as_ref()
                        .map(|fx| fx.facets(all, &s.0, FACET_VALUES))
                        .unwrap_or_default()
                })
            })
        })
    })
}

/// Sessions running over the range (or the whole list's span), by status.
pub(super) fn histogram(
    sessions: StoredValue<All>,
    shown: Memo<Shown>,
    range_us: Memo<Option<(i64, i64)>>,
    now: RwSignal<i64>,
) -> Memo<Option<Histogram>> {
    Memo::new(move |_| {
        // Tracked first: a long list's extent is found just before its first count.
        shown.track();
        let extent = sessions.with_value(|all| all.extent_found().flatten());
        let range = range_us.get().or(extent.map(|e| e.span))?;
        Some(shown.with(|s| {
            sessions
                .with_value(|all| running_over_time(all, &s.0, range, BUCKETS, now.get_untracked()))
        }))
    })
}

pub(super) fn draw_facets(l: List) {
    let mut drawn = None;
    crate::components::effect(move |_| {
        let mounted = l.root.get().is_some();
        // A job's name is its first session's (the top jobs are the most frequent: found early).
        let job_name = |key: &str| {
            l.sessions.with_value(|all| {
                let first = all.iter().find(|s| s.job.as_deref() == Some(key))?;
                first.name.clone()
            })
        };
        let html = l.facet_counts.with(|f| {
            l.parsed
                .with(|(q, _)| crate::list::html::facets(f, q, &job_name))
        });
        // A keystroke reparses the query; the facets are written again only when they changed
        // (their counts follow in a task of their own on a long list).
        if drawn.as_ref() != Some(&(mounted, html.clone())) {
            l.set_html(Region::Facets, &html);
            drawn = Some((mounted, html));
        }
    });
}

pub(super) fn draw_histogram(l: List) {
    crate::components::effect(move |_| {
        let _ = l.root.get();
        let z = l.times.get();
        // Until a long list's first count (which finds the extent first), the chart keeps its
        // place, so that the rows do not move when it is drawn, and says what it waits for.
        let extent = l.sessions.with_value(All::extent_found);
        let counted = extent.is_some();
        if !counted {
            l.settled.track();
        }
        l.hist.with(|h| {
            l.set_attr(Region::Histogram, "hidden", (counted && h.is_none()).then_some(""));
            if !counted {
                l.set_html(Region::Caption, "Counting the sessions over time…");
                return;
            }
            let Some(h) = h else { return };
            let span = format!("{} – {}", z.show(h.from), z.show(h.to));
            l.set_html(Region::Bars, &crate::list::html::histogram(h));
            if let Some(bars) = l.find(Region::Bars) {
                crate::components::cssom::apply(&bars);
            }
            l.set_attr(
                Region::Chart,
                "aria-label",
                Some(&format!("Sessions running over time, {span}; drag across the chart to narrow the time range")),
            );
            let mut caption = escape_to_string(&format!(
                "{span} · tallest bar: {} sessions running",
                h.max_total()
            ));
            // Far outliers left out of the chart (no range chosen): say so, and how to see them.
            // Untracked: a range chosen or cleared changes the histogram itself, which redraws
            // this; a keystroke, which changes the state too, does not.
            let ranged = l.state.with_untracked(|s| s.range.is_some());
            if let Some(e) = extent.flatten().filter(|e| !ranged && e.before + e.after > 0) {
                let side = |n: usize, word: &str, at: i64| {
                    (n > 0).then(|| format!("{n} {} {word} {}", noun(n), z.show(at)))
                };
                let parts: Vec<String> = [
                    side(e.before, "before", e.span.0),
                    side(e.after, "after", e.span.1),
                ]
                .into_iter()
                .flatten()
                .collect();
                caption.push_str(r#"<br><span class="sl-outside">"#);
                caption.push_str(&escape_to_string(&format!(
                    "Not shown in the chart: {}. ",
                    parts.join(" and ")
                )));
                caption.push_str(&super::markup::whole_span_button());
                caption.push_str("</span>");
            }
            l.set_html(Region::Caption, &caption);
        });
    });
}

fn noun(n: usize) -> &'static str {
    if n == 1 {
        "session"
    } else {
        "sessions"
    }
}

/// The pointer's x within the chart, the chart's width, and the chart.
fn chart_x(l: List, ev: &web_sys::PointerEvent) -> Option<(f64, f64, web_sys::Element)> {
    let el = l.find(Region::Chart)?;
    let rect = el.get_bounding_client_rect();
    Some((f64::from(ev.client_x()) - rect.left(), rect.width(), el))
}

fn show_drag(l: List, a: f64, b: f64) {
    l.set_attr(Region::Drag, "hidden", None);
    l.set_style(
        Region::Drag,
        &format!(
            "left:{}px;width:{}px",
            a.min(b) as i32,
            (a - b).abs() as i32
        ),
    );
}

/// A drag across the histogram starts (the pointer is captured, so its end is seen even
/// outside the chart).
pub(super) fn on_pointerdown(l: List, ev: web_sys::PointerEvent) {
    let in_chart = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest(Region::Chart.selector()).ok().flatten())
        .is_some();
    if !in_chart {
        return;
    }
    if let Some((x, _, el)) = chart_x(l, &ev) {
        let _ = el.set_pointer_capture(ev.pointer_id());
        l.drag.set_value(Some(x));
        show_drag(l, x, x);
    }
}

pub(super) fn on_pointermove(l: List, ev: web_sys::PointerEvent) {
    if let (Some(a), Some((x, _, _))) = (l.drag.get_value(), chart_x(l, &ev)) {
        show_drag(l, a, x);
    }
}

/// The drag ends: the span dragged across becomes the range.
pub(super) fn on_pointerup(l: List, ev: web_sys::PointerEvent) {
    let Some(a) = l.drag.get_value() else { return };
    l.drag.set_value(None);
    l.set_attr(Region::Drag, "hidden", Some(""));
    if let Some((x, w, _)) = chart_x(l, &ev) {
        if (x - a).abs() >= MIN_DRAG_PX {
            if let Some((from, to)) = l
                .hist
                .with_untracked(|h| h.as_ref().and_then(|h| h.range_at(a, x, w)))
            {
                range::set_range(l, Some(RangeSpec::Absolute { from, to }));
            }
        }
    }
}
