//! The five simulated vendors: which prefix routes to which, and each one's error body.
//!
//! Every vendor module has the same shape: a state built from the [`Config`](crate::Config) (its
//! generated dataset plus its token store), `handle(app, req)` for its routes and
//! `error(req, status, message)` for its own error body format, so faults and the shared
//! front door can answer "as that vendor".

use axum::http::StatusCode;
use axum::response::Response;

use crate::http::Req;
use crate::App;

pub mod aws;
pub mod ekran;
pub mod em;
pub mod m365;
pub mod pam;
pub mod shared;

/// A vendor, named by its path prefix below `/vendors/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vendor {
    Em,
    Aws,
    M365,
    Pam,
    Ekran,
}

impl Vendor {
    pub fn from_prefix(s: &str) -> Option<Vendor> {
        Some(match s {
            "em" => Vendor::Em,
            "aws" => Vendor::Aws,
            "m365" => Vendor::M365,
            "pam" => Vendor::Pam,
            "ekran" => Vendor::Ekran,
            _ => return None,
        })
    }

    pub fn handle(self, app: &App, req: &Req) -> Response {
        match self {
            Vendor::Em => em::handle(app, req),
            Vendor::Aws => aws::handle(app, req),
            Vendor::M365 => m365::handle(app, req),
            Vendor::Pam => pam::handle(app, req),
            Vendor::Ekran => ekran::handle(app, req),
        }
    }

    /// This vendor's error response for `status` (used by faults and the front door).
    pub fn error(self, req: &Req, status: StatusCode, message: &str) -> Response {
        match self {
            Vendor::Em => em::error(req, status, message),
            Vendor::Aws => aws::error(req, status, message),
            Vendor::M365 => m365::error(status, message),
            Vendor::Pam => pam::error(status, message),
            Vendor::Ekran => ekran::error(req, status, message),
        }
    }
}

/// A generic message for a status, for injected errors that have no cause of their own.
pub fn default_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "The request is invalid.",
        401 => "Authentication is required.",
        403 => "Access is denied.",
        404 => "The requested resource was not found.",
        405 => "The requested method is not supported for this resource.",
        408 => "The request timed out.",
        429 => "Too many requests.",
        500 => "An internal server error occurred.",
        502 => "Bad gateway.",
        503 => "The service is unavailable.",
        504 => "Gateway timeout.",
        _ => "Simulated error.",
    }
}

/// Shared status → code words for vendors whose bodies carry a code next to the status.
pub fn code_word(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        408 => "RequestTimeout",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        503 => "ServiceUnavailable",
        _ => "Error",
    }
}

/// Case-insensitive segment comparison: the Windows-hosted APIs route case-insensitively.
pub fn seg_is(seg: Option<&&str>, name: &str) -> bool {
    seg.is_some_and(|s| s.eq_ignore_ascii_case(name))
}
