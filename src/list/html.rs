//! The list's rows and histogram bars as HTML text, set on their container in one assignment.
//!
//! Why not Leptos views: these are the parts redrawn on every scroll and keystroke, and they hold
//! nothing interactive of their own (clicks are handled once, on the grid, by position). As text,
//! a window of rows costs one string build and one `innerHTML` assignment, and no per-row
//! reactive code in the bundle. Every value from the data goes through [`escape`].

use std::fmt::Write;

use crate::format::{clip, css_percent, duration_words, relative_words};
use crate::model::{Duration, Session, Status, Timestamp};

use super::action::{Action, Hook};
use super::columns::{self, CellContext, Cols};
use super::facets::{FacetField, Facets, Selection};
use super::histogram::Histogram;
use super::query::Query;
use super::usual::{signed, Usual, Vs};
use crate::analysis::jobs::{usual_sentence, Compared, RULE};

/// How a row's times are written.
pub struct TimeText<'a> {
    /// An instant (µs) in the zone the user chose.
    pub show: &'a dyn Fn(i64) -> String,
    /// Where "… ago" is counted from, and open sessions' durations end.
    pub now_us: i64,
}

/// Escapes text for HTML content and double-quoted attribute values.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `text` escaped for HTML (see [`escape`]).
pub fn escape_to_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape(text, &mut out);
    out
}

/// The rows of `sessions` at `indices`, the first being at position `first` of the shown list.
/// `selected` is the position of the selected row; `cols` are the columns shown; `usual` the
/// list's jobs (empty until they are grouped).
pub fn rows(
    sessions: &[Session],
    indices: &[u32],
    first: usize,
    selected: Option<usize>,
    (cols, usual): (Cols, &Usual),
    time: &TimeText<'_>,
) -> String {
    let mut out = String::with_capacity(indices.len() * 900);
    for (k, (s, vs)) in indices
        .iter()
        .filter_map(|&i| Some((sessions.get(i as usize)?, usual.vs(i as usize))))
        .enumerate()
    {
        row(
            &mut out,
            (s, vs),
            first + k,
            selected == Some(first + k),
            cols,
            time,
        );
    }
    out
}

fn row(
    out: &mut String,
    (s, vs): (&Session, Option<Vs>),
    pos: usize,
    selected: bool,
    cols: Cols,
    time: &TimeText<'_>,
) {
    let duration = s.duration(time.now_us);
    let _ = write!(
        out,
        r#"<div role="row" class="sl-row{}" aria-selected="{selected}" aria-rowindex="{}" {}="{pos}" data-session-id="{}" data-status="{}""#,
        if selected {
            " selected\" id=\"sl-active"
        } else {
            ""
        },
        pos + 2,
        Hook::Pos.attr(),
        escape_to_string(&s.id),
        s.status.id(),
    );
    if let Some(d) = duration {
        let _ = write!(out, r#" data-duration-ms="{}""#, d.millis_rounded());
    }
    // SPEC §3.4: the job, and where it has a usual, the run against it.
    if let Some(job) = s.job.as_deref().filter(|j| !j.is_empty()) {
        out.push_str(r#" data-job=""#);
        escape(job, out);
        out.push('"');
    }
    if let Some(p) = vs.and_then(|v| v.percent) {
        let _ = write!(out, r#" data-vs-usual-pct="{}""#, signed(p));
    }
    if vs.is_some_and(|v| v.slow) {
        out.push_str(r#" data-slow="1""#);
    }
    out.push('>');
    let cx = CellContext {
        pos,
        duration,
        time,
        vs,
    };
    for column in columns::shown(cols) {
        out.push_str(r#"<div role="gridcell" class="sl-c">"#);
        (column.cell)(out, s, &cx);
        out.push_str("</div>");
    }
    out.push_str("</div>");
}

/// The grid's header (see [`head`]) and the body that the rows in view are written into.
pub fn grid(cols: Cols) -> String {
    format!(
        r#"<div role="rowgroup" class="sl-head">{}</div><div role="rowgroup" class="sl-body"><div class="sl-window"></div></div>"#,
        head(cols)
    )
}

/// The grid's header row: a sort button per sortable column shown, from [`columns::COLUMNS`].
pub fn head(cols: Cols) -> String {
    let mut out = String::from(r#"<div role="row" class="sl-row" aria-rowindex="1">"#);
    for column in columns::shown(cols) {
        let label = column.label;
        match column.sort {
            Some(sort) => {
                let id = sort.id();
                let _ = write!(
                    out,
                    r#"<div role="columnheader" aria-sort="none" class="sl-c" {col}="{id}"><button type="button" class="sl-sort" {sort}="{id}">{label}<span class="sl-arrow" aria-hidden="true"></span></button></div>"#,
                    col = Hook::Col.attr(),
                    sort = Hook::Sort.attr(),
                );
            }
            None => {
                let _ = write!(
                    out,
                    r#"<div role="columnheader" class="sl-c"><span class="visually-hidden">{label}</span></div>"#
                );
            }
        }
    }
    out.push_str("</div>");
    out
}

/// The "Columns" control's content: a checkbox per column the list can have (`available`),
/// ticked when `shown`, "(empty)" when no session fills it. Each carries [`Hook::Show`].
pub fn column_picker(available: Cols, shown: Cols, filled: Cols) -> String {
    let mut out = String::from("<summary>Columns</summary><div>");
    for (i, c) in columns::COLUMNS.iter().enumerate() {
        if available.has(i) {
            let _ = write!(
                out,
                r#"<label><input type="checkbox" {}="{i}"{}> {}{}</label>"#,
                Hook::Show.attr(),
                if shown.has(i) { " checked" } else { "" },
                c.label,
                if filled.has(i) { "" } else { " (empty)" }
            );
        }
    }
    out.push_str("</div>");
    out
}

/// The title of a status badge: the vendor's own word.
pub fn status_title(vendor: &str) -> String {
    if vendor.is_empty() {
        "The source gave no status".to_string()
    } else {
        format!("{} (as the source says)", clip(vendor, 200).0)
    }
}

/// The class of a status badge (its colour).
pub fn status_class(status: Status) -> String {
    format!("status status-{}", status.id())
}

/// The status badge (colour, icon and word; the vendor's word on hover). The one writing of it:
/// `components::status::StatusBadge` and the timeline's DOM writer build the same elements from
/// [`status_class`], [`status_title`] and the status's icon and label.
pub fn status_badge(out: &mut String, status: Status, vendor: &str) {
    let _ = write!(
        out,
        r#"<span class="{}" title="{}"><span class="status-icon" aria-hidden="true">{}</span>{}</span>"#,
        status_class(status),
        escape_to_string(&status_title(vendor)),
        status.icon(),
        status.label()
    );
}

/// A `<time>` in the chosen zone, the source's writing and the UTC instant on hover, and how
/// long ago where that helps: the wall clock on the first line, its zone and the "… ago" on a
/// second, smaller one (`.sl-t`), so that the column is a third narrower than on one line.
pub(crate) fn instant(out: &mut String, t: Timestamp, time: &TimeText<'_>) {
    let title = format!(
        "{} · as the source wrote it: {}",
        t.describe(),
        t.source_display()
    );
    let shown = (time.show)(t.unix_micros());
    // "2025-08-31 22:22:28 +02:00" (or "… UTC"): the zone is the last word, split off with its
    // space, which keeps the `<time>`'s text the whole instant; after the `<br>` it is not drawn.
    let cut = shown
        .bytes()
        .rposition(|b| b == b' ')
        .unwrap_or(shown.len());
    let (clock, zone) = (
        shown.get(..cut).unwrap_or_default(),
        shown.get(cut..).unwrap_or_default(),
    );
    let _ = write!(
        out,
        r#"<span class="sl-t"><time datetime="{}" title="{}">{}<br><small>{}</small></time>"#,
        t.utc_rfc3339(),
        escape_to_string(&title),
        escape_to_string(clock),
        escape_to_string(zone)
    );
    let ago = Duration::from_micros(time.now_us.saturating_sub(t.unix_micros()));
    if let Some(words) = relative_words(ago) {
        let _ = write!(out, r#"<small class="sl-ago"> · {words}</small>"#);
    }
    out.push_str("</span>");
}

/// The histogram's bars: one column per bucket, stacked by status, scaled to the tallest. Heights
/// are `data-style`, for `components::cssom::apply` (a `style` attribute breaks the CSP).
pub fn histogram(h: &Histogram) -> String {
    let max = f64::from(h.max_total().max(1));
    let mut out = String::with_capacity(h.buckets.len() * 120);
    for b in &h.buckets {
        let _ = write!(
            out,
            r#"<div class="sl-bucket" title="{} running">"#,
            b.total()
        );
        for st in Status::ALL {
            let n = b.count(st);
            if n > 0 {
                let _ = write!(
                    out,
                    r#"<span class="sl-seg status-bg-{}" data-style="height:{}"></span>"#,
                    st.id(),
                    css_percent(f64::from(n) / max)
                );
            }
        }
        out.push_str("</div>");
    }
    out
}

/// The facets: per facet a group of values, each an include toggle with an exclude button
/// beside it. Buttons carry [`Hook::Facet`] (`status`, `user`, `type`), [`Hook::FacetValue`]
/// and [`Hook::FacetInclude`] (`1`/`0`) for the list's one click handler.
/// The facets as text. `job_name` names a job's key where its sessions say (a VBA policy's
/// name for its id): the button shows the name, its value stays the key.
pub fn facets(f: &Facets, query: &Query, job_name: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(2048);
    let statuses = f
        .status
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(st, n)| (st.id(), st.label(), *n));
    facet_group(&mut out, "Status", FacetField::Status, statuses, query);
    for (title, field, counts) in [
        ("User", FacetField::User, &f.user),
        ("Type", FacetField::Name, &f.name),
        ("Job", FacetField::Job, &f.job),
    ] {
        // A list without jobs has no Job facet (the others keep their place).
        if field == FacetField::Job && counts.top.is_empty() {
            continue;
        }
        let named: Vec<(&str, String, u32)> = counts
            .top
            .iter()
            .map(|(v, n)| {
                let name = (field == FacetField::Job).then(|| job_name(v)).flatten();
                (v.as_str(), name.unwrap_or_else(|| v.clone()), *n)
            })
            .collect();
        let values = named.iter().map(|(v, label, n)| (*v, label.as_str(), *n));
        facet_group(&mut out, title, field, values, query);
    }
    out
}

fn facet_group<'a>(
    out: &mut String,
    title: &str,
    field: FacetField,
    values: impl Iterator<Item = (&'a str, &'a str, u32)>,
    query: &Query,
) {
    let _ = write!(
        out,
        r#"<div class="facet-group" role="group" aria-label="{title}"><h2 class="facet-title">{title}</h2><ul>"#
    );
    let key = facet_key(field);
    for (value, label, n) in values {
        let include = Selection {
            field,
            value: value.to_string(),
            include: true,
        };
        let exclude = Selection {
            include: false,
            ..include.clone()
        };
        let (on, off) = (include.is_in(query), exclude.is_in(query));
        let (value, label) = (escape_to_string(value), escape_to_string(clip(label, 60).0));
        let _ = write!(
            out,
            r#"<li{}><button type="button" class="facet" aria-pressed="{on}" {f}="{key}" {v}="{value}" {i}="1"><span class="facet-value">{label}</span> <span class="facet-count">{n}</span></button><button type="button" class="facet-x" aria-pressed="{off}" aria-label="Exclude {} {label}" title="Exclude" {f}="{key}" {v}="{value}" {i}="0">−</button></li>"#,
            if off { r#" class="excluded""# } else { "" },
            title.to_ascii_lowercase(),
            f = Hook::Facet.attr(),
            v = Hook::FacetValue.attr(),
            i = Hook::FacetInclude.attr(),
        );
    }
    out.push_str("</ul></div>");
}

/// The facet's name in `data-facet`.
pub fn facet_key(field: FacetField) -> &'static str {
    match field {
        FacetField::Status => "status",
        FacetField::User => "user",
        FacetField::Name => "type",
        FacetField::Job => "job",
    }
}

/// The facet a `data-facet` value names.
pub fn facet_field(key: &str) -> Option<FacetField> {
    FacetField::ALL.into_iter().find(|f| facet_key(*f) == key)
}

/// The selected session, whole: every field, its source (clipped to `source_chars`), and a
/// button to its log where it has one, and a link to its job's history (`job_href`, where it has
/// a job). Buttons carry `data-action` ([`Action::OpenLog`], [`Action::CloseDetails`]).
/// What the details say of the session's job: the link to its job view, this run against the
/// job's usual, and the job's failure streak.
#[derive(Default)]
pub struct JobLines<'a> {
    /// The "Job history" link (`/job/:id?key=…`), when the list is an open document's.
    pub href: Option<&'a str>,
    /// This run against its job's usual ([`super::usual::Usual::compared`]).
    pub compared: Option<Compared>,
    /// The job's failed runs in a row, newest back.
    pub streak: u32,
}

pub fn details(
    s: &Session,
    time: &TimeText<'_>,
    source_chars: usize,
    job: &JobLines<'_>,
) -> String {
    let mut out = String::with_capacity(1024 + s.source.len().min(source_chars));
    out.push_str(r#"<section class="sl-details" aria-label="Session details"><h2>Session <code>"#);
    escape(clip(&s.id, 200).0, &mut out);
    out.push_str(r#"</code></h2><dl class="sl-fields">"#);
    let show = |t: Option<Timestamp>| t.map(|t| (time.show)(t.unix_micros()));
    let end = match s.end {
        Some(t) => Some((time.show)(t.unix_micros())),
        None if s.is_open() => Some("still open".to_string()),
        None => None,
    };
    let status = format!("{} ({})", s.status.label(), s.vendor_status);
    let duration = s.duration(time.now_us).map(duration_words);
    for (label, value) in [
        ("Status", Some(status)),
        ("User", s.user.clone()),
        ("Host / client", s.host.clone()),
        ("Started", show(s.start)),
        ("Ended", end),
        ("Duration", duration),
        ("Type / name", s.name.clone()),
    ] {
        let _ = write!(out, "<dt>{label}</dt><dd>");
        escape(clip(value.as_deref().unwrap_or("—"), 2_000).0, &mut out);
        out.push_str("</dd>");
    }
    // Is this run normal: against its job's usual (the rule in the title), and the job's streak.
    if let Some(c) = &job.compared {
        let _ = write!(
            out,
            r#"<dt>Compared with usual</dt><dd class="sl-vs-usual" title="{RULE}">"#
        );
        escape(&usual_sentence(c), &mut out);
        out.push_str("</dd>");
    }
    if job.streak > 0 {
        let _ = write!(
            out,
            r#"<dt>Failure streak</dt><dd data-streak="{0}">Its job failed {0} run{1} in a row.</dd>"#,
            job.streak,
            if job.streak == 1 { "" } else { "s" }
        );
    }
    // What else the vendor says (type, progress, retries, statistics, reason), in its words.
    for (label, value) in &s.details {
        let _ = write!(out, "<dt>{label}</dt><dd>");
        escape(clip(value, 2_000).0, &mut out);
        out.push_str("</dd>");
    }
    out.push_str(r#"</dl><div class="sl-actions">"#);
    if s.log_href.is_some() {
        let _ = write!(
            out,
            r#"<button type="button" class="button" {}="{}">Open its log</button>"#,
            Hook::Action.attr(),
            Action::OpenLog.id()
        );
    }
    if let Some(href) = job.href {
        let _ = write!(
            out,
            r#"<a class="button secondary" href="{}">Job history</a>"#,
            escape_to_string(href)
        );
    }
    let _ = write!(
        out,
        r#"<button type="button" class="button secondary" {}="{}">Back to the list (Esc)</button></div><details><summary>Source (as the vendor sent it)</summary><pre class="source">"#,
        Hook::Action.attr(),
        Action::CloseDetails.id()
    );
    let (source, cut) = clip(&s.source, source_chars);
    escape(source, &mut out);
    if cut > 0 {
        let _ = write!(out, "… and {cut} more characters");
    }
    out.push_str("</pre></details></section>");
    out
}

/// The `?` overlay's list of keys.
pub fn key_help() -> String {
    let mut out = String::from("<dl>");
    for (keys, what) in super::keys::HELP {
        let _ = write!(out, "<dt><kbd>{keys}</kbd></dt><dd>{what}</dd>");
    }
    out.push_str("</dl>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::list::histogram::Bucket;
    use crate::model::parse_timestamp;

    fn session(id: &str, user: &str) -> Session {
        let t = |s: &str| parse_timestamp(s).ok().flatten();
        Session {
            id: id.into(),
            user: Some(user.into()),
            host: None,
            start: t("2021-04-01T00:00:00Z"),
            end: None,
            reported: None,
            status: Status::Running,
            vendor_status: "Run\"ning".into(),
            name: None,
            log_href: Some("/log".into()),
            job: None,
            details: Vec::new(),
            source: Default::default(),
        }
    }

    fn utc(us: i64) -> String {
        crate::model::wall_clock(us, 0, true)
    }

    #[test]
    fn escape_covers_content_and_attributes() {
        assert_eq!(
            escape_to_string(r#"<a href="x" onclick='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(escape_to_string("plain ünïcode"), "plain ünïcode");
    }

    #[test]
    fn rows_carry_the_test_hooks_and_escape_hostile_values() {
        let start = parse_timestamp("2021-04-01T00:00:00Z")
            .ok()
            .flatten()
            .map(|t| t.unix_micros())
            .unwrap_or_default();
        let sessions = [
            session(
                "a\"><script>alert(1)</script>",
                "<img src=x onerror=alert(1)>",
            ),
            session("2", "jen"),
        ];
        let time = TimeText {
            show: &utc,
            now_us: start + 7_200_000_000,
        };
        let html = rows(
            &sessions,
            &[1, 0, 42],
            10,
            Some(11),
            (Cols::all(true), &Usual::default()),
            &time,
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains(r#"data-session-id="a&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;""#)
        );
        assert_eq!(html.matches(r#"role="row""#).count(), 2);
        assert!(html.starts_with(r#"<div role="row" class="sl-row" aria-selected="false" aria-rowindex="12" data-pos="10" data-session-id="2" data-status="running" data-duration-ms="7200000">"#), "{html}");
        assert!(html.contains(r#"class="sl-row selected" id="sl-active" aria-selected="true" aria-rowindex="13" data-pos="11""#));
        assert!(html.contains(r#"<time datetime="2021-04-01T00:00:00Z""#));
        // The wall clock over its zone and how long ago; the `<time>`'s text is the whole
        // instant ("2021-04-01 00:00:00 UTC": the space goes with the zone).
        assert!(html.contains(
            ">2021-04-01 00:00:00<br><small> UTC</small></time><small class=\"sl-ago\"> · 2 h ago</small></span>"
        ));
        assert!(html.contains("still open"));
        assert!(html.contains("2 h 00 min so far"));
        assert!(html.contains(r#"title="Run&quot;ning (as the source says)""#));
        assert!(html.contains(r#"data-log-pos="10""#));
        let no_log = rows(
            &sessions,
            &[1],
            0,
            None,
            (Cols::all(false), &Usual::default()),
            &time,
        );
        assert!(!no_log.contains("data-log-pos"));
    }

    #[test]
    fn rows_say_their_job_and_how_they_compare_with_its_usual() {
        let (sessions, now) = crate::list::usual::tests::fixture();
        let usual = Usual::build(&sessions, now);
        let time = TimeText {
            show: &utc,
            now_us: now,
        };
        let html = rows(
            &sessions,
            &[3, 6, 0, 7],
            0,
            None,
            (Cols::all(false), &usual),
            &time,
        );
        let row = |k: usize| {
            html.split(r#"<div role="row""#)
                .nth(k + 1)
                .unwrap_or_default()
        };
        // The slow run: its job, +100 %, slow, in words and with the rule in its title.
        assert!(
            row(0).contains(r#"data-job="a" data-vs-usual-pct="+100" data-slow="1">"#),
            "{html}"
        );
        assert!(row(0)
            .contains("+100 % <span class=\"sl-slow\" title=\"Slower than usual: longer than 90%"));
        assert!(row(0).contains("▲<span class=\"visually-hidden\"> slow</span></span>"));
        // The running one, within its usual so far: a percent, no marker.
        assert!(
            row(1).contains(r#"data-job="a" data-vs-usual-pct="+45">"#),
            "{html}"
        );
        assert!(!row(1).contains("sl-slow"));
        // The first run has no usual yet; a session without a job has no job.
        assert!(row(2).contains(r#"data-job="a">"#));
        assert!(!row(3).contains("data-job") && !row(3).contains("data-vs-usual-pct"));
        // Past its usual while running: said in words of its own.
        let later = TimeText {
            show: &utc,
            now_us: now + 10 * 60_000_000,
        };
        let usual = Usual::build(&sessions, later.now_us);
        let html = rows(&sessions, &[6], 0, None, (Cols::all(false), &usual), &later);
        assert!(
            html.contains(r#"data-vs-usual-pct="+136" data-slow="1""#),
            "{html}"
        );
        assert!(html.contains("> past usual</span>"));
    }

    #[test]
    fn the_column_picker_offers_the_available_columns() {
        let all = Cols::all(false);
        let html = column_picker(all, all.set(2, false), all.set(3, false));
        assert_eq!(html.matches("<input").count(), 9);
        assert!(html.contains(r#"<label><input type="checkbox" data-show="2"> User</label>"#));
        assert!(html.contains(
            r#"<label><input type="checkbox" data-show="3" checked> Host / client (empty)</label>"#
        ));
        assert!(!html.contains("> Log"));
    }

    #[test]
    fn header_and_rows_have_one_cell_per_column_in_the_table_order() {
        let sessions = [session("1", "jen")];
        let time = TimeText {
            show: &utc,
            now_us: 0,
        };
        for cols in [
            Cols::all(false),
            Cols::all(true),
            Cols::all(true).set(2, false),
        ] {
            let head = grid(cols);
            let n = columns::shown(cols).count();
            assert_eq!(head.matches(r#"role="columnheader""#).count(), n);
            let mut rest = head.as_str();
            for c in columns::shown(cols) {
                let at = rest.find(&format!(">{}<", c.label));
                assert!(at.is_some(), "{} out of order in {head}", c.label);
                rest = rest.get(at.unwrap_or_default()..).unwrap_or_default();
            }
            let row = rows(&sessions, &[0], 0, None, (cols, &Usual::default()), &time);
            assert_eq!(row.matches(r#"role="gridcell""#).count(), n);
        }
        assert!(grid(Cols::all(true)).contains(
            r#"<div role="columnheader" aria-sort="none" class="sl-c" data-col="status"><button type="button" class="sl-sort" data-sort="status">Status<span class="sl-arrow" aria-hidden="true"></span></button></div>"#
        ));
        assert!(grid(Cols::all(true)).contains(
            r#"<div role="columnheader" class="sl-c"><span class="visually-hidden">Log</span></div><div role="columnheader" aria-sort="none" class="sl-c" data-col="vs-usual">"#
        ));
    }

    #[test]
    fn histogram_bars_stack_by_status_scaled_to_the_tallest() {
        let mut counts = [0u32; Status::ALL.len()];
        counts[Status::Failed as usize] = 1;
        counts[Status::Success as usize] = 3;
        let h = Histogram {
            from: 0,
            to: 2,
            buckets: vec![
                Bucket {
                    from: 0,
                    to: 1,
                    counts,
                },
                Bucket {
                    from: 1,
                    to: 2,
                    counts: [0; Status::ALL.len()],
                },
            ],
        };
        assert_eq!(
            histogram(&h),
            concat!(
                r#"<div class="sl-bucket" title="4 running">"#,
                r#"<span class="sl-seg status-bg-failed" data-style="height:25.0000%"></span>"#,
                r#"<span class="sl-seg status-bg-success" data-style="height:75.0000%"></span></div>"#,
                r#"<div class="sl-bucket" title="0 running"></div>"#
            )
        );
    }

    #[test]
    fn facets_say_what_is_selected_and_escape_values() {
        let sessions = [session("1", "<b>jen</b>"), session("2", "ann")];
        let f = crate::list::facets(&sessions, &[0, 1], 5);
        let (query, _) = crate::list::parse_lenient(r#"status:running -user:="<b>jen</b>""#);
        let html = facets(&f, &query, &|_| None);
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains(r#"<button type="button" class="facet" aria-pressed="true" data-facet="status" data-value="running" data-include="1"><span class="facet-value">Running</span> <span class="facet-count">2</span>"#), "{html}");
        assert!(html.contains(r#"<li class="excluded"><button type="button" class="facet" aria-pressed="false" data-facet="user" data-value="&lt;b&gt;jen&lt;/b&gt;""#), "{html}");
        assert!(html.contains(r#"aria-label="Exclude user ann""#));
        assert_eq!(facet_field("type"), Some(FacetField::Name));
        assert_eq!(facet_field("nope"), None);
        // No jobs, no Job facet; with jobs, one that selects `job:=<key>`.
        assert!(!html.contains(r#"aria-label="Job""#));
        let (jobs, _) = crate::list::usual::tests::fixture();
        let f = crate::list::FacetIndex::new(&jobs).facets(&jobs, &[0, 1, 4, 7], 5);
        assert_eq!(f.job.top, [("a".to_string(), 2), ("b".to_string(), 1)]);
        assert_eq!(f.job.missing, 1);
        let (query, _) = crate::list::parse_lenient("job:=b");
        let html = facets(&f, &query, &|_| None);
        assert!(html.contains(r#"<div class="facet-group" role="group" aria-label="Job">"#));
        assert!(
            html.contains(r#"aria-pressed="true" data-facet="job" data-value="b""#),
            "{html}"
        );
        assert_eq!(crate::list::facets(&jobs, &[0, 1, 4, 7], 5), f);
        // A named job shows its name (escaped); its value stays the key. Other facets keep
        // their values, whatever the names say.
        let named = |key: &str| (key == "b").then(|| "Nightly <SQL>".to_string());
        let html = facets(&f, &query, &named);
        assert!(
            html.contains(r#"data-facet="job" data-value="b" data-include="1"><span class="facet-value">Nightly &lt;SQL&gt;</span>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"data-value="a" data-include="1"><span class="facet-value">a</span>"#)
        );
        for f in FacetField::ALL {
            assert_eq!(facet_field(facet_key(f)), Some(f));
        }
    }

    #[test]
    fn details_show_every_field_and_a_clipped_escaped_source() {
        let mut s = session("7", "jen");
        s.source = format!("<script>{}", "x".repeat(100)).into();
        let time = TimeText {
            show: &utc,
            now_us: 0,
        };
        let html = details(&s, &time, 20, &JobLines::default());
        assert!(html.contains("<dt>User</dt><dd>jen</dd>"));
        assert!(html.contains("<dt>Ended</dt><dd>still open</dd>"));
        assert!(html.contains("<dt>Host / client</dt><dd>—</dd>"));
        assert!(
            html.contains("&lt;script&gt;xxxxxxxxxxxx… and 88 more characters"),
            "{html}"
        );
        assert!(html.contains(r#"data-action="open-log""#));
        assert!(!html.contains("Job history") && !html.contains("Compared with usual"));
        assert!(!html.contains("Failure streak"));
        let linked = details(
            &s,
            &time,
            20,
            &JobLines {
                href: Some("job/file-0?key=a&b"),
                ..JobLines::default()
            },
        );
        assert!(linked.contains(
            r#"<a class="button secondary" href="job/file-0?key=a&amp;b">Job history</a>"#
        ));
        s.log_href = None;
        assert!(!details(&s, &time, 20, &JobLines::default()).contains("open-log"));
        // The vendor's further details follow, escaped.
        s.details = vec![
            ("Progress", "42 <objects>".into()),
            ("Bottleneck", "Source".into()),
        ];
        let html = details(&s, &time, 20, &JobLines::default());
        assert!(
            html.contains(
                "<dt>Progress</dt><dd>42 &lt;objects&gt;</dd><dt>Bottleneck</dt><dd>Source</dd>"
            ),
            "{html}"
        );
        assert!(key_help().contains("<dt><kbd>/</kbd></dt><dd>go to the filter</dd>"));
    }

    #[test]
    fn details_say_how_the_run_compares_with_its_jobs_usual_and_the_jobs_streak() {
        // Job `a`: its fourth run took 20 min against a usual 10 (slower); job `b` failed twice.
        let (sessions, now) = crate::list::usual::tests::fixture();
        let usual = Usual::build(&sessions, now);
        let time = TimeText {
            show: &utc,
            now_us: now,
        };
        let lines = |i: usize| JobLines {
            href: None,
            compared: usual.compared(&sessions, i),
            streak: usual.streak(i).unwrap_or(0),
        };
        let slow = details(&sessions[3], &time, 20, &lines(3));
        assert!(
            slow.contains("<dt>Compared with usual</dt><dd class=\"sl-vs-usual\" title=\"Slower than usual: longer than 90%"),
            "{slow}"
        );
        assert!(
            slow.contains(">20 min: +100% against the usual 10 min (median of 3 runs) — slower than usual.</dd>"),
            "{slow}"
        );
        assert!(
            !slow.contains("Failure streak"),
            "job a's latest run did not fail"
        );
        // A running run, by its length so far (as of when the list was grouped).
        let running = details(&sessions[6], &time, 20, &lines(6));
        assert!(
            running.contains(">16 min so far: +45% against the usual 11 min (median of 4 runs) — within its usual.</dd>"),
            "{running}"
        );
        // The first run has no usual yet; job b's runs say its streak.
        assert!(!details(&sessions[0], &time, 20, &lines(0)).contains("Compared with usual"));
        let failed = details(&sessions[4], &time, 20, &lines(4));
        assert!(
            failed.contains(
                r#"<dt>Failure streak</dt><dd data-streak="2">Its job failed 2 runs in a row.</dd>"#
            ),
            "{failed}"
        );
    }
}
