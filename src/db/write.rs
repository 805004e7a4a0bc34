//! The write protocol every writing transaction follows: take the write lock first, allocate
//! ids under it, and bump the data version when observable data changed.
//!
//! The first statement of a write transaction updates the single `data_state` row. On
//! PostgreSQL that row lock serialises writers across every instance; on SQLite it takes the
//! database's write lock at once, so a transaction never fails upgrading a read lock. Under
//! that lock `MAX(id) + 1` is a safe id on both backends, and no backend-specific sequence
//! or `RETURNING` is needed for multi-row inserts.

use super::schema::{data_state, indicator_versions, observations, revisions, submissions};
use super::DbConnection;
use super::DbResult;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::dsl::{count_star, max};
use diesel::prelude::*;
use std::collections::BTreeSet;

/// Who makes a change through the API: recorded with every revision, initiative and
/// administrative action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// The reporter.
    pub reporter_id: i64,
    /// The key it used.
    pub key_id: i64,
}

/// The current instant, at the microsecond precision both backends store.
pub fn now() -> NaiveDateTime {
    let now = Utc::now();
    DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now).naive_utc()
}

/// Takes the write lock; returns the transaction's timestamp, never earlier than the latest
/// revision's: a clock that steps back, or another instance's clock behind this one, cannot
/// record a later commit as earlier, so "as of t" and commit order always agree.
pub fn begin(conn: &mut DbConnection) -> DbResult<NaiveDateTime> {
    diesel::update(data_state::table.filter(data_state::id.eq(1)))
        .set(data_state::writes.eq(data_state::writes + 1))
        .execute(conn)?;
    // One seek of `revisions_by_time`.
    let latest: Option<NaiveDateTime> = revisions::table.select(max(revisions::recorded_at)).first(conn)?;
    Ok(latest.map_or_else(now, |latest| now().max(latest)))
}

/// Marks observable data as changed, in the values of these indicators; returns the new data
/// version. On PostgreSQL the other instances are told at commit (`NOTIFY` on [`CHANNEL`];
/// [`super::notify`] listens).
pub fn bump_version<'a>(
    conn: &mut DbConnection,
    at: NaiveDateTime,
    indicators: impl IntoIterator<Item = &'a str>,
) -> DbResult<i64> {
    diesel::update(data_state::table.filter(data_state::id.eq(1)))
        .set((data_state::version.eq(data_state::version + 1), data_state::updated_at.eq(at)))
        .execute(conn)?;
    let version = current_version(conn)?;
    let changed: BTreeSet<&str> = indicators.into_iter().collect();
    for indicator in changed {
        let row = (indicator_versions::indicator.eq(indicator), indicator_versions::version.eq(version));
        crate::db::write::on_backend!(conn, c => diesel::insert_into(indicator_versions::table)
            .values(row)
            .on_conflict(indicator_versions::indicator)
            .do_update()
            .set(indicator_versions::version.eq(version))
            .execute(c))?;
    }
    announce(conn)?;
    Ok(version)
}

/// The channel writes are announced on.
pub const CHANNEL: &str = "c2030_data";

/// Announces a write to every listening instance when the transaction commits (delivered at
/// commit, never for a rollback; PostgreSQL only: SQLite has one instance, which learns of its
/// own writes in process).
fn announce(conn: &mut DbConnection) -> DbResult<()> {
    if let DbConnection::Postgresql(c) = conn {
        use diesel::connection::SimpleConnection;
        c.batch_execute(&format!("NOTIFY {CHANNEL}"))?;
    }
    Ok(())
}

/// The data version: it changes whenever an observation changes, on every instance alike.
pub fn current_version(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(data_state::table.filter(data_state::id.eq(1)).select(data_state::version).first(conn)?)
}

/// The data version and, per indicator, the data version at which its values last changed
/// (indicators never written are absent).
pub fn versions(conn: &mut DbConnection) -> DbResult<(i64, Vec<(String, i64)>)> {
    let global = current_version(conn)?;
    let indicators =
        indicator_versions::table.select((indicator_versions::indicator, indicator_versions::version)).load(conn)?;
    Ok((global, indicators))
}

/// The data version as it was at an instant, of all data (`indicators`: none) or of these
/// indicators' values (the version their last change up to that instant produced; 0 when they
/// never changed). Every change bumps the version exactly once: a submission that created or
/// revised a value, or a withdrawal (a revision without a submission). So the version right
/// after the change at `t` is the current one less the changes recorded after `t`, counted in
/// the same statement as the current version is read.
pub fn version_at(conn: &mut DbConnection, at: NaiveDateTime, indicators: Option<&[String]>) -> DbResult<i64> {
    let at = match indicators {
        None => at,
        Some(codes) => {
            let last: Option<NaiveDateTime> = revisions::table
                .inner_join(observations::table)
                .filter(observations::indicator.eq_any(codes))
                .filter(revisions::recorded_at.le(at))
                .select(max(revisions::recorded_at))
                .first(conn)?;
            let Some(last) = last else { return Ok(0) };
            last
        }
    };
    // Seeks of `submissions_by_time` and `withdrawals_by_time`, never a pass over revisions.
    let submissions = submissions::table
        .filter(submissions::received_at.gt(at))
        .filter((submissions::created + submissions::revised).gt(0))
        .select(count_star())
        .single_value()
        .assume_not_null();
    let withdrawals = revisions::table
        .filter(revisions::submission_id.is_null())
        .filter(revisions::recorded_at.gt(at))
        .select(count_star())
        .single_value()
        .assume_not_null();
    Ok(data_state::table
        .filter(data_state::id.eq(1))
        .select(data_state::version - submissions - withdrawals)
        .first(conn)?)
}

/// Values a commit must create or revise for the planner's statistics to be refreshed at once.
pub const STATISTICS_AFTER: usize = 10_000;

/// Refreshes the planner's statistics of the tables a big batch grew (PostgreSQL's `ANALYZE`,
/// a sample, a fraction of a second at millions of revisions). Autovacuum may be off or late,
/// and a planner that still believes the tables empty hashes every revision to list one page.
/// SQLite keeps no statistics here; its plans follow the shape of the queries.
pub fn refresh_statistics(conn: &mut DbConnection) -> DbResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        use diesel::connection::SimpleConnection;
        pg.batch_execute("ANALYZE observations, revisions, submissions")?;
    }
    Ok(())
}

/// The next free id of a table (call only after [`begin`]).
macro_rules! next_id {
    ($conn:expr, $table:ident) => {{
        use diesel::dsl::max;
        $crate::db::schema::$table::table
            .select(max($crate::db::schema::$table::id))
            .first::<Option<i64>>($conn)
            .map(|max| max.unwrap_or(0) + 1)
    }};
}
pub(crate) use next_id;

/// Runs the same diesel expression on the concrete connection of either backend, for the
/// few statements the multi-backend connection cannot express (multi-row inserts).
macro_rules! on_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $body,
            $crate::db::DbConnection::Postgresql($c) => $body,
        }
    };
}
pub(crate) use on_backend;
