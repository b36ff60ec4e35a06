//! Copying text for the user (`navigator.clipboard.writeText`), reached through `Reflect` so that
//! no web-sys feature (and no wasm) is added for it.

use wasm_bindgen::JsCast;

/// Puts `text` on the clipboard; false when the browser offers no clipboard API here (an insecure
/// origin, say). The write itself completes asynchronously.
pub fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator = js_sys::Reflect::get(&window, &"navigator".into()).unwrap_or_default();
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .ok()
        .filter(|c| !c.is_undefined() && !c.is_null());
    let Some(clipboard) = clipboard else {
        return false;
    };
    let write = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    write.is_some_and(|f| f.call1(&clipboard, &text.into()).is_ok())
}
