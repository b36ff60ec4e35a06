//! Run against run: choose another open log and see, step by step, how long each step took in
//! both runs and the change (`analysis::diff`: steps matched by their message with numbers
//! stripped). The table is drawn straight into the DOM, like the timeline's rows, and bounded.

use std::sync::Arc;

use leptos::prelude::*;
use web_sys::Element;

use super::dom::{el, set, text};
use crate::analysis::diff::{diff, DiffRow};
use crate::format::{clip, duration_words};
use crate::model::{Duration, SessionLog};
use crate::store::{Content, Store};

/// Diff rows drawn at most; the rest are counted.
const MAX_ROWS: usize = 500;

/// A "Compare with…" choice of the other open logs, and the diff against the chosen one.
#[component]
pub fn RunDiff(current: String, log: Arc<SessionLog>) -> impl IntoView {
    let store = expect_context::<Store>();
    let out = NodeRef::<leptos::html::Div>::new();
    let choice = NodeRef::<leptos::html::Select>::new();
    // The other open logs as options, kept up to date as documents open (drawn into the DOM:
    // a reactive list of options cost more wasm than this).
    crate::components::effect(move |_| {
        let docs = store.docs();
        let Some(select) = choice.get() else {
            return;
        };
        let Some(doc) = select.owner_document() else {
            return;
        };
        let chosen = select.value();
        select.set_text_content(None);
        let options = std::iter::once((String::new(), "(choose)".to_string())).chain(
            docs.into_iter()
                .filter(|d| d.id != current && matches!(d.content, Content::Log(_)))
                .map(|d| (d.id, d.name)),
        );
        for (id, name) in options {
            if let Some(option) = el(&doc, &select, "option", "") {
                set(&option, "value", &id);
                text(&option, &name);
            }
        }
        select.set_value(&chosen);
    });
    let on_change = move |ev: leptos::ev::Event| {
        let Some(div) = out.get_untracked() else {
            return;
        };
        div.set_text_content(None);
        let other = store.doc_untracked(&event_target_value(&ev));
        if let Some(Content::Log(b)) = other.map(|d| d.content) {
            draw(&div, &log, &b);
        }
    };
    view! {
        <section class="tl-diff" aria-label="Compare runs">
            <label>"Compare with another open log " <select node_ref=choice on:change=crate::components::on(on_change)></select></label>
            <div node_ref=out></div>
        </section>
    }
}

/// The change in words with its sign and icon: `▲ +1 min (+50%)`, `▼ −3 s (−20%)`, `= 0 ms`.
fn change_words(absolute: Duration, relative: Option<f64>) -> String {
    let us = absolute.micros();
    let (icon, sign) = match us.signum() {
        1 => ("▲ ", "+"),
        -1 => ("▼ ", ""),
        _ => ("= ", ""),
    };
    let pct = relative
        .filter(|r| r.is_finite())
        .map(|r| (r * 100.0).round() as i64)
        .map(|n| {
            if n < 0 {
                format!(" (−{}%)", n.unsigned_abs())
            } else {
                format!(" (+{n}%)")
            }
        })
        .unwrap_or_default();
    format!("{icon}{sign}{}{pct}", duration_words(absolute))
}

fn draw(div: &Element, a: &SessionLog, b: &SessionLog) -> Option<()> {
    let doc = div.owner_document()?;
    let rows = diff(a, b);
    let count = |f: fn(&DiffRow) -> bool| rows.iter().filter(|r| f(r)).count();
    let slower = count(|r| r.change.is_some_and(|c| c.absolute.micros() > 0));
    let faster = count(|r| r.change.is_some_and(|c| c.absolute.micros() < 0));
    let only_a = count(|r| r.b.is_none());
    let only_b = count(|r| r.a.is_none());
    text(
        &el(&doc, div, "p", "tl-diff-summary")?,
        &format!(
            "{} steps: {slower} slower, {faster} faster in the other run; {only_a} only in this run, {only_b} only in the other.",
            rows.len()
        ),
    );
    let table = el(&doc, div, "table", "tl-diff-table")?;
    let head = el(&doc, &el(&doc, &table, "thead", "")?, "tr", "")?;
    for h in ["Step", "This run", "Other run", "Change"] {
        let th = el(&doc, &head, "th", "")?;
        set(&th, "scope", "col");
        text(&th, h);
    }
    let body = el(&doc, &table, "tbody", "")?;
    let words = |d: Option<Duration>, present: bool| match (d, present) {
        (Some(d), _) => duration_words(d),
        (None, true) => "no time".to_string(),
        (None, false) => "—".to_string(),
    };
    for r in rows.iter().take(MAX_ROWS) {
        let entry =
            r.a.and_then(|i| a.entries.get(i))
                .or_else(|| r.b.and_then(|j| b.entries.get(j)))?;
        let tr = el(&doc, &body, "tr", "")?;
        text(
            &el(&doc, &tr, "td", "tl-message")?,
            clip(&entry.message, 120).0,
        );
        text(
            &el(&doc, &tr, "td", "")?,
            &words(r.a_duration, r.a.is_some()),
        );
        text(
            &el(&doc, &tr, "td", "")?,
            &words(r.b_duration, r.b.is_some()),
        );
        let change = el(&doc, &tr, "td", "")?;
        match (r.change, r.a, r.b) {
            (Some(c), _, _) => {
                set(
                    &tr,
                    "data-change-ms",
                    &c.absolute.millis_rounded().to_string(),
                );
                let class = match c.absolute.micros().signum() {
                    1 => "tl-slower",
                    -1 => "tl-faster",
                    _ => "",
                };
                change.set_class_name(class);
                text(&change, &change_words(c.absolute, c.relative));
            }
            (None, Some(_), None) => text(&change, "only in this run"),
            (None, None, Some(_)) => text(&change, "only in the other run"),
            _ => {}
        }
    }
    if rows.len() > MAX_ROWS {
        text(
            &el(&doc, div, "p", "muted")?,
            &format!("…and {} more steps.", rows.len() - MAX_ROWS),
        );
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_in_words_with_sign_and_icon() {
        let s = |us: i64| Duration::from_micros(us);
        assert_eq!(change_words(s(60_000_000), Some(0.5)), "▲ +1 min (+50%)");
        assert_eq!(change_words(s(-3_000_000), Some(-0.2)), "▼ −3 s (−20%)");
        assert_eq!(change_words(s(0), Some(0.0)), "= 0 ms (+0%)");
        assert_eq!(change_words(s(1_500_000), None), "▲ +1.5 s");
        assert_eq!(change_words(s(1_000), Some(f64::NAN)), "▲ +1 ms");
        assert_eq!(change_words(s(3_000_000), Some(30.0)), "▲ +3 s (+3000%)");
    }
}
