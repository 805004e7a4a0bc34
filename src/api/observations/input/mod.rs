//! Parsing a submission body (JSON or CSV) into raw rows, at the edge: every malformed
//! request is refused here with a precise problem, before any validation against the catalogue.

mod csv_body;
mod json;

use crate::domain::observation::RawRow;
use crate::error::{ApiError, FieldError};
use crate::sdmx::csv::CsvVersion;
use crate::sdmx::upload;
use actix_web::http::{header, StatusCode};
use actix_web::HttpRequest;

/// Most rows one batch may carry (documented in the specification).
pub const MAX_ROWS: usize = 100_000;
/// Largest submission body in bytes.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The body formats a submission may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// `application/json`: `{"observations": [...]}`.
    Json,
    /// `text/csv` with a header row.
    Csv,
    /// SDMX-CSV (`application/vnd.sdmx.data+csv;version=1.0.0` or `2.0.0`) of the dataflow
    /// the service publishes under `/sdmx/rest/`.
    SdmxCsv(CsvVersion),
}

/// A CSV file sent as raw bytes (`application/octet-stream`, what file-upload clients send):
/// read exactly as `text/csv`.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct CsvFile(pub Vec<u8>);

impl BodyFormat {
    /// Name stored with the submission.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
            Self::SdmxCsv(CsvVersion::V1) => "sdmx-csv-1.0.0",
            Self::SdmxCsv(CsvVersion::V2) => "sdmx-csv-2.0.0",
        }
    }

    /// Chooses the format from `Content-Type`.
    pub fn of(req: &HttpRequest) -> Result<Self, ApiError> {
        let header = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let mut parts = header.split(';').map(|p| p.trim().to_ascii_lowercase());
        let content_type = parts.next().unwrap_or_default();
        let version = parts.find_map(|p| p.strip_prefix("version=").map(|v| v.trim_matches('"').to_string()));
        match (content_type.as_str(), version.as_deref()) {
            ("application/json", _) => Ok(Self::Json),
            (t, _) if t.starts_with("application/") && t.ends_with("+json") => Ok(Self::Json),
            // A file upload of generated clients (binary body): the same CSV.
            ("text/csv" | "application/csv" | "application/octet-stream", _) => Ok(Self::Csv),
            ("application/vnd.sdmx.data+csv", None | Some("1.0.0" | "1.0")) => Ok(Self::SdmxCsv(CsvVersion::V1)),
            ("application/vnd.sdmx.data+csv", Some("2.0.0" | "2.0")) => Ok(Self::SdmxCsv(CsvVersion::V2)),
            (other, _) => Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!(
                    "send application/json, text/csv (or a CSV file as application/octet-stream) or SDMX-CSV (application/vnd.sdmx.data+csv; version=1.0.0 or \
                     2.0.0), not `{}`",
                    if other.is_empty() { "nothing" } else { header }
                ),
            )),
        }
    }
}

fn too_many_rows() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_many_rows",
        format!("a batch may carry at most {MAX_ROWS} rows: split it"),
    )
}

/// The rows a body holds, and the problems of the rows that could not be read at all (a CSV
/// line with the wrong number of fields, a JSON item that is not an object), so they are
/// reported together with every other problem of the batch.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Rows that could be read, with their index or line.
    pub rows: Vec<RawRow>,
    /// Rows that could not be read.
    pub errors: Vec<FieldError>,
}

/// Parses the body in its format; an error here concerns the request as a whole.
pub fn parse(format: BodyFormat, body: &[u8]) -> Result<Parsed, ApiError> {
    let parsed = match format {
        BodyFormat::Json => json::parse(body)?,
        BodyFormat::Csv => {
            csv_body::parse_csv(body, |headers| csv_body::header_columns(headers).map(csv_body::Columns::Service))?
        }
        BodyFormat::SdmxCsv(version) => csv_body::parse_csv(body, |headers| {
            let names: Vec<&str> = headers.iter().map(str::trim).collect();
            upload::Columns::read(version, &names)
                .map(csv_body::Columns::Sdmx)
                .map_err(|errors| ApiError::unprocessable("the SDMX-CSV header row is not usable", errors))
        })?,
    };
    if parsed.rows.is_empty() && parsed.errors.is_empty() {
        return Err(ApiError::unprocessable(
            "the batch is empty",
            vec![FieldError::request("observations", "empty_batch", "send at least one observation")],
        ));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_json_is_a_bad_request() {
        for body in [&b"{"[..], b"[]", b"{\"observations\": 3}", b"{\"rows\": []}", b"{\"observations\": [1e400]}"] {
            assert_eq!(parse(BodyFormat::Json, body).unwrap_err().code(), "invalid_json", "{body:?}");
        }
        let nested = "[".repeat(10_000) + &"]".repeat(10_000);
        assert_eq!(parse(BodyFormat::Json, nested.as_bytes()).unwrap_err().code(), "invalid_json");
        let nested_item = format!("{{\"observations\": [{{\"note\": {nested}}}]}}");
        assert_eq!(parse(BodyFormat::Json, nested_item.as_bytes()).unwrap_err().code(), "invalid_json");
        assert_eq!(parse(BodyFormat::Json, b"{\"observations\": []}").unwrap_err().code(), "validation_failed");
    }
}
