//! Tests of the tracking module over a small hand-built catalogue. Every expected number is
//! computed by hand in the comment next to it.
//!
//! The fixture:
//!
//! | economy | population            | groups (dates: membership on 1 July counts)                |
//! |---------|-----------------------|------------------------------------------------------------|
//! | AAA     | 100 to 2019, then 200 | WORLD, ITU_MEMBERS, DEVELOPING, LDC until 2020-12-04, SOLO |
//! | BBB     | 300                   | WORLD, ITU_MEMBERS, DEVELOPING, LDC                        |
//! | CCC     | 400                   | WORLD, ITU_MEMBERS, DEVELOPED                              |
//! | DDD     | 100                   | WORLD, ITU_MEMBERS, DEVELOPED                              |
//! | NEW     | 50                    | WORLD, ITU_MEMBERS from 2024-09-19 (so from 2025), DEVELOPING |
//! | EAR     | 30                    | WORLD, ITU_MEMBERS from 2024-03-01 (so from 2024)          |
//! | TER     | 20                    | WORLD, DEVELOPING (never a member state)                   |
//!
//! World population: 1000 up to 2019, 1100 from 2020.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::default_min_reported;
use super::measure::members_in_year;
use super::{
    breakdown, country_progress, group_progress, headline, indicator_series, CountryProgress, DataSet, GroupProgress,
    Inputs, MeasureSpec, Options, Point, DEFAULT_MIN_COVERAGE, DEFAULT_MIN_REPORTED, FIRST_YEAR,
};
use crate::domain::catalogue::{
    Aggregation, Catalogue, Direction, Disaggregation, Economy, Group, Indicator, Localized, Measure, Membership, Rule,
    RuleKind, Target, Unit, ITU_MEMBERS,
};
use crate::domain::estimation::{Basis, Estimation};
use crate::domain::progress::methods::reasons;
use crate::domain::progress::{g, Method, ProgressStatus as S, WeightBasis};
use Direction::{HigherIsBetter as Higher, LowerIsBetter as Lower};

mod countries;
mod estimates;
mod extremes;
mod groups;
mod levels;
mod measures;
mod parity_shares;

// ---------------------------------------------------------------------------------------
// Fixture
// ---------------------------------------------------------------------------------------

const ECONOMIES: [(&str, &str); 7] = [
    ("AAA", "Alphaland"),
    ("BBB", "Betaland"),
    ("CCC", "Gammaland"),
    ("DDD", "Deltaland"),
    ("NEW", "Newland"),
    ("EAR", "Earlyland"),
    ("TER", "Territory"),
];

fn population(iso3: &str, year: i32) -> i64 {
    match iso3 {
        "AAA" if year < 2020 => 100,
        "AAA" => 200,
        "BBB" => 300,
        "CCC" => 400,
        "DDD" => 100,
        "NEW" => 50,
        "EAR" => 30,
        "TER" => 20,
        _ => unreachable!("no population for {iso3}"),
    }
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    Some(NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn always(iso3: &str) -> Membership {
    Membership { iso3: iso3.to_string(), valid_from: None, valid_to: None }
}

fn group(code: &str, kind: &str, members: Vec<Membership>) -> Group {
    Group {
        code: code.to_string(),
        name: format!("{code} (test)"),
        kind: kind.to_string(),
        description: String::new(),
        source: "test".to_string(),
        members,
    }
}

fn indicator(code: &str, unit: Unit, range: (Option<f64>, Option<f64>), direction: Direction) -> Indicator {
    let aggregation = match unit {
        Unit::Boolean => Aggregation::ShareOfCountries,
        Unit::Kg | Unit::Count => Aggregation::Sum,
        _ => Aggregation::PopulationWeightedMean,
    };
    Indicator {
        code: code.to_string(),
        name: code.to_string(),
        unit,
        min_value: range.0,
        max_value: range.1,
        direction,
        aggregation,
        disaggregations: Vec::new(),
        note: None,
        first_year: 1960,
    }
}

fn rule(kind: RuleKind, target_value: Option<f64>, direction: Direction, group: &str) -> Rule {
    Rule {
        kind,
        target_value,
        comparator: ">=".to_string(),
        direction,
        group: group.to_string(),
        comparison_group: None,
        deadline_year: 2023,
        baseline_year: None,
        measure: Measure::Single,
    }
}

fn target(id: &str, rule: Rule, indicators: &[&str]) -> Target {
    Target {
        id: id.to_string(),
        goal: 1,
        position: 1,
        text: Localized { en: id.to_string(), zh: id.to_string() },
        rule,
        indicators: indicators.iter().map(|s| s.to_string()).collect(),
        source: "test".to_string(),
        wording_verified: true,
    }
}

fn catalogue() -> Catalogue {
    use RuleKind::*;
    let economies = ECONOMIES
        .iter()
        .map(|(iso3, name)| Economy {
            iso3: iso3.to_string(),
            iso2: None,
            m49: None,
            name: format!("Republic of {name}"),
            short_name: name.to_string(),
            un_region: None,
            un_subregion: None,
            status: None,
        })
        .collect();
    let population = ECONOMIES
        .iter()
        .map(|(c, _)| (c.to_string(), (2000..=2030).map(|y| (y, population(c, y))).collect()))
        .collect();
    let members = |codes: &[&str]| codes.iter().map(|c| always(c)).collect::<Vec<_>>();
    let mut itu = members(&["AAA", "BBB", "CCC", "DDD"]);
    itu.push(Membership { iso3: "NEW".into(), valid_from: date(2024, 9, 19), valid_to: None });
    itu.push(Membership { iso3: "EAR".into(), valid_from: date(2024, 3, 1), valid_to: None });
    let ldc = vec![Membership { iso3: "AAA".into(), valid_from: None, valid_to: date(2020, 12, 4) }, always("BBB")];
    let groups = vec![
        group("WORLD", "world", members(&["AAA", "BBB", "CCC", "DDD", "NEW", "EAR", "TER"])),
        group(ITU_MEMBERS, "membership", itu),
        group("DEVELOPING", "development", members(&["AAA", "BBB", "NEW", "TER"])),
        group("DEVELOPED", "development", members(&["CCC", "DDD"])),
        group("LDC", "un_category", ldc),
        group("SOLO", "test", members(&["AAA"])),
    ];
    let pct = (Some(0.0), Some(100.0));
    let per_100 = (Some(0.0), Some(400.0));
    let non_negative = (Some(0.0), None);
    let mut internet = indicator("internet_pct", Unit::Percent, pct, Higher);
    internet.disaggregations = Disaggregation::parse_list("sex:female|male").unwrap();
    let indicators = vec![
        internet,
        indicator("price_fixed_pct", Unit::Percent, pct, Lower),
        indicator("price_mobile_pct", Unit::Percent, pct, Lower),
        indicator("fixed_per100", Unit::Per100, per_100, Higher),
        indicator("mobile_per100", Unit::Per100, per_100, Higher),
        indicator("ewaste_recycled_kg", Unit::Kg, non_negative, Higher),
        indicator("ewaste_generated_kg", Unit::Kg, non_negative, Lower),
        indicator("partnerships_count", Unit::Count, non_negative, Higher),
        indicator("strategy", Unit::Boolean, (None, None), Higher),
        indicator("cirt", Unit::Boolean, (None, None), Higher),
        indicator("legislation", Unit::Boolean, (None, None), Higher),
    ];
    let since_2017 = |r: Rule| Rule { baseline_year: Some(2017), ..r };
    let worked = |r: Rule| Rule { baseline_year: Some(2015), deadline_year: 2030, ..r };
    let targets = vec![
        target("L.H", rule(Level, Some(60.0), Higher, "WORLD"), &["internet_pct"]),
        target(
            "L.L",
            Rule { comparator: "<=".into(), ..rule(Level, Some(3.0), Lower, "DEVELOPING") },
            &["price_fixed_pct"],
        ),
        target(
            "RC.S",
            since_2017(Rule { measure: Measure::Sum, ..rule(RelativeChange, Some(50.0), Higher, "WORLD") }),
            &["fixed_per100", "mobile_per100"],
        ),
        target(
            "RC.E",
            since_2017(Rule { measure: Measure::Each, ..rule(RelativeChange, Some(-25.0), Lower, "WORLD") }),
            &["price_mobile_pct", "price_fixed_pct"],
        ),
        target(
            "GAP",
            since_2017(Rule {
                comparison_group: Some("DEVELOPED".into()),
                ..rule(GapReduction, Some(25.0), Lower, "DEVELOPING")
            }),
            &["price_fixed_pct"],
        ),
        target("PAR", rule(Parity, Some(1.0), Higher, "WORLD"), &["internet_pct"]),
        target(
            "SHR.ALL",
            Rule { measure: Measure::AllYes, ..rule(ShareOfCountries, Some(100.0), Higher, ITU_MEMBERS) },
            &["strategy", "cirt", "legislation"],
        ),
        target("SHR.ONE", rule(ShareOfCountries, Some(50.0), Higher, ITU_MEMBERS), &["strategy"]),
        target("CNT", since_2017(rule(CountIncrease, None, Higher, ITU_MEMBERS)), &["partnerships_count"]),
        target(
            "RATIO",
            Rule { measure: Measure::Ratio, ..rule(Level, Some(30.0), Higher, "WORLD") },
            &["ewaste_recycled_kg", "ewaste_generated_kg"],
        ),
        target("WEX", worked(rule(Level, Some(100.0), Higher, "SOLO")), &["internet_pct"]),
        target("WEX.L", worked(rule(Level, Some(2.0), Lower, "SOLO")), &["price_fixed_pct"]),
    ];
    Catalogue { goals: Vec::new(), targets, indicators, economies, groups, population, ..Default::default() }
}

fn options() -> Options {
    Options {
        method: Method::Statcan,
        estimation: Estimation::NONE,
        min_coverage: DEFAULT_MIN_COVERAGE,
        min_reported: DEFAULT_MIN_REPORTED,
        as_of_year: 2025,
    }
}

fn with(f: impl FnOnce(&mut Options)) -> Options {
    let mut o = options();
    f(&mut o);
    o
}

/// Yes/no answers (strategy, cirt, legislation); TER is not a member state.
///   2017: AAA y y y; BBB y n –; CCC y y –; DDD –; TER n y y
///   2023: AAA y y y; BBB y y y; CCC y y y; DDD y n y; TER n y y
///   2025: NEW y y y (member from 2025); nobody else
fn answers() -> DataSet {
    let mut data = DataSet::default();
    let rows: &[(&str, i32, [Option<f64>; 3])] = &[
        ("AAA", 2017, [Some(1.0), Some(1.0), Some(1.0)]),
        ("BBB", 2017, [Some(1.0), Some(0.0), None]),
        ("CCC", 2017, [Some(1.0), Some(1.0), None]),
        ("TER", 2017, [Some(0.0), Some(1.0), Some(1.0)]),
        ("AAA", 2023, [Some(1.0), Some(1.0), Some(1.0)]),
        ("BBB", 2023, [Some(1.0), Some(1.0), Some(1.0)]),
        ("CCC", 2023, [Some(1.0), Some(1.0), Some(1.0)]),
        ("DDD", 2023, [Some(1.0), Some(0.0), Some(1.0)]),
        ("TER", 2023, [Some(0.0), Some(1.0), Some(1.0)]),
        ("NEW", 2025, [Some(1.0), Some(1.0), Some(1.0)]),
    ];
    for &(c, year, values) in rows {
        for (indicator, v) in ["strategy", "cirt", "legislation"].into_iter().zip(values) {
            if let Some(v) = v {
                data.insert(indicator, "", c, year, v);
            }
        }
    }
    data
}

/// Inserts total (not disaggregated) values `(country, year, value)`.
fn put(data: &mut DataSet, indicator: &str, rows: &[(&str, i32, f64)]) {
    put_by(data, indicator, "", rows);
}

fn put_by(data: &mut DataSet, indicator: &str, disaggregation: &str, rows: &[(&str, i32, f64)]) {
    for &(country, year, value) in rows {
        data.insert(indicator, disaggregation, country, year, value);
    }
}

fn spec_of(cat: &Catalogue, target: &str) -> MeasureSpec {
    MeasureSpec::of_target(cat.target(target).unwrap(), cat).unwrap()
}

fn progress(cat: &Catalogue, data: &DataSet, options: Options, target: &str, group: &str) -> GroupProgress {
    let t = cat.target(target).unwrap();
    let spec = MeasureSpec::of_target(t, cat).unwrap();
    group_progress(Inputs { catalogue: cat, data, options }, t, &spec, cat.group(group).unwrap(), true)
}

fn country(cat: &Catalogue, data: &DataSet, options: Options, target: &str, iso3: &str) -> CountryProgress {
    let t = cat.target(target).unwrap();
    let spec = MeasureSpec::of_target(t, cat).unwrap();
    country_progress(Inputs { catalogue: cat, data, options }, t, &spec, iso3, false)
}

fn points(
    cat: &Catalogue,
    data: &DataSet,
    options: Options,
    spec: &MeasureSpec,
    group: &str,
    years: (i32, i32),
) -> Vec<Point> {
    indicator_series(Inputs { catalogue: cat, data, options }, spec, cat.group(group).unwrap(), years.0, years.1)
}

fn point(series: &[Point], year: i32) -> &Point {
    series.iter().find(|p| p.year == year).unwrap_or_else(|| panic!("no point for {year} in {series:?}"))
}

fn years(series: &[Point]) -> Vec<i32> {
    series.iter().map(|p| p.year).collect()
}

#[track_caller]
fn close(got: Option<f64>, want: f64) {
    let got = got.unwrap_or_else(|| panic!("expected ≈ {want}, got None"));
    assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "expected ≈ {want}, got {got}");
}

/// Year, value, countries reporting, countries in group, weight share.
type PointWant = (i32, f64, usize, usize, f64);

#[track_caller]
fn check_point(p: &Point, (year, value, reporting, in_group, weight_share): PointWant) {
    assert_eq!(p.year, year);
    close(p.value, value);
    assert_eq!(p.coverage.countries_reporting, reporting, "reporting in {year}");
    assert_eq!(p.coverage.countries_in_group, in_group, "in group in {year}");
    close(p.coverage.weight_share, weight_share);
}
