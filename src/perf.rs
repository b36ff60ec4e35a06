//! Performance marks the benchmark reads (SPEC §3.5): `sv:load` (payload received → model
//! ready), `sv:render` (model ready → rows in the DOM), `sv:filter` (filter changed → list
//! updated). Marks and measures only; nothing here can fail the page.

/// Marks "now" under `name` (a start point for [`measure`]).
pub fn mark(name: &str) {
    if let Some(p) = performance() {
        let _ = p.mark(name);
    }
}

/// Records the measure `name` from the latest mark `start` to now. Without that mark, nothing is
/// recorded.
pub fn measure(name: &str, start: &str) {
    if let Some(p) = performance() {
        let _ = p.measure_with_start_mark(name, start);
    }
}

/// Milliseconds since the page started (0 where there is no clock).
pub fn now_ms() -> f64 {
    performance().map_or(0.0, |p| p.now())
}

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}
