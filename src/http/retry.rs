//! When a failed request is worth another try, and after how long: only reads (GETs and Ekran's
//! reading POST), only for failures that pass (408, 429, 502, 503, 504, an unreachable network),
//! with exponential backoff that honours the server's `Retry-After`.

use super::Method;
use super::{ErrorKind, HttpError};

/// Attempts in all, the first included.
pub const MAX_ATTEMPTS: u32 = 3;
/// The first pause; each later one doubles.
const BASE_DELAY_MS: u32 = 500;
/// No pause is longer than this, whatever `Retry-After` asks for: the user is waiting.
const MAX_DELAY_MS: u32 = 10_000;

/// The pause before attempt `attempts_made + 1`, or `None` to give up with `error`.
pub fn delay_before_retry(method: Method, attempts_made: u32, error: &HttpError) -> Option<u32> {
    if !matches!(method, Method::Get | Method::PostQuery) || attempts_made >= MAX_ATTEMPTS {
        return None;
    }
    let transient = match error.kind {
        ErrorKind::RateLimited | ErrorKind::Network | ErrorKind::Cut => true,
        // 408/504; not our own time limit, which already waited long.
        ErrorKind::Timeout => error.limit_s.is_none() && error.status.is_some(),
        ErrorKind::Server => matches!(error.status, Some(502..=504)),
        _ => false,
    };
    if !transient {
        return None;
    }
    let backoff = BASE_DELAY_MS.saturating_mul(1 << attempts_made.saturating_sub(1).min(8));
    let asked = error.retry_after_s.map(|s| s.saturating_mul(1000));
    Some(asked.unwrap_or(backoff).clamp(BASE_DELAY_MS, MAX_DELAY_MS))
}

/// `Retry-After` in seconds (the HTTP-date form is not used by these servers and is ignored).
pub fn parse_retry_after(value: &str) -> Option<u32> {
    value.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::error::{classify, without_response};
    use crate::vendors::Kind;

    fn status(s: u16) -> HttpError {
        classify(Kind::VeeamAws, s, "")
    }

    #[test]
    fn only_transient_failures_of_gets_are_retried() {
        for s in [408, 429, 502, 503, 504] {
            assert_eq!(
                delay_before_retry(Method::Get, 1, &status(s)),
                Some(500),
                "{s}"
            );
        }
        for s in [400, 401, 403, 404, 409, 500, 501] {
            assert_eq!(delay_before_retry(Method::Get, 1, &status(s)), None, "{s}");
        }
        assert_eq!(
            delay_before_retry(Method::Get, 1, &without_response(ErrorKind::Network)),
            Some(500)
        );
        assert_eq!(
            delay_before_retry(Method::Get, 1, &crate::http::error::timed_out(30)),
            None,
            "our own 30 s limit"
        );
        let stalled_body = HttpError {
            status: Some(200),
            ..crate::http::error::timed_out(30)
        };
        assert_eq!(
            delay_before_retry(Method::Get, 1, &stalled_body),
            None,
            "a body that stalls until our own limit"
        );
        assert_eq!(
            delay_before_retry(Method::Get, 1, &without_response(ErrorKind::Cut)),
            Some(500),
            "a cut-off body may come whole next time"
        );
        assert_eq!(
            delay_before_retry(Method::Get, 1, &without_response(ErrorKind::Cancelled)),
            None
        );
        assert_eq!(
            delay_before_retry(Method::Get, 1, &without_response(ErrorKind::Blocked)),
            None,
            "CORS will not pass"
        );
        assert_eq!(
            delay_before_retry(Method::Post, 1, &status(503)),
            None,
            "a log-on is never repeated"
        );
        assert_eq!(
            delay_before_retry(Method::PostQuery, 1, &status(503)),
            Some(500),
            "a POST that only reads is retried like a GET"
        );
        assert_eq!(delay_before_retry(Method::PostQuery, 1, &status(404)), None);
    }

    #[test]
    fn backoff_doubles_and_stops() {
        let e = status(503);
        assert_eq!(delay_before_retry(Method::Get, 1, &e), Some(500));
        assert_eq!(delay_before_retry(Method::Get, 2, &e), Some(1000));
        assert_eq!(delay_before_retry(Method::Get, MAX_ATTEMPTS, &e), None);
        assert_eq!(delay_before_retry(Method::Get, u32::MAX, &e), None);
    }

    #[test]
    fn retry_after_is_honoured_within_bounds() {
        let e = |s| HttpError {
            retry_after_s: Some(s),
            ..status(429)
        };
        assert_eq!(delay_before_retry(Method::Get, 1, &e(2)), Some(2000));
        assert_eq!(delay_before_retry(Method::Get, 1, &e(0)), Some(500));
        assert_eq!(delay_before_retry(Method::Get, 1, &e(3600)), Some(10_000));
        assert_eq!(parse_retry_after(" 7 "), Some(7));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }
}
