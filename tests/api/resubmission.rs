//! Sending a value again: the same decimal is the same value whatever the format, and the
//! columns a submission leaves out keep what is stored.

use crate::support::{send, Resp, TestApp};
use serde_json::{json, Value};

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

const INTERNET: &str = "individuals_internet_pct";

/// The stored value of KEN's Internet use in 2020.
fn stored(app: &TestApp) -> Value {
    let listed = app.get(&format!("/api/v1/observations?indicator={INTERNET}")).json();
    assert_eq!(listed["observations"].as_array().unwrap().len(), 1, "{listed}");
    listed["observations"][0].clone()
}

/// The submission's stored report agrees with the answer it gave.
#[track_caller]
fn stored_report_agrees(app: &TestApp, key: &str, answer: &Resp) {
    let location = answer.header("location").unwrap().to_string();
    let stored = send(app.request("GET", &location).set("Authorization", &format!("Bearer {key}")), None);
    assert_eq!(stored.json()["report"]["rows"], answer.json()["rows"], "{location}: {}", stored.body);
}

#[test]
fn columns_left_out_keep_the_stored_attributes_and_empty_ones_clear_them_in_json_and_csv() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    let first = json!({"observations": [{"country": "KEN", "indicator": INTERNET, "year": 2020, "value": 41.9,
        "source": "KNBS", "nature": "estimated", "note": "survey"}]});
    assert_eq!(outcome(&post(&app, &key, "application/json", &first.to_string()))["outcome"], "created");

    // The issue's case: the same value without the optional columns changes nothing.
    let bare = format!("country,indicator,year,value\nKEN,{INTERNET},2020,41.9\n");
    let answer = post(&app, &key, "text/csv", &bare);
    let row = outcome(&answer);
    assert_eq!(row["outcome"], "unchanged", "{row}");
    assert!(row.get("changed").is_none(), "{row}");
    let kept = stored(&app);
    assert_eq!(
        (&kept["source"], &kept["nature"], &kept["note"]),
        (&json!("KNBS"), &json!("estimated"), &json!("survey"))
    );
    assert_eq!(kept["revision_number"], 1);
    let json_bare = json!({"observations": [{"country": "KEN", "indicator": INTERNET, "year": 2020, "value": 41.9}]});
    assert_eq!(outcome(&post(&app, &key, "application/json", &json_bare.to_string()))["outcome"], "unchanged");

    // An empty cell clears that attribute only; the revision records the whole new state.
    let cleared = format!("country,indicator,year,value,source\nKEN,{INTERNET},2020,41.9,\n");
    let answer = post(&app, &key, "text/csv", &cleared);
    let row = outcome(&answer);
    assert_eq!(
        (&row["outcome"], &row["changed"], &row["previous_value"]),
        (&json!("revised"), &json!(["source"]), &json!(41.9))
    );
    stored_report_agrees(&app, &key, &answer);
    let now = stored(&app);
    assert_eq!((&now["source"], &now["nature"], &now["note"]), (&json!(null), &json!("estimated"), &json!("survey")));
    let history = app.get(&format!("/api/v1/observations/{}/revisions", now["id"])).json();
    let second = &history["revisions"][1];
    assert_eq!(
        (&second["source"], &second["nature"], &second["note"], &second["value"]),
        (&json!(null), &json!("estimated"), &json!("survey"), &json!(41.9))
    );

    // JSON: a member left out keeps its value, `null` (or "") clears it; `changed` names
    // each field that differs.
    let json_rows = json!({"observations": [{"country": "KEN", "indicator": INTERNET, "year": 2020, "value": 42.5,
        "note": null, "nature": "", "source": "ITU"}]});
    let answer = post(&app, &key, "application/json", &json_rows.to_string());
    let row = outcome(&answer);
    assert_eq!(row["changed"], json!(["value", "source", "nature", "note"]), "{row}");
    stored_report_agrees(&app, &key, &answer);
    let now = stored(&app);
    assert_eq!(
        (&now["source"], &now["nature"], &now["note"], &now["revision_number"]),
        (&json!("ITU"), &json!("reported"), &json!(null), &json!(3))
    );

    // A dry run reports the same.
    let request =
        app.request("POST", "/api/v1/observations?dry_run=true").set("Authorization", &format!("Bearer {key}"));
    let body = format!("country,indicator,year,value,note\nKEN,{INTERNET},2020,42.5,again\n");
    let dry = send(request, Some(("text/csv", body.as_bytes())));
    assert_eq!(dry.status, 200, "{}", dry.body);
    assert_eq!(dry.json()["rows"][0]["changed"], json!(["note"]));
}

#[test]
fn sdmx_csv_columns_left_out_keep_the_stored_attributes_and_a_withdrawn_value_comes_back_with_them() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    let flow = "C2030:CONNECT2030(1.0)";
    let sdmx = "application/vnd.sdmx.data+csv; version=1.0.0";
    let full = format!(
        "DATAFLOW,FREQ,REF_AREA,INDICATOR,SEX,URBANISATION,TIME_PERIOD,OBS_VALUE,NATURE,SOURCE_DETAIL,COMMENT_OBS\n\
         {flow},A,KEN,{INTERNET},_T,_T,2020,41.9,E,KNBS,survey\n"
    );
    assert_eq!(outcome(&post(&app, &key, sdmx, &full))["outcome"], "created");
    let bare = format!("DATAFLOW,FREQ,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE\n{flow},A,KEN,{INTERNET},2020,41.9\n");
    assert_eq!(outcome(&post(&app, &key, sdmx, &bare))["outcome"], "unchanged");
    let empty_nature =
        format!("DATAFLOW,FREQ,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,NATURE\n{flow},A,KEN,{INTERNET},2020,41.9,\n");
    let row = outcome(&post(&app, &key, sdmx, &empty_nature));
    assert_eq!((&row["outcome"], &row["changed"]), (&json!("revised"), &json!(["nature"])), "{row}");
    let now = stored(&app);
    assert_eq!((&now["source"], &now["nature"], &now["note"]), (&json!("KNBS"), &json!("reported"), &json!("survey")));

    // A withdrawn value sent again comes back with the attributes it had.
    assert_eq!(app.delete(&format!("/api/v1/observations/{}", now["id"]), &key).status, 200);
    let answer = post(&app, &key, sdmx, &bare);
    let row = outcome(&answer);
    assert_eq!((&row["outcome"], &row["changed"]), (&json!("revised"), &json!(["value"])), "{row}");
    stored_report_agrees(&app, &key, &answer);
    let back = stored(&app);
    assert_eq!((&back["value"], &back["source"], &back["note"]), (&json!(41.9), &json!("KNBS"), &json!("survey")));
}
