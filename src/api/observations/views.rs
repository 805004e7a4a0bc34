//! How observations and revisions look on the wire (JSON and CSV).

use crate::api::csv_cell;
use crate::db::observations::ObservationRecord;
use crate::domain::catalogue::{Catalogue, Unit};
use crate::domain::observation::{disaggregation_pairs, ObservedValue};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A naive UTC timestamp as RFC 3339.
pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(at, Utc)
}

fn value_of(record: &ObservationRecord, catalogue: &Catalogue) -> Option<ObservedValue> {
    let unit = catalogue.indicator(&record.indicator).map_or(Unit::Ratio, |i| i.unit);
    record.value.map(|v| ObservedValue::from_stored(v, unit))
}

/// One value with the revision that answers the query.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 17, "country": "KEN", "indicator": "individuals_internet_pct", "year": 2023,
    "disaggregation": {"sex": "female"}, "value": 35.2, "withdrawn": false,
    "source": "KNBS household survey 2023", "nature": "reported", "note": null, "evidence_url": null,
    "revision_id": 40, "revision_number": 2, "recorded_at": "2026-11-30T09:12:03.120000Z",
    "reporter_id": 3, "key_id": 4, "submission_id": 12}))]
pub struct ObservationView {
    /// Observation id (stable across revisions).
    pub id: i64,
    /// ISO alpha-3.
    pub country: String,
    /// Indicator code.
    pub indicator: String,
    /// Year.
    pub year: i32,
    /// Breakdown; empty for the total.
    pub disaggregation: BTreeMap<String, String>,
    /// The value (none when withdrawn).
    pub value: Option<ObservedValue>,
    /// Whether the value was withdrawn.
    pub withdrawn: bool,
    /// Source.
    pub source: Option<String>,
    /// `reported`, `estimated` or `modelled`.
    pub nature: String,
    /// Remark.
    pub note: Option<String>,
    /// Evidence (yes/no indicators).
    pub evidence_url: Option<String>,
    /// The revision answering the query.
    pub revision_id: i64,
    /// Its number within the observation.
    pub revision_number: i32,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Who sent it.
    pub reporter_id: i64,
    /// With which key.
    pub key_id: Option<i64>,
    /// In which submission (none for withdrawals).
    pub submission_id: Option<i64>,
}

impl ObservationView {
    /// Builds the view of a record.
    pub fn new(record: &ObservationRecord, catalogue: &Catalogue) -> Self {
        Self {
            id: record.id,
            country: record.country.clone(),
            indicator: record.indicator.clone(),
            year: record.year,
            disaggregation: disaggregation_pairs(&record.disaggregation),
            value: value_of(record, catalogue),
            withdrawn: record.withdrawn,
            source: record.source.clone(),
            nature: record.nature.clone(),
            note: record.note.clone(),
            evidence_url: record.evidence_url.clone(),
            revision_id: record.revision_id,
            revision_number: record.number,
            recorded_at: utc(record.recorded_at),
            reporter_id: record.reporter_id,
            key_id: record.key_id,
            submission_id: record.submission_id,
        }
    }
}

/// The CSV columns: exactly what the importer accepts, so an export can be sent back.
pub const CSV_COLUMNS: [&str; 9] =
    ["country", "indicator", "year", "disaggregation", "value", "source", "nature", "note", "evidence_url"];

/// Appends records as CSV lines (withdrawn values are skipped: they have nothing to import),
/// every cell spreadsheet-safe ([`csv_cell::escape`]).
pub fn write_csv(out: &mut csv::Writer<Vec<u8>>, records: &[ObservationRecord], catalogue: &Catalogue) {
    for record in records {
        let Some(value) = value_of(record, catalogue) else { continue };
        let year = record.year.to_string();
        let value = value.to_string();
        let fields = [
            record.country.as_str(),
            record.indicator.as_str(),
            year.as_str(),
            record.disaggregation.as_str(),
            value.as_str(),
            record.source.as_deref().unwrap_or(""),
            record.nature.as_str(),
            record.note.as_deref().unwrap_or(""),
            record.evidence_url.as_deref().unwrap_or(""),
        ];
        // Writing into a Vec cannot fail.
        let _ = out.write_record(fields.map(csv_cell::escape).iter().map(|cell| cell.as_bytes()));
    }
}
