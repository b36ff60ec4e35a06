//! `/log/:id`: one opened session log as a timeline; `/log`: which documents are open.

use leptos::prelude::*;

use super::doc::{elsewhere, heading, DocRoute, OpenedList};
use crate::components::timeline::Timeline;
use crate::store::{Content, Doc};

#[component]
pub fn LogPage() -> impl IntoView {
    view! { <DocRoute render=render index=index/> }
}

fn render(doc: Doc) -> AnyView {
    match &doc.content {
        Content::Log(log) => {
            let session =
                (!log.session_id.is_empty()).then(|| format!("session {}", log.session_id));
            view! {
                {heading(&doc, session)}
                <Timeline log=log.clone()/>
            }
            .into_any()
        }
        _ => elsewhere(&doc),
    }
}

fn index() -> AnyView {
    view! {
        <h1>"Session log timelines"</h1>
        <OpenedList/>
    }
    .into_any()
}
