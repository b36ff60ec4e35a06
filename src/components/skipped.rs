//! "3 of 500 entries could not be read": the items an adapter skipped, with their reasons.

use leptos::prelude::*;

use crate::model::Skipped;

/// Reasons listed at most; the count is always complete.
const MAX_LISTED: usize = 50;

#[component]
pub fn SkippedNotice(skipped: Vec<Skipped>, total: usize, noun: &'static str) -> impl IntoView {
    (!skipped.is_empty()).then(|| {
        let more = skipped.len().saturating_sub(MAX_LISTED);
        let reasons = skipped
            .iter()
            .take(MAX_LISTED)
            .map(|s| view! { <li>{format!("Item {}: {}", s.index + 1, s.reason)}</li> })
            .collect_view();
        view! {
            <details class="notice notice-warning" role="status">
                <summary>{format!("{} of {total} {noun} could not be read and are not shown.", skipped.len())}</summary>
                <ul>{reasons}</ul>
                {(more > 0).then(|| view! { <p>{format!("…and {more} more.")}</p> })}
            </details>
        }
    })
}
