//! A failed live action, kept typed until it is drawn: the HTTP error with its kind and the
//! server's response, or what the app itself refused, and the sentence for each.

use std::fmt;

use crate::http::HttpError;
use crate::vendors::contract::{RequestError, SignInError};

/// Why a live action failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Occurs when a request to `product` failed (status, vendor error body, network, time
    /// limit, an unreadable answer).
    Http {
        product: &'static str,
        error: HttpError,
    },
    /// Occurs when the log-off request failed after the credentials were forgotten here.
    LogOff {
        product: &'static str,
        error: HttpError,
    },
    /// Occurs when a grant could not be renewed; the user must log on again.
    Renewal(Box<Failure>),
    /// Occurs when the server accepted a log-on but its answer held no credentials.
    SignIn(SignInError),
    /// Occurs when a request could not be built from what the user asked for.
    Request(RequestError),
    /// Occurs when the connection was removed meanwhile.
    NotConfigured,
    /// Occurs when a request needs credentials and nobody is signed in.
    LogOnFirst,
    /// Occurs when a password log-on is asked of a vendor that has none.
    NoPasswordLogOn { product: &'static str },
    /// Occurs when the token field was empty.
    NoToken,
    /// Occurs when the one-time code field was empty.
    NoCode,
    /// Occurs when the server refuses the API version the log-on was sent with: the
    /// connection's own, or (`automatic`) the oldest the app knows after every newer one.
    VersionRefused {
        product: &'static str,
        version: String,
        automatic: bool,
        error: Box<HttpError>,
    },
    /// Occurs when a log is asked of a vendor whose sessions have none.
    NoLog { product: &'static str },
    /// Occurs when a log to refresh was not fetched from a connection.
    NotLive,
}

impl Failure {
    /// The server's response, for "show the server's response".
    pub fn raw(&self) -> Option<&str> {
        match self {
            Failure::Http { error, .. } | Failure::LogOff { error, .. } => error.raw.as_deref(),
            Failure::VersionRefused { error, .. } => error.raw.as_deref(),
            Failure::Renewal(cause) => cause.raw(),
            _ => None,
        }
    }

    /// The HTTP status of a failed request, where it had one (to choose a fallback by).
    pub fn status(&self) -> Option<u16> {
        match self {
            Failure::Http { error, .. } => error.status,
            _ => None,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Http { product, error } => f.write_str(&error.sentence(product)),
            Failure::LogOff { product, error } => write!(
                f,
                "Signed out here, but the server did not confirm the log-off: {}",
                error.sentence(product)
            ),
            Failure::Renewal(cause) => write!(
                f,
                "The session expired and could not be renewed; log on again. ({cause})"
            ),
            Failure::SignIn(e) => write!(f, "{e}"),
            Failure::Request(e) => write!(f, "{e}"),
            Failure::NotConfigured => f.write_str("This connection is no longer configured."),
            Failure::LogOnFirst => f.write_str("Log on first."),
            Failure::NoPasswordLogOn { product } => write!(f, "{product} has no password log-on."),
            Failure::NoToken => f.write_str("Paste a token first."),
            Failure::NoCode => f.write_str("Enter the one-time code first."),
            Failure::VersionRefused {
                product,
                version,
                automatic: false,
                error,
            } => write!(
                f,
                "{product} does not serve API version {version} ({}). Leave the connection's API version empty to find one automatically, or name one this server serves.",
                error.vendor_message.as_deref().unwrap_or("refused")
            ),
            Failure::VersionRefused {
                product,
                version,
                automatic: true,
                error,
            } => write!(
                f,
                "{product} serves none of the API versions this app knows, down to {version} ({}).",
                error.vendor_message.as_deref().unwrap_or("refused")
            ),
            Failure::NoLog { product } => write!(f, "{product} sessions have no log to open."),
            Failure::NotLive => f.write_str("This log was not fetched from a connection."),
        }
    }
}

impl From<RequestError> for Failure {
    fn from(e: RequestError) -> Self {
        Failure::Request(e)
    }
}

impl From<SignInError> for Failure {
    fn from(e: SignInError) -> Self {
        Failure::SignIn(e)
    }
}
