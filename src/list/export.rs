//! Export of exactly what the list shows (its filtered, sorted rows) as CSV or JSON, with a
//! header that says where the rows came from and how they were chosen.
//!
//! The columns and their values come from [`columns::COLUMNS`], the same table the grid is drawn
//! from. Nothing here knows about connections or credentials: an export is built from the sessions and
//! a [`Header`] of plain words, so a token cannot end up in a file.

use crate::model::Session;

use super::columns::{self, ExportContext, ExportValue};
use super::usual::Usual;

/// What an export says about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Header {
    /// `Session Viewer 0.1.0`.
    pub app: String,
    /// The document's name (file name, sample title, or connection label).
    pub source: String,
    /// The filter text as typed; empty for none.
    pub filter: String,
    /// The time range as the URL writes it (`24h`, `from/to`); empty for all time.
    pub range: String,
    /// The sort as the URL writes it (`start:desc`); empty for the list's own order.
    pub sort: String,
    /// How times are written: `UTC`, or `local (UTC+02:00)`.
    pub time_zone: String,
    /// Rows in the export, and in the whole list.
    pub rows: usize,
    pub of: usize,
}

/// The sessions at `indices` (in that order) as CSV: `#` lines for the header, then a row of
/// column names, then one line per session. `time` writes an instant (µs) in the export's zone;
/// `now_us` is where open sessions' durations end; `usual` holds the list's jobs (for the
/// "vs usual" columns).
///
/// Fields are quoted when they hold a comma, semicolon (the separator of some locales' spreadsheets),
/// quote or line break; text that a spreadsheet would run as a formula (starting with `=`, `+`,
/// `-`, `@`, tab or CR) gets a leading `'`. Each header line is one such cell, so a filter from a
/// shared link (`x,=HYPERLINK(…)`) cannot spill into a cell of its own.
pub fn to_csv(
    header: &Header,
    sessions: &[Session],
    indices: &[u32],
    time: &dyn Fn(i64) -> String,
    now_us: i64,
    usual: &Usual,
) -> String {
    let mut out = String::with_capacity(128 + indices.len() * 96);
    for (label, value) in [
        ("Exported by", header.app.as_str()),
        ("Source", &header.source),
        ("Filter", or_none(&header.filter)),
        ("Time range", or_all(&header.range)),
        ("Sort", or_none(&header.sort)),
        ("Time zone", &header.time_zone),
    ] {
        out.push_str(&text_cell(&format!("# {label}: {}", one_line(value))));
        out.push('\n');
    }
    out.push_str(&format!("# Rows: {} of {}\n", header.rows, header.of));
    let names: Vec<&str> = columns::export_columns().map(|c| c.name).collect();
    out.push_str(&names.join(","));
    out.push('\n');
    for &i in indices {
        let Some(s) = sessions.get(i as usize) else {
            continue;
        };
        let cx = ExportContext {
            time,
            now_us,
            vs: usual.vs(i as usize),
        };
        for (k, column) in columns::export_columns().enumerate() {
            if k > 0 {
                out.push(',');
            }
            match (column.value)(s, &cx) {
                ExportValue::Text(t) => out.push_str(&text_cell(t)),
                ExportValue::Word(w) => out.push_str(&w),
                ExportValue::Int(n) => out.push_str(&n.to_string()),
                ExportValue::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                ExportValue::Missing => {}
            }
        }
        out.push('\n');
    }
    out
}

/// The same rows as a JSON object: the header's fields, then `sessions`, one object per row
/// with [`columns::export_columns`]' names in order. Written as `serde_json::to_string_pretty`
/// writes it (two-space indents, `"key": value`), byte for byte (`tests::json_is_serde_json_s`),
/// by hand: a serializer would be the bundle's only one (≈ 1 KB brotli).
pub fn to_json(
    header: &Header,
    sessions: &[Session],
    indices: &[u32],
    time: &dyn Fn(i64) -> String,
    now_us: i64,
    usual: &Usual,
) -> String {
    let mut out = String::with_capacity(256 + indices.len() * 320);
    out.push('{');
    for (name, value) in [
        ("app", &header.app),
        ("source", &header.source),
        ("filter", &header.filter),
        ("range", &header.range),
        ("sort", &header.sort),
        ("time_zone", &header.time_zone),
    ] {
        json_key(&mut out, "\n  ", name);
        json_str(&mut out, value);
        out.push(',');
    }
    json_key(&mut out, "\n  ", "rows");
    out.push_str(&header.rows.to_string());
    out.push(',');
    json_key(&mut out, "\n  ", "of");
    out.push_str(&header.of.to_string());
    out.push(',');
    json_key(&mut out, "\n  ", "sessions");
    out.push('[');
    let mut any = false;
    for &i in indices {
        let Some(s) = sessions.get(i as usize) else {
            continue;
        };
        let cx = ExportContext {
            time,
            now_us,
            vs: usual.vs(i as usize),
        };
        out.push_str(if any { ",\n    {" } else { "\n    {" });
        any = true;
        for (k, column) in columns::export_columns().enumerate() {
            json_key(
                &mut out,
                if k > 0 { ",\n      " } else { "\n      " },
                column.name,
            );
            match (column.value)(s, &cx) {
                ExportValue::Text(t) => json_str(&mut out, t),
                ExportValue::Word(w) => json_str(&mut out, &w),
                ExportValue::Int(n) => out.push_str(&n.to_string()),
                ExportValue::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                ExportValue::Missing => out.push_str("null"),
            }
        }
        out.push_str("\n    }");
    }
    out.push_str(if any { "\n  ]\n}" } else { "]\n}" });
    out
}

/// `before`, then `"name": `.
fn json_key(out: &mut String, before: &str, name: &str) {
    out.push_str(before);
    json_str(out, name);
    out.push_str(": ");
}

/// A JSON string, escaped as serde_json escapes: `"`, `\\`, and control characters (the short
/// forms where JSON has one, `\u00xx` otherwise).
fn json_str(out: &mut String, text: &str) {
    out.push('"');
    let mut from = 0;
    for (i, b) in text.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        // `i` is an ASCII byte's position: a char boundary.
        out.push_str(text.get(from..i).unwrap_or_default());
        if short.is_empty() {
            out.push_str(if b < 0x10 { "\\u000" } else { "\\u001" });
            out.extend(char::from_digit(u32::from(b & 15), 16));
        } else {
            out.push_str(short);
        }
        from = i + 1;
    }
    out.push_str(text.get(from..).unwrap_or_default());
    out.push('"');
}

fn or_none(text: &str) -> &str {
    if text.trim().is_empty() {
        "(none)"
    } else {
        text
    }
}

fn or_all(text: &str) -> &str {
    if text.trim().is_empty() {
        "all time"
    } else {
        text
    }
}

/// Header values on one line: line breaks become spaces.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// A text cell: defused against formulas, then quoted where CSV needs it.
fn text_cell(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if defused.contains([',', ';', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{parse_timestamp, Status};

    fn session(id: &str, user: Option<&str>, start: &str, end: Option<&str>) -> Session {
        let t = |s: &str| parse_timestamp(s).ok().flatten();
        Session {
            id: id.into(),
            user: user.map(Into::into),
            host: Some("host-1".into()),
            start: t(start),
            end: end.and_then(t),
            reported: None,
            status: Status::Failed,
            vendor_status: "Failed".into(),
            name: Some("Nightly, full".into()),
            log_href: None,
            job: None,
            details: Vec::new(),
            source: "{\"token\":\"not exported\"}".into(),
        }
    }

    fn header() -> Header {
        Header {
            app: "Session Viewer 1.2.3".into(),
            source: "sessions.json".into(),
            filter: "user:jen\nstatus:failed".into(),
            range: String::new(),
            sort: "start:desc".into(),
            time_zone: "UTC".into(),
            rows: 2,
            of: 3,
        }
    }

    fn utc(us: i64) -> String {
        crate::model::wall_clock(us, 0, true)
    }

    #[test]
    fn csv_has_the_header_the_columns_and_the_rows_in_order() {
        let sessions = [
            session(
                "1",
                Some("jen"),
                "2021-04-01T00:00:00Z",
                Some("2021-04-01T01:00:00Z"),
            ),
            session(
                "2",
                Some("=cmd|' /C calc'!A0"),
                "2021-04-01T00:00:00Z",
                None,
            ),
            session("3", None, "2021-04-01T00:00:00Z", None),
        ];
        let now = sessions[1]
            .start
            .map(|t| t.unix_micros())
            .unwrap_or_default()
            + 90_000_000;
        let csv = to_csv(
            &header(),
            &sessions,
            &[1, 0, 99],
            &utc,
            now,
            &Usual::default(),
        );
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines,
            [
                "# Exported by: Session Viewer 1.2.3",
                "# Source: sessions.json",
                "# Filter: user:jen status:failed",
                "# Time range: all time",
                "# Sort: start:desc",
                "# Time zone: UTC",
                "# Rows: 2 of 3",
                "id,status,vendor_status,user,host,start,end,duration_ms,open,name,vs_usual_pct,slower_than_usual",
                "2,failed,Failed,'=cmd|' /C calc'!A0,host-1,2021-04-01 00:00:00 UTC,,90000,true,\"Nightly, full\",,",
                "1,failed,Failed,jen,host-1,2021-04-01 00:00:00 UTC,2021-04-01 01:00:00 UTC,3600000,false,\"Nightly, full\",,",
            ]
        );
        assert!(!csv.contains("token"));
    }

    #[test]
    fn exports_say_how_each_run_compares_with_its_usual() {
        let (sessions, now) = crate::list::usual::tests::fixture();
        let usual = Usual::build(&sessions, now);
        let csv = to_csv(&header(), &sessions, &[3, 6, 0], &utc, now, &usual);
        let ends: Vec<&str> = csv
            .lines()
            .skip(8)
            .map(|l| l.rsplit(',').nth(1).unwrap_or_default())
            .collect();
        assert_eq!(ends, ["100", "45", ""]);
        assert!(
            csv.lines().nth(8).is_some_and(|l| l.ends_with(",100,true")),
            "{csv}"
        );
        assert!(
            csv.lines().nth(10).is_some_and(|l| l.ends_with(",,")),
            "{csv}"
        );
        let json = to_json(&header(), &sessions, &[3], &utc, now, &usual);
        assert!(json.contains(r#""vs_usual_pct": 100,"#), "{json}");
        assert!(json.contains(r#""slower_than_usual": true"#), "{json}");
    }

    #[test]
    fn csv_rows_and_json_keys_follow_the_export_columns() {
        let sessions = [session("1", None, "2021-04-01T00:00:00Z", None)];
        let names: Vec<&str> = columns::export_columns().map(|c| c.name).collect();
        let mut h = header();
        h.filter.clear();
        let csv = to_csv(&h, &sessions, &[0], &utc, 0, &Usual::default());
        let lines: Vec<&str> = csv.lines().skip(7).collect();
        assert_eq!(lines.first().copied(), Some(names.join(",").as_str()));
        // "Nightly, full" is one quoted cell holding a comma.
        let cells = lines.get(1).map_or(0, |l| {
            l.replace("\"Nightly, full\"", "n").split(',').count()
        });
        assert_eq!(cells, names.len());
        let json = to_json(&h, &sessions, &[0], &utc, 0, &Usual::default());
        let mut rest = json
            .get(json.find("\"sessions\"").unwrap_or_default()..)
            .unwrap_or_default();
        for name in &names {
            let at = rest.find(&format!("\"{name}\":"));
            assert!(at.is_some(), "{name} out of order in {json}");
            rest = rest.get(at.unwrap_or_default()..).unwrap_or_default();
        }
    }

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(text_cell("plain"), "plain");
        assert_eq!(text_cell("a,b"), "\"a,b\"");
        assert_eq!(text_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(text_cell("+1"), "'+1");
        assert_eq!(text_cell("-x,y"), "\"'-x,y\"");
        assert_eq!(text_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_cell("a;b"), "\"a;b\"");
        assert_eq!(text_cell(""), "");
    }

    #[test]
    fn header_lines_are_single_safe_cells() {
        let mut h = header();
        h.filter = r#"x,=HYPERLINK("http://evil.example") y;z"#.into();
        h.source = "-2+3".into();
        let csv = to_csv(&h, &[], &[], &|us| utc(us), 0, &Usual::default());
        let lines: Vec<&str> = csv.lines().collect();
        // Quoted whole: the comma and semicolon stay inside the one cell, which starts with `#`.
        assert_eq!(
            lines[2],
            r##""# Filter: x,=HYPERLINK(""http://evil.example"") y;z""##
        );
        assert_eq!(lines[1], "# Source: -2+3");
        assert!(lines
            .iter()
            .take(7)
            .all(|l| l.starts_with("# ") || l.starts_with("\"# ")));
    }

    /// The serde writing `to_json` replaced, kept as the reference it is checked against.
    struct Row<'a> {
        session: &'a Session,
        cx: ExportContext<'a>,
    }

    impl serde::Serialize for Row<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = serializer.serialize_map(None)?;
            for column in columns::export_columns() {
                match (column.value)(self.session, &self.cx) {
                    ExportValue::Text(t) => map.serialize_entry(column.name, t)?,
                    ExportValue::Word(w) => map.serialize_entry(column.name, &w)?,
                    ExportValue::Int(n) => map.serialize_entry(column.name, &n)?,
                    ExportValue::Bool(b) => map.serialize_entry(column.name, &b)?,
                    ExportValue::Missing => map.serialize_entry(column.name, &())?,
                }
            }
            map.end()
        }
    }

    #[derive(serde::Serialize)]
    struct Document<'a> {
        #[serde(flatten)]
        header: &'a Header,
        sessions: Vec<Row<'a>>,
    }

    fn serde_json_s(
        header: &Header,
        sessions: &[Session],
        indices: &[u32],
        now: i64,
        usual: &Usual,
    ) -> String {
        let doc = Document {
            header,
            sessions: indices
                .iter()
                .filter_map(|&i| {
                    Some(Row {
                        session: sessions.get(i as usize)?,
                        cx: ExportContext {
                            time: &utc,
                            now_us: now,
                            vs: usual.vs(i as usize),
                        },
                    })
                })
                .collect(),
        };
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }

    #[test]
    fn json_is_serde_json_s() {
        // Every control character, quotes, backslashes, DEL, non-ASCII, and markup.
        let hostile: String = (0u8..0x20)
            .map(char::from)
            .chain("\"\\/\u{7f}é€😀<b>&".chars())
            .collect();
        let mut odd = session("x\"1\\", Some(&hostile), "2021-04-01T00:00:00Z", None);
        odd.vendor_status = hostile.clone().into();
        odd.name = None;
        odd.host = None;
        let sessions = [
            session(
                "1",
                Some("jen"),
                "2021-04-01T00:00:00Z",
                Some("2021-04-01T01:00:00Z"),
            ),
            odd,
            session("3", None, "garbage", None),
        ];
        let mut h = header();
        h.source = hostile.clone();
        h.range = "\u{1}24h".into();
        let usual = Usual::default();
        for indices in [&[][..], &[0], &[1, 0, 2], &[99], &[2, 99, 1]] {
            assert_eq!(
                to_json(&h, &sessions, indices, &utc, 7, &usual),
                serde_json_s(&h, &sessions, indices, 7, &usual),
                "{indices:?}"
            );
        }
        let (sessions, now) = crate::list::usual::tests::fixture();
        let usual = Usual::build(&sessions, now);
        let all: Vec<u32> = (0..sessions.len() as u32).collect();
        assert_eq!(
            to_json(&header(), &sessions, &all, &utc, now, &usual),
            serde_json_s(&header(), &sessions, &all, now, &usual)
        );
    }

    #[test]
    fn json_holds_the_header_and_the_same_rows() {
        let sessions = [session(
            "7",
            Some("DOMAIN\\jen"),
            "2021-04-01T00:00:00+02:00",
            Some("2021-04-01T00:00:01.5+02:00"),
        )];
        let json = to_json(&header(), &sessions, &[0], &utc, 0, &Usual::default());
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(value["app"], "Session Viewer 1.2.3");
        assert_eq!(value["filter"], "user:jen\nstatus:failed");
        assert_eq!(value["time_zone"], "UTC");
        assert_eq!(value["rows"], 2);
        let row = &value["sessions"][0];
        assert_eq!(row["id"], "7");
        assert_eq!(row["user"], "DOMAIN\\jen");
        assert_eq!(row["start"], "2021-03-31 22:00:00 UTC");
        assert_eq!(row["duration_ms"], 1500);
        assert_eq!(row["open"], false);
        assert_eq!(value["sessions"].as_array().map(Vec::len), Some(1));
        assert!(!json.contains("token"));
    }
}
