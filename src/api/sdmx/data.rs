//! `GET /sdmx/rest/data/{flow}/{key}`: economies' values and groups' aggregates as SDMX data,
//! one indicator at a time, so a full export streams (SDMX-ML and SDMX-CSV) without building
//! the whole message.

use super::negotiate::{self, DataFormat};
use super::{context, sdmx_error, Agency};
use crate::api::csv_cell;
use crate::db::observations::{self as store, ObservationQuery, ObservationRecord};
use crate::db::{history, DbConnection};
use crate::domain::catalogue::{Group, Indicator};
use crate::domain::estimation::Estimation;
use crate::domain::progress::Method;
use crate::domain::tracking::{self, DataSet, Inputs, MeasureSpec, Options};
use crate::error::{ApiError, Problem};
use crate::sdmx::csv::{self as sdmx_csv, CsvVersion};
use crate::sdmx::key::{check_flow, period_year, series_by_time, Detail, KeyFilter};
use crate::sdmx::series::{aggregate_series, breakdown_codes, breakdowns, country_series, CountryValue, Series};
use crate::sdmx::xml_data::{self, Shape, XmlKind};
use crate::sdmx::{json as sdmx_json, structure, Context, QueryError, ANNUAL};
use crate::state::AppState;
use actix_web::web::Bytes;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use serde::Deserialize;
use std::sync::Arc;
use utoipa::IntoParams;

/// Query of data requests (SDMX 2.1 REST names).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DataParams {
    /// First period (`2015`, `2015-01`, `2015-Q1`…): from the year it falls in.
    pub start_period: Option<String>,
    /// Last period: up to the year it falls in.
    pub end_period: Option<String>,
    /// Only values changed after this instant (RFC 3339); a group's series are included when
    /// any value of their indicator changed.
    pub updated_after: Option<String>,
    /// The first N observations of each series.
    #[param(minimum = 1)]
    pub first_n_observations: Option<u32>,
    /// The last N observations of each series.
    #[param(minimum = 1)]
    pub last_n_observations: Option<u32>,
    /// `TIME_PERIOD` (default: series) or `AllDimensions` (flat observations); another
    /// dimension is not implemented (501).
    pub dimension_at_observation: Option<String>,
    /// `full` (default), `dataonly`, `serieskeysonly` or `nodata`.
    pub detail: Option<String>,
    /// Revisions are served by `/api/v1/observations/{id}/revisions`; `true` is not
    /// implemented here (501). Left out of the specification: a documented parameter whose
    /// valid value answers 5xx would read as a server fault to generated tests.
    #[param(ignore)]
    pub include_history: Option<bool>,
    /// Instead of `Accept`: `structurespecificdata`, `genericdata`, `csv` (SDMX-CSV 1.0.0),
    /// `csv2` (SDMX-CSV 2.0.0) or `jsondata` (SDMX-JSON 1.0.0).
    pub format: Option<String>,
    /// Answer with the data as known at this instant (RFC 3339), as everywhere in the API.
    #[serde(rename = "as_of", default, deserialize_with = "crate::api::extract::as_of")]
    pub as_of: Option<DateTime<Utc>>,
}

/// Everything a data query selects, checked.
struct Plan {
    filter: KeyFilter,
    indicators: Vec<Indicator>,
    groups: Vec<Group>,
    /// One economy asked for (the database then filters by it), or several, or any.
    single_economy: Option<String>,
    economies_wanted: bool,
    from: i32,
    to: i32,
    updated_after: Option<NaiveDateTime>,
    as_of: Option<NaiveDateTime>,
    first: Option<usize>,
    last: Option<usize>,
    options: Options,
}

fn instant(text: &str) -> Result<NaiveDateTime, QueryError> {
    let parsed = DateTime::parse_from_rfc3339(text)
        .map(|t| t.naive_utc())
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f"))
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d").map(|d| d.and_time(Default::default())));
    parsed.ok().filter(|t| (1..=9999).contains(&t.year())).ok_or_else(|| {
        QueryError::Syntax(format!("`updatedAfter={text}` is not an instant (e.g. 2026-11-30T12:00:00Z)"))
    })
}

fn plan(state: &AppState, key: &str, params: &DataParams) -> Result<Plan, QueryError> {
    let filter = KeyFilter::parse(key)?;
    if params.include_history == Some(true) {
        return Err(QueryError::NotImplemented("includeHistory: see /api/v1/observations/{id}/revisions".into()));
    }
    let catalogue = &state.catalogue;
    let indicators: Vec<Indicator> =
        catalogue.indicators.iter().filter(|i| filter.allows(2, &i.code)).cloned().collect();
    let groups: Vec<Group> = catalogue.groups.iter().filter(|g| filter.allows(1, &g.code)).cloned().collect();
    let economies: Option<Vec<String>> = filter
        .codes(1)
        .map(|codes| codes.iter().filter(|c| catalogue.economy(c).is_some_and(|e| &e.iso3 == *c)).cloned().collect());
    let as_of_year = params.as_of.map_or_else(Utc::now, |at| at.min(Utc::now())).year();
    let from = params.start_period.as_deref().map(|p| period_year("startPeriod", p)).transpose()?;
    let to = params.end_period.as_deref().map(|p| period_year("endPeriod", p)).transpose()?;
    if let Some((from, to)) = from.zip(to).filter(|(f, t)| f > t) {
        return Err(QueryError::Syntax(format!("startPeriod ({from}) is after endPeriod ({to})")));
    }
    let (from, to) = (from.unwrap_or(1), to.unwrap_or(as_of_year));
    let estimation = Estimation::default();
    Ok(Plan {
        single_economy: economies.as_ref().filter(|e| e.len() == 1).map(|e| e[0].clone()),
        economies_wanted: economies.as_ref().is_none_or(|e| !e.is_empty()),
        indicators: if filter.allows(0, ANNUAL) { indicators } else { Vec::new() },
        groups,
        filter,
        from,
        to,
        updated_after: params.updated_after.as_deref().map(instant).transpose()?,
        as_of: params.as_of.map(|t| t.naive_utc()),
        first: params.first_n_observations.map(|n| n as usize),
        last: params.last_n_observations.map(|n| n as usize),
        options: Options {
            method: Method::default(),
            estimation,
            min_coverage: tracking::DEFAULT_MIN_COVERAGE,
            min_reported: tracking::default_min_reported(tracking::DEFAULT_MIN_COVERAGE),
            as_of_year,
        },
    })
}

const PAGE: i64 = 5000;

fn records(
    conn: &mut DbConnection,
    plan: &Plan,
    indicator: &str,
    limit: i64,
) -> Result<Vec<ObservationRecord>, ApiError> {
    let mut query = ObservationQuery {
        country: plan.single_economy.clone(),
        indicators: Some(vec![indicator.to_string()]),
        year_from: Some(plan.from),
        year_to: Some(plan.to),
        changed_since: plan.updated_after,
        as_of: plan.as_of,
        after_id: None,
        limit: limit.min(PAGE),
    };
    let mut all = Vec::new();
    loop {
        let page = store::list(conn, &query)?;
        let full = page.len() as i64 == query.limit;
        query.after_id = page.last().map(|r| r.id);
        all.extend(page);
        if !full || all.len() as i64 >= limit {
            return Ok(all);
        }
    }
}

/// The series of one indicator: economies' values, then groups' aggregates.
fn indicator_series(
    conn: &mut DbConnection,
    state: &AppState,
    plan: &Plan,
    data: &DataSet,
    n: usize,
) -> Result<Vec<Series>, ApiError> {
    let indicator = &plan.indicators[n];
    let catalogue = &state.catalogue;
    let mut all = Vec::new();
    if plan.economies_wanted {
        let found = records(conn, plan, &indicator.code, i64::MAX)?;
        let values = found.iter().filter(|r| !r.withdrawn).filter_map(|r| {
            Some(CountryValue {
                country: &r.country,
                indicator: &r.indicator,
                year: r.year,
                disaggregation: &r.disaggregation,
                value: r.value?,
                nature: &r.nature,
                source: r.source.as_deref(),
                note: r.note.as_deref(),
                evidence_url: r.evidence_url.as_deref(),
            })
        });
        all.extend(country_series(values, catalogue, &plan.filter));
    }
    let changed = plan.updated_after.is_none() || !records(conn, plan, &indicator.code, 1)?.is_empty();
    if changed && !plan.groups.is_empty() {
        let inputs = Inputs { catalogue, data, options: plan.options };
        let spec = MeasureSpec::of_indicator(&indicator.code, catalogue)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("indicator {} vanished", indicator.code)))?;
        for breakdown in breakdowns(indicator) {
            let Some([sex, urbanisation]) = breakdown_codes(&breakdown) else { continue };
            if !plan.filter.allows(3, &sex)
                || !plan.filter.allows(4, &urbanisation)
                || data.series(&indicator.code, &breakdown).is_none()
            {
                continue;
            }
            let spec = spec.disaggregated(&breakdown);
            for group in &plan.groups {
                let points = tracking::indicator_series(inputs, &spec, group, plan.from, plan.to);
                all.extend(aggregate_series(&group.code, indicator, &breakdown, &points));
            }
        }
    }
    for series in &mut all {
        series.keep(plan.first, plan.last);
    }
    Ok(all)
}

/// Computes the series of indicator `n` off the async workers.
async fn chunk(state: Arc<AppState>, plan: Arc<Plan>, data: Arc<DataSet>, n: usize) -> Result<Vec<Series>, ApiError> {
    let db = state.db.clone();
    db.read(move |conn| indicator_series(conn, &state, &plan, &data, n)).await
}

fn render(format: DataFormat, context: &Context, series: &[Series], shape: Shape) -> String {
    match format {
        DataFormat::StructureSpecific => xml_data::series(XmlKind::StructureSpecific, series, shape),
        DataFormat::Generic => xml_data::series(XmlKind::Generic, series, shape),
        DataFormat::Csv1 => sdmx_csv::rows(CsvVersion::V1, context, series, shape.detail, csv_cell::escape),
        DataFormat::Csv2 => sdmx_csv::rows(CsvVersion::V2, context, series, shape.detail, csv_cell::escape),
        DataFormat::Json => String::new(),
    }
}

fn start(format: DataFormat, context: &Context, shape: Shape) -> String {
    match format {
        DataFormat::StructureSpecific => xml_data::start(XmlKind::StructureSpecific, context, shape),
        DataFormat::Generic => xml_data::start(XmlKind::Generic, context, shape),
        DataFormat::Csv1 => sdmx_csv::header(CsvVersion::V1, shape.detail),
        DataFormat::Csv2 => sdmx_csv::header(CsvVersion::V2, shape.detail),
        DataFormat::Json => String::new(),
    }
}

fn end(format: DataFormat) -> String {
    match format {
        DataFormat::StructureSpecific => xml_data::end(XmlKind::StructureSpecific),
        DataFormat::Generic => xml_data::end(XmlKind::Generic),
        _ => String::new(),
    }
}

async fn answer(
    req: HttpRequest,
    state: web::Data<AppState>,
    agency: web::Data<Agency>,
    params: web::Query<DataParams>,
) -> Result<HttpResponse, ApiError> {
    let (format, content_type) = negotiate::data_format(&req, params.format.as_deref())?;
    let flow = req.match_info().get("flow").unwrap_or_default();
    check_flow(flow, &agency.0).map_err(sdmx_error)?;
    let key = req.match_info().get("key").unwrap_or("all");
    let shape = Shape {
        detail: Detail::parse(params.detail.as_deref()).map_err(sdmx_error)?,
        series_by_time: series_by_time(params.dimension_at_observation.as_deref()).map_err(sdmx_error)?,
    };
    if let Some(provider) = req.match_info().get("provider").filter(|p| !matches!(*p, "all" | "*")) {
        return Err(sdmx_error(QueryError::NoResults(format!("no data provider `{provider}`"))));
    }
    let plan = Arc::new(plan(&state, key, &params).map_err(sdmx_error)?);
    let state = state.into_inner();
    // Taken before anything is built, so that the whole build is within the bound.
    let builds = state.whole_builds.clone();
    let _turn = match format {
        DataFormat::Json => Some(builds.turn().await.ok_or_else(|| {
            ApiError::unavailable("too many SDMX-JSON messages are being built; retry shortly (SDMX-CSV and SDMX-ML stream, with no such limit)")
        })?),
        _ => None,
    };
    let loader = state.clone();
    let as_of = plan.as_of;
    let data: Arc<DataSet> = state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            Ok(match as_of {
                Some(at) => {
                    let keys = loader.progress.observation_keys(conn)?;
                    Arc::new(history::as_of(&loader.db, conn, at, &keys)?)
                }
                None => loader.progress.current(conn)?.1,
            })
        })
        .await?;
    // Find the first indicator with data before answering, so that an empty result is a 404.
    let mut next = 0;
    let mut first = Vec::new();
    while next < plan.indicators.len() && first.is_empty() {
        first = chunk(state.clone(), plan.clone(), data.clone(), next).await?;
        next += 1;
    }
    if first.is_empty() {
        return Err(sdmx_error(QueryError::NoResults(format!("no data for the key `{key}` and these parameters"))));
    }
    let context = context(&agency);
    if format == DataFormat::Json {
        for n in next..plan.indicators.len() {
            first.extend(chunk(state.clone(), plan.clone(), data.clone(), n).await?);
        }
        let lists = structure::codelists(&state.catalogue);
        let body = sdmx_json::message(&context, &first, shape, &lists);
        return Ok(HttpResponse::Ok().content_type(content_type).body(body));
    }
    use futures_util::stream::{self, StreamExt};
    let head = format!("{}{}", start(format, &context, shape), render(format, &context, &first, shape));
    let total = plan.indicators.len();
    let rest_context = context.clone();
    let rest = stream::unfold(next, move |n| {
        let (state, plan, data, context) = (state.clone(), plan.clone(), data.clone(), rest_context.clone());
        async move {
            if n >= total {
                return None;
            }
            let piece = match chunk(state, plan, data, n).await {
                Ok(series) => Ok(Bytes::from(render(format, &context, &series, shape))),
                Err(error) => {
                    tracing::error!(code = error.code(), "SDMX export stopped");
                    Err(actix_web::Error::from(error))
                }
            };
            Some((piece, n + 1))
        }
    });
    let body = stream::once(async move { Ok::<_, actix_web::Error>(Bytes::from(head)) })
        .chain(rest)
        .chain(stream::once(async move { Ok(Bytes::from(end(format))) }));
    Ok(HttpResponse::Ok().content_type(content_type).streaming(body))
}

/// SDMX data: economies' values and groups' aggregates (`REF_AREA` a group code such as
/// `WORLD`, `OBS_STATUS` `A` when every value in the aggregate was reported, `I` when some
/// were imputed, `E` when the reported share is below the coverage floor, with the coverage
/// in `COMMENT_OBS`). The key has five positions, `FREQ.REF_AREA.INDICATOR.SEX.URBANISATION`
/// (`A.KEN+UGA.individuals_internet_pct._T._T`; an empty position or `all` is a wildcard).
/// Formats by `Accept` or `format=`: SDMX-ML 2.1 structure-specific (default) or generic
/// data, SDMX-CSV 1.0.0 or 2.0.0, SDMX-JSON 1.0.0. SDMX-ML and SDMX-CSV stream. In SDMX-ML,
/// a character XML 1.0 cannot carry (U+0001–U+001F but tab, line feed and carriage return,
/// which are written as character references; U+FFFE, U+FFFF) in a reporter's `source` or
/// `note` is written as U+FFFD; SDMX-JSON carries the text as stored, SDMX-CSV too (but for the `'`
/// before a cell a spreadsheet would read as a formula). An SDMX-JSON message is built whole,
/// one at a time per instance (up to 16 more wait their turn, beyond that 503 with
/// `Retry-After`). Aggregates
/// use the progress defaults (`trend` estimation, coverage floor 0.5), as
/// `GET /api/v1/indicators/{code}/aggregates` does.
#[utoipa::path(
    tag = "sdmx",
    params(
        ("flow" = String, Path, description = "`CONNECT2030`, `C2030,CONNECT2030` or `C2030,CONNECT2030,latest`", example = "CONNECT2030"),
        ("key" = String, Path, description = "`all`, or `FREQ.REF_AREA.INDICATOR.SEX.URBANISATION` with `+` between codes and empty positions as wildcards", example = "A.KEN+WORLD.individuals_internet_pct._T._T"),
        DataParams
    ),
    responses(
        (status = 200, description = "An SDMX data message",
         content(
            (String = "application/vnd.sdmx.structurespecificdata+xml; version=2.1"),
            (String = "application/vnd.sdmx.genericdata+xml; version=2.1"),
            (String = "application/vnd.sdmx.data+csv; version=1.0.0", example = "DATAFLOW,FREQ,REF_AREA,INDICATOR,SEX,URBANISATION,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS,NATURE,SOURCE_DETAIL,COMMENT_OBS,EVIDENCE_URL\r\nC2030:CONNECT2030(1.0),A,KEN,individuals_internet_pct,_T,_T,2023,40.8,percent,A,C,KNBS,,\r\n"),
            (String = "application/vnd.sdmx.data+csv; version=2.0.0"),
            (serde_json::Value = "application/vnd.sdmx.data+json; version=1.0.0")
         )),
        (status = 400, description = "Malformed key or parameter (e.g. a key with the wrong number of dimensions)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "NoResultsFound: no data for this key, or no such dataflow", body = Problem, content_type = "application/problem+json"),
        (status = 406, description = "No SDMX data format in Accept", body = Problem, content_type = "application/problem+json"),
        (status = 501, description = "A feature this service does not implement (another dimension at observation level, includeHistory)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`unavailable`: too many SDMX-JSON messages are being built at once, or the database cannot answer now; retry after `Retry-After` seconds", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/data/{flow}/{key}")]
pub async fn get_data(
    req: HttpRequest,
    state: web::Data<AppState>,
    agency: web::Data<Agency>,
    params: web::Query<DataParams>,
) -> Result<HttpResponse, ApiError> {
    answer(req, state, agency, params).await
}

/// `/data/{flow}` (every series) and `/data/{flow}/{key}/{provider}` (provider `all`).
pub fn other_data_paths(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    for path in ["/data/{flow}", "/data/{flow}/{key}/{provider}"] {
        cfg.route(path, web::get().to(answer));
    }
}
