//! The list's fixed markup above and below the grid, written once at mount. The parts that
//! change are `region::Region`s filled by effects; the controls are `region::Control`s, and the
//! buttons name their `Action`, so the one click handler dispatches on the same enum.

use crate::list::action::{Action, Hook};

use super::region::Control;

/// Filter bar, range controls, tools, facets, histogram and count.
pub(super) fn top() -> String {
    let button = |action: Action, extra: &str, label: &str| {
        format!(
            r#"<button type="button" class="button secondary small"{extra} {}="{}">{label}</button>"#,
            Hook::Action.attr(),
            action.id()
        )
    };
    let (filter, range, utc) = (Control::Filter.id(), Control::Range.id(), Control::Utc.id());
    format!(
        concat!(
            r#"<div class="sl-bar"><div class="sl-filter"><label for="{filter}">Filter</label>"#,
            r#"<input id="{filter}" type="search" autocomplete="off" spellcheck="false" aria-describedby="sl-filter-help" placeholder="e.g. user:jen status:failed duration&gt;1h start&gt;=2021-04-01">"#,
            r#"<div id="sl-filter-help" class="sl-help"></div></div>"#,
            r#"<div class="sl-range"><label for="{range}">Time range</label><select id="{range}">"#,
            r#"<option value="">All time</option><option value="1h">Last hour</option><option value="24h">Last 24 hours</option><option value="7d">Last 7 days</option><option value="custom">Between…</option></select>"#,
            r#"<span class="sl-between"></span>"#,
            r#"{apply}<span class="sl-range-now"></span></div>"#,
            r#"<div class="sl-tools"><label class="sl-utc"><input id="{utc}" type="checkbox"> Times in UTC</label>"#,
            r#"{csv}{json}{keys}</div></div>"#,
            r#"<div class="sl-facets"></div>"#,
            r#"<figure class="sl-hist"><div class="sl-chart" role="img"><div class="sl-bars"></div><div class="sl-drag" hidden></div></div><figcaption class="muted"></figcaption></figure>"#,
            r#"<p class="sl-count" role="status" aria-live="polite"></p>"#,
        ),
        filter = filter,
        range = range,
        utc = utc,
        apply = button(Action::ApplyRange, "", "Apply range"),
        csv = button(Action::ExportCsv, "", "Export CSV"),
        json = button(Action::ExportJson, "", "Export JSON"),
        keys = button(Action::Keys, r#" aria-haspopup="dialog""#, "Keys (?)"),
    )
}

/// Below the grid: the "nothing matches" line, the selected session's details, the key help.
/// From and To, written into `.sl-between` after the first rows are painted: a browser's first
/// two `datetime-local` inputs cost a fresh page 15–30 ms to parse and lay out, more than the
/// rows themselves.
pub(super) fn between() -> String {
    let (from, to) = (Control::From.id(), Control::To.id());
    format!(
        r#"<label for="{from}">From</label><input id="{from}" type="datetime-local" step="1"><label for="{to}">To</label><input id="{to}" type="datetime-local" step="1">"#
    )
}

pub(super) fn bottom() -> String {
    format!(
        r#"<p class="sl-empty" hidden>No session matches the filter and range.</p><div class="sl-details-slot"></div><div class="sl-help-dialog" role="dialog" aria-modal="false" aria-label="Keyboard shortcuts" hidden><h2>Keys</h2>{}<button type="button" class="button secondary small" {}="{}">Close</button></div>"#,
        crate::list::html::key_help(),
        Hook::Action.attr(),
        Action::CloseKeys.id()
    )
}

/// The "Clear range" button beside the range applied.
pub(super) fn clear_range_button() -> String {
    format!(
        r#"<button type="button" class="button secondary small" {}="{}">Clear range</button>"#,
        Hook::Action.attr(),
        Action::ClearRange.id()
    )
}

/// Under the histogram when it leaves far outliers out: the whole span as the range.
pub(super) fn whole_span_button() -> String {
    format!(
        r#"<button type="button" class="button secondary small" {}="{}">Show the whole span</button>"#,
        Hook::Action.attr(),
        Action::WholeSpan.id()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every action but the details' own (written by `list::html::details`) has its button here.
    #[test]
    fn the_fixed_markup_has_a_button_per_action() {
        let markup = format!(
            "{}{}{}{}",
            top(),
            bottom(),
            clear_range_button(),
            whole_span_button()
        );
        for a in Action::ALL {
            let button = format!(r#"data-action="{}""#, a.id());
            let expected = !matches!(a, Action::OpenLog | Action::CloseDetails);
            assert_eq!(markup.contains(&button), expected, "{a:?}");
        }
        assert!(markup.contains(r#"<button type="button" class="button secondary small" aria-haspopup="dialog" data-action="keys">Keys (?)</button></div></div>"#));
    }
}
