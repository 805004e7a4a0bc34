//! What operators rely on: request ids, metrics, rate limits, CORS, audit, headers.

use crate::support::{send, TestApp};
use serde_json::json;

fn one_row(country: &str, value: f64) -> serde_json::Value {
    json!({"observations": [{"country": country, "indicator": "individuals_internet_pct", "year": 2020, "value": value}]})
}

#[test]
fn every_answer_carries_a_request_id_and_no_server_banner() {
    let app = TestApp::spawn();
    let given = app.get_with("/api/v1/goals", &[("X-Request-Id", "dash-42.a")]);
    assert_eq!(given.header("x-request-id"), Some("dash-42.a"));
    let generated = app.get("/api/v1/nowhere");
    let id = generated.header("x-request-id").expect("errors carry one too");
    assert_eq!(id.len(), 16);
    let hostile = app.get_with("/health", &[("X-Request-Id", "<script>")]);
    assert_ne!(hostile.header("x-request-id"), Some("<script>"), "unsafe ids are replaced");
    assert!(given.header("server").is_none(), "no server version banner");
}

#[test]
fn metrics_count_requests_by_route_and_submissions() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    app.get("/api/v1/targets/1.1");
    app.get("/api/v1/targets/1.2");
    assert_eq!(app.post_json("/api/v1/observations", &key, &one_row("KEN", 20.0)).status, 201);
    app.post_json("/api/v1/observations", &key, &one_row("KEN", 200.0)).assert_problem(422, "validation_failed");
    let metrics = app.get("/metrics");
    assert_eq!(metrics.status, 200);
    assert!(metrics.header("content-type").unwrap().starts_with("text/plain"));
    let text = metrics.body;
    assert!(
        text.contains("c2030_http_requests_total{method=\"GET\",route=\"/api/v1/targets/{target}\",status=\"200\"} 2"),
        "{text}"
    );
    assert!(text.contains(
        "c2030_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/targets/{target}\",le=\"+Inf\"} 2"
    ));
    assert!(text.contains("c2030_submissions_total 1"));
    assert!(text.contains("c2030_rows_accepted_total 1"));
    assert!(text.contains("c2030_submissions_rejected_total 1"));
    assert!(text.contains("c2030_rows_rejected_total 1"));
    assert!(text.contains("c2030_progress_cache_total{result=\"hit\"}"));
}

#[test]
fn writes_are_rate_limited_per_key_with_retry_after() {
    let app = TestApp::spawn_with(|settings| settings.write_rate_limit = 2);
    let kenya = app.reporter_key("KEN");
    let uganda = app.reporter_key("UGA");
    for value in [10.0, 11.0] {
        assert_eq!(app.post_json("/api/v1/observations", &kenya, &one_row("KEN", value)).status, 201);
    }
    let limited = app.post_json("/api/v1/observations", &kenya, &one_row("KEN", 12.0));
    limited.assert_problem(429, "rate_limited");
    assert!(limited.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
    assert_eq!(app.post_json("/api/v1/observations", &uganda, &one_row("UGA", 5.0)).status, 201, "another key");
    assert_eq!(app.get("/api/v1/observations?country=KEN").json()["observations"][0]["value"], 11.0);
    assert_eq!(app.get("/api/v1/goals").status, 200, "reads are not limited");
}

#[test]
fn cors_lets_configured_dashboards_read_but_not_write() {
    let app = TestApp::spawn_with(|settings| settings.cors_origins = vec!["https://dash.example.org".into()]);
    let read = app.get_with("/api/v1/progress", &[("Origin", "https://dash.example.org")]);
    assert_eq!(read.status, 200);
    assert_eq!(read.header("access-control-allow-origin"), Some("https://dash.example.org"));
    let preflight_read = send(
        app.request("OPTIONS", "/api/v1/progress")
            .set("Origin", "https://dash.example.org")
            .set("Access-Control-Request-Method", "GET"),
        None,
    );
    assert!(preflight_read.status < 300, "{preflight_read:?}");
    let preflight_write = send(
        app.request("OPTIONS", "/api/v1/observations")
            .set("Origin", "https://dash.example.org")
            .set("Access-Control-Request-Method", "POST"),
        None,
    );
    assert!(preflight_write.header("access-control-allow-origin").is_none(), "{preflight_write:?}");
    assert!(preflight_write.status >= 400);
    let stranger = app.get_with("/api/v1/goals", &[("Origin", "https://evil.example.com")]);
    assert!(stranger.header("access-control-allow-origin").is_none());

    let closed = TestApp::spawn();
    let plain = closed.get_with("/api/v1/goals", &[("Origin", "https://dash.example.org")]);
    assert_eq!(plain.status, 200);
    assert!(plain.header("access-control-allow-origin").is_none(), "CORS is off unless configured");
}

#[test]
fn administrative_actions_are_audited_without_secrets() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let created = app.post_json("/api/v1/reporters", &admin, &json!({"name": "UBOS", "country": "UGA"})).json();
    let secret = created["key"]["secret"].as_str().unwrap().to_string();
    let key_id = created["key"]["id"].as_i64().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/keys/{key_id}"), &admin).status, 200);
    let trail = send(app.request("GET", "/api/v1/audit").set("Authorization", &format!("Bearer {admin}")), None);
    assert_eq!(trail.status, 200);
    let actions: Vec<_> =
        trail.json()["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_string()).collect();
    assert_eq!(actions, vec!["reporter.create", "key.create", "reporter.create", "key.create", "key.revoke"]);
    assert!(!trail.body.contains(&secret) && !trail.body.contains(&admin));
    let events = trail.json()["events"].clone();
    assert_eq!(
        events[4]["actor_key_id"],
        events[1]["subject"].as_str().unwrap().trim_start_matches("key:").parse::<i64>().unwrap()
    );
    send(app.request("GET", "/api/v1/audit").set("Authorization", &format!("Bearer {secret}")), None)
        .assert_problem(401, "unauthorized");
}
