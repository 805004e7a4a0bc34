//! `GET /indicators`, `GET /indicators/{code}`.

use super::lookup::{self, Named};
use super::{respond, Meta};
use crate::api::contract;
use crate::domain::catalogue::Indicator;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

/// The list of indicators.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorList {
    /// Indicators by code.
    pub indicators: Vec<Indicator>,
    /// Count.
    pub meta: Meta,
}

/// Every indicator: unit, valid range, direction, allowed disaggregations and how it is
/// aggregated over a group.
#[utoipa::path(tag = "catalogue", responses((status = 200, description = "The indicators", body = IndicatorList), (status = 304, response = contract::NotModified)))]
#[get("/indicators")]
pub async fn list_indicators(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let indicators = state.catalogue.indicators.clone();
    let meta = Meta { count: indicators.len(), language: None };
    respond::json(&req, None, &IndicatorList { indicators, meta })
}

/// One indicator by code.
#[utoipa::path(
    tag = "catalogue",
    params(("code" = String, Path, description = "Indicator code", example = "individuals_internet_pct")),
    responses(
        (status = 200, description = "The indicator", body = Indicator),
        (status = 304, response = contract::NotModified),
        (status = 404, response = contract::NotFound)
    )
)]
#[get("/indicators/{code}")]
pub async fn get_indicator(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = path.into_inner();
    let indicator = lookup::indicator(&state.catalogue, &code, Named::InPath)?;
    Ok(respond::json(&req, None, indicator))
}
