//! `GET /countries`, `GET /countries/{iso3}`, `GET /countries/{iso3}/population`.

use super::lookup::{economy, Named::InPath};
use super::respond;
use crate::api::contract;
use crate::domain::catalogue::{Catalogue, Economy, ITU_MEMBERS};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A group named by code and name.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupRef {
    /// Group code, e.g. `AFR`.
    pub code: String,
    /// Group name.
    pub name: String,
}

/// A population figure.
#[derive(Debug, Serialize, ToSchema)]
pub struct PopulationFigure {
    /// Year.
    pub year: i32,
    /// Total population (World Bank SP.POP.TOTL).
    pub value: i64,
}

/// An economy with its ITU membership, region and groups as of today.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "iso3": "KEN", "iso2": "KE", "m49": "404", "name": "Kenya", "short_name": "Kenya",
    "un_region": "Africa", "un_subregion": "Sub-Saharan Africa", "status": "Yes",
    "itu_member": true, "itu_member_since": null, "itu_region": {"code": "AFR", "name": "Africa"},
    "income_group": {"code": "LMC", "name": "Lower middle income"},
    "groups": ["WORLD", "ITU_MEMBERS", "AFR", "DEVELOPING", "LMC"],
    "population": {"year": 2024, "value": 56432944}}))]
pub struct CountryView {
    /// Codes and names.
    #[serde(flatten)]
    pub economy: Economy,
    /// Whether it is an ITU member state today.
    pub itu_member: bool,
    /// Date membership began, when inside the data period (Palau: 2024-09-19).
    pub itu_member_since: Option<NaiveDate>,
    /// ITU region, for member states.
    pub itu_region: Option<GroupRef>,
    /// World Bank income group.
    pub income_group: Option<GroupRef>,
    /// Codes of every group it belongs to today.
    pub groups: Vec<String>,
    /// Latest population figure.
    pub population: Option<PopulationFigure>,
}

impl CountryView {
    fn new(economy: &Economy, catalogue: &Catalogue, today: NaiveDate) -> Self {
        let groups: Vec<_> = catalogue.groups_of(&economy.iso3, today).collect();
        let of_kind = |kind: &str| {
            groups.iter().find(|g| g.kind == kind).map(|g| GroupRef { code: g.code.clone(), name: g.name.clone() })
        };
        let membership = catalogue.membership(ITU_MEMBERS, &economy.iso3);
        let population = catalogue
            .population
            .get(&economy.iso3)
            .and_then(|years| years.last_key_value())
            .map(|(year, value)| PopulationFigure { year: *year, value: *value });
        Self {
            economy: economy.clone(),
            itu_member: membership.is_some_and(|m| m.is_active_on(today)),
            itu_member_since: membership.and_then(|m| m.valid_from),
            itu_region: of_kind("itu_region"),
            income_group: of_kind("income"),
            groups: groups.iter().map(|g| g.code.clone()).collect(),
            population,
        }
    }
}

/// The list of economies.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountryList {
    /// Economies by ISO code.
    pub countries: Vec<CountryView>,
    /// Count.
    pub meta: super::Meta,
}

/// Filters of `GET /countries`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CountryFilter {
    /// Only members of this group today (e.g. `LDC`, `AFR`, `HIC`), case-insensitive.
    pub group: Option<String>,
    /// `true`: only ITU member states; `false`: only other economies.
    pub member: Option<bool>,
}

/// Economies (member states and others that appear in statistics) with their ITU region
/// and groups. The list is bounded (about 250), so it is not paginated.
#[utoipa::path(
    tag = "catalogue",
    params(CountryFilter),
    responses(
        (status = 200, description = "The economies", body = CountryList),
        (status = 304, response = contract::NotModified),
        (status = 400, response = contract::BadRequest)
    )
)]
#[get("/countries")]
pub async fn list_countries(
    req: HttpRequest,
    state: web::Data<AppState>,
    filter: web::Query<CountryFilter>,
) -> Result<HttpResponse, ApiError> {
    let catalogue = &state.catalogue;
    let today = Utc::now().date_naive();
    let group = match &filter.group {
        Some(code) => Some(
            catalogue
                .group(code)
                .ok_or_else(|| ApiError::bad_request("unknown_group", format!("no group `{code}`")))?,
        ),
        None => None,
    };
    let countries: Vec<_> = catalogue
        .economies
        .iter()
        .filter(|e| group.is_none_or(|g| g.members.iter().any(|m| m.iso3 == e.iso3 && m.is_active_on(today))))
        .map(|e| CountryView::new(e, catalogue, today))
        .filter(|c| filter.member.is_none_or(|member| c.itu_member == member))
        .collect();
    let meta = super::Meta { count: countries.len(), language: None };
    Ok(respond::json(&req, None, &CountryList { countries, meta }))
}

/// One economy by ISO 3166 alpha-3 code (case-insensitive).
#[utoipa::path(
    tag = "catalogue",
    params(("iso3" = String, Path, description = "ISO 3166 alpha-3 code", example = "KEN")),
    responses(
        (status = 200, description = "The economy", body = CountryView),
        (status = 304, response = contract::NotModified),
        (status = 404, response = contract::NotFound)
    )
)]
#[get("/countries/{iso3}")]
pub async fn get_country(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let economy = economy(&state.catalogue, &path, InPath)?;
    Ok(respond::json(&req, None, &CountryView::new(economy, &state.catalogue, Utc::now().date_naive())))
}

/// An economy's population by year: the weights of every aggregate it enters.
#[derive(Debug, Serialize, ToSchema)]
pub struct PopulationSeries {
    /// ISO alpha-3.
    pub country: String,
    /// Where the figures come from.
    pub source: String,
    /// Every year with a figure, in order.
    pub figures: Vec<PopulationFigure>,
}

/// An economy's total population year by year (World Bank SP.POP.TOTL). Aggregates weigh a
/// country by its population of the year (or its latest figure up to five years earlier).
#[utoipa::path(
    tag = "catalogue",
    params(("iso3" = String, Path, description = "ISO 3166 alpha-3 code", example = "KEN")),
    responses(
        (status = 200, description = "The population by year", body = PopulationSeries),
        (status = 304, response = contract::NotModified),
        (status = 404, response = contract::NotFound)
    )
)]
#[get("/countries/{iso3}/population")]
pub async fn country_population(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let economy = economy(&state.catalogue, &path, InPath)?;
    let figures: Vec<_> = state
        .catalogue
        .population
        .get(&economy.iso3)
        .into_iter()
        .flatten()
        .map(|(year, value)| PopulationFigure { year: *year, value: *value })
        .collect();
    let series = PopulationSeries {
        country: economy.iso3.clone(),
        source: "World Bank WDI SP.POP.TOTL (CC BY 4.0)".into(),
        figures,
    };
    Ok(respond::json(&req, None, &series))
}
