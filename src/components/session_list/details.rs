//! The selected session's details (every field, its source, its log), the key help, and the
//! page-wide keys: `/` to the filter, `?` for the help, Esc to close either.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::region::{Control, Region};
use super::List;

/// Characters of a session's source shown before "show all".
const SOURCE_CHARS: usize = 20_000;

/// Details of the selected session, and the key help.
/// `doc` is the open document's id, for the "Job history" link (`/job/:id?key=…`); without
/// one (a list drawn on its own), no link.
pub(super) fn draw(l: List, doc: Option<String>) {
    crate::components::effect(move |_| {
        let _ = l.root.get();
        let html = if l.details_open.get() {
            let z = l.times.get();
            let show = move |us: i64| z.show(us);
            let time = crate::list::html::TimeText {
                show: &show,
                now_us: l.now.get(),
            };
            let pos = l.selected_pos.get();
            let i = pos.and_then(|p| l.shown.with(|v| v.0.get(p).copied()));
            l.sessions
                .with_value(|all| {
                    let i = i? as usize;
                    let s = all.get(i)?;
                    let job = doc
                        .as_deref()
                        .zip(s.job.as_deref().filter(|k| !k.is_empty()))
                        .map(|(d, k)| crate::views::job::job_href(d, k));
                    let usual = super::usual_of(l.usual, all, false);
                    let job_lines = crate::list::html::JobLines {
                        href: job.as_deref(),
                        compared: usual.compared(all, i),
                        streak: usual.streak(i).unwrap_or(0),
                    };
                    Some(crate::list::html::details(
                        s,
                        &time,
                        SOURCE_CHARS,
                        &job_lines,
                    ))
                })
                .unwrap_or_default()
        } else {
            String::new()
        };
        l.set_html(Region::Details, &html);
        l.set_attr(
            Region::KeyHelp,
            "hidden",
            (!l.help_open.get()).then_some(""),
        );
    });
}

pub(super) fn close_details(l: List) {
    l.details_open.set(false);
    l.focus_grid();
}

pub(super) fn toggle_help(l: List) {
    l.help_open.update(|o| *o = !*o);
}

pub(super) fn close_help(l: List) {
    l.help_open.set(false);
    l.focus_grid();
}

/// `/`, `?` and Esc anywhere on the page while the list is shown.
pub(super) fn listen_page_keys(l: List) {
    let page_keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        match ev.key().as_str() {
            "Escape" if l.help_open.get_untracked() => close_help(l),
            "Escape" if l.details_open.get_untracked() => close_details(l),
            "/" if !typing => {
                ev.prevent_default();
                l.focus(Control::Filter);
            }
            "?" if !typing => toggle_help(l),
            _ => {}
        }
    });
    on_cleanup(move || page_keys.remove());
}
