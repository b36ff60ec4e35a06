//! The timeline's filter: a text that highlights matching entries or hides the rest, and a set of
//! statuses to keep; read from and written to the page's query string (`?q=…&mode=hide&status=…`).

use crate::format::clip;
use crate::model::{SessionLog, Status};
use std::sync::{Arc, OnceLock};

/// Only this many leading characters of a message are searched, so that a 10 MB message costs
/// no more per keystroke than a long one.
pub const SEARCH_CHARS: usize = 2_000;

/// What the user asked to see.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryFilter {
    /// The text to look for, as typed (trimmed; ASCII letters match in either case, other letters
    /// exactly: Unicode case tables would cost ≈ 8 KB of the wasm budget).
    pub text: String,
    /// `true`: entries that do not match the text are hidden; `false`: matches are highlighted.
    pub hide: bool,
    /// The statuses to keep, in [`Status::ALL`] order without repeats; empty keeps every status.
    pub statuses: Vec<Status>,
    /// Only the entries of this step (a [`super::diff::step_key`], chosen in the step
    /// statistics); empty: every step. In the query string as `step=…`.
    pub step: String,
}

impl EntryFilter {
    /// The filter a query string's (already decoded) `q`, `mode` and `status` values describe.
    /// Unknown modes read as "highlight"; unknown status words are ignored.
    pub fn from_query(q: Option<&str>, mode: Option<&str>, status: Option<&str>) -> EntryFilter {
        let wanted: Vec<&str> = status
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .collect();
        EntryFilter {
            text: q.unwrap_or_default().to_string(),
            hide: mode == Some("hide"),
            statuses: Status::ALL
                .into_iter()
                .filter(|s| wanted.contains(&s.id()))
                .collect(),
            step: String::new(),
        }
    }

    /// The query string for this filter, with its leading `?`, or `""` when nothing is filtered:
    /// `?q=disk%20full&mode=hide&status=failed,warning`. Parses back with [`EntryFilter::from_query`].
    pub fn to_query(&self) -> String {
        let mut out = String::new();
        let mut part = |key: &str, value: &str| {
            out.push(if out.is_empty() { '?' } else { '&' });
            out.push_str(key);
            out.push('=');
            out.push_str(value);
        };
        if !self.text.is_empty() {
            part("q", &encode(&self.text));
        }
        if self.hide {
            part("mode", "hide");
        }
        let mut ids = String::new();
        for s in &self.statuses {
            if !ids.is_empty() {
                ids.push(',');
            }
            ids.push_str(s.id());
        }
        if !ids.is_empty() {
            part("status", &ids);
        }
        if !self.step.is_empty() {
            part("step", &encode(&self.step));
        }
        out
    }

    /// The text to look for, lowercased and trimmed; `None` when there is none.
    pub fn needle(&self) -> Option<String> {
        let t = self.text.trim();
        (!t.is_empty()).then(|| t.to_ascii_lowercase())
    }

    /// Whether some entries may be hidden.
    pub fn hides_any(&self) -> bool {
        !self.statuses.is_empty() || (self.hide && self.needle().is_some()) || !self.step.is_empty()
    }

    /// The same filter with a status switched on or off.
    pub fn toggle(&self, status: Status) -> EntryFilter {
        let on = !self.statuses.contains(&status);
        EntryFilter {
            statuses: Status::ALL
                .into_iter()
                .filter(|s| {
                    if *s == status {
                        on
                    } else {
                        self.statuses.contains(s)
                    }
                })
                .collect(),
            ..self.clone()
        }
    }
}

/// Each entry's searchable text and status, built once per log so that a keystroke allocates
/// nothing per entry. The text is built by the first search (or [`FilterIndex::prepare`], which
/// the timeline calls after its first paint), not before the first rows: lowering 50 000
/// messages took ≈ 15 ms.
#[derive(Clone, Debug, PartialEq)]
pub struct FilterIndex {
    log: Arc<SessionLog>,
    lower: OnceLock<Vec<String>>,
    statuses: Vec<Status>,
}

impl FilterIndex {
    /// O(entries); the text, O(entries × [`SEARCH_CHARS`]), when first searched.
    pub fn new(log: Arc<SessionLog>) -> FilterIndex {
        FilterIndex {
            statuses: log.entries.iter().map(|e| e.status).collect(),
            lower: OnceLock::new(),
            log,
        }
    }

    /// Builds the searchable text now, if no search has.
    pub fn prepare(&self) {
        self.lower();
    }

    fn lower(&self) -> &[String] {
        self.lower.get_or_init(|| {
            self.log
                .entries
                .iter()
                .map(|e| clip(&e.message, SEARCH_CHARS).0.to_ascii_lowercase())
                .collect()
        })
    }

    /// Whether entry `index`'s message contains `needle` (from [`EntryFilter::needle`]).
    pub fn text_matches(&self, index: usize, needle: &str) -> bool {
        self.lower().get(index).is_some_and(|m| m.contains(needle))
    }

    /// The entries to show, in order: those of a kept status and, in "hide" mode, matching the
    /// text. O(entries).
    pub fn rows(&self, filter: &EntryFilter) -> Vec<usize> {
        let needle = filter.needle().filter(|_| filter.hide);
        self.statuses
            .iter()
            .enumerate()
            .filter(|(_, s)| filter.statuses.is_empty() || filter.statuses.contains(s))
            .filter(|(i, _)| needle.as_deref().is_none_or(|n| self.text_matches(*i, n)))
            .map(|(i, _)| i)
            .collect()
    }

    /// How many entries match the filter's text (0 without text).
    pub fn count_matches(&self, filter: &EntryFilter) -> usize {
        match filter.needle() {
            Some(n) => self
                .lower()
                .iter()
                .filter(|m| m.contains(n.as_str()))
                .count(),
            None => 0,
        }
    }
}

/// Keeps of `rows` (entry indices) those of the filter's step, if it names one. O(rows), and
/// nothing at all without a step.
pub fn keep_step(log: &SessionLog, filter: &EntryFilter, rows: &mut Vec<usize>) {
    if filter.step.is_empty() {
        return;
    }
    rows.retain(|&i| {
        log.entries
            .get(i)
            .is_some_and(|e| super::diff::step_key(&e.message) == filter.step)
    });
}

/// Percent-encodes everything but RFC 3986's unreserved characters, byte by byte (UTF-8).
fn encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::builders::{entry, log, seed_aws, step};

    /// A decoder independent of [`encode`], for round trips.
    fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap(); // ok: test fixture
                out.push(u8::from_str_radix(hex, 16).unwrap()); // ok: test fixture
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap() // ok: test fixture
    }

    /// The (decoded) value of `key` in a query string.
    fn param(query: &str, key: &str) -> Option<String> {
        query
            .trim_start_matches('?')
            .split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{key}=")).map(decode))
    }

    fn round_trip(f: &EntryFilter) -> EntryFilter {
        let q = f.to_query();
        EntryFilter::from_query(
            param(&q, "q").as_deref(),
            param(&q, "mode").as_deref(),
            param(&q, "status").as_deref(),
        )
    }

    #[test]
    fn query_strings() {
        assert_eq!(EntryFilter::default().to_query(), "");
        let f = EntryFilter {
            text: "disk full & 100% / é?".into(),
            hide: true,
            statuses: vec![Status::Failed, Status::Warning],
            ..Default::default()
        };
        assert_eq!(
            f.to_query(),
            "?q=disk%20full%20%26%20100%25%20%2F%20%C3%A9%3F&mode=hide&status=failed,warning"
        );
        assert_eq!(round_trip(&f), f);
        for text in ["", "a", "#&=+?", "日本語", " spaced ", "Ünïcödé"] {
            for hide in [false, true] {
                let f = EntryFilter {
                    text: text.into(),
                    hide,
                    statuses: vec![Status::Success],
                    ..Default::default()
                };
                assert_eq!(round_trip(&f), f);
            }
        }
    }

    #[test]
    fn lenient_reading() {
        let f =
            EntryFilter::from_query(None, Some("nonsense"), Some("warning,bogus,,failed,failed"));
        assert_eq!(
            f,
            EntryFilter {
                text: String::new(),
                hide: false,
                statuses: vec![Status::Failed, Status::Warning],
                step: String::new(),
            },
            "sorted, deduplicated, unknown words dropped"
        );
        assert!(EntryFilter::from_query(None, None, None) == EntryFilter::default());
    }

    #[test]
    fn toggling_statuses_keeps_their_order() {
        let f = EntryFilter::default()
            .toggle(Status::Success)
            .toggle(Status::Failed);
        assert_eq!(f.statuses, [Status::Failed, Status::Success]);
        assert_eq!(f.toggle(Status::Failed).statuses, [Status::Success]);
    }

    #[test]
    fn rows_by_text_and_status() {
        let mut failed = step("Disk FULL on vm2", 5, 6);
        failed.status = Status::Failed;
        let l = log(vec![
            step("Processing vm1", 0, 1),
            failed,
            step("Processing vm2", 2, 3),
            entry(Status::Warning, 4, None),
        ]);
        let index = FilterIndex::new(l.clone().into());
        let all = |f: &EntryFilter| index.rows(f);
        assert_eq!(all(&EntryFilter::default()), [0, 1, 2, 3]);
        let text = |t: &str, hide: bool| EntryFilter {
            text: t.into(),
            hide,
            statuses: vec![],
            ..Default::default()
        };
        // Highlight mode hides nothing; hide mode keeps matches, case-insensitively.
        assert_eq!(all(&text("vm2", false)), [0, 1, 2, 3]);
        assert_eq!(all(&text("  VM2 ", true)), [1, 2]);
        assert_eq!(index.count_matches(&text("vm2", false)), 2);
        assert_eq!(index.count_matches(&text("   ", true)), 0);
        assert_eq!(
            all(&text("   ", true)),
            [0, 1, 2, 3],
            "blank text hides nothing"
        );
        let f = EntryFilter::default()
            .toggle(Status::Failed)
            .toggle(Status::Warning);
        assert_eq!(all(&f), [1, 3]);
        assert_eq!(
            all(&EntryFilter {
                text: "disk".into(),
                hide: true,
                ..f.clone()
            }),
            [1]
        );
        assert!(index.text_matches(1, "disk full"));
        let accented = FilterIndex::new(log(vec![step("Échec sur VM", 0, 1)]).into());
        assert_eq!(
            accented.rows(&text("échec sur vm", true)),
            Vec::<usize>::new(),
            "ASCII folding only"
        );
        assert_eq!(accented.rows(&text("Échec SUR", true)), [0]);
        assert!(!index.text_matches(99, "disk"), "out of range is no match");
    }

    #[test]
    fn huge_messages_are_searched_at_their_start_only() {
        let mut big = step("needle at the start ", 0, 1);
        big.message.push_str(&"x".repeat(10_000_000));
        big.message.push_str("hidden needle");
        let index = FilterIndex::new(log(vec![big]).into());
        assert!(index.text_matches(0, "needle at"));
        assert!(!index.text_matches(0, "hidden needle"));
    }

    #[test]
    fn seed_filter() {
        let index = FilterIndex::new(seed_aws().into());
        let f = EntryFilter {
            text: "processing".into(),
            hide: true,
            statuses: vec![],
            ..Default::default()
        };
        assert_eq!(index.rows(&f), [1]);
    }

    #[test]
    fn a_step_keeps_its_entries_and_round_trips() {
        let l = log(vec![
            step("Processing vm1", 0, 1),
            step("Preparing", 1, 2),
            step("Processing vm22", 2, 3),
        ]);
        let f = EntryFilter {
            step: "processing vm#".into(),
            ..Default::default()
        };
        assert!(f.hides_any());
        assert_eq!(f.to_query(), "?step=processing%20vm%23");
        let mut rows = FilterIndex::new(l.clone().into()).rows(&f);
        keep_step(&l, &f, &mut rows);
        assert_eq!(rows, [0, 2]);
        // No step: every row stays (and out-of-range rows only go with a step).
        let mut rows = vec![0, 1, 2, 9];
        keep_step(&l, &EntryFilter::default(), &mut rows);
        assert_eq!(rows, [0, 1, 2, 9]);
        keep_step(&l, &f, &mut rows);
        assert_eq!(rows, [0, 2]);
    }
}
