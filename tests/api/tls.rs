//! PostgreSQL over TLS, as managed services require: the service connects with
//! `sslmode=require`, serves, and every connection it holds is encrypted. PostgreSQL only (run
//! with `TEST_DATABASE_URL`, as `.ci/run` does); the local server offers TLS.

use crate::support::{TestApp, TestDatabase};
use connect2030::config::Settings;
use connect2030::db::DbConnection;
use diesel::dsl::sql;
use diesel::sql_types::{BigInt, Bool};
use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::json;

#[test]
fn postgresql_over_tls_serves_and_every_connection_of_the_service_is_encrypted() {
    let db = TestDatabase::create();
    if !db.is_postgres() {
        return;
    }
    let name = db.url.rsplit('/').next().unwrap().to_string();
    let settings = Settings::for_database(&format!("{}?sslmode=require", db.url)).unwrap();
    let app = TestApp::spawn_with_settings(db, settings);
    let key = app.reporter_key("KEN");
    let row = json!({"observations": [{"country": "KEN", "indicator": "individuals_internet_pct", "year": 2020, "value": 40.5}]});
    assert_eq!(app.post_json("/api/v1/observations", &key, &row).status, 201);
    assert_eq!(app.get("/api/v1/observations?country=KEN").json()["observations"][0]["value"], 40.5);

    let mut pooled = app.state.db.get().unwrap();
    let DbConnection::Postgresql(pooled) = &mut *pooled else { panic!("a PostgreSQL pool") };
    let own = sql::<Bool>("(SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())");
    assert!(diesel::select(own).get_result::<bool>(pooled).unwrap(), "a pooled connection is encrypted");
    // Seen from the server: every session on the service's database (pool and listener).
    let admin_url = std::env::var("TEST_DATABASE_URL").unwrap();
    let mut admin = PgConnection::establish(&admin_url).unwrap();
    let mut sessions = |encrypted: bool| {
        let count = sql::<BigInt>(&format!(
            "(SELECT count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) \
             WHERE a.datname = '{name}' AND s.ssl = {encrypted})"
        ));
        diesel::select(count).get_result::<i64>(&mut admin).unwrap()
    };
    assert!(sessions(true) >= 2, "the pool and the listener");
    assert_eq!(sessions(false), 0, "no session in clear");
}
