//! The session log timeline: one row per entry with its status, start, message, duration, idle
//! time before it and a bar on an axis shared by all rows; zoom and pan over that axis with an
//! overview strip of the whole session; a text and status filter. Only the rows in view are in
//! the DOM (`analysis::virtual_rows`). Layout maths is in [`axis`]; everything else the component
//! draws comes from `crate::analysis`.

pub mod axis;
pub mod diff;
mod dom;
pub mod steps;

use std::sync::Arc;

use leptos::prelude::*;

use crate::analysis::filter::{EntryFilter, FilterIndex};
use crate::analysis::gaps::{gaps, largest_gaps};
use crate::analysis::live::{live_extent, looks_running};
use crate::analysis::overview::density;
use crate::analysis::summary::{summarise, Summary};
use crate::analysis::virtual_rows::VirtualRows;
use crate::components::clipboard::copy_text;
use crate::format::{clip, duration_words, whole_percent};
use crate::list::html::{escape, status_badge};
use crate::model::{Duration, SessionLog};
use axis::{wheel_zoom, ViewKey, Viewport};
use wasm_bindgen::JsCast;

/// Ticks on the axis header, at most.
pub(crate) const MAX_TICKS: usize = 6;
/// Height of every row in CSS pixels; `style/main.css` sets the same (`.tl-row`).
pub const ROW_PX: f64 = 44.0;
/// Slices of the overview strip.
const OVERVIEW_BUCKETS: usize = 120;
/// How many of the longest idle gaps are highlighted.
const LARGEST_GAPS: usize = 5;

/// What every drawn row needs, computed once per log.
pub(crate) struct Rows {
    log: Arc<SessionLog>,
    /// Whether the log looks running: its open entries grow to now (`analysis::live`).
    running: bool,
    gaps: Vec<Option<Duration>>,
    largest: Vec<usize>,
    index: FilterIndex,
}

/// What a redrawn timeline of the same document takes over from the one before (the log page's
/// auto-refresh draws the fetched log anew): the zoomed window, `(start, end, at the live edge)`
/// in µs, and how far the rows were scrolled.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Kept {
    pub window: Option<(i64, i64, bool)>,
    pub scroll_top: f64,
}

/// A whole session log as a timeline. Without `filter`/`on_filter` the filter lives in the
/// component; the log page passes its query string's.
///
/// The component renders a static skeleton once; the rows, spacers, ticks, overview window and
/// the controls' state are written by [`dom::paint`] whenever the state changes (see [`dom`] for
/// why), and events reach the state through one handler per control group.
#[component]
pub fn Timeline(
    log: Arc<SessionLog>,
    #[prop(optional, into)] filter: Option<Signal<EntryFilter>>,
    #[prop(optional)] on_filter: Option<Callback<EntryFilter>>,
    #[prop(optional)] keep: Option<StoredValue<Kept>>,
) -> impl IntoView {
    crate::perf::start("sv:render");
    let local = RwSignal::new(EntryFilter::default());
    let filter: Signal<EntryFilter> = filter.unwrap_or_else(|| local.into());
    let set_filter = move |f: EntryFilter| match on_filter {
        Some(cb) => cb.run(f),
        None => local.set(f),
    };

    let now_us = crate::components::time::now_us();
    let running = looks_running(&log);
    let extents: Vec<Option<(i64, i64)>> = log
        .entries
        .iter()
        .map(|e| live_extent(e, running, now_us))
        .collect();
    let full = extents
        .iter()
        .flatten()
        .copied()
        .reduce(|(s1, e1), (s2, e2)| (s1.min(s2), e1.max(e2)));
    let viewport = full.map(|(s, e)| {
        let whole = Viewport::new(s, e);
        RwSignal::new(match keep.and_then(|k| k.get_value().window) {
            // A window that showed the live edge shows it again, however far the log grew.
            Some((a, b, true)) => whole.show(a, b).key(ViewKey::End),
            Some((a, b, false)) => whole.show(a, b),
            None => whole,
        })
    });
    // While the log runs, "now" moves every second: open entries grow, and so does the axis (a
    // window showing the live edge keeps showing it, see `Viewport::regrow`).
    let now = RwSignal::new(now_us);
    let grows = running
        && log
            .entries
            .iter()
            .any(|e| live_extent(e, true, i64::MAX) != e.extent());
    if let (true, Some((start, end)), Some(vp)) = (grows, full, viewport) {
        let tick = set_interval_with_handle(
            move || {
                let t = crate::components::time::now_us();
                now.set(t);
                vp.update(|v| *v = v.regrow(start, end.max(t)));
            },
            std::time::Duration::from_secs(1),
        );
        if let Ok(tick) = tick {
            on_cleanup(move || tick.clear());
        }
    }
    let gap_list = gaps(&log);
    let largest = largest_gaps(&gap_list, LARGEST_GAPS);
    // The entry in the details panel, and how many chunks of its message are shown.
    let selected = StoredValue::new(None::<(usize, usize)>);
    let overview = full.map(|range| {
        density(
            extents
                .iter()
                .copied()
                .zip(log.entries.iter().map(|e| e.status)),
            range,
            OVERVIEW_BUCKETS,
        )
    });
    // One summary for the counts and the summary's text (each pass is over every entry).
    let summary = summarise(&log, now_us);
    let counts = summary.counts;
    let rows = Arc::new(Rows {
        log: log.clone(),
        running,
        gaps: gap_list,
        largest,
        index: FilterIndex::new(log.clone()),
    });

    // Which entries are shown (the filter), and which of those are in the DOM (the scroll).
    let visible = {
        let rows = rows.clone();
        Memo::new(move |_| {
            Arc::new(filter.with(|f| {
                let mut shown = rows.index.rows(f);
                crate::analysis::filter::keep_step(&rows.log, f, &mut shown);
                shown
            }))
        })
    };
    let layout = VirtualRows {
        row_height: ROW_PX,
        ..VirtualRows::default()
    };
    let root = NodeRef::<leptos::html::Section>::new();
    // (scrollTop, height of the part of the scroller that shows rows), in CSS pixels.
    let scroll = RwSignal::new((0.0, 800.0));
    let remeasure = move |scroller: &web_sys::Element| {
        let size = dom::measure(scroller);
        if let Some(k) = keep {
            k.update_value(|k| k.scroll_top = size.0);
        }
        if scroll.get_untracked() != size {
            scroll.set(size);
        }
    };
    // Bumped when the window is resized: the ticks are fitted to the column's new width.
    let resized = RwSignal::new(0u32);
    let window = Memo::new(move |_| {
        let (top, height) = scroll.get();
        layout.window(top, height, visible.with(|v| v.len()))
    });
    {
        let rows = rows.clone();
        let paint = move |painted: Option<bool>| -> bool {
            resized.track();
            let frame_window = window.get();
            let vp = viewport.map(|v| v.get());
            if let (Some(k), Some(v)) = (keep, vp) {
                let window =
                    (!v.is_whole()).then(|| (v.start(), v.end(), v.end() >= v.full().end()));
                k.update_value(|k| k.window = window);
            }
            let now = now.get();
            let Some(root) = root.get() else {
                return painted.unwrap_or(false);
            };
            filter.with(|f| {
                visible.with(|v| {
                    let matches = f.needle().map(|_| {
                        format!(
                            "{} of {} entries match; {} shown",
                            rows.index.count_matches(f),
                            rows.log.entries.len(),
                            v.len()
                        )
                    });
                    let frame = dom::Frame {
                        shown: v
                            .get(frame_window.start..frame_window.end)
                            .unwrap_or_default(),
                        window: frame_window,
                        viewport: vp,
                        filter: f,
                        matches,
                        now,
                    };
                    dom::paint(&root, &rows, &frame);
                })
            });
            if painted != Some(true) {
                dom::setup(&root, &counts, overview.as_deref());
                // Rows in the DOM, before the page is laid out (as the list's `sv:render`): the
                // ticks below are fitted by measuring them, which lays the page out.
                crate::perf::end("sv:render");
                let rows = rows.clone();
                crate::components::after_paint(move || rows.index.prepare());
            }
            if let Some(v) = vp {
                dom::axis_parts(&root, v);
            }
            if painted != Some(true) {
                // The real viewport height is known once the skeleton is in the page.
                if let Some(s) = dom::find(&root, ".tl-scroll") {
                    if let Some(top) = keep.map(|k| k.get_value().scroll_top) {
                        s.set_scroll_top(top as i32);
                    }
                    remeasure(&s);
                }
            }
            true
        };
        // What the last run returned (`Effect::new`'s previous value, kept here so that the
        // effect goes through `components::effect`'s one instance).
        let mut last: Option<bool> = None;
        crate::components::effect(move |_| last = Some(paint(last)));
    }

    // A resized window: the rows' height is measured again, and the ticks are drawn again for
    // the axis's new width (they are otherwise redrawn only when the shown window of time moves).
    let on_resize = window_event_listener(leptos::ev::resize, move |_| {
        if let Some(root) = root.get_untracked() {
            if let Some(ticks) = dom::find(&root, ".tl-ticks") {
                let _ = ticks.remove_attribute("data-axis");
            }
            if let Some(s) = dom::find(&root, ".tl-scroll") {
                remeasure(&s);
            }
        }
        resized.update(|n| *n = n.wrapping_add(1));
    });
    on_cleanup(move || on_resize.remove());

    let reveal = Callback::new(move |index: usize| {
        let shown = visible.with_untracked(|v| v.binary_search(&index).ok());
        let position = match shown {
            Some(p) => p,
            None => {
                // Hidden by the filter: show everything again, so that every entry is its own row.
                set_filter(EntryFilter {
                    hide: false,
                    statuses: vec![],
                    step: String::new(),
                    ..filter.get_untracked()
                });
                index
            }
        };
        let Some(scroller) = root
            .get_untracked()
            .and_then(|r| dom::find(&r, ".tl-scroll"))
        else {
            return;
        };
        // Measured afresh: the page may have been resized since the last scroll.
        let (top, height) = dom::measure(&scroller);
        let to = layout.scroll_to(position, top, height);
        scroller.set_scroll_top(to as i32);
        scroll.set((to, height));
        request_animation_frame(move || focus_entry(index));
    });

    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        let Some(vp) = viewport
            .filter(|_| (ev.ctrl_key() || ev.meta_key()) && dom::within(ev.target(), ".tl-scroll"))
        else {
            return;
        };
        ev.prevent_default();
        let head = root
            .get_untracked()
            .and_then(|r| dom::find(&r, ".tl-col-bar"));
        let anchor = dom::across(head.map(Into::into), ev.client_x()).map_or(0.5, |(f, _)| f);
        vp.update(|v| *v = v.zoom(wheel_zoom(ev.delta_y()), anchor));
    };
    let on_form = move |ev: leptos::ev::Event| {
        if let Some(f) = dom::filter_event(&ev, &filter.get_untracked()) {
            set_filter(f);
        }
    };
    let (summary, jumps) = summary_html(&log, &summary, &rows);
    // The summary's buttons; row buttons and the details panel's buttons, by their `data-action`.
    let on_click = {
        let rows = rows.clone();
        move |ev: leptos::ev::MouseEvent| {
            let Some(root) = root.get_untracked() else {
                return;
            };
            if let Some(index) = dom::summary_jump(ev.target(), &jumps) {
                reveal.run(index);
                return;
            }
            let Some((action, row)) = dom::clicked(ev.target()) else {
                return;
            };
            let key = match action.as_str() {
                "in" => Some(ViewKey::ZoomIn),
                "out" => Some(ViewKey::ZoomOut),
                "reset" => Some(ViewKey::Reset),
                "left" => Some(ViewKey::PageLeft),
                "right" => Some(ViewKey::PageRight),
                _ => None,
            };
            if let (Some(key), Some(vp)) = (key, viewport) {
                vp.update(|v| *v = v.key(key));
                return;
            }
            let now = match (action.as_str(), row, selected.get_value()) {
                ("details", Some(index), _) => Some((index, 1)),
                ("more", _, Some((index, chunks))) => Some((index, chunks + 1)),
                ("copy", _, Some((index, _))) => {
                    let copied = rows
                        .log
                        .entries
                        .get(index)
                        .is_some_and(|e| copy_text(&e.message));
                    dom::say_copied(&root, copied);
                    return;
                }
                ("close", _, _) => None,
                _ => return,
            };
            selected.set_value(now);
            dom::details(&root, &rows, now);
        }
    };

    // Keys zoom and pan while the axis controls have focus.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(vp) = viewport else { return };
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || !dom::within(ev.target(), ".tl-axis") {
            return;
        }
        if let Some(key) = ViewKey::from_key(&ev.key()) {
            ev.prevent_default();
            vp.update(|v| *v = v.key(key));
        }
    };
    // The pointer's last x while it drags the window on the overview strip.
    let dragging = StoredValue::new(None::<i32>);
    let on_down = move |ev: leptos::ev::PointerEvent| {
        let Some(vp) = viewport else { return };
        let strip = root.get_untracked().and_then(|r| dom::find(&r, ".tl-ov"));
        if !dom::within(ev.target(), ".tl-ov") {
            return;
        }
        let Some((at, _)) = dom::across(strip.map(Into::into), ev.client_x()) else {
            return;
        };
        let window = vp.get_untracked().overview();
        if at < window.left || at > window.left + window.width {
            vp.update(|v| *v = v.centre_on(at));
        }
        dragging.set_value(Some(ev.client_x()));
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        let (Some(vp), Some(last)) = (viewport, dragging.get_value()) else {
            return;
        };
        if ev.buttons() == 0 {
            dragging.set_value(None);
            return;
        }
        let strip = root.get_untracked().and_then(|r| dom::find(&r, ".tl-ov"));
        let Some((_, width)) = dom::across(strip.map(Into::into), ev.client_x()) else {
            return;
        };
        if width > 0.0 {
            let delta = f64::from(ev.client_x() - last);
            vp.update(|v| *v = v.drag(delta / width));
        }
        dragging.set_value(Some(ev.client_x()));
    };

    view! {
        <section
            class="timeline"
            aria-label="Session log timeline"
            node_ref=root
            on:click=crate::components::on(on_click)
            on:input=crate::components::on(on_form)
            on:change=crate::components::on(on_form)
            on:keydown=crate::components::on(on_key)
            on:pointerdown=crate::components::on(on_down)
            on:pointermove=crate::components::on(on_move)
            on:pointerup=crate::components::on(move |_| dragging.set_value(None))
            on:wheel=crate::components::on(on_wheel)
        >
            <section class="tl-overview" aria-label="Summary" inner_html=summary></section>
            <crate::components::skipped::SkippedNotice
                skipped=log.skipped.clone()
                total=log.entries.len() + log.skipped.len()
                noun="entries"
            />
            <div class="tl-controls" inner_html=dom::CONTROLS></div>
            <div
                class="tl-scroll"
                on:scroll=crate::components::on(move |ev: leptos::ev::Event| {
                    if let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                        remeasure(&el);
                    }
                })
                inner_html=dom::TABLE
            ></div>
            <section class="panel tl-details" hidden tabindex="-1"></section>
        </section>
    }
}

/// What the log says at a glance: how long, how it went, where the first problem is, and which
/// steps took the time; as escaped HTML text (drawn once), with the entries its buttons jump to
/// in their order in the "First failure"/"First warning" row (the slowest steps' and idle
/// times' buttons are in an `li` with the entry's `data-entry`; see [`dom::summary_jump`]).
fn summary_html(log: &SessionLog, summary: &Summary, gaps: &Rows) -> (String, Vec<usize>) {
    let mut out = format!(
        "<p class=\"tl-summary\">{} entries over {}{}</p><ul class=\"tl-counts\" aria-label=\"Entries by status\">",
        log.entries.len(),
        duration_words(summary.total),
        if summary.running { " (still running)" } else { "" }
    );
    for (status, n) in summary.counts.present() {
        out.push_str("<li>");
        status_badge(&mut out, status, "");
        out.push_str(&format!(" {n}</li>"));
    }
    out.push_str("</ul><div class=\"actions\">");
    let mut jumps = Vec::new();
    for (label, index) in [
        ("First failure", summary.first_failed),
        ("First warning", summary.first_warning),
    ] {
        if let Some(i) = index {
            jumps.push(i);
            out.push_str(&format!(
                "<button type=\"button\" class=\"button secondary small\">{label}: entry {}</button>",
                i + 1
            ));
        }
    }
    out.push_str("</div><div class=\"tl-lists\">");
    if !summary.slowest.is_empty() {
        out.push_str(
            "<div><h2 class=\"tl-slowest-heading\">Slowest steps</h2><ol class=\"tl-slowest\">",
        );
        for s in &summary.slowest {
            let Some(entry) = log.entries.get(s.index) else {
                continue;
            };
            out.push_str(&format!(
                "<li data-entry=\"{}\"><button type=\"button\" class=\"link\">",
                s.index
            ));
            escape(clip(&entry.message, 80).0, &mut out);
            out.push_str(&format!(
                "</button> — {} ({} of the session)</li>",
                duration_words(s.duration),
                whole_percent(s.share)
            ));
        }
        out.push_str("</ol></div>");
    }
    if !gaps.largest.is_empty() {
        out.push_str(
            "<div><h2 class=\"tl-slowest-heading\">Longest idle times</h2><ol class=\"tl-idle\">",
        );
        for &i in &gaps.largest {
            let Some(gap) = gaps.gaps.get(i).copied().flatten() else {
                continue;
            };
            out.push_str(&format!(
                "<li data-entry=\"{i}\"><button type=\"button\" class=\"link\">before entry {}</button> — {}</li>",
                i + 1,
                duration_words(gap)
            ));
        }
        out.push_str("</ol></div>");
    }
    out.push_str("</div>");
    (out, jumps)
}

/// Moves focus to the row of entry `index`, if it is drawn.
fn focus_entry(index: usize) {
    let row = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&format!("entry-{index}")));
    if let Some(row) = row.and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = row.focus();
    }
}
