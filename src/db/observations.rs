//! Reading observations (current, or as known at an instant), their revision history, and
//! withdrawing a value.

use super::schema::{observations, revisions};
use super::write::{self, next_id, Actor};
use super::DbConnection;
use super::DbResult;
use chrono::NaiveDateTime;
use diesel::dsl::{max, sql};
use diesel::expression::SqlLiteral;
use diesel::prelude::*;
use diesel::sql_types::Bool;

/// An observation with the revision that answers the query.
#[derive(Debug, Clone)]
pub struct ObservationRecord {
    /// Observation id.
    pub id: i64,
    /// ISO alpha-3.
    pub country: String,
    /// Indicator code.
    pub indicator: String,
    /// Year.
    pub year: i32,
    /// Canonical disaggregation.
    pub disaggregation: String,
    /// Revision id.
    pub revision_id: i64,
    /// Revision number.
    pub number: i32,
    /// Stored value (none when withdrawn).
    pub value: Option<f64>,
    /// Withdrawn.
    pub withdrawn: bool,
    /// Source.
    pub source: Option<String>,
    /// Nature.
    pub nature: String,
    /// Note.
    pub note: Option<String>,
    /// Evidence link.
    pub evidence_url: Option<String>,
    /// Who sent it.
    pub reporter_id: i64,
    /// With which key.
    pub key_id: Option<i64>,
    /// In which submission.
    pub submission_id: Option<i64>,
    /// When it was recorded.
    pub recorded_at: NaiveDateTime,
}

/// Filters of a listing, already parsed.
#[derive(Debug, Clone, Default)]
pub struct ObservationQuery {
    /// ISO alpha-3.
    pub country: Option<String>,
    /// Indicator codes (one, or a target's).
    pub indicators: Option<Vec<String>>,
    /// First year.
    pub year_from: Option<i32>,
    /// Last year.
    pub year_to: Option<i32>,
    /// Only values whose answering revision was recorded after this instant; withdrawals are
    /// included so a client can mirror deletions.
    pub changed_since: Option<NaiveDateTime>,
    /// Answer as known at this instant.
    pub as_of: Option<NaiveDateTime>,
    /// Keyset pagination: observations with a larger id.
    pub after_id: Option<i64>,
    /// Page size.
    pub limit: i64,
}

/// An observation's key, as selected with its revision (diesel's tuples stop at 16 columns,
/// so a record is read in two halves).
#[derive(Queryable, Selectable)]
#[diesel(table_name = observations)]
pub(crate) struct KeyPart {
    id: i64,
    country: String,
    indicator: String,
    year: i32,
    disaggregation: String,
}

/// A revision's content, as selected with its observation's key.
#[derive(Queryable, Selectable)]
#[diesel(table_name = revisions)]
pub(crate) struct RevisionPart {
    #[diesel(column_name = id)]
    revision_id: i64,
    number: i32,
    value: Option<f64>,
    withdrawn: bool,
    source: Option<String>,
    nature: String,
    note: Option<String>,
    evidence_url: Option<String>,
    reporter_id: i64,
    key_id: Option<i64>,
    submission_id: Option<i64>,
    recorded_at: NaiveDateTime,
}

/// A revision row as inserted.
#[derive(Insertable)]
#[diesel(table_name = revisions)]
pub(crate) struct NewRevision<'a> {
    pub id: i64,
    pub observation_id: i64,
    pub number: i32,
    pub value: Option<f64>,
    pub withdrawn: bool,
    pub source: Option<&'a str>,
    pub nature: &'a str,
    pub note: Option<&'a str>,
    pub evidence_url: Option<&'a str>,
    pub reporter_id: i64,
    pub key_id: Option<i64>,
    pub submission_id: Option<i64>,
    pub recorded_at: NaiveDateTime,
}

/// A record from its two halves.
pub(crate) fn record((k, r): (KeyPart, RevisionPart)) -> ObservationRecord {
    ObservationRecord {
        id: k.id,
        country: k.country,
        indicator: k.indicator,
        year: k.year,
        disaggregation: k.disaggregation,
        revision_id: r.revision_id,
        number: r.number,
        value: r.value,
        withdrawn: r.withdrawn,
        source: r.source,
        nature: r.nature,
        note: r.note,
        evidence_url: r.evidence_url,
        reporter_id: r.reporter_id,
        key_id: r.key_id,
        submission_id: r.submission_id,
        recorded_at: r.recorded_at,
    }
}

/// How a page of the listing is found: which side of the join leads.
#[derive(Debug, Clone, Copy)]
enum Path {
    /// Current values: the (filtered) observations lead, in id order, each seeking its current
    /// revision; with `changed_after`, only those whose current revision is newer than it.
    Current { changed_after: Option<i64> },
    /// Current values changed since an instant, when few changed: the revisions recorded since
    /// lead, each finding its observation by `observation_id`.
    RecentChanges,
    /// As of revision `known`: the observations lead, each seeking its latest revision by
    /// then, never reading the whole history.
    AsOf(i64),
}

/// The join of an observation to the revision that answers on this path. On the current
/// paths the implied `observation_id` is left out, as with it PostgreSQL believes the join
/// yields almost nothing and hashes every revision.
fn answering(path: Path) -> SqlLiteral<Bool> {
    match path {
        Path::Current { .. } => sql("revisions.id = observations.current_revision_id"),
        Path::RecentChanges => {
            sql("revisions.observation_id = observations.id AND revisions.id = observations.current_revision_id")
        }
        Path::AsOf(known) => {
            sql(&format!("revisions.id = {}", super::history::revision_as_of("observations.id", known)))
        }
    }
}

/// The query of [`list`], not yet run.
macro_rules! listing {
    ($q:expr, $path:expr) => {{
        let q: &ObservationQuery = $q;
        let path: Path = $path;
        let mut query = observations::table
            .inner_join(revisions::table.on(answering(path)))
            .select(<(KeyPart, RevisionPart)>::as_select())
            .order(observations::id)
            .limit(q.limit)
            .into_boxed();
        match (path, q.changed_since) {
            (Path::Current { changed_after: Some(known) }, _) => {
                query = query.filter(observations::current_revision_id.gt(known))
            }
            (_, Some(since)) => query = query.filter(revisions::recorded_at.gt(since)),
            (_, None) => query = query.filter(revisions::withdrawn.eq(false)),
        }
        if let Some(country) = &q.country {
            query = query.filter(observations::country.eq(country.clone()));
        }
        if let Some(indicators) = &q.indicators {
            query = query.filter(observations::indicator.eq_any(indicators.clone()));
        }
        if let Some(from) = q.year_from {
            query = query.filter(observations::year.ge(from));
        }
        if let Some(to) = q.year_to {
            query = query.filter(observations::year.le(to));
        }
        // Where the observations lead, always a range of observation ids, even on the first
        // page: SQLite then reads the observations in id order and seeks each one's revision
        // (without it, unfiltered, it may read every revision ever recorded and sort them).
        let observations_lead = q.changed_since.is_none() || matches!(path, Path::Current { .. });
        if let Some(after) = q.after_id.or(observations_lead.then_some(0)) {
            query = query.filter(observations::id.gt(after));
        }
        query
    }};
}

/// One page of observations, ordered by id.
pub fn list(conn: &mut DbConnection, q: &ObservationQuery) -> DbResult<Vec<ObservationRecord>> {
    let path = path(conn, q)?;
    Ok(listing!(q, path).load::<(KeyPart, RevisionPart)>(conn)?.into_iter().map(record).collect())
}

/// How the database runs [`list`] for these filters (see [`super::explain::plan`]).
pub fn list_plan(conn: &mut DbConnection, q: &ObservationQuery) -> DbResult<Vec<String>> {
    let path = path(conn, q)?;
    super::explain::plan(conn, listing!(q, path))
}

/// The path a page of this query takes. Values changed since an instant are the current ones
/// whose revision is newer than the last one recorded by then: ids follow commit order and
/// recording instants never go back ([`write::begin`]), as `as_of` relies on too. When the
/// revisions since are more than a quarter of the observations, the observations lead and a
/// page is found after reading about as many observations as it lists divided by the share
/// that changed (at worst every observation, when few were revised many times: fewer than four
/// rows per revision since, each narrower). When fewer changed, the revisions since lead and
/// only they are read. The other filters do not enter the choice.
fn path(conn: &mut DbConnection, q: &ObservationQuery) -> DbResult<Path> {
    use super::history::last_known_at;
    Ok(match (q.as_of, q.changed_since) {
        (Some(at), _) => Path::AsOf(last_known_at(conn, at)?),
        (None, None) => Path::Current { changed_after: None },
        (None, Some(since)) => {
            let known = last_known_at(conn, since)?;
            let (last_revision, last_observation): (Option<i64>, Option<i64>) = diesel::select((
                revisions::table.select(max(revisions::id)).single_value(),
                observations::table.select(max(observations::id)).single_value(),
            ))
            .get_result(conn)?;
            if last_revision.unwrap_or(0) - known > last_observation.unwrap_or(0) / 4 {
                Path::Current { changed_after: Some(known) }
            } else {
                Path::RecentChanges
            }
        }
    })
}

/// Every revision of one observation, oldest first; none if the observation does not exist.
pub fn history(conn: &mut DbConnection, id: i64) -> DbResult<Option<Vec<ObservationRecord>>> {
    let records = observations::table
        .inner_join(revisions::table.on(revisions::observation_id.eq(observations::id)))
        .filter(observations::id.eq(id))
        .select(<(KeyPart, RevisionPart)>::as_select())
        .order(revisions::id)
        .load::<(KeyPart, RevisionPart)>(conn)?
        .into_iter()
        .map(record)
        .collect::<Vec<_>>();
    Ok((!records.is_empty()).then_some(records))
}

/// The outcome of a withdrawal.
#[derive(Debug)]
pub struct Withdrawal {
    /// The observation as it is now (its current revision is the withdrawal).
    pub record: ObservationRecord,
    /// Whether this call withdrew it (false: it was already withdrawn).
    pub withdrawn_now: bool,
    /// Data version after the call.
    pub data_version: i64,
}

/// An observation with its current revision (withdrawn or not); none if it does not exist.
pub fn current(conn: &mut DbConnection, id: i64) -> DbResult<Option<ObservationRecord>> {
    Ok(observations::table
        .inner_join(revisions::table.on(revisions::id.eq(observations::current_revision_id)))
        .filter(observations::id.eq(id))
        .select(<(KeyPart, RevisionPart)>::as_select())
        .first::<(KeyPart, RevisionPart)>(conn)
        .optional()?
        .map(record))
}

/// Withdraws a value: a new revision without a value. Nothing is erased. Runs inside the
/// caller's write transaction (after [`write::begin`], whose timestamp is `at`), on the
/// `current` state the caller read in it and authorised.
pub fn withdraw(
    conn: &mut DbConnection,
    current: ObservationRecord,
    actor: Actor,
    at: NaiveDateTime,
) -> DbResult<Withdrawal> {
    if current.withdrawn {
        let data_version = write::current_version(conn)?;
        return Ok(Withdrawal { record: current, withdrawn_now: false, data_version });
    }
    let revision_id = next_id!(conn, revisions)?;
    let revision = NewRevision {
        id: revision_id,
        observation_id: current.id,
        number: current.number + 1,
        value: None,
        withdrawn: true,
        source: current.source.as_deref(),
        nature: &current.nature,
        note: current.note.as_deref(),
        evidence_url: current.evidence_url.as_deref(),
        reporter_id: actor.reporter_id,
        key_id: Some(actor.key_id),
        submission_id: None,
        recorded_at: at,
    };
    diesel::insert_into(revisions::table).values(&revision).execute(conn)?;
    diesel::update(observations::table.find(current.id))
        .set(observations::current_revision_id.eq(revision_id))
        .execute(conn)?;
    let data_version = write::bump_version(conn, at, [current.indicator.as_str()])?;
    super::history::snapshot_if_due(conn)?;
    let record = ObservationRecord {
        revision_id,
        number: revision.number,
        value: None,
        withdrawn: true,
        reporter_id: actor.reporter_id,
        key_id: Some(actor.key_id),
        submission_id: None,
        recorded_at: at,
        ..current
    };
    Ok(Withdrawal { record, withdrawn_now: true, data_version })
}
