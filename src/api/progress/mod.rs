//! `GET /progress`, `GET /progress/targets/{target}`, `GET /progress/countries/{iso3}`,
//! `GET /indicators/{code}/aggregates`: computed progress, cached by data version.

mod estimation;

pub use estimation::EstimationQuery;

use super::extract::Lang;
use super::respond;
use super::targets::TargetView;
use crate::db::{dataset, write};
use crate::domain::catalogue::{Catalogue, Economy, Measure, RuleKind, Target};
use crate::domain::estimation::{Estimation, EstimationMethod};
use crate::domain::language::Language;
use crate::domain::progress::Method;
use crate::domain::tracking::{self, CountryProgress, DataSet, GroupProgress, Inputs, MeasureSpec, Options, Point};
use crate::error::{ApiError, Problem};
use crate::state::AppState;
use actix_web::web::Bytes;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// Common query of progress endpoints.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProgressParams {
    /// `statcan` (default), `unsd_2022` or `unsd_2023`.
    pub method: Option<Method>,
    /// Recompute from the data as it was known at this instant (RFC 3339).
    #[serde(default, deserialize_with = "crate::api::extract::as_of")]
    pub as_of: Option<DateTime<Utc>>,
    /// How aggregates fill the years a country did not report (docs/methodology.md):
    /// `trend` (default: interpolation between reported years, the country's own trend up to
    /// `horizon` years beyond them), `carry_forward` (the latest value up to `horizon` years
    /// old) or `none` (reporters only). A country's own assessment never uses estimates.
    pub estimation: Option<EstimationMethod>,
    /// The `carry_forward` method with this horizon (0 to 10; 0 is reporters only).
    #[param(minimum = 0, maximum = 10)]
    pub carry_forward: Option<u32>,
    /// Most years an estimate reaches beyond (or before) a country's reports (0 to 10,
    /// default 5).
    #[param(minimum = 0, maximum = 10)]
    pub horizon: Option<u32>,
    /// `trend`: most reported years the least-squares trend is fitted on (1 to 10, default 5).
    #[param(minimum = 1, maximum = 10)]
    pub trend_years: Option<u32>,
    /// Least share of a group's weight (population, or countries for counts and yes/no)
    /// with a value, reported or estimated, for a year's aggregate to be assessed (0 to 1,
    /// default 0.5, the UN SDG rule for regional aggregates). Years below it stay in the
    /// series, flagged.
    #[param(minimum = 0, maximum = 1)]
    pub min_coverage: Option<f64>,
    /// Least share of a group's weight *reported* (not estimated) for a year's aggregate to
    /// be assessed (0 to 1, default 0.5, or `min_coverage` when that is lower).
    #[param(minimum = 0, maximum = 1)]
    pub min_reported: Option<f64>,
}

impl ProgressParams {
    /// The checked options.
    pub fn options(&self) -> Result<Options, ApiError> {
        let method = self.method.unwrap_or_default();
        let estimation = EstimationQuery {
            method: self.estimation,
            carry_forward: self.carry_forward,
            horizon: self.horizon,
            trend_years: self.trend_years,
        }
        .parse()?;
        let min_coverage = self.min_coverage.unwrap_or(tracking::DEFAULT_MIN_COVERAGE);
        if !(0.0..=1.0).contains(&min_coverage) {
            return Err(ApiError::bad_request("invalid_min_coverage", "min_coverage must be between 0 and 1"));
        }
        let min_reported = self.min_reported.unwrap_or_else(|| tracking::default_min_reported(min_coverage));
        if !(0.0..=1.0).contains(&min_reported) {
            return Err(ApiError::bad_request("invalid_min_reported", "min_reported must be between 0 and 1"));
        }
        // Nothing is known about the future: a later instant is now.
        let as_of_year = self.as_of.map_or_else(Utc::now, |at| at.min(Utc::now())).year();
        Ok(Options { method, estimation, min_coverage, min_reported, as_of_year })
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
    /// Data version the answer was computed from (it changes whenever any value changes).
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

/// What a computed answer is: its cache scope (everything that selects it besides the
/// options, language and data version), its query and its language.
pub struct Request {
    /// e.g. `target:1.2`.
    pub scope: String,
    /// The query.
    pub params: ProgressParams,
    /// The checked options.
    pub options: Options,
    /// The language of the texts, for localised answers.
    pub language: Option<Language>,
}

/// Serves a computed JSON answer (see [`serve_as`]).
async fn serve<F, T>(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    request: Request,
    compute: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(Inputs, Provenance) -> Result<T, ApiError> + Send + 'static,
    T: Serialize,
{
    serve_as(req, state, request, respond::JSON, move |inputs, provenance| {
        serde_json::to_vec(&compute(inputs, provenance)?).map_err(ApiError::internal)
    })
    .await
}

/// Serves a computed answer of any media type: 304 on a matching ETag without computing, the
/// cached bytes when present, otherwise computes off the async workers and caches.
pub async fn serve_as<F>(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    request: Request,
    content_type: &'static str,
    compute: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(Inputs, Provenance) -> Result<Vec<u8>, ApiError> + Send + 'static,
{
    let key_for = |version: i64| {
        format!(
            "{}|{:?}|{:?}|{:?}|v{version}|{}",
            request.scope,
            request.options,
            request.params.as_of.map(|t| t.timestamp_micros()),
            request.language,
            env!("CARGO_PKG_VERSION"),
        )
    };
    let version = match state.progress.known_version(&state.db) {
        Some(version) => version,
        None => {
            let shared = state.get_ref().clone();
            state.db.read(move |conn| shared.progress.data_version(&shared.db, conn)).await?
        }
    };
    let key = key_for(version);
    let etag = respond::etag_of(key.as_bytes());
    if respond::matches_etag(req, &etag) {
        return Ok(respond::tagged_as(req, request.language, &etag, Bytes::new(), content_type));
    }
    if let Some(body) = state.progress.answer(&key) {
        return Ok(respond::tagged_as(req, request.language, &etag, body, content_type));
    }
    let shared = state.get_ref().clone();
    let (options, as_of) = (request.options, request.params.as_of);
    let (version, body) = actix_web::web::block(move || -> Result<(i64, Bytes), ApiError> {
        let mut conn = shared.db.get()?;
        let (version, data): (i64, Arc<DataSet>) = match as_of {
            Some(at) => (write::current_version(&mut conn)?, Arc::new(dataset::as_of(&mut conn, at.naive_utc())?)),
            None => shared.progress.current(&mut conn)?,
        };
        drop(conn);
        let provenance = Provenance {
            method: options.method,
            estimation: options.estimation,
            carry_forward: Provenance::carried_years(&options.estimation),
            min_coverage: options.min_coverage,
            min_reported: options.min_reported,
            as_of,
            as_of_year: options.as_of_year,
            data_version: version,
            values: data.len(),
            weights: "population".into(),
        };
        let inputs = Inputs { catalogue: &shared.catalogue, data: &data, options };
        Ok((version, Bytes::from(compute(inputs, provenance)?)))
    })
    .await??;
    let key = key_for(version);
    let etag = respond::etag_of(key.as_bytes());
    state.progress.store(key, version, body.clone());
    Ok(respond::tagged_as(req, request.language, &etag, body, content_type))
}

/// One target's line in the overview.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetLine {
    /// Target id.
    pub id: String,
    /// What the target says.
    pub text: String,
    /// Rule kind.
    pub kind: RuleKind,
    /// How its indicators combine.
    pub measure: Measure,
    /// Indicators read.
    pub indicators: Vec<String>,
    /// Its progress over its group: latest aggregate with coverage, assessment.
    pub progress: GroupProgress,
}

/// One goal in the overview.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalLine {
    /// Goal number.
    pub id: i32,
    /// Goal name.
    pub name: String,
    /// Its targets.
    pub targets: Vec<TargetLine>,
}

/// The dashboard overview.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressOverview {
    /// What it was computed from.
    pub provenance: Provenance,
    /// Language of the texts.
    pub language: Language,
    /// Goals with their targets.
    pub goals: Vec<GoalLine>,
}

/// The overview, computed from the inputs.
pub fn overview(inputs: Inputs, provenance: Provenance, language: Language) -> ProgressOverview {
    let catalogue: &Catalogue = inputs.catalogue;
    let goals = catalogue
        .goals
        .iter()
        .map(|goal| GoalLine {
            id: goal.id,
            name: language.pick(&goal.name.en, &goal.name.zh).to_string(),
            targets: catalogue
                .targets_of_goal(goal.id)
                .filter_map(|target| {
                    Some(TargetLine {
                        id: target.id.clone(),
                        text: language.pick(&target.text.en, &target.text.zh).to_string(),
                        kind: target.rule.kind,
                        measure: target.rule.measure,
                        indicators: target.indicators.clone(),
                        progress: tracking::headline(inputs, target, false)?,
                    })
                })
                .collect(),
        })
        .collect();
    ProgressOverview { provenance, language, goals }
}

/// Progress overview for dashboards: every goal and target with its group's latest
/// aggregate, coverage, target value and status under the chosen method.
///
/// Answers carry a strong `ETag` derived from the stored data version and the query, so
/// `If-None-Match` is answered with 304 without computing, identically on every instance.
#[utoipa::path(
    tag = "progress",
    params(ProgressParams, ("Accept-Language" = Option<String>, Header, description = "`zh` for Chinese texts")),
    responses(
        (status = 200, description = "The overview", body = ProgressOverview),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/progress")]
pub async fn progress_overview(
    req: HttpRequest,
    state: web::Data<AppState>,
    params: web::Query<ProgressParams>,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    let params = params.into_inner();
    let request = Request { scope: "overview".into(), options: params.options()?, params, language: Some(lang.0) };
    serve(&req, &state, request, move |inputs, provenance| Ok(overview(inputs, provenance, lang.0))).await
}

/// One target's progress in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetProgressView {
    /// What it was computed from.
    pub provenance: Provenance,
    /// The target and its rule.
    pub target: TargetView,
    /// Headline, other groups, components and countries.
    #[serde(flatten)]
    pub breakdown: tracking::TargetBreakdown,
}

/// One target: its group's aggregate series and assessment, the same for the ITU regions,
/// development groups, LDC/LLDC/SIDS and income groups, and every country's assessment.
#[utoipa::path(
    tag = "progress",
    params(
        ("target" = String, Path, description = "Target id", example = "1.2"),
        ProgressParams,
        ("Accept-Language" = Option<String>, Header, description = "`zh` for Chinese texts")
    ),
    responses(
        (status = 200, description = "The target's progress", body = TargetProgressView),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such target", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/progress/targets/{target}")]
pub async fn target_progress(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    params: web::Query<ProgressParams>,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    let target = state
        .catalogue
        .target(&path)
        .ok_or_else(|| ApiError::not_found("unknown_target", format!("no target `{}`", path.as_str())))?
        .clone();
    let params = params.into_inner();
    let request =
        Request { scope: format!("target:{}", target.id), options: params.options()?, params, language: Some(lang.0) };
    serve(&req, &state, request, move |inputs, provenance| target_view(inputs, provenance, &target, lang.0)).await
}

/// One target's progress, computed from the inputs.
pub fn target_view(
    inputs: Inputs,
    provenance: Provenance,
    target: &Target,
    language: Language,
) -> Result<TargetProgressView, ApiError> {
    let breakdown = tracking::breakdown(inputs, target)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("target {} has no measurable indicator", target.id)))?;
    Ok(TargetProgressView { provenance, target: TargetView::new(target, language), breakdown })
}

/// One target's progress for a country.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountryTargetLine {
    /// Target id.
    pub target: String,
    /// What the target says.
    pub text: String,
    /// Rule kind.
    pub kind: RuleKind,
    /// The country's answer or assessment.
    pub progress: CountryProgress,
}

/// Every target for one country.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountryProgressView {
    /// What it was computed from.
    pub provenance: Provenance,
    /// ISO alpha-3.
    pub country: String,
    /// Common name.
    pub name: String,
    /// Every target, in order.
    pub targets: Vec<CountryTargetLine>,
}

/// One country's assessment for every target: its latest yes/no answers, and its own
/// series held to each numeric target's rule.
#[utoipa::path(
    tag = "progress",
    params(
        ("iso3" = String, Path, description = "ISO 3166 alpha-3 code", example = "KEN"),
        ProgressParams,
        ("Accept-Language" = Option<String>, Header, description = "`zh` for Chinese texts")
    ),
    responses(
        (status = 200, description = "The country's progress", body = CountryProgressView),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such economy", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/progress/countries/{iso3}")]
pub async fn country_progress(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    params: web::Query<ProgressParams>,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    let economy = state.catalogue.economy(&path).cloned().ok_or_else(|| {
        ApiError::not_found("unknown_country", format!("no economy with ISO 3166 alpha-3 code `{}`", path.as_str()))
    })?;
    let params = params.into_inner();
    let request = Request {
        scope: format!("country:{}", economy.iso3),
        options: params.options()?,
        params,
        language: Some(lang.0),
    };
    serve(&req, &state, request, move |inputs, provenance| Ok(country_view(inputs, provenance, &economy, lang.0))).await
}

/// One country's progress for every target, computed from the inputs.
pub fn country_view(
    inputs: Inputs,
    provenance: Provenance,
    economy: &Economy,
    language: Language,
) -> CountryProgressView {
    let targets = inputs
        .catalogue
        .targets
        .iter()
        .filter_map(|target| {
            let spec = MeasureSpec::of_target(target, inputs.catalogue)?;
            Some(CountryTargetLine {
                target: target.id.clone(),
                text: language.pick(&target.text.en, &target.text.zh).to_string(),
                kind: target.rule.kind,
                progress: tracking::country_progress(inputs, target, &spec, &economy.iso3, true),
            })
        })
        .collect();
    CountryProgressView { provenance, country: economy.iso3.clone(), name: economy.short_name.clone(), targets }
}

/// Query of `GET /indicators/{code}/aggregates`.
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
    /// `trend` (default), `carry_forward` or `none`; see the progress endpoints.
    pub estimation: Option<EstimationMethod>,
    /// The `carry_forward` method with this horizon (0 to 10).
    #[param(minimum = 0, maximum = 10)]
    pub carry_forward: Option<u32>,
    /// Most years an estimate reaches beyond a country's reports (0 to 10, default 5).
    #[param(minimum = 0, maximum = 10)]
    pub horizon: Option<u32>,
    /// `trend`: most reported years the trend is fitted on (1 to 10, default 5).
    #[param(minimum = 1, maximum = 10)]
    pub trend_years: Option<u32>,
    /// Least share with a value for a year to be flagged as meeting coverage (default 0.5).
    #[param(minimum = 0, maximum = 1)]
    pub min_coverage: Option<f64>,
    /// Least reported share for a year to be flagged as meeting coverage (default 0.5).
    #[param(minimum = 0, maximum = 1)]
    pub min_reported: Option<f64>,
    /// Data as known at this instant (RFC 3339).
    #[serde(default, deserialize_with = "crate::api::extract::as_of")]
    pub as_of: Option<DateTime<Utc>>,
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
    /// Every year with a value, with coverage.
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
#[utoipa::path(
    tag = "progress",
    params(("code" = String, Path, description = "Indicator code", example = "individuals_internet_pct"), AggregateParams),
    responses(
        (status = 200, description = "The aggregates", body = IndicatorAggregates),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such indicator", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/indicators/{code}/aggregates")]
pub async fn indicator_aggregates(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<AggregateParams>,
) -> Result<HttpResponse, ApiError> {
    let indicator = state
        .catalogue
        .indicator(&path)
        .ok_or_else(|| ApiError::not_found("unknown_indicator", format!("no indicator `{}`", path.as_str())))?
        .clone();
    let query = query.into_inner();
    let group_code = query.group.clone().unwrap_or_else(|| "WORLD".into());
    let group = state
        .catalogue
        .group(&group_code)
        .ok_or_else(|| ApiError::bad_request("unknown_group", format!("no group `{group_code}`")))?
        .clone();
    let params = ProgressParams {
        method: None,
        as_of: query.as_of,
        estimation: query.estimation,
        carry_forward: query.carry_forward,
        horizon: query.horizon,
        trend_years: query.trend_years,
        min_coverage: query.min_coverage,
        min_reported: query.min_reported,
    };
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
