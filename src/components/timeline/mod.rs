//! The session log timeline: one row per entry with its status, start, message, duration and a
//! bar on an axis shared by all rows. Layout maths is in [`axis`].

pub mod axis;

use std::sync::Arc;

use leptos::prelude::*;

use crate::analysis::summary::summarise;
use crate::components::status::StatusBadge;
use crate::components::time::Clock;
use crate::format::{clip, css_percent, duration_words, whole_percent};
use crate::model::{LogEntry, SessionLog};
use axis::Axis;
use wasm_bindgen::JsCast;

/// Characters of a message drawn in its row; the rest is counted, not laid out.
const MESSAGE_CHARS: usize = 400;
/// Ticks on the axis header, at most.
const MAX_TICKS: usize = 6;

/// A whole session log as a timeline.
#[component]
pub fn Timeline(log: Arc<SessionLog>) -> impl IntoView {
    let axis = log.extent().map(|(start, end)| Axis::new(start, end));
    let ticks = axis
        .map(|a| a.ticks(MAX_TICKS))
        .unwrap_or_default()
        .into_iter()
        .map(|t| view! { <span class="tl-tick" style=format!("left:{}", css_percent(t.at))>{t.label}</span> })
        .collect_view();
    let rows = log
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| row(i, e, axis))
        .collect_view();

    view! {
        <section class="timeline" aria-label="Session log timeline">
            <TimelineSummary log=log.clone()/>
            <crate::components::skipped::SkippedNotice
                skipped=log.skipped.clone()
                total=log.entries.len() + log.skipped.len()
                noun="entries"
            />
            <div class="tl-scroll">
                <table class="tl">
                    <thead>
                        <tr>
                            <th scope="col" class="tl-col-status">"Status"</th>
                            <th scope="col" class="tl-col-start">"Started"</th>
                            <th scope="col" class="tl-col-message">"Message"</th>
                            <th scope="col" class="tl-col-duration">"Duration"</th>
                            <th scope="col" class="tl-col-bar">
                                <span class="visually-hidden">"Timeline"</span>
                                <div class="tl-ticks" aria-hidden="true">{ticks}</div>
                            </th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// What the log says at a glance: how long, how it went, where the first problem is, and which
/// steps took the time.
#[component]
fn TimelineSummary(log: Arc<SessionLog>) -> impl IntoView {
    let now_us = (js_sys::Date::now() * 1000.0) as i64;
    let summary = summarise(&log, now_us);
    let counts = summary
        .counts
        .present()
        .map(|(status, n)| view! { <li><StatusBadge status=status vendor=String::new()/>" " {n}</li> })
        .collect_view();
    let jump = |label: &'static str, index: Option<usize>| {
        index.map(|i| view! { <button type="button" class="button secondary small" on:click=move |_| reveal(i)>{format!("{label}: entry {}", i + 1)}</button> })
    };
    let slowest = summary
        .slowest
        .iter()
        .filter_map(|s| {
            let entry = log.entries.get(s.index)?;
            let message = clip(&entry.message, 80).0.to_string();
            let index = s.index;
            Some(view! {
                <li data-entry=index>
                    <button type="button" class="link" on:click=move |_| reveal(index)>{message}</button>
                    " — " {duration_words(s.duration)} {format!(" ({} of the session)", whole_percent(s.share))}
                </li>
            })
        })
        .collect_view();
    view! {
        <section class="tl-overview" aria-label="Summary">
            <p class="tl-summary">
                {format!("{} entries over {}", log.entries.len(), duration_words(summary.total))}
                {summary.running.then_some(" (still running)")}
            </p>
            <ul class="tl-counts" aria-label="Entries by status">{counts}</ul>
            <div class="actions">{jump("First failure", summary.first_failed)}{jump("First warning", summary.first_warning)}</div>
            {(!summary.slowest.is_empty()).then(|| view! {
                <h2 class="tl-slowest-heading">"Slowest steps"</h2>
                <ol class="tl-slowest">{slowest}</ol>
            })}
        </section>
    }
}

/// Scrolls the row of entry `index` into view and moves focus to it.
fn reveal(index: usize) {
    let row = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&format!("entry-{index}")));
    if let Some(row) = row {
        row.scroll_into_view();
        if let Ok(row) = row.dyn_into::<web_sys::HtmlElement>() {
            let _ = row.focus();
        }
    }
}

fn row(index: usize, entry: &LogEntry, axis: Option<Axis>) -> impl IntoView {
    let status = entry.status;
    let disagree = entry.durations_disagree();
    let duration_ms = entry.duration().map(|d| d.millis_rounded().to_string());
    let observed_ms = entry.observed.map(|d| d.millis_rounded().to_string());
    let bar = axis
        .zip(entry.extent())
        .map(|(a, (from, to))| a.bar(from, to));
    let (shown, hidden) = clip(&entry.message, MESSAGE_CHARS);
    let message = shown.to_string();
    let title = message.clone();
    let duration = if disagree {
        let reported = entry.reported.map(duration_words).unwrap_or_default();
        let observed = entry.observed.map(duration_words).unwrap_or_default();
        view! {
            <span class="tl-reported">{reported}</span>
            <span class="tl-observed" title="The vendor's reported duration and the span between the step's start and its log time disagree">
                <span aria-hidden="true">"⚠ "</span>
                {format!("observed {observed}")}
            </span>
        }
        .into_any()
    } else {
        view! { <span>{entry.duration().map(duration_words)}</span> }.into_any()
    };
    view! {
        <tr
            id=format!("entry-{index}")
            tabindex="-1"
            class="tl-row"
            class:tl-mismatch=disagree
            data-status=status.id()
            data-duration-ms=duration_ms
            data-observed-ms=observed_ms
        >
            <td><StatusBadge status=status vendor=entry.vendor_status.clone()/></td>
            <td class="tl-start"><Clock at=entry.start.or(entry.logged_at)/></td>
            <td class="tl-message" title=title>
                {message}
                {(hidden > 0).then(|| view! { <span class="clipped">{format!(" … ({hidden} more characters)")}</span> })}
            </td>
            <td class="tl-duration">{duration}</td>
            <td class="tl-bar-cell">
                {bar.map(|b| view! {
                    <div
                        class=format!("tl-bar status-bg-{}", status.id())
                        style=format!("left:{};width:{}", css_percent(b.left), css_percent(b.width))
                    ></div>
                })}
            </td>
        </tr>
    }
}
