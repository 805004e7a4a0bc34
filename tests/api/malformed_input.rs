//! Bodies that a lenient reader would misread: a JSON observation naming a field twice, a CSV
//! quote never closed. Each is refused with a problem naming where it is; nothing is written.

use crate::support::{send, Resp, TestApp};
use serde_json::json;

fn post(app: &TestApp, key: &str, content_type: &str, body: &str) -> Resp {
    let request = app.request("POST", "/api/v1/observations").set("Authorization", &format!("Bearer {key}"));
    send(request, Some((content_type, body.as_bytes())))
}

fn nothing_stored(app: &TestApp) {
    assert_eq!(app.get("/api/v1/observations").json()["observations"], json!([]));
}

#[test]
fn a_member_named_twice_in_an_observation_is_a_400_duplicate_key() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    let good = r#"{"country": "KEN", "indicator": "individuals_internet_pct", "year": 2020, "value": 40.5}"#;
    for (twice, index, member) in [
        (
            r#"{"country": "KEN", "indicator": "individuals_internet_pct", "year": 2020, "value": 40.5, "value": 99}"#,
            1,
            "value",
        ),
        (
            r#"{"country": "KEN", "indicator": "individuals_internet_pct", "year": 2021, "value": 1, "source": "a", "source": null}"#,
            1,
            "source",
        ),
        (
            r#"{"country": "KEN", "indicator": "individuals_internet_pct", "year": 2021, "value": 1, "disaggregation": {"sex": "female", "sex": "male"}}"#,
            1,
            "sex",
        ),
    ] {
        let body = format!(r#"{{"observations": [{good}, {twice}]}}"#);
        for path in ["/api/v1/observations?dry_run=true", "/api/v1/observations"] {
            let request = app.request("POST", path).set("Authorization", &format!("Bearer {key}"));
            let problem =
                send(request, Some(("application/json", body.as_bytes()))).assert_problem(400, "duplicate_key");
            let detail = problem["detail"].as_str().unwrap();
            assert!(detail.contains(&format!("observation {index}")), "{detail}");
            assert!(detail.contains(&format!("`{member}` appears twice")), "{detail}");
        }
    }
    nothing_stored(&app);
    // The same members, each once, are a good batch.
    let once = format!(r#"{{"observations": [{good}]}}"#);
    assert_eq!(post(&app, &key, "application/json", &once).status, 201);
}
