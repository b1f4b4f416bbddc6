//! Why an input was refused: a stable machine code, the field it concerns and a message for a
//! person. Codes are part of the API contract; change a message freely, never a code.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rejection {
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    pub message: String,
}

impl Rejection {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Rejection {
            code,
            field: None,
            message: message.into(),
        }
    }
    pub fn at(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field {
            Some(field) => write!(f, "{} ({field}): {}", self.code, self.message),
            None => write!(f, "{}: {}", self.code, self.message),
        }
    }
}

impl std::error::Error for Rejection {}

/// The codes, in one place so that the API documentation can list them.
pub mod codes {
    pub const INVALID_JSON: &str = "invalid_json";
    pub const INVALID_EVENT: &str = "invalid_event";
    pub const UNKNOWN_EVENT_KIND: &str = "unknown_event_kind";
    pub const MISSING_FIELD: &str = "missing_field";
    pub const INVALID_IIN: &str = "invalid_iin";
    pub const INVALID_TIME: &str = "invalid_time";
    pub const TIME_IN_FUTURE: &str = "time_in_future";
    pub const TIME_TOO_OLD: &str = "time_too_old";
    pub const INVALID_PLACE: &str = "invalid_place";
    pub const INVALID_REGION: &str = "invalid_region";
    pub const INVALID_DOCUMENT: &str = "invalid_document";
    pub const INVALID_PLATE: &str = "invalid_plate";
    pub const INVALID_TEMPLATE: &str = "invalid_template";
    pub const INCONSISTENT_PERSON: &str = "inconsistent_person";
    pub const LEGAL_BASIS_REQUIRED: &str = "legal_basis_required";
    pub const INVALID_LEGAL_BASIS: &str = "invalid_legal_basis";
    pub const EXPIRY_REQUIRED: &str = "expiry_required";
    pub const EXPIRY_IN_PAST: &str = "expiry_in_past";
    pub const NO_IDENTIFIER: &str = "no_identifier";
    pub const INVALID_WATCH_ENTRY: &str = "invalid_watch_entry";
    pub const REASON_REQUIRED: &str = "reason_required";
    /// A query parameter that is malformed or out of range.
    pub const INVALID_QUERY: &str = "invalid_query";
    /// A CSV file (or one of its rows) that cannot be read as the import format.
    pub const INVALID_CSV: &str = "invalid_csv";
}
