//! Trimming of texts and SDMX-ML's replacement of characters XML cannot carry: done as the
//! README and the specification say.

use crate::documented::spec;
use crate::support::TestApp;
use serde_json::json;

#[test]
fn texts_are_trimmed_and_sdmx_ml_alone_replaces_what_xml_cannot_carry() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let rows = json!({"observations": [
        {"country": " KEN\t", "indicator": "individuals_internet_pct", "year": 2022, "value": 40.5,
         "source": "\u{a0} KNBS\u{1} survey \n", "note": " \t "},
    ]});
    assert_eq!(app.post_json("/api/v1/observations", &admin, &rows).status, 201);
    let listed = app.get("/api/v1/observations?country=KEN").json();
    let row = &listed["observations"][0];
    assert_eq!(row["country"], "KEN");
    assert_eq!(row["source"], "KNBS\u{1} survey", "trimmed, the control character kept");
    assert!(row["note"].is_null(), "blank once trimmed is absent: {row}");
    let data = "/sdmx/rest/data/CONNECT2030/A.KEN.individuals_internet_pct._T._T";
    let xml = app.get(data).body;
    assert!(xml.contains("SOURCE_DETAIL=\"KNBS\u{fffd} survey\""), "{xml}");
    let csv = app.get(&format!("{data}?format=csv")).body;
    assert!(csv.contains(",KNBS\u{1} survey,"), "{csv}");
    let initiative = json!({"country": "KEN", "kind": "policy", "title": "  Open access \n", "summary": " Ducts ",
        "targets": ["2.4"], "url": " https://example.org/a "});
    let created = app.post_json("/api/v1/initiatives", &admin, &initiative).json();
    assert_eq!((created["title"].as_str(), created["summary"].as_str()), (Some("Open access"), Some("Ducts")));
    assert_eq!(created["url"], "https://example.org/a");
    let blank_url =
        json!({"country": "KEN", "kind": "policy", "title": "T", "summary": "S", "targets": ["2.4"], "url": " "});
    app.post_json("/api/v1/initiatives", &admin, &blank_url).assert_problem(422, "validation_failed");

    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    let describe =
        |schema: &str, field: &str| schemas[schema]["properties"][field]["description"].as_str().unwrap().to_string();
    assert!(
        describe("ObservationInput", "source").contains("U+FFFD")
            && describe("ObservationInput", "note").contains("U+FFFD")
    );
    assert!(schemas["ObservationInput"]["description"].as_str().unwrap().contains("without the white space around it"));
    for (schema, field) in [("InitiativeInput", "title"), ("InitiativeInput", "url"), ("NewReporter", "name")] {
        assert!(describe(schema, field).contains("trimmed"), "{schema}.{field}");
    }
}
