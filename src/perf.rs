//! Performance marks for the timeline budgets (SPEC §4): `sv:load` (payload → model) and
//! `sv:render` (model → rows in the DOM), read by the end-to-end suite and `bench/timeline.mjs`
//! through `performance.getEntriesByName`. Nothing happens outside a browser.

/// Marks the start of the measure `name` (`<name>:start`).
pub fn start(name: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(&format!("{name}:start"));
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = name;
}

/// Ends the measure `name` begun by [`start`]: records `performance.measure(name, …)`.
pub fn end(name: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let (from, to) = (format!("{name}:start"), format!("{name}:end"));
        if p.mark(&to).is_ok() {
            let _ = p.measure_with_start_mark_and_end_mark(name, &from, &to);
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = name;
}

/// Runs `f` inside the measure `name`.
pub fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    start(name);
    let out = f();
    end(name);
    out
}
