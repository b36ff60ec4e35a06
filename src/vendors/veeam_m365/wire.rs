//! Veeam Backup for Microsoft 365 payloads exactly as sent (camelCase JSON, `_links` objects).
//! Every field is optional here; `convert.rs` decides what is required.
//!
//! Fields that only add to a session's details are held raw and read in `convert.rs`
//! (`raw_text`, `raw_int`): a value of the wrong type there is dropped, so that it cannot cost
//! the session its place in the list.

use serde_json::value::RawValue;

use crate::vendors::{raw_int, raw_text, DecodeError, Fields, ItemError};

/// The paged envelope live servers send: `{offset, limit, results: […], _links}`. (The v3 page
/// shows a bare array instead, as do v6's and v7's `GET /Jobs`; both are read.)
pub struct Page<'a> {
    pub offset: Option<u64>,
    pub limit: Option<u64>,
    pub results: Vec<&'a RawValue>,
}

impl<'a> Page<'a> {
    pub fn read(text: &'a str, expected: &str) -> Result<Self, DecodeError> {
        let f = Fields::document(text, expected)?;
        Ok(Page {
            offset: f.field("offset", expected)?,
            limit: f.field("limit", expected)?,
            results: f.items("results", expected)?,
        })
    }
}

/// `_links.{rel}.href` (`{"_links": {"jobsessions": {"href": "…"}}}`); a link of the wrong
/// shape fails the item.
fn link(f: &Fields, rel: &str) -> Result<Option<String>, ItemError> {
    match f.object("_links")? {
        None => Ok(None),
        Some(links) => match links.object(rel)? {
            None => Ok(None),
            Some(link) => link.text("href"),
        },
    }
}

/// A `RESTLogItem`. v3, v6 and v7 carry the status as `title`'s bracketed prefix; v8 has no
/// `title` but `type` and `message`.
pub struct LogItem {
    pub id: Option<String>,
    /// Update sequence number: the order of the items (not contiguous).
    pub usn: Option<u64>,
    /// v3–v7: the status exists only as this title's bracketed prefix: `[Success] …`.
    pub title: Option<String>,
    /// v8: `Running`, `Warning`, `Error`, `Success` or `Stop`.
    pub kind: Option<String>,
    /// v8: the text v3–v7 put after the title's prefix.
    pub message: Option<String>,
    pub creation_time: Option<String>,
    pub end_time: Option<String>,
    /// `_links.jobsessions.href`.
    pub job_session_href: Option<String>,
}

impl LogItem {
    pub fn read(raw: &RawValue) -> Result<Self, ItemError> {
        let f = Fields::read(raw)?;
        Ok(LogItem {
            id: f.text("id")?,
            usn: f.uint("usn")?,
            title: f.text("title")?,
            kind: f.text("type")?,
            message: f.text("message")?,
            creation_time: f.text("creationTime")?,
            end_time: f.text("endTime")?,
            job_session_href: link(&f, "jobsessions")?,
        })
    }
}

/// A `RESTJobSession`. v6 adds `retryCount`, `progress` and `statistics` to the old shape; v7
/// `jobType` and `mainSessionId` (retries only); v8 `jobId`. Fields that only add to the details
/// are held raw.
pub struct JobSession<'a> {
    pub id: Option<String>,
    pub creation_time: Option<String>,
    /// `0001-01-01T00:00:00` (.NET's "not set") while the session runs.
    pub end_time: Option<String>,
    pub status: Option<String>,
    /// Error or warning text of the run (v6–v8 documents); old readers took it for a name.
    pub details: Option<String>,
    pub job_id: Option<&'a RawValue>,
    pub job_type: Option<&'a RawValue>,
    /// "Number of processed objects during the job session" (v7/v8 documents): a count, not a
    /// percentage.
    pub progress: Option<&'a RawValue>,
    pub retry_count: Option<&'a RawValue>,
    /// The failed or warning run this retry repeats.
    pub main_session_id: Option<&'a RawValue>,
    /// [`Statistics`].
    pub statistics: Option<Statistics>,
    /// `_links.job.href`.
    pub job_href: Option<String>,
}

impl<'a> JobSession<'a> {
    pub fn read(raw: &'a RawValue) -> Result<Self, ItemError> {
        let f = Fields::read(raw)?;
        Ok(JobSession {
            id: f.text("id")?,
            creation_time: f.text("creationTime")?,
            end_time: f.text("endTime")?,
            status: f.text("status")?,
            details: f.text("details")?,
            job_id: f.raw("jobId"),
            job_type: f.raw("jobType"),
            progress: f.raw("progress"),
            retry_count: f.raw("retryCount"),
            main_session_id: f.raw("mainSessionId"),
            // Of another shape, the statistics are dropped, not the session.
            statistics: f
                .raw("statistics")
                .and_then(|s| Fields::read(s).ok())
                .map(|s| Statistics {
                    processed_objects: raw_int(s.raw("processedObjects")),
                    transferred_data_bytes: raw_int(s.raw("transferredDataBytes")),
                    // The API spells the unit `PS` (per second).
                    processing_rate_bytes_ps: raw_int(s.raw("processingRateBytesPS")),
                    bottleneck: raw_text(s.raw("bottleneck")),
                }),
            job_href: link(&f, "job")?,
        })
    }
}

/// `RESTJobStatistics`, each figure dropped when of the wrong type.
pub struct Statistics {
    pub processed_objects: Option<i64>,
    pub transferred_data_bytes: Option<i64>,
    pub processing_rate_bytes_ps: Option<i64>,
    /// `NA`, `Detecting`, `Source` or `Target`.
    pub bottleneck: Option<String>,
}

/// A `RESTJob` of `GET /vN/Jobs`: only what names a job (`None` when of the wrong type).
pub struct Job {
    pub id: Option<String>,
    pub name: Option<String>,
}

impl Job {
    pub fn read(raw: &RawValue) -> Result<Self, ItemError> {
        let f = Fields::read(raw)?;
        Ok(Job {
            id: raw_text(f.raw("id")),
            name: raw_text(f.raw("name")),
        })
    }
}
