//! Applies a validated batch in one transaction: every row created, revised or left
//! unchanged, new revisions appended (a revision is never updated: only an observation's
//! pointer to its current revision moves), and the submission stored with its report.

use super::observations::{record, KeyPart, NewRevision, ObservationRecord, RevisionPart};
use super::schema::{observations, revisions, submissions};
use super::write::{self, next_id, on_backend};
use super::DbConnection;
use super::{DbError, DbResult};
use crate::domain::catalogue::Catalogue;
use crate::domain::ingest::{count, plan, CurrentValue, Outcome, RowReport, StoredRow, SubmissionReport, LISTED_ROWS};
use crate::domain::observation::{disaggregation_pairs, Nature, ObservedValue, SeriesKey, ValidObservation};
use crate::domain::parse_enum;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::{BTreeSet, HashMap};

/// Rows per multi-row INSERT: under SQLite's 32,766 bound parameters for the widest table.
const INSERT_CHUNK: usize = 2000;

/// Who submits, and how.
#[derive(Debug, Clone)]
pub struct Submitter {
    /// Reporter id.
    pub reporter_id: i64,
    /// Key id (none for the bundled-data loader).
    pub key_id: Option<i64>,
    /// `json`, `csv` or `bundled`.
    pub format: String,
}

#[derive(Insertable)]
#[diesel(table_name = observations)]
struct NewObservation<'a> {
    id: i64,
    country: &'a str,
    indicator: &'a str,
    year: i32,
    disaggregation: &'a str,
    current_revision_id: i64,
}

/// Current values of the keys a batch touches.
pub fn load_current(
    conn: &mut DbConnection,
    catalogue: &Catalogue,
    rows: &[ValidObservation],
) -> DbResult<HashMap<SeriesKey, CurrentValue>> {
    let countries: BTreeSet<&str> = rows.iter().map(|r| r.country.as_str()).collect();
    let indicators: BTreeSet<&str> = rows.iter().map(|r| r.indicator.as_str()).collect();
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let wanted: std::collections::HashSet<SeriesKey> = rows.iter().map(ValidObservation::key).collect();
    let first_year = rows.iter().map(|r| r.year).min().unwrap_or_default();
    let last_year = rows.iter().map(|r| r.year).max().unwrap_or_default();
    let found = observations::table
        .inner_join(revisions::table.on(revisions::id.eq(observations::current_revision_id)))
        .filter(observations::country.eq_any(&countries))
        .filter(observations::indicator.eq_any(&indicators))
        .filter(observations::year.between(first_year, last_year))
        .select(<(KeyPart, RevisionPart)>::as_select())
        .load::<(KeyPart, RevisionPart)>(conn)?;
    let mut current = HashMap::with_capacity(found.len());
    for row in found {
        let ObservationRecord {
            id: observation_id,
            country,
            indicator,
            year,
            disaggregation,
            revision_id,
            number,
            value,
            withdrawn,
            source,
            nature,
            note,
            evidence_url,
            ..
        } = record(row);
        let key = SeriesKey { country, indicator, year, disaggregation };
        if !wanted.contains(&key) {
            continue;
        }
        let unit = catalogue.indicator(&key.indicator).map(|i| i.unit).ok_or_else(|| {
            DbError::Inconsistent(format!("stored indicator {} is not in the catalogue", key.indicator))
        })?;
        let value = value.map(|v| ObservedValue::from_stored(v, unit));
        let nature = parse_enum::<Nature>(&nature).unwrap_or_default();
        current.insert(
            key,
            CurrentValue { observation_id, revision_id, number, value, withdrawn, source, nature, note, evidence_url },
        );
    }
    Ok(current)
}

/// Applies a batch inside the caller's write transaction (after [`write::begin`], whose
/// timestamp is `at`) and returns its report (the first [`LISTED_ROWS`] rows; the submission
/// stores every row, see [`StoredRow`]). `dry_run` computes the same report; the caller rolls
/// the transaction back.
pub fn apply(
    conn: &mut DbConnection,
    catalogue: &Catalogue,
    submitter: &Submitter,
    rows: &[ValidObservation],
    at: NaiveDateTime,
    dry_run: bool,
) -> DbResult<SubmissionReport> {
    let current = load_current(conn, catalogue, rows)?;
    let planned = plan(rows, &current);
    let counts = count(&planned);
    let submission_id = next_id!(conn, submissions)?;
    let mut next_observation = next_id!(conn, observations)?;
    let mut next_revision = next_id!(conn, revisions)?;

    let mut new_observations = Vec::with_capacity(counts.created);
    let mut new_revisions = Vec::with_capacity(counts.created + counts.revised);
    let revised_any = counts.revised > 0;
    let mut reports = Vec::with_capacity(planned.len().min(LISTED_ROWS));
    let mut stored = Vec::with_capacity(planned.len());
    for item in &planned {
        let row = item.row;
        let (observation_id, revision_id, number) = match (item.outcome, item.current) {
            (Outcome::Unchanged, Some(c)) => (c.observation_id, None, c.number),
            (Outcome::Revised, Some(c)) => (c.observation_id, Some(next_revision), c.number + 1),
            _ => (next_observation, Some(next_revision), 1),
        };
        if let Some(revision_id) = revision_id {
            next_revision += 1;
            if item.outcome == Outcome::Created {
                next_observation += 1;
                new_observations.push(NewObservation {
                    id: observation_id,
                    country: &row.country,
                    indicator: &row.indicator,
                    year: row.year,
                    disaggregation: &row.disaggregation,
                    current_revision_id: revision_id,
                });
            }
            let state = &item.state;
            new_revisions.push(NewRevision {
                id: revision_id,
                observation_id,
                number,
                value: state.value.map(ObservedValue::stored),
                withdrawn: state.withdrawn,
                source: state.source,
                nature: state.nature.as_str(),
                note: state.note,
                evidence_url: state.evidence_url,
                reporter_id: submitter.reporter_id,
                key_id: submitter.key_id,
                submission_id: Some(submission_id),
                recorded_at: at,
            });
        }
        let matched = item.current.map(|c| c.revision_id);
        stored.push(StoredRow(row.index, observation_id, revision_id.or(matched).unwrap_or_default(), item.outcome));
        if reports.len() == LISTED_ROWS {
            continue;
        }
        let revised = item.outcome == Outcome::Revised;
        reports.push(RowReport {
            index: row.index,
            outcome: item.outcome,
            observation_id: Some(observation_id),
            revision_id,
            country: row.country.clone(),
            indicator: row.indicator.clone(),
            year: row.year,
            disaggregation: disaggregation_pairs(&row.disaggregation),
            value: row.value,
            previous_value: item.current.filter(|_| revised).and_then(|c| c.value),
            previous_revision_id: item.current.filter(|_| revised).map(|c| c.revision_id),
            changed: item.changed.clone(),
        });
    }

    let changed = !new_revisions.is_empty();
    // Submissions are inserted first: revisions reference them.
    let data_version = if changed {
        let touched =
            planned.iter().filter(|item| item.outcome != Outcome::Unchanged).map(|item| item.row.indicator.as_str());
        write::bump_version(conn, at, touched)?
    } else {
        write::current_version(conn)?
    };
    let rows_truncated = planned.len() > reports.len();
    let mut report = SubmissionReport {
        submission_id: Some(submission_id),
        dry_run,
        data_version,
        counts,
        rows_truncated,
        rows: reports,
    };
    let report_json = serde_json::to_string(&stored).map_err(|e| DbError::Inconsistent(e.to_string()))?;
    drop(stored);
    diesel::insert_into(submissions::table)
        .values((
            submissions::id.eq(submission_id),
            submissions::reporter_id.eq(submitter.reporter_id),
            submissions::key_id.eq(submitter.key_id),
            submissions::format.eq(&submitter.format),
            submissions::row_count.eq(rows.len() as i32),
            submissions::created.eq(report.counts.created as i32),
            submissions::revised.eq(report.counts.revised as i32),
            submissions::unchanged.eq(report.counts.unchanged as i32),
            submissions::data_version.eq(data_version),
            submissions::received_at.eq(at),
            submissions::report.eq(&report_json),
        ))
        .execute(conn)?;
    // Observations point at their current revision and revisions at their observation; the
    // pointer has no foreign key, so observations can go first.
    for chunk in new_observations.chunks(INSERT_CHUNK) {
        on_backend!(conn, c => diesel::insert_into(observations::table).values(chunk).execute(c))?;
    }
    for chunk in new_revisions.chunks(INSERT_CHUNK) {
        on_backend!(conn, c => diesel::insert_into(revisions::table).values(chunk).execute(c))?;
    }
    if revised_any {
        // One statement instead of one per row: a batch has at most one revision per
        // observation, so this submission's revisions say where each pointer moves. The id is
        // an integer this function allocated, so formatting it in is safe.
        diesel::sql_query(format!(
            "UPDATE observations SET current_revision_id = r.id FROM revisions r \
             WHERE r.submission_id = {submission_id} AND r.observation_id = observations.id \
             AND observations.current_revision_id <> r.id"
        ))
        .execute(conn)?;
    }

    if changed && !dry_run {
        super::history::snapshot_if_due(conn)?;
    }
    if dry_run {
        // Ids a dry run would allocate do not exist: do not show them.
        report.submission_id = None;
        for row in &mut report.rows {
            row.revision_id = None;
            if row.outcome == Outcome::Created {
                row.observation_id = None;
            }
        }
    }
    Ok(report)
}
