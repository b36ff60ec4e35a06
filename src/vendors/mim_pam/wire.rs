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
    pub message: Option<ODataMessage>,
}

/// v3 writes `{"lang", "value"}`; v4 writes a plain string.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum ODataMessage {
    Text(String),
    Localised { value: Option<String> },
}
