//! The filter bar: the input's text follows the state (a facet click or the URL may change it),
//! each bad term is named under it, and completions for the word at the caret are offered as
//! chips.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::format::clip;
use crate::list::action::Hook;
use crate::list::complete;
use crate::list::html::{escape, escape_to_string};

use super::region::{Control, Region};
use super::List;

/// Completions offered at once.
const COMPLETIONS: usize = 6;

/// The filter's text (when it changes from elsewhere), its errors and completions.
pub(super) fn draw(l: List) {
    crate::components::effect(move |_| {
        let _ = l.root.get();
        let query = l.state.with(|s| s.query.clone());
        if let Some(input) = l.input(Control::Filter) {
            if input.value() != query {
                input.set_value(&query);
            }
        }
        let mut help = String::new();
        l.parsed.with(|(_, errors)| {
            if !errors.is_empty() {
                help.push_str(r#"<ul class="sl-errors" role="alert">"#);
                for e in errors {
                    let term = query.get(e.span.clone()).unwrap_or_default();
                    help.push_str("<li>");
                    escape(&format!("“{}”: {}", clip(term, 60).0, e.kind), &mut help);
                    help.push_str("</li>");
                }
                help.push_str("</ul>");
            }
        });
        let completions = complete(&query, l.cursor.get());
        if !completions.is_empty() {
            help.push_str(r#"<div class="sl-complete" role="group" aria-label="Completions">"#);
            for c in completions.iter().take(COMPLETIONS) {
                let c = escape_to_string(c);
                help.push_str(&format!(
                    r#"<button type="button" class="chip" {}="{c}">{c}</button>"#,
                    Hook::Complete.attr()
                ));
            }
            help.push_str("</div>");
        }
        l.set_html(Region::FilterHelp, &help);
    });
}

/// A completion chip clicked: the completion replaces the word at the caret.
pub(super) fn complete_with(l: List, completion: &str) {
    l.mark_filter();
    let mut next = l.state.get_untracked();
    let (text, at) =
        crate::list::apply_completion(&next.query, l.cursor.get_untracked(), completion);
    next.query = text.clone();
    l.commit(next, false);
    l.cursor.set(at);
    if let Some(input) = l.input(Control::Filter) {
        input.set_value(&text);
        let _ = input.focus();
        let _ = input.set_selection_range(at as u32, at as u32);
    }
}

fn filter_input(ev: &web_sys::Event) -> Option<web_sys::HtmlInputElement> {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .filter(|input| Control::from_id(&input.id()) == Some(Control::Filter))
}

fn caret(input: &web_sys::HtmlInputElement) -> usize {
    input.selection_start().ok().flatten().unwrap_or(0) as usize
}

/// Typing in the filter: the state (and the URL, replaced) follow each keystroke.
pub(super) fn on_input(l: List, ev: web_sys::Event) {
    if let Some(input) = filter_input(&ev) {
        l.cursor.set(caret(&input));
        l.mark_filter();
        let mut next = l.state.get_untracked();
        next.query = input.value();
        l.commit(next, true);
    }
}

/// Keys that move the caret change the completions offered.
pub(super) fn on_keyup(l: List, ev: web_sys::KeyboardEvent) {
    if let Some(input) = filter_input(&ev) {
        l.cursor.set(caret(&input));
    }
}
