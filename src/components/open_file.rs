//! The "Open file" control, and the reading of dropped or chosen files into the store.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::store::{Opened, Store};

/// What became of the last files opened, shown by the shell wherever the user is.
#[derive(Clone, Copy)]
pub struct Outcome(pub RwSignal<Vec<Opened>>);

impl Outcome {
    pub fn new() -> Outcome {
        Outcome(RwSignal::new(Vec::new()))
    }
}

impl Default for Outcome {
    fn default() -> Self {
        Outcome::new()
    }
}

/// A labelled file input for `.json` and `.xml` responses, several at once.
#[component]
pub fn OpenFile() -> impl IntoView {
    let store = expect_context::<Store>();
    let outcome = expect_context::<Outcome>();
    let navigate = use_navigate();
    let on_change = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        let Some(input) = input else { return };
        if let Some(files) = input.files() {
            let navigate = navigate.clone();
            read_files(store, outcome, files, move |path| {
                navigate(&path, Default::default())
            });
        }
        // Let the same file be chosen again (after editing it, say).
        input.set_value("");
    };
    view! {
        <div class="open-file">
            <label for="open-file" class="button">"Open file"</label>
            <input
                id="open-file"
                class="visually-hidden"
                type="file"
                multiple
                accept=".json,.xml,application/json,application/xml,text/xml"
                on:change=crate::components::on(on_change)
            />
        </div>
    }
}

/// Reads every file, opens those that adapt, records what happened, and navigates to the first
/// one opened.
pub fn read_files(
    store: Store,
    outcome: Outcome,
    files: web_sys::FileList,
    navigate: impl Fn(String) + 'static,
) {
    let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
    if files.is_empty() {
        return;
    }
    leptos::task::spawn_local(async move {
        let mut results = Vec::with_capacity(files.len());
        for file in files {
            let name = file.name();
            // The size is known before a byte is read: a file over the limit is not read.
            let opened = if crate::import::too_large(file.size()) {
                Opened::Failed {
                    name,
                    error: crate::import::FILE_TOO_LARGE.to_string(),
                }
            } else {
                match JsFuture::from(file.array_buffer()).await {
                    Ok(buffer) => {
                        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                        store.open_bytes(name, bytes)
                    }
                    Err(_) => Opened::Failed {
                        name,
                        error: "The browser could not read this file.".to_string(),
                    },
                }
            };
            results.push(opened);
        }
        let first = results.iter().find_map(|r| match r {
            Opened::Doc(id) => store.doc_untracked(id).map(|d| d.href()),
            Opened::Failed { .. } => None,
        });
        outcome.0.set(results);
        if let Some(href) = first {
            navigate(href);
        }
    });
}

/// The failures of the last open, as an alert; nothing when all went well.
#[component]
pub fn OpenErrors() -> impl IntoView {
    let outcome = expect_context::<Outcome>();
    let failures = move || {
        outcome.0.with(|all| {
            all.iter()
                .filter_map(|o| match o {
                    Opened::Failed { name, error } => Some((name.clone(), error.clone())),
                    Opened::Doc(_) => None,
                })
                .collect::<Vec<_>>()
        })
    };
    // A reactive view like every other (no `Show`: its generic code for one place).
    crate::components::dynamic(move || {
        let failures = failures();
        (!failures.is_empty())
            .then(|| {
                view! {
                    <div class="notice notice-error" role="alert">
                        <p>"Some files could not be opened:"</p>
                        <ul>
                            {failures
                                .into_iter()
                                .map(|(name, error)| view! { <li><strong>{name}</strong>": "{error}</li> })
                                .collect_view()}
                        </ul>
                        <button type="button" on:click=crate::components::on(move |_| outcome.0.set(Vec::new()))>"Dismiss"</button>
                    </div>
                }
            })
            .into_any()
    })
}
