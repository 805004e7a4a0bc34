//! Progress: aggregates recomputed by hand from the bundled files, cache and ETags that move
//! with the data, as_of, methods, yes/no targets.

use crate::support::{send, TestApp};
use serde_json::{json, Value};
use std::collections::HashMap;

fn csv_values(path: &str) -> HashMap<(String, i32), f64> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .map(|line| {
            let mut parts = line.split(',');
            let iso3 = parts.next().unwrap().to_string();
            let year = parts.next().unwrap().parse().unwrap();
            ((iso3, year), parts.next().unwrap().parse().unwrap())
        })
        .collect()
}

fn point(series: &Value, year: i64) -> Value {
    series.as_array().unwrap().iter().find(|p| p["year"] == year).cloned().unwrap_or_else(|| panic!("no {year}"))
}

#[test]
fn without_estimates_the_world_aggregate_is_the_population_weighted_mean_of_reporting_countries() {
    let app = TestApp::spawn_with_public_data();
    let internet = csv_values("reference/data/internet_users_pct.csv");
    let population = csv_values("reference/data/population.csv");
    let (mut weighted, mut weight, mut reporting, mut total_weight) = (0.0, 0.0, 0, 0.0);
    for ((iso3, year), pop) in &population {
        if *year != 2020 {
            continue;
        }
        total_weight += pop;
        if let Some(x) = internet.get(&(iso3.clone(), 2020)) {
            weighted += pop * x;
            weight += pop;
            reporting += 1;
        }
    }
    let expected = weighted / weight;

    let answer = app.get("/api/v1/progress/targets/1.2?estimation=none");
    assert_eq!(answer.status, 200, "{}", answer.body);
    let body = answer.json();
    assert_eq!(body["headline"]["group"], "WORLD");
    assert_eq!(format!("{expected:.3}"), "58.854", "reporters only, as before estimates existed");
    assert_eq!(body["provenance"]["estimation"]["method"], "none");
    let p2020 = point(&body["headline"]["series"], 2020);
    assert!((p2020["value"].as_f64().unwrap() - expected).abs() < 1e-9, "{p2020} vs {expected}");
    assert_eq!(p2020["coverage"]["countries_reporting"], reporting);
    let share = p2020["coverage"]["weight_share"].as_f64().unwrap();
    assert!((share - weight / total_weight).abs() < 1e-9);
    assert_eq!(p2020["meets_min_coverage"], true);

    let same = app
        .get("/api/v1/indicators/individuals_internet_pct/aggregates?group=world&year_from=2020&year_to=2020&estimation=none")
        .json();
    assert_eq!(same["series"].as_array().unwrap().len(), 1);
    assert!((same["series"][0]["value"].as_f64().unwrap() - expected).abs() < 1e-9);

    let assessment = &body["headline"]["assessment"];
    assert_eq!(assessment["method"], "statcan");
    assert_eq!(assessment["base_year"], 2017);
    assert_eq!(assessment["target_value"], 70.0);
    assert!(assessment["thresholds"].as_array().unwrap().len() >= 3);
    assert!(body["provenance"]["data_version"].as_i64().unwrap() >= 1);
    let groups: Vec<_> = body["groups"].as_array().unwrap().iter().map(|g| g["group"].as_str().unwrap()).collect();
    for code in ["AFR", "AMS", "ARB", "ASP", "CIS", "EUR", "LDC", "LLDC", "SIDS", "DEVELOPING", "LIC", "HIC"] {
        assert!(groups.contains(&code), "{code} missing from {groups:?}");
    }
    let kenya = body["countries"].as_array().unwrap().iter().find(|c| c["country"] == "KEN").unwrap();
    assert_eq!(kenya["assessment"]["target_value"], 70.0);
}

#[test]
fn a_low_coverage_year_stays_in_the_series_but_is_not_assessed() {
    let app = TestApp::spawn_with_public_data();
    let body = app.get("/api/v1/progress/targets/1.2?estimation=none").json();
    let p2024 = point(&body["headline"]["series"], 2024);
    assert!(p2024["coverage"]["weight_share"].as_f64().unwrap() < 0.5, "{p2024}");
    assert_eq!(p2024["meets_min_coverage"], false);
    assert_ne!(body["headline"]["assessment"]["current_year"], 2024);
    let lenient = app.get("/api/v1/progress/targets/1.2?estimation=none&min_coverage=0").json();
    assert_eq!(lenient["headline"]["assessment"]["current_year"], 2024);
    app.get("/api/v1/progress?min_coverage=2").assert_problem(400, "invalid_min_coverage");
}

#[test]
fn a_submission_changes_the_answer_and_its_etag_and_as_of_keeps_the_old_one() {
    let app = TestApp::spawn_with_public_data();
    let before = app.get("/api/v1/progress");
    assert_eq!(before.status, 200);
    let etag = before.header("etag").unwrap().to_string();
    assert_eq!(app.get_with("/api/v1/progress", &[("If-None-Match", &etag)]).status, 304);
    let old_2022 =
        point(&app.get("/api/v1/progress/targets/1.2").json()["headline"]["series"], 2022)["value"].as_f64().unwrap();

    std::thread::sleep(std::time::Duration::from_millis(20));
    let instant = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true).replace('+', "%2B");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let admin = app.admin_key();
    let india = json!({"observations": [{"country": "IND", "indicator": "individuals_internet_pct", "year": 2022, "value": 99.0}]});
    assert_eq!(app.post_json("/api/v1/observations", &admin, &india).status, 201);

    let after = app.get_with("/api/v1/progress", &[("If-None-Match", &etag)]);
    assert_eq!(after.status, 200, "new data, new answer");
    assert_ne!(after.header("etag").unwrap(), etag);
    let new_2022 =
        point(&app.get("/api/v1/progress/targets/1.2").json()["headline"]["series"], 2022)["value"].as_f64().unwrap();
    assert!(new_2022 > old_2022 + 1.0, "India at 99% moves the world: {old_2022} -> {new_2022}");

    let then = app.get(&format!("/api/v1/progress/targets/1.2?as_of={instant}")).json();
    let then_2022 = point(&then["headline"]["series"], 2022)["value"].as_f64().unwrap();
    assert!((then_2022 - old_2022).abs() < 1e-12, "as_of reproduces the earlier answer");
}

#[test]
fn methods_are_named_and_chosen_by_parameter() {
    let app = TestApp::spawn_with_public_data();
    for method in ["statcan", "unsd_2022", "unsd_2023"] {
        let body = app.get(&format!("/api/v1/progress/targets/2.2.B?method={method}")).json();
        assert_eq!(body["provenance"]["method"], method);
        assert_eq!(body["headline"]["assessment"]["method"], method);
        assert_eq!(body["headline"]["group"], "LDC");
    }
    app.get("/api/v1/progress?method=magic").assert_problem(400, "invalid_query");
    app.get("/api/v1/progress?carry_forward=11").assert_problem(400, "invalid_query");
    app.get("/api/v1/progress/targets/9.9").assert_problem(404, "unknown_target");
    app.get("/api/v1/progress/countries/XXZ").assert_problem(404, "unknown_country");
    app.get("/api/v1/indicators/nope/aggregates").assert_problem(404, "unknown_indicator");
    app.get("/api/v1/indicators/netp/aggregates?group=NOPE").assert_problem(400, "unknown_group");
}

#[test]
fn carrying_values_forward_is_declared_and_counted_apart() {
    let app = TestApp::spawn_with_public_data();
    let plain = point(&app.get("/api/v1/progress/targets/1.2?estimation=none").json()["headline"]["series"], 2023);
    let carried = app.get("/api/v1/progress/targets/1.2?carry_forward=2").json();
    assert_eq!(carried["provenance"]["estimation"], json!({"method": "carry_forward", "horizon": 2, "trend_years": 0}));
    assert_eq!(carried["provenance"]["carry_forward"], 2);
    let carried = point(&carried["headline"]["series"], 2023);
    assert_eq!(plain["coverage"]["countries_imputed"], 0);
    let imputed = carried["coverage"]["countries_imputed"].as_u64().unwrap();
    assert!(imputed > 0, "{carried}");
    assert_eq!(
        carried["coverage"]["countries_reporting"].as_u64().unwrap(),
        plain["coverage"]["countries_reporting"].as_u64().unwrap() + imputed
    );
    assert!(carried["coverage"]["imputed_weight_share"].as_f64().unwrap() > 0.0);
}

#[test]
fn yes_no_targets_count_yes_no_and_no_data_apart() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let answer = |country: &str, indicator: &str, value: &str| json!({"country": country, "indicator": indicator, "year": 2022, "value": value});
    let rows = vec![
        answer("KEN", "netp", "yes"),
        answer("FRA", "netp", "yes"),
        answer("BRA", "netp", "no"),
        answer("KEN", "cybersecurity_strategy", "yes"),
        answer("KEN", "national_cirt", "yes"),
        answer("KEN", "cybercrime_legislation", "yes"),
        answer("FRA", "cybersecurity_strategy", "yes"),
        answer("FRA", "national_cirt", "no"),
        answer("BRA", "cybersecurity_strategy", "yes"),
    ];
    assert_eq!(app.post_json("/api/v1/observations", &admin, &json!({ "observations": rows })).status, 201);
    let netp = app.get("/api/v1/progress/targets/3.5?min_coverage=0").json();
    let p = point(&netp["headline"]["series"], 2022);
    assert_eq!(p["answers"]["yes"], 2);
    assert_eq!(p["answers"]["no"], 1);
    assert_eq!(p["answers"]["no_data"], 190, "193 member states in 2022 (Palau joined in 2024); missing is never `no`");
    assert!((p["value"].as_f64().unwrap() - 100.0 * 2.0 / 193.0).abs() < 1e-9);
    let kenya = netp["countries"].as_array().unwrap().iter().find(|c| c["country"] == "KEN").unwrap();
    assert_eq!(kenya["answer"], json!({"yes": true, "year": 2022}));
    let brazil = netp["countries"].as_array().unwrap().iter().find(|c| c["country"] == "BRA").unwrap();
    assert_eq!(brazil["answer"]["yes"], false);

    let cyber = point(&app.get("/api/v1/progress/targets/3.1?min_coverage=0").json()["headline"]["series"], 2022);
    assert_eq!(cyber["answers"]["yes"], 1, "only Kenya has all three");
    assert_eq!(cyber["answers"]["no"], 1, "France lacks a CIRT");
    assert_eq!(cyber["answers"]["no_data"], 191, "Brazil's partial answers are unknown, not no");

    let kenya = app.get("/api/v1/progress/countries/KEN").json();
    let lines = kenya["targets"].as_array().unwrap();
    assert_eq!(lines.len(), 24);
    let netp_line = lines.iter().find(|l| l["target"] == "3.5").unwrap();
    assert_eq!(netp_line["progress"]["answer"]["yes"], true);
}

#[test]
fn progress_answers_are_cached_per_data_version_and_shared_by_etag() {
    let app = TestApp::spawn_with_public_data();
    let first = app.get("/api/v1/progress/countries/KEN");
    let second = app.get("/api/v1/progress/countries/KEN");
    assert_eq!(first.body, second.body);
    assert_eq!(first.header("etag"), second.header("etag"));
    let hits = app.state.progress.answers.counts().hits;
    assert!(hits >= 1, "the second answer came from memory");
    let zh = app.get_with("/api/v1/progress/countries/KEN", &[("Accept-Language", "zh")]);
    assert_ne!(zh.header("etag"), first.header("etag"));
    assert_eq!(zh.header("content-language"), Some("zh"));
    let stale = send(app.request("GET", "/api/v1/progress/countries/KEN").set("If-None-Match", "\"stale\""), None);
    assert_eq!(stale.status, 200);
}

#[test]
fn loading_the_bundled_data_twice_adds_nothing() {
    let app = TestApp::spawn_with_public_data();
    let before = app.get("/api/v1/progress").json()["provenance"].clone();
    let summary = connect2030::public_data::load(&app.state).unwrap();
    assert_eq!(summary.changed, 0);
    assert!(summary.rows > 6000);
    let after = app.get("/api/v1/progress").json()["provenance"].clone();
    assert_eq!(before["data_version"], after["data_version"]);
    assert_eq!(after["values"], summary.rows);
}
