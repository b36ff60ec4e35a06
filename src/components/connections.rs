//! The connections from `config.json`: sign in (password, token, or the browser's own
//! credentials) and open each one's sessions.

use leptos::either::{Either, EitherOf3};
use leptos::html;
use leptos::prelude::*;

use crate::components::failure::FailureNotice;
use crate::live::Failure;
use leptos_router::hooks::use_navigate;

use crate::config::{AuthMode, Connection};
use crate::live;
use crate::store::Store;

/// Every configured connection, or why there are none.
#[component]
pub fn ConnectionsPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    move || match store.config.get() {
        None => EitherOf3::A(view! { <p role="status" class="muted">"Reading config.json…"</p> }),
        Some(Err(e)) => EitherOf3::B(view! { <p class="notice notice-error" role="alert">{e}</p> }),
        Some(Ok(config)) => {
            let problems = (!config.problems.is_empty()).then(|| {
                view! {
                    <details class="notice notice-warning" role="status">
                        <summary>{format!("{} entries of config.json are ignored.", config.problems.len())}</summary>
                        <ul>{config.problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul>
                    </details>
                }
            });
            let cards = if config.connections.is_empty() {
                Either::Left(view! {
                    <p class="muted">
                        "No connections are configured: put a " <code>"config.json"</code>
                        " beside index.html (README: Connections). Meanwhile, open a saved response or try a sample."
                    </p>
                })
            } else {
                Either::Right(view! {
                    <div class="connections">
                        {config.connections.into_iter().map(|c| view! { <ConnectionCard conn=c/> }).collect_view()}
                    </div>
                })
            };
            EitherOf3::C(view! { {problems} {cards} })
        }
    }
}

#[component]
fn ConnectionCard(conn: Connection) -> AnyView {
    let store = expect_context::<Store>();
    let navigate = use_navigate();
    let (error, set_error) = signal(None::<Failure>);
    let (busy, set_busy) = signal(false);
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
        signal
    };
    let cancel = move |_| {
        running.with_value(|c| c.as_ref().map(|c| c.abort()));
    };
    // Sent here by a view whose request found the session ended: say so, and go back after.
    if store
        .relogon
        .with_untracked(|r| matches!(r, Some((i, Some(_))) if *i == id))
    {
        set_note.set(Some(
            "Your session ended. Log on again to go back to where you were.".into(),
        ));
    }
    let go_back = {
        let navigate = navigate.clone();
        let id = id.clone();
        move || {
            if let Some((_, Some(back))) = store.relogon.get_untracked().filter(|(i, _)| *i == id) {
                store.relogon.set(None);
                navigate(&back, Default::default());
            }
        }
    };
    let keep_ref = NodeRef::<html::Input>::new();
    let user_ref = NodeRef::<html::Input>::new();
    let secret_ref = NodeRef::<html::Input>::new();
    let conn = StoredValue::new(conn);

    let on_sign_in = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let user = user_ref.get().map(|i| i.value()).unwrap_or_default();
        let secret = secret_ref.get().map(|i| i.value()).unwrap_or_default();
        let keep = keep_ref.get().is_some_and(|i| i.checked());
        // The secret leaves the DOM at once; it lives on only as a token in memory.
        if let Some(input) = secret_ref.get() {
            input.set_value("");
        }
        let conn = conn.get_value();
        let signal = start();
        let go_back = go_back.clone();
        if conn.auth == AuthMode::Token {
            match live::use_token(store, &conn, &secret, keep) {
                Ok(()) => go_back(),
                Err(e) => set_error.set(Some(e.into())),
            }
            return;
        }
        set_busy.set(true);
        leptos::task::spawn_local(async move {
            let result = live::sign_in(store, &conn, &user, &secret, keep, signal.clone()).await;
            // `try_set` hands the value back when the card is gone (the user left the page).
            let gone = set_busy.try_set(false).is_some();
            match (result, gone || is_aborted(&signal)) {
                (Ok(()), false) => go_back(),
                (Err(e), false) => {
                    set_error.try_set(Some(e.into()));
                }
                _ => {}
            }
        });
    };
    let open_sessions = move |_| {
        let navigate = navigate.clone();
        let conn = conn.get_value();
        let signal = start();
        set_busy.set(true);
        leptos::task::spawn_local(async move {
            let result = live::open_sessions(
                store,
                &conn,
                live::Caller::Card,
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
    let forget = move |_| {
        let conn = conn.get_value();
        set_error.set(None);
        leptos::task::spawn_local(async move {
            if let Err(e) = live::sign_out(store, &conn).await {
                set_error.set(Some(e));
            }
        });
    };

    let c = conn.get_value();
    let auth = c.auth;
    let form = move || {
        if signed_in.get() {
            return Either::Left(view! {
                <div class="actions">
                    <button type="button" class="button" on:click=open_sessions.clone() disabled=busy>"Open sessions"</button>
                    {(matches!(auth, AuthMode::Password | AuthMode::Token))
                        .then(|| view! { <button type="button" class="button secondary" on:click=forget>"Sign out"</button> })}
                </div>
            });
        }
        let (secret_label, submit) = if auth == AuthMode::Token {
            ("Token", "Use token")
        } else {
            ("Password", "Log on")
        };
        Either::Right(view! {
            <form class="sign-in" on:submit=on_sign_in.clone()>
                {(auth == AuthMode::Password).then(|| view! {
                    <label>"User name" <input node_ref=user_ref name="username" autocomplete="username" required/></label>
                })}
                <label>{secret_label} <input node_ref=secret_ref type="password" autocomplete="current-password" required/></label>
                <label class="keep"><input node_ref=keep_ref type="checkbox"/> "Keep me signed in for this tab"</label>
                <button type="submit" class="button" disabled=busy>{submit}</button>
            </form>
        })
    };
    let how = match auth {
        AuthMode::Password => "user name and password",
        AuthMode::Token => "a token",
        AuthMode::Browser => "your browser's sign-in",
        AuthMode::None => "the proxy in front",
    };
    view! {
        <article class="connection panel" data-connection=id aria-label=c.label.clone()>
            <h3>{c.label.clone()}</h3>
            <p class="muted">{c.kind.product()} " · " <code>{c.base_url.clone()}</code> " · signs in with " {how}</p>
            {form}
            {move || {
                // While working: how far a paged list got, and a way to stop; after a cancel, what
                // was stopped.
                let working = busy.get();
                let text = note.get().or_else(|| working.then(|| "Working…".to_string()));
                text.map(|t| view! {
                    <p role="status" class="loading muted">
                        {t}
                        {working.then(|| view! { <button type="button" class="button secondary" on:click=cancel>"Cancel"</button> })}
                    </p>
                })
            }}
            {move || error.get().map(|e| view! { <FailureNotice failure=e/> })}
        </article>
    }
    .into_any()
}

fn is_aborted(signal: &Option<web_sys::AbortSignal>) -> bool {
    signal.as_ref().is_some_and(|s| s.aborted())
}
