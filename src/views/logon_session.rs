//! `/logon/:id`: opened logon sessions (Enterprise Manager, PAM); `/logon`: which are open.

use leptos::prelude::*;

use super::doc::{elsewhere, heading, DocRoute, OpenedList};
use crate::components::logon_details::LogonDetails;
use crate::store::{Content, Doc};

#[component]
pub fn LogonSessionPage() -> impl IntoView {
    view! { <DocRoute render=render index=index/> }
}

fn render(doc: Doc) -> AnyView {
    match &doc.content {
        Content::Logons(sessions) => view! {
            {heading(&doc, None)}
            <LogonDetails sessions=sessions.clone()/>
        }
        .into_any(),
        _ => elsewhere(&doc),
    }
}

fn index() -> AnyView {
    view! {
        <h1>"Logon sessions"</h1>
        <OpenedList/>
    }
    .into_any()
}
