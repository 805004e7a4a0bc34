//! Sending a value again: the same decimal is the same value whatever the format, and the
//! columns a submission leaves out keep what is stored.

use crate::support::{send, Resp, TestApp};
use serde_json::Value;

const SUBMIT: &str = "/api/v1/observations";

fn post(app: &TestApp, key: &str, content_type: &str, body: &str) -> Resp {
    let request = app.request("POST", SUBMIT).set("Authorization", &format!("Bearer {key}"));
    send(request, Some((content_type, body.as_bytes())))
}

/// The outcome of the only row of a submission, asserting it was applied.
#[track_caller]
fn outcome(answer: &Resp) -> Value {
    assert_eq!(answer.status, 201, "{}", answer.body);
    answer.json()["rows"][0].clone()
}

#[test]
fn a_json_number_sent_again_as_csv_is_unchanged() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    let decimal = "10123456789.1234567";
    let json = format!(
        r#"{{"observations": [{{"country": "KEN", "indicator": "partnerships_count", "year": 2020, "value": 1}},
            {{"country": "KEN", "indicator": "ewaste_generated_kg", "year": 2020, "value": {decimal}}}]}}"#
    );
    assert_eq!(post(&app, &key, "application/json", &json).status, 201);
    let stored = app.get("/api/v1/observations?indicator=ewaste_generated_kg").json()["observations"][0]["value"]
        .as_f64()
        .unwrap();
    assert_eq!(stored, decimal.parse::<f64>().unwrap(), "the double nearest the decimal sent");
    let csv = format!("country,indicator,year,value\nKEN,ewaste_generated_kg,2020,{decimal}\n");
    let again = outcome(&post(&app, &key, "text/csv", &csv));
    assert_eq!(again["outcome"], "unchanged", "{again}");
}
