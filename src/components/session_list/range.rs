//! The time range: the select's presets, From/To for a range between two instants, and the
//! range applied with "Clear range", and the filter the server takes beside it (VBA's session
//! type, M365's job). For a live list whose server filters by time the server is asked again.

use leptos::prelude::*;

use crate::components::time::now_us;
use crate::list::html::escape;
use crate::list::RangeSpec;
use crate::model::wall_clock;
use crate::vendors::contract::ServerFilter;

use super::markup::clear_range_button;
use super::region::{Control, Region};
use super::List;

/// The range controls and the range now applied.
pub(super) fn draw(l: List) {
    let mut drawn = None;
    crate::components::effect(move |_| {
        let mounted = l.root.get().is_some();
        let range = l.state.with(|s| s.range);
        let z = l.times.get();
        // Every keystroke changes the state too: the DOM is written only when what is drawn
        // here changed (a write, even of nothing, makes the browser restyle the bar).
        if drawn == Some((mounted, range, z)) {
            return;
        }
        drawn = Some((mounted, range, z));
        if let Some(select) = l.select_element() {
            select.set_value(range_choice(range));
        }
        let now_text = range.map(|r| {
            let (a, b) = r.resolve(l.now.get_untracked());
            format!("{} – {} {}", z.show(a), z.show(b), clear_range_button())
        });
        l.set_html(Region::RangeNow, &now_text.unwrap_or_default());
        if let Some(utc) = l.input(Control::Utc) {
            utc.set_checked(z.is_utc());
        }
    });
}

/// Applies a range (`None`: all time).
pub(super) fn set_range(l: List, range: Option<RangeSpec>) {
    l.mark_filter();
    let mut next = l.state.get_untracked();
    next.range = range;
    l.commit(next, false);
    requery(l);
}

/// Where the server filters by time (and by the list's server filter): fetches the sessions of
/// the state's range and filter into this document (it is redrawn from the new list; the state
/// stays in the URL, and the range filters here too).
pub(super) fn requery(l: List) {
    let (Some(conn), Some(store), true) = (l.connection.get_value(), l.store, l.server_range)
    else {
        return;
    };
    let (range, only) = l
        .state
        .with_untracked(|s| (s.range, s.only.clone().unwrap_or_default()));
    let (start, end) = match range.map(|r| r.resolve(now_us())) {
        Some((a, b)) => (ekran_time(a), ekran_time(b)),
        None => (String::new(), String::new()),
    };
    let (requerying, set_error, list_id) = (l.requerying, l.set_error, l.list_id);
    requerying.set(true);
    set_error.set(None);
    leptos::task::spawn_local(async move {
        let window = crate::vendors::contract::Window {
            start: &start,
            end: &end,
            only: &only,
        };
        let result =
            crate::connections::fetching::open_window(store, &conn, list_id, window, None).await;
        // The list may have been redrawn from the new document by now.
        let _ = requerying.try_set(false);
        if let Err(e) = result {
            let _ = set_error.try_set(Some(e));
        }
    });
}

/// The select of the filter the server takes (VBA's session type, M365's job): a view with a
/// typed handler; its options, values from the vendor or from the data, are escaped text. A
/// choice goes into the URL, and the list asks the server again (see `SessionList`).
pub(super) fn only_select(l: List, filter: &'static ServerFilter) -> impl IntoView {
    let chosen = l
        .state
        .with_untracked(|s| s.only.clone())
        .unwrap_or_default();
    let choose = move |ev: web_sys::Event| {
        let value = event_target_value(&ev);
        let mut next = l.state.get_untracked();
        next.only = (!value.is_empty()).then_some(value);
        l.commit(next, false);
        requery(l);
    };
    view! {
        <label class="sl-only">
            {filter.label}
            <select on:change=crate::components::on(choose) inner_html=only_options(l, filter, &chosen)></select>
        </label>
    }
}

/// The filter's options: "All", then the vendor's values, or the jobs the list holds (by key,
/// named by their sessions' names), and the chosen value wherever it is missing.
fn only_options(l: List, filter: &ServerFilter, chosen: &str) -> String {
    let mut out = String::from(r#"<option value="">All</option>"#);
    let mut seen: Vec<String> = Vec::new();
    for value in filter.known {
        option(&mut out, &mut seen, value, value, chosen);
    }
    if filter.known.is_empty() {
        l.sessions.with_value(|all| {
            for s in all.iter() {
                if let Some(job) = &s.job {
                    option(
                        &mut out,
                        &mut seen,
                        job,
                        s.name.as_deref().unwrap_or(job),
                        chosen,
                    );
                }
            }
        });
    }
    option(&mut out, &mut seen, chosen, chosen, chosen);
    out
}

/// One option, escaped, unless it is empty or already there.
fn option(out: &mut String, seen: &mut Vec<String>, value: &str, text: &str, chosen: &str) {
    if value.is_empty() || seen.iter().any(|s| s == value) {
        return;
    }
    seen.push(value.to_string());
    out.push_str(r#"<option value=""#);
    escape(value, out);
    out.push_str(if value == chosen {
        r#"" selected>"#
    } else {
        r#"">"#
    });
    escape(text, out);
    out.push_str("</option>");
}

/// "Apply range": From and To, read in the zone times are shown in, when From is before To.
pub(super) fn apply_inputs(l: List) {
    let z = l.times.get_untracked();
    let read = |c: Control| l.input(c).and_then(|i| z.read_input(&i.value()));
    if let (Some(from), Some(to)) = (read(Control::From), read(Control::To)) {
        if from < to {
            set_range(l, Some(RangeSpec::Absolute { from, to }));
        }
    }
}

/// The select changed: a preset applies at once, "Between…" goes to From.
pub(super) fn choose(l: List, value: &str) {
    match value {
        "" => set_range(l, None),
        "custom" => l.focus(Control::From),
        other => set_range(l, RangeSpec::parse(other).ok()),
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
