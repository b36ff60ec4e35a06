//! `/log/:id`: one opened session log as a timeline; `/log`: which documents are open.
//!
//! The timeline's filter lives in the query string (`?q=…&mode=hide&status=failed`), so that a
//! reload or Back restores it.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use super::doc::{elsewhere, heading, DocRoute, OpenedList};
use crate::analysis::filter::EntryFilter;
use crate::components::auto_refresh::AutoRefresh;
use crate::components::timeline::steps;
use crate::components::timeline::{diff::RunDiff, Timeline};
use crate::store::{Content, Doc};

#[component]
pub fn LogPage() -> impl IntoView {
    // Outlives the redraw of the page that each refresh of a live log causes.
    provide_context(AutoRefresh::install());
    view! { <DocRoute render=render index=index/> }
}

fn render(doc: Doc) -> AnyView {
    let auto = expect_context::<AutoRefresh>();
    let live = doc.origin.is_some();
    auto.show(&doc.id, live);
    match &doc.content {
        Content::Log(log) => {
            let session =
                (!log.session_id.is_empty()).then(|| format!("session {}", log.session_id));
            // The router's reactive query did not follow `replace` navigations from inside this
            // page, so the page keeps the filter itself and reads the address bar on load and on
            // Back/Forward.
            let filter = RwSignal::new(filter_in_url());
            let popstate =
                window_event_listener(leptos::ev::popstate, move |_| filter.set(filter_in_url()));
            on_cleanup(move || popstate.remove());
            let navigate = use_navigate();
            let path = doc.href();
            let on_filter = Callback::new(move |f: EntryFilter| {
                // Typing replaces the history entry; choosing a mode or a status adds one.
                let typing = filter.with_untracked(|old| {
                    old.hide == f.hide && old.statuses == f.statuses && old.step == f.step
                });
                let query = f.to_query();
                filter.set(f);
                navigate(
                    &format!("{path}{query}"),
                    NavigateOptions {
                        replace: typing,
                        scroll: false,
                        ..Default::default()
                    },
                );
            });
            // Under the heading: this run against its job's usual (the step statistics write it).
            let line = NodeRef::<leptos::html::Div>::new();
            view! {
                {heading(&doc, session)}
                <div node_ref=line></div>
                {auto.view(live)}
                <Timeline log=log.clone() filter=filter on_filter=on_filter keep=auto.keep/>
                {steps::panel(log.clone(), doc.id.clone(), line, filter, on_filter)}
                <RunDiff current=doc.id.clone() log=log.clone()/>
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

/// The timeline filter in the address bar's query string.
fn filter_in_url() -> EntryFilter {
    let params = window()
        .location()
        .href()
        .ok()
        .and_then(|href| web_sys::Url::new(&href).ok())
        .map(|url| url.search_params());
    let get = |key: &str| params.as_ref().and_then(|p| p.get(key));
    EntryFilter {
        step: get("step").unwrap_or_default(),
        ..EntryFilter::from_query(
            get("q").as_deref(),
            get("mode").as_deref(),
            get("status").as_deref(),
        )
    }
}
