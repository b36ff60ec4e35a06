//! What went wrong with a request, in words a user can act on: the HTTP status and the vendor's
//! own error body, read into one error type. Pure, so that every mapping is tested natively.

use std::fmt;

use crate::vendors::Kind;

/// The kinds of failure, by what the user can do about them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Occurs on 401: wrong credentials, or a token that expired. Log on again.
    Unauthenticated,
    /// Occurs on 403: the account may not do this.
    PermissionDenied,
    /// Occurs on 404: a wrong base URL or id.
    NotFound,
    /// Occurs on 429 (and 503 with a busy body): too many requests.
    RateLimited,
    /// Occurs on 408 and 504, and when no answer comes within the app's own time limit.
    Timeout,
    /// Occurs on other 5xx: the server failed.
    Server,
    /// Occurs when the server cannot be reached at all.
    Network,
    /// Occurs when the browser refuses a cross-origin request (no CORS for this origin).
    Blocked,
    /// Occurs when the answer began but the connection closed before its body was complete.
    Cut,
    /// Occurs when a 2xx response cannot be read.
    Decode,
    /// Occurs when an answer is larger than the app reads (`import::MAX_BYTES`).
    TooLarge,
    /// Occurs when the user (or a view going away) stopped the request.
    Cancelled,
    /// Occurs on any other status.
    Other,
}

/// A failed request: its kind, status, the vendor's own words and the raw body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpError {
    pub kind: ErrorKind,
    pub status: Option<u16>,
    /// What the vendor's error body says (problem+json title/details, EM Message, OData message).
    pub vendor_message: Option<String>,
    /// The response body as received, for "show details" (cut to 64 KB).
    pub raw: Option<String>,
    /// The server's `Retry-After`, in seconds.
    pub retry_after_s: Option<u32>,
    /// The vendor's machine-readable code (VBA's `errorCode`, an OData code), where it gives one.
    pub code: Option<String>,
    /// The app's own time limit, in seconds, when that is what stopped the request.
    pub limit_s: Option<u32>,
}

/// Raw bodies kept for "show details" are cut to this many bytes.
const RAW_LIMIT: usize = 64 * 1024;

/// Reads a non-2xx response.
pub fn classify(kind: Kind, status: u16, body: &str) -> HttpError {
    let error_kind = match status {
        401 => ErrorKind::Unauthenticated,
        403 => ErrorKind::PermissionDenied,
        404 | 410 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited,
        408 | 504 => ErrorKind::Timeout,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::Other,
    };
    HttpError {
        kind: error_kind,
        status: Some(status),
        vendor_message: vendor_message(kind, body),
        raw: raw(body),
        retry_after_s: None,
        code: vendor_code(kind, body),
        limit_s: None,
    }
}

/// An error without a response: the network, the browser, or the app's own timeout.
pub fn without_response(kind: ErrorKind) -> HttpError {
    HttpError {
        kind,
        status: None,
        vendor_message: None,
        raw: None,
        retry_after_s: None,
        code: None,
        limit_s: None,
    }
}

/// The app's own time limit of `limit_s` seconds passed without a complete answer.
pub fn timed_out(limit_s: u32) -> HttpError {
    HttpError {
        limit_s: Some(limit_s),
        ..without_response(ErrorKind::Timeout)
    }
}

/// A 2xx response whose body could not be read.
pub fn undecodable(status: u16, why: String, body: &str) -> HttpError {
    HttpError {
        kind: ErrorKind::Decode,
        status: Some(status),
        vendor_message: Some(why),
        raw: raw(body),
        retry_after_s: None,
        code: None,
        limit_s: None,
    }
}

fn raw(body: &str) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    let cut = (0..=RAW_LIMIT.min(body.len()))
        .rev()
        .find(|i| body.is_char_boundary(*i))
        .unwrap_or(0);
    Some(body.get(..cut).unwrap_or_default().to_string())
}

/// The vendor's own sentence in an error body, whatever its format.
fn vendor_message(kind: Kind, body: &str) -> Option<String> {
    (kind.vendor().error_body)(body)
        .map(|e| e.to_string())
        .or_else(|| generic_message(body))
}

/// The vendor's error code, where its error format has one.
fn vendor_code(kind: Kind, body: &str) -> Option<String> {
    (kind.vendor().error_body)(body)
        .and_then(|e| e.code)
        .filter(|c| !c.is_empty())
}

/// `{"message"}` (M365, Ekran), OAuth's `{"error", "error_description"}`, or a `title`.
fn generic_message(body: &str) -> Option<String> {
    // Read by field, without a serde derive (each costs the bundle its visitor); a field of
    // the wrong type means this is not such a body.
    let read = || -> Result<Option<String>, crate::vendors::ItemError> {
        let f = crate::vendors::Fields::parse(body)?;
        let description = match f.text("error_description")? {
            Some(d) => Some(d),
            None => f.text("Message")?,
        };
        let (message, title) = (f.text("message")?, f.text("title")?);
        // A string (OAuth) or an object (OData v4, handled by the vendor's reader).
        let error = f
            .raw("error")
            .and_then(|e| serde_json::from_str::<String>(e.get()).ok());
        Ok(description.or(message).or(title).or(error))
    };
    read().ok().flatten().filter(|m| !m.trim().is_empty())
}

impl HttpError {
    /// One or two sentences for the user: what happened, and what to do.
    pub fn sentence(&self, product: &str) -> String {
        let what = match self.kind {
            ErrorKind::Unauthenticated => "The server did not accept the credentials (wrong user name or password, or the session expired). Log on again.".to_string(),
            ErrorKind::PermissionDenied => "This account has no permission for that.".to_string(),
            ErrorKind::NotFound => "The server has no such resource: check the connection's base URL.".to_string(),
            ErrorKind::RateLimited => "The server is busy (too many requests). Wait a moment and try again.".to_string(),
            ErrorKind::Timeout => match (self.limit_s, self.status) {
                (Some(s), _) => format!("{product} sent no complete answer within {s} s, so the request was stopped (timed out). Try again; if it keeps happening, the server is overloaded or a proxy holds the connection."),
                (None, Some(s)) => format!("The server did not answer in time (HTTP {s}: timed out)."),
                (None, None) => "The server did not answer in time.".to_string(),
            },
            ErrorKind::Server => match self.status {
                Some(503) => "The server is unavailable at the moment.".to_string(),
                Some(s) => format!("The server failed (HTTP {s})."),
                None => "The server failed.".to_string(),
            },
            ErrorKind::Network => format!("{product} could not be reached (the server is down, or the address is wrong)."),
            ErrorKind::Blocked => format!("The browser blocked a cross-origin call: {product} sends no CORS headers that allow this page's origin. \
                Serve the app and the API from one origin through a reverse proxy (README: “Deploying behind a reverse proxy”)."),
            ErrorKind::Cut => "The server's answer was cut off: the connection closed before the whole response arrived. Try again.".to_string(),
            ErrorKind::Decode => "The server sent something unreadable".to_string(),
            ErrorKind::TooLarge => "The answer is over 128 MB, more than the viewer reads: narrow the time range.".to_string(),
            ErrorKind::Cancelled => "Stopped.".to_string(),
            ErrorKind::Other => format!("The server answered HTTP {}.", self.status.unwrap_or(0)),
        };
        match (&self.vendor_message, self.kind) {
            // The reader's own finding, not the vendor's words.
            (Some(m), ErrorKind::Decode) => format!("{what}: {m}"),
            (None, ErrorKind::Decode) => format!("{what}."),
            (Some(m), _) => format!("{what} {product} says: “{m}”"),
            (None, _) => what,
        }
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sentence("The server"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_kinds() {
        for (status, kind) in [
            (401, ErrorKind::Unauthenticated),
            (403, ErrorKind::PermissionDenied),
            (404, ErrorKind::NotFound),
            (408, ErrorKind::Timeout),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::Server),
            (502, ErrorKind::Server),
            (503, ErrorKind::Server),
            (504, ErrorKind::Timeout),
            (418, ErrorKind::Other),
        ] {
            assert_eq!(classify(Kind::Ekran, status, "").kind, kind, "{status}");
        }
    }

    #[test]
    fn each_vendors_error_body_is_quoted() {
        let aws = classify(
            Kind::VeeamAws,
            401,
            r#"{"type":"t","title":"Access token has expired.","status":401,"errorCode":"ExpiredToken"}"#,
        );
        assert_eq!(
            aws.vendor_message.as_deref(),
            Some("Access token has expired. (ExpiredToken)")
        );
        assert!(aws.sentence("Veeam Backup for AWS").contains(
            "Log on again. Veeam Backup for AWS says: “Access token has expired. (ExpiredToken)”"
        ));
        let em = classify(
            Kind::VeeamEm,
            401,
            r#"<Error xmlns="http://www.veeam.com/ent/v1.0" Message="Session is expired" StatusCode="401"/>"#,
        );
        assert_eq!(em.vendor_message.as_deref(), Some("Session is expired"));
        let pam = classify(
            Kind::MimPam,
            403,
            r#"{"odata.error":{"code":"","message":{"lang":"en-US","value":"Access is denied."}}}"#,
        );
        assert_eq!(pam.vendor_message.as_deref(), Some("Access is denied."));
        let m365 = classify(
            Kind::VeeamM365,
            429,
            r#"{"error":"too_many_requests","error_description":"Too many token requests"}"#,
        );
        assert_eq!(
            m365.vendor_message.as_deref(),
            Some("Too many token requests")
        );
        let ekran = classify(
            Kind::Ekran,
            500,
            r#"{"timestamp":"x","status":500,"error":"Internal Server Error","message":"boom","path":"/x"}"#,
        );
        assert_eq!(ekran.vendor_message.as_deref(), Some("boom"));
        let html = classify(Kind::Ekran, 502, "<html>Bad gateway</html>");
        assert_eq!(
            (html.vendor_message, html.raw.as_deref()),
            (None, Some("<html>Bad gateway</html>"))
        );
        assert_eq!(
            classify(Kind::Ekran, 503, "").sentence("Ekran System"),
            "The server is unavailable at the moment."
        );
    }

    #[test]
    fn timeouts_cut_bodies_and_unreadable_answers_are_told_apart() {
        assert_eq!(
            timed_out(2).sentence("Ekran System"),
            "Ekran System sent no complete answer within 2 s, so the request was stopped (timed out). \
             Try again; if it keeps happening, the server is overloaded or a proxy holds the connection."
        );
        assert_eq!(
            classify(Kind::Ekran, 408, "").sentence("Ekran System"),
            "The server did not answer in time (HTTP 408: timed out)."
        );
        assert!(without_response(ErrorKind::Cut)
            .sentence("x")
            .starts_with("The server's answer was cut off"));
        assert_eq!(
            undecodable(200, "expected `:` at line 1 column 5".into(), "{\"a\"=1}")
                .sentence("Ekran System"),
            "The server sent something unreadable: expected `:` at line 1 column 5",
            "the reader's finding is not put in the vendor's mouth"
        );
    }

    #[test]
    fn raw_bodies_are_cut_on_a_character_boundary() {
        let body = "é".repeat(RAW_LIMIT);
        let kept = classify(Kind::Ekran, 500, &body).raw.unwrap_or_default();
        assert!(kept.len() <= RAW_LIMIT && kept.len() >= RAW_LIMIT - 1);
    }

    #[test]
    fn blocked_points_to_the_proxy_section() {
        let s = without_response(ErrorKind::Blocked).sentence("Ekran System");
        assert!(
            s.starts_with("The browser blocked a cross-origin call: Ekran System sends no CORS")
        );
        assert!(s.contains("README: “Deploying behind a reverse proxy”"));
        assert!(without_response(ErrorKind::Network)
            .sentence("Ekran System")
            .starts_with("Ekran System could not be reached"));
    }
}
