//! Crash safety and scale-out: a batch killed mid-flight is all there or not at all; two
//! instances on one database agree at once.

use crate::support::{send, Resp, TestApp, TestDatabase};
use connect2030::config::Settings;
use diesel::prelude::*;
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The real binary, started as operators start it.
struct Process {
    child: Child,
    base: String,
}

impl Process {
    fn start(database_url: &str) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(env!("CARGO_BIN_EXE_connect2030"))
            .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--write-rate-limit", "0"])
            .env("DATABASE_URL", database_url)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(60);
        while ureq::get(&format!("{base}/health")).call().is_err() {
            assert!(Instant::now() < deadline, "the server did not come up");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, base }
    }

    fn get(&self, path: &str) -> Resp {
        send(ureq::get(&format!("{}{path}", self.base)), None)
    }

    fn kill(mut self) {
        // SIGKILL: no shutdown, no flush, no rollback by the process itself.
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

fn big_batch(rows: usize) -> Value {
    let countries = ["KEN", "UGA", "TZA", "RWA", "ETH", "GHA", "NGA", "SEN", "FRA", "DEU", "BRA", "IND", "CHN", "USA"];
    let indicators = ["individuals_internet_pct", "egov_interaction_pct", "ict_skills_pct", "digital_skills_basic_pct"];
    let observations: Vec<Value> = (0..rows)
        .map(|i| {
            let country = countries[i % countries.len()];
            let indicator = indicators[(i / countries.len()) % indicators.len()];
            let year = 1990 + ((i / (countries.len() * indicators.len())) % 35) as i32;
            let by_sex = i / (countries.len() * indicators.len() * 35) > 0;
            let disaggregation = if by_sex { json!({"sex": "female"}) } else { json!({}) };
            json!({"country": country, "indicator": indicator, "year": year, "value": (i % 97) as f64,
                   "disaggregation": disaggregation})
        })
        .collect();
    json!({ "observations": observations })
}

fn counts(url: &str) -> (i64, i64, i64) {
    use connect2030::db::schema::{observations, revisions, submissions};
    let state = connect2030::startup::prepare(&Settings::for_database(url).unwrap()).unwrap();
    let mut conn = state.db.get().unwrap();
    let observations = observations::table.count().get_result::<i64>(&mut *conn).unwrap();
    let revisions = revisions::table.count().get_result::<i64>(&mut *conn).unwrap();
    let submissions = submissions::table.count().get_result::<i64>(&mut *conn).unwrap();
    (observations, revisions, submissions)
}

#[derive(QueryableByName)]
struct IntegrityCheck {
    #[diesel(sql_type = diesel::sql_types::Text)]
    integrity_check: String,
}

fn sqlite_integrity(url: &str) -> String {
    let path = url.trim_start_matches("sqlite://");
    let mut conn = diesel::SqliteConnection::establish(path).unwrap();
    diesel::sql_query("PRAGMA integrity_check").load::<IntegrityCheck>(&mut conn).unwrap().remove(0).integrity_check
}

#[test]
fn a_batch_killed_mid_flight_is_all_there_or_not_at_all() {
    const ROWS: usize = 2 * 14 * 4 * 35;
    let db = TestDatabase::create();
    let admin = {
        let state = connect2030::startup::prepare(&Settings::for_database(&db.url).unwrap()).unwrap();
        connect2030::admin::create_admin_key(&state, "crash test").unwrap()
    };
    let body = big_batch(ROWS).to_string();
    let mut outcomes = Vec::new();
    for delay_ms in [5u64, 150, 300, 400, 500, 600, 800, 4000] {
        let server = Process::start(&db.url);
        let (before, _, _) = counts(&db.url);
        let url = format!("{}/api/v1/observations", server.base);
        let (auth, payload) = (format!("Bearer {admin}"), body.clone());
        // Each round revises every value (the values depend on the round), so a half-applied
        // batch would show as a mix of old and new values.
        let payload = payload.replace("\"value\":", &format!("\"note\":\"round {delay_ms}\",\"value\":"));
        let client = std::thread::spawn(move || {
            ureq::post(&url)
                .set("Authorization", &auth)
                .set("Content-Type", "application/json")
                .send_string(&payload)
                .is_ok()
        });
        std::thread::sleep(Duration::from_millis(delay_ms));
        server.kill();
        let answered = client.join().unwrap();

        let (observations, revisions, submissions) = counts(&db.url);
        assert!(observations == 0 || observations == ROWS as i64, "{observations} of {ROWS} rows after the kill");
        let applied = submissions as usize > outcomes.iter().filter(|(_, applied, _)| *applied).count();
        assert!(!answered || applied, "an answered batch is stored");
        assert_eq!(revisions, ROWS as i64 * submissions, "every submission has all its revisions or none");
        assert!(before == 0 || observations == ROWS as i64);
        if !db.is_postgres() {
            assert_eq!(sqlite_integrity(&db.url), "ok");
        }
        let restarted = Process::start(&db.url);
        assert_eq!(restarted.get("/ready").status, 200);
        let page = restarted.get("/api/v1/observations?limit=1000&indicator=ict_skills_pct");
        assert_eq!(page.status, 200);
        let notes: std::collections::BTreeSet<String> = page.json()["observations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["note"].as_str().unwrap_or_default().to_string())
            .collect();
        assert!(notes.len() <= 1, "values from one submission only, never a mix: {notes:?}");
        assert_eq!(restarted.get("/api/v1/progress").status, 200);
        restarted.kill();
        outcomes.push((delay_ms, applied, answered));
    }
    eprintln!("crash outcomes (delay ms, batch applied, client answered): {outcomes:?}");
    assert!(outcomes.iter().any(|(_, applied, _)| !applied), "some kill landed before the commit");
}

#[test]
fn two_instances_on_one_database_agree_at_once() {
    let first = TestApp::spawn_with_public_data();
    if !first.is_postgres() {
        eprintln!("skipped: several instances need PostgreSQL (SQLite is for one instance)");
        return;
    }
    let second = first.second_instance();
    let admin = first.admin_key();
    let before = second.get("/api/v1/progress");
    assert_eq!(before.header("etag"), first.get("/api/v1/progress").header("etag"));

    let batch = json!({"observations": [{"country": "IND", "indicator": "individuals_internet_pct", "year": 2023, "value": 52.4}]});
    assert_eq!(first.post_json("/api/v1/observations", &admin, &batch).status, 201);

    let read_back = second.get("/api/v1/observations?country=IND&year_from=2023");
    assert_eq!(read_back.json()["observations"][0]["value"], 52.4, "written through one, read through the other");
    // The other instance hears of the write shortly (tests/api/live.rs proves it converges);
    // a client that must see it at once says so.
    let fresh = [("Cache-Control", "no-cache")];
    let (a, b) = (first.get("/api/v1/progress/targets/1.2"), second.get_with("/api/v1/progress/targets/1.2", &fresh));
    assert_eq!(a.body, b.body, "the same progress answer");
    assert_eq!(a.header("etag"), b.header("etag"), "the same ETag");
    let after = second.get_with("/api/v1/progress", &[("If-None-Match", before.header("etag").unwrap()), fresh[0]]);
    assert_eq!(after.status, 200, "the other instance saw the new data version at once");
    assert_eq!(after.header("etag"), first.get("/api/v1/progress").header("etag"));
    let key_from_second = second.reporter_key("IND");
    assert_eq!(first.post_json("/api/v1/observations", &key_from_second, &batch).json()["counts"]["unchanged"], 1);
    assert!(!first.database_url().is_empty());
}

#[test]
fn a_graceful_stop_finishes_the_request_in_flight() {
    let db = TestDatabase::create();
    let admin = {
        let state = connect2030::startup::prepare(&Settings::for_database(&db.url).unwrap()).unwrap();
        connect2030::admin::create_admin_key(&state, "shutdown test").unwrap()
    };
    let mut server = Process::start(&db.url);
    let url = format!("{}/api/v1/observations", server.base);
    let body = big_batch(2 * 14 * 4 * 35).to_string();
    let client = std::thread::spawn(move || {
        let answer = ureq::post(&url)
            .set("Authorization", &format!("Bearer {admin}"))
            .set("Content-Type", "application/json")
            .send_string(&body);
        answer.map(|r| r.status()).map_err(|e| e.to_string())
    });
    std::thread::sleep(Duration::from_millis(150));
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    assert_eq!(client.join().unwrap(), Ok(201), "the batch in flight was answered");
    let exit = server.child.wait().unwrap();
    assert!(exit.success(), "a graceful stop exits cleanly: {exit:?}");
    let (observations, _, submissions) = counts(&db.url);
    assert_eq!((observations, submissions), (2 * 14 * 4 * 35, 1));
}
