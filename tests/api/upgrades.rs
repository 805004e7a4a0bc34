//! What an operator relies on around upgrades and backups: a database migrated by a newer
//! version is refused unless the operator says its schema is compatible.

use crate::command_line::{connect2030, free_port, run, Server};
use crate::support::TestDatabase;
use connect2030::config::{DatabaseUrl, DbTimeouts};
use diesel::connection::SimpleConnection;
use std::process::Stdio;

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
    run(connect2030(&db).env("ALLOW_NEWER_SCHEMA", "true").arg("migrate"));
    let port = free_port();
    let child = connect2030(&db)
        .args(["--allow-newer-schema", "serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = Server(Some(child));
    let base = format!("http://127.0.0.1:{port}");
    server.wait_until_up(&base);
    assert_eq!(ureq::get(&format!("{base}/api/v1/goals")).call().unwrap().status(), 200);
    let logs = String::from_utf8(server.stop().stderr).unwrap();
    assert!(logs.contains("does not know") && logs.contains(FUTURE_MIGRATION), "the start is logged: {logs}");
}
