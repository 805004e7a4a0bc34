//! `GET /observations.csv`: the CSV export as an operation of its own, whose only answer is
//! `text/csv`, so that clients generated from the specification download it as text (the
//! listing's `?format=csv` answers CSV under a JSON-first contract).

use super::listing::{stream_csv, ObservationFilter, CSV_PAGE};
use crate::api::{contract, encoding};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{get, web, HttpRequest, HttpResponse};

/// The selected observations as CSV, streamed, in the importer's format (the same file
/// `POST /observations` takes back unchanged; cells that would start a spreadsheet formula
/// carry a leading `'`, which the importer removes).
#[utoipa::path(
    tag = "observations",
    params(ObservationFilter),
    responses(
        (status = 200, description = "CSV with a header row", content_type = "text/csv", body = String,
         example = "country,indicator,year,disaggregation,value,source,nature,note,evidence_url\nKEN,individuals_internet_pct,2023,,40.8,KNBS,reported,,\n"),
        (status = 400, response = contract::BadRequest)
    )
)]
#[get("/observations.csv")]
pub async fn export_observations(
    req: HttpRequest,
    state: web::Data<AppState>,
    filter: web::Query<ObservationFilter>,
) -> Result<HttpResponse, ApiError> {
    let mut query = filter.to_query(&state, None, None)?;
    query.limit = CSV_PAGE;
    Ok(stream_csv(state.into_inner(), query, encoding::accepts_gzip(&req)))
}
