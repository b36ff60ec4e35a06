//! Resolving a route's `:id` to an opened document, shared by the pages that show documents.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::open_file::OpenErrors;
use crate::store::{Doc, Store};

/// Draws the document named by the route's `:id` with `render`, fetching it first when the link
/// names a bundled sample (so such links survive a reload), and saying plainly when it is not
/// open. Without an `:id`, draws `index`.
#[component]
pub fn DocRoute(render: fn(Doc) -> AnyView, index: fn() -> AnyView) -> impl IntoView {
    let store = expect_context::<Store>();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id"));
    let sample = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) if id.starts_with("sample-") => store.open_sample(&id).await.map(|_| ()),
                _ => Ok(()),
            }
        }
    });
    // Only a change to this document draws the page again (not another one opening, such as the
    // step statistics' fetched runs). Compared by id and content pointer: a replaced document has
    // new content, and no deep comparison of whole logs and lists (nor its code) is needed.
    let doc = Memo::new_with_compare(
        move |_| id.get().and_then(|id| store.doc(&id)),
        |a, b| {
            let key = |d: Option<&Option<Doc>>| {
                d.and_then(Option::as_ref)
                    .map(|d| (d.id.clone(), content_ptr(&d.content)))
            };
            key(a) != key(b)
        },
    );
    move || {
        match id.get() {
        None => index(),
        Some(id) => match doc.get() {
            Some(doc) => view! {
                <OpenErrors/>
                {render(doc)}
            }
            .into_any(),
            None => match sample.get() {
                None if id.starts_with("sample-") => view! { <p role="status">"Loading the sample…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="notice notice-error" role="alert">{e.to_string()}</p> }.into_any(),
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
    }
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
    move || {
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
    }
}
