//! The in-memory side of progress: the current values and data versions (refreshed by delta
//! when they move), how this instance knows they did not move without asking the database,
//! and the computed answers ([`Answers`]).

use super::answers::{Answers, Failure};
use super::pieces::Pieces;
use crate::db::observation_keys::ObservationKeys;
use crate::db::signals::Signals;
use crate::db::{dataset, write, Backend, Db, DbConnection, DbResult};
use crate::domain::tracking::DataSet;
use futures_util::future::{BoxFuture, FutureExt, Shared};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Versions remembered with the instant this instance learned of them (for staleness).
const MAX_LEARNED: usize = 4096;

/// What an answer reads, so that it stays valid across writes to anything else.
#[derive(Debug, Clone)]
pub enum Reads {
    /// Every indicator.
    All,
    /// These indicators only.
    Indicators(Vec<String>),
}

/// The data version, and per indicator the data version of its last change.
#[derive(Debug, Default)]
pub struct Versions {
    /// The data version (it moves with every change).
    pub global: i64,
    indicators: HashMap<String, i64>,
}

impl Versions {
    /// The data version of what `reads` reads: it moves exactly when one of its values does.
    pub fn of(&self, reads: &Reads) -> i64 {
        match reads {
            Reads::All => self.global,
            Reads::Indicators(codes) => {
                codes.iter().filter_map(|code| self.indicators.get(code)).copied().max().unwrap_or(0)
            }
        }
    }
}

#[derive(Default)]
struct Snapshot {
    loaded: bool,
    versions: Arc<Versions>,
    last_revision: i64,
    data: Arc<DataSet>,
    keys: Arc<ObservationKeys>,
}

struct Known {
    versions: Arc<Versions>,
    /// [`ProgressCache::signals`] when they were read.
    signals: u64,
}

#[derive(Default)]
struct Learned {
    log: VecDeque<(i64, Instant)>,
    /// The latest version forgotten from the log: the onset of staleness of an answer checked
    /// at or before it is unknown.
    forgotten: i64,
}

/// Shared by every worker of one instance. Instances agree because answers are keyed by data
/// versions stored in the database, never by anything local.
#[derive(Default)]
pub struct ProgressCache {
    current: Mutex<Snapshot>,
    known: Mutex<Option<Known>>,
    /// This process's writes and those of other instances announced to it (PostgreSQL).
    signals: Arc<Signals>,
    /// Whether announcements arrive (PostgreSQL); without them every read asks the database.
    listening: AtomicBool,
    learned: Mutex<Learned>,
    /// Computed answers.
    pub answers: Answers,
    /// Parts of answers, kept by the content of what they read.
    pub pieces: Pieces,
    /// The read of the versions in flight, with the signals it was started at.
    reading: Mutex<Option<(u64, VersionsFlight)>>,
}

/// A read of the versions, awaited by every request that needs it at the same time.
pub type VersionsFlight = Shared<BoxFuture<'static, Result<Arc<Versions>, Failure>>>;

impl ProgressCache {
    /// A cache serving superseded answers for at most `max_stale` while their successors are
    /// computed, told of writes by `signals` (the database's, see [`Db::signals`]).
    pub fn new(max_stale: Duration, signals: Arc<Signals>) -> Self {
        Self { answers: Answers::new(max_stale), signals, ..Self::default() }
    }

    /// The current values and the versions they are exactly (blocking; runs queries only
    /// when the version moved, then loads just the changed values).
    pub fn current(&self, conn: &mut DbConnection) -> DbResult<(Arc<Versions>, Arc<DataSet>)> {
        // A poisoned lock means a refresh panicked half-way: start again from nothing.
        let mut snapshot = self.current.lock().unwrap_or_else(|poisoned| {
            let mut guard = poisoned.into_inner();
            *guard = Snapshot::default();
            guard
        });
        loop {
            let signals = self.signals.count();
            let (global, indicators) = write::versions(conn)?;
            if snapshot.loaded && snapshot.versions.global == global {
                return Ok((snapshot.versions.clone(), snapshot.data.clone()));
            }
            let after = snapshot.last_revision;
            let Snapshot { data, keys, .. } = &mut *snapshot;
            snapshot.last_revision = dataset::refresh(conn, Arc::make_mut(data), Arc::make_mut(keys), after)?;
            // A write that committed during the refresh moves the version: refresh again, so
            // the values are exactly those of the versions they are cached under.
            if write::current_version(conn)? == global {
                snapshot.versions = Arc::new(Versions { global, indicators: indicators.into_iter().collect() });
                snapshot.loaded = true;
                self.learn(global, signals);
                return Ok((snapshot.versions.clone(), snapshot.data.clone()));
            }
        }
    }

    /// The keys of the observations, as learned while loading the current values (blocking).
    pub fn observation_keys(&self, conn: &mut DbConnection) -> DbResult<Arc<ObservationKeys>> {
        self.current(conn)?;
        Ok(self.current.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).keys.clone())
    }

    /// Everything that may have moved the data: this process's writes, and the writes other
    /// instances announced.
    fn signals(&self) -> u64 {
        self.signals.count()
    }

    /// The versions, if this instance knows them without a query: nothing was written since
    /// it read them (on SQLite only this process writes; on PostgreSQL other instances
    /// announce their writes, and without a listening connection the database is asked).
    pub fn known(&self, db: &Db) -> Option<Arc<Versions>> {
        if db.backend() == Backend::Postgres && !self.listening.load(Ordering::SeqCst) {
            return None;
        }
        let known = self.known.lock().ok()?;
        let known = known.as_ref()?;
        (known.signals == self.signals()).then(|| known.versions.clone())
    }

    /// The versions, read from the database (blocking).
    pub fn versions(&self, conn: &mut DbConnection) -> DbResult<Arc<Versions>> {
        // Counted before reading: a write committing in between makes the pair stale, not wrong.
        let signals = self.signals();
        let (global, indicators) = write::versions(conn)?;
        let versions = Arc::new(Versions { global, indicators: indicators.into_iter().collect() });
        self.learn(global, signals);
        if let Ok(mut known) = self.known.lock() {
            if known.as_ref().is_none_or(|k| k.versions.global <= global) {
                *known = Some(Known { versions: versions.clone(), signals });
            }
        }
        Ok(versions)
    }

    /// The read of the versions in flight since the last write this instance knows of, or a
    /// new one from `start` (given the signals it starts at, for [`Self::forget_read`]): after
    /// a write, one query tells every waiting request.
    pub fn read_versions(
        &self,
        start: impl FnOnce(u64) -> BoxFuture<'static, Result<Arc<Versions>, Failure>>,
    ) -> VersionsFlight {
        let signals = self.signals();
        let mut reading = self.reading.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((started, flight)) = reading.as_ref() {
            if *started == signals {
                return flight.clone();
            }
        }
        let flight = start(signals).shared();
        *reading = Some((signals, flight.clone()));
        flight
    }

    /// Forgets a finished read of the versions (started at `signals`): it only serves the
    /// requests waiting at the same time, and a failure is tried again.
    pub fn forget_read(&self, signals: u64) {
        if let Ok(mut reading) = self.reading.lock() {
            if reading.as_ref().is_some_and(|(started, _)| *started == signals) {
                *reading = None;
            }
        }
    }

    /// Another instance wrote (or announcements may have been missed), now.
    pub fn announce(&self) {
        self.signals.signal();
    }

    /// Whether writes of other instances are announced to this one.
    pub fn set_listening(&self, listening: bool) {
        self.listening.store(listening, Ordering::SeqCst);
        self.announce();
    }

    /// Records data version `global`, read after `signals` were counted: data newer than an
    /// earlier version was known since the first of those signals not yet taken (a commit,
    /// an announcement), not since this read.
    fn learn(&self, global: i64, signals: u64) {
        let signalled = self.signals.take_until(signals);
        let Ok(mut learned) = self.learned.lock() else { return };
        let latest = learned.log.back().map_or(learned.forgotten, |(version, _)| *version);
        if global > latest {
            match signalled {
                Some(at) => learned.log.push_back((global, at)),
                // Moved with no signal (a write another process made unannounced): since
                // when is unknown, so no answer older than it is served as merely stale.
                None => {
                    learned.log.clear();
                    learned.forgotten = global;
                }
            }
        }
        while learned.log.len() > MAX_LEARNED {
            if let Some((forgotten, _)) = learned.log.pop_front() {
                learned.forgotten = forgotten;
            }
        }
    }

    /// When this instance learned of data newer than `version` (none: not yet, or too long
    /// ago to know).
    pub fn superseded_at(&self, version: i64) -> Option<Instant> {
        let learned = self.learned.lock().ok()?;
        if version < learned.forgotten {
            return None;
        }
        learned.log.iter().find(|(known, _)| *known > version).map(|(_, at)| *at)
    }
}
