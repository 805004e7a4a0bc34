//! Reading one field of a raw row: text, years, values and disaggregations, each with the
//! error a member state needs to fix it.

use super::{ObservedValue, RawRow, RawValue, YesNo};
use crate::domain::catalogue::{Indicator, Unit};
use crate::domain::validation::{nul_character, INVALID_CHARACTER};
use std::collections::BTreeMap;

pub(super) fn clip(text: &str) -> String {
    // Echo enough of a bad value to recognise it, never a megabyte of it.
    text.chars().take(64).collect()
}

pub(super) fn describe(raw: &RawValue) -> String {
    match raw {
        RawValue::Text(t) => clip(t),
        RawValue::Number(n) => n.to_string(),
        RawValue::Bool(b) => b.to_string(),
        RawValue::Object(_) => "an object".into(),
        RawValue::Other(kind) => (*kind).into(),
        RawValue::Empty => "an empty value".into(),
    }
}

/// A field that is there and not [`RawValue::Empty`].
pub(super) fn present<'a>(row: &'a RawRow, field: &str) -> Option<&'a RawValue> {
    row.fields.get(field).filter(|raw| **raw != RawValue::Empty)
}

/// A text field, trimmed; `Ok(None)` when absent, empty or blank; the error is a code and a
/// detail.
pub(super) fn text(row: &RawRow, field: &str) -> Result<Option<String>, (&'static str, String)> {
    attribute(row, field).map(Option::flatten)
}

/// An optional text attribute, trimmed: `Ok(None)` when absent (the stored one stays),
/// `Ok(Some(None))` when empty or blank (it is cleared).
pub(super) fn attribute(row: &RawRow, field: &str) -> Result<Option<Option<String>>, (&'static str, String)> {
    match row.fields.get(field) {
        None => Ok(None),
        Some(RawValue::Empty) => Ok(Some(None)),
        Some(RawValue::Text(t)) => match nul_character(field, t) {
            Some(detail) => Err((INVALID_CHARACTER, detail)),
            None if t.trim().is_empty() => Ok(Some(None)),
            None => Ok(Some(Some(t.trim().to_string()))),
        },
        Some(other) => Err(("invalid_type", format!("`{field}` must be a string, not {}", describe(other)))),
    }
}

pub(super) fn parse_year(raw: &RawValue) -> Option<i32> {
    match raw {
        RawValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e6 => Some(*n as i32),
        RawValue::Text(t) => t.trim().parse().ok(),
        _ => None,
    }
}

pub(super) fn parse_value(raw: &RawValue, indicator: &Indicator) -> Result<ObservedValue, (&'static str, String)> {
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

pub(super) fn parse_disaggregation(raw: &RawValue, indicator: &Indicator) -> Result<String, String> {
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
