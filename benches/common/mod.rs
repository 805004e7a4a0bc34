//! Harness shared by the benchmarks: fresh databases on either backend and the real server
//! in-process on port 0 (as tests/api/support.rs starts it).
// Each benchmark uses a subset of this module.
#![allow(dead_code)]

use connect2030::config::Settings;
use connect2030::startup::Application;
use connect2030::state::AppState;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use std::net::SocketAddr;

/// Where fresh databases come from.
pub enum Backend {
    /// A temporary SQLite file.
    Sqlite,
    /// A new database on this PostgreSQL server (admin URL).
    Postgres(String),
}

impl Backend {
    /// `sqlite` or `postgres`.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// SQLite always; PostgreSQL too when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set.
    pub fn from_env(bench: &str) -> Vec<Backend> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let mut backends = vec![Backend::Sqlite];
        match env("BENCH_DATABASE_URL").or_else(|| env("TEST_DATABASE_URL")) {
            Some(admin_url) => backends.push(Backend::Postgres(admin_url)),
            None => println!(
                "(PostgreSQL skipped: BENCH_DATABASE_URL=postgres://user@host/db cargo bench --bench {bench} includes it)"
            ),
        }
        backends
    }
}

/// A database that exists for one measurement and is removed afterwards.
pub struct FreshDb {
    /// URL the service connects to.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

fn unique_name() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("c2030_bench_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst))
}

impl FreshDb {
    /// A new, empty database.
    pub fn create(backend: &Backend) -> Self {
        let name = unique_name();
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                Self { url: format!("sqlite://{}", path.display()), cleanup: Cleanup::File(path) }
            }
            Backend::Postgres(admin_url) => {
                let mut conn = PgConnection::establish(admin_url).expect("connect to BENCH_DATABASE_URL");
                conn.batch_execute(&format!("CREATE DATABASE {name}")).expect("create the bench database");
                let base = admin_url.split('?').next().unwrap();
                let (server, _) = base.rsplit_once('/').expect("BENCH_DATABASE_URL names a database");
                Self {
                    url: format!("{server}/{name}"),
                    cleanup: Cleanup::Postgres { admin_url: admin_url.clone(), name },
                }
            }
        }
    }
}

impl Drop for FreshDb {
    fn drop(&mut self) {
        if std::env::var("BENCH_KEEP_DB").is_ok_and(|v| v == "1") {
            println!("(kept {})", self.url);
            return;
        }
        match &self.cleanup {
            Cleanup::File(path) => {
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

/// The real server, running in its own thread until dropped. Each start has empty in-memory
/// caches, as a freshly started process would.
pub struct Running {
    /// The server's shared state.
    pub state: AppState,
    /// Where it listens.
    pub address: SocketAddr,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// Builds and starts the application.
    pub fn start(settings: Settings) -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(settings).await.expect("the application builds");
                tx.send((app.address(), app.handle(), app.state().clone())).unwrap();
                app.run().await.expect("the server runs");
            })
        });
        let (address, handle, state) = rx.recv().expect("the server starts");
        Self { state, address, handle, thread: Some(thread) }
    }

    /// `http://host:port`.
    pub fn base(&self) -> String {
        format!("http://{}", self.address)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// splitmix64: deterministic, good enough to pick and fill rows.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
