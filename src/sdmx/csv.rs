//! SDMX-CSV data: version 1.0.0 (`DATAFLOW` column) and 2.0.0 (`STRUCTURE`, `STRUCTURE_ID`,
//! `ACTION`), one line per observation, written in pieces for streaming.

use super::key::Detail;
use super::series::Series;
use super::{Context, DIMENSIONS, OBS_ATTRIBUTES, OBS_VALUE, SERIES_ATTRIBUTES, TIME_PERIOD};
use std::borrow::Cow;

/// Which SDMX-CSV version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvVersion {
    /// 1.0.0.
    V1,
    /// 2.0.0.
    V2,
}

/// How free-text cells are written (the service's spreadsheet-safe escaping).
pub type TextCell = fn(&str) -> Cow<'_, str>;

/// The header line.
pub fn header(version: CsvVersion, detail: Detail) -> String {
    let mut columns: Vec<&str> = match version {
        CsvVersion::V1 => vec!["DATAFLOW"],
        CsvVersion::V2 => vec!["STRUCTURE", "STRUCTURE_ID", "ACTION"],
    };
    columns.extend(DIMENSIONS);
    columns.extend([TIME_PERIOD, OBS_VALUE]);
    if detail.attributes() {
        columns.extend(SERIES_ATTRIBUTES);
        columns.extend(OBS_ATTRIBUTES);
    }
    line(columns.into_iter().map(Cow::Borrowed))
}

fn line<'a>(cells: impl Iterator<Item = Cow<'a, str>>) -> String {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    // Writing into a Vec cannot fail, and the cells are UTF-8.
    let _ = writer.write_record(cells.map(|c| c.into_owned()));
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The lines of some series: one per observation, or one per series without observations
/// when `detail` asks for keys or attributes only.
pub fn rows(version: CsvVersion, context: &Context, all: &[Series], detail: Detail, text_cell: TextCell) -> String {
    let flow = context.flow_ref();
    let mut out = String::new();
    for series in all {
        let lead: Vec<Cow<str>> = match version {
            CsvVersion::V1 => vec![flow.as_str().into()],
            CsvVersion::V2 => vec!["dataflow".into(), flow.as_str().into(), "I".into()],
        };
        let key = series.key_values().map(Cow::Borrowed);
        let unit = series.unit;
        let mut write = |time: String, value: String, obs: [Option<&str>; 5]| {
            let mut cells: Vec<Cow<str>> = lead.iter().cloned().chain(key.iter().cloned()).collect();
            cells.extend([time.into(), value.into()]);
            if detail.attributes() {
                cells.push(unit.into());
                cells.extend(obs.iter().enumerate().map(|(n, v)| {
                    let v = v.unwrap_or("");
                    // SOURCE_DETAIL, COMMENT_OBS and EVIDENCE_URL are free text.
                    if n >= 2 {
                        text_cell(v)
                    } else {
                        v.into()
                    }
                }));
            }
            out.push_str(&line(cells.into_iter()));
        };
        if detail.observations() {
            for obs in &series.observations {
                let attributes = obs.attributes.each_ref().map(|a| a.as_deref());
                write(obs.year.to_string(), obs.value.to_string(), attributes);
            }
        } else {
            write(String::new(), String::new(), [None; 5]);
        }
    }
    out
}
