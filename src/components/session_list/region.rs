//! Where the list's effects write and its handlers look, by name: a misspelt region or control
//! is a compile error instead of a selector that silently matches nothing. `markup` writes the
//! elements these name; a test checks that each is there.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::List;

/// A part of the fixed markup that effects rewrite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Region {
    /// The rows in view (moved down by the rows above them).
    Window,
    /// The grid's body, as tall as all the rows.
    Body,
    Count,
    /// "No session matches".
    Empty,
    /// The filter's errors and completions.
    FilterHelp,
    /// The range applied, with "Clear range".
    RangeNow,
    Facets,
    Histogram,
    Bars,
    Chart,
    /// The band shown while dragging across the histogram.
    Drag,
    Caption,
    Details,
    KeyHelp,
    /// A column header's sort arrow (looked up inside its header).
    SortArrow,
    /// The grid's header (written again when the columns shown change).
    Head,
    /// Where From and To go once the first rows are painted.
    Between,
}

impl Region {
    #[cfg(test)]
    pub(super) const ALL: [Region; 17] = [
        Region::Window,
        Region::Body,
        Region::Count,
        Region::Empty,
        Region::FilterHelp,
        Region::RangeNow,
        Region::Facets,
        Region::Histogram,
        Region::Bars,
        Region::Chart,
        Region::Drag,
        Region::Caption,
        Region::Details,
        Region::KeyHelp,
        Region::SortArrow,
        Region::Head,
        Region::Between,
    ];

    pub(super) fn selector(self) -> &'static str {
        match self {
            Region::Window => ".sl-window",
            Region::Body => ".sl-body",
            Region::Count => ".sl-count",
            Region::Empty => ".sl-empty",
            Region::FilterHelp => "#sl-filter-help",
            Region::RangeNow => ".sl-range-now",
            Region::Facets => ".sl-facets",
            Region::Histogram => ".sl-hist",
            Region::Bars => ".sl-bars",
            Region::Chart => ".sl-chart",
            Region::Drag => ".sl-drag",
            Region::Caption => ".sl-hist figcaption",
            Region::Details => ".sl-details-slot",
            Region::KeyHelp => ".sl-help-dialog",
            Region::SortArrow => ".sl-arrow",
            Region::Head => ".sl-head",
            Region::Between => ".sl-between",
        }
    }
}

/// A form control of the list, found by its id; input and change events are dispatched on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Control {
    Filter,
    Range,
    From,
    To,
    Utc,
}

impl Control {
    pub(super) const ALL: [Control; 5] = [
        Control::Filter,
        Control::Range,
        Control::From,
        Control::To,
        Control::Utc,
    ];

    /// The element's id.
    pub(super) fn id(self) -> &'static str {
        match self {
            Control::Filter => "sl-filter",
            Control::Range => "sl-range",
            Control::From => "sl-from",
            Control::To => "sl-to",
            Control::Utc => "sl-utc",
        }
    }

    pub(super) fn selector(self) -> &'static str {
        match self {
            Control::Filter => "#sl-filter",
            Control::Range => "#sl-range",
            Control::From => "#sl-from",
            Control::To => "#sl-to",
            Control::Utc => "#sl-utc",
        }
    }

    /// The control an element id names.
    pub(super) fn from_id(id: &str) -> Option<Control> {
        Control::ALL.into_iter().find(|c| c.id() == id)
    }
}

impl List {
    fn query(self, selector: &str) -> Option<web_sys::Element> {
        self.root
            .get_untracked()?
            .query_selector(selector)
            .ok()
            .flatten()
    }

    pub(super) fn find(self, region: Region) -> Option<web_sys::Element> {
        self.query(region.selector())
    }

    pub(super) fn set_html(self, region: Region, html: &str) {
        if let Some(el) = self.find(region) {
            el.set_inner_html(html);
        }
    }

    /// Sets the region's inline declarations through the CSSOM ([`crate::components::cssom`]).
    pub(super) fn set_style(self, region: Region, css: &str) {
        if let Some(el) = self.find(region) {
            crate::components::cssom::set(&el, css);
        }
    }

    /// Sets an attribute, or removes it for `None`.
    pub(super) fn set_attr(self, region: Region, name: &str, value: Option<&str>) {
        if let Some(el) = self.find(region) {
            let _ = match value {
                Some(v) => el.set_attribute(name, v),
                None => el.remove_attribute(name),
            };
        }
    }

    /// An `<input>` control (all but the range `<select>`).
    pub(super) fn input(self, control: Control) -> Option<web_sys::HtmlInputElement> {
        self.query(control.selector())
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
    }

    pub(super) fn select_element(self) -> Option<web_sys::HtmlSelectElement> {
        self.query(Control::Range.selector())
            .and_then(|el| el.dyn_into::<web_sys::HtmlSelectElement>().ok())
    }

    pub(super) fn focus(self, control: Control) {
        if let Some(el) = self
            .query(control.selector())
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }

    /// Back to the grid (after closing a dialog or the details).
    pub(super) fn focus_grid(self) {
        if let Some(el) = self.grid.get_untracked() {
            let _ = el.focus();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_round_trip_through_their_ids() {
        for c in Control::ALL {
            assert_eq!(Control::from_id(c.id()), Some(c));
            assert_eq!(c.selector(), format!("#{}", c.id()));
        }
        assert_eq!(Control::from_id("sl-nope"), None);
    }

    /// Each region and control names an element of the fixed markup.
    #[test]
    fn every_region_and_control_is_in_the_markup() {
        let markup = format!(
            "{}{}{}{}",
            super::super::markup::top(),
            super::super::markup::between(),
            crate::list::html::grid(crate::list::columns::Cols::all(true)),
            super::super::markup::bottom()
        );
        let (mut classes, mut ids) = (Vec::new(), Vec::new());
        for (attr, into) in [("class=\"", &mut classes), ("id=\"", &mut ids)] {
            for part in markup.split(attr).skip(1) {
                let value = part.split('"').next().unwrap_or_default();
                into.extend(value.split_whitespace().map(str::to_string));
            }
        }
        let selectors = Region::ALL.iter().map(|r| r.selector());
        for selector in selectors.chain(Control::ALL.iter().map(|c| c.selector())) {
            for part in selector.split_whitespace() {
                let found = if let Some(class) = part.strip_prefix('.') {
                    classes.iter().any(|c| c == class)
                } else if let Some(id) = part.strip_prefix('#') {
                    ids.iter().any(|i| i == id)
                } else {
                    markup.contains(&format!("<{part}"))
                };
                assert!(found, "{selector}: no {part} in the markup");
            }
        }
    }
}
