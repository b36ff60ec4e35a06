//! Veeam Backup for Microsoft 365 payloads exactly as sent (camelCase JSON, `_links` objects).
//! Every field is optional here; `convert.rs` decides what is required.

use serde::Deserialize;
use serde_json::value::RawValue;

/// The paged envelope live servers send: `{offset, limit, results: […], _links}`. (The v3 page
/// shows a bare array instead; both are read.)
#[derive(Deserialize)]
pub struct Page<'a> {
    pub offset: Option<u64>,
    pub limit: Option<u64>,
    #[serde(borrow)]
    pub results: Vec<&'a RawValue>,
}

/// `{"href": "…"}` inside `_links`.
#[derive(Deserialize)]
pub struct Href {
    pub href: Option<String>,
}

/// A `LogItem`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogItem {
    pub id: Option<String>,
    /// Update sequence number: the order of the items (not contiguous).
    pub usn: Option<u64>,
    /// The status exists only as this title's bracketed prefix: `[Success] …`.
    pub title: Option<String>,
    pub creation_time: Option<String>,
    pub end_time: Option<String>,
    #[serde(rename = "_links")]
    pub links: Option<LogItemLinks>,
}

#[derive(Deserialize)]
pub struct LogItemLinks {
    pub jobsessions: Option<Href>,
}

/// A `JobSession`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobSession {
    pub id: Option<String>,
    pub creation_time: Option<String>,
    pub end_time: Option<String>,
    pub status: Option<String>,
    pub details: Option<String>,
    #[serde(rename = "_links")]
    pub links: Option<JobSessionLinks>,
}

#[derive(Deserialize)]
pub struct JobSessionLinks {
    pub job: Option<Href>,
}

/// A job (`GET /vN/Jobs`): its id and name, for the job sessions that name it.
#[derive(Deserialize)]
pub struct Job {
    pub id: Option<String>,
    pub name: Option<String>,
}
