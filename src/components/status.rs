//! A status shown by colour, icon and word together, so that it reads without colour.

use leptos::prelude::*;

use crate::model::Status;

/// The normalised status as a badge; the vendor's own word is in its tooltip.
#[component]
pub fn StatusBadge(status: Status, #[prop(into)] vendor: String) -> impl IntoView {
    let title = if vendor.is_empty() {
        "The source gave no status".to_string()
    } else {
        format!("{vendor} (as the source says)")
    };
    view! {
        <span class=format!("status status-{}", status.id()) title=title>
            <span class="status-icon" aria-hidden="true">{status.icon()}</span>
            {status.label()}
        </span>
    }
}
