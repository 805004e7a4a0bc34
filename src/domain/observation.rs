//! Observations as member states send them: raw rows, their validation against the
//! catalogue, and the typed values that come out.

use super::catalogue::{Catalogue, Indicator, Unit};
use super::validation::{is_http_url, nul_character, FieldError, INVALID_CHARACTER};
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
}

/// One row as sent: fields by name, plus where it was in the request.
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    /// JSON array index, or CSV line number.
    pub index: usize,
    /// Fields by name; absent and empty fields are left out.
    pub fields: HashMap<String, RawValue>,
}

/// Field names a row may carry.
pub const FIELDS: [&str; 9] =
    ["country", "indicator", "year", "value", "disaggregation", "source", "nature", "note", "evidence_url"];

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
    /// Where the value comes from.
    pub source: Option<String>,
    /// How it was obtained.
    pub nature: Nature,
    /// Free remark.
    pub note: Option<String>,
    /// For yes/no indicators: the strategy, plan or law.
    pub evidence_url: Option<String>,
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
    let mut first_index_of: HashMap<SeriesKey, usize> = HashMap::with_capacity(rows.len());
    for row in rows {
        match validate_row(row, catalogue, current_year) {
            Ok(observation) => match first_index_of.get(&observation.key()) {
                Some(first) => errors.push(FieldError::row(
                    row.index,
                    "country",
                    "duplicate_row",
                    format!("same country, indicator, year and disaggregation as row {first}"),
                )),
                None => {
                    first_index_of.insert(observation.key(), row.index);
                    valid.push(observation);
                }
            },
            Err(mut row_errors) => errors.append(&mut row_errors),
        }
    }
    if errors.is_empty() {
        Ok(valid)
    } else {
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

    let mut unknown: Vec<_> = row.fields.keys().filter(|k| !FIELDS.contains(&k.as_str())).collect();
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

    let year = match row.fields.get("year") {
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

    let value = match (row.fields.get("value"), indicator) {
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

    let disaggregation = match (row.fields.get("disaggregation"), indicator) {
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

    let nature = match text(row, "nature") {
        Ok(None) => Some(Nature::default()),
        Ok(Some(name)) => match super::parse_enum::<Nature>(&name.to_ascii_lowercase()) {
            Some(nature) => Some(nature),
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

    let mut bounded_text = |field: &str, max: usize| match text(row, field) {
        Ok(value) if value.as_ref().is_some_and(|v| v.chars().count() > max) => {
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
    if let Some(Some(url)) = &evidence_url {
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

fn clip(text: &str) -> String {
    // Echo enough of a bad value to recognise it, never a megabyte of it.
    text.chars().take(64).collect()
}

fn describe(raw: &RawValue) -> String {
    match raw {
        RawValue::Text(t) => clip(t),
        RawValue::Number(n) => n.to_string(),
        RawValue::Bool(b) => b.to_string(),
        RawValue::Object(_) => "an object".into(),
        RawValue::Other(kind) => (*kind).into(),
    }
}

/// A text field, trimmed; `Ok(None)` when absent or blank; the error is a code and a detail.
fn text(row: &RawRow, field: &str) -> Result<Option<String>, (&'static str, String)> {
    match row.fields.get(field) {
        None => Ok(None),
        Some(RawValue::Text(t)) => match nul_character(field, t) {
            Some(detail) => Err((INVALID_CHARACTER, detail)),
            None if t.trim().is_empty() => Ok(None),
            None => Ok(Some(t.trim().to_string())),
        },
        Some(other) => Err(("invalid_type", format!("`{field}` must be a string, not {}", describe(other)))),
    }
}

fn parse_year(raw: &RawValue) -> Option<i32> {
    match raw {
        RawValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e6 => Some(*n as i32),
        RawValue::Text(t) => t.trim().parse().ok(),
        _ => None,
    }
}

fn parse_value(raw: &RawValue, indicator: &Indicator) -> Result<ObservedValue, (&'static str, String)> {
    if indicator.unit == Unit::Boolean {
        let answer = match raw {
            RawValue::Bool(b) => Some(*b),
            RawValue::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
                "yes" | "true" => Some(true),
                "no" | "false" => Some(false),
                _ => None,
            },
            _ => None,
        };
        return answer.map(|yes| ObservedValue::YesNo(if yes { YesNo::Yes } else { YesNo::No })).ok_or_else(|| {
            (
                "invalid_value",
                format!("`{}` is not yes or no ({} is a yes/no indicator)", describe(raw), indicator.code),
            )
        });
    }
    let number = match raw {
        RawValue::Number(n) => *n,
        RawValue::Text(t) => {
            t.trim().parse::<f64>().map_err(|_| ("invalid_number", format!("`{}` is not a number", describe(raw))))?
        }
        other => return Err(("invalid_number", format!("{} is not a number", describe(other)))),
    };
    if !number.is_finite() {
        return Err(("not_finite", format!("`{}` is not a finite number", describe(raw))));
    }
    if indicator.unit == Unit::Count && number.fract() != 0.0 {
        return Err(("not_whole", format!("{number} is not a whole number ({} is a count)", indicator.code)));
    }
    // -0 and 0 are the same value; store one of them so resubmission is `unchanged`.
    let number = if number == 0.0 { 0.0 } else { number };
    let below = indicator.min_value.is_some_and(|min| number < min);
    let above = indicator.max_value.is_some_and(|max| number > max);
    if below || above {
        let range = format!(
            "{}..={}",
            indicator.min_value.map_or("-∞".into(), |m| m.to_string()),
            indicator.max_value.map_or("∞".into(), |m| m.to_string())
        );
        return Err(("out_of_range", format!("{number} is outside the valid range {range} of {}", indicator.code)));
    }
    Ok(ObservedValue::Number(number))
}

fn parse_disaggregation(raw: &RawValue, indicator: &Indicator) -> Result<String, String> {
    let pairs: BTreeMap<String, String> = match raw {
        RawValue::Object(map) => map.iter().map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect(),
        RawValue::Text(t) => {
            let mut pairs = BTreeMap::new();
            for part in t.split(';').filter(|p| !p.trim().is_empty()) {
                let (dimension, value) = part
                    .split_once('=')
                    .ok_or_else(|| format!("`{}` is not dimension=value (e.g. sex=female)", clip(part)))?;
                if pairs.insert(dimension.trim().to_string(), value.trim().to_string()).is_some() {
                    return Err(format!("dimension `{}` appears twice", clip(dimension.trim())));
                }
            }
            pairs
        }
        other => return Err(format!("{} is not a disaggregation", describe(other))),
    };
    for (dimension, value) in &pairs {
        let allowed = indicator.disaggregations.iter().find(|d| d.dimension == *dimension).ok_or_else(|| {
            let dimensions: Vec<_> = indicator.disaggregations.iter().map(|d| d.dimension.as_str()).collect();
            format!("{} cannot be broken down by `{}` (allowed: {dimensions:?})", indicator.code, clip(dimension))
        })?;
        if !allowed.values.contains(value) {
            return Err(format!("`{}` is not a value of {dimension} (allowed: {:?})", clip(value), allowed.values));
        }
    }
    Ok(pairs.iter().map(|(d, v)| format!("{d}={v}")).collect::<Vec<_>>().join(";"))
}

#[cfg(test)]
mod tests;
