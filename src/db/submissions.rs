//! Stored submissions and their reports, read back from the revisions they wrote.

use super::schema::submissions;
use super::{DbConnection, DbError, DbResult};
use crate::domain::catalogue::Catalogue;
use crate::domain::catalogue::Unit;
use crate::domain::ingest::{Counts, Outcome, RowReport, State, StoredRow, SubmissionReport};
use crate::domain::observation::{disaggregation_pairs, Nature, ObservedValue};
use crate::domain::parse_enum;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Double, Integer, Nullable, Text};
use std::collections::HashMap;

/// Revisions read back per query: the ids are written into the SQL, well under any bound.
const READ_CHUNK: usize = 5000;

/// A stored submission.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = submissions)]
pub struct SubmissionRecord {
    /// Id.
    pub id: i64,
    /// Reporter.
    pub reporter_id: i64,
    /// Key.
    pub key_id: Option<i64>,
    /// `json`, `csv` or `bundled`.
    pub format: String,
    /// Rows sent.
    pub row_count: i32,
    /// Rows that created a value.
    pub created: i32,
    /// Rows that revised one.
    pub revised: i32,
    /// Rows identical to the value stored.
    pub unchanged: i32,
    /// When it was received.
    pub received_at: NaiveDateTime,
    /// Data version after it.
    pub data_version: i64,
    /// Each row, as [`StoredRow`]s in JSON.
    pub report: String,
}

/// A submission by id.
pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Option<SubmissionRecord>> {
    Ok(submissions::table.find(id).select(SubmissionRecord::as_select()).first::<SubmissionRecord>(conn).optional()?)
}

/// A revision a report row names, with its observation's key and its predecessor.
#[derive(QueryableByName)]
struct ReportedRevision {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Nullable<Double>)]
    value: Option<f64>,
    #[diesel(embed)]
    attributes: Attributes,
    #[diesel(sql_type = Text)]
    country: String,
    #[diesel(sql_type = Text)]
    indicator: String,
    #[diesel(sql_type = Integer)]
    year: i32,
    #[diesel(sql_type = Text)]
    disaggregation: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    previous_id: Option<i64>,
    #[diesel(sql_type = Nullable<Double>)]
    previous_value: Option<f64>,
    #[diesel(embed)]
    previous: PreviousAttributes,
}

/// A revision's attributes (withdrawn or not, source, nature, note, evidence link).
#[derive(QueryableByName)]
struct Attributes {
    #[diesel(sql_type = Bool)]
    withdrawn: bool,
    #[diesel(sql_type = Nullable<Text>)]
    source: Option<String>,
    #[diesel(sql_type = Text)]
    nature: String,
    #[diesel(sql_type = Nullable<Text>)]
    note: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    evidence_url: Option<String>,
}

/// The predecessor's attributes: none for a first revision.
#[derive(QueryableByName)]
struct PreviousAttributes {
    #[diesel(sql_type = Nullable<Bool>)]
    previous_withdrawn: Option<bool>,
    #[diesel(sql_type = Nullable<Text>)]
    previous_source: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    previous_nature: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    previous_note: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    previous_evidence_url: Option<String>,
}

impl ReportedRevision {
    /// The fields this revision changed from its predecessor (none for a first revision).
    fn changed(&self, unit: Unit) -> Vec<&'static str> {
        let (now, before) = (&self.attributes, &self.previous);
        let Some(withdrawn) = before.previous_withdrawn else { return Vec::new() };
        let nature = |name: &str| parse_enum::<Nature>(name).unwrap_or_default();
        let state = State {
            value: self.value.map(|v| ObservedValue::from_stored(v, unit)),
            withdrawn: now.withdrawn,
            source: now.source.as_deref(),
            nature: nature(&now.nature),
            note: now.note.as_deref(),
            evidence_url: now.evidence_url.as_deref(),
        };
        let previous = State {
            value: self.previous_value.map(|v| ObservedValue::from_stored(v, unit)),
            withdrawn,
            source: before.previous_source.as_deref(),
            nature: nature(before.previous_nature.as_deref().unwrap_or_default()),
            note: before.previous_note.as_deref(),
            evidence_url: before.previous_evidence_url.as_deref(),
        };
        state.changes_from(&previous)
    }
}

/// The report of a stored submission, its first `limit` rows read back from the revisions they
/// name (every row is counted).
pub fn report(
    conn: &mut DbConnection,
    catalogue: &Catalogue,
    submission: &SubmissionRecord,
    limit: usize,
) -> DbResult<SubmissionReport> {
    let inconsistent = |what: String| DbError::Inconsistent(format!("submission {}: {what}", submission.id));
    let stored: Vec<StoredRow> = serde_json::from_str(&submission.report).map_err(|e| inconsistent(e.to_string()))?;
    let listed = &stored[..stored.len().min(limit)];
    let mut revisions = HashMap::with_capacity(listed.len());
    for chunk in listed.chunks(READ_CHUNK) {
        let ids: Vec<String> = chunk.iter().map(|StoredRow(_, _, revision, _)| revision.to_string()).collect();
        // Integers read from the database, so formatting them in is safe.
        let found: Vec<ReportedRevision> = diesel::sql_query(format!(
            "SELECT r.id, r.value, r.withdrawn, r.source, r.nature, r.note, r.evidence_url, \
             o.country, o.indicator, o.year, o.disaggregation, \
             previous.id AS previous_id, previous.value AS previous_value, \
             previous.withdrawn AS previous_withdrawn, previous.source AS previous_source, \
             previous.nature AS previous_nature, previous.note AS previous_note, \
             previous.evidence_url AS previous_evidence_url \
             FROM revisions r JOIN observations o ON o.id = r.observation_id \
             LEFT JOIN revisions previous ON previous.observation_id = r.observation_id AND previous.number = r.number - 1 \
             WHERE r.id IN ({})",
            ids.join(",")
        ))
        .load(conn)?;
        revisions.extend(found.into_iter().map(|r| (r.id, r)));
    }
    let mut rows = Vec::with_capacity(listed.len());
    for &StoredRow(index, observation_id, revision_id, outcome) in listed {
        let revision =
            revisions.get(&revision_id).ok_or_else(|| inconsistent(format!("revision {revision_id} missing")))?;
        let unit = catalogue
            .indicator(&revision.indicator)
            .map(|i| i.unit)
            .ok_or_else(|| inconsistent(format!("indicator {} is not in the catalogue", revision.indicator)))?;
        let value = revision.value.ok_or_else(|| inconsistent(format!("revision {revision_id} has no value")))?;
        let revised = outcome == Outcome::Revised;
        rows.push(RowReport {
            index,
            outcome,
            observation_id: Some(observation_id),
            revision_id: (outcome != Outcome::Unchanged).then_some(revision_id),
            country: revision.country.clone(),
            indicator: revision.indicator.clone(),
            year: revision.year,
            disaggregation: disaggregation_pairs(&revision.disaggregation),
            value: ObservedValue::from_stored(value, unit),
            previous_value: revision.previous_value.filter(|_| revised).map(|v| ObservedValue::from_stored(v, unit)),
            previous_revision_id: revision.previous_id.filter(|_| revised),
            changed: if revised { revision.changed(unit) } else { Vec::new() },
        });
    }
    Ok(SubmissionReport {
        submission_id: Some(submission.id),
        dry_run: false,
        data_version: submission.data_version,
        counts: Counts {
            created: usize::try_from(submission.created).unwrap_or_default(),
            revised: usize::try_from(submission.revised).unwrap_or_default(),
            unchanged: usize::try_from(submission.unchanged).unwrap_or_default(),
            rejected: 0,
        },
        rows_truncated: stored.len() > rows.len(),
        rows,
    })
}
