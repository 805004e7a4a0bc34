//! Member-state reporting: keys, batches, validation, dry runs, idempotency, history.

use crate::support::{send, TestApp};
use serde_json::{json, Value};

const INTERNET: &str = "individuals_internet_pct";

fn row(country: &str, year: i32, value: f64) -> Value {
    json!({"country": country, "indicator": INTERNET, "year": year, "value": value, "source": "national survey"})
}

fn batch(rows: Vec<Value>) -> Value {
    json!({ "observations": rows })
}

fn observations(app: &TestApp, query: &str) -> Vec<Value> {
    let page = app.get(&format!("/api/v1/observations{query}"));
    assert_eq!(page.status, 200, "{}", page.body);
    page.json()["observations"].as_array().unwrap().clone()
}

#[test]
fn a_reporter_submits_json_and_csv_batches_and_reads_them_back() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let created = app.post_json("/api/v1/reporters", &admin, &json!({"name": "KNBS", "country": "ken"}));
    assert_eq!(created.status, 201, "{}", created.body);
    let created = created.json();
    assert_eq!(created["reporter"]["country"], "KEN");
    let key = created["key"]["secret"].as_str().unwrap().to_string();
    assert!(key.starts_with("c2030_"));

    let json_batch = batch(vec![
        row("KEN", 2021, 28.0),
        json!({"country": "KEN", "indicator": INTERNET, "year": 2021, "value": 24.5, "disaggregation": {"sex": "female"}}),
        json!({"country": "KEN", "indicator": "netp", "year": 2022, "value": "yes", "evidence_url": "https://example.org/netp.pdf"}),
    ]);
    let report = app.post_json("/api/v1/observations", &key, &json_batch);
    assert_eq!(report.status, 201, "{}", report.body);
    assert!(report.header("location").unwrap().starts_with("/api/v1/submissions/"));
    let report = report.json();
    assert_eq!(report["counts"], json!({"created": 3, "revised": 0, "unchanged": 0, "rejected": 0}));
    assert_eq!(report["rows"][1]["disaggregation"], json!({"sex": "female"}));
    assert_eq!(report["rows"][0]["disaggregation"], json!({}));

    let csv = "country,indicator,year,value,source,nature\nKEN,individuals_internet_pct,2022,32.1,KNBS,estimated\n";
    let csv_report = app.post_csv("/api/v1/observations", &key, csv);
    assert_eq!(csv_report.status, 201, "{}", csv_report.body);
    assert_eq!(csv_report.json()["rows"][0]["index"], 2, "CSV rows are numbered by line");

    let stored = observations(&app, "?country=KEN");
    assert_eq!(stored.len(), 4);
    let csv_row = stored.iter().find(|o| o["year"] == 2022 && o["indicator"] == INTERNET).unwrap();
    assert_eq!(csv_row["value"], 32.1);
    assert_eq!(csv_row["nature"], "estimated");
    let netp = stored.iter().find(|o| o["indicator"] == "netp").unwrap();
    assert_eq!(netp["value"], "yes");
    assert_eq!(netp["evidence_url"], "https://example.org/netp.pdf");
    let female = stored.iter().find(|o| o["disaggregation"]["sex"] == "female").unwrap();
    assert_eq!(female["value"], 24.5);

    let submission = app.get(&format!("/api/v1/submissions/{}", report["submission_id"])).json();
    assert_eq!(submission["reporter"]["name"], "KNBS");
    assert_eq!(submission["format"], "json");
    assert_eq!(submission["report"]["counts"]["created"], 3);
}

#[test]
fn one_bad_row_among_many_good_ones_rejects_the_batch_and_writes_nothing() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let mut rows: Vec<Value> = (1990..2024).map(|year| row("FRA", year, 50.0)).collect();
    rows[17] = json!({"country": "FRA", "indicator": INTERNET, "year": 2007, "value": 140.0});
    rows.push(json!({"country": "XXZ", "indicator": INTERNET, "year": 2020, "value": 1.0}));
    rows.push(json!({"country": "FRA", "indicator": "no_such_code", "year": 99999, "value": "NaN"}));
    let answer = app.post_json("/api/v1/observations", &admin, &batch(rows));
    let problem = answer.assert_problem(422, "validation_failed");
    let errors: Vec<(u64, String, String)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (e["index"].as_u64().unwrap(), e["field"].as_str().unwrap().into(), e["code"].as_str().unwrap().into())
        })
        .collect();
    assert!(errors.contains(&(17, "value".into(), "out_of_range".into())), "{errors:?}");
    assert!(errors.contains(&(34, "country".into(), "unknown_country".into())), "{errors:?}");
    assert!(errors.contains(&(35, "indicator".into(), "unknown_indicator".into())), "{errors:?}");
    assert!(errors.contains(&(35, "year".into(), "out_of_range".into())), "{errors:?}");
    assert!(observations(&app, "").is_empty(), "nothing was written");

    let csv = "country,indicator,year,value\nFRA,individuals_internet_pct,2020,80\nFRA,individuals_internet_pct,2020,81\nFRA,netp,2020,perhaps\n";
    let problem = app.post_csv("/api/v1/observations", &admin, csv).assert_problem(422, "validation_failed");
    let lines: Vec<_> = problem["errors"].as_array().unwrap().iter().map(|e| e["index"].as_u64().unwrap()).collect();
    assert_eq!(lines, vec![3, 4], "the duplicate and the bad yes/no, by line number");
    assert!(observations(&app, "").is_empty());
}

#[test]
fn a_dry_run_answers_the_real_report_and_writes_nothing() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    app.post_json("/api/v1/observations", &admin, &batch(vec![row("BRA", 2020, 70.0)]));
    let next = batch(vec![row("BRA", 2020, 81.3), row("BRA", 2021, 80.7), row("ARG", 2021, 87.0)]);
    let dry = app.post_json("/api/v1/observations?dry_run=true", &admin, &next);
    assert_eq!(dry.status, 200, "{}", dry.body);
    let dry = dry.json();
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["submission_id"], Value::Null);
    assert_eq!(observations(&app, "").len(), 1, "the dry run wrote nothing");
    assert_eq!(
        app.get("/api/v1/observations?country=BRA&year_from=2020&year_to=2020").json()["observations"][0]["value"],
        70.0
    );

    let real = app.post_json("/api/v1/observations", &admin, &next).json();
    assert_eq!(dry["counts"], real["counts"]);
    assert_eq!(dry["data_version"], real["data_version"]);
    for (d, r) in dry["rows"].as_array().unwrap().iter().zip(real["rows"].as_array().unwrap()) {
        for field in ["index", "outcome", "country", "year", "value", "previous_value", "previous_revision_id"] {
            assert_eq!(d[field], r[field], "{field}");
        }
    }
    assert_eq!(real["rows"][0]["outcome"], "revised");
    assert_eq!(real["rows"][0]["previous_value"], 70.0);
}

#[test]
fn a_revision_keeps_the_old_value_in_history_and_as_of() {
    let app = TestApp::spawn();
    let key = app.reporter_key("IND");
    let first = app.post_json("/api/v1/observations", &key, &batch(vec![row("IND", 2021, 43.4)])).json();
    let id = first["rows"][0]["observation_id"].as_i64().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let between = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = app.post_json("/api/v1/observations", &key, &batch(vec![row("IND", 2021, 46.3)])).json();
    assert_eq!(second["rows"][0]["outcome"], "revised");
    assert_eq!(second["rows"][0]["observation_id"], id);
    assert_eq!(second["rows"][0]["previous_value"], 43.4);

    let history = app.get(&format!("/api/v1/observations/{id}/revisions")).json();
    let values: Vec<_> = history["revisions"].as_array().unwrap().iter().map(|r| r["value"].clone()).collect();
    assert_eq!(values, vec![json!(43.4), json!(46.3)]);
    assert_eq!(history["revisions"][1]["revision_number"], 2);
    assert!(history["revisions"][1]["key_id"].is_i64());

    assert_eq!(observations(&app, "?country=IND")[0]["value"], 46.3);
    let then = observations(&app, &format!("?country=IND&as_of={}", between.replace('+', "%2B")));
    assert_eq!(then[0]["value"], 43.4, "as_of reproduces what was known then");
    let before_anything = observations(&app, "?as_of=2000-01-01T00:00:00Z");
    assert!(before_anything.is_empty());
}

#[test]
fn identical_resubmission_is_unchanged_and_creates_no_revision() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    let body = batch(vec![row("KEN", 2020, 22.6), row("KEN", 2021, 28.0)]);
    let first = app.post_json("/api/v1/observations", &key, &body).json();
    let again = app.post_json("/api/v1/observations", &key, &body);
    assert_eq!(again.status, 201);
    let again = again.json();
    assert_eq!(again["counts"], json!({"created": 0, "revised": 0, "unchanged": 2, "rejected": 0}));
    assert_eq!(again["data_version"], first["data_version"], "nothing changed, so the data version did not move");
    let id = first["rows"][0]["observation_id"].as_i64().unwrap();
    let history = app.get(&format!("/api/v1/observations/{id}/revisions")).json();
    assert_eq!(history["revisions"].as_array().unwrap().len(), 1);
    let note_changed = batch(vec![
        json!({"country": "KEN", "indicator": INTERNET, "year": 2020, "value": 22.6, "source": "national survey", "note": "re-weighted"}),
    ]);
    assert_eq!(app.post_json("/api/v1/observations", &key, &note_changed).json()["rows"][0]["outcome"], "revised");
}

#[test]
fn an_idempotency_key_replays_the_first_answer_and_refuses_another_body() {
    let app = TestApp::spawn();
    let key = app.reporter_key("GHA");
    let post = |body: &Value, idempotency: &str| {
        let request = app
            .request("POST", "/api/v1/observations")
            .set("Authorization", &format!("Bearer {key}"))
            .set("Idempotency-Key", idempotency);
        send(request, Some(("application/json", body.to_string().as_bytes())))
    };
    let body = batch(vec![row("GHA", 2022, 69.8)]);
    let first = post(&body, "upload-2026-11-30");
    assert_eq!(first.status, 201);
    let replay = post(&body, "upload-2026-11-30");
    assert_eq!(replay.status, 201);
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    assert_eq!(replay.json(), first.json(), "the replay is the first answer, not a new submission");
    let history =
        app.get(&format!("/api/v1/observations/{}/revisions", first.json()["rows"][0]["observation_id"])).json();
    assert_eq!(history["revisions"].as_array().unwrap().len(), 1);
    post(&batch(vec![row("GHA", 2022, 70.0)]), "upload-2026-11-30").assert_problem(409, "idempotency_key_reused");
    assert_eq!(observations(&app, "?country=GHA")[0]["value"], 69.8);
    post(&body, "bad key with spaces").assert_problem(400, "invalid_idempotency_key");
}

#[test]
fn keys_are_required_scoped_to_their_country_and_revocable() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let kenya = app.reporter_key("KEN");
    let body = batch(vec![row("KEN", 2020, 22.6)]);
    let anonymous =
        send(app.request("POST", "/api/v1/observations"), Some(("application/json", body.to_string().as_bytes())));
    anonymous.assert_problem(401, "unauthorized");
    app.post_json("/api/v1/observations", "c2030_not_a_real_key", &body).assert_problem(401, "unauthorized");

    let mixed = batch(vec![row("KEN", 2020, 22.6), row("UGA", 2020, 10.0), row("TZA", 2020, 20.0)]);
    let problem = app.post_json("/api/v1/observations", &kenya, &mixed).assert_problem(403, "forbidden_country");
    let named: Vec<_> = problem["errors"].as_array().unwrap().iter().map(|e| e["index"].as_u64().unwrap()).collect();
    assert_eq!(named, vec![1, 2]);
    assert!(observations(&app, "").is_empty());
    assert_eq!(app.post_json("/api/v1/observations", &admin, &mixed).status, 201, "administrators write any country");

    app.post_json("/api/v1/reporters", &kenya, &json!({"name": "x", "country": "KEN"}))
        .assert_problem(403, "admin_required");
    send(app.request("GET", "/api/v1/reporters").set("Authorization", &format!("Bearer {kenya}")), None)
        .assert_problem(403, "admin_required");
    let reporters =
        send(app.request("GET", "/api/v1/reporters").set("Authorization", &format!("Bearer {admin}")), None).json();
    let kenya_reporter = reporters["reporters"].as_array().unwrap().iter().find(|r| r["country"] == "KEN").unwrap();
    let key_id = kenya_reporter["keys"][0]["id"].as_i64().unwrap();
    assert!(!reporters.to_string().contains(&kenya), "secrets are never listed");

    let rotated = send(
        app.request("POST", &format!("/api/v1/reporters/{}/keys", kenya_reporter["id"]))
            .set("Authorization", &format!("Bearer {admin}")),
        None,
    );
    assert_eq!(rotated.status, 201);
    let new_key = rotated.json()["secret"].as_str().unwrap().to_string();
    let revoked = app.delete(&format!("/api/v1/keys/{key_id}"), &admin);
    assert_eq!(revoked.status, 200, "{}", revoked.body);
    assert!(revoked.json()["revoked_at"].is_string());
    app.post_json("/api/v1/observations", &kenya, &body).assert_problem(401, "unauthorized");
    assert_eq!(app.post_json("/api/v1/observations", &new_key, &body).status, 201);
    app.delete("/api/v1/keys/999999", &admin).assert_problem(404, "unknown_key");
}

#[test]
fn the_database_holds_no_plaintext_key() {
    use diesel::prelude::*;
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    use connect2030::db::schema::api_keys;
    let mut conn = app.state.db.get().unwrap();
    let stored: Vec<(String, String)> =
        api_keys::table.select((api_keys::prefix, api_keys::key_hash)).load(&mut *conn).unwrap();
    assert_eq!(stored.len(), 1);
    let (prefix, hash) = &stored[0];
    assert!(key.starts_with(prefix.as_str()));
    assert!(!hash.contains(&key[6..]), "only a hash is stored");
    assert_eq!(*hash, connect2030::auth::hash_key(&key));
}

#[test]
fn withdrawing_a_value_is_a_revision_and_erases_nothing() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    let other = app.reporter_key("UGA");
    let report = app.post_json("/api/v1/observations", &key, &batch(vec![row("KEN", 2020, 22.6)])).json();
    let id = report["rows"][0]["observation_id"].as_i64().unwrap();
    let before = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true).replace('+', "%2B");
    std::thread::sleep(std::time::Duration::from_millis(20));
    app.delete(&format!("/api/v1/observations/{id}"), &other).assert_problem(403, "forbidden_country");
    let withdrawn = app.delete(&format!("/api/v1/observations/{id}"), &key);
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.body);
    assert_eq!(withdrawn.json()["withdrawn_now"], true);
    assert_eq!(withdrawn.json()["observation"]["value"], Value::Null);
    assert_eq!(app.delete(&format!("/api/v1/observations/{id}"), &key).json()["withdrawn_now"], false);
    assert!(observations(&app, "").is_empty(), "withdrawn values are not current");
    assert_eq!(observations(&app, &format!("?as_of={before}"))[0]["value"], 22.6);
    let history = app.get(&format!("/api/v1/observations/{id}/revisions")).json();
    let revisions = history["revisions"].as_array().unwrap();
    assert_eq!(revisions.len(), 2);
    assert_eq!(revisions[1]["withdrawn"], true);
    let changes = observations(&app, "?changed_since=2000-01-01T00:00:00Z");
    assert_eq!(changes[0]["withdrawn"], true, "mirrors learn about withdrawals");
    let back = app.post_json("/api/v1/observations", &key, &batch(vec![row("KEN", 2020, 22.6)])).json();
    assert_eq!(back["rows"][0]["outcome"], "revised", "re-sending a withdrawn value brings it back");
    app.delete("/api/v1/observations/424242", &key).assert_problem(404, "unknown_observation");
}

#[test]
fn a_csv_export_round_trips_through_the_importer() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let rows = vec![
        row("KEN", 2020, 22.6),
        json!({"country": "KEN", "indicator": INTERNET, "year": 2020, "value": 19.1, "disaggregation": {"sex": "female"}, "note": "quoted, \"with\" commas\nand a newline"}),
        json!({"country": "FRA", "indicator": "netp", "year": 2021, "value": "no"}),
        json!({"country": "FRA", "indicator": "partnerships_count", "year": 2021, "value": 12, "nature": "modelled"}),
    ];
    app.post_json("/api/v1/observations", &admin, &batch(rows));
    let export = app.get_with("/api/v1/observations", &[("Accept", "text/csv")]);
    assert_eq!(export.status, 200);
    assert!(export.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(
        export.body.lines().next().unwrap(),
        "country,indicator,year,disaggregation,value,source,nature,note,evidence_url"
    );
    assert_eq!(app.get("/api/v1/observations?format=csv").body, export.body);
    let reimport = app.post_csv("/api/v1/observations", &admin, &export.body);
    assert_eq!(reimport.status, 201, "{}", reimport.body);
    assert_eq!(reimport.json()["counts"], json!({"created": 0, "revised": 0, "unchanged": 4, "rejected": 0}));
}

#[test]
fn pages_follow_the_cursor_and_filters_narrow_the_selection() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let rows: Vec<Value> = (2000..2024).map(|year| row("DEU", year, 30.0 + f64::from(year - 2000))).collect();
    app.post_json("/api/v1/observations", &admin, &batch(rows));
    let mut seen = Vec::new();
    let mut query = "?limit=10".to_string();
    loop {
        let page = app.get(&format!("/api/v1/observations{query}")).json();
        seen.extend(page["observations"].as_array().unwrap().iter().map(|o| o["year"].as_i64().unwrap()));
        match page["meta"]["next_cursor"].as_str() {
            Some(cursor) => query = format!("?limit=10&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, (2000..2024).collect::<Vec<_>>());
    assert_eq!(observations(&app, "?year_from=2010&year_to=2012").len(), 3);
    assert_eq!(observations(&app, "?target=1.2&country=deu").len(), 24);
    assert!(observations(&app, "?target=3.5").is_empty());
    app.get("/api/v1/observations?limit=0").assert_problem(400, "invalid_query");
    app.get("/api/v1/observations?cursor=zz").assert_problem(400, "invalid_cursor");
    app.get("/api/v1/observations?as_of=yesterday").assert_problem(400, "invalid_query");
    app.get("/api/v1/observations?country=XXZ").assert_problem(400, "unknown_country");
}

#[test]
fn unusable_bodies_get_precise_problems_and_write_nothing() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let auth = format!("Bearer {admin}");
    let post = |content_type: &str, body: &[u8]| {
        send(app.request("POST", "/api/v1/observations").set("Authorization", &auth), Some((content_type, body)))
    };
    post("text/plain", b"hello").assert_problem(415, "unsupported_media_type");
    post("application/json", b"{\"observations\": [").assert_problem(400, "invalid_json");
    post("application/json", b"{\"observations\": []}").assert_problem(422, "validation_failed");
    post("text/csv", b"country,indicator,year\nKEN,netp,2020\n").assert_problem(422, "validation_failed");
    let huge = vec![b' '; 33 * 1024 * 1024];
    post("application/json", &huge).assert_problem(413, "payload_too_large");
    let rows = |year: i32| format!(r#"[{{"country": "KEN", "indicator": "netp", "year": {year}, "value": "yes"}}]"#);
    let one = format!(r#"{{"observations": {}}}"#, rows(2020));
    let dry = send(
        app.request("POST", "/api/v1/observations?dry_run=true").set("Authorization", &auth),
        Some(("application/json", one.as_bytes())),
    );
    assert_eq!(dry.status, 200, "the rows alone are a good batch: {}", dry.body);
    let twice = format!(r#"{{"observations": {}, "observations": {}}}"#, rows(2020), rows(2021));
    let problem = post("application/json", twice.as_bytes()).assert_problem(400, "duplicate_key");
    assert!(problem["detail"].as_str().unwrap().contains("`observations` appears twice"), "{problem}");
    assert!(observations(&app, "").is_empty());
}

#[test]
fn concurrent_submissions_from_several_reporters_lose_nothing() {
    let app = TestApp::spawn();
    let countries = ["KEN", "UGA", "TZA", "RWA", "ETH", "GHA"];
    let keys: Vec<_> = countries.iter().map(|c| app.reporter_key(c)).collect();
    std::thread::scope(|scope| {
        for (country, key) in countries.iter().zip(&keys) {
            let app = &app;
            scope.spawn(move || {
                for round in 0..5 {
                    let rows: Vec<Value> = (0..20).map(|i| row(country, 2000 + i, f64::from(round * 10 + i))).collect();
                    let answer = app.post_json("/api/v1/observations", key, &batch(rows));
                    assert_eq!(answer.status, 201, "{country} round {round}: {}", answer.body);
                }
            });
        }
    });
    let all = observations(&app, "?limit=1000");
    assert_eq!(all.len(), countries.len() * 20);
    for o in &all {
        let expected = 40.0 + (o["year"].as_f64().unwrap() - 2000.0);
        assert_eq!(o["value"].as_f64().unwrap(), expected, "the last round wins: {o}");
        assert_eq!(o["revision_number"], 5);
    }
}
