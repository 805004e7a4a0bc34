//! Loading the current values progress is computed from: every one, or only what changed
//! after a known revision (the values as known at an instant: [`super::history`]).

use super::observation_keys::ObservationKeys;
use super::schema::{observations, revisions};
use super::{DbConnection, DbResult};
use crate::domain::tracking::DataSet;
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
