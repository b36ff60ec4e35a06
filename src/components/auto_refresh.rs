//! Auto-refresh of a live log on the log page: fetch it again every 10, 30 or 60 s into the same
//! document, say when it last worked (or why it did not, keeping the log shown), and stop when
//! the page goes or nothing runs any more.
//!
//! A refresh replaces the document, so the page draws it anew; the state that must outlive that
//! redraw (the interval, the last refresh, the timeline's zoom and scroll) lives in
//! [`AutoRefresh`], which the log page creates once and provides as context. Like the list, the
//! control is drawn as text ([`html`], [`status_html`]) from that state, with no reactive code:
//! it costs a fraction of the wasm of typed views (README: "Why the list is drawn as text").

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::analysis::live::looks_running;
use crate::components::timeline::Kept;
use crate::list::html::escape;
use crate::store::{Content, Store};

/// The intervals offered, in seconds; 0 is off.
pub const CHOICES: [u32; 4] = [0, 10, 30, 60];

/// The interval a `<select>` value names: one of [`CHOICES`], anything else off.
pub fn choice(value: &str) -> u32 {
    value
        .parse::<u32>()
        .ok()
        .filter(|s| CHOICES.contains(s))
        .unwrap_or(0)
}

/// What the control shows. Plain data, so that its text is tested natively.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    /// The document shown, and whether it is a live log (only those refresh).
    pub doc: String,
    pub live: bool,
    /// Seconds between refreshes, 0 = off (the default).
    pub every: u32,
    /// When the last refresh arrived: `(UTC instant, time of day)` as written on the page.
    pub last: Option<(String, String)>,
    pub busy: bool,
    /// Why the last refresh failed (the log shown stays).
    pub error: Option<String>,
    /// Switched off because no entry runs any more.
    pub stopped: bool,
}

/// The control: a labelled interval choice, then [`status_html`].
pub fn html(state: &State) -> String {
    let mut out = String::from("<label>Auto-refresh <select class=\"ar-every\">");
    for s in CHOICES {
        let selected = if s == state.every { " selected" } else { "" };
        let label = if s == 0 {
            "Off".to_string()
        } else {
            format!("every {s} s")
        };
        out.push_str(&format!("<option value=\"{s}\"{selected}>{label}</option>"));
    }
    out.push_str("</select></label><div class=\"ar-status\">");
    out.push_str(&status_html(state));
    out.push_str("</div>");
    out
}

/// When it last refreshed (a `<time datetime>`), that it is refreshing, that it stopped, and a
/// failed refresh's message.
pub fn status_html(state: &State) -> String {
    let mut out = String::from("<p role=\"status\" class=\"muted\">");
    if state.busy {
        out.push_str("Refreshing…");
    } else if let Some((iso, clock)) = &state.last {
        out.push_str("Last refreshed <time datetime=\"");
        escape(iso, &mut out);
        out.push_str("\">");
        escape(clock, &mut out);
        out.push_str("</time>.");
    }
    if state.stopped {
        out.push_str(" No entry is running any more, so auto-refresh is off.");
    }
    out.push_str("</p>");
    if let Some(e) = &state.error {
        out.push_str(
            "<p class=\"notice notice-error\" role=\"alert\">The log could not be refreshed: ",
        );
        escape(e, &mut out);
        out.push_str(" The log below is the one fetched before.</p>");
    }
    out
}

/// The log page's auto-refresh: its state, timer and request under way.
#[derive(Clone, Copy)]
pub struct AutoRefresh {
    store: Store,
    state: StoredValue<State>,
    timer: StoredValue<Option<IntervalHandle>, LocalStorage>,
    running: StoredValue<Option<web_sys::AbortController>, LocalStorage>,
    /// The timeline's zoom and scroll, carried across the redraw a refresh causes.
    pub keep: StoredValue<Kept>,
}

impl AutoRefresh {
    /// Creates the state for the log page (call once, in the page component); the timer and any
    /// request under way stop when the page goes.
    pub fn install() -> AutoRefresh {
        let auto = AutoRefresh {
            store: expect_context::<Store>(),
            state: StoredValue::new(State::default()),
            timer: StoredValue::new_local(None),
            running: StoredValue::new_local(None),
            keep: StoredValue::new(Kept::default()),
        };
        on_cleanup(move || auto.stop());
        auto
    }

    /// Says which document the page shows, and whether it is a live log. Another document starts
    /// with auto-refresh off and nothing kept.
    pub fn show(&self, doc: &str, live: bool) {
        if self.state.with_value(|s| s.doc != doc || s.live != live) {
            self.stop();
            self.state.set_value(State {
                doc: doc.to_string(),
                live,
                ..State::default()
            });
            self.keep.set_value(Kept::default());
        }
    }

    /// The control for the page (hidden unless the log is `live`), drawn from the state, with
    /// its one handler.
    pub fn view(self, live: bool) -> impl IntoView {
        let on_change = move |ev: leptos::ev::Event| {
            let every = choice(&event_target_value(&ev));
            self.state.update_value(|s| {
                s.every = every;
                s.stopped = false;
            });
            self.start();
        };
        view! { <div class="auto-refresh actions" hidden=!live on:change=crate::components::on(on_change) inner_html=self.state.with_value(html)></div> }
    }

    /// Stops the timer and any refresh under way.
    fn stop(&self) {
        self.timer.try_update_value(|t| t.take().map(|t| t.clear()));
        self.running
            .try_update_value(|c| c.take().map(|c| c.abort()));
        self.state.try_update_value(|s| s.busy = false);
    }

    /// (Re)starts the timer at the chosen interval, or stops it.
    fn start(self) {
        self.stop();
        let (every, live) = self.state.with_value(|s| (s.every, s.live));
        if every > 0 && live {
            let handle = set_interval_with_handle(
                move || self.tick(),
                std::time::Duration::from_secs(u64::from(every)),
            );
            self.timer.set_value(handle.ok());
        }
        self.paint();
    }

    /// One refresh, unless the last is still under way.
    fn tick(self) {
        let Some(doc) = self.state.with_value(|s| (!s.busy).then(|| s.doc.clone())) else {
            return;
        };
        let store = self.store;
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(|c| c.signal());
        self.running.set_value(controller);
        self.state.update_value(|s| s.busy = true);
        self.paint();
        leptos::task::spawn_local(async move {
            let result =
                crate::connections::fetching::refresh_log(store, &doc, signal.clone()).await;
            // Left the page, or switched off, meanwhile: nothing to say.
            if signal.is_some_and(|s| s.aborted()) || self.state.try_with_value(|_| ()).is_none() {
                return;
            }
            let shown = store.doc_untracked(&doc);
            let running = shown
                .as_ref()
                .is_some_and(|d| matches!(&d.content, Content::Log(l) if looks_running(l)));
            // A refresh that found the session ended (401) dropped the credentials: asking again
            // every few seconds could only fail the same way.
            let signed_out = shown
                .and_then(|d| d.connection)
                .and_then(|id| crate::connections::registry::connection(store, &id))
                .is_some_and(|c| crate::connections::signing::credentials(store, &c).is_none());
            self.state.update_value(|s| {
                s.busy = false;
                match result {
                    Ok(()) => {
                        let at = js_sys::Date::new_0();
                        s.last = Some((
                            at.to_iso_string().into(),
                            at.to_locale_time_string("en-GB").into(),
                        ));
                        s.error = None;
                        if !running {
                            s.stopped = true;
                            s.every = 0;
                        }
                    }
                    Err(e) if signed_out => {
                        s.error = Some(format!(
                            "{} Auto-refresh is off until you log on again (home page).",
                            e
                        ));
                        s.every = 0;
                    }
                    Err(e) => s.error = Some(e.to_string()),
                }
            });
            if self.state.with_value(|s| s.stopped || s.every == 0) {
                self.start();
            }
            self.paint();
        });
    }

    /// Writes the status (and the interval, which may have been switched off) into the page.
    fn paint(&self) {
        let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(".auto-refresh").ok().flatten())
        else {
            return;
        };
        let (status, every) = self.state.with_value(|s| (status_html(s), s.every));
        if let Ok(Some(el)) = root.query_selector(".ar-status") {
            el.set_inner_html(&status);
        }
        if let Some(select) = root
            .query_selector(".ar-every")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
        {
            select.set_value(&every.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_offered_intervals_are_taken() {
        assert_eq!(choice("10"), 10);
        assert_eq!(choice("60"), 60);
        assert_eq!(choice("0"), 0);
        for bad in ["", "1", "-10", "10.5", " 10", "999999999999", "off"] {
            assert_eq!(choice(bad), 0, "{bad:?}");
        }
    }

    #[test]
    fn the_control_shows_its_state() {
        let off = html(&State::default());
        assert!(off.starts_with("<label>Auto-refresh <select"));
        assert!(off.contains("<option value=\"0\" selected>Off</option>"));
        assert!(off.contains("<option value=\"30\">every 30 s</option>"));
        assert!(!off.contains("Last refreshed") && !off.contains("role=\"alert\""));
        let on = State {
            every: 10,
            last: Some(("2025-09-01T12:00:00.000Z".into(), "13:00:00".into())),
            ..State::default()
        };
        let text = html(&on);
        assert!(text.contains("<option value=\"10\" selected>"));
        assert!(text.contains(
            "Last refreshed <time datetime=\"2025-09-01T12:00:00.000Z\">13:00:00</time>."
        ));
        assert_eq!(
            status_html(&State {
                busy: true,
                ..on.clone()
            }),
            "<p role=\"status\" class=\"muted\">Refreshing…</p>"
        );
        let stopped = status_html(&State {
            stopped: true,
            ..on
        });
        assert!(stopped.contains("auto-refresh is off"));
    }

    #[test]
    fn a_failed_refresh_is_said_escaped_and_the_log_kept() {
        let failed = status_html(&State {
            error: Some("<img src=x onerror=alert(1)> said “no”".into()),
            ..State::default()
        });
        assert!(failed.contains("role=\"alert\""));
        assert!(failed.contains("&lt;img src=x onerror=alert(1)&gt; said “no”"));
        assert!(!failed.contains("<img"));
        assert!(failed.contains("The log below is the one fetched before."));
    }
}
