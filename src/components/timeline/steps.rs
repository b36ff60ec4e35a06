//! Step statistics beside the timeline (`analysis::steps`): the log's entries grouped by step,
//! with count, total, mean, longest and share of the session, sortable by each; a click on a step
//! shows only its entries in the timeline (the filter's `step`, kept in the address). With other
//! runs of the same job open, each step's usual and its change ("which step got slower"); when
//! the log came from a connection, one action fetches the job's recent runs' logs, with progress
//! and Cancel. Also this run against its job's usual, for the log's summary.
//!
//! Drawn like the job view: a fixed skeleton written once as text (headers with their sort
//! buttons, fetch, Cancel, "Show all steps"), then the rows (escaped text, a hot repeated
//! region) and a few attributes written by two effects and one click handler, the buttons named
//! by a typed enum ([`Button`]). As `view!`s with a signal each it cost 3.7 KB brotli more.
//! What the job's other runs are is [`job_runs`], a pure function of the open documents.

use std::sync::Arc;

use leptos::prelude::*;

use crate::analysis::filter::EntryFilter;
use crate::analysis::jobs::{
    finished_normally, signed_percent, usual_sentence, Compared, Jobs, RULE,
};
use crate::analysis::steps::{sort_steps, step_stats, usual_steps, StepOrder, StepStat, StepUsual};
use crate::format::{clip, duration_words, whole_percent};
use crate::list::html::escape;
use crate::model::{Content, Duration, SessionLog};
use crate::store::{Doc, Store};

/// How many of the job's previous runs "Fetch recent runs' logs" fetches.
pub const FETCH_RUNS: usize = 5;
/// Step rows drawn at most; the rest are counted.
const MAX_ROWS: usize = 500;

/// This log's job, as far as the open documents tell.
#[derive(Clone, Debug, Default)]
pub struct JobRuns {
    /// This run against its job's usual (its previous runs in the list).
    pub compared: Option<Compared>,
    /// The open logs of the job's other runs that finished normally.
    pub others: Vec<Arc<SessionLog>>,
    /// The connection of the list the run is in, when it came from one.
    pub connection: Option<String>,
    /// The job's last [`FETCH_RUNS`] previous runs that finished normally and have a log, less
    /// those whose log is open: their session ids, newest first.
    pub to_fetch: Vec<String>,
}

/// The session a log document is of: its origin's (a live log), else the log's own.
fn session_of(doc: &Doc) -> Option<&str> {
    let Content::Log(log) = &doc.content else {
        return None;
    };
    let id = doc
        .origin
        .as_ref()
        .map_or(log.session_id.as_str(), |o| o.session_id.as_str());
    (!id.is_empty()).then_some(id)
}

/// The job of the log `current` among `docs`: the open session list that has its session (its
/// own connection's first), the job that session is a run of, and the open logs of that job's
/// other runs. `None` when no open list has the session or the session is no job's run.
pub fn job_runs(docs: &[Doc], current: &str, now_us: i64) -> Option<JobRuns> {
    let this = docs.iter().find(|d| d.id == current)?;
    let sid = session_of(this)?;
    let mut found = None;
    for d in docs {
        let Content::Sessions(l) = &d.content else {
            continue;
        };
        let Some(i) = l.sessions.iter().position(|s| s.id == sid) else {
            continue;
        };
        let own = d.connection == this.connection;
        if own || found.is_none() {
            found = Some((d, &l.sessions, i));
        }
        if own {
            break;
        }
    }
    let (list_doc, sessions, i) = found?;
    let jobs = Jobs::build(sessions);
    let job = jobs.job_of(i)?;
    let open = |id: &str| {
        docs.iter().find_map(|d| match &d.content {
            Content::Log(l) if d.id != current && session_of(d) == Some(id) => Some(l.clone()),
            _ => None,
        })
    };
    let runs = jobs.runs(job);
    let mut out = JobRuns {
        compared: jobs.compare(sessions, i, now_us),
        connection: list_doc.connection.clone(),
        ..JobRuns::default()
    };
    for &r in runs {
        let Some(s) = sessions.get(r as usize).filter(|_| r as usize != i) else {
            continue;
        };
        if let Some(log) = open(&s.id).filter(|_| finished_normally(s)) {
            out.others.push(log);
        }
    }
    if out.connection.is_some() {
        let before = runs.iter().position(|&r| r as usize == i).unwrap_or(0);
        out.to_fetch = runs
            .get(..before)
            .unwrap_or_default()
            .iter()
            .rev()
            .filter_map(|&r| sessions.get(r as usize))
            .filter(|s| finished_normally(s) && s.log_href.is_some())
            .take(FETCH_RUNS)
            .filter(|s| open(&s.id).is_none())
            .map(|s| s.id.clone())
            .collect();
    }
    Some(out)
}

/// The sortable columns: label and order (Share orders as Total does).
const COLUMNS: [(&str, StepOrder); 6] = [
    ("Step", StepOrder::First),
    ("Count", StepOrder::Count),
    ("Total", StepOrder::Total),
    ("Mean", StepOrder::Mean),
    ("Longest", StepOrder::Longest),
    ("Share", StepOrder::Total),
];

/// The table's rows as escaped HTML: one per step (at most [`MAX_ROWS`]), named by its first
/// entry's message, with a button that shows only its entries (`data-step`, pressed for
/// `chosen`); `usual` is [`usual_steps`]' answer for `steps` (or empty). Test hooks on each row:
/// `data-step`, `data-count`, `data-total-ms`, and where there is a usual `data-usual-ms`,
/// `data-change-pct` and `data-slow`.
pub fn rows_html(
    log: &SessionLog,
    steps: &[StepStat],
    usual: &[Option<StepUsual>],
    chosen: &str,
) -> String {
    let mut out = String::new();
    let words = |d: Option<Duration>| d.map_or_else(|| "—".to_string(), duration_words);
    for (k, s) in steps.iter().enumerate().take(MAX_ROWS) {
        let u = usual.get(k).copied().flatten();
        let mut key = String::new();
        escape(&s.key, &mut key);
        out.push_str("<tr data-step=\"");
        out.push_str(&key);
        out.push_str(&format!(
            "\" data-count=\"{}\" data-total-ms=\"{}\"",
            s.count(),
            s.total.millis_rounded()
        ));
        if let Some(u) = u {
            out.push_str(&format!(
                " data-usual-ms=\"{}\"",
                u.usual.median.millis_rounded()
            ));
            if let Some(p) = u.percent {
                out.push_str(&format!(" data-change-pct=\"{p}\""));
            }
            if u.slow {
                out.push_str(" data-slow class=\"tl-slower\"");
            }
        }
        out.push_str(
            "><td class=\"tl-message\"><button type=\"button\" class=\"link\" data-step=\"",
        );
        out.push_str(&key);
        out.push_str("\" aria-pressed=\"");
        out.push_str(if s.key == chosen { "true" } else { "false" });
        out.push_str("\">");
        let message = log
            .entries
            .get(s.first())
            .map_or("", |e| e.message.as_str());
        escape(clip(message, 80).0, &mut out);
        out.push_str("</button></td><td>");
        let longest = s.longest.map(|(_, d)| d);
        for cell in [
            s.count().to_string(),
            words(Some(s.total)),
            words(s.mean()),
            words(longest),
            whole_percent(s.share),
        ] {
            out.push_str(&cell);
            out.push_str("</td><td>");
        }
        if let Some(u) = u {
            out.push_str(&duration_words(u.usual.median));
            out.push_str("</td><td>");
            if let Some(p) = u.percent {
                out.push_str(&signed_percent(p));
            }
            if u.slow {
                out.push_str(" <strong title=\"");
                out.push_str(RULE);
                out.push_str("\">▲ slower than usual</strong>");
            }
        } else {
            out.push_str("</td><td>");
        }
        out.push_str("</td></tr>");
    }
    if steps.len() > MAX_ROWS {
        out.push_str(&format!(
            "<tr><td colspan=\"8\">…and {} more steps.</td></tr>",
            steps.len() - MAX_ROWS
        ));
    }
    out
}

/// The panel's buttons other than the steps' (`data-step`) and the headers' (`data-sort`): one
/// enum for the markup and the click handler, so that an unknown one cannot be written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Button {
    Fetch,
    Cancel,
    All,
}

impl Button {
    const ALL: [Button; 3] = [Button::Fetch, Button::Cancel, Button::All];

    fn id(self) -> &'static str {
        match self {
            Button::Fetch => "fetch",
            Button::Cancel => "cancel",
            Button::All => "all",
        }
    }
}

/// The attribute naming a [`Button`].
const HOOK: &str = "data-steps";

/// The panel's fixed markup, written once: the sort buttons, fetch and Cancel, "Show all
/// steps", the table's head; what moves is written into it by [`Panel::draw`].
fn skeleton() -> String {
    let button = |b: Button, text: &str| {
        format!(
            r#"<button type="button" class="button secondary small" {HOOK}="{}" hidden>{text}</button>"#,
            b.id()
        )
    };
    let mut out = format!(
        r#"<section class="panel tl-steps" aria-label="Step statistics"><h2>Step statistics</h2><p class="muted"><span class="tl-steps-n">…</span> steps: entries grouped by their message with numbers left out. Choose a step to show only its entries.</p><div class="actions">{}{}<span class="tl-steps-progress" role="status"></span></div><p class="tl-steps-one" hidden>Only one step's entries are shown. {}</p><div class="tl-steps-scroll"><table class="tl-steps-table"><thead><tr>"#,
        button(Button::Fetch, "Fetch recent runs' logs"),
        button(Button::Cancel, "Cancel"),
        button(Button::All, "Show all steps").replace(" hidden>", ">"),
    );
    for (k, (label, _)) in COLUMNS.iter().enumerate() {
        out.push_str(&format!(
            r#"<th scope="col" aria-sort="none"><button type="button" class="link" data-sort="{k}">{label}</button></th>"#
        ));
    }
    out.push_str(r#"<th scope="col">Usual</th><th scope="col">Change</th></tr></thead><tbody></tbody></table></div></section>"#);
    out
}

/// What the panel keeps between draws (plain cells: it is drawn by two effects and the click
/// handler, with no signal of its own).
struct Panel {
    log: Arc<SessionLog>,
    /// The log's steps in log order, counted once (after the first paint: a 50 000-entry log's
    /// steps take tens of milliseconds, which the timeline's first rows need not wait for).
    base: std::cell::RefCell<Vec<StepStat>>,
    /// (column of [`COLUMNS`], descending): the most total time first.
    sort: std::cell::Cell<(usize, bool)>,
    /// The chosen step, as last drawn ("" for none).
    step: std::cell::RefCell<String>,
    /// This log's job, as the open documents told when they last changed.
    runs: std::cell::RefCell<Option<JobRuns>>,
    /// Fetching the job's recent runs' logs.
    busy: std::cell::Cell<bool>,
    root: NodeRef<leptos::html::Div>,
}

impl Panel {
    /// Writes the rows, the headers' sort, and which buttons show.
    fn draw(&self) {
        let Some(root) = self.root.try_get_untracked().flatten() else {
            return;
        };
        let (col, descending) = self.sort.get();
        let order = COLUMNS.get(col).map_or(StepOrder::Total, |c| c.1);
        let mut steps = self.base.borrow().clone();
        sort_steps(&mut steps, order, descending);
        let runs = self.runs.borrow();
        let usual = match runs.as_ref() {
            Some(r) if !r.others.is_empty() => {
                let refs: Vec<&SessionLog> = r.others.iter().map(|l| l.as_ref()).collect();
                usual_steps(&steps, &refs)
            }
            _ => Vec::new(),
        };
        let step = self.step.borrow();
        let find = |sel: &str| root.query_selector(sel).ok().flatten();
        if let Some(n) = find(".tl-steps-n") {
            n.set_text_content(Some(&steps.len().to_string()));
        }
        if let Some(body) = find("tbody") {
            body.set_inner_html(&rows_html(&self.log, &steps, &usual, &step));
        }
        for k in 0..COLUMNS.len() {
            // Step sorts by first appearance: "descending" there is the log's order.
            let aria = match (k == col, descending != (k == 0)) {
                (false, _) => "none",
                (true, true) => "descending",
                (true, false) => "ascending",
            };
            if let Some(th) = find(&format!("[data-sort=\"{k}\"]")).and_then(|b| b.parent_element())
            {
                let _ = th.set_attribute("aria-sort", aria);
            }
        }
        let can_fetch = runs
            .as_ref()
            .is_some_and(|r| r.connection.is_some() && !r.to_fetch.is_empty());
        let busy = self.busy.get();
        for (sel, hide) in [
            (".tl-steps-one", step.is_empty()),
            ("[data-steps=fetch]", !can_fetch || busy),
            ("[data-steps=cancel]", !busy),
        ] {
            if let Some(el) = find(sel) {
                let _ = match hide {
                    true => el.set_attribute("hidden", ""),
                    false => el.remove_attribute("hidden"),
                };
            }
        }
    }

    /// How far fetching got, in the panel's status line.
    fn progress(&self, text: &str) {
        if let Some(el) = self
            .root
            .try_get_untracked()
            .flatten()
            .and_then(|r| r.query_selector(".tl-steps-progress").ok().flatten())
        {
            el.set_text_content(Some(text));
        }
    }
}

/// The step statistics panel of the log document `current`, and, in `line` (an element under
/// the page's heading), this run against its job's usual with the rule in its title.
///
/// Written as text into a fixed skeleton (the rows are a hot, repeated region; the rest is a
/// handful of attributes), with one click handler for every button in it.
pub fn panel(
    log: Arc<SessionLog>,
    current: String,
    line: NodeRef<leptos::html::Div>,
    filter: RwSignal<EntryFilter>,
    on_filter: Callback<EntryFilter>,
) -> AnyView {
    let store = expect_context::<Store>();
    let root = NodeRef::<leptos::html::Div>::new();
    let panel = std::rc::Rc::new(Panel {
        log,
        base: Default::default(),
        sort: std::cell::Cell::new((2, true)),
        step: Default::default(),
        runs: Default::default(),
        busy: Default::default(),
        root,
    });
    // The documents: this log's job and its other runs (again when a fetched log opens). The
    // first time, after the timeline's first paint, with the steps counted.
    let p = panel.clone();
    crate::components::effect(move |_| {
        let Some(el) = root.get() else {
            return;
        };
        store.with_docs(|_| ());
        let (p, current) = (p.clone(), current.clone());
        let work = move || {
            // The page may have gone meanwhile.
            if p.root.try_get_untracked().flatten().is_none() {
                return;
            }
            let now = crate::components::time::now_us();
            if p.base.borrow().is_empty() {
                *p.base.borrow_mut() = step_stats(&p.log, now);
            }
            let runs = store.with_docs(|docs| job_runs(docs, &current, now));
            if let Some(line) = line.try_get_untracked().flatten() {
                let sentence = runs
                    .as_ref()
                    .and_then(|r| r.compared.as_ref())
                    .map(usual_sentence);
                let mut html = String::new();
                if let Some(s) = sentence {
                    html = format!(r#"<p class="tl-vs-usual" title="{RULE}">"#);
                    escape(&s, &mut html);
                    html.push_str("</p>");
                }
                line.set_inner_html(&html);
            }
            *p.runs.borrow_mut() = runs;
            p.draw();
        };
        if el.child_element_count() == 0 {
            el.set_inner_html(&skeleton());
            crate::components::after_paint(work);
        } else {
            work();
        }
    });
    // The chosen step (the timeline's filter, kept in the address).
    let p = panel.clone();
    crate::components::effect(move |_| {
        let step = filter.with(|f| f.step.clone());
        if *p.step.borrow() != step {
            *p.step.borrow_mut() = step;
            p.draw();
        }
    });
    // Fetching the job's recent runs' logs: one controller, aborted by Cancel and by leaving
    // the page (the connection card's pattern).
    let running = StoredValue::new_local(None::<web_sys::AbortController>);
    on_cleanup(move || {
        running.try_with_value(|c| c.as_ref().map(|c| c.abort()));
    });
    let set_step = move |step: String| {
        on_filter.run(EntryFilter {
            step,
            ..filter.get_untracked()
        })
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = crate::components::clicked_button(&ev) else {
            return;
        };
        if let Some(col) = b
            .get_attribute("data-sort")
            .and_then(|k| k.parse::<usize>().ok())
        {
            let (c, d) = panel.sort.get();
            panel.sort.set((col, c != col || !d));
            panel.draw();
        } else if let Some(key) = b.get_attribute("data-step") {
            // Choosing the chosen step again shows every step.
            let again = *panel.step.borrow() == key;
            set_step(if again { String::new() } else { key });
        } else {
            let id = b.get_attribute(HOOK);
            match Button::ALL
                .into_iter()
                .find(|x| id.as_deref() == Some(x.id()))
            {
                Some(Button::All) => set_step(String::new()),
                Some(Button::Cancel) => {
                    running.with_value(|c| c.as_ref().map(|c| c.abort()));
                }
                Some(Button::Fetch) => fetch(panel.clone(), store, running),
                None => {}
            }
        }
    };
    view! { <div node_ref=root on:click=crate::components::on(on_click)></div> }.into_any()
}

/// Fetches the logs of the job's runs still to fetch, one after another, saying how far it got;
/// stops at the first failure or when cancelled.
fn fetch(
    p: std::rc::Rc<Panel>,
    store: Store,
    running: StoredValue<Option<web_sys::AbortController>, LocalStorage>,
) {
    let Some((conn, ids)) = p
        .runs
        .borrow()
        .as_ref()
        .and_then(|r| Some((r.connection.clone()?, r.to_fetch.clone())))
    else {
        return;
    };
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    running.set_value(controller);
    p.busy.set(true);
    p.draw();
    leptos::task::spawn_local(async move {
        let total = ids.len();
        let aborted = || signal.as_ref().is_some_and(|s| s.aborted());
        let mut done = 0;
        let mut failure = None;
        for id in &ids {
            if aborted() {
                break;
            }
            p.progress(&format!(
                "Fetching recent runs' logs: {} of {total}…",
                done + 1
            ));
            match crate::connections::fetching::fetch_log(store, &conn, id, signal.as_ref()).await {
                Ok(_) => done += 1,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        let words = match failure {
            _ if aborted() => format!("Cancelled: fetched {done} of {total} logs."),
            Some(e) => format!("Fetched {done} of {total} logs, then: {e}"),
            None => format!("Fetched the logs of {done} recent runs."),
        };
        p.progress(&words);
        p.busy.set(false);
        p.draw();
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::builders::{log, run, ts};
    use crate::model::{Session, SessionList, Status};
    use crate::store::LogOrigin;
    use crate::vendors::Kind;

    fn session(id: &str, job: &str, start_min: i64, minutes: i64, status: Status) -> Session {
        Session {
            id: id.into(),
            user: None,
            host: None,
            start: Some(ts(start_min * 60)),
            end: Some(ts((start_min + minutes) * 60)),
            reported: None,
            status,
            vendor_status: Default::default(),
            name: Some(format!("Job {job}")),
            log_href: Some(format!("/log/{id}")),
            job: Some(job.into()),
            details: Vec::new(),
            source: Default::default(),
        }
    }

    fn doc(id: &str, content: Content, connection: Option<&str>, session: Option<&str>) -> Doc {
        Doc {
            id: id.into(),
            name: id.into(),
            kind: Kind::VeeamAws,
            content,
            connection: connection.map(Into::into),
            origin: session.map(|s| LogOrigin {
                connection: connection.unwrap_or_default().into(),
                session_id: s.into(),
                log_path: String::new(),
            }),
            list_id: None,
            only: None,
        }
    }

    #[test]
    fn a_live_log_finds_its_job_its_open_runs_and_the_runs_to_fetch() {
        // Job "a": eight runs an hour apart, 30 min each, the newest (a7) 75 min; a3 failed.
        let mut sessions: Vec<Session> = (0..8)
            .map(|k| {
                let status = if k == 3 {
                    Status::Failed
                } else {
                    Status::Success
                };
                let minutes = if k == 7 { 75 } else { 30 };
                session(&format!("a{k}"), "a", k * 60, minutes, status)
            })
            .collect();
        sessions.push(session("b0", "b", 0, 5, Status::Success));
        sessions[6].log_href = None; // ok: test fixture
        let list = Content::Sessions(Arc::new(SessionList {
            sessions,
            skipped: vec![],
            total: None,
        }));
        let a_log = |n: i64| Content::Log(Arc::new(run(&[("Copy", n)])));
        let docs = vec![
            doc("live-c", list, Some("c"), None),
            doc("live-c-a7", a_log(60), Some("c"), Some("a7")),
            doc("live-c-a5", a_log(30), Some("c"), Some("a5")),
            doc("live-c-a3", a_log(1), Some("c"), Some("a3")),
            doc("live-c-b0", a_log(1), Some("c"), Some("b0")),
        ];
        let r = job_runs(&docs, "live-c-a7", 0);
        let r = r.as_ref();
        // Compared with its six previous runs that finished normally (a3 failed).
        assert_eq!(
            r.and_then(|r| r.compared)
                .map(|c| (c.usual.runs, c.percent, c.slow)),
            Some((6, Some(150), true))
        );
        // Open logs of other runs that finished normally: a5 only (a3 failed, b0 another job).
        assert_eq!(r.map(|r| r.others.len()), Some(1));
        assert_eq!(r.and_then(|r| r.connection.as_deref()), Some("c"));
        // The last five previous normal runs with a log (a6 has none, a3 failed): a5 a4 a2 a1 a0,
        // less a5's open log.
        assert_eq!(
            r.map(|r| r.to_fetch.clone()),
            Some(vec![
                "a4".to_string(),
                "a2".into(),
                "a1".into(),
                "a0".into()
            ])
        );
        // A log no open list knows, and a list opened from a file (nothing to fetch from).
        assert!(job_runs(&docs[1..], "live-c-a7", 0).is_none());
        let mut from_file = docs.clone();
        from_file[0].connection = None; // ok: test fixture
        from_file[1].connection = None; // ok: test fixture
        let r = job_runs(&from_file, "live-c-a7", 0);
        assert_eq!(r.map(|r| (r.others.len(), r.to_fetch.len())), Some((1, 0)));
    }

    #[test]
    fn rows_are_escaped_text_with_their_hooks() {
        let l = run(&[
            ("<b>Copy</b> vm1", 60),
            ("Prepare \"x\"", 10),
            ("<b>Copy</b> vm2", 60),
        ]);
        let steps = step_stats(&l, 0);
        let others: Vec<SessionLog> = (0..3)
            .map(|_| {
                run(&[
                    ("<b>Copy</b> vm1", 30),
                    ("Prepare \"x\"", 10),
                    ("<b>Copy</b> vm2", 30),
                ])
            })
            .collect();
        let refs: Vec<&SessionLog> = others.iter().collect();
        let html = rows_html(&l, &steps, &usual_steps(&steps, &refs), "prepare \"x\"");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.starts_with("<tr data-step=\"&lt;b&gt;copy&lt;/b&gt; vm#\" data-count=\"2\" data-total-ms=\"120000\" data-usual-ms=\"60000\" data-change-pct=\"100\" data-slow class=\"tl-slower\">"), "{html}");
        assert!(html.contains("&lt;b&gt;Copy&lt;/b&gt; vm1</button></td><td>2</td><td>2 min</td><td>1 min</td><td>1 min</td><td>92%</td><td>1 min</td><td>+100% <strong"), "{html}");
        assert!(
            html.contains("data-step=\"prepare &quot;x&quot;\" aria-pressed=\"true\""),
            "{html}"
        );
        assert_eq!(html.matches("aria-pressed=\"true\"").count(), 1);
        assert_eq!(html.matches("<tr").count(), 2);
        // Without other runs: no usual, no change.
        let bare = rows_html(&l, &steps, &[], "");
        assert!(
            !bare.contains("data-usual-ms") && !bare.contains("slower"),
            "{bare}"
        );
        assert!(rows_html(&log(vec![]), &[], &[], "").is_empty());
    }
}
