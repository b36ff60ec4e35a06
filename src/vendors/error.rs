//! What can go wrong turning a payload's bytes into the model, in words a user can act on.

use std::fmt;

/// Why a payload could not be read at all. Problems with single items are not errors: they
/// become [`crate::model::Skipped`] entries beside the items that could be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Occurs when the bytes are not UTF-8 text (an image, a zip, a UTF-16 export).
    NotText { valid_up_to: usize },
    /// Occurs when the text is not well-formed (cut off, a stray character).
    Malformed {
        format: &'static str,
        line: usize,
        column: usize,
        message: String,
    },
    /// Occurs when the document is well-formed but is none of the payload shapes the viewer
    /// reads; `found` says what it is instead.
    Unrecognised { expected: String, found: String },
    /// Occurs when the payload is recognised but this version of the viewer cannot show it yet.
    Unsupported { what: String },
    /// Occurs when the document is a vendor's error response rather than data.
    ErrorResponse {
        product: &'static str,
        message: String,
    },
}

/// Why one item of a payload could not be read. Not an error of the payload: the item becomes a
/// [`crate::model::Skipped`] with these words, and the rest is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemError {
    /// Occurs when the item is not of the vendor's item shape (serde's words, without position).
    Shape(String),
    /// Occurs when a field the model needs is absent or empty.
    Missing(&'static str),
    /// Occurs when a field's value cannot be read (a timestamp that is not one).
    Field { field: &'static str, why: String },
    /// Occurs when an item has none of the fields that would make it one.
    Empty { index: usize, fields: &'static str },
}

impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemError::Shape(why) => f.write_str(why),
            ItemError::Missing(field) => write!(f, "no {field}"),
            ItemError::Field { field, why } => write!(f, "{field}: {why}"),
            ItemError::Empty { index, fields } => write!(f, "item {index} has none of {fields}"),
        }
    }
}

/// An error body a vendor sent, in whatever format it uses, read into one shape: what the user is
/// shown is `title` (and `detail`), with the vendor's code beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VendorError {
    /// The HTTP status the body states (problem+json, EM), where it states one.
    pub status: Option<u16>,
    /// The vendor's machine-readable code (`ExpiredToken`, an OData code).
    pub code: Option<String>,
    /// The vendor's own sentence.
    pub title: String,
    pub detail: Option<String>,
}

impl fmt::Display for VendorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)?;
        if let Some(detail) = &self.detail {
            write!(f, " {detail}")?;
        }
        if let Some(code) = self
            .code
            .as_deref()
            .filter(|c| !c.is_empty() && *c != self.title)
        {
            write!(f, " ({code})")?;
        }
        Ok(())
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::NotText { valid_up_to } => write!(
                f,
                "This is not a text file: the bytes after position {valid_up_to} are not UTF-8."
            ),
            DecodeError::Malformed {
                format,
                line,
                column,
                message,
            } => write!(
                f,
                "This {format} is broken at line {line}, column {column}: {message}."
            ),
            DecodeError::Unrecognised { expected, found } => {
                write!(f, "This is {found}, which is not a payload the viewer knows. Expected {expected}.")
            }
            DecodeError::Unsupported { what } => write!(f, "{what} cannot be shown."),
            DecodeError::ErrorResponse { product, message } => {
                write!(f, "This is an error response from {product}: {message}")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

impl DecodeError {
    /// Classifies a serde_json failure on a whole document: syntax and cut-off text are
    /// `Malformed`; a well-formed document of the wrong shape is `Unrecognised`.
    pub fn from_json(err: &serde_json::Error, expected: &str) -> DecodeError {
        use serde_json::error::Category;
        match err.classify() {
            Category::Syntax | Category::Eof | Category::Io => DecodeError::Malformed {
                format: "JSON",
                line: err.line(),
                column: err.column(),
                message: strip_position(&err.to_string()),
            },
            Category::Data => DecodeError::Unrecognised {
                expected: expected.to_string(),
                found: format!(
                    "JSON that does not fit ({})",
                    strip_position(&err.to_string())
                ),
            },
        }
    }
}

/// serde_json appends " at line L column C"; the position is reported separately (or, inside
/// one item, means little: the item's index is reported instead).
pub(crate) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_string(),
        None => message.to_string(),
    }
}
