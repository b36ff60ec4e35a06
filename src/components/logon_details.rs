//! Logon session details: who, which session, and the links it grants, grouped by relation.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::model::{Link, LogonSession, LogonSessions};

#[component]
pub fn LogonDetails(sessions: Arc<LogonSessions>) -> impl IntoView {
    let cards = sessions.sessions.iter().map(card).collect_view();
    // One handler for every "Copy" button: it copies its `data-copy` and says so in its place.
    let on_click = |ev: leptos::ev::MouseEvent| {
        let button = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("button[data-copy]").ok().flatten());
        if let Some(b) = button {
            let copied = b
                .get_attribute("data-copy")
                .is_some_and(|href| super::clipboard::copy_text(&href));
            b.set_text_content(Some(if copied { "Copied" } else { "Cannot copy here" }));
        }
    };
    view! {
        <super::skipped::SkippedNotice
            skipped=sessions.skipped.clone()
            total=sessions.sessions.len() + sessions.skipped.len()
            noun="logon sessions"
        />
        <div class="logons" on:click=on_click>{cards}</div>
    }
}

fn card(s: &LogonSession) -> impl IntoView {
    let groups = group_by_rel(&s.links)
        .into_iter()
        .map(|(rel, links)| {
            let rows = links
                .into_iter()
                .map(|l| {
                    view! {
                        <tr>
                            <td>{l.kind.clone()}</td>
                            <td>{l.name.clone()}</td>
                            <td><code class="href">{l.href.clone()}</code></td>
                            <td>
                                <button type="button" class="secondary small" data-copy=l.href.clone() aria-label=format!("Copy the address of {}", l.name.as_ref().or(l.kind.as_ref()).unwrap_or(&l.href))>"Copy"</button>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            let caption = if rel.is_empty() { "(no relation)".to_string() } else { rel };
            view! {
                <table class="links">
                    <caption>{caption}</caption>
                    <thead><tr><th scope="col">"Type"</th><th scope="col">"Name"</th><th scope="col">"Address"</th><th scope="col"><span class="visually-hidden">"Copy"</span></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
        .collect_view();
    let links = if s.links.is_empty() {
        view! { <p class="muted">"No links."</p> }.into_any()
    } else {
        view! { <h3>{format!("Links ({})", s.links.len())}</h3> {groups} }.into_any()
    };
    view! {
        <article class="panel logon" data-user=s.user.clone()>
            <h2>{s.user.clone()}</h2>
            <dl>
                <dt>"User"</dt><dd>{s.user.clone()}</dd>
                <dt>"Session id"</dt><dd>{s.session_id.clone().map(|i| view! { <code>{i}</code> }.into_any()).unwrap_or_else(|| view! { <span class="not-set">"not given"</span> }.into_any())}</dd>
                {s.href.clone().map(|h| view! { <dt>"Address"</dt><dd><code class="href">{h}</code></dd> })}
            </dl>
            {links}
        </article>
    }
}

/// Links grouped by relation, groups in first-seen order, links in source order.
pub fn group_by_rel(links: &[Link]) -> Vec<(String, Vec<&Link>)> {
    let mut groups: Vec<(String, Vec<&Link>)> = Vec::new();
    for link in links {
        match groups.iter_mut().find(|(rel, _)| *rel == link.rel) {
            Some((_, members)) => members.push(link),
            None => groups.push((link.rel.clone(), vec![link])),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_first_seen_order() {
        let l = |rel: &str, href: &str| Link {
            rel: rel.into(),
            kind: None,
            href: href.into(),
            name: None,
        };
        let links = [l("Up", "a"), l("Down", "b"), l("Up", "c"), l("", "d")];
        let groups: Vec<(String, Vec<&str>)> = group_by_rel(&links)
            .into_iter()
            .map(|(rel, ls)| (rel, ls.iter().map(|l| l.href.as_str()).collect()))
            .collect();
        assert_eq!(
            groups,
            [
                ("Up".into(), vec!["a", "c"]),
                ("Down".into(), vec!["b"]),
                (String::new(), vec!["d"])
            ]
        );
    }
}
