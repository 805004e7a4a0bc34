//! The estimation part of a progress or aggregate query: the method, its horizons and the
//! coverage an aggregate needs.

use crate::api::extract::number;
use crate::domain::estimation::{Estimation, EstimationMethod, DEFAULT_HORIZON, DEFAULT_TREND_YEARS};
use crate::domain::progress::Method;
use crate::domain::tracking::{self, Options};
use crate::error::ApiError;
use chrono::{DateTime, Datelike, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

/// How aggregates estimate what countries did not report, and how much coverage a year's
/// aggregate needs: the query fields progress and aggregate answers share.
///
/// It is flattened into their queries, where serde hands every value over as text: numbers
/// are therefore parsed from text here (see [`number`]). The integers' ranges are their
/// `#[param]` bounds, which the query rule ([`crate::api::query`]) enforces before any
/// handler reads them.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EstimationParams {
    /// How aggregates fill the years a country did not report (docs/methodology.md):
    /// `trend` (default: interpolation between reported years, the country's own trend up to
    /// `horizon` years beyond them), `carry_forward` (the latest value up to `horizon` years
    /// old) or `none` (reporters only). A country's own assessment never uses estimates.
    pub estimation: Option<EstimationMethod>,
    /// The `carry_forward` method with this horizon (0 to 10; 0 is reporters only).
    #[serde(default, deserialize_with = "number")]
    #[param(minimum = 0, maximum = 10)]
    pub carry_forward: Option<u32>,
    /// Most years an estimate reaches beyond (or before) a country's reports (0 to 10,
    /// default 5).
    #[serde(default, deserialize_with = "number")]
    #[param(minimum = 0, maximum = 10)]
    pub horizon: Option<u32>,
    /// `trend`: most reported years the least-squares trend is fitted on (1 to 10, default 5).
    #[serde(default, deserialize_with = "number")]
    #[param(minimum = 1, maximum = 10)]
    pub trend_years: Option<u32>,
    /// Least share of a group's weight (population, or countries for counts and yes/no)
    /// with a value, reported or estimated, for a year's aggregate to be assessed (0 to 1,
    /// default 0.5, the UN SDG rule for regional aggregates). Years below it stay in the
    /// series, flagged.
    #[serde(default, deserialize_with = "number")]
    #[param(minimum = 0, maximum = 1)]
    pub min_coverage: Option<f64>,
    /// Least share of a group's weight *reported* (not estimated) for a year's aggregate to
    /// be assessed (0 to 1, default 0.5, or `min_coverage` when that is lower).
    #[serde(default, deserialize_with = "number")]
    #[param(minimum = 0, maximum = 1)]
    pub min_reported: Option<f64>,
}

impl EstimationParams {
    /// The checked options under `method`, for data as known at `as_of`.
    pub fn options(&self, method: Method, as_of: Option<DateTime<Utc>>) -> Result<Options, ApiError> {
        let estimation = self.parse()?;
        let min_coverage = self.min_coverage.unwrap_or(tracking::DEFAULT_MIN_COVERAGE);
        if !(0.0..=1.0).contains(&min_coverage) {
            return Err(ApiError::bad_request("invalid_min_coverage", "min_coverage must be between 0 and 1"));
        }
        let min_reported = self.min_reported.unwrap_or_else(|| tracking::default_min_reported(min_coverage));
        if !(0.0..=1.0).contains(&min_reported) {
            return Err(ApiError::bad_request("invalid_min_reported", "min_reported must be between 0 and 1"));
        }
        // Nothing is known about the future: a later instant is now.
        let as_of_year = as_of.map_or_else(Utc::now, |at| at.min(Utc::now())).year();
        Ok(Options { method, estimation, min_coverage, min_reported, as_of_year })
    }

    /// The estimation asked for; `trend` with five-year horizons by default.
    pub fn parse(&self) -> Result<Estimation, ApiError> {
        let conflict = |detail: &str| Err(ApiError::bad_request("conflicting_estimation", detail.to_string()));
        let method = match (self.estimation, self.carry_forward) {
            (Some(m), Some(_)) if m != EstimationMethod::CarryForward => {
                return conflict(
                    "carry_forward=N is the carry_forward method; do not combine it with another estimation",
                );
            }
            (_, Some(n)) if self.horizon.is_some_and(|h| h != n) => {
                return conflict("carry_forward=N sets the horizon; give one of carry_forward and horizon");
            }
            (Some(m), _) => m,
            (None, Some(_)) => EstimationMethod::CarryForward,
            (None, None) => EstimationMethod::default(),
        };
        let horizon = self.carry_forward.or(self.horizon).unwrap_or(DEFAULT_HORIZON);
        Ok(match method {
            EstimationMethod::None => Estimation::NONE,
            EstimationMethod::CarryForward => Estimation::carry_forward(horizon),
            EstimationMethod::Trend => Estimation::trend(horizon, self.trend_years.unwrap_or(DEFAULT_TREND_YEARS)),
        })
    }
}
