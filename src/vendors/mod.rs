//! One folder per connection kind, each behind the one [`contract::Vendor`] table: its wire
//! types and their mapping into [`crate::model`], its requests, paging, error body, link shapes,
//! payload recognition, auth modes, version rule and sample. Nothing outside these folders knows
//! a vendor's field names or matches on a vendor; [`Kind::vendor`] is the one match.

pub mod contract;
pub mod ekran;
mod error;
pub mod mim_pam;
#[cfg(test)]
mod tests;
pub mod veeam_aws;
pub mod veeam_em;
pub mod veeam_m365;

pub use contract::Vendor;
pub use error::{DecodeError, ItemError, VendorError};

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::model::{
    parse_timestamp, Content, LogonSessions, SessionList, SessionLog, Skipped, Status, Timestamp,
};

/// Reads every raw item on its own with `adapt`; an item that fails becomes a [`Skipped`] with
/// its reason, and the rest are kept. This is how every adapter gives partial results.
pub(crate) fn adapt_items<T>(
    items: &[&RawValue],
    mut adapt: impl FnMut(usize, &RawValue) -> Result<T, ItemError>,
) -> (Vec<T>, Vec<Skipped>) {
    let mut kept = Vec::with_capacity(items.len());
    let mut skipped = Vec::new();
    for (index, raw) in items.iter().enumerate() {
        match adapt(index, raw) {
            Ok(item) => kept.push(item),
            Err(reason) => skipped.push(Skipped {
                index,
                reason: reason.to_string(),
            }),
        }
    }
    (kept, skipped)
}

/// The items of a document that is a JSON array of flat objects, the usual answer of a list
/// endpoint, read and checked as JSON in one pass ([`session_viewer_scan::json::flat_array`])
/// instead of serde's pass over the whole text and then one per item; items that `adapt`
/// refuses are skipped as in [`adapt_items`]. `None` when the document is anything else (an
/// escape, a nested value, what is not JSON): the caller then reads it as before, with serde.
pub(crate) fn flat_items<'a, T>(
    text: &'a str,
    mut adapt: impl FnMut(&'a str, &Fields<'a>) -> Result<T, ItemError>,
) -> Option<(Vec<T>, Vec<Skipped>)> {
    let mut kept = Vec::new();
    let mut skipped = Vec::new();
    let mut index = 0;
    let read = session_viewer_scan::json::flat_array(text, &mut |raw, buf| {
        if index == 0 {
            // As many as items of the first one's size fit in the text (not fewer than 64
            // bytes an item): one allocation where the items are alike, as the list's are.
            kept.reserve(text.len() / raw.len().max(64));
        }
        let fields = Fields(std::mem::take(buf));
        match adapt(raw, &fields) {
            Ok(item) => kept.push(item),
            Err(reason) => skipped.push(Skipped {
                index,
                reason: reason.to_string(),
            }),
        }
        *buf = fields.0;
        index += 1;
    });
    read.then_some((kept, skipped))
}

/// Deserialises one item into its wire type, with a message fit for a "could not be read" list.
pub(crate) fn wire_item<T: DeserializeOwned>(raw: &RawValue) -> Result<T, ItemError> {
    serde_json::from_str(raw.get())
        .map_err(|e| ItemError::Shape(error::strip_position(&e.to_string())))
}

/// A JSON object's fields, each held raw: how wire types read an item (`read` in each
/// `wire.rs`). One reader for every vendor's items instead of a serde derive per wire type (its
/// field matcher, visitor and per-field code cost the bundle a few KB each). A field that is
/// present with the wrong type fails the item, as a derive would; one that is absent or `null`
/// is `None`; of a name given twice, the last counts (as serde's map did).
///
/// Read in one pass with the keys borrowed from the text (a key is copied only when it holds an
/// escape) into a small list searched by name: an item has a handful of fields, so a scan beats
/// a map, and nothing is allocated per field. Plain strings and integers are taken from the raw
/// text as they are; serde reads a value only when it has escapes or the wrong type (for its
/// message).
pub(crate) struct Fields<'a>(Vec<session_viewer_scan::json::Field<'a>>);

/// A field name as written: borrowed from the text unless it holds an escape.
pub(crate) struct Key<'a>(std::borrow::Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> serde::Deserialize<'de> for Fields<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Fields<'de>;
            // serde's words for a map, so that messages read as they did.
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Fields<'de>, A::Error> {
                let mut out = Vec::with_capacity(8);
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    out.push((key.0, map.next_value::<&'de RawValue>()?.get()));
                }
                Ok(Fields(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'a> Fields<'a> {
    /// The fields of an object; anything else is not an item.
    pub(crate) fn read(raw: &'a RawValue) -> Result<Self, ItemError> {
        match flat(raw.get()) {
            Some(fields) => Ok(fields),
            None => Self::parse(raw.get()),
        }
    }

    /// A whole document's fields: what is not a JSON object fails as [`DecodeError::from_json`]
    /// says (envelopes are read this way instead of a serde derive each).
    pub(crate) fn document(text: &'a str, expected: &str) -> Result<Self, DecodeError> {
        serde_json::from_str(text).map_err(|e| DecodeError::from_json(&e, expected))
    }

    /// A document's list of items, held raw: missing, `null` or not an array fails the
    /// document, with serde's words.
    pub(crate) fn items(
        &self,
        name: &'static str,
        expected: &str,
    ) -> Result<Vec<&'a RawValue>, DecodeError> {
        match self.get(name) {
            Some(raw) => serde_json::from_str(raw),
            None => Err(<serde_json::Error as serde::de::Error>::missing_field(name)),
        }
        .map_err(|e| DecodeError::from_json(&e, expected))
    }

    /// A document's field of type `T` (`None` when absent or `null`); another type fails the
    /// document.
    pub(crate) fn field<T: DeserializeOwned>(
        &self,
        name: &str,
        expected: &str,
    ) -> Result<Option<T>, DecodeError> {
        self.raw(name)
            .map(|r| {
                serde_json::from_str(r.get()).map_err(|e| DecodeError::from_json(&e, expected))
            })
            .transpose()
    }

    /// The fields of an object written as JSON text.
    pub(crate) fn parse(text: &'a str) -> Result<Self, ItemError> {
        serde_json::from_str(text).map_err(shape)
    }

    /// The field as sent, `null` included (the last of a name given twice).
    fn get(&self, name: &str) -> Option<&'a str> {
        session_viewer_scan::json::last(&self.0, name)
    }

    /// A field's JSON text: `None` when it is absent or `null`.
    fn json(&self, name: &str) -> Option<&'a str> {
        self.get(name).filter(|r| *r != "null")
    }

    /// A field as sent: `None` when it is absent or `null`.
    pub(crate) fn raw(&self, name: &str) -> Option<&'a RawValue> {
        // The text is one JSON value already (read by serde or by `flat` from a raw value).
        self.json(name).and_then(|r| serde_json::from_str(r).ok())
    }

    /// A text field; another type fails the item.
    pub(crate) fn text(&self, name: &str) -> Result<Option<String>, ItemError> {
        Ok(self.str(name)?.map(std::borrow::Cow::into_owned))
    }

    /// A text field, borrowed from the text unless it holds an escape (for a value that is
    /// read, not kept: nothing is allocated); another type fails the item.
    pub(crate) fn str(&self, name: &str) -> Result<Option<std::borrow::Cow<'a, str>>, ItemError> {
        self.json(name)
            .map(|r| match session_viewer_scan::json::plain_string(r) {
                Some(s) => Ok(std::borrow::Cow::Borrowed(s)),
                None => serde_json::from_str::<String>(r)
                    .map(std::borrow::Cow::Owned)
                    .map_err(shape),
            })
            .transpose()
    }

    /// An integer field; another type (or a fraction) fails the item.
    pub(crate) fn int(&self, name: &str) -> Result<Option<i64>, ItemError> {
        self.json(name)
            .map(|r| match session_viewer_scan::json::int(r) {
                Some(n) => Ok(n),
                None => serde_json::from_str::<i64>(r).map_err(shape),
            })
            .transpose()
    }

    /// A non-negative integer field; another type fails the item.
    pub(crate) fn uint(&self, name: &str) -> Result<Option<u64>, ItemError> {
        self.json(name)
            .map(|r| serde_json::from_str::<u64>(r).map_err(shape))
            .transpose()
    }

    /// Every field, in name order (of a name given twice, the last). Picked name by name rather
    /// than sorted: an object has few fields, and a sort costs the bundle more than this.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &'a RawValue)> + '_ {
        let mut last: Option<&str> = None;
        std::iter::from_fn(move || {
            let next = self
                .0
                .iter()
                .map(|(k, _)| k.as_ref())
                .filter(|k| last.is_none_or(|l| *k > l))
                .min()?;
            last = Some(next);
            Some((next, serde_json::from_str(self.get(next)?).ok()?))
        })
    }

    /// An array field, its items held raw.
    pub(crate) fn list(&self, name: &str) -> Result<Option<Vec<&'a RawValue>>, ItemError> {
        self.json(name)
            .map(|r| serde_json::from_str::<Vec<&RawValue>>(r).map_err(shape))
            .transpose()
    }

    /// An object field, read as [`Fields`] in turn.
    pub(crate) fn object(&self, name: &str) -> Result<Option<Fields<'a>>, ItemError> {
        self.raw(name).map(Fields::read).transpose()
    }
}

/// The fields of a flat object read straight from its text (a raw value, which serde has
/// checked already); `None` where [`session_viewer_scan::json::flat_object`] declines it (an
/// escape, a nested value), and serde reads the item instead. An item of a 100 000-session list
/// is read at about a third of serde's cost this way.
fn flat(text: &str) -> Option<Fields<'_>> {
    let mut out = Vec::with_capacity(8);
    session_viewer_scan::json::flat_object(text, &mut out).then_some(Fields(out))
}

fn shape(e: serde_json::Error) -> ItemError {
    ItemError::Shape(error::strip_position(&e.to_string()))
}

/// A field held raw (`Option<Box<RawValue>>` in a wire type) read as text: `None` when it is
/// absent, `null` or not a string. One non-generic reader instead of a lenient deserialiser per
/// field type: each of those cost the bundle a few KB.
pub(crate) fn raw_text(raw: Option<&RawValue>) -> Option<String> {
    let raw = raw?;
    if !raw.get().starts_with('"') {
        return None;
    }
    serde_json::from_str::<String>(raw.get()).ok()
}

/// A field held raw read as a JSON integer: `None` when it is absent, `null`, a string, a
/// fraction, out of `i64`'s range or anything else.
pub(crate) fn raw_int(raw: Option<&RawValue>) -> Option<i64> {
    // JSON's integer grammar is a subset of what `i64::from_str` reads, except `+`, which JSON
    // has not (and a raw value is valid JSON): `12`, `-5`; never `"12"`, `1.5` or `1e3`.
    raw?.get().trim().parse().ok()
}

/// A field held raw read as a JSON boolean.
pub(crate) fn raw_bool(raw: Option<&RawValue>) -> Option<bool> {
    match raw?.get().trim() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The top-level field names of a JSON object, without building its values.
pub(crate) fn object_keys(text: &str, expected: &str) -> Result<contract::Keys, DecodeError> {
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
pub(crate) fn time_field(
    field: &'static str,
    value: Option<&str>,
) -> Result<Option<Timestamp>, ItemError> {
    match value {
        None => Ok(None),
        Some(text) => parse_timestamp(text).map_err(|e| ItemError::Field {
            field,
            why: e.to_string(),
        }),
    }
}

/// The connection kinds of SPEC §1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    VeeamAws,
    VeeamM365,
    Ekran,
    VeeamEm,
    MimPam,
}

impl Kind {
    /// Every kind, in the order the app lists them (the first one's sample is "Try a sample").
    pub const ALL: [Kind; 5] = [
        Kind::VeeamAws,
        Kind::VeeamM365,
        Kind::Ekran,
        Kind::VeeamEm,
        Kind::MimPam,
    ];

    /// The vendor's contract: the one place that maps a kind to what it means.
    pub fn vendor(self) -> &'static Vendor {
        match self {
            Kind::VeeamAws => &veeam_aws::VENDOR,
            Kind::VeeamM365 => &veeam_m365::VENDOR,
            Kind::Ekran => &ekran::VENDOR,
            Kind::VeeamEm => &veeam_em::VENDOR,
            Kind::MimPam => &mim_pam::VENDOR,
        }
    }

    /// The id used in `config.json` and URLs.
    pub fn id(self) -> &'static str {
        self.vendor().id
    }

    /// The kind with this `config.json` id.
    pub fn from_id(id: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// The product's name, as people know it.
    pub fn product(self) -> &'static str {
        self.vendor().product
    }
}

/// A payload read into the model, with the kind it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Payload {
    pub kind: Kind,
    pub content: Content,
}

impl Payload {
    pub fn log(kind: Kind, log: SessionLog) -> Payload {
        Payload {
            kind,
            content: Content::Log(Arc::new(log)),
        }
    }

    pub fn sessions(kind: Kind, list: SessionList) -> Payload {
        Payload {
            kind,
            content: Content::Sessions(Arc::new(list)),
        }
    }

    pub fn logons(kind: Kind, sessions: LogonSessions) -> Payload {
        Payload {
            kind,
            content: Content::Logons(Arc::new(sessions)),
        }
    }
}

/// Reads an OAuth-style token grant (`access_token`, `refresh_token`, `expires_in` in seconds)
/// received at `now_ms`: VBA's and M365's log-on and refresh answers.
pub(crate) fn token_grant(
    body: &str,
    now_ms: i64,
) -> Result<crate::connections::Credentials, contract::SignInError> {
    struct Grant {
        access_token: Option<String>,
        refresh_token: Option<String>,
        expires_in: Option<i64>,
    }
    // A field of the wrong type means no grant, as a whole.
    let grant = Fields::parse(body).ok().and_then(|f| {
        Some(Grant {
            access_token: f.text("access_token").ok()?,
            refresh_token: f.text("refresh_token").ok()?,
            expires_in: f.int("expires_in").ok()?,
        })
    });
    let access = grant
        .as_ref()
        .and_then(|g| g.access_token.clone())
        .filter(|t| !t.is_empty())
        .ok_or(contract::SignInError::NoAccessToken)?;
    Ok(crate::connections::Credentials::Grant {
        access,
        refresh: grant
            .as_ref()
            .and_then(|g| g.refresh_token.clone())
            .filter(|t| !t.is_empty()),
        expires_at_ms: grant
            .and_then(|g| g.expires_in)
            .map(|s| now_ms.saturating_add(s.saturating_mul(1000))),
    })
}

/// A pasted token sent as `Authorization: Bearer`.
pub(crate) fn bearer(token: &str) -> crate::connections::Credentials {
    crate::connections::Credentials::Bearer(token.trim().to_string())
}

/// A vendor without a log-off call.
pub(crate) fn no_log_off(
    _: &crate::connections::Connection,
    _: &crate::connections::Credentials,
) -> Option<crate::http::Call> {
    None
}

/// A vendor whose logon-session links lead nowhere the app can show.
pub(crate) const NO_LINKS: contract::Links = contract::Links {
    target: |_| None,
    path: |_, _| None,
};
