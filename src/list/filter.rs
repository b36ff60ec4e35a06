//! Which sessions a query and a time range keep, fast enough to run on every keystroke.

use crate::model::Session;

use super::query::{Query, Term, TermKind, TextField, TimeField};
use super::usual::Usual;

/// The lowercased text of every session of one list, built once per list and reused by every
/// keystroke, so that filtering 100 000 rows allocates nothing per row.
///
/// All rows live in one buffer; each row is `id ␁ user ␁ host ␁ name ␁ vendor_status`, so a free
/// word is one substring search per row and a field term one search in its slice. The separator
/// (U+0001) cannot be typed into the filter bar, so no word matches across two fields.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    text: String,
    rows: Vec<Row>,
}

/// Indices (into the list) of the sessions that match `query` and overlap `range`.
///
/// `index` must have been built from `sessions`; rows beyond the shorter of the two are left out
/// rather than panicking. A session is in `range` = `[from, to)` if it overlaps it: it runs over
/// `[start, end)`, open sessions to `now_us`, and a session of zero length (or whose clocks put the
/// end before the start) over `[start, start + 1 µs)`. Sessions without a start are outside every
/// range. The jobs' terms (`job:`, `vs-usual`, `is:slow`, `streak`) read `usual`, which must have
/// been built from `sessions` when the query [`Query::uses_jobs`] (else none of them matches).
pub fn filter_indices(
    index: &SearchIndex,
    sessions: &[Session],
    query: &Query,
    range: Option<(i64, i64)>,
    now_us: i64,
    usual: &Usual,
) -> Vec<u32> {
    filter_with(index, sessions, query, range, now_us, usual, NARROW_SHARE)
}

/// [`filter_indices`], narrowing first when the other terms keep at most 1 in `share` rows.
fn filter_with(
    index: &SearchIndex,
    sessions: &[Session],
    query: &Query,
    range: Option<(i64, i64)>,
    now_us: i64,
    usual: &Usual,
    share: usize,
) -> Vec<u32> {
    let mut terms = compile(query);
    let rows = sessions.len().min(index.rows.len());
    // When the other terms and the range keep few rows (`user:=jen -i`), searching those rows'
    // own text for the substring terms is cheaper than scanning the whole buffer for them.
    let (substring, other): (Vec<&Compiled<'_>>, Vec<&Compiled<'_>>) =
        terms.iter().partition(|t| t.is_substring());
    if !substring.is_empty() && (!other.is_empty() || range.is_some()) {
        let few = scan(index, sessions, &other, range, now_us, usual, None);
        if few.len() <= rows / share.max(1) {
            // `few` already meets the other terms and the range.
            return scan(index, sessions, &substring, None, now_us, usual, Some(&few));
        }
    }
    // Otherwise substring terms are searched once over the whole buffer rather than once per
    // row: one searcher instead of 100 000, and the buffer is scanned at memchr speed.
    for t in &mut terms {
        t.hits = index.rows_containing(t);
    }
    let all: Vec<&Compiled<'_>> = terms.iter().collect();
    scan(index, sessions, &all, range, now_us, usual, None)
}

/// [`filter_indices`] over the rows of an earlier answer only, so that a keystroke that narrows
/// the query reads the previous matches rather than the whole list. `among` must be what
/// [`filter_indices`] (or this function) gave for a query that `query` [`narrows`], with the same
/// range and `now_us`; the answer is then the same as [`filter_indices`]'s, in `among`'s order (so
/// a sorted `among` stays sorted).
pub fn filter_among(
    index: &SearchIndex,
    sessions: &[Session],
    query: &Query,
    now_us: i64,
    usual: &Usual,
    among: &[u32],
) -> Vec<u32> {
    let mut terms = compile(query);
    let rows = sessions.len().min(index.rows.len());
    // Many rows left: the whole buffer is still searched faster than each row on its own.
    if among.len() > rows / NARROW_SHARE {
        for t in &mut terms {
            t.hits = index.rows_containing(t);
        }
    }
    let all: Vec<&Compiled<'_>> = terms.iter().collect();
    // `among` already overlaps the range.
    scan(index, sessions, &all, None, now_us, usual, Some(among))
}

/// Whether every session `narrower` keeps is also kept by `wider` (at the same `now`): each term
/// of `wider` is in `narrower` too, or, for a free word or a `field:` substring, `narrower` has
/// a term that contains its text (`jen` → `jenn`). Terms are ANDed, so more terms keep fewer.
pub fn narrows(narrower: &Query, wider: &Query) -> bool {
    let longer = |n: &Term, w: &Term| {
        let contains = |a: &str, b: &str| {
            let (mut la, mut lb) = (String::new(), String::new());
            crate::format::push_lowercase(&mut la, a);
            crate::format::push_lowercase(&mut lb, b);
            la.contains(lb.as_str())
        };
        !n.negated
            && !w.negated
            && match (&n.kind, &w.kind) {
                (TermKind::Word(a), TermKind::Word(b)) => contains(a, b),
                (
                    TermKind::Text {
                        field: fa,
                        exact: false,
                        value: a,
                    },
                    TermKind::Text {
                        field: fb,
                        exact: false,
                        value: b,
                    },
                ) => fa == fb && contains(a, b),
                _ => false,
            }
    };
    wider
        .terms
        .iter()
        .all(|w| narrower.terms.iter().any(|n| n == w || longer(n, w)))
}

/// Below this share of the list (1 in N rows), the rows kept by the other terms are searched one
/// by one rather than the whole buffer.
const NARROW_SHARE: usize = 16;

/// The rows (all, or only `among`) that overlap `range` and match every term of `terms`.
fn scan(
    index: &SearchIndex,
    sessions: &[Session],
    terms: &[&Compiled<'_>],
    range: Option<(i64, i64)>,
    now_us: i64,
    usual: &Usual,
    among: Option<&[u32]>,
) -> Vec<u32> {
    // Every term answered by its whole-buffer hits and no range (the first letters of a word):
    // only the hits are read, not the sessions.
    if range.is_none() && terms.iter().all(|t| t.hits.is_some()) {
        let rows = sessions.len().min(index.rows.len());
        let hit = |i: usize| {
            i < rows
                && terms.iter().all(|t| {
                    let h = t.hits.as_ref().and_then(|h| h.get(i)).copied();
                    h.unwrap_or(false) != t.negated
                })
        };
        return match among {
            Some(among) => among.iter().copied().filter(|&i| hit(i as usize)).collect(),
            None => (0..rows as u32).filter(|&i| hit(i as usize)).collect(),
        };
    }
    // Only terms without whole-buffer hits read a row's text.
    let needs_text = terms
        .iter()
        .any(|t| t.hits.is_none() && matches!(t.kind, TermKind::Text { .. } | TermKind::Word(_)));
    let keep = |i: usize| -> bool {
        let (Some(session), Some(row)) = (sessions.get(i), index.rows.get(i)) else {
            return false;
        };
        if let Some(range) = range {
            if !overlaps(session, range, now_us) {
                return false;
            }
        }
        let hay = if needs_text {
            row.hay(&index.text)
        } else {
            Hay::EMPTY
        };
        terms
            .iter()
            .all(|t| t.matches(i, &hay, session, now_us, usual))
    };
    // Lists longer than u32::MAX rows cannot exist in a wasm32 page.
    match among {
        Some(rows) => rows.iter().copied().filter(|&i| keep(i as usize)).collect(),
        None => (0..sessions.len().min(index.rows.len()))
            .filter(|&i| keep(i))
            .map(|i| i as u32)
            .collect(),
    }
}

impl SearchIndex {
    /// Lowercases every searchable field of every session once.
    pub fn new(sessions: &[Session]) -> SearchIndex {
        let mut text = String::with_capacity(sessions.len() * 48);
        let rows = sessions.iter().map(|s| push_row(&mut text, s)).collect();
        SearchIndex { text, rows }
    }

    /// How many sessions the index was built from.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// For a free word or a `field:` substring term, which rows hold it (by row index); `None`
    /// for the other terms. Rows and fields are separated by [`SEPARATOR`], which a term cannot
    /// contain, so every match lies inside one field of one row.
    fn rows_containing(&self, term: &Compiled<'_>) -> Option<Vec<bool>> {
        let field = match term.kind {
            TermKind::Word(_) => None,
            TermKind::Text {
                field,
                exact: false,
                ..
            } => Some(field_slot(*field)),
            _ => return None,
        };
        let needle = term.lower.as_str();
        let mut hits = vec![false; self.rows.len()];
        if needle.is_empty() || needle.contains(SEPARATOR) {
            // Not reachable from the parser; answered the way the per-row search would.
            for (hit, row) in hits.iter_mut().zip(&self.rows) {
                *hit = match field {
                    None => !needle.contains(SEPARATOR),
                    Some(k) => needle.is_empty() && row.present & (1 << k) != 0,
                };
            }
            return Some(hits);
        }
        // A needle that starts with an ASCII letter (as typed) is found by its first byte
        // and then compared: a string searcher set up afresh for every row costs more
        // than that for the short words of a filter. Once a row is hit, the search goes on from
        // the next row.
        let hay = self.text.as_bytes();
        let ascii_first = needle
            .as_bytes()
            .split_first()
            .filter(|(f, _)| f.is_ascii());
        let find = |mut from: usize| loop {
            let Some((&first, tail)) = ascii_first else {
                return self.text.get(from..)?.find(needle).map(|i| i + from);
            };
            // A plain byte loop: `str::find(char)` set up a searcher on each call, once per row
            // when every row holds the word (the first letters typed), which cost more than the
            // few bytes it then read.
            let at = from + hay.get(from..)?.iter().position(|&b| b == first)?;
            if hay.get(at + 1..at + 1 + tail.len()) == Some(tail) {
                return Some(at);
            }
            from = at + 1;
        };
        let mut r = 0;
        let mut from = 0;
        while let Some(found) = find(from) {
            from = found + needle.len();
            let at = found as u32;
            while self.rows.get(r).is_some_and(|row| row.end <= at) {
                r += 1;
            }
            let Some(row) = self.rows.get(r) else {
                break;
            };
            let inside = match field {
                None => at >= row.start,
                Some(k) => {
                    row.present & (1 << k) != 0
                        && row.bounds.get(k).is_some_and(|&(a, b)| at >= a && at < b)
                }
            };
            if inside {
                if let Some(h) = hits.get_mut(r) {
                    *h = true;
                }
                if self.text.is_char_boundary(row.end as usize) {
                    from = from.max(row.end as usize);
                }
            }
        }
        Some(hits)
    }
}

impl Query {
    /// Whether one session matches (terms ANDed, `-` negating one term). Open sessions' duration
    /// and end count to `now_us`. This lowercases the session's text on each call: to filter a
    /// whole list use [`filter_indices`] with a [`SearchIndex`], which gives the same answers.
    pub fn matches(&self, session: &Session, now_us: i64) -> bool {
        let mut text = String::new();
        let row = push_row(&mut text, session);
        let hay = row.hay(&text);
        let none = Usual::default();
        compile(self)
            .iter()
            .all(|t| t.matches(0, &hay, session, now_us, &none))
    }
}

/// Whether a session overlaps `[from, to)`, with the conventions of [`filter_indices`].
pub fn overlaps(session: &Session, (from, to): (i64, i64), now_us: i64) -> bool {
    match span(session, now_us) {
        Some((s, e)) => s < to && e > from,
        None => false,
    }
}

/// The half-open span a session occupies: `[start, end)`, open sessions to `now_us`, and at
/// least one microsecond long so that instant sessions still count where they happened.
pub fn span(session: &Session, now_us: i64) -> Option<(i64, i64)> {
    let s = session.start?.unix_micros();
    let e = session.end.map_or(now_us, |e| e.unix_micros());
    Some((s, e.max(s.saturating_add(1))))
}

/// Searchable fields, in row order: id, user, host, name, vendor status.
const FIELDS: usize = 5;
const SEPARATOR: char = '\u{1}';

#[derive(Clone, Copy, Debug)]
struct Row {
    start: u32,
    end: u32,
    /// Byte range of each field in the shared buffer.
    bounds: [(u32, u32); FIELDS],
    /// Bit k set when field k is present (an absent user never matches `user:`).
    present: u8,
}

/// One row's text, borrowed from the buffer: each part sliced only when a term reads it (an
/// exact `user:=` term reads one field of each of 100 000 rows, not all of them).
struct Hay<'a> {
    text: &'a str,
    row: Option<&'a Row>,
}

impl<'a> Hay<'a> {
    const EMPTY: Hay<'static> = Hay {
        text: "",
        row: None,
    };

    /// The whole row: every field, separated.
    fn all(&self) -> &'a str {
        self.row
            .and_then(|r| self.text.get(r.start as usize..r.end as usize))
            .unwrap_or_default()
    }

    /// Field `k`, if the session has it.
    fn field(&self, k: usize) -> Option<&'a str> {
        let r = self.row.filter(|r| r.present & (1 << k) != 0)?;
        let &(a, b) = r.bounds.get(k)?;
        self.text.get(a as usize..b as usize)
    }
}

impl Row {
    fn hay<'a>(&'a self, text: &'a str) -> Hay<'a> {
        Hay {
            text,
            row: Some(self),
        }
    }
}

/// Appends one session's lowercased fields to the buffer and says where they are.
fn push_row(text: &mut String, s: &Session) -> Row {
    let start = text.len();
    let mut bounds = [(0u32, 0u32); FIELDS];
    let mut present = 0u8;
    for (k, value) in fields_of(s).into_iter().enumerate() {
        if k > 0 {
            text.push(SEPARATOR);
        }
        let from = text.len();
        if let Some(v) = value {
            crate::format::push_lowercase(text, v);
            present |= 1 << k;
        }
        if let Some(b) = bounds.get_mut(k) {
            *b = (from as u32, text.len() as u32);
        }
    }
    let end = text.len() as u32;
    // Between rows too, so that no match in the whole buffer spans two rows.
    text.push(SEPARATOR);
    Row {
        start: start as u32,
        end,
        bounds,
        present,
    }
}

fn fields_of(s: &Session) -> [Option<&str>; FIELDS] {
    [
        Some(s.id.as_str()),
        s.user.as_deref(),
        s.host.as_deref(),
        s.name.as_deref(),
        Some(&s.vendor_status),
    ]
}

fn field_slot(field: TextField) -> usize {
    match field {
        TextField::Id => 0,
        TextField::User => 1,
        TextField::Host => 2,
        TextField::Name => 3,
    }
}

/// A term with its text lowercased once per query rather than once per row.
struct Compiled<'q> {
    negated: bool,
    kind: &'q TermKind,
    lower: String,
    /// Which rows hold the term, where it was searched over the whole index.
    hits: Option<Vec<bool>>,
}

fn compile(query: &Query) -> Vec<Compiled<'_>> {
    query
        .terms
        .iter()
        .map(|t| {
            let mut lower = String::new();
            match &t.kind {
                TermKind::Word(w)
                | TermKind::Text { value: w, .. }
                | TermKind::Job { value: w, .. } => crate::format::push_lowercase(&mut lower, w),
                _ => {}
            }
            Compiled {
                negated: t.negated,
                kind: &t.kind,
                lower,
                hits: None,
            }
        })
        .collect()
}

impl Compiled<'_> {
    /// A free word or a `field:` substring term: the terms the whole buffer can be searched for.
    fn is_substring(&self) -> bool {
        matches!(
            self.kind,
            TermKind::Word(_) | TermKind::Text { exact: false, .. }
        )
    }

    fn matches(
        &self,
        row: usize,
        hay: &Hay<'_>,
        session: &Session,
        now_us: i64,
        usual: &Usual,
    ) -> bool {
        if let Some(hits) = &self.hits {
            return hits.get(row).copied().unwrap_or(false) != self.negated;
        }
        let hit = match self.kind {
            TermKind::Word(_) => hay.all().contains(self.lower.as_str()),
            TermKind::Text { field, exact, .. } => match hay.field(field_slot(*field)) {
                Some(v) if *exact => v == self.lower,
                Some(v) => v.contains(self.lower.as_str()),
                None => false,
            },
            TermKind::Status(s) => session.status == *s,
            TermKind::Duration(cmp, d) => session
                .duration(now_us)
                .is_some_and(|have| cmp.holds(have, *d)),
            TermKind::Time { field, cmp, at_us } => {
                let at = match field {
                    TimeField::Start => session.start.map(|t| t.unix_micros()),
                    // Open sessions are still running: their end is "now" for comparisons.
                    TimeField::End => match (session.start, session.end) {
                        (_, Some(e)) => Some(e.unix_micros()),
                        (Some(_), None) => Some(now_us),
                        (None, None) => None,
                    },
                };
                at.is_some_and(|at| cmp.holds(at, *at_us))
            }
            TermKind::Open => session.is_open(),
            TermKind::Job { exact, .. } => usual.job_matches(row, &self.lower, *exact),
            TermKind::VsUsual(cmp, pct) => usual.percent(row).is_some_and(|p| cmp.holds(p, *pct)),
            TermKind::Slow => usual.vs(row).is_some_and(|v| v.slow),
            TermKind::Streak(cmp, n) => usual.streak(row).is_some_and(|s| cmp.holds(s, *n)),
        };
        hit != self.negated
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::list::query::parse;
    use crate::model::{parse_timestamp, Duration, Status};

    pub(crate) fn session(id: &str) -> Session {
        Session {
            id: id.into(),
            user: None,
            host: None,
            start: None,
            end: None,
            reported: None,
            status: Status::Success,
            vendor_status: Default::default(),
            name: None,
            log_href: None,
            job: None,
            details: Vec::new(),
            source: Default::default(),
        }
    }

    fn at(text: &str) -> Option<crate::model::Timestamp> {
        parse_timestamp(text).ok().flatten()
    }

    const T0: &str = "2021-04-01T00:00:00Z";
    const NOW: i64 = 1_617_235_200_000_000 + 10 * H; // T0 + 10 h
    const H: i64 = 3_600_000_000;

    fn list() -> Vec<Session> {
        vec![
            Session {
                user: Some(r"DOMAIN\Jen".into()),
                host: Some("srv-01".into()),
                start: at(T0),
                end: at("2021-04-01T02:00:00Z"),
                status: Status::Failed,
                vendor_status: "Failed".into(),
                name: Some("Nightly backup".into()),
                ..session("1")
            },
            Session {
                user: Some("bob".into()),
                host: Some("srv-02".into()),
                start: at("2021-04-01T05:00:00Z"),
                end: None,
                status: Status::Running,
                vendor_status: "Running".into(),
                name: Some("Hourly".into()),
                ..session("2")
            },
            Session {
                user: Some("jennifer".into()),
                start: at("2021-03-31T00:00:00Z"),
                end: at("2021-03-31T00:00:30Z"),
                status: Status::Success,
                vendor_status: "Succeeded".into(),
                ..session("3")
            },
            Session {
                reported: Some(Duration::from_millis(5_000)),
                status: Status::Unknown,
                vendor_status: "Ünknown".into(),
                ..session("42")
            },
        ]
    }

    /// Filters with the index, checks it agrees with `Query::matches`, returns the ids.
    fn ids(query: &str, range: Option<(i64, i64)>) -> Vec<String> {
        let sessions = list();
        let index = SearchIndex::new(&sessions);
        let q = match parse(query) {
            Ok(q) => q,
            Err(e) => panic!("{query}: {e}"),
        };
        let got = filter_indices(&index, &sessions, &q, range, NOW, &Usual::default());
        let one_by_one: Vec<u32> = (0..sessions.len() as u32)
            .filter(|&i| {
                let s = &sessions[i as usize];
                q.matches(s, NOW) && range.is_none_or(|r| overlaps(s, r, NOW))
            })
            .collect();
        assert_eq!(got, one_by_one, "{query}");
        got.iter()
            .map(|&i| sessions[i as usize].id.clone())
            .collect()
    }

    #[test]
    fn words_and_fields() {
        assert_eq!(ids("", None), ["1", "2", "3", "42"]);
        assert_eq!(ids("jen", None), ["1", "3"]);
        assert_eq!(ids("JEN backup", None), ["1"]);
        assert_eq!(ids("srv", None), ["1", "2"]);
        assert_eq!(ids("succeeded", None), ["3"], "vendor status is searched");
        assert_eq!(ids("ünknown", None), ["42"], "non-ASCII lowercasing");
        assert_eq!(ids("user:jen", None), ["1", "3"]);
        assert_eq!(ids(r#"user:="domain\jen""#, None), ["1"]);
        assert_eq!(ids("user:=jen", None), Vec::<String>::new());
        assert_eq!(
            ids("-user:jen", None),
            ["2", "42"],
            "absent user is not jen"
        );
        assert_eq!(ids("host:02", None), ["2"]);
        assert_eq!(ids("type:hour", None), ["2"]);
        assert_eq!(ids("id:4", None), ["42"]);
        assert_eq!(ids("id:=4", None), Vec::<String>::new());
        assert_eq!(ids("1 id:=1", None), ["1"]);
        // The separator keeps words from matching across fields.
        assert_eq!(ids("jen srv", None), ["1"]);
        assert_eq!(ids("\"jensrv\"", None), Vec::<String>::new());
    }

    #[test]
    fn the_jobs_terms_read_the_lists_jobs() {
        let (sessions, now) = crate::list::usual::tests::fixture();
        let usual = Usual::build(&sessions, now);
        let index = SearchIndex::new(&sessions);
        let ids = |q: &str| -> Vec<String> {
            let q = parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
            let rows = filter_indices(&index, &sessions, &q, None, now, &usual);
            // A narrowed query over all rows gives the same.
            let all: Vec<u32> = (0..sessions.len() as u32).collect();
            assert_eq!(filter_among(&index, &sessions, &q, now, &usual, &all), rows);
            rows.iter()
                .map(|&i| sessions[i as usize].id.clone())
                .collect()
        };
        assert_eq!(ids("vs-usual>50%"), ["a-300"]);
        assert_eq!(ids("vs-usual>=0 -is:open"), ["a-300"]);
        assert_eq!(ids("vs-usual<50%"), ["a-400"]);
        assert_eq!(ids("is:slow"), ["a-300"]);
        assert_eq!(ids("streak>=2"), ["b-0", "b-100"]);
        assert_eq!(ids("streak:0").len(), 5);
        assert_eq!(ids("job:b"), ["b-0", "b-100"]);
        assert_eq!(ids("job:NIGHTLY").len(), 7);
        assert_eq!(ids("job:=a").len(), 5);
        assert_eq!(ids("job:=nightly"), Vec::<String>::new());
        // A session without a job has none of these values: only a negation keeps it.
        assert_eq!(ids("-job:nightly"), ["x-0"]);
        assert_eq!(ids("-is:slow").len(), 7);
        // Without the jobs grouped, none of their terms matches.
        let q = parse("job:a").unwrap_or_default();
        assert!(filter_indices(&index, &sessions, &q, None, now, &Usual::default()).is_empty());
    }

    /// Typed key by key, each narrowed query filters only the previous matches, and gets what
    /// the whole list gives; a query that does not narrow is not taken for one.
    #[test]
    fn a_narrowed_query_filters_the_previous_matches() {
        let sessions = list();
        let index = SearchIndex::new(&sessions);
        let typed = r#"user:="domain\jen" -is:open status:failed"#;
        let (mut prev_q, _) = crate::list::parse_lenient("");
        let mut prev = filter_indices(&index, &sessions, &prev_q, None, NOW, &Usual::default());
        let mut narrowed = 0;
        for end in 1..=typed.len() {
            let Some(text) = typed.get(..end) else {
                continue;
            };
            let (q, _) = crate::list::parse_lenient(text);
            let want = filter_indices(&index, &sessions, &q, None, NOW, &Usual::default());
            if narrows(&q, &prev_q) {
                narrowed += 1;
                assert_eq!(
                    filter_among(&index, &sessions, &q, NOW, &Usual::default(), &prev),
                    want,
                    "{text}"
                );
            }
            (prev_q, prev) = (q, want);
        }
        assert!(narrowed > 10, "{narrowed} keystrokes narrowed");
        let q = |t: &str| crate::list::parse_lenient(t).0;
        assert!(narrows(&q("JENN srv"), &q("jen")));
        assert!(narrows(&q("user:jenn"), &q("user:jen")));
        assert!(narrows(&q("a status:failed"), &q("status:failed")));
        assert!(
            !narrows(&q("user:=jenn"), &q("user:=jen")),
            "equality is not a substring"
        );
        assert!(
            !narrows(&q("-jenn"), &q("-jen")),
            "excluding more keeps more"
        );
        assert!(!narrows(&q("host:jen"), &q("user:jen")));
        assert!(!narrows(&q("je"), &q("jen")));
        assert!(!narrows(&q(""), &q("jen")));
    }

    #[test]
    fn status_open_duration_and_times() {
        assert_eq!(ids("status:failed", None), ["1"]);
        assert_eq!(ids("-status:failed", None), ["2", "3", "42"]);
        assert_eq!(ids("is:open", None), ["2"]);
        assert_eq!(ids("-is:open", None), ["1", "3", "42"]);
        // Session 2 is open since 05:00, so at NOW (10:00) it has run 5 h.
        assert_eq!(ids("duration>1h", None), ["1", "2"]);
        assert_eq!(ids("duration>=5h", None), ["2"]);
        assert_eq!(ids("duration<=30s", None), ["3", "42"], "reported duration");
        assert_eq!(ids("duration:2h", None), ["1"]);
        assert_eq!(ids("start>=2021-04-01", None), ["1", "2"]);
        assert_eq!(ids("start<2021-04-01", None), ["3"]);
        assert_eq!(
            ids("end>2021-04-01T03:00:00Z", None),
            ["2"],
            "open ends now"
        );
        assert_eq!(ids("-start>2000-01-01", None), ["42"], "no start");
    }

    #[test]
    fn time_range_overlap() {
        let t0 = 1_617_235_200_000_000;
        assert_eq!(ids("", Some((t0, t0 + H))), ["1"]);
        assert_eq!(
            ids("", Some((t0 + 2 * H, t0 + 3 * H))),
            Vec::<String>::new()
        );
        assert_eq!(ids("", Some((t0 + H, t0 + 6 * H))), ["1", "2"]);
        assert_eq!(ids("", Some((NOW - 1, NOW + H))), ["2"], "open runs to now");
        assert_eq!(ids("", Some((NOW, NOW + H))), Vec::<String>::new());
        assert_eq!(ids("", Some((t0 - 24 * H, t0))), ["3"]);
        assert_eq!(ids("jen", Some((t0 - 24 * H, t0 + H))), ["1", "3"]);
        // A session of zero length counts where it happened.
        let point = Session {
            start: at(T0),
            end: at(T0),
            ..session("p")
        };
        assert!(overlaps(&point, (t0, t0 + 1), NOW));
        assert!(!overlaps(&point, (t0 + 1, t0 + 2), NOW));
        assert!(!overlaps(&point, (t0 - 1, t0), NOW));
    }

    #[test]
    fn index_shorter_than_the_list_does_not_panic() {
        let sessions = list();
        let index = SearchIndex::new(&sessions[..2]);
        assert_eq!(index.len(), 2);
        let q = Query::default();
        assert_eq!(
            filter_indices(&index, &sessions, &q, None, NOW, &Usual::default()),
            [0, 1]
        );
        assert!(SearchIndex::new(&[]).is_empty());
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod generated {
        use super::*;
        use proptest::prelude::*;

        fn text() -> impl Strategy<Value = Option<String>> {
            proptest::option::of("[aAbé ]{0,6}")
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]
            /// The whole-buffer search, and the search of the rows the other terms keep, agree
            /// with matching each session on its own.
            #[test]
            fn buffer_search_agrees_with_per_row_matching(
                rows in proptest::collection::vec((text(), text(), text(), 0..4u8, 0..48i64), 0..12),
                words in proptest::collection::vec(
                    "(-)?(((user|host|type|id):=?)?[aAbé]{1,3}|status:(failed|success)|is:open|duration>1h)",
                    1..4,
                ),
                range in proptest::option::of((0..48i64, 1..24i64)),
            ) {
                let sessions: Vec<Session> = rows
                    .into_iter()
                    .enumerate()
                    .map(|(i, (user, host, name, kind, hours))| Session {
                        user,
                        host,
                        name,
                        status: if kind % 2 == 0 { Status::Failed } else { Status::Success },
                        start: at(T0).map(|t| t.plus(Duration::from_micros(hours * H))),
                        end: (kind < 3).then(|| at(T0)).flatten().map(|t| t.plus(Duration::from_micros((hours + i64::from(kind)) * H))),
                        ..session(&format!("{i}a"))
                    })
                    .collect();
                let index = SearchIndex::new(&sessions);
                let (q, _) = crate::list::parse_lenient(&words.join(" "));
                let t0 = at(T0).map_or(0, |t| t.unix_micros());
                let range = range.map(|(from, len)| (t0 + from * H, t0 + (from + len) * H));
                let want: Vec<u32> = (0..sessions.len() as u32)
                    .filter(|&i| {
                        let s = &sessions[i as usize];
                        q.matches(s, NOW) && range.is_none_or(|r| overlaps(s, r, NOW))
                    })
                    .collect();
                // Always narrowing where it can, never, and as the app does.
                for share in [1, usize::MAX, NARROW_SHARE] {
                    let got = filter_with(&index, &sessions, &q, range, NOW, &Usual::default(), share);
                    prop_assert_eq!(&got, &want, "{:?} {:?} share {}", words, range, share);
                }
            }
        }
    }
}
