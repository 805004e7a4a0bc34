//! A CSV body (the service's own columns, or SDMX-CSV) read line by line into raw rows, each
//! with the file's line number whatever the line endings.

use super::{too_many_rows, Parsed, MAX_ROWS};
use crate::api::csv_cell;
use crate::domain::observation::{RawFields, RawRow, RawValue, ATTRIBUTES, FIELDS};
use crate::error::{ApiError, FieldError};
use crate::sdmx::upload;

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
pub(super) enum Columns {
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
        let cells = record.iter().map(str::trim).map(csv_cell::unescape);
        let (pairs, errors): (Vec<(String, String)>, _) = match self {
            Self::Service(names) => (names.iter().cloned().zip(cells.map(str::to_string)).collect(), Vec::new()),
            Self::Sdmx(columns) => {
                let (pairs, errors) = columns.fields(line, &cells.collect::<Vec<_>>());
                (pairs.into_iter().map(|(f, v)| (f.to_string(), v)).collect(), errors)
            }
        };
        // An empty cell clears an attribute; of any other field, it means what no cell means,
        // and a big batch is lighter without it.
        let fields = pairs
            .into_iter()
            .filter(|(field, cell)| !cell.is_empty() || ATTRIBUTES.contains(&field.as_str()))
            .map(|(field, cell)| (field, if cell.is_empty() { RawValue::Empty } else { RawValue::Text(cell) }))
            .collect();
        (fields, errors)
    }
}

/// Appended to the body so that the reader shows whether the body ends inside a quoted field
/// (the `csv` crate reads a quote never closed to the end of its input without complaint).
/// Outside a quote, the line feed ends the last record and the quote opens a record of its own
/// holding only the NUL, a byte no body holds (it is refused before reading). Inside one, the
/// line feed joins the open field, the quote closes it and the NUL follows: that field, the last
/// of the body, ends in `"\n\0"`.
const SENTINEL: &[u8] = b"\n\"\0";

/// How a record read with the [`SENTINEL`] appended stands.
enum Ending {
    /// The sentinel's own record: the body ended outside any quote.
    Sentinel,
    /// The body's last record, whose last field opened a quote at this byte and never closed it.
    Unclosed { opens_at: usize },
    /// A record of the body, every quote closed.
    Closed,
}

fn ending(record: &csv::StringRecord, body_len: usize) -> Ending {
    let last = record.iter().next_back().unwrap_or_default();
    if record.len() == 1 && last == "\0" {
        return Ending::Sentinel;
    }
    match last.strip_suffix("\n\0") {
        // Between the opening quote and the end of the body, every byte is the field's, except
        // that a quote is written twice.
        Some(content) => {
            Ending::Unclosed { opens_at: body_len.saturating_sub(content.len() + content.matches('"').count() + 1) }
        }
        None => Ending::Closed,
    }
}

fn unclosed_quote(line: usize) -> FieldError {
    FieldError::row(
        line,
        "row",
        "unterminated_quote",
        format!("the quote opened on line {line} is never closed: every later line would be part of that cell"),
    )
}

pub(super) fn parse_csv(
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
    // Cells are trimmed by `Columns`: the reader keeps them whole, so that an unclosed quote's
    // field tells where the quote opened.
    let sentinel = std::io::Read::chain(text.as_bytes(), SENTINEL);
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::None).from_reader(sentinel);
    let mut headers = reader
        .headers()
        .map_err(|e| ApiError::bad_request("invalid_csv", format!("cannot read the header row: {e}")))?
        .clone();
    match ending(&headers, body.len()) {
        // Nothing but the sentinel: an empty body.
        Ending::Sentinel => headers.clear(),
        Ending::Unclosed { opens_at } => {
            let problem = unclosed_quote(line_at(&starts, opens_at));
            return Err(ApiError::unprocessable("the CSV header row is not usable", vec![problem]));
        }
        Ending::Closed => {}
    }
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
        match ending(&record, body.len()) {
            Ending::Sentinel => break,
            Ending::Unclosed { opens_at } => {
                errors.push(unclosed_quote(line_at(&starts, opens_at)));
                break;
            }
            Ending::Closed => {}
        }
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

pub(super) fn header_columns(headers: &csv::StringRecord) -> Result<Vec<String>, ApiError> {
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
    use super::super::{parse, BodyFormat};
    use super::*;

    #[test]
    fn csv_with_bom_quoted_newlines_and_blank_cells_parses() {
        let body = "\u{feff}country,indicator,year,value,note\nKEN,netp,2022,yes,\"two\nlines\"\nFRA,netp,2022,no,\n";
        let rows = parse(BodyFormat::Csv, body.as_bytes()).unwrap().rows;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].index, 2);
        assert_eq!(rows[0].fields.get("note"), Some(&RawValue::Text("two\nlines".into())));
        assert_eq!(rows[1].index, 4, "line numbers count the quoted newline");
        assert_eq!(rows[1].fields.get("note"), Some(&RawValue::Empty), "a blank cell clears an attribute");
        let blank_key =
            parse(BodyFormat::Csv, b"country,indicator,year,value,disaggregation\nKEN,netp,2022,no,\n").unwrap();
        assert!(!blank_key.rows[0].fields.contains_key("disaggregation"), "a blank cell of another field is left out");
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
    fn an_unclosed_quote_is_refused_at_the_line_where_it_opens_whatever_the_line_endings() {
        let header = "country,indicator,year,value,source\n";
        let cases = [
            // (body after the header, line of the opening quote)
            ("KEN,netp,2005,yes,\"abc\nKEN,netp,2006,no,x\n", 2),
            ("KEN,netp,2005,yes,x\nKEN,netp,2006,no,\"a \"\"b\"\"\n\nc", 3),
            ("KEN,netp,2005,yes,x\nKEN,\"netp\nindicator\",2006,no,\"abc\nd,e\n", 4),
            ("KEN,netp,2005,yes,x\n\"", 3),
            ("KEN,netp,2005,yes,\"ab\"\"", 2),
        ];
        for (rows, opens) in cases {
            for (name, text) in [
                ("LF", format!("{header}{rows}")),
                ("CRLF", format!("{header}{rows}").replace('\n', "\r\n")),
                ("CR", format!("{header}{rows}").replace('\n', "\r")),
                ("BOM", format!("\u{feff}{header}{rows}")),
            ] {
                let parsed = parse(BodyFormat::Csv, text.as_bytes()).unwrap();
                let unclosed: Vec<_> =
                    parsed.errors.iter().filter(|e| e.code == "unterminated_quote").map(|e| e.index).collect();
                assert_eq!(unclosed, [Some(opens)], "{name} {rows:?}: {:?}", parsed.errors);
                assert!(parsed.rows.iter().all(|r| r.index < opens), "{name} {rows:?}: the unclosed row is not read");
            }
        }
        let error = parse(BodyFormat::Csv, b"country,\"indicator,year,value\nKEN,netp,2005,yes\n").unwrap_err();
        assert_eq!(error.problem().errors[0].code, "unterminated_quote");
        assert_eq!(error.problem().errors[0].index, Some(1));
    }

    #[test]
    fn closed_quotes_at_the_end_of_the_body_are_read_as_before() {
        for ending in ["", "\n", "\r\n", "\r", "\n\n\n"] {
            let text = format!("country,indicator,year,value,note\nKEN,netp,2005,yes,\" a \"\"b\"\" \"{ending}");
            let parsed = parse(BodyFormat::Csv, text.as_bytes()).unwrap();
            assert!(parsed.errors.is_empty(), "{ending:?}: {:?}", parsed.errors);
            assert_eq!(parsed.rows.len(), 1);
            assert_eq!(parsed.rows[0].fields.get("note"), Some(&RawValue::Text("a \"b\"".into())), "{ending:?}");
        }
        let empty = parse(BodyFormat::Csv, b"").unwrap_err();
        assert!(empty.problem().errors.iter().all(|e| e.code == "missing_column"), "{:?}", empty.problem().errors);
    }
}
