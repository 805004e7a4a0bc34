use crate::support::{send, TestApp};

#[test]
fn unknown_codes_answer_404_problems() {
    let app = TestApp::spawn();
    app.get("/api/v1/countries/XXZ").assert_problem(404, "unknown_country");
    app.get("/api/v1/targets/9.9").assert_problem(404, "unknown_target");
    app.get("/api/v1/goals/6").assert_problem(404, "unknown_goal");
    app.get("/api/v1/goals/abc").assert_problem(404, "unknown_goal");
    app.get("/api/v1/indicators/nope").assert_problem(404, "unknown_indicator");
    app.get("/api/v1/groups/NOPE").assert_problem(404, "unknown_group");
}

#[test]
fn unknown_paths_answer_404_and_wrong_methods_405_with_allow() {
    let app = TestApp::spawn();
    app.get("/nothing/here").assert_problem(404, "not_found");
    app.get("/api/v1/").assert_problem(404, "not_found");
    app.get("/api/v2/goals").assert_problem(404, "not_found");
    let post = send(app.request("POST", "/api/v1/goals"), Some(("application/json", b"{}")));
    post.assert_problem(405, "method_not_allowed");
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
    let export = send(app.request("DELETE", "/api/v1/observations.csv"), None);
    export.assert_problem(405, "method_not_allowed");
    assert_eq!(export.header("allow"), Some("GET, HEAD"), "the export is no observation to withdraw");
    send(app.request("DELETE", "/api/v1/targets/1.1"), None).assert_problem(405, "method_not_allowed");
}

#[test]
fn bad_query_parameters_answer_400_problems() {
    let app = TestApp::spawn();
    app.get("/api/v1/targets?goal=x").assert_problem(400, "invalid_query");
    app.get("/api/v1/targets?goal=9").assert_problem(400, "invalid_query");
    app.get("/api/v1/targets?colour=blue").assert_problem(400, "invalid_query");
    app.get("/api/v1/countries?member=perhaps").assert_problem(400, "invalid_query");
    app.get("/api/v1/countries?group=XYZ").assert_problem(400, "unknown_group");
}

#[test]
fn the_interactive_docs_are_served_from_the_binary() {
    let app = TestApp::spawn();
    let redirect = app.get("/docs");
    assert!(matches!(redirect.status, 301 | 302 | 307 | 308), "{}", redirect.status);
    let page = app.get("/docs/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("swagger-ui"));
    assert!(page.body.contains("<title>connect2030 API documentation</title>"), "named after the service");
    assert!(!page.body.contains("Swagger UI"));
    assert_eq!(app.get("/docs/index.html").body, page.body);
    let script = app.get("/docs/swagger-ui-bundle.js");
    assert_eq!(script.status, 200, "assets are compiled in, no CDN");
    assert!(script.body.len() > 100_000);
    let init = app.get("/docs/swagger-initializer.js");
    assert!(init.body.contains("/api/v1/openapi.json"), "{}", init.body);
}
