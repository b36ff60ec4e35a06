//! `/logon/:id`: opened logon sessions (Enterprise Manager, PAM); `/logon`: which are open.

use std::sync::Arc;

use leptos::prelude::*;

use super::doc::{elsewhere, heading, DocRoute, OpenedList};
use crate::components::logon_details::{FollowThrough, LogonDetails};
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
            // filter, sort and export who is logged on; the selected one's details follow.
            let pick = sessions.sessions.len() > 1;
            let list = pick.then(|| {
                view! { <SessionList list=Arc::new(sessions.as_list()) source=doc.name.clone() connection=None/> }
            });
            // Links are followed through the document's own connection; a file's or a sample's
            // through the first connection of its kind (config.json's, then those added in the
            // app), or not at all. Reading the connections here (tracked) draws the page again
            // once they are read: one redraw, and no reactive closure of its own in the bundle.
            let store = expect_context::<Store>();
            let own = doc.connection.as_ref();
            let find = |conns: &[crate::connections::config::Connection]| {
                let conn = match own {
                    Some(id) => conns.iter().find(|c| c.id == *id),
                    None => conns.iter().find(|c| c.kind == doc.kind),
                }?;
                Some(FollowThrough {
                    id: conn.id.clone(),
                    label: conn.label.clone(),
                    own: own.is_some(),
                })
            };
            let via = store
                .config
                .with(|c| find(&c.as_ref()?.as_ref().ok()?.connections))
                .or_else(|| store.saved.with(|s| find(s)));
            view! {
                {heading(&doc, None)}
                {list}
                <LogonDetails sessions=sessions.clone() kind=doc.kind via=via pick=pick/>
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
