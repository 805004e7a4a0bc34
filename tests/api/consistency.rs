//! One shape for a value's breakdown everywhere, and provenance that names the data version
//! an answer was computed from, also for a past instant.

use crate::support::{send, TestApp};
use serde_json::{json, Value};

const INTERNET: &str = "individuals_internet_pct";

fn encoded(instant: &str) -> String {
    instant.replace('+', "%2B")
}

fn received_at(app: &TestApp, report: &Value) -> String {
    let id = report["submission_id"].as_i64().unwrap();
    app.get(&format!("/api/v1/submissions/{id}")).json()["received_at"].as_str().unwrap().to_string()
}

#[test]
fn progress_as_of_an_instant_names_the_data_version_of_that_instant() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    let before = app.get("/api/v1/progress").json()["provenance"]["data_version"].as_i64().unwrap();
    let rows =
        |value: f64| json!({"observations": [{"country": "KEN", "indicator": INTERNET, "year": 2021, "value": value}]});
    let first = app.post_json("/api/v1/observations", &key, &rows(20.0)).json();
    let second = app.post_json("/api/v1/observations", &key, &rows(21.0)).json();
    let unchanged = app.post_json("/api/v1/observations", &key, &rows(21.0)).json();
    assert_eq!(unchanged["data_version"], second["data_version"], "nothing changed, no new version");
    let id = second["rows"][0]["observation_id"].as_i64().unwrap();
    let withdrawn = app.delete(&format!("/api/v1/observations/{id}"), &key).json();
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);

    let version_at = |instant: &str| {
        let answer = app.get(&format!("/api/v1/progress?as_of={}", encoded(instant)));
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.json()["provenance"]["data_version"].as_i64().unwrap()
    };
    assert_eq!(version_at("2000-01-01T00:00:00Z"), before);
    assert_eq!(version_at(&received_at(&app, &first)), first["data_version"].as_i64().unwrap());
    assert_eq!(version_at(&received_at(&app, &second)), second["data_version"].as_i64().unwrap());
    assert_eq!(version_at(&received_at(&app, &unchanged)), second["data_version"].as_i64().unwrap());
    assert_eq!(version_at(&now), withdrawn["data_version"].as_i64().unwrap());
    let current = app.get("/api/v1/progress").json()["provenance"]["data_version"].as_i64().unwrap();
    assert_eq!(current, withdrawn["data_version"].as_i64().unwrap());
    assert!(before < first["data_version"].as_i64().unwrap() && current > second["data_version"].as_i64().unwrap());
}

#[test]
fn a_breakdown_is_an_object_in_reports_submissions_replays_and_listings() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    let female = json!({"sex": "female"});
    let csv = "country,indicator,year,value,disaggregation\nKEN,individuals_internet_pct,2021,24.5,sex=female\n\
               KEN,individuals_internet_pct,2021,28.0,\n";
    let dry = app.post_csv("/api/v1/observations?dry_run=true", &key, csv).json();
    assert_eq!(dry["rows"][0]["disaggregation"], female);
    assert_eq!(dry["rows"][1]["disaggregation"], json!({}));
    let request = app
        .request("POST", "/api/v1/observations")
        .set("Authorization", &format!("Bearer {key}"))
        .set("Idempotency-Key", "breakdown-1");
    let created = send(request.clone(), Some(("text/csv", csv.as_bytes())));
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.json()["rows"][0]["disaggregation"], female);
    let replay = send(request, Some(("text/csv", csv.as_bytes())));
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    assert_eq!(replay.json(), created.json());
    let id = created.json()["submission_id"].as_i64().unwrap();
    let stored = app.get(&format!("/api/v1/submissions/{id}")).json();
    assert_eq!(stored["report"]["rows"][0]["disaggregation"], female);
    let listed = app.get("/api/v1/observations?country=KEN").json();
    let listed = listed["observations"].as_array().unwrap();
    assert!(listed.iter().any(|o| o["disaggregation"] == female), "{listed:?}");
    assert!(listed.iter().any(|o| o["disaggregation"] == json!({})), "{listed:?}");

    let spec: Value = serde_json::from_str(&connect2030::routes::openapi_json()).unwrap();
    let schema = |name: &str| spec["components"]["schemas"][name]["properties"]["disaggregation"]["type"].clone();
    assert_eq!(schema("RowReport"), json!("object"));
    assert_eq!(schema("RowReport"), schema("ObservationView"));
}

#[test]
fn csv_goes_up_as_a_file_and_comes_down_from_an_operation_that_only_answers_csv() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    let csv = "country,indicator,year,value,disaggregation\nKEN,individuals_internet_pct,2021,24.5,sex=female\n";
    let request = app.request("POST", "/api/v1/observations").set("Authorization", &format!("Bearer {key}"));
    let uploaded = send(request, Some(("application/octet-stream", csv.as_bytes())));
    assert_eq!(uploaded.status, 201, "{}", uploaded.body);
    assert_eq!(uploaded.json()["rows"][0]["index"], 2, "read as CSV, rows numbered by line");

    let export = app.get("/api/v1/observations.csv?country=KEN");
    assert_eq!(export.status, 200, "{}", export.body);
    assert!(export.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(export.body, app.get("/api/v1/observations?format=csv&country=KEN").body);
    assert!(export.body.contains("KEN,individuals_internet_pct,2021,sex=female,24.5"), "{}", export.body);
    app.get("/api/v1/observations.csv?limit=10").assert_problem(400, "invalid_query");

    let spec: Value = serde_json::from_str(&connect2030::routes::openapi_json()).unwrap();
    let content = &spec["paths"]["/api/v1/observations.csv"]["get"]["responses"]["200"]["content"];
    assert_eq!(content.as_object().unwrap().keys().collect::<Vec<_>>(), ["text/csv"]);
    let upload = &spec["paths"]["/api/v1/observations"]["post"]["requestBody"]["content"]["application/octet-stream"];
    let schema = &spec["components"]["schemas"]["CsvFile"];
    assert!(upload["schema"]["$ref"].is_string() && schema["format"] == "binary", "{upload} {schema}");
}
