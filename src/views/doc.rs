//! Resolving a route's `:id` to an opened document, shared by the pages that show documents.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::open_file::OpenErrors;
use crate::store::{Doc, DocError, Store};

/// Draws the document named by the route's `:id` with `render`, fetching it first when the link
/// names a bundled sample or a connection's list or log (so such links survive a reload), and
/// saying plainly when it is not open. Without an `:id`, draws `index`.
#[component]
pub fn DocRoute(render: fn(Doc) -> AnyView, index: fn() -> AnyView) -> impl IntoView {
    let store = expect_context::<Store>();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id"));
    // A bundled sample, or a connection's list or log, named by the address but not held by this
    // tab (after a reload): fetched (again). A connection's wait until the connections are known
    // (their kept credentials are restored by then).
    let fetched = LocalResource::new(move || {
        let id = id.get();
        let known = id.as_deref().is_some_and(|i| i.starts_with("live-"))
            && store.config.with(|c| c.is_some());
        async move {
            match id {
                Some(id) if id.starts_with("sample-") => store.open_sample(&id).await.map(|_| ()),
                // Asked again once `config.json` is read (the resource tracks it).
                Some(id) if known && store.doc_untracked(&id).is_none() => {
                    match crate::connections::fetching::reopen(store, &id).await {
                        Some(Err(failure)) => Err(DocError::Read(failure.to_string())),
                        Some(Ok(_)) => Ok(()),
                        None => Err(DocError::NotConfigured),
                    }
                }
                _ => Ok(()),
            }
        }
    });
    // Only a change to this document draws the page again (not another one opening, such as the
    // step statistics' fetched runs): the page follows where its content lives (0: not open), a
    // `Memo<usize>` like the list's count, with no comparison of whole documents (nor its code).
    let content = Memo::new(move |_| {
        id.with(|id| {
            store.with_docs(|docs| {
                docs.iter()
                    .find(|d| Some(&d.id) == id.as_ref())
                    .map_or(0, |d| content_ptr(&d.content) as usize)
            })
        })
    });
    crate::components::dynamic(move || {
        match id.get() {
        None => index(),
        Some(id) => match content.with(|_| store.doc_untracked(&id)) {
            Some(doc) => view! {
                <OpenErrors/>
                {render(doc)}
            }
            .into_any(),
            None => match fetched.get() {
                None if id.starts_with("sample-") => note(None, "status", "Loading the sample…".into()),
                None | Some(Ok(())) if id.starts_with("live-") => note(None, "status", "Loading it again from its connection…".into()),
                Some(Err(e)) => note(Some("notice notice-error"), "alert", e.to_string()),
                _ => view! {
                    <h1>"This document is not open"</h1>
                    <p>
                        "Files opened earlier are not kept once the page reloads (nothing is stored). "
                        <A href="/">"Open it again"</A> "."
                    </p>
                }
                .into_any(),
            },
        },
    }
    })
}

/// A one-line notice (loading, or why not): one view type for every one of them in the app
/// (pages, the connection panel, the list), each type behind `into_any` costing code of its own.
pub fn note(class: Option<&'static str>, role: &'static str, text: String) -> AnyView {
    view! { <p class=class role=role>{text}</p> }.into_any()
}

/// Where a document's content lives: the same pointer is the same content.
fn content_ptr(c: &crate::model::Content) -> *const () {
    use crate::model::Content;
    match c {
        Content::Log(l) => std::sync::Arc::as_ptr(l).cast(),
        Content::Sessions(s) => std::sync::Arc::as_ptr(s).cast(),
        Content::Logons(s) => std::sync::Arc::as_ptr(s).cast(),
    }
}

/// The page heading for a document: its name, product and what it holds.
pub fn heading(doc: &Doc, detail: Option<String>) -> impl IntoView {
    view! {
        <h1>{doc.name.clone()}</h1>
        <p class="muted">
            {doc.kind.product()} " · " {doc.summary()}
            {detail.map(|d| view! { " · " <code>{d}</code> })}
        </p>
    }
}

/// Shown when a route names a document of another type (a session list at `/log/…`, say).
pub fn elsewhere(doc: &Doc) -> AnyView {
    view! {
        <h1>{doc.name.clone()}</h1>
        <p>"This document is shown on another page: " <A href=doc.href()>"open it there"</A> "."</p>
    }
    .into_any()
}

/// The open documents, as links.
#[component]
pub fn OpenedList() -> impl IntoView {
    let store = expect_context::<Store>();
    crate::components::dynamic(move || {
        let docs = store.docs();
        if docs.is_empty() {
            view! { <p>"Nothing is open. " <A href="/">"Open a file or try a sample"</A> "."</p> }
                .into_any()
        } else {
            view! {
                <ul class="opened">
                    {docs
                        .into_iter()
                        .map(|d| {
                            let note = format!(" — {}, {}", d.kind.product(), d.summary());
                            view! { <li><A href=d.href()>{d.name.clone()}</A><span class="muted">{note}</span></li> }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    })
}
