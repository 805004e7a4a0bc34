//! The query every progress answer takes, and the provenance every answer carries.

use super::estimation::EstimationParams;
use crate::domain::estimation::{Estimation, EstimationMethod};
use crate::domain::progress::Method;
use crate::domain::tracking::Options;
use crate::error::ApiError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Common query of progress endpoints (document it as `ProgressParams, EstimationParams`:
/// the flattened part is not seen by the parameter derive).
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProgressParams {
    /// `statcan` (default), `unsd_2022` or `unsd_2023`.
    pub method: Option<Method>,
    /// Recompute from the data as it was known at this instant (RFC 3339).
    #[serde(default, deserialize_with = "crate::api::extract::as_of")]
    pub as_of: Option<DateTime<Utc>>,
    /// Estimation and coverage.
    #[serde(flatten)]
    #[param(ignore)]
    pub estimation: EstimationParams,
}

impl ProgressParams {
    /// The checked options.
    pub fn options(&self) -> Result<Options, ApiError> {
        self.estimation.options(self.method.unwrap_or_default(), self.as_of)
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
    /// Data version of the newest change among the values the answer reads: the overview and
    /// a country read every indicator, a target its own, an aggregate its indicator. A write to
    /// other indicators leaves it, and the answer, as they were. With `as_of`, the version at
    /// that instant.
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

#[cfg(test)]
mod tests {
    use super::super::AggregateParams;
    use super::*;
    use actix_web::web::Query;

    #[test]
    fn flattened_numbers_parse_from_the_query_string() {
        let q = Query::<ProgressParams>::from_query("min_coverage=0.6&horizon=3&trend_years=4&min_reported=0.25")
            .unwrap()
            .into_inner();
        assert_eq!(q.estimation.min_coverage, Some(0.6));
        assert_eq!(q.estimation.horizon, Some(3));
        assert_eq!(q.estimation.trend_years, Some(4));
        assert_eq!(q.estimation.min_reported, Some(0.25));
        let q = Query::<ProgressParams>::from_query("method=unsd_2023&carry_forward=2&estimation=carry_forward")
            .unwrap()
            .into_inner();
        assert_eq!(q.method, Some(Method::Unsd2023));
        assert_eq!(q.estimation.carry_forward, Some(2));
        assert_eq!(q.estimation.estimation, Some(EstimationMethod::CarryForward));
        let q = Query::<AggregateParams>::from_query("year=2020&explain=true&min_coverage=0.7&horizon=2")
            .unwrap()
            .into_inner();
        assert_eq!((q.year, q.explain), (Some(2020), Some(true)));
        assert_eq!((q.estimation.min_coverage, q.estimation.horizon), (Some(0.7), Some(2)));
    }

    #[test]
    fn unknown_duplicate_and_malformed_fields_are_refused() {
        for query in ["colour=red", "horizon=3&horizon=4", "horizon=-1", "min_coverage=half", "estimation=magic"] {
            assert!(Query::<ProgressParams>::from_query(query).is_err(), "{query}");
            assert!(Query::<AggregateParams>::from_query(query).is_err(), "{query}");
        }
        assert!(Query::<AggregateParams>::from_query("method=statcan").is_err(), "aggregates take no method");
    }
}
