//! `GET /indicators/{code}/aggregates`: any indicator over any group, year by year.

use super::estimation::EstimationParams;
use super::params::{ProgressParams, Provenance};
use super::serve::{serve, Request};
use crate::api::contract;
use crate::api::lookup::{self, Named};
use crate::domain::tracking::{self, MeasureSpec, Point};
use crate::error::ApiError;
use crate::state::progress::Reads;
use crate::state::AppState;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Query of `GET /indicators/{code}/aggregates` (documented with [`EstimationParams`]).
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AggregateParams {
    /// Group code (default `WORLD`).
    pub group: Option<String>,
    /// First year (default 1990).
    pub year_from: Option<i32>,
    /// Last year (default: the assessment year).
    pub year_to: Option<i32>,
    /// One year only (instead of `year_from` and `year_to`).
    pub year: Option<i32>,
    /// With `year`: list every member of the group that year with its value, how it was
    /// obtained, its weight and membership, so the aggregate can be recomputed by hand.
    pub explain: Option<bool>,
    /// Data as known at this instant (RFC 3339).
    #[serde(default, deserialize_with = "crate::api::extract::as_of")]
    pub as_of: Option<DateTime<Utc>>,
    /// Estimation and coverage.
    #[serde(flatten)]
    #[param(ignore)]
    pub estimation: EstimationParams,
}

/// An indicator's aggregate over a group, year by year.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorAggregates {
    /// What it was computed from.
    pub provenance: Provenance,
    /// Indicator code.
    pub indicator: String,
    /// How it is aggregated.
    pub aggregation: crate::domain::catalogue::Aggregation,
    /// Group code.
    pub group: String,
    /// Every year with a value (or a withheld one), with coverage.
    pub series: Vec<Point>,
    /// With `explain=true`: the year's aggregate and every member behind it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<tracking::Explanation>,
}

/// The weighted aggregate of any indicator for any group, year by year, with coverage:
/// population-weighted mean for percentages and rates, sum for counts, share of countries
/// answering yes for yes/no indicators.
///
/// Missing country-years are estimated first (`estimation`, default `trend`), and coverage
/// splits each point's weight into reported, interpolated, extrapolated, carried and missing.
/// `year=Y&explain=true` lists every member of the group that year, with its value, how it
/// was obtained, its weight and membership: Σ value·weight / Σ weight is the aggregate.
/// A year whose aggregate would exceed a double (values stored before the indicator's range
/// existed) stays in the series with `value: null` and `withheld: "overflow"`.
#[utoipa::path(
    tag = "progress",
    params(("code" = String, Path, description = "Indicator code", example = "individuals_internet_pct"), AggregateParams, EstimationParams, ("Cache-Control" = Option<String>, Header, description = super::serve::FRESH_DOC)),
    responses(
        (status = 200, description = "The aggregates", body = IndicatorAggregates, headers(("stale-ms" = u64, description = "Milliseconds since a write superseded this answer, served while the next is computed"))),
        (status = 304, response = contract::NotModified),
        (status = 400, response = contract::BadRequest),
        (status = 404, response = contract::NotFound)
    )
)]
#[get("/indicators/{code}/aggregates")]
pub async fn indicator_aggregates(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<AggregateParams>,
) -> Result<HttpResponse, ApiError> {
    let indicator = lookup::indicator(&state.catalogue, &path, Named::InPath)?.clone();
    let query = query.into_inner();
    let group_code = query.group.clone().unwrap_or_else(|| "WORLD".into());
    let group = state
        .catalogue
        .group(&group_code)
        .ok_or_else(|| ApiError::bad_request("unknown_group", format!("no group `{group_code}`")))?
        .clone();
    let params = ProgressParams { method: None, as_of: query.as_of, estimation: query.estimation.clone() };
    let options = params.options()?;
    let explain = query.explain.unwrap_or(false);
    let (from, to) = match query.year {
        Some(_) if query.year_from.is_some() || query.year_to.is_some() => {
            return Err(ApiError::bad_request("conflicting_years", "give either year or year_from/year_to"));
        }
        Some(year) => (year, year),
        None if explain => return Err(ApiError::bad_request("year_required", "explain=true needs a year")),
        None => (query.year_from.unwrap_or(tracking::FIRST_YEAR), query.year_to.unwrap_or(options.as_of_year)),
    };
    let request = Request {
        scope: format!("aggregates:{}:{}:{from}:{to}:{explain}", indicator.code, group.code),
        options,
        params,
        language: None,
        reads: Reads::Indicators(vec![indicator.code.clone()]),
    };
    serve(&req, &state, request, move |inputs, provenance| {
        let spec = MeasureSpec::of_indicator(&indicator.code, inputs.catalogue)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("indicator {} vanished", indicator.code)))?;
        Ok(IndicatorAggregates {
            provenance,
            series: tracking::indicator_series(inputs, &spec, &group, from, to),
            explanation: explain.then(|| tracking::explain(inputs, &spec, &group, from)),
            indicator: indicator.code,
            aggregation: indicator.aggregation,
            group: group.code,
        })
    })
    .await
}
