//! `/logon/:id`: logon session details. The route exists so that links to it hold; reading
//! Enterprise Manager and PAM payloads comes with the other vendor adapters.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn LogonSessionPage() -> impl IntoView {
    view! {
        <h1>"Logon session"</h1>
        <p>"Logon session details (Enterprise Manager, MIM PAM) cannot be shown yet. "
            <A href="/">"Open a session log"</A> " instead."</p>
    }
}
