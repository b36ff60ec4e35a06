//! A session list as a table. Bounded: at most [`MAX_ROWS`] rows are drawn until the
//! virtualised list replaces it.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::status::StatusBadge;
use crate::components::time::Clock;
use crate::format::duration_words;
use crate::model::{Session, SessionList};

/// Rows drawn at most, so that a 100 000-session file cannot flood the DOM.
pub const MAX_ROWS: usize = 500;

#[component]
pub fn SessionTable(list: Arc<SessionList>) -> impl IntoView {
    let now_us = (js_sys::Date::now() * 1000.0) as i64;
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
    let rows = list
        .sessions
        .iter()
        .take(shown)
        .map(|s| row(s, now_us))
        .collect_view();
    view! {
        <super::skipped::SkippedNotice skipped=list.skipped.clone() total=list.sessions.len() + list.skipped.len() noun="sessions"/>
        {total}
        {capped}
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
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn row(s: &Session, now_us: i64) -> impl IntoView {
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
        </tr>
    }
}
