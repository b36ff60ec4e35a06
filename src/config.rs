//! `config.json` beside `index.html` (SPEC §3.2): the connections an operator set up, read and
//! checked one by one so that a bad entry is reported and the rest still work.

use serde::Deserialize;

use crate::vendors::Kind;

/// How a connection authenticates (SPEC §3.2 `auth`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMode {
    /// A log-on form: user name and password (EM Basic, VBA and M365 token grants).
    Password,
    /// A token the user pastes.
    Token,
    /// The browser's own credentials (PAM's Windows authentication): cookies, no custom headers.
    Browser,
    /// Nothing: a proxy in front authenticates.
    None,
}

/// A checked connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    pub id: String,
    pub kind: Kind,
    pub label: String,
    /// Relative (`/vendors/aws`, behind the portal's proxy) or absolute; no trailing slash.
    pub base_url: String,
    /// VBA's `x-api-version`.
    pub api_version: Option<String>,
    pub auth: AuthMode,
    /// Seconds a request may take before it is stopped and reported as timed out.
    pub timeout_s: u32,
}

/// The checked configuration, plus what could not be used of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    pub connections: Vec<Connection>,
    /// Origins allowed to post a token to the app when it is embedded.
    pub allowed_parent_origins: Vec<String>,
    /// One sentence per entry that was ignored, and why.
    pub problems: Vec<String>,
}

/// The per-request time limit when `config.json` names none.
pub const DEFAULT_TIMEOUT_S: u32 = 30;
/// The longest `timeoutSeconds` accepted: past this, a user has long given up.
pub const MAX_TIMEOUT_S: u32 = 600;

/// The VBA API revision assumed when a connection names none (the seed page's).
pub const DEFAULT_AWS_API_VERSION: &str = "1.0-rev0";

/// Connections stay raw so that each is read on its own (and `serde_json::Value`, which costs
/// wasm size, is not needed).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawConfig<'a> {
    #[serde(default, borrow)]
    connections: Vec<&'a serde_json::value::RawValue>,
    embed: Option<RawEmbed>,
    /// Read on its own, so that a bad value is reported rather than failing the whole file.
    #[serde(borrow)]
    timeout_seconds: Option<&'a serde_json::value::RawValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEmbed {
    #[serde(default)]
    allowed_parent_origins: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawConnection {
    id: Option<String>,
    kind: Option<String>,
    label: Option<String>,
    base_url: Option<String>,
    api_version: Option<String>,
    auth: Option<String>,
    timeout_seconds: Option<Box<serde_json::value::RawValue>>,
}

/// Reads `config.json`. Only a file that is not a JSON object at all is an error; each bad
/// connection is skipped with a reason in [`Config::problems`].
pub fn parse_config(text: &str) -> Result<Config, String> {
    let raw: RawConfig =
        serde_json::from_str(text).map_err(|e| format!("config.json cannot be read: {e}"))?;
    let mut config = Config::default();
    let default_timeout = match timeout_seconds(raw.timeout_seconds.map(|t| t.get())) {
        Ok(t) => t.unwrap_or(DEFAULT_TIMEOUT_S),
        Err(why) => {
            config.problems.push(format!(
                "the top-level timeoutSeconds is ignored ({DEFAULT_TIMEOUT_S} s apply): {why}"
            ));
            DEFAULT_TIMEOUT_S
        }
    };
    for (index, value) in raw.connections.into_iter().enumerate() {
        let label = format!("connection {}", index + 1);
        match serde_json::from_str::<RawConnection>(value.get()) {
            Err(e) => config.problems.push(format!("{label} is ignored: {e}")),
            Ok(c) => match check(c, &config.connections, default_timeout) {
                Ok(c) => config.connections.push(c),
                Err(why) => config.problems.push(format!("{label} is ignored: {why}")),
            },
        }
    }
    for origin in raw
        .embed
        .map(|e| e.allowed_parent_origins)
        .unwrap_or_default()
    {
        match origin_of(&origin) {
            Some(o) if o == origin.trim_end_matches('/') => config.allowed_parent_origins.push(o),
            _ => config
                .problems
                .push(format!("embed origin “{origin}” is ignored: an origin is scheme://host[:port], nothing more")),
        }
    }
    Ok(config)
}

/// `timeoutSeconds`: a whole number of seconds from 1 to [`MAX_TIMEOUT_S`].
fn timeout_seconds(raw: Option<&str>) -> Result<Option<u32>, String> {
    let Some(text) = raw.map(str::trim).filter(|t| *t != "null") else {
        return Ok(None);
    };
    match text.parse::<u32>() {
        Ok(s) if (1..=MAX_TIMEOUT_S).contains(&s) => Ok(Some(s)),
        _ => Err(format!(
            "timeoutSeconds “{}” must be a whole number of seconds from 1 to {MAX_TIMEOUT_S}",
            crate::format::clip(text, 40).0
        )),
    }
}

fn check(
    c: RawConnection,
    earlier: &[Connection],
    default_timeout: u32,
) -> Result<Connection, String> {
    let id =
        c.id.filter(|i| !i.trim().is_empty())
            .ok_or("it has no id")?;
    if !id
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
    {
        return Err(format!(
            "its id “{id}” may hold only letters, digits, '-' and '_' (it appears in links)"
        ));
    }
    if earlier.iter().any(|e| e.id == id) {
        return Err(format!("the id “{id}” is used twice"));
    }
    let kind_text = c.kind.unwrap_or_default();
    let kind = Kind::from_id(&kind_text).ok_or_else(|| {
        format!(
            "its kind “{kind_text}” is not one of veeam-em, veeam-aws, mim-pam, veeam-m365, ekran"
        )
    })?;
    let base = c
        .base_url
        .filter(|b| !b.trim().is_empty())
        .ok_or("it has no baseUrl")?;
    let base = base.trim().trim_end_matches('/').to_string();
    if !(base.starts_with('/') || base.starts_with("https://") || base.starts_with("http://")) {
        return Err(format!(
            "its baseUrl “{base}” must start with / or http(s)://"
        ));
    }
    let auth = match c.auth.as_deref().unwrap_or(default_auth(kind)) {
        "password" => AuthMode::Password,
        "token" => AuthMode::Token,
        "browser" => AuthMode::Browser,
        "none" => AuthMode::None,
        other => {
            return Err(format!(
                "its auth “{other}” is not one of password, token, browser, none"
            ))
        }
    };
    if auth == AuthMode::Password && matches!(kind, Kind::MimPam | Kind::Ekran) {
        return Err(format!(
            "{} has no password log-on; use token, browser or none",
            kind.product()
        ));
    }
    let api_version = match kind {
        Kind::VeeamAws => Some(
            c.api_version
                .unwrap_or_else(|| DEFAULT_AWS_API_VERSION.to_string()),
        ),
        _ => c.api_version,
    };
    let timeout_s =
        timeout_seconds(c.timeout_seconds.as_deref().map(|t| t.get()))?.unwrap_or(default_timeout);
    Ok(Connection {
        timeout_s,
        label: c
            .label
            .filter(|l| !l.trim().is_empty())
            .unwrap_or_else(|| kind.product().to_string()),
        id,
        kind,
        base_url: base,
        api_version,
        auth,
    })
}

/// What a kind uses when `auth` is left out.
fn default_auth(kind: Kind) -> &'static str {
    match kind {
        Kind::MimPam => "browser",
        Kind::Ekran => "token",
        Kind::VeeamEm | Kind::VeeamAws | Kind::VeeamM365 => "password",
    }
}

/// `scheme://host[:port]` of an absolute URL.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .filter(|h| !h.is_empty())?;
    Some(format!("{scheme}://{host}"))
}

impl Connection {
    /// The URL of `path` (which starts with `/`) on this connection's server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Whether requests go to another origin than the page's (and so need the server's CORS).
    pub fn is_cross_origin(&self, page_origin: &str) -> bool {
        origin_of(&self.base_url).is_some_and(|o| o != page_origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_example() {
        let text = r#"{ "connections": [ { "id": "aws-prod", "kind": "veeam-aws", "label": "AWS backups",
            "baseUrl": "/vendors/aws", "apiVersion": "1.0-rev0", "auth": "password" } ],
            "embed": { "allowedParentOrigins": ["https://portal.example"] } }"#;
        let config = parse_config(text).expect("the SPEC example reads"); // ok: test fixture
        assert_eq!(
            config.connections,
            [Connection {
                id: "aws-prod".into(),
                kind: Kind::VeeamAws,
                label: "AWS backups".into(),
                base_url: "/vendors/aws".into(),
                api_version: Some("1.0-rev0".into()),
                auth: AuthMode::Password,
                timeout_s: DEFAULT_TIMEOUT_S,
            }]
        );
        assert_eq!(config.allowed_parent_origins, ["https://portal.example"]);
        assert!(config.problems.is_empty());
    }

    #[test]
    fn bad_entries_are_skipped_with_reasons() {
        let text = r#"{ "connections": [
            { "id": "a", "kind": "veeam-em", "baseUrl": "https://em.example:9398/" },
            { "id": "a", "kind": "ekran", "baseUrl": "/x" },
            { "kind": "ekran", "baseUrl": "/x" },
            { "id": "b c", "kind": "ekran", "baseUrl": "/x" },
            { "id": "d", "kind": "nope", "baseUrl": "/x" },
            { "id": "e", "kind": "ekran" },
            { "id": "f", "kind": "ekran", "baseUrl": "ftp://x" },
            { "id": "g", "kind": "mim-pam", "baseUrl": "/pam", "auth": "password" },
            { "id": "h", "kind": "veeam-m365", "baseUrl": "/m", "auth": "magic" },
            "not an object",
            { "id": "i", "kind": "mim-pam", "baseUrl": "/pam" }
        ], "embed": { "allowedParentOrigins": ["https://ok.example", "https://bad.example/path", "javascript:x"] } }"#;
        let config = parse_config(text).expect("reads"); // ok: test fixture
        let ids: Vec<&str> = config.connections.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "i"]);
        assert_eq!(
            config.connections[0].base_url, "https://em.example:9398",
            "trailing slash dropped"
        );
        assert_eq!(
            config.connections[0].auth,
            AuthMode::Password,
            "EM defaults to password"
        );
        assert_eq!(
            config.connections[0].label,
            "Veeam Backup Enterprise Manager"
        );
        assert_eq!(
            config.connections[1].auth,
            AuthMode::Browser,
            "PAM defaults to browser"
        );
        let problems = config.problems.join("\n");
        for needle in [
            "used twice",
            "has no id",
            "may hold only",
            "“nope”",
            "no baseUrl",
            "must start with",
            "no password log-on",
            "“magic”",
            "connection 10 is ignored",
            "bad.example/path",
            "javascript:x",
        ] {
            assert!(problems.contains(needle), "{needle} in\n{problems}");
        }
        assert_eq!(config.allowed_parent_origins, ["https://ok.example"]);
    }

    #[test]
    fn unreadable_files_and_defaults() {
        assert!(parse_config("not json").is_err());
        assert!(parse_config("[]").is_err());
        assert_eq!(parse_config("{}"), Ok(Config::default()));
        let aws = parse_config(r#"{"connections":[{"id":"x","kind":"veeam-aws","baseUrl":"/a"}]}"#);
        assert_eq!(
            aws.map(|c| c.connections[0].api_version.clone()),
            Ok(Some(DEFAULT_AWS_API_VERSION.to_string()))
        );
    }

    #[test]
    fn timeouts_per_file_and_per_connection() {
        let text = r#"{ "timeoutSeconds": 5, "connections": [
            { "id": "a", "kind": "ekran", "baseUrl": "/e" },
            { "id": "b", "kind": "ekran", "baseUrl": "/e", "timeoutSeconds": 120 },
            { "id": "c", "kind": "ekran", "baseUrl": "/e", "timeoutSeconds": 0 },
            { "id": "d", "kind": "ekran", "baseUrl": "/e", "timeoutSeconds": 2.5 },
            { "id": "e", "kind": "ekran", "baseUrl": "/e", "timeoutSeconds": "10" },
            { "id": "f", "kind": "ekran", "baseUrl": "/e", "timeoutSeconds": 601 },
            { "id": "g", "kind": "ekran", "baseUrl": "/e", "timeoutSeconds": null }
        ] }"#;
        let config = parse_config(text).expect("reads"); // ok: test fixture
        let got: Vec<(&str, u32)> = config
            .connections
            .iter()
            .map(|c| (c.id.as_str(), c.timeout_s))
            .collect();
        assert_eq!(got, [("a", 5), ("b", 120), ("g", 5)]);
        let problems = config.problems.join("\n");
        for needle in ["“0”", "“2.5”", "“\"10\"”", "“601”"] {
            assert!(problems.contains(needle), "{needle} in\n{problems}");
        }
        assert!(problems.contains("from 1 to 600"));

        let bad_top = parse_config(
            r#"{ "timeoutSeconds": -1, "connections": [{ "id": "a", "kind": "ekran", "baseUrl": "/e" }] }"#,
        )
        .expect("a bad top-level timeout does not fail the file"); // ok: test fixture
        assert_eq!(bad_top.connections[0].timeout_s, DEFAULT_TIMEOUT_S);
        assert!(bad_top.problems[0].starts_with("the top-level timeoutSeconds is ignored"));
        let none =
            parse_config(r#"{ "connections": [{ "id": "a", "kind": "ekran", "baseUrl": "/e" }] }"#);
        assert_eq!(
            none.map(|c| c.connections[0].timeout_s),
            Ok(DEFAULT_TIMEOUT_S)
        );
    }

    #[test]
    fn urls_and_origins() {
        let c = |base: &str| Connection {
            id: "x".into(),
            kind: Kind::Ekran,
            label: "x".into(),
            base_url: base.into(),
            api_version: None,
            auth: AuthMode::None,
            timeout_s: DEFAULT_TIMEOUT_S,
        };
        assert_eq!(
            c("/vendors/ekran").url("/ekranapi/sessions"),
            "/vendors/ekran/ekranapi/sessions"
        );
        assert!(!c("/vendors/ekran").is_cross_origin("http://127.0.0.1:8080"));
        assert!(!c("http://127.0.0.1:8080/x").is_cross_origin("http://127.0.0.1:8080"));
        assert!(c("https://ekran.example/x").is_cross_origin("http://127.0.0.1:8080"));
        assert_eq!(
            origin_of("https://a.example:8443/p?q"),
            Some("https://a.example:8443".into())
        );
        assert_eq!(origin_of("/relative"), None);
    }
}
