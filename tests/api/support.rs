//! Test harness: a real server on port 0 over a fresh database (SQLite by default,
//! PostgreSQL when `TEST_DATABASE_URL` is set), and a small blocking HTTP client.

use connect2030::config::Settings;
use connect2030::startup::Application;
use serde_json::{json, Value};
use std::sync::{Arc, Barrier};
use std::time::Duration;

pub use crate::fresh_db::FreshDb as TestDatabase;

impl TestDatabase {
    /// A fresh, empty database on the backend under test (PostgreSQL when `TEST_DATABASE_URL`
    /// is set).
    pub fn create() -> Self {
        match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
            Some(admin_url) => Self::postgres(&admin_url, "c2030_test"),
            None => {
                if std::env::var("C2030_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                    panic!("C2030_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set");
                }
                Self::sqlite("c2030_test")
            }
        }
    }
}

/// A running service.
pub struct TestApp {
    /// The service's shared state (database and catalogue), for direct checks.
    pub state: connect2030::state::AppState,
    /// e.g. `http://127.0.0.1:40123`.
    pub base: String,
    agent: ureq::Agent,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
    /// The database behind it (dropped after the server stops), unless another instance owns it.
    _db: Option<TestDatabase>,
}

impl TestApp {
    /// Starts a service on a fresh database.
    pub fn spawn() -> Self {
        Self::spawn_on(TestDatabase::create())
    }

    /// Starts a service on a fresh database with the bundled public data loaded.
    pub fn spawn_with_public_data() -> Self {
        Self::spawn_with(|settings| settings.load_public_data = true)
    }

    /// Starts a service on a fresh database with adjusted settings.
    pub fn spawn_with(configure: impl FnOnce(&mut Settings)) -> Self {
        let db = TestDatabase::create();
        let mut settings = Settings::for_database(&db.url).unwrap();
        configure(&mut settings);
        Self::start(db, settings)
    }

    /// Starts a service on a given database.
    pub fn spawn_on(db: TestDatabase) -> Self {
        let settings = Settings::for_database(&db.url).unwrap();
        Self::start(db, settings)
    }

    /// Starts a second instance on this instance's database (as behind a load balancer).
    pub fn second_instance(&self) -> Self {
        Self::spawn_on_shared(self._db.as_ref().expect("the first instance owns the database"))
    }

    /// Starts a service on a database with the given settings (they may reach it another way).
    pub fn spawn_with_settings(db: TestDatabase, settings: Settings) -> Self {
        Self::start(db, settings)
    }

    /// Starts a service on a database that stays with its owner.
    pub fn spawn_on_shared(db: &TestDatabase) -> Self {
        Self::start(None, Settings::for_database(&db.url).unwrap())
    }

    /// Whether the backend is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.database_url().starts_with("postgres")
    }

    /// The database URL.
    pub fn database_url(&self) -> String {
        self._db.as_ref().map(|db| db.url.clone()).unwrap_or_default()
    }

    fn start(db: impl Into<Option<TestDatabase>>, settings: Settings) -> Self {
        let db = db.into();
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(settings).await.expect("the application builds");
                tx.send((app.address(), app.handle(), app.state().clone())).unwrap();
                app.run().await.expect("the server runs");
            })
        });
        let (address, handle, state) = rx.recv().expect("the server starts");
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(60)).redirects(0).build();
        Self { state, base: format!("http://{address}"), agent, handle, thread: Some(thread), _db: db }
    }

    /// A request builder for a method and path.
    pub fn request(&self, method: &str, path: &str) -> ureq::Request {
        self.agent.request(method, &format!("{}{path}", self.base))
    }

    /// GET a path.
    pub fn get(&self, path: &str) -> Resp {
        send(self.request("GET", path), None)
    }

    /// A new administrator key.
    pub fn admin_key(&self) -> String {
        connect2030::admin::create_admin_key(&self.state, "test secretariat").unwrap()
    }

    /// A new reporter key for a member state.
    pub fn reporter_key(&self, country: &str) -> String {
        connect2030::admin::create_reporter(&self.state, country, &format!("{country} statistics office")).unwrap()
    }

    /// POST a JSON body with a key.
    pub fn post_json(&self, path: &str, key: &str, body: &Value) -> Resp {
        let request = self.request("POST", path).set("Authorization", &format!("Bearer {key}"));
        send(request, Some(("application/json", body.to_string().as_bytes())))
    }

    /// POST a CSV body with a key.
    pub fn post_csv(&self, path: &str, key: &str, csv: &str) -> Resp {
        let request = self.request("POST", path).set("Authorization", &format!("Bearer {key}"));
        send(request, Some(("text/csv", csv.as_bytes())))
    }

    /// DELETE with a key.
    pub fn delete(&self, path: &str, key: &str) -> Resp {
        send(self.request("DELETE", path).set("Authorization", &format!("Bearer {key}")), None)
    }

    /// GET a path with extra headers.
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut request = self.request("GET", path);
        for (name, value) in headers {
            request = request.set(name, value);
        }
        send(request, None)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // The stop command is sent eagerly; the returned future only reports completion.
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A response read in full.
#[derive(Debug)]
pub struct Resp {
    /// Status code.
    pub status: u16,
    /// Headers, names lower-case.
    pub headers: Vec<(String, String)>,
    /// Body text.
    pub body: String,
}

impl Resp {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Asserts a problem+json answer with this status and code, and returns it.
    #[track_caller]
    pub fn assert_problem(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status, status, "{}", self.body);
        let content_type = self.header("content-type").unwrap_or_default();
        assert!(content_type.starts_with("application/problem+json"), "content type {content_type}: {}", self.body);
        let problem = self.json();
        assert_eq!(problem["code"], code, "{problem}");
        assert_eq!(problem["status"], status, "{problem}");
        assert!(problem["title"].is_string() && problem["detail"].is_string() && problem["type"].is_string());
        problem
    }
}

/// Sends a request and reads the whole answer, whatever its status.
pub fn send(request: ureq::Request, body: Option<(&str, &[u8])>) -> Resp {
    let result = match body {
        Some((content_type, bytes)) => request.set("Content-Type", content_type).send_bytes(bytes),
        None => request.call(),
    };
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(e) => panic!("transport error: {e}"),
    };
    let status = response.status();
    let headers = response
        .headers_names()
        .into_iter()
        .map(|name| {
            let value = response.header(&name).unwrap_or_default().to_string();
            (name.to_ascii_lowercase(), value)
        })
        .collect();
    let body = response.into_string().unwrap_or_default();
    Resp { status, headers, body }
}

/// Reverts the last migrations, `versions` (oldest first, through the newest), asserting each
/// one, then runs them again: data written by the current schema goes back through them.
#[track_caller]
pub fn migrate_again(conn: &mut connect2030::db::DbConnection, versions: &[&str]) {
    for version in versions.iter().rev() {
        assert_eq!(connect2030::db::revert_last_migration(conn).unwrap(), *version);
    }
    assert_eq!(connect2030::db::run_migrations(conn, false).unwrap().applied, versions);
}

/// The indicator [`write_one`] writes.
pub const WRITTEN: &str = "individuals_internet_pct";

/// Writes one value of [`WRITTEN`] (India, 2023) and returns the data version the write made.
pub fn write_one(app: &TestApp, key: &str, value: f64) -> i64 {
    let batch = json!({"observations": [{"country": "IND", "indicator": WRITTEN, "year": 2023, "value": value}]});
    let answer = app.post_json("/api/v1/observations", key, &batch);
    assert_eq!(answer.status, 201, "{}", answer.body);
    answer.json()["data_version"].as_i64().expect("the write says its data version")
}

/// The data version a progress answer says it was computed from.
pub fn data_version(answer: &Resp) -> i64 {
    answer.json()["provenance"]["data_version"].as_i64().unwrap()
}

/// `GET path` from `readers` threads released at the same instant; the answers in thread order.
pub fn get_concurrently(app: &Arc<TestApp>, path: &str, readers: usize) -> Vec<Resp> {
    let barrier = Arc::new(Barrier::new(readers));
    let threads: Vec<_> = (0..readers)
        .map(|_| {
            let (app, barrier, path) = (app.clone(), barrier.clone(), path.to_string());
            std::thread::spawn(move || {
                barrier.wait();
                app.get(&path)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}
