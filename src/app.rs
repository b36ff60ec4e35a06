//! The shell: state provider, header, router, page-wide drag-and-drop.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::path;

use crate::components::open_file::{read_files, Outcome};
use crate::store::Store;
use crate::views::{
    home::Home, job::JobPage, log::LogPage, logon_session::LogonSessionPage, not_found::NotFound,
    sessions::SessionsPage,
};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    crate::embed::init();
    let store = Store::new();
    provide_context(store);
    provide_context(Outcome::new());
    leptos::task::spawn_local(crate::connections::registry::load_config(store));
    view! {
        <Router base=app_base()>
            <Shell/>
        </Router>
    }
}

/// Header, main area and routes; inside the router so that a dropped file can navigate.
#[component]
fn Shell() -> impl IntoView {
    let store = expect_context::<Store>();
    let outcome = expect_context::<Outcome>();
    let navigate = use_navigate();
    let (dragging, set_dragging) = signal(false);
    // A view's request found its connection's session ended: remember the view, and go to the
    // connection's log-on form on the home page; the card comes back here once signed in.
    let location = use_location();
    let to_log_on = navigate.clone();
    crate::components::effect(move |_| {
        if let Some(r) = store.relogon.get().filter(|r| r.back.is_none()) {
            // The router's `search` comes without its `?`.
            let search = location.search.get_untracked();
            let back = format!(
                "{}{}{search}",
                location.pathname.get_untracked(),
                if search.is_empty() { "" } else { "?" }
            );
            store.relogon.set(Some(crate::store::Relogon {
                back: Some(back),
                ..r
            }));
            to_log_on("/", Default::default());
        }
    });

    // Embedded in a portal: its messages are heard from here on, and it hears where the user
    // goes (route and query), so that its own address can deep-link into the frame.
    let here = move || {
        (
            location.pathname.get_untracked(),
            location.search.get_untracked(),
        )
    };
    crate::embed::listen(store, outcome, here, {
        let navigate = navigate.clone();
        move |path: &str| navigate(path, Default::default())
    });
    crate::components::effect(move |_| {
        crate::embed::navigated(&location.pathname.get(), &location.search.get())
    });

    // The list's code is compiled before a first list opens from the home page.
    crate::components::session_list::warm_up(move || {
        location.pathname.with_untracked(|p| p == "/") && store.with_docs_untracked(<[_]>::is_empty)
    });

    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        set_dragging.set(false);
        let files = ev.data_transfer().and_then(|dt| dt.files());
        if let Some(files) = files {
            let navigate = navigate.clone();
            read_files(store, outcome, files, move |path| {
                navigate(&path, Default::default())
            });
        }
    };

    view! {
        <div
            class="shell"
            class:dragging=dragging
            on:dragover=crate::components::on(move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                set_dragging.set(true);
            })
            on:dragleave=crate::components::on(move |_| set_dragging.set(false))
            on:drop=crate::components::on(on_drop)
        >
            <header class="app-header">
                <A href="/" attr:class="brand">"Session Viewer"</A>
                <nav aria-label="Views">
                    <A href="/sessions">"Sessions"</A>
                    <A href="/log">"Log timeline"</A>
                    <A href="/logon">"Logon session"</A>
                </nav>
            </header>
            <main id="main">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view={HOME}/>
                    <Route path=path!("/sessions") view={SESSIONS}/>
                    <Route path=path!("/sessions/:id") view={SESSIONS}/>
                    <Route path=path!("/log") view={LOG}/>
                    <Route path=path!("/log/:id") view={LOG}/>
                    <Route path=path!("/job/:id") view={JOB}/>
                    <Route path=path!("/logon") view={LOGON}/>
                    <Route path=path!("/logon/:id") view={LOGON}/>
                </Routes>
            </main>
            <div class="drop-hint" aria-hidden="true">"Drop files to open them"</div>
        </div>
    }
}

/// A route's page, one type for every route: the router's code for a route's view (choosing it,
/// a future) is generic over the view function, and each page function had its own copy.
type Page = fn() -> AnyView;
const HOME: Page = || Home().into_any();
const JOB: Page = || JobPage().into_any();
const SESSIONS: Page = || SessionsPage().into_any();
const LOG: Page = || LogPage().into_any();
const LOGON: Page = || LogonSessionPage().into_any();

/// The path the app is served under, from `<base href>` (Trunk writes the public URL there), so
/// that routes work when the build is hosted below `/`.
fn app_base() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|uri| web_sys::Url::new(&uri).ok())
        .map(|url| url.pathname())
        .unwrap_or_default();
    base.trim_end_matches('/').to_string()
}
