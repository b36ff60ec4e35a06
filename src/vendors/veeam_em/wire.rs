//! Enterprise Manager payloads exactly as sent. JSON uses the XML names in PascalCase, with
//! `null` for absent attributes; `xml.rs` reads the XML form into these same types.

use serde::Deserialize;
use serde_json::value::RawValue;

/// A `LogonSession`.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct LogonSession {
    pub user_name: Option<String>,
    pub session_id: Option<String>,
    pub href: Option<String>,
    #[serde(rename = "Type")]
    pub kind: Option<String>,
    pub links: Option<Vec<Link>>,
}

/// A `Link` of a `LogonSession`: the resources the account may reach.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Link {
    pub rel: Option<String>,
    #[serde(rename = "Type")]
    pub kind: Option<String>,
    pub href: Option<String>,
    pub name: Option<String>,
}

/// The JSON list form `{"LogonSessions": [ … ]}` (inferred from the XML `<LogonSessions>`).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LogonSessionList<'a> {
    #[serde(borrow)]
    pub logon_sessions: Vec<&'a RawValue>,
}

/// The error body: `{"Message", "StatusCode", …}` in JSON, an `Error` element in XML.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Error {
    pub message: Option<String>,
    pub status_code: Option<u16>,
}
