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

#[test]
fn an_unterminated_quote_is_a_422_naming_the_line_where_it_opens_in_csv_and_sdmx_csv() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    let flow = "C2030:CONNECT2030(1.0)";
    let bodies = [
        (
            "text/csv",
            "country,indicator,year,value,source\n\
             KEN,individuals_internet_pct,2004,101,KNBS\n\
             KEN,individuals_internet_pct,2005,9.5,\"abc\n\
             KEN,individuals_internet_pct,2006,10.5,KNBS\n\
             KEN,individuals_internet_pct,2007,11.5,KNBS\n"
                .to_string(),
        ),
        (
            "application/vnd.sdmx.data+csv; version=1.0.0",
            format!(
                "DATAFLOW,FREQ,REF_AREA,INDICATOR,SEX,URBANISATION,TIME_PERIOD,OBS_VALUE,SOURCE_DETAIL\r\n\
                 {flow},A,KEN,individuals_internet_pct,_T,_T,2004,101,KNBS\r\n\
                 {flow},A,KEN,individuals_internet_pct,_T,_T,2005,9.5,\"abc\r\n\
                 {flow},A,KEN,individuals_internet_pct,_T,_T,2006,10.5,KNBS\r\n"
            ),
        ),
        (
            "application/vnd.sdmx.data+csv; version=2.0.0",
            format!(
                "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,INDICATOR,SEX,URBANISATION,TIME_PERIOD,OBS_VALUE,SOURCE_DETAIL\n\
                 dataflow,{flow},I,A,KEN,individuals_internet_pct,_T,_T,2004,101,KNBS\n\
                 dataflow,{flow},I,A,KEN,individuals_internet_pct,_T,_T,2005,9.5,\"abc\n\
                 dataflow,{flow},I,A,KEN,individuals_internet_pct,_T,_T,2006,10.5,KNBS"
            ),
        ),
    ];
    for (content_type, body) in &bodies {
        let problem = post(&app, &key, content_type, body).assert_problem(422, "validation_failed");
        let errors: Vec<_> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["index"].as_u64().unwrap(), e["code"].as_str().unwrap()))
            .collect();
        // Every problem at once: the bad value of line 2 and the quote that line 3 opens.
        assert_eq!(errors, [(2, "out_of_range"), (3, "unterminated_quote")], "{content_type}: {problem}");
        let detail = problem["errors"][1]["detail"].as_str().unwrap();
        assert!(detail.contains("line 3"), "{detail}");
    }
    nothing_stored(&app);
    // Closing the quote makes a good batch (the fixed value too): one row per line.
    let (content_type, body) = &bodies[0];
    let fixed = body.replace("\"abc", "\"abc\"").replace(",101,", ",10,");
    let report = post(&app, &key, content_type, &fixed);
    assert_eq!(report.status, 201, "{}", report.body);
    assert_eq!(report.json()["counts"]["created"], 4);
}
