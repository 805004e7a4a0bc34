//! Estimates for the years a country did not report, made per country and year *before*
//! aggregation (docs/methodology.md, "Estimation").
//!
//! An estimate is derived from the country's own reported values only. It never replaces a
//! reported value, is never stored, and never enters the country's own assessment: it only
//! lets a group aggregate stand for the whole group, with the estimated share counted apart.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use utoipa::ToSchema;

/// One country's reported values of one series, by year.
pub type YearValues = BTreeMap<i32, f64>;

/// Default years an estimate may reach beyond (or before) a country's reports.
pub const DEFAULT_HORIZON: u32 = 5;
/// Default number of reported years a trend is fitted on.
pub const DEFAULT_TREND_YEARS: u32 = 5;

/// The named estimation methods, as chosen in a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EstimationMethod {
    /// Reporters only: a year without a reported value is missing.
    None,
    /// A country's latest earlier value, up to `horizon` years back.
    CarryForward,
    /// Interpolation between reported years, the country's own trend beyond them (the default).
    #[default]
    Trend,
}

impl EstimationMethod {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            EstimationMethod::None => "none",
            EstimationMethod::CarryForward => "carry_forward",
            EstimationMethod::Trend => "trend",
        }
    }
}

impl fmt::Display for EstimationMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An estimation method with its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
pub struct Estimation {
    /// The method.
    pub method: EstimationMethod,
    /// `carry_forward`: most years a value is carried. `trend`: most years a trend is
    /// extrapolated beyond the last (or before the first) report, and a yes/no answer carried.
    pub horizon: u32,
    /// `trend`: most reported years (the latest, or the earliest before the first report)
    /// the least-squares line is fitted on.
    pub trend_years: u32,
}

impl Default for Estimation {
    fn default() -> Self {
        Self::trend(DEFAULT_HORIZON, DEFAULT_TREND_YEARS)
    }
}

/// How one country-year value was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Reported by the country for that very year.
    Reported,
    /// On the straight line between the reported years just before and just after.
    Interpolated,
    /// A reported value (or yes/no answer) of an earlier year, unchanged.
    Carried,
    /// On the least-squares line through the country's nearest reported years.
    Extrapolated,
    /// No value: nothing reported near enough.
    Missing,
}

/// How a series may be estimated, from how its countries combine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SeriesKind {
    /// Rates and percentages (population-weighted means): interpolated and extrapolated,
    /// clamped to the valid range.
    Level {
        /// The indicator's valid range.
        range: Option<(f64, f64)>,
    },
    /// Counts and other summed quantities: interpolated only.
    Count,
    /// Yes/no answers: the last answer carried forward.
    YesNo,
}

/// A value for a country-year, with how it was obtained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The value.
    pub value: f64,
    /// How it was obtained (never `Missing`).
    pub basis: Basis,
    /// First reported year it rests on.
    pub from: i32,
    /// Last reported year it rests on: every reported year in `from..=to` was used.
    pub to: i32,
}

impl Estimate {
    fn reported(year: i32, value: f64) -> Self {
        Self { value, basis: Basis::Reported, from: year, to: year }
    }

    /// Combines the estimates of several indicators of one country-year (a sum, a ratio):
    /// the least certain basis and every year used.
    pub fn combine(self, other: Estimate, value: f64) -> Estimate {
        Estimate {
            value,
            basis: self.basis.max(other.basis),
            from: self.from.min(other.from),
            to: self.to.max(other.to),
        }
    }
}

impl Estimation {
    /// Reporters only.
    pub const NONE: Estimation = Estimation { method: EstimationMethod::None, horizon: 0, trend_years: 0 };

    /// A value carried forward up to `years` years (0: reporters only).
    pub fn carry_forward(years: u32) -> Self {
        Self { method: EstimationMethod::CarryForward, horizon: years, trend_years: 0 }
    }

    /// Interpolation, and trends fitted on up to `trend_years` reported years extrapolated up
    /// to `horizon` years.
    pub fn trend(horizon: u32, trend_years: u32) -> Self {
        Self { method: EstimationMethod::Trend, horizon, trend_years }
    }

    /// The value of `year` in a country's series: the reported one when there is one, else
    /// this method's estimate, else `None`.
    pub fn value(&self, years: &YearValues, year: i32, kind: SeriesKind) -> Option<Estimate> {
        if let Some(value) = years.get(&year) {
            return Some(Estimate::reported(year, *value));
        }
        let estimate = match (self.method, kind) {
            (EstimationMethod::None, _) => None,
            (EstimationMethod::CarryForward, _) | (EstimationMethod::Trend, SeriesKind::YesNo) => {
                carry(years, year, self.horizon)
            }
            (EstimationMethod::Trend, SeriesKind::Count) => interpolate(years, year),
            (EstimationMethod::Trend, SeriesKind::Level { range }) => interpolate(years, year)
                .or_else(|| extrapolate(years, year, self.horizon, self.trend_years))
                .map(|e| Estimate { value: clamp(e.value, range), ..e }),
        };
        estimate.filter(|e| e.value.is_finite())
    }
}

fn within(distance: i64, horizon: u32) -> bool {
    distance <= i64::from(horizon)
}

/// The latest earlier value within `horizon` years.
fn carry(years: &YearValues, year: i32, horizon: u32) -> Option<Estimate> {
    let (&from, &value) = years.range(..year).next_back()?;
    within(i64::from(year) - i64::from(from), horizon).then_some(Estimate {
        value,
        basis: Basis::Carried,
        from,
        to: from,
    })
}

/// The straight line between the reported years just before and just after `year`.
fn interpolate(years: &YearValues, year: i32) -> Option<Estimate> {
    let (&a, &xa) = years.range(..year).next_back()?;
    let (&b, &xb) = years.range(year..).next()?;
    let value = xa + (xb - xa) * f64::from(year - a) / f64::from(b - a);
    Some(Estimate { value, basis: Basis::Interpolated, from: a, to: b })
}

/// The least-squares line through the `trend_years` reported years nearest to `year`, when
/// `year` lies at most `horizon` years beyond the last report (or before the first).
fn extrapolate(years: &YearValues, year: i32, horizon: u32, trend_years: u32) -> Option<Estimate> {
    let n = usize::try_from(trend_years.max(1)).unwrap_or(usize::MAX);
    let (&first, _) = years.first_key_value()?;
    let (&last, _) = years.last_key_value()?;
    let beyond = year > last;
    let distance = if beyond { i64::from(year) - i64::from(last) } else { i64::from(first) - i64::from(year) };
    if !within(distance, horizon) {
        return None;
    }
    let points: Vec<(i32, f64)> = if beyond {
        years.iter().rev().take(n).map(|(y, v)| (*y, *v)).collect()
    } else {
        years.iter().take(n).map(|(y, v)| (*y, *v)).collect()
    };
    let (from, to) = (points.iter().map(|p| p.0).min()?, points.iter().map(|p| p.0).max()?);
    Some(Estimate { value: least_squares(&points, year), basis: Basis::Extrapolated, from, to })
}

/// The value at `year` of the least-squares line through `points` (flat through one point).
fn least_squares(points: &[(i32, f64)], year: i32) -> f64 {
    let n = points.len() as f64;
    let mean_x = points.iter().map(|(x, _)| f64::from(*x)).sum::<f64>() / n;
    let mean_y = points.iter().map(|(_, y)| y).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|(x, _)| (f64::from(*x) - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|(x, y)| (f64::from(*x) - mean_x) * (y - mean_y)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    mean_y + slope * (f64::from(year) - mean_x)
}

fn clamp(value: f64, range: Option<(f64, f64)>) -> f64 {
    match range {
        Some((min, max)) if min <= max => value.clamp(min, max),
        _ => value,
    }
}

#[cfg(test)]
mod tests;
