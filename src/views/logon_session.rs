//! `/logon/:id`: opened logon sessions (Enterprise Manager, PAM); `/logon`: which are open.

use std::sync::Arc;

use leptos::prelude::*;

use super::doc::{elsewhere, heading, DocRoute, OpenedList};
use crate::components::logon_details::LogonDetails;
use crate::components::session_list::SessionList;
use crate::store::{Content, Doc};

#[component]
pub fn LogonSessionPage() -> impl IntoView {
    view! { <DocRoute render=render index=index/> }
}

fn render(doc: Doc) -> AnyView {
    match &doc.content {
        Content::Logons(sessions) => {
            // A list of them (Enterprise Manager's `GET /logonSessions`) is also a session list:
            // filter, sort and export who is logged on; the details follow.
            let list = (sessions.sessions.len() > 1).then(|| {
                view! { <SessionList list=Arc::new(sessions.as_list()) source=doc.name.clone() connection=None/> }
            });
            view! {
                {heading(&doc, None)}
                {list}
                <LogonDetails sessions=sessions.clone()/>
            }
            .into_any()
        }
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
