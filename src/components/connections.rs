//! The connections from `config.json`: sign in (password, token, or the browser's own
//! credentials) and open each one's sessions.

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
        None => view! { <p role="status" class="muted">"Reading config.json…"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="notice notice-error" role="alert">{e}</p> }.into_any(),
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
                view! {
                    <p class="muted">
                        "No connections are configured: put a " <code>"config.json"</code>
                        " beside index.html (README: Connections). Meanwhile, open a saved response or try a sample."
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <div class="connections">
                        {config.connections.into_iter().map(|c| view! { <ConnectionCard conn=c/> }).collect_view()}
                    </div>
                }
                .into_any()
            };
            view! { {problems} {cards} }.into_any()
        }
    }
}

#[component]
fn ConnectionCard(conn: Connection) -> impl IntoView {
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
    let user_ref = NodeRef::<html::Input>::new();
    let secret_ref = NodeRef::<html::Input>::new();
    let conn = StoredValue::new(conn);

    let on_sign_in = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let user = user_ref.get().map(|i| i.value()).unwrap_or_default();
        let secret = secret_ref.get().map(|i| i.value()).unwrap_or_default();
        // The secret leaves the DOM at once; it lives on only as a token in memory.
        if let Some(input) = secret_ref.get() {
            input.set_value("");
        }
        let conn = conn.get_value();
        set_error.set(None);
        if conn.auth == AuthMode::Token {
            if let Err(e) = live::use_token(store, &conn, &secret) {
                set_error.set(Some(e.into()));
            }
            return;
        }
        set_busy.set(true);
        leptos::task::spawn_local(async move {
            if let Err(e) = live::sign_in(store, &conn, &user, &secret).await {
                set_error.set(Some(e.into()));
            }
            set_busy.set(false);
        });
    };
    let open_sessions = move |_| {
        let navigate = navigate.clone();
        let conn = conn.get_value();
        set_error.set(None);
        set_busy.set(true);
        leptos::task::spawn_local(async move {
            match live::open_sessions(store, &conn).await {
                Ok(href) => navigate(&href, Default::default()),
                Err(e) => set_error.set(Some(e)),
            }
            set_busy.set(false);
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
            return view! {
                <div class="actions">
                    <button type="button" class="button" on:click=open_sessions.clone() disabled=busy>"Open sessions"</button>
                    {(matches!(auth, AuthMode::Password | AuthMode::Token))
                        .then(|| view! { <button type="button" class="button secondary" on:click=forget>"Sign out"</button> })}
                </div>
            }
            .into_any();
        }
        let (secret_label, submit) = if auth == AuthMode::Token {
            ("Token", "Use token")
        } else {
            ("Password", "Log on")
        };
        view! {
            <form class="sign-in" on:submit=on_sign_in>
                {(auth == AuthMode::Password).then(|| view! {
                    <label>"User name" <input node_ref=user_ref name="username" autocomplete="username" required/></label>
                })}
                <label>{secret_label} <input node_ref=secret_ref type="password" autocomplete="current-password" required/></label>
                <button type="submit" class="button" disabled=busy>{submit}</button>
            </form>
        }
        .into_any()
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
            {move || busy.get().then(|| view! { <p role="status" class="muted">"Working…"</p> })}
            {move || error.get().map(|e| view! { <FailureNotice failure=e/> })}
        </article>
    }
}
