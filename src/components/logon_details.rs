//! Logon session details: who, which session, and the links it grants, grouped by relation.

use std::sync::Arc;

use leptos::prelude::*;

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
    let mut cards = String::new();
    for s in &sessions.sessions {
        card(&mut cards, s, kind, via.as_ref(), &mut targets, pick);
    }
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
        let Some(b) = super::clicked_button(&ev) else {
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
        <div class="logons" on:click=crate::components::on(on_click) node_ref=cards_ref inner_html=cards></div>
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

/// A session's card as escaped HTML text (static once drawn: a typed view of its own per part
/// cost ≈ 1 KB of the bundle), appended to `out`. Its followable links' targets go to `targets`,
/// their buttons carrying the index.
fn card(
    out: &mut String,
    s: &LogonSession,
    kind: Kind,
    via: Option<&FollowThrough>,
    targets: &mut Vec<Target>,
    pick: bool,
) {
    text(
        out,
        &[
            "<article class=\"panel logon\" data-user=\"",
            &s.user,
            "\" data-id=\"",
            s.session_id.as_deref().unwrap_or(&s.user),
            if pick {
                "\" hidden=\"\"><h2>"
            } else {
                "\"><h2>"
            },
            &s.user,
            "</h2><dl><dt>User</dt><dd>",
            &s.user,
            "</dd><dt>Session id</dt><dd>",
        ],
    );
    match &s.session_id {
        Some(id) => text(out, &["<code>", id, "</code>"]),
        None => out.push_str("<span class=\"not-set\">not given</span>"),
    }
    out.push_str("</dd>");
    if let Some(h) = &s.href {
        text(
            out,
            &[
                "<dt>Address</dt><dd><code class=\"href\">",
                h,
                "</code></dd>",
            ],
        );
    }
    out.push_str("</dl>");
    if s.links.is_empty() {
        out.push_str("<p class=\"muted\">No links.</p>");
    } else {
        out.push_str(&format!("<h3>Links ({})</h3>", s.links.len()));
    }
    for (rel, links) in group_by_rel(&s.links) {
        let caption = if rel.is_empty() {
            "(no relation)"
        } else {
            &rel
        };
        text(
            out,
            &[
                "<table class=\"links\"><caption>",
                caption,
                "</caption><thead><tr><th scope=\"col\">Type</th><th scope=\"col\">Name</th><th scope=\"col\">Address</th><th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>",
            ],
        );
        for l in links {
            // Followable through a connection, or copy only.
            let open = via
                .zip(target(kind, &l.href, s.href.as_deref()))
                .map(|(via, t)| {
                    targets.push(t);
                    (targets.len() - 1, via)
                });
            text(
                out,
                &[
                    "<tr><td>",
                    l.kind.as_deref().unwrap_or_default(),
                    "</td><td>",
                    l.name.as_deref().unwrap_or_default(),
                    "</td><td><code class=\"href\">",
                    &l.href,
                    "</code></td><td>",
                ],
            );
            out.push_str(&actions_html(l, open));
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</article>");
}

/// `parts` appended to `out`: even ones as markup, odd ones (values) escaped.
fn text(out: &mut String, parts: &[&str]) {
    for (k, part) in parts.iter().enumerate() {
        if k % 2 == 0 {
            out.push_str(part);
        } else {
            escape(part, out);
        }
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
