//! `GET /`, `/targets/{id}`, `/countries/{iso3}` (HTML), the embeddable chart
//! `GET /api/v1/progress/targets/{target}/chart.svg`, and the stylesheet and script. Every one
//! is computed by the same view functions as the JSON progress answers, cached and tagged by
//! data version the same way.

use super::chart::Size;
use super::figures::{Figure, Measure};
use super::pages::layout::{self, Context};
use super::pages::{country, dashboard, target};
use super::query::ViewQuery;
use crate::api::contract;
use crate::api::extract::LocalisedRead;
use crate::api::initiatives::InitiativeView;
use crate::api::lookup::{self, Named};
use crate::api::progress::{self, serve_as, Provenance, Request};
use crate::api::respond;
use crate::db::initiatives;
use crate::domain::catalogue::{Economy, Target};
use crate::domain::language::Language;
use crate::domain::tracking::{self, Inputs, MeasureSpec};
use crate::error::ApiError;
use crate::state::progress::Reads;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, guard, web, HttpRequest, HttpResponse};

const HTML: &str = "text/html; charset=utf-8";
const SVG: &str = "image/svg+xml";

/// Most initiatives listed on a country page (the newest; the page links to all of them).
const MAX_INITIATIVES: i64 = 200;

fn request(
    (scope, reads): (String, Reads),
    query: ViewQuery,
    negotiated: Language,
) -> Result<(Request, Language, bool), ApiError> {
    let language = query.lang.unwrap_or(negotiated);
    let chosen = query.lang.is_some();
    let options = query.progress.options()?;
    let scope = format!("{scope}|chosen={chosen}");
    Ok((Request { scope, params: query.progress, options, language: Some(language), reads }, language, chosen))
}

fn find_target(state: &AppState, id: &str) -> Result<Target, ApiError> {
    lookup::target(&state.catalogue, id, Named::InPath).cloned()
}

fn find_economy(state: &AppState, iso3: &str) -> Result<Economy, ApiError> {
    lookup::economy(&state.catalogue, iso3, Named::InPath).cloned()
}

/// Serves a page: its query parsed, its language chosen, rendered from the progress views
/// (cached and tagged like them; `scope` names everything else the page depends on).
async fn serve_page<F>(
    page: LocalisedRead,
    (scope, path, reads): (String, String, Reads),
    render: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&Context, Inputs, Provenance) -> Result<String, ApiError> + Send + 'static,
{
    let query = ViewQuery::parse(page.req.query_string(), &[])?;
    let (request, language, chosen) = request((format!("page:{scope}"), reads), query, page.language)?;
    serve_as(&page.req, &page.state, request, HTML, move |inputs, provenance| {
        let context = Context { language, chosen, path, data_version: provenance.data_version };
        Ok(render(&context, inputs, provenance)?.into_bytes())
    })
    .await
}

/// The dashboard: five goals, 24 target tiles.
#[get("/")]
pub async fn dashboard_page(page: LocalisedRead) -> Result<HttpResponse, ApiError> {
    let progress = page.state.progress.clone();
    serve_page(page, ("overview".into(), "/".into(), Reads::All), move |context, inputs, provenance| {
        let view = progress::overview(inputs, provenance, context.language, &progress.pieces);
        Ok(dashboard::render(context, inputs.catalogue, &view))
    })
    .await
}

/// One target: its charts and every country's assessment.
#[get("/targets/{target}")]
pub async fn target_page(page: LocalisedRead, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let target = find_target(&page.state, &path)?;
    let reads = Reads::Indicators(target.indicators.clone());
    let scope = (format!("target:{}", target.id), format!("/targets/{}", target.id), reads);
    serve_page(page, scope, move |context, inputs, provenance| {
        let measure = Measure::of(&target, inputs.catalogue);
        let view = progress::target_view(inputs, provenance, &target, context.language)?;
        Ok(target::render(context, &target, &measure, &view))
    })
    .await
}

/// One country: every target, and its initiatives.
#[get("/countries/{iso3}")]
pub async fn country_page(page: LocalisedRead, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let economy = find_economy(&page.state, &path)?;
    let iso3 = economy.iso3.clone();
    let (records, total) =
        page.state.db.read(move |conn| initiatives::newest_of_country(conn, &iso3, MAX_INITIATIVES)).await?;
    // Initiatives are only ever added: their number and newest id identify the list.
    let listed = format!("{total}:{}", records.first().map_or(0, |r| r.id));
    let scope = (format!("country:{}:{listed}", economy.iso3), format!("/countries/{}", economy.iso3), Reads::All);
    serve_page(page, scope, move |context, inputs, provenance| {
        let view = progress::country_view(inputs, provenance, &economy, context.language);
        let shared = country::Initiatives { newest: records.into_iter().map(InitiativeView::from).collect(), total };
        Ok(country::render(context, inputs.catalogue, &view, &shared))
    })
    .await
}

/// A target's chart as SVG, for `<img src>` in reports and other dashboards: the series of
/// the target's group (or, with `country`, of that country) against the target line and the
/// deadline, reported and estimated points told apart, years below the coverage floor in
/// grey, and the projected year of attainment. It carries `<title>` and `<desc>` for screen
/// readers, and a strong `ETag` like every progress answer.
#[utoipa::path(
    tag = "progress",
    params(
        ("target" = String, Path, description = "Target id", example = "1.2"),
        ("country" = Option<String>, Query, description = "ISO 3166 alpha-3 code: chart this country's own series"),
        ("lang" = Option<Language>, Query, description = "`en` or `zh` (else `Accept-Language` decides)"),
        // Read by `ViewQuery` (with `country` and `lang`), documented like every progress read.
        progress::ProgressRead
    ),
    responses(
        (status = 200, description = "The chart", content_type = "image/svg+xml", body = String, headers(("stale-ms" = u64, description = "Milliseconds since a write superseded this answer, served while the next is computed"))),
        (status = 304, response = contract::NotModified),
        (status = 400, response = contract::BadRequest),
        (status = 404, response = contract::NotFound)
    )
)]
#[get("/progress/targets/{target}/chart.svg")]
pub async fn target_chart(read: LocalisedRead, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let target = find_target(&read.state, &path)?;
    let query = ViewQuery::parse(read.req.query_string(), &["country"])?;
    let economy = match query.country.as_deref() {
        Some(code) => Some(lookup::economy(&read.state.catalogue, code, Named::InQuery)?.clone()),
        None => None,
    };
    let subject = economy.as_ref().map_or("group", |e| e.iso3.as_str());
    let reads = Reads::Indicators(target.indicators.clone());
    let (request, language, _) = request((format!("svg:{}:{subject}", target.id), reads), query, read.language)?;
    serve_as(&read.req, &read.state, request, SVG, move |inputs, _| {
        let measure = Measure::of(&target, inputs.catalogue);
        let figure = Figure { id: "chart".into(), target: &target, measure: &measure, language, size: Size::Full };
        let missing = || ApiError::internal(anyhow::anyhow!("target {} has no measurable indicator", target.id));
        let chart = match &economy {
            Some(economy) => {
                let spec = MeasureSpec::of_target(&target, inputs.catalogue).ok_or_else(missing)?;
                let progress = tracking::country_progress(inputs, &target, &spec, &economy.iso3, true);
                match &progress.assessment {
                    Some(assessment) => figure.country(&economy.short_name, &progress.series, assessment),
                    None => figure.answer(&economy.short_name, progress.answer.as_ref()),
                }
            }
            None => figure.group(&tracking::headline(inputs, &target, true).ok_or_else(missing)?),
        };
        Ok(chart.document().into_bytes())
    })
    .await
}

fn asset(req: &HttpRequest, content_type: &str, body: &'static str) -> HttpResponse {
    let etag = respond::etag_of(body.as_bytes());
    if respond::matches_etag(req, &etag) {
        return HttpResponse::NotModified().insert_header((header::ETAG, etag)).finish();
    }
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .content_type(content_type)
        .body(body)
}

/// The dashboard's stylesheet (compiled into the binary).
async fn stylesheet(req: HttpRequest) -> HttpResponse {
    asset(&req, "text/css; charset=utf-8", include_str!("assets/dashboard.css"))
}

/// The dashboard's script (compiled into the binary; it only adds table sorting).
async fn script(req: HttpRequest) -> HttpResponse {
    asset(&req, "text/javascript; charset=utf-8", include_str!("assets/dashboard.js"))
}

/// Registers the pages and assets (the chart is registered with the documented API).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(dashboard_page)
        .service(target_page)
        .service(country_page)
        // Guarded like the pages, so that another method reaches the 405 that names `Allow`.
        .service(web::resource(layout::STYLE_PATH).guard(guard::Get()).to(stylesheet))
        .service(web::resource(layout::SCRIPT_PATH).guard(guard::Get()).to(script));
}
