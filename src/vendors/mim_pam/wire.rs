//! MIM PAM payloads exactly as sent: OData envelopes with PascalCase properties.

use serde_json::value::RawValue;

use crate::vendors::{DecodeError, Fields, ItemError};

/// `{"odata.metadata": "…", "value": [ … ]}`.
pub struct Envelope<'a> {
    pub metadata: Option<String>,
    pub value: Vec<&'a RawValue>,
}

impl<'a> Envelope<'a> {
    pub fn read(text: &'a str, expected: &str) -> Result<Self, DecodeError> {
        let f = Fields::document(text, expected)?;
        Ok(Envelope {
            metadata: f.field("odata.metadata", expected)?,
            value: f.items("value", expected)?,
        })
    }
}

/// A PAM session object.
pub struct SessionInfo {
    pub username: Option<String>,
}

impl SessionInfo {
    pub fn read(raw: &RawValue) -> Result<Self, ItemError> {
        Ok(SessionInfo {
            username: Fields::read(raw)?.text("Username")?,
        })
    }
}

/// OData v3 `{"odata.error": {…}}` or v4 `{"error": {…}}`.
pub struct ErrorEnvelope<'a> {
    pub v3: Option<ODataError<'a>>,
    pub v4: Option<ODataError<'a>>,
}

pub struct ODataError<'a> {
    pub code: Option<String>,
    /// v3 writes `{"lang", "value"}` ([`Localised`]); v4 writes a plain string. Held raw and
    /// read in `convert.rs` (no untagged enum: it would buffer through serde's `Content`).
    pub message: Option<&'a RawValue>,
}

impl<'a> ErrorEnvelope<'a> {
    /// `None` when the body is not an object or a field has the wrong type.
    pub fn read(text: &'a str) -> Option<Self> {
        let f = Fields::parse(text).ok()?;
        let error = |name| -> Option<Option<ODataError<'a>>> {
            match f.object(name).ok()? {
                None => Some(None),
                Some(e) => Some(Some(ODataError {
                    code: e.text("code").ok()?,
                    message: e.raw("message"),
                })),
            }
        };
        Some(ErrorEnvelope {
            v3: error("odata.error")?,
            v4: error("error")?,
        })
    }
}

/// v3's error message: `{"lang", "value"}`.
pub struct Localised {
    pub value: Option<String>,
}

impl Localised {
    /// `None` when it is not an object or `value` is not text.
    pub fn read(raw: &RawValue) -> Option<Self> {
        Some(Localised {
            value: Fields::read(raw).ok()?.text("value").ok()?,
        })
    }
}

/// A PAM request (`GET /api/pamresources/pamrequests`): one elevation to a role. Microsoft's
/// property table spells `RequestID` and `RoleID`; its examples (and servers) write `RequestId`
/// and `RoleId`: both are read.
#[derive(Debug, Default)]
pub struct PamRequest<'a> {
    pub request_id: Option<String>,
    pub creator_id: Option<String>,
    pub justification: Option<String>,
    pub creation_time: Option<String>,
    pub creation_method: Option<String>,
    /// `0001-01-01T00:00:00` (.NET "not set") while the request is pending or active.
    pub expiration_time: Option<String>,
    pub role_id: Option<String>,
    /// Seconds, as a string in Microsoft's examples, or a number; held raw (read by
    /// `convert::ttl_words`).
    pub requested_ttl: Option<&'a RawValue>,
    pub requested_time: Option<String>,
    pub request_status: Option<String>,
}

impl<'a> PamRequest<'a> {
    pub fn read(raw: &'a RawValue) -> Result<Self, ItemError> {
        let f = Fields::read(raw)?;
        Ok(PamRequest {
            request_id: either(&f, "RequestId", "RequestID")?,
            creator_id: either(&f, "CreatorID", "CreatorId")?,
            justification: f.text("Justification")?,
            creation_time: f.text("CreationTime")?,
            creation_method: f.text("CreationMethod")?,
            expiration_time: f.text("ExpirationTime")?,
            role_id: either(&f, "RoleId", "RoleID")?,
            requested_ttl: f.raw("RequestedTTL"),
            requested_time: f.text("RequestedTime")?,
            request_status: f.text("RequestStatus")?,
        })
    }
}

/// A PAM role (`GET /api/pamresources/pamroles`), as far as the viewer uses it.
#[derive(Debug, Default)]
pub struct PamRole {
    pub role_id: Option<String>,
    pub display_name: Option<String>,
}

impl PamRole {
    pub fn read(raw: &RawValue) -> Result<Self, ItemError> {
        let f = Fields::read(raw)?;
        Ok(PamRole {
            role_id: either(&f, "RoleId", "RoleID")?,
            display_name: f.text("DisplayName")?,
        })
    }
}

/// A text field under either of its spellings (the first if both are sent).
fn either(f: &Fields, name: &str, alias: &str) -> Result<Option<String>, ItemError> {
    match f.text(name)? {
        Some(text) => Ok(Some(text)),
        None => f.text(alias),
    }
}

/// The key that tells a one-request answer (`pamrequests/@Element`) from an envelope.
pub const REQUEST_ID: &str = "RequestId";
/// The envelope's list key.
pub const VALUE: &str = "value";
