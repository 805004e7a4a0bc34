//! The past: which revision of each observation was known at an instant, and every value as
//! known then.
//!
//! Revision ids follow commit order and recording instants never go back (see
//! [`super::write::begin`]), so "known at t" is "id at most n", where n is the last revision
//! recorded by t. The revision an observation had then is the one with `id <= n` that was not
//! yet superseded at n (`superseded_by` empty, or after n): a condition on each row (its
//! validity interval), so the past is read without grouping over the history.

use super::observation_keys::{ObservationKeys, PastValue};
use super::schema::{observations, revisions};
use super::{Db, DbConnection, DbError, DbResult};
use crate::domain::tracking::DataSet;
use chrono::NaiveDateTime;
use diesel::dsl::max;
use diesel::prelude::*;
use std::sync::atomic::{AtomicI64, Ordering};

/// Chunks of ids a forward read is cut into: enough for the connections reading at once to
/// share the work evenly, few enough that each query's own cost does not count.
const FORWARD_CHUNKS: i64 = 16;

/// Connections reading forward at once, at most (more than the cores only adds contention).
const MAX_READERS: usize = 4;

/// The last revision recorded at or before `at` (0 when none was): one seek of
/// `revisions_by_time`.
pub fn last_known_at(conn: &mut DbConnection, at: NaiveDateTime) -> DbResult<i64> {
    Ok(revisions::table
        .filter(revisions::recorded_at.le(at))
        .order((revisions::recorded_at.desc(), revisions::id.desc()))
        .select(revisions::id)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

/// SQL: revision `alias` held its observation's value when revision `known` was the last one
/// recorded: the one condition of the `as_of` listing and of [`past_state`]'s forward read.
/// `known` is an id read from the database, so formatting it in is safe.
pub(crate) fn valid_at(alias: &str, known: i64) -> String {
    format!("{alias}.id <= {known} AND {}", unsuperseded_at(alias, known))
}

/// SQL: revision `alias` was not yet superseded when revision `known` was the last recorded.
fn unsuperseded_at(alias: &str, known: i64) -> String {
    format!("({alias}.superseded_by IS NULL OR {alias}.superseded_by > {known})")
}

/// How to read the whole state as of revision `known`, whichever reads fewer revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PastRead {
    /// Forward by id through the revisions up to `known`, keeping those still valid then:
    /// cheap for an early instant.
    Forward,
    /// From the present: current values recorded by then, and the revisions that were
    /// superseded after it (`revisions_by_supersession`): cheap for a recent instant.
    Backward,
}

/// Which way reads fewer revisions: forward reads about `known` of them (ids are dense), backward
/// about one per observation plus every revision recorded since.
pub fn past_read(conn: &mut DbConnection, known: i64) -> DbResult<PastRead> {
    let last_revision: Option<i64> = revisions::table.select(max(revisions::id)).first(conn)?;
    let last_observation: Option<i64> = observations::table.select(max(observations::id)).first(conn)?;
    let backward = last_observation.unwrap_or(0) + (last_revision.unwrap_or(0) - known);
    Ok(if known <= backward { PastRead::Forward } else { PastRead::Backward })
}

/// The queries reading the values as of revision `known`, each selecting [`PastValue`]s:
/// numbers only, the observations' keys are known ([`ObservationKeys`]).
macro_rules! past_values {
    // Revisions with ids in `from+1..=to` (`to` at most `known`), those still valid at `known`
    // (no `id <= known` besides: SQLite would take it as the range's end, not `to`).
    (forward, $known:expr, $from:expr, $to:expr) => {
        revisions::table
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&unsuperseded_at("revisions", $known)))
            .filter(revisions::id.gt($from))
            .filter(revisions::id.le($to))
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

/// Every value as known at an instant, in one indexed pass over the revisions valid then:
/// forward from the first revision for an early instant, backward from the present for a
/// recent one. `conn` comes from `db`, whose idle connections may share a forward read;
/// `keys`: the observations' keys learned so far.
pub fn as_of(db: &Db, conn: &mut DbConnection, at: NaiveDateTime, keys: &ObservationKeys) -> DbResult<DataSet> {
    let known = last_known_at(conn, at)?;
    let read = past_read(conn, known)?;
    past_state(db, conn, known, read, keys)
}

/// Every value as known when revision `known` was the last recorded, read the given way.
pub fn past_state(
    db: &Db,
    conn: &mut DbConnection,
    known: i64,
    read: PastRead,
    keys: &ObservationKeys,
) -> DbResult<DataSet> {
    let values: Vec<PastValue> = match read {
        PastRead::Forward => read_forward(db, conn, known)?,
        PastRead::Backward => {
            // Current values first: a write committing in between can only make the second
            // query repeat a value of the first, never miss one.
            let mut values = past_values!(current, known).load(conn)?;
            values.extend(conn.transaction(|conn| {
                prefer_bitmap_scan(conn)?;
                Ok::<_, DbError>(past_values!(superseded_since, known).load::<PastValue>(conn)?)
            })?);
            values
        }
    };
    keys.data_set(conn, &values)
}

/// The forward read in chunks of ids, taken in turn by `conn` and by whatever idle connections
/// the pool has (one per further core): the database reads on every core. Chunks read at
/// different moments still make one state: a revision up to `known` never changes, except its
/// `superseded_by`, which later writes only set to ids beyond `known`.
fn read_forward(db: &Db, conn: &mut DbConnection, known: i64) -> DbResult<Vec<PastValue>> {
    let next = AtomicI64::new(0);
    let chunk = forward_chunk(known);
    let cores = std::thread::available_parallelism().map_or(1, usize::from).min(MAX_READERS);
    let wanted = if known > chunk { cores - 1 } else { 0 };
    let helpers: Vec<_> = std::iter::from_fn(|| db.try_get()).take(wanted).collect();
    std::thread::scope(|scope| {
        let next = &next;
        let others: Vec<_> = helpers
            .into_iter()
            .map(|mut helper| scope.spawn(move || read_chunks(&mut helper, known, chunk, next)))
            .collect();
        let mut values = read_chunks(conn, known, chunk, next)?;
        for other in others {
            values.extend(other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?);
        }
        Ok(values)
    })
}

/// Ids per chunk of a forward read up to `known`.
fn forward_chunk(known: i64) -> i64 {
    (known + FORWARD_CHUNKS - 1).div_euclid(FORWARD_CHUNKS).max(1)
}

/// Reads chunks of `chunk` ids of the forward read, each taken from `next`, until none is left.
fn read_chunks(conn: &mut DbConnection, known: i64, chunk: i64, next: &AtomicI64) -> DbResult<Vec<PastValue>> {
    conn.transaction(|conn| {
        prefer_bitmap_scan(conn)?;
        let mut values = Vec::new();
        loop {
            let from = next.fetch_add(chunk, Ordering::Relaxed);
            if from >= known {
                return Ok::<_, DbError>(values);
            }
            let to = (from + chunk).min(known);
            values.extend(past_values!(forward, known, from, to).load::<PastValue>(conn)?);
        }
    })
}

/// On PostgreSQL, for the rest of the transaction: read a range of revisions by a bitmap of
/// their pages, not tuple by tuple through an index. Ids and supersessions follow the table's
/// physical order, so the planner rates the index scan cheapest, yet at 1.45 M revisions it
/// took 165 ms to the bitmap's 76 ms for the 290,000 revisions up to an early instant, and
/// 108 ms to 41 ms for the 290,000 superseded since a late one (`psql`, this machine).
fn prefer_bitmap_scan(conn: &mut DbConnection) -> DbResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        use diesel::connection::SimpleConnection;
        pg.batch_execute("SET LOCAL enable_indexscan = off")?;
    }
    Ok(())
}

/// How the database runs [`past_state`] (see [`super::explain::plan`]), one query after the
/// other (forward: the first chunk's).
pub fn past_state_plan(conn: &mut DbConnection, known: i64, read: PastRead) -> DbResult<Vec<String>> {
    Ok(match read {
        PastRead::Forward => conn.transaction(|conn| {
            prefer_bitmap_scan(conn)?;
            super::explain::plan(conn, past_values!(forward, known, 0, forward_chunk(known).min(known)))
        })?,
        PastRead::Backward => {
            let mut plan = super::explain::plan(conn, past_values!(current, known))?;
            plan.extend(conn.transaction(|conn| {
                prefer_bitmap_scan(conn)?;
                super::explain::plan(conn, past_values!(superseded_since, known))
            })?);
            plan
        }
    })
}
