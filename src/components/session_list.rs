//! The session list: filter bar, facets, time range, histogram, a virtualised grid, keyboard,
//! export. All the work (filtering, sorting, counting, bucketing) is `crate::list` over the
//! model; this file wires signals to it and draws at most [`VirtualRows::max_rows`] rows.
//!
//! State: the filter text, range, sort and selected session live in the URL (`?q=&range=&sort=
//! &sel=`, see [`ListState`]); the component keeps a copy in a signal, writes it back with
//! `replace` while typing or moving the selection and with a new history entry for the rest,
//! and follows the URL when back/forward change it.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use wasm_bindgen::JsCast;

use crate::analysis::virtual_rows::VirtualRows;
use crate::components::failure::FailureNotice;
use crate::components::time::now_us;
use crate::format::clip;
use crate::list::export::{self, Header};
use crate::list::keys::Move;
use crate::list::{
    complete, filter_indices, parse_lenient, running_over_time, sort_indices, Column, ListState,
    RangeSpec, SearchIndex, Selection, SortKey,
};
use crate::live::Failure;
use crate::model::{wall_clock, Session, SessionList as Sessions};
use crate::store::Store;

/// Height of one row in CSS pixels (style/main.css `.sl-row` keeps the same number).
const ROW_HEIGHT: f64 = 32.0;
/// Height of the sticky header row inside the scrolled grid.
const HEADER_HEIGHT: f64 = 36.0;
/// Buckets in the histogram.
const BUCKETS: usize = 120;
/// Values per text facet.
const FACET_VALUES: usize = 6;
/// Characters of a session's source shown before "show all".
const SOURCE_CHARS: usize = 20_000;
/// Where the time-zone choice is remembered (a preference, never a secret).
const ZONE_KEY: &str = "session-viewer.time-zone";

/// The rows currently shown (filtered and sorted indices into the list), compared by identity so
/// that a memo of 100 000 indices never compares them element by element.
#[derive(Clone, Default)]
struct Shown(Arc<Vec<u32>>);

impl PartialEq for Shown {
    fn eq(&self, other: &Shown) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// How times are written: the viewer's zone or UTC.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Zone {
    utc: bool,
}

impl Zone {
    fn offset_minutes(self, unix_us: i64) -> i16 {
        if self.utc {
            return 0;
        }
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64((unix_us / 1000) as f64));
        // getTimezoneOffset is UTC − local in minutes; real zones are within ±14 h.
        (-(date.get_timezone_offset() as i32)).clamp(-14 * 60, 14 * 60) as i16
    }

    fn show(self, unix_us: i64) -> String {
        wall_clock(unix_us, self.offset_minutes(unix_us), self.utc)
    }

    /// The zone as an export's header names it: `UTC`, or `local (Europe/Berlin)`; each written
    /// time carries its own offset.
    fn name(self) -> String {
        if self.utc {
            return "UTC".to_string();
        }
        let options =
            js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
                .resolved_options();
        match js_sys::Reflect::get(&options, &"timeZone".into())
            .ok()
            .and_then(|z| z.as_string())
        {
            Some(zone) => format!("local ({zone})"),
            None => "local".to_string(),
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The list's fixed markup above the grid: filter bar, facets, histogram, count. Regions that
/// change are filled by the component's effects; controls are found by their ids and classes.
const TOP: &str = concat!(
    r#"<div class="sl-bar"><div class="sl-filter"><label for="sl-filter">Filter</label>"#,
    r#"<input id="sl-filter" type="search" autocomplete="off" spellcheck="false" aria-describedby="sl-filter-help" placeholder="e.g. user:jen status:failed duration&gt;1h start&gt;=2021-04-01">"#,
    r#"<div id="sl-filter-help" class="sl-help"></div></div>"#,
    r#"<div class="sl-range"><label for="sl-range">Time range</label><select id="sl-range">"#,
    r#"<option value="">All time</option><option value="1h">Last hour</option><option value="24h">Last 24 hours</option><option value="7d">Last 7 days</option><option value="custom">Between…</option></select>"#,
    r#"<label for="sl-from">From</label><input id="sl-from" type="datetime-local" step="1"><label for="sl-to">To</label><input id="sl-to" type="datetime-local" step="1">"#,
    r#"<button type="button" class="button secondary small" data-action="apply-range">Apply range</button><span class="sl-range-now"></span></div>"#,
    r#"<div class="sl-tools"><label class="sl-utc"><input id="sl-utc" type="checkbox"> Times in UTC</label>"#,
    r#"<button type="button" class="button secondary small" data-action="export-csv">Export CSV</button>"#,
    r#"<button type="button" class="button secondary small" data-action="export-json">Export JSON</button>"#,
    r#"<button type="button" class="button secondary small" aria-haspopup="dialog" data-action="keys">Keys (?)</button></div></div>"#,
    r#"<div class="sl-facets"></div>"#,
    r#"<figure class="sl-hist"><div class="sl-chart" role="img"><div class="sl-bars"></div><div class="sl-drag" hidden></div></div><figcaption class="muted"></figcaption></figure>"#,
    r#"<p class="sl-count" role="status" aria-live="polite"></p>"#,
);

/// Below the grid: the "nothing matches" line, the selected session's details, the key help.
fn bottom() -> String {
    format!(
        r#"<p class="sl-empty" hidden>No session matches the filter and range.</p><div class="sl-details-slot"></div><div class="sl-help-dialog" role="dialog" aria-modal="false" aria-label="Keyboard shortcuts" hidden><h2>Keys</h2>{}<button type="button" class="button secondary small" data-action="close-keys">Close</button></div>"#,
        crate::list::html::key_help()
    )
}

/// A whole session list. `source` names it in exports; with `connection`, sessions that have a
/// log get a "Log" button that fetches it from that connection.
///
/// Drawn as fixed markup plus effects that rewrite the regions that change, with one handler
/// per event type on the list: typed Leptos views cost about 50 KB of the 250 KB budget here
/// (README, "Why the list is drawn as text").
#[component]
pub fn SessionList(
    list: Arc<Sessions>,
    #[prop(into)] source: String,
    connection: Option<String>,
    /// The server filters by time (Ekran's `start`/`end`): a range change asks it again.
    #[prop(optional)]
    server_range: bool,
) -> impl IntoView {
    let all: Arc<[Session]> = list.sessions.clone().into();
    let total = all.len();
    let any_open = all.iter().any(Session::is_open);
    let extent = {
        let now = now_us();
        all.iter()
            .filter_map(|s| crate::list::filter::span(s, now))
            .fold(None, |acc: Option<(i64, i64)>, (a, b)| match acc {
                None => Some((a, b)),
                Some((x, y)) => Some((x.min(a), y.max(b))),
            })
    };
    let index = StoredValue::new(SearchIndex::new(&all));
    let facet_index = StoredValue::new(crate::list::FacetIndex::new(&all));
    let sessions = StoredValue::new(all);
    let location = use_location();
    let store = use_context::<Store>();
    let with_log = connection.is_some();
    let connection = StoredValue::new(connection);
    let source = StoredValue::new(source);

    // --- state, from and to the URL -------------------------------------------------------
    let (initial, url_issues) = ListState::from_query_string(&location.search.get_untracked());
    let state = RwSignal::new(initial);
    let path = location.pathname;
    let nav = StoredValue::new_local(use_navigate());
    let commit = move |new: ListState, replace: bool| {
        if state.with_untracked(|s| *s == new) {
            return;
        }
        let qs = new.to_query_string();
        state.set(new);
        let path = path.get_untracked();
        let url = if qs.is_empty() {
            path
        } else {
            format!("{path}?{qs}")
        };
        nav.with_value(|navigate| {
            navigate(
                &url,
                NavigateOptions {
                    replace,
                    scroll: false,
                    ..Default::default()
                },
            )
        });
    };
    // Back and forward: follow the URL when it no longer says what the list shows.
    Effect::new(move |_| {
        let (from_url, _) = ListState::from_query_string(&location.search.get());
        if state.with_untracked(|s| *s != from_url) {
            state.set(from_url);
        }
    });

    let zone = RwSignal::new(Zone {
        utc: local_storage()
            .and_then(|s| s.get_item(ZONE_KEY).ok().flatten())
            .is_some_and(|z| z == "utc"),
    });
    // Open sessions' durations grow: redraw the visible rows every few seconds while any is open.
    let now = RwSignal::new(now_us());
    if any_open {
        if let Ok(handle) =
            set_interval_with_handle(move || now.set(now_us()), std::time::Duration::from_secs(5))
        {
            on_cleanup(move || handle.clear());
        }
    }

    // --- the work: parse, filter, sort ------------------------------------------------------
    let parsed = Memo::new(move |_| state.with(|s| parse_lenient(&s.query)));
    let range_us = Memo::new(move |_| {
        state
            .with(|s| s.range)
            .map(|r| r.resolve(now.get_untracked()))
    });
    // What filtering depends on, each a memo of its own so that a keystroke that changes
    // nothing the filter reads (a half-typed term, which only changes the errors) filters
    // nothing again.
    let query = Memo::new(move |_| parsed.with(|(q, _)| q.clone()));
    let sort = Memo::new(move |_| state.with(|s| s.sort));
    let shown = Memo::new(move |_| {
        let sort = sort.get();
        let range = range_us.get();
        let now = now.get_untracked();
        query.with(|query| {
            sessions.with_value(|all| {
                let mut rows = index.with_value(|ix| filter_indices(ix, all, query, range, now));
                if let Some(key) = sort {
                    sort_indices(&mut rows, all, key, now);
                }
                Shown(Arc::new(rows))
            })
        })
    });
    let count = Memo::new(move |_| shown.with(|s| s.0.len()));
    let session_at = move |pos: usize| -> Option<Session> {
        shown
            .with_untracked(|v| v.0.get(pos).copied())
            .and_then(|i| sessions.with_value(|all| all.get(i as usize).cloned()))
    };
    let selected_pos = Memo::new(move |_| {
        let sel = state.with(|s| s.selected.clone())?;
        shown.with(|s| {
            sessions.with_value(|all| {
                s.0.iter()
                    .position(|&i| all.get(i as usize).map(|s| s.id.as_str()) == Some(sel.as_str()))
            })
        })
    });
    // `sv:filter`: filter changed → list updated. The list is updated once the effects queued
    // by the change have run, which `tick` waits for.
    let mark_filter = move || {
        crate::perf::mark("sv:filter-start");
        leptos::task::spawn_local(async {
            leptos::task::tick().await;
            crate::perf::measure("sv:filter", "sv:filter-start");
        });
    };

    let (error, set_error) = signal(None::<Failure>);

    // --- the DOM ----------------------------------------------------------------------------
    let root = NodeRef::<leptos::html::Section>::new();
    let grid = NodeRef::<leptos::html::Div>::new();
    let find = move |selector: &str| -> Option<web_sys::Element> {
        root.get_untracked()?
            .query_selector(selector)
            .ok()
            .flatten()
    };
    let set_html = move |selector: &str, html: &str| {
        if let Some(el) = find(selector) {
            el.set_inner_html(html);
        }
    };
    let set_attr = move |selector: &str, name: &str, value: Option<&str>| {
        if let Some(el) = find(selector) {
            let _ = match value {
                Some(v) => el.set_attribute(name, v),
                None => el.remove_attribute(name),
            };
        }
    };
    let input_of = move |selector: &str| {
        find(selector).and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
    };

    // --- scrolling window -----------------------------------------------------------------
    let scroll = RwSignal::new((0.0_f64, 600.0_f64)); // (scrollTop, rows' viewport height)
    let rows_layout = VirtualRows {
        row_height: ROW_HEIGHT,
        ..VirtualRows::default()
    };
    let window = Memo::new(move |_| {
        let (top, height) = scroll.get();
        rows_layout.window(top, height, count.get())
    });
    let measure_grid = move || {
        if let Some(el) = grid.get_untracked() {
            let h = (f64::from(el.client_height()) - HEADER_HEIGHT).max(ROW_HEIGHT);
            scroll.set((f64::from(el.scroll_top()), h));
        }
    };
    let scroll_to_pos = move |pos: usize| {
        if let Some(el) = grid.get_untracked() {
            let (top, height) = scroll.get_untracked();
            let target = rows_layout.scroll_to(pos, top, height);
            if target != top {
                el.set_scroll_top(target as i32);
            }
        }
    };

    // --- effects: each region follows its signals ------------------------------------------
    // The rows (see `list::html`), and the grid's size and ARIA counts.
    Effect::new(move |_| {
        let _ = root.get();
        let w = window.get();
        let z = zone.get();
        let sel = selected_pos.get();
        let show = move |us: i64| z.show(us);
        let time = crate::list::html::TimeText {
            show: &show,
            now_us: now.get(),
        };
        let html = shown.with(|s| {
            let ids = s.0.get(w.start..w.end).unwrap_or_default();
            sessions
                .with_value(|all| crate::list::html::rows(all, ids, w.start, sel, with_log, &time))
        });
        set_html(".sl-window", &html);
        set_attr(
            ".sl-window",
            "style",
            Some(&format!("transform:translateY({}px)", w.top as u64)),
        );
        set_attr(
            ".sl-body",
            "style",
            Some(&format!("height:{}px", w.total as u64)),
        );
        if let Some(g) = grid.get_untracked() {
            let _ = g.set_attribute("aria-rowcount", &(count.get() + 1).to_string());
            let _ = match sel {
                Some(_) => g.set_attribute("aria-activedescendant", "sl-active"),
                None => g.remove_attribute("aria-activedescendant"),
            };
        }
    });
    // The count, and the line saying nothing matches.
    Effect::new(move |_| {
        let _ = root.get();
        let n = count.get();
        let text = if n == total {
            format!("{total} sessions")
        } else {
            format!("{n} of {total} sessions")
        };
        set_html(".sl-count", &text);
        set_attr(".sl-empty", "hidden", (n > 0).then_some(""));
    });
    // The filter's text (when it changes from elsewhere: a facet, the URL), its errors and
    // completions.
    let cursor = RwSignal::new(0usize);
    Effect::new(move |_| {
        let _ = root.get();
        let query = state.with(|s| s.query.clone());
        if let Some(input) = input_of("#sl-filter") {
            if input.value() != query {
                input.set_value(&query);
            }
        }
        let mut help = String::new();
        parsed.with(|(_, errors)| {
            if !errors.is_empty() {
                help.push_str(r#"<ul class="sl-errors" role="alert">"#);
                for e in errors {
                    let term = query.get(e.span.clone()).unwrap_or_default();
                    help.push_str("<li>");
                    crate::list::html::escape(
                        &format!("“{}”: {}", clip(term, 60).0, e.kind),
                        &mut help,
                    );
                    help.push_str("</li>");
                }
                help.push_str("</ul>");
            }
        });
        let completions = complete(&query, cursor.get());
        if !completions.is_empty() {
            help.push_str(r#"<div class="sl-complete" role="group" aria-label="Completions">"#);
            for c in completions.iter().take(6) {
                let c = crate::list::html::escape_to_string(c);
                help.push_str(&format!(
                    r#"<button type="button" class="chip" data-complete="{c}">{c}</button>"#
                ));
            }
            help.push_str("</div>");
        }
        set_html("#sl-filter-help", &help);
    });
    // The range controls and the range now applied.
    Effect::new(move |_| {
        let _ = root.get();
        let range = state.with(|s| s.range);
        if let Some(select) =
            find("#sl-range").and_then(|el| el.dyn_into::<web_sys::HtmlSelectElement>().ok())
        {
            select.set_value(range_choice(range));
        }
        let z = zone.get();
        let now_text = range.map(|r| {
            let (a, b) = r.resolve(now.get_untracked());
            format!(
                r#"{} – {} <button type="button" class="button secondary small" data-action="clear-range">Clear range</button>"#,
                z.show(a),
                z.show(b)
            )
        });
        set_html(".sl-range-now", &now_text.unwrap_or_default());
        if let Some(utc) = input_of("#sl-utc") {
            utc.set_checked(z.utc);
        }
    });
    // Sorting: each header says whether it is the sort.
    Effect::new(move |_| {
        let _ = root.get();
        let sort = state.with(|s| s.sort);
        for column in Column::ALL {
            let (aria, arrow) = match sort {
                Some(k) if k.column == column && k.descending => ("descending", "▼"),
                Some(k) if k.column == column => ("ascending", "▲"),
                _ => ("none", ""),
            };
            let header = format!(r#"[data-col="{}"]"#, column.id());
            set_attr(&header, "aria-sort", Some(aria));
            set_html(&format!("{header} .sl-arrow"), arrow);
        }
    });
    // Facets.
    let facet_counts = Memo::new(move |_| {
        shown.with(|s| {
            sessions
                .with_value(|all| facet_index.with_value(|fx| fx.facets(all, &s.0, FACET_VALUES)))
        })
    });
    Effect::new(move |_| {
        let _ = root.get();
        let html = facet_counts.with(|f| parsed.with(|(q, _)| crate::list::html::facets(f, q)));
        set_html(".sl-facets", &html);
    });
    // The histogram.
    let hist = Memo::new(move |_| {
        let range = range_us.get().or(extent)?;
        Some(shown.with(|s| {
            sessions
                .with_value(|all| running_over_time(all, &s.0, range, BUCKETS, now.get_untracked()))
        }))
    });
    Effect::new(move |_| {
        let _ = root.get();
        let z = zone.get();
        hist.with(|h| {
            set_attr(".sl-hist", "hidden", h.is_none().then_some(""));
            let Some(h) = h else { return };
            let span = format!("{} – {}", z.show(h.from), z.show(h.to));
            set_html(".sl-bars", &crate::list::html::histogram(h));
            set_attr(".sl-chart", "aria-label", Some(&format!("Sessions running over time, {span}; drag across the chart to narrow the time range")));
            set_html(".sl-hist figcaption", &crate::list::html::escape_to_string(&format!("{span} · tallest bar: {} sessions running", h.max_total())));
        });
    });
    // Details of the selected session, and the key help.
    let details_open = RwSignal::new(false);
    let help_open = RwSignal::new(false);
    Effect::new(move |_| {
        let _ = root.get();
        let html = if details_open.get() {
            let z = zone.get();
            let show = move |us: i64| z.show(us);
            let time = crate::list::html::TimeText {
                show: &show,
                now_us: now.get(),
            };
            let pos = selected_pos.get();
            shown.track();
            pos.and_then(session_at)
                .map(|s| crate::list::html::details(&s, &time, SOURCE_CHARS))
                .unwrap_or_default()
        } else {
            String::new()
        };
        set_html(".sl-details-slot", &html);
        set_attr(
            ".sl-help-dialog",
            "hidden",
            (!help_open.get()).then_some(""),
        );
    });
    // Model ready → rows in the DOM: the first run of this effect follows the mount.
    Effect::new(move |_| {
        if root.get().is_some() {
            measure_grid();
            crate::perf::measure("sv:render", "sv:ready");
            if let Some(pos) = selected_pos.get_untracked() {
                scroll_to_pos(pos);
            }
        }
    });

    // --- actions ------------------------------------------------------------------------------
    let select = move |pos: usize| {
        if let Some(s) = session_at(pos) {
            let mut next = state.get_untracked();
            next.selected = Some(s.id);
            commit(next, true);
            scroll_to_pos(pos);
        }
    };
    let open_log = move |session: Session| {
        let (Some(conn), Some(href), Some(store)) =
            (connection.get_value(), session.log_href.clone(), store)
        else {
            return;
        };
        set_error.set(None);
        leptos::task::spawn_local(async move {
            match crate::live::open_log(store, &conn, &session.id, &href).await {
                Ok(route) => nav.with_value(|navigate| navigate(&route, Default::default())),
                Err(e) => set_error.set(Some(e)),
            }
        });
    };
    let focus = move |selector: &str| {
        if let Some(el) = find(selector).and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    };
    let requerying = RwSignal::new(false);
    let set_range = move |range: Option<RangeSpec>| {
        mark_filter();
        let mut next = state.get_untracked();
        next.range = range;
        commit(next, false);
        // Ekran filters by time on the server: fetch the range's sessions into this document
        // (it is redrawn from the new list; the range stays in the URL and filters here too).
        let (Some(conn), Some(store), true) = (connection.get_value(), store, server_range) else {
            return;
        };
        let (start, end) = match range.map(|r| r.resolve(now_us())) {
            Some((a, b)) => (ekran_time(a), ekran_time(b)),
            None => (String::new(), String::new()),
        };
        requerying.set(true);
        set_error.set(None);
        leptos::task::spawn_local(async move {
            let result = crate::live::open_ekran_range(store, &conn, &start, &end, None).await;
            // The list may have been redrawn from the new document by now.
            let _ = requerying.try_set(false);
            if let Err(e) = result {
                let _ = set_error.try_set(Some(e));
            }
        });
    };
    let export = move |json: bool| {
        let now = now_us();
        let z = zone.get_untracked();
        let st = state.get_untracked();
        let rows = shown.get_untracked();
        let header = Header {
            app: format!("Session Viewer {}", env!("CARGO_PKG_VERSION")),
            source: source.get_value(),
            filter: st.query.clone(),
            range: st.range.map(RangeSpec::to_text).unwrap_or_default(),
            sort: st.sort.map(SortKey::to_text).unwrap_or_default(),
            time_zone: z.name(),
            rows: rows.0.len(),
            of: total,
        };
        let show = move |us: i64| z.show(us);
        let (text, mime, ext) = sessions.with_value(|all| {
            if json {
                (
                    export::to_json(&header, all, &rows.0, &show, now),
                    "application/json",
                    "json",
                )
            } else {
                (
                    export::to_csv(&header, all, &rows.0, &show, now),
                    "text/csv",
                    "csv",
                )
            }
        });
        download(&text, mime, &format!("sessions.{ext}"));
    };

    // --- events: one handler per type for the whole list ------------------------------------
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let hit = |selector: &str| target.closest(selector).ok().flatten();
        let attr = |el: &web_sys::Element, name: &str| el.get_attribute(name).unwrap_or_default();
        if let Some(b) = hit("[data-log-pos]") {
            if let Some(s) = attr(&b, "data-log-pos").parse().ok().and_then(session_at) {
                open_log(s);
            }
        } else if let Some(row) = hit("[data-pos]") {
            if let Ok(pos) = attr(&row, "data-pos").parse() {
                select(pos);
            }
        } else if let Some(b) = hit("[data-sort]") {
            if let Some(column) = Column::parse(&attr(&b, "data-sort")) {
                mark_filter();
                let mut next = state.get_untracked();
                let descending =
                    matches!(next.sort, Some(k) if k.column == column && !k.descending);
                next.sort = Some(SortKey::new(column, descending));
                commit(next, false);
            }
        } else if let Some(b) = hit("[data-facet]") {
            if let Some(field) = crate::list::html::facet_field(&attr(&b, "data-facet")) {
                mark_filter();
                let sel = Selection {
                    field,
                    value: attr(&b, "data-value"),
                    include: attr(&b, "data-include") == "1",
                };
                let mut next = state.get_untracked();
                let (mut query, _) = parse_lenient(&next.query);
                sel.toggle(&mut query);
                next.query = query.to_text();
                commit(next, false);
            }
        } else if let Some(b) = hit("[data-complete]") {
            mark_filter();
            let mut next = state.get_untracked();
            let (text, at) = crate::list::apply_completion(
                &next.query,
                cursor.get_untracked(),
                &attr(&b, "data-complete"),
            );
            next.query = text.clone();
            commit(next, false);
            cursor.set(at);
            if let Some(input) = input_of("#sl-filter") {
                input.set_value(&text);
                let _ = input.focus();
                let _ = input.set_selection_range(at as u32, at as u32);
            }
        } else if let Some(b) = hit("[data-action]") {
            match attr(&b, "data-action").as_str() {
                "export-csv" => export(false),
                "export-json" => export(true),
                "keys" => help_open.update(|o| *o = !*o),
                "close-keys" => {
                    help_open.set(false);
                    focus(".sl-grid");
                }
                "clear-range" => set_range(None),
                "apply-range" => {
                    let z = zone.get_untracked();
                    let read =
                        |id: &str| input_of(id).and_then(|i| local_input_to_us(&i.value(), z));
                    if let (Some(from), Some(to)) = (read("#sl-from"), read("#sl-to")) {
                        if from < to {
                            set_range(Some(RangeSpec::Absolute { from, to }));
                        }
                    }
                }
                "open-log" => {
                    if let Some(s) = selected_pos.get_untracked().and_then(session_at) {
                        open_log(s);
                    }
                }
                "close" => {
                    details_open.set(false);
                    focus(".sl-grid");
                }
                _ => {}
            }
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if input.id() == "sl-filter" {
            cursor.set(input.selection_start().ok().flatten().unwrap_or(0) as usize);
            mark_filter();
            let mut next = state.get_untracked();
            next.query = input.value();
            commit(next, true);
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        match el.id().as_str() {
            "sl-range" => {
                let value = el
                    .dyn_into::<web_sys::HtmlSelectElement>()
                    .map(|s| s.value())
                    .unwrap_or_default();
                match value.as_str() {
                    "" => set_range(None),
                    "custom" => focus("#sl-from"),
                    other => set_range(RangeSpec::parse(other).ok()),
                }
            }
            "sl-utc" => {
                let utc = el
                    .dyn_into::<web_sys::HtmlInputElement>()
                    .is_ok_and(|i| i.checked());
                zone.set(Zone { utc });
                if let Some(s) = local_storage() {
                    let _ = s.set_item(ZONE_KEY, if utc { "utc" } else { "local" });
                }
            }
            _ => {}
        }
    };
    let on_keyup = move |ev: leptos::ev::KeyboardEvent| {
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            if input.id() == "sl-filter" {
                cursor.set(input.selection_start().ok().flatten().unwrap_or(0) as usize);
            }
        }
    };
    let on_grid_key = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        if let Some(mv) = Move::from_key(&key) {
            ev.prevent_default();
            let page = (scroll.get_untracked().1 / ROW_HEIGHT) as usize;
            if let Some(pos) = mv.apply(selected_pos.get_untracked(), count.get_untracked(), page) {
                select(pos);
            }
        } else if key == "Enter" && selected_pos.get_untracked().is_some() {
            ev.prevent_default();
            details_open.set(true);
        }
    };
    // The histogram: a drag across it (pointer captured, so the end is seen even outside).
    let drag = StoredValue::new(None::<f64>);
    let chart_x = move |ev: &web_sys::PointerEvent| -> Option<(f64, f64, web_sys::Element)> {
        let el = find(".sl-chart")?;
        let rect = el.get_bounding_client_rect();
        Some((f64::from(ev.client_x()) - rect.left(), rect.width(), el))
    };
    let in_chart = |ev: &web_sys::PointerEvent| {
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest(".sl-chart").ok().flatten())
            .is_some()
    };
    let show_drag = move |a: f64, b: f64| {
        set_attr(".sl-drag", "hidden", None);
        set_attr(
            ".sl-drag",
            "style",
            Some(&format!(
                "left:{}px;width:{}px",
                a.min(b) as i32,
                (a - b).abs() as i32
            )),
        );
    };
    let on_pointerdown = move |ev: web_sys::PointerEvent| {
        if !in_chart(&ev) {
            return;
        }
        if let Some((x, _, el)) = chart_x(&ev) {
            let _ = el.set_pointer_capture(ev.pointer_id());
            drag.set_value(Some(x));
            show_drag(x, x);
        }
    };
    let on_pointermove = move |ev: web_sys::PointerEvent| {
        if let (Some(a), Some((x, _, _))) = (drag.get_value(), chart_x(&ev)) {
            show_drag(a, x);
        }
    };
    let on_pointerup = move |ev: web_sys::PointerEvent| {
        let Some(a) = drag.get_value() else { return };
        drag.set_value(None);
        set_attr(".sl-drag", "hidden", Some(""));
        if let Some((x, w, _)) = chart_x(&ev) {
            if (x - a).abs() >= 3.0 {
                if let Some((from, to)) =
                    hist.with_untracked(|h| h.as_ref().and_then(|h| h.range_at(a, x, w)))
                {
                    set_range(Some(RangeSpec::Absolute { from, to }));
                }
            }
        }
    };

    // --- page-wide keys: `/`, `?`, Esc ------------------------------------------------------
    let page_keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        match ev.key().as_str() {
            "Escape" if help_open.get_untracked() => {
                help_open.set(false);
                focus(".sl-grid");
            }
            "Escape" if details_open.get_untracked() => {
                details_open.set(false);
                focus(".sl-grid");
            }
            "/" if !typing => {
                ev.prevent_default();
                focus("#sl-filter");
            }
            "?" if !typing => help_open.update(|o| *o = !*o),
            _ => {}
        }
    });
    on_cleanup(move || page_keys.remove());

    let url_notice = (!url_issues.is_empty()).then(|| {
        let text = url_issues.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
        view! { <p class="notice notice-warning" role="status">"Part of the link was not understood: " {text}</p> }
    });
    let server_total = list.total.filter(|t| *t as usize > total).map(|t| {
        view! { <p class="muted">{format!("The server reports {t} sessions in all; this list holds {total}.")}</p> }
    });

    view! {
        <super::skipped::SkippedNotice skipped=list.skipped.clone() total=total + list.skipped.len() noun="sessions"/>
        {server_total}
        {url_notice}
        {move || error.get().map(|e| view! { <FailureNotice failure=e/> })}
        {move || requerying.get().then(|| view! { <p class="notice" role="status">"Asking the server for the sessions in this range…"</p> })}
        <section
            class="sl"
            aria-label="Session list"
            node_ref=root
            on:click=on_click
            on:input=on_input
            on:change=on_change
            on:keyup=on_keyup
            on:pointerdown=on_pointerdown
            on:pointermove=on_pointermove
            on:pointerup=on_pointerup
        >
            <div inner_html=TOP></div>
            <div
                class="sl-grid"
                class:with-log=with_log
                role="grid"
                tabindex="0"
                aria-label="Sessions"
                node_ref=grid
                on:scroll=move |_| measure_grid()
                on:keydown=on_grid_key
                style=format!("--sl-cols:{}", crate::list::columns::grid_tracks(with_log))
                inner_html=crate::list::html::grid(with_log)
            ></div>
            <div inner_html=bottom()></div>
        </section>
    }
}

/// The range select's value for a range: its preset, or `custom`.
fn range_choice(range: Option<RangeSpec>) -> &'static str {
    match range {
        None => "",
        Some(r) => r.preset().unwrap_or("custom"),
    }
}

/// An instant as Ekran's `start`/`end` take it: `YYYY-MM-DDTHH:MM:SS`, UTC.
fn ekran_time(unix_us: i64) -> String {
    wall_clock(unix_us, 0, false)
        .get(..19)
        .map(|t| t.replacen(' ', "T", 1))
        .unwrap_or_default()
}

/// A `datetime-local` value (the viewer's wall clock, or UTC when times are shown in UTC) as an
/// instant.
fn local_input_to_us(text: &str, zone: Zone) -> Option<i64> {
    let as_utc = crate::model::parse_timestamp(text)
        .ok()
        .flatten()?
        .unix_micros();
    // The offset at the instant read as UTC is right except within an hour of a DST change.
    Some(as_utc - i64::from(zone.offset_minutes(as_utc)) * 60_000_000)
}

/// Offers `text` as a file to save.
fn download(text: &str, mime: &str, name: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let link = document()
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(a) = link {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
}
