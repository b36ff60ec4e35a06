//! Timestamps on the page: always a `<time datetime>` carrying the UTC instant (SPEC §3.4).

use leptos::prelude::*;

use crate::model::Timestamp;

/// Now, in microseconds since the epoch (the model's time unit), from the browser's clock.
pub fn now_us() -> i64 {
    (js_sys::Date::now() * 1000.0) as i64
}

/// The time of day (or, with `full`, the date, time and zone) as the source wrote it, with the
/// full instant in its tooltip; "not set" when the source had none.
#[component]
pub fn Clock(at: Option<Timestamp>, #[prop(optional)] full: bool) -> impl IntoView {
    match at {
        Some(t) => view! {
            <time datetime=t.utc_rfc3339() title=t.describe()>
                {if full { t.source_display() } else { t.clock_display() }}
            </time>
        }
        .into_any(),
        None => view! { <span class="not-set">"not set"</span> }.into_any(),
    }
}
