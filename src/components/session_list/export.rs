//! Export exactly what is shown (`list::export`), offered as a file to save.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::time::now_us;
use crate::list::export::{self, Header};
use crate::list::{RangeSpec, SortKey};

use super::List;

/// The shown rows as CSV, or as JSON.
pub(super) fn export(l: List, json: bool) {
    let now = now_us();
    let z = l.times.get_untracked();
    let st = l.state.get_untracked();
    let rows = l.shown.get_untracked();
    let header = Header {
        app: format!("Session Viewer {}", env!("CARGO_PKG_VERSION")),
        source: l.source.get_value(),
        filter: st.query.clone(),
        range: st.range.map(RangeSpec::to_text).unwrap_or_default(),
        sort: st.sort.map(SortKey::to_text).unwrap_or_default(),
        time_zone: z.name(),
        rows: rows.0.len(),
        of: l.total,
    };
    let show = move |us: i64| z.show(us);
    let (text, mime, ext) = l.sessions.with_value(|all| {
        let u = super::usual_of(l.usual, all, true);
        if json {
            (
                export::to_json(&header, all, &rows.0, &show, now, &u),
                "application/json",
                "json",
            )
        } else {
            (
                export::to_csv(&header, all, &rows.0, &show, now, &u),
                "text/csv",
                "csv",
            )
        }
    });
    download(&text, mime, &format!("sessions.{ext}"));
}

/// Offers `text` as a file to save.
fn download(text: &str, mime: &str, name: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let link = document()
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(a) = link {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // Revoked later, not at once: the browser may still be reading the blob for the download.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
}
