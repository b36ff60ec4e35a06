//! The session list's pure logic: the filter language, filtering, sorting, facets, the
//! running-sessions histogram and the list's state in the URL. No Leptos, no DOM, no serde.
//!
//! Everything works on indices (`u32`) into one `&[Session]`: a filter yields indices, sorting
//! reorders them, facets and the histogram count over them, so that a keystroke never copies
//! or allocates per session. Times are microseconds since the epoch, like the model's.
//!
//! A keystroke's path: [`query::parse_lenient`] → [`filter::filter_indices`] (with the
//! [`filter::SearchIndex`] built once per list) → [`sort::sort_indices`] →
//! [`facets::facets`] and [`histogram::running_over_time`].

pub mod action;
pub mod columns;
pub mod export;
pub mod facets;
pub mod filter;
pub mod histogram;
pub mod html;
pub mod keys;
pub mod query;
pub mod sort;
pub mod url;
pub mod usual;

pub use facets::{facets, FacetCounts, FacetField, FacetIndex, Facets, Selection};
pub use filter::{filter_among, filter_indices, narrows, SearchIndex};
pub use histogram::{extent, running_over_time, Bucket, Extent, Histogram};
pub use query::{
    apply_completion, complete, parse, parse_lenient, Cmp, Query, QueryError, QueryErrorKind, Term,
    TermKind, TextField, TimeField,
};
pub use sort::{sort_indices, Column, SortKey};
pub use url::{ListState, RangeSpec, UrlIssue};
pub use usual::Usual;
