//! `/sessions`: the session list. The route exists so that links to it hold; the list itself
//! (filters, facets, 100 000 rows) is the next piece of work.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn SessionsPage() -> impl IntoView {
    view! {
        <h1>"Sessions"</h1>
        <p>"Session lists (Ekran, Veeam Backup for AWS, Microsoft 365, Enterprise Manager) cannot be shown yet. "
            <A href="/">"Open a session log"</A> " instead."</p>
    }
}
