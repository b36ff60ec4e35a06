//! The readers' and the list's code made ready before the first file or list opens.
//!
//! A browser compiles WebAssembly a function at a time, the first time it is called (V8's
//! lazy compilation): the first list a person opens paid for compiling the list's code — its
//! views, effects, filter and row text — inside `sv:render` (more than half of it on 100 000
//! sessions: 30–45 ms against 14–16 ms with lazy compilation turned off). So once the first
//! page is painted, every bundled sample is read many times (`store::warm_readers`: the readers
//! are compiled and optimised), and the list draws the first sample that is a list into nodes
//! that are never in the page, and drops it a moment later: the code is ready while the person
//! is still choosing a file.

use leptos::prelude::*;
use leptos::tachys::view::Render;

thread_local! {
    /// Set while the warm-up's list is built: a list built then measures nothing and builds no
    /// jobs (the benchmarks read the first `sv:render` and `sv:jobs`; see `List::quiet`).
    static BUILDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the list being built is the warm-up's.
pub(super) fn building() -> bool {
    BUILDING.get()
}

/// How long the warm-up's list lives: long enough for its later steps (facets, histogram, index:
/// each a task after the first paint, a few ms on a sample) to run and be compiled too, and
/// short enough that its drop lands before a person has chosen a file (at 2 s it landed in the
/// benchmark's first list, whose file is chosen about 2 s after the page shows).
const KEPT: std::time::Duration = std::time::Duration::from_millis(500);

/// Reads the samples and draws a list off the page after the first paint, once, where nothing is open yet
/// (a page that opens a document draws the real list instead). Called inside the router: the
/// list reads the address.
pub fn warm_up(nothing_open: impl Fn() -> bool + 'static) {
    let Some(parent) = Owner::current() else {
        return;
    };
    crate::components::after_paint(move || {
        if !nothing_open() {
            return;
        }
        leptos::task::spawn_local(async move {
            // The readers first (every bundled sample, read many times); the list then draws
            // the first sample that is a list.
            let Some(list) = crate::store::warm_readers().await else {
                return;
            };
            let owner = parent.child();
            BUILDING.set(true);
            let drawn = owner.with(|| {
                view! { <super::SessionList list=list source="" connection=None/> }
                    .into_any()
                    .build()
            });
            BUILDING.set(false);
            set_timeout(
                move || {
                    drop(drawn);
                    owner.cleanup();
                    // For the tests and benchmarks: the readers' and the list's code is ready.
                    crate::perf::mark("sv:warm");
                },
                KEPT,
            );
        });
    });
}
