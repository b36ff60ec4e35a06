//! Performance marks the benchmarks read (SPEC §3.5): `sv:load` (payload → model), `sv:render`
//! (model → rows in the DOM), `sv:filter` (filter changed → list updated), through
//! `performance.getEntriesByName`. Marks and measures only; nothing here can fail the page, and
//! nothing happens outside a browser.

/// Marks "now" under `name` (a start point for [`measure`]).
pub fn mark(name: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(p) = performance() {
        let _ = p.mark(name);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = name;
}

/// Records the measure `name` from the latest mark `start` to now. Without that mark, nothing is
/// recorded.
pub fn measure(name: &str, start: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(p) = performance() {
        let _ = p.measure_with_start_mark(name, start);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (name, start);
}

/// Marks the start of the measure `name` (`<name>:start`).
pub fn start(name: &str) {
    mark(&format!("{name}:start"));
}

/// Ends the measure `name` begun by [`start`].
pub fn end(name: &str) {
    measure(name, &format!("{name}:start"));
}

/// Runs `f` inside the measure `name`.
pub fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    start(name);
    let out = f();
    end(name);
    out
}

#[cfg(target_arch = "wasm32")]
fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}
