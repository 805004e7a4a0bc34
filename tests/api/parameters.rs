//! One rule for the query string of every operation: unknown parameters are a 400 naming them
//! and the valid ones (the cache-buster `_` excepted), a bad value names its parameter, the
//! expected format and an example, and booleans and small enumerations are read leniently.

use crate::documented::{concrete, operations, secured, spec};
use crate::support::{send, TestApp};

fn one_row(value: f64) -> serde_json::Value {
    serde_json::json!({"observations": [
        {"country": "KEN", "indicator": "individuals_internet_pct", "year": 2023, "value": value}
    ]})
}

#[test]
fn every_operation_refuses_unknown_parameters_by_name_and_accepts_the_cache_buster() {
    let spec = spec();
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let mut checked = 0;
    for (method, path, operation) in operations(&spec) {
        let valid: Vec<String> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query")
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect();
        let path = concrete(&path);
        let call = |query: &str| {
            let mut request = app.request(&method, &format!("{path}?{query}"));
            if secured(&operation) {
                request = request.set("Authorization", &format!("Bearer {admin}"));
            }
            send(request, None)
        };
        let refused = call("colour=blue&_=1701388800000");
        let problem = refused.assert_problem(400, "invalid_query");
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains("`colour`"), "{method} {path}: {detail}");
        assert_eq!(problem["errors"].as_array().unwrap().len(), 1, "{method} {path}: `_` is no error");
        for name in &valid {
            assert!(detail.contains(&format!("`{name}`")), "{method} {path}: {detail} lacks {name}");
        }
        assert_eq!(problem["errors"][0]["field"], "colour");
        assert_eq!(problem["errors"][0]["code"], "unknown_parameter");
        if method == "GET" && !path.contains("/1") {
            let plain = call("");
            let busted = call("_=1701388800000");
            assert_eq!(busted.status, plain.status, "GET {path}: {}", busted.body);
            assert_ne!(busted.status, 400, "GET {path}: {}", busted.body);
        }
        checked += 1;
    }
    assert!(checked >= 30, "{checked} operations");
}

#[test]
fn a_bad_value_names_the_parameter_the_format_and_an_example() {
    let app = TestApp::spawn();
    let problem = app.get("/api/v1/observations?as_of=2026-11-30").assert_problem(400, "invalid_query");
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("`as_of`") && detail.contains("RFC 3339") && detail.contains("2026-11-30T00:00:00Z"),
        "{detail}"
    );
    assert_eq!(problem["errors"][0]["field"], "as_of");
    assert_eq!(problem["errors"][0]["code"], "invalid_parameter");
    let detail = app.get("/api/v1/progress?min_coverage=half").assert_problem(400, "invalid_query")["detail"].clone();
    assert!(detail.as_str().unwrap().contains("`min_coverage` must be a number, e.g."), "{detail}");
    let detail = app.get("/api/v1/observations?limit=ten").assert_problem(400, "invalid_query")["detail"].clone();
    assert!(detail.as_str().unwrap().contains("`limit` must be an integer from 1 to 1000, e.g."), "{detail}");
    let detail = app.get("/api/v1/observations?format=xml").assert_problem(400, "invalid_query")["detail"].clone();
    assert!(detail.as_str().unwrap().contains("`format` must be one of `json`, `csv`"), "{detail}");
}

#[test]
fn booleans_take_1_and_0_and_enumerations_any_case() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    let dry = app.post_json("/api/v1/observations?dry_run=1", &key, &one_row(40.0));
    assert_eq!(dry.status, 200, "{}", dry.body);
    assert_eq!(dry.json()["dry_run"], true);
    assert_eq!(app.get("/api/v1/observations?country=KEN").json()["observations"], serde_json::json!([]));
    let real = app.post_json("/api/v1/observations?dry_run=0", &key, &one_row(40.0));
    assert_eq!(real.status, 201, "{}", real.body);
    assert_eq!(app.post_json("/api/v1/observations?dry_run=TRUE", &key, &one_row(41.0)).status, 200);
    app.post_json("/api/v1/observations?dry_run=yes", &key, &one_row(41.0)).assert_problem(400, "invalid_query");

    let csv = app.get("/api/v1/observations?format=CSV&country=KEN");
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv.body.starts_with("country,indicator,year"), "{}", csv.body);
    assert_eq!(app.get("/api/v1/progress?method=UNSD_2023").json()["provenance"]["method"], "unsd_2023");
}
