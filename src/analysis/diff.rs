//! Run-vs-run diff: two logs of the same job side by side, step by step, with each step's change.

use std::collections::HashMap;

use crate::format::clip;
use crate::model::{Duration, LogEntry, SessionLog};

/// Only this many leading characters of a message make its key, so that a 10 MB message costs no
/// more than a long one; two steps that differ only after this point are the same step.
pub const KEY_CHARS: usize = 1_000;

/// One line of the diff: a step of run A, of run B, or of both.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DiffRow {
    /// Index into run A's entries, when the step is in A.
    pub a: Option<usize>,
    /// Index into run B's entries, when the step is in B.
    pub b: Option<usize>,
    /// The step's length in A (see [`diff`] for which length).
    pub a_duration: Option<Duration>,
    pub b_duration: Option<Duration>,
    /// B against A, when the step is in both runs with a length in each.
    pub change: Option<Change>,
}

/// How a step's length changed from run A to run B.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    /// B minus A: positive when B took longer.
    pub absolute: Duration,
    /// `absolute` as a share of A's length (0.5 = 50% slower); `None` when A took no time.
    pub relative: Option<f64>,
}

/// The key that says two messages are the same step, ignoring what changes from run to run.
///
/// Exactly: the first [`KEY_CHARS`] characters with ASCII letters lowercased (other letters are
/// kept as written: Unicode case tables would cost ≈ 5 KB of the wasm budget); runs of whitespace become
/// one space, with none at either end; each GUID (`8-4-4-4-12` hex digits, not inside a longer
/// word) becomes `#`; each number becomes `#`, where a number is a run of ASCII digits together
/// with any `.` `,` `:` `/` `-` that sits between two digits, so that dates (`05/20/2020`), times
/// (`21:11:59`), decimals and versions are one number each. Quoted names and all other text stay:
/// "Processing 'db01'" and "Processing 'web01'" are different steps, but "Processing 'vm1'" and
/// "Processing 'vm2'" are the same (numbers are stripped even inside names, so repeated steps of a
/// numbered series pair by their order instead).
pub fn step_key(message: &str) -> String {
    let clipped = clip(message, KEY_CHARS).0;
    let mut out: Vec<u8> = Vec::with_capacity(clipped.len());
    for word in clipped.split_whitespace() {
        if !out.is_empty() {
            out.push(b' ');
        }
        push_word(&mut out, word.as_bytes());
    }
    // Only ASCII runs were replaced by ASCII, so the bytes are still UTF-8; lossy never loses.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Run A against run B, step by step.
///
/// **Matching.** Steps match by [`step_key`] and occurrence: the k-th step of A with a key pairs
/// with the k-th step of B with that key, wherever it stands, so a step that moved is still
/// paired (and shown where A had it). Steps left over are only-in-A or only-in-B rows.
///
/// **Order.** Rows follow run A; a step only in B comes right after the row of the nearest step
/// before it in B that is in both runs (or first, when there is none), keeping B's order among
/// such steps.
///
/// **Length** of a step is its extent on the timeline (observed span; see
/// [`super::summary::slowest`] for why), `None` for an entry without a time.
///
/// **Cost.** O(|A| + |B|) hashing plus O(m log m) for the m steps only in B, and one key string per
/// entry: two 50 000-entry runs take milliseconds natively (`examples/timeline_bench.rs`). No
/// longest-common-subsequence search is done, so there is no quadratic case to fall back from.
pub fn diff(a: &SessionLog, b: &SessionLog) -> Vec<DiffRow> {
    let keys_a: Vec<String> = a.entries.iter().map(|e| step_key(&e.message)).collect();
    // For each key, A's indices in order, and how many of them B has used.
    // (A map from key to a position in `lists`: a map type the app already has.)
    let mut by_key: HashMap<&str, u32> = HashMap::with_capacity(keys_a.len());
    let mut lists: Vec<(Vec<usize>, usize)> = Vec::new();
    for (i, k) in keys_a.iter().enumerate() {
        let next = lists.len() as u32;
        let at = *by_key.entry(k.as_str()).or_insert(next);
        if at == next {
            lists.push((Vec::new(), 0));
        }
        if let Some((list, _)) = lists.get_mut(at as usize) {
            list.push(i);
        }
    }

    let mut a_to_b: Vec<Option<usize>> = vec![None; a.entries.len()];
    // Steps only in B, with the A index of the nearest earlier matched step of B.
    let mut only_b: Vec<(Option<usize>, usize)> = Vec::new();
    let mut anchor: Option<usize> = None;
    for (j, e) in b.entries.iter().enumerate() {
        let key = step_key(&e.message);
        let at = by_key
            .get(key.as_str())
            .map_or(usize::MAX, |&at| at as usize);
        let matched = lists.get_mut(at).and_then(|(list, used)| {
            let i = list.get(*used).copied()?;
            *used += 1;
            Some(i)
        });
        match matched {
            Some(i) => {
                if let Some(slot) = a_to_b.get_mut(i) {
                    *slot = Some(j);
                }
                anchor = Some(i);
            }
            None => only_b.push((anchor, j)),
        }
    }
    // Steps only in B grouped by where they go: slot 0 before every row, slot i + 1 after A's row
    // i, each slot in B's order (a counting sort: stable, linear, and no sort instance in the
    // bundle). `ends[s]` first counts slot s, then becomes where it starts, then where it ends.
    let slot = |anchor: Option<usize>| anchor.map_or(0, |i| i + 1);
    let mut ends = vec![0usize; a.entries.len() + 1];
    for &(anchor, _) in &only_b {
        if let Some(n) = ends.get_mut(slot(anchor)) {
            *n += 1;
        }
    }
    let mut start = 0;
    for n in &mut ends {
        let count = *n;
        *n = start;
        start += count;
    }
    let mut placed = vec![0usize; only_b.len()];
    for &(anchor, j) in &only_b {
        if let Some(at) = ends.get_mut(slot(anchor)) {
            if let Some(p) = placed.get_mut(*at) {
                *p = j;
            }
            *at += 1;
        }
    }

    let mut rows = Vec::with_capacity(a.entries.len() + placed.len());
    let mut pending = placed.into_iter();
    let mut slots = ends.into_iter();
    let mut done = 0;
    let mut flush = |rows: &mut Vec<DiffRow>, end: usize| {
        while done < end {
            if let Some(j) = pending.next() {
                rows.push(row(a, b, None, Some(j)));
            }
            done += 1;
        }
    };
    flush(&mut rows, slots.next().unwrap_or(0));
    for (i, matched) in a_to_b.iter().enumerate() {
        rows.push(row(a, b, Some(i), *matched));
        flush(&mut rows, slots.next().unwrap_or(0));
    }
    rows
}

const GUID_LEN: usize = 36;

/// Appends one whitespace-free word's key: ASCII lowercased, GUIDs and numbers as `#`.
fn push_word(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let prev_alnum = i > 0 && bytes.get(i - 1).is_some_and(u8::is_ascii_alphanumeric);
        if !prev_alnum && is_guid_at(bytes, i) {
            out.push(b'#');
            i += GUID_LEN;
        } else if b.is_ascii_digit() {
            i = number_end(bytes, i);
            out.push(b'#');
        } else {
            out.push(b.to_ascii_lowercase());
            i += 1;
        }
    }
}

/// Whether a GUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`) starts at `i` and is not followed by
/// more of a word.
fn is_guid_at(bytes: &[u8], i: usize) -> bool {
    let Some(candidate) = bytes.get(i..i + GUID_LEN) else {
        return false;
    };
    let shape = candidate.iter().enumerate().all(|(k, b)| match k {
        8 | 13 | 18 | 23 => *b == b'-',
        _ => b.is_ascii_hexdigit(),
    });
    shape
        && !bytes
            .get(i + GUID_LEN)
            .is_some_and(u8::is_ascii_alphanumeric)
}

/// Where the number starting at `i` (a digit) ends: digits, and separators between digits.
fn number_end(bytes: &[u8], mut i: usize) -> usize {
    loop {
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let separator = bytes
            .get(i)
            .is_some_and(|b| matches!(b, b'.' | b',' | b':' | b'/' | b'-'));
        if separator && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
        } else {
            return i;
        }
    }
}

fn length(entry: Option<&LogEntry>) -> Option<Duration> {
    let (s, e) = entry?.extent()?;
    Some(Duration::from_micros(e.saturating_sub(s)))
}

fn row(a: &SessionLog, b: &SessionLog, i: Option<usize>, j: Option<usize>) -> DiffRow {
    let a_duration = length(i.and_then(|i| a.entries.get(i)));
    let b_duration = length(j.and_then(|j| b.entries.get(j)));
    let change = a_duration.zip(b_duration).map(|(da, db)| {
        let absolute = Duration::from_micros(db.micros().saturating_sub(da.micros()));
        Change {
            absolute,
            relative: (da.micros() > 0).then(|| absolute.micros() as f64 / da.micros() as f64),
        }
    });
    DiffRow {
        a: i,
        b: j,
        a_duration,
        b_duration,
        change,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::builders::{log, run, seed_aws, timeless};

    /// The diff as `(a, b)` index pairs.
    fn pairs(a: &SessionLog, b: &SessionLog) -> Vec<(Option<usize>, Option<usize>)> {
        diff(a, b).iter().map(|r| (r.a, r.b)).collect()
    }

    #[test]
    fn keys_strip_numbers_dates_guids_and_space() {
        let cases = [
            (
                "FLR task 'ubuntu16' started at 05/20/2020 21:11:59.",
                "flr task 'ubuntu#' started at # #.",
            ),
            (
                "  Processing   mailbox:\tpetep@x.com ",
                "processing mailbox: petep@x.com",
            ),
            (
                "[3 of 12] copied 1,024.5 MB (17%)",
                "[# of #] copied # mb (#%)",
            ),
            (
                "Job 9b2e1c4a-0f7d-4e0b-8a38-3c1d2e4f5a6b done",
                "job # done",
            ),
            ("{E7668151-524F-4FA5-A30A-C647BF7CA8C5}", "{#}"),
            // Not a GUID: part of a longer word, so its digits go one by one.
            (
                "x9b2e1c4a-0f7d-4e0b-8a38-3c1d2e4f5a6b",
                "x#b#e#c#a-#f#d-#e#b-#a#c#d#e#f#a#b",
            ),
            ("version 1.2.3-4 at 12:00", "version # at #"),
            ("trailing dot 5.", "trailing dot #."),
            ("ÉTAPE Numéro 7", "Étape numéro #"),
            ("", ""),
        ];
        for (message, key) in cases {
            assert_eq!(step_key(message), key, "{message:?}");
        }
        assert_eq!(
            step_key("Processing ubuntu16."),
            step_key("processing UBUNTU18.")
        );
        assert_ne!(step_key("Processing 'db'"), step_key("Processing 'web'"));
        let huge = "a".repeat(10_000_000);
        assert_eq!(step_key(&huge).len(), KEY_CHARS);
    }

    #[test]
    fn identical_runs_pair_everything() {
        let a = seed_aws();
        let rows = diff(&a, &a);
        assert_eq!(rows.len(), a.entries.len());
        for (i, r) in rows.iter().enumerate() {
            assert_eq!((r.a, r.b), (Some(i), Some(i)));
            assert_eq!(r.change.map(|c| c.absolute), Some(Duration::ZERO));
        }
    }

    #[test]
    fn messages_that_differ_only_in_numbers_pair() {
        let a = run(&[
            ("Job started at 4/4/2017 12:07:21 AM", 0),
            ("3 mailboxes found", 10),
        ]);
        let b = run(&[
            ("Job started at 4/5/2017 1:00:00 AM", 0),
            ("12 mailboxes found", 15),
        ]);
        let rows = diff(&a, &b);
        assert_eq!(pairs(&a, &b), [(Some(0), Some(0)), (Some(1), Some(1))]);
        let c = rows.get(1).and_then(|r| r.change);
        assert_eq!(
            c.map(|c| c.absolute),
            Some(Duration::from_micros(5_000_000))
        );
        assert_eq!(c.and_then(|c| c.relative), Some(0.5));
        assert_eq!(
            rows.first().and_then(|r| r.change).and_then(|c| c.relative),
            None,
            "A took 0"
        );
    }

    #[test]
    fn reordered_steps_still_pair_in_a_order() {
        let a = run(&[("x", 1), ("y", 2), ("z", 3)]);
        let b = run(&[("z", 6), ("x", 1), ("y", 1)]);
        assert_eq!(
            pairs(&a, &b),
            [(Some(0), Some(1)), (Some(1), Some(2)), (Some(2), Some(0))]
        );
        let rows = diff(&a, &b);
        let z = rows.get(2).and_then(|r| r.change).map(|c| c.absolute);
        assert_eq!(z, Some(Duration::from_micros(3_000_000)));
    }

    #[test]
    fn repeated_keys_pair_kth_to_kth() {
        let a = run(&[
            ("start", 1),
            ("vm 1", 1),
            ("vm 2", 2),
            ("vm 3", 3),
            ("end", 1),
        ]);
        let b = run(&[("start", 1), ("vm 7", 5), ("vm 8", 6), ("end", 1)]);
        assert_eq!(
            pairs(&a, &b),
            [
                (Some(0), Some(0)),
                (Some(1), Some(1)),
                (Some(2), Some(2)),
                (Some(3), None),
                (Some(4), Some(3)),
            ]
        );
    }

    #[test]
    fn added_and_removed_steps() {
        let a = run(&[("start", 1), ("old step", 1), ("copy", 2), ("end", 1)]);
        let b = run(&[
            ("pre-check", 1),
            ("start", 1),
            ("copy", 2),
            ("new a", 1),
            ("new b", 1),
            ("end", 1),
        ]);
        assert_eq!(
            pairs(&a, &b),
            [
                (None, Some(0)),
                (Some(0), Some(1)),
                (Some(1), None),
                (Some(2), Some(2)),
                (None, Some(3)),
                (None, Some(4)),
                (Some(3), Some(5)),
            ]
        );
        let rows = diff(&a, &b);
        let removed = rows.get(2).copied();
        assert_eq!(
            removed.map(|r| (r.a_duration.is_some(), r.b_duration, r.change)),
            Some((true, None, None))
        );
    }

    #[test]
    fn empty_and_timeless_runs() {
        let empty = log(vec![]);
        assert!(diff(&empty, &empty).is_empty());
        let a = run(&[("a", 1), ("b", 1)]);
        assert_eq!(pairs(&a, &empty), [(Some(0), None), (Some(1), None)]);
        assert_eq!(pairs(&empty, &a), [(None, Some(0)), (None, Some(1))]);
        let t = log(vec![timeless()]);
        let rows = diff(&t, &t);
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows.first().map(|r| (r.a_duration, r.change)),
            Some((None, None))
        );
    }

    #[test]
    fn every_entry_appears_exactly_once() {
        // Pseudo-random runs over a small alphabet of keys, many repeats.
        let mut state: u64 = 7;
        let mut next = move |m: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) % m
        };
        for _ in 0..200 {
            let words = ["a", "b", "c", "d", "e"];
            let (la, lb) = (next(30), next(30));
            let mut make = |n| {
                let steps: Vec<(&str, i64)> = (0..n)
                    .map(|_| (words[next(5) as usize], next(4) as i64))
                    .collect();
                run(&steps)
            };
            let (a, b) = (make(la), make(lb));
            let p = pairs(&a, &b);
            let seen_a: Vec<usize> = p.iter().filter_map(|r| r.0).collect();
            let seen_b: Vec<usize> = {
                let mut v: Vec<usize> = p.iter().filter_map(|r| r.1).collect();
                v.sort_unstable();
                v
            };
            assert_eq!(
                seen_a,
                (0..a.entries.len()).collect::<Vec<_>>(),
                "A in order"
            );
            assert_eq!(seen_b, (0..b.entries.len()).collect::<Vec<_>>());
            for (i, j) in p.iter().filter_map(|r| r.0.zip(r.1)) {
                let (ma, mb) = (&a.entries[i].message, &b.entries[j].message);
                assert_eq!(ma, mb);
            }
        }
    }
}
