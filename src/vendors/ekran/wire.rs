//! Ekran System payloads exactly as sent (camelCase JSON). Every field is optional here.

use std::borrow::Cow;

use serde_json::value::RawValue;

use crate::vendors::{DecodeError, Fields, ItemError};

/// The paged POST variant: `{"sessions": […]}` (other envelope fields are ignored).
pub struct Page<'a> {
    pub sessions: Vec<&'a RawValue>,
    pub total_count: Option<u64>,
}

impl<'a> Page<'a> {
    pub fn read(text: &'a str, expected: &str) -> Result<Self, DecodeError> {
        let f = Fields::document(text, expected)?;
        Ok(Page {
            sessions: f.items("sessions", expected)?,
            total_count: f.field("totalCount", expected)?,
        })
    }
}

/// A session. Times and the duration are borrowed from the text: they are parsed, not kept.
pub struct Session<'a> {
    /// Opaque: the vendor's own sample is not valid hex.
    pub client_guid: Option<String>,
    pub login_date: Option<Cow<'a, str>>,
    /// Missing or null while the session is open (inferred: no vendor page says so).
    pub logout_date: Option<Cow<'a, str>>,
    pub session_id: Option<i64>,
    pub user_id: Option<i64>,
    /// The POST variant's duration, a .NET TimeSpan `[d.]hh:mm:ss[.fffffff]` (field name inferred).
    pub duration: Option<Cow<'a, str>>,
}

impl<'a> Session<'a> {
    pub fn read(raw: &'a RawValue) -> Result<Self, ItemError> {
        Self::of(&Fields::read(raw)?)
    }

    /// A session from its fields, however they were read.
    pub fn of(f: &Fields<'a>) -> Result<Self, ItemError> {
        Ok(Session {
            client_guid: f.text("clientGuid")?,
            login_date: f.str("loginDate")?,
            logout_date: f.str("logoutDate")?,
            session_id: f.int("sessionId")?,
            user_id: f.int("userId")?,
            duration: f.str("duration")?,
        })
    }
}
