//! Component tests in a real browser (headless Chromium through wasm-bindgen-test-runner and
//! chromedriver; see scripts/test.sh). Native builds skip this file.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::Router;
use session_viewer::components::logon_details::{FollowThrough, LogonDetails};
use session_viewer::components::session_list::SessionList as SessionListView;
use session_viewer::components::timeline::Timeline;
use session_viewer::import::read_payload;
use session_viewer::model::Content;
use session_viewer::model::{parse_timestamp, Duration, Session, SessionList, SessionLog, Status};
use session_viewer::vendors::Payload;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SEED: &[u8] = include_bytes!("../public/samples/veeam-aws-session-log.json");

fn seed_log() -> SessionLog {
    read_log(SEED)
}

fn read_log(bytes: &[u8]) -> SessionLog {
    match read_payload(bytes) {
        Ok(Payload {
            content: Content::Log(log),
            ..
        }) => Arc::unwrap_or_clone(log),
        Ok(other) => panic!("not a log: {other:?}"),
        Err(e) => panic!("{e}"),
    }
}

/// Mounts `log` as a timeline in a fresh container and returns the container once the rows are
/// drawn (they are painted after mount).
async fn mount(log: SessionLog) -> web_sys::HtmlElement {
    let log = Arc::new(log);
    let container = mount_view(move || view! { <Timeline log=log.clone()/> });
    settle().await;
    container
}

/// Lets effects and a frame run.
async fn settle() {
    for _ in 0..3 {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = web_sys::window()
                .expect("window")
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
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
async fn seed_timeline_has_one_row_per_entry_with_test_hooks() {
    let container = mount(seed_log()).await;
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
async fn bars_are_placed_on_the_shared_axis() {
    let container = mount(seed_log()).await;
    let styles: Vec<String> = rows(&container)
        .iter()
        .filter_map(|r| r.query_selector(".tl-bar").ok().flatten())
        .map(|b| css(&b, &["left", "width"]))
        .collect();
    assert_eq!(styles.len(), 5);
    // The first step starts the axis; "Processing" runs for most of it; the last step ends it.
    assert!(styles[0].starts_with("left:0%"), "{}", styles[0]);
    assert!(styles[1].contains("width:94.33"), "{}", styles[1]);
    assert!(styles[4].contains("left:99.6%;width:0.4%"), "{}", styles[4]);
}

#[wasm_bindgen_test]
async fn hostile_messages_stay_text_and_long_ones_are_clipped() {
    let long = "y".repeat(2_000_000);
    let text = format!(
        r#"{{"sessionId":"s","log":[
            {{"status":"Error","message":"<script>window.pwned=1</script><b>bold</b>","executionStartTime":"2021-01-01T00:00:00Z"}},
            {{"status":"Bogus","message":"{long}","executionStartTime":"2021-01-01T00:00:01Z"}},
            {{"status":"Success","executionStartTime":"not a time"}}
        ]}}"#
    );
    let container = mount(read_log(text.as_bytes())).await;
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

#[wasm_bindgen_test]
async fn session_rows_carry_ids_statuses_and_durations() {
    let list = match read_payload(include_bytes!("../public/samples/ekran-sessions.json")) {
        Ok(Payload {
            content: Content::Sessions(list),
            ..
        }) => Arc::unwrap_or_clone(list),
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
fn generated_sessions(n: usize) -> SessionList {
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
                vendor_status: Default::default(),
                name: None,
                log_href: None,
                job: None,
                details: Vec::new(),
                source: Default::default(),
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
    let container = mount_list(generated_sessions(20_000));
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

fn em_seed() -> Arc<session_viewer::model::LogonSessions> {
    match read_payload(include_bytes!(
        "../public/samples/veeam-em-logon-session.xml"
    )) {
        Ok(Payload {
            content: Content::Logons(sessions),
            ..
        }) => sessions,
        other => panic!("{other:?}"),
    }
}

/// Mounts the EM seed's logon details with links followed through `via`.
fn mount_details(via: Option<FollowThrough>) -> web_sys::HtmlElement {
    let sessions = em_seed();
    mount_view(move || {
        view! { <Router><LogonDetails sessions=sessions.clone() kind=session_viewer::vendors::Kind::VeeamEm via=via.clone()/></Router> }
    })
}

/// The accessible names of the buttons matching `selector`.
fn labels(container: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let found = container.query_selector_all(selector).expect("selector");
    (0..found.length())
        .filter_map(|i| found.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .map(|e| attr(&e, "aria-label"))
        .collect()
}

#[wasm_bindgen_test]
fn logon_details_group_links_by_relation() {
    let container = mount_details(None);
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
    // Without a connection every link is copy only.
    assert_eq!(labels(&container, "button[data-copy]").len(), 6);
    assert!(labels(&container, "button[data-follow]").is_empty());
}

#[wasm_bindgen_test]
fn logon_details_offer_open_only_for_what_the_app_can_show() {
    let via = FollowThrough {
        id: "em".into(),
        label: "EM prod".into(),
        own: false,
    };
    let container = mount_details(Some(via));
    // Of the seed's six links only the logon session itself can be shown here; all can be copied.
    assert_eq!(
        labels(&container, "button[data-follow]"),
        ["Open LogonSession through EM prod"]
    );
    assert_eq!(labels(&container, "button[data-copy]").len(), 6);
    assert!(container
        .text_content()
        .unwrap_or_default()
        .contains("“Open” fetches through the connection EM prod."));
}

/// A generated VBA log of `n` one-second steps, one every two seconds; entry `failed` fails.
fn generated(n: usize, failed: usize) -> SessionLog {
    let mut items = Vec::with_capacity(n);
    for i in 0..n {
        let (start, end) = (i as u64 * 2, i as u64 * 2 + 1);
        let stamp = |s: u64| {
            format!(
                "2021-01-{:02}T{:02}:{:02}:{:02}",
                1 + s / 86_400,
                s / 3_600 % 24,
                s / 60 % 60,
                s % 60
            )
        };
        let status = if i == failed { "Error" } else { "Success" };
        items.push(format!(
            r#"{{"status":"{status}","message":"Step {i}","executionStartTime":"{}","logTime":"{}","executionDuration":1000}}"#,
            stamp(start),
            stamp(end)
        ));
    }
    read_log(format!(r#"{{"sessionId":"g","log":[{}]}}"#, items.join(",")).as_bytes())
}

fn attr(el: &web_sys::Element, name: &str) -> String {
    el.get_attribute(name).unwrap_or_default()
}

/// An element's inline sizes as the CSSOM holds them (`left:0%;width:5%`): the app sets them
/// through the CSSOM, never as a `style` attribute, which the strict CSP refuses (SPEC §3.7).
fn css(el: &web_sys::Element, props: &[&str]) -> String {
    let style = el.unchecked_ref::<web_sys::HtmlElement>().style();
    let value = |p: &&str| format!("{p}:{}", style.get_property_value(p).unwrap_or_default());
    props.iter().map(value).collect::<Vec<_>>().join(";")
}

#[wasm_bindgen_test]
async fn a_long_log_keeps_at_most_200_rows_and_scrolls_to_a_hidden_failure() {
    // Without the app's stylesheet the scroller is as tall as its content: the cap still holds.
    let container = mount(generated(20_000, 15_000)).await;
    let drawn = rows(&container);
    assert!(!drawn.is_empty() && drawn.len() <= 200, "{}", drawn.len());
    assert_eq!(attr(&drawn[0], "data-entry"), "0");
    assert!(container
        .query_selector("#entry-15000")
        .ok()
        .flatten()
        .is_none());

    // With a bounded scroller, the jump to the first failure draws it and focuses it.
    let scroller: web_sys::HtmlElement = container
        .query_selector(".tl-scroll")
        .ok()
        .flatten()
        .expect("scroller")
        .unchecked_into();
    scroller.style().set_css_text("overflow:auto;height:400px");
    let jump: web_sys::HtmlElement = container
        .query_selector(".tl-overview .actions button")
        .ok()
        .flatten()
        .expect("jump button")
        .unchecked_into();
    assert_eq!(
        jump.text_content().unwrap_or_default(),
        "First failure: entry 15001"
    );
    jump.click();
    settle().await;
    let drawn = rows(&container);
    assert!(drawn.len() <= 200, "{}", drawn.len());
    let target = container
        .query_selector("#entry-15000")
        .ok()
        .flatten()
        .expect("row drawn");
    assert_eq!(attr(&target, "data-status"), "failed");
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .map(|e| e.id());
    assert_eq!(active.as_deref(), Some("entry-15000"));
    assert!(scroller.scroll_top() > 0);
    // The spacers keep the scrollbar true to the full length.
    let spacers = |sel: &str| {
        container
            .query_selector(sel)
            .ok()
            .flatten()
            .map(|td| css(&td, &["height"]))
            .unwrap_or_default()
    };
    let first = attr(&drawn[0], "data-entry").parse::<u64>().expect("index");
    assert_eq!(spacers(".tl-top td"), format!("height:{}px", first * 44));
}

#[wasm_bindgen_test]
async fn gaps_zoom_and_the_local_filter() {
    let container = mount(seed_log()).await;
    let gap_texts: Vec<String> = rows(&container)
        .iter()
        .filter_map(|r| r.query_selector(".tl-gap").ok().flatten())
        .map(|g| g.text_content().unwrap_or_default())
        .collect();
    assert_eq!(gap_texts[1], "3.6 s ‖ (one of the longest idle times)");
    assert_eq!(gap_texts[2], "0 ms");

    let width = |c: &web_sys::HtmlElement| {
        c.query_selector("#entry-2 .tl-bar")
            .ok()
            .flatten()
            .map(|b| css(&b, &["left", "width"]))
            .unwrap_or_default()
    };
    // "left:L%;width:W%" as numbers.
    let parse = |style: String| -> (f64, f64) {
        let nums: Vec<f64> = style
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .filter_map(|n| n.parse().ok())
            .collect();
        (nums[0], nums[1])
    };
    let (left, w) = parse(width(&container));
    assert!(
        (w - 16.0966).abs() < 1e-3 && (left - 20.6367).abs() < 1e-3,
        "{left} {w}"
    );
    let zoom_in: web_sys::HtmlElement = container
        .query_selector("[data-action=in]")
        .ok()
        .flatten()
        .expect("zoom in")
        .unchecked_into();
    zoom_in.click();
    settle().await;
    // ×1.5 about the centre: the window is the middle two thirds of the session.
    let (zl, zw) = parse(width(&container));
    assert!((zw - w * 1.5).abs() < 1e-3, "{zw}");
    assert!((zl - (left - 100.0 / 6.0) * 1.5).abs() < 1e-3, "{zl}");
    let window = container
        .query_selector(".tl-ov-window")
        .ok()
        .flatten()
        .map(|w| css(&w, &["left", "width"]));
    assert_eq!(window.as_deref(), Some("left:16.6667%;width:66.6667%"));

    // The filter without a page around it lives in the component.
    let input: web_sys::HtmlInputElement = container
        .query_selector("input[name=q]")
        .ok()
        .flatten()
        .expect("search")
        .unchecked_into();
    input.set_value("worker");
    // An input event bubbles, as the browser's own does.
    let event = web_sys::Event::new("input").expect("event");
    event.init_event_with_bubbles("input", true);
    let _ = input.dispatch_event(&event);
    settle().await;
    let matched: Vec<String> = rows(&container)
        .iter()
        .filter(|r| r.class_list().contains("tl-match"))
        .map(|r| attr(r, "data-entry"))
        .collect();
    assert_eq!(matched, ["2"]);
    assert_eq!(rows(&container).len(), 5);
}

/// Waits `ms` milliseconds.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn a_running_log_grows_to_now() {
    let iso = |ago_s: f64| -> String {
        String::from(
            js_sys::Date::new(&(js_sys::Date::now() - ago_s * 1000.0).into()).to_iso_string(),
        )
    };
    let text = format!(
        r#"{{"sessionId":"r","log":[
            {{"status":"Success","message":"done","executionStartTime":"{}","logTime":"{}","executionDuration":5000}},
            {{"status":"Running","message":"still going","executionStartTime":"{}"}}
        ]}}"#,
        iso(10.0),
        iso(5.0),
        iso(5.0)
    );
    let container = mount(read_log(text.as_bytes())).await;
    let width = |c: &web_sys::HtmlElement, i: usize| -> f64 {
        let style = c
            .query_selector(&format!("#entry-{i} .tl-bar"))
            .ok()
            .flatten()
            .map(|b| css(&b, &["width"]))
            .unwrap_or_default();
        style
            .rsplit("width:")
            .next()
            .and_then(|w| w.trim_end_matches('%').parse().ok())
            .unwrap_or(f64::NAN)
    };
    let (done, open) = (width(&container, 0), width(&container, 1));
    assert!((done - 50.0).abs() < 2.0, "the finished half: {done}");
    assert!((open - 50.0).abs() < 2.0, "the running half: {open}");
    sleep(2_300).await;
    // Two seconds later the session spans about 12 s: the finished step's share shrinks and the
    // running one still reaches the end.
    let (done2, open2) = (width(&container, 0), width(&container, 1));
    assert!(done2 < done - 5.0, "{done} → {done2}");
    assert!(open2 > open + 5.0, "{open} → {open2}");
    let style = container
        .query_selector("#entry-1 .tl-bar")
        .ok()
        .flatten()
        .map(|b| css(&b, &["left", "width"]))
        .unwrap_or_default();
    let left: f64 = style
        .trim_start_matches("left:")
        .split('%')
        .next()
        .and_then(|l| l.parse().ok())
        .unwrap_or(f64::NAN);
    assert!((left + open2 - 100.0).abs() < 0.01, "{style}");
}
