//! The vendor contract, vendor by vendor: each kind's requests (log-on, renewal, log-off, list,
//! log, followed links, time windows) built as data and checked header by header, and a test
//! that walks [`Kind::ALL`] so that a kind left half-wired fails.
//!
//! The helpers below give each contract entry the name the requests had before the contract
//! existed, so that these tests read (and assert) exactly what they asserted then.

use crate::connections::config::{AuthMode, Connection};
use crate::connections::{signing, Credentials, REFRESH_MARGIN_MS};
use crate::http::{base64, form, Call, Method};
use crate::vendors::contract::{Page, RequestError, Target, Window};
use crate::vendors::Kind;

fn log_on(conn: &Connection, user: &str, password: &str) -> Option<Call> {
    let log_on = conn.kind.vendor().sign_in.password.as_ref()?;
    Some((log_on.request)(conn, user, password))
}

fn token_from(
    kind: Kind,
    rest_session_header: Option<String>,
    body: &str,
    now_ms: i64,
) -> Result<Credentials, String> {
    let log_on = kind
        .vendor()
        .sign_in
        .password
        .as_ref()
        .ok_or("no password log-on")?;
    (log_on.credentials)(rest_session_header, body, now_ms).map_err(|e| e.to_string())
}

fn refresh(conn: &Connection, creds: &Credentials) -> Option<Call> {
    signing::renewal(conn, creds)
}

fn needs_refresh(conn: &Connection, creds: &Credentials, now_ms: i64) -> bool {
    signing::needs_renewal(conn, creds, now_ms)
}

fn log_off(conn: &Connection, creds: &Credentials) -> Option<Call> {
    (conn.kind.vendor().sign_in.log_off)(conn, creds)
}

fn pasted(kind: Kind, token: &str) -> Credentials {
    (kind.vendor().sign_in.pasted)(token)
}

fn list(conn: &Connection, creds: &Credentials, (offset, limit): (usize, usize)) -> Call {
    let page = Page {
        offset,
        limit,
        number: 0,
    };
    match (conn.kind.vendor().lists[0].request)(conn, creds, &Window::ALL, page) {
        Ok(call) => call,
        Err(e) => panic!("{e}"),
    }
}

fn log(conn: &Connection, creds: &Credentials, log_path: &str) -> Call {
    let size = conn
        .kind
        .vendor()
        .log
        .as_ref()
        .and_then(|l| l.page_size)
        .unwrap_or(0);
    log_page(conn, creds, log_path, (0, size))
}

fn log_page(
    conn: &Connection,
    creds: &Credentials,
    log_path: &str,
    (offset, limit): (usize, usize),
) -> Call {
    let Some(api) = conn.kind.vendor().log.as_ref() else {
        panic!("{:?} has no log", conn.kind);
    };
    let page = Page {
        offset,
        limit,
        number: 0,
    };
    (api.request)(conn, creds, log_path, page)
}

fn follow(conn: &Connection, creds: &Credentials, target: &Target) -> Call {
    let path = crate::connections::links::path(conn, target).unwrap_or_default();
    match target {
        Target::Log(_) => log(conn, creds, &path),
        Target::LogonSession(_) | Target::LogonSessions => Call::get(conn, creds, &path),
    }
}

fn window<'a>(conn: &Connection, start: &'a str, end: &'a str) -> Result<Window<'a>, String> {
    if conn.kind.vendor().lists[0].server_window {
        Ok(Window {
            start,
            end,
            only: "",
        })
    } else {
        Err(RequestError::NoWindow {
            product: conn.kind.product(),
        }
        .to_string())
    }
}

fn ekran_range(
    conn: &Connection,
    creds: &Credentials,
    start: &str,
    end: &str,
) -> Result<Call, String> {
    let window = window(conn, start, end)?;
    let fallback = conn.kind.vendor().lists[0]
        .fallback
        .as_ref()
        .ok_or("no GET")?;
    (fallback.request)(conn, creds, &window).map_err(|e| e.to_string())
}

fn ekran_page(
    conn: &Connection,
    creds: &Credentials,
    start: &str,
    end: &str,
    (number, count): (usize, usize),
) -> Result<Call, String> {
    let window = window(conn, start, end)?;
    let page = Page {
        offset: number.saturating_mul(count),
        limit: count,
        number,
    };
    (conn.kind.vendor().lists[0].request)(conn, creds, &window, page).map_err(|e| e.to_string())
}
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
        timeout_s: crate::connections::config::DEFAULT_TIMEOUT_S,
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
    let aws = log_on(&conn(Kind::VeeamAws, AuthMode::Password), "a&b", "p w").expect("VBA logs on"); // ok: test fixture
    assert_eq!(aws.url, "/vendors/x/api/v1/token");
    assert_eq!(header(&aws, "x-api-version"), Some("1.5-rev0"));
    assert_eq!(
        aws.form.as_deref(),
        Some("grant_type=password&username=a%26b&password=p+w")
    );
    let m365 = log_on(&conn(Kind::VeeamM365, AuthMode::Password), "u", "p").expect("M365 logs on"); // ok: test fixture
    assert_eq!(m365.url, "/vendors/x/v8/token");
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
    // M365 v7 and later end a token with token/logout; v6 has no log-off.
    let m365 = log_off(&conn(Kind::VeeamM365, AuthMode::Password), &grant).expect("v8 logs off"); // ok: test fixture
    assert_eq!(
        (m365.method, m365.url.as_str()),
        (Method::Post, "/vendors/x/v8/token/logout")
    );
    assert_eq!(header(&m365, "Authorization"), Some("Bearer a"));
    let v6 = Connection {
        api_version: Some("v6".into()),
        ..conn(Kind::VeeamM365, AuthMode::Password)
    };
    assert!(log_off(&v6, &grant).is_none());
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
    assert_eq!(m365.url, "/vendors/x/v8/JobSessions?offset=2000&limit=1000");
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
    assert_eq!(pam.url, "/vendors/x/api/pamresources/sessioninfo");
    let pam_v1 = Connection {
        api_version: Some("1.0".into()),
        ..conn(Kind::MimPam, AuthMode::Browser)
    };
    let pam_v1 = list(&pam_v1, &Credentials::Ambient, (0, 500));
    assert_eq!(pam_v1.url, "/vendors/x/api/pamresources/sessioninfo?v=1.0");
    assert!(pam_v1.headers.is_empty(), "the version is no header");
    let log = log(
        &conn(Kind::VeeamM365, AuthMode::Password),
        &Credentials::Bearer("t".into()),
        "/v8/JobSessions/j/LogItems",
    );
    assert_eq!(
        log.url,
        "/vendors/x/v8/JobSessions/j/LogItems?offset=0&limit=10000"
    );
    let page = log_page(
        &conn(Kind::VeeamM365, AuthMode::Password),
        &Credentials::Bearer("t".into()),
        "/v8/JobSessions/j/LogItems",
        (20_000, 500),
    );
    assert_eq!(
        page.url,
        "/vendors/x/v8/JobSessions/j/LogItems?offset=20000&limit=500"
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
    use crate::connections::links::target;
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
        "/vendors/x/v8/JobSessions/j/LogItems?offset=0&limit=10000"
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
        &conn(Kind::VeeamEm, AuthMode::Password),
        &token,
        "",
        "",
        (0, 1000)
    )
    .is_err());
}

/// Every kind, through every entry of its contract: a kind added to [`Kind`] but left half-wired
/// (no sample, a sample another vendor claims, an auth mode without its request, a config entry
/// that does not round-trip, a link it recognises but cannot fetch) fails here.
#[test]
fn every_kind_is_wired_through_the_contract() {
    use crate::connections::{config, saved};
    let mut ids = Vec::new();
    for kind in Kind::ALL {
        let vendor = kind.vendor();
        assert_eq!(vendor.kind, kind, "{kind:?}: VENDOR.kind");
        assert_eq!(Kind::from_id(vendor.id), Some(kind));
        assert!(!ids.contains(&vendor.id), "{kind:?}: id used twice");
        ids.push(vendor.id);
        assert!(!vendor.product.is_empty() && !vendor.payloads.is_empty());

        // Its sample is there, is recognised as this kind, and opens on the page it names.
        let path = format!(
            "{}/public/{}",
            env!("CARGO_MANIFEST_DIR"),
            vendor.sample.path
        );
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let payload =
            crate::import::read_payload(bytes).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert_eq!(
            payload.kind, kind,
            "{kind:?}: its sample is read as another kind's"
        );
        let page = match payload.content {
            crate::model::Content::Log(_) => "log",
            crate::model::Content::Sessions(_) => "sessions",
            crate::model::Content::Logons(_) => "logon",
        };
        assert_eq!(vendor.sample.page, page, "{kind:?}");
        assert!(vendor.sample.id.starts_with("sample-"));

        // A config entry per auth mode round-trips through config.json and localStorage.
        assert!(!vendor.auth_modes.is_empty(), "{kind:?}: no auth mode");
        for auth in vendor.auth_modes {
            let entry = format!(
                r#"{{"connections":[{{"id":"x","kind":"{}","baseUrl":"/vendors/x","auth":"{}"}}]}}"#,
                vendor.id,
                auth.id()
            );
            let conf = config::parse_config(&entry).unwrap_or_else(|e| panic!("{e}"));
            assert!(conf.problems.is_empty(), "{kind:?}: {:?}", conf.problems);
            let [conn] = conf.connections.as_slice() else {
                panic!("{kind:?}: {auth:?} not read");
            };
            assert_eq!((conn.kind, conn.auth), (kind, *auth));
            let back = saved::decode(&saved::encode(std::slice::from_ref(conn)), &|_| false);
            assert_eq!(back.connections, vec![conn.clone()], "{kind:?}: {auth:?}");

            // Each of its calls builds, under the connection's base URL, with the auth header
            // its credentials stand for.
            let creds = match auth {
                AuthMode::Password | AuthMode::Token => pasted(kind, "tok"),
                AuthMode::Browser | AuthMode::None => Credentials::Ambient,
            };
            let page = Page::first(1);
            let call = (vendor.lists[0].request)(conn, &creds, &Window::ALL, page)
                .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
            assert!(call.url.starts_with("/vendors/x/"), "{}", call.url);
            let authorised = call.headers.iter().any(|(_, v)| v.contains("tok"));
            assert_eq!(
                authorised,
                creds != Credentials::Ambient,
                "{kind:?}: {auth:?}"
            );
            if let Some(fallback) = &vendor.lists[0].fallback {
                let whole = (fallback.request)(conn, &creds, &Window::ALL);
                assert!(whole.is_ok_and(|c| c.url.starts_with("/vendors/x/")));
            }
            if let Some(log) = &vendor.log {
                let path = (log.path)(conn, "s-1");
                assert!(path.contains("s-1"));
                let call = (log.request)(conn, &creds, &path, page);
                assert!(
                    call.url.starts_with(&format!("/vendors/x{path}")),
                    "{}",
                    call.url
                );
                // The log's path is a link shape the vendor can follow again.
                let target = crate::connections::links::target(kind, &path, None);
                assert_eq!(target, Some(Target::Log("s-1".into())), "{kind:?}");
            }
            let _ = (vendor.sign_in.log_off)(conn, &creds);
        }
        let password = vendor.auth_modes.contains(&AuthMode::Password);
        assert_eq!(password, vendor.sign_in.password.is_some(), "{kind:?}");
        assert!(vendor.sign_in.refresh.is_none() || password, "{kind:?}");

        // Every list has a label for its button, and a fallback says when it applies.
        assert!(!vendor.lists.is_empty(), "{kind:?}: no list");
        for list in vendor.lists {
            assert!(list.label.starts_with("Open "), "{kind:?}: {}", list.label);
            assert!(list
                .fallback
                .as_ref()
                .is_none_or(|f| !f.statuses.is_empty()));
        }

        // Its version rule accepts its own default.
        if let Some(version) = &vendor.version {
            assert!(version.default.is_none_or(version.valid), "{kind:?}");
            assert!(!version.hint.is_empty());
        }

        // Its error reader reads nothing into an error, and no hostile text panics it.
        assert_eq!((vendor.error_body)("{}"), None, "{kind:?}");
        let _ = (vendor.error_body)("<Error><Message>x</Message></Error>");
    }
    assert_eq!(ids.len(), Kind::ALL.len());
}

/// An EM logon session id from the server's answer goes into the log-off path only when it has
/// an id's shape: `../` would send the token to another upstream behind the proxy.
#[test]
fn em_log_off_refuses_an_id_that_is_not_one() {
    let em = conn(Kind::VeeamEm, AuthMode::Password);
    let hostile = Credentials::RestSession {
        token: "tok".into(),
        session_id: Some("../../aws/api/v1/token".into()),
    };
    assert!(log_off(&em, &hostile).is_none());
}

/// The one-pass reader: a key with an escape is still found, an escaped string is unescaped, of a
/// name given twice the last counts, and a value of the wrong type fails with serde's words.
#[test]
fn fields_read_by_name() {
    let raw = r#"{"a":"x","b\u0061":"y\n\u00e9","a":"z","n":-12,"f":1.5,"s":"7","u":null}"#;
    let f = match super::Fields::parse(raw) {
        Ok(f) => f,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(f.text("a").ok().flatten().as_deref(), Some("z"));
    assert_eq!(f.text("ba").ok().flatten().as_deref(), Some("y\né"));
    assert_eq!(f.int("n").ok().flatten(), Some(-12));
    assert_eq!(f.uint("u").ok().flatten(), None);
    assert!(f.int("f").is_err() && f.uint("n").is_err());
    assert!(f
        .int("s")
        .is_err_and(|e| e.to_string().contains("invalid type: string")));
    assert!(f
        .text("n")
        .is_err_and(|e| e.to_string().contains("invalid type: integer")));
    let names: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k, v.get())).collect();
    assert_eq!(
        names,
        [
            ("a", "\"z\""),
            ("ba", "\"y\\n\\u00e9\""),
            ("f", "1.5"),
            ("n", "-12"),
            ("s", "\"7\""),
            ("u", "null")
        ]
    );
    assert!(super::Fields::parse("[1]").is_err_and(|e| e.to_string().contains("expected a map")));
}

/// Every field of `f` as (name, JSON text), in name order.
fn all_fields<'a>(f: &super::Fields<'a>) -> Vec<(String, String)> {
    f.iter()
        .map(|(k, v)| (k.to_string(), v.get().to_string()))
        .collect()
}

#[test]
fn flat_items_read_as_serde_reads_them() {
    use serde_json::value::RawValue;
    for text in [
        r#"{"sessionId":1,"userId":2,"loginDate":"2021-04-01T00:00:00.000Z","logoutDate":null}"#,
        " {\n \"a\" : \"x y\" ,\t\"b\":-1.5e3 , \"c\":true,\"d\":false,\"a\":\"z\"\r\n} ",
        r#"{}"#,
        r#"{ }"#,
        r#"{"é":"ü","n":0}"#,
    ] {
        let Ok(raw) = serde_json::from_str::<&RawValue>(text) else {
            panic!("{text}")
        };
        let Some(fast) = super::flat(raw.get()) else {
            panic!("not read as flat: {text}")
        };
        let Ok(slow) = super::Fields::parse(raw.get()) else {
            panic!("{text}")
        };
        assert_eq!(all_fields(&fast), all_fields(&slow), "{text}");
    }
    // Left to serde: escapes in keys or strings, nested values, what is not an object.
    for text in [
        r#"{"a":"x\"y"}"#,
        r#"{"a\u0062":1}"#,
        r#"{"a":{"b":1}}"#,
        r#"{"a":[1]}"#,
        r#"[1]"#,
        r#""x""#,
    ] {
        assert!(super::flat(text).is_none(), "{text}");
        let Ok(raw) = serde_json::from_str::<&RawValue>(text) else {
            panic!("{text}")
        };
        // Through `read` they are read all the same (or refused as serde refuses them).
        match (super::Fields::read(raw), super::Fields::parse(text)) {
            (Ok(a), Ok(b)) => assert_eq!(all_fields(&a), all_fields(&b)),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            _ => panic!("{text}"),
        }
    }
}

/// Property tests run natively only (proptest's RNG has no wasm32-unknown-unknown backend).
#[cfg(not(target_arch = "wasm32"))]
mod flat_props {
    use proptest::prelude::*;
    use serde_json::value::RawValue;

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            r#"[a-z é:,{}\[\]"\\]{0,8}"#.prop_map(|s| serde_json::Value::String(s).to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| serde_json::Value::from(f).to_string()),
            Just("true".to_string()),
            Just("false".to_string()),
            Just("null".to_string()),
            Just(r#"{"x":[1,"]"]}"#.to_string()),
        ]
    }

    proptest! {
        /// Any object, spaced any way JSON allows: the fast reader either declines or reads
        /// exactly what serde reads.
        #[test]
        fn flat_agrees_with_serde(
            fields in proptest::collection::vec((r#"[a-z é:,{}"\\]{0,6}"#, value()), 0..6),
            space in r#"[ \t\r\n]{0,2}"#,
        ) {
            let body: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{space}{}{space}:{space}{v}{space}", serde_json::Value::String(k.clone())))
                .collect();
            let text = format!("{space}{{{}}}{space}", body.join(","));
            let raw: &RawValue = serde_json::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
            let slow = super::super::Fields::parse(raw.get()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            if let Some(fast) = super::super::flat(raw.get()) {
                prop_assert_eq!(super::all_fields(&fast), super::all_fields(&slow), "{}", text);
            }
        }

        /// A list of objects, spaced any way JSON allows, then cut and spliced anywhere: the
        /// one-pass reader takes only what serde reads as JSON, and finds the items and fields
        /// that serde finds.
        #[test]
        fn flat_array_takes_only_json(
            items in proptest::collection::vec(
                proptest::collection::vec((r#"[a-z"\\]{0,3}"#, value()), 0..4), 0..4),
            space in r#"[ \t\r\n]{0,2}"#,
            at in any::<proptest::sample::Index>(),
            cut in 0usize..3,
            splice in r#"[ -~\t\n\r\u{c}é]{0,2}"#,
        ) {
            let objects: Vec<String> = items
                .iter()
                .map(|fields| {
                    let body: Vec<String> = fields
                        .iter()
                        .map(|(k, v)| format!("{}{space}:{space}{v}", serde_json::Value::String(k.clone())))
                        .collect();
                    format!("{{{space}{}{space}}}", body.join(&format!(",{space}")))
                })
                .collect();
            let text = format!("{space}[{space}{}{space}]{space}", objects.join(&format!("{space},")));
            let chars: Vec<char> = text.chars().collect();
            let from = at.index(chars.len() + 1);
            let spliced: String = chars.iter().take(from).chain(splice.chars().collect::<Vec<_>>().iter()).chain(chars.iter().skip(from + cut)).collect();
            for text in [text, spliced] {
                let mut fast = Vec::new();
                let taken = session_viewer_scan::json::flat_array(&text, &mut |raw, fields| {
                    fast.push((raw.to_string(), super::all_fields(&super::super::Fields(fields.clone()))));
                });
                if !taken {
                    continue;
                }
                let slow: Vec<&RawValue> = serde_json::from_str(&text).map_err(|e| TestCaseError::fail(format!("taken, but serde says {e}: {text:?}")))?;
                let slow: Vec<(String, Vec<(String, String)>)> = slow
                    .iter()
                    .map(|raw| super::super::Fields::parse(raw.get()).map(|f| (raw.get().to_string(), super::all_fields(&f))))
                    .collect::<Result<_, _>>()
                    .map_err(|e| TestCaseError::fail(format!("{e}: {text:?}")))?;
                prop_assert_eq!(fast, slow, "{:?}", text);
            }
        }
    }
}

#[test]
fn a_server_filter_goes_into_the_list_request_where_the_server_takes_it() {
    let creds = Credentials::Bearer("t".into());
    let window = Window {
        start: "2025-08-30",
        end: "",
        only: "FLRTask",
    };
    let ask = |conn: &Connection, window: &Window| {
        (conn.kind.vendor().lists[0].request)(conn, &creds, window, Page::first(10))
            .map(|c| c.url)
            .unwrap_or_default()
    };
    let aws = conn(Kind::VeeamAws, AuthMode::Password);
    assert_eq!(
        ask(&aws, &window),
        "/vendors/x/api/v1/sessions?Offset=0&Limit=10&FromUtc=2025-08-30T00%3A00%3A00Z&Types=FLRTask"
    );
    let types = aws.kind.vendor().lists[0].server_filter.as_ref();
    assert!(types.is_some_and(|f| f.label == "Type" && f.known.contains(&"FLRTask")));
    let job = Window {
        only: "6f1c&x",
        ..Window::ALL
    };
    let m365 = conn(Kind::VeeamM365, AuthMode::Password);
    assert_eq!(
        ask(&m365, &job),
        "/vendors/x/v8/JobSessions?offset=0&limit=10&jobId=6f1c%26x"
    );
    // `jobId` is on JobSessions from v7: a v6 server is not offered the filter.
    let jobs = m365.kind.vendor().lists[0].server_filter.as_ref();
    let served = |v: &str| {
        let c = Connection {
            api_version: Some(v.into()),
            ..m365.clone()
        };
        jobs.is_some_and(|f| f.known.is_empty() && (f.served)(&c))
    };
    assert!(served("v8") && served("v7") && !served("v6"));
    assert!(jobs.is_some_and(|f| (f.served)(&m365)), "the default, v8");
    // Without a value, nothing is added; vendors without a filter have none.
    assert_eq!(
        ask(&aws, &Window::ALL),
        "/vendors/x/api/v1/sessions?Offset=0&Limit=10"
    );
    for kind in [Kind::Ekran, Kind::VeeamEm, Kind::MimPam] {
        assert!(kind
            .vendor()
            .lists
            .iter()
            .all(|l| l.server_filter.is_none()));
    }
}
