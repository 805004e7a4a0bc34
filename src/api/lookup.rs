//! Codes of the catalogue as a request names them: an unknown code in a path is a resource
//! that does not exist (404), in a query a filter that cannot match (400). One wording for
//! every endpoint and page.

use crate::domain::catalogue::{Catalogue, Economy, Indicator, Target};
use crate::error::ApiError;

/// Where a request names a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// In the path: the resource itself.
    InPath,
    /// In the query: a filter.
    InQuery,
}

impl Named {
    fn unknown(self, code: &'static str, detail: String) -> ApiError {
        match self {
            Named::InPath => ApiError::not_found(code, detail),
            Named::InQuery => ApiError::bad_request(code, detail),
        }
    }
}

/// An economy by ISO 3166 alpha-3 code (case-insensitive).
pub fn economy<'a>(catalogue: &'a Catalogue, iso3: &str, named: Named) -> Result<&'a Economy, ApiError> {
    catalogue
        .economy(iso3)
        .ok_or_else(|| named.unknown("unknown_country", format!("no economy with ISO 3166 alpha-3 code `{iso3}`")))
}

/// A target by id.
pub fn target<'a>(catalogue: &'a Catalogue, id: &str, named: Named) -> Result<&'a Target, ApiError> {
    catalogue.target(id).ok_or_else(|| named.unknown("unknown_target", format!("no target `{id}`")))
}

/// An indicator by code.
pub fn indicator<'a>(catalogue: &'a Catalogue, code: &str, named: Named) -> Result<&'a Indicator, ApiError> {
    catalogue.indicator(code).ok_or_else(|| named.unknown("unknown_indicator", format!("no indicator `{code}`")))
}
