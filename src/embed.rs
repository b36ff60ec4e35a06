//! Embedding in a portal (SPEC §3.6; README "Embedding in a portal"): the embed mode, the
//! portal's theme, and the versioned `postMessage` protocol.
//!
//! What a message asks is read by [`parse`], a pure function over the message's fields (native
//! tests below); the browser part reads those fields with `js_sys::Reflect` (no serde derive:
//! each costs the bundle its visitor) and writes its answers the same way. Only a message whose
//! `source` is `window.parent` and whose `origin` is exactly one of `config.json`'s
//! `embed.allowedParentOrigins` is read at all, and answers go to that origin only, never `*`.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::components::open_file::Outcome;
use crate::connections::{fetching, registry, signing, AuthMode};
use crate::store::{Opened, Store};

/// The protocol version this app speaks: every message carries it as `sv`.
pub const VERSION: u32 = 1;

/// `sessionStorage` keys (preferences for this tab, never a secret).
const EMBED_KEY: &str = "session-viewer.embed";
const THEME_KEY: &str = "session-viewer.theme";

/// One field of an incoming message, as the browser read it.
#[derive(Debug, PartialEq)]
pub enum Field {
    Missing,
    Text(String),
    Number(f64),
    /// An `ArrayBuffer` or a `Uint8Array`.
    Bytes(Vec<u8>),
    Other,
}

/// The colours the app is drawn in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
    /// The system's (`prefers-color-scheme`).
    System,
}

impl Theme {
    pub fn from_name(name: &str) -> Option<Theme> {
        match name {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            "system" => Some(Theme::System),
            _ => None,
        }
    }

    /// The value of `data-theme` on `<html>`; none for the system's.
    fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
            Theme::System => None,
        }
    }
}

/// What the portal asks.
#[derive(Debug, PartialEq)]
pub enum Command {
    Ping,
    /// Open a payload as "Open file" does.
    Open {
        name: String,
        bytes: Vec<u8>,
    },
    /// Open a connection's session list (`list`: one of its vendor's list ids; the first when
    /// none).
    OpenConnection {
        connection: String,
        list: Option<String>,
    },
    /// A token for a token connection, as if pasted: in memory only.
    Token {
        connection: String,
        token: String,
    },
    Theme(Theme),
}

/// What becomes of a message from an allowed parent.
#[derive(Debug, PartialEq)]
pub enum Heard {
    /// Not a message of this protocol (no numeric `sv`): other traffic, left alone.
    Ignore,
    Run(Command),
    /// A message of this protocol that cannot be run: answered with `ERROR` and this sentence.
    Refuse(String),
}

/// Reads a message through `get` (its field by name). `PING` is answered whatever the version
/// (the `PONG` says which one the app speaks); anything else needs `sv` = [`VERSION`].
pub fn parse(get: &dyn Fn(&str) -> Field) -> Heard {
    let Field::Number(sv) = get("sv") else {
        return Heard::Ignore;
    };
    let Field::Text(kind) = get("type") else {
        return Heard::Refuse("A message needs a type.".into());
    };
    if kind == "PING" {
        return Heard::Run(Command::Ping);
    }
    if sv != VERSION as f64 {
        // (No float in the sentence: formatting one costs the bundle ≈ 6 KB.)
        return Heard::Refuse("This app speaks version 1 of the protocol only.".into());
    }
    // One sentence for every missing or bad field (one `format!`: each costs the bundle).
    let needs = |key: &str| Heard::Refuse(format!("{kind} needs {key}."));
    let text = |key: &str| match get(key) {
        Field::Text(t) if !t.trim().is_empty() => Ok(t),
        _ => Err(needs(key)),
    };
    let command = match kind.as_str() {
        "OPEN" => {
            let bytes = match get("data") {
                Field::Text(t) => t.into_bytes(),
                Field::Bytes(b) => b,
                _ => return needs("data"),
            };
            let name = text("name").unwrap_or_else(|_| "payload".into());
            Command::Open { name, bytes }
        }
        "OPEN_CONNECTION" => Command::OpenConnection {
            connection: match text("connection") {
                Ok(c) => c,
                Err(e) => return e,
            },
            list: text("list").ok(),
        },
        "TOKEN" => match (text("connection"), text("token")) {
            (Ok(connection), Ok(token)) => Command::Token { connection, token },
            (Err(e), _) | (_, Err(e)) => return e,
        },
        "THEME" => match text("theme").ok().and_then(|t| Theme::from_name(&t)) {
            Some(theme) => Command::Theme(theme),
            None => return needs("theme"),
        },
        _ => return needs("a type this app knows"),
    };
    Heard::Run(command)
}

/// `embed` and `theme` from the page's query string (`?embed=1&theme=dark`): embed mode on
/// (`1`), off (`0`) or not said, and the theme if one is named.
pub fn from_query(search: &str) -> (Option<bool>, Option<Theme>) {
    let mut embed = None;
    let mut theme = None;
    for pair in search.trim_start_matches('?').split('&') {
        match pair.split_once('=') {
            Some(("embed", v)) => embed = Some(v != "0"),
            Some(("theme", v)) => theme = Theme::from_name(v).or(theme),
            _ if pair == "embed" => embed = Some(true),
            _ => {}
        }
    }
    (embed, theme)
}

thread_local! {
    /// The origin of the parent last heard: where answers and news go. None until a message
    /// from an allowed parent arrives.
    static PARENT: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn tab_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

fn root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

/// At start: embed mode and theme from the address, else as kept for this tab (a reload of the
/// frame, or an address the app rewrote since); without either, embed mode whenever framed (a
/// cross-site frame may get no storage at all).
pub fn init() {
    let Some(w) = web_sys::window() else { return };
    let (embed, theme) = from_query(&w.location().search().unwrap_or_default());
    let tab = tab_storage();
    let kept = |key| tab.as_ref().and_then(|s| s.get_item(key).ok().flatten());
    let framed = w.parent().ok().flatten().map(JsValue::from) != Some(w.into());
    if embed.unwrap_or(kept(EMBED_KEY).is_some() || framed) {
        embedded();
    } else if let Some(s) = &tab {
        let _ = s.remove_item(EMBED_KEY);
    }
    if let Some(theme) = theme.or_else(|| kept(THEME_KEY).and_then(|t| Theme::from_name(&t))) {
        set_theme(theme);
    }
}

/// Embed mode: without the app's header (CSS `.embedded`), kept for this tab.
fn embedded() {
    if let Some(r) = root() {
        let _ = r.class_list().add_1("embedded");
    }
    if let Some(s) = tab_storage() {
        let _ = s.set_item(EMBED_KEY, "1");
    }
}

fn set_theme(theme: Theme) {
    if let Some(r) = root() {
        let _ = match theme.attribute() {
            Some(t) => r.set_attribute("data-theme", t),
            None => r.remove_attribute("data-theme"),
        };
    }
    if let Some(s) = tab_storage() {
        let _ = match theme.attribute() {
            Some(t) => s.set_item(THEME_KEY, t),
            None => s.remove_item(THEME_KEY),
        };
    }
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

/// Posts `{sv, type, re, …fields}` to the parent heard last (nothing before one was heard), at
/// its origin. Not generic: one copy for every message.
fn post(kind: &str, re: &JsValue, fields: &[(&str, JsValue)]) {
    let Some(origin) = PARENT.with_borrow(Clone::clone) else {
        return;
    };
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
        return;
    };
    let message: JsValue = js_sys::Object::new().into();
    set(&message, "sv", &VERSION.into());
    set(&message, "type", &kind.into());
    if !re.is_undefined() {
        set(&message, "re", re);
    }
    for (key, value) in fields {
        set(&message, key, value);
    }
    let _ = parent.post_message(&message, &origin);
}

/// `ERROR`: something failed (a request of the portal's, or anything the app shows as failed).
pub fn failed(re: &JsValue, message: &str) {
    post("ERROR", re, &[("message", message.into())]);
}

/// `NAVIGATED`, each time the user goes somewhere (once a parent was heard).
pub fn navigated(path: &str, query: &str) {
    post("NAVIGATED", &JsValue::UNDEFINED, &place(path, query));
}

fn place(path: &str, query: &str) -> [(&'static str, JsValue); 2] {
    [("path", path.into()), ("query", query.into())]
}

/// A field of `data`, as [`parse`] reads it.
fn field(data: &JsValue, key: &str) -> Field {
    let Ok(v) = js_sys::Reflect::get(data, &JsValue::from_str(key)) else {
        return Field::Missing;
    };
    if v.is_undefined() || v.is_null() {
        Field::Missing
    } else if let Some(t) = v.as_string() {
        Field::Text(t)
    } else if let Some(n) = v.as_f64() {
        Field::Number(n)
    } else if v.is_instance_of::<js_sys::ArrayBuffer>() || v.is_instance_of::<js_sys::Uint8Array>()
    {
        Field::Bytes(js_sys::Uint8Array::new(&v).to_vec())
    } else {
        Field::Other
    }
}

/// Listens to the portal: from now on, messages from an allowed parent are run. `here` is the
/// route and query shown (for `READY`), `go` navigates.
pub fn listen(
    store: Store,
    outcome: Outcome,
    here: impl Fn() -> (String, String) + 'static,
    go: impl Fn(&str) + Clone + 'static,
) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_message = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::MessageEvent)>::new(
        move |ev: web_sys::MessageEvent| {
            let Some(w) = web_sys::window() else { return };
            let parent: JsValue = w.parent().ok().flatten().into();
            // Framed, and sent by the frame's own parent (not another frame, not this window).
            if parent == JsValue::from(w) || ev.source().map(JsValue::from) != Some(parent) {
                return;
            }
            let origin = ev.origin();
            let allowed = store.config.with_untracked(
                |c| matches!(c, Some(Ok(c)) if c.allowed_parent_origins.contains(&origin)),
            );
            if !allowed {
                return;
            }
            let data = ev.data();
            let heard = parse(&|key| field(&data, key));
            if heard == Heard::Ignore {
                return;
            }
            let first = PARENT.replace(Some(origin)).is_none();
            let re = js_sys::Reflect::get(&data, &"id".into()).unwrap_or_default();
            match heard {
                Heard::Run(command) => run(store, outcome, command, re, first, &here, go.clone()),
                Heard::Refuse(why) => failed(&re, &why),
                Heard::Ignore => {}
            }
        },
    );
    let _ = window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    on_message.forget();
}

fn done(re: &JsValue) {
    post("DONE", re, &[]);
}

fn run(
    store: Store,
    outcome: Outcome,
    command: Command,
    re: JsValue,
    first: bool,
    here: &dyn Fn() -> (String, String),
    go: impl Fn(&str) + 'static,
) {
    let no_connection = |id: &str, what: &str| format!("There is no connection {id}{what}.");
    match command {
        Command::Ping => {
            embedded();
            post("PONG", &re, &[("version", VERSION.into())]);
            if first {
                let (path, query) = here();
                post("READY", &JsValue::UNDEFINED, &place(&path, &query));
            }
        }
        Command::Open { name, bytes } => {
            // The path "Open file" takes: the same reader, the same list of what failed.
            let opened = store.open_bytes(name, bytes);
            outcome.0.set(vec![opened.clone()]);
            match opened {
                Opened::Doc(id) => {
                    if let Some(doc) = store.doc_untracked(&id) {
                        go(&doc.href());
                    }
                    done(&re);
                }
                Opened::Failed { error, .. } => failed(&re, &error),
            }
        }
        Command::OpenConnection { connection, list } => {
            let Some(conn) = registry::connection(store, &connection) else {
                return failed(&re, &no_connection(&connection, ""));
            };
            let lists = conn.kind.vendor().lists;
            let Some(index) = list.map_or(Some(0), |l| lists.iter().position(|x| x.id == l)) else {
                return failed(&re, "Its vendor has no such list.");
            };
            leptos::task::spawn_local(async move {
                let from = fetching::Caller::View;
                match fetching::open_sessions(store, &conn, index, from, None, &|_| {}).await {
                    Ok(href) => {
                        go(&href);
                        done(&re);
                    }
                    Err(e) => failed(&re, &e.to_string()),
                }
            });
        }
        Command::Token { connection, token } => {
            let conn =
                registry::connection(store, &connection).filter(|c| c.auth == AuthMode::Token);
            let Some(conn) = conn else {
                return failed(&re, &no_connection(&connection, " that takes a token"));
            };
            match signing::use_token(store, &conn, &token, false) {
                Ok(()) => {
                    // A view sent here to log on goes back, as after a pasted token.
                    let back = store
                        .relogon
                        .get_untracked()
                        .filter(|r| r.connection == connection)
                        .and_then(|r| r.back);
                    if let Some(back) = back {
                        store.relogon.set(None);
                        go(&back);
                    }
                    done(&re);
                }
                Err(e) => failed(&re, &e.to_string()),
            }
        }
        Command::Theme(theme) => {
            set_theme(theme);
            done(&re);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn heard(fields: &[(&str, Field)]) -> Heard {
        let map: HashMap<&str, &Field> = fields.iter().map(|(k, v)| (*k, v)).collect();
        parse(&|key| match map.get(key) {
            Some(Field::Text(t)) => Field::Text(t.clone()),
            Some(Field::Number(n)) => Field::Number(*n),
            Some(Field::Bytes(b)) => Field::Bytes(b.clone()),
            Some(Field::Other) => Field::Other,
            Some(Field::Missing) | None => Field::Missing,
        })
    }

    fn t(s: &str) -> Field {
        Field::Text(s.into())
    }

    const V1: (&str, Field) = ("sv", Field::Number(1.0));

    #[test]
    fn other_traffic_is_left_alone() {
        assert_eq!(heard(&[]), Heard::Ignore);
        assert_eq!(heard(&[("type", t("PING"))]), Heard::Ignore);
        assert_eq!(heard(&[("sv", t("1")), ("type", t("PING"))]), Heard::Ignore);
        assert_eq!(
            heard(&[("sv", Field::Other), ("type", t("OPEN"))]),
            Heard::Ignore
        );
    }

    #[test]
    fn ping_is_answered_whatever_the_version() {
        assert_eq!(heard(&[V1, ("type", t("PING"))]), Heard::Run(Command::Ping));
        let v2 = ("sv", Field::Number(2.0));
        assert_eq!(heard(&[v2, ("type", t("PING"))]), Heard::Run(Command::Ping));
        let v2 = ("sv", Field::Number(2.0));
        assert_eq!(
            heard(&[v2, ("type", t("THEME")), ("theme", t("dark"))]),
            Heard::Refuse("This app speaks version 1 of the protocol only.".into())
        );
    }

    #[test]
    fn open_takes_text_or_bytes_with_a_name() {
        assert_eq!(
            heard(&[
                V1,
                ("type", t("OPEN")),
                ("name", t("a.json")),
                ("data", t("{}"))
            ]),
            Heard::Run(Command::Open {
                name: "a.json".into(),
                bytes: b"{}".to_vec()
            })
        );
        assert_eq!(
            heard(&[V1, ("type", t("OPEN")), ("data", Field::Bytes(vec![1, 2]))]),
            Heard::Run(Command::Open {
                name: "payload".into(),
                bytes: vec![1, 2]
            })
        );
        for data in [Field::Missing, Field::Number(3.0), Field::Other] {
            assert_eq!(
                heard(&[V1, ("type", t("OPEN")), ("data", data)]),
                Heard::Refuse("OPEN needs data.".into())
            );
        }
    }

    #[test]
    fn connection_token_and_theme() {
        assert_eq!(
            heard(&[
                V1,
                ("type", t("OPEN_CONNECTION")),
                ("connection", t("ekran"))
            ]),
            Heard::Run(Command::OpenConnection {
                connection: "ekran".into(),
                list: None
            })
        );
        assert_eq!(
            heard(&[
                V1,
                ("type", t("OPEN_CONNECTION")),
                ("connection", t("em")),
                ("list", t("backup-sessions"))
            ]),
            Heard::Run(Command::OpenConnection {
                connection: "em".into(),
                list: Some("backup-sessions".into())
            })
        );
        assert_eq!(
            heard(&[V1, ("type", t("OPEN_CONNECTION")), ("connection", t(" "))]),
            Heard::Refuse("OPEN_CONNECTION needs connection.".into())
        );
        assert_eq!(
            heard(&[
                V1,
                ("type", t("TOKEN")),
                ("connection", t("e")),
                ("token", t("s3"))
            ]),
            Heard::Run(Command::Token {
                connection: "e".into(),
                token: "s3".into()
            })
        );
        assert_eq!(
            heard(&[V1, ("type", t("TOKEN")), ("connection", t("e"))]),
            Heard::Refuse("TOKEN needs token.".into())
        );
        assert_eq!(
            heard(&[V1, ("type", t("TOKEN")), ("token", Field::Number(5.0))]),
            Heard::Refuse("TOKEN needs connection.".into())
        );
        assert_eq!(
            heard(&[V1, ("type", t("THEME")), ("theme", t("dark"))]),
            Heard::Run(Command::Theme(Theme::Dark))
        );
        assert_eq!(
            heard(&[V1, ("type", t("THEME")), ("theme", t("system"))]),
            Heard::Run(Command::Theme(Theme::System))
        );
        assert_eq!(
            heard(&[V1, ("type", t("THEME")), ("theme", t("pink"))]),
            Heard::Refuse("THEME needs theme.".into())
        );
    }

    #[test]
    fn bad_messages_are_refused_in_words() {
        assert_eq!(
            heard(&[V1]),
            Heard::Refuse("A message needs a type.".into())
        );
        assert_eq!(
            heard(&[V1, ("type", t("DELETE"))]),
            Heard::Refuse("DELETE needs a type this app knows.".into())
        );
    }

    #[test]
    fn embed_and_theme_from_the_address() {
        assert_eq!(from_query(""), (None, None));
        assert_eq!(from_query("?embed=1"), (Some(true), None));
        assert_eq!(from_query("?embed"), (Some(true), None));
        assert_eq!(
            from_query("?embed=0&theme=dark"),
            (Some(false), Some(Theme::Dark))
        );
        assert_eq!(
            from_query("?q=x&theme=light&embed=1"),
            (Some(true), Some(Theme::Light))
        );
        assert_eq!(from_query("?theme=pink"), (None, None));
        assert_eq!(from_query("?embedded=1&xtheme=dark"), (None, None));
    }
}
