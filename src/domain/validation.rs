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

/// Code of the error for text carrying a NUL character.
pub const INVALID_CHARACTER: &str = "invalid_character";

/// Why a text is refused, when it carries a NUL character: no person types one and PostgreSQL
/// cannot store it.
pub fn nul_character(field: &str, text: &str) -> Option<String> {
    text.contains('\0').then(|| format!("`{field}` contains a NUL character (\\u0000)"))
}

/// A required free text (a name, a title): trimmed, 1 to `max` characters, without NUL.
pub fn required_text(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let text = raw.trim();
    if let Some(detail) = nul_character(field, text) {
        return Err(FieldError::request(field, INVALID_CHARACTER, detail));
    }
    if text.is_empty() || text.chars().count() > max {
        return Err(FieldError::request(
            field,
            "invalid_length",
            format!("a {field} of 1 to {max} characters is required"),
        ));
    }
    Ok(text.to_string())
}

/// A reporter's name (a statistics office, a ministry): 1 to 200 characters.
pub fn reporter_name(raw: &str) -> Result<String, FieldError> {
    required_text("name", raw, 200)
}

/// Whether a text is an http(s) URL without whitespace or control characters.
pub fn is_http_url(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_texts_are_trimmed_bounded_and_free_of_nul() {
        assert_eq!(required_text("name", "  KNBS ", 10).unwrap(), "KNBS");
        assert_eq!(required_text("name", " ", 10).unwrap_err().code, "invalid_length");
        assert_eq!(required_text("name", &"x".repeat(11), 10).unwrap_err().code, "invalid_length");
        assert_eq!(required_text("name", "KN\0BS", 10).unwrap_err().code, "invalid_character");
    }

    #[test]
    fn urls_carry_no_whitespace_or_control_characters() {
        assert!(is_http_url("https://example.org/plan.pdf"));
        assert!(!is_http_url("ftp://example.org/"));
        for bad in ["https://a.org/ x", "https://a.org/\u{0}", "https://a.org/\u{1}", "https://a.org/\u{7f}"] {
            assert!(!is_http_url(bad), "{bad:?}");
        }
    }
}
