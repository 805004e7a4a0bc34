//! Loading the values progress is computed from: every current value, only what changed
//! after a known revision, or every value as known at an instant.

use super::history::{self, PastRead};
use super::observation_keys::{ObservationKeys, PastValue};
use super::schema::{observations, revisions};
use super::DbConnection;
use super::DbResult;
use crate::domain::tracking::DataSet;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// One value as the engine needs it: the revision that holds it and the observation's key.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = observations)]
pub struct ValueRow {
    /// The observation's id.
    #[diesel(select_expression = observations::id)]
    pub observation_id: i64,
    /// The revision's id.
    #[diesel(select_expression = revisions::id)]
    pub revision_id: i64,
    /// Indicator code.
    pub indicator: String,
    /// Canonical disaggregation.
    pub disaggregation: String,
    /// ISO alpha-3.
    pub country: String,
    /// Year.
    pub year: i32,
    /// The value (none when withdrawn).
    #[diesel(select_expression = revisions::value)]
    pub value: Option<f64>,
    /// Whether the revision withdraws the value.
    #[diesel(select_expression = revisions::withdrawn)]
    pub withdrawn: bool,
}

/// Applies rows to a data set, learning their observations' keys; returns the largest
/// revision id seen.
fn apply(data: &mut DataSet, keys: &mut ObservationKeys, rows: Vec<ValueRow>) -> i64 {
    let mut last = 0;
    for ValueRow { observation_id, revision_id, indicator, disaggregation, country, year, value, withdrawn } in rows {
        last = last.max(revision_id);
        keys.learn(observation_id, &indicator, &disaggregation, &country, year);
        match (withdrawn, value) {
            (false, Some(value)) => data.insert(&indicator, &disaggregation, &country, year, value),
            _ => data.remove(&indicator, &disaggregation, &country, year),
        }
    }
    last
}

/// Current values whose current revision is newer than `after_revision` (all when 0),
/// applied to `data`, their observations' keys to `keys`; returns the largest revision id seen
/// (or `after_revision`).
///
/// Revision ids are allocated in commit order under the write lock, so "newer than the last
/// id seen" is exact on every instance, whatever their clocks say.
pub fn refresh(
    conn: &mut DbConnection,
    data: &mut DataSet,
    keys: &mut ObservationKeys,
    after_revision: i64,
) -> DbResult<i64> {
    let current = observations::current_revision_id.eq(revisions::id);
    let rows = if after_revision == 0 {
        // Everything: one pass over the observations, each seeking its current revision (not a
        // pass over every revision ever recorded).
        observations::table
            .inner_join(revisions::table.on(current))
            .select(ValueRow::as_select())
            .load::<ValueRow>(conn)?
    } else {
        // Only what changed: driven by the revisions' primary key (only the new ones are
        // read), joined back to the observations whose current revision they are.
        revisions::table
            .inner_join(observations::table.on(observations::id.eq(revisions::observation_id).and(current)))
            .filter(revisions::id.gt(after_revision))
            .select(ValueRow::as_select())
            .load::<ValueRow>(conn)?
    };
    Ok(apply(data, keys, rows).max(after_revision))
}

/// The queries reading the values as of revision `known` (see [`super::history`]), each
/// selecting [`PastValue`]s: numbers only, the observations' keys are known
/// ([`ObservationKeys`]).
macro_rules! past_values {
    // Revisions up to `known` by id, those still valid then.
    (forward, $known:expr) => {
        revisions::table
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&history::valid_at("revisions", $known)))
            .select((revisions::observation_id, revisions::value, revisions::withdrawn))
    };
    // Current values already current at `known`.
    (current, $known:expr) => {
        observations::table
            .inner_join(revisions::table.on(revisions::id.eq(observations::current_revision_id)))
            .filter(observations::current_revision_id.le($known))
            .select((observations::id, revisions::value, revisions::withdrawn))
    };
    // Values of `known` superseded since, on `revisions_by_supersession`: `+revisions.id` keeps
    // SQLite from reading every revision up to `known` by id instead (without statistics it
    // prefers the primary key); PostgreSQL reads it as plain `revisions.id`.
    (superseded_since, $known:expr) => {
        revisions::table
            .filter(revisions::superseded_by.gt($known))
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!("+revisions.id <= {}", $known)))
            .select((revisions::observation_id, revisions::value, revisions::withdrawn))
    };
}

/// Every value as known at an instant, in one indexed pass over the revisions valid then
/// (see [`super::history`]): forward from the first revision for an early instant, backward
/// from the present for a recent one. `keys`: the observations' keys learned so far.
pub fn as_of(conn: &mut DbConnection, at: NaiveDateTime, keys: &ObservationKeys) -> DbResult<DataSet> {
    let known = history::last_known_at(conn, at)?;
    let read = history::past_read(conn, known)?;
    past_state(conn, known, read, keys)
}

/// Every value as known when revision `known` was the last recorded, read the given way.
pub fn past_state(conn: &mut DbConnection, known: i64, read: PastRead, keys: &ObservationKeys) -> DbResult<DataSet> {
    let values: Vec<PastValue> = match read {
        PastRead::Forward => past_values!(forward, known).load(conn)?,
        PastRead::Backward => {
            // Current values first: a write committing in between can only make the second
            // query repeat a value of the first, never miss one.
            let mut values = past_values!(current, known).load(conn)?;
            values.extend(past_values!(superseded_since, known).load::<PastValue>(conn)?);
            values
        }
    };
    let mut data = DataSet::default();
    keys.apply(conn, &mut data, &values)?;
    Ok(data)
}

/// How the database runs [`past_state`] (see [`super::explain::plan`]), one query after the
/// other.
pub fn past_state_plan(conn: &mut DbConnection, known: i64, read: PastRead) -> DbResult<Vec<String>> {
    Ok(match read {
        PastRead::Forward => super::explain::plan(conn, past_values!(forward, known))?,
        PastRead::Backward => {
            let mut plan = super::explain::plan(conn, past_values!(current, known))?;
            plan.extend(super::explain::plan(conn, past_values!(superseded_since, known))?);
            plan
        }
    })
}
