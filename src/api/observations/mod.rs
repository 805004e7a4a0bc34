//! `POST /observations` (batches), `GET /observations` (JSON pages or streamed CSV),
//! `GET /observations/{id}/revisions`, `DELETE /observations/{id}`.

pub mod input;
pub mod views;

use super::extract::{decode_cursor, encode_cursor, page_limit, path_id};
use super::respond;
use crate::api::contract;
use crate::auth::{Authenticated, Caller};
use crate::db::ingest::{self, Submitter};
use crate::db::observations::{self as store, ObservationQuery};
use crate::db::{idempotency, write};
use crate::domain::ingest::SubmissionReport;
use crate::domain::observation::{validate_batch, RawValue};
use crate::error::{ApiError, FieldError};
use crate::state::metrics::Metrics;
use crate::state::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::web::Bytes;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Datelike, Utc};
use input::BodyFormat;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use views::ObservationView;

/// One observation in a JSON submission (CSV uses the same names as header columns, with
/// `disaggregation` written `sex=female`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // documents the wire format; parsing goes through RawRow for per-field errors
pub struct ObservationInput {
    /// ISO 3166 alpha-3 code of the economy.
    #[schema(example = "KEN")]
    country: String,
    /// Indicator code.
    #[schema(example = "individuals_internet_pct")]
    indicator: String,
    /// Year the value describes, from the indicator's `first_year` (1960 unless the catalogue
    /// says otherwise, see `GET /api/v1/indicators`) to the current year.
    #[schema(example = 2023)]
    year: i32,
    /// A number within the indicator's valid range, or `yes`/`no` (also `true`/`false`) for
    /// yes/no indicators.
    value: InputValue,
    /// Breakdown allowed by the indicator, e.g. `{"sex": "female"}`; absent for the total.
    disaggregation: Option<BTreeMap<String, String>>,
    /// Where the value comes from (at most 500 characters).
    source: Option<String>,
    /// `reported` (default), `estimated` or `modelled`.
    nature: Option<String>,
    /// Free remark (at most 2000 characters).
    note: Option<String>,
    /// For yes/no indicators: link to the strategy, plan or law (http or https).
    evidence_url: Option<String>,
}

/// A value as sent: a number, `yes`/`no`, or a JSON boolean for yes/no indicators.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum InputValue {
    /// A number in the indicator's unit.
    Number(f64),
    /// `yes` or `no`.
    YesNo(crate::domain::observation::YesNo),
    /// `true` (yes) or `false` (no).
    Bool(bool),
}

/// A JSON submission.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"observations": [
    {"country": "KEN", "indicator": "individuals_internet_pct", "year": 2023, "value": 40.8,
     "source": "KNBS", "nature": "reported"},
    {"country": "KEN", "indicator": "individuals_internet_pct", "year": 2023, "value": 35.2,
     "disaggregation": {"sex": "female"}},
    {"country": "KEN", "indicator": "netp", "year": 2022, "value": "yes",
     "evidence_url": "https://example.org/kenya-netp.pdf"}]}))]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct SubmissionBody {
    /// The rows (1 to 100,000).
    #[schema(min_items = 1, max_items = 100000)]
    observations: Vec<ObservationInput>,
}

/// Options of a submission.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SubmitOptions {
    /// Answer the report the real call would give, and write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get("Idempotency-Key") else { return Ok(None) };
    let key = value.to_str().map_err(|_| invalid_key())?.trim();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid_key());
    }
    Ok(Some(key.to_string()))
}

fn invalid_key() -> ApiError {
    ApiError::bad_request("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 visible ASCII characters")
}

/// Submit a batch of observations (JSON or CSV). All or nothing.
///
/// Every row is checked against the catalogue (known economy and indicator, year from the
/// indicator's `first_year` to this year, value in the indicator's range or yes/no, allowed
/// disaggregation, no duplicate key in the batch). One bad row rejects the whole batch, and
/// the answer lists **every** problem of every kind at once in `errors` (JSON rows by 0-based
/// index, CSV rows by the file's line number): unreadable rows, rows of countries the key may
/// not write, invalid fields. The status names the dominant kind: 403 when any row is for a
/// country the key may not write (correcting values would not help), otherwise 422. The list
/// holds at most the first 1,000 problems; `errors_total` and `error_counts` then give the
/// full count and the count by code. A good batch is applied in one
/// transaction; the report gives each row's outcome (`created`, `revised` with the previous
/// value, `unchanged`). Nothing is overwritten: a revision is a new row in the history.
///
/// `?dry_run=true` answers the same report and writes nothing. With an `Idempotency-Key`, a
/// retry with the same body replays the first answer (`Idempotent-Replayed: true`) and another
/// body under the same key is refused with 409; dry runs ignore the key. Bodies are limited
/// to 32 MiB and 100,000 rows (413).
#[utoipa::path(
    tag = "observations",
    params(
        SubmitOptions,
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$",
         description = "Makes retries safe: the same key and body replay the first answer (1 to 255 visible ASCII characters)")
    ),
    request_body(
        description = "JSON `{\"observations\": [...]}`, CSV with a header row `country,indicator,year,value[,disaggregation,source,nature,note,evidence_url]`, or SDMX-CSV 1.0.0 or 2.0.0 of the dataflow `CONNECT2030` (the columns `GET /sdmx/rest/data/CONNECT2030/all` writes in that version; `REF_AREA` an economy, yes/no values 1 or 0, `NATURE` C/E/M, errors name the file's line and the SDMX column)",
        content(
            (SubmissionBody = "application/json"),
            (String = "application/vnd.sdmx.data+csv; version=1.0.0", example = "DATAFLOW,FREQ,REF_AREA,INDICATOR,SEX,URBANISATION,TIME_PERIOD,OBS_VALUE,NATURE,SOURCE_DETAIL\nC2030:CONNECT2030(1.0),A,KEN,individuals_internet_pct,_T,_T,2023,40.8,C,KNBS\n"),
            (String = "application/vnd.sdmx.data+csv; version=2.0.0", example = "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,INDICATOR,SEX,URBANISATION,TIME_PERIOD,OBS_VALUE,NATURE,SOURCE_DETAIL\ndataflow,C2030:CONNECT2030(1.0),I,A,KEN,individuals_internet_pct,female,_T,2023,35.2,C,KNBS\n"),
            (String = "text/csv", example = "country,indicator,year,value,disaggregation,source\nKEN,individuals_internet_pct,2023,40.8,,KNBS\nKEN,individuals_internet_pct,2023,35.2,sex=female,KNBS\n")
        )
    ),
    responses(
        (status = 201, description = "Applied; the submission report", body = SubmissionReport,
         headers(
            ("Location" = String, description = "The stored submission"),
            ("Idempotent-Replayed" = String, description = "`true` when this answer replays the first one given for the same `Idempotency-Key` and body")
         )),
        (status = 200, description = "Dry run: the report the real call would give; nothing written", body = SubmissionReport),
        (status = 400, response = contract::BadRequest),
        (status = 403, response = contract::Forbidden),
        (status = 409, response = contract::Conflict),
        (status = 413, response = contract::PayloadTooLarge),
        (status = 415, response = contract::UnsupportedMediaType),
        (status = 422, response = contract::Unprocessable)
    ),
    security(("api_key" = []))
)]
#[post("/observations")]
pub async fn submit_observations(
    req: HttpRequest,
    state: web::Data<AppState>,
    agency: web::Data<crate::api::sdmx::Agency>,
    Authenticated(caller, (options, body)): Authenticated<(web::Query<SubmitOptions>, Bytes)>,
) -> Result<HttpResponse, ApiError> {
    let format = BodyFormat::of(&req)?;
    // A malformed key is refused even in a dry run, which otherwise ignores it.
    let idempotency_key = idempotency_key(&req)?.filter(|_| !options.dry_run);
    let mut parsed = input::parse(format, &body)?;
    let catalogue = state.catalogue.clone();
    if let BodyFormat::SdmxCsv(_) = format {
        let flow = crate::sdmx::flow_ref(&agency.0);
        parsed.errors.extend(crate::sdmx::upload::resolve(&mut parsed.rows, &catalogue, &flow));
    }
    let valid = check_batch(&state, &caller, &parsed, &catalogue, format)?;
    let row_count = valid.len() as u64;

    let submitter =
        Submitter { reporter_id: caller.reporter_id, key_id: Some(caller.key_id), format: format.as_str().to_string() };
    if options.dry_run {
        let (report, _) = state
            .db
            .dry_run(move |conn| {
                let at = write::begin(conn)?;
                ingest::apply(conn, &catalogue, &submitter, &valid, at, true)
            })
            .await?;
        return Ok(HttpResponse::Ok().json(report));
    }

    let request_hash =
        hex::encode(Sha256::new().chain_update(format.as_str()).chain_update([0]).chain_update(&body).finalize());
    let reporter_id = caller.reporter_id;
    let (report_json, submission_id, replayed) = state
        .db
        .write(move |conn| {
            let at = write::begin(conn)?;
            if let Some(key) = &idempotency_key {
                if let Some((stored_hash, submission_id)) = idempotency::find(conn, reporter_id, key)? {
                    if stored_hash != request_hash {
                        return Err(ApiError::new(
                            StatusCode::CONFLICT,
                            "idempotency_key_reused",
                            "this Idempotency-Key was used with another request body",
                        ));
                    }
                    let stored = store::submission(conn, submission_id)?
                        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("submission {submission_id} vanished")))?;
                    return Ok((stored.report, submission_id, true));
                }
            }
            let (report, json) = ingest::apply(conn, &catalogue, &submitter, &valid, at, false)?;
            let submission_id = report.submission_id.unwrap_or_default();
            if let Some(key) = &idempotency_key {
                idempotency::store(conn, reporter_id, key, &request_hash, submission_id, at)?;
            }
            tracing::info!(
                submission_id,
                reporter_id,
                created = report.counts.created,
                revised = report.counts.revised,
                unchanged = report.counts.unchanged,
                "submission applied"
            );
            Ok((json, submission_id, false))
        })
        .await?;
    if !replayed {
        Metrics::add(&state.metrics.submissions, 1);
        Metrics::add(&state.metrics.rows_accepted, row_count);
    }
    let mut response = HttpResponse::Created();
    response.insert_header((header::LOCATION, format!("/api/v1/submissions/{submission_id}")));
    if replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(response.content_type("application/json").body(report_json))
}

/// Every problem of a batch in one answer: unreadable rows, rows of countries the key may not
/// write and invalid rows. Any row of another country makes it a 403 (no correction of values
/// would help); otherwise 422.
fn check_batch(
    state: &AppState,
    caller: &Caller,
    parsed: &input::Parsed,
    catalogue: &crate::domain::catalogue::Catalogue,
    format: BodyFormat,
) -> Result<Vec<crate::domain::observation::ValidObservation>, ApiError> {
    let forbidden: Vec<FieldError> = parsed
        .rows
        .iter()
        .filter_map(|row| match row.fields.get("country") {
            Some(RawValue::Text(code)) => catalogue.economy(code).filter(|e| !caller.may_write(&e.iso3)).map(|e| {
                let own = caller.country.as_deref().unwrap_or("no country");
                FieldError::row(
                    row.index,
                    "country",
                    "forbidden_country",
                    format!("this key writes for {own}, not {}", e.iso3),
                )
            }),
            _ => None,
        })
        .collect();
    let validated = validate_batch(&parsed.rows, catalogue, Utc::now().year());
    if forbidden.is_empty() && parsed.errors.is_empty() {
        if let Ok(valid) = validated {
            return Ok(valid);
        }
    }
    let forbidden_rows = forbidden.len();
    let mut errors: Vec<FieldError> =
        parsed.errors.iter().cloned().chain(forbidden).chain(validated.err().unwrap_or_default()).collect();
    errors.sort_by_key(|e| e.index);
    if let BodyFormat::SdmxCsv(_) = format {
        // Name the SDMX column the sender wrote, not the service's field behind it.
        for error in &mut errors {
            error.field = crate::sdmx::upload::column_of(&error.field).to_string();
        }
    }
    let bad_rows = errors.iter().filter_map(|e| e.index).collect::<std::collections::BTreeSet<_>>().len();
    Metrics::add(&state.metrics.submissions_rejected, 1);
    Metrics::add(&state.metrics.rows_rejected, bad_rows as u64);
    Err(if forbidden_rows > 0 {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden_country",
            format!(
                "{forbidden_rows} rows are for countries this key may not write; {bad_rows} rows have problems in all; \
                 nothing was written"
            ),
        )
        .with_errors(errors)
    } else {
        ApiError::unprocessable(format!("{bad_rows} rows are invalid; nothing was written"), errors)
    })
}

/// Filters of `GET /observations`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
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
    /// Answer with what was known at this instant (RFC 3339).
    #[serde(default, deserialize_with = "crate::api::extract::as_of")]
    pub as_of: Option<DateTime<Utc>>,
    /// Opaque cursor from `meta.next_cursor`.
    #[param(pattern = "^6f3a(3[0-9]){1,18}$")]
    pub cursor: Option<String>,
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

const CSV_PAGE: i64 = 5000;

impl ObservationFilter {
    fn to_query(&self, state: &AppState) -> Result<ObservationQuery, ApiError> {
        let catalogue = &state.catalogue;
        let country = match &self.country {
            Some(code) => Some(
                catalogue
                    .economy(code)
                    .ok_or_else(|| ApiError::bad_request("unknown_country", format!("no economy `{code}`")))?
                    .iso3
                    .clone(),
            ),
            None => None,
        };
        let mut indicators = match &self.indicator {
            Some(code) => Some(vec![catalogue
                .indicator(code)
                .ok_or_else(|| ApiError::bad_request("unknown_indicator", format!("no indicator `{code}`")))?
                .code
                .clone()]),
            None => None,
        };
        if let Some(id) = &self.target {
            let target = catalogue
                .target(id)
                .ok_or_else(|| ApiError::bad_request("unknown_target", format!("no target `{id}`")))?;
            indicators = Some(match indicators {
                Some(chosen) => chosen.into_iter().filter(|c| target.indicators.contains(c)).collect(),
                None => target.indicators.clone(),
            });
        }
        let limit = page_limit(self.limit)?;
        Ok(ObservationQuery {
            country,
            indicators,
            year_from: self.year_from,
            year_to: self.year_to,
            changed_since: self.changed_since.map(|t| t.naive_utc()),
            as_of: self.as_of.map(|t| t.naive_utc()),
            after_id: self.cursor.as_deref().map(decode_cursor).transpose()?,
            limit,
        })
    }
}

fn wants_csv(req: &HttpRequest, filter: &ObservationFilter) -> Result<bool, ApiError> {
    match filter.format {
        Some(OutputFormat::Csv) => return Ok(true),
        Some(OutputFormat::Json) => return Ok(false),
        None => {}
    }
    let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    Ok(accept.contains("text/csv"))
}

/// Observations: current values, or as known at `as_of`; filter by country, indicator,
/// target, years, or `changed_since` (for mirroring). JSON pages with a cursor, or the whole
/// selection streamed as CSV (`Accept: text/csv` or `?format=csv`) in the importer's format.
#[utoipa::path(
    tag = "observations",
    params(ObservationFilter),
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
) -> Result<HttpResponse, ApiError> {
    let mut query = filter.to_query(&state)?;
    if wants_csv(&req, &filter)? {
        query.limit = CSV_PAGE;
        return Ok(stream_csv(state.into_inner(), query));
    }
    let page_query = query.clone();
    let records = state.db.read(move |conn| store::list(conn, &page_query)).await?;
    let next_cursor = (records.len() as i64 == query.limit).then(|| encode_cursor(records.last().map_or(0, |r| r.id)));
    let observations: Vec<_> = records.iter().map(|r| ObservationView::new(r, &state.catalogue)).collect();
    let meta = PageMeta { count: observations.len(), next_cursor, as_of: filter.as_of };
    Ok(respond::json(&req, None, &ObservationPage { observations, meta }))
}

fn stream_csv(state: std::sync::Arc<AppState>, query: ObservationQuery) -> HttpResponse {
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
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"observations.csv\""))
        .streaming(first.chain(pages))
}

/// A revision of one value.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionHistory {
    /// Every revision, oldest first (`revision_number` 1, 2, …); withdrawals have no value.
    pub revisions: Vec<ObservationView>,
    /// Count.
    pub meta: super::Meta,
}

/// The full history of one value: every revision with who sent it, with which key, in which
/// submission, and when.
#[utoipa::path(
    tag = "observations",
    params(("id" = i64, Path, description = "Observation id")),
    responses(
        (status = 200, description = "The revisions", body = RevisionHistory),
        (status = 304, response = contract::NotModified),
        (status = 404, response = contract::NotFound)
    )
)]
#[get("/observations/{id}/revisions")]
pub async fn observation_revisions(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path, "unknown_observation")?;
    let records = state
        .db
        .read(move |conn| store::history(conn, id))
        .await?
        .ok_or_else(|| ApiError::not_found("unknown_observation", format!("no observation {id}")))?;
    let revisions: Vec<_> = records.iter().map(|r| ObservationView::new(r, &state.catalogue)).collect();
    let meta = super::Meta { count: revisions.len(), language: None };
    Ok(respond::json(&req, None, &RevisionHistory { revisions, meta }))
}

/// The result of a withdrawal.
#[derive(Debug, Serialize, ToSchema)]
pub struct WithdrawalView {
    /// The observation; its current revision is the withdrawal.
    pub observation: ObservationView,
    /// False when it had already been withdrawn (nothing new was recorded).
    pub withdrawn_now: bool,
    /// Data version after the call.
    pub data_version: i64,
}

/// Withdraw a value. Recorded as a new revision without a value; the history keeps every
/// earlier value, and `as_of` before the withdrawal still shows it.
#[utoipa::path(
    tag = "observations",
    params(("id" = i64, Path, description = "Observation id")),
    responses(
        (status = 200, description = "Withdrawn", body = WithdrawalView),
        (status = 403, response = contract::Forbidden),
        (status = 404, response = contract::NotFound)
    ),
    security(("api_key" = []))
)]
#[delete("/observations/{id}")]
pub async fn withdraw_observation(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path, "unknown_observation")?;
    let withdrawal = state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let at = write::begin(conn)?;
            let current = store::current(conn, id)?
                .ok_or_else(|| ApiError::not_found("unknown_observation", format!("no observation {id}")))?;
            if !caller.may_write(&current.country) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "forbidden_country",
                    format!("this key may not change data of {}", current.country),
                ));
            }
            Ok(store::withdraw(conn, current, caller.actor(), at)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(WithdrawalView {
        observation: ObservationView::new(&withdrawal.record, &state.catalogue),
        withdrawn_now: withdrawal.withdrawn_now,
        data_version: withdrawal.data_version,
    }))
}
