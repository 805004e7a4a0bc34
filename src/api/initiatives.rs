//! `POST /initiatives`, `GET /initiatives`.

use super::extract::{Cursor, DEFAULT_LIMIT};
use super::lookup::{economy, target, Named::InQuery};
use super::observations::views::utc;
use super::respond;
use crate::api::contract;
use crate::auth::Authenticated;
use crate::db::initiatives::{self, InitiativeRecord};
use crate::domain::initiative::{validate, InitiativeInput, InitiativeKind};
use crate::error::{ApiError, FieldError};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A shared initiative.
#[derive(Debug, Serialize, ToSchema)]
pub struct InitiativeView {
    /// Id.
    pub id: i64,
    /// ISO alpha-3 of the member state.
    pub country: String,
    /// Kind.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Link.
    pub url: Option<String>,
    /// Targets it contributes to.
    pub targets: Vec<String>,
    /// Year it started or was adopted.
    pub year: Option<i32>,
    /// Who shared it.
    pub reporter_id: i64,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl From<InitiativeRecord> for InitiativeView {
    fn from(r: InitiativeRecord) -> Self {
        Self {
            id: r.id,
            country: r.country,
            kind: r.kind,
            title: r.title,
            summary: r.summary,
            url: r.url,
            targets: r.targets.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect(),
            year: r.year,
            reporter_id: r.reporter_id,
            created_at: utc(r.created_at),
        }
    }
}

/// Share an initiative, strategy, policy, case study, good practice or lesson learned,
/// linked to targets. Reporters share for their own country only.
#[utoipa::path(
    tag = "observations",
    request_body = InitiativeInput,
    responses((status = 201, description = "Stored", body = InitiativeView)),
    security(("api_key" = []))
)]
#[post("/initiatives")]
pub async fn create_initiative(
    state: web::Data<AppState>,
    Authenticated(caller, body): Authenticated<web::Json<InitiativeInput>>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    if let Some(country) = state.catalogue.economy(&input.country) {
        if !caller.may_write(&country.iso3) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden_country",
                format!("this key may not share for {}", country.iso3),
            )
            .with_errors(vec![FieldError::request(
                "country",
                "forbidden_country",
                "not this key's country",
            )]));
        }
    }
    let valid = validate(input, &state.catalogue)
        .map_err(|errors| ApiError::unprocessable("the initiative is invalid; nothing was stored", errors))?;
    let record = state.db.write(move |conn| initiatives::create(conn, &valid, caller.actor())).await?;
    Ok(HttpResponse::Created().json(InitiativeView::from(record)))
}

/// Filters of `GET /initiatives`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InitiativeFilter {
    /// ISO alpha-3.
    pub country: Option<String>,
    /// Target id.
    pub target: Option<String>,
    /// Kind of initiative.
    #[param(inline)]
    pub kind: Option<InitiativeKind>,
    /// Opaque cursor from `meta.next_cursor`.
    pub cursor: Option<Cursor>,
    /// Page size (default 100, at most 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// A page of initiatives.
#[derive(Debug, Serialize, ToSchema)]
pub struct InitiativePage {
    /// Initiatives by id.
    pub initiatives: Vec<InitiativeView>,
    /// Paging.
    pub meta: super::observations::PageMeta,
}

/// Initiatives shared by member states, by country, target and kind.
#[utoipa::path(
    tag = "observations",
    params(InitiativeFilter),
    responses(
        (status = 200, description = "A page of initiatives", body = InitiativePage),
        (status = 304, response = contract::NotModified),
        (status = 400, response = contract::BadRequest)
    )
)]
#[get("/initiatives")]
pub async fn list_initiatives(
    req: HttpRequest,
    state: web::Data<AppState>,
    filter: web::Query<InitiativeFilter>,
) -> Result<HttpResponse, ApiError> {
    let catalogue = &state.catalogue;
    let country =
        filter.country.as_deref().map(|c| economy(catalogue, c, InQuery)).transpose()?.map(|e| e.iso3.clone());
    let target = filter.target.as_deref().map(|t| target(catalogue, t, InQuery)).transpose()?.map(|t| t.id.clone());
    let kind = filter.kind.map(InitiativeKind::as_str);
    let limit = filter.limit.unwrap_or(DEFAULT_LIMIT);
    let after = filter.cursor.as_ref().map(Cursor::id).transpose()?.unwrap_or(0);
    let records = state
        .db
        .read(move |conn| initiatives::list(conn, country.as_deref(), kind, target.as_deref(), after, limit))
        .await?;
    let next_cursor = (records.len() as i64 == limit).then(|| Cursor::after(records.last().map_or(0, |r| r.id)));
    let initiatives: Vec<InitiativeView> = records.into_iter().map(InitiativeView::from).collect();
    let meta = super::observations::PageMeta { count: initiatives.len(), next_cursor, as_of: None };
    Ok(respond::json(&req, None, &InitiativePage { initiatives, meta }))
}
