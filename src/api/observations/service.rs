//! A submission from body to stored report: every row checked (readable, writable by this
//! key, valid), then the dry run or the transaction with its idempotency record.

use super::input::{self, BodyFormat};
use crate::auth::Caller;
use crate::db::ingest::{self, Submitter};
use crate::db::{idempotency, submissions, write};
use crate::domain::catalogue::Catalogue;
use crate::domain::ingest::{SubmissionReport, LISTED_ROWS};
use crate::domain::observation::{validate_batch, RawValue, ValidObservation};
use crate::error::{ApiError, FieldError};
use crate::sdmx;
use crate::state::metrics::Metrics;
use crate::state::AppState;
use actix_web::http::StatusCode;
use chrono::{Datelike, Utc};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// A submission as received.
pub struct Submission<'a> {
    /// The body's format.
    pub format: BodyFormat,
    /// The body.
    pub body: &'a [u8],
    /// Write nothing; answer the report the real call would give.
    pub dry_run: bool,
    /// The `Idempotency-Key`, already checked (ignored by dry runs).
    pub idempotency_key: Option<String>,
    /// The dataflow an SDMX-CSV body must name.
    pub sdmx_flow: String,
}

/// What became of a submission.
pub enum Outcome {
    /// A dry run's report; nothing was written.
    DryRun(SubmissionReport),
    /// Applied now, or replayed from the first call with the same key and body.
    Applied {
        /// The stored report, serialised.
        report_json: String,
        /// The stored submission.
        submission_id: i64,
        /// Whether this answer replays an earlier call.
        replayed: bool,
    },
}

/// Checks and applies a submission, all or nothing.
pub async fn submit(state: &AppState, caller: &Caller, submission: Submission<'_>) -> Result<Outcome, ApiError> {
    let Submission { format, body, dry_run, idempotency_key, sdmx_flow } = submission;
    let mut parsed = input::parse(format, body)?;
    let catalogue = state.catalogue.clone();
    if let BodyFormat::SdmxCsv(_) = format {
        parsed.errors.extend(sdmx::upload::resolve(&mut parsed.rows, &catalogue, &sdmx_flow));
    }
    let valid = check_batch(state, caller, &parsed, &catalogue, format)?;
    // The raw rows weigh more than the valid ones: free them before the transaction.
    drop(parsed);
    let row_count = valid.len() as u64;
    let submitter =
        Submitter { reporter_id: caller.reporter_id, key_id: Some(caller.key_id), format: format.as_str().to_string() };
    if dry_run {
        let report = state
            .db
            .dry_run(move |conn| {
                let at = write::begin(conn)?;
                ingest::apply(conn, &catalogue, &submitter, &valid, at, true)
            })
            .await?;
        return Ok(Outcome::DryRun(report));
    }

    let request_hash =
        hex::encode(Sha256::new().chain_update(format.as_str()).chain_update([0]).chain_update(body).finalize());
    let reporter_id = caller.reporter_id;
    let (report_json, submission_id, replayed, changed) = state
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
                    let stored = submissions::find(conn, submission_id)?
                        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("submission {submission_id} vanished")))?;
                    let report = submissions::report(conn, &catalogue, &stored, LISTED_ROWS)?;
                    let json = serde_json::to_string(&report).map_err(ApiError::internal)?;
                    return Ok((json, submission_id, true, 0));
                }
            }
            let report = ingest::apply(conn, &catalogue, &submitter, &valid, at, false)?;
            let json = serde_json::to_string(&report).map_err(ApiError::internal)?;
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
            Ok((json, submission_id, false, report.counts.created + report.counts.revised))
        })
        .await?;
    if !replayed {
        Metrics::add(&state.metrics.submissions, 1);
        Metrics::add(&state.metrics.rows_accepted, row_count);
        if changed >= write::STATISTICS_AFTER {
            state.db.read(write::refresh_statistics).await?;
        }
    }
    Ok(Outcome::Applied { report_json, submission_id, replayed })
}

/// Every problem of a batch in one answer: unreadable rows, rows of countries the key may not
/// write and invalid rows. Any row of another country makes it a 403 (no correction of values
/// would help); otherwise 422.
fn check_batch(
    state: &AppState,
    caller: &Caller,
    parsed: &input::Parsed,
    catalogue: &Catalogue,
    format: BodyFormat,
) -> Result<Vec<ValidObservation>, ApiError> {
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
            error.field = sdmx::upload::column_of(&error.field).to_string();
        }
    }
    let bad_rows = errors.iter().filter_map(|e| e.index).collect::<BTreeSet<_>>().len();
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
