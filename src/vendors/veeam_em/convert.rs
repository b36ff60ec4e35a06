//! Enterprise Manager wire types (from JSON or XML) → the normalised model.

use serde_json::value::RawValue;

use super::{wire, xml};
use crate::model::{Link, LogonSession, LogonSessions, Skipped};
use crate::vendors::{adapt_items, object_keys, wire_item, DecodeError, ItemError, VendorError};

pub const EXPECTED: &str = "a Veeam Backup Enterprise Manager logon session (<LogonSession xmlns=\"http://www.veeam.com/ent/v1.0\"> or {\"UserName\", \"SessionId\", \"Links\"})";

/// Reads a `LogonSession` or a `LogonSessions` list, in XML or JSON. A session without a user
/// name is skipped and reported; a link without an address is dropped.
pub fn logon_sessions(text: &str) -> Result<LogonSessions, DecodeError> {
    if text.trim_start().starts_with('<') {
        let xml::Document::Sessions(items) = xml::parse(text, EXPECTED)? else {
            return Err(DecodeError::Unrecognised {
                expected: EXPECTED.to_string(),
                found: "an Enterprise Manager error response".to_string(),
            });
        };
        let mut sessions = Vec::with_capacity(items.len());
        let mut skipped = Vec::new();
        for (index, (session, source)) in items.into_iter().enumerate() {
            match convert(session) {
                Ok(s) => sessions.push(s),
                Err(reason) => skipped.push(Skipped {
                    index,
                    reason: format!("{reason}: {}", crate::format::clip(&source, 200).0),
                }),
            }
        }
        return Ok(LogonSessions { sessions, skipped });
    }
    let items: Vec<&RawValue> = if text.trim_start().starts_with('[') {
        serde_json::from_str(text).map_err(|e| DecodeError::from_json(&e, EXPECTED))?
    } else if object_keys(text, EXPECTED)?.contains_key("LogonSessions") {
        let list: wire::LogonSessionList<'_> =
            serde_json::from_str(text).map_err(|e| DecodeError::from_json(&e, EXPECTED))?;
        list.logon_sessions
    } else {
        vec![serde_json::from_str(text).map_err(|e| DecodeError::from_json(&e, EXPECTED))?]
    };
    let (sessions, skipped) = adapt_items(&items, |_, raw| convert(wire_item(raw)?));
    Ok(LogonSessions { sessions, skipped })
}

/// Reads an Enterprise Manager error body, JSON or XML; `None` if it is not one.
pub fn error_body(text: &str) -> Option<VendorError> {
    let body = if text.trim_start().starts_with('<') {
        match xml::parse(text, EXPECTED).ok()? {
            xml::Document::Error(e) => e,
            xml::Document::Sessions(_) => return None,
        }
    } else {
        serde_json::from_str::<wire::Error>(text).ok()?
    };
    let message = body.message.filter(|m| !m.is_empty())?;
    Some(VendorError {
        status: body.status_code,
        code: None,
        title: message,
        detail: None,
    })
}

fn convert(session: wire::LogonSession) -> Result<LogonSession, ItemError> {
    let user = session
        .user_name
        .filter(|u| !u.trim().is_empty())
        .ok_or(ItemError::Missing("UserName"))?;
    let _ = session.kind;
    Ok(LogonSession {
        user,
        session_id: session.session_id.filter(|s| !s.is_empty()),
        href: session.href,
        links: session
            .links
            .unwrap_or_default()
            .into_iter()
            .filter_map(|l| {
                Some(Link {
                    href: l.href.filter(|h| !h.is_empty())?,
                    rel: l.rel.unwrap_or_default(),
                    kind: l.kind,
                    name: l.name,
                })
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vendor page's example (`shared/seeds/000_…`) is cut off after its root element; the
    /// sample completes it with the links an administrator's logon session has.
    const SEED_XML: &str = include_str!("../../../public/samples/veeam-em-logon-session.xml");
    const SEED_JSON: &str = include_str!("../../../public/samples/veeam-em-logon-session.json");

    fn read(text: &str) -> LogonSessions {
        match logon_sessions(text) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        }
    }

    fn err(text: &str) -> String {
        logon_sessions(text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    fn link(rel: &str, kind: &str, href: &str, name: Option<&str>) -> Link {
        Link {
            rel: rel.into(),
            kind: Some(kind.into()),
            href: href.into(),
            name: name.map(Into::into),
        }
    }

    fn seed_session() -> LogonSession {
        let id = "5496707f-c814-47ce-8d6d-110aa03cec03";
        let me = format!("https://localhost:9398/api/logonSessions/{id}");
        LogonSession {
            user: "ENTERPRISE04\\Administrator".into(),
            session_id: Some(id.into()),
            href: Some(me.clone()),
            links: vec![
                link(
                    "Up",
                    "EnterpriseManager",
                    "https://localhost:9398/api/",
                    None,
                ),
                link("Delete", "LogonSession", &me, None),
                link(
                    "Down",
                    "BackupServerReferenceList",
                    "https://localhost:9398/api/backupServers",
                    None,
                ),
                link(
                    "Down",
                    "JobReferenceList",
                    "https://localhost:9398/api/jobs",
                    None,
                ),
                link(
                    "Down",
                    "BackupJobSessionReferenceList",
                    "https://localhost:9398/api/backupSessions",
                    None,
                ),
                link(
                    "Down",
                    "RepositoryReferenceList",
                    "https://localhost:9398/api/repositories",
                    Some("Repositories"),
                ),
            ],
        }
    }

    #[test]
    fn seed_example_in_xml_and_json_every_field() {
        for text in [SEED_XML, SEED_JSON] {
            let read = read(text);
            assert!(read.skipped.is_empty());
            assert_eq!(read.sessions, [seed_session()]);
        }
        // The seed page's own opening tag, verbatim.
        let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/seeds/000_8382768c87b62e84.txt");
        if let Ok(page) = std::fs::read_to_string(page) {
            let open = "<LogonSession xmlns=\"http://www.veeam.com/ent/v1.0\" Type=\"LogonSession\" Href=\"https://localhost:9398/api/logonSessions/5496707f-c814-47ce-8d6d-110aa03cec03\">";
            assert!(page.contains(open) && SEED_XML.starts_with(open));
        }
    }

    #[test]
    fn lists_prefixes_and_extra_namespaces() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
            <v:LogonSessions xmlns:v="http://www.veeam.com/ent/v1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <v:LogonSession Href="h1" Type="LogonSession"><v:UserName>A\b &amp; c&#x21;</v:UserName><v:SessionId>1</v:SessionId></v:LogonSession>
              <v:LogonSession Href="h2"><v:SessionId>2</v:SessionId></v:LogonSession>
              <!-- a comment --><v:LogonSession><v:UserName><![CDATA[<cdata>]]></v:UserName><v:Links><v:Link Rel="Up"/></v:Links></v:LogonSession>
            </v:LogonSessions>"#;
        let read = read(xml);
        assert_eq!(read.sessions.len(), 2);
        assert_eq!(read.sessions[0].user, "A\\b & c!");
        assert_eq!(read.sessions[1].user, "<cdata>");
        assert_eq!(read.sessions[1].links, [], "a link without Href is dropped");
        assert_eq!(read.skipped.len(), 1);
        assert!(
            read.skipped[0]
                .reason
                .starts_with("no UserName: <v:LogonSession Href=\"h2\">"),
            "{}",
            read.skipped[0].reason
        );

        let json = r#"{"LogonSessions":[{"UserName":"x","SessionId":null,"Href":null,"Type":null,"Links":null},{"UserName":null}]}"#;
        let read = self::read(json);
        assert_eq!((read.sessions.len(), read.skipped.len()), (1, 1));
        assert_eq!(read.sessions[0].session_id, None);
    }

    #[test]
    fn hostile_xml_is_refused_not_expanded() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><LogonSession><UserName>&lol2;</UserName></LogonSession>"#;
        assert!(
            err(bomb).contains("document type declaration"),
            "{}",
            err(bomb)
        );
        let undeclared = "<LogonSession><UserName>&xxe;</UserName></LogonSession>";
        assert!(
            err(undeclared).contains("entity &xxe; is not allowed"),
            "{}",
            err(undeclared)
        );
        let truncated = &SEED_XML[..SEED_XML.len() / 2];
        assert!(err(truncated).contains("broken"), "{}", err(truncated));
        let deep = format!(
            "<LogonSession>{}{}</LogonSession>",
            "<a>".repeat(100),
            "</a>".repeat(100)
        );
        assert!(err(&deep).contains("nested too deeply"));
        assert!(err("<html><script>alert(1)</script></html>").contains("root is <html>"));
        assert!(err("<LogonSession><UserName>x</Wrong></LogonSession>").contains("broken"));
        assert!(
            err("<LogonSession Href=\"unterminated><UserName>x</UserName></LogonSession>")
                .contains("broken")
        );
        let script = read("<LogonSession><UserName>&lt;script&gt;alert(1)&lt;/script&gt;</UserName></LogonSession>");
        assert_eq!(
            script.sessions[0].user, "<script>alert(1)</script>",
            "kept as text"
        );
    }

    #[test]
    fn error_bodies_json_and_xml() {
        let json = r#"{"FirstChanceExceptionMessage":null,"StackTrace":null,"Message":"Session is expired","StatusCode":401}"#;
        let e = error_body(json);
        assert_eq!(
            e.map(|e| (e.title, e.status)),
            Some(("Session is expired".to_string(), Some(401)))
        );
        let xml_children = r#"<Error xmlns="http://www.veeam.com/ent/v1.0"><Message>Access denied</Message><StatusCode>403</StatusCode></Error>"#;
        assert_eq!(
            error_body(xml_children).map(|e| (e.title, e.status)),
            Some(("Access denied".to_string(), Some(403)))
        );
        let xml_attrs = r#"<Error xmlns="http://www.veeam.com/ent/v1.0" Message="Not found" StatusCode="404"/>"#;
        assert_eq!(
            error_body(xml_attrs).map(|e| (e.title, e.status)),
            Some(("Not found".to_string(), Some(404)))
        );
        assert_eq!(error_body(SEED_XML), None);
        assert_eq!(error_body(SEED_JSON), None);
        assert!(err(xml_children).contains("error response"));
    }
}
