//! Inline sizes through the CSSOM. The app runs under a strict Content-Security-Policy
//! (`style-src 'self'`, SPEC §3.7), which refuses every `style` attribute — in parsed markup and
//! from `setAttribute` alike — but not the CSSOM. So sizes are never written as `style="…"`:
//! elements built one by one get [`set`], and markup written as text carries `data-style="…"`,
//! which [`apply`] moves into the CSSOM after the `innerHTML` write.

use wasm_bindgen::JsValue;
use web_sys::Element;

/// Sets `el`'s inline declarations to `css` (`left:10%;width:5%`). Assigning a string to
/// `element.style` is forwarded to `style.cssText` (a CSSOM write), through the `Reflect.set`
/// binding the app already has.
pub fn set(el: &Element, css: &str) {
    let _ = js_sys::Reflect::set(el, &JsValue::from_str("style"), &JsValue::from_str(css));
}

/// Applies [`set`] to every element under `root` that carries `data-style`.
pub fn apply(root: &Element) {
    let Ok(list) = root.query_selector_all("[data-style]") else {
        return;
    };
    for i in 0..list.length() {
        // A selector only ever matches elements.
        let el: Option<Element> = list.item(i).map(wasm_bindgen::JsCast::unchecked_into);
        if let Some((el, css)) = el.and_then(|e| e.get_attribute("data-style").map(|c| (e, c))) {
            set(&el, &css);
        }
    }
}
