//! Loading the values progress is computed from: every current value, only what changed
//! after a known revision, or every value as known at an instant.

use super::history;
use super::schema::{observations, revisions};
use super::DbConnection;
use super::DbResult;
use crate::domain::tracking::DataSet;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Double, Integer, Nullable, Text};

/// One value as the engine needs it: the revision that holds it and the observation's key.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = observations)]
pub struct ValueRow {
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

/// Applies rows to a data set; returns the largest revision id seen.
fn apply(data: &mut DataSet, rows: Vec<ValueRow>) -> i64 {
    let mut last = 0;
    for ValueRow { revision_id, indicator, disaggregation, country, year, value, withdrawn } in rows {
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
    Ok(apply(data, rows).max(after_revision))
}

/// A value as the engine needs it, read by name from a hand-written query.
#[derive(QueryableByName)]
struct NamedValue {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    indicator: String,
    #[diesel(sql_type = Text)]
    disaggregation: String,
    #[diesel(sql_type = Text)]
    country: String,
    #[diesel(sql_type = Integer)]
    year: i32,
    #[diesel(sql_type = Nullable<Double>)]
    value: Option<f64>,
    #[diesel(sql_type = Bool)]
    withdrawn: bool,
}

/// Every value as known at an instant, in one indexed pass over the revisions valid then
/// (see [`super::history`]): forward from the first revision for an early instant, backward
/// from the present for a recent one.
pub fn as_of(conn: &mut DbConnection, at: NaiveDateTime) -> DbResult<DataSet> {
    let known = history::last_known_at(conn, at)?;
    let read = history::past_read(conn, known)?;
    let rows: Vec<NamedValue> = diesel::sql_query(history::past_state_sql(known, read)).load(conn)?;
    let mut data = DataSet::default();
    apply(
        &mut data,
        rows.into_iter()
            .map(|r| ValueRow {
                revision_id: r.id,
                indicator: r.indicator,
                disaggregation: r.disaggregation,
                country: r.country,
                year: r.year,
                value: r.value,
                withdrawn: r.withdrawn,
            })
            .collect(),
    );
    Ok(data)
}
