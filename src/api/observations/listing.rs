//! `GET /observations`: current values, or as known at an instant, as JSON pages or as a
//! streamed CSV export in the importer's format.

use super::views::{self, ObservationView};
use crate::api::extract::{Cursor, DEFAULT_LIMIT};
use crate::api::lookup::{economy, indicator, target, Named::InQuery};
use crate::api::respond;
use crate::api::{contract, encoding};
use crate::db::observations::{self as store, ObservationQuery};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Which observations `GET /observations` and its CSV export `GET /observations.csv` answer.
///
/// Not `deny_unknown_fields`: the listing reads its query as this and [`ListingOptions`], and
/// `api::query` refuses unknown parameters, from the specification, before any handler runs.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ObservationFilter {
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

/// Paging and format of `GET /observations`, beside its [`ObservationFilter`].
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListingOptions {
    /// Opaque cursor from `meta.next_cursor`.
    pub cursor: Option<Cursor>,
    /// Page size (default 100, at most 1000); ignored for CSV, which streams everything.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// `json` (default) or `csv` (same as `Accept: text/csv`).
    #[param(inline)]
    pub format: Option<OutputFormat>,
}

/// Output format of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// JSON pages.
    Json,
    /// CSV, streamed.
    Csv,
}

/// Paging metadata.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageMeta {
    /// Items in this page.
    pub count: usize,
    /// Cursor of the next page; none on the last page.
    pub next_cursor: Option<String>,
    /// The instant the answer reproduces, if `as_of` was given.
    pub as_of: Option<DateTime<Utc>>,
}

/// A page of observations.
#[derive(Debug, Serialize, ToSchema)]
pub struct ObservationPage {
    /// The values, by id.
    pub observations: Vec<ObservationView>,
    /// Paging.
    pub meta: PageMeta,
}

pub(super) const CSV_PAGE: i64 = 5000;

impl ObservationFilter {
    /// The query of one page: the filter's codes looked up, `limit` items (default 100; its
    /// range is checked by the query rule, [`crate::api::query`]), the page after `cursor`.
    pub(super) fn to_query(
        &self,
        state: &AppState,
        cursor: Option<&Cursor>,
        limit: Option<i64>,
    ) -> Result<ObservationQuery, ApiError> {
        let catalogue = &state.catalogue;
        let country = self.country.as_deref().map(|c| economy(catalogue, c, InQuery)).transpose()?;
        let mut indicators = match &self.indicator {
            Some(code) => Some(vec![indicator(catalogue, code, InQuery)?.code.clone()]),
            None => None,
        };
        if let Some(id) = &self.target {
            let target = target(catalogue, id, InQuery)?;
            indicators = Some(match indicators {
                Some(chosen) => chosen.into_iter().filter(|c| target.indicators.contains(c)).collect(),
                None => target.indicators.clone(),
            });
        }
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        Ok(ObservationQuery {
            country: country.map(|e| e.iso3.clone()),
            indicators,
            year_from: self.year_from,
            year_to: self.year_to,
            changed_since: self.changed_since.map(|t| t.naive_utc()),
            as_of: self.as_of.map(|t| t.naive_utc()),
            after_id: cursor.map(Cursor::id).transpose()?,
            limit,
        })
    }
}

fn wants_csv(req: &HttpRequest, format: Option<OutputFormat>) -> bool {
    match format {
        Some(format) => format == OutputFormat::Csv,
        None => req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("").contains("text/csv"),
    }
}

/// Observations: current values, or as known at `as_of`; filter by country, indicator,
/// target, years, or `changed_since` (for mirroring). JSON pages with a cursor, or the whole
/// selection streamed as CSV (`Accept: text/csv` or `?format=csv`) in the importer's format.
#[utoipa::path(
    tag = "observations",
    params(ObservationFilter, ListingOptions),
    responses(
        (status = 200, description = "A page of observations", body = ObservationPage,
         content(
            (ObservationPage = "application/json"),
            (String = "text/csv", example = "country,indicator,year,disaggregation,value,source,nature,note,evidence_url\nKEN,individuals_internet_pct,2023,,40.8,KNBS,reported,,\n")
         )),
        (status = 304, response = contract::NotModified),
        (status = 400, response = contract::BadRequest)
    )
)]
#[get("/observations")]
pub async fn list_observations(
    req: HttpRequest,
    state: web::Data<AppState>,
    filter: web::Query<ObservationFilter>,
    options: web::Query<ListingOptions>,
) -> Result<HttpResponse, ApiError> {
    let mut query = filter.to_query(&state, options.cursor.as_ref(), options.limit)?;
    if wants_csv(&req, options.format) {
        query.limit = CSV_PAGE;
        return Ok(stream_csv(state.into_inner(), query, encoding::accepts_gzip(&req)));
    }
    let page_query = query.clone();
    let records = state.db.read(move |conn| store::list(conn, &page_query)).await?;
    let next_cursor = (records.len() as i64 == query.limit).then(|| Cursor::after(records.last().map_or(0, |r| r.id)));
    let observations: Vec<_> = records.iter().map(|r| ObservationView::new(r, &state.catalogue)).collect();
    let meta = PageMeta { count: observations.len(), next_cursor, as_of: filter.as_of };
    Ok(respond::json(&req, None, &ObservationPage { observations, meta }))
}

/// The selected observations as CSV, one page at a time; gzip-compressed as it goes when `gzip`.
pub(super) fn stream_csv(state: std::sync::Arc<AppState>, query: ObservationQuery, gzip: bool) -> HttpResponse {
    use futures_util::stream::{self, StreamExt};
    let mut header = csv::Writer::from_writer(Vec::new());
    let _ = header.write_record(views::CSV_COLUMNS);
    let first =
        stream::once(async move { Ok::<_, actix_web::Error>(Bytes::from(header.into_inner().unwrap_or_default())) });
    // One page at a time: a full export never sits in memory.
    let pages = stream::unfold(Some(query), move |next| {
        let state = state.clone();
        async move {
            let query = next?;
            let page_query = query.clone();
            let page = match state.db.read(move |conn| store::list(conn, &page_query)).await {
                Ok(page) => page,
                Err(error) => {
                    tracing::error!(%error, "CSV export stopped");
                    return Some((Err(ApiError::from(error).into()), None));
                }
            };
            if page.is_empty() {
                return None;
            }
            let mut out = csv::Writer::from_writer(Vec::with_capacity(page.len() * 64));
            views::write_csv(&mut out, &page, &state.catalogue);
            let following = (page.len() as i64 == query.limit)
                .then(|| ObservationQuery { after_id: page.last().map(|r| r.id), ..query });
            Some((Ok(Bytes::from(out.into_inner().unwrap_or_default())), following))
        }
    });
    let mut response = HttpResponse::Ok();
    response
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"observations.csv\""))
        .insert_header((header::VARY, "Accept-Encoding"));
    if gzip {
        response.insert_header((header::CONTENT_ENCODING, "gzip")).streaming(encoding::gzip_stream(first.chain(pages)))
    } else {
        response.streaming(first.chain(pages))
    }
}
