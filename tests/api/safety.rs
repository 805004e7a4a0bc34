//! What an analyst, an attacker or a browser meets: spreadsheet-safe exports, bounded metrics,
//! security headers.

use crate::support::{send, TestApp};
use serde_json::json;

#[test]
fn no_exported_cell_starts_a_spreadsheet_formula_and_the_export_still_round_trips() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let hostile = [
        "=HYPERLINK(\"https://evil.example\",\"click\")",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "+1",
        "-2",
        "\tleading tab",
        "'already quoted",
    ];
    let rows: Vec<_> = hostile
        .iter()
        .enumerate()
        .map(|(i, text)| {
            json!({"country": "KEN", "indicator": "individuals_internet_pct", "year": 2010 + i as i32,
                   "value": 20.5, "source": text, "note": text})
        })
        .collect();
    let stored = app.post_json("/api/v1/observations", &admin, &json!({ "observations": rows }));
    assert_eq!(stored.status, 201, "{}", stored.body);

    let texts = |app: &TestApp| {
        let listed = app.get("/api/v1/observations?country=KEN").json();
        let mut texts: Vec<_> = listed["observations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (o["source"].clone(), o["note"].clone()))
            .collect();
        texts.sort_by_key(|t| t.1.to_string());
        texts
    };
    let before = texts(&app);
    assert!(before.iter().any(|(_, note)| note == "=HYPERLINK(\"https://evil.example\",\"click\")"));
    let export = app.get("/api/v1/observations?format=csv");
    assert_eq!(export.status, 200);
    let mut reader = csv::ReaderBuilder::new().from_reader(export.body.as_bytes());
    let mut cells = 0;
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            cells += 1;
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "a cell starts a formula: {cell:?}");
        }
    }
    assert_eq!(cells, hostile.len() * 9);

    let reimport = app.post_csv("/api/v1/observations", &admin, &export.body);
    assert_eq!(reimport.status, 201, "{}", reimport.body);
    assert_eq!(reimport.json()["counts"]["unchanged"], hostile.len(), "{}", reimport.body);
    assert_eq!(texts(&app), before, "the stored texts are unchanged by the round trip");
}

#[test]
fn invented_methods_and_paths_add_no_metric_series() {
    let app = TestApp::spawn();
    for i in 0..50 {
        let method = format!("INVENTED{i}");
        let answer = send(app.request(&method, "/api/v1/goals"), None);
        assert!((400..500).contains(&answer.status), "{method}: {}", answer.status);
        app.get(&format!("/no/such/path/{i}"));
    }
    let metrics = app.get("/metrics").body;
    assert!(!metrics.contains("INVENTED"), "{metrics}");
    assert!(!metrics.contains("/no/such/path"), "{metrics}");
    assert!(metrics.contains("method=\"other\",route=\"/api/v1/goals\",status=\"405\"} 50"), "{metrics}");
    assert!(metrics.contains("method=\"GET\",route=\"other\",status=\"404\"} 50"), "{metrics}");
}

#[test]
fn answers_carry_security_headers_and_secrets_are_never_cached() {
    let app = TestApp::spawn();
    for path in ["/api/v1/goals", "/health", "/docs/", "/no/such/path"] {
        let answer = app.get(path);
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(answer.header("referrer-policy"), Some("no-referrer"), "{path}");
    }
    let docs = app.get("/docs/");
    assert_eq!(docs.header("x-frame-options"), Some("DENY"));
    assert!(docs.header("content-security-policy").unwrap().contains("frame-ancestors 'none'"));

    let admin = app.admin_key();
    let created = app.post_json("/api/v1/reporters", &admin, &json!({"name": "KNBS", "country": "KEN"}));
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.header("cache-control"), Some("no-store"));
    let id = created.json()["reporter"]["id"].clone();
    let key = send(
        app.request("POST", &format!("/api/v1/reporters/{id}/keys")).set("Authorization", &format!("Bearer {admin}")),
        None,
    );
    assert_eq!(key.status, 201, "{}", key.body);
    assert_eq!(key.header("cache-control"), Some("no-store"));
}
