//! Logon session details: who, which session, and the links it grants, grouped by relation.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::connections::links::{target, Target};
use crate::connections::Failure;
use crate::list::html::escape;
use crate::model::{Link, LogonSession, LogonSessions};
use crate::store::Store;
use crate::vendors::Kind;

/// The connection that followable links are fetched through: its id, its label, and whether it
/// is the one the document came from (otherwise a configured connection of the same kind).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowThrough {
    pub id: String,
    pub label: String,
    pub own: bool,
}

/// The logon sessions, each with its links. Links the app can show (`crate::connections::links`) get an
/// "Open" button when there is a connection `via` to fetch them through; every link can be
/// copied. With `pick` (a list of them is shown above), only the session selected in that list
/// (`?sel=` in the address) is shown, not all of them one after another.
#[component]
pub fn LogonDetails(
    sessions: Arc<LogonSessions>,
    kind: Kind,
    via: Option<FollowThrough>,
    #[prop(optional)] pick: bool,
) -> impl IntoView {
    // The followable links' targets, by the index their button carries in `data-follow`.
    let mut targets = Vec::new();
    let cards = sessions
        .sessions
        .iter()
        .map(|s| card(s, kind, via.as_ref(), &mut targets, pick))
        .collect_view();
    let targets = StoredValue::new(targets);
    let store = use_context::<Store>();
    let navigate = StoredValue::new_local(leptos_router::hooks::use_navigate());
    let (error, set_error) = signal(None::<Failure>);
    // The request under way, aborted when the page goes.
    let running = StoredValue::new_local(None::<web_sys::AbortController>);
    on_cleanup(move || {
        running.try_with_value(|c| c.as_ref().map(|c| c.abort()));
    });
    let through = via.as_ref().filter(|v| !v.own).map(|v| {
        view! { <p class="muted">{format!("“Open” fetches through the connection {}.", v.label)}</p> }
    });
    let conn = via.map(|v| v.id);
    // One handler for every button: "Copy" copies its `data-copy` and says so in its place;
    // "Open" fetches its target through the connection and goes there.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("button").ok().flatten())
        else {
            return;
        };
        if let Some(href) = b.get_attribute("data-copy") {
            let copied = super::clipboard::copy_text(&href);
            b.set_text_content(Some(if copied { "Copied" } else { "Cannot copy here" }));
            return;
        }
        let chosen = b
            .get_attribute("data-follow")
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| targets.with_value(|t| t.get(i).cloned()));
        let (Some(target), Some(conn), Some(store)) = (chosen, conn.clone(), store) else {
            return;
        };
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(|c| c.signal());
        running.update_value(|old| {
            if let Some(old) = std::mem::replace(old, controller) {
                old.abort();
            }
        });
        set_error.set(None);
        b.set_text_content(Some("Opening…"));
        leptos::task::spawn_local(async move {
            let result =
                crate::connections::fetching::follow(store, &conn, &target, signal.clone()).await;
            if signal.is_some_and(|s| s.aborted()) {
                return;
            }
            b.set_text_content(Some("Open"));
            match result {
                Ok(route) => {
                    navigate.try_with_value(|n| n(&route, Default::default()));
                }
                Err(e) => {
                    set_error.try_set(Some(e));
                }
            }
        });
    };
    let cards_ref = NodeRef::<leptos::html::Div>::new();
    if pick {
        show_selected(cards_ref);
    }
    view! {
        <super::skipped::SkippedNotice
            skipped=sessions.skipped.clone()
            total=sessions.sessions.len() + sessions.skipped.len()
            noun="logon sessions"
        />
        {through}
        {crate::components::failure::notice(error)}
        <p class="muted logon-pick" hidden=!pick>"Select a session in the list to see its details and links."</p>
        <div class="logons" on:click=crate::components::on(on_click) node_ref=cards_ref>{cards}</div>
    }
}

/// Shows the card of the session selected in the list above (`?sel=`), and the hint when none is.
fn show_selected(cards: NodeRef<leptos::html::Div>) {
    let location = leptos_router::hooks::use_location();
    crate::components::effect(move |_| {
        let search = location.search.get();
        let Some(div) = cards.get() else { return };
        let selected = crate::list::ListState::from_query_string(&search)
            .0
            .selected;
        let mut shown = false;
        let mut card = div.first_element_child();
        while let Some(c) = card {
            let this = selected.is_some() && c.get_attribute("data-id") == selected;
            shown |= this;
            let _ = c.toggle_attribute_with_force("hidden", !this);
            card = c.next_element_sibling();
        }
        if let Some(hint) = div.previous_element_sibling() {
            let _ = hint.toggle_attribute_with_force("hidden", shown);
        }
    });
}

fn card(
    s: &LogonSession,
    kind: Kind,
    via: Option<&FollowThrough>,
    targets: &mut Vec<Target>,
    pick: bool,
) -> impl IntoView {
    let groups = group_by_rel(&s.links)
        .into_iter()
        .map(|(rel, links)| {
            let rows = links
                .into_iter()
                .map(|l| {
                    // Followable through a connection, or copy only.
                    let open = via.zip(target(kind, &l.href, s.href.as_deref())).map(|(via, t)| {
                        targets.push(t);
                        (targets.len() - 1, via)
                    });
                    view! {
                        <tr>
                            <td>{l.kind.clone()}</td>
                            <td>{l.name.clone()}</td>
                            <td><code class="href">{l.href.clone()}</code></td>
                            <td inner_html=actions_html(l, open)></td>
                        </tr>
                    }
                })
                .collect_view();
            let caption = if rel.is_empty() { "(no relation)".to_string() } else { rel };
            view! {
                <table class="links">
                    <caption>{caption}</caption>
                    <thead><tr><th scope="col">"Type"</th><th scope="col">"Name"</th><th scope="col">"Address"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
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
        <article class="panel logon" data-user=s.user.clone() data-id=s.session_id.clone().unwrap_or_else(|| s.user.clone()) hidden=pick>
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

/// A link's buttons as HTML text (one typed view less per row): "Open" with the index of its
/// target in `data-follow` when it can be followed, and always "Copy". Values are escaped.
pub fn actions_html(link: &Link, open: Option<(usize, &FollowThrough)>) -> String {
    let what = link
        .name
        .as_ref()
        .or(link.kind.as_ref())
        .unwrap_or(&link.href);
    let mut out = String::new();
    if let Some((index, via)) = open {
        out.push_str(&format!(
            "<button type=\"button\" class=\"small\" data-follow=\"{index}\" aria-label=\"Open "
        ));
        escape(what, &mut out);
        if !via.own {
            out.push_str(" through ");
            escape(&via.label, &mut out);
        }
        out.push_str("\">Open</button> ");
    }
    out.push_str("<button type=\"button\" class=\"secondary small\" data-copy=\"");
    escape(&link.href, &mut out);
    out.push_str("\" aria-label=\"Copy the address of ");
    escape(what, &mut out);
    out.push_str("\">Copy</button>");
    out
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
    fn link_buttons_are_escaped_and_open_only_when_followable() {
        let link = Link {
            rel: "Delete".into(),
            kind: Some("Logon\"Session<b>".into()),
            href: "https://h/api/logonSessions/a\"><script>".into(),
            name: None,
        };
        let copy_only = actions_html(&link, None);
        assert_eq!(
            copy_only,
            "<button type=\"button\" class=\"secondary small\" data-copy=\"https://h/api/logonSessions/a&quot;&gt;&lt;script&gt;\" aria-label=\"Copy the address of Logon&quot;Session&lt;b&gt;\">Copy</button>"
        );
        let via = FollowThrough {
            id: "em".into(),
            label: "EM <prod>".into(),
            own: false,
        };
        let both = actions_html(&link, Some((3, &via)));
        assert!(both.starts_with("<button type=\"button\" class=\"small\" data-follow=\"3\" aria-label=\"Open Logon&quot;Session&lt;b&gt; through EM &lt;prod&gt;\">Open</button> "));
        assert!(both.ends_with(&copy_only));
        let own = actions_html(&link, Some((0, &FollowThrough { own: true, ..via })));
        assert!(own.contains("aria-label=\"Open Logon&quot;Session&lt;b&gt;\">Open</button>"));
    }

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
