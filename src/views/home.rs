//! The start page: connections (none yet), opening saved responses, and the samples.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::doc::OpenedList;
use crate::components::connections::ConnectionsPanel;
use crate::components::open_file::{OpenErrors, OpenFile};
use crate::store::{samples, Content, Store};

#[component]
pub fn Home() -> impl IntoView {
    let store = expect_context::<Store>();
    let navigate = use_navigate();
    let (sample_error, set_sample_error) = signal(None::<String>);
    let try_sample = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let Some(first) = samples().next() else {
                return;
            };
            match store.open_sample(first.id).await {
                Ok(href) => navigate(&href, Default::default()),
                Err(e) => set_sample_error.set(Some(e.to_string())),
            }
        });
    };
    let samples = samples()
        .map(|s| {
            // The pages fetch a sample named in their route, so these are plain links.
            view! { <li><A href=format!("/{}/{}", s.page, s.id)>{s.title}</A></li> }
        })
        .collect_view();
    // The overview of every open list, as escaped text (see `views::job`).
    let night = move || {
        let now = crate::components::time::now_us();
        let mut out = String::new();
        let mut lists = 0;
        for doc in store.docs() {
            if let Content::Sessions(list) = &doc.content {
                lists += 1;
                let jobs = crate::analysis::Jobs::build(&list.sessions);
                if !jobs.is_empty() {
                    let night = crate::analysis::night::night(&list.sessions, &jobs, now);
                    super::job::night_html(&mut out, &doc, list, &jobs, &night);
                }
            }
        }
        if lists == 0 {
            return out;
        }
        if out.is_empty() {
            out.push_str("<p>None of the open lists says which job its sessions are runs of.</p>");
        }
        format!(
            r#"<section aria-labelledby="night-heading" class="panel"><h2 id="night-heading">Last 24 hours</h2><p class="muted">Jobs whose latest run failed, warned or ran slower than usual, worst first.</p>{out}</section>"#
        )
    };
    // Written by the app's one effect (no reactive attribute of its own), after the next paint:
    // a file opened from here goes to its list first, which then does not wait for 100 000
    // sessions to be grouped into jobs for a page that is leaving.
    let night_ref = NodeRef::<leptos::html::Div>::new();
    crate::components::effect(move |_| {
        let _ = (night_ref.get(), store.docs().len());
        crate::components::after_paint(move || {
            if let Some(el) = night_ref.try_get_untracked().flatten() {
                el.set_inner_html(&night());
            }
        });
    });
    view! {
        <h1>"Sessions, straight from the browser"</h1>
        <section aria-labelledby="connections-heading" class="panel">
            <h2 id="connections-heading">"Connections"</h2>
            <ConnectionsPanel/>
        </section>
        <section aria-labelledby="open-heading" class="panel">
            <h2 id="open-heading">"Open a saved response"</h2>
            <p>
                "Choose one or more " <code>".json"</code> " or " <code>".xml"</code>
                " files saved from a vendor's API, or drop them anywhere on the page. Nothing leaves your browser."
            </p>
            <div class="actions">
                <OpenFile/>
                <button type="button" class="button secondary" on:click=crate::components::on(try_sample)>"Try a sample"</button>
            </div>
            <OpenErrors/>
            {crate::components::dynamic(move || sample_error.get().map(|e| super::doc::note(Some("notice notice-error"), "alert", e)).into_any())}
            {crate::components::dynamic(move || {
                (!store.docs().is_empty())
                    .then(|| view! { <h3>"Opened in this tab"</h3> <OpenedList/> })
                    .into_any()
            })}
        </section>
        <div node_ref=night_ref></div>
        <section aria-labelledby="samples-heading" class="panel">
            <h2 id="samples-heading">"Samples"</h2>
            <p class="muted">"Each vendor's own documented example, as the app reads it."</p>
            <ul>{samples}</ul>
        </section>
    }
}
