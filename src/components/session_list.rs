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

fn now_us() -> i64 {
    (js_sys::Date::now() * 1000.0) as i64
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// A whole session list. `source` names it in exports; with `connection`, sessions that have a
/// log get a "Log" button that fetches it from that connection.
#[component]
pub fn SessionList(
    list: Arc<Sessions>,
    #[prop(into)] source: String,
    connection: Option<String>,
) -> impl IntoView {
    let sessions: Arc<[Session]> = list.sessions.clone().into();
    let total = sessions.len();
    let index = Arc::new(SearchIndex::new(&sessions));
    let location = use_location();
    let navigate = use_navigate();
    let store = use_context::<Store>();

    // --- state, from and to the URL -------------------------------------------------------
    let (initial, url_issues) = ListState::from_query_string(&location.search.get_untracked());
    let state = RwSignal::new(initial);
    let path = location.pathname;
    // Stored so that `commit`, and every closure that uses it, is `Copy`.
    let nav = StoredValue::new_local(navigate.clone());
    let commit = {
        move |new: ListState, replace: bool| {
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
        }
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
    if sessions.iter().any(Session::is_open) {
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
    let shown = {
        let sessions = sessions.clone();
        let index = index.clone();
        Memo::new(move |_| {
            let sort = state.with(|s| s.sort);
            let range = range_us.get();
            parsed.with(|(query, _)| {
                let now = now.get_untracked();
                let mut rows = filter_indices(&index, &sessions, query, range, now);
                if let Some(key) = sort {
                    sort_indices(&mut rows, &sessions, key, now);
                }
                Shown(Arc::new(rows))
            })
        })
    };
    let count = Memo::new(move |_| shown.with(|s| s.0.len()));
    let selected_pos = {
        let sessions = sessions.clone();
        Memo::new(move |_| {
            let sel = state.with(|s| s.selected.clone())?;
            shown.with(|s| {
                s.0.iter().position(|&i| {
                    sessions.get(i as usize).map(|s| s.id.as_str()) == Some(sel.as_str())
                })
            })
        })
    };
    // `sv:filter`: filter changed → list updated. The list is updated once the effects queued
    // by the change have run, which `tick` waits for.
    let mark_filter = move || {
        crate::perf::mark("sv:filter-start");
        leptos::task::spawn_local(async {
            leptos::task::tick().await;
            crate::perf::measure("sv:filter", "sv:filter-start");
        });
    };

    // --- scrolling window -----------------------------------------------------------------
    let grid = NodeRef::<leptos::html::Div>::new();
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
    // Model ready → rows in the DOM: this effect runs once the grid has been mounted.
    Effect::new(move |_| {
        measure_grid();
        crate::perf::measure("sv:render", "sv:ready");
        if let Some(pos) = selected_pos.get_untracked() {
            scroll_to_pos(pos);
        }
    });

    // --- selection and opening --------------------------------------------------------------
    let (error, set_error) = signal(None::<Failure>);
    let details_open = RwSignal::new(false);
    let select = {
        let sessions = sessions.clone();
        move |pos: usize| {
            let id = shown.with_untracked(|s| {
                s.0.get(pos)
                    .and_then(|&i| sessions.get(i as usize))
                    .map(|s| s.id.clone())
            });
            if let Some(id) = id {
                let mut next = state.get_untracked();
                next.selected = Some(id);
                commit(next, true);
                scroll_to_pos(pos);
            }
        }
    };
    let open_log = {
        let navigate = navigate.clone();
        let connection = connection.clone();
        move |session: &Session| -> bool {
            let (Some(conn), Some(href), Some(store)) =
                (connection.clone(), session.log_href.clone(), store)
            else {
                return false;
            };
            let id = session.id.clone();
            let navigate = navigate.clone();
            set_error.set(None);
            leptos::task::spawn_local(async move {
                match crate::live::open_log(store, &conn, &id, &href).await {
                    Ok(route) => navigate(&route, Default::default()),
                    Err(e) => set_error.set(Some(e)),
                }
            });
            true
        }
    };
    let focus_grid = move || {
        if let Some(el) = grid.get_untracked() {
            let _ = el.focus();
        }
    };
    let on_grid_key = {
        let sessions = sessions.clone();
        let select = select.clone();
        move |ev: web_sys::KeyboardEvent| {
            let key = ev.key();
            if let Some(mv) = Move::from_key(&key) {
                ev.prevent_default();
                let page = (scroll.get_untracked().1 / ROW_HEIGHT) as usize;
                if let Some(pos) =
                    mv.apply(selected_pos.get_untracked(), count.get_untracked(), page)
                {
                    select(pos);
                }
            } else if key == "Enter" {
                ev.prevent_default();
                let session = selected_pos.get_untracked().and_then(|pos| {
                    shown.with_untracked(|s| {
                        s.0.get(pos)
                            .and_then(|&i| sessions.get(i as usize).cloned())
                    })
                });
                if session.is_some() {
                    details_open.set(true);
                }
            }
        }
    };

    // --- page-wide keys: `/`, `?`, Esc ------------------------------------------------------
    let help_open = RwSignal::new(false);
    let filter_input = NodeRef::<leptos::html::Input>::new();
    let page_keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        match ev.key().as_str() {
            "Escape" => {
                if help_open.get_untracked() {
                    help_open.set(false);
                    focus_grid();
                } else if details_open.get_untracked() {
                    details_open.set(false);
                    focus_grid();
                }
            }
            "/" if !typing => {
                ev.prevent_default();
                if let Some(input) = filter_input.get_untracked() {
                    let _ = input.focus();
                }
            }
            "?" if !typing => help_open.update(|o| *o = !*o),
            _ => {}
        }
    });
    on_cleanup(move || page_keys.remove());

    // --- filter bar -------------------------------------------------------------------------
    let cursor = RwSignal::new(0usize);
    let on_filter_input = {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            if let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                cursor.set(input.selection_start().ok().flatten().unwrap_or(0) as usize);
            }
            mark_filter();
            let mut next = state.get_untracked();
            next.query = value;
            commit(next, true);
        }
    };
    let completions = Memo::new(move |_| state.with(|s| complete(&s.query, cursor.get())));
    let apply_completion = move |completion: String| {
        mark_filter();
        let mut next = state.get_untracked();
        let (text, at) =
            crate::list::apply_completion(&next.query, cursor.get_untracked(), &completion);
        next.query = text;
        commit(next, false);
        cursor.set(at);
        if let Some(input) = filter_input.get_untracked() {
            // The value is set here too, so that the cursor can be put after the completion.
            input.set_value(&state.with_untracked(|s| s.query.clone()));
            let _ = input.focus();
            let _ = input.set_selection_range(at as u32, at as u32);
        }
    };
    let query_errors = move || {
        parsed.with(|(_, errors)| {
            state.with(|s| {
                errors
                    .iter()
                    .map(|e| {
                        let term = s.query.get(e.span.clone()).unwrap_or_default();
                        format!("“{}”: {}", clip(term, 60).0, e.kind)
                    })
                    .collect::<Vec<_>>()
            })
        })
    };

    // --- facets -----------------------------------------------------------------------------
    let facet_counts = {
        let sessions = sessions.clone();
        let facet_index = crate::list::FacetIndex::new(&sessions);
        Memo::new(move |_| shown.with(|s| facet_index.facets(&sessions, &s.0, FACET_VALUES)))
    };
    let toggle_facet = {
        move |sel: Selection| {
            mark_filter();
            let mut next = state.get_untracked();
            let (mut query, _) = parse_lenient(&next.query);
            sel.toggle(&mut query);
            next.query = query.to_text();
            commit(next, false);
        }
    };

    // --- time range and histogram -----------------------------------------------------------
    let extent = {
        let now = now.get_untracked();
        sessions
            .iter()
            .filter_map(|s| crate::list::filter::span(s, now))
            .fold(None, |acc: Option<(i64, i64)>, (a, b)| match acc {
                None => Some((a, b)),
                Some((x, y)) => Some((x.min(a), y.max(b))),
            })
    };
    let hist =
        {
            let sessions = sessions.clone();
            Memo::new(move |_| {
                let range = range_us.get().or(extent)?;
                Some(shown.with(|s| {
                    running_over_time(&sessions, &s.0, range, BUCKETS, now.get_untracked())
                }))
            })
        };
    let set_range = {
        move |range: Option<RangeSpec>| {
            mark_filter();
            let mut next = state.get_untracked();
            next.range = range;
            commit(next, false);
        }
    };
    let drag = RwSignal::new(None::<(f64, f64)>); // (from px, to px) while dragging
    let chart = NodeRef::<leptos::html::Div>::new();
    let chart_x = move |ev: &web_sys::PointerEvent| -> Option<(f64, f64)> {
        let el = chart.get_untracked()?;
        let rect = el.get_bounding_client_rect();
        Some((f64::from(ev.client_x()) - rect.left(), rect.width()))
    };
    let custom_from = RwSignal::new(String::new());
    let custom_to = RwSignal::new(String::new());

    // --- export -----------------------------------------------------------------------------
    let export = {
        let sessions = sessions.clone();
        let source = source.clone();
        move |json: bool| {
            let now = now_us();
            let z = zone.get_untracked();
            let st = state.get_untracked();
            let rows = shown.get_untracked();
            let header = Header {
                app: format!("Session Viewer {}", env!("CARGO_PKG_VERSION")),
                source: source.clone(),
                filter: st.query.clone(),
                range: st.range.map(RangeSpec::to_text).unwrap_or_default(),
                sort: st.sort.map(SortKey::to_text).unwrap_or_default(),
                time_zone: z.name(),
                rows: rows.0.len(),
                of: sessions.len(),
            };
            let show = move |us: i64| z.show(us);
            let (text, mime, ext) = if json {
                (
                    export::to_json(&header, &sessions, &rows.0, &show, now),
                    "application/json",
                    "json",
                )
            } else {
                (
                    export::to_csv(&header, &sessions, &rows.0, &show, now),
                    "text/csv",
                    "csv",
                )
            };
            download(&text, mime, &format!("sessions.{ext}"));
        }
    };

    // --- drawing ----------------------------------------------------------------------------
    let with_log = connection.is_some();
    let sort_header = {
        move |column: Column, label: &'static str| {
            let aria = move || match state.with(|s| s.sort) {
                Some(k) if k.column == column && k.descending => "descending",
                Some(k) if k.column == column => "ascending",
                _ => "none",
            };
            let click = move |_| {
                mark_filter();
                let mut next = state.get_untracked();
                let descending =
                    matches!(next.sort, Some(k) if k.column == column && !k.descending);
                next.sort = Some(SortKey::new(column, descending));
                commit(next, false);
            };
            view! {
                <div role="columnheader" aria-sort=aria class=format!("sl-c sl-c-{}", column.id())>
                    <button type="button" class="sl-sort" on:click=click>
                        {label}
                        <span class="sl-arrow" aria-hidden="true">
                            {move || match aria() { "ascending" => "▲", "descending" => "▼", _ => "" }}
                        </span>
                    </button>
                </div>
            }
        }
    };

    // The visible rows, as HTML text (see `list::html`): redrawn when the window, the rows,
    // the selection, the zone or the clock change.
    let rows_el = NodeRef::<leptos::html::Div>::new();
    {
        let sessions = sessions.clone();
        Effect::new(move |_| {
            let w = window.get();
            let z = zone.get();
            let now = now.get();
            let sel = selected_pos.get();
            let show = move |us: i64| z.show(us);
            let time = crate::list::html::TimeText {
                show: &show,
                now_us: now,
            };
            let html = shown.with(|s| {
                let ids = s.0.get(w.start..w.end).unwrap_or_default();
                crate::list::html::rows(&sessions, ids, w.start, sel, with_log, &time)
            });
            if let Some(el) = rows_el.get() {
                el.set_inner_html(&html);
            }
        });
    }

    let details_html = {
        let sessions = sessions.clone();
        move || {
            if !details_open.get() {
                return String::new();
            }
            let z = zone.get();
            let show = move |us: i64| z.show(us);
            let time = crate::list::html::TimeText {
                show: &show,
                now_us: now.get(),
            };
            selected_pos
                .get()
                .and_then(|pos| {
                    shown.with(|v| {
                        v.0.get(pos)
                            .and_then(|&i| sessions.get(i as usize).cloned())
                    })
                })
                .map(|s| crate::list::html::details(&s, &time, SOURCE_CHARS))
                .unwrap_or_default()
        }
    };
    let details_click = {
        let sessions = sessions.clone();
        let open_log = open_log.clone();
        move |ev: leptos::ev::MouseEvent| {
            let action = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest("[data-action]").ok().flatten())
                .and_then(|b| b.get_attribute("data-action"));
            match action.as_deref() {
                Some("open-log") => {
                    let s = selected_pos.get_untracked().and_then(|pos| {
                        shown.with_untracked(|v| {
                            v.0.get(pos)
                                .and_then(|&i| sessions.get(i as usize).cloned())
                        })
                    });
                    if let Some(s) = s {
                        open_log(&s);
                    }
                }
                Some("close") => {
                    details_open.set(false);
                    focus_grid();
                }
                _ => {}
            }
        }
    };

    let grid_click = {
        let sessions = sessions.clone();
        let open_log = open_log.clone();
        move |ev: leptos::ev::MouseEvent| {
            // One handler for the whole grid: rows and their "Log" buttons carry their position.
            let Some(target) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            else {
                return;
            };
            let pos_of = |selector: &str, attr: &str| {
                target
                    .closest(selector)
                    .ok()
                    .flatten()
                    .and_then(|el| el.get_attribute(attr))
                    .and_then(|p| p.parse::<usize>().ok())
            };
            if let Some(pos) = pos_of("[data-log-pos]", "data-log-pos") {
                if let Some(s) = shown.with_untracked(|v| {
                    v.0.get(pos)
                        .and_then(|&i| sessions.get(i as usize).cloned())
                }) {
                    open_log(&s);
                }
            } else if let Some(pos) = pos_of("[data-pos]", "data-pos") {
                select(pos);
            }
        }
    };

    let url_notice = (!url_issues.is_empty()).then(|| {
        let text = url_issues.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
        view! { <p class="notice notice-warning" role="status">"Part of the link was not understood: " {text}</p> }
    });
    let skipped = list.skipped.clone();
    let server_total = list
        .total
        .filter(|t| *t as usize > total)
        .map(|t| view! { <p class="muted">{format!("The server reports {t} sessions in all; this list holds {total}.")}</p> });

    view! {
        <super::skipped::SkippedNotice skipped=skipped total=total + list.skipped.len() noun="sessions"/>
        {server_total}
        {url_notice}
        {move || error.get().map(|e| view! { <FailureNotice failure=e/> })}
        <section class="sl" aria-label="Session list">
            <div class="sl-bar">
                <div class="sl-filter">
                    <label for="sl-filter">"Filter"</label>
                    <input
                        id="sl-filter"
                        type="search"
                        node_ref=filter_input
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="e.g. user:jen status:failed duration>1h start>=2021-04-01"
                        aria-describedby="sl-filter-help"
                        prop:value=move || state.with(|s| s.query.clone())
                        on:input=on_filter_input
                        on:keyup=move |ev| {
                            if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                cursor.set(input.selection_start().ok().flatten().unwrap_or(0) as usize);
                            }
                        }
                    />
                    <div id="sl-filter-help" class="sl-help">
                        {move || {
                            let errors = query_errors();
                            (!errors.is_empty()).then(|| view! {
                                <ul class="sl-errors" role="alert">
                                    {errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                                </ul>
                            })
                        }}
                        {move || {
                            let apply = apply_completion;
                            let list = completions.get();
                            (!list.is_empty()).then(|| view! {
                                <div class="sl-complete" aria-label="Completions" role="group">
                                    {list.into_iter().take(6).map(|c| {
                                        let label = c.clone();
                                        view! { <button type="button" class="chip" on:click=move |_| apply(c.clone())>{label}</button> }
                                    }).collect_view()}
                                </div>
                            })
                        }}
                    </div>
                </div>
                <div class="sl-range">
                    <label for="sl-range">"Time range"</label>
                    <select
                        id="sl-range"
                        prop:value=move || range_choice(state.with(|s| s.range))
                        on:change={
                            move |ev| {
                                let v = event_target_value(&ev);
                                match v.as_str() {
                                    "" => set_range(None),
                                    "custom" => {}
                                    other => set_range(RangeSpec::parse(other).ok()),
                                }
                            }
                        }
                    >
                        <option value="">"All time"</option>
                        <option value="1h">"Last hour"</option>
                        <option value="24h">"Last 24 hours"</option>
                        <option value="7d">"Last 7 days"</option>
                        <option value="custom">"Between…"</option>
                    </select>
                    <label for="sl-from">"From"</label>
                    <input id="sl-from" type="datetime-local" step="1" prop:value=move || custom_from.get()
                        on:change=move |ev| custom_from.set(event_target_value(&ev))/>
                    <label for="sl-to">"To"</label>
                    <input id="sl-to" type="datetime-local" step="1" prop:value=move || custom_to.get()
                        on:change=move |ev| custom_to.set(event_target_value(&ev))/>
                    <button type="button" class="button secondary small" on:click={
                        move |_| {
                            let z = zone.get_untracked();
                            let read = |text: String| local_input_to_us(&text, z);
                            if let (Some(from), Some(to)) = (read(custom_from.get_untracked()), read(custom_to.get_untracked())) {
                                if from < to {
                                    set_range(Some(RangeSpec::Absolute { from, to }));
                                }
                            }
                        }
                    }>"Apply range"</button>
                    {move || state.with(|s| s.range).map(|r| {
                        let z = zone.get();
                        let (a, b) = r.resolve(now.get_untracked());
                        view! {
                            <span class="sl-range-now">{format!("{} – {}", z.show(a), z.show(b))}</span>
                            <button type="button" class="button secondary small" on:click=move |_| set_range(None)>"Clear range"</button>
                        }
                    })}
                </div>
                <div class="sl-tools">
                    <label class="sl-utc">
                        <input type="checkbox" prop:checked=move || zone.get().utc on:change=move |ev| {
                            let utc = event_target_checked(&ev);
                            zone.set(Zone { utc });
                            if let Some(s) = local_storage() {
                                let _ = s.set_item(ZONE_KEY, if utc { "utc" } else { "local" });
                            }
                        }/>
                        " Times in UTC"
                    </label>
                    <button type="button" class="button secondary small" on:click={ let e = export.clone(); move |_| e(false) }>"Export CSV"</button>
                    <button type="button" class="button secondary small" on:click=move |_| export(true)>"Export JSON"</button>
                    <button type="button" class="button secondary small" aria-haspopup="dialog" on:click=move |_| help_open.update(|o| *o = !*o)>"Keys (?)"</button>
                </div>
            </div>

            <div
                class="sl-facets"
                inner_html=move || facet_counts.with(|f| parsed.with(|(q, _)| crate::list::html::facets(f, q)))
                on:click=move |ev| {
                    let Some(button) = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .and_then(|t| t.closest("[data-facet]").ok().flatten())
                    else {
                        return;
                    };
                    let attr = |name: &str| button.get_attribute(name).unwrap_or_default();
                    if let Some(field) = crate::list::html::facet_field(&attr("data-facet")) {
                        toggle_facet(Selection { field, value: attr("data-value"), include: attr("data-include") == "1" });
                    }
                }
            ></div>

            {move || hist.with(|h| h.as_ref().map(|h| {
                let z = zone.get();
                let span = format!("{} – {}", z.show(h.from), z.show(h.to));
                let label = format!("Sessions running over time, {span}; drag across the chart to narrow the time range");
                let caption = format!("{span} · tallest bar: {} sessions running", h.max_total());
                let bars = crate::list::html::histogram(h);
                let hist_for_up = h.clone();
                view! {
                    <figure class="sl-hist">
                        <div class="sl-chart" node_ref=chart role="img" aria-label=label
                            on:pointerdown=move |ev| {
                                if let Some((x, _)) = chart_x(&ev) { drag.set(Some((x, x))); }
                            }
                            on:pointermove=move |ev| {
                                if let (Some((a, _)), Some((x, _))) = (drag.get_untracked(), chart_x(&ev)) { drag.set(Some((a, x))); }
                            }
                            on:pointerup=move |ev| {
                                let Some((a, _)) = drag.get_untracked() else { return };
                                drag.set(None);
                                if let Some((x, w)) = chart_x(&ev) {
                                    if (x - a).abs() >= 3.0 {
                                        if let Some((from, to)) = hist_for_up.range_at(a, x, w) {
                                            set_range(Some(RangeSpec::Absolute { from, to }));
                                        }
                                    }
                                }
                            }
                            on:pointerleave=move |_| drag.set(None)
                        >
                            <div class="sl-bars" inner_html=bars></div>
                            <div class="sl-drag" style=move || match drag.get() {
                                Some((a, b)) => format!("left:{}px;width:{}px", a.min(b) as i32, (a - b).abs() as i32),
                                None => "display:none".to_string(),
                            }></div>
                        </div>
                        <figcaption class="muted">{caption}</figcaption>
                    </figure>
                }
            }))}

            <p class="sl-count" role="status" aria-live="polite">
                {move || {
                    let n = count.get();
                    if n == total { format!("{total} sessions") } else { format!("{n} of {total} sessions") }
                }}
            </p>

            <div
                class="sl-grid"
                class:with-log=with_log
                role="grid"
                tabindex="0"
                aria-label="Sessions"
                aria-rowcount=move || count.get() + 1
                aria-activedescendant=move || selected_pos.get().map(|_| "sl-active")
                node_ref=grid
                on:scroll=move |_| measure_grid()
                on:keydown=on_grid_key
                on:click=grid_click
            >
                <div role="rowgroup" class="sl-head">
                    <div role="row" class="sl-row" aria-rowindex="1">
                        {sort_header(Column::Status, "Status")}
                        {sort_header(Column::Id, "Session")}
                        {sort_header(Column::User, "User")}
                        {sort_header(Column::Host, "Host / client")}
                        {sort_header(Column::Start, "Started")}
                        {sort_header(Column::End, "Ended")}
                        {sort_header(Column::Duration, "Duration")}
                        {sort_header(Column::Name, "Type / name")}
                        {with_log.then(|| view! { <div role="columnheader" class="sl-c"><span class="visually-hidden">"Log"</span></div> })}
                    </div>
                </div>
                <div role="rowgroup" class="sl-body" style=move || format!("height:{}px", window.get().total as u64)>
                    <div class="sl-window" node_ref=rows_el style=move || format!("transform:translateY({}px)", window.get().top as u64)></div>
                </div>
            </div>
            {move || (count.get() == 0).then(|| view! { <p class="sl-empty">"No session matches the filter and range."</p> })}
            <div inner_html=details_html on:click=details_click></div>
            <div class="sl-help-dialog" role="dialog" aria-modal="false" aria-label="Keyboard shortcuts" hidden=move || !help_open.get()>
                <h2>"Keys"</h2>
                <div inner_html=crate::list::html::key_help()></div>
                <button type="button" class="button secondary small" on:click=move |_| { help_open.set(false); focus_grid(); }>"Close"</button>
            </div>
        </section>
    }
}

/// The range select's value for a range: its preset, or `custom`.
fn range_choice(range: Option<RangeSpec>) -> String {
    match range {
        None => String::new(),
        Some(RangeSpec::Last(d)) => {
            let text = crate::list::url::encode(&RangeSpec::Last(d).to_text());
            if ["1h", "24h", "7d"].contains(&text.as_str()) {
                text
            } else {
                "custom".into()
            }
        }
        Some(_) => "custom".into(),
    }
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
