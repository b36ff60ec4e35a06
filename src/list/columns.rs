//! The session list's columns, once: each entry of [`COLUMNS`] says how the column is headed,
//! how wide it is, how its cell is written, what a click on its header sorts by, which filter
//! field reads it, and what it exports as. The grid's header and rows, its CSS track list and
//! the CSV/JSON columns are all read from this table, so that adding a column is one entry.

use std::fmt::Write;

use crate::format::{clip, duration_words};
use crate::model::{Duration, Session};

use super::action::Hook;
use super::html::{escape, escape_to_string, instant, status_badge, TimeText};
use super::sort::Column;

/// Characters of a text cell put in the DOM (the cell shows one line; the details show all).
const CELL_CHARS: usize = 200;

/// One column of the list.
pub struct ColumnSpec {
    /// The header's words.
    pub label: &'static str,
    /// The column's grid track (one entry of CSS `grid-template-columns`).
    pub width: &'static str,
    /// Writes the cell's content as escaped HTML.
    pub cell: fn(&mut String, &Session, &CellContext<'_>),
    /// What a click on the header sorts by; `None`: the header is not a sort button.
    pub sort: Option<Column>,
    /// The filter field that reads this column (`user` as in `user:jen`), if any.
    pub filter: Option<&'static str>,
    /// The export columns this column's data goes out as, in order.
    pub export: &'static [ExportColumn],
    /// Shown only for lists whose sessions can open their log (a live connection's).
    pub log_only: bool,
}

/// What a cell is written with besides its session.
pub struct CellContext<'a> {
    /// The row's position in the shown list.
    pub pos: usize,
    /// The session's duration (to now for an open one), computed once per row.
    pub duration: Option<Duration>,
    pub time: &'a TimeText<'a>,
}

/// One column of the CSV and one key of each JSON row.
pub struct ExportColumn {
    pub name: &'static str,
    pub value: for<'s> fn(&'s Session, &ExportContext<'_>) -> ExportValue<'s>,
}

/// What an export's values are written with besides their session.
pub struct ExportContext<'a> {
    /// An instant (µs) in the export's time zone.
    pub time: &'a dyn Fn(i64) -> String,
    /// Where open sessions' durations end.
    pub now_us: i64,
}

/// An exported value. Text from the data is told apart from words the app writes, because only
/// the former needs defusing against spreadsheet formulas.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportValue<'s> {
    /// Text as the source gave it.
    Text(&'s str),
    /// Text the app wrote (a status id, a time in the export's zone).
    Word(String),
    Int(i64),
    Bool(bool),
    /// No value: an empty CSV cell, `null` in JSON.
    Missing,
}

/// The columns in the order the grid shows them.
pub static COLUMNS: [ColumnSpec; 9] = [
    ColumnSpec {
        label: "Status",
        width: "7.5rem",
        cell: |out, s, _| status_badge(out, s.status, &s.vendor_status),
        sort: Some(Column::Status),
        filter: Some("status"),
        export: &[
            ExportColumn {
                name: "status",
                value: |s, _| ExportValue::Word(s.status.id().to_string()),
            },
            ExportColumn {
                name: "vendor_status",
                value: |s, _| ExportValue::Text(&s.vendor_status),
            },
        ],
        log_only: false,
    },
    ColumnSpec {
        label: "Session",
        width: "7rem",
        cell: |out, s, _| {
            out.push_str("<code>");
            escape(clip(&s.id, CELL_CHARS).0, out);
            out.push_str("</code>");
        },
        sort: Some(Column::Id),
        filter: Some("id"),
        export: &[ExportColumn {
            name: "id",
            value: |s, _| ExportValue::Text(&s.id),
        }],
        log_only: false,
    },
    ColumnSpec {
        label: "User",
        width: "10rem",
        cell: |out, s, _| text_cell(out, s.user.as_deref()),
        sort: Some(Column::User),
        filter: Some("user"),
        export: &[ExportColumn {
            name: "user",
            value: |s, _| optional_text(s.user.as_deref()),
        }],
        log_only: false,
    },
    ColumnSpec {
        label: "Host / client",
        width: "10rem",
        cell: |out, s, _| text_cell(out, s.host.as_deref()),
        sort: Some(Column::Host),
        filter: Some("host"),
        export: &[ExportColumn {
            name: "host",
            value: |s, _| optional_text(s.host.as_deref()),
        }],
        log_only: false,
    },
    ColumnSpec {
        label: "Started",
        width: "14rem",
        cell: |out, s, cx| match s.start {
            Some(t) => instant(out, t, cx.time),
            None => out.push_str(NOT_SET),
        },
        sort: Some(Column::Start),
        filter: Some("start"),
        export: &[ExportColumn {
            name: "start",
            value: |s, cx| optional_time(s.start, cx),
        }],
        log_only: false,
    },
    ColumnSpec {
        label: "Ended",
        width: "14rem",
        cell: |out, s, cx| match s.end {
            Some(t) => instant(out, t, cx.time),
            None if s.is_open() => out.push_str(r#"<span class="open">still open</span>"#),
            None => out.push_str(NOT_SET),
        },
        sort: Some(Column::End),
        filter: Some("end"),
        export: &[ExportColumn {
            name: "end",
            value: |s, cx| optional_time(s.end, cx),
        }],
        log_only: false,
    },
    ColumnSpec {
        label: "Duration",
        width: "7.5rem",
        cell: |out, s, cx| {
            if let Some(d) = cx.duration {
                out.push_str(&duration_words(d));
                if s.is_open() {
                    out.push_str(" so far");
                }
            }
        },
        sort: Some(Column::Duration),
        filter: Some("duration"),
        export: &[
            ExportColumn {
                name: "duration_ms",
                value: |s, cx| match s.duration(cx.now_us) {
                    Some(d) => ExportValue::Int(d.millis_rounded()),
                    None => ExportValue::Missing,
                },
            },
            ExportColumn {
                name: "open",
                value: |s, _| ExportValue::Bool(s.is_open()),
            },
        ],
        log_only: false,
    },
    ColumnSpec {
        label: "Type / name",
        width: "minmax(8rem, 1fr)",
        cell: |out, s, _| text_cell(out, s.name.as_deref()),
        sort: Some(Column::Name),
        filter: Some("type"),
        export: &[ExportColumn {
            name: "name",
            value: |s, _| optional_text(s.name.as_deref()),
        }],
        log_only: false,
    },
    ColumnSpec {
        label: "Log",
        width: "4rem",
        // Out of the tab order: the grid is one tab stop (arrows move, Enter shows the session,
        // whose "Open its log" is next), not one more per row in view.
        cell: |out, s, cx| {
            if s.log_href.is_some() {
                let _ = write!(
                    out,
                    r#"<button type="button" class="button secondary small" tabindex="-1" {}="{}" aria-label="Open the log of session {}">Log</button>"#,
                    Hook::LogPos.attr(),
                    cx.pos,
                    escape_to_string(clip(&s.id, 80).0)
                );
            }
        },
        sort: None,
        filter: None,
        export: &[],
        log_only: true,
    },
];

/// Exports lead with the session's id, the key a spreadsheet joins on, while the grid leads
/// with the status a reader scans first; every other column keeps the grid's order.
const EXPORT_LEADS_WITH: Column = Column::Id;

const NOT_SET: &str = r#"<span class="not-set">not set</span>"#;

/// The columns a list shows: all of them, or all but the log-only ones.
pub fn shown(with_log: bool) -> impl Iterator<Item = &'static ColumnSpec> {
    COLUMNS.iter().filter(move |c| with_log || !c.log_only)
}

/// The grid's `grid-template-columns` value.
pub fn grid_tracks(with_log: bool) -> String {
    shown(with_log)
        .map(|c| c.width)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The export columns in order (see [`EXPORT_LEADS_WITH`]).
pub fn export_columns() -> impl Iterator<Item = &'static ExportColumn> {
    let leads = |c: &&ColumnSpec| c.sort == Some(EXPORT_LEADS_WITH);
    let first = COLUMNS.iter().filter(leads);
    let rest = COLUMNS.iter().filter(move |c| !leads(c));
    first.chain(rest).flat_map(|c| c.export.iter())
}

fn text_cell(out: &mut String, text: Option<&str>) {
    escape(clip(text.unwrap_or(""), CELL_CHARS).0, out);
}

fn optional_text(text: Option<&str>) -> ExportValue<'_> {
    text.map_or(ExportValue::Missing, ExportValue::Text)
}

fn optional_time<'s>(
    t: Option<crate::model::Timestamp>,
    cx: &ExportContext<'_>,
) -> ExportValue<'s> {
    t.map_or(ExportValue::Missing, |t| {
        ExportValue::Word((cx.time)(t.unix_micros()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::list::query::FIELD_NAMES;

    #[test]
    fn every_sort_column_is_in_the_table_once_in_its_order() {
        let sorts: Vec<Column> = COLUMNS.iter().filter_map(|c| c.sort).collect();
        assert_eq!(sorts, Column::ALL);
    }

    #[test]
    fn filter_fields_are_fields_of_the_filter_language() {
        for c in &COLUMNS {
            if let Some(f) = c.filter {
                assert!(FIELD_NAMES.contains(&f), "{f}");
            }
        }
    }

    #[test]
    fn tracks_follow_the_shown_columns() {
        assert_eq!(
            grid_tracks(false),
            "7.5rem 7rem 10rem 10rem 14rem 14rem 7.5rem minmax(8rem, 1fr)"
        );
        assert_eq!(
            grid_tracks(true).split(' ').count(),
            grid_tracks(false).split(' ').count() + 1
        );
        assert_eq!(shown(true).count(), COLUMNS.len());
    }

    #[test]
    fn exports_lead_with_the_id_then_follow_the_grid() {
        let names: Vec<&str> = export_columns().map(|c| c.name).collect();
        assert_eq!(
            names,
            [
                "id",
                "status",
                "vendor_status",
                "user",
                "host",
                "start",
                "end",
                "duration_ms",
                "open",
                "name"
            ]
        );
    }
}
