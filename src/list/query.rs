//! The filter language of the session list: parse, complete and render queries like
//! `user:jen -status:success duration>1h start>=2021-04-01`.
//!
//! Error handling: [`parse_lenient`] is what the filter bar uses on every keystroke. It returns
//! the query made of every term that parsed *and* one [`QueryError`] per bad term, so that a
//! half-typed term (`duration>1`) never blanks the list while the user is still typing; the bar
//! shows the errors under the input. [`parse`] is the strict form (first error wins) for places
//! where a partial query would be wrong, such as a query read back from a URL to canonicalise.

use std::fmt;
use std::ops::Range;

use crate::model::{parse_timestamp, Duration, Status};

/// A parsed query: every term must match (terms are ANDed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<Term>,
}

/// One term of a query, possibly negated with a leading `-`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub negated: bool,
    pub kind: TermKind,
}

/// What one term tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TermKind {
    /// A free word: a case-insensitive substring of the id, user, host, name or vendor status.
    Word(String),
    /// `user:jen` (case-insensitive substring) or `user:=jen` (case-insensitive equality, which
    /// is what facet selections produce).
    Text {
        field: TextField,
        exact: bool,
        value: String,
    },
    /// `status:failed`, on the normalised status.
    Status(Status),
    /// `duration>1h30m`; open sessions' duration runs to `now`.
    Duration(Cmp, Duration),
    /// `start>=2021-04-01` against an instant in microseconds since the epoch; open sessions'
    /// end counts as `now`.
    Time {
        field: TimeField,
        cmp: Cmp,
        at_us: i64,
    },
    /// `is:open`: started and not ended.
    Open,
    /// `job:nightly` (substring of the job's key or name, case-insensitive) or `job:=key`
    /// (either, exactly): the session is a run of that job.
    Job { exact: bool, value: String },
    /// `vs-usual>50%`: the run's duration against its job's usual, in whole percent
    /// ([`crate::list::usual`]); sessions without a usual match no comparison.
    VsUsual(Cmp, i64),
    /// `is:slow`: slower than usual (or running past its usual length).
    Slow,
    /// `streak>=3`: the session's job has failed this many runs in a row, latest first.
    Streak(Cmp, u32),
}

/// The text fields a `field:value` term can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextField {
    Id,
    User,
    Host,
    /// What ran (job, policy, session type); written `type:` or `name:`.
    Name,
}

/// The instants a comparison term can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeField {
    Start,
    End,
}

/// A comparison operator. `Eq` is written `:` or `=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

/// A bad term: what is wrong, and where (a byte span of the query text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// The byte span of the whole bad term in the query text.
    pub span: Range<usize>,
    pub kind: QueryErrorKind,
}

/// Why a term could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryErrorKind {
    /// Occurs when a term names a field that does not exist (`usr:jen`); carries the closest
    /// field name when one is close enough to be a typo.
    UnknownField {
        field: String,
        suggestion: Option<&'static str>,
    },
    /// Occurs when a field has nothing after its operator (`user:`, `duration>`) or a quoted
    /// value is empty (`""`).
    EmptyValue { field: String },
    /// Occurs when an operator has no field before it (`>1h`, `:x`) or a `-` stands alone.
    BareOperator,
    /// Occurs when an operator is written wrong (`duration=>1h`, `user=jen`).
    BadOperator { field: String, op: String },
    /// Occurs when a `"` is never closed; the term runs to the end of the text.
    UnclosedQuote,
    /// Occurs when a comparison is used on a field that only supports `:` (`user>jen`).
    NotComparable { field: String },
    /// Occurs when a duration is not `<number><unit>` pairs (`1h30m`, `90s`, `250ms`).
    BadDuration { value: String, reason: &'static str },
    /// Occurs when `start`/`end` is not a timestamp `parse_timestamp` reads.
    BadTimestamp { value: String, reason: &'static str },
    /// Occurs when `status:` names no status; carries the closest one.
    BadStatus {
        value: String,
        suggestion: Option<&'static str>,
    },
    /// Occurs when `is:` is given anything but `open` or `slow`.
    BadIs { value: String },
    /// Occurs when `vs-usual` is not a whole percent or `streak` not a whole number.
    BadNumber { field: String, value: String },
}

/// The field names the language knows, in the order completion offers them.
pub const FIELD_NAMES: [&str; 13] = [
    "user", "host", "status", "type", "name", "id", "duration", "start", "end", "is", "job",
    "vs-usual", "streak",
];

/// The fields compared with `<`, `<=`, `>`, `>=` (and `:`), completed without a `:`.
fn comparable(field: &str) -> bool {
    matches!(field, "duration" | "start" | "end" | "vs-usual" | "streak")
}

/// The closed values of `is:`.
const IS_VALUES: [&str; 2] = ["open", "slow"];

/// Parses a whole query strictly: the first bad term is the error.
pub fn parse(text: &str) -> Result<Query, QueryError> {
    let (query, mut errors) = parse_lenient(text);
    if errors.is_empty() {
        Ok(query)
    } else {
        Err(errors.swap_remove(0))
    }
}

/// Parses a query, keeping every good term and reporting every bad one (in text order), so that
/// the list keeps filtering on what the user has typed so far.
pub fn parse_lenient(text: &str) -> (Query, Vec<QueryError>) {
    let mut query = Query::default();
    let mut errors = Vec::new();
    for token in tokens(text) {
        match parse_term(token.raw, token.unclosed) {
            Ok(term) => query.terms.push(term),
            Err(kind) => errors.push(QueryError {
                span: token.start..token.end,
                kind,
            }),
        }
    }
    (query, errors)
}

/// Completions for the word under `cursor` (a byte offset, clamped to the text): field names
/// (`st` → `status:`, `start`), and values where they are a closed set (`status:fa` →
/// `status:failed`, `is:o` → `is:open`). Each completion replaces the word from its start to the
/// cursor and keeps a leading `-`.
pub fn complete(text: &str, cursor: usize) -> Vec<String> {
    let mut cursor = cursor.min(text.len());
    while !text.is_char_boundary(cursor) {
        cursor -= 1;
    }
    let word_start = word_start(text, cursor);
    let word = text.get(word_start..cursor).unwrap_or_default();
    let (sign, body) = match word.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", word),
    };
    if body.contains('"') {
        return Vec::new();
    }
    let lower = crate::format::lowercase(body);
    match lower.split_once(':') {
        None => FIELD_NAMES
            .iter()
            .filter(|f| f.starts_with(lower.as_str()) && !lower.is_empty())
            .map(|f| {
                let op = if comparable(f) { "" } else { ":" };
                format!("{sign}{f}{op}")
            })
            .collect(),
        Some((field, prefix)) => {
            let values: Vec<&str> = match field {
                "status" => Status::ALL.iter().map(|s| s.id()).collect(),
                "is" => IS_VALUES.to_vec(),
                _ => Vec::new(),
            };
            values
                .into_iter()
                .filter(|v| v.starts_with(prefix) && *v != prefix)
                .map(|v| format!("{sign}{field}:{v}"))
                .collect()
        }
    }
}

/// Where the word ending at `cursor` (a char boundary) starts: after the last whitespace before it.
fn word_start(text: &str, cursor: usize) -> usize {
    text.get(..cursor)
        .unwrap_or_default()
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// Puts a completion from [`complete`] in place of the word under `cursor`, and returns the new
/// text with the cursor after the completion (and after a space when the completion is a whole
/// term rather than a field name waiting for its value).
pub fn apply_completion(text: &str, cursor: usize, completion: &str) -> (String, usize) {
    let mut cursor = cursor.min(text.len());
    while !text.is_char_boundary(cursor) {
        cursor -= 1;
    }
    let start = word_start(text, cursor);
    let rest = text.get(cursor..).unwrap_or_default();
    let waiting = completion.ends_with(':') || comparable(completion.trim_start_matches('-'));
    let gap = if waiting || rest.starts_with(' ') {
        ""
    } else {
        " "
    };
    let before = text.get(..start).unwrap_or_default();
    let new = format!("{before}{completion}{gap}{rest}");
    (new, start + completion.len() + gap.len())
}

impl Query {
    /// The canonical text of the query (for the URL): one space between terms, field names in
    /// their canonical spelling, durations as `1h30m`, instants in UTC, values quoted only where
    /// needed. `parse(&q.to_text()) == Ok(q)` for every query `parse` can return.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for term in &self.terms {
            if !out.is_empty() {
                out.push(' ');
            }
            term.write(&mut out);
        }
        out
    }

    /// True when the query has no terms (everything matches).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether a term reads the list's jobs (`job:`, `vs-usual`, `is:slow`, `streak`), which
    /// are grouped on first need ([`crate::list::usual::Usual`]).
    pub fn uses_jobs(&self) -> bool {
        self.terms.iter().any(|t| {
            matches!(
                t.kind,
                TermKind::Job { .. }
                    | TermKind::VsUsual(..)
                    | TermKind::Slow
                    | TermKind::Streak(..)
            )
        })
    }
}

impl Term {
    /// A term that is not negated.
    pub fn new(kind: TermKind) -> Term {
        Term {
            negated: false,
            kind,
        }
    }

    /// This term's canonical text, as [`Query::to_text`] writes it.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        if self.negated {
            out.push('-');
        }
        match &self.kind {
            TermKind::Word(w) => push_value(out, w, true),
            TermKind::Text {
                field,
                exact,
                value,
            } => {
                out.push_str(field.name());
                out.push(':');
                if *exact {
                    out.push('=');
                }
                push_value(out, value, false);
            }
            TermKind::Status(s) => {
                out.push_str("status:");
                out.push_str(s.id());
            }
            TermKind::Duration(cmp, d) => {
                out.push_str("duration");
                out.push_str(cmp.symbol());
                out.push_str(&duration_text(*d));
            }
            TermKind::Time { field, cmp, at_us } => {
                out.push_str(field.name());
                out.push_str(cmp.symbol());
                out.push_str(&instant_text(*at_us));
            }
            TermKind::Open => out.push_str("is:open"),
            TermKind::Job { exact, value } => {
                out.push_str(if *exact { "job:=" } else { "job:" });
                push_value(out, value, false);
            }
            TermKind::VsUsual(cmp, pct) => {
                out.push_str("vs-usual");
                out.push_str(cmp.symbol());
                out.push_str(&pct.to_string());
                out.push('%');
            }
            TermKind::Slow => out.push_str("is:slow"),
            TermKind::Streak(cmp, n) => {
                out.push_str("streak");
                out.push_str(cmp.symbol());
                out.push_str(&n.to_string());
            }
        }
    }
}

impl TextField {
    /// The canonical field name.
    pub fn name(self) -> &'static str {
        match self {
            TextField::Id => "id",
            TextField::User => "user",
            TextField::Host => "host",
            TextField::Name => "type",
        }
    }
}

impl TimeField {
    pub fn name(self) -> &'static str {
        match self {
            TimeField::Start => "start",
            TimeField::End => "end",
        }
    }
}

impl Cmp {
    /// How the operator is written; `Eq` is written `:` (the form every field accepts).
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
            Cmp::Eq => ":",
        }
    }

    /// Whether `left <op> right` holds.
    pub fn holds<T: Ord>(self, left: T, right: T) -> bool {
        match self {
            Cmp::Lt => left < right,
            Cmp::Le => left <= right,
            Cmp::Gt => left > right,
            Cmp::Ge => left >= right,
            Cmp::Eq => left == right,
        }
    }
}

/// Reads a duration written as `<number><unit>` pairs: `90s`, `1h30m`, `250ms`, `2d`, `5min`.
pub fn parse_duration(text: &str) -> Result<Duration, &'static str> {
    let mut total: i64 = 0;
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err("a duration needs a number and a unit, e.g. 90s or 1h30m");
    }
    while !rest.is_empty() {
        let digits_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (digits, after) = rest.split_at(digits_end);
        if digits.is_empty() {
            return Err("expected a number before each unit, e.g. 1h30m");
        }
        let unit_end = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_end);
        let scale: i64 = match unit.to_ascii_lowercase().as_str() {
            "ms" => 1_000,
            "s" | "sec" => 1_000_000,
            "m" | "min" => 60_000_000,
            "h" => 3_600_000_000,
            "d" => 86_400_000_000,
            "" => return Err("a number needs a unit: ms, s, m (or min), h or d"),
            _ => return Err("unknown unit; use ms, s, m (or min), h or d"),
        };
        let n: i64 = digits.parse().map_err(|_| "the number is too large")?;
        total = n
            .checked_mul(scale)
            .and_then(|us| total.checked_add(us))
            .ok_or("the duration is too large")?;
        rest = after;
    }
    Ok(Duration::from_micros(total))
}

/// A duration in the language's canonical form: `1d2h30m`, `1m30s`, `250ms`, `0s`. Microseconds
/// below a millisecond are dropped (the language cannot write them).
pub fn duration_text(d: Duration) -> String {
    let mut us = d.micros().max(0);
    let mut out = String::new();
    for (unit, scale) in [
        ("d", 86_400_000_000),
        ("h", 3_600_000_000),
        ("m", 60_000_000),
        ("s", 1_000_000),
        ("ms", 1_000),
    ] {
        let n = us / scale;
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
        }
        us %= scale;
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

/// An instant as the language writes it: the date alone at midnight UTC, else RFC 3339 in UTC.
pub fn instant_text(unix_us: i64) -> String {
    let epoch = parse_timestamp("1970-01-01T00:00:00Z").ok().flatten();
    match epoch {
        Some(epoch) => {
            let text = epoch.plus(Duration::from_micros(unix_us)).utc_rfc3339();
            if unix_us.rem_euclid(86_400_000_000) == 0 {
                text.get(..10).map(str::to_string).unwrap_or(text)
            } else {
                text
            }
        }
        // The epoch literal always parses; this keeps the function total without a panic.
        None => unix_us.to_string(),
    }
}

/// The field name closest to `name` when it is close enough to be a typo.
pub fn nearest_field(name: &str) -> Option<&'static str> {
    nearest(name, &FIELD_NAMES)
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (at {}–{})",
            self.kind, self.span.start, self.span.end
        )
    }
}

impl fmt::Display for QueryErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryErrorKind::UnknownField { field, suggestion } => {
                write!(f, "unknown field “{field}”")?;
                match suggestion {
                    Some(s) => write!(f, "; did you mean “{s}”?"),
                    None => write!(f, "; fields are {}", FIELD_NAMES.join(", ")),
                }
            }
            QueryErrorKind::EmptyValue { field } if field.is_empty() => {
                write!(f, "empty quotes: type something between them")
            }
            QueryErrorKind::EmptyValue { field } => write!(f, "“{field}” needs a value"),
            QueryErrorKind::BareOperator => {
                write!(f, "an operator needs a field before it, e.g. duration>1h")
            }
            QueryErrorKind::BadOperator { field, op } => write!(
                f,
                "“{op}” is not an operator for “{field}”; use :, <, <=, > or >= (exact text: {field}:=…)"
            ),
            QueryErrorKind::UnclosedQuote => write!(f, "a quote is not closed"),
            QueryErrorKind::NotComparable { field } => {
                write!(f, "“{field}” can only be matched with “:”, not compared")
            }
            QueryErrorKind::BadDuration { value, reason } => {
                write!(f, "“{value}” is not a duration: {reason}")
            }
            QueryErrorKind::BadTimestamp { value, reason } => {
                write!(
                    f,
                    "“{value}” is not a time: {reason} (write e.g. 2021-04-01 or 2021-04-01T10:00:00Z)"
                )
            }
            QueryErrorKind::BadStatus { value, suggestion } => {
                write!(f, "“{value}” is not a status")?;
                match suggestion {
                    Some(s) => write!(f, "; did you mean “{s}”?"),
                    None => {
                        let ids: Vec<&str> = Status::ALL.iter().map(|s| s.id()).collect();
                        write!(f, "; statuses are {}", ids.join(", "))
                    }
                }
            }
            QueryErrorKind::BadIs { value } => {
                write!(f, "“is:{value}” is not known; try is:open or is:slow")
            }
            QueryErrorKind::BadNumber { field, value } => {
                let e = if field == "streak" { "streak>=3" } else { "vs-usual>50%" };
                write!(f, "“{value}” is not a whole number here; write e.g. {e}")
            }
        }
    }
}

impl std::error::Error for QueryError {}

/// One whitespace-separated term of the text, quotes kept.
struct Token<'a> {
    start: usize,
    end: usize,
    raw: &'a str,
    unclosed: bool,
}

/// Splits on whitespace outside double quotes. Inside quotes a backslash escapes the next
/// character, so `"a \" b"` is one token.
fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    loop {
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let Some(&(start, _)) = chars.peek() else {
            break;
        };
        let mut in_quote = false;
        while let Some(&(_, c)) = chars.peek() {
            if in_quote {
                if c == '\\' {
                    chars.next();
                } else if c == '"' {
                    in_quote = false;
                }
            } else if c == '"' {
                in_quote = true;
            } else if c.is_whitespace() {
                break;
            }
            chars.next();
        }
        let end = chars.peek().map_or(text.len(), |&(i, _)| i);
        out.push(Token {
            start,
            end,
            raw: text.get(start..end).unwrap_or_default(),
            unclosed: in_quote,
        });
    }
    out
}

/// Removes quotes: `"DOMAIN\jen"` → `DOMAIN\jen`; inside quotes `\"` and `\\` are escapes and
/// any other backslash is kept (Windows account names are full of them).
fn unquote(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut in_quote = false;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => in_quote = !in_quote,
            '\\' if in_quote => match chars.peek() {
                Some(&next @ ('"' | '\\')) => {
                    out.push(next);
                    chars.next();
                }
                _ => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
    out
}

/// Writes a value, quoting it when it would otherwise read back differently.
pub(crate) fn push_value(out: &mut String, value: &str, free_word: bool) {
    let needs_quotes = value.is_empty()
        || value.contains(|c: char| c.is_whitespace() || c == '"')
        || value.starts_with(['=', '<', '>', ':'])
        || (free_word && (value.starts_with('-') || value.contains([':', '<', '>', '='])));
    if !needs_quotes {
        out.push_str(value);
        return;
    }
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

fn parse_term(raw: &str, unclosed: bool) -> Result<Term, QueryErrorKind> {
    if unclosed {
        return Err(QueryErrorKind::UnclosedQuote);
    }
    let (negated, body) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw),
    };
    if body.is_empty() || body.starts_with([':', '<', '>', '=']) {
        return Err(QueryErrorKind::BareOperator);
    }
    let name_end = |hyphen: bool| {
        body.find(|c: char| !(c.is_ascii_alphabetic() || hyphen && c == '-'))
            .unwrap_or(body.len())
    };
    // A hyphen belongs to a field name only in a field that has one (`vs-usual`): `srv-01:x`
    // stays the free word it always was.
    let mut end = name_end(true);
    if body
        .get(..end)
        .is_some_and(|n| n.contains('-') && !FIELD_NAMES.contains(&n.to_ascii_lowercase().as_str()))
    {
        end = name_end(false);
    }
    let (name, after) = body.split_at(end);
    let op_len = after
        .find(|c: char| !matches!(c, ':' | '<' | '>' | '='))
        .unwrap_or(after.len());
    if name.is_empty() || op_len == 0 {
        let word = unquote(body);
        if word.is_empty() {
            return Err(QueryErrorKind::EmptyValue {
                field: String::new(),
            });
        }
        return Ok(Term {
            negated,
            kind: TermKind::Word(word),
        });
    }
    let (op, value_raw) = after.split_at(op_len);
    let field = name.to_ascii_lowercase();
    let value = unquote(value_raw);
    let kind = field_term(&field, op, value)?;
    Ok(Term { negated, kind })
}

fn field_term(field: &str, op: &str, value: String) -> Result<TermKind, QueryErrorKind> {
    let known = FIELD_NAMES.contains(&field);
    if !known {
        return Err(QueryErrorKind::UnknownField {
            field: field.to_string(),
            suggestion: nearest_field(field),
        });
    }
    let cmp = match op {
        ":" | "=" | ":=" if comparable(field) => Cmp::Eq,
        ":" | ":=" => Cmp::Eq,
        "<" | ":<" => Cmp::Lt,
        "<=" | ":<=" => Cmp::Le,
        ">" | ":>" => Cmp::Gt,
        ">=" | ":>=" => Cmp::Ge,
        // Anything else (`:::`, `=<`) is an operator written wrong.
        _ => {
            return Err(QueryErrorKind::BadOperator {
                field: field.to_string(),
                op: op.to_string(),
            })
        }
    };
    let exact = op == ":=";
    if value.is_empty() {
        return Err(QueryErrorKind::EmptyValue {
            field: field.to_string(),
        });
    }
    if !comparable(field) && cmp != Cmp::Eq {
        return Err(QueryErrorKind::NotComparable {
            field: field.to_string(),
        });
    }
    let text = |field| {
        Ok(TermKind::Text {
            field,
            exact,
            value: value.clone(),
        })
    };
    match field {
        "user" => text(TextField::User),
        "host" => text(TextField::Host),
        "type" | "name" => text(TextField::Name),
        "id" => text(TextField::Id),
        "status" => {
            let lower = crate::format::lowercase(&value);
            Status::ALL
                .iter()
                .copied()
                .find(|s| s.id() == lower)
                .map(TermKind::Status)
                .ok_or_else(|| {
                    let ids: Vec<&'static str> = Status::ALL.iter().map(|s| s.id()).collect();
                    QueryErrorKind::BadStatus {
                        suggestion: nearest(&lower, &ids),
                        value: value.clone(),
                    }
                })
        }
        "is" if value.eq_ignore_ascii_case("open") => Ok(TermKind::Open),
        "is" if value.eq_ignore_ascii_case("slow") => Ok(TermKind::Slow),
        "is" => Err(QueryErrorKind::BadIs { value }),
        "job" => Ok(TermKind::Job { exact, value }),
        "vs-usual" => value
            .strip_suffix('%')
            .unwrap_or(&value)
            .parse()
            .map(|pct| TermKind::VsUsual(cmp, pct))
            .map_err(|_| QueryErrorKind::BadNumber {
                field: field.to_string(),
                value: value.clone(),
            }),
        "streak" => value
            .parse()
            .map(|n| TermKind::Streak(cmp, n))
            .map_err(|_| QueryErrorKind::BadNumber {
                field: field.to_string(),
                value: value.clone(),
            }),
        "duration" => parse_duration(&value)
            .map(|d| TermKind::Duration(cmp, d))
            .map_err(|reason| QueryErrorKind::BadDuration {
                value: value.clone(),
                reason,
            }),
        _ => {
            let field = if field == "start" {
                TimeField::Start
            } else {
                TimeField::End
            };
            match parse_timestamp(&value) {
                Ok(Some(t)) => Ok(TermKind::Time {
                    field,
                    cmp,
                    at_us: t.unix_micros(),
                }),
                Ok(None) => Err(QueryErrorKind::BadTimestamp {
                    value,
                    reason: "0001-01-01 means “not set”",
                }),
                Err(e) => Err(QueryErrorKind::BadTimestamp {
                    value,
                    reason: e.reason,
                }),
            }
        }
    }
}

/// The candidate closest to `word` by edit distance, if within a typo's reach (or a prefix).
fn nearest(word: &str, candidates: &[&'static str]) -> Option<&'static str> {
    if word.is_empty() {
        return None;
    }
    let mut best: Option<(usize, &'static str)> = None;
    for &c in candidates {
        let d = if c.starts_with(word) {
            0
        } else {
            edit_distance(word, c)
        };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let limit = if word.chars().count() <= 3 { 1 } else { 2 };
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            // Checked reads: a panic here would take the page down over a typo.
            let replace = prev
                .get(j)
                .map_or(usize::MAX, |p| p + usize::from(ca != *cb));
            let delete = prev.get(j + 1).map_or(usize::MAX, |p| p + 1);
            let insert = cur.last().map_or(usize::MAX, |c| c + 1);
            cur.push(replace.min(delete).min(insert));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Query {
        match parse(text) {
            Ok(q) => q,
            Err(e) => panic!("{text}: {e}"),
        }
    }

    fn one(text: &str) -> Term {
        let q = ok(text);
        assert_eq!(q.terms.len(), 1, "{text}");
        q.terms.into_iter().next().unwrap_or_else(|| unreachable!())
    }

    fn err(text: &str) -> QueryError {
        match parse(text) {
            Err(e) => e,
            Ok(q) => panic!("{text} should fail, got {q:?}"),
        }
    }

    fn text(field: TextField, exact: bool, value: &str) -> TermKind {
        TermKind::Text {
            field,
            exact,
            value: value.into(),
        }
    }

    const H: i64 = 3_600_000_000;

    #[test]
    fn every_term_type() {
        assert_eq!(one("Jen").kind, TermKind::Word("Jen".into()));
        assert_eq!(one("user:jen").kind, text(TextField::User, false, "jen"));
        assert_eq!(one("USER:jen").kind, text(TextField::User, false, "jen"));
        assert_eq!(one("user:=jen").kind, text(TextField::User, true, "jen"));
        assert_eq!(one("host:srv1").kind, text(TextField::Host, false, "srv1"));
        assert_eq!(
            one("type:backup").kind,
            text(TextField::Name, false, "backup")
        );
        assert_eq!(
            one("name:backup").kind,
            text(TextField::Name, false, "backup")
        );
        assert_eq!(one("id:42").kind, text(TextField::Id, false, "42"));
        assert_eq!(one("status:failed").kind, TermKind::Status(Status::Failed));
        assert_eq!(one("status:Failed").kind, TermKind::Status(Status::Failed));
        assert_eq!(one("is:open").kind, TermKind::Open);
        assert_eq!(
            one("duration>1h").kind,
            TermKind::Duration(Cmp::Gt, Duration::from_micros(H))
        );
        assert_eq!(
            one("duration:>=1h").kind,
            TermKind::Duration(Cmp::Ge, Duration::from_micros(H))
        );
        assert_eq!(
            one("duration<=90s").kind,
            TermKind::Duration(Cmp::Le, Duration::from_millis(90_000))
        );
        assert_eq!(
            one("duration:250ms").kind,
            TermKind::Duration(Cmp::Eq, Duration::from_millis(250))
        );
        let april = 1_617_235_200_000_000; // 2021-04-01T00:00:00Z
        assert_eq!(
            one("start>=2021-04-01").kind,
            TermKind::Time {
                field: TimeField::Start,
                cmp: Cmp::Ge,
                at_us: april
            }
        );
        assert_eq!(
            one("end<2021-04-01T02:00:00+02:00").kind,
            TermKind::Time {
                field: TimeField::End,
                cmp: Cmp::Lt,
                at_us: april
            }
        );
        assert_eq!(
            one(r#"start>"2021-04-01 01:00""#).kind,
            TermKind::Time {
                field: TimeField::Start,
                cmp: Cmp::Gt,
                at_us: april + H
            }
        );
    }

    #[test]
    fn the_issue_example() {
        let q = ok("user:jen status:failed duration>1h start>=2021-04-01");
        assert_eq!(q.terms.len(), 4);
        assert_eq!(
            q.to_text(),
            "user:jen status:failed duration>1h start>=2021-04-01"
        );
    }

    #[test]
    fn durations() {
        for (text, us) in [
            ("1h30m", 90 * 60_000_000),
            ("90s", 90_000_000),
            ("5min", 300_000_000),
            ("2d", 2 * 24 * H),
            ("1m30s250ms", 90_250_000),
            ("0s", 0),
        ] {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::from_micros(us)),
                "{text}"
            );
        }
        for (text, reason) in [
            ("", "needs a number"),
            ("1", "needs a unit"),
            ("h", "expected a number"),
            ("1x", "unknown unit"),
            ("1h-", "expected a number"),
            ("99999999999999999999s", "too large"),
            ("9999999999999d", "too large"),
        ] {
            match parse_duration(text) {
                Err(e) => assert!(e.contains(reason), "{text}: {e}"),
                Ok(d) => panic!("{text}: {d:?}"),
            }
        }
        assert_eq!(
            duration_text(Duration::from_micros(90 * 60_000_000)),
            "1h30m"
        );
        assert_eq!(duration_text(Duration::ZERO), "0s");
        assert_eq!(
            duration_text(Duration::from_micros(86_400_001_500)),
            "1d1ms"
        );
    }

    #[test]
    fn negation_and_quoting() {
        let t = one("-status:success");
        assert!(t.negated);
        assert_eq!(t.kind, TermKind::Status(Status::Success));
        assert_eq!(
            one(r#"user:"DOMAIN\jen""#).kind,
            text(TextField::User, false, r"DOMAIN\jen")
        );
        assert_eq!(
            one(r"user:DOMAIN\jen").kind,
            text(TextField::User, false, r"DOMAIN\jen")
        );
        assert_eq!(
            one(r#"name:"nightly backup \"full\"""#).kind,
            text(TextField::Name, false, r#"nightly backup "full""#)
        );
        assert_eq!(
            one(r#""two words""#).kind,
            TermKind::Word("two words".into())
        );
        let t = one(r#"-"user:jen""#);
        assert!(t.negated);
        assert_eq!(t.kind, TermKind::Word("user:jen".into()));
        // A time of day alone is a free word, not a field.
        assert_eq!(one("12:30").kind, TermKind::Word("12:30".into()));
    }

    #[test]
    fn bad_terms_say_what_and_where() {
        let e = err("status:failed usr:jen");
        assert_eq!(e.span, 14..21);
        assert_eq!(
            e.kind,
            QueryErrorKind::UnknownField {
                field: "usr".into(),
                suggestion: Some("user")
            }
        );
        assert!(e.to_string().contains("did you mean “user”"), "{e}");
        assert!(matches!(
            err("colour:red").kind,
            QueryErrorKind::UnknownField {
                suggestion: None,
                ..
            }
        ));
        assert!(matches!(
            err("durration>1h").kind,
            QueryErrorKind::UnknownField {
                suggestion: Some("duration"),
                ..
            }
        ));
        assert!(matches!(
            err("duration>1x").kind,
            QueryErrorKind::BadDuration { .. }
        ));
        assert!(matches!(
            err("duration>1").kind,
            QueryErrorKind::BadDuration { .. }
        ));
        let e = err("start>2021-13-01");
        assert!(matches!(e.kind, QueryErrorKind::BadTimestamp { .. }), "{e}");
        assert!(e.to_string().contains("month"), "{e}");
        assert!(matches!(
            err("start>0001-01-01").kind,
            QueryErrorKind::BadTimestamp { .. }
        ));
        let e = err(r#"a user:"jen"#);
        assert_eq!(
            (e.span.clone(), e.kind),
            (2..11, QueryErrorKind::UnclosedQuote)
        );
        assert_eq!(
            err("user:").kind,
            QueryErrorKind::EmptyValue {
                field: "user".into()
            }
        );
        assert_eq!(
            err(r#"user:"""#).kind,
            QueryErrorKind::EmptyValue {
                field: "user".into()
            }
        );
        assert!(matches!(
            err(r#""""#).kind,
            QueryErrorKind::EmptyValue { .. }
        ));
        assert!(matches!(
            err("duration>").kind,
            QueryErrorKind::EmptyValue { .. }
        ));
        assert_eq!(err(">1h").kind, QueryErrorKind::BareOperator);
        assert_eq!(err("-").kind, QueryErrorKind::BareOperator);
        assert_eq!(err(":x").kind, QueryErrorKind::BareOperator);
        assert!(matches!(
            err("duration=>1h").kind,
            QueryErrorKind::BadOperator { .. }
        ));
        assert!(matches!(
            err("user=jen").kind,
            QueryErrorKind::BadOperator { .. }
        ));
        assert!(matches!(
            err("user>jen").kind,
            QueryErrorKind::NotComparable { .. }
        ));
        assert_eq!(
            err("status:faild").kind,
            QueryErrorKind::BadStatus {
                value: "faild".into(),
                suggestion: Some("failed")
            }
        );
        assert!(matches!(
            err("is:closed").kind,
            QueryErrorKind::BadIs { .. }
        ));
    }

    #[test]
    fn lenient_parse_keeps_the_good_terms() {
        let (q, errors) = parse_lenient("jen duration>1 status:failed usr:x");
        assert_eq!(q.to_text(), "jen status:failed");
        let spans: Vec<_> = errors.iter().map(|e| e.span.clone()).collect();
        assert_eq!(spans, vec![4..14, 29..34]);
        let (q, errors) = parse_lenient("  ");
        assert!(q.is_empty() && errors.is_empty());
    }

    #[test]
    fn to_text_round_trips() {
        for text in [
            "user:jen status:failed duration>1h start>=2021-04-01",
            r#"user:"DOMAIN\jen" -status:success"#,
            r#"user:="a b" "-minus" "has:colon" "x=y" -is:open"#,
            r#"name:"say \"hi\"" "back\\slash q""#,
            "end<2021-04-01T10:00:00.5Z duration:=90s duration<1d2h3m4s5ms",
            "start>2021-04-01T12:30:00+02:00 type:x name:y id:7",
            r#"user:"=eq" host:"<lt""#,
            // Found by the property test: `id::` would read as a bad operator.
            r#"id:":" user:=":x""#,
        ] {
            let q = ok(text);
            let canonical = q.to_text();
            assert_eq!(parse(&canonical), Ok(q.clone()), "{text} → {canonical}");
            assert_eq!(ok(&canonical).to_text(), canonical, "stable: {text}");
        }
        assert_eq!(
            ok("Name:x  duration:>=90s start>2021-04-01T12:30:00+02:00").to_text(),
            "type:x duration>=1m30s start>2021-04-01T10:30:00Z"
        );
        // Terms built by hand (as facets do) round-trip too, whatever their text.
        for value in ["", " ", "\"", "\\", "-x", "a:b", "=", "é ü"] {
            let q = Query {
                terms: vec![
                    Term::new(text(TextField::User, true, value)),
                    Term::new(TermKind::Word(format!("w{value}"))),
                ],
            };
            if value.is_empty() {
                continue; // An empty value cannot be written; parse says so.
            }
            assert_eq!(parse(&q.to_text()), Ok(q.clone()), "{value:?}");
        }
    }

    #[test]
    fn the_jobs_terms() {
        assert_eq!(
            one("job:nightly").kind,
            TermKind::Job {
                exact: false,
                value: "nightly".into()
            }
        );
        assert_eq!(
            one(r#"job:="Backup Job 1""#).kind,
            TermKind::Job {
                exact: true,
                value: "Backup Job 1".into()
            }
        );
        assert_eq!(one("vs-usual>50%").kind, TermKind::VsUsual(Cmp::Gt, 50));
        assert_eq!(one("VS-Usual>=+50").kind, TermKind::VsUsual(Cmp::Ge, 50));
        assert_eq!(one("vs-usual<-20%").kind, TermKind::VsUsual(Cmp::Lt, -20));
        assert_eq!(one("vs-usual:0%").kind, TermKind::VsUsual(Cmp::Eq, 0));
        assert_eq!(one("streak>=3").kind, TermKind::Streak(Cmp::Ge, 3));
        let t = one("-is:slow");
        assert!(t.negated);
        assert_eq!(t.kind, TermKind::Slow);
        let q = ok("job:x vs-usual>+50% -streak:2 is:slow job:=\"a b\" vs-usual<=-20");
        assert!(q.uses_jobs());
        assert!(!ok("user:jen is:open").uses_jobs());
        let canonical = q.to_text();
        assert_eq!(
            canonical,
            r#"job:x vs-usual>50% -streak:2 is:slow job:="a b" vs-usual<=-20%"#
        );
        assert_eq!(parse(&canonical), Ok(q));
        // Words with a hyphen before an operator stay free words; a bad number is named.
        assert_eq!(one("srv-01:x").kind, TermKind::Word("srv-01:x".into()));
        assert_eq!(one("a-b:c").kind, TermKind::Word("a-b:c".into()));
        assert!(matches!(
            err("vs-usual>lots").kind,
            QueryErrorKind::BadNumber { .. }
        ));
        assert!(matches!(
            err("streak>-1").kind,
            QueryErrorKind::BadNumber { .. }
        ));
        assert!(err("streak>x").to_string().contains("streak>=3"));
        assert!(matches!(
            err("job>x").kind,
            QueryErrorKind::NotComparable { .. }
        ));
        assert!(err("is:fast").to_string().contains("is:slow"));
        // They complete like their neighbours.
        assert_eq!(complete("vs", 2), vec!["vs-usual"]);
        assert_eq!(complete("-str", 4), vec!["-streak"]);
        assert_eq!(complete("jo", 2), vec!["job:"]);
        assert_eq!(complete("is:", 3), vec!["is:open", "is:slow"]);
        assert_eq!(complete("is:s", 4), vec!["is:slow"]);
        assert_eq!(
            apply_completion("vs", 2, "vs-usual"),
            ("vs-usual".to_string(), 8)
        );
    }

    #[test]
    fn completion() {
        assert_eq!(complete("st", 2), vec!["status:", "start", "streak"]);
        assert_eq!(
            complete("jen -st", 7),
            vec!["-status:", "-start", "-streak"]
        );
        assert_eq!(complete("du", 2), vec!["duration"]);
        assert_eq!(complete("status:fa", 9), vec!["status:failed"]);
        assert_eq!(complete("u x", 1), vec!["user:"]);
        assert!(complete("", 0).is_empty());
        assert!(complete("jen ", 4).is_empty());
        assert!(complete("zzz", 3).is_empty());
        assert!(complete("status:failed", 13).is_empty());
        // Cursor past the end or inside a character is clamped, never a panic.
        assert_eq!(complete("us", 99), vec!["user:"]);
        assert!(complete("é", 1).is_empty());
    }
}

/// Generated queries and hostile text: parsing never panics, and what it accepts round-trips.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use proptest::prelude::*;

    /// Text with the characters the language gives meaning to, and some that need care.
    fn value() -> impl Strategy<Value = String> {
        proptest::string::string_regex(r#"[a-zA-Zé0-9 :<>="\\\-\u{3000}]{1,12}"#)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn kind() -> impl Strategy<Value = TermKind> {
        let text_field = prop_oneof![
            Just(TextField::Id),
            Just(TextField::User),
            Just(TextField::Host),
            Just(TextField::Name)
        ];
        let cmp = prop_oneof![
            Just(Cmp::Lt),
            Just(Cmp::Le),
            Just(Cmp::Gt),
            Just(Cmp::Ge),
            Just(Cmp::Eq)
        ];
        let time_field = prop_oneof![Just(TimeField::Start), Just(TimeField::End)];
        prop_oneof![
            value().prop_map(TermKind::Word),
            (text_field, any::<bool>(), value()).prop_map(|(field, exact, value)| {
                TermKind::Text {
                    field,
                    exact,
                    value,
                }
            }),
            proptest::sample::select(Status::ALL.to_vec()).prop_map(TermKind::Status),
            (cmp.clone(), 0i64..1_000_000_000_000_000)
                .prop_map(|(c, ms)| TermKind::Duration(c, Duration::from_millis(ms))),
            // From year 5 to year 9999 (0001-01-01 is .NET's "not set").
            (
                time_field,
                cmp,
                -62_000_000_000_000_000i64..253_000_000_000_000_000
            )
                .prop_map(|(field, cmp, at_us)| TermKind::Time { field, cmp, at_us }),
            Just(TermKind::Open),
            Just(TermKind::Slow),
            (any::<bool>(), value()).prop_map(|(exact, value)| TermKind::Job { exact, value }),
            (cmp2(), any::<i64>()).prop_map(|(c, p)| TermKind::VsUsual(c, p)),
            (cmp2(), any::<u32>()).prop_map(|(c, n)| TermKind::Streak(c, n)),
        ]
    }

    fn cmp2() -> impl Strategy<Value = Cmp> {
        proptest::sample::select(vec![Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge, Cmp::Eq])
    }

    proptest! {
        #[test]
        fn to_text_round_trips(terms in proptest::collection::vec((any::<bool>(), kind()), 0..6)) {
            let q = Query {
                terms: terms
                    .into_iter()
                    .map(|(negated, kind)| Term { negated, kind })
                    .collect(),
            };
            let text = q.to_text();
            prop_assert_eq!(parse(&text), Ok(q), "{}", text);
        }

        #[test]
        fn any_text_parses_or_errors_inside_itself(text in r#"[a-z:<>=" \\\-é0-9]{0,40}"#) {
            let (_, errors) = parse_lenient(&text);
            for e in errors {
                prop_assert!(e.span.start < e.span.end && e.span.end <= text.len());
                prop_assert!(text.get(e.span.clone()).is_some(), "span on char boundaries");
                prop_assert!(!e.to_string().is_empty());
            }
            for cursor in 0..=text.len() + 1 {
                let _ = complete(&text, cursor);
            }
        }
    }

    #[test]
    fn a_completion_replaces_the_word_under_the_cursor() {
        assert_eq!(
            apply_completion("st", 2, "status:"),
            ("status:".to_string(), 7)
        );
        assert_eq!(
            apply_completion("user:jen status:fa", 18, "status:failed"),
            ("user:jen status:failed ".to_string(), 23)
        );
        assert_eq!(
            apply_completion("-st user:jen", 3, "-start"),
            ("-start user:jen".to_string(), 6)
        );
        assert_eq!(
            apply_completion("is:o x", 4, "is:open"),
            ("is:open x".to_string(), 7)
        );
        // A cursor past the end or inside a character is brought back.
        assert_eq!(apply_completion("dü", 99, "duration").1, 8);
        assert_eq!(
            apply_completion("dü", 2, "duration"),
            ("durationü".to_string(), 8)
        );
    }
}
