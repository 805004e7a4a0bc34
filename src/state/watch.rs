//! On PostgreSQL, a thread per instance that listens for the writes of every instance and
//! tells the progress cache, so reads need no database round trip to know the data version.
//! A periodic check of the version is the safety net for an announcement lost with a
//! connection.

use super::progress::ProgressCache;
use crate::db::{Backend, Db};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

/// How often the listening connection is read (it never blocks, so it is polled).
const POLL: Duration = Duration::from_millis(10);
/// How often the data version is checked even without an announcement.
const SAFETY_CHECK: Duration = Duration::from_secs(1);
/// Wait before reconnecting after a failure.
const RECONNECT: Duration = Duration::from_secs(1);

/// Starts watching for writes when the database is PostgreSQL; the thread ends with the cache.
pub fn spawn(db: &Db, cache: &Arc<ProgressCache>) {
    if db.backend() != Backend::Postgres {
        return;
    }
    let (db, cache) = (db.clone(), Arc::downgrade(cache));
    let started = std::thread::Builder::new().name("c2030-listen".into()).spawn(move || watch(&db, &cache));
    if let Err(error) = started {
        tracing::warn!(%error, "cannot start listening for writes; every read will ask the database");
    }
}

fn watch(db: &Db, cache: &Weak<ProgressCache>) {
    let mut listener = None;
    let mut last_version = None;
    let mut checked = Instant::now();
    loop {
        let Some(progress) = cache.upgrade() else { return };
        if listener.is_none() {
            match db.listen() {
                Some(Ok(connected)) => {
                    listener = Some(connected);
                    // Writes may have been missed while no connection listened.
                    progress.set_listening(true);
                }
                Some(Err(error)) => tracing::warn!(%error, "cannot listen for writes; retrying"),
                None => return,
            }
        }
        if let Some(connection) = listener.as_mut() {
            let mut outcome = connection.poll().map(|announced| {
                if announced > 0 {
                    progress.announce();
                }
            });
            if outcome.is_ok() && checked.elapsed() >= SAFETY_CHECK {
                checked = Instant::now();
                outcome = connection.version().map(|version| {
                    if last_version.is_some_and(|last| last != version) {
                        progress.announce();
                    }
                    last_version = Some(version);
                });
            }
            if let Err(error) = outcome {
                tracing::warn!(%error, "lost the connection listening for writes; reconnecting");
                listener = None;
                progress.set_listening(false);
            }
        }
        drop(progress);
        std::thread::sleep(if listener.is_some() { POLL } else { RECONNECT });
    }
}
