//! Each vendor's HTTP calls described as data: which method, path, headers and body log on,
//! list sessions and fetch a log. Pure, so that every header is tested natively; `crate::http`
//! only sends them. Secrets pass through here into request headers and bodies, never into URLs.

use serde::Deserialize;

use crate::config::{AuthMode, Connection, DEFAULT_AWS_API_VERSION};
use crate::vendors::Kind;

/// What a connection holds once the user is signed in. Lives in memory only.
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    /// A POST that only reads (Ekran's paged session list): sent as a POST, retried like a GET.
    PostQuery,
    Delete,
}

/// One HTTP request, ready to send.
#[derive(Clone, PartialEq, Eq)]
pub struct Call {
    pub method: Method,
    /// Absolute or base-relative URL (the connection's base plus the vendor path).
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    /// The request body: form-encoded, unless `headers` name another `Content-Type`.
    pub form: Option<String>,
    /// Send the browser's cookies / Windows credentials (PAM), with no custom headers.
    pub include_credentials: bool,
}

/// Redacted: headers and form bodies may hold secrets.
impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| *n).collect();
        write!(
            f,
            "{:?} {} headers={names:?} form={}",
            self.method,
            self.url,
            self.form.is_some()
        )
    }
}

/// The log-on request for a password connection; `None` for kinds without one.
pub fn log_on(conn: &Connection, user: &str, password: &str) -> Option<Call> {
    let grant = || {
        form(&[
            ("grant_type", "password"),
            ("username", user),
            ("password", password),
        ])
    };
    match conn.kind {
        Kind::VeeamEm => Some(Call {
            method: Method::Post,
            url: conn.url("/api/sessionMngr/?v=latest"),
            headers: vec![(
                "Authorization",
                format!("Basic {}", base64(format!("{user}:{password}").as_bytes())),
            )],
            form: None,
            include_credentials: false,
        }),
        Kind::VeeamAws => Some(Call {
            method: Method::Post,
            url: conn.url("/api/v1/token"),
            headers: vec![
                ("x-api-version", api_version(conn)),
                ("Accept", "application/json".into()),
            ],
            form: Some(grant()),
            include_credentials: false,
        }),
        Kind::VeeamM365 => Some(Call {
            method: Method::Post,
            url: conn.url("/v3/Token"),
            headers: vec![("Accept", "application/json".into())],
            form: Some(format!("{}&disable_antiforgery_token=true", grant())),
            include_credentials: false,
        }),
        Kind::MimPam | Kind::Ekran => None,
    }
}

/// Access tokens are refreshed this long before they expire.
pub const REFRESH_MARGIN_MS: i64 = 60_000;

/// Reads the token out of a successful log-on (or refresh) response received at `now_ms`.
pub fn token_from(
    kind: Kind,
    rest_session_header: Option<String>,
    body: &str,
    now_ms: i64,
) -> Result<Credentials, String> {
    #[derive(Deserialize)]
    struct Grant {
        access_token: Option<String>,
        refresh_token: Option<String>,
        expires_in: Option<i64>,
    }
    match kind {
        Kind::VeeamEm => rest_session_header
            .filter(|t| !t.is_empty())
            .map(|token| Credentials::RestSession {
                token,
                // The log-on answer's body is the LogonSession itself.
                session_id: crate::vendors::veeam_em::logon_sessions(body)
                    .ok()
                    .and_then(|l| l.sessions.into_iter().next())
                    .and_then(|s| s.session_id),
            })
            .ok_or_else(|| "the server accepted the log-on but sent no X-RestSvcSessionId header (a proxy may strip it)".into()),
        _ => {
            let grant = serde_json::from_str::<Grant>(body).ok();
            let access = grant.as_ref().and_then(|g| g.access_token.clone()).filter(|t| !t.is_empty());
            let Some(access) = access else {
                return Err("the server accepted the log-on but sent no access_token".into());
            };
            Ok(Credentials::Grant {
                access,
                refresh: grant.as_ref().and_then(|g| g.refresh_token.clone()).filter(|t| !t.is_empty()),
                expires_at_ms: grant
                    .and_then(|g| g.expires_in)
                    .map(|s| now_ms.saturating_add(s.saturating_mul(1000))),
            })
        }
    }
}

/// The refresh request for a VBA grant (M365 and EM ask the user to log on again instead).
pub fn refresh(conn: &Connection, creds: &Credentials) -> Option<Call> {
    let Credentials::Grant {
        refresh: Some(token),
        ..
    } = creds
    else {
        return None;
    };
    (conn.kind == Kind::VeeamAws).then(|| Call {
        method: Method::Post,
        url: conn.url("/api/v1/token"),
        headers: vec![
            ("x-api-version", api_version(conn)),
            ("Accept", "application/json".into()),
        ],
        form: Some(form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", token),
        ])),
        include_credentials: false,
    })
}

/// Whether a grant's access token expires within [`REFRESH_MARGIN_MS`] and can be refreshed.
pub fn needs_refresh(conn: &Connection, creds: &Credentials, now_ms: i64) -> bool {
    match creds {
        Credentials::Grant {
            expires_at_ms: Some(at),
            ..
        } => refresh(conn, creds).is_some() && at.saturating_sub(now_ms) < REFRESH_MARGIN_MS,
        _ => false,
    }
}

/// The vendor's log-off request, where it has one: EM deletes the logon session, VBA its token.
pub fn log_off(conn: &Connection, creds: &Credentials) -> Option<Call> {
    let path = match (conn.kind, creds) {
        (
            Kind::VeeamEm,
            Credentials::RestSession {
                session_id: Some(id),
                ..
            },
        ) => format!("/api/logonSessions/{id}"),
        (Kind::VeeamAws, Credentials::Grant { .. } | Credentials::Bearer(_)) => {
            "/api/v1/token".to_string()
        }
        _ => return None,
    };
    Some(Call {
        method: Method::Delete,
        ..get(conn, creds, &path)
    })
}

/// The credentials a token the user pasted stands for.
pub fn pasted(kind: Kind, token: &str) -> Credentials {
    match kind {
        Kind::VeeamEm => Credentials::RestSession {
            token: token.trim().to_string(),
            session_id: None,
        },
        _ => Credentials::Bearer(token.trim().to_string()),
    }
}

/// The request for a connection's session list: for the paged lists (VBA, M365) the page
/// `(offset, limit)` that `crate::paging` asks for, the whole list for the others.
pub fn list(conn: &Connection, creds: &Credentials, page: (usize, usize)) -> Call {
    let (offset, limit) = page;
    let path = match conn.kind {
        Kind::VeeamEm => "/api/logonSessions".to_string(),
        Kind::VeeamAws => format!("/api/v1/sessions?Offset={offset}&Limit={limit}"),
        Kind::VeeamM365 => format!("/v3/JobSessions?offset={offset}&limit={limit}"),
        // PAM's optional API version is a query parameter (`?v=`); left out, the newest.
        Kind::MimPam => match &conn.api_version {
            Some(v) => format!("/api/session/sessioninfo?v={}", percent(v)),
            None => "/api/session/sessioninfo".to_string(),
        },
        Kind::Ekran => "/ekranapi/sessions".to_string(),
    };
    get(conn, creds, &path)
}

/// Ekran's session list for a time range: `start` and `end` in the forms the API takes
/// (`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `YYYY-MM-DDTHH:MM:SS`, read as UTC); either may be left
/// empty. Anything else is refused here, with the reason, rather than by the server. The whole
/// list in one answer: for servers without the paged POST ([`ekran_page`]).
pub fn ekran_range(
    conn: &Connection,
    creds: &Credentials,
    start: &str,
    end: &str,
) -> Result<Call, String> {
    let query: Vec<String> = ekran_bounds(conn, start, end)?
        .into_iter()
        .map(|(name, value)| format!("{name}={}", percent(value)))
        .collect();
    let path = if query.is_empty() {
        "/ekranapi/sessions".to_string()
    } else {
        format!("/ekranapi/sessions?{}", query.join("&"))
    };
    Ok(get(conn, creds, &path))
}

/// Whether a failed [`ekran_page`] says the server has no paged POST (404, 405), so that the
/// whole-list GET ([`ekran_range`]) is the way to ask it.
pub fn lacks_paged_post(status: Option<u16>) -> bool {
    matches!(status, Some(404 | 405))
}

/// Sessions per page of Ekran's paged POST: the API's maximum `sessionCount`.
pub const EKRAN_PAGE: usize = 1000;

/// One page of Ekran's paged `POST /ekranapi/sessions`: page `page_index` (from 0) of
/// `count` sessions (at most [`EKRAN_PAGE`]), within the same `start`/`end` range as
/// [`ekran_range`]. The body is JSON `{"pageIndex", "sessionCount", "start"?, "end"?}` (the field
/// names are the vendor's; that they travel as a JSON body is inferred). Only reads, so it is
/// retried like a GET.
pub fn ekran_page(
    conn: &Connection,
    creds: &Credentials,
    start: &str,
    end: &str,
    (page_index, count): (usize, usize),
) -> Result<Call, String> {
    let count = count.clamp(1, EKRAN_PAGE);
    let mut body = format!("{{\"pageIndex\":{page_index},\"sessionCount\":{count}");
    // Checked to digits, `-`, `T` and `:`: nothing to escape.
    for (name, value) in ekran_bounds(conn, start, end)? {
        body.push_str(&format!(",\"{name}\":\"{value}\""));
    }
    body.push('}');
    let mut call = get(conn, creds, "/ekranapi/sessions");
    call.method = Method::PostQuery;
    call.headers
        .push(("Content-Type", "application/json".to_string()));
    call.form = Some(body);
    Ok(call)
}

/// The non-empty `start`/`end` bounds of an Ekran range, each checked against the API's forms.
fn ekran_bounds<'a>(
    conn: &Connection,
    start: &'a str,
    end: &'a str,
) -> Result<Vec<(&'static str, &'a str)>, String> {
    if conn.kind != Kind::Ekran {
        return Err(format!(
            "{} sessions have no start/end range.",
            conn.kind.product()
        ));
    }
    let mut bounds = Vec::new();
    for (name, value) in [("start", start.trim()), ("end", end.trim())] {
        if value.is_empty() {
            continue;
        }
        if !is_ekran_time(value) {
            return Err(format!(
                "The {name} “{}” is not one of YYYY-MM-DD, YYYY-MM-DDTHH:MM, YYYY-MM-DDTHH:MM:SS (UTC).",
                crate::format::clip(value, 40).0
            ));
        }
        bounds.push((name, value));
    }
    Ok(bounds)
}

/// `YYYY-MM-DD[THH:MM[:SS]]`, digits where digits go (the calendar is the server's to judge).
fn is_ekran_time(text: &str) -> bool {
    const SHAPES: [&str; 3] = ["dddd-dd-dd", "dddd-dd-ddTdd:dd", "dddd-dd-ddTdd:dd:dd"];
    SHAPES.iter().any(|shape| {
        shape.len() == text.len()
            && shape.bytes().zip(text.bytes()).all(|(s, t)| match s {
                b'd' => t.is_ascii_digit(),
                other => other == t,
            })
    })
}

/// The most M365 log items one request may ask for (the API's own maximum): the page size of
/// [`log_page`].
pub const M365_LOG_LIMIT: usize = 10_000;

/// The request for one session's log, from the path its adapter built (`Session::log_href`); for
/// M365, its first page.
pub fn log(conn: &Connection, creds: &Credentials, log_path: &str) -> Call {
    log_page(conn, creds, log_path, (0, M365_LOG_LIMIT))
}

/// One `(offset, limit)` page of a session's log, for the APIs whose logs page (M365's envelope;
/// its default page is 30 items, so the limit is always given). Other kinds' logs come whole.
pub fn log_page(
    conn: &Connection,
    creds: &Credentials,
    log_path: &str,
    (offset, limit): (usize, usize),
) -> Call {
    let path = match conn.kind {
        Kind::VeeamM365 => format!("{log_path}?offset={offset}&limit={limit}"),
        _ => log_path.to_string(),
    };
    get(conn, creds, &path)
}

/// The request for what a followed link leads to (`crate::links::Target`): logs as [`log`]
/// fetches them, the rest at the target's own path.
pub fn follow(conn: &Connection, creds: &Credentials, target: &crate::links::Target) -> Call {
    use crate::links::Target;
    match target {
        Target::AwsLog(_) | Target::M365Log(_) => log(conn, creds, &target.path()),
        _ => get(conn, creds, &target.path()),
    }
}

/// A GET with the connection's auth headers and exactly one `Accept` value.
fn get(conn: &Connection, creds: &Credentials, path: &str) -> Call {
    let mut headers = Vec::new();
    let browser = conn.auth == AuthMode::Browser;
    // PAM: no custom headers at all, or the CORS preflight fails.
    if !browser {
        headers.push(("Accept", "application/json".to_string()));
    }
    if conn.kind == Kind::VeeamAws {
        headers.push(("x-api-version", api_version(conn)));
    }
    match creds {
        Credentials::RestSession { token, .. } => {
            headers.push(("X-RestSvcSessionId", token.clone()))
        }
        Credentials::Bearer(t) | Credentials::Grant { access: t, .. } => {
            headers.push(("Authorization", format!("Bearer {t}")))
        }
        Credentials::Ambient => {}
    }
    Call {
        method: Method::Get,
        url: conn.url(path),
        headers,
        form: None,
        include_credentials: browser,
    }
}

fn api_version(conn: &Connection) -> String {
    conn.api_version
        .clone()
        .unwrap_or_else(|| DEFAULT_AWS_API_VERSION.to_string())
}

/// `application/x-www-form-urlencoded`.
fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent(k), percent(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Standard base64 with padding (for HTTP Basic).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let sextet = (n >> (18 - 6 * i)) & 63;
                out.push(char::from(
                    ALPHABET.get(sextet as usize).copied().unwrap_or(b'='),
                ));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn(kind: Kind, auth: AuthMode) -> Connection {
        Connection {
            id: "c".into(),
            kind,
            label: "c".into(),
            base_url: "/vendors/x".into(),
            api_version: if kind == Kind::VeeamAws {
                Some("1.5-rev0".into())
            } else {
                None
            },
            auth,
            timeout_s: crate::config::DEFAULT_TIMEOUT_S,
        }
    }

    fn header<'a>(call: &'a Call, name: &str) -> Option<&'a str> {
        call.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn base64_and_form_encoding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"admin:admin"), "YWRtaW46YWRtaW4=");
        assert_eq!(base64("jén:pä".as_bytes()), "asOpbjpww6Q=");
        assert_eq!(form(&[("a b", "x&y=z/é")]), "a+b=x%26y%3Dz%2F%C3%A9");
    }

    #[test]
    fn log_on_per_kind() {
        let em =
            log_on(&conn(Kind::VeeamEm, AuthMode::Password), "admin", "admin").expect("EM logs on"); // ok: test fixture
        assert_eq!(
            (em.method, em.url.as_str()),
            (Method::Post, "/vendors/x/api/sessionMngr/?v=latest")
        );
        assert_eq!(header(&em, "Authorization"), Some("Basic YWRtaW46YWRtaW4="));
        assert_eq!(em.form, None);
        let aws =
            log_on(&conn(Kind::VeeamAws, AuthMode::Password), "a&b", "p w").expect("VBA logs on"); // ok: test fixture
        assert_eq!(aws.url, "/vendors/x/api/v1/token");
        assert_eq!(header(&aws, "x-api-version"), Some("1.5-rev0"));
        assert_eq!(
            aws.form.as_deref(),
            Some("grant_type=password&username=a%26b&password=p+w")
        );
        let m365 =
            log_on(&conn(Kind::VeeamM365, AuthMode::Password), "u", "p").expect("M365 logs on"); // ok: test fixture
        assert_eq!(m365.url, "/vendors/x/v3/Token");
        assert!(m365
            .form
            .is_some_and(|f| f.ends_with("&disable_antiforgery_token=true")));
        assert!(log_on(&conn(Kind::MimPam, AuthMode::Browser), "u", "p").is_none());
        assert!(log_on(&conn(Kind::Ekran, AuthMode::Token), "u", "p").is_none());
    }

    #[test]
    fn secrets_never_reach_urls_or_debug_output() {
        let password = "s3cret-pässword";
        for kind in [Kind::VeeamEm, Kind::VeeamAws, Kind::VeeamM365] {
            let call = log_on(&conn(kind, AuthMode::Password), "admin", password).expect("logs on"); // ok: test fixture
            assert!(!call.url.contains("s3cret"), "{kind:?}");
            assert!(!format!("{call:?}").contains("s3cret"));
            let list = list(
                &conn(kind, AuthMode::Password),
                &Credentials::Bearer("tok-123".into()),
                (0, 500),
            );
            assert!(!list.url.contains("tok-123") && !format!("{list:?}").contains("tok-123"));
        }
        assert_eq!(
            format!("{:?}", Credentials::Bearer("tok".into())),
            "Bearer(…)"
        );
    }

    #[test]
    fn tokens_from_log_on_responses() {
        assert_eq!(
            token_from(Kind::VeeamEm, Some("abc".into()), "", 0),
            Ok(Credentials::RestSession {
                token: "abc".into(),
                session_id: None
            })
        );
        assert!(token_from(Kind::VeeamEm, None, "<LogonSession/>", 0)
            .is_err_and(|e| e.contains("X-RestSvcSessionId")));
        let body =
            r#"{"access_token":"t1","token_type":"bearer","refresh_token":"r","expires_in":3600}"#;
        let grant = Credentials::Grant {
            access: "t1".into(),
            refresh: Some("r".into()),
            expires_at_ms: Some(1_000 + 3_600_000),
        };
        assert_eq!(
            token_from(Kind::VeeamAws, None, body, 1_000),
            Ok(grant.clone())
        );
        assert_eq!(token_from(Kind::VeeamM365, None, body, 1_000), Ok(grant));
        let bare = token_from(Kind::VeeamAws, None, r#"{"access_token":"t"}"#, 0);
        assert_eq!(
            bare,
            Ok(Credentials::Grant {
                access: "t".into(),
                refresh: None,
                expires_at_ms: None
            })
        );
        assert!(token_from(Kind::VeeamAws, None, "{}", 0).is_err());
        assert!(token_from(Kind::VeeamAws, None, "<html>", 0).is_err());
        assert_eq!(
            pasted(Kind::VeeamEm, " t \n"),
            Credentials::RestSession {
                token: "t".into(),
                session_id: None
            }
        );
        assert_eq!(pasted(Kind::Ekran, "t"), Credentials::Bearer("t".into()));
    }

    #[test]
    fn log_off_per_kind() {
        let em_body = r#"<LogonSession xmlns="http://www.veeam.com/ent/v1.0" Type="LogonSession"><UserName>a</UserName><SessionId>5496707f</SessionId></LogonSession>"#;
        let em_creds = token_from(Kind::VeeamEm, Some("tok".into()), em_body, 0).expect("EM token"); // ok: test fixture
        assert_eq!(
            em_creds,
            Credentials::RestSession {
                token: "tok".into(),
                session_id: Some("5496707f".into())
            }
        );
        let em = conn(Kind::VeeamEm, AuthMode::Password);
        let call = log_off(&em, &em_creds).expect("EM logs off"); // ok: test fixture
        assert_eq!(
            (call.method, call.url.as_str()),
            (Method::Delete, "/vendors/x/api/logonSessions/5496707f")
        );
        assert_eq!(header(&call, "X-RestSvcSessionId"), Some("tok"));
        assert!(
            log_off(&em, &pasted(Kind::VeeamEm, "t")).is_none(),
            "a pasted token has no session id to delete"
        );
        let aws = conn(Kind::VeeamAws, AuthMode::Password);
        let grant = Credentials::Grant {
            access: "a".into(),
            refresh: None,
            expires_at_ms: None,
        };
        let call = log_off(&aws, &grant).expect("VBA logs off"); // ok: test fixture
        assert_eq!(
            (call.method, call.url.as_str()),
            (Method::Delete, "/vendors/x/api/v1/token")
        );
        assert_eq!(header(&call, "Authorization"), Some("Bearer a"));
        assert!(log_off(&conn(Kind::VeeamM365, AuthMode::Password), &grant).is_none());
        assert!(log_off(
            &conn(Kind::Ekran, AuthMode::Token),
            &Credentials::Bearer("t".into())
        )
        .is_none());
    }

    #[test]
    fn vba_grants_refresh_before_they_expire() {
        let aws = conn(Kind::VeeamAws, AuthMode::Password);
        let grant = Credentials::Grant {
            access: "a".into(),
            refresh: Some("r&1".into()),
            expires_at_ms: Some(100_000),
        };
        let call = refresh(&aws, &grant).expect("VBA refreshes"); // ok: test fixture
        assert_eq!(
            (call.method, call.url.as_str()),
            (Method::Post, "/vendors/x/api/v1/token")
        );
        assert_eq!(
            call.form.as_deref(),
            Some("grant_type=refresh_token&refresh_token=r%261")
        );
        assert_eq!(header(&call, "x-api-version"), Some("1.5-rev0"));
        assert!(!needs_refresh(
            &aws,
            &grant,
            100_000 - REFRESH_MARGIN_MS - 1
        ));
        assert!(needs_refresh(&aws, &grant, 100_000 - REFRESH_MARGIN_MS + 1));
        assert!(needs_refresh(&aws, &grant, 200_000), "already expired");
        let m365 = conn(Kind::VeeamM365, AuthMode::Password);
        assert!(
            refresh(&m365, &grant).is_none() && !needs_refresh(&m365, &grant, 200_000),
            "M365 logs on again"
        );
        let no_refresh = Credentials::Grant {
            access: "a".into(),
            refresh: None,
            expires_at_ms: Some(0),
        };
        assert!(!needs_refresh(&aws, &no_refresh, 200_000));
        assert!(
            !format!("{:?}", refresh(&aws, &grant)).contains("r%261"),
            "the refresh token is redacted"
        );
        let list = list(&aws, &grant, (0, 500));
        assert_eq!(header(&list, "Authorization"), Some("Bearer a"));
    }

    #[test]
    fn list_and_log_calls_carry_auth_and_one_accept() {
        let aws = conn(Kind::VeeamAws, AuthMode::Password);
        let call = list(&aws, &Credentials::Bearer("t".into()), (1500, 500));
        assert_eq!(call.url, "/vendors/x/api/v1/sessions?Offset=1500&Limit=500");
        let m365 = list(
            &conn(Kind::VeeamM365, AuthMode::Password),
            &Credentials::Bearer("t".into()),
            (2000, 1000),
        );
        assert_eq!(m365.url, "/vendors/x/v3/JobSessions?offset=2000&limit=1000");
        assert_eq!(header(&call, "Authorization"), Some("Bearer t"));
        assert_eq!(header(&call, "Accept"), Some("application/json"));
        assert_eq!(
            call.headers.iter().filter(|(n, _)| *n == "Accept").count(),
            1
        );
        assert_eq!(header(&call, "x-api-version"), Some("1.5-rev0"));
        let em = list(
            &conn(Kind::VeeamEm, AuthMode::Password),
            &Credentials::RestSession {
                token: "r".into(),
                session_id: None,
            },
            (0, 500),
        );
        assert_eq!(
            (em.url.as_str(), header(&em, "X-RestSvcSessionId")),
            ("/vendors/x/api/logonSessions", Some("r"))
        );
        let pam = list(
            &conn(Kind::MimPam, AuthMode::Browser),
            &Credentials::Ambient,
            (0, 500),
        );
        assert!(
            pam.headers.is_empty() && pam.include_credentials,
            "PAM: no custom headers, browser credentials"
        );
        assert_eq!(pam.url, "/vendors/x/api/session/sessioninfo");
        let pam_v1 = Connection {
            api_version: Some("1.0".into()),
            ..conn(Kind::MimPam, AuthMode::Browser)
        };
        let pam_v1 = list(&pam_v1, &Credentials::Ambient, (0, 500));
        assert_eq!(pam_v1.url, "/vendors/x/api/session/sessioninfo?v=1.0");
        assert!(pam_v1.headers.is_empty(), "the version is no header");
        let log = log(
            &conn(Kind::VeeamM365, AuthMode::Password),
            &Credentials::Bearer("t".into()),
            "/v3/JobSessions/j/LogItems",
        );
        assert_eq!(
            log.url,
            "/vendors/x/v3/JobSessions/j/LogItems?offset=0&limit=10000"
        );
        let page = log_page(
            &conn(Kind::VeeamM365, AuthMode::Password),
            &Credentials::Bearer("t".into()),
            "/v3/JobSessions/j/LogItems",
            (20_000, 500),
        );
        assert_eq!(
            page.url,
            "/vendors/x/v3/JobSessions/j/LogItems?offset=20000&limit=500"
        );
        let aws = log_page(
            &conn(Kind::VeeamAws, AuthMode::Password),
            &Credentials::Bearer("t".into()),
            "/api/v1/sessions/s/log",
            (20_000, 500),
        );
        assert_eq!(
            aws.url, "/vendors/x/api/v1/sessions/s/log",
            "VBA logs come whole"
        );
    }

    #[test]
    fn followed_links_go_to_the_connections_base_with_its_auth() {
        use crate::links::target;
        let em = conn(Kind::VeeamEm, AuthMode::Password);
        let creds = Credentials::RestSession {
            token: "r".into(),
            session_id: None,
        };
        // The server's absolute href, reached through the proxy's relative base.
        let href = "https://localhost:9398/api/logonSessions/5496707f-c814-47ce-8d6d-110aa03cec03";
        let t = target(Kind::VeeamEm, href, Some(href)).expect("followable"); // ok: test fixture
        let call = follow(&em, &creds, &t);
        assert_eq!(
            (
                call.method,
                call.url.as_str(),
                header(&call, "X-RestSvcSessionId")
            ),
            (
                Method::Get,
                "/vendors/x/api/logonSessions/5496707f-c814-47ce-8d6d-110aa03cec03",
                Some("r")
            )
        );
        let m365 = conn(Kind::VeeamM365, AuthMode::Password);
        let t = target(
            Kind::VeeamM365,
            "https://vbo:4443/v3/JobSessions/j/LogItems",
            None,
        )
        .expect("followable"); // ok: test fixture
        assert_eq!(
            follow(&m365, &Credentials::Bearer("t".into()), &t).url,
            "/vendors/x/v3/JobSessions/j/LogItems?offset=0&limit=10000"
        );
    }

    #[test]
    fn ekran_ranges_in_the_apis_own_forms() {
        let ekran = conn(Kind::Ekran, AuthMode::Token);
        let token = Credentials::Bearer("t".into());
        let url = |start: &str, end: &str| ekran_range(&ekran, &token, start, end).map(|c| c.url);
        assert_eq!(
            url("2025-08-30", "2025-08-31T12:00"),
            Ok("/vendors/x/ekranapi/sessions?start=2025-08-30&end=2025-08-31T12%3A00".into())
        );
        assert_eq!(
            url(" 2025-08-30T01:02:03 ", ""),
            Ok("/vendors/x/ekranapi/sessions?start=2025-08-30T01%3A02%3A03".into())
        );
        assert_eq!(url("", ""), Ok("/vendors/x/ekranapi/sessions".into()));
        assert_eq!(
            url("", "2025-09-01"),
            Ok("/vendors/x/ekranapi/sessions?end=2025-09-01".into())
        );
        for bad in [
            "2025-8-30",
            "2025-08-30T12",
            "2025-08-30 12:00",
            "2025-08-30T12:00Z",
            "x&token=y",
        ] {
            let e = url(bad, "").expect_err(bad);
            assert!(e.contains("is not one of YYYY-MM-DD"), "{e}");
        }
        let call = ekran_range(&ekran, &token, "2025-08-30", "").expect("a good range"); // ok: test fixture
        assert_eq!(header(&call, "Authorization"), Some("Bearer t"));
        assert_eq!(call.method, Method::Get);
        assert!(ekran_range(&conn(Kind::VeeamAws, AuthMode::Password), &token, "", "").is_err());
    }

    #[test]
    fn ekran_pages_are_json_posts_that_read() {
        let ekran = conn(Kind::Ekran, AuthMode::Token);
        let token = Credentials::Bearer("t".into());
        let call = ekran_page(&ekran, &token, "2025-08-30", "2025-08-31T12:00", (3, 1000))
            .expect("a good range"); // ok: test fixture
        assert_eq!(call.method, Method::PostQuery);
        assert_eq!(
            call.url, "/vendors/x/ekranapi/sessions",
            "nothing in the URL"
        );
        assert_eq!(
            call.form.as_deref(),
            Some(
                r#"{"pageIndex":3,"sessionCount":1000,"start":"2025-08-30","end":"2025-08-31T12:00"}"#
            )
        );
        let body: serde_json::Value =
            serde_json::from_str(call.form.as_deref().unwrap_or_default()).expect("JSON"); // ok: test fixture
        assert_eq!(body["sessionCount"], 1000);
        assert_eq!(header(&call, "Content-Type"), Some("application/json"));
        assert_eq!(header(&call, "Authorization"), Some("Bearer t"));
        assert_eq!(
            call.headers.iter().filter(|(n, _)| *n == "Accept").count(),
            1
        );
        let whole = ekran_page(&ekran, &Credentials::Ambient, " ", "", (0, 1)).expect("no range"); // ok: test fixture
        assert_eq!(
            whole.form.as_deref(),
            Some(r#"{"pageIndex":0,"sessionCount":1}"#)
        );
        let most = ekran_page(&ekran, &token, "", "", (2, 50_000)).expect("no range"); // ok: test fixture
        assert_eq!(
            most.form.as_deref(),
            Some(r#"{"pageIndex":2,"sessionCount":1000}"#),
            "the API's maximum"
        );
        assert_eq!(header(&whole, "Authorization"), None);
        // A bound that could break out of its JSON string is refused before anything is sent.
        for bad in ["2025-08-30\",\"x\":\"", "2025-08-30T12:00Z", "\u{0}"] {
            let e = ekran_page(&ekran, &token, bad, "", (0, 1000)).expect_err(bad);
            assert!(e.contains("is not one of YYYY-MM-DD"), "{e}");
        }
        assert!(ekran_page(
            &conn(Kind::VeeamM365, AuthMode::Password),
            &token,
            "",
            "",
            (0, 1000)
        )
        .is_err());
    }
}
