//! The list's markup is text, and its one click handler finds what was clicked by data
//! attributes. [`Action`] is the one list of `data-action` names and [`Hook`] the one list of the
//! other attributes, used by the markup writers and by the dispatcher alike, so that a button
//! without a handler, or a misspelt attribute, cannot compile.

/// What a `data-action` button does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Apply the From/To inputs as the time range.
    ApplyRange,
    /// Back to all time.
    ClearRange,
    ExportCsv,
    ExportJson,
    /// Show or hide the keyboard help.
    Keys,
    CloseKeys,
    /// Fetch and open the selected session's log.
    OpenLog,
    /// Close the session details, back to the list.
    CloseDetails,
    /// The histogram's whole span, far outliers and all, as the time range.
    WholeSpan,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::ApplyRange,
        Action::ClearRange,
        Action::ExportCsv,
        Action::ExportJson,
        Action::Keys,
        Action::CloseKeys,
        Action::OpenLog,
        Action::CloseDetails,
        Action::WholeSpan,
    ];

    /// The value of `data-action`.
    pub fn id(self) -> &'static str {
        match self {
            Action::ApplyRange => "apply-range",
            Action::ClearRange => "clear-range",
            Action::ExportCsv => "export-csv",
            Action::ExportJson => "export-json",
            Action::Keys => "keys",
            Action::CloseKeys => "close-keys",
            Action::OpenLog => "open-log",
            Action::CloseDetails => "close",
            Action::WholeSpan => "whole-span",
        }
    }

    /// The action a `data-action` value names.
    pub fn from_id(id: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.id() == id)
    }
}

/// A data attribute the list's markup carries for its handlers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hook {
    /// A row's position in the shown list.
    Pos,
    /// A "Log" button: the position of its row.
    LogPos,
    /// A column header: the column's id (for its sort state).
    Col,
    /// A header's sort button: the column's id.
    Sort,
    /// A facet button: the facet's key ([`crate::list::html::facet_key`])…
    Facet,
    /// …its value…
    FacetValue,
    /// …and `1` to include it, `0` to exclude it.
    FacetInclude,
    /// A completion chip: the completion.
    Complete,
    /// A button with an [`Action`].
    Action,
    /// A "Columns" checkbox: the index of its column in `columns::COLUMNS`.
    Show,
}

impl Hook {
    /// The attribute's name.
    pub fn attr(self) -> &'static str {
        match self {
            Hook::Pos => "data-pos",
            Hook::LogPos => "data-log-pos",
            Hook::Col => "data-col",
            Hook::Sort => "data-sort",
            Hook::Facet => "data-facet",
            Hook::FacetValue => "data-value",
            Hook::FacetInclude => "data-include",
            Hook::Complete => "data-complete",
            Hook::Action => "data-action",
            Hook::Show => "data-show",
        }
    }

    /// A selector for elements that carry the attribute.
    pub fn selector(self) -> &'static str {
        match self {
            Hook::Pos => "[data-pos]",
            Hook::LogPos => "[data-log-pos]",
            Hook::Col => "[data-col]",
            Hook::Sort => "[data-sort]",
            Hook::Facet => "[data-facet]",
            Hook::FacetValue => "[data-value]",
            Hook::FacetInclude => "[data-include]",
            Hook::Complete => "[data-complete]",
            Hook::Action => "[data-action]",
            Hook::Show => "[data-show]",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hook_selectors_name_their_attributes() {
        for h in [
            Hook::Pos,
            Hook::LogPos,
            Hook::Col,
            Hook::Sort,
            Hook::Facet,
            Hook::FacetValue,
            Hook::FacetInclude,
            Hook::Complete,
            Hook::Action,
            Hook::Show,
        ] {
            assert_eq!(h.selector(), format!("[{}]", h.attr()));
        }
    }

    #[test]
    fn every_action_round_trips_through_its_id() {
        for a in Action::ALL {
            assert_eq!(Action::from_id(a.id()), Some(a));
        }
        assert_eq!(Action::from_id("nope"), None);
        assert_eq!(Action::from_id(""), None);
    }

    #[test]
    fn ids_are_distinct() {
        for (i, a) in Action::ALL.iter().enumerate() {
            for b in Action::ALL.iter().skip(i + 1) {
                assert_ne!(a.id(), b.id());
            }
        }
    }
}
