//! The connection editor: one native `<form>` written as escaped text, read once on submit
//! (`FormData`), with three delegated handlers. The kind's choices (its auth modes, the API
//! version field) are set straight in the DOM when the kind changes, and each problem
//! `config::validate` finds is written beside its field: no reactive state per field, because typed
//! views and closures per control cost several times the wasm (README: "Why the list is drawn
//! as text").

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::connections::config::{self, AuthMode, Connection, Draft, Field, Invalid};
use crate::connections::registry;
use crate::list::html::escape;
use crate::store::Store;
use crate::vendors::Kind;

/// The editor's state: closed (`None`), adding (`Some(None)`) or editing a saved connection.
pub type Editing = RwSignal<Option<Option<Connection>>>;

/// The form; `edit` is the saved connection to change, if any. Closes itself on save and cancel.
#[component]
pub fn ConnectionEditor(edit: Option<Connection>, editing: Editing) -> impl IntoView {
    let store = expect_context::<Store>();
    let form_ref = NodeRef::<html::Form>::new();
    let kind = edit.as_ref().map_or(Kind::ALL[0], |c| c.kind);
    form_ref.on_load(move |form| {
        fit_kind(&form, kind);
        if let Some(first) = find::<web_sys::HtmlElement>(&form, "select") {
            let _ = first.focus();
        }
    });
    let markup = form_html(edit.as_ref());
    let editing_id = edit.map(|c| c.id);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(form) = form_ref.get() else {
            return;
        };
        match registry::save_connection(store, read(&form), editing_id.as_deref()) {
            Ok(_) => editing.set(None),
            Err(bad) => show_problems(&form, &bad),
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        let target = event_target::<web_sys::Element>(&ev);
        if target.get_attribute("name").as_deref() == Some("kind") {
            if let (Some(form), Some(kind)) =
                (form_ref.get(), Kind::from_id(&event_target_value(&ev)))
            {
                fit_kind(&form, kind);
            }
        }
    };
    // The Cancel button is the form's reset button.
    let on_reset = move |_| editing.set(None);
    view! {
        <form class="panel editor" node_ref=form_ref on:submit=crate::components::on(on_submit) on:change=crate::components::on(on_change) on:reset=crate::components::on(on_reset)
            novalidate aria-labelledby="ce-title" inner_html=markup></form>
    }
}

/// The form's inner HTML, with `edit`'s values filled in (escaped).
pub fn form_html(edit: Option<&Connection>) -> String {
    let kind = edit.map_or(Kind::ALL[0], |c| c.kind);
    let mut out = String::with_capacity(4096);
    out.push_str("<h3 id=\"ce-title\">");
    match edit {
        Some(c) => {
            out.push_str("Edit “");
            escape(&c.label, &mut out);
            out.push('”');
        }
        None => out.push_str("Add a connection"),
    }
    out.push_str("</h3><p class=\"muted\">Saved in this browser (localStorage), never with a password or token.</p>");

    let mut options = String::new();
    for k in Kind::ALL {
        option(&mut options, k.id(), k.product(), k == kind, "");
    }
    field(&mut out, "kind", "Kind", None, |out| {
        select(out, "kind", &options)
    });

    let value = |f: fn(&Connection) -> Option<&str>| edit.and_then(f).unwrap_or_default();
    field(&mut out, "label", "Label", None, |out| {
        input(
            out,
            "label",
            value(|c| Some(&c.label)),
            " maxlength=\"100\" placeholder=\"e.g. AWS backups\"",
        )
    });
    field(
        &mut out,
        "baseUrl",
        "Base URL",
        Some("A path on this site behind a reverse proxy (/vendors/aws), or the server's own https:// address, which must then allow this page's origin (CORS)."),
        |out| input(out, "baseUrl", value(|c| Some(&c.base_url)), " required placeholder=\"/vendors/aws or https://server:port\""),
    );
    out.push_str("<div class=\"field\" id=\"ce-version\">");
    field(&mut out, "apiVersion", "API version", Some(""), |out| {
        input(out, "apiVersion", value(|c| c.api_version.as_deref()), "")
    });
    out.push_str("</div>");

    let auth = edit.map(|c| c.auth);
    let mut options = String::new();
    for (a, words) in [
        (AuthMode::Password, "Password (a log-on form)"),
        (AuthMode::Token, "Token (pasted)"),
        (AuthMode::Browser, "The browser's own sign-in (Windows)"),
        (AuthMode::None, "None (a proxy authenticates)"),
    ] {
        option(&mut options, a.id(), words, Some(a) == auth, " data-auth");
    }
    field(&mut out, "auth", "Signs in with", None, |out| {
        select(out, "auth", &options)
    });

    let timeout = edit
        .map_or(config::DEFAULT_TIMEOUT_S, |c| c.timeout_s)
        .to_string();
    field(
        &mut out,
        "timeoutSeconds",
        "Request time limit (seconds)",
        None,
        |out| input(out, "timeoutSeconds", &timeout, " inputmode=\"numeric\""),
    );
    out.push_str("<p class=\"field-error\" id=\"ce-id-error\"></p><div class=\"actions\"><button type=\"submit\" class=\"button\">");
    out.push_str(if edit.is_some() {
        "Save changes"
    } else {
        "Add connection"
    });
    out.push_str(
        "</button><button type=\"reset\" class=\"button secondary\">Cancel</button></div>",
    );
    out
}

/// A labelled field: the control `control` writes, an optional hint, and the place for its problem.
/// Fields that are not wrapped already get a `div.field`.
fn field(
    out: &mut String,
    name: &str,
    label: &str,
    hint: Option<&str>,
    control: impl FnOnce(&mut String),
) {
    let wrap = name != "apiVersion";
    if wrap {
        out.push_str("<div class=\"field\">");
    }
    out.push_str(&format!("<label for=\"ce-{name}\">{label}</label>"));
    control(out);
    if let Some(hint) = hint {
        out.push_str(&format!("<p class=\"hint muted\" id=\"ce-{name}-hint\">"));
        escape(hint, out);
        out.push_str("</p>");
    }
    out.push_str(&format!(
        "<p class=\"field-error\" id=\"ce-{name}-error\"></p>"
    ));
    if wrap {
        out.push_str("</div>");
    }
}

fn described_by(name: &str) -> String {
    format!("ce-{name}-hint ce-{name}-error")
}

fn input(out: &mut String, name: &str, value: &str, extra: &str) {
    out.push_str(&format!(
        "<input id=\"ce-{name}\" name=\"{name}\" autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"{}\"{extra} value=\"",
        described_by(name)
    ));
    escape(value, out);
    out.push_str("\">");
}

fn select(out: &mut String, name: &str, options: &str) {
    out.push_str(&format!(
        "<select id=\"ce-{name}\" name=\"{name}\" aria-describedby=\"{}\">{options}</select>",
        described_by(name)
    ));
}

fn option(out: &mut String, value: &str, words: &str, selected: bool, extra: &str) {
    let selected = if selected { " selected" } else { "" };
    out.push_str(&format!(
        "<option value=\"{value}\"{selected}{extra}>{words}</option>"
    ));
}

/// The first element under `form` that matches `selector`, as `T`.
fn find<T: JsCast>(form: &web_sys::HtmlFormElement, selector: &str) -> Option<T> {
    form.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<T>().ok())
}

/// The form's fields as a draft; empty fields are left out.
fn read(form: &web_sys::HtmlFormElement) -> Draft {
    let data = web_sys::FormData::new_with_form(form).ok();
    let field = |name: &str| {
        data.as_ref()
            .and_then(|d| d.get(name).as_string())
            .filter(|v| !v.trim().is_empty())
    };
    Draft {
        id: None,
        kind: field("kind"),
        label: field("label"),
        base_url: field("baseUrl"),
        api_version: field("apiVersion"),
        auth: field("auth"),
        timeout_seconds: field("timeoutSeconds"),
    }
}

/// Offers only the auth modes `kind` has (keeping the chosen one where it can), and the API
/// version field only for the kinds that have one, saying what it means there.
fn fit_kind(form: &web_sys::HtmlFormElement, kind: Kind) {
    let modes = config::auth_modes(kind);
    let supported = |value: &str| modes.iter().any(|m| m.id() == value);
    if let Ok(options) = form.query_selector_all("option[data-auth]") {
        for i in 0..options.length() {
            let Some(option) = options
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            let off = !supported(&option.get_attribute("value").unwrap_or_default());
            let _ = option.toggle_attribute_with_force("hidden", off);
            let _ = option.toggle_attribute_with_force("disabled", off);
        }
    }
    if let Some(select) = find::<web_sys::HtmlSelectElement>(form, "[name=auth]") {
        if !supported(&select.value()) {
            select.set_value(modes.first().map_or("none", |m| m.id()));
        }
    }
    let hint = version_hint(kind);
    if let Some(row) = find::<web_sys::Element>(form, "#ce-version") {
        let _ = row.toggle_attribute_with_force("hidden", hint.is_none());
    }
    if let Some(input) = find::<web_sys::Element>(form, "[name=apiVersion]") {
        let _ = input.toggle_attribute_with_force("disabled", hint.is_none());
    }
    if let Some(p) = find::<web_sys::Element>(form, "#ce-apiVersion-hint") {
        p.set_text_content(hint);
    }
}

/// What the API version field means for `kind`; `None` for kinds without one.
fn version_hint(kind: Kind) -> Option<&'static str> {
    kind.vendor().version.as_ref().map(|v| v.hint)
}

/// Writes each problem beside its field (clearing the others), marks those fields invalid, and
/// moves the focus to the first.
fn show_problems(form: &web_sys::HtmlFormElement, bad: &[Invalid]) {
    let mut first = None;
    for field in Field::ALL {
        let why = bad
            .iter()
            .find(|b| b.field == field)
            .map(|b| sentence(&b.why));
        if let Some(p) = find::<web_sys::Element>(form, &format!("#ce-{}-error", field.name())) {
            p.set_text_content(why.as_deref());
        }
        if let Some(input) = find::<web_sys::HtmlElement>(form, &format!("[name={}]", field.name()))
        {
            let _ = match why {
                Some(_) => input.set_attribute("aria-invalid", "true"),
                None => input.remove_attribute("aria-invalid"),
            };
            if why.is_some() && first.is_none() {
                first = Some(input);
            }
        }
    }
    if let Some(input) = first {
        let _ = input.focus();
    }
}

/// The check's reason as a sentence of its own: capital first letter, full stop.
pub fn sentence(why: &str) -> String {
    let mut chars = why.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase());
    let mut out: String = first.into_iter().chain(chars).collect();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn(label: &str, base: &str) -> Connection {
        Connection {
            id: "x".into(),
            kind: Kind::MimPam,
            label: label.into(),
            base_url: base.into(),
            api_version: Some("2.0".into()),
            auth: AuthMode::Token,
            timeout_s: 90,
        }
    }

    #[test]
    fn every_field_is_labelled_and_has_a_place_for_its_problem() {
        let html = form_html(None);
        for field in Field::ALL.into_iter().filter(|f| *f != Field::Id) {
            let name = field.name();
            assert!(
                html.contains(&format!("<label for=\"ce-{name}\">")),
                "{name}"
            );
            assert!(
                html.contains(&format!("id=\"ce-{name}\" name=\"{name}\"")),
                "{name}"
            );
            assert!(html.contains(&format!("id=\"ce-{name}-error\"")), "{name}");
        }
        assert!(
            html.contains("<option value=\"veeam-aws\" selected>"),
            "VBA by default"
        );
        assert!(html.contains("value=\"30\""), "the default time limit");
        assert!(html.contains(">Add connection</button>"));
        assert_eq!(html.matches("<div").count(), html.matches("</div>").count());
        assert_eq!(html.matches("<p").count(), html.matches("</p>").count());
    }

    #[test]
    fn an_edited_connections_values_are_filled_in_and_escaped() {
        let html = form_html(Some(&conn(
            "<img src=x onerror=alert(1)> \"q\" & 'a'",
            "/p\"><script>",
        )));
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html
            .contains("Edit “&lt;img src=x onerror=alert(1)&gt; &quot;q&quot; &amp; &#39;a&#39;”"));
        assert!(html.contains("value=\"/p&quot;&gt;&lt;script&gt;\""));
        assert!(html.contains("<option value=\"mim-pam\" selected>"));
        assert!(html.contains("<option value=\"token\" selected data-auth>"));
        assert!(html.contains("name=\"apiVersion\" autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"ce-apiVersion-hint ce-apiVersion-error\" value=\"2.0\""));
        assert!(html.contains("value=\"90\""));
        assert!(html.contains(">Save changes</button>"));
    }

    #[test]
    fn versions_are_explained_only_where_the_kind_has_one() {
        assert!(version_hint(Kind::VeeamAws).is_some_and(|h| h.contains("x-api-version")));
        assert!(version_hint(Kind::MimPam).is_some_and(|h| h.contains("?v=")));
        assert!(version_hint(Kind::VeeamM365).is_some_and(|h| h.contains("v8")));
        for kind in [Kind::VeeamEm, Kind::Ekran] {
            assert_eq!(version_hint(kind), None);
        }
    }

    #[test]
    fn reasons_become_sentences() {
        assert_eq!(
            sentence("its baseUrl “x” must start with / or http(s)://"),
            "Its baseUrl “x” must start with / or http(s)://."
        );
        assert_eq!(sentence("done."), "Done.");
        assert_eq!(sentence(""), ".");
    }
}
