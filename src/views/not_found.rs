//! Any path the router does not know.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Nothing here"</h1>
        <p>"This address is not a page of Session Viewer. " <A href="/">"Go to the start page"</A> "."</p>
    }
}
