//! What a connection holds once the user is signed in, and how it authorises a request. Lives
//! in memory only (and in `sessionStorage` for a connection the user asked to keep, see
//! [`super::keep`]); redacted in `Debug`.

/// A connection's credentials.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// Enterprise Manager's `X-RestSvcSessionId` token.
    RestSession {
        token: String,
        /// The logon session's own id (a GUID, not the token), for logging off.
        session_id: Option<String>,
    },
    /// A pasted bearer token.
    Bearer(String),
    /// A token grant (VBA, M365): the access token, the refresh token where the server gives one,
    /// and when the access token expires (milliseconds since the epoch, by the browser's clock).
    Grant {
        access: String,
        refresh: Option<String>,
        expires_at_ms: Option<i64>,
    },
    /// Nothing to add: the browser's credentials or a proxy authenticate.
    Ambient,
}

/// Redacted, so that a stray `{:?}` can never print a secret.
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Credentials::RestSession { .. } => "RestSession(…)",
            Credentials::Bearer(_) => "Bearer(…)",
            Credentials::Grant { .. } => "Grant(…)",
            Credentials::Ambient => "Ambient",
        })
    }
}

/// Access tokens are refreshed this long before they expire.
pub const REFRESH_MARGIN_MS: i64 = 60_000;

impl Credentials {
    /// Adds the header these credentials are sent in: EM's session token header, or a bearer
    /// `Authorization`; nothing for ambient credentials.
    pub fn authorize(&self, headers: &mut Vec<(&'static str, String)>) {
        match self {
            Credentials::RestSession { token, .. } => {
                headers.push(("X-RestSvcSessionId", token.clone()))
            }
            Credentials::Bearer(t) | Credentials::Grant { access: t, .. } => {
                headers.push(("Authorization", format!("Bearer {t}")))
            }
            Credentials::Ambient => {}
        }
    }

    /// The refresh token of a grant that has one.
    pub fn refresh_token(&self) -> Option<&str> {
        match self {
            Credentials::Grant {
                refresh: Some(token),
                ..
            } => Some(token),
            _ => None,
        }
    }

    /// Whether a grant's access token expires within [`REFRESH_MARGIN_MS`] of `now_ms`.
    pub fn expires_soon(&self, now_ms: i64) -> bool {
        match self {
            Credentials::Grant {
                expires_at_ms: Some(at),
                ..
            } => at.saturating_sub(now_ms) < REFRESH_MARGIN_MS,
            _ => false,
        }
    }
}
