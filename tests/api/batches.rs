//! Rejected batches: every problem named at once, by the file's own line numbers.

use crate::support::TestApp;
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
