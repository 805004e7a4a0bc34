//! `GET /observations.csv`: the CSV export as an operation of its own, whose only answer is
//! `text/csv`, so that clients generated from the specification download it as text (the
//! listing's `?format=csv` answers CSV under a JSON-first contract).

use super::listing::{stream_csv, ObservationFilter, OutputFormat, CSV_PAGE};
use crate::api::contract;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

/// Filters of the export: the listing's, without paging (the export streams everything).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportFilter {
    /// ISO 3166 alpha-3 code.
    pub country: Option<String>,
    /// Indicator code.
    pub indicator: Option<String>,
    /// Target id: the indicators its rule reads.
    pub target: Option<String>,
    /// First year.
    pub year_from: Option<i32>,
    /// Last year.
    pub year_to: Option<i32>,
    /// Only values changed after this instant (RFC 3339); withdrawals are included.
    #[serde(default, deserialize_with = "crate::api::extract::changed_since")]
    pub changed_since: Option<DateTime<Utc>>,
    /// The values as known at this instant (RFC 3339).
    #[serde(default, deserialize_with = "crate::api::extract::as_of")]
    pub as_of: Option<DateTime<Utc>>,
}

/// The selected observations as CSV, streamed, in the importer's format (the same file
/// `POST /observations` takes back unchanged; cells that would start a spreadsheet formula
/// carry a leading `'`, which the importer removes).
#[utoipa::path(
    tag = "observations",
    params(ExportFilter),
    responses(
        (status = 200, description = "CSV with a header row", content_type = "text/csv", body = String,
         example = "country,indicator,year,disaggregation,value,source,nature,note,evidence_url\nKEN,individuals_internet_pct,2023,,40.8,KNBS,reported,,\n"),
        (status = 400, response = contract::BadRequest)
    )
)]
#[get("/observations.csv")]
pub async fn export_observations(
    state: web::Data<AppState>,
    filter: web::Query<ExportFilter>,
) -> Result<HttpResponse, ApiError> {
    let ExportFilter { country, indicator, target, year_from, year_to, changed_since, as_of } = filter.into_inner();
    let listing = ObservationFilter {
        country,
        indicator,
        target,
        year_from,
        year_to,
        changed_since,
        as_of,
        cursor: None,
        limit: None,
        format: Some(OutputFormat::Csv),
    };
    let mut query = listing.to_query(&state)?;
    query.limit = CSV_PAGE;
    Ok(stream_csv(state.into_inner(), query))
}
