//! The timeline's moving parts, drawn straight into the DOM: the rows in view, the spacers that
//! stand in for the rest, the axis ticks, the zoomed window on the overview strip, and the
//! controls' state.
//!
//! Only the rows of the current window exist (at most `VirtualRows::max_rows`), and the window is
//! redrawn whenever the scroll, zoom or filter moves it. Doing this with a few DOM calls instead of
//! reactive `view!`s keeps the wasm small (SPEC §5 budget): the same features as reactive views
//! cost ≈ 30 KB brotli, this ≈ a third of it. The component (`mod.rs`) renders a static skeleton
//! once and owns the state; this module only writes what the state says. Row markup is the
//! components': [`crate::components::status::StatusBadge`], [`crate::components::time::Clock`].

use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use crate::analysis::filter::EntryFilter;
use crate::analysis::overview::Bucket;
use crate::analysis::summary::StatusCounts;
use crate::analysis::virtual_rows::RowWindow;
use crate::components::cssom;
use crate::format::{clip, css_percent, duration_words};
use crate::list::html::{status_class, status_title};
use crate::model::{Duration, Status, Timestamp};

use super::axis::{Axis, Viewport};
use super::{Rows, MAX_TICKS};

/// The least room between two tick labels, in CSS pixels.
const TICK_GAP_PX: f64 = 8.0;

/// What [`paint`] draws.
pub(super) struct Frame<'a> {
    /// Entry indices of the rows in the DOM, in order.
    pub shown: &'a [usize],
    pub window: RowWindow,
    pub viewport: Option<Viewport>,
    pub filter: &'a EntryFilter,
    /// "3 of 50 entries match; 50 shown", when there is text to find.
    pub matches: Option<String>,
    /// The current time (µs since the epoch), to which a running log's open entries grow.
    pub now: i64,
}

/// The filter bar and the axis controls, as static markup (drawn once: cheaper in wasm than a
/// `view!`); [`setup`] adds the parts that depend on the log, [`paint`] their state.
pub(super) const CONTROLS: &str = concat!(
    r#"<div class="tl-filters" role="search" aria-label="Filter entries">"#,
    r#"<label class="tl-find">Find in messages <input type="search" name="q"></label>"#,
    r#"<label>Matches <select name="mode"><option value="highlight">highlighted</option>"#,
    r#"<option value="hide">only (hide the rest)</option></select></label>"#,
    r#"<fieldset class="tl-status-filter"><legend>Show only statuses (none ticked: all)</legend></fieldset>"#,
    r#"<p class="tl-match-count" role="status"></p></div>"#,
    r#"<div class="tl-axis" hidden><div class="actions" role="toolbar" aria-label="Time axis">"#,
    r#"<button type="button" class="secondary small" data-action="in">Zoom in</button>"#,
    r#"<button type="button" class="secondary small" data-action="out">Zoom out</button>"#,
    r#"<button type="button" class="secondary small" data-action="reset">Whole session</button>"#,
    r#"<button type="button" class="secondary small" data-action="left">Pan left</button>"#,
    r#"<button type="button" class="secondary small" data-action="right">Pan right</button>"#,
    r#"<span class="muted tl-shown" aria-live="polite"></span></div>"#,
    r#"<div class="tl-ov" tabindex="0" role="group" aria-label="Overview of the whole session: "#,
    r#"click or drag to move the zoomed window; arrow keys pan, + and − zoom, 0 shows everything">"#,
    r#"<span class="tl-ov-window"></span></div></div>"#,
);

/// The table: a header, spacers above and below, and the rows in view between them.
pub(super) const TABLE: &str = concat!(
    r#"<table class="tl"><thead><tr>"#,
    r#"<th scope="col" class="tl-col-status">Status</th>"#,
    r#"<th scope="col" class="tl-col-start">Started</th>"#,
    r#"<th scope="col" class="tl-col-message">Message</th>"#,
    r#"<th scope="col" class="tl-col-duration">Duration</th>"#,
    r#"<th scope="col" class="tl-col-gap">Idle before</th>"#,
    r#"<th scope="col" class="tl-col-bar"><span class="visually-hidden">Timeline</span>"#,
    r#"<div class="tl-ticks" aria-hidden="true"></div></th>"#,
    r#"<th scope="col" class="tl-col-more"><span class="visually-hidden">Entry</span></th>"#,
    r#"</tr></thead>"#,
    r#"<tbody class="tl-spacer tl-top" aria-hidden="true"><tr><td colspan="7"></td></tr></tbody>"#,
    r#"<tbody class="tl-rows"></tbody>"#,
    r#"<tbody class="tl-spacer tl-bottom" aria-hidden="true"><tr><td colspan="7"></td></tr></tbody>"#,
    r#"</table>"#,
);

/// Adds what depends on the log to the static controls: a checkbox per status present (with its
/// badge and count), and the overview strip's slices (shown only for a log with times).
pub(super) fn setup(
    root: &Element,
    counts: &StatusCounts,
    overview: Option<&[Bucket]>,
) -> Option<()> {
    let doc = root.owner_document()?;
    let fieldset = find(root, ".tl-status-filter")?;
    for (status, n) in counts.present() {
        let label = el(&doc, &fieldset, "label", "tl-status-choice")?;
        let input = el(&doc, &label, "input", "")?;
        set(&input, "type", "checkbox");
        set(&input, "name", "status");
        set(&input, "value", status.id());
        badge(&doc, &label, status, "");
        text(&label, &format!(" ({n})"));
    }
    let overview = overview?;
    let strip = find(root, ".tl-ov")?;
    let window = find(&strip, ".tl-ov-window")?;
    let max = overview.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    for b in overview {
        let status = b.worst.map_or("unknown", Status::id);
        let slice = doc.create_element("span").ok()?;
        slice.set_class_name(&format!("tl-ov-bucket status-bg-{status}"));
        cssom::set(
            &slice,
            &format!("height:{}", css_percent(b.count as f64 / max as f64)),
        );
        let _ = strip.insert_before(&slice, Some(&window));
    }
    let _ = find(root, ".tl-axis")?.remove_attribute("hidden");
    Some(())
}

/// Whether the event's target is inside an element matching `selector`.
pub(super) fn within(target: Option<web_sys::EventTarget>, selector: &str) -> bool {
    target
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|e| e.closest(selector).ok().flatten())
        .is_some()
}

/// The element under `root` matching `selector`.
pub(super) fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

/// The scroller's `scrollTop` and the height of its part that shows rows (below the sticky
/// header), in CSS pixels.
pub(super) fn measure(scroller: &Element) -> (f64, f64) {
    let head = find(scroller, "thead").map_or(0.0, |h| h.get_bounding_client_rect().height());
    (
        f64::from(scroller.scroll_top()),
        (f64::from(scroller.client_height()) - head).max(0.0),
    )
}

/// Brings everything under the timeline's `root` in line with `frame`.
pub(super) fn paint(root: &Element, rows: &Rows, frame: &Frame) {
    let needle = frame.filter.needle().filter(|_| !frame.filter.hide);
    let axis = frame.viewport.map(|v| v.axis());
    if let Some(body) = find(root, "tbody.tl-rows") {
        draw(&body, rows, frame, axis, needle.as_deref());
    }
    let px = |x: f64| format!("height:{}px", x as u64);
    if let Some(top) = find(root, ".tl-top td") {
        cssom::set(&top, &px(frame.window.top));
    }
    if let Some(bottom) = find(root, ".tl-bottom td") {
        cssom::set(&bottom, &px(frame.window.bottom));
    }
    if let Some(count) = find(root, ".tl-match-count") {
        count.set_text_content(frame.matches.as_deref());
    }
    controls(root, frame.filter);
}

/// The filter controls show the filter (after Back, a reload, or a jump that cleared it).
fn controls(root: &Element, f: &EntryFilter) {
    use web_sys::{HtmlInputElement, HtmlSelectElement};
    if let Some(q) = find(root, "input[name=q]").and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
    {
        if q.value() != f.text {
            q.set_value(&f.text);
        }
    }
    if let Some(m) =
        find(root, "select[name=mode]").and_then(|e| e.dyn_into::<HtmlSelectElement>().ok())
    {
        m.set_value(if f.hide { "hide" } else { "highlight" });
    }
    for s in Status::ALL {
        let box_ = find(root, &format!("input[name=status][value={}]", s.id()))
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
        if let Some(b) = box_ {
            b.set_checked(f.statuses.contains(&s));
        }
    }
}

/// Ticks, the window on the overview strip, the "showing" words and which buttons apply.
pub(super) fn axis_parts(root: &Element, v: Viewport) {
    let Some(doc) = root.owner_document() else {
        return;
    };
    // Ticks are drawn again only when the window moves (not on every scroll: measuring them
    // forces a layout).
    let key = format!("{}:{}", v.start(), v.end());
    let ticks =
        find(root, ".tl-ticks").filter(|t| t.get_attribute("data-axis") != Some(key.clone()));
    if let Some(ticks) = ticks {
        set(&ticks, "data-axis", &key);
        // As many ticks as the column has room for: fewer (so wider steps) until no label
        // touches the next, measured as drawn (a long log's "10 min" … "1 h" in a narrow column).
        for max in (1..=MAX_TICKS).rev() {
            ticks.set_text_content(None);
            let mut spans = Vec::new();
            for t in v.axis().ticks_from(v.full().start(), max) {
                if let Some(span) = el(&doc, &ticks, "span", "tl-tick") {
                    cssom::set(&span, &format!("left:{}", css_percent(t.at)));
                    text(&span, &t.label);
                    spans.push(span);
                }
            }
            // A label that would reach past the axis's end (and be cut) ends at its tick instead.
            let end = ticks.get_bounding_client_rect().right();
            if let Some(last) = spans.last() {
                if last.get_bounding_client_rect().right() > end {
                    last.set_class_name("tl-tick tl-tick-end");
                }
            }
            let rects: Vec<_> = spans.iter().map(|e| e.get_bounding_client_rect()).collect();
            let crowded = rects
                .iter()
                .zip(rects.iter().skip(1))
                .any(|(a, b)| a.right() + TICK_GAP_PX > b.left());
            if !crowded || ticks.client_width() == 0 {
                break;
            }
        }
    }
    if let Some(w) = find(root, ".tl-ov-window") {
        let b = v.overview();
        cssom::set(
            &w,
            &format!(
                "left:{};width:{}",
                css_percent(b.left),
                css_percent(b.width)
            ),
        );
    }
    if let Some(shown) = find(root, ".tl-shown") {
        let origin = v.full().start();
        let words = |t: i64| duration_words(Duration::from_micros(t - origin));
        shown.set_text_content(Some(&format!(
            "Showing {} to {} of {}",
            words(v.start()),
            words(v.end()),
            duration_words(v.full().span())
        )));
    }
    let whole = v.is_whole();
    for action in ["out", "reset", "left", "right"] {
        if let Some(b) = find(root, &format!("[data-action={action}]")) {
            let _ = b.toggle_attribute_with_force("disabled", whole);
        }
    }
}

/// The filter after an `input` or `change` event in the filter bar, or `None` when the event
/// changes nothing (a `change` that follows an `input` on the search field, say).
pub(super) fn filter_event(ev: &web_sys::Event, current: &EntryFilter) -> Option<EntryFilter> {
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok();
    let select = ev.target()?.dyn_into::<web_sys::HtmlSelectElement>().ok();
    let changed = ev.type_() == "change";
    match (input, select) {
        (Some(i), _) if i.name() == "q" && !changed => Some(EntryFilter {
            text: i.value(),
            ..current.clone()
        }),
        (Some(i), _) if i.name() == "status" && changed => {
            let status = Status::ALL.into_iter().find(|s| s.id() == i.value())?;
            Some(current.toggle(status))
        }
        (_, Some(s)) if changed => Some(EntryFilter {
            hide: s.value() == "hide",
            ..current.clone()
        }),
        _ => None,
    }
}

/// Where `client_x` falls on `element`, as a share of its width, and the width in pixels.
pub(super) fn across(element: Option<web_sys::EventTarget>, client_x: i32) -> Option<(f64, f64)> {
    let r = element?
        .dyn_into::<Element>()
        .ok()?
        .get_bounding_client_rect();
    Some((
        super::axis::px_fraction(f64::from(client_x) - r.left(), r.width()),
        r.width(),
    ))
}

/// Characters of a message drawn in its row; the rest is counted, not laid out.
pub const MESSAGE_CHARS: usize = 400;

/// Replaces the content of `body` with the rows of `indices` (entry indices, in order).
fn draw(body: &Element, rows: &Rows, frame: &Frame, axis: Option<Axis>, needle: Option<&str>) {
    let Some(doc) = body.owner_document() else {
        return;
    };
    // A focused row keeps its focus when the rows are redrawn (scroll, zoom, a running log's tick).
    let focused = doc
        .active_element()
        .filter(|e| body.contains(Some(e)))
        .map(|e| e.id());
    body.set_text_content(None);
    for &i in frame.shown {
        if let Some(tr) = row(&doc, rows, i, axis, needle, frame.now) {
            let _ = body.append_child(&tr);
        }
    }
    let again = focused.and_then(|id| doc.get_element_by_id(&id));
    if let Some(row) = again.and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = row.focus();
    }
}

/// The entry a summary's button clicked jumps to: a slowest step's or idle time's (its `li`'s
/// `data-entry`), or the `jumps` one at the button's place in its row ("First failure", "First
/// warning").
pub(super) fn summary_jump(target: Option<web_sys::EventTarget>, jumps: &[usize]) -> Option<usize> {
    let button = target?
        .dyn_into::<Element>()
        .ok()?
        .closest(".tl-overview button")
        .ok()??;
    if let Some(li) = button.closest("li[data-entry]").ok().flatten() {
        return li.get_attribute("data-entry")?.parse().ok();
    }
    let mut place = 0;
    let mut before = button.previous_element_sibling();
    while let Some(b) = before {
        place += 1;
        before = b.previous_element_sibling();
    }
    jumps.get(place).copied()
}

/// The action of the button clicked (`data-action`), and the entry of the row it is in, if any.
pub(super) fn clicked(target: Option<web_sys::EventTarget>) -> Option<(String, Option<usize>)> {
    let el = target?.dyn_into::<Element>().ok()?;
    let button = el.closest("[data-action]").ok()??;
    let row = button
        .closest("tr[data-entry]")
        .ok()
        .flatten()
        .and_then(|r| r.get_attribute("data-entry"))
        .and_then(|i| i.parse().ok());
    Some((button.get_attribute("data-action")?, row))
}

/// Characters of a message added to the details panel at a time, so that a 10 MB message is
/// never laid out at once.
pub const CHUNK_CHARS: usize = 100_000;

/// Fills the details panel with entry `index`'s whole message (its first `chunks` ×
/// [`CHUNK_CHARS`] characters, with "Show more"), copy and close buttons, and its source as
/// received; hides it for `None`.
pub(super) fn details(root: &Element, rows: &Rows, shown: Option<(usize, usize)>) -> Option<()> {
    let panel = find(root, ".tl-details")?;
    let doc = root.owner_document()?;
    panel.set_text_content(None);
    let Some((index, chunks)) = shown else {
        let _ = panel.set_attribute("hidden", "");
        return Some(());
    };
    let entry = rows.log.entries.get(index)?;
    let _ = panel.remove_attribute("hidden");
    let title = format!("Entry {} of {}", index + 1, rows.log.entries.len());
    set(&panel, "aria-label", &format!("Entry {}", index + 1));
    set(&panel, "data-entry", &index.to_string());
    text(&el(&doc, &panel, "h2", "")?, &title);
    let actions = el(&doc, &panel, "div", "actions")?;
    for (action, label) in [("copy", "Copy message"), ("close", "Close")] {
        let b = el(&doc, &actions, "button", "secondary small")?;
        set(&b, "type", "button");
        set(&b, "data-action", action);
        text(&b, label);
    }
    set(&el(&doc, &actions, "span", "tl-copied")?, "role", "status");
    let (message, left) = clip(&entry.message, chunks.saturating_mul(CHUNK_CHARS));
    text(&el(&doc, &panel, "pre", "tl-full-message")?, message);
    if left > 0 {
        let more = el(&doc, &panel, "button", "secondary small")?;
        set(&more, "type", "button");
        set(&more, "data-action", "more");
        text(&more, &format!("Show more ({left} more characters)"));
    }
    let raw = el(&doc, &panel, "details", "raw")?;
    text(&el(&doc, &raw, "summary", "")?, "Show source");
    let (source, cut) = clip(&entry.source, CHUNK_CHARS);
    text(&el(&doc, &raw, "pre", "")?, source);
    if cut > 0 {
        text(&raw, &format!("… ({cut} more characters not shown)"));
    }
    if chunks == 1 {
        if let Ok(h) = panel.dyn_into::<web_sys::HtmlElement>() {
            let _ = h.focus();
        }
    }
    Some(())
}

/// Says in the details panel whether the message was copied.
pub(super) fn say_copied(root: &Element, copied: bool) {
    if let Some(status) = find(root, ".tl-copied") {
        status.set_text_content(Some(if copied {
            "Copied."
        } else {
            "Copying is not allowed here."
        }));
    }
}

pub(super) fn el(doc: &Document, parent: &Element, tag: &str, class: &str) -> Option<Element> {
    let e = doc.create_element(tag).ok()?;
    if !class.is_empty() {
        e.set_class_name(class);
    }
    parent.append_child(&e).ok()?;
    Some(e)
}

pub(super) fn text(parent: &Element, text: &str) {
    let _ = parent.append_with_str_1(text);
}

pub(super) fn set(e: &Element, name: &str, value: &str) {
    let _ = e.set_attribute(name, value);
}

fn row(
    doc: &Document,
    rows: &Rows,
    index: usize,
    axis: Option<Axis>,
    needle: Option<&str>,
    now: i64,
) -> Option<Element> {
    let entry = rows.log.entries.get(index)?;
    let tr = doc.create_element("tr").ok()?;
    let gap = rows.gaps.get(index).copied().flatten();
    let large = gap.is_some() && rows.largest.contains(&index);
    let found = needle.is_some_and(|n| rows.index.text_matches(index, n));
    let disagree = entry.durations_disagree();
    let mut class = String::from("tl-row");
    for (on, name) in [
        (disagree, " tl-mismatch"),
        (found, " tl-match"),
        (large, " tl-gap-large"),
    ] {
        if on {
            class.push_str(name);
        }
    }
    tr.set_class_name(&class);
    let n = index.to_string();
    set(&tr, "id", &format!("entry-{n}"));
    set(&tr, "data-entry", &n);
    set(&tr, "tabindex", "-1");
    set(&tr, "data-status", entry.status.id());
    if let Some(d) = entry.duration() {
        set(&tr, "data-duration-ms", &d.millis_rounded().to_string());
    }
    if let Some(d) = entry.observed {
        set(&tr, "data-observed-ms", &d.millis_rounded().to_string());
    }

    badge(
        doc,
        &el(doc, &tr, "td", "")?,
        entry.status,
        &entry.vendor_status,
    );
    clock(
        doc,
        &el(doc, &tr, "td", "tl-start")?,
        entry.start.or(entry.logged_at),
    );

    let (shown, hidden) = clip(&entry.message, MESSAGE_CHARS);
    let message = el(doc, &tr, "td", "tl-message")?;
    set(&message, "title", shown);
    if found {
        let mark = el(doc, &message, "span", "tl-match-mark")?;
        set(&mark, "aria-hidden", "true");
        text(&mark, "◆ ");
        text(&el(doc, &message, "span", "visually-hidden")?, "Match: ");
    }
    text(&message, shown);
    if hidden > 0 {
        text(
            &el(doc, &message, "span", "clipped")?,
            &format!(" … ({hidden} more characters)"),
        );
    }

    let duration = el(doc, &tr, "td", "tl-duration")?;
    if disagree {
        let reported = entry.reported.map(duration_words).unwrap_or_default();
        let observed = entry.observed.map(duration_words).unwrap_or_default();
        text(&el(doc, &duration, "span", "tl-reported")?, &reported);
        let o = el(doc, &duration, "span", "tl-observed")?;
        set(&o, "title", "The vendor's reported duration and the span between the step's start and its log time disagree");
        let warn = el(doc, &o, "span", "")?;
        set(&warn, "aria-hidden", "true");
        text(&warn, "⚠ ");
        text(&o, &format!("observed {observed}"));
    } else {
        let span = el(doc, &duration, "span", "")?;
        if let Some(d) = entry.duration() {
            text(&span, &duration_words(d));
        }
    }

    let gap_cell = el(doc, &tr, "td", "tl-gap")?;
    if let Some(g) = gap {
        text(&gap_cell, &duration_words(g));
    }
    if large {
        let mark = el(doc, &gap_cell, "span", "tl-gap-mark")?;
        set(&mark, "title", "One of the longest idle times");
        text(&mark, " ‖");
        text(
            &el(doc, &mark, "span", "visually-hidden")?,
            " (one of the longest idle times)",
        );
    }

    let bar_cell = el(doc, &tr, "td", "tl-bar-cell")?;
    let extent = crate::analysis::live::live_extent(entry, rows.running, now);
    if let Some(b) = axis
        .zip(extent)
        .and_then(|(a, (from, to))| a.bar_in_view(from, to))
    {
        let bar = el(
            doc,
            &bar_cell,
            "div",
            &format!("tl-bar status-bg-{}", entry.status.id()),
        )?;
        cssom::set(
            &bar,
            &format!(
                "left:{};width:{}",
                css_percent(b.left),
                css_percent(b.width)
            ),
        );
    }

    let more = el(doc, &tr, "td", "tl-more")?;
    let button = el(doc, &more, "button", "link small")?;
    set(&button, "type", "button");
    set(&button, "data-action", "details");
    set(
        &button,
        "aria-label",
        &format!("Details of entry {}", index + 1),
    );
    text(&button, "Details");
    Some(tr)
}

/// [`crate::list::html::status_badge`]'s markup, as elements from the same pieces.
fn badge(doc: &Document, cell: &Element, s: Status, vendor: &str) -> Option<()> {
    let span = el(doc, cell, "span", &status_class(s))?;
    set(&span, "title", &status_title(vendor));
    let icon = el(doc, &span, "span", "status-icon")?;
    set(&icon, "aria-hidden", "true");
    text(&icon, s.icon());
    text(&span, s.label());
    Some(())
}

/// [`crate::components::time::Clock`]'s markup (time of day).
fn clock(doc: &Document, cell: &Element, at: Option<Timestamp>) -> Option<()> {
    match at {
        Some(t) => {
            let time = el(doc, cell, "time", "")?;
            set(&time, "datetime", &t.utc_rfc3339());
            set(&time, "title", &t.describe());
            text(&time, &t.clock_display());
        }
        None => text(&el(doc, cell, "span", "not-set")?, "not set"),
    }
    Some(())
}
