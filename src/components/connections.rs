//! The connections, from `config.json` and from the connection editor: sign in (password,
//! token, or the browser's own credentials), open each one's sessions, check it; add, edit and
//! remove the editor's own.

use leptos::either::Either;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::connections::Failure;
use crate::list::html::escape;
use crate::views::doc::note;
use leptos_router::hooks::use_navigate;

use crate::components::editor::{ConnectionEditor, Editing};
use crate::connections::config::{AuthMode, Connection};
use crate::connections::probe::Verdict;
use crate::connections::{fetching, registry, signing};
use crate::store::Store;
use crate::vendors::contract::SignInError;

/// Every connection (`config.json`'s, then the editor's), why some are missing, and the editor.
#[component]
pub fn ConnectionsPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    let editing: Editing = RwSignal::new(None);
    let cards = move |list: Vec<Connection>, saved: bool| {
        list.into_iter()
            .map(|c| view! { <ConnectionCard conn=c saved editing/> })
            .collect_view()
    };
    // config.json's part is drawn once config.json is read, and not again when the editor's
    // connections change, so that its cards keep what they are doing (a list loading, a check).
    let from_file = crate::components::dynamic(move || match store.config.get() {
        None => note(Some("muted"), "status", "Reading config.json…".into()),
        Some(Err(e)) => note(Some("notice notice-error"), "alert", e.to_string()),
        Some(Ok(config)) => {
            let problems = (!config.problems.is_empty()).then(|| {
                view! {
                    <details class="notice notice-warning" role="status">
                        <summary>{format!("{} entries of config.json are ignored.", config.problems.len())}</summary>
                        <ul>{config.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                    </details>
                }
            });
            view! { {problems} <div class="connections">{cards(config.connections, false)}</div> }
                .into_any()
        }
    });
    let from_editor = move || {
        let from_file = store.config.with(|c| {
            c.as_ref()
                .map(|c| c.as_ref().map_or(0, |c| c.connections.len()))
        })?;
        let saved = store.saved.get();
        let problems = store.saved_problems.get();
        let problems = (!problems.is_empty()).then(|| {
            view! { <p class="notice notice-warning" role="status" data-saved-problem="">{problems.join(" ")}</p> }
        });
        let list = if from_file == 0 && saved.is_empty() {
            Either::Left(view! {
                <p class="muted">
                    "No connections are configured yet: add one here, or put a " <code>"config.json"</code>
                    " beside index.html (README: Connections). Meanwhile, open a saved response or try a sample."
                </p>
            })
        } else {
            Either::Right(view! { <div class="connections">{cards(saved, true)}</div> })
        };
        Some(view! { {problems} {list} })
    };
    let from_editor = crate::components::dynamic(move || from_editor().into_any());
    view! {
        {from_file}
        {from_editor}
        {crate::components::dynamic(move || match editing.get() {
            Some(edit) => Some(Either::Left(view! { <ConnectionEditor edit editing/> })),
            None if store.config.with(Option::is_some) => Some(Either::Right(view! {
                <button type="button" class="button" on:click=crate::components::on(move |_| editing.set(Some(None)))>"Add connection"</button>
            })),
            None => None,
        }
        .into_any())}
    }
}

#[component]
fn ConnectionCard(conn: Connection, saved: bool, editing: Editing) -> AnyView {
    let store = expect_context::<Store>();
    let navigate = use_navigate();
    let (error, set_error) = signal(None::<Failure>);
    let (busy, set_busy) = signal(false);
    // The check's verdict is written straight into its paragraph: no signal, no reactive view.
    let verdict_ref = NodeRef::<html::P>::new();
    let show_verdict = move |v: Option<Verdict>| {
        if let Some(p) = verdict_ref.get_untracked() {
            p.set_text_content(v.as_ref().map(|v| v.text.as_str()));
            let _ = p.set_attribute("data-verdict", v.as_ref().map_or("", |v| v.tone.id()));
        }
    };
    let id = conn.id.clone();
    let signed_in = {
        let id = id.clone();
        let auth = conn.auth;
        Memo::new(move |_| {
            matches!(auth, AuthMode::Browser | AuthMode::None)
                || store.credentials.with(|c| c.contains_key(&id))
        })
    };
    // How far a paged list got ("Loaded 500 of 2 302 sessions…"), or what a cancel stopped.
    let (note, set_note) = signal(None::<String>);
    // The running request's controller: the Cancel button aborts it, and so does leaving the
    // page (the card's cleanup), so that nothing is fetched for a view that is gone.
    let running = StoredValue::new_local(None::<web_sys::AbortController>);
    on_cleanup(move || {
        running.try_with_value(|c| c.as_ref().map(|c| c.abort()));
    });
    let start = move || {
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(|c| c.signal());
        running.set_value(controller);
        set_error.set(None);
        set_note.set(None);
        show_verdict(None);
        signal
    };
    let cancel = move |_| {
        running.with_value(|c| c.as_ref().map(|c| c.abort()));
    };
    // Sent here by a view that needs this connection: say why, and go back after.
    if let Some(ended) = store.relogon.with_untracked(|r| {
        r.as_ref()
            .filter(|r| r.connection == id && r.back.is_some())
            .map(|r| r.ended)
    }) {
        set_note.set(Some(
            if ended {
                "Your session ended. Log on again to go back to where you were."
            } else {
                "The page you were on needs this connection. Log on to go back there."
            }
            .into(),
        ));
    }
    let go_back = {
        let navigate = navigate.clone();
        let id = id.clone();
        move || {
            let back = store
                .relogon
                .get_untracked()
                .filter(|r| r.connection == id)
                .and_then(|r| r.back);
            if let Some(back) = back {
                store.relogon.set(None);
                navigate(&back, Default::default());
            }
        }
    };
    // A log-on that asked for a second factor: the server's token for it (a secret: kept in
    // memory, never drawn), and whether the form asks for the one-time code.
    let second = StoredValue::new(None::<String>);
    let (asks_code, set_asks_code) = signal(false);
    // "Keep me signed in" as ticked on the last log-on form: the one-time code's form has none.
    let kept = StoredValue::new(false);
    let card_ref = NodeRef::<html::Article>::new();
    let conn = StoredValue::new(conn);

    let on_sign_in = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = |selector: &str| {
            ev.current_target()
                .and_then(|f| f.dyn_into::<web_sys::Element>().ok())
                .and_then(|f| f.query_selector(selector).ok().flatten())
                .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
        };
        let user = input("input[name=username]")
            .map(|i| i.value())
            .unwrap_or_default();
        let secret_input = input("input[type=password], input[name=one-time-code]");
        let secret = secret_input.as_ref().map(|i| i.value()).unwrap_or_default();
        if let Some(keep) = input("input[type=checkbox]") {
            kept.set_value(keep.checked());
        }
        let keep = kept.get_value();
        // The secret leaves the DOM at once; it lives on only as a token in memory.
        if let Some(input) = secret_input {
            input.set_value("");
        }
        let conn = conn.get_value();
        let signal = start();
        let go_back = go_back.clone();
        if conn.auth == AuthMode::Token {
            match signing::use_token(store, &conn, &secret, keep) {
                Ok(()) => go_back(),
                Err(e) => set_error.set(Some(e)),
            }
            return;
        }
        set_busy.set(true);
        leptos::task::spawn_local(async move {
            let result = match second.get_value() {
                // The one-time code: the form's secret field holds it now.
                Some(token) => {
                    signing::second_factor(store, &conn, &token, &secret, keep, signal.clone())
                        .await
                }
                None => signing::sign_in(store, &conn, &user, &secret, keep, signal.clone()).await,
            };
            // `try_set` hands the value back when the card is gone (the user left the page).
            let gone = set_busy.try_set(false).is_some();
            match (result, gone || is_aborted(&signal)) {
                (Ok(()), false) => {
                    second.set_value(None);
                    set_asks_code.set(false);
                    go_back()
                }
                // The account has a second factor: ask for its one-time code.
                (Err(Failure::SignIn(SignInError::SecondFactor(token))), false) => {
                    second.set_value(Some(token));
                    set_asks_code.set(true);
                }
                (Err(e), false) => {
                    set_error.try_set(Some(e));
                }
                _ => {}
            }
        });
    };
    let open_list = move |list: usize| {
        let navigate = navigate.clone();
        let conn = conn.get_value();
        let signal = start();
        set_busy.set(true);
        leptos::task::spawn_local(async move {
            let result = fetching::open_sessions(
                store,
                &conn,
                list,
                fetching::Caller::Card,
                signal.clone(),
                &move |p| {
                    set_note.try_set(Some(format!("{}…", p.words())));
                },
            )
            .await;
            // The card is gone when the user left the page: its requests were cancelled, and
            // there is nothing to show or navigate to.
            if set_busy.try_set(false).is_some() {
                return;
            }
            let aborted = is_aborted(&signal);
            set_note.update(|n| {
                *n = aborted.then(|| match n.take() {
                    Some(got) => format!(
                        "Cancelled: {}; nothing was opened.",
                        got.trim_end_matches('…')
                    ),
                    None => "Cancelled; nothing was opened.".to_string(),
                })
            });
            match result {
                Ok(href) if !aborted => navigate(&href, Default::default()),
                Err(e) if !aborted => set_error.set(Some(e)),
                _ => {}
            }
        });
    };
    let forget = move || {
        let conn = conn.get_value();
        set_error.set(None);
        leptos::task::spawn_local(async move {
            if let Err(e) = signing::sign_out(store, &conn).await {
                set_error.set(Some(e));
            }
        });
    };

    // Check, Edit and Remove (the last two for the editor's own connections only) are plain
    // markup with one handler; a check is not started while the card is busy.
    let tool = move |ev: leptos::ev::MouseEvent| {
        let action = event_target::<web_sys::Element>(&ev).get_attribute("data-action");
        let id = conn.with_value(|c| c.id.clone());
        match action.as_deref() {
            Some("check") if !busy.get_untracked() => {
                let conn = conn.get_value();
                let signal = start();
                set_busy.set(true);
                leptos::task::spawn_local(async move {
                    let found = fetching::probe(store, &conn, signal).await;
                    if set_busy.try_set(false).is_none() {
                        show_verdict(Some(found));
                    }
                });
            }
            Some("edit") => editing.set(Some(Some(conn.get_value()))),
            Some("remove") => {
                if editing.with_untracked(|e| matches!(e, Some(Some(c)) if c.id == id)) {
                    editing.set(None);
                }
                registry::remove_connection(store, &id);
            }
            _ => {}
        }
    };

    let c = conn.get_value();
    let auth = c.auth;
    let lists = c.kind.vendor().lists;
    // The lists' buttons (and "Sign out"), or the log-on form: escaped text in one element each,
    // one handler; the buttons that wait while the card works are disabled by `busy` below.
    let on_list = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = super::clicked_button(&ev) else {
            return;
        };
        let mut place = 0;
        let mut before = button.previous_element_sibling();
        while let Some(b) = before {
            place += 1;
            before = b.previous_element_sibling();
        }
        if place < lists.len() {
            open_list(place);
        } else {
            forget();
        }
    };
    let form = move || {
        let wait = if busy.get_untracked() {
            " disabled=\"\">"
        } else {
            ">"
        };
        let mut html = String::new();
        if signed_in.get() {
            for (i, l) in lists.iter().enumerate() {
                html.push_str(if i == 0 {
                    "<button class=\"button\" type=\"button\""
                } else {
                    "<button class=\"button secondary\" type=\"button\""
                });
                html.push_str(wait);
                escape(l.label, &mut html);
                html.push_str("</button>");
            }
            if matches!(auth, AuthMode::Password | AuthMode::Token) {
                html.push_str(
                    "<button class=\"button secondary\" type=\"button\">Sign out</button>",
                );
            }
            return view! { <div class="actions" on:click=crate::components::on(on_list.clone()) inner_html=html></div> }.into_any();
        }
        if asks_code.get() {
            html.push_str("<p class=\"muted\">This account has a second factor.</p><label>One-time code<input name=\"one-time-code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" required=\"\"></label><button class=\"button\" type=\"submit\"");
            html.push_str(wait);
            html.push_str("Confirm</button>");
        } else {
            // A bearer token is not a password: no password manager is offered to keep it.
            let (secret_label, submit, fill) = if auth == AuthMode::Token {
                ("Token", "Use token", "off")
            } else {
                ("Password", "Log on", "current-password")
            };
            if auth == AuthMode::Password {
                html.push_str("<label>User name<input name=\"username\" autocomplete=\"username\" required=\"\"></label>");
            }
            html.push_str(&format!(
                "<label>{secret_label}<input type=\"password\" autocomplete=\"{fill}\" required=\"\"></label><label class=\"keep\"><input type=\"checkbox\">Keep me signed in for this tab</label><button class=\"button\" type=\"submit\"{wait}{submit}</button>"
            ));
        }
        view! { <form class="sign-in" on:submit=crate::components::on(on_sign_in.clone()) inner_html=html></form> }.into_any()
    };
    crate::components::effect(move |_| {
        let busy = busy.get();
        let Some(card) = card_ref.get() else { return };
        let waiting = card.query_selector_all(&format!(
            ":scope > .actions:not(.tools) > button:nth-child(-n+{}), :scope > .sign-in > button",
            lists.len()
        ));
        let Ok(waiting) = waiting else { return };
        for i in 0..waiting.length() {
            if let Some(b) = waiting
                .item(i)
                .and_then(|b| b.dyn_into::<web_sys::Element>().ok())
            {
                let _ = b.toggle_attribute_with_force("disabled", busy);
            }
        }
    });
    let form = crate::components::dynamic(form);
    // The API version the connection speaks, and whether its log-on found it.
    let version = {
        let conn = c.clone();
        crate::components::dynamic(move || {
            signing::version_in_use(store, &conn).map(|(v, found)| {
                let how = if found { " (found at log-on)" } else { "" };
                view! { <p class="muted" data-api-version=v.clone()>"API version " <code>{v.clone()}</code> {how}</p> }
            })
            .into_any()
        })
    };
    let how = match auth {
        AuthMode::Password => "user name and password",
        AuthMode::Token => "a token",
        AuthMode::Browser => "your browser's sign-in",
        AuthMode::None => "the proxy in front",
    };
    view! {
        <article class="connection panel" node_ref=card_ref data-connection=id data-source=if saved { "browser" } else { "config" } aria-label=c.label.clone()>
            <h3>{c.label.clone()}</h3>
            <p class="muted">
                {c.kind.product()} " · " <code>{c.base_url.clone()}</code> " · signs in with " {how}
                {if saved { " · added in this browser" } else { " · from config.json" }}
            </p>
            {form}
            {version}
            <div class="actions tools" on:click=crate::components::on(tool) inner_html=if saved { TOOLS_SAVED } else { TOOLS }></div>
            <p role="status" class="verdict" node_ref=verdict_ref></p>
            {crate::components::dynamic(move || {
                // While working: how far a paged list got, and a way to stop; after a cancel, what
                // was stopped.
                let working = busy.get();
                let text = note.get().or_else(|| working.then(|| "Working…".to_string()));
                text.map(|t| view! {
                    <p role="status" class="loading muted">
                        {t}
                        {working.then(|| view! { <button type="button" class="button secondary" on:click=crate::components::on(cancel)>"Cancel"</button> })}
                    </p>
                })
                .into_any()
            })}
            {crate::components::failure::notice(error)}
        </article>
    }
    .into_any()
}

/// The card's tools: "Check connection" on every card, Edit and Remove on the editor's own.
const TOOLS: &str = r#"<button type="button" class="button secondary" data-action="check">Check connection</button>"#;
const TOOLS_SAVED: &str = r#"<button type="button" class="button secondary" data-action="check">Check connection</button><button type="button" class="button secondary" data-action="edit">Edit</button><button type="button" class="button secondary" data-action="remove">Remove</button>"#;

fn is_aborted(signal: &Option<web_sys::AbortSignal>) -> bool {
    signal.as_ref().is_some_and(|s| s.aborted())
}
