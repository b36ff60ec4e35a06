//! Sessions as lists show them, and logon sessions with the links they grant.

use super::{Duration, Skipped, Status, Timestamp};

/// One session from any vendor's list (Ekran sessions, VBA sessions, M365 job sessions).
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// The vendor's id for the session, as text (Ekran's are numbers).
    pub id: String,
    pub user: Option<String>,
    /// The host or client the session ran on or from.
    pub host: Option<String>,
    pub start: Option<Timestamp>,
    /// `None` while the session is still open.
    pub end: Option<Timestamp>,
    /// A duration the vendor reports (Ekran's paged variant), beside the computed one.
    pub reported: Option<Duration>,
    pub status: Status,
    /// The vendor's own word for the status, shown beside the normalised one: borrowed where an
    /// adapter writes one of a few words of its own (Ekran's "Logged out" and "Open"), so that
    /// 100 000 sessions do not make 100 000 copies of it.
    pub vendor_status: std::borrow::Cow<'static, str>,
    /// What ran: a job, policy or session type.
    pub name: Option<String>,
    /// The vendor's link to the session's log, where it gives a usable one.
    pub log_href: Option<String>,
    /// The job, policy or role this session is a run of (its key, such as a job's id), where the
    /// data says; `name` is then that job's name when it is known. Where a vendor's sessions are
    /// no job's runs (Ekran's user sessions), its adapter puts the user here, so that a session is
    /// compared with that user's others ([`crate::analysis::jobs`]).
    pub job: Option<String>,
    /// What else the vendor says of the session, in its words: label and value pairs for the
    /// session's details (type, progress, retries, statistics, reason).
    pub details: Vec<(&'static str, String)>,
    /// The item as the vendor sent it, for "show source".
    pub source: Source,
}

/// A payload's whole text, held once and shared rather than copied: the bytes read from a file
/// or a response become it as they are (a 15 MB file is in memory once), and each session read
/// from it keeps a range of it as its [`Source`].
#[derive(Clone, Default)]
pub struct Text(std::sync::Arc<String>);

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text(std::sync::Arc::new(text))
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::from(text.to_string())
    }
}

/// An item's text as the vendor sent it ("show source"): a range of the payload's [`Text`]
/// shared by every session read from it (a 100 000-session list then makes no 100 000 copies),
/// or a text of its own.
#[derive(Clone, Default)]
pub struct Source {
    text: Text,
    from: usize,
    to: usize,
}

impl Source {
    /// `part`, a slice of `whole`, as a range of it; copied on its own where it is not a slice of
    /// `whole`.
    pub fn within(whole: &Text, part: &str) -> Source {
        let from = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
        let to = from.wrapping_add(part.len());
        if from <= to && to <= whole.len() {
            Source {
                text: whole.clone(),
                from,
                to,
            }
        } else {
            Source::from(part)
        }
    }

    pub fn as_str(&self) -> &str {
        self.text.get(self.from..self.to).unwrap_or_default()
    }
}

impl std::ops::Deref for Source {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Source {
    fn from(text: &str) -> Source {
        Source::from(text.to_string())
    }
}

impl From<String> for Source {
    fn from(text: String) -> Source {
        let to = text.len();
        Source {
            text: text.into(),
            from: 0,
            to,
        }
    }
}

impl PartialEq for Source {
    fn eq(&self, other: &Source) -> bool {
        self.as_str() == other.as_str()
    }
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

/// A list of sessions, plus what could not be read of it.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionList {
    pub sessions: Vec<Session>,
    pub skipped: Vec<Skipped>,
    /// How many the server says exist in all, where it says (paged lists).
    pub total: Option<u64>,
}

/// A link a logon session grants: Enterprise Manager lists the resources the account can reach.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The relation (`Up`, `Down`, `Alternate`, …).
    pub rel: String,
    /// The resource type the link leads to (`EnterpriseManager`, `BackupServerReferenceList`, …).
    pub kind: Option<String>,
    pub href: String,
    pub name: Option<String>,
}

/// Who is logged on: an Enterprise Manager logon session, or a PAM session's account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogonSession {
    pub user: String,
    pub session_id: Option<String>,
    /// The session's own address, where the vendor gives it.
    pub href: Option<String>,
    pub links: Vec<Link>,
}

/// One or more logon sessions (a list, or a PAM envelope), plus what could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct LogonSessions {
    pub sessions: Vec<LogonSession>,
    pub skipped: Vec<Skipped>,
}

impl LogonSessions {
    /// The logon sessions as a session list, so that a list of them can be filtered, sorted and
    /// exported like any other: the session id (or the user, where there is none) as id, the
    /// user, and the status `ended` (SPEC §2: closed without a result); no times, none given.
    pub fn as_list(&self) -> SessionList {
        SessionList {
            sessions: self
                .sessions
                .iter()
                .map(|l| Session {
                    id: l.session_id.clone().unwrap_or_else(|| l.user.clone()),
                    user: Some(l.user.clone()),
                    host: None,
                    start: None,
                    end: None,
                    reported: None,
                    status: Status::Ended,
                    vendor_status: Default::default(),
                    name: Some("Logon session".to_string()),
                    log_href: None,
                    job: None,
                    details: Vec::new(),
                    source: Source::from(format!(
                        "user: {}\nsession id: {}\nlinks: {}",
                        l.user,
                        l.session_id.as_deref().unwrap_or("(none)"),
                        l.links.len()
                    )),
                })
                .collect(),
            skipped: self.skipped.clone(),
            total: None,
        }
    }
}

impl Session {
    /// The session's duration: from start to its end, or to `now` while it is open (so that it
    /// grows while the page is open); the vendor's report where there are no times.
    pub fn duration(&self, now_us: i64) -> Option<Duration> {
        match (self.start, self.end) {
            (Some(s), Some(e)) => Some(e.since(&s)),
            (Some(s), None) => Some(Duration::from_micros(
                now_us.saturating_sub(s.unix_micros()),
            )),
            (None, _) => self.reported,
        }
    }

    pub fn is_open(&self) -> bool {
        self.start.is_some() && self.end.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_timestamp;

    #[test]
    fn a_source_is_a_range_of_the_shared_text_or_its_own_copy() {
        let whole = Text::from(r#"[{"a":1},{"b":"é"}]"#);
        let part = whole.get(9..19).unwrap_or_default();
        let s = Source::within(&whole, part);
        assert_eq!(s.as_str(), r#"{"b":"é"}"#);
        assert!(
            std::sync::Arc::ptr_eq(&s.text.0, &whole.0),
            "shared, not copied"
        );
        // Not a slice of `whole`: copied.
        let elsewhere = String::from(r#"{"b":"é"}"#);
        let own = Source::within(&whole, &elsewhere);
        assert_eq!(own, s);
        assert!(!std::sync::Arc::ptr_eq(&own.text.0, &whole.0));
        // A slice of another text is not taken for a range of `whole`.
        let other = Text::from("short");
        assert_eq!(Source::within(&other, part).as_str(), part);
        assert_eq!(format!("{:?}", Source::from("x\"")), r#""x\"""#);
        assert_eq!(Source::default().as_str(), "");
    }

    fn t(text: &str) -> Option<Timestamp> {
        parse_timestamp(text).ok().flatten()
    }

    fn session() -> Session {
        Session {
            id: "1".into(),
            user: None,
            host: None,
            start: t("2021-04-01T00:00:00Z"),
            end: t("2021-04-01T01:00:00Z"),
            reported: None,
            status: Status::Ended,
            vendor_status: Default::default(),
            name: None,
            log_href: None,
            job: None,
            details: Vec::new(),
            source: Default::default(),
        }
    }

    #[test]
    fn open_sessions_grow_until_now() {
        let closed = session();
        assert_eq!(closed.duration(0), Some(Duration::from_millis(3_600_000)));
        assert!(!closed.is_open());
        let open = Session {
            end: None,
            ..session()
        };
        let start = open.start.map(|s| s.unix_micros()).unwrap_or_default();
        assert_eq!(
            open.duration(start + 5_000_000),
            Some(Duration::from_millis(5_000))
        );
        assert!(open.is_open());
        let reported_only = Session {
            start: None,
            end: None,
            reported: Some(Duration::from_millis(7)),
            ..session()
        };
        assert_eq!(reported_only.duration(0), Some(Duration::from_millis(7)));
    }

    #[test]
    fn logon_sessions_read_as_a_list() {
        let logons = LogonSessions {
            sessions: vec![
                LogonSession {
                    user: "DOMAIN\\jen".into(),
                    session_id: Some("a1".into()),
                    href: None,
                    links: Vec::new(),
                },
                LogonSession {
                    user: "bob".into(),
                    session_id: None,
                    href: None,
                    links: Vec::new(),
                },
            ],
            skipped: Vec::new(),
        };
        let list = logons.as_list();
        let rows: Vec<(&str, Option<&str>, Status)> = list
            .sessions
            .iter()
            .map(|s| (s.id.as_str(), s.user.as_deref(), s.status))
            .collect();
        assert_eq!(
            rows,
            [
                ("a1", Some("DOMAIN\\jen"), Status::Ended),
                ("bob", Some("bob"), Status::Ended)
            ]
        );
        assert!(list
            .sessions
            .iter()
            .all(|s| s.start.is_none() && !s.is_open()));
    }
}
