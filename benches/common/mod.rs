//! Harness shared by the benchmarks: fresh databases on either backend and the real server
//! in-process on port 0 (as tests/api/support.rs starts it).
// Each benchmark uses a subset of this module.
#![allow(dead_code)]

pub mod data;

use connect2030::config::Settings;
use connect2030::domain::catalogue::ITU_MEMBERS;
use connect2030::startup::Application;
use connect2030::state::AppState;
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

#[path = "../../tests/shared/fresh_db.rs"]
mod fresh_db;
pub use fresh_db::FreshDb;

impl FreshDb {
    /// A new, empty database on a backend.
    pub fn create(backend: &Backend) -> Self {
        match backend {
            Backend::Sqlite => Self::sqlite("c2030_bench"),
            Backend::Postgres(admin_url) => Self::postgres(admin_url, "c2030_bench"),
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

/// Every series' total (no breakdown) for every ITU member state in `years`, posted through
/// the API in batches of `batch` rows; returns how many values.
pub fn load_member_states(server: &Running, key: &str, years: std::ops::RangeInclusive<i32>, batch: usize) -> usize {
    let catalogue = &server.state.catalogue;
    let totals: Vec<_> = data::series(catalogue).into_iter().filter(|s| s.sex.is_none()).collect();
    let members = &catalogue.group(ITU_MEMBERS).expect("the ITU_MEMBERS group").members;
    let countries: Vec<String> = members.iter().map(|m| m.iso3.clone()).collect();
    let mut rows = Vec::with_capacity(countries.len() * totals.len() * years.clone().count());
    for country in 0..countries.len() {
        for series in &totals {
            for year in years.clone() {
                rows.push(data::observation(&countries, series, country, year, *years.start()));
            }
        }
    }
    let url = format!("{}/api/v1/observations", server.base());
    for chunk in rows.chunks(batch) {
        let answer = ureq::post(&url)
            .set("Authorization", &format!("Bearer {key}"))
            .send_json(serde_json::json!({ "observations": chunk }))
            .expect("a batch is accepted");
        assert_eq!(answer.status(), 201);
    }
    rows.len()
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
