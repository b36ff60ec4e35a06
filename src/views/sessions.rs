//! `/sessions/:id`: an opened session list; `/sessions`: which documents are open.

use leptos::prelude::*;

use super::doc::{elsewhere, heading, DocRoute, OpenedList};
use crate::components::session_list::SessionList;
use crate::store::{Content, Doc};

#[component]
pub fn SessionsPage() -> impl IntoView {
    view! { <DocRoute render=render index=index/> }
}

fn render(doc: Doc) -> AnyView {
    let api = doc.list();
    // The filter the server takes beside the window, where this connection's server takes it.
    let server_filter = doc
        .only
        .as_ref()
        .and(api)
        .and_then(|l| l.server_filter.as_ref());
    match &doc.content {
        Content::Sessions(list) => view! {
            {heading(&doc, None)}
            <SessionList
                list=list.clone()
                source=doc.name.clone()
                connection=doc.connection.clone()
                server_range=api.is_some_and(|l| l.server_window) && doc.connection.is_some()
                list_id=doc.list_id
                server_filter=server_filter
                asked=doc.only.clone().unwrap_or_default()
                doc=doc.id.clone()
            />
        }
        .into_any(),
        _ => elsewhere(&doc),
    }
}

fn index() -> AnyView {
    view! {
        <h1>"Sessions"</h1>
        <OpenedList/>
    }
    .into_any()
}
