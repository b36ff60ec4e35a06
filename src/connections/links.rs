//! Which links of a logon session lead to something the app can show itself, and the API path
//! each one is fetched from. Pure: a link's `href` comes from the server (or a file) and is
//! never sent anywhere as written; only a path built here from a recognised shape is.

use crate::connections::Connection;
use crate::vendors::Kind;

/// Hrefs longer than this are not followed (a real one is well under 200 characters).
pub const MAX_HREF: usize = 2048;
/// Ids longer than this are not followed (GUIDs are 36 characters).
const MAX_ID: usize = 64;

pub use crate::vendors::contract::Target;

/// The path below the connection's base URL that fetches `target` on `conn`'s server.
pub fn path(conn: &Connection, target: &Target) -> Option<String> {
    (conn.kind.vendor().links.path)(conn, target)
}

/// What `href`, a link in a document of connection kind `kind`, leads to, if the app can show
/// it; `None` means "copy only". `home` is the document's own address (EM's `Href`): an absolute
/// link must be on the same origin as an absolute `home`, so that a link naming another server is
/// never fetched from this connection in its place.
///
/// The link is read as `[scheme://host[:port]][/proxy/prefix]/<API root>/<path>`: everything up to
/// the vendor's API root (`/api/`, M365's `/v3/`) is where the server was reached, and is replaced
/// by the connection's base URL. Anything that is not `http(s)` or a path from the root
/// (`javascript:`, `//host`, relative paths), holds `.`/`..` segments, percent escapes,
/// backslashes, user info, spaces or controls, or is over [`MAX_HREF`], is copy only.
pub fn target(kind: Kind, href: &str, home: Option<&str>) -> Option<Target> {
    if href.len() > MAX_HREF
        || href
            .bytes()
            .any(|b| !b.is_ascii_graphic() || b == b'\\' || b == b'%')
    {
        return None;
    }
    // The query and fragment never matter to what is fetched: the path is rebuilt below.
    let href = href.split(['?', '#']).next().unwrap_or_default();
    let (origin, path) = split(href)?;
    if let (Some(origin), Some((Some(own), _))) = (origin, home.and_then(split)) {
        if !origin.eq_ignore_ascii_case(own) {
            return None;
        }
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return None;
    }
    let vendor = kind.vendor();
    let at = segments.iter().position(|s| (vendor.api_root)(s))?;
    let rest = segments.get(at + 1..).unwrap_or_default();
    let target = (vendor.links.target)(rest)?;
    // Ids go into request paths: only the shapes these APIs use.
    match &target {
        Target::LogonSession(id) | Target::Log(id) if !is_id(id) => None,
        _ => Some(target),
    }
}

/// `(origin, path)` of an absolute `http(s)` URL (origin lower-cased as written) or of a path
/// from the root (no origin); `None` for anything else.
fn split(href: &str) -> Option<(Option<&str>, &str)> {
    if href.starts_with('/') {
        return (!href.starts_with("//")).then_some((None, href));
    }
    let scheme_end = href.find("://")?;
    let scheme = href.get(..scheme_end)?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let after = scheme_end + 3;
    let path_at = href
        .get(after..)?
        .find('/')
        .map_or(href.len(), |i| after + i);
    let authority = href.get(after..path_at)?;
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    Some((href.get(..path_at), href.get(path_at..).unwrap_or_default()))
}

/// GUIDs and the other ids these APIs use: letters, digits, `-` and `_`. Every id that goes into
/// a request path passes here first.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ID
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUID: &str = "5496707f-c814-47ce-8d6d-110aa03cec03";
    const HOME: &str =
        "https://localhost:9398/api/logonSessions/5496707f-c814-47ce-8d6d-110aa03cec03";

    fn em(href: &str) -> Option<Target> {
        target(Kind::VeeamEm, href, Some(HOME))
    }

    /// The path of `target` on a connection of `kind` at `version` (its default when `None`).
    fn path_at(kind: Kind, version: Option<&str>, target: &Target) -> Option<String> {
        let conn = Connection {
            id: "c".into(),
            kind,
            label: "c".into(),
            base_url: "/x".into(),
            api_version: version.map(str::to_string),
            auth: crate::connections::AuthMode::None,
            timeout_s: 30,
        };
        super::path(&conn, target)
    }

    fn path(kind: Kind, target: &Target) -> Option<String> {
        path_at(kind, None, target)
    }

    #[test]
    fn the_em_seeds_links() {
        // The vendor example's own links: the session itself (its Delete link) is followable,
        // the reference lists the app cannot show are copy only.
        assert_eq!(em(HOME), Some(Target::LogonSession(GUID.into())));
        for other in [
            "https://localhost:9398/api/",
            "https://localhost:9398/api/backupServers",
            "https://localhost:9398/api/jobs",
            "https://localhost:9398/api/repositories",
        ] {
            assert_eq!(em(other), None, "{other}");
        }
        assert_eq!(
            em("https://localhost:9398/api/logonSessions"),
            Some(Target::LogonSessions)
        );
    }

    #[test]
    fn the_path_after_the_api_root_is_kept_and_the_rest_replaced() {
        // Behind a proxy (the simulator's own hrefs), relative, any case, a trailing slash, a query.
        let sim = "http://127.0.0.1:8080/vendors/em/api/logonSessions/abc-1";
        assert_eq!(
            target(
                Kind::VeeamEm,
                sim,
                Some("http://127.0.0.1:8080/vendors/em/api/logonSessions/x")
            ),
            Some(Target::LogonSession("abc-1".into()))
        );
        assert_eq!(
            em("/api/LOGONSESSIONS/abc"),
            Some(Target::LogonSession("abc".into()))
        );
        assert_eq!(em("/api/logonSessions/"), Some(Target::LogonSessions));
        assert_eq!(
            em("/api/logonSessions?format=Entity#x"),
            Some(Target::LogonSessions)
        );
        assert_eq!(
            path(Kind::VeeamEm, &Target::LogonSession("abc".into())).unwrap_or_default(),
            "/api/logonSessions/abc"
        );
        assert_eq!(
            path(Kind::VeeamEm, &Target::LogonSessions).unwrap_or_default(),
            "/api/logonSessions"
        );
        // Without an address of its own, any http(s) origin is read as the connection's.
        assert_eq!(
            target(Kind::VeeamEm, "https://em.example/api/logonSessions", None),
            Some(Target::LogonSessions)
        );
    }

    #[test]
    fn logs_of_vba_and_m365_sessions() {
        let aws = target(
            Kind::VeeamAws,
            "https://vba:11005/api/v1/sessions/s-1/log",
            None,
        );
        assert_eq!(aws, Some(Target::Log("s-1".into())));
        assert_eq!(
            path(Kind::VeeamAws, &Target::Log("s-1".into())).unwrap_or_default(),
            "/api/v1/sessions/s-1/log"
        );
        let m365 = target(
            Kind::VeeamM365,
            "/vendors/m365/v3/JobSessions/be37/LogItems",
            None,
        );
        assert_eq!(m365, Some(Target::Log("be37".into())));
        // Fetched at the connection's version, whatever version the link was written at.
        assert_eq!(
            path(Kind::VeeamM365, &Target::Log("be37".into())).unwrap_or_default(),
            "/v8/JobSessions/be37/LogItems"
        );
        assert_eq!(
            path_at(Kind::VeeamM365, Some("v6"), &Target::Log("be37".into())).unwrap_or_default(),
            "/v6/JobSessions/be37/LogItems"
        );
        assert_eq!(
            target(
                Kind::VeeamM365,
                "https://vbo:4443/v8/JobSessions/be37/LogItems",
                None
            ),
            Some(Target::Log("be37".into()))
        );
        // M365's own (wrong) `_links.log` and a session alone are not logs the app can fetch.
        assert_eq!(
            target(Kind::VeeamM365, "/v3/JobSessions/be37/Log", None),
            None
        );
        assert_eq!(target(Kind::VeeamAws, "/api/v1/sessions/s-1", None), None);
        // A link is read for its own connection kind only.
        assert_eq!(
            target(Kind::VeeamEm, "/api/v1/sessions/s-1/log", None),
            None
        );
        assert_eq!(target(Kind::MimPam, "/api/logonSessions", None), None);
        assert_eq!(target(Kind::Ekran, "/api/logonSessions", None), None);
    }

    #[test]
    fn hostile_hrefs_are_copy_only() {
        let huge = format!(
            "https://localhost:9398/api/logonSessions/{}",
            "a".repeat(MAX_HREF)
        );
        let long_id = format!("/api/logonSessions/{}", "a".repeat(MAX_ID + 1));
        for href in [
            // Another server's path, with or without tricks in the authority.
            "https://evil.example/api/logonSessions",
            "https://localhost:9398@evil.example/api/logonSessions",
            "https://user@localhost:9398/api/logonSessions",
            "http://localhost:9398/api/logonSessions",
            "//evil.example/api/logonSessions",
            // Not http(s), or not from the root.
            "javascript:alert(1)//api/logonSessions",
            "JAVASCRIPT:/api/logonSessions",
            "javascript://localhost:9398/api/logonSessions",
            "data:text/html,/api/logonSessions",
            "file:///api/logonSessions",
            "api/logonSessions",
            "",
            "https://",
            "https:///api/logonSessions",
            // Climbing out, or hiding a climb, a slash or a query in escapes.
            "/api/logonSessions/..",
            "/api/logonSessions/../../admin",
            "/x/../api/logonSessions/.",
            "/api/logonSessions/%2e%2e",
            "/api/logonSessions/a%2fb",
            "/api\\logonSessions",
            "/api/logonSessions/a b",
            "/api/logonSessions/a\u{0}b",
            "/api/logonSessions/é",
            // Shapes that are not a logon session.
            "/api/logonSessions/a/b",
            "/api/logonSessions/a.b",
            "/api/logonSessions/a:b",
            "/api/sessionMngr/?v=latest",
            "/logonSessions/abc",
            &huge,
            &long_id,
        ] {
            assert_eq!(em(href), None, "{href:?}");
        }
        // The same id at the limit is fine.
        assert!(em(&format!("/api/logonSessions/{}", "a".repeat(MAX_ID))).is_some());
    }
}
