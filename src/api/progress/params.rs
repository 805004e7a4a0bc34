//! The query every progress answer takes, and the provenance every answer carries.

use super::estimation::EstimationQuery;
use crate::domain::estimation::{Estimation, EstimationMethod};
use crate::domain::progress::Method;
use crate::domain::tracking::{self, Options};
use crate::error::ApiError;
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Common query of progress endpoints.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProgressParams {
    /// `statcan` (default), `unsd_2022` or `unsd_2023`.
    pub method: Option<Method>,
    /// Recompute from the data as it was known at this instant (RFC 3339).
    #[serde(default, deserialize_with = "crate::api::extract::as_of")]
    pub as_of: Option<DateTime<Utc>>,
    /// How aggregates fill the years a country did not report (docs/methodology.md):
    /// `trend` (default: interpolation between reported years, the country's own trend up to
    /// `horizon` years beyond them), `carry_forward` (the latest value up to `horizon` years
    /// old) or `none` (reporters only). A country's own assessment never uses estimates.
    pub estimation: Option<EstimationMethod>,
    /// The `carry_forward` method with this horizon (0 to 10; 0 is reporters only).
    #[param(minimum = 0, maximum = 10)]
    pub carry_forward: Option<u32>,
    /// Most years an estimate reaches beyond (or before) a country's reports (0 to 10,
    /// default 5).
    #[param(minimum = 0, maximum = 10)]
    pub horizon: Option<u32>,
    /// `trend`: most reported years the least-squares trend is fitted on (1 to 10, default 5).
    #[param(minimum = 1, maximum = 10)]
    pub trend_years: Option<u32>,
    /// Least share of a group's weight (population, or countries for counts and yes/no)
    /// with a value, reported or estimated, for a year's aggregate to be assessed (0 to 1,
    /// default 0.5, the UN SDG rule for regional aggregates). Years below it stay in the
    /// series, flagged.
    #[param(minimum = 0, maximum = 1)]
    pub min_coverage: Option<f64>,
    /// Least share of a group's weight *reported* (not estimated) for a year's aggregate to
    /// be assessed (0 to 1, default 0.5, or `min_coverage` when that is lower).
    #[param(minimum = 0, maximum = 1)]
    pub min_reported: Option<f64>,
}

impl ProgressParams {
    /// The checked options.
    pub fn options(&self) -> Result<Options, ApiError> {
        let method = self.method.unwrap_or_default();
        let estimation = EstimationQuery {
            method: self.estimation,
            carry_forward: self.carry_forward,
            horizon: self.horizon,
            trend_years: self.trend_years,
        }
        .parse()?;
        let min_coverage = self.min_coverage.unwrap_or(tracking::DEFAULT_MIN_COVERAGE);
        if !(0.0..=1.0).contains(&min_coverage) {
            return Err(ApiError::bad_request("invalid_min_coverage", "min_coverage must be between 0 and 1"));
        }
        let min_reported = self.min_reported.unwrap_or_else(|| tracking::default_min_reported(min_coverage));
        if !(0.0..=1.0).contains(&min_reported) {
            return Err(ApiError::bad_request("invalid_min_reported", "min_reported must be between 0 and 1"));
        }
        // Nothing is known about the future: a later instant is now.
        let as_of_year = self.as_of.map_or_else(Utc::now, |at| at.min(Utc::now())).year();
        Ok(Options { method, estimation, min_coverage, min_reported, as_of_year })
    }
}

/// What an answer was computed from, so anyone can recompute it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Provenance {
    /// The method applied.
    pub method: Method,
    /// How aggregates estimated the years countries did not report.
    pub estimation: Estimation,
    /// Years a value may be carried forward into aggregates by the `carry_forward` method
    /// (0 under the other methods).
    pub carry_forward: u32,
    /// Least coverage (reported plus estimated) for a year's aggregate to enter an assessment.
    pub min_coverage: f64,
    /// Least reported share for a year's aggregate to enter an assessment.
    pub min_reported: f64,
    /// The instant the data is taken as of (none: current data).
    pub as_of: Option<DateTime<Utc>>,
    /// Calendar year of the assessment; later data is ignored.
    pub as_of_year: i32,
    /// Data version the answer was computed from (it changes whenever any value changes).
    pub data_version: i64,
    /// Values the computation read.
    pub values: usize,
    /// Group weights: population of the year (World Bank SP.POP.TOTL); membership of a group
    /// in a year is membership on 1 July.
    pub weights: String,
}

impl Provenance {
    /// The `carry_forward` figure of provenance: the horizon of that method, else 0.
    pub fn carried_years(estimation: &Estimation) -> u32 {
        if estimation.method == EstimationMethod::CarryForward {
            estimation.horizon
        } else {
            0
        }
    }
}
