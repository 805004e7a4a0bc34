//! Extreme values: the catalogue's bounds refuse implausible magnitudes, and every value they
//! accept (or that was stored before a bound existed) leaves every page, chart and answer
//! working, with finite numbers, and the server alive.

use crate::support::{Resp, TestApp};
use diesel::connection::SimpleConnection;
use serde_json::{json, Value};

const LARGEST: f64 = f64::MAX;
const COUNTRIES: [&str; 5] = ["KEN", "UGA", "TZA", "IND", "USA"];

fn indicators(app: &TestApp) -> Vec<Value> {
    app.get("/api/v1/indicators").json()["indicators"].as_array().unwrap().clone()
}

fn target_ids(app: &TestApp) -> Vec<String> {
    let targets = app.get("/api/v1/targets").json();
    targets["targets"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_string()).collect()
}

/// Words of a body: `inf`, `NaN` or `infinity` among them is a number that is not finite.
fn non_finite_words(body: &str) -> Vec<String> {
    body.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| ["inf", "nan", "infinity"].contains(&w.to_ascii_lowercase().as_str()))
        .map(str::to_string)
        .collect()
}

#[track_caller]
fn assert_served(response: &Resp, path: &str) {
    assert_eq!(response.status, 200, "{path}: {}", &response.body[..response.body.len().min(500)]);
    assert!(non_finite_words(&response.body).is_empty(), "{path}: {:?}", non_finite_words(&response.body));
}

/// Every page, chart and JSON answer that reads the values answers 200 with finite numbers;
/// charts are well-formed SVG whose coordinates are short finite numbers.
fn assert_everything_answers(app: &TestApp) {
    let ids = target_ids(app);
    let mut json_paths: Vec<String> = vec!["/api/v1/progress".into(), "/api/v1/observations?limit=1000".into()];
    let mut html_paths = vec!["/".to_string()];
    for id in &ids {
        json_paths.push(format!("/api/v1/progress/targets/{id}"));
        html_paths.push(format!("/targets/{id}"));
        let path = format!("/api/v1/progress/targets/{id}/chart.svg");
        let svg = app.get(&path);
        assert_served(&svg, &path);
        let doc = roxmltree::Document::parse(&svg.body).unwrap_or_else(|e| panic!("{path}: not XML: {e}"));
        for node in doc.descendants().filter(|n| n.is_element()) {
            for name in ["x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "width", "height"] {
                if let Some(text) = node.attribute(name) {
                    let number: f64 = text.parse().unwrap_or(f64::NAN);
                    assert!(number.is_finite() && text.len() <= 12, "{path}: {name}={text}");
                }
            }
        }
    }
    for country in COUNTRIES {
        json_paths.push(format!("/api/v1/progress/countries/{country}"));
        html_paths.push(format!("/countries/{country}"));
    }
    for indicator in indicators(app) {
        let code = indicator["code"].as_str().unwrap();
        json_paths.push(format!("/api/v1/indicators/{code}/aggregates?group=WORLD"));
        json_paths.push(format!("/api/v1/indicators/{code}/aggregates?group=AFR&year=2020&explain=true"));
    }
    for path in &json_paths {
        let answer = app.get(path);
        assert_served(&answer, path);
        answer.json();
    }
    for path in html_paths.iter().chain(&["/targets/3.2?lang=zh".to_string()]) {
        assert_served(&app.get(path), path);
    }
    for path in ["/api/v1/observations.csv", "/sdmx/rest/data/CONNECT2030/all?format=csv"] {
        assert_served(&app.get(path), path);
    }
    let sdmx = "/sdmx/rest/data/CONNECT2030/all?format=jsondata";
    assert_served(&app.get(sdmx), sdmx);
    assert_eq!(app.get("/health").status, 200, "the server is alive");
}

#[test]
fn a_value_beyond_an_indicators_bound_is_refused_naming_the_indicator_and_its_bound() {
    let app = TestApp::spawn();
    let key = app.reporter_key("KEN");
    for indicator in indicators(&app).iter().filter(|i| i["unit"] != "boolean") {
        let code = indicator["code"].as_str().unwrap();
        let (min, max) = (indicator["min_value"].as_f64(), indicator["max_value"].as_f64());
        assert!(min.is_some_and(f64::is_finite) && max.is_some_and(f64::is_finite), "{code} is unbounded: {indicator}");
    }
    let cases = [
        ("ewaste_generated_kg", LARGEST, "1000000000000"),
        ("ewaste_recycled_kg", LARGEST, "1000000000000"),
        ("ict_ghg_abatement_mt", -1e308, "-100000"),
        ("ict_ghg_abatement_mt", 1e308, "100000"),
        ("partnerships_count", LARGEST, "1000000"),
    ];
    for (indicator, value, bound) in cases {
        let row = json!({"observations": [{"country": "KEN", "indicator": indicator, "year": 2020, "value": value}]});
        let problem = app.post_json("/api/v1/observations", &key, &row).assert_problem(422, "validation_failed");
        let error = &problem["errors"][0];
        assert_eq!(
            (error["field"].as_str(), error["code"].as_str()),
            (Some("value"), Some("out_of_range")),
            "{problem}"
        );
        let detail = error["detail"].as_str().unwrap();
        assert!(detail.contains(indicator) && detail.contains(bound), "{detail}");
    }
    let csv = "country,indicator,year,value\nKEN,ewaste_generated_kg,2020,1.7976931348623157e308\n";
    let problem = app.post_csv("/api/v1/observations", &key, csv).assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "out_of_range", "{problem}");
    assert_eq!(app.get("/api/v1/observations").json()["observations"], json!([]), "nothing was stored");
}

/// Every country-year of every indicator at one of its bounds (alternating, so one series
/// mixes the most negative and the largest accepted value), yes/no answers, and the smallest
/// positive double as one e-waste total (a ratio over a vanishing denominator).
fn rows_at_the_bounds(app: &TestApp) -> Vec<Value> {
    let mut rows = Vec::new();
    for indicator in indicators(app) {
        let code = indicator["code"].as_str().unwrap();
        let mut breakdowns = vec![json!({})];
        for d in indicator["disaggregations"].as_array().unwrap() {
            for v in d["values"].as_array().unwrap() {
                breakdowns.push(json!({ d["dimension"].as_str().unwrap(): v }));
            }
        }
        for (n, country) in COUNTRIES.iter().enumerate() {
            for year in 2015..=2023 {
                let high = (year + n as i32) % 2 == 0;
                let value = match (indicator["min_value"].as_f64(), indicator["max_value"].as_f64()) {
                    (Some(min), Some(max)) => json!(if high { max } else { min }),
                    _ => json!(high),
                };
                for breakdown in &breakdowns {
                    let row = json!({"country": country, "indicator": code, "year": year, "value": value, "disaggregation": breakdown});
                    rows.push(row);
                }
            }
        }
    }
    for (year, value) in [(2024, 5e-324), (2025, 1e-3)] {
        rows.push(json!({"country": "KEN", "indicator": "ewaste_generated_kg", "year": year, "value": value}));
        rows.push(json!({"country": "KEN", "indicator": "ewaste_recycled_kg", "year": year, "value": 1e12}));
    }
    rows
}

#[test]
fn values_at_the_bounds_leave_every_page_chart_and_answer_working() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let rows = rows_at_the_bounds(&app);
    let report = app.post_json("/api/v1/observations", &admin, &json!({ "observations": rows }));
    assert_eq!(report.status, 201, "{}", &report.body[..report.body.len().min(500)]);
    assert_everything_answers(&app);

    // The world's sums are the exact sums of what was sent, never a vanished value.
    let sent = |code: &str, year: i64| -> f64 {
        let matching = rows.iter().filter(|r| r["indicator"] == code && r["year"] == year);
        matching.map(|r| r["value"].as_f64().unwrap()).sum()
    };
    for code in ["ict_ghg_abatement_mt", "partnerships_count", "ewaste_generated_kg"] {
        let path =
            format!("/api/v1/indicators/{code}/aggregates?group=WORLD&year_from=2015&year_to=2023&estimation=none");
        let answer = app.get(&path).json();
        let series = answer["series"].as_array().unwrap();
        assert_eq!(series.len(), 9, "{path}: {answer}");
        for point in series {
            let year = point["year"].as_i64().unwrap();
            assert_eq!(point["value"].as_f64(), Some(sent(code, year)), "{path} {year}: {point}");
        }
    }
    // Kenya's ratio over 5e-324 kg exceeds a double: no number is shown for that year (nor for
    // the years it generated 0 kg), and the assessment says it ignored one.
    let kenya = app.get("/api/v1/progress/countries/KEN").json();
    let ratio = kenya["targets"].as_array().unwrap().iter().find(|t| t["target"] == "3.2").unwrap();
    let series = ratio["progress"]["series"].as_array().unwrap();
    let years: Vec<_> = series.iter().map(|o| o["year"].as_i64().unwrap()).collect();
    assert_eq!(years, [2016, 2018, 2020, 2022, 2025], "{ratio}");
    let notes = &ratio["progress"]["assessment"]["notes"];
    assert!(notes.as_array().unwrap().contains(&json!("non_finite_values_ignored")), "{ratio}");
    assert!(series.iter().all(|o| o["value"].as_f64().is_some_and(f64::is_finite)), "{ratio}");
}

#[test]
fn values_stored_before_a_bound_existed_are_served_and_an_overflowing_sum_says_so() {
    let app = TestApp::spawn();
    let unbound = "UPDATE indicators SET max_value = NULL WHERE code IN \
                   ('ewaste_generated_kg', 'ewaste_recycled_kg', 'partnerships_count'); \
                   UPDATE indicators SET min_value = NULL, max_value = NULL WHERE code = 'ict_ghg_abatement_mt'";
    app.state.db.get().unwrap().batch_execute(unbound).unwrap();
    // An instance started on the catalogue as it was before the bounds takes the values.
    let before = app.second_instance();
    let admin = app.admin_key();
    let mut rows = Vec::new();
    for country in ["KEN", "UGA"] {
        for code in ["ewaste_generated_kg", "ewaste_recycled_kg", "partnerships_count"] {
            for year in [2015, 2017, 2019] {
                rows.push(json!({"country": country, "indicator": code, "year": year, "value": LARGEST}));
            }
        }
    }
    for (country, value) in [("KEN", -1e308), ("UGA", 1e308)] {
        for year in [2015, 2019] {
            rows.push(json!({"country": country, "indicator": "ict_ghg_abatement_mt", "year": year, "value": value}));
        }
        rows.push(json!({"country": country, "indicator": "ict_ghg_abatement_mt", "year": 2017, "value": -LARGEST}));
    }
    let report = before.post_json("/api/v1/observations", &admin, &json!({ "observations": rows }));
    assert_eq!(report.status, 201, "{}", report.body);
    drop(before);
    let bound = "UPDATE indicators SET max_value = 1000000000000.0 WHERE code IN ('ewaste_generated_kg', 'ewaste_recycled_kg'); \
                 UPDATE indicators SET max_value = 1000000.0 WHERE code = 'partnerships_count'; \
                 UPDATE indicators SET min_value = -100000.0, max_value = 100000.0 WHERE code = 'ict_ghg_abatement_mt'";
    app.state.db.get().unwrap().batch_execute(bound).unwrap();
    // After the upgrade, every restart serves them.
    let restarted = app.second_instance();
    assert_everything_answers(&restarted);

    let world = |code: &str| {
        let path =
            format!("/api/v1/indicators/{code}/aggregates?group=WORLD&year_from=2015&year_to=2019&estimation=none");
        restarted.get(&path).json()["series"].as_array().unwrap().clone()
    };
    for code in ["partnerships_count", "ewaste_generated_kg"] {
        let series = world(code);
        assert_eq!(series.len(), 3, "{code}: every year stays in the series: {series:?}");
        for point in &series {
            assert_eq!(
                (point["value"].clone(), point["withheld"].clone()),
                (Value::Null, json!("overflow")),
                "{point}"
            );
            assert_eq!(point["coverage"]["countries_reporting"], 2, "{point}");
        }
    }
    let ghg = world("ict_ghg_abatement_mt");
    let by_year = |year: i64| ghg.iter().find(|p| p["year"] == year).cloned().unwrap_or_default();
    assert_eq!(by_year(2015)["value"], 0.0, "-1e308 + 1e308 is representable: {ghg:?}");
    assert_eq!(by_year(2017)["withheld"], "overflow", "{ghg:?}");
    let ratio = restarted.get("/api/v1/progress/targets/3.2").json();
    let overflowed = ratio["headline"]["series"].as_array().unwrap().iter().find(|p| p["year"] == 2019).cloned();
    assert_eq!(overflowed.unwrap_or_default()["withheld"], "overflow", "{}", ratio["headline"]);
}
