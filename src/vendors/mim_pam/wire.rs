//! MIM PAM payloads exactly as sent: OData envelopes with PascalCase properties.

use serde::Deserialize;
use serde_json::value::RawValue;

/// `{"odata.metadata": "…", "value": [ … ]}`.
#[derive(Deserialize)]
pub struct Envelope<'a> {
    #[serde(rename = "odata.metadata")]
    pub metadata: Option<String>,
    #[serde(borrow)]
    pub value: Vec<&'a RawValue>,
}

/// A PAM session object.
#[derive(Deserialize)]
pub struct SessionInfo {
    #[serde(rename = "Username")]
    pub username: Option<String>,
}

/// OData v3 `{"odata.error": {…}}` or v4 `{"error": {…}}`.
#[derive(Deserialize)]
pub struct ErrorEnvelope {
    #[serde(rename = "odata.error")]
    pub v3: Option<ODataError>,
    #[serde(rename = "error")]
    pub v4: Option<ODataError>,
}

#[derive(Deserialize)]
pub struct ODataError {
    pub code: Option<String>,
    /// v3 writes `{"lang", "value"}` ([`Localised`]); v4 writes a plain string. Held raw and
    /// read in `convert.rs` (no untagged enum: it would buffer through serde's `Content`).
    pub message: Option<Box<RawValue>>,
}

/// v3's error message: `{"lang", "value"}`.
#[derive(Deserialize)]
pub struct Localised {
    pub value: Option<String>,
}

/// A PAM request (`GET /api/pamresources/pamrequests`): one elevation to a role. Microsoft's
/// property table spells `RequestID` and `RoleID`; its examples (and servers) write `RequestId`
/// and `RoleId`: both are read.
#[derive(Debug, Default, Deserialize)]
pub struct PamRequest {
    #[serde(rename = "RequestId", alias = "RequestID")]
    pub request_id: Option<String>,
    #[serde(rename = "CreatorID", alias = "CreatorId")]
    pub creator_id: Option<String>,
    #[serde(rename = "Justification")]
    pub justification: Option<String>,
    #[serde(rename = "CreationTime")]
    pub creation_time: Option<String>,
    #[serde(rename = "CreationMethod")]
    pub creation_method: Option<String>,
    /// `0001-01-01T00:00:00` (.NET "not set") while the request is pending or active.
    #[serde(rename = "ExpirationTime")]
    pub expiration_time: Option<String>,
    #[serde(rename = "RoleId", alias = "RoleID")]
    pub role_id: Option<String>,
    /// Seconds, as a string in Microsoft's examples, or a number; held raw (read by
    /// `convert::ttl_words`).
    #[serde(rename = "RequestedTTL")]
    pub requested_ttl: Option<Box<RawValue>>,
    #[serde(rename = "RequestedTime")]
    pub requested_time: Option<String>,
    #[serde(rename = "RequestStatus")]
    pub request_status: Option<String>,
}

/// A PAM role (`GET /api/pamresources/pamroles`), as far as the viewer uses it.
#[derive(Debug, Default, Deserialize)]
pub struct PamRole {
    #[serde(rename = "RoleId", alias = "RoleID")]
    pub role_id: Option<String>,
    #[serde(rename = "DisplayName")]
    pub display_name: Option<String>,
}

/// The key that tells a one-request answer (`pamrequests/@Element`) from an envelope.
pub const REQUEST_ID: &str = "RequestId";
/// The envelope's list key.
pub const VALUE: &str = "value";
