//! "Check connection": one cheap request (the first session of the list, or the whole list where
//! the API does not page) and a verdict in words from its outcome. Pure, so that every branch is
//! tested natively; `super::fetching::probe` sends the request.

use crate::http::{ErrorKind, HttpError};
use crate::model::{Content, Text};
use crate::vendors::contract::Page;
use crate::vendors::Kind;

/// The page the check asks the paged lists for: one session is enough to know.
pub const PAGE: Page = Page {
    offset: 0,
    limit: 1,
    number: 0,
};

/// How a check went, by what the user can do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// The product answered with its session list.
    Connected,
    /// The product is there, and wants a (new) log-on or other rights.
    Reachable,
    /// Nothing usable answered.
    Failed,
}

impl Tone {
    /// For `data-verdict` (tests, styling).
    pub fn id(self) -> &'static str {
        match self {
            Tone::Connected => "connected",
            Tone::Reachable => "reachable",
            Tone::Failed => "failed",
        }
    }
}

/// What the check found, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub tone: Tone,
    pub text: String,
}

/// The verdict on a check of a `kind` connection: `signed_in` says whether stored credentials
/// were sent (otherwise none were, or only the browser's own); `outcome` is the 2xx body or the
/// failure.
pub fn verdict(kind: Kind, signed_in: bool, outcome: Result<&Text, &HttpError>) -> Verdict {
    let product = kind.product();
    let verdict = |tone, text: String| Verdict { tone, text };
    let not_as = || {
        verdict(
            Tone::Failed,
            format!("Something answers at this address, but not as {product}: check the base URL."),
        )
    };
    let e = match outcome {
        Ok(body) => {
            return match count(kind, body) {
                Some(Some(n)) => verdict(
                    Tone::Connected,
                    format!(
                        "Connected: {product} answered, {n} {}.",
                        if n == 1 { "session" } else { "sessions" }
                    ),
                ),
                Some(None) => verdict(
                    Tone::Connected,
                    format!("Connected: {product} answered with its session list."),
                ),
                None => not_as(),
            }
        }
        Err(e) => e,
    };
    match e.kind {
        ErrorKind::Unauthenticated | ErrorKind::PermissionDenied if !signed_in => verdict(
            Tone::Reachable,
            format!("Reachable: {product} asks for a log-on."),
        ),
        ErrorKind::Unauthenticated => verdict(
            Tone::Reachable,
            format!("Reachable, but {product} no longer accepts this log-on (the session may have expired): log on again."),
        ),
        ErrorKind::PermissionDenied => verdict(
            Tone::Reachable,
            format!("Reachable, but this account may not list sessions at {product}."),
        ),
        ErrorKind::NotFound | ErrorKind::Decode => not_as(),
        // The failures that have their own sentence already: the browser refused (CORS), the
        // time limit, nothing at the address, a cut body, the user's cancel.
        ErrorKind::Blocked
        | ErrorKind::Timeout
        | ErrorKind::Network
        | ErrorKind::Cut
        | ErrorKind::TooLarge
        | ErrorKind::Cancelled => verdict(Tone::Failed, e.sentence(product)),
        ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Other => verdict(
            Tone::Failed,
            format!("{product} answered with an error: {}", e.sentence(product)),
        ),
    }
}

/// How many sessions a list answer holds (`Some(None)`: a list, of unknown length), or `None`
/// when the body is not the product's list.
fn count(kind: Kind, body: &Text) -> Option<Option<u64>> {
    let list = kind.vendor().lists.first()?;
    match (list.decode)(body).ok()?.content {
        // An answer none of whose items reads as a session (another resource that happens to be
        // an object or an array) is not the list.
        Content::Sessions(l) => (!l.sessions.is_empty() || l.skipped.is_empty()).then(|| {
            l.total
                .or_else(|| list.length_is_total.then_some(l.sessions.len() as u64))
        }),
        Content::Logons(l) => Some(Some(l.sessions.len() as u64)),
        Content::Log(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::error::{classify, timed_out, without_response};
    use crate::vendors::ekran;

    const EKRAN: &str = include_str!("../../public/samples/ekran-sessions.json");
    const EM: &str = include_str!("../../public/samples/veeam-em-logon-session.xml");
    const PAM: &str = include_str!("../../public/samples/mim-pam-sessioninfo.json");
    const AWS_LOG: &str = include_str!("../../public/samples/veeam-aws-session-log.json");
    const INDEX: &str = include_str!("../../index.html");

    fn check(kind: Kind, signed_in: bool, outcome: Result<&str, &HttpError>) -> (Tone, String) {
        let body = outcome.map(Text::from);
        let v = verdict(kind, signed_in, body.as_ref().map_err(|e| *e));
        (v.tone, v.text)
    }

    #[test]
    fn a_list_answer_is_connected_with_its_size() {
        let n = ekran::sessions(&EKRAN.into())
            .map(|l| l.sessions.len())
            .unwrap_or(0); // ok: test fixture
        assert!(n > 1);
        assert_eq!(
            check(Kind::Ekran, true, Ok(EKRAN)),
            (
                Tone::Connected,
                format!("Connected: Ekran System answered, {n} sessions.")
            )
        );
        assert_eq!(
            check(
                Kind::VeeamAws,
                true,
                Ok(r#"{"totalCount":300,"results":[]}"#)
            ),
            (
                Tone::Connected,
                "Connected: Veeam Backup for AWS answered, 300 sessions.".into()
            )
        );
        assert_eq!(
            check(
                Kind::VeeamM365,
                true,
                Ok(r#"{"offset":0,"limit":1,"results":[]}"#)
            ),
            (
                Tone::Connected,
                "Connected: Veeam Backup for Microsoft 365 answered with its session list.".into()
            )
        );
        assert_eq!(
            check(Kind::VeeamEm, true, Ok(EM)),
            (
                Tone::Connected,
                "Connected: Veeam Backup Enterprise Manager answered, 1 session.".into()
            )
        );
        // PAM with the browser's own sign-in: nothing stored was sent, and it answered.
        assert_eq!(check(Kind::MimPam, false, Ok(PAM)).0, Tone::Connected);
    }

    #[test]
    fn another_shape_or_a_404_means_the_base_url_is_wrong() {
        let wrong = "Something answers at this address, but not as Veeam Backup for AWS: check the base URL.";
        for body in [AWS_LOG, INDEX, EKRAN, "", "{}", "null", "<html>"] {
            assert_eq!(
                check(Kind::VeeamAws, true, Ok(body)),
                (Tone::Failed, wrong.into()),
                "{body:.40}"
            );
        }
        let not_found = classify(Kind::VeeamAws, 404, "<h1>Not Found</h1>");
        assert_eq!(
            check(Kind::VeeamAws, false, Err(&not_found)),
            (Tone::Failed, wrong.into())
        );
        let gone = classify(Kind::VeeamAws, 410, "");
        assert_eq!(check(Kind::VeeamAws, true, Err(&gone)).0, Tone::Failed);
    }

    #[test]
    fn a_refused_log_on_is_reachable() {
        for status in [401, 403] {
            let e = classify(Kind::VeeamEm, status, "");
            assert_eq!(
                check(Kind::VeeamEm, false, Err(&e)),
                (
                    Tone::Reachable,
                    "Reachable: Veeam Backup Enterprise Manager asks for a log-on.".into()
                )
            );
        }
        let expired = classify(Kind::VeeamM365, 401, r#"{"message":"expired"}"#);
        assert_eq!(
            check(Kind::VeeamM365, true, Err(&expired)),
            (
                Tone::Reachable,
                "Reachable, but Veeam Backup for Microsoft 365 no longer accepts this log-on (the session may have expired): log on again.".into()
            )
        );
        let denied = classify(Kind::Ekran, 403, "");
        assert_eq!(
            check(Kind::Ekran, true, Err(&denied)),
            (
                Tone::Reachable,
                "Reachable, but this account may not list sessions at Ekran System.".into()
            )
        );
    }

    #[test]
    fn failures_without_an_answer_keep_their_own_sentences() {
        let blocked = without_response(ErrorKind::Blocked);
        let (tone, text) = check(Kind::Ekran, false, Err(&blocked));
        assert_eq!(tone, Tone::Failed);
        assert!(
            text.starts_with(
                "The browser blocked a cross-origin call: Ekran System sends no CORS headers"
            ),
            "{text}"
        );
        assert!(
            text.contains("README: “Deploying behind a reverse proxy”"),
            "{text}"
        );

        let (tone, text) = check(Kind::Ekran, true, Err(&timed_out(3)));
        assert_eq!(tone, Tone::Failed);
        assert!(
            text.starts_with("Ekran System sent no complete answer within 3 s"),
            "{text}"
        );

        let down = without_response(ErrorKind::Network);
        assert_eq!(
            check(Kind::MimPam, false, Err(&down)),
            (
                Tone::Failed,
                "Microsoft Identity Manager PAM could not be reached (the server is down, or the address is wrong).".into()
            )
        );
        let cut = without_response(ErrorKind::Cut);
        assert!(check(Kind::Ekran, true, Err(&cut)).1.contains("cut off"));
        let stopped = without_response(ErrorKind::Cancelled);
        assert_eq!(
            check(Kind::Ekran, true, Err(&stopped)),
            (Tone::Failed, "Stopped.".into())
        );
    }

    #[test]
    fn other_statuses_are_errors_in_the_vendors_words() {
        for (status, needle) in [
            (429, "busy"),
            (500, "failed (HTTP 500)"),
            (503, "unavailable"),
            (400, "HTTP 400"),
        ] {
            let e = classify(
                Kind::MimPam,
                status,
                r#"{"odata.error":{"code":"x","message":{"lang":"en","value":"The API version '9' is not supported."}}}"#,
            );
            let (tone, text) = check(Kind::MimPam, false, Err(&e));
            assert_eq!(tone, Tone::Failed);
            assert!(
                text.starts_with("Microsoft Identity Manager PAM answered with an error: "),
                "{text}"
            );
            assert!(text.contains(needle), "{needle} in {text}");
            assert!(
                text.contains("The API version '9' is not supported."),
                "{text}"
            );
        }
        let gateway = classify(Kind::Ekran, 504, "");
        assert_eq!(check(Kind::Ekran, true, Err(&gateway)).0, Tone::Failed);
    }

    #[test]
    fn tone_ids() {
        assert_eq!(
            [Tone::Connected, Tone::Reachable, Tone::Failed].map(Tone::id),
            ["connected", "reachable", "failed"]
        );
    }
}
