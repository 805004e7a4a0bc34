//! The in-memory side of progress: the current values, refreshed by delta when the data
//! version moves, and computed answers keyed by everything they depend on.

use crate::db::{dataset, write, Backend, Db, DbConnection, DbResult};
use crate::domain::tracking::DataSet;
use actix_web::web::Bytes;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Most answers kept; all are dropped when the data version moves.
const MAX_ANSWERS: usize = 512;

#[derive(Default)]
struct Snapshot {
    loaded: bool,
    version: i64,
    last_revision: i64,
    data: Arc<DataSet>,
}

/// Shared by every worker of one instance. Instances agree because the keys carry the data
/// version stored in the database, never anything local.
#[derive(Default)]
pub struct ProgressCache {
    current: Mutex<Snapshot>,
    /// SQLite only: the data version read after this many committed writes of this process.
    known_version: Mutex<Option<(u64, i64)>>,
    answers: Mutex<HashMap<String, (i64, Bytes)>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl ProgressCache {
    /// The current values and the data version they are exactly (blocking; runs a query
    /// only when the version moved, then loads just the changed values).
    pub fn current(&self, conn: &mut DbConnection) -> DbResult<(i64, Arc<DataSet>)> {
        // A poisoned lock means a refresh panicked half-way: start again from nothing.
        let mut snapshot = self.current.lock().unwrap_or_else(|poisoned| {
            let mut guard = poisoned.into_inner();
            *guard = Snapshot::default();
            guard
        });
        loop {
            let version = write::current_version(conn)?;
            if snapshot.loaded && snapshot.version == version {
                return Ok((version, snapshot.data.clone()));
            }
            let after = snapshot.last_revision;
            snapshot.last_revision = dataset::refresh(conn, Arc::make_mut(&mut snapshot.data), after)?;
            // A write that committed during the refresh moves the version: refresh again, so
            // the values are exactly those of the version they are cached under.
            if write::current_version(conn)? == version {
                snapshot.version = version;
                snapshot.loaded = true;
                return Ok((version, snapshot.data.clone()));
            }
        }
    }

    /// The data version if it is known without a query: on SQLite (one instance) nothing but
    /// this process writes, so the version read after as many committed writes still holds.
    /// PostgreSQL always asks the database, because other instances write too.
    pub fn known_version(&self, db: &Db) -> Option<i64> {
        let (seen, version) = (*self.known_version.lock().ok()?)?;
        (db.backend() == Backend::Sqlite && seen == db.committed_writes()).then_some(version)
    }

    /// The data version, from memory when [`Self::known_version`] knows it, else the database.
    pub fn data_version(&self, db: &Db, conn: &mut DbConnection) -> DbResult<i64> {
        if let Some(version) = self.known_version(db) {
            return Ok(version);
        }
        // Counted before reading: a write committing in between makes the pair stale, not wrong.
        let writes = db.committed_writes();
        let version = write::current_version(conn)?;
        if let Ok(mut known) = self.known_version.lock() {
            *known = Some((writes, version));
        }
        Ok(version)
    }

    /// A computed answer, if one is stored under this key.
    pub fn answer(&self, key: &str) -> Option<Bytes> {
        let found = self.answers.lock().ok()?.get(key).map(|(_, body)| body.clone());
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores an answer computed from data version `version`, dropping answers of older versions.
    pub fn store(&self, key: String, version: i64, body: Bytes) {
        if let Ok(mut answers) = self.answers.lock() {
            answers.retain(|_, (v, _)| *v >= version);
            if answers.len() >= MAX_ANSWERS {
                answers.clear();
            }
            answers.insert(key, (version, body));
        }
    }

    /// Answers served from memory and answers computed, since start-up.
    pub fn hit_counts(&self) -> (u64, u64) {
        (self.hits.load(Ordering::Relaxed), self.misses.load(Ordering::Relaxed))
    }
}
