//! What the specification says about statuses and headers is what the server sends, operation
//! by operation, read from the served specification itself.

use crate::support::{send, TestApp};
use serde_json::Value;

pub fn spec() -> Value {
    serde_json::from_str(&connect2030::routes::openapi_json()).unwrap()
}

/// Every operation: (method, path, operation).
pub fn operations(spec: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            all.push((method.to_uppercase(), path.clone(), operation.clone()));
        }
    }
    all
}

pub fn secured(operation: &Value) -> bool {
    operation["security"].as_array().is_some_and(|requirements| !requirements.is_empty())
}

/// A path with a valid value for each path parameter (ids: 1).
pub fn concrete(path: &str) -> String {
    let code = if path.starts_with("/api/v1/groups/") { "WORLD" } else { "individuals_internet_pct" };
    path.replace("{goal}", "1")
        .replace("{target}", "1.2")
        .replace("{iso3}", "KEN")
        .replace("{code}", code)
        .replace("{id}", "1")
        .replace("{resource}", "dataflow")
        .replace("{agency}", "all")
        .replace("{version}", "latest")
        .replace("{flow}", "CONNECT2030")
        .replace("{key}", "all")
}

/// A documented response, following a `$ref` into `components/responses`.
fn response<'a>(spec: &'a Value, operation: &'a Value, status: &str) -> Option<&'a Value> {
    let response = operation["responses"].get(status)?;
    match response["$ref"].as_str() {
        Some(reference) => {
            let name = reference.strip_prefix("#/components/responses/").expect("a response reference");
            spec["components"]["responses"].get(name)
        }
        None => Some(response),
    }
}

fn documents_header(spec: &Value, operation: &Value, status: &str, header: &str) -> bool {
    response(spec, operation, status).is_some_and(|response| response["headers"].get(header).is_some())
}

#[test]
fn every_401_names_the_bearer_scheme_as_documented() {
    let spec = spec();
    let app = TestApp::spawn();
    let mut checked = 0;
    for (method, path, operation) in operations(&spec).into_iter().filter(|(_, _, op)| secured(op)) {
        assert!(documents_header(&spec, &operation, "401", "WWW-Authenticate"), "{method} {path}");
        for authorization in [None, Some("Bearer c2030_not_a_key"), Some("Basic dXNlcjpwYXNz")] {
            let mut request = app.request(&method, &concrete(&path));
            if let Some(value) = authorization {
                request = request.set("Authorization", value);
            }
            let answer = send(request, None);
            answer.assert_problem(401, "unauthorized");
            assert_eq!(answer.header("www-authenticate"), Some("Bearer realm=\"connect2030\""), "{method} {path}");
            checked += 1;
        }
    }
    assert!(checked >= 24, "{checked} checks");
}

#[test]
fn every_write_documents_and_answers_429_with_retry_after() {
    let spec = spec();
    let app = TestApp::spawn_with(|settings| settings.write_rate_limit = 1);
    let mut writes = 0;
    for (method, path, operation) in operations(&spec).into_iter().filter(|(m, _, op)| m != "GET" && secured(op)) {
        assert!(documents_header(&spec, &operation, "429", "Retry-After"), "{method} {path}");
        let key = app.admin_key();
        let write =
            || send(app.request(&method, &concrete(&path)).set("Authorization", &format!("Bearer {key}")), None);
        assert_ne!(write().status, 429, "{method} {path}: the first write is within the limit");
        let limited = write();
        limited.assert_problem(429, "rate_limited");
        assert!(limited.header("retry-after").is_some_and(|s| s.parse::<u64>().is_ok()), "{method} {path}");
        writes += 1;
    }
    assert!(writes >= 6, "{writes} write operations");
}

#[test]
fn public_operations_say_so_and_the_specification_names_its_server() {
    let spec = spec();
    assert_eq!(spec["servers"][0]["url"], "/");
    for (method, path, operation) in operations(&spec) {
        if !secured(&operation) {
            assert_eq!(operation["security"], serde_json::json!([]), "{method} {path}");
        }
    }
}

#[test]
fn tagged_reads_document_etag_and_answer_304_and_every_answer_has_a_request_id() {
    let spec = spec();
    let app = TestApp::spawn();
    // One value, so that SDMX data (404 NoResultsFound on an empty database) has an answer.
    let value = serde_json::json!({"observations": [
        {"country": "KEN", "indicator": "individuals_internet_pct", "year": 2020, "value": 20.0}]});
    assert_eq!(app.post_json("/api/v1/observations", &app.admin_key(), &value).status, 201);
    let mut tagged = 0;
    for (method, path, operation) in operations(&spec) {
        if method != "GET" || path.contains("{id}") || secured(&operation) {
            continue;
        }
        let documented = operation["responses"].get("304").is_some();
        let first = app.get(&concrete(&path));
        assert_eq!(first.status, 200, "GET {path}: {}", first.body);
        assert!(first.header("x-request-id").is_some(), "GET {path}");
        assert!(documents_header(&spec, &operation, "200", "X-Request-Id"), "GET {path}");
        assert_eq!(first.header("etag").is_some(), documented, "GET {path}: ETag sent and 304 documented agree");
        if !documented {
            continue;
        }
        assert!(documents_header(&spec, &operation, "200", "ETag"), "GET {path}");
        let parameters = operation["parameters"].as_array().unwrap();
        assert!(parameters.iter().any(|p| p["name"] == "If-None-Match" && p["in"] == "header"), "GET {path}");
        let etag = first.header("etag").unwrap();
        let again = app.get_with(&concrete(&path), &[("If-None-Match", etag)]);
        assert_eq!(again.status, 304, "GET {path}");
        assert_eq!(again.header("etag"), Some(etag), "GET {path}");
        assert!(again.header("x-request-id").is_some() && again.body.is_empty(), "GET {path}");
        tagged += 1;
    }
    assert!(tagged >= 15, "{tagged} tagged reads");
}

#[test]
fn the_idempotent_replay_header_is_documented_where_it_is_sent() {
    let spec = spec();
    let submit = &spec["paths"]["/api/v1/observations"]["post"];
    assert!(documents_header(&spec, submit, "201", "Idempotent-Replayed"));
    assert!(spec["paths"]["/api/v1/observations"]["post"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "Idempotency-Key"));
}
