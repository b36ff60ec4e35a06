//! The list's code made ready before the first list opens.
//!
//! A browser compiles WebAssembly a function at a time, the first time it is called (V8's
//! lazy compilation): the first list a person opens paid for compiling the list's code — its
//! views, effects, filter and row text — inside `sv:render` (more than half of it on 100 000
//! sessions: 30–45 ms against 14–16 ms with lazy compilation turned off). So once the first
//! page is painted, the list draws three made-up sessions into nodes that are never in the
//! page, and drops them a moment later: the code is compiled while the person is still
//! choosing a file.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::tachys::view::Render;

use crate::model::{parse_timestamp, Session, SessionList as Sessions, Source, Status};

thread_local! {
    /// Set while the made-up list is built: a list built then measures nothing and builds no
    /// jobs (the benchmarks read the first `sv:render` and `sv:jobs`; see `List::quiet`).
    static BUILDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the list being built is the made-up one.
pub(super) fn building() -> bool {
    BUILDING.get()
}

/// How long the made-up list lives: long enough for its later steps (facets, histogram, index:
/// each a task after the first paint) to run and be compiled too.
const KEPT: std::time::Duration = std::time::Duration::from_secs(2);

/// Draws a made-up list off the page after the first paint, once, where nothing is open yet
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
        let owner = parent.child();
        let list = Arc::new(sessions());
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
                // For the tests and benchmarks: the list's code is ready.
                crate::perf::mark("sv:warm");
            },
            KEPT,
        );
    });
}

/// Three sessions that fill every column a list without a connection has: two ended (one
/// failed), one still open.
fn sessions() -> Sessions {
    let at = |t: &str| parse_timestamp(t).ok().flatten();
    let session = |id: &str, start: &str, end: &str, status: Status| Session {
        id: id.into(),
        user: Some("user".into()),
        host: Some("host".into()),
        start: at(start),
        end: at(end),
        reported: None,
        status,
        vendor_status: Default::default(),
        name: Some("job".into()),
        log_href: None,
        job: Some("job".into()),
        details: Vec::new(),
        source: Source::default(),
    };
    Sessions {
        sessions: vec![
            session(
                "1",
                "2025-01-01T00:00:00Z",
                "2025-01-01T01:00:00Z",
                Status::Success,
            ),
            session(
                "2",
                "2025-01-02T00:00:00Z",
                "2025-01-02T03:00:00Z",
                Status::Failed,
            ),
            session("3", "2025-01-03T00:00:00Z", "", Status::Running),
        ],
        skipped: Vec::new(),
        total: None,
    }
}
