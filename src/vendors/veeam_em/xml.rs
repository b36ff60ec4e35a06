//! Reads Enterprise Manager XML into the wire types, refusing what a hostile document could use
//! against the reader: document type declarations, entities other than the predefined five and
//! character references, and nesting deeper than any real payload.
//!
//! Logon sessions and error bodies are read field by field. Backup job and task session entities
//! are read as their attributes and simple child elements by local name, which are the JSON
//! form's names, so that the same serde wire types read both forms.

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
    start: usize,
    /// Its index in the element stack.
    depth: usize,
}

/// Parses `text` (which starts with `<` after whitespace).
pub fn parse(text: &str, expected: &str) -> Result<Document, DecodeError> {
    let mut reader = Reader::new(text);
    let mut st = State::default();
    loop {
        let event = reader
            .next()
            .map_err(|(at, message)| malformed(text, at, message))?;
        let before = reader.start;
        match event {
            Event::DocType => {
                return Err(DecodeError::Unsupported {
                    what: "An XML document with a document type declaration (DOCTYPE, entities)"
                        .to_string(),
                })
            }
            Event::Start { name, attrs, empty } => {
                let name = local(name).to_string();
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
                let attributes = || attributes(text, before, attrs);
                let parent = st.stack.last().map(String::as_str);
                // Entities do not nest: one named like an entity inside another is ignored.
                let item = entity_item(&name, parent)
                    .filter(|k| Some(*k) == st.kind && st.entity.is_none());
                match (name.as_str(), parent) {
                    _ if item.is_some() => {
                        let mut fields = Fields::default();
                        for (key, value) in attributes()? {
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
                        let link = attributes()?;
                        if let Some(open) = st.entity.as_mut() {
                            open.fields.links.push(link);
                        }
                    }
                    ("LogonSession", None | Some("LogonSessions")) => {
                        let mut session = wire::LogonSession::default();
                        for (key, value) in attributes()? {
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
                            for (key, value) in attributes()? {
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
                        for (key, value) in attributes()? {
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
                if empty {
                    st.close(text, reader.pos);
                }
            }
            Event::End => {
                st.close(text, reader.pos);
            }
            Event::Text(t) => eol_normalised(t, &mut st.buf),
            Event::Ref(r) => match resolve(r) {
                Some(c) => st.buf.push(c),
                None => {
                    return Err(malformed(
                        text,
                        before,
                        &format!("the entity &{}; is not allowed", clip(r)),
                    ))
                }
            },
            Event::Eof => {
                if let Some(open) = st.stack.last() {
                    return Err(malformed(
                        text,
                        reader.pos,
                        &format!("the document ends before </{open}>"),
                    ));
                }
                break;
            }
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
    current: Option<(wire::LogonSession, usize)>,
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
    fn close(&mut self, text: &str, end: usize) {
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
                        .get(done.start..end)
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
                    let source = text.get(start..end).unwrap_or_default().trim().to_string();
                    sessions.push((session, source));
                }
            }
            _ => {}
        }
    }
}

/// An element's attributes by local name (so `xmlns:*` and prefixes do not matter), their
/// values normalised as XML 1.0 says (references resolved, each tab, line feed and carriage
/// return, or CR LF pair, a space). `raw` is the start tag after its name, at `at` in `text`.
fn attributes(text: &str, at: usize, raw: &str) -> Result<Vec<(String, String)>, DecodeError> {
    let broken = |message: &str| malformed(text, at, message);
    let mut out: Vec<(String, String)> = Vec::new();
    let mut keys: Vec<&str> = Vec::new();
    let mut rest = raw.trim_start_matches(is_space);
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c == '=' || is_space(c))
            .unwrap_or(rest.len());
        let (key, after) = rest.split_at(name_end);
        let Some(after) = after.trim_start_matches(is_space).strip_prefix('=') else {
            return Err(broken(&format!("the attribute {} has no value", clip(key))));
        };
        let after = after.trim_start_matches(is_space);
        let Some(quote) = after.chars().next().filter(|q| *q == '"' || *q == '\'') else {
            return Err(broken(&format!("the value of {} is not quoted", clip(key))));
        };
        let Some((value, after)) = after.get(1..).and_then(|v| v.split_once(quote)) else {
            return Err(broken(&format!("the value of {} is not closed", clip(key))));
        };
        if key.is_empty() || keys.contains(&key) {
            return Err(broken(&format!(
                "the attribute {} is repeated or unnamed",
                clip(key)
            )));
        }
        keys.push(key);
        let mut normalised = String::with_capacity(value.len());
        let mut parts = value.split('&');
        if let Some(first) = parts.next() {
            attr_text(first, &mut normalised);
        }
        for part in parts {
            let Some((reference, tail)) = part.split_once(';') else {
                return Err(broken("a reference in an attribute is not closed"));
            };
            match resolve(reference) {
                Some(c) => normalised.push(c),
                None => {
                    return Err(broken(&format!(
                        "the entity &{}; is not allowed",
                        clip(reference)
                    )))
                }
            }
            attr_text(tail, &mut normalised);
        }
        out.push((local(key).to_string(), normalised));
        rest = after.trim_start_matches(is_space);
    }
    Ok(out)
}

/// Attribute text without references: CR LF, CR, LF and tab each become a space.
fn attr_text(part: &str, out: &mut String) {
    let mut chars = part.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push(' ');
            }
            '\n' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
}

/// Text with its line ends normalised (CR LF and CR become LF), appended to `out`.
fn eol_normalised(part: &str, out: &mut String) {
    let mut pieces = part.split('\r');
    if let Some(first) = pieces.next() {
        out.push_str(first);
    }
    for piece in pieces {
        out.push('\n');
        out.push_str(piece.strip_prefix('\n').unwrap_or(piece));
    }
}

/// The character a reference (`amp`, `#33`, `#x21`) stands for: the predefined five and
/// character references only.
fn resolve(reference: &str) -> Option<char> {
    Some(match reference {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let number = reference.strip_prefix('#')?;
            let (digits, radix) = match number.strip_prefix('x') {
                Some(hex) => (hex, 16),
                None => (number, 10),
            };
            if digits.starts_with(['+', '-']) {
                return None;
            }
            let code = u32::from_str_radix(digits, radix).ok()?;
            char::from_u32(code).filter(|c| *c != '\0')?
        }
    })
}

/// The XML white space characters.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// A name without its namespace prefix (what follows the first colon).
fn local(name: &str) -> &str {
    name.split_once(':').map_or(name, |(_, local)| local)
}

/// What the reader hands to [`parse`]; declarations, processing instructions and comments are
/// skipped.
enum Event<'a> {
    /// A start tag (`empty` for `<a/>`), its name with its prefix, and what follows the name.
    Start {
        name: &'a str,
        attrs: &'a str,
        empty: bool,
    },
    /// An end tag that matches the innermost open element.
    End,
    /// Text (and CDATA content), as written.
    Text(&'a str),
    /// A reference (`&name;`), without `&` and `;`.
    Ref(&'a str),
    DocType,
    Eof,
}

/// A small pull reader of well-formed XML: tags are checked to nest, attributes are read by
/// [`attributes`]. No DTD is read (a DOCTYPE is its own event, refused by [`parse`]).
struct Reader<'a> {
    text: &'a str,
    /// Where the next event starts, in bytes.
    pos: usize,
    /// Where the last event started (after any comment or declaration before it).
    start: usize,
    /// Names of the open elements, with their prefixes.
    open: Vec<&'a str>,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            text,
            pos: 0,
            start: 0,
            open: Vec::new(),
        }
    }

    /// The next event, or where the document is broken and why.
    fn next(&mut self) -> Result<Event<'a>, (usize, &'static str)> {
        loop {
            let at = self.pos;
            self.start = at;
            let rest = self.text.get(at..).unwrap_or_default();
            if rest.is_empty() {
                return Ok(Event::Eof);
            }
            // Markup, up to and including `end`; its content starts `skip` bytes in.
            let markup = |end: &str, skip: usize, what: &'static str| {
                rest.get(skip..)
                    .and_then(|r| r.find(end))
                    .map(|i| {
                        (
                            rest.get(skip..skip + i).unwrap_or_default(),
                            at + skip + i + end.len(),
                        )
                    })
                    .ok_or((at, what))
            };
            if let Some(after) = rest.strip_prefix('&') {
                let end = after.find([';', '&', '<']);
                let Some(reference) = end
                    .filter(|i| after.get(*i..).is_some_and(|r| r.starts_with(';')))
                    .and_then(|i| after.get(..i))
                else {
                    return Err((at, "an & that starts no reference (write &amp;)"));
                };
                self.pos = at + reference.len() + 2;
                return Ok(Event::Ref(reference));
            }
            if !rest.starts_with('<') {
                let len = rest.find(['<', '&']).unwrap_or(rest.len());
                self.pos = at + len;
                return Ok(Event::Text(rest.get(..len).unwrap_or_default()));
            }
            if rest.starts_with("<!--") {
                self.pos = markup("-->", 4, "a comment is not closed")?.1;
            } else if rest.starts_with("<![CDATA[") {
                let (content, end) = markup("]]>", 9, "a CDATA section is not closed")?;
                self.pos = end;
                return Ok(Event::Text(content));
            } else if rest
                .get(2..9)
                .is_some_and(|d| rest.starts_with("<!") && d.eq_ignore_ascii_case("DOCTYPE"))
            {
                return Ok(Event::DocType);
            } else if rest.starts_with("<!") {
                return Err((at, "unknown markup after <!"));
            } else if rest.starts_with("<?") {
                self.pos = markup("?>", 2, "a processing instruction is not closed")?.1;
            } else if rest.starts_with("</") {
                let (name, end) = markup(">", 2, "an end tag is not closed")?;
                if self.open.pop() != Some(name.trim_end_matches(is_space)) {
                    return Err((at, "an end tag does not match its start tag"));
                }
                self.pos = end;
                return Ok(Event::End);
            } else {
                // A start tag: up to the first `>` outside quoted attribute values.
                let mut quote = None;
                let len = rest.char_indices().skip(1).find_map(|(i, c)| {
                    match (quote, c) {
                        (None, '>') => return Some(i),
                        (None, '"' | '\'') => quote = Some(c),
                        (Some(q), c) if q == c => quote = None,
                        _ => {}
                    }
                    None
                });
                let Some(len) = len else {
                    return Err((at, "a tag is not closed"));
                };
                let tag = rest.get(1..len).unwrap_or_default();
                let (tag, empty) = match tag.strip_suffix('/') {
                    Some(t) => (t, true),
                    None => (tag, false),
                };
                let name_len = tag.find(is_space).unwrap_or(tag.len());
                let (name, attrs) = tag.split_at(name_len);
                if !empty {
                    self.open.push(name);
                }
                self.pos = at + len + 1;
                return Ok(Event::Start { name, attrs, empty });
            }
        }
    }
}

fn malformed(text: &str, position: usize, message: &str) -> DecodeError {
    let upto = text.get(..position).unwrap_or(text);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sessions(text: &str) -> Vec<(wire::LogonSession, String)> {
        match parse(text, "E") {
            Ok(Document::Sessions(s)) => s,
            _ => panic!("not sessions: {text}"),
        }
    }

    fn broken(text: &str) -> String {
        match parse(text, "E") {
            Err(e @ DecodeError::Malformed { .. }) => e.to_string(),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("read: {text}"),
        }
    }

    /// What quick-xml, the reader this one replaced, did; found by running both on mutated
    /// fixtures.
    #[test]
    fn reads_as_quick_xml_did() {
        // A session's source starts at its own tag, not at a comment or declaration before it.
        let read = sessions(
            "<?xml version=\"1.0\"?><LogonSessions><!-- c --><?pi x?><LogonSession a:b:c=\"1\"><UserName>u</UserName></LogonSession></LogonSessions>",
        );
        assert_eq!(
            read[0].1,
            "<LogonSession a:b:c=\"1\"><UserName>u</UserName></LogonSession>"
        );
        // Attribute values: references resolved, tab, CR LF, CR and LF each one space;
        // text: CR LF and CR become LF.
        let read = sessions(
            "<LogonSession Href='a&#10;b\r\nc\td&lt;&amp;&gt;&quot;&apos;&#x1F600;' Type=\"x\ry\"><UserName>a\r\nb\rc &#x21;<![CDATA[&lt;]]></UserName></LogonSession>",
        );
        assert_eq!(read[0].0.href.as_deref(), Some("a\nb c d<&>\"'😀"));
        assert_eq!(read[0].0.kind.as_deref(), Some("x y"));
        assert_eq!(read[0].0.user_name.as_deref(), Some("a\nb\nc !&lt;"));
        // A prefix is what comes before the first colon.
        let root = |text| match parse(text, "E") {
            Err(DecodeError::Unrecognised { found, .. }) => found,
            _ => panic!("{text}"),
        };
        assert!(root("<v:a:b/>").ends_with("<a:b>"));
        assert!(root("< x/>").ends_with("<>"));
        // Broken documents, with where.
        for (text, message) in [
            (
                "<LogonSession></Other>",
                "line 1, column 15: an end tag does not match",
            ),
            (
                "<LogonSession>\n</LogonSession></LogonSession>",
                "line 2, column 16",
            ),
            (
                "<LogonSession>a & b</LogonSession>",
                "an & that starts no reference",
            ),
            (
                "<LogonSession>&#0;</LogonSession>",
                "the entity &#0; is not allowed",
            ),
            (
                "<LogonSession><!-- x</LogonSession>",
                "a comment is not closed",
            ),
            (
                "<LogonSession a=\"1\" a=\"2\"/>",
                "the attribute a is repeated",
            ),
            ("<LogonSession a=1/>", "the value of a is not quoted"),
            ("<LogonSession a/>", "the attribute a has no value"),
            (
                "<LogonSession a=\"&foo;\"/>",
                "the entity &foo; is not allowed",
            ),
            ("<LogonSession a=\"x", "a tag is not closed"),
            ("<!foo><LogonSession/>", "unknown markup"),
        ] {
            let got = broken(text);
            assert!(got.contains(message), "{text}: {got}");
        }
        // A DOCTYPE in any case is refused before it is read.
        for text in [
            "<!doctype x [<!ENTITY a \"b\">]><LogonSession/>",
            "<!DOCTYPE",
        ] {
            assert!(matches!(
                parse(text, "E"),
                Err(DecodeError::Unsupported { .. })
            ));
        }
    }
}
