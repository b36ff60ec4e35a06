//! Which columns the list shows: at first those some session fills (no empty User and Host
//! for a vendor without them), then what the reader chose in the "Columns" control, remembered
//! per list (by its source's name) in `localStorage`: a preference, never a secret.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::list::action::Hook;
use crate::list::columns::{grid_tracks, Cols, COLUMNS};
use crate::store::local_storage;

use super::region::Region;
use super::{grid, List};

fn key(source: &str) -> String {
    format!("session-viewer.columns.{source}")
}

/// The columns a list starts with: the remembered choice, or `filled` (the ones its sessions
/// fill, `Cols::filled`, counted once by the caller).
pub(super) fn initial(filled: Cols, with_log: bool, source: &str) -> Cols {
    let all = Cols::all(with_log);
    local_storage()
        .and_then(|s| s.get_item(&key(source)).ok().flatten())
        .and_then(|v| v.parse::<u16>().ok())
        .map(|bits| Cols(bits & all.0))
        .filter(|c| c.0 != 0)
        .unwrap_or(filled)
}

/// The grid's tracks (`--sl-cols`) and the fitted columns' widths (`columns::fitted_widths`),
/// set through the CSSOM; the header is written again when the columns change.
pub(super) fn draw(l: List, widths: [(&'static str, String); 3]) {
    crate::components::effect(move |first| {
        let cols = l.cols.get();
        let Some(el) = l.grid.get() else { return };
        // The grid's only inline declarations, all written at once (the CSSOM path of
        // `cssom::set`, which the rest of the app uses too).
        let mut css = String::from("--sl-cols:");
        css.push_str(&grid_tracks(cols));
        for (name, value) in &widths {
            css.push(';');
            css.push_str(name);
            css.push(':');
            css.push_str(value);
        }
        crate::components::cssom::set(&el, &css);
        if first.is_some() {
            l.set_html(Region::Head, &crate::list::html::head(cols));
            grid::paint_sort(l);
        }
    });
}

/// A "Columns" checkbox changed: show or hide its column, and remember the choice.
pub(super) fn choose(l: List, el: &web_sys::Element) {
    let Some(i) = el
        .get_attribute(Hook::Show.attr())
        .and_then(|i| i.parse::<usize>().ok())
    else {
        return;
    };
    let on = el
        .dyn_ref::<web_sys::HtmlInputElement>()
        .is_some_and(|b| b.checked());
    let next = l.cols.get_untracked().set(i, on);
    if next.0 == 0 || i >= COLUMNS.len() {
        return;
    }
    l.cols.set(next);
    if let Some(s) = local_storage() {
        let _ = s.set_item(&key(&l.source.get_value()), &next.0.to_string());
    }
}
