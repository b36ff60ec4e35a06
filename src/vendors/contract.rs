//! The one contract every vendor fills in: a table of data and plain function pointers, one
//! `const` per vendor folder, looked up through [`super::Kind::vendor`]. Everything a vendor means
//! (its requests, paging, error body, link shapes, payload recognition, auth modes, version rule
//! and sample) is reached through this table, so code outside `vendors/` never matches on a
//! vendor. Function pointers and `&'static` data cost next to nothing in wasm (no trait objects,
//! no generics per vendor).

use serde::de::IgnoredAny;

use super::{DecodeError, Kind, Payload, VendorError};
use crate::connections::{AuthMode, Connection, Credentials};
use crate::http::{Call, HttpError};
use crate::model::{SessionLog, Text};

/// Everything the app knows about one vendor.
pub struct Vendor {
    pub kind: Kind,
    /// The id used in `config.json` and URLs.
    pub id: &'static str,
    /// The product's name, as people know it.
    pub product: &'static str,
    /// The payloads of it that the app reads, for "expected …" messages.
    pub payloads: &'static str,
    /// The ways it can sign in (SPEC §1), its default first.
    pub auth_modes: &'static [AuthMode],
    /// Its API version setting, where it has one.
    pub version: Option<Version>,
    /// Whether a path segment is where its API paths start (`api` in `/api/v1/sessions`, M365's
    /// `v8`): links are cut there to be rebuilt under the connection's base URL.
    pub api_root: fn(&str) -> bool,
    pub sign_in: SignIn,
    /// Its session lists; the first is the connection's main one ("Open sessions"), and the one
    /// "Check connection" asks for.
    pub lists: &'static [ListApi],
    /// Its session logs, where it has any.
    pub log: Option<LogApi>,
    /// Reads the vendor's own error body, whatever its format.
    pub error_body: fn(&str) -> Option<VendorError>,
    pub links: Links,
    /// Recognises a saved payload of this vendor by its shape (see [`Shape`]).
    pub recognise: fn(&Shape, &str) -> Option<Match>,
    /// The bundled sample: the vendor page's own example.
    pub sample: Sample,
}

/// An API version a connection can name.
pub struct Version {
    /// What is sent when the connection names none (and the vendor does not find one itself).
    pub default: Option<&'static str>,
    /// The versions this app knows, newest first.
    pub known: &'static [&'static str],
    /// Whether a connection that names none finds one at log-on: the newest of [`Self::known`]
    /// first, the next one whenever the server refuses a version ([`Self::refuses`]).
    pub automatic: bool,
    /// Whether a failed request says the server does not serve the version it was sent with.
    pub refuses: fn(&HttpError) -> bool,
    /// Whether a written version has the vendor's shape.
    pub valid: fn(&str) -> bool,
    /// Completes "apiVersion “x” …" when it has not.
    pub refused: &'static str,
    /// What the field means, for the connection editor.
    pub hint: &'static str,
    /// The header it travels in on every call (VBA's `x-api-version`); `None` where the
    /// vendor's requests place it themselves (PAM's `?v=`).
    pub header: Option<&'static str>,
}

/// Signing in and out.
pub struct SignIn {
    /// The log-on with a user name and password, where the vendor has one.
    pub password: Option<Password>,
    /// The request that renews a grant with its refresh token, where the vendor has one; its
    /// answer is read like the log-on's.
    pub refresh: Option<fn(&Connection, &str) -> Call>,
    /// The log-off request for these credentials, where the vendor has one.
    pub log_off: fn(&Connection, &Credentials) -> Option<Call>,
    /// The credentials a pasted token stands for.
    pub pasted: fn(&str) -> Credentials,
}

/// A password log-on.
pub struct Password {
    /// The request for a user name and password.
    pub request: fn(&Connection, &str, &str) -> Call,
    /// Reads the credentials out of a successful answer received at `now_ms`: the answer's EM
    /// session header, its body. An account with a second factor answers
    /// [`SignInError::SecondFactor`].
    pub credentials: fn(Option<String>, &str, i64) -> Result<Credentials, SignInError>,
    /// The request that completes a log-on with the second factor's token and the user's
    /// one-time code, where the vendor has one (VBA's MFA grant); its answer is read with
    /// [`Self::credentials`].
    pub second_factor: Option<fn(&Connection, &str, &str) -> Call>,
}

/// Why a log-on that the server accepted gave no usable credentials (yet).
#[derive(Clone, PartialEq, Eq)]
pub enum SignInError {
    /// Occurs when the account has a second factor: the server sent this token to complete the
    /// log-on with a one-time code.
    SecondFactor(String),
    /// Occurs when EM answers a log-on without its `X-RestSvcSessionId` header (a proxy that
    /// strips it).
    NoSessionHeader,
    /// Occurs when a token grant's answer holds no `access_token`.
    NoAccessToken,
}

/// Redacted: the second factor's token is a secret.
impl std::fmt::Debug for SignInError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SignInError::SecondFactor(_) => "SecondFactor(…)",
            SignInError::NoSessionHeader => "NoSessionHeader",
            SignInError::NoAccessToken => "NoAccessToken",
        })
    }
}

impl std::fmt::Display for SignInError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SignInError::SecondFactor(_) => "this account has a second factor: enter the one-time code",
            SignInError::NoSessionHeader => "the server accepted the log-on but sent no X-RestSvcSessionId header (a proxy may strip it)",
            SignInError::NoAccessToken => "the server accepted the log-on but sent no access_token",
        })
    }
}

/// A connection's session list.
pub struct ListApi {
    /// Its id among the vendor's lists (in document ids).
    pub id: &'static str,
    /// Its button on the connection's card.
    pub label: &'static str,
    pub paging: Paging,
    /// The request for one page (the whole list when [`Paging::Whole`]) within a window.
    pub request: fn(&Connection, &Credentials, &Window, Page) -> Result<Call, RequestError>,
    /// Reads one answer (a page, or the whole list).
    pub decode: fn(&Text) -> Result<Payload, DecodeError>,
    /// A server without the paged request: the first page's failure statuses that say so, and
    /// the request for the whole list that such a server answers instead.
    pub fallback: Option<Fallback>,
    /// Whether the server can be asked for a time window (otherwise the list filters here).
    pub server_window: bool,
    /// What else the server can be asked to filter by beside the window, where it can.
    pub server_filter: Option<ServerFilter>,
    /// Whether an answer's length is the list's length (a page of a paged envelope without a
    /// total is not).
    pub length_is_total: bool,
    /// Names for the sessions' jobs (M365's `Jobs`, PAM's roles), asked for beside the list.
    pub names: Option<Names>,
}

/// A filter the server takes beside the window (VBA's session `Types`, M365's `jobId`), one
/// value at a time: the request writes [`Window::only`] as the vendor's parameter.
pub struct ServerFilter {
    /// The select's label ("Type", "Job").
    pub label: &'static str,
    /// The values to offer, where the vendor has a fixed set; empty: the jobs the list holds
    /// (by job key, named by the sessions' names).
    pub known: &'static [&'static str],
    /// Whether this connection's server takes it (M365's `jobId` from v7).
    pub served: fn(&Connection) -> bool,
}

/// `(job key, name)` pairs.
pub type JobNames = Vec<(String, String)>;

/// Where the names of a list's jobs come from: one request, read into `(job key, name)` pairs.
pub struct Names {
    pub request: fn(&Connection, &Credentials) -> Call,
    pub decode: fn(&str) -> Result<JobNames, DecodeError>,
}

/// How a list is read in pieces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paging {
    /// One answer holds the whole list.
    Whole,
    /// Pages by `(offset, limit)`, this many at a time.
    Offset { page_size: usize },
    /// Pages by number, this many at a time: a page that would start between numbered pages
    /// cannot be asked for.
    Numbered { page_size: usize },
}

/// The whole-list request a server without the paged one answers.
pub struct Fallback {
    pub statuses: &'static [u16],
    pub request: fn(&Connection, &Credentials, &Window) -> Result<Call, RequestError>,
}

/// One page: its first item, how many, and (for numbered pages) its number from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub offset: usize,
    pub limit: usize,
    pub number: usize,
}

impl Page {
    /// The first page of `limit` items.
    pub fn first(limit: usize) -> Page {
        Page {
            offset: 0,
            limit,
            number: 0,
        }
    }
}

/// The time window a list is asked for: UTC bounds written `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or
/// `YYYY-MM-DDTHH:MM:SS` (either may be empty: no bound). Each vendor writes them its own way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Window<'a> {
    pub start: &'a str,
    pub end: &'a str,
    /// The [`ServerFilter`]'s value (empty: none), for a list whose vendor has one.
    pub only: &'a str,
}

/// The forms a window bound may take, read as UTC.
pub const WINDOW_FORMS: &str = "YYYY-MM-DD, YYYY-MM-DDTHH:MM, YYYY-MM-DDTHH:MM:SS (UTC)";

impl<'a> Window<'a> {
    /// No bound at all: every session.
    pub const ALL: Window<'static> = Window {
        start: "",
        end: "",
        only: "",
    };

    /// The non-empty bounds (`start`, `end`), each checked against [`WINDOW_FORMS`], so that a
    /// bad one is the user's to fix rather than the server's 400, and none can break out of
    /// the query or body it is written into.
    pub fn bounds(&self) -> Result<Vec<(&'static str, &'a str)>, RequestError> {
        let mut bounds = Vec::new();
        for (name, value) in [("start", self.start.trim()), ("end", self.end.trim())] {
            if value.is_empty() {
                continue;
            }
            if !is_window_time(value) {
                return Err(RequestError::Bound {
                    name,
                    value: value.to_string(),
                    forms: WINDOW_FORMS,
                });
            }
            bounds.push((name, value));
        }
        Ok(bounds)
    }
}

/// A checked bound as a whole RFC 3339 UTC instant: `2025-08-30` → `2025-08-30T00:00:00Z`.
pub fn utc_instant(bound: &str) -> String {
    match bound.len() {
        10 => format!("{bound}T00:00:00Z"),
        16 => format!("{bound}:00Z"),
        _ => format!("{bound}Z"),
    }
}

/// `YYYY-MM-DD[THH:MM[:SS]]`, digits where digits go (the calendar is the server's to judge).
fn is_window_time(text: &str) -> bool {
    const SHAPES: [&str; 3] = ["dddd-dd-dd", "dddd-dd-ddTdd:dd", "dddd-dd-ddTdd:dd:dd"];
    SHAPES.iter().any(|shape| {
        shape.len() == text.len()
            && shape.bytes().zip(text.bytes()).all(|(s, t)| match s {
                b'd' => t.is_ascii_digit(),
                other => other == t,
            })
    })
}

/// Why a request could not be built from what the user asked for; refused here, with the
/// reason, rather than by the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestError {
    /// Occurs when a window bound is not in a form the API takes.
    Bound {
        name: &'static str,
        value: String,
        forms: &'static str,
    },
    /// Occurs when the vendor's list cannot be asked for a window at all.
    NoWindow { product: &'static str },
    /// Occurs when an id from the data is not of the shape these APIs use (it would go into a
    /// request path).
    BadId { id: String },
}

impl std::fmt::Display for RequestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestError::Bound { name, value, forms } => write!(
                f,
                "The {name} “{}” is not one of {forms}.",
                crate::format::clip(value, 40).0
            ),
            RequestError::NoWindow { product } => {
                write!(f, "{product} sessions have no start/end range.")
            }
            RequestError::BadId { id } => write!(
                f,
                "The id “{}” is not one this app sends to a server (letters, digits, '-' and '_' only).",
                crate::format::clip(id, 40).0
            ),
        }
    }
}

/// A session's log.
pub struct LogApi {
    /// The API path of a session's log on this connection's server.
    pub path: fn(&Connection, &str) -> String,
    /// Items per page where the log pages (by `(offset, limit)`); `None`: it comes whole.
    pub page_size: Option<usize>,
    /// The request for one page of the log at `path` (the whole log when it does not page).
    pub request: fn(&Connection, &Credentials, &str, Page) -> Call,
    pub decode: fn(&str) -> Result<SessionLog, DecodeError>,
    /// Whether an answer is in a shape that pages (M365's envelope, not its old bare array).
    pub pages: fn(&str) -> bool,
}

/// The links of a logon session that the app can show, by shape.
pub struct Links {
    /// What the path segments after [`Vendor::api_root`] lead to, if the app can show it.
    pub target: fn(&[&str]) -> Option<Target>,
    /// The API path that fetches a target on this connection's server (`None` for a target
    /// that is not this vendor's).
    pub path: fn(&Connection, &Target) -> Option<String>,
}

/// A resource behind a link that the app can fetch through a connection and show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A list of logon sessions (Enterprise Manager's `/api/logonSessions`).
    LogonSessions,
    /// One logon session, by id.
    LogonSession(String),
    /// A session's log, by the session's id.
    Log(String),
}

/// The top-level field names of a JSON object, without its values: in name order, each once.
/// A sorted list rather than a map (no map code for it in the bundle; objects have few fields).
#[derive(Debug, Default)]
pub struct Keys(Vec<String>);

impl Keys {
    pub fn new() -> Keys {
        Keys::default()
    }

    /// Adds a name (once).
    pub fn insert(&mut self, name: String) {
        if let Err(at) = self.0.binary_search(&name) {
            self.0.insert(at, name);
        }
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.0.iter().any(|k| k == name)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The names, in name order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter()
    }
}

impl<'de> serde::Deserialize<'de> for Keys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Keys;
            // serde's words for a map, so that messages read as they did.
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = Keys::new();
                while let Some(k) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.insert(k);
                }
                Ok(keys)
            }
        }
        d.deserialize_map(V)
    }
}

/// What a saved payload looks like, without building its values: enough to say whose it is.
pub enum Shape<'a> {
    /// An XML document.
    Xml,
    /// A JSON object, by its field names.
    Object(&'a Keys),
    /// A JSON array, by the field names of its first item.
    Array(&'a Keys),
}

impl Shape<'_> {
    /// Whether the object (or the array's first item) has this field.
    pub fn has(&self, key: &str) -> bool {
        match self {
            Shape::Xml => false,
            Shape::Object(keys) | Shape::Array(keys) => keys.contains_key(key),
        }
    }

    /// How many fields the object (or the array's first item) has.
    pub fn fields(&self) -> usize {
        match self {
            Shape::Xml => 0,
            Shape::Object(keys) | Shape::Array(keys) => keys.len(),
        }
    }
}

/// A vendor's claim on a payload: how sure it is, and how to read it.
pub struct Match {
    pub rank: Rank,
    pub read: Read,
}

/// How sure a recogniser is; the surest claim wins, ties going to the first kind in
/// [`Kind::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// The fields of a single item that other vendors could also have.
    Weak,
    /// A combination of fields this vendor's items have.
    Fields,
    /// An envelope this vendor uses (a total beside results).
    Envelope,
    /// A field name no other vendor uses.
    Distinctive,
}

/// How a recognised payload is read.
pub enum Read {
    /// Reads the whole text, which what is read may keep ranges of ([`Text`]).
    Payload(fn(&Text) -> Result<Payload, DecodeError>),
    /// A vendor error response: reported as what it says.
    Error(fn(&str) -> Option<VendorError>),
}

/// A bundled sample under `public/samples/`, reachable from the home page and by deep link.
pub struct Sample {
    pub id: &'static str,
    /// The page that shows it: `log`, `sessions` or `logon`.
    pub page: &'static str,
    pub path: &'static str,
    pub title: &'static str,
}
