//! Estimates in aggregates, with the bundled data: the world figure next to the World Bank's,
//! the coverage split, explanations, the reported floor, the single-point rule, population.

use crate::support::TestApp;
use serde_json::{json, Value};

const AGGREGATES: &str = "/api/v1/indicators/individuals_internet_pct/aggregates";

/// World Bank WDI world figures of IT.NET.USER.ZS (the older vintage, which includes ITU's
/// own estimates for countries that did not report).
const WDI_WORLD: [(i64, f64); 9] = [
    (2015, 39.9),
    (2016, 42.9),
    (2017, 45.4),
    (2018, 48.6),
    (2019, 53.2),
    (2020, 59.3),
    (2021, 62.2),
    (2022, 64.4),
    (2023, 67.4),
];

fn point(series: &Value, year: i64) -> &Value {
    series.as_array().unwrap().iter().find(|p| p["year"] == year).unwrap_or_else(|| panic!("no {year}"))
}

fn share(p: &Value, field: &str) -> f64 {
    p["coverage"][field].as_f64().unwrap_or_else(|| panic!("no {field} in {p}"))
}

#[test]
fn with_default_estimates_the_world_internet_figure_stands_next_to_the_world_banks() {
    let app = TestApp::spawn_with_public_data();
    let body = app.get(&format!("{AGGREGATES}?group=WORLD&year_from=2015&year_to=2023")).json();
    assert_eq!(body["provenance"]["estimation"], json!({"method": "trend", "horizon": 5, "trend_years": 5}));
    for (year, wdi) in WDI_WORLD {
        let p = point(&body["series"], year);
        let value = p["value"].as_f64().unwrap();
        if year <= 2022 {
            assert!((value - wdi).abs() <= 1.0, "{year}: {value:.2} vs WDI {wdi}");
        }
        assert!(share(p, "weight_share") >= 0.99, "{year}: {p}");
    }
    // Without estimates, 2021 and 2023 (India silent) are off by more than 3 points.
    let plain = app.get(&format!("{AGGREGATES}?group=WORLD&year_from=2021&year_to=2023&estimation=none")).json();
    assert!((point(&plain["series"], 2021)["value"].as_f64().unwrap() - 62.2).abs() > 3.0);
}

#[test]
fn each_point_splits_its_weight_by_how_the_values_were_obtained() {
    let app = TestApp::spawn_with_public_data();
    let trend = app.get(&format!("{AGGREGATES}?group=WORLD&year=2021")).json();
    let p = point(&trend["series"], 2021);
    let parts = ["reported", "interpolated", "extrapolated", "carried", "missing"]
        .map(|b| share(p, &format!("{b}_weight_share")));
    assert!((parts.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{parts:?}");
    assert!((0.78..0.79).contains(&parts[0]), "2021: India (a sixth of the world) did not report: {parts:?}");
    assert!(parts[1] > 0.15, "India is interpolated between 2020 and 2022: {parts:?}");
    assert!((share(p, "imputed_weight_share") - parts[1] - parts[2] - parts[3]).abs() < 1e-9);
    // Reporters only: the reported share is the whole coverage; nothing is estimated.
    let none = app.get(&format!("{AGGREGATES}?group=WORLD&year=2021&estimation=none")).json();
    let q = point(&none["series"], 2021);
    assert!((share(q, "reported_weight_share") - parts[0]).abs() < 1e-12);
    assert_eq!(share(q, "imputed_weight_share"), 0.0);
    assert!((share(q, "missing_weight_share") - (1.0 - parts[0])).abs() < 1e-9);
    // carry_forward: what is estimated is carried.
    let carried = app.get(&format!("{AGGREGATES}?group=WORLD&year=2021&estimation=carry_forward")).json();
    let c = point(&carried["series"], 2021);
    assert!(share(c, "carried_weight_share") > 0.15 && share(c, "interpolated_weight_share") == 0.0, "{c}");
}

#[test]
fn an_explanation_lists_every_member_and_reproduces_its_aggregate() {
    let app = TestApp::spawn_with_public_data();
    for estimation in ["trend", "none", "carry_forward"] {
        let body = app.get(&format!("{AGGREGATES}?group=WORLD&year=2021&explain=true&estimation={estimation}")).json();
        let e = &body["explanation"];
        let members = e["members"].as_array().unwrap();
        assert_eq!(members.len() as u64, e["point"]["coverage"]["countries_in_group"].as_u64().unwrap());
        let (mut sum, mut weight) = (0.0, 0.0);
        for m in members {
            if let (Some(v), Some(w)) = (m["value"].as_f64(), m["weight"].as_f64()) {
                sum += v * w;
                weight += w;
            }
        }
        let aggregate = e["point"]["value"].as_f64().unwrap();
        assert!((sum / weight - aggregate).abs() < 1e-9, "{estimation}: {} vs {aggregate}", sum / weight);
        assert_eq!(e["point"], *point(&body["series"], 2021), "the same point as the series");
        let india = members.iter().find(|m| m["country"] == "IND").unwrap();
        match estimation {
            "trend" => {
                assert_eq!(india["basis"], "interpolated");
                assert_eq!(india["source_years"], json!([2020, 2022]));
                // (43.4054 + 55.9) / 2, weighted by India's 2021 population.
                assert!((india["value"].as_f64().unwrap() - 49.6527).abs() < 1e-9);
                assert_eq!(india["population_year"], 2021);
                assert_eq!(india["weight"], india["population"]);
            }
            "none" => assert_eq!((&india["basis"], &india["value"]), (&json!("missing"), &Value::Null)),
            _ => assert_eq!((&india["basis"], &india["source_years"]), (&json!("carried"), &json!([2020]))),
        }
    }
    let africa = app.get(&format!("{AGGREGATES}?group=AFR&year=2022&explain=true")).json();
    let nga = africa["explanation"]["members"].as_array().unwrap().iter().find(|m| m["country"] == "NGA").unwrap();
    assert_eq!((&nga["basis"], &nga["source_years"]), (&json!("reported"), &json!([2022])));
    assert_eq!((&nga["value"], &nga["member_from"], &nga["member_to"]), (&json!(37.6975), &Value::Null, &Value::Null));
    app.get(&format!("{AGGREGATES}?explain=true")).assert_problem(400, "year_required");
    app.get(&format!("{AGGREGATES}?year=2020&year_from=2019")).assert_problem(400, "conflicting_years");
}

#[test]
fn a_year_resting_mostly_on_estimates_is_flagged_and_never_assessed() {
    let app = TestApp::spawn_with_public_data();
    let body = app.get("/api/v1/progress/targets/1.2").json();
    // 2024: 49 economies reported, 0.39 of the world; estimates bring it above 0.99.
    let p2024 = point(&body["headline"]["series"], 2024);
    assert!(share(p2024, "weight_share") > 0.99 && share(p2024, "reported_weight_share") < 0.5, "{p2024}");
    assert_eq!((&p2024["meets_min_reported"], &p2024["meets_min_coverage"]), (&json!(false), &json!(false)));
    let headline = &body["headline"];
    assert_eq!(headline["assessment"]["current_year"], 2023, "the latest year mostly reported");
    assert_eq!(headline["latest"]["year"], 2023);
    let estimated = headline["current_estimated_share"].as_f64().unwrap();
    assert!((estimated - share(point(&headline["series"], 2023), "imputed_weight_share")).abs() < 1e-12);
    assert!(estimated > 0.2, "India is estimated in 2023: {estimated}");
    assert!(headline["base_estimated_share"].as_f64().unwrap() < 0.02);
    // A lower floor admits 2024.
    let lenient = app.get("/api/v1/progress/targets/1.2?min_reported=0.3").json();
    assert_eq!(lenient["headline"]["assessment"]["current_year"], 2024);
    assert_eq!(lenient["provenance"]["min_reported"], 0.3);
    app.get("/api/v1/progress?min_reported=1.5").assert_problem(400, "invalid_min_reported");
}

#[test]
fn a_single_data_point_already_meeting_the_target_is_achieved() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let rows = json!({"observations": [
        {"country": "KEN", "indicator": "households_internet_pct", "year": 2022, "value": 80.0},
        {"country": "UGA", "indicator": "households_internet_pct", "year": 2022, "value": 20.0},
    ]});
    assert_eq!(app.post_json("/api/v1/observations", &admin, &rows).status, 201);
    let line = |iso3: &str| {
        let body = app.get(&format!("/api/v1/progress/countries/{iso3}")).json();
        body["targets"].as_array().unwrap().iter().find(|l| l["target"] == "1.1").unwrap()["progress"]["assessment"]
            .clone()
    };
    let kenya = line("KEN");
    assert_eq!((&kenya["status"], &kenya["reason"]), (&json!("target_achieved"), &Value::Null), "80 ≥ 65: {kenya}");
    let uganda = line("UGA");
    assert_eq!((&uganda["status"], &uganda["reason"]), (&json!("insufficient_data"), &json!("single_data_point")));
}

#[test]
fn a_countrys_own_assessment_never_uses_estimates() {
    let app = TestApp::spawn_with_public_data();
    let assessments = |query: &str| {
        let body = app.get(&format!("/api/v1/progress/countries/IND?{query}")).json();
        body["targets"].as_array().unwrap().iter().map(|l| l["progress"].clone()).collect::<Vec<_>>()
    };
    let trend = assessments("estimation=trend");
    assert_eq!(trend, assessments("estimation=none"));
    assert_eq!(trend, assessments("carry_forward=3"));
}

#[test]
fn estimation_parameters_are_checked() {
    let app = TestApp::spawn();
    app.get("/api/v1/progress?estimation=magic").assert_problem(400, "invalid_query");
    app.get("/api/v1/progress?estimation=trend&carry_forward=2").assert_problem(400, "conflicting_estimation");
    app.get("/api/v1/progress?carry_forward=2&horizon=3").assert_problem(400, "conflicting_estimation");
    app.get("/api/v1/progress?horizon=11").assert_problem(400, "invalid_query");
    app.get("/api/v1/progress?trend_years=0").assert_problem(400, "invalid_query");
    let body = app.get("/api/v1/progress?estimation=trend&horizon=3&trend_years=2").json();
    assert_eq!(body["provenance"]["estimation"], json!({"method": "trend", "horizon": 3, "trend_years": 2}));
}

#[test]
fn population_by_year_is_served_for_every_economy() {
    let app = TestApp::spawn();
    let body = app.get("/api/v1/countries/ind/population").json();
    assert_eq!(body["country"], "IND");
    let figures = body["figures"].as_array().unwrap();
    let years: Vec<_> = figures.iter().map(|f| f["year"].as_i64().unwrap()).collect();
    assert!(years.windows(2).all(|w| w[0] < w[1]) && years.contains(&2021), "{years:?}");
    let csv = std::fs::read_to_string("reference/data/population.csv").unwrap();
    let want: i64 =
        csv.lines().find(|l| l.starts_with("IND,2021,")).unwrap().rsplit(',').next().unwrap().parse().unwrap();
    assert_eq!(figures.iter().find(|f| f["year"] == 2021).unwrap()["value"], want);
    app.get("/api/v1/countries/XXZ/population").assert_problem(404, "unknown_country");
}
