//! The list's delegated handlers: one click handler and one change handler for the whole list,
//! dispatching on the typed hooks the markup carries (`list::action::{Action, Hook}`,
//! `region::Control`), so that rows and facets written as text need no handler of their own.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::list::action::{Action, Hook};
use crate::list::{parse_lenient, Column, Selection};

use super::region::Control;
use super::times::ShowTimesIn;
use super::{details, export, filter_bar, grid, range, All, List};

/// A click anywhere in the list: the innermost hooked element decides.
pub(super) fn on_click(l: List, ev: web_sys::MouseEvent) {
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    // The closest element carrying the hook, and the hook's value on it.
    let hit = |hook: Hook| -> Option<(web_sys::Element, String)> {
        let el = target.closest(hook.selector()).ok().flatten()?;
        let value = el.get_attribute(hook.attr()).unwrap_or_default();
        Some((el, value))
    };
    if let Some((_, pos)) = hit(Hook::LogPos) {
        if let Some(s) = pos.parse().ok().and_then(|p| l.session_at(p)) {
            l.open_log(s);
        }
    } else if let Some((_, pos)) = hit(Hook::Pos) {
        if let Ok(pos) = pos.parse() {
            grid::select(l, pos);
        }
    } else if let Some((_, column)) = hit(Hook::Sort) {
        if let Some(column) = Column::parse(&column) {
            grid::sort_by(l, column);
        }
    } else if let Some((b, key)) = hit(Hook::Facet) {
        if let Some(field) = crate::list::html::facet_field(&key) {
            let attr = |hook: Hook| b.get_attribute(hook.attr()).unwrap_or_default();
            toggle_facet(
                l,
                Selection {
                    field,
                    value: attr(Hook::FacetValue),
                    include: attr(Hook::FacetInclude) == "1",
                },
            );
        }
    } else if let Some((_, completion)) = hit(Hook::Complete) {
        filter_bar::complete_with(l, &completion);
    } else if let Some((_, action)) = hit(Hook::Action) {
        if let Some(action) = Action::from_id(&action) {
            act(l, action);
        }
    }
}

/// What each action does; a new `Action` does not compile until it is handled here.
fn act(l: List, action: Action) {
    match action {
        Action::ExportCsv => export::export(l, false),
        Action::ExportJson => export::export(l, true),
        Action::Keys => details::toggle_help(l),
        Action::CloseKeys => details::close_help(l),
        Action::ClearRange => range::set_range(l, None),
        Action::ApplyRange => range::apply_inputs(l),
        Action::OpenLog => {
            if let Some(s) = l.selected_pos.get_untracked().and_then(|p| l.session_at(p)) {
                l.open_log(s);
            }
        }
        Action::CloseDetails => details::close_details(l),
        Action::WholeSpan => {
            if let Some(e) = l.sessions.with_value(All::extent) {
                let (from, to) = e.full;
                range::set_range(l, Some(crate::list::RangeSpec::Absolute { from, to }));
            }
        }
    }
}

/// A facet value or its `−`: writes or removes its term in the filter.
fn toggle_facet(l: List, selection: Selection) {
    l.mark_filter();
    let mut next = l.state.get_untracked();
    let (mut query, _) = parse_lenient(&next.query);
    selection.toggle(&mut query);
    next.query = query.to_text();
    l.commit(next, false);
}

/// The range select and the UTC switch (the filter is followed on `input`).
pub(super) fn on_change(l: List, ev: web_sys::Event) {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    if el.has_attribute(Hook::Show.attr()) {
        return super::columns::choose(l, &el);
    }
    match Control::from_id(&el.id()) {
        Some(Control::Range) => {
            let value = el
                .dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            range::choose(l, &value);
        }
        Some(Control::Utc) => {
            let utc = el
                .dyn_into::<web_sys::HtmlInputElement>()
                .is_ok_and(|i| i.checked());
            let times = ShowTimesIn::from_utc(utc);
            l.times.set(times);
            times.remember();
        }
        // The filter follows `input`; From and To are read on "Apply range".
        Some(Control::Filter | Control::From | Control::To) | None => {}
    }
}
