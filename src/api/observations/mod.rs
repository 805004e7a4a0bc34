//! `POST /observations` (batches), `GET /observations` (JSON pages or streamed CSV),
//! `GET /observations/{id}/revisions`, `DELETE /observations/{id}`.

mod export;
pub mod input;
mod listing;
mod service;
pub mod views;
pub mod wire;

pub use export::export_observations;
pub use listing::{list_observations, ObservationFilter, ObservationPage, OutputFormat, PageMeta};
pub use wire::{InputValue, ObservationInput, SubmissionBody};

use super::extract::path_id;
use super::respond;
use crate::api::contract;
use crate::auth::{Authenticated, Caller};
use crate::db::observations as store;
use crate::db::write;
use crate::domain::ingest::SubmissionReport;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::web::Bytes;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use input::BodyFormat;
use serde::{Deserialize, Serialize};
use service::{Outcome, Submission};
use utoipa::{IntoParams, ToSchema};
use views::ObservationView;

/// Options of a submission.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SubmitOptions {
    /// Answer the report the real call would give, and write nothing.
    #[serde(default)]
    pub dry_run: bool,
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
/// A row sets what it sends. An optional attribute (`source`, `nature`, `note`,
/// `evidence_url`) it leaves out (no JSON member, no CSV or SDMX-CSV column) keeps its stored
/// value; one sent empty (JSON `null` or `""`, an empty cell) is cleared (`nature`: back to
/// `reported`). A revised row's `changed` names the fields that differ from the stored value;
/// a row where none does is `unchanged`. The new revision records the whole resulting state.
///
/// A CSV quote never closed is a problem of the line where it opens (`unterminated_quote`),
/// not a cell running to the end of the file; a JSON observation naming a member twice is
/// refused with 400 `duplicate_key`.
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
            (String = "text/csv", example = "country,indicator,year,value,disaggregation,source\nKEN,individuals_internet_pct,2023,40.8,,KNBS\nKEN,individuals_internet_pct,2023,35.2,sex=female,KNBS\n"),
            (input::CsvFile = "application/octet-stream")
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
    let sdmx_flow = crate::sdmx::flow_ref(&agency.0);
    let submission = Submission { format, body: &body, dry_run: options.dry_run, idempotency_key, sdmx_flow };
    match service::submit(&state, &caller, submission).await? {
        Outcome::DryRun(report) => Ok(HttpResponse::Ok().json(report)),
        Outcome::Applied { report_json, submission_id, replayed } => {
            let mut response = HttpResponse::Created();
            response.insert_header((header::LOCATION, format!("/api/v1/submissions/{submission_id}")));
            if replayed {
                response.insert_header(("Idempotent-Replayed", "true"));
            }
            Ok(response.content_type("application/json").body(report_json))
        }
    }
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
