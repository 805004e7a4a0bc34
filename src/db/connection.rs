//! The connection enum, its r2d2 manager, and [`Db`], which runs blocking queries off the
//! async workers.

use super::error::{DbError, DbResult};
use super::signals::Signals;
use crate::config::{DatabaseUrl, DbTimeouts};
use anyhow::Context;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::{PgConnection, SqliteConnection};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A connection to either backend; the variant is chosen from the database URL.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// PostgreSQL.
    Postgresql(PgConnection),
    /// SQLite.
    Sqlite(SqliteConnection),
}

/// Which backend a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite (one instance).
    Sqlite,
    /// PostgreSQL (one or many instances).
    Postgres,
}

const SQLITE_BUSY_TIMEOUT_MS: u32 = 10_000;

/// Opens connections for r2d2, dispatching on the URL scheme so the real connection error
/// reaches the operator (diesel's derived `establish` hides it).
#[derive(Debug)]
struct Manager {
    url: DatabaseUrl,
    timeouts: DbTimeouts,
}

/// A PostgreSQL URL with a `connect_timeout`, unless it names one itself.
fn with_connect_timeout(url: &str, timeout: Duration) -> String {
    if url.contains("connect_timeout=") {
        return url.to_string();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}connect_timeout={}", timeout.as_secs().max(1))
}

/// A PostgreSQL connection with the service's timeouts, without JIT compilation: every query
/// here runs in milliseconds, yet a join of 145,000 observations to their past revisions is
/// estimated costly enough that compiling it took 73 of its 490 ms (`EXPLAIN ANALYZE`).
pub(super) fn establish_postgres(url: &str, timeouts: DbTimeouts) -> Result<PgConnection, ConnectionError> {
    let mut conn = PgConnection::establish(&with_connect_timeout(url, timeouts.connect))?;
    conn.batch_execute(&format!("SET statement_timeout = {}; SET jit = off", timeouts.statement.as_millis()))
        .map_err(ConnectionError::CouldntSetupConfiguration)?;
    Ok(conn)
}

/// An SQLite connection (creating the file when missing) that waits for a busy database.
pub(super) fn establish_sqlite(path: &Path) -> Result<SqliteConnection, ConnectionError> {
    let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
    ))
    .map_err(ConnectionError::CouldntSetupConfiguration)?;
    Ok(conn)
}

fn establish(url: &DatabaseUrl, timeouts: DbTimeouts) -> Result<DbConnection, ConnectionError> {
    match url {
        DatabaseUrl::Postgres(url) => Ok(DbConnection::Postgresql(establish_postgres(url, timeouts)?)),
        DatabaseUrl::Sqlite(path) => Ok(DbConnection::Sqlite(establish_sqlite(path)?)),
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = ConnectionError;

    fn connect(&self) -> Result<DbConnection, ConnectionError> {
        establish(&self.url, self.timeouts)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectionError> {
        conn.batch_execute("SELECT 1").map_err(ConnectionError::CouldntSetupConfiguration)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// The pool and what the application needs to know about the backend.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<Manager>,
    backend: Backend,
    /// SQLite has one writer at a time; taking this lock in-process first means a write
    /// transaction never fails on a lock upgrade (SQLITE_BUSY), it waits its turn instead.
    write_lock: Arc<Mutex<()>>,
    /// Write transactions this process committed and the writes other instances announced;
    /// on SQLite (one instance) nothing else can change the data, so an unchanged count means
    /// an unchanged data version.
    signals: Arc<Signals>,
    /// Longest a read waits for its answer (a free connection, then its statements).
    read_deadline: Duration,
    /// Where the database is, for connections outside the pool (see [`Db::listen`]).
    pub(super) url: DatabaseUrl,
    /// Timeouts of those connections.
    pub(super) timeouts: DbTimeouts,
}

impl Db {
    /// Connects (creating the SQLite file and its folder when missing) and builds the pool.
    pub fn connect(url: &DatabaseUrl, pool_size: u32, timeouts: DbTimeouts) -> anyhow::Result<Self> {
        let backend = match url {
            DatabaseUrl::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create the database folder {}", dir.display()))?;
                }
                // WAL is a property of the file: set it once, before the pool opens many connections.
                let mut conn = establish(url, timeouts).with_context(|| format!("cannot open {url:?}"))?;
                // A read-only file still answers reads: without this probe the service would
                // report ready and fail every write.
                conn.batch_execute("PRAGMA journal_mode = WAL; BEGIN; CREATE TABLE write_probe (x INTEGER); ROLLBACK;")
                    .with_context(|| {
                        format!("the SQLite database {} cannot be written: check the permissions of the file and its folder", path.display())
                    })?;
                Backend::Sqlite
            }
            DatabaseUrl::Postgres(_) => {
                establish(url, timeouts).with_context(|| format!("cannot connect to {url:?}"))?;
                Backend::Postgres
            }
        };
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            // A network connection can break between uses; a file cannot.
            .test_on_check_out(backend == Backend::Postgres)
            .min_idle(Some(1))
            .connection_timeout(timeouts.checkout)
            .build(Manager { url: url.clone(), timeouts })
            .with_context(|| format!("cannot open a connection pool to {url:?}"))?;
        Ok(Self {
            pool,
            backend,
            write_lock: Arc::new(Mutex::new(())),
            signals: Default::default(),
            read_deadline: timeouts.checkout + timeouts.statement,
            url: url.clone(),
            timeouts,
        })
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A pooled connection, for code that already runs on a blocking thread.
    pub fn get(&self) -> DbResult<r2d2::PooledConnection<impl r2d2::ManageConnection<Connection = DbConnection>>> {
        Ok(self.pool.get()?)
    }

    /// A pooled connection if one is idle right now (never waits): for work that can share
    /// itself out over more connections but does not need them.
    pub fn try_get(&self) -> Option<r2d2::PooledConnection<impl r2d2::ManageConnection<Connection = DbConnection>>> {
        self.pool.try_get()
    }

    /// Runs a read on a blocking thread. `E` is the caller's error type: database failures
    /// convert into it, so a closure can mix queries with its own checks.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let read = blocking(move || f(&mut *pool.get().map_err(DbError::from)?));
        // A hung server never answers and the client library has no timeout of its own: stop
        // waiting (a read changes nothing, so abandoning it is safe) and answer 503.
        within(self.read_deadline, read).await
    }

    /// Checks that the database answers a trivial query within `deadline`.
    pub async fn ping(&self, deadline: Duration) -> DbResult<()> {
        let pool = self.pool.clone();
        within(deadline, blocking(move || ping(&mut *pool.get()?))).await
    }

    /// Runs a write transaction on a blocking thread, one writer at a time on SQLite.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        blocking(move || db.write_blocking(f)).await
    }

    /// [`Db::write`] for callers already on a blocking thread.
    pub fn write_blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E>,
        E: From<DbError>,
    {
        let _guard = self.write_guard();
        let mut pooled = self.pool.get().map_err(DbError::from)?;
        let result = transaction(&mut pooled, f);
        if result.is_ok() {
            self.signals.signal();
        }
        result
    }

    /// The writes this process committed and those announced to it, with their instants.
    pub fn signals(&self) -> &Arc<Signals> {
        &self.signals
    }

    fn write_guard(&self) -> Option<std::sync::MutexGuard<'_, ()>> {
        match self.backend {
            // A poisoned lock only means an earlier writer panicked; its transaction was rolled back.
            Backend::Sqlite => Some(self.write_lock.lock().unwrap_or_else(|e| e.into_inner())),
            Backend::Postgres => None,
        }
    }

    /// Runs `f` in a write transaction that is always rolled back: a dry run goes through
    /// exactly the code of the real run and leaves nothing behind.
    pub async fn dry_run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        use diesel::connection::TransactionManager;
        type Manager = <DbConnection as Connection>::TransactionManager;
        let db = self.clone();
        blocking(move || {
            let _guard = db.write_guard();
            let mut pooled = db.pool.get().map_err(DbError::from)?;
            let conn: &mut DbConnection = &mut pooled;
            Manager::begin_transaction(conn).map_err(DbError::from)?;
            let result = f(conn);
            Manager::rollback_transaction(conn).map_err(DbError::from)?;
            result
        })
        .await
    }
}

/// Answers whether the database takes a query; any failure means it is unavailable.
fn ping(conn: &mut DbConnection) -> DbResult<()> {
    conn.batch_execute("SELECT 1").map_err(|e| DbError::Unavailable(e.to_string()))
}

/// Runs blocking database work off the async workers.
async fn blocking<T, E>(f: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, E>
where
    T: Send + 'static,
    E: From<DbError> + Send + 'static,
{
    actix_web::web::block(f).await.unwrap_or_else(|e| Err(DbError::Task(e.to_string()).into()))
}

/// `work`'s result, or `Unavailable` when it takes longer than `deadline`.
async fn within<T, E: From<DbError>>(
    deadline: Duration,
    work: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, E> {
    actix_web::rt::time::timeout(deadline, work)
        .await
        .unwrap_or_else(|_| Err(DbError::Unavailable(format!("no answer within {} ms", deadline.as_millis())).into()))
}

/// `f` in a transaction, committed when it succeeds. Unlike diesel's own, the closure's error
/// type need only accept [`DbError`], so callers never see diesel's errors.
fn transaction<T, E: From<DbError>>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    enum Failure<E> {
        Caller(E),
        Database(diesel::result::Error),
    }
    impl<E> From<diesel::result::Error> for Failure<E> {
        fn from(error: diesel::result::Error) -> Self {
            Self::Database(error)
        }
    }
    conn.transaction(|c| f(c).map_err(Failure::Caller)).map_err(|failure| match failure {
        Failure::Caller(error) => error,
        Failure::Database(error) => DbError::from(error).into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls_get_a_connect_timeout_unless_they_name_one() {
        let five = Duration::from_secs(5);
        assert_eq!(with_connect_timeout("postgres://u@h/db", five), "postgres://u@h/db?connect_timeout=5");
        assert_eq!(
            with_connect_timeout("postgres://u@h/db?sslmode=require", five),
            "postgres://u@h/db?sslmode=require&connect_timeout=5"
        );
        assert_eq!(
            with_connect_timeout("postgres://u@h/db?connect_timeout=2", five),
            "postgres://u@h/db?connect_timeout=2"
        );
    }
}
