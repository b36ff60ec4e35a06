//! The session list: filter bar, facets, time range, histogram, a virtualised grid, keyboard,
//! export. All the work (filtering, sorting, counting, bucketing) is `crate::list` over the
//! model; this module wires signals to it and draws at most [`VirtualRows::max_rows`] rows.
//!
//! State: the filter text, range, sort and selected session live in the URL (`?q=&range=&sort=
//! &sel=`, see [`ListState`]); the component keeps a copy in a signal, writes it back with
//! `replace` while typing or moving the selection and with a new history entry for the rest,
//! and follows the URL when back/forward change it.
//!
//! The parts share one [`List`] (signals and stored values, all `Copy`): `markup` (the fixed
//! markup), `region` (where effects write), `grid` (rows in view, sorting, keyboard),
//! `filter_bar`, `range` (range controls and the histogram's drag), `panels` (facets and
//! histogram), `details` (the selected session, key help, page keys), `export`, `events` (the
//! delegated handlers) and `times` (local time or UTC).
//!
//! [`VirtualRows::max_rows`]: crate::analysis::virtual_rows::VirtualRows::max_rows

mod columns;
mod details;
mod events;
mod export;
mod filter_bar;
mod grid;
mod markup;
mod panels;
mod range;
mod region;
mod times;
mod warm;

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use crate::analysis::virtual_rows::RowWindow;
use crate::components::time::now_us;
use crate::connections::Failure;
use crate::list::{
    filter_among, filter_indices, narrows, parse_lenient, FacetIndex, Facets, Histogram, ListState,
    Query, QueryError, SearchIndex, SortKey, Usual,
};
use crate::model::{Session, SessionList as Sessions};
use crate::store::Store;
use crate::vendors::contract::ServerFilter;

use times::ShowTimesIn;
pub use warm::warm_up;

/// Height of one row in CSS pixels (style/main.css `.sl-row` keeps the same number).
const ROW_HEIGHT: f64 = 32.0;
/// Height of the sticky header row inside the scrolled grid.
const HEADER_HEIGHT: f64 = 36.0;

/// The rows currently shown (filtered and sorted indices into the list), compared by identity so
/// that a memo of 100 000 indices never compares them element by element.
#[derive(Clone, Default)]
struct Shown(Arc<Vec<u32>>);

impl PartialEq for Shown {
    fn eq(&self, other: &Shown) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The list's sessions, shared with the open document rather than copied, and the histogram's
/// span when no range is chosen (the bulk of the list, far outliers left out, and how many those
/// are): a pass over every session, found at once for a short list and with the first count of
/// a long one, whose first rows do not wait for it (see [`in_turn`]).
#[derive(Clone)]
struct All(
    Arc<Sessions>,
    Arc<std::sync::OnceLock<Option<crate::list::Extent>>>,
);

impl std::ops::Deref for All {
    type Target = [Session];
    fn deref(&self) -> &[Session] {
        &self.0.sessions
    }
}

impl All {
    #[inline(never)]
    fn extent(&self) -> Option<crate::list::Extent> {
        *self.1.get_or_init(|| crate::list::extent(self, now_us()))
    }

    /// The extent, where it is found already.
    fn extent_found(&self) -> Option<Option<crate::list::Extent>> {
        self.1.get().copied()
    }
}

/// Up to this many sessions, facets and the histogram follow each change at once; beyond, they
/// follow the rows in a later task (see [`List::settled`]).
const AT_ONCE: usize = 10_000;

/// How many of the filter's recent answers are kept.
const RECENT: usize = 8;

/// One of the filter's recent answers and what it answered: the same query asked again takes
/// it as it is, and a query that narrows it filters only these rows.
struct Last {
    query: Query,
    range: Option<(i64, i64)>,
    sort: Option<SortKey>,
    now: i64,
    rows: Shown,
}

type Navigate = Box<dyn Fn(&str, NavigateOptions)>;

/// Everything the list's parts share. Signals and stored values are handles, so the whole is
/// `Copy` and each part takes it by value.
#[derive(Clone, Copy)]
struct List {
    sessions: StoredValue<All>,
    /// Sessions in the whole list.
    total: usize,
    /// The columns shown (see `columns`).
    cols: RwSignal<crate::list::columns::Cols>,
    /// The server filters by time (Ekran's `start`/`end`): a range change asks it again.
    server_range: bool,
    /// Which of the connection's lists this is (its first when `None`), to ask again.
    list_id: Option<&'static str>,
    connection: StoredValue<Option<String>>,
    source: StoredValue<String>,
    store: Option<Store>,
    state: RwSignal<ListState>,
    path: Memo<String>,
    nav: StoredValue<Navigate, LocalStorage>,
    times: RwSignal<ShowTimesIn>,
    /// Where open sessions' durations end; ticks while any is open.
    now: RwSignal<i64>,
    /// The sessions grouped into jobs, each against its usual: built after the first rows (see
    /// [`in_turn`], which then sets `now` so that the rows are drawn again with them), or by the
    /// first filter, sort or export that needs them.
    usual: StoredValue<Option<Arc<Usual>>>,
    /// The search index: built after the first rows (see [`in_turn`]), or by the first filter.
    index: StoredValue<Option<SearchIndex>>,
    parsed: Memo<(Query, Vec<QueryError>)>,
    shown: Memo<Shown>,
    /// What the facets and the histogram count: `shown`, set in a later task for a long list,
    /// so that the rows are drawn (and the next keystroke read) before anything else is counted.
    settled: RwSignal<Shown>,
    count: Memo<usize>,
    selected_pos: Memo<Option<usize>>,
    set_error: WriteSignal<Option<Failure>>,
    requerying: RwSignal<bool>,
    root: NodeRef<leptos::html::Section>,
    grid: NodeRef<leptos::html::Div>,
    /// (scrollTop, rows' viewport height).
    scroll: RwSignal<(f64, f64)>,
    window: Memo<RowWindow>,
    /// The caret in the filter input, for completions.
    cursor: RwSignal<usize>,
    details_open: RwSignal<bool>,
    help_open: RwSignal<bool>,
    facet_counts: Memo<Facets>,
    hist: Memo<Option<Histogram>>,
    /// Where a drag across the histogram started (px from its left).
    drag: StoredValue<Option<f64>>,
    /// The warm-up's list, drawn off the page to compile the list's code ([`warm_up`]): it
    /// measures nothing and builds no jobs.
    quiet: bool,
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
    /// Which of the connection's lists this is (its first when `None`), to ask again.
    #[prop(default = None)]
    list_id: Option<&'static str>,
    /// The filter the server takes beside the window, where it does (a select asks again), and
    /// the value the list was asked with (empty: none).
    #[prop(default = None)]
    server_filter: Option<&'static ServerFilter>,
    #[prop(optional)] asked: String,
    /// The open document's id, for links to its jobs' views.
    #[prop(optional)]
    doc: Option<String>,
) -> impl IntoView {
    let location = use_location();
    let (initial, url_issues) = ListState::from_query_string(&location.search.get_untracked());
    let initial_only = initial.only.clone().unwrap_or_default();
    let (error, set_error) = signal(None::<Failure>);
    let all = All(list.clone(), Default::default());
    let any_open = all.iter().any(Session::is_open);
    let with_log = connection.is_some();
    let filled = crate::list::columns::Cols::filled(&all, with_log);
    let widths = crate::list::columns::fitted_widths(&all);
    let l = List::new(
        all,
        initial,
        location.pathname,
        (source, filled),
        connection,
        (server_range, list_id),
        set_error,
    );
    let total = l.total;
    // Back and forward: follow the URL when it no longer says what the list shows; where it
    // names another server filter (or a link named one the list was not asked with), ask the
    // server again.
    let filtered = server_filter.is_some();
    if filtered && initial_only != asked {
        range::requery(l);
    }
    crate::components::effect(move |_| {
        let (from_url, _) = ListState::from_query_string(&location.search.get());
        if l.state.with_untracked(|s| *s != from_url) {
            let again = filtered && l.state.with_untracked(|s| s.only != from_url.only);
            l.state.set(from_url);
            if again {
                range::requery(l);
            }
        }
    });
    // Open sessions' durations grow: redraw the visible rows every few seconds while any is open.
    if any_open {
        if let Ok(handle) = set_interval_with_handle(
            move || l.now.set(now_us()),
            std::time::Duration::from_secs(5),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    // Each region follows its signals (in this order, as the first paint expects).
    columns::draw(l, widths);
    grid::draw_rows(l);
    grid::draw_count(l);
    filter_bar::draw(l);
    range::draw(l);
    grid::draw_sort(l);
    panels::draw_facets(l);
    panels::draw_histogram(l);
    details::draw(l, doc);
    // Model ready → rows in the DOM: the first run of this effect follows the mount.
    crate::components::effect(move |_| {
        if l.root.get().is_some() {
            // The rows are in the DOM: reading the grid's height next makes the browser lay the
            // page out, which `sv:render` leaves out, as the vanilla page's does (bench/).
            if !l.quiet {
                crate::perf::measure("sv:render", "sv:ready");
            }
            grid::measure(l);
            if let Some(pos) = l.selected_pos.get_untracked() {
                grid::scroll_to_pos(l, pos);
            }
        }
    });
    details::listen_page_keys(l);
    settle(l);
    crate::components::after_paint(move || in_turn(l, 0));

    let url_notice = (!url_issues.is_empty()).then(|| {
        let text = url_issues.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
        view! { <p class="notice notice-warning" role="status">"Part of the link was not understood: " {text}</p> }
    });
    let server_total = list.total.filter(|t| *t as usize > total).map(|t| {
        view! { <p class="muted">{format!("The server reports {t} sessions in all; this list holds {total}.")}</p> }
    });
    let requerying = l.requerying;
    // The fixed markup and the "Columns" control after it (text: no view of its own).
    let picker = format!(
        r#"{}<details class="sl-columns">{}</details>"#,
        markup::top(),
        crate::list::html::column_picker(
            crate::list::columns::Cols::all(with_log),
            l.cols.get_untracked(),
            filled
        )
    );

    view! {
        <super::skipped::SkippedNotice skipped=list.skipped.clone() total=total + list.skipped.len() noun="sessions"/>
        {server_total}
        {url_notice}
        {crate::components::failure::notice(error)}
        {crate::components::dynamic(move || requerying.get().then(|| crate::views::doc::note(Some("notice"), "status", "Asking the server for the sessions in this range…".into())).into_any())}
        <section
            class="sl"
            aria-label="Session list"
            node_ref=l.root
            on:click=crate::components::on(move |ev| events::on_click(l, ev))
            on:input=crate::components::on(move |ev| filter_bar::on_input(l, ev))
            on:change=crate::components::on(move |ev| events::on_change(l, ev))
            on:keyup=crate::components::on(move |ev| filter_bar::on_keyup(l, ev))
            on:pointerdown=crate::components::on(move |ev| panels::on_pointerdown(l, ev))
            on:pointermove=crate::components::on(move |ev| panels::on_pointermove(l, ev))
            on:pointerup=crate::components::on(move |ev| panels::on_pointerup(l, ev))
        >
            {server_filter.map(|f| range::only_select(l, f))}
            <div inner_html=picker></div>
            <div
                class="sl-grid"
                role="grid"
                tabindex="0"
                aria-label="Sessions"
                node_ref=l.grid
                on:scroll=crate::components::on(move |_| grid::measure(l))
                on:keydown=crate::components::on(move |ev| grid::on_key(l, ev))
                inner_html=crate::list::html::grid(l.cols.get_untracked())
            ></div>
            <div inner_html=markup::bottom()></div>
        </section>
    }
}

impl List {
    /// The list's state and the work over it: parse, filter, sort, count, select.
    fn new(
        all: All,
        initial: ListState,
        path: Memo<String>,
        (source, filled): (String, crate::list::columns::Cols),
        connection: Option<String>,
        (server_range, list_id): (bool, Option<&'static str>),
        set_error: WriteSignal<Option<Failure>>,
    ) -> List {
        let total = all.len();
        let cols = columns::initial(filled, connection.is_some(), &source);
        if total <= AT_ONCE {
            all.extent();
        }
        // Both indexes are built after the first rows are drawn (see `settle`), or by the first
        // use that needs them.
        let index = StoredValue::new(None::<SearchIndex>);
        let facet_index = StoredValue::new(None::<FacetIndex>);
        let usual = StoredValue::new(None::<Arc<Usual>>);
        let sessions = StoredValue::new(all);
        let last = StoredValue::new(Vec::<Last>::new());
        let state = RwSignal::new(initial);
        let now = RwSignal::new(now_us());
        let navigate = use_navigate();
        let nav: Navigate = Box::new(move |url: &str, options| navigate(url, options));

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
            let rows = query.with(|query| {
                // An earlier answer to the same query (a term half typed and so left out, a
                // backspace) is the answer; else the fewest rows among earlier answers that the
                // query narrows (`jen` → `jenn`, a term added) are the only ones filtered, and
                // they are already sorted.
                let (same, narrowed) = last.with_value(|cache| {
                    let mut best: Option<&Shown> = None;
                    for c in cache.iter().rev() {
                        if c.range != range || c.sort != sort || c.now != now {
                            continue;
                        }
                        if c.query == *query {
                            return (Some(c.rows.clone()), None);
                        }
                        if best.is_none_or(|b| c.rows.0.len() < b.0.len())
                            && narrows(query, &c.query)
                        {
                            best = Some(&c.rows);
                        }
                    }
                    (None, best.cloned())
                });
                if let Some(rows) = same {
                    return rows;
                }
                let rows = sessions.with_value(|all| {
                    let jobs = query.uses_jobs()
                        || sort.is_some_and(|k| k.column == crate::list::Column::VsUsual);
                    let u = usual_of(usual, all, jobs);
                    if let Some(Shown(among)) = narrowed {
                        let rows = with_index(index, all, |ix| {
                            filter_among(ix, all, query, now, &u, &among)
                        });
                        // Every row kept (the first letters of a word that every row holds):
                        // the same answer, so nothing that follows it is drawn or counted again.
                        return if rows.len() == among.len() {
                            Err(among)
                        } else {
                            Ok(rows)
                        };
                    }
                    let mut rows = if query.terms.is_empty() && range.is_none() {
                        (0..all.len() as u32).collect()
                    } else {
                        with_index(index, all, |ix| {
                            filter_indices(ix, all, query, range, now, &u)
                        })
                    };
                    if let Some(key) = sort {
                        crate::list::usual::sort(&mut rows, all, key, now, &u);
                    }
                    Ok(rows)
                });
                let rows = Shown(rows.map_or_else(|same| same, Arc::new));
                last.update_value(|cache| {
                    if cache.len() >= RECENT {
                        cache.remove(0);
                    }
                    cache.push(Last {
                        query: query.clone(),
                        range,
                        sort,
                        now,
                        rows: rows.clone(),
                    });
                });
                rows
            });
            rows
        });
        let count = Memo::new(move |_| shown.with(|s| s.0.len()));
        let selected_pos = Memo::new(move |_| {
            let sel = state.with(|s| s.selected.clone())?;
            shown.with(|s| {
                sessions.with_value(|all| {
                    s.0.iter().position(|&i| {
                        all.get(i as usize).map(|s| s.id.as_str()) == Some(sel.as_str())
                    })
                })
            })
        });
        let scroll = RwSignal::new((0.0_f64, 600.0_f64));
        let window = grid::window(scroll, count);
        let settled = RwSignal::new(Shown::default());
        let settled_memo = Memo::new(move |_| settled.get());
        let facet_counts = panels::facet_counts(sessions, facet_index, settled_memo);
        let hist = panels::histogram(sessions, settled_memo, range_us, now);
        List {
            index,
            sessions,
            total,
            cols: RwSignal::new(cols),
            server_range,
            list_id,
            connection: StoredValue::new(connection),
            source: StoredValue::new(source),
            store: use_context::<Store>(),
            state,
            path,
            nav: StoredValue::new_local(nav),
            times: RwSignal::new(ShowTimesIn::remembered()),
            now,
            usual,
            parsed,
            shown,
            settled,
            count,
            selected_pos,
            set_error,
            requerying: RwSignal::new(false),
            root: NodeRef::new(),
            grid: NodeRef::new(),
            scroll,
            window,
            cursor: RwSignal::new(0),
            details_open: RwSignal::new(false),
            help_open: RwSignal::new(false),
            facet_counts,
            hist,
            drag: StoredValue::new(None),
            quiet: warm::building(),
        }
    }

    /// Makes `new` the list's state and writes it to the URL: `replace` while typing or moving
    /// the selection, a new history entry for the rest.
    fn commit(self, new: ListState, replace: bool) {
        if self.state.with_untracked(|s| *s == new) {
            return;
        }
        let qs = new.to_query_string();
        self.state.set(new);
        let path = self.path.get_untracked();
        let url = if qs.is_empty() {
            path
        } else {
            format!("{path}?{qs}")
        };
        self.navigate(
            &url,
            NavigateOptions {
                replace,
                scroll: false,
                ..Default::default()
            },
        );
    }

    fn navigate(self, url: &str, options: NavigateOptions) {
        self.nav.with_value(|navigate| navigate(url, options));
    }

    /// The session at a position of the shown list.
    fn session_at(self, pos: usize) -> Option<Session> {
        self.shown
            .with_untracked(|v| v.0.get(pos).copied())
            .and_then(|i| self.sessions.with_value(|all| all.get(i as usize).cloned()))
    }

    /// `sv:filter`: filter changed → list updated. The list is updated once the effects queued
    /// by the change have run, which `tick` waits for.
    fn mark_filter(self) {
        crate::perf::mark("sv:filter-start");
        leptos::task::spawn_local(async {
            leptos::task::tick().await;
            crate::perf::measure("sv:filter", "sv:filter-start");
        });
    }

    /// Fetches a session's log from the list's connection and shows it.
    fn open_log(self, session: Session) {
        let (Some(conn), Some(_), Some(store)) = (
            self.connection.get_value(),
            session.log_href.clone(),
            self.store,
        ) else {
            return;
        };
        let set_error = self.set_error;
        set_error.set(None);
        leptos::task::spawn_local(async move {
            match crate::connections::fetching::open_log(store, &conn, &session.id).await {
                Ok(route) => self.navigate(&route, Default::default()),
                Err(e) => set_error.set(Some(e)),
            }
        });
    }
}

/// Runs `f` with the search index, building it first if no one has yet.
fn with_index<T>(
    index: StoredValue<Option<SearchIndex>>,
    all: &[Session],
    f: impl FnOnce(&SearchIndex) -> T,
) -> T {
    if index.with_value(Option::is_none) {
        index.set_value(Some(SearchIndex::new(all)));
    }
    index.with_value(|ix| match ix {
        Some(ix) => f(ix),
        // Set just above.
        None => f(&SearchIndex::default()),
    })
}

/// The list's jobs: built first if `needed` and no one has yet; else as they are (empty until
/// built, so that the rows show no comparison yet). One function, not generic, for the bundle.
fn usual_of(usual: StoredValue<Option<Arc<Usual>>>, all: &[Session], needed: bool) -> Arc<Usual> {
    if needed && usual.with_value(Option::is_none) {
        // `sv:jobs`: 100 000 sessions grouped into jobs with their usual (bench/list.mjs).
        let built = crate::perf::timed("sv:jobs", || Usual::build(all, now_us()));
        usual.set_value(Some(Arc::new(built)));
    }
    usual.get_value().unwrap_or_default()
}

/// What follows the first rows, once they are painted, in this order and one task each, so that
/// a keystroke or a click queued meanwhile waits for one of them at most: the facets and the
/// histogram of a long list (a short one counts them at once), From/To (two `datetime-local`
/// inputs cost a fresh page 15–30 ms to parse and lay out), the search index, then the jobs
/// (the rows are drawn again with them: `now` moves on). Stops when the list is gone.
fn in_turn(l: List, step: u8) {
    if l.root.try_get_untracked().flatten().is_none() {
        return;
    }
    let all = || l.sessions.try_get_value();
    match step {
        0 if l.total > AT_ONCE => {
            if let Some(all) = all() {
                all.extent();
            }
            if let Some(rows) = l.shown.try_get_untracked() {
                l.settled.set(rows);
            }
        }
        0 => {}
        1 => l.set_html(region::Region::Between, &markup::between()),
        2 => {
            if let Some(all) = all() {
                with_index(l.index, &all, |_| ());
            }
        }
        3 if !l.quiet => {
            if let Some(all) = all() {
                usual_of(l.usual, &all, true);
                let _ = l.now.try_set(now_us());
            }
        }
        _ => return,
    }
    crate::components::later(Box::new(move || in_turn(l, step + 1)));
}

/// Facets and the histogram follow the rows: at once for a short list; for a long one, in a
/// task of their own (the first time, after the first rows are painted), counting only the
/// latest rows when several changes came first (typing), so that counting never delays the
/// first rows or the next keystroke.
fn settle(l: List) {
    let pending = StoredValue::new(None::<TimeoutHandle>);
    crate::components::effect(move |first| {
        let rows = l.shown.get();
        if l.total <= AT_ONCE {
            l.settled.set(rows);
            return;
        }
        let run = move || {
            pending.set_value(None);
            if let Some(rows) = l.shown.try_get_untracked() {
                l.settled.set(rows);
            }
        };
        if first.is_none() {
            // The first count follows the first paint ([`in_turn`]).
            return;
        }
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(run, std::time::Duration::ZERO);
        pending.set_value(handle.ok());
    });
}
