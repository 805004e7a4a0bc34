//! What an operator relies on around upgrades and backups: a database migrated by a newer
//! version is refused unless the operator says its schema is compatible, and `backup` copies a
//! serving SQLite database with every acknowledged write.

use crate::command_line::{connect2030, connect2030_on, free_port, run, Server};
use crate::support::{TestApp, TestDatabase};
use connect2030::config::{DatabaseUrl, DbTimeouts};
use diesel::connection::SimpleConnection;
use serde_json::json;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// A migration no version of this binary has.
const FUTURE_MIGRATION: &str = "20991231000000";

fn record_future_migration(db: &TestDatabase) {
    let url = DatabaseUrl::parse(&db.url).unwrap();
    let pool = connect2030::db::Db::connect(&url, 1, DbTimeouts::default()).unwrap();
    (*pool.get().unwrap())
        .batch_execute(&format!("INSERT INTO __diesel_schema_migrations (version) VALUES ('{FUTURE_MIGRATION}')"))
        .unwrap();
}

#[test]
fn a_database_migrated_by_a_newer_version_is_refused_unless_the_operator_allows_it() {
    let db = TestDatabase::create();
    run(connect2030(&db).arg("migrate"));
    record_future_migration(&db);

    let serve = connect2030(&db).env("BIND_ADDR", "127.0.0.1:0").stdout(Stdio::null()).stderr(Stdio::piped()).spawn();
    let output = Server(Some(serve.unwrap())).refused();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let error = stderr.lines().last().unwrap_or_default();
    let expected = format!(
        "error: the database holds migration {FUTURE_MIGRATION} that connect2030 {} does not know",
        env!("CARGO_PKG_VERSION")
    );
    assert!(error.starts_with(&expected) && error.contains("--allow-newer-schema"), "{stderr}");
    let migrate = connect2030(&db).arg("migrate").output().unwrap();
    assert!(!migrate.status.success(), "every command that opens the database refuses it");

    // The operator says the schema is compatible: by flag or by environment.
    run(connect2030(&db).env("ALLOW_NEWER_SCHEMA", "1").arg("migrate"));
    assert!(!connect2030(&db).env("ALLOW_NEWER_SCHEMA", "off").arg("migrate").output().unwrap().status.success());
    let port = free_port();
    let (server, base) = Server::start(
        connect2030(&db).args(["--allow-newer-schema", "serve", "--bind", &format!("127.0.0.1:{port}")]),
        port,
    );
    assert_eq!(ureq::get(&format!("{base}/api/v1/goals")).call().unwrap().status(), 200);
    let logs = String::from_utf8(server.stop().stderr).unwrap();
    assert!(logs.contains("does not know") && logs.contains(FUTURE_MIGRATION), "the start is logged: {logs}");
}

fn row(country: &str, year: i32, value: f64) -> serde_json::Value {
    json!({"observations": [{"country": country, "indicator": "individuals_internet_pct", "year": year, "value": value}]})
}

/// The values of one country's series, by year, as a service answers them.
fn series(app: &TestApp, country: &str) -> Vec<(i64, f64)> {
    let page = app.get(&format!("/api/v1/observations?country={country}&limit=1000")).json();
    let mut values: Vec<(i64, f64)> = page["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["year"].as_i64().unwrap(), o["value"].as_f64().unwrap()))
        .collect();
    values.sort_by_key(|(year, _)| *year);
    values
}

#[test]
fn a_backup_taken_while_serving_holds_every_acknowledged_write() {
    let app = TestApp::spawn();
    let backup = |target: &str| connect2030_on(&app.database_url()).args(["backup", "--to", target]).output().unwrap();
    let copy = TestDatabase::sqlite("c2030_backup");
    let target = copy.url.strip_prefix("sqlite://").unwrap().to_string();
    if app.is_postgres() {
        let refused = backup(&target);
        assert!(!refused.status.success());
        assert!(String::from_utf8_lossy(&refused.stderr).contains("pg_dump -Fc"), "{refused:?}");
        assert!(!std::path::Path::new(&target).exists());
        return;
    }
    let key = app.reporter_key("KEN");
    let kenya: Vec<(i64, f64)> = (1990..2025).map(|year| (year, 10.0 + (year - 1990) as f64)).collect();
    for (year, value) in &kenya {
        assert_eq!(app.post_json("/api/v1/observations", &key, &row("KEN", *year as i32, *value)).status, 201);
    }
    // Writes go on while the backup runs.
    let (writing, acknowledged) = (Arc::new(AtomicBool::new(true)), Arc::new(AtomicUsize::new(0)));
    let uganda = app.reporter_key("UGA");
    let writer = {
        let (writing, acknowledged, base) = (writing.clone(), acknowledged.clone(), app.base.clone());
        std::thread::spawn(move || {
            for year in 1990..2025 {
                if !writing.load(Ordering::SeqCst) {
                    break;
                }
                let answer = ureq::post(&format!("{base}/api/v1/observations"))
                    .set("Authorization", &format!("Bearer {uganda}"))
                    .send_json(row("UGA", year, 5.0));
                assert_eq!(answer.map(|a| a.status()).unwrap_or(0), 201);
                acknowledged.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    while acknowledged.load(Ordering::SeqCst) < 3 {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let uganda_before = acknowledged.load(Ordering::SeqCst);
    let output = backup(&target);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    writing.store(false, Ordering::SeqCst);
    writer.join().unwrap();
    let again = backup(&target);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"), "{again:?}");

    let restored = TestApp::spawn_on(copy);
    assert_eq!(series(&restored, "KEN"), kenya, "every write acknowledged before the backup");
    let uganda_copied = series(&restored, "UGA").len();
    assert!(
        (uganda_before..=acknowledged.load(Ordering::SeqCst)).contains(&uganda_copied),
        "{uganda_copied} of the writes made during the backup, {uganda_before} of them before it"
    );
    let key = restored.reporter_key("KEN");
    assert_eq!(restored.post_json("/api/v1/observations", &key, &row("KEN", 2025, 50.0)).status, 201, "it writes");
}
