//! Sorting a session list by any column: stable, missing values last in both directions.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::model::Session;

/// A column the list can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// Worst first ascending (the order of [`crate::model::Status`]).
    Status,
    /// Numeric ids compare as numbers (Ekran's), others as text.
    Id,
    User,
    Host,
    Start,
    /// Open sessions have no end: they sort with the missing values, last.
    End,
    /// Open sessions' duration runs to `now`.
    Duration,
    Name,
    /// The run against its job's usual, in percent ([`crate::list::usual`]): sorted by
    /// [`crate::list::usual::sort`], which has the list's jobs; here every value is missing.
    VsUsual,
}

/// A column and a direction; written `start`, `start:asc` or `start:desc` in URLs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SortKey {
    pub column: Column,
    pub descending: bool,
}

/// Sorts indices into `sessions` by `key`. Sessions without a value for the column come last in
/// both directions; equal values keep ascending index order, so the order is total and the
/// same on every run. Indices past the end of `sessions` count as having no value.
///
/// Text compares ASCII case-insensitively (non-ASCII letters by their bytes), without
/// allocating per comparison.
pub fn sort_indices(indices: &mut [u32], sessions: &[Session], key: SortKey, now_us: i64) {
    // Every column becomes one integer key per row (text through ranks), so that there is one
    // sort in the bundle rather than one per column type.
    let get = |i: u32| sessions.get(i as usize);
    let micros = |t: Option<crate::model::Timestamp>| t.map(|t| t.unix_micros());
    match key.column {
        Column::Status => sort_by_key(indices, key, &|i| get(i).map(|s| s.status as i64)),
        Column::Start => sort_by_key(indices, key, &|i| get(i).and_then(|s| micros(s.start))),
        Column::End => sort_by_key(indices, key, &|i| get(i).and_then(|s| micros(s.end))),
        Column::Duration => sort_by_key(indices, key, &|i| {
            get(i).and_then(|s| s.duration(now_us)).map(|d| d.micros())
        }),
        Column::Id => sort_by_text(
            indices,
            key,
            &|i| get(i).map(|s| s.id.as_str()),
            natural_cmp,
        ),
        Column::User => sort_by_text(
            indices,
            key,
            &|i| get(i).and_then(|s| s.user.as_deref()),
            text_cmp,
        ),
        Column::Host => sort_by_text(
            indices,
            key,
            &|i| get(i).and_then(|s| s.host.as_deref()),
            text_cmp,
        ),
        Column::Name => sort_by_text(
            indices,
            key,
            &|i| get(i).and_then(|s| s.name.as_deref()),
            text_cmp,
        ),
        Column::VsUsual => sort_by_key(indices, key, &|_| None),
    }
}

impl Column {
    pub const ALL: [Column; 9] = [
        Column::Status,
        Column::Id,
        Column::User,
        Column::Host,
        Column::Start,
        Column::End,
        Column::Duration,
        Column::Name,
        Column::VsUsual,
    ];

    /// The column's name in URLs.
    pub fn id(self) -> &'static str {
        match self {
            Column::Status => "status",
            Column::Id => "id",
            Column::User => "user",
            Column::Host => "host",
            Column::Start => "start",
            Column::End => "end",
            Column::Duration => "duration",
            Column::Name => "type",
            Column::VsUsual => "vs-usual",
        }
    }

    /// Reads a column name (`type` and `name` both mean the name column), case-insensitively.
    pub fn parse(text: &str) -> Option<Column> {
        let lower = text.trim().to_ascii_lowercase();
        if lower == "name" {
            return Some(Column::Name);
        }
        Column::ALL.into_iter().find(|c| c.id() == lower)
    }
}

impl SortKey {
    pub fn new(column: Column, descending: bool) -> SortKey {
        SortKey { column, descending }
    }

    /// Reads `start`, `start:asc` or `start:desc`; `None` for anything else.
    pub fn parse(text: &str) -> Option<SortKey> {
        let (column, direction) = match text.split_once(':') {
            Some((c, d)) => (c, Some(d)),
            None => (text, None),
        };
        let descending = match direction.map(|d| d.trim().to_ascii_lowercase()) {
            None => false,
            Some(d) if d == "asc" => false,
            Some(d) if d == "desc" => true,
            Some(_) => return None,
        };
        Column::parse(column).map(|column| SortKey { column, descending })
    }

    /// `start:asc` or `start:desc`.
    pub fn to_text(self) -> String {
        let direction = if self.descending { "desc" } else { "asc" };
        format!("{}:{direction}", self.column.id())
    }
}

/// Sorts by a key extracted per index: present values first (in the key's direction), missing
/// last, ties by index. Also the app's one sort of log entries ([`crate::model::sort_by_order`]):
/// one sort instance for both.
pub(crate) fn sort_by_key(indices: &mut [u32], key: SortKey, value: &dyn Fn(u32) -> Option<i64>) {
    // Extracting keys once keeps each comparison to two array reads.
    let mut keyed: Vec<(Option<i64>, u32)> = indices.iter().map(|&i| (value(i), i)).collect();
    keyed.sort_unstable_by(|(va, ia), (vb, ib)| {
        let by_value = match (va, vb) {
            (Some(a), Some(b)) => {
                let o = a.cmp(b);
                if key.descending {
                    o.reverse()
                } else {
                    o
                }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        // The index tie-break makes the order total, so an unstable sort is stable in effect.
        by_value.then(ia.cmp(ib))
    });
    for (slot, (_, i)) in indices.iter_mut().zip(keyed) {
        *slot = i;
    }
}

/// Sorts by a text column through ranks: the distinct values (a few hundred users or hosts among
/// 100 000 rows) are sorted once as text, and the rows then by an integer. This made sorting
/// 100 000 rows by user several times faster than comparing strings in the row sort.
fn sort_by_text<'a>(
    indices: &mut [u32],
    key: SortKey,
    value: &dyn Fn(u32) -> Option<&'a str>,
    cmp: fn(&str, &str) -> Ordering,
) {
    let mut ranks: HashMap<&'a str, u32> = HashMap::new();
    for &i in indices.iter() {
        if let Some(v) = value(i) {
            ranks.entry(v).or_insert(0);
        }
    }
    let mut distinct: Vec<&'a str> = ranks.keys().copied().collect();
    // Both orders are strict on distinct strings, so equal ranks mean equal values.
    sort_texts(&mut distinct, cmp);
    for (rank, v) in distinct.into_iter().enumerate() {
        if let Some(slot) = ranks.get_mut(v) {
            *slot = rank as u32;
        }
    }
    sort_by_key(indices, key, &|i| {
        value(i).and_then(|v| ranks.get(v).map(|&r| i64::from(r)))
    });
}

/// Sorts texts by `cmp`: the app's one sort of strings (here and in the facets).
pub(crate) fn sort_texts(texts: &mut [&str], cmp: fn(&str, &str) -> Ordering) {
    texts.sort_unstable_by(|a, b| cmp(a, b));
}

fn text_cmp(a: &str, b: &str) -> Ordering {
    // Equal values are the common case when many rows share a user or host (a memcmp).
    if a == b {
        return Ordering::Equal;
    }
    // A plain loop, lowercasing only where bytes differ: user names share long prefixes
    // (`DOMAIN\`), and an iterator chain here was 5× slower on 100 000 rows.
    for (x, y) in a.bytes().zip(b.bytes()) {
        if x != y {
            let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
            if x != y {
                return x.cmp(&y);
            }
        }
    }
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Ids of digits compare as numbers (`9` before `10`); anything else as text, after numbers.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    match (numeric(a), numeric(b)) {
        (true, true) => {
            let (x, y) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
            // `007` and `7` are the same number: the text decides, so the order stays strict.
            x.len()
                .cmp(&y.len())
                .then_with(|| x.cmp(y))
                .then_with(|| a.cmp(b))
        }
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => text_cmp(a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{parse_timestamp, Status};

    fn s(id: &str, user: Option<&str>, start: Option<&str>, end: Option<&str>) -> Session {
        let at = |t: Option<&str>| t.and_then(|t| parse_timestamp(t).ok().flatten());
        Session {
            id: id.into(),
            user: user.map(Into::into),
            host: None,
            start: at(start),
            end: at(end),
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

    const NOW: i64 = 1_617_235_200_000_000 + 86_400_000_000; // 2021-04-02

    fn list() -> Vec<Session> {
        vec![
            s(
                "10",
                Some("bob"),
                Some("2021-04-01T02:00:00Z"),
                Some("2021-04-01T03:00:00Z"),
            ),
            s("9", None, Some("2021-04-01T01:00:00Z"), None),
            s("a", Some("Alice"), None, None),
            s(
                "11",
                Some("alice"),
                Some("2021-04-01T02:00:00Z"),
                Some("2021-04-01T02:30:00Z"),
            ),
            s(
                "12",
                Some("bob"),
                Some("2021-04-01T00:00:00Z"),
                Some("2021-04-01T01:00:00Z"),
            ),
        ]
    }

    fn ids(column: Column, descending: bool) -> Vec<String> {
        let sessions = list();
        let mut idx: Vec<u32> = (0..sessions.len() as u32).collect();
        sort_indices(&mut idx, &sessions, SortKey::new(column, descending), NOW);
        idx.iter()
            .map(|&i| sessions[i as usize].id.clone())
            .collect()
    }

    #[test]
    fn missing_values_last_in_both_directions() {
        assert_eq!(ids(Column::Start, false), ["12", "9", "10", "11", "a"]);
        assert_eq!(ids(Column::Start, true), ["10", "11", "9", "12", "a"]);
        assert_eq!(ids(Column::End, false), ["12", "11", "10", "9", "a"]);
        assert_eq!(ids(Column::End, true), ["10", "11", "12", "9", "a"]);
        assert_eq!(ids(Column::User, false), ["a", "11", "10", "12", "9"]);
        assert_eq!(ids(Column::User, true), ["10", "12", "11", "a", "9"]);
    }

    #[test]
    fn ties_keep_index_order_in_both_directions() {
        // Everything has status Success: the order is the original one either way.
        assert_eq!(ids(Column::Status, false), ["10", "9", "a", "11", "12"]);
        assert_eq!(ids(Column::Status, true), ["10", "9", "a", "11", "12"]);
        assert_eq!(ids(Column::Host, true), ["10", "9", "a", "11", "12"]);
    }

    #[test]
    fn durations_grow_until_now_and_ids_are_natural() {
        // 9 is open since 01:00 and NOW is a day later: the longest.
        assert_eq!(ids(Column::Duration, true), ["9", "10", "12", "11", "a"]);
        assert_eq!(ids(Column::Id, false), ["9", "10", "11", "12", "a"]);
        assert_eq!(ids(Column::Id, true), ["a", "12", "11", "10", "9"]);
    }

    #[test]
    fn sorting_a_subset_and_bad_indices() {
        let sessions = list();
        let mut idx = vec![4, 99, 0];
        sort_indices(&mut idx, &sessions, SortKey::new(Column::Start, false), NOW);
        assert_eq!(idx, [4, 0, 99]);
    }

    #[test]
    fn keys_parse_and_render() {
        assert_eq!(
            SortKey::parse("start:desc"),
            Some(SortKey::new(Column::Start, true))
        );
        assert_eq!(
            SortKey::parse("Duration"),
            Some(SortKey::new(Column::Duration, false))
        );
        assert_eq!(
            SortKey::parse("name:asc"),
            Some(SortKey::new(Column::Name, false))
        );
        for bad in ["", "colour", "start:up", ":desc", "start:desc:x"] {
            assert_eq!(SortKey::parse(bad), None, "{bad}");
        }
        for column in Column::ALL {
            for descending in [false, true] {
                let key = SortKey::new(column, descending);
                assert_eq!(SortKey::parse(&key.to_text()), Some(key));
            }
        }
    }
}
