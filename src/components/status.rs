//! A status shown by colour, icon and word together, so that it reads without colour.

use leptos::prelude::*;

use crate::list::html::{status_class, status_title};
use crate::model::Status;

/// The normalised status as a badge; the vendor's own word is in its tooltip. The same markup
/// as [`crate::list::html::status_badge`] writes as text, from the same pieces.
#[component]
pub fn StatusBadge(status: Status, #[prop(into)] vendor: String) -> impl IntoView {
    view! {
        <span class=status_class(status) title=status_title(&vendor)>
            <span class="status-icon" aria-hidden="true">{status.icon()}</span>
            {status.label()}
        </span>
    }
}
