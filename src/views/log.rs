//! `/log/:id`: one opened session log as a timeline; `/log`: which logs are open.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::open_file::OpenErrors;
use crate::components::timeline::Timeline;
use crate::store::Store;

#[component]
pub fn LogPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id"));
    // A sample reached by a deep link (after a reload, say) is fetched again; files cannot be.
    let sample = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) if id.starts_with("sample-") => store.open_sample(&id).await,
                _ => Ok(()),
            }
        }
    });
    move || {
        match id.get() {
        None => view! { <LogIndex/> }.into_any(),
        Some(id) => match store.doc(&id) {
            Some(doc) => view! {
                <OpenErrors/>
                <h1>{doc.name.clone()}</h1>
                <p class="muted">
                    {doc.kind.product()} " · session " <code>{doc.log.session_id.clone()}</code>
                </p>
                <Timeline log=doc.log.clone()/>
            }
            .into_any(),
            None => match sample.get() {
                None if id.starts_with("sample-") => view! { <p role="status">"Loading the sample…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="notice notice-error" role="alert">{e}</p> }.into_any(),
                _ => view! {
                    <h1>"This log is not open"</h1>
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

/// The logs open in this tab.
#[component]
fn LogIndex() -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        <h1>"Session log timelines"</h1>
        {move || {
            let docs = store.docs();
            if docs.is_empty() {
                view! { <p>"No log is open. " <A href="/">"Open a file or try the sample"</A> "."</p> }.into_any()
            } else {
                view! {
                    <ul class="opened">
                        {docs.into_iter().map(|d| view! { <li><A href=format!("/log/{}", d.id)>{d.name}</A></li> }).collect_view()}
                    </ul>
                }
                .into_any()
            }
        }}
    }
}
