//! The one error type: every failure becomes an RFC 9457 `application/problem+json` answer
//! with a stable machine `code`.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::DbError;
pub use crate::domain::validation::FieldError;

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:connect2030:problem:unknown_country",
    "title": "Not Found",
    "status": 404,
    "detail": "no economy with ISO 3166 alpha-3 code `XXZ`",
    "code": "unknown_country"
}))]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:connect2030:problem:<code>`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary of the status.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// What went wrong in this case.
    pub detail: String,
    /// Stable machine code.
    pub code: String,
    /// Field-level errors, for batch and parameter validation: every one, up to the first
    /// 1,000 (by row).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// How many field-level errors there are in all, when `errors` holds only the first 1,000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors_total: Option<usize>,
    /// How many field-level errors there are of each code, when `errors` holds only the first
    /// 1,000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_counts: Option<std::collections::BTreeMap<String, usize>>,
}

/// The challenge every 401 carries: this API takes bearer keys (RFC 6750).
pub const WWW_AUTHENTICATE: &str = "Bearer realm=\"connect2030\"";

/// Most field-level errors one answer lists.
pub const MAX_ERRORS: usize = 1000;

/// The error every handler returns.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    detail: String,
    errors: Vec<FieldError>,
    retry_after: Option<u64>,
    source: Option<anyhow::Error>,
}

impl ApiError {
    /// An error with a status, a stable code and a human detail.
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self { status, code, detail: detail.into(), errors: Vec::new(), retry_after: None, source: None }
    }

    /// 400 for malformed syntax or a bad parameter.
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, detail)
    }

    /// 404 for an unknown resource.
    pub fn not_found(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, detail)
    }

    /// 422 with every field-level error.
    pub fn unprocessable(detail: impl Into<String>, errors: Vec<FieldError>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", detail).with_errors(errors)
    }

    /// 500: the cause is logged, never shown.
    pub fn internal(source: impl Into<anyhow::Error>) -> Self {
        let mut error = Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "an internal error occurred");
        error.source = Some(source.into());
        error
    }

    /// 503 when a dependency (the database) cannot answer now.
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", detail).with_retry_after(1)
    }

    /// Attaches field-level errors.
    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    /// Asks the client to retry after this many seconds.
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// The same error for another request that waited for the same work; the cause stays
    /// with the original (logged once).
    pub fn replicate(&self) -> Self {
        Self { errors: self.errors.clone(), detail: self.detail.clone(), source: None, ..*self }
    }

    /// Logs the cause of an internal error now (for an error that is shared, never answered).
    pub fn log(&self) {
        if let Some(source) = &self.source {
            tracing::error!(error = format!("{source:#}"), code = self.code, "request failed");
        }
    }

    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The problem document this error answers with.
    pub fn problem(&self) -> Problem {
        problem(self.status, self.code, &self.detail, self.errors.clone())
    }
}

/// Builds a problem document.
pub fn problem(status: StatusCode, code: &str, detail: &str, mut errors: Vec<FieldError>) -> Problem {
    let (errors_total, error_counts) = if errors.len() > MAX_ERRORS {
        let mut counts = std::collections::BTreeMap::new();
        for error in &errors {
            *counts.entry(error.code.clone()).or_default() += 1;
        }
        let total = errors.len();
        errors.truncate(MAX_ERRORS);
        (Some(total), Some(counts))
    } else {
        (None, None)
    };
    Problem {
        problem_type: format!("urn:connect2030:problem:{code}"),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail: detail.to_string(),
        code: code.to_string(),
        errors,
        errors_total,
        error_counts,
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)?;
        if let Some(source) = &self.source {
            write!(f, " ({source:#})")?;
        }
        Ok(())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        if let Some(source) = &self.source {
            tracing::error!(error = format!("{source:#}"), code = self.code, "request failed");
        }
        let mut response = HttpResponse::build(self.status);
        response.content_type(PROBLEM_JSON);
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            // RFC 9110 §11.6.1: a 401 names the scheme that would succeed.
            response.insert_header((header::WWW_AUTHENTICATE, WWW_AUTHENTICATE));
        }
        response.json(self.problem())
    }
}

impl From<DbError> for ApiError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "the database is not reachable");
                Self::unavailable("the database is not reachable now, retry shortly").with_retry_after(5)
            }
            DbError::Busy(detail) => Self::unavailable(detail),
            error @ (DbError::Inconsistent(_) | DbError::Query(_) | DbError::Task(_)) => Self::internal(error),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        Self::internal(anyhow::anyhow!("blocking task failed: {error}"))
    }
}

impl std::error::Error for ApiError {}

/// Middleware that turns every error answer not already problem+json (actix's own 404, 405,
/// 413, extractor errors) into one, so no plain-text or HTML error escapes.
pub fn problem_json_errors<B: actix_web::body::MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(ensure_problem_json)
}

use actix_web::dev::ServiceResponse;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};

fn ensure_problem_json<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem =
        res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let detail = match res.response().error() {
        Some(error) if status.is_client_error() && !error.to_string().is_empty() => Some(error.to_string()),
        _ => None,
    };
    let (req, _) = res.into_parts();
    let response = problem_for_status(status, detail).error_response();
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, response).map_into_right_body()))
}

/// The problem for a bare status (actix's own errors, middleware errors), with a detail when
/// one is safe to show (client errors only).
pub fn problem_for_status(status: StatusCode, detail: Option<String>) -> ApiError {
    let code = match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::NOT_ACCEPTABLE => "not_acceptable",
        StatusCode::REQUEST_TIMEOUT => "request_timeout",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::INTERNAL_SERVER_ERROR => "internal_error",
        _ if status.is_server_error() => "server_error",
        _ => "client_error",
    };
    let detail = match detail {
        Some(detail) if status.is_client_error() && !detail.is_empty() => detail,
        _ if status == StatusCode::NOT_FOUND => "no resource at this path".to_string(),
        _ if status == StatusCode::METHOD_NOT_ALLOWED => "this path does not accept this method".to_string(),
        _ => status.canonical_reason().unwrap_or("error").to_string(),
    };
    ApiError::new(status, code, detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_database_is_a_503_with_retry_after_and_a_failed_query_a_500() {
        let lost = ApiError::from(DbError::Unavailable("server closed the connection unexpectedly".into()));
        let response = lost.error_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "5");
        assert_eq!(response.headers().get(header::CONTENT_TYPE).unwrap(), PROBLEM_JSON);
        assert!(!lost.problem().detail.contains("server closed"), "the cause is logged, not shown");
        let busy = ApiError::from(DbError::Busy("the database is busy, retry shortly"));
        assert_eq!(busy.error_response().status(), StatusCode::SERVICE_UNAVAILABLE);
        let failed = ApiError::from(DbError::Query(diesel::result::Error::NotFound));
        assert_eq!(failed.error_response().status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(failed.code(), "internal_error");
    }
}
