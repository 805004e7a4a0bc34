//! Big batches: a rejected one names every problem at once, by the file's own line numbers; a
//! good one answers its first 1,000 rows and keeps every row's report for `/submissions/{id}`.

use crate::support::{self, send, TestApp};
use connect2030::db::schema::submissions;
use diesel::prelude::*;
use serde_json::{json, Value};

fn located(problem: &Value) -> Vec<(u64, String)> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["index"].as_u64().unwrap_or(0), e["code"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn csv_errors_name_the_real_line_for_every_line_ending() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let body = "country,indicator,year,value,note\n\
                KEN,individuals_internet_pct,2020,20,\"two\nlines\"\n\
                KEN,individuals_internet_pct,2021,140,\n\
                KEN,individuals_internet_pct,2022\n\
                KEN,individuals_internet_pct,2023,25,\n";
    for (name, text) in [
        ("LF", body.to_string()),
        ("CRLF", body.replace('\n', "\r\n")),
        ("CR", body.replace('\n', "\r")),
        ("BOM", format!("\u{feff}{body}")),
    ] {
        let problem = app.post_csv("/api/v1/observations", &admin, &text).assert_problem(422, "validation_failed");
        assert_eq!(
            located(&problem),
            vec![(4, "out_of_range".to_string()), (5, "wrong_field_count".to_string())],
            "{name}: {problem}"
        );
    }
}

#[test]
fn a_rejected_batch_names_every_problem_of_every_kind_at_once() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    let mut rows = vec![json!({"country": "UGA", "indicator": "individuals_internet_pct", "year": 2020, "value": 20})];
    rows.extend(
        (0..9).map(
            |i| json!({"country": "KEN", "indicator": "individuals_internet_pct", "year": 2010 + i, "value": 140}),
        ),
    );
    rows.push(json!("not an object"));
    let problem = app
        .post_json("/api/v1/observations", &key, &json!({ "observations": rows }))
        .assert_problem(403, "forbidden_country");
    let errors = located(&problem);
    assert_eq!(errors.len(), 11, "{problem}");
    assert_eq!(errors[0], (0, "forbidden_country".to_string()));
    assert!(errors[1..10].iter().all(|(_, code)| code == "out_of_range"), "{problem}");
    assert_eq!(errors[10], (10, "invalid_type".to_string()));

    let csv =
        "country,indicator,year,value\nKEN,individuals_internet_pct,2020\nKEN,individuals_internet_pct,2021,140\n";
    let problem = app.post_csv("/api/v1/observations", &key, csv).assert_problem(422, "validation_failed");
    assert_eq!(located(&problem), vec![(2, "wrong_field_count".to_string()), (3, "out_of_range".to_string())]);
    assert!(app.get("/api/v1/observations").json()["observations"].as_array().unwrap().is_empty());
}

#[test]
fn a_batch_with_thousands_of_problems_lists_the_first_thousand_and_counts_them_all() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let mut csv = String::from("country,indicator,year,value\n");
    for year in 1990..2020 {
        for country in ["KEN", "UGA", "TZA", "RWA", "ETH", "GHA", "NGA", "ZAF", "EGY", "MAR"] {
            for value in [140, 150, 160, 170, 180] {
                csv.push_str(&format!("{country},individuals_internet_pct,{year},{value}\n"));
            }
        }
    }
    let problem = app.post_csv("/api/v1/observations", &admin, &csv).assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"].as_array().unwrap().len(), 1000);
    assert_eq!(problem["errors_total"], 1500, "{}", problem["error_counts"]);
    assert_eq!(problem["error_counts"]["out_of_range"], 1500);
}

/// 1,500 rows of Internet use: 50 member states × 30 years, each value `base` plus its year's
/// offset (half of them `base + 1` when `shifted`).
fn fifteen_hundred_rows(app: &TestApp, base: f64, shifted: bool) -> Value {
    let members = &app.state.catalogue.group("ITU_MEMBERS").unwrap().members;
    let mut rows = Vec::new();
    for (i, member) in members.iter().take(50).enumerate() {
        for year in 1994..2024 {
            let value = base + f64::from(year - 1994) + if shifted && i % 2 == 0 { 1.0 } else { 0.0 };
            rows.push(
                json!({"country": member.iso3, "indicator": "individuals_internet_pct", "year": year, "value": value}),
            );
        }
    }
    json!({ "observations": rows })
}

#[test]
fn a_big_good_batch_answers_its_first_thousand_rows_and_the_submission_lists_them_all() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let first = app.post_json("/api/v1/observations", &admin, &fifteen_hundred_rows(&app, 10.0, false));
    assert_eq!(first.status, 201, "{}", first.body);
    let first = first.json();
    assert_eq!(first["counts"], json!({"created": 1500, "revised": 0, "unchanged": 0, "rejected": 0}));
    assert_eq!(first["rows"].as_array().unwrap().len(), 1000);
    assert_eq!(first["rows_truncated"], true);

    let revise = || {
        let request = app.request("POST", "/api/v1/observations").set("Authorization", &format!("Bearer {admin}"));
        let body = fifteen_hundred_rows(&app, 10.0, true).to_string();
        send(request.set("Idempotency-Key", "round-2"), Some(("application/json", body.as_bytes())))
    };
    let second = revise();
    assert_eq!(second.status, 201, "{}", second.body);
    assert_eq!(revise().json(), second.json(), "a retry replays the same answer");
    let second = second.json();
    assert_eq!(second["counts"], json!({"created": 0, "revised": 750, "unchanged": 750, "rejected": 0}));

    for answer in [&first, &second] {
        let stored = app.get(&format!("/api/v1/submissions/{}", answer["submission_id"])).json()["report"].clone();
        let rows = stored["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 1500);
        assert_eq!(stored["rows_truncated"], false);
        assert_eq!(stored["counts"], answer["counts"]);
        assert_eq!(rows[..1000], answer["rows"].as_array().unwrap()[..], "the answer's rows are the stored ones");
    }
    let stored = app.get(&format!("/api/v1/submissions/{}", second["submission_id"])).json()["report"].clone();
    let revised = &stored["rows"][1469];
    assert_eq!((revised["index"].as_u64(), revised["outcome"].as_str()), (Some(1469), Some("revised")), "{revised}");
    assert_eq!((revised["value"].as_f64(), revised["previous_value"].as_f64()), (Some(40.0), Some(39.0)));
    let unchanged = &stored["rows"][1499];
    assert_eq!((unchanged["outcome"].as_str(), unchanged["value"].as_f64()), (Some("unchanged"), Some(39.0)));
    assert!(unchanged["revision_id"].is_null() && unchanged.get("previous_value").is_none(), "{unchanged}");
}

#[test]
fn reports_stored_whole_by_an_earlier_version_read_back_the_same_after_the_migration() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let rows = json!({"observations": [
        {"country": "KEN", "indicator": "individuals_internet_pct", "year": 2021, "value": 28.0},
        {"country": "KEN", "indicator": "individuals_internet_pct", "year": 2021, "value": 24.5, "disaggregation": {"sex": "female"}},
        {"country": "KEN", "indicator": "netp", "year": 2022, "value": "yes"}
    ]});
    app.post_json("/api/v1/observations", &admin, &rows);
    let mut revised = rows.clone();
    revised["observations"][0]["value"] = json!(29.0);
    let id = app.post_json("/api/v1/observations", &admin, &revised).json()["submission_id"].as_i64().unwrap();
    let before = app.get(&format!("/api/v1/submissions/{id}")).json()["report"].clone();
    assert_eq!(before["counts"], json!({"created": 0, "revised": 1, "unchanged": 2, "rejected": 0}));

    // As an earlier version stored it: the whole report, the breakdown as text.
    let mut whole = before.clone();
    whole.as_object_mut().unwrap().remove("rows_truncated");
    whole["rows"][1]["disaggregation"] = json!("sex=female");
    let mut conn = app.state.db.get().unwrap();
    diesel::update(submissions::table.find(id))
        .set(submissions::report.eq(whole.to_string()))
        .execute(&mut conn)
        .unwrap();
    // Back to before the migration that compacted reports (and the ones after it), then forward.
    support::migrate_again(&mut conn, &["20261202002000", "20261203001000", "20261204001000", "20261208001000"]);
    drop(conn);
    assert_eq!(app.get(&format!("/api/v1/submissions/{id}")).json()["report"], before);
}
