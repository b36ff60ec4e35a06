//! The grid: only the rows in view are in the DOM (one string of escaped HTML per window, see
//! `list::html::rows`), the body is as tall as all rows so the scrollbar is true, and the
//! keyboard moves the selection.

use leptos::prelude::*;

use crate::analysis::virtual_rows::{RowWindow, VirtualRows};
use crate::list::action::Hook;
use crate::list::keys::Move;
use crate::list::Column;

use super::region::Region;
use super::{List, HEADER_HEIGHT, ROW_HEIGHT};

fn layout() -> VirtualRows {
    VirtualRows {
        row_height: ROW_HEIGHT,
        ..VirtualRows::default()
    }
}

/// Which rows are in view, from the scroll position and the number of rows shown.
pub(super) fn window(scroll: RwSignal<(f64, f64)>, count: Memo<usize>) -> Memo<RowWindow> {
    Memo::new(move |_| {
        let (top, height) = scroll.get();
        layout().window(top, height, count.get())
    })
}

/// Reads the grid's scroll position and height.
pub(super) fn measure(l: List) {
    if let Some(el) = l.grid.get_untracked() {
        let h = (f64::from(el.client_height()) - HEADER_HEIGHT).max(ROW_HEIGHT);
        l.scroll.set((f64::from(el.scroll_top()), h));
    }
}

/// Scrolls as little as brings the row at `pos` into view.
pub(super) fn scroll_to_pos(l: List, pos: usize) {
    if let Some(el) = l.grid.get_untracked() {
        let (top, height) = l.scroll.get_untracked();
        let target = layout().scroll_to(pos, top, height);
        if target != top {
            el.set_scroll_top(target as i32);
        }
    }
}

/// The rows in view, and the grid's size and ARIA counts.
pub(super) fn draw_rows(l: List) {
    crate::components::effect(move |_| {
        let _ = l.root.get();
        let w = l.window.get();
        let z = l.times.get();
        let sel = l.selected_pos.get();
        let show = move |us: i64| z.show(us);
        let time = crate::list::html::TimeText {
            show: &show,
            now_us: l.now.get(),
        };
        let html = l.shown.with(|s| {
            let ids = s.0.get(w.start..w.end).unwrap_or_default();
            l.sessions.with_value(|all| {
                let u = super::usual_of(l.usual, all, false);
                crate::list::html::rows(all, ids, w.start, sel, (l.cols.get(), &u), &time)
            })
        });
        l.set_html(Region::Window, &html);
        l.set_style(
            Region::Window,
            &format!("transform:translateY({}px)", w.top as u64),
        );
        l.set_style(Region::Body, &format!("height:{}px", w.total as u64));
        if let Some(g) = l.grid.get_untracked() {
            let _ = g.set_attribute("aria-rowcount", &(l.count.get() + 1).to_string());
            let _ = match sel {
                Some(_) => g.set_attribute("aria-activedescendant", "sl-active"),
                None => g.remove_attribute("aria-activedescendant"),
            };
        }
    });
}

/// The count, and the line saying nothing matches.
pub(super) fn draw_count(l: List) {
    crate::components::effect(move |_| {
        let _ = l.root.get();
        let n = l.count.get();
        let total = l.total;
        let text = if n == total {
            format!("{total} sessions")
        } else {
            format!("{n} of {total} sessions")
        };
        l.set_html(Region::Count, &text);
        l.set_attr(Region::Empty, "hidden", (n > 0).then_some(""));
    });
}

/// Each header says whether it is the sort.
pub(super) fn draw_sort(l: List) {
    crate::components::effect(move |_| {
        let _ = l.root.get();
        l.state.track();
        paint_sort(l);
    });
}

/// Writes the sort state into the headers (also after the header is written again).
pub(super) fn paint_sort(l: List) {
    let sort = l.state.with_untracked(|s| s.sort);
    let Some(root) = l.root.get_untracked() else {
        return;
    };
    for column in Column::ALL {
        let (aria, arrow) = match sort {
            Some(k) if k.column == column && k.descending => ("descending", "▼"),
            Some(k) if k.column == column => ("ascending", "▲"),
            _ => ("none", ""),
        };
        let selector = format!(r#"[{}="{}"]"#, Hook::Col.attr(), column.id());
        let Some(header) = root.query_selector(&selector).ok().flatten() else {
            continue;
        };
        let _ = header.set_attribute("aria-sort", aria);
        if let Some(el) = header
            .query_selector(Region::SortArrow.selector())
            .ok()
            .flatten()
        {
            el.set_inner_html(arrow);
        }
    }
}

/// Selects the row at `pos` (kept in the URL) and scrolls it into view.
pub(super) fn select(l: List, pos: usize) {
    if let Some(s) = l.session_at(pos) {
        let mut next = l.state.get_untracked();
        next.selected = Some(s.id);
        l.commit(next, true);
        scroll_to_pos(l, pos);
    }
}

/// A click on a header's sort button: sort by its column, or reverse an ascending sort by it.
pub(super) fn sort_by(l: List, column: Column) {
    l.mark_filter();
    let mut next = l.state.get_untracked();
    let descending = matches!(next.sort, Some(k) if k.column == column && !k.descending);
    next.sort = Some(crate::list::SortKey::new(column, descending));
    l.commit(next, false);
}

/// The grid's keys: moves of the selection, and Enter for the details.
pub(super) fn on_key(l: List, ev: web_sys::KeyboardEvent) {
    let key = ev.key();
    if let Some(mv) = Move::from_key(&key) {
        ev.prevent_default();
        let page = (l.scroll.get_untracked().1 / ROW_HEIGHT) as usize;
        if let Some(pos) = mv.apply(
            l.selected_pos.get_untracked(),
            l.count.get_untracked(),
            page,
        ) {
            select(l, pos);
        }
    } else if key == "Enter" && l.selected_pos.get_untracked().is_some() {
        ev.prevent_default();
        l.details_open.set(true);
    }
}
