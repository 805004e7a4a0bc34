//! The past: which revision of each observation was known at an instant, and every value as
//! known then.
//!
//! Revision ids follow commit order and recording instants never go back (see
//! [`super::write::begin`]), so "known at t" is "id at most n", where n is the last revision
//! recorded by t. The revision an observation had then is its latest with `id <= n`: one seek
//! of an index on (observation_id, id) per observation. The whole state at n is the last
//! [snapshot](super::snapshots) taken at or before n, then the revisions after it up to n, read
//! in id order, each observation's last one winning. Snapshots are taken as revisions are
//! written ([`snapshot_if_due`]), and at start-up over revisions recorded before snapshots
//! existed ([`snapshot_history`]), so that read never covers more than half as many revisions
//! as there are observations. Revisions are never updated, so the rows after a snapshot lie
//! next to each other, in id order, on disk.

use super::observation_keys::ObservationKeys;
use super::schema::{observations, revisions, state_snapshots};
use super::snapshots::{self, Values};
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

/// The last revision recorded at or before `at` (0 when none was): a seek of
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

/// SQL: the id of the revision observation `observation` (a column) had when revision `known`
/// was the last one recorded, none if it did not exist yet: a backward seek of its revisions
/// by id. The one condition of the `as_of` listing. `known` is an id read from the database,
/// so formatting it in is safe.
pub(crate) fn revision_as_of(observation: &str, known: i64) -> String {
    format!("(SELECT MAX(latest.id) FROM revisions latest WHERE latest.observation_id = {observation} AND latest.id <= {known})")
}

/// Revisions with ids in `from+1..=to`, in the order they were recorded, as (observation,
/// value; none when the revision withdraws it): one column for the value instead of two,
/// which PostgreSQL sends a tenth faster (145,000 rows: 32 ms against 35, `psql`).
macro_rules! revisions_between {
    ($from:expr, $to:expr) => {
        revisions::table.filter(revisions::id.gt($from)).filter(revisions::id.le($to)).order(revisions::id).select((
            revisions::observation_id,
            diesel::dsl::case_when(revisions::withdrawn.eq(false), revisions::value),
        ))
    };
}

/// Every value as known at an instant: see [`past_state`]. `conn` comes from `db`, whose idle
/// connections may share the read; `keys`: the observations' keys learned so far.
pub fn as_of(db: &Db, conn: &mut DbConnection, at: NaiveDateTime, keys: &ObservationKeys) -> DbResult<DataSet> {
    let known = last_known_at(conn, at)?;
    past_state(db, conn, known, keys)
}

/// Every value as known when revision `known` was the last recorded: its last snapshot, then
/// the revisions after it, read by primary key.
pub fn past_state(db: &Db, conn: &mut DbConnection, known: i64, keys: &ObservationKeys) -> DbResult<DataSet> {
    let started = Instant::now();
    let (snapshot, mut values) = snapshots::last_at(conn, known)?;
    let rows = read_forward(Some(db), conn, &mut values, snapshot, known)?;
    let read_time = started.elapsed();
    let data = keys.data_set(conn, &values)?;
    // Rare enough to log each (an answer about a settled instant is kept, and the next one
    // needs no read): where a slow first answer went.
    tracing::info!(
        known,
        snapshot,
        rows,
        values = data.len(),
        read = ?read_time,
        build = ?started.elapsed().saturating_sub(read_time),
        "past state read"
    );
    Ok(data)
}

/// Takes a snapshot of the state at the last revision when the revisions recorded since the
/// last one are at least half as many as the observations: a past state (always at the end of
/// a write transaction) then never reads more revisions than that after its snapshot, and
/// snapshots take about 16 bytes per revision (8 per observation, every half as many
/// revisions). Runs inside the write transaction that recorded the revisions, under its write
/// lock, so two writers never take the same one; built from the snapshot before, never from
/// the whole history. Returns whether it took one.
pub fn snapshot_if_due(conn: &mut DbConnection) -> DbResult<bool> {
    Ok(take_snapshots(conn, false)? > 0)
}

/// Whether the revisions recorded since the last snapshot call for one (a read: no lock).
pub fn snapshot_due(conn: &mut DbConnection) -> DbResult<bool> {
    Ok(SnapshotState::read(conn)?.due())
}

/// [`snapshot_if_due`] for revisions recorded before snapshots existed (an upgraded database):
/// one snapshot every half as many revisions as there are observations from the last one
/// (or the first revision) on, in one forward pass, so that every past instant, not only the
/// latest, is read from a snapshot near it. A snapshot inside a transaction's revisions is as
/// good as one at its end for every later instant. Under the write lock, like writes.
pub fn snapshot_history(conn: &mut DbConnection) -> DbResult<usize> {
    take_snapshots(conn, true)
}

/// Where snapshots stand.
struct SnapshotState {
    last_revision: i64,
    /// Revisions between two snapshots: half the observations, at least one.
    every: i64,
    last_snapshot: i64,
}

impl SnapshotState {
    fn read(conn: &mut DbConnection) -> DbResult<Self> {
        let (last_revision, last_observation, last_snapshot): (Option<i64>, Option<i64>, Option<i64>) =
            diesel::select((
                revisions::table.select(max(revisions::id)).single_value(),
                observations::table.select(max(observations::id)).single_value(),
                state_snapshots::table.select(max(state_snapshots::revision_id)).single_value(),
            ))
            .get_result(conn)?;
        Ok(Self {
            last_revision: last_revision.unwrap_or(0),
            every: (last_observation.unwrap_or(0) / 2).max(1),
            last_snapshot: last_snapshot.unwrap_or(0),
        })
    }

    fn due(&self) -> bool {
        self.last_revision - self.last_snapshot >= self.every
    }
}

/// Takes the snapshots due: at the last revision, and with `every_step`, also every `every`
/// revisions before it from the last snapshot on. Returns how many.
fn take_snapshots(conn: &mut DbConnection, every_step: bool) -> DbResult<usize> {
    let state = SnapshotState::read(conn)?;
    if !state.due() {
        return Ok(0);
    }
    let SnapshotState { last_revision, every, last_snapshot } = state;
    let (mut taken, mut values) = snapshots::last_at(conn, last_snapshot)?;
    let mut count = 0;
    while last_revision - taken >= every {
        let next = if every_step && last_revision - taken >= 2 * every { taken + every } else { last_revision };
        let started = Instant::now();
        let rows = read_forward(None, conn, &mut values, taken, next)?;
        snapshots::store(conn, next, &values)?;
        tracing::info!(revision = next, before = taken, rows, took = ?started.elapsed(), "state snapshot taken");
        taken = next;
        count += 1;
    }
    Ok(count)
}

/// Applies the revisions with ids in `from+1..=to` to `values`, in id order, so that each
/// observation's last one is the one it had at `to`; returns how many were read. The ids are
/// read in chunks, taken in turn by `conn` and by whatever idle connections `db`'s pool has
/// (one per further core): the database reads on every core. Chunks read at different
/// moments still make one state: revisions up to `to` never change.
fn read_forward(db: Option<&Db>, conn: &mut DbConnection, values: &mut Values, from: i64, to: i64) -> DbResult<usize> {
    let next = AtomicI64::new(from);
    let chunk = forward_chunk(from, to);
    let cores = std::thread::available_parallelism().map_or(1, usize::from).min(MAX_READERS);
    let wanted = if to - from > chunk { cores - 1 } else { 0 };
    let helpers: Vec<_> = db.into_iter().flat_map(|db| std::iter::from_fn(|| db.try_get())).take(wanted).collect();
    let mut chunks = std::thread::scope(|scope| {
        let next = &next;
        let others: Vec<_> = helpers
            .into_iter()
            .map(|mut helper| scope.spawn(move || read_chunks(&mut helper, to, chunk, next)))
            .collect();
        let mut chunks = read_chunks(conn, to, chunk, next)?;
        for other in others {
            chunks.extend(other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?);
        }
        Ok::<_, DbError>(chunks)
    })?;
    chunks.sort_unstable_by_key(|(start, _)| *start);
    let mut rows = 0;
    for (id, value) in chunks.into_iter().flat_map(|(_, read)| read) {
        let at = usize::try_from(id)
            .map_err(|_| DbError::Inconsistent(format!("a revision names observation {id}, which cannot exist")))?;
        if values.len() <= at {
            values.resize(at + 1, None);
        }
        values[at] = value;
        rows += 1;
    }
    Ok(rows)
}

/// Ids per chunk of a forward read of `from+1..=to`.
fn forward_chunk(from: i64, to: i64) -> i64 {
    (to - from + FORWARD_CHUNKS - 1).div_euclid(FORWARD_CHUNKS).max(1)
}

/// (observation id, value; none when withdrawn) of a revision.
type RevisedValue = (i64, Option<f64>);

/// Reads chunks of `chunk` ids up to `to`, each taken from `next`, until none is left;
/// returns each chunk's values after the id it starts after. Rows are read on the backend's
/// own connection: through the multi-backend one, reading 145,000 took a third longer on
/// PostgreSQL (one value at a time through its dispatch).
fn read_chunks(
    conn: &mut DbConnection,
    to: i64,
    chunk: i64,
    next: &AtomicI64,
) -> DbResult<Vec<(i64, Vec<RevisedValue>)>> {
    let mut chunks = Vec::new();
    loop {
        let from = next.fetch_add(chunk, Ordering::Relaxed);
        if from >= to {
            return Ok(chunks);
        }
        let end = (from + chunk).min(to);
        chunks.push((from, on_backend!(conn, c => revisions_between!(from, end).load::<RevisedValue>(c))?));
    }
}

/// How the database reads the revisions after a snapshot (see [`super::explain::plan`]): the
/// first chunk of the read up to `known` from revision 0.
pub fn past_state_plan(conn: &mut DbConnection, known: i64) -> DbResult<Vec<String>> {
    super::explain::plan(conn, revisions_between!(0, forward_chunk(0, known).min(known)))
}
