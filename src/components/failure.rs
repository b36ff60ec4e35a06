//! A failed live action: the sentence for the user, and the server's response one click away.

use leptos::prelude::*;

use crate::connections::Failure;
use crate::format::clip;

/// Characters of a raw response shown; the rest is counted.
const RAW_CHARS: usize = 20_000;

/// The failure in `error`, if there is one, as a `FailureNotice`: one function, so that every
/// place that shows one shares one reactive closure (a closure per place cost a copy each).
pub fn notice(error: ReadSignal<Option<Failure>>) -> impl IntoView {
    crate::components::dynamic(move || {
        error
            .get()
            .map(|e| view! { <FailureNotice failure=e/> })
            .into_any()
    })
}

#[component]
pub fn FailureNotice(failure: Failure) -> impl IntoView {
    let raw = failure.raw().map(|raw| {
        let (shown, hidden) = clip(raw, RAW_CHARS);
        let shown = shown.to_string();
        view! {
            <details class="raw">
                <summary>"Show the server's response"</summary>
                <pre>{shown}</pre>
                {(hidden > 0).then(|| view! { <p class="muted">{format!("… and {hidden} more characters")}</p> })}
            </details>
        }
    });
    let text = failure.to_string();
    // An embedding portal hears of it too.
    crate::embed::failed(&wasm_bindgen::JsValue::UNDEFINED, &text);
    view! {
        <div class="notice notice-error" role="alert">
            <p>{text}</p>
            {raw}
        </div>
    }
}
