//! Component tests in a real browser (headless Chromium through wasm-bindgen-test-runner and
//! chromedriver; see scripts/test.sh). Native builds skip this file.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::Router;
use session_viewer::components::logon_details::LogonDetails;
use session_viewer::components::session_list::SessionList as SessionListView;
use session_viewer::components::timeline::Timeline;
use session_viewer::import::{read_payload, Payload};
use session_viewer::model::{parse_timestamp, Duration, Session, SessionList, SessionLog, Status};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SEED: &[u8] = include_bytes!("../public/samples/veeam-aws-session-log.json");

fn seed_log() -> SessionLog {
    read_log(SEED)
}

fn read_log(bytes: &[u8]) -> SessionLog {
    match read_payload(bytes) {
        Ok(Payload::SessionLog { log, .. }) => log,
        Ok(other) => panic!("not a log: {other:?}"),
        Err(e) => panic!("{e}"),
    }
}

/// Mounts `log` as a timeline in a fresh container and returns the container.
fn mount(log: SessionLog) -> web_sys::HtmlElement {
    let log = Arc::new(log);
    mount_view(move || view! { <Timeline log=log.clone()/> })
}

/// Mounts any view in a fresh container and returns the container.
fn mount_view<V: IntoView + 'static>(f: impl FnOnce() -> V + 'static) -> web_sys::HtmlElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let container: web_sys::HtmlElement = document
        .create_element("div")
        .expect("div")
        .unchecked_into();
    document
        .body()
        .expect("body")
        .append_child(&container)
        .expect("append");
    let handle = leptos::mount::mount_to(container.clone(), f);
    // Keep the view alive for the rest of the test.
    handle.forget();
    container
}

fn rows(container: &web_sys::HtmlElement) -> Vec<web_sys::Element> {
    let list = container.query_selector_all("tr.tl-row").expect("selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}

#[wasm_bindgen_test]
fn seed_timeline_has_one_row_per_entry_with_test_hooks() {
    let container = mount(seed_log());
    let rows = rows(&container);
    assert_eq!(rows.len(), 5);
    let attr = |el: &web_sys::Element, name: &str| el.get_attribute(name).unwrap_or_default();
    let statuses: Vec<String> = rows.iter().map(|r| attr(r, "data-status")).collect();
    assert_eq!(statuses, ["success"; 5]);
    let durations: Vec<String> = rows.iter().map(|r| attr(r, "data-duration-ms")).collect();
    assert_eq!(durations, ["0", "687", "31", "0", "0"]);
    let observed: Vec<String> = rows.iter().map(|r| attr(r, "data-observed-ms")).collect();
    assert_eq!(observed, ["0", "609688", "104031", "0", "0"]);

    // Every start is a <time> carrying the UTC instant.
    let times: Vec<String> = rows
        .iter()
        .filter_map(|r| r.query_selector("time").ok().flatten())
        .map(|t| attr(&t, "datetime"))
        .collect();
    assert_eq!(
        times,
        [
            "2020-06-20T19:12:00.514619Z",
            "2020-06-20T19:12:04.161597Z",
            "2020-06-20T19:14:13.888376Z",
            "2020-06-20T19:19:52.3988Z",
            "2020-06-20T19:22:46.807221Z",
        ]
    );

    // The two steps whose reported and observed durations disagree show both.
    let second = rows[1].text_content().unwrap_or_default();
    assert!(
        second.contains("687 ms") && second.contains("observed 10 min 9 s"),
        "{second}"
    );
    assert!(rows[1].class_list().contains("tl-mismatch"));
    assert!(!rows[0].class_list().contains("tl-mismatch"));
    assert!(rows[0]
        .text_content()
        .unwrap_or_default()
        .contains("Success"));
}

#[wasm_bindgen_test]
fn bars_are_placed_on_the_shared_axis() {
    let container = mount(seed_log());
    let styles: Vec<String> = rows(&container)
        .iter()
        .filter_map(|r| r.query_selector(".tl-bar").ok().flatten())
        .map(|b| b.get_attribute("style").unwrap_or_default())
        .collect();
    assert_eq!(styles.len(), 5);
    // The first step starts the axis; "Processing" runs for most of it; the last step ends it.
    assert!(styles[0].starts_with("left:0.0000%"), "{}", styles[0]);
    assert!(styles[1].contains("width:94.33"), "{}", styles[1]);
    assert!(
        styles[4].contains("left:99.6000%;width:0.4000%"),
        "{}",
        styles[4]
    );
}

#[wasm_bindgen_test]
fn hostile_messages_stay_text_and_long_ones_are_clipped() {
    let long = "y".repeat(2_000_000);
    let text = format!(
        r#"{{"sessionId":"s","log":[
            {{"status":"Error","message":"<script>window.pwned=1</script><b>bold</b>","executionStartTime":"2021-01-01T00:00:00Z"}},
            {{"status":"Bogus","message":"{long}","executionStartTime":"2021-01-01T00:00:01Z"}},
            {{"status":"Success","executionStartTime":"not a time"}}
        ]}}"#
    );
    let container = mount(read_log(text.as_bytes()));
    let rows = rows(&container);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0].get_attribute("data-status").as_deref(),
        Some("failed")
    );
    assert_eq!(
        rows[1].get_attribute("data-status").as_deref(),
        Some("unknown")
    );
    assert!(
        container
            .query_selector("script, b")
            .ok()
            .flatten()
            .is_none(),
        "markup in messages stays text"
    );
    let first = rows[0].text_content().unwrap_or_default();
    assert!(first.contains("<script>window.pwned=1</script>"), "{first}");
    let second = rows[1].text_content().unwrap_or_default();
    assert!(
        second.len() < 1_000 && second.contains("1999600 more characters"),
        "{}",
        second.len()
    );
    let notice = container
        .query_selector("details.notice")
        .ok()
        .flatten()
        .and_then(|d| d.text_content());
    assert!(notice
        .unwrap_or_default()
        .contains("1 of 3 entries could not be read"));
}

fn session_rows(container: &web_sys::HtmlElement) -> Vec<web_sys::Element> {
    let list = container
        .query_selector_all("[role=row][data-session-id]")
        .expect("selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into().ok())
        .collect()
}

fn mount_list(list: SessionList) -> web_sys::HtmlElement {
    // The stylesheet is not loaded here: the layout the windowing relies on (a scrolled grid of
    // fixed-height rows; style/main.css) is given inline.
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let style = document.create_element("style").expect("style");
    style.set_text_content(Some(
        ".sl-grid{height:400px;overflow:auto}.sl-row{height:32px;overflow:hidden}.sl-head .sl-row{height:36px}",
    ));
    document
        .body()
        .expect("body")
        .append_child(&style)
        .expect("append");
    let list = Arc::new(list);
    mount_view(move || {
        view! {
            <Router>
                <SessionListView list=list.clone() source="test" connection=None/>
            </Router>
        }
    })
}

/// Waits for the effects and one frame of the browser.
async fn settle() {
    leptos::task::tick().await;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("window")
            .request_animation_frame(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    leptos::task::tick().await;
}

#[wasm_bindgen_test]
async fn session_rows_carry_ids_statuses_and_durations() {
    let list = match read_payload(include_bytes!("../public/samples/ekran-sessions.json")) {
        Ok(Payload::SessionList { list, .. }) => list,
        other => panic!("{other:?}"),
    };
    let container = mount_list(list);
    settle().await;
    let attrs: Vec<(String, String, String)> = session_rows(&container)
        .iter()
        .map(|r| {
            let a = |n: &str| r.get_attribute(n).unwrap_or_default();
            (
                a("data-session-id"),
                a("data-status"),
                a("data-duration-ms"),
            )
        })
        .collect();
    assert_eq!(
        attrs,
        [
            ("124".into(), "ended".into(), "0".into()),
            ("142".into(), "ended".into(), "0".into())
        ]
    );
    assert!(
        container
            .query_selector("[data-log-pos]")
            .ok()
            .flatten()
            .is_none(),
        "no log buttons for a file"
    );
}

/// A list of `n` generated sessions, one a minute, every seventh failed.
fn generated(n: usize) -> SessionList {
    let base = parse_timestamp("2021-04-01T00:00:00Z")
        .ok()
        .flatten()
        .expect("timestamp");
    let sessions = (0..n)
        .map(|i| {
            let start = base.plus(Duration::from_millis(i as i64 * 60_000));
            Session {
                id: format!("s{i}"),
                user: Some(format!("user{}", i % 13)),
                host: Some("host".into()),
                start: Some(start),
                end: Some(start.plus(Duration::from_millis(30_000))),
                reported: None,
                status: if i % 7 == 0 {
                    Status::Failed
                } else {
                    Status::Success
                },
                vendor_status: String::new(),
                name: None,
                log_href: None,
                source: String::new(),
            }
        })
        .collect();
    SessionList {
        sessions,
        skipped: Vec::new(),
        total: None,
    }
}

#[wasm_bindgen_test]
async fn the_session_list_draws_a_bounded_window_true_to_the_whole_length() {
    let container = mount_list(generated(20_000));
    settle().await;
    let rows = session_rows(&container);
    assert!(
        !rows.is_empty() && rows.len() <= 200,
        "{} rows in the DOM",
        rows.len()
    );
    assert_eq!(
        rows.first()
            .and_then(|r| r.get_attribute("data-session-id"))
            .as_deref(),
        Some("s0")
    );
    let grid: web_sys::HtmlElement = container
        .query_selector("[role=grid]")
        .ok()
        .flatten()
        .expect("grid")
        .unchecked_into();
    assert_eq!(
        grid.get_attribute("aria-rowcount").as_deref(),
        Some("20001")
    );
    // The scrollbar is true to the full length: scroll to the very end and find the last row.
    assert!(
        grid.scroll_height() > 20_000 * 30,
        "scroll height {}",
        grid.scroll_height()
    );
    grid.set_scroll_top(grid.scroll_height());
    let _ = grid.dispatch_event(&web_sys::Event::new("scroll").expect("event"));
    settle().await;
    let rows = session_rows(&container);
    assert!(rows.len() <= 200, "{} rows after scrolling", rows.len());
    assert_eq!(
        rows.last()
            .and_then(|r| r.get_attribute("data-session-id"))
            .as_deref(),
        Some("s19999")
    );
    // Keyboard: Home selects the first row and scrolls back to it.
    let key = web_sys::KeyboardEventInit::new();
    key.set_key("Home");
    key.set_bubbles(true);
    let _ = grid.dispatch_event(
        &web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &key).expect("key"),
    );
    let _ = grid.dispatch_event(&web_sys::Event::new("scroll").expect("event"));
    settle().await;
    let selected = container
        .query_selector("[role=row][aria-selected=true]")
        .ok()
        .flatten()
        .and_then(|r| r.get_attribute("data-session-id"));
    assert_eq!(selected.as_deref(), Some("s0"));
}

#[wasm_bindgen_test]
fn logon_details_group_links_by_relation() {
    let sessions = match read_payload(include_bytes!(
        "../public/samples/veeam-em-logon-session.xml"
    )) {
        Ok(Payload::LogonSessions { sessions, .. }) => Arc::new(sessions),
        other => panic!("{other:?}"),
    };
    let container = mount_view(move || view! { <LogonDetails sessions=sessions.clone()/> });
    let captions = container
        .query_selector_all("table.links caption")
        .expect("selector");
    let captions: Vec<String> = (0..captions.length())
        .filter_map(|i| captions.item(i))
        .filter_map(|n| n.text_content())
        .collect();
    assert_eq!(captions, ["Up", "Delete", "Down"]);
    let text = container.text_content().unwrap_or_default();
    assert!(
        text.contains("ENTERPRISE04\\Administrator")
            && text.contains("5496707f-c814-47ce-8d6d-110aa03cec03")
    );
}
