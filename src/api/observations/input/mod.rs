//! Parsing a submission body (JSON or CSV) into raw rows, at the edge: every malformed
//! request is refused here with a precise problem, before any validation against the catalogue.

mod json;

use crate::api::csv_cell;
use crate::domain::observation::{RawFields, RawRow, RawValue, FIELDS};
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
        BodyFormat::Csv => parse_csv(body, |headers| header_columns(headers).map(Columns::Service))?,
        BodyFormat::SdmxCsv(version) => parse_csv(body, |headers| {
            let names: Vec<&str> = headers.iter().map(str::trim).collect();
            upload::Columns::read(version, &names)
                .map(Columns::Sdmx)
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

/// Start offsets of the lines of a text, a line ending with LF, CRLF or a lone CR.
fn line_starts(text: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    for (at, byte) in text.iter().enumerate() {
        let ends_line = *byte == b'\n' || (*byte == b'\r' && text.get(at + 1) != Some(&b'\n'));
        if ends_line {
            starts.push(at + 1);
        }
    }
    starts
}

/// The 1-based line holding a byte offset.
fn line_at(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|start| *start <= offset)
}

/// How the cells of a line become a row's fields.
enum Columns {
    /// The service's own columns, by name.
    Service(Vec<String>),
    /// SDMX-CSV columns.
    Sdmx(upload::Columns),
}

impl Columns {
    fn len(&self) -> usize {
        match self {
            Self::Service(names) => names.len(),
            Self::Sdmx(columns) => columns.len(),
        }
    }

    /// The non-empty fields of a line, and the problems only its format can see.
    fn fields(&self, line: usize, record: &csv::StringRecord) -> (RawFields, Vec<FieldError>) {
        let cells = record.iter().map(csv_cell::unescape);
        let (pairs, errors): (Vec<(String, String)>, _) = match self {
            Self::Service(names) => (names.iter().cloned().zip(cells.map(str::to_string)).collect(), Vec::new()),
            Self::Sdmx(columns) => {
                let (pairs, errors) = columns.fields(line, &cells.collect::<Vec<_>>());
                (pairs.into_iter().map(|(f, v)| (f.to_string(), v)).collect(), errors)
            }
        };
        let fields =
            pairs.into_iter().filter(|(_, cell)| !cell.is_empty()).map(|(f, v)| (f, RawValue::Text(v))).collect();
        (fields, errors)
    }
}

fn parse_csv(
    body: &[u8],
    columns_of: impl FnOnce(&csv::StringRecord) -> Result<Columns, ApiError>,
) -> Result<Parsed, ApiError> {
    // A byte-order mark is not part of the first line's content, but the line numbers below
    // count from the start of the body as the user's editor does.
    let body = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
    let starts = line_starts(body);
    if let Some(at) = body.iter().position(|b| *b == 0) {
        return Err(ApiError::bad_request(
            "invalid_encoding",
            format!("line {} holds NUL bytes (UTF-16?): save the CSV as UTF-8", line_at(&starts, at)),
        ));
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        ApiError::bad_request(
            "invalid_encoding",
            format!(
                "line {} is not valid UTF-8: save the CSV as UTF-8 (a byte-order mark is fine)",
                line_at(&starts, e.valid_up_to())
            ),
        )
    })?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ApiError::bad_request("invalid_csv", format!("cannot read the header row: {e}")))?
        .clone();
    let columns = columns_of(&headers)?;

    let mut rows = Vec::new();
    let mut errors = Vec::new();
    // The reader may place a record's start on the LF of the previous CRLF: a record starts
    // at its first byte that ends no line.
    let line_of = |position: Option<&csv::Position>| {
        position.map_or(0, |p| {
            let start = body[p.byte() as usize..].iter().position(|b| !matches!(b, b'\r' | b'\n')).unwrap_or(0);
            line_at(&starts, p.byte() as usize + start)
        })
    };
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(FieldError::row(line_of(e.position()), "row", "invalid_csv", e.to_string()));
                continue;
            }
        };
        let line = line_of(record.position());
        if rows.len() + errors.len() >= MAX_ROWS {
            return Err(too_many_rows());
        }
        if record.len() != columns.len() {
            errors.push(FieldError::row(
                line,
                "row",
                "wrong_field_count",
                format!("{} fields where the header has {}", record.len(), columns.len()),
            ));
            continue;
        }
        let (fields, mut problems) = columns.fields(line, &record);
        errors.append(&mut problems);
        rows.push(RawRow { index: line, fields });
    }
    Ok(Parsed { rows, errors })
}

fn header_columns(headers: &csv::StringRecord) -> Result<Vec<String>, ApiError> {
    let columns: Vec<String> = headers.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    let mut errors = Vec::new();
    for (position, column) in columns.iter().enumerate() {
        if !FIELDS.contains(&column.as_str()) {
            errors.push(FieldError::request(
                column,
                "unknown_column",
                format!("column {} `{column}` is not one of {FIELDS:?}", position + 1),
            ));
        } else if columns[..position].contains(column) {
            errors.push(FieldError::request(column, "duplicate_column", format!("column `{column}` appears twice")));
        }
    }
    for required in ["country", "indicator", "year", "value"] {
        if !columns.iter().any(|c| c == required) {
            errors.push(FieldError::request(required, "missing_column", format!("the header needs `{required}`")));
        }
    }
    if errors.is_empty() {
        Ok(columns)
    } else {
        Err(ApiError::unprocessable("the CSV header row is not usable", errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_bom_quoted_newlines_and_blank_cells_parses() {
        let body = "\u{feff}country,indicator,year,value,note\nKEN,netp,2022,yes,\"two\nlines\"\nFRA,netp,2022,no,\n";
        let rows = parse(BodyFormat::Csv, body.as_bytes()).unwrap().rows;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].index, 2);
        assert_eq!(rows[0].fields.get("note"), Some(&RawValue::Text("two\nlines".into())));
        assert_eq!(rows[1].index, 4, "line numbers count the quoted newline");
        assert!(!rows[1].fields.contains_key("note"), "blank cells are absent fields");
    }

    #[test]
    fn csv_lines_are_the_file_lines_whatever_the_line_endings() {
        let body =
            "country,indicator,year,value,note\n\nKEN,netp,2022,yes,\"a\nb\"\nKEN,netp,2021,x\nFRA,netp,2022,no,\n";
        for (name, text) in [
            ("LF", body.to_string()),
            ("CRLF", body.replace('\n', "\r\n")),
            ("CR", body.replace('\n', "\r")),
            ("BOM and CRLF", format!("\u{feff}{}", body.replace('\n', "\r\n"))),
        ] {
            let parsed = parse(BodyFormat::Csv, text.as_bytes()).unwrap();
            let lines: Vec<_> = parsed.rows.iter().map(|r| r.index).collect();
            assert_eq!(lines, [3, 6], "{name}: the blank line 2 and the quoted newline count");
            let short: Vec<_> = parsed.errors.iter().map(|e| e.index).collect();
            assert_eq!(short, [Some(5)], "{name}");
        }
    }

    #[test]
    fn csv_header_problems_are_all_reported() {
        let error = parse(BodyFormat::Csv, b"country,country,yaer,value\nKEN,KEN,2020,1\n").unwrap_err();
        let codes: Vec<_> = error.problem().errors.iter().map(|e| e.code.clone()).collect();
        assert!(codes.contains(&"duplicate_column".to_string()));
        assert!(codes.contains(&"unknown_column".to_string()));
        assert!(codes.contains(&"missing_column".to_string()));
    }

    #[test]
    fn non_utf8_csv_names_the_line() {
        let error = parse(BodyFormat::Csv, b"country,indicator,year,value\nC\xf4te,netp,2020,yes\n").unwrap_err();
        assert_eq!(error.code(), "invalid_encoding");
        assert!(error.problem().detail.contains("line 2"));
    }

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
