//! The normalised model: one shape for every vendor's sessions and logs (SPEC §2).
//!
//! Nothing in here knows a vendor, serde, the DOM or Leptos, and nothing in here can fail once
//! built: adapters in `crate::vendors` do the fallible work of turning wire payloads into these
//! types. The one time unit of the whole model is the microsecond (see [`Timestamp`] and
//! [`Duration`]).

mod log;
mod session;
mod status;
mod time;

pub use log::{sort_by_order, LogEntry, SessionLog, Skipped};
pub use session::{Link, LogonSession, LogonSessions, Session, SessionList, Source, Text};
pub use status::Status;
pub use time::{parse_timestamp, wall_clock, Duration, Precision, TimeError, Timestamp, Zone};

/// What one opened document holds; each has its own view.
#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    Log(std::sync::Arc<SessionLog>),
    Sessions(std::sync::Arc<SessionList>),
    Logons(std::sync::Arc<LogonSessions>),
}
