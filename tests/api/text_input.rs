//! Text a database cannot store or a person never types (NUL, control characters), counts that
//! are not whole, and the years the catalogue allows: clear 422s naming the field, nothing written.

use crate::support::TestApp;
use serde_json::{json, Value};

fn observation(field: &str, value: &str) -> Value {
    let mut row = json!({"country": "KEN", "indicator": "individuals_internet_pct", "year": 2020, "value": 40.5});
    if field == "evidence_url" {
        row = json!({"country": "KEN", "indicator": "netp", "year": 2020, "value": "yes"});
    }
    row[field] = json!(value);
    json!({"observations": [row]})
}

/// The fields named in a 422's error list.
fn fields_named(problem: &Value) -> Vec<String> {
    problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect()
}

#[test]
fn nul_bytes_in_any_text_field_of_an_observation_are_a_422_naming_the_field_in_dry_runs_too() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    let fields = ["country", "indicator", "source", "note", "nature", "disaggregation", "evidence_url"];
    for path in ["/api/v1/observations?dry_run=true", "/api/v1/observations"] {
        for field in fields {
            let value = match field {
                "evidence_url" => "https://example.org/plan\u{0}.pdf",
                "disaggregation" => "sex=fe\u{0}male",
                "nature" => "reported\u{0}",
                _ => "KNBS\u{0} survey",
            };
            let problem =
                app.post_json(path, &key, &observation(field, value)).assert_problem(422, "validation_failed");
            assert_eq!(fields_named(&problem), [field], "{path} {field}: {problem}");
        }
        // In a CSV file, NUL bytes mean another encoding (UTF-16): the whole file is refused.
        let csv = "country,indicator,year,value,source\nKEN,individuals_internet_pct,2020,40.5,KNBS\u{0}\n";
        app.post_csv(path, &key, csv).assert_problem(400, "invalid_encoding");
    }
    assert_eq!(app.get("/api/v1/observations").json()["observations"], json!([]));
}

#[test]
fn nul_bytes_in_initiatives_and_reporter_names_are_a_422_naming_the_field() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let initiative = json!({"country": "KEN", "kind": "strategy", "title": "Digital plan", "summary": "Pillars",
        "url": "https://example.org/plan.pdf", "targets": ["1.4"]});
    for (field, value) in
        [("title", "Digital\u{0} plan"), ("summary", "Pil\u{0}lars"), ("url", "https://example.org/\u{0}")]
    {
        let mut body = initiative.clone();
        body[field] = json!(value);
        let problem = app.post_json("/api/v1/initiatives", &admin, &body).assert_problem(422, "validation_failed");
        assert_eq!(fields_named(&problem), [field], "{problem}");
    }
    assert_eq!(app.get("/api/v1/initiatives").json()["initiatives"], json!([]));

    let reporter = json!({"name": "Kenya\u{0} statistics", "country": "KEN"});
    let problem = app.post_json("/api/v1/reporters", &admin, &reporter).assert_problem(422, "validation_failed");
    assert_eq!(fields_named(&problem), ["name"], "{problem}");
}

#[test]
fn control_characters_in_evidence_urls_are_refused() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    for url in ["https://example.org/\u{1}plan", "https://example.org/plan\u{7f}", "https://example.org/\u{1b}[31m"] {
        let body = observation("evidence_url", url);
        let problem = app.post_json("/api/v1/observations", &key, &body).assert_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], "evidence_url", "{problem}");
        assert_eq!(problem["errors"][0]["code"], "invalid_url", "{problem}");
    }
    let body = observation("evidence_url", "https://example.org/plan.pdf");
    assert_eq!(app.post_json("/api/v1/observations", &key, &body).status, 201);
}

#[test]
fn counts_must_be_whole_numbers() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    let row = |value: Value| json!({"observations": [{"country": "KEN", "indicator": "partnerships_count", "year": 2022, "value": value}]});
    for value in [json!(1.5), json!("2.25")] {
        let problem = app.post_json("/api/v1/observations", &key, &row(value)).assert_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], "value", "{problem}");
        assert_eq!(problem["errors"][0]["code"], "not_whole", "{problem}");
    }
    assert_eq!(app.post_json("/api/v1/observations", &key, &row(json!(3))).status, 201);
    assert_eq!(app.post_json("/api/v1/observations", &key, &row(json!("4.0"))).status, 201);
}

#[test]
fn nul_bytes_in_query_parameters_and_paths_are_client_errors() {
    let app = TestApp::spawn();
    for path in [
        "/api/v1/observations?country=KE%00N",
        "/api/v1/observations?indicator=netp%00",
        "/api/v1/observations?target=1.1%00",
        "/api/v1/initiatives?country=KEN%00",
        "/api/v1/initiatives?target=1.1%00",
        "/api/v1/progress/countries/KEN%00",
        "/api/v1/progress/targets/1.1%00",
        "/api/v1/indicators/netp%00/aggregates?group=WORLD",
        "/api/v1/indicators/netp/aggregates?group=WORLD%00",
        "/api/v1/countries/KEN%00",
        "/api/v1/groups/LDC%00",
        "/api/v1/targets/1.1%00",
    ] {
        let status = app.get(path).status;
        assert!((400..500).contains(&status), "{path}: {status}");
    }
}

#[test]
fn years_from_the_indicators_first_year_are_accepted_and_earlier_ones_name_it() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    assert_eq!(app.get("/api/v1/indicators/individuals_internet_pct").json()["first_year"], 1960);
    let row = |year: i32| json!({"observations": [{"country": "KEN", "indicator": "individuals_internet_pct", "year": year, "value": 0}]});
    let history: Vec<Value> = (1960..1990).map(|year| row(year)["observations"][0].clone()).collect();
    let report = app.post_json("/api/v1/observations", &key, &json!({"observations": history}));
    assert_eq!(report.status, 201, "{}", report.body);
    let stored = app.get("/api/v1/observations?country=KEN&year_to=1989").json();
    assert_eq!(stored["observations"].as_array().unwrap().len(), 30);

    let problem = app.post_json("/api/v1/observations", &key, &row(1959)).assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "year", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "out_of_range", "{problem}");
    let detail = problem["errors"][0]["detail"].as_str().unwrap();
    assert!(detail.contains("1960") && detail.contains("individuals_internet_pct"), "{detail}");
}

#[test]
fn instants_outside_years_1_to_9999_are_a_400_naming_the_parameter_and_the_range() {
    let app = TestApp::spawn();
    for (path, parameter) in [
        ("/api/v1/observations?as_of=-5000-01-01T00:00:00Z", "as_of"),
        ("/api/v1/observations?changed_since=-5000-01-01T00:00:00Z", "changed_since"),
        ("/api/v1/observations?as_of=%2B20000-01-01T00:00:00Z", "as_of"),
        ("/api/v1/progress?as_of=-5000-01-01T00:00:00Z", "as_of"),
        ("/api/v1/progress/countries/KEN?as_of=-5000-01-01T00:00:00Z", "as_of"),
        ("/api/v1/indicators/netp/aggregates?as_of=-5000-01-01T00:00:00Z", "as_of"),
    ] {
        let problem = app.get(path).assert_problem(400, "invalid_query");
        let detail = problem["detail"].as_str().unwrap();
        assert!(
            detail.contains(&format!("`{parameter}`")) && detail.contains("0001-01-01T00:00:00Z"),
            "{path}: {detail}"
        );
    }
    assert_eq!(app.get("/api/v1/observations?as_of=0001-01-01T00:00:00Z").status, 200);
}
