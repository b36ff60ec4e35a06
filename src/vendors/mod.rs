//! One adapter per connection kind: each owns its vendor's wire types and maps them into
//! [`crate::model`]. Nothing outside these folders knows a vendor's field names.

pub mod calls;
pub mod ekran;
mod error;
pub mod mim_pam;
pub mod veeam_aws;
pub mod veeam_em;
pub mod veeam_m365;

pub use error::{DecodeError, VendorError};

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::model::{parse_timestamp, Skipped, Status, Timestamp};

/// Reads every raw item on its own with `adapt`; an item that fails becomes a [`Skipped`] with
/// its reason, and the rest are kept. This is how every adapter gives partial results.
pub(crate) fn adapt_items<T>(
    items: &[&RawValue],
    mut adapt: impl FnMut(usize, &RawValue) -> Result<T, String>,
) -> (Vec<T>, Vec<Skipped>) {
    let mut kept = Vec::with_capacity(items.len());
    let mut skipped = Vec::new();
    for (index, raw) in items.iter().enumerate() {
        match adapt(index, raw) {
            Ok(item) => kept.push(item),
            Err(reason) => skipped.push(Skipped { index, reason }),
        }
    }
    (kept, skipped)
}

/// Deserialises one item into its wire type, with a message fit for a "could not be read" list.
pub(crate) fn wire_item<T: DeserializeOwned>(raw: &RawValue) -> Result<T, String> {
    serde_json::from_str(raw.get()).map_err(|e| error::strip_position(&e.to_string()))
}

/// The top-level field names of a JSON object, without building its values.
pub(crate) fn object_keys(
    text: &str,
    expected: &str,
) -> Result<std::collections::BTreeMap<String, serde::de::IgnoredAny>, DecodeError> {
    serde_json::from_str(text).map_err(|e| DecodeError::from_json(&e, expected))
}

/// Looks a vendor's status word up in its table, ignoring case and surrounding space; a word
/// the table does not know is `unknown`, never an error.
pub(crate) fn status_word(table: &[(&str, Status)], word: &str) -> Status {
    let word = word.trim();
    table
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(word))
        .map_or(Status::Unknown, |(_, s)| *s)
}

/// Parses an optional timestamp field, naming the field when it is not a timestamp.
pub(crate) fn time_field(field: &str, value: Option<&str>) -> Result<Option<Timestamp>, String> {
    match value {
        None => Ok(None),
        Some(text) => parse_timestamp(text).map_err(|e| format!("{field}: {e}")),
    }
}

/// The connection kinds of SPEC §1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    VeeamEm,
    VeeamAws,
    MimPam,
    VeeamM365,
    Ekran,
}

impl Kind {
    /// The id used in `config.json` and URLs.
    pub fn id(self) -> &'static str {
        match self {
            Kind::VeeamEm => "veeam-em",
            Kind::VeeamAws => "veeam-aws",
            Kind::MimPam => "mim-pam",
            Kind::VeeamM365 => "veeam-m365",
            Kind::Ekran => "ekran",
        }
    }

    /// The kind with this `config.json` id.
    pub fn from_id(id: &str) -> Option<Kind> {
        [
            Kind::VeeamEm,
            Kind::VeeamAws,
            Kind::MimPam,
            Kind::VeeamM365,
            Kind::Ekran,
        ]
        .into_iter()
        .find(|k| k.id() == id)
    }

    /// The product's name, as people know it.
    pub fn product(self) -> &'static str {
        match self {
            Kind::VeeamEm => "Veeam Backup Enterprise Manager",
            Kind::VeeamAws => "Veeam Backup for AWS",
            Kind::MimPam => "Microsoft Identity Manager PAM",
            Kind::VeeamM365 => "Veeam Backup for Microsoft 365",
            Kind::Ekran => "Ekran System",
        }
    }
}
