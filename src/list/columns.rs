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
use super::usual::Vs;

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
    /// Whether a session has a value in this column; `None`: always shown. A column that no
    /// session of a list fills is hidden at first (the User and Host of a vendor without them).
    pub filled: Option<fn(&Session) -> bool>,
}

/// What a cell is written with besides its session.
pub struct CellContext<'a> {
    /// The row's position in the shown list.
    pub pos: usize,
    /// The session's duration (to now for an open one), computed once per row.
    pub duration: Option<Duration>,
    pub time: &'a TimeText<'a>,
    /// The session against its job's usual, once the list's jobs are grouped.
    pub vs: Option<Vs>,
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
    /// The session against its job's usual.
    pub vs: Option<Vs>,
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
pub static COLUMNS: [ColumnSpec; 10] = [
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
        filled: None,
    },
    ColumnSpec {
        label: "Session",
        // As wide as the list's longest id (`--sl-id-w`, set by the list; see `fitted_widths`).
        width: "var(--sl-id-w, 7rem)",
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
        filled: None,
    },
    ColumnSpec {
        label: "User",
        // As wide as the longest user where the window has room; narrower (cut, whole on
        // hover) before anything else has to be.
        width: "minmax(6rem, var(--sl-user-w, 10rem))",
        cell: |out, s, _| text_cell(out, s.user.as_deref()),
        sort: Some(Column::User),
        filter: Some("user"),
        export: &[ExportColumn {
            name: "user",
            value: |s, _| optional_text(s.user.as_deref()),
        }],
        log_only: false,
        filled: Some(|s| s.user.as_deref().is_some_and(|u| !u.is_empty())),
    },
    ColumnSpec {
        label: "Host / client",
        width: "minmax(6rem, var(--sl-host-w, 10rem))",
        cell: |out, s, _| text_cell(out, s.host.as_deref()),
        sort: Some(Column::Host),
        filter: Some("host"),
        export: &[ExportColumn {
            name: "host",
            value: |s, _| optional_text(s.host.as_deref()),
        }],
        log_only: false,
        filled: Some(|s| s.host.as_deref().is_some_and(|h| !h.is_empty())),
    },
    ColumnSpec {
        label: "Started",
        // "2025-08-31 22:22:28" over "+02:00 · 12 min ago", whole (see `html::instant`).
        width: TIME_WIDTH,
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
        filled: Some(|s| s.start.is_some()),
    },
    ColumnSpec {
        label: "Ended",
        width: TIME_WIDTH,
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
        filled: Some(|s| s.end.is_some() || s.is_open()),
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
        filled: None,
    },
    ColumnSpec {
        label: "Type / name",
        width: "minmax(6rem, 1fr)",
        cell: |out, s, _| text_cell(out, s.name.as_deref()),
        sort: Some(Column::Name),
        filter: Some("type"),
        export: &[ExportColumn {
            name: "name",
            value: |s, _| optional_text(s.name.as_deref()),
        }],
        log_only: false,
        filled: Some(|s| s.name.as_deref().is_some_and(|n| !n.is_empty())),
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
        // Hidden where no session has a log to open (Ekran's, PAM's requests).
        filled: Some(|s| s.log_href.is_some()),
    },
    // Last, after Log: which columns a reader chose is remembered by position.
    ColumnSpec {
        label: "vs usual",
        // "+1322 % ▲": the marker's rule on hover, its word for screen readers (`vs_cell`).
        width: "6.5rem",
        cell: |out, _, cx| vs_cell(out, cx.vs),
        sort: Some(Column::VsUsual),
        filter: Some("vs-usual"),
        export: &[
            ExportColumn {
                name: "vs_usual_pct",
                value: |_, cx| match cx.vs.and_then(|v| v.percent) {
                    Some(p) => ExportValue::Int(p),
                    None => ExportValue::Missing,
                },
            },
            ExportColumn {
                name: "slower_than_usual",
                value: |_, cx| {
                    cx.vs
                        .map_or(ExportValue::Missing, |v| ExportValue::Bool(v.slow))
                },
            },
        ],
        log_only: false,
        filled: Some(|s| s.job.as_deref().is_some_and(|j| !j.is_empty())),
    },
];

/// `+85 %`, and for a run slower than usual a marker that says so: `▲` in view, the rule on
/// hover and the word ("slow", "past usual") for screen readers, so the column stays narrow.
fn vs_cell(out: &mut String, vs: Option<Vs>) {
    let Some(v) = vs else { return };
    if let Some(p) = v.percent {
        out.push_str(&super::usual::signed(p));
        out.push_str(" %");
    }
    if v.slow {
        let word = if v.running { "past usual" } else { "slow" };
        let _ = write!(
            out,
            r#" <span class="sl-slow" title="{}">▲<span class="visually-hidden"> {word}</span></span>"#,
            crate::analysis::jobs::RULE
        );
    }
}

/// The Started and Ended columns: the wall clock on one line, its offset and how long ago on a
/// second, smaller one (`html::instant`), so that a time is whole in a third of the old width.
const TIME_WIDTH: &str = "11.5rem";

/// Exports lead with the session's id, the key a spreadsheet joins on, while the grid leads
/// with the status a reader scans first; every other column keeps the grid's order.
const EXPORT_LEADS_WITH: Column = Column::Id;

const NOT_SET: &str = r#"<span class="not-set">not set</span>"#;

/// Which columns a list shows: bit `i` for `COLUMNS[i]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cols(pub u16);

impl Cols {
    /// Every column the list can have (the log-only ones only `with_log`).
    pub fn all(with_log: bool) -> Cols {
        Cols(
            COLUMNS
                .iter()
                .enumerate()
                .filter(|(_, c)| with_log || !c.log_only)
                .fold(0, |m, (i, _)| m | 1 << i),
        )
    }

    /// The columns some of `sessions` fill, of those the list can have: what it shows at first.
    pub fn filled(sessions: &[Session], with_log: bool) -> Cols {
        // A rule at a time over the sessions, each ending at the first session that meets it
        // (most end at the first session); a column no session fills costs one pass of one
        // call a session (3–5 ms for 100 000 sessions). One pass that kept the unmet rules in
        // a list, retained for each session, cost 7–13 ms.
        let all = Cols::all(with_log);
        COLUMNS
            .iter()
            .enumerate()
            .filter(|(i, _)| all.has(*i))
            .fold(all, |cols, (i, c)| match c.filled {
                Some(filled) if !sessions.iter().any(filled) => cols.set(i, false),
                _ => cols,
            })
    }

    pub fn has(self, i: usize) -> bool {
        self.0 >> i & 1 == 1
    }

    /// With column `i` shown or hidden.
    pub fn set(self, i: usize, on: bool) -> Cols {
        Cols(if on {
            self.0 | 1 << i
        } else {
            self.0 & !(1 << i)
        })
    }
}

/// The columns a list shows, in order.
pub fn shown(cols: Cols) -> impl Iterator<Item = &'static ColumnSpec> {
    COLUMNS
        .iter()
        .enumerate()
        .filter(move |(i, _)| cols.has(*i))
        .map(|(_, c)| c)
}

/// The grid's `grid-template-columns` value.
pub fn grid_tracks(cols: Cols) -> String {
    shown(cols).map(|c| c.width).collect::<Vec<_>>().join(" ")
}

/// The widths of the columns that fit their text, as `(custom property, value)`: the Session
/// column (`--sl-id-w`) as wide as the list's longest id (to 40 characters of the monospace
/// font, 0.92 em: about 0.56 em a character), User and Host (`--sl-user-w`, `--sl-host-w`) as
/// their longest value (to 32 characters, about 0.6 em each), and the cell's padding.
pub fn fitted_widths(sessions: &[Session]) -> [(&'static str, String); 3] {
    // One pass over the sessions for the three. A value has no more characters than bytes: it
    // is counted only when its bytes could beat the longest so far, so 100 000 ASCII values
    // cost a length read each, not a count.
    let longer = |most: usize, t: Option<&str>| match t {
        Some(t) if t.len() > most => most.max(t.chars().count()),
        _ => most,
    };
    let [id, user, host] = sessions.iter().fold([0; 3], |[i, u, h], s| {
        [
            longer(i, Some(&s.id)),
            longer(u, s.user.as_deref()),
            longer(h, s.host.as_deref()),
        ]
    });
    // At least as wide as the header's words ("Host / client").
    let width = |chars: usize, min: usize, max: usize, em: &str| {
        format!("calc({} * {em}em + 1.2rem)", chars.clamp(min, max))
    };
    [
        ("--sl-id-w", width(id, 6, 40, "0.56")),
        ("--sl-user-w", width(user, 6, 32, "0.6")),
        ("--sl-host-w", width(host, 11, 32, "0.6")),
    ]
}

/// The export columns in order (see [`EXPORT_LEADS_WITH`]).
pub fn export_columns() -> impl Iterator<Item = &'static ExportColumn> {
    let leads = |c: &&ColumnSpec| c.sort == Some(EXPORT_LEADS_WITH);
    let first = COLUMNS.iter().filter(leads);
    let rest = COLUMNS.iter().filter(move |c| !leads(c));
    first.chain(rest).flat_map(|c| c.export.iter())
}

/// A text cell; text long enough to be cut (the User, Host and Type columns narrow before the
/// times do) is also its title, whole on hover.
fn text_cell(out: &mut String, text: Option<&str>) {
    let text = clip(text.unwrap_or(""), CELL_CHARS).0;
    if text.len() > TITLED_FROM {
        out.push_str(r#"<span title=""#);
        escape(text, out);
        out.push_str(r#"">"#);
        escape(text, out);
        out.push_str("</span>");
    } else {
        escape(text, out);
    }
}

/// Bytes of text from which a text cell may be cut at its column's narrowest (6rem).
const TITLED_FROM: usize = 10;

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
            grid_tracks(Cols::all(false)),
            "7.5rem var(--sl-id-w, 7rem) minmax(6rem, var(--sl-user-w, 10rem)) minmax(6rem, var(--sl-host-w, 10rem)) 11.5rem 11.5rem 7.5rem minmax(6rem, 1fr) 6.5rem"
        );
        assert_eq!(
            grid_tracks(Cols::all(true)).split(' ').count(),
            grid_tracks(Cols::all(false)).split(' ').count() + 1
        );
        assert_eq!(shown(Cols::all(true)).count(), COLUMNS.len());
        let no_user = Cols::all(false).set(2, false);
        assert!(!grid_tracks(no_user).contains("--sl-user-w"));
        assert_eq!(no_user.set(2, true), Cols::all(false));
    }

    #[test]
    fn columns_no_session_fills_are_left_out() {
        use crate::model::Status;
        let mut s = crate::list::histogram::test_session(Status::Success, Some(0), Some(1));
        s.user = Some("jen".into());
        let cols = Cols::filled(std::slice::from_ref(&s), false);
        let labels: Vec<&str> = shown(cols).map(|c| c.label).collect();
        assert_eq!(
            labels,
            ["Status", "Session", "User", "Started", "Ended", "Duration"]
        );
        s.user = Some(String::new());
        assert!(
            !Cols::filled(std::slice::from_ref(&s), false).has(2),
            "an empty user fills nothing"
        );
        // No session with a log to open: no Log column (bit 8) either.
        assert_eq!(Cols::filled(&[], true), Cols(0b0100_0011));
        s.log_href = Some("x".into());
        assert!(Cols::filled(&[s], true).has(8));
    }

    #[test]
    fn the_id_user_and_host_columns_fit_their_longest_text() {
        let w = fitted_widths(&[]);
        assert_eq!(w[0], ("--sl-id-w", "calc(6 * 0.56em + 1.2rem)".to_string()));
        let mut s = crate::list::histogram::test_session(crate::model::Status::Success, None, None);
        s.id = "0b1e55ed-0000-4000-8000-00000000b16a".into();
        s.user = Some("ENTERPRISE04\\Administrator".into());
        s.host = Some("x".repeat(90));
        let w = fitted_widths(&[s]);
        assert_eq!(w[0].1, "calc(36 * 0.56em + 1.2rem)");
        assert_eq!(
            w[1],
            ("--sl-user-w", "calc(26 * 0.6em + 1.2rem)".to_string())
        );
        assert_eq!(w[2].1, "calc(32 * 0.6em + 1.2rem)");
        assert_eq!(fitted_widths(&[])[2].1, "calc(11 * 0.6em + 1.2rem)");
        // Characters, not bytes, whichever comes first: 10 two-byte letters beat 8 ASCII ones,
        // and 9 ASCII letters beat 8 two-byte ones (16 bytes).
        let user = |u: &str| {
            let mut s =
                crate::list::histogram::test_session(crate::model::Status::Success, None, None);
            s.user = Some(u.into());
            s
        };
        let w = fitted_widths(&[user("abcdefgh"), user(&"Ä".repeat(10)), user("abc")]);
        assert_eq!(w[1].1, "calc(10 * 0.6em + 1.2rem)");
        let w = fitted_widths(&[user(&"Ä".repeat(8)), user("abcdefghi")]);
        assert_eq!(w[1].1, "calc(9 * 0.6em + 1.2rem)");
    }

    #[test]
    fn text_that_may_be_cut_is_whole_in_its_title() {
        let mut out = String::new();
        text_cell(&mut out, Some("jen"));
        assert_eq!(out, "jen");
        out.clear();
        text_cell(&mut out, Some("a898ac74-4b4a-<b>"));
        assert_eq!(
            out,
            r#"<span title="a898ac74-4b4a-&lt;b&gt;">a898ac74-4b4a-&lt;b&gt;</span>"#
        );
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
                "name",
                "vs_usual_pct",
                "slower_than_usual"
            ]
        );
    }
}
