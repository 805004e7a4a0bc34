//! Field-level validation errors, shared by every input check.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One problem with one field of one row (batch validation) or one parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// Index of the row in the batch (0-based for JSON, the line number for CSV); absent for
    /// errors that concern the request as a whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// The field or parameter at fault.
    pub field: String,
    /// Stable machine code, e.g. `out_of_range`.
    pub code: String,
    /// Human explanation.
    pub detail: String,
}

impl FieldError {
    /// An error about one field of one row.
    pub fn row(index: usize, field: &str, code: &str, detail: impl Into<String>) -> Self {
        Self { index: Some(index), field: field.to_string(), code: code.to_string(), detail: detail.into() }
    }

    /// An error about the request as a whole (a header, a column, a parameter).
    pub fn request(field: &str, code: &str, detail: impl Into<String>) -> Self {
        Self { index: None, field: field.to_string(), code: code.to_string(), detail: detail.into() }
    }
}
