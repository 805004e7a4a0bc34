//! Loading the values progress is computed from: every current value, only what changed
//! after a known revision, or every value as known at an instant.

use super::observations::answered_as_of;
use super::schema::{observations, revisions};
use super::DbConnection;
use super::DbResult;
use crate::domain::tracking::DataSet;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// One value as the engine needs it.
type ValueRow = (i64, String, String, String, i32, Option<f64>, bool);

macro_rules! value_columns {
    () => {
        (
            revisions::id,
            observations::indicator,
            observations::disaggregation,
            observations::country,
            observations::year,
            revisions::value,
            revisions::withdrawn,
        )
    };
}

/// Applies rows to a data set; returns the largest revision id seen.
fn apply(data: &mut DataSet, rows: Vec<ValueRow>) -> i64 {
    let mut last = 0;
    for (revision_id, indicator, disaggregation, country, year, value, withdrawn) in rows {
        last = last.max(revision_id);
        match (withdrawn, value) {
            (false, Some(value)) => data.insert(&indicator, &disaggregation, &country, year, value),
            _ => data.remove(&indicator, &disaggregation, &country, year),
        }
    }
    last
}

/// Current values whose current revision is newer than `after_revision` (all when 0),
/// applied to `data`; returns the largest revision id seen (or `after_revision`).
///
/// Revision ids are allocated in commit order under the write lock, so "newer than the last
/// id seen" is exact on every instance, whatever their clocks say.
pub fn refresh(conn: &mut DbConnection, data: &mut DataSet, after_revision: i64) -> DbResult<i64> {
    // Driven by the revisions' primary key (only the new ones are read), joined back to the
    // observations whose current revision they are.
    let rows = revisions::table
        .inner_join(observations::table.on(
            observations::id.eq(revisions::observation_id).and(observations::current_revision_id.eq(revisions::id)),
        ))
        .filter(revisions::id.gt(after_revision))
        .select(value_columns!())
        .load::<ValueRow>(conn)?;
    Ok(apply(data, rows).max(after_revision))
}

/// Every value as known at an instant.
pub fn as_of(conn: &mut DbConnection, at: NaiveDateTime) -> DbResult<DataSet> {
    let rows = observations::table
        .inner_join(revisions::table.on(revisions::observation_id.eq(observations::id)))
        .filter(answered_as_of!(at))
        .select(value_columns!())
        .load::<ValueRow>(conn)?;
    let mut data = DataSet::default();
    apply(&mut data, rows);
    Ok(data)
}
