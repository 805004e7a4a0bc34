//! HTTP rules every route follows, documented or not: the cache-buster `_`, integer ranges,
//! SDMX periods and content negotiation, `HEAD`, and 405 with `Allow`.

use crate::support::{send, TestApp};
use serde_json::json;

/// Routes the specification leaves out, each with a query it takes.
const UNDOCUMENTED: &[&str] = &[
    "/",
    "/targets/1.2",
    "/countries/KEN",
    "/sdmx/rest/dataflow",
    "/sdmx/rest/dataflow/all",
    "/sdmx/rest/dataflow/all/CONNECT2030",
    "/sdmx/rest/data/CONNECT2030",
    "/sdmx/rest/data/CONNECT2030/all/all",
];

fn with_one_value() -> TestApp {
    let app = TestApp::spawn();
    let key = app.admin_key();
    let rows = json!({"observations": [
        {"country": "KEN", "indicator": "individuals_internet_pct", "year": 2022, "value": 40.5}
    ]});
    assert_eq!(app.post_json("/api/v1/observations", &key, &rows).status, 201);
    app
}

#[test]
fn the_cache_buster_is_ignored_and_unknown_parameters_refused_by_name_on_undocumented_routes() {
    let app = with_one_value();
    for path in UNDOCUMENTED {
        let plain = app.get(path);
        assert_eq!(plain.status, 200, "{path}: {}", plain.body);
        let busted = app.get(&format!("{path}?_=1700000000000"));
        assert_eq!(busted.status, 200, "{path}: {}", busted.body);
        let problem = app.get(&format!("{path}?_=1700000000000&colour=red")).assert_problem(400, "invalid_query");
        assert_eq!(problem["errors"].as_array().unwrap().len(), 1, "{path}: {problem}");
        assert_eq!(problem["errors"][0]["field"], "colour", "{path}");
        assert_eq!(problem["errors"][0]["code"], "unknown_parameter", "{path}");
    }
}

#[test]
fn integers_out_of_range_name_the_parameter_and_the_range() {
    let app = TestApp::spawn();
    let cases = [
        ("/api/v1/observations?limit=-1", "limit", "from 1 to 1000"),
        ("/api/v1/observations?limit=0", "limit", "from 1 to 1000"),
        ("/api/v1/initiatives?limit=99999999999", "limit", "from 1 to 1000"),
        ("/api/v1/observations?year_from=99999999999999999999", "year_from", "from -2147483648 to 2147483647"),
        ("/api/v1/observations.csv?year_to=9999999999", "year_to", "from -2147483648 to 2147483647"),
        ("/api/v1/indicators/individuals_internet_pct/aggregates?year=99999999999", "year", "to 2147483647"),
        ("/api/v1/progress?carry_forward=-1", "carry_forward", "from 0 to 10"),
        ("/api/v1/progress?horizon=11", "horizon", "from 0 to 10"),
        ("/api/v1/progress/targets/1.2?trend_years=0", "trend_years", "from 1 to 10"),
        ("/api/v1/targets?goal=-1", "goal", "from 1 to 5"),
        ("/api/v1/targets?goal=9", "goal", "from 1 to 5"),
        ("/api/v1/progress?carry_forward=11", "carry_forward", "from 0 to 10"),
        ("/api/v1/progress?trend_years=11", "trend_years", "from 1 to 10"),
        ("/targets/1.2?carry_forward=-1", "carry_forward", "from 0 to 10"),
        ("/api/v1/progress/targets/1.2/chart.svg?horizon=-3", "horizon", "from 0 to 10"),
        ("/sdmx/rest/data/CONNECT2030/all?firstNObservations=-1", "firstNObservations", "from 1 to"),
        ("/sdmx/rest/data/CONNECT2030?lastNObservations=99999999999", "lastNObservations", "from 1 to"),
        ("/sdmx/rest/data/CONNECT2030/all?lastNObservations=0", "lastNObservations", "from 1 to"),
    ];
    for (path, name, range) in cases {
        let problem = app.get(path).assert_problem(400, "invalid_query");
        assert_eq!(problem["errors"][0]["field"], name, "{path}: {problem}");
        assert_eq!(problem["errors"][0]["code"], "invalid_parameter", "{path}: {problem}");
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains(&format!("`{name}`")) && detail.contains(range), "{path}: {detail}");
    }
}

#[test]
fn impossible_sdmx_periods_are_refused_by_name() {
    let app = with_one_value();
    let base = "/sdmx/rest/data/CONNECT2030/A.KEN.individuals_internet_pct._T._T";
    for good in ["2022", "2022-06", "2022-06-30", "2022-Q4", "2022-S2", "2022-M12", "2022-W52", "2020-W53", "2022-A1"] {
        assert_eq!(app.get(&format!("{base}?startPeriod={good}")).status, 200, "{good}");
    }
    for (name, bad) in [
        ("startPeriod", "2020-13"),
        ("startPeriod", "2020-Q9"),
        ("endPeriod", "%2B202"),
        ("endPeriod", "2022-02-30"),
        ("startPeriod", "2021-W53"),
        ("endPeriod", "2022-M13"),
        ("startPeriod", "2022-D366"),
        ("endPeriod", "-2022"),
    ] {
        let problem = app.get(&format!("{base}?{name}={bad}")).assert_problem(400, "invalid_sdmx_query");
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains(&format!("`{name}=")) && detail.contains("not an SDMX period"), "{bad}: {detail}");
    }
}

#[test]
fn sdmx_negotiation_follows_rfc_9110_weights_and_wildcards() {
    let app = with_one_value();
    let data = "/sdmx/rest/data/CONNECT2030/A.KEN.individuals_internet_pct._T._T";
    let content_type = |path: &str, accept: &str| {
        let answer = app.get_with(path, &[("Accept", accept)]);
        assert_eq!(answer.status, 200, "{accept}: {}", answer.body);
        answer.header("content-type").unwrap().to_string()
    };
    // q=0 means "not this one", whatever its place.
    let no_xml = content_type(data, "application/vnd.sdmx.structurespecificdata+xml;q=0, */*;q=0.1");
    assert!(no_xml.starts_with("application/vnd.sdmx.genericdata+xml"), "{no_xml}");
    let csv =
        content_type(data, "application/vnd.sdmx.data+csv;version=1.0.0;q=0, application/vnd.sdmx.data+csv;q=0.5");
    assert!(csv.starts_with("application/vnd.sdmx.data+csv; version=2.0.0"), "{csv}");
    // Weights decide, not the order of the header.
    let json = content_type(data, "text/csv;q=0.2, application/vnd.sdmx.data+json;version=1.0.0;q=0.9");
    assert!(json.starts_with("application/vnd.sdmx.data+json"), "{json}");
    // `text/*` takes a text type SDMX is served as; a more specific range beats the wildcard.
    let text = app.get_with(data, &[("Accept", "text/*")]);
    assert!(text.header("content-type").unwrap().starts_with("text/"), "{:?}", text.header("content-type"));
    assert!(text.body.contains("KEN"));
    let text_csv = app.get_with(data, &[("Accept", "text/*;q=0.5, text/xml;q=0")]);
    assert_eq!(text_csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(text_csv.body.starts_with("DATAFLOW,"), "{}", text_csv.body);
    assert!(content_type("/sdmx/rest/dataflow", "text/*").starts_with("text/xml"));
    for refused in ["text/csv;q=0", "text/*;q=0, text/html", "application/vnd.sdmx.data+json;q=0"] {
        app.get_with(data, &[("Accept", refused)]).assert_problem(406, "not_acceptable");
    }
    app.get_with("/sdmx/rest/dataflow", &[("Accept", "text/*;q=0, text/csv")]).assert_problem(406, "not_acceptable");
    app.get_with("/sdmx/rest/dataflow", &[("Accept", "application/vnd.sdmx.structure+xml;q=0")])
        .assert_problem(406, "not_acceptable");
}

#[test]
fn head_answers_every_get_route_like_get_without_a_body() {
    let app = with_one_value();
    let mut paths = UNDOCUMENTED.to_vec();
    paths.extend([
        "/api/v1/goals",
        "/api/v1/progress",
        "/api/v1/progress/targets/1.2/chart.svg",
        "/api/v1/observations?country=KEN",
        "/api/v1/openapi.json",
        "/assets/dashboard.css",
        "/docs/",
        "/health",
    ]);
    for path in paths {
        let get = app.get(path);
        let head = send(app.request("HEAD", path), None);
        assert_eq!(head.status, get.status, "{path}");
        assert!(head.body.is_empty(), "{path}");
        for name in ["content-type", "etag", "content-length", "transfer-encoding"] {
            assert_eq!(head.header(name), get.header(name), "{path}: {name}");
        }
    }
    let etag = app.get("/api/v1/progress").header("etag").unwrap().to_string();
    let revalidated = send(app.request("HEAD", "/api/v1/progress").set("If-None-Match", &etag), None);
    assert_eq!(revalidated.status, 304);
    let export = send(app.request("HEAD", "/sdmx/rest/data/CONNECT2030/all"), None);
    assert_eq!(export.status, 200);
    assert_eq!(export.header("transfer-encoding"), Some("chunked"), "streamed like the GET");
}

#[test]
fn a_wrong_method_on_an_existing_path_is_405_with_allow() {
    let app = TestApp::spawn();
    for (method, path, allow) in [
        ("POST", "/", "GET, HEAD"),
        ("DELETE", "/targets/1.2", "GET, HEAD"),
        ("PUT", "/countries/KEN", "GET, HEAD"),
        ("POST", "/sdmx/rest/dataflow", "GET, HEAD"),
        ("POST", "/sdmx/rest/data/CONNECT2030", "GET, HEAD"),
        ("DELETE", "/assets/dashboard.css", "GET, HEAD"),
        ("POST", "/docs/", "GET, HEAD"),
        ("PUT", "/api/v1/goals", "GET, HEAD"),
        ("PATCH", "/api/v1/observations", "GET, HEAD, POST"),
        ("GET", "/api/v1/keys/1", "DELETE"),
    ] {
        let answer = send(app.request(method, path), None);
        answer.assert_problem(405, "method_not_allowed");
        assert_eq!(answer.header("allow"), Some(allow), "{method} {path}");
    }
    send(app.request("POST", "/nothing/here"), None).assert_problem(404, "not_found");
    let head = send(app.request("HEAD", "/api/v1/keys/1"), None);
    assert_eq!((head.status, head.header("allow")), (405, Some("DELETE")));
}

#[test]
fn administration_checks_the_administrator_before_reading_the_body() {
    let app = TestApp::spawn();
    let reporter = app.reporter_key("KEN");
    let admin = app.admin_key();
    let post = |key: &str, content_type: &str, body: &[u8]| {
        let request = app.request("POST", "/api/v1/reporters").set("Authorization", &format!("Bearer {key}"));
        send(request, Some((content_type, body)))
    };
    let big = vec![b'x'; 200 * 1024];
    for (content_type, body) in
        [("application/json", &b"{not json"[..]), ("text/plain", b"{}"), ("application/json", &big[..])]
    {
        post(&reporter, content_type, body).assert_problem(403, "admin_required");
        assert_eq!(post(&admin, content_type, body).status / 100, 4, "an administrator gets the body's error");
        assert_ne!(post(&admin, content_type, body).status, 403);
    }
    post(&admin, "application/json", b"{not json").assert_problem(400, "invalid_json");
    let with = |method: &str, path: &str| {
        send(
            app.request(method, path).set("Authorization", &format!("Bearer {reporter}")),
            Some(("application/json", b"{")),
        )
    };
    with("POST", "/api/v1/reporters/1/keys").assert_problem(403, "admin_required");
    with("DELETE", "/api/v1/keys/1").assert_problem(403, "admin_required");
    app.get_with("/api/v1/reporters", &[("Authorization", &format!("Bearer {reporter}"))])
        .assert_problem(403, "admin_required");
    app.get_with("/api/v1/audit", &[("Authorization", &format!("Bearer {reporter}"))])
        .assert_problem(403, "admin_required");
    send(app.request("POST", "/api/v1/reporters"), Some(("application/json", b"{")))
        .assert_problem(401, "unauthorized");
}
