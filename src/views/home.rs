//! The start page: connections (none yet), opening saved responses, and the samples.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::components::open_file::{OpenErrors, OpenFile};
use crate::store::{Store, SAMPLES};

#[component]
pub fn Home() -> impl IntoView {
    let store = expect_context::<Store>();
    let navigate = use_navigate();
    let (sample_error, set_sample_error) = signal(None::<String>);
    let try_sample = move |_| {
        let navigate = navigate.clone();
        let (id, _, _) = SAMPLES[0];
        leptos::task::spawn_local(async move {
            match store.open_sample(id).await {
                Ok(()) => navigate(&format!("/log/{id}"), Default::default()),
                Err(e) => set_sample_error.set(Some(e)),
            }
        });
    };
    let opened = move || {
        store
            .docs()
            .into_iter()
            .map(|d| {
                let href = format!("/log/{}", d.id);
                view! {
                    <li>
                        <A href=href>{d.name}</A>
                        <span class="muted">{format!(" — {}, {} entries", d.kind.product(), d.log.entries.len())}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <h1>"Sessions, straight from the browser"</h1>
        <section aria-labelledby="connections-heading" class="panel">
            <h2 id="connections-heading">"Connections"</h2>
            <p class="muted">
                "No connections yet. Live connections to the vendors' REST APIs are not built yet; "
                "open a saved response or try the sample meanwhile."
            </p>
        </section>
        <section aria-labelledby="open-heading" class="panel">
            <h2 id="open-heading">"Open a saved response"</h2>
            <p>
                "Choose one or more " <code>".json"</code> " files saved from a vendor's API, or drop them anywhere on the page. "
                "Nothing leaves your browser."
            </p>
            <div class="actions">
                <OpenFile/>
                <button type="button" class="button secondary" on:click=try_sample>"Try a sample"</button>
            </div>
            <OpenErrors/>
            {move || sample_error.get().map(|e| view! { <p class="notice notice-error" role="alert">{e}</p> })}
            <Show when=move || !store.docs().is_empty()>
                <h3>"Opened in this tab"</h3>
                <ul class="opened">{opened}</ul>
            </Show>
        </section>
    }
}
