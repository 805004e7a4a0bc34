//! The past: which revision of each observation was known at an instant, and every value as
//! known then.
//!
//! Revision ids follow commit order and recording instants never go back (see
//! [`super::write::begin`]), so "known at t" is "id at most n", where n is the last revision
//! recorded by t. The revision an observation had then is its latest with `id <= n`: one seek
//! of an index on (observation_id, id) per observation, or, for the whole state, one pass over
//! the ids up to n in which each observation's last revision read wins. Revisions are never
//! updated, so the rows of one instant stay next to each other, in id order, on disk.

use super::observation_keys::{ObservationKeys, PastValue};
use super::schema::{observations, revisions};
use super::write::on_backend;
use super::{Db, DbConnection, DbError, DbResult};
use crate::domain::tracking::DataSet;
use chrono::NaiveDateTime;
use diesel::dsl::max;
use diesel::prelude::*;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

/// Chunks of ids a forward read is cut into: enough for the connections reading at once to
/// share the work evenly, few enough that each query's own cost does not count.
const FORWARD_CHUNKS: i64 = 16;

/// Connections reading forward at once, at most (more than the cores only adds contention).
const MAX_READERS: usize = 4;

/// What seeking one observation's past revision costs, in revisions read in a forward pass
/// (the `cargo bench --bench history` database, 1.45 million revisions: a forward pass reads
/// a revision in about 0.2 µs on SQLite and 0.28 µs on PostgreSQL, a backward read takes about
/// 1 µs and 3 µs per observation changed since).
fn seek_cost(conn: &DbConnection) -> i64 {
    match conn {
        DbConnection::Sqlite(_) => 5,
        DbConnection::Postgresql(_) => 11,
    }
}

/// The ids of the revisions recorded at or before `at`, the last first: a seek of
/// `revisions_by_time`.
macro_rules! recorded_by {
    ($at:expr) => {
        revisions::table
            .filter(revisions::recorded_at.le($at))
            .order((revisions::recorded_at.desc(), revisions::id.desc()))
            .select(revisions::id)
    };
}

/// The last revision recorded at or before `at` (0 when none was).
pub fn last_known_at(conn: &mut DbConnection, at: NaiveDateTime) -> DbResult<i64> {
    Ok(recorded_by!(at).first(conn).optional()?.unwrap_or(0))
}

/// SQL: the id of the revision observation `observation` (a column) had when revision `known`
/// was the last one recorded, none if it did not exist yet: a backward seek of its revisions
/// by id. The one condition of the `as_of` listing and of [`past_state`]'s backward read.
/// `known` is an id read from the database, so formatting it in is safe.
pub(crate) fn revision_as_of(observation: &str, known: i64) -> String {
    format!("(SELECT MAX(latest.id) FROM revisions latest WHERE latest.observation_id = {observation} AND latest.id <= {known})")
}

/// How to read the whole state as of revision `known`, whichever costs less.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PastRead {
    /// Forward by id through the revisions up to `known`, each observation's last one winning:
    /// cheap for an early instant.
    Forward,
    /// From the present: current values recorded by then, and for each observation changed
    /// since, a seek of the revision it had then: cheap for a recent instant.
    Backward,
}

/// The largest id of a table, as a subquery.
macro_rules! last_id {
    ($table:ident) => {
        $table::table.select(max($table::id)).single_value()
    };
}

/// The last revision recorded at or before `at` (as [`last_known_at`]) and the cheaper way to
/// read the state then, asked in one query (each query of a first request on a fresh
/// connection is prepared, then run).
pub fn known_at(conn: &mut DbConnection, at: NaiveDateTime) -> DbResult<(i64, PastRead)> {
    let (known, last_revision, last_observation): (Option<i64>, Option<i64>, Option<i64>) =
        diesel::select((recorded_by!(at).limit(1).single_value(), last_id!(revisions), last_id!(observations)))
            .get_result(conn)?;
    let known = known.unwrap_or(0);
    Ok((known, cheaper_read(conn, known, last_revision, last_observation)))
}

/// Which way costs less: forward reads `known` revisions (ids are dense), backward one per
/// observation plus a seek per observation changed since (at most one per revision since).
fn cheaper_read(
    conn: &DbConnection,
    known: i64,
    last_revision: Option<i64>,
    last_observation: Option<i64>,
) -> PastRead {
    let observations = last_observation.unwrap_or(0);
    let changed = observations.min(last_revision.unwrap_or(0) - known);
    if known <= observations + seek_cost(conn) * changed {
        PastRead::Forward
    } else {
        PastRead::Backward
    }
}

/// A revision's value, none when it withdraws it: one column instead of two, which PostgreSQL
/// sends a tenth faster (145,000 rows: 32 ms against 35, `psql`).
macro_rules! value_unless_withdrawn {
    () => {
        diesel::dsl::case_when(revisions::withdrawn.eq(false), revisions::value)
    };
}

/// The queries reading the values as of revision `known`, each selecting [`PastValue`]s:
/// numbers only, the observations' keys are known ([`ObservationKeys`]).
macro_rules! past_values {
    // Revisions with ids in `from+1..=to`, in the order they were recorded.
    (forward, $from:expr, $to:expr) => {
        revisions::table
            .filter(revisions::id.gt($from))
            .filter(revisions::id.le($to))
            .order(revisions::id)
            .select((revisions::observation_id, value_unless_withdrawn!()))
    };
    // Current values already current at `known`.
    (current, $known:expr) => {
        observations::table
            .inner_join(revisions::table.on(revisions::id.eq(observations::current_revision_id)))
            .filter(observations::current_revision_id.le($known))
            .select((observations::id, value_unless_withdrawn!()))
    };
    // The values at `known` of observations changed since (none for those created since).
    (changed_since, $known:expr) => {
        observations::table
            .inner_join(revisions::table.on(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
                "revisions.id = {}",
                revision_as_of("observations.id", $known)
            ))))
            .filter(observations::current_revision_id.gt($known))
            .select((revisions::observation_id, value_unless_withdrawn!()))
    };
}

/// Every value as known at an instant, in one indexed pass: forward from the first revision
/// for an early instant, backward from the present for a recent one. `conn` comes from `db`,
/// whose idle connections may share a forward read; `keys`: the observations' keys learned
/// so far.
pub fn as_of(db: &Db, conn: &mut DbConnection, at: NaiveDateTime, keys: &ObservationKeys) -> DbResult<DataSet> {
    let (known, read) = known_at(conn, at)?;
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
    let started = Instant::now();
    let chunks: Vec<Vec<PastValue>> = match read {
        PastRead::Forward => read_forward(db, conn, known)?,
        PastRead::Backward => {
            // Current values first: a write committing in between can only make the second
            // query read a value of the first again, never miss one.
            let current = on_backend!(conn, c => past_values!(current, known).load::<PastValue>(c))?;
            let changed = conn.transaction(|conn| {
                prefer_seeks(conn)?;
                Ok::<_, DbError>(on_backend!(conn, c => past_values!(changed_since, known).load::<PastValue>(c))?)
            })?;
            vec![current, changed]
        }
    };
    let read_time = started.elapsed();
    let data = keys.data_set(conn, &chunks)?;
    // Rare enough to log each (an answer about a settled instant is kept, and the next one
    // needs no read): where a slow first answer went.
    tracing::info!(
        known,
        way = ?read,
        rows = chunks.iter().map(Vec::len).sum::<usize>(),
        values = data.len(),
        read = ?read_time,
        build = ?started.elapsed().saturating_sub(read_time),
        "past state read"
    );
    Ok(data)
}

/// The forward read in chunks of ids, taken in turn by `conn` and by whatever idle connections
/// the pool has (one per further core): the database reads on every core. Chunks read at
/// different moments still make one state: revisions up to `known` never change. The values
/// come back in id order, so that each observation's last one is the one it had at `known`.
fn read_forward(db: &Db, conn: &mut DbConnection, known: i64) -> DbResult<Vec<Vec<PastValue>>> {
    let next = AtomicI64::new(0);
    let chunk = forward_chunk(known);
    let cores = std::thread::available_parallelism().map_or(1, usize::from).min(MAX_READERS);
    let wanted = if known > chunk { cores - 1 } else { 0 };
    let helpers: Vec<_> = std::iter::from_fn(|| db.try_get()).take(wanted).collect();
    let mut chunks = std::thread::scope(|scope| {
        let next = &next;
        let others: Vec<_> = helpers
            .into_iter()
            .map(|mut helper| scope.spawn(move || read_chunks(&mut helper, known, chunk, next)))
            .collect();
        let mut chunks = read_chunks(conn, known, chunk, next)?;
        for other in others {
            chunks.extend(other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?);
        }
        Ok::<_, DbError>(chunks)
    })?;
    chunks.sort_unstable_by_key(|(from, _)| *from);
    Ok(chunks.into_iter().map(|(_, values)| values).collect())
}

/// Ids per chunk of a forward read up to `known`.
fn forward_chunk(known: i64) -> i64 {
    (known + FORWARD_CHUNKS - 1).div_euclid(FORWARD_CHUNKS).max(1)
}

/// Reads chunks of `chunk` ids up to `known`, each taken from `next`, until none is left;
/// returns each chunk's values after the id it starts after. Rows are read on the backend's
/// own connection: through the multi-backend one, reading 145,000 took a third longer on
/// PostgreSQL (one value at a time through its dispatch).
fn read_chunks(
    conn: &mut DbConnection,
    known: i64,
    chunk: i64,
    next: &AtomicI64,
) -> DbResult<Vec<(i64, Vec<PastValue>)>> {
    let mut chunks = Vec::new();
    loop {
        let from = next.fetch_add(chunk, Ordering::Relaxed);
        if from >= known {
            return Ok(chunks);
        }
        let to = (from + chunk).min(known);
        chunks.push((from, on_backend!(conn, c => past_values!(forward, from, to).load::<PastValue>(c))?));
    }
}

/// On PostgreSQL, for the rest of the transaction: join observations to their past revisions
/// seek by seek. The planner cannot tell what the correlated lookup returns and would rather
/// hash every revision ever recorded: 1 s instead of 0.4 s for 145,000 observations changed
/// since, among 1.45 million revisions (`psql`, this machine).
fn prefer_seeks(conn: &mut DbConnection) -> DbResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        use diesel::connection::SimpleConnection;
        pg.batch_execute("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off")?;
    }
    Ok(())
}

/// How the database runs [`past_state`] (see [`super::explain::plan`]), one query after the
/// other (forward: the first chunk's).
pub fn past_state_plan(conn: &mut DbConnection, known: i64, read: PastRead) -> DbResult<Vec<String>> {
    Ok(match read {
        PastRead::Forward => super::explain::plan(conn, past_values!(forward, 0, forward_chunk(known).min(known)))?,
        PastRead::Backward => {
            let mut plan = super::explain::plan(conn, past_values!(current, known))?;
            plan.extend(conn.transaction(|conn| {
                prefer_seeks(conn)?;
                super::explain::plan(conn, past_values!(changed_since, known))
            })?);
            plan
        }
    })
}
