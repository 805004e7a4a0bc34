//! `GET /submissions/{id}`.

use super::extract::path_id;
use super::observations::views::utc;
use super::respond;
use crate::api::contract;
use crate::db::{reporters, submissions};
use crate::domain::ingest::SubmissionReport;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// Who sent a submission.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmitterView {
    /// Reporter id.
    pub id: i64,
    /// Reporter name.
    pub name: String,
    /// Its member state (none for the secretariat).
    pub country: Option<String>,
}

/// A stored submission and its report.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionView {
    /// Id.
    pub id: i64,
    /// Who sent it.
    pub reporter: SubmitterView,
    /// With which key (none for the bundled public data).
    pub key_id: Option<i64>,
    /// `json`, `csv` or `bundled`.
    pub format: String,
    /// Rows sent.
    pub row_count: i32,
    /// When it was received.
    pub received_at: DateTime<Utc>,
    /// Its report, every row listed (the answer to the submission listed at most the first 1,000).
    pub report: SubmissionReport,
}

/// One submission: who sent what, when, with which key, and its report.
#[utoipa::path(
    tag = "observations",
    params(("id" = i64, Path, description = "Submission id")),
    responses(
        (status = 200, description = "The submission", body = SubmissionView),
        (status = 304, response = contract::NotModified),
        (status = 404, response = contract::NotFound)
    )
)]
#[get("/submissions/{id}")]
pub async fn get_submission(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path, "unknown_submission")?;
    let catalogue = state.catalogue.clone();
    let (submission, reporter, report) = state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            let Some(submission) = submissions::find(conn, id)? else { return Ok(None) };
            let reporter = reporters::find(conn, submission.reporter_id)?;
            let report = submissions::report(conn, &catalogue, &submission, usize::MAX)?;
            Ok(Some((submission, reporter, report)))
        })
        .await?
        .ok_or_else(|| ApiError::not_found("unknown_submission", format!("no submission {id}")))?;
    let reporter =
        reporter.ok_or_else(|| ApiError::internal(anyhow::anyhow!("reporter of submission {id} missing")))?;
    let view = SubmissionView {
        id: submission.id,
        reporter: SubmitterView { id: reporter.id, name: reporter.name, country: reporter.country },
        key_id: submission.key_id,
        format: submission.format,
        row_count: submission.row_count,
        received_at: utc(submission.received_at),
        report,
    };
    Ok(respond::json(&req, None, &view))
}
