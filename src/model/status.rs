//! The normalised status every vendor word maps onto, ordered for sorting (worst first).

/// A session's or log entry's outcome, the same for every vendor.
///
/// The declaration order is the sort order (SPEC §2): what needs attention comes first.
/// Each adapter owns one table from its vendor's words to these values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Failed,
    Warning,
    Running,
    Pending,
    Canceled,
    Success,
    /// Closed without a result, e.g. a logon session that ended.
    Ended,
    Unknown,
}

impl Status {
    /// Every status, in sort order.
    pub const ALL: [Status; 8] = [
        Status::Failed,
        Status::Warning,
        Status::Running,
        Status::Pending,
        Status::Canceled,
        Status::Success,
        Status::Ended,
        Status::Unknown,
    ];

    /// The stable identifier used in `data-status` attributes, CSS classes and URLs.
    pub fn id(self) -> &'static str {
        match self {
            Status::Failed => "failed",
            Status::Warning => "warning",
            Status::Running => "running",
            Status::Pending => "pending",
            Status::Canceled => "canceled",
            Status::Success => "success",
            Status::Ended => "ended",
            Status::Unknown => "unknown",
        }
    }

    /// The word shown to people, so that status never depends on colour alone.
    pub fn label(self) -> &'static str {
        match self {
            Status::Failed => "Failed",
            Status::Warning => "Warning",
            Status::Running => "Running",
            Status::Pending => "Pending",
            Status::Canceled => "Canceled",
            Status::Success => "Success",
            Status::Ended => "Ended",
            Status::Unknown => "Unknown",
        }
    }

    /// A glyph that tells the statuses apart without colour (shown beside the label).
    pub fn icon(self) -> &'static str {
        match self {
            Status::Failed => "✕",
            Status::Warning => "!",
            Status::Running => "▶",
            Status::Pending => "…",
            Status::Canceled => "⊘",
            Status::Success => "✓",
            Status::Ended => "■",
            Status::Unknown => "?",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_sort_order() {
        let mut sorted = Status::ALL;
        sorted.sort();
        assert_eq!(sorted, Status::ALL);
        assert_eq!(Status::ALL.first(), Some(&Status::Failed));
        assert_eq!(Status::ALL.last(), Some(&Status::Unknown));
    }

    #[test]
    fn ids_are_unique_lowercase_words() {
        let ids: std::collections::BTreeSet<_> = Status::ALL.iter().map(|s| s.id()).collect();
        assert_eq!(ids.len(), Status::ALL.len());
        for id in ids {
            assert!(id.chars().all(|c| c.is_ascii_lowercase()), "{id}");
        }
    }
}
