//! Veeam Backup for Microsoft 365 payloads exactly as sent (camelCase JSON, `_links` objects).
//! Every field is optional here; `convert.rs` decides what is required.
//!
//! Fields that only add to a session's details are held raw and read in `convert.rs`
//! (`raw_text`, `raw_int`): a value of the wrong type there is dropped, so that it cannot cost
//! the session its place in the list.

use serde::Deserialize;
use serde_json::value::RawValue;

/// The paged envelope live servers send: `{offset, limit, results: […], _links}`. (The v3 page
/// shows a bare array instead, as do v6's and v7's `GET /Jobs`; both are read.)
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

/// A `RESTLogItem`. v3, v6 and v7 carry the status as `title`'s bracketed prefix; v8 has no
/// `title` but `type` and `message`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogItem {
    pub id: Option<String>,
    /// Update sequence number: the order of the items (not contiguous).
    pub usn: Option<u64>,
    /// v3–v7: the status exists only as this title's bracketed prefix: `[Success] …`.
    pub title: Option<String>,
    /// v8: `Running`, `Warning`, `Error`, `Success` or `Stop`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// v8: the text v3–v7 put after the title's prefix.
    pub message: Option<String>,
    pub creation_time: Option<String>,
    pub end_time: Option<String>,
    #[serde(rename = "_links")]
    pub links: Option<LogItemLinks>,
}

#[derive(Deserialize)]
pub struct LogItemLinks {
    pub jobsessions: Option<Href>,
}

/// A `RESTJobSession`. v6 adds `retryCount`, `progress` and `statistics` to the old shape; v7
/// `jobType` and `mainSessionId` (retries only); v8 `jobId`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobSession {
    pub id: Option<String>,
    pub creation_time: Option<String>,
    /// `0001-01-01T00:00:00` (.NET's "not set") while the session runs.
    pub end_time: Option<String>,
    pub status: Option<String>,
    /// Error or warning text of the run (v6–v8 documents); old readers took it for a name.
    pub details: Option<String>,
    pub job_id: Option<Box<RawValue>>,
    pub job_type: Option<Box<RawValue>>,
    /// "Number of processed objects during the job session" (v7/v8 documents): a count, not a
    /// percentage.
    pub progress: Option<Box<RawValue>>,
    pub retry_count: Option<Box<RawValue>>,
    /// The failed or warning run this retry repeats.
    pub main_session_id: Option<Box<RawValue>>,
    /// [`Statistics`], read in `convert.rs`.
    pub statistics: Option<Box<RawValue>>,
    #[serde(rename = "_links")]
    pub links: Option<JobSessionLinks>,
}

#[derive(Deserialize)]
pub struct JobSessionLinks {
    pub job: Option<Href>,
}

/// `RESTJobStatistics`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Statistics {
    pub processed_objects: Option<Box<RawValue>>,
    pub transferred_data_bytes: Option<Box<RawValue>>,
    /// The API spells the unit `PS` (per second).
    #[serde(rename = "processingRateBytesPS")]
    pub processing_rate_bytes_ps: Option<Box<RawValue>>,
    /// `NA`, `Detecting`, `Source` or `Target`.
    pub bottleneck: Option<Box<RawValue>>,
}

/// A `RESTJob` of `GET /vN/Jobs`: only what names a job.
#[derive(Deserialize)]
pub struct Job {
    pub id: Option<Box<RawValue>>,
    pub name: Option<Box<RawValue>>,
}
