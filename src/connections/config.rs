//! `config.json` beside `index.html` (SPEC §3.2): the connections an operator set up, read and
//! checked one by one so that a bad entry is reported and the rest still work.

use crate::vendors::Fields;

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
    /// The API version, where the vendor has a setting for it (VBA's `x-api-version`, PAM's `?v=`).
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

/// `config.json`'s top level, its connections still raw.
struct RawConfig<'a> {
    connections: Vec<&'a serde_json::value::RawValue>,
    timeout_seconds: Option<&'a serde_json::value::RawValue>,
}

/// Why `config.json` gave no connections at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// Occurs when the file is not a JSON object of `config.json`'s form.
    Unreadable(String),
    /// Occurs when fetching it answered with an error status other than 404.
    Status(u16),
    /// Occurs when it could not be fetched at all.
    Fetch(String),
    /// Occurs when its body could not be read.
    Body(String),
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Unreadable(e) => write!(f, "config.json cannot be read: {e}"),
            ConfigError::Status(status) => {
                write!(f, "config.json could not be fetched: HTTP {status}")
            }
            ConfigError::Fetch(e) => write!(f, "config.json could not be fetched: {e}"),
            ConfigError::Body(e) => write!(f, "config.json could not be read: {e}"),
        }
    }
}

/// Whether an answer for `config.json` is an HTML page (a host's fallback to `index.html` for a
/// file it does not have) rather than a configuration.
pub fn is_html(text: &str) -> bool {
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    start.starts_with('<')
}

/// Reads `config.json`. Only a file that is not a JSON object at all is an error; each bad
/// connection is skipped with a reason in [`Config::problems`].
pub fn parse_config(text: &str) -> Result<Config, ConfigError> {
    // Read by field (no serde derive: each costs the bundle its visitor); connections stay raw
    // so that each is read on its own, and a bad `timeoutSeconds` is reported, not fatal.
    let unreadable = |e: crate::vendors::ItemError| ConfigError::Unreadable(e.to_string());
    let fields = Fields::parse(text).map_err(unreadable)?;
    let origins: Vec<String> = match fields.object("embed").map_err(unreadable)? {
        Some(embed) => embed
            .raw("allowedParentOrigins")
            .map(|r| serde_json::from_str(r.get()))
            .transpose()
            .map_err(|e| ConfigError::Unreadable(e.to_string()))?
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let raw = RawConfig {
        connections: fields
            .list("connections")
            .map_err(unreadable)?
            .unwrap_or_default(),
        timeout_seconds: fields.raw("timeoutSeconds"),
    };
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
        let earlier = &config.connections;
        match read_connection(
            value.get(),
            &|id| earlier.iter().any(|e| e.id == id),
            default_timeout,
        ) {
            Ok(c) => config.connections.push(c),
            Err(why) => config.problems.push(format!("{label} is ignored: {why}")),
        }
    }
    for origin in origins {
        match parent_origin(&origin) {
            Some(o) => config.allowed_parent_origins.push(o),
            None => config
                .problems
                .push(format!("embed origin “{origin}” is ignored: a portal origin is https://host[:port], nothing more")),
        }
    }
    Ok(config)
}

/// Why one connection entry cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryError {
    /// Occurs when the entry is not a JSON object of the entry's form (serde's words).
    NotAnEntry(String),
    /// Occurs when fields of the entry are not valid: each problem with its field.
    Invalid(Vec<Invalid>),
}

/// The problems as one sentence, `; ` between them.
impl std::fmt::Display for EntryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EntryError::NotAnEntry(why) => f.write_str(why),
            EntryError::Invalid(bad) => {
                for (i, b) in bad.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    f.write_str(&b.why)?;
                }
                Ok(())
            }
        }
    }
}

/// Reads one connection entry (a JSON object in `config.json`'s form) and checks it.
pub fn read_connection(
    json: &str,
    taken: &dyn Fn(&str) -> bool,
    default_timeout: u32,
) -> Result<Connection, EntryError> {
    let read = || -> Result<Draft, crate::vendors::ItemError> {
        let c = Fields::parse(json)?;
        Ok(Draft {
            id: c.text("id")?,
            kind: c.text("kind")?,
            label: c.text("label")?,
            base_url: c.text("baseUrl")?,
            api_version: c.text("apiVersion")?,
            auth: c.text("auth")?,
            timeout_seconds: c.raw("timeoutSeconds").map(|t| t.get().to_string()),
        })
    };
    let draft = read().map_err(|e| EntryError::NotAnEntry(e.to_string()))?;
    validate(draft, taken, default_timeout).map_err(EntryError::Invalid)
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

/// A connection as written, in `config.json` or in the connection editor: every field as text,
/// none required yet. [`check`] decides, for both, so that they accept exactly the same.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub id: Option<String>,
    pub kind: Option<String>,
    pub label: Option<String>,
    pub base_url: Option<String>,
    pub api_version: Option<String>,
    pub auth: Option<String>,
    /// `timeoutSeconds` as written: JSON text from `config.json`, or what the user typed.
    pub timeout_seconds: Option<String>,
}

/// A connection's fields, by their `config.json` names (which are also the editor's input names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Id,
    Kind,
    Label,
    BaseUrl,
    ApiVersion,
    Auth,
    Timeout,
}

impl Field {
    /// Every field, in the editor's order (the id, which the editor makes, last).
    pub const ALL: [Field; 7] = [
        Field::Kind,
        Field::Label,
        Field::BaseUrl,
        Field::ApiVersion,
        Field::Auth,
        Field::Timeout,
        Field::Id,
    ];

    /// The `config.json` key and the editor's input name.
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Kind => "kind",
            Field::Label => "label",
            Field::BaseUrl => "baseUrl",
            Field::ApiVersion => "apiVersion",
            Field::Auth => "auth",
            Field::Timeout => "timeoutSeconds",
        }
    }
}

/// Why one field of a [`Draft`] cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub field: Field,
    pub why: String,
}

/// The longest id: it appears in links and document ids.
pub const MAX_ID: usize = 64;
/// The longest label, in characters.
pub const MAX_LABEL: usize = 100;
/// The longest base URL.
pub const MAX_BASE_URL: usize = 2048;

impl AuthMode {
    /// The `config.json` word.
    pub fn id(self) -> &'static str {
        match self {
            AuthMode::Password => "password",
            AuthMode::Token => "token",
            AuthMode::Browser => "browser",
            AuthMode::None => "none",
        }
    }

    fn from_id(id: &str) -> Option<AuthMode> {
        [
            AuthMode::Password,
            AuthMode::Token,
            AuthMode::Browser,
            AuthMode::None,
        ]
        .into_iter()
        .find(|a| a.id() == id)
    }
}

/// The ways a kind can sign in (SPEC §1), its default first.
pub fn auth_modes(kind: Kind) -> &'static [AuthMode] {
    kind.vendor().auth_modes
}

/// Checks every field of `draft`; `taken` says whether an id is already used. All problems are
/// returned, each with its field, so that the editor can show each beside its input.
pub fn validate(
    draft: Draft,
    taken: &dyn Fn(&str) -> bool,
    default_timeout: u32,
) -> Result<Connection, Vec<Invalid>> {
    let mut bad = Vec::new();
    let mut fail = |field, why: String| bad.push(Invalid { field, why });
    let quoted = |text: &str| format!("“{}”", crate::format::clip(text, 40).0);

    let id = draft.id.unwrap_or_default();
    if id.trim().is_empty() {
        fail(Field::Id, "it has no id".into());
    } else if id.len() > MAX_ID {
        fail(
            Field::Id,
            format!("its id is longer than {MAX_ID} characters"),
        );
    } else if !id
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
    {
        fail(
            Field::Id,
            format!(
                "its id {} may hold only letters, digits, '-' and '_' (it appears in links)",
                quoted(&id)
            ),
        );
    } else if taken(&id) {
        fail(Field::Id, format!("the id “{id}” is used twice"));
    }

    let kind_text = draft.kind.unwrap_or_default();
    let kind = Kind::from_id(&kind_text);
    if kind.is_none() {
        fail(
            Field::Kind,
            format!(
                "its kind {} is not one of {}",
                quoted(&kind_text),
                Kind::ALL.map(Kind::id).join(", ")
            ),
        );
    }

    let label = draft.label.unwrap_or_default();
    let label = label.trim();
    if label.chars().count() > MAX_LABEL {
        fail(
            Field::Label,
            format!("its label is longer than {MAX_LABEL} characters"),
        );
    } else if label.chars().any(char::is_control) {
        fail(
            Field::Label,
            "its label may not hold control characters (line breaks, tabs)".into(),
        );
    }

    let base = match base_url(draft.base_url.as_deref().unwrap_or_default()) {
        Ok(base) => base,
        Err(bad) => {
            fail(bad.field, bad.why);
            String::new()
        }
    };

    let auth = match draft.auth.as_deref().filter(|a| !a.is_empty()) {
        None => kind.and_then(|k| auth_modes(k).first().copied()),
        Some(text) => match AuthMode::from_id(text) {
            None => {
                fail(
                    Field::Auth,
                    format!(
                        "its auth {} is not one of password, token, browser, none",
                        quoted(text)
                    ),
                );
                None
            }
            Some(auth) => match kind {
                Some(k) if !auth_modes(k).contains(&auth) => {
                    let modes: Vec<&str> = auth_modes(k).iter().map(|a| a.id()).collect();
                    fail(
                        Field::Auth,
                        format!(
                            "{} has no {} log-on; use {}",
                            k.product(),
                            auth.id(),
                            modes.join(", ")
                        ),
                    );
                    None
                }
                _ => Some(auth),
            },
        },
    };

    // A password or token sent over plain http crosses the network readable by anyone on the
    // way; only this machine's own loopback is exempt (a local proxy, the simulator).
    if matches!(auth, Some(AuthMode::Password | AuthMode::Token)) && plain_http_off_loopback(&base)
    {
        fail(
            Field::BaseUrl,
            "its baseUrl must be https:// (http:// would send the password or token unencrypted; it is allowed on loopback only)".into(),
        );
    }

    let version = draft
        .api_version
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let rule = kind.and_then(|k| k.vendor().version.as_ref());
    let api_version = match (rule, version) {
        // None named: the vendor's default applies when a request is built (or, where the
        // vendor finds its version itself, the one found at log-on).
        (Some(_), None) => None,
        (Some(rule), Some(v)) if (rule.valid)(v) => Some(v.to_string()),
        (Some(rule), Some(v)) => {
            fail(
                Field::ApiVersion,
                format!("apiVersion {} {}", quoted(v), rule.refused),
            );
            None
        }
        // The other kinds have no version setting: a value there is not used.
        (None, _) => None,
    };

    let timeout = draft
        .timeout_seconds
        .as_deref()
        .filter(|t| !t.trim().is_empty());
    let timeout_s = match timeout_seconds(timeout) {
        Ok(t) => t.unwrap_or(default_timeout),
        Err(why) => {
            fail(Field::Timeout, why);
            default_timeout
        }
    };

    match (kind, auth) {
        (Some(kind), Some(auth)) if bad.is_empty() => Ok(Connection {
            label: if label.is_empty() {
                kind.product().to_string()
            } else {
                label.to_string()
            },
            id,
            kind,
            base_url: base,
            api_version,
            auth,
            timeout_s,
        }),
        _ => Err(bad),
    }
}

/// A base URL: a path on this origin (`/vendors/aws`, behind a reverse proxy) or `http(s)://`
/// host and path; never a user name or password, a query, a fragment, spaces or control
/// characters. Returned without its trailing slash.
fn base_url(text: &str) -> Result<String, Invalid> {
    base_url_text(text).map_err(|why| Invalid {
        field: Field::BaseUrl,
        why,
    })
}

/// [`base_url`], with the reason alone.
fn base_url_text(text: &str) -> Result<String, String> {
    let text = text.trim();
    let shown = || crate::format::clip(text, 60).0;
    if text.is_empty() {
        return Err(
            "it has no baseUrl (a path such as /vendors/aws, or https://server:port)".into(),
        );
    }
    if text.len() > MAX_BASE_URL {
        return Err(format!(
            "its baseUrl is longer than {MAX_BASE_URL} characters"
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return Err(format!(
            "its baseUrl “{}” holds spaces, control characters or backslashes",
            shown()
        ));
    }
    if text.contains(['?', '#']) {
        return Err(format!(
            "its baseUrl “{}” may not hold a query (?) or fragment (#)",
            shown()
        ));
    }
    let base = text.trim_end_matches('/');
    if let Some(rest) = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
    {
        let host = rest.split('/').next().unwrap_or_default();
        if host.is_empty() {
            return Err(format!("its baseUrl “{}” names no server", shown()));
        }
        if host.contains('@') {
            return Err(
                "its baseUrl may not hold a user name or password (credentials never go in URLs)"
                    .into(),
            );
        }
        return Ok(base.to_string());
    }
    if base.starts_with("//") {
        return Err(format!(
            "its baseUrl “{}” must start with a single / (a path on this server) or with http(s)://",
            shown()
        ));
    }
    if base.starts_with('/') {
        return Ok(base.to_string());
    }
    Err(format!(
        "its baseUrl “{}” must start with / or http(s)://",
        shown()
    ))
}

/// An id for a connection added in the editor: its label in lower-case ASCII letters, digits
/// and '-', or `fallback` (its kind's id) when that leaves nothing; `-2`, `-3`… when `taken`
/// says it is used.
pub fn new_id(label: &str, fallback: &str, taken: &dyn Fn(&str) -> bool) -> String {
    let mut slug = String::new();
    for c in label.chars() {
        if slug.len() >= 40 {
            break;
        }
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { fallback } else { slug };
    let mut id = slug.to_string();
    let mut n = 1u32;
    while taken(&id) {
        n += 1;
        id = format!("{slug}-{n}");
    }
    id
}

/// Whether `base` is `http://` to another server than this machine's loopback (`localhost`,
/// 127.0.0.0/8, `[::1]`). A host of digits and dots is an IPv4 address to browsers (`127.1` too).
fn plain_http_off_loopback(base: &str) -> bool {
    let Some(rest) = base.strip_prefix("http://") else {
        return false;
    };
    let host_port = rest.split('/').next().unwrap_or_default();
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    let v4_loopback =
        host.starts_with("127.") && host.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    !(v4_loopback || host == "::1" || host.eq_ignore_ascii_case("localhost"))
}

/// An origin `embed.allowedParentOrigins` accepts: exactly `https://host[:port]` (a trailing `/`
/// is dropped, the host lower-cased as browsers write origins); never a user name or password, a
/// path, a query or a fragment, and `http://` only for this machine's own loopback (a portal
/// being developed, the e2e suite), the same exemption as base URLs.
pub fn parent_origin(text: &str) -> Option<String> {
    let (scheme, rest) = match text.strip_prefix("https://") {
        Some(rest) => ("https", rest),
        None => {
            let rest = text.strip_prefix("http://")?;
            if plain_http_off_loopback(text) {
                return None;
            }
            ("http", rest)
        }
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    // A port follows the last `:`, unless that `:` is inside an IPv6 literal's brackets.
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') => (h, Some(p)),
        _ => (rest, None),
    };
    let bracketed = host.starts_with('[') && host.ends_with(']') && host.len() > 2;
    let host_ok = (bracketed || !host.bytes().any(|b| b"[]:".contains(&b)))
        && !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    let port_ok =
        port.is_none_or(|p| p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok());
    (host_ok && port_ok).then(|| format!("{scheme}://{}", rest.to_ascii_lowercase()))
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

    /// The header that carries the connection's API version on every call, where its vendor
    /// sends the version in one (VBA's `x-api-version`).
    pub fn version_header(&self) -> Option<(&'static str, String)> {
        let rule = self.kind.vendor().version.as_ref()?;
        let value = self.api_version.as_deref().or(rule.default)?.to_string();
        Some((rule.header?, value))
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
    fn portal_origins_are_https_host_and_port_only() {
        for (text, want) in [
            ("https://portal.example", Some("https://portal.example")),
            (
                "https://Portal.Example:8443/",
                Some("https://portal.example:8443"),
            ),
            ("https://[::1]:8443", Some("https://[::1]:8443")),
            ("http://portal.example", None),
            ("http://127.0.0.1:8443", Some("http://127.0.0.1:8443")),
            ("http://localhost:9000/", Some("http://localhost:9000")),
            ("http://127.0.0.1.evil.example", None),
            ("http://user@127.0.0.1", None),
            ("https://user@portal.example", None),
            ("https://user:pw@portal.example", None),
            ("https://portal.example/path", None),
            ("https://portal.example?q", None),
            ("https://portal.example#f", None),
            ("https://portal.example:", None),
            ("https://portal.example:99999", None),
            ("https://portal.example:8a", None),
            ("https://", None),
            ("https://[]", None),
            ("https://a:b:8443", None),
            ("https://por tal.example", None),
            ("javascript:alert(1)", None),
            ("*", None),
        ] {
            assert_eq!(parent_origin(text).as_deref(), want, "{text}");
        }
        let config = parse_config(
            r#"{"embed":{"allowedParentOrigins":["http://portal.example","https://u@p.example","https://ok.example"]}}"#,
        )
        .expect("reads"); // ok: test fixture
        assert_eq!(config.allowed_parent_origins, ["https://ok.example"]);
        assert_eq!(config.problems.len(), 2, "{:?}", config.problems);
    }

    #[test]
    fn plain_http_is_refused_for_passwords_and_tokens_except_on_loopback() {
        let check = |base: &str, auth: &str| {
            validate(
                Draft {
                    id: Some("x".into()),
                    kind: Some("veeam-aws".into()),
                    base_url: Some(base.into()),
                    auth: Some(auth.into()),
                    ..Draft::default()
                },
                &|_| false,
                30,
            )
        };
        for auth in ["password", "token"] {
            for base in [
                "http://vba.example:11005",
                "http://10.0.0.5",
                "http://127.evil.example",
                "http://localhost.example",
            ] {
                let bad = check(base, auth).expect_err(base); // ok: test fixture
                assert_eq!(bad.len(), 1);
                assert_eq!(bad[0].field, Field::BaseUrl);
                assert!(bad[0].why.contains("unencrypted"), "{}", bad[0].why);
            }
            for base in [
                "https://vba.example:11005",
                "http://127.0.0.1:8080/vendors/aws",
                "http://127.1.2.3",
                "http://127.1",
                "http://localhost:9000",
                "http://[::1]:8443",
                "/vendors/aws",
            ] {
                assert!(check(base, auth).is_ok(), "{base} {auth}");
            }
        }
        // Without a secret (a proxy authenticates), plain http carries none.
        assert!(check("http://vba.example", "none").is_ok());
        // config.json is checked by the same function.
        let config = parse_config(
            r#"{"connections":[{"id":"a","kind":"ekran","baseUrl":"http://ekran.example","auth":"token"}]}"#,
        )
        .expect("reads"); // ok: test fixture
        assert!(config.connections.is_empty());
        assert!(config.problems.join(" ").contains("unencrypted"));
    }

    #[test]
    fn an_index_html_fallback_is_no_config_not_a_broken_one() {
        assert!(is_html("<!doctype html>\n<html lang=\"en\">"));
        assert!(is_html("\u{feff}\n  <html>"));
        assert!(!is_html("{\"connections\": []}"));
        assert!(!is_html(""));
    }

    #[test]
    fn unreadable_files_and_defaults() {
        assert!(parse_config("not json").is_err());
        assert!(parse_config("[]").is_err());
        assert_eq!(parse_config("{}"), Ok(Config::default()));
        let aws = parse_config(r#"{"connections":[{"id":"x","kind":"veeam-aws","baseUrl":"/a"}]}"#);
        // None named: found at log-on (VBA finds its own).
        assert_eq!(aws.map(|c| c.connections[0].api_version.clone()), Ok(None));
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

    /// A draft with every field good (VBA), to spoil one field at a time.
    fn good() -> Draft {
        Draft {
            id: Some("aws".into()),
            kind: Some("veeam-aws".into()),
            label: Some("AWS backups".into()),
            base_url: Some("/vendors/aws/".into()),
            api_version: Some("1.7-rev0".into()),
            auth: Some("password".into()),
            timeout_seconds: Some("45".into()),
        }
    }

    fn nothing_taken(_: &str) -> bool {
        false
    }

    /// The fields `check` finds fault with, and the first reason.
    fn faults(draft: Draft) -> Vec<(Field, String)> {
        match validate(draft, &nothing_taken, DEFAULT_TIMEOUT_S) {
            Ok(c) => panic!("accepted: {c:?}"),
            Err(bad) => bad.into_iter().map(|b| (b.field, b.why)).collect(),
        }
    }

    fn fault(draft: Draft, field: Field, needle: &str) {
        let got = faults(draft);
        assert!(
            got.iter()
                .any(|(f, why)| *f == field && why.contains(needle)),
            "{field:?} “{needle}” in {got:?}"
        );
        assert!(
            got.iter().all(|(f, _)| *f == field),
            "only {field:?}: {got:?}"
        );
    }

    #[test]
    fn a_good_draft_reads_with_every_field() {
        let c = validate(good(), &nothing_taken, DEFAULT_TIMEOUT_S).expect("good"); // ok: test fixture
        assert_eq!(
            c,
            Connection {
                id: "aws".into(),
                kind: Kind::VeeamAws,
                label: "AWS backups".into(),
                base_url: "/vendors/aws".into(),
                api_version: Some("1.7-rev0".into()),
                auth: AuthMode::Password,
                timeout_s: 45,
            }
        );
    }

    #[test]
    fn each_field_is_checked_on_its_own_and_named() {
        let d = |f: &dyn Fn(&mut Draft)| {
            let mut d = good();
            f(&mut d);
            d
        };
        fault(d(&|d| d.id = None), Field::Id, "has no id");
        fault(
            d(&|d| d.id = Some("a b".into())),
            Field::Id,
            "may hold only",
        );
        fault(
            d(&|d| d.id = Some("x".repeat(65))),
            Field::Id,
            "longer than 64",
        );
        fault(
            d(&|d| d.kind = Some("veeam".into())),
            Field::Kind,
            "“veeam” is not one of",
        );
        fault(
            d(&|d| d.label = Some("a\nb".into())),
            Field::Label,
            "control characters",
        );
        fault(
            d(&|d| d.label = Some("é".repeat(101))),
            Field::Label,
            "longer than 100",
        );
        fault(
            d(&|d| d.base_url = Some(" ".into())),
            Field::BaseUrl,
            "no baseUrl",
        );
        fault(
            d(&|d| d.api_version = Some("latest".into())),
            Field::ApiVersion,
            "1.0-rev0",
        );
        fault(
            d(&|d| d.api_version = Some("1.0-rev".into())),
            Field::ApiVersion,
            "revision",
        );
        fault(
            d(&|d| d.auth = Some("browser".into())),
            Field::Auth,
            "has no browser log-on; use password, token, none",
        );
        fault(
            d(&|d| d.auth = Some("magic".into())),
            Field::Auth,
            "“magic”",
        );
        fault(
            d(&|d| d.timeout_seconds = Some("0".into())),
            Field::Timeout,
            "from 1 to 600",
        );
        fault(
            d(&|d| d.timeout_seconds = Some("1e3".into())),
            Field::Timeout,
            "from 1 to 600",
        );
        // Every problem at once, each beside its own field.
        let all = faults(Draft::default());
        let fields: Vec<Field> = all.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, [Field::Id, Field::Kind, Field::BaseUrl]);
    }

    #[test]
    fn base_urls_that_could_mislead_or_leak_are_refused() {
        for (url, needle) in [
            ("javascript:alert(1)", "must start with"),
            ("JAVASCRIPT:alert(1)", "must start with"),
            ("data:text/html,x", "must start with"),
            ("ftp://x", "must start with"),
            ("vendors/aws", "must start with"),
            ("//evil.example/x", "single /"),
            ("/\\evil.example", "backslashes"),
            ("java\tscript:x", "control characters"),
            ("/vendors/aws\u{0}", "control characters"),
            ("https://evil example", "spaces"),
            ("https://", "names no server"),
            ("https:///path", "names no server"),
            ("https://user:pass@vba.example", "user name or password"),
            ("https://token@vba.example/x", "user name or password"),
            ("/vendors/aws?token=x", "query"),
            ("/vendors/aws#x", "fragment"),
        ] {
            let mut d = good();
            d.base_url = Some(url.into());
            fault(d, Field::BaseUrl, needle);
        }
        let mut huge = good();
        huge.base_url = Some(format!("/{}", "a".repeat(10_000_000)));
        let got = faults(huge);
        assert!(got[0].1.contains("longer than 2048"), "{got:?}");
        assert!(
            got[0].1.len() < 100,
            "the message does not repeat a huge value"
        );
        let mut huge_label = good();
        huge_label.label = Some("<script>".repeat(1_000_000));
        assert!(faults(huge_label)[0].1.len() < 100);
        for (url, base) in [
            ("https://vba.example:11005/", "https://vba.example:11005"),
            (
                "http://127.0.0.1:8099/vendors/aws//",
                "http://127.0.0.1:8099/vendors/aws",
            ),
            ("  /vendors/ekran  ", "/vendors/ekran"),
        ] {
            let mut d = good();
            d.base_url = Some(url.into());
            let c = validate(d, &nothing_taken, 30).expect("reads"); // ok: test fixture
            assert_eq!(c.base_url, base);
        }
    }

    #[test]
    fn auth_modes_and_versions_follow_the_kind() {
        let with = |kind: &str, auth: Option<&str>, version: Option<&str>| {
            validate(
                Draft {
                    id: Some("x".into()),
                    kind: Some(kind.into()),
                    base_url: Some("/x".into()),
                    auth: auth.map(Into::into),
                    api_version: version.map(Into::into),
                    ..Draft::default()
                },
                &nothing_taken,
                30,
            )
            .map(|c| (c.auth, c.api_version))
            .map_err(|bad| {
                bad.into_iter()
                    .map(|b| b.why)
                    .collect::<Vec<_>>()
                    .join("; ")
            })
        };
        for kind in [
            Kind::VeeamEm,
            Kind::VeeamAws,
            Kind::MimPam,
            Kind::VeeamM365,
            Kind::Ekran,
        ] {
            for auth in [
                AuthMode::Password,
                AuthMode::Token,
                AuthMode::Browser,
                AuthMode::None,
            ] {
                let got = with(kind.id(), Some(auth.id()), None);
                assert_eq!(
                    got.is_ok(),
                    auth_modes(kind).contains(&auth),
                    "{kind:?} {auth:?}: {got:?}"
                );
            }
            // Left out, the kind's default.
            assert_eq!(
                with(kind.id(), None, None).map(|g| g.0),
                Ok(auth_modes(kind)[0])
            );
        }
        assert_eq!(auth_modes(Kind::Ekran), [AuthMode::Token, AuthMode::None]);
        assert_eq!(
            with("veeam-aws", None, None),
            Ok((AuthMode::Password, None))
        );
        assert_eq!(
            with("mim-pam", None, Some("2.0")),
            Ok((AuthMode::Browser, Some("2.0".into())))
        );
        assert_eq!(
            with("mim-pam", None, Some(" ")),
            Ok((AuthMode::Browser, None))
        );
        assert!(
            with("mim-pam", None, Some("2.0&x=1")).is_err_and(|e| e.contains("PAM API version"))
        );
        // Kinds without a version setting ignore one.
        assert_eq!(
            with("ekran", None, Some("anything")),
            Ok((AuthMode::Token, None))
        );
    }

    #[test]
    fn ids_are_unique_and_generated_ids_avoid_every_taken_one() {
        let taken = |id: &str| ["aws", "aws-2", "ekran"].contains(&id);
        let mut d = good();
        d.id = Some("aws".into());
        let bad = validate(d, &taken, 30).expect_err("taken"); // ok: test fixture
        assert_eq!(bad[0].field, Field::Id);
        assert!(bad[0].why.contains("used twice"));
        assert_eq!(new_id("AWS", Kind::VeeamAws.id(), &taken), "aws-3");
        assert_eq!(
            new_id("  Prod: AWS (eu) ", Kind::VeeamAws.id(), &taken),
            "prod-aws-eu"
        );
        assert_eq!(new_id("Ünïcödé ✓", Kind::Ekran.id(), &taken), "n-c-d");
        assert_eq!(new_id("✓✓", Kind::Ekran.id(), &taken), "ekran-2");
        assert_eq!(new_id("", Kind::MimPam.id(), &taken), "mim-pam");
        let long = new_id(&"ab".repeat(10_000), Kind::Ekran.id(), &nothing_taken);
        assert!(long.len() <= 40, "{long}");
        // Whatever the label, the generated id passes the id check.
        for label in [
            "<script>",
            "a\u{0}b",
            "../..",
            "-",
            "x".repeat(500).as_str(),
        ] {
            let mut d = good();
            d.id = Some(new_id(label, Kind::VeeamAws.id(), &nothing_taken));
            d.label = Some("ok".into());
            assert!(validate(d, &nothing_taken, 30).is_ok(), "{label}");
        }
    }

    #[test]
    fn config_json_and_the_editor_accept_exactly_the_same() {
        let drafts = [
            good(),
            Draft {
                auth: Some("browser".into()),
                ..good()
            },
            Draft {
                base_url: Some("https://u:p@x".into()),
                ..good()
            },
            Draft {
                kind: Some("mim-pam".into()),
                auth: None,
                api_version: Some("1".into()),
                ..good()
            },
            Draft {
                label: None,
                timeout_seconds: None,
                ..good()
            },
            Draft {
                id: Some("bad id".into()),
                ..good()
            },
        ];
        for draft in drafts {
            let mut json = String::from("{");
            for (key, value) in [
                ("id", &draft.id),
                ("kind", &draft.kind),
                ("label", &draft.label),
                ("baseUrl", &draft.base_url),
                ("apiVersion", &draft.api_version),
                ("auth", &draft.auth),
            ] {
                if let Some(v) = value {
                    json.push_str(&format!("{key:?}:{v:?},"));
                }
            }
            if let Some(t) = &draft.timeout_seconds {
                json.push_str(&format!("\"timeoutSeconds\":{t},"));
            }
            json.push_str("\"x\":0}");
            let direct = validate(draft.clone(), &nothing_taken, 30).map_err(|bad| {
                bad.into_iter()
                    .map(|b| b.why)
                    .collect::<Vec<_>>()
                    .join("; ")
            });
            assert_eq!(
                read_connection(&json, &nothing_taken, 30).map_err(|e| e.to_string()),
                direct,
                "{json}"
            );
        }
    }
}
