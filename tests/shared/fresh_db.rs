//! A database that exists for one test or benchmark and is removed afterwards: a temporary
//! SQLite file, or a new database on a PostgreSQL server. Shared by `tests/api/support.rs`
//! and `benches/common` (each adds how it chooses the backend).

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh, empty database; dropped with this value unless `BENCH_KEEP_DB=1`.
pub struct FreshDb {
    /// URL the service connects to.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Files(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{prefix}_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst))
}

impl FreshDb {
    /// A new SQLite file in the temporary directory.
    pub fn sqlite(prefix: &str) -> Self {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name(prefix)));
        Self { url: format!("sqlite://{}", path.display()), cleanup: Cleanup::Files(path) }
    }

    /// A new database on the server of `admin_url` (whose user may create databases).
    pub fn postgres(admin_url: &str, prefix: &str) -> Self {
        let name = unique_name(prefix);
        let mut conn = PgConnection::establish(admin_url).expect("connect to the PostgreSQL admin URL");
        conn.batch_execute(&format!("CREATE DATABASE {name}")).expect("create a fresh database");
        let base = admin_url.split('?').next().unwrap();
        let (server, _) = base.rsplit_once('/').expect("the admin URL names a database");
        Self { url: format!("{server}/{name}"), cleanup: Cleanup::Postgres { admin_url: admin_url.to_string(), name } }
    }

    /// Whether the backend is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self.cleanup, Cleanup::Postgres { .. })
    }
}

impl Drop for FreshDb {
    fn drop(&mut self) {
        if std::env::var("BENCH_KEEP_DB").is_ok_and(|v| v == "1") {
            println!("(kept {})", self.url);
            return;
        }
        match &self.cleanup {
            Cleanup::Files(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                if let Ok(mut conn) = PgConnection::establish(admin_url) {
                    let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                }
            }
        }
    }
}
