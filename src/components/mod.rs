//! Reusable parts of the views. Components draw; the maths they need lives in plain functions
//! beside them (`timeline/axis.rs`) or in `crate::format`.

pub mod auto_refresh;
pub mod clipboard;
pub mod connections;
pub mod cssom;
pub mod editor;
pub mod failure;
pub mod logon_details;
pub mod open_file;
pub mod session_list;
pub mod skipped;
pub mod status;
pub mod time;
pub mod timeline;

/// `Effect::new` through one instance for the whole app. Leptos's effect is generic over its
/// closure, and each instance carries its own copy of the effect loop (a future with its poll):
/// with every closure boxed as one type, that loop is in the bundle once. `f` gets what
/// `Effect::new` gives: `None` on the first run, `Some(())` after.
pub fn effect(f: impl FnMut(Option<()>) + 'static) {
    effect_dyn(Box::new(f));
}

#[inline(never)]
fn effect_dyn(mut f: Box<dyn FnMut(Option<()>)>) {
    leptos::prelude::Effect::new(move |first: Option<()>| f(first));
}

/// Runs `f` in a task of its own once the next frame is painted. Boxed, so that Leptos's
/// `request_animation_frame` and `set_timeout` are in the bundle once for all such work.
pub fn after_paint(f: impl FnOnce() + 'static) {
    after_paint_dyn(Box::new(f));
}

#[inline(never)]
fn after_paint_dyn(f: Box<dyn FnOnce()>) {
    leptos::prelude::request_animation_frame(move || later(f));
}

/// Runs `f` in a task of its own, after what is queued already.
pub fn later(f: Box<dyn FnOnce()>) {
    leptos::prelude::set_timeout(f, std::time::Duration::ZERO);
}

/// A reactive view (`{move || …}` in a `view!`), boxed and erased to an `AnyView`: Leptos draws
/// a closure through code generic over the closure and its view (a render effect, build and
/// rebuild), and each one had its own copy; boxed, they all share one.
pub fn dynamic(
    f: impl FnMut() -> leptos::prelude::AnyView + Send + 'static,
) -> Box<dyn FnMut() -> leptos::prelude::AnyView + Send> {
    Box::new(f)
}

/// The button a click landed in (its target or the target's nearest `<button>`), for the one
/// handler that serves every button of a region written as text.
pub fn clicked_button(ev: &leptos::ev::MouseEvent) -> Option<web_sys::Element> {
    use wasm_bindgen::JsCast;
    ev.target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("button")
        .ok()
        .flatten()
}

/// An event handler for `view!`'s `on:…=`, boxed: Leptos's event attribute is generic over the
/// handler, and each handler type gets its own copy of the attribute's code (type-erased
/// attribute, attach, clone); boxed, there is one copy per event type.
pub fn on<E: 'static>(f: impl FnMut(E) + 'static) -> Box<dyn FnMut(E)> {
    Box::new(f)
}
