//! `/job/:id?key=…`: one job of an opened session list (its usual, failure streak, last success,
//! runs over time as a chart, and its runs), and the home page's overview of the last 24 hours.
//!
//! Both are written as escaped HTML text (as the list's rows are): one string and one
//! `innerHTML` write from an effect, bar heights as `data-style` for
//! [`crate::components::cssom::apply`]. Links
//! are relative (`sessions/…`), so that they resolve against `<base href>` wherever the app is
//! hosted, and the router follows them.

use std::fmt::Write;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::doc::{elsewhere, DocRoute, OpenedList};
use crate::analysis::jobs::Jobs;
use crate::analysis::night::{chart_scale, find_job, permille, permille_css, Night};
use crate::format::duration_words;
use crate::list::html::{escape, escape_to_string, status_badge};
use crate::list::url::{decode, encode};
use crate::model::{Duration, Session, SessionList, Timestamp};
use crate::store::{Content, Doc};

/// How many of a job's latest runs the chart and the table show.
pub const SHOWN_RUNS: usize = 100;

#[component]
pub fn JobPage() -> impl IntoView {
    view! { <DocRoute render=render index=index/> }
}

fn index() -> AnyView {
    view! {
        <h1>"Jobs"</h1>
        <p>"A job's history opens from a session's details in a list, or from the overview on the home page."</p>
        <OpenedList/>
    }
    .into_any()
}

fn render(doc: Doc) -> AnyView {
    let Content::Sessions(list) = &doc.content else {
        return elsewhere(&doc);
    };
    let list = list.clone();
    // The router's location (the list reads it too; no query map of its own).
    let search = use_location().search;
    let html = move || {
        let key = search.with(|q| {
            q.trim_start_matches('?')
                .split('&')
                .find_map(|p| p.strip_prefix("key="))
                .map(decode)
                .unwrap_or_default()
        });
        page(
            &list,
            &doc.id,
            &doc.name,
            &key,
            crate::components::time::now_us(),
        )
    };
    // Written by the app's one effect (no reactive attribute of its own), then sized.
    let root = NodeRef::<leptos::html::Div>::new();
    crate::components::effect(move |_| {
        if let Some(el) = root.get() {
            el.set_inner_html(&html());
            crate::components::cssom::apply(&el);
        }
    });
    view! { <div class="job-view" node_ref=root></div> }.into_any()
}

/// A `<time datetime>` with the instant as the source wrote it.
fn time(out: &mut String, t: Timestamp) {
    let _ = write!(
        out,
        r#"<time datetime="{}" title="{}">{}</time>"#,
        t.utc_rfc3339(),
        escape_to_string(&t.describe()),
        escape_to_string(&t.source_display())
    );
}

/// A session's link in its list (selected there).
fn session_href(doc_id: &str, s: &Session) -> String {
    format!("sessions/{}?sel={}", encode(doc_id), encode(&s.id))
}

/// The job view's link for job `key` of document `doc_id`.
pub fn job_href(doc_id: &str, key: &str) -> String {
    format!("job/{}?key={}", encode(doc_id), encode(key))
}

/// The whole job view of job `key` in `list` (document `doc_id`, named `doc_name`).
pub fn page(list: &SessionList, doc_id: &str, doc_name: &str, key: &str, now_us: i64) -> String {
    let sessions = &list.sessions;
    let jobs = Jobs::build(sessions);
    let mut out = String::with_capacity(16 * 1024);
    let list_link = |out: &mut String| {
        let _ = write!(
            out,
            r#"<a href="sessions/{}">{}</a>"#,
            encode(doc_id),
            escape_to_string(doc_name)
        );
    };
    let Some(j) = find_job(&jobs, sessions, key) else {
        out.push_str("<h1>No such job</h1><p>");
        out.push_str("No session of ");
        list_link(&mut out);
        out.push_str(" is a run of the job <code>");
        escape(key, &mut out);
        out.push_str("</code>.</p>");
        return out;
    };
    let runs = jobs.runs(j);
    let job = jobs.job(j).copied();
    out.push_str("<h1>");
    escape(jobs.name(sessions, j).unwrap_or(key), &mut out);
    out.push_str(r#"</h1><p class="muted">Job <code>"#);
    escape(key, &mut out);
    let _ = write!(out, "</code> · {} runs in ", runs.len());
    list_link(&mut out);
    out.push_str(r#"</p><dl class="job-facts">"#);
    let usual = job.and_then(|j| j.usual);
    match usual {
        Some(u) => {
            let _ = write!(
                out,
                r#"<dt>Usual (median)</dt><dd data-median-ms="{}">{}</dd><dt>90th percentile</dt><dd data-p90-ms="{}">{}</dd><dt>Taken over</dt><dd>its last {} runs that finished normally</dd>"#,
                u.median.millis_rounded(),
                duration_words(u.median),
                u.p90.millis_rounded(),
                duration_words(u.p90),
                u.runs
            );
        }
        None => out.push_str("<dt>Usual</dt><dd>None of its runs finished normally yet.</dd>"),
    }
    let streak = job.map(|j| j.streak).unwrap_or_default();
    let _ = write!(
        out,
        r#"<dt>Failure streak</dt><dd class="job-streak" data-streak="{}">"#,
        streak.failed
    );
    let since = streak
        .since
        .and_then(|i| sessions.get(i))
        .and_then(|s| s.start.or(s.end));
    match (streak.failed, since) {
        (0, _) => out.push_str("Its latest finished run did not fail."),
        (n, since) => {
            let _ = write!(
                out,
                "Failed {n} run{} in a row",
                if n == 1 { "" } else { "s" }
            );
            if let Some(t) = since {
                out.push_str(" since ");
                time(&mut out, t);
            }
            out.push('.');
        }
    }
    out.push_str("</dd><dt>Last success</dt><dd>");
    match job
        .and_then(|j| j.last_success)
        .and_then(|i| sessions.get(i))
    {
        Some(s) => match s.start.or(s.end) {
            Some(t) => time(&mut out, t),
            None => out.push_str("a run without times"),
        },
        None => out.push_str("None of its runs succeeded."),
    }
    out.push_str("</dd></dl>");

    let shown = runs
        .get(runs.len().saturating_sub(SHOWN_RUNS)..)
        .unwrap_or_default();
    chart(&mut out, sessions, &jobs, shown, usual, doc_id, now_us);
    // Its runs as the list itself shows them (status, against usual, details, keyboard).
    let mut q = String::from("job:=");
    crate::list::query::push_value(&mut q, key, false);
    let _ = write!(
        out,
        r#"<p><a class="button" href="sessions/{}?q={}">All {} runs in the session list</a></p>"#,
        encode(doc_id),
        encode(&q),
        runs.len()
    );
    out
}

/// The runs over time: a bar per run (height its duration, colour and icon its status), the
/// usual band (median to 90th percentile) behind, round gridlines.
fn chart(
    out: &mut String,
    sessions: &[Session],
    jobs: &Jobs,
    shown: &[u32],
    usual: Option<crate::analysis::Baseline>,
    doc_id: &str,
    now_us: i64,
) {
    let duration = |i: u32| {
        sessions
            .get(i as usize)
            .and_then(|s| s.duration(now_us))
            .map_or(0, |d| d.micros())
    };
    let max = shown.iter().map(|&i| duration(i)).max().unwrap_or(0);
    let max = max.max(usual.map_or(0, |u| u.p90.micros()));
    let (top, step) = chart_scale(max);
    out.push_str(
        r#"<h2 id="job-chart-h">Runs over time</h2><p id="job-chart-help" class="muted">Each run's duration, oldest left, before the usual band (median to 90th percentile). Each is a link to the run in its list (Tab moves between them); the session list below lists them all.</p><div class="job-chart"><div class="job-grid" aria-hidden="true">"#,
    );
    let mut at = step;
    while at <= top {
        let _ = write!(
            out,
            r#"<span data-style="bottom:{}">{}</span>"#,
            permille_css(permille(at, top)),
            duration_words(Duration::from_micros(at))
        );
        at = at.saturating_add(step);
    }
    if let Some(u) = usual {
        let low = permille(u.median.micros(), top);
        let high = permille(u.p90.micros(), top).max(low + 5);
        let _ = write!(
            out,
            r#"<i class="job-band" data-style="bottom:{};height:{}"></i>"#,
            permille_css(low),
            permille_css(high - low)
        );
    }
    out.push_str(r#"</div><div class="job-bars" role="group" aria-labelledby="job-chart-h" aria-describedby="job-chart-help">"#);
    for &i in shown {
        let Some(s) = sessions.get(i as usize) else {
            continue;
        };
        let d = s.duration(now_us);
        let c = jobs.compare(sessions, i as usize, now_us);
        let _ = write!(
            out,
            r#"<a class="job-bar status-bg-{}" href="{}" data-session-id="{}" data-status="{}""#,
            s.status.id(),
            session_href(doc_id, s),
            escape_to_string(&s.id),
            s.status.id()
        );
        if c.is_some_and(|c| c.slow) {
            out.push_str(r#" data-slow="1""#);
        }
        let _ = write!(
            out,
            r#" data-style="height:{}" aria-label="{}"#,
            // A run without a duration still shows (and shows focus).
            permille_css(permille(d.map_or(0, |d| d.micros()), top).max(5)),
            s.status.label()
        );
        out.push_str(", ");
        match d {
            Some(d) => out.push_str(&duration_words(d)),
            None => out.push_str("no duration"),
        }
        if let Some(p) = c.and_then(|c| c.percent) {
            let _ = write!(out, " ({p:+} % against usual)");
        }
        if c.is_some_and(|c| c.slow) {
            out.push_str(", slower than usual");
        }
        if let Some(t) = s.start.or(s.end) {
            out.push_str(", ");
            escape(&t.source_display(), out);
        }
        let _ = write!(
            out,
            r#""><span aria-hidden="true">{}</span></a>"#,
            s.status.icon()
        );
    }
    out.push_str("</div></div>");
}

/// The overview's rows for one list: a heading saying which 24 hours, then its jobs to look at,
/// worst first, each linking to its job view.
pub fn night_html(out: &mut String, doc: &Doc, list: &SessionList, jobs: &Jobs, night: &Night) {
    let sessions = &list.sessions;
    out.push_str("<h3>");
    escape(&doc.name, out);
    if night.newest {
        out.push_str(": the 24 hours up to its newest session, ");
        let newest = sessions
            .iter()
            .filter_map(|s| s.start.or(s.end))
            .find(|t| t.unix_micros() == night.to_us);
        if let Some(t) = newest {
            time(out, t);
        }
    } else {
        out.push_str(": the 24 hours up to now");
    }
    out.push_str("</h3>");
    if night.rows.is_empty() {
        out.push_str(r#"<p class="muted">Nothing failed, warned or ran slower than usual.</p>"#);
        return;
    }
    out.push_str(r#"<table class="sessions night"><thead><tr><th scope="col">Job</th><th scope="col">Latest run</th><th scope="col">Failure streak</th><th scope="col">Slowest against usual</th></tr></thead><tbody>"#);
    for r in &night.rows {
        let key = jobs.key(sessions, r.job).unwrap_or_default();
        let _ = write!(
            out,
            r#"<tr data-job="{}" data-streak="{}" data-status="{}""#,
            escape_to_string(key),
            r.streak,
            r.status.id()
        );
        if let Some(p) = r.worst_pct {
            let _ = write!(out, r#" data-vs-usual-pct="{p}""#);
        }
        if r.slow {
            out.push_str(r#" data-slow="1""#);
        }
        let _ = write!(
            out,
            r#"><th scope="row"><a href="{}">"#,
            escape_to_string(&job_href(&doc.id, key))
        );
        escape(jobs.name(sessions, r.job).unwrap_or(key), out);
        out.push_str("</a></th><td>");
        let latest = sessions.get(r.latest);
        if let Some(s) = latest {
            status_badge(out, s.status, &s.vendor_status);
        }
        out.push_str("</td><td>");
        match r.streak {
            0 => {}
            1 => out.push_str("failed once"),
            n => {
                let _ = write!(out, "{n} failed in a row");
            }
        }
        out.push_str("</td><td>");
        if let Some(p) = r.worst_pct {
            let _ = write!(out, "{p:+} %");
        }
        if r.slow {
            out.push_str(" · slower than usual");
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{parse_timestamp, Status};

    fn run(start_min: i64, minutes: i64, status: Status) -> Session {
        let t = |m: i64| {
            parse_timestamp("2021-01-01T00:00:00Z")
                .ok()
                .flatten()
                .map(|t| t.plus(Duration::from_micros(m * 60_000_000)))
        };
        Session {
            id: format!("r<{start_min}>"),
            user: None,
            host: None,
            start: t(start_min),
            end: t(start_min + minutes),
            reported: None,
            status,
            vendor_status: Default::default(),
            name: Some("Nightly <db>".into()),
            log_href: None,
            job: Some("j&1".into()),
            details: Vec::new(),
            source: Default::default(),
        }
    }

    #[test]
    fn the_job_view_says_usual_streak_and_marks_the_slow_run() {
        let mut sessions: Vec<Session> =
            (0..4).map(|d| run(d * 1440, 30, Status::Success)).collect();
        sessions.push(run(4 * 1440, 75, Status::Success));
        sessions.extend((5..9).map(|d| run(d * 1440, 2, Status::Failed)));
        let list = SessionList {
            sessions,
            skipped: vec![],
            total: None,
        };
        let html = page(&list, "file-0", "a <file>", "j&1", 0);
        assert!(html.contains("<h1>Nightly &lt;db&gt;</h1>"), "{html}");
        assert!(html.contains(r#"data-streak="4">Failed 4 runs in a row since <time datetime="2021-01-06T00:00:00Z""#), "{html}");
        assert!(html.contains(r#"data-median-ms="1800000""#), "{html}");
        // One slow bar, the run of 75 min (+150 %).
        assert_eq!(html.matches(r#"data-slow="1""#).count(), 1, "{html}");
        assert!(
            html.contains(r#"data-session-id="r&lt;5760&gt;" data-status="success" data-slow="1""#),
            "{html}"
        );
        assert!(
            html.contains("Success, 1 h 15 min (+150 % against usual), slower than usual"),
            "{html}"
        );
        // Its runs: the list filtered by the job (`job:="j&1"` needs no quotes).
        assert!(
            html.contains(r#"href="sessions/file-0?q=job:%3Dj%261">All 9 runs"#),
            "{html}"
        );
        // Nine bars, each a link (in the tab order).
        assert_eq!(html.matches("class=\"job-bar ").count(), 9);
        assert!(
            html.contains(r#"href="sessions/file-0?sel=r%3C0%3E""#),
            "{html}"
        );
        assert!(page(&list, "file-0", "f", "other", 0).contains("<h1>No such job</h1>"));
        assert_eq!(job_href("file-0", "j&1 x"), "job/file-0?key=j%261%20x");
    }
}
