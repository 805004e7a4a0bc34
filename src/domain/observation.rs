//! Observations as member states send them: raw rows, their validation against the
//! catalogue, and the typed values that come out.

use super::catalogue::{Catalogue, Unit};
use super::validation::{is_http_url, FieldError};
use fields::{attribute, clip, describe, parse_disaggregation, parse_value, parse_year, present, text};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// Longest `source`.
pub const MAX_SOURCE_LEN: usize = 500;
/// Longest `note`.
pub const MAX_NOTE_LEN: usize = 2000;
/// Longest `evidence_url`.
pub const MAX_URL_LEN: usize = 2048;

/// How a value was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Nature {
    /// Reported by the country.
    #[default]
    Reported,
    /// Estimated (by the country or an agency).
    Estimated,
    /// Produced by a model.
    Modelled,
}

impl Nature {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reported => "reported",
            Self::Estimated => "estimated",
            Self::Modelled => "modelled",
        }
    }
}

/// Yes or no, for yes/no indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum YesNo {
    /// Yes.
    Yes,
    /// No.
    No,
}

/// A value: a number, or yes/no for yes/no indicators.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ObservedValue {
    /// A number in the indicator's unit.
    Number(f64),
    /// For yes/no indicators.
    YesNo(YesNo),
}

impl ObservedValue {
    /// The number stored in the database (yes = 1, no = 0).
    pub fn stored(self) -> f64 {
        match self {
            Self::Number(n) => n,
            Self::YesNo(YesNo::Yes) => 1.0,
            Self::YesNo(YesNo::No) => 0.0,
        }
    }

    /// Reads a stored number back in the indicator's unit.
    pub fn from_stored(value: f64, unit: Unit) -> Self {
        match unit {
            Unit::Boolean if value != 0.0 => Self::YesNo(YesNo::Yes),
            Unit::Boolean => Self::YesNo(YesNo::No),
            _ => Self::Number(value),
        }
    }
}

impl std::fmt::Display for ObservedValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Number(n) => write!(f, "{n}"),
            Self::YesNo(YesNo::Yes) => f.write_str("yes"),
            Self::YesNo(YesNo::No) => f.write_str("no"),
        }
    }
}

/// A field as it arrived, before it is understood.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    /// Text (every CSV cell, JSON strings).
    Text(String),
    /// A JSON number.
    Number(f64),
    /// A JSON boolean.
    Bool(bool),
    /// A JSON object of strings (a disaggregation).
    Object(BTreeMap<String, String>),
    /// Anything else, described for the error message.
    Other(&'static str),
    /// Sent empty (an empty CSV cell, a JSON `null`): for an optional attribute, "clear the
    /// stored one"; for any other field, the same as leaving it out.
    Empty,
}

/// One row as sent: fields by name, plus where it was in the request.
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    /// JSON array index, or CSV line number.
    pub index: usize,
    /// Fields by name, as sent: absent fields are left out, empty ones are [`RawValue::Empty`].
    pub fields: RawFields,
}

/// Field names a row may carry.
pub const FIELDS: [&str; 9] =
    ["country", "indicator", "year", "value", "disaggregation", "source", "nature", "note", "evidence_url"];

/// The optional attributes of a value: a row that leaves one out keeps the stored one, a row
/// that sends it empty clears it.
pub const ATTRIBUTES: [&str; 4] = ["source", "nature", "note", "evidence_url"];

/// A valid observation, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidObservation {
    /// Row index in the request.
    pub index: usize,
    /// ISO 3166 alpha-3, upper case.
    pub country: String,
    /// Indicator code.
    pub indicator: String,
    /// Year the value describes.
    pub year: i32,
    /// Canonical disaggregation: `dimension=value` pairs sorted and joined by `;`, empty for the total.
    pub disaggregation: String,
    /// The value.
    pub value: ObservedValue,
    /// Where the value comes from: `None` when left out (the stored one stays), `Some(None)` cleared.
    pub source: Option<Option<String>>,
    /// How it was obtained: `None` when left out (the stored one stays; cleared: `reported`).
    pub nature: Option<Nature>,
    /// Free remark, as `source`.
    pub note: Option<Option<String>>,
    /// For yes/no indicators: the strategy, plan or law, as `source`.
    pub evidence_url: Option<Option<String>>,
}

impl ValidObservation {
    /// The identity of the value: one current value per key.
    pub fn key(&self) -> SeriesKey {
        SeriesKey {
            country: self.country.clone(),
            indicator: self.indicator.clone(),
            year: self.year,
            disaggregation: self.disaggregation.clone(),
        }
    }
}

/// What identifies one value: country, indicator, year, disaggregation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeriesKey {
    /// ISO alpha-3.
    pub country: String,
    /// Indicator code.
    pub indicator: String,
    /// Year.
    pub year: i32,
    /// Canonical disaggregation.
    pub disaggregation: String,
}

/// Splits a canonical disaggregation into its pairs (for display).
pub fn disaggregation_pairs(canonical: &str) -> BTreeMap<String, String> {
    canonical.split(';').filter_map(|pair| pair.split_once('=')).map(|(d, v)| (d.to_string(), v.to_string())).collect()
}

/// Checks every row against the catalogue and each other. Returns every error of every row,
/// so a member state can fix its file in one go.
pub fn validate_batch(
    rows: &[RawRow],
    catalogue: &Catalogue,
    current_year: i32,
) -> Result<Vec<ValidObservation>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut valid = Vec::with_capacity(rows.len());
    for row in rows {
        match validate_row(row, catalogue, current_year) {
            Ok(observation) => valid.push(observation),
            Err(mut row_errors) => errors.append(&mut row_errors),
        }
    }
    // Keys borrowed from the rows, not copied: a big batch holds each string once.
    let mut first_index_of: HashMap<(&str, &str, i32, &str), usize> = HashMap::with_capacity(valid.len());
    for row in &valid {
        let key = (row.country.as_str(), row.indicator.as_str(), row.year, row.disaggregation.as_str());
        if let Some(first) = first_index_of.insert(key, row.index) {
            first_index_of.insert(key, first);
            errors.push(FieldError::row(
                row.index,
                "country",
                "duplicate_row",
                format!("same country, indicator, year and disaggregation as row {first}"),
            ));
        }
    }
    drop(first_index_of);
    if errors.is_empty() {
        Ok(valid)
    } else {
        // In row order, as the rows were checked (a stable sort keeps each row's own order).
        errors.sort_by_key(|error| error.index);
        Err(errors)
    }
}

/// Checks one row.
pub fn validate_row(
    row: &RawRow,
    catalogue: &Catalogue,
    current_year: i32,
) -> Result<ValidObservation, Vec<FieldError>> {
    let mut errors = Vec::new();
    let index = row.index;
    let mut fail = |field: &str, code: &str, detail: String| errors.push(FieldError::row(index, field, code, detail));

    let mut unknown: Vec<_> = row.fields.keys().filter(|k| !FIELDS.contains(k)).collect();
    unknown.sort();
    for field in unknown {
        fail(field, "unknown_field", format!("`{field}` is not a field of an observation; fields are {FIELDS:?}"));
    }

    let country = match text(row, "country") {
        Ok(Some(code)) => match catalogue.economy(&code) {
            Some(economy) => Some(economy.iso3.clone()),
            None => {
                fail("country", "unknown_country", format!("no economy with ISO 3166 alpha-3 code `{}`", clip(&code)));
                None
            }
        },
        Ok(None) => {
            fail("country", "required", "an ISO 3166 alpha-3 code is required".into());
            None
        }
        Err((code, detail)) => {
            fail("country", code, detail);
            None
        }
    };

    let indicator = match text(row, "indicator") {
        Ok(Some(code)) => match catalogue.indicator(&code) {
            Some(indicator) => Some(indicator),
            None => {
                fail("indicator", "unknown_indicator", format!("no indicator `{}`", clip(&code)));
                None
            }
        },
        Ok(None) => {
            fail("indicator", "required", "an indicator code is required".into());
            None
        }
        Err((code, detail)) => {
            fail("indicator", code, detail);
            None
        }
    };

    let year = match present(row, "year") {
        None => {
            fail("year", "required", "a year is required".into());
            None
        }
        Some(raw) => match parse_year(raw) {
            Some(year) if year > current_year => {
                fail("year", "out_of_range", format!("year {year} is after the current year {current_year}"));
                None
            }
            Some(year) => match indicator {
                Some(indicator) if year < indicator.first_year => {
                    let (first, code) = (indicator.first_year, &indicator.code);
                    let detail =
                        format!("year {year} is before {first}, the first year of {code} ({first}..={current_year})");
                    fail("year", "out_of_range", detail);
                    None
                }
                _ => Some(year),
            },
            None => {
                fail("year", "invalid_year", format!("`{}` is not a whole year", describe(raw)));
                None
            }
        },
    };

    let value = match (present(row, "value"), indicator) {
        (None, _) => {
            fail("value", "required", "a value is required".into());
            None
        }
        (Some(_), None) => None,
        (Some(raw), Some(indicator)) => match parse_value(raw, indicator) {
            Ok(value) => Some(value),
            Err((code, detail)) => {
                fail("value", code, detail);
                None
            }
        },
    };

    let disaggregation = match (present(row, "disaggregation"), indicator) {
        (None, _) => Some(String::new()),
        (Some(_), None) => None,
        (Some(raw), Some(indicator)) => match parse_disaggregation(raw, indicator) {
            Ok(canonical) => Some(canonical),
            Err(detail) => {
                fail("disaggregation", "invalid_disaggregation", detail);
                None
            }
        },
    };

    let nature = match attribute(row, "nature") {
        Ok(None) => Some(None),
        Ok(Some(None)) => Some(Some(Nature::default())),
        Ok(Some(Some(name))) => match super::parse_enum::<Nature>(&name.to_ascii_lowercase()) {
            Some(nature) => Some(Some(nature)),
            None => {
                fail("nature", "invalid_value", format!("`{}` is not reported, estimated or modelled", clip(&name)));
                None
            }
        },
        Err((code, detail)) => {
            fail("nature", code, detail);
            None
        }
    };

    let mut bounded_text = |field: &str, max: usize| match attribute(row, field) {
        Ok(Some(Some(value))) if value.chars().count() > max => {
            fail(field, "too_long", format!("`{field}` is longer than {max} characters"));
            None
        }
        Ok(value) => Some(value),
        Err((code, detail)) => {
            fail(field, code, detail);
            None
        }
    };
    let source = bounded_text("source", MAX_SOURCE_LEN);
    let note = bounded_text("note", MAX_NOTE_LEN);
    let evidence_url = bounded_text("evidence_url", MAX_URL_LEN);
    if let Some(Some(Some(url))) = &evidence_url {
        if !is_http_url(url) {
            fail(
                "evidence_url",
                "invalid_url",
                "`evidence_url` must be an http(s) URL without spaces or control characters".into(),
            );
        } else if indicator.is_some_and(|i| i.unit != Unit::Boolean) {
            fail("evidence_url", "not_allowed", "`evidence_url` is for yes/no indicators only".into());
        }
    }

    match (country, indicator, year, value, disaggregation, nature, source, note, evidence_url) {
        (
            Some(country),
            Some(indicator),
            Some(year),
            Some(value),
            Some(disaggregation),
            Some(nature),
            Some(source),
            Some(note),
            Some(evidence_url),
        ) if errors.is_empty() => Ok(ValidObservation {
            index,
            country,
            indicator: indicator.code.clone(),
            year,
            disaggregation,
            value,
            source,
            nature,
            note,
            evidence_url,
        }),
        _ => Err(errors),
    }
}

mod fields;
mod raw_fields;
pub use raw_fields::RawFields;
#[cfg(test)]
mod tests;
