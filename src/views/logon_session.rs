//! `/logon/:id`: opened logon sessions (Enterprise Manager, PAM); `/logon`: which are open.

use std::sync::Arc;

use leptos::prelude::*;

use super::doc::{elsewhere, heading, DocRoute, OpenedList};
use crate::components::logon_details::{LogonDetails, Via};
use crate::components::session_list::SessionList;
use crate::store::{Content, Doc, Store};

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
            // Links are followed through the document's own connection; a file's or a sample's
            // through the first configured connection of its kind (drawn again once config.json
            // is read), or not at all.
            let store = expect_context::<Store>();
            let (sessions, kind, own) = (sessions.clone(), doc.kind, doc.connection.clone());
            let details = move || {
                let via = store.config.with(|c| {
                    let conns = &c.as_ref()?.as_ref().ok()?.connections;
                    let conn = match &own {
                        Some(id) => conns.iter().find(|c| c.id == *id),
                        None => conns.iter().find(|c| c.kind == kind),
                    }?;
                    Some(Via {
                        id: conn.id.clone(),
                        label: conn.label.clone(),
                        own: own.is_some(),
                    })
                });
                view! { <LogonDetails sessions=sessions.clone() kind=kind via=via/> }
            };
            view! {
                {heading(&doc, None)}
                {list}
                {details}
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
