//! A session list as a table. Bounded: at most [`MAX_ROWS`] rows are drawn until the
//! virtualised list replaces it.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::failure::FailureNotice;
use crate::live::Failure;

use crate::components::status::StatusBadge;
use crate::components::time::Clock;
use crate::format::duration_words;
use crate::model::{Session, SessionList};
use crate::store::Store;
use leptos_router::hooks::use_navigate;

/// Rows drawn at most, so that a 100 000-session file cannot flood the DOM.
pub const MAX_ROWS: usize = 500;

/// A session list; with `connection`, sessions that have a log get an "Open log" button that
/// fetches it from that connection.
#[component]
pub fn SessionTable(list: Arc<SessionList>, connection: Option<String>) -> impl IntoView {
    let now_us = (js_sys::Date::now() * 1000.0) as i64;
    let (error, set_error) = signal(None::<Failure>);
    let opener = connection.map(|c| LogOpener {
        connection: c,
        store: expect_context::<Store>(),
        navigate: std::rc::Rc::new(use_navigate()),
        set_error,
    });
    let shown = list.sessions.len().min(MAX_ROWS);
    let capped = (list.sessions.len() > MAX_ROWS).then(|| {
        view! {
            <p class="notice notice-warning" role="status">
                {format!("Showing the first {MAX_ROWS} of {} sessions.", list.sessions.len())}
            </p>
        }
    });
    let total = list
        .total
        .filter(|t| *t as usize > list.sessions.len())
        .map(|t| view! { <p class="muted">{format!("The server reports {t} sessions in all; this file holds {}.", list.sessions.len())}</p> });
    let with_log = opener.is_some();
    let rows = list
        .sessions
        .iter()
        .take(shown)
        .map(|s| row(s, now_us, opener.as_ref()))
        .collect_view();
    view! {
        <super::skipped::SkippedNotice skipped=list.skipped.clone() total=list.sessions.len() + list.skipped.len() noun="sessions"/>
        {total}
        {capped}
        {move || error.get().map(|e| view! { <FailureNotice failure=e/> })}
        <div class="table-scroll">
            <table class="sessions">
                <thead>
                    <tr>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Session"</th>
                        <th scope="col">"User"</th>
                        <th scope="col">"Host / client"</th>
                        <th scope="col">"Started"</th>
                        <th scope="col">"Ended"</th>
                        <th scope="col">"Duration"</th>
                        <th scope="col">"Name"</th>
                        {with_log.then(|| view! { <th scope="col"><span class="visually-hidden">"Log"</span></th> })}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The router's navigate function, shared by the rows' buttons.
type Navigate = std::rc::Rc<dyn Fn(&str, leptos_router::NavigateOptions)>;

/// What an "Open log" button needs.
#[derive(Clone)]
struct LogOpener {
    connection: String,
    store: Store,
    navigate: Navigate,
    set_error: WriteSignal<Option<Failure>>,
}

fn row(s: &Session, now_us: i64, opener: Option<&LogOpener>) -> impl IntoView {
    let duration = s.duration(now_us);
    let duration_ms = duration.map(|d| d.millis_rounded().to_string());
    let ended = if s.is_open() {
        view! { <span class="open">"still open"</span> }.into_any()
    } else {
        view! { <Clock at=s.end full=true/> }.into_any()
    };
    view! {
        <tr data-session-id=s.id.clone() data-status=s.status.id() data-duration-ms=duration_ms>
            <td><StatusBadge status=s.status vendor=s.vendor_status.clone()/></td>
            <td><code>{s.id.clone()}</code></td>
            <td>{s.user.clone()}</td>
            <td>{s.host.clone()}</td>
            <td><Clock at=s.start full=true/></td>
            <td>{ended}</td>
            <td>{duration.map(duration_words)}{s.is_open().then_some(" so far")}</td>
            <td>{s.name.clone()}</td>
            {opener.map(|o| {
                let log = s.log_href.clone().map(|href| {
                    let o = o.clone();
                    let id = s.id.clone();
                    let label = format!("Open the log of session {id}");
                    let open = move |_| {
                        let (o, id, href) = (o.clone(), id.clone(), href.clone());
                        o.set_error.set(None);
                        leptos::task::spawn_local(async move {
                            match crate::live::open_log(o.store, &o.connection, &id, &href).await {
                                Ok(route) => (o.navigate)(&route, Default::default()),
                                Err(e) => o.set_error.set(Some(e)),
                            }
                        });
                    };
                    view! { <button type="button" class="button secondary small" aria-label=label on:click=open>"Log"</button> }
                });
                view! { <td>{log}</td> }
            })}
        </tr>
    }
}
