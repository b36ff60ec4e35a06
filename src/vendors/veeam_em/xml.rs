//! Reads Enterprise Manager XML into the wire types, refusing what a hostile document could use
//! against the reader: document type declarations, entities other than the predefined five and
//! character references, and nesting deeper than any real payload.
//!
//! Logon sessions and error bodies are read field by field. Backup job and task session entities
//! are read as their attributes and simple child elements by local name, which are the JSON
//! form's names, so that the same serde wire types read both forms.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::wire;
use crate::vendors::DecodeError;

/// Nesting deeper than this is refused; real payloads nest four levels.
const MAX_DEPTH: usize = 32;

/// A document that was read: logon sessions (with each one's XML source), an error body, or
/// backup job or task session entities.
pub enum Document {
    Sessions(Vec<(wire::LogonSession, String)>),
    Error(wire::Error),
    /// Each entity's attributes and simple child elements by local name (its `<Links>` as a
    /// `Links` list of attribute maps), written as JSON text for the wire types' serde names,
    /// with its XML source.
    Entities(Entity, Vec<(String, String)>),
}

/// The entity kinds read generically, in lists or alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entity {
    JobSession,
    TaskSession,
}

/// `(list element, item element, kind)` of each entity kind.
const ENTITIES: [(&str, &str, Entity); 2] = [
    ("BackupJobSessions", "BackupJobSession", Entity::JobSession),
    (
        "BackupTaskSessions",
        "BackupTaskSession",
        Entity::TaskSession,
    ),
];

/// The entity kind whose list or item element is named `name`.
fn entity_root(name: &str) -> Option<Entity> {
    ENTITIES
        .iter()
        .find(|(list, item, _)| *list == name || *item == name)
        .map(|(_, _, kind)| *kind)
}

/// The entity kind whose item element is `name` inside `parent` (its list, or nothing).
fn entity_item(name: &str, parent: Option<&str>) -> Option<Entity> {
    ENTITIES
        .iter()
        .find(|(list, item, _)| *item == name && parent.is_none_or(|p| p == *list))
        .map(|(_, _, kind)| *kind)
}

/// An entity being read.
struct OpenEntity {
    fields: Fields,
    /// Where its source starts.
    start: u64,
    /// Its index in the element stack.
    depth: usize,
}

/// Parses `text` (which starts with `<` after whitespace).
pub fn parse(text: &str, expected: &str) -> Result<Document, DecodeError> {
    // No trim_text: it would trim each fragment around an entity reference (`a &amp; b`);
    // values are trimmed whole when their element closes.
    let mut reader = Reader::from_str(text);
    let mut st = State::default();
    loop {
        let before = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| malformed(text, reader.error_position(), &e.to_string()))?;
        match event {
            Event::DocType(_) => {
                return Err(DecodeError::Unsupported {
                    what: "An XML document with a document type declaration (DOCTYPE, entities)"
                        .to_string(),
                })
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_empty = matches!(event, Event::Empty(_));
                let name = e.local_name().as_ref().to_string();
                if st.stack.len() >= MAX_DEPTH {
                    return Err(malformed(text, before, "elements are nested too deeply"));
                }
                if st.stack.is_empty() {
                    st.kind = entity_root(&name);
                    if st.kind.is_none()
                        && !matches!(name.as_str(), "LogonSession" | "LogonSessions" | "Error")
                    {
                        return Err(DecodeError::Unrecognised {
                            expected: expected.to_string(),
                            found: format!("an XML document whose root is <{}>", clip(&name)),
                        });
                    }
                }
                let parent = st.stack.last().map(String::as_str);
                // Entities do not nest: one named like an entity inside another is ignored.
                let item = entity_item(&name, parent)
                    .filter(|k| Some(*k) == st.kind && st.entity.is_none());
                match (name.as_str(), parent) {
                    _ if item.is_some() => {
                        let mut fields = Fields::default();
                        for (key, value) in attributes(text, e)? {
                            fields.set(key, value);
                        }
                        st.entity = Some(OpenEntity {
                            fields,
                            start: before,
                            depth: st.stack.len(),
                        });
                    }
                    ("Link", Some("Links"))
                        if st
                            .entity
                            .as_ref()
                            .is_some_and(|o| o.depth + 2 == st.stack.len()) =>
                    {
                        let link = attributes(text, e)?;
                        if let Some(open) = st.entity.as_mut() {
                            open.fields.links.push(link);
                        }
                    }
                    ("LogonSession", None | Some("LogonSessions")) => {
                        let mut session = wire::LogonSession::default();
                        for (key, value) in attributes(text, e)? {
                            match key.as_str() {
                                "Href" => session.href = Some(value),
                                "Type" => session.kind = Some(value),
                                _ => {}
                            }
                        }
                        st.current = Some((session, before));
                    }
                    ("Link", Some("Links")) => {
                        if let Some((session, _)) = st.current.as_mut() {
                            let mut link = wire::Link::default();
                            for (key, value) in attributes(text, e)? {
                                match key.as_str() {
                                    "Rel" => link.rel = Some(value),
                                    "Type" => link.kind = Some(value),
                                    "Href" => link.href = Some(value),
                                    "Name" => link.name = Some(value),
                                    _ => {}
                                }
                            }
                            session.links.get_or_insert_with(Vec::new).push(link);
                        }
                    }
                    ("Error", None) => {
                        let mut body = wire::Error::default();
                        for (key, value) in attributes(text, e)? {
                            match key.as_str() {
                                "Message" => body.message = Some(value),
                                "StatusCode" => body.status_code = value.trim().parse().ok(),
                                _ => {}
                            }
                        }
                        st.error = Some(body);
                    }
                    _ => {}
                }
                st.buf.clear();
                if let Some(parent_is_leaf) = st.leaf.last_mut() {
                    *parent_is_leaf = false;
                }
                st.stack.push(name);
                st.leaf.push(true);
                if is_empty {
                    st.close(text, reader.buffer_position());
                }
            }
            Event::End(_) => {
                st.close(text, reader.buffer_position());
            }
            Event::Text(t) => st.buf.push_str(&t.xml10_content()),
            Event::CData(t) => st.buf.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => match r.as_ref() {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                    Err(_) => None,
                };
                match resolved {
                    Some(c) => st.buf.push(c),
                    None => {
                        return Err(malformed(
                            text,
                            before,
                            &format!("the entity &{}; is not allowed", clip(&r)),
                        ))
                    }
                }
            }
            Event::Eof => {
                if let Some(open) = st.stack.last() {
                    return Err(malformed(
                        text,
                        reader.buffer_position(),
                        &format!("the document ends before </{open}>"),
                    ));
                }
                break;
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    match (st.kind, st.error) {
        (Some(kind), _) => Ok(Document::Entities(kind, st.entities)),
        (None, Some(body)) if st.sessions.is_empty() => Ok(Document::Error(body)),
        _ => Ok(Document::Sessions(st.sessions)),
    }
}

/// What the reader has seen so far.
#[derive(Default)]
struct State {
    /// Local names of the open elements, outermost first.
    stack: Vec<String>,
    /// For each open element, whether no child element has started in it yet.
    leaf: Vec<bool>,
    /// Text of the innermost element so far.
    buf: String,
    /// The logon session being read, and where its source starts.
    current: Option<(wire::LogonSession, u64)>,
    error: Option<wire::Error>,
    sessions: Vec<(wire::LogonSession, String)>,
    /// The entity kind of the document, decided by its root.
    kind: Option<Entity>,
    /// The entity being read.
    entity: Option<OpenEntity>,
    entities: Vec<(String, String)>,
}

/// An entity's fields as read: text by name (the last one of a name wins), and its links.
#[derive(Default)]
struct Fields {
    text: Vec<(String, String)>,
    links: Vec<Vec<(String, String)>>,
}

impl Fields {
    fn set(&mut self, name: String, value: String) {
        self.text.retain(|(n, _)| *n != name);
        self.text.push((name, value));
    }

    /// The fields as a JSON object, every value a string (`Links` a list of objects): the same
    /// text the vendor's JSON would hold, for the same serde types.
    fn to_json(&self) -> String {
        let mut out = String::from("{");
        let mut first = true;
        let pairs = |out: &mut String, pairs: &[(String, String)], first: &mut bool| {
            for (name, value) in pairs {
                if !std::mem::take(first) {
                    out.push(',');
                }
                crate::format::json_string(name, out);
                out.push(':');
                crate::format::json_string(value, out);
            }
        };
        pairs(&mut out, &self.text, &mut first);
        if !self.links.is_empty() && !self.text.iter().any(|(n, _)| n == "Links") {
            if !first {
                out.push(',');
            }
            out.push_str("\"Links\":[");
            for (i, link) in self.links.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('{');
                let mut first = true;
                pairs(&mut out, link, &mut first);
                out.push('}');
            }
            out.push(']');
        }
        out.push('}');
        out
    }
}

impl State {
    /// Handles the end of the innermost element: fills the field its text belongs to, or
    /// completes a logon session or an entity.
    fn close(&mut self, text: &str, end: u64) {
        let State {
            stack,
            leaf,
            buf,
            current,
            error,
            sessions,
            entity,
            entities,
            ..
        } = self;
        let Some(name) = stack.pop() else { return };
        let was_leaf = leaf.pop().unwrap_or(true);
        let parent = stack.last().map(String::as_str);
        let value = std::mem::take(buf).trim().to_string();
        if let Some(open) = entity.as_mut() {
            if open.depth == stack.len() {
                // The entity itself ends.
                if let Some(done) = entity.take() {
                    let source = text
                        .get(done.start as usize..end as usize)
                        .unwrap_or_default()
                        .trim()
                        .to_string();
                    entities.push((done.fields.to_json(), source));
                }
            } else if open.depth + 1 == stack.len() && was_leaf && !value.is_empty() {
                // A simple child element: an empty one (`xsi:nil`) is an absent value.
                open.fields.set(name, value);
            }
            return;
        }
        match (name.as_str(), parent) {
            ("UserName", Some("LogonSession")) => {
                if let Some((s, _)) = current.as_mut() {
                    s.user_name = Some(value);
                }
            }
            ("SessionId", Some("LogonSession")) => {
                if let Some((s, _)) = current.as_mut() {
                    s.session_id = Some(value);
                }
            }
            ("Message", Some("Error")) => {
                if let Some(e) = error.as_mut() {
                    e.message = Some(value);
                }
            }
            ("StatusCode", Some("Error")) => {
                if let Some(e) = error.as_mut() {
                    e.status_code = value.trim().parse().ok();
                }
            }
            ("LogonSession", None | Some("LogonSessions")) => {
                if let Some((session, start)) = current.take() {
                    let source = text
                        .get(start as usize..end as usize)
                        .unwrap_or_default()
                        .trim()
                        .to_string();
                    sessions.push((session, source));
                }
            }
            _ => {}
        }
    }
}

/// An element's attributes by local name (so `xmlns:*` and prefixes do not matter).
fn attributes(text: &str, e: &BytesStart<'_>) -> Result<Vec<(String, String)>, DecodeError> {
    let mut out = Vec::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| malformed(text, 0, &err.to_string()))?;
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| malformed(text, 0, &err.to_string()))?;
        out.push((
            attr.key.local_name().as_ref().to_string(),
            value.into_owned(),
        ));
    }
    Ok(out)
}

fn malformed(text: &str, position: u64, message: &str) -> DecodeError {
    let upto = text.get(..position as usize).unwrap_or(text);
    let line = upto.matches('\n').count() + 1;
    let column = upto.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    DecodeError::Malformed {
        format: "XML",
        line,
        column,
        message: message.to_string(),
    }
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}
