//! Initiatives member states share: linked to targets, scoped to the reporter's country,
//! validated field by field, and listed by target, kind and country.

use crate::support::TestApp;
use serde_json::json;

#[test]
fn member_states_share_initiatives_linked_to_targets() {
    let app = TestApp::spawn();
    let kenya = app.reporter_key("KEN");
    let admin = app.admin_key();
    let plan = json!({"country": "KEN", "kind": "strategy", "title": "National Digital Master Plan", "summary": "Pillars: infrastructure, skills.",
                      "url": "https://example.org/plan.pdf", "targets": ["1.4", "1.7", "1.4"], "year": 2022});
    let created = app.post_json("/api/v1/initiatives", &kenya, &plan);
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.json()["country"], "KEN");
    assert_eq!(created.json()["targets"], json!(["1.4", "1.7"]));
    let netp = json!({"country": "PHL", "kind": "case_study", "title": "Typhoon response", "summary": "Lessons.", "targets": ["3.5"]});
    app.post_json("/api/v1/initiatives", &kenya, &netp).assert_problem(403, "forbidden_country");
    assert_eq!(app.post_json("/api/v1/initiatives", &admin, &netp).status, 201);
    let no_country = json!({"kind": "policy", "title": "x", "summary": "y", "targets": ["4.1"]});
    app.post_json("/api/v1/initiatives", &admin, &no_country).assert_problem(400, "invalid_json");
    let bad = json!({"country": "KEN", "kind": "policy", "title": "", "summary": "y", "targets": ["9.9"], "url": "ftp://x", "year": 1800});
    let problem = app.post_json("/api/v1/initiatives", &kenya, &bad).assert_problem(422, "validation_failed");
    let fields: Vec<_> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, vec!["title", "url", "targets", "year"]);
    let long = json!({"country": "KEN", "kind": "policy", "title": "T", "summary": "S", "targets": ["2.4"],
                      "url": format!("https://example.org/{}", "a".repeat(2100))});
    let problem = app.post_json("/api/v1/initiatives", &kenya, &long).assert_problem(422, "validation_failed");
    assert!(problem["errors"][0]["detail"].as_str().unwrap().contains("2048 bytes"), "as documented: {problem}");

    let for_target = app.get("/api/v1/initiatives?target=1.7").json();
    assert_eq!(for_target["initiatives"].as_array().unwrap().len(), 1);
    assert_eq!(for_target["initiatives"][0]["title"], "National Digital Master Plan");
    assert_eq!(
        app.get("/api/v1/initiatives?target=1.1").json()["initiatives"].as_array().unwrap().len(),
        0,
        "1.1 is not 1.1x"
    );
    assert_eq!(app.get("/api/v1/initiatives?kind=case_study&country=phl").json()["initiatives"][0]["country"], "PHL");
    app.get("/api/v1/initiatives?kind=poem").assert_problem(400, "invalid_query");
}
