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

use super::measure::members_in_year;
use super::{
    breakdown, country_progress, group_progress, headline, indicator_series, CountryProgress, DataSet, GroupProgress,
    Inputs, MeasureSpec, Options, Point, DEFAULT_MIN_COVERAGE, FIRST_YEAR,
};
use crate::domain::catalogue::{
    Aggregation, Catalogue, Direction, Disaggregation, Economy, Group, Indicator, Localized, Measure, Membership, Rule,
    RuleKind, Target, Unit, ITU_MEMBERS,
};
use crate::domain::progress::methods::reasons;
use crate::domain::progress::{g, Method, ProgressStatus as S, WeightBasis};
use Direction::{HigherIsBetter as Higher, LowerIsBetter as Lower};

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
    let population =
        ECONOMIES.iter().flat_map(|(c, _)| (2000..=2030).map(|y| ((c.to_string(), y), population(c, y)))).collect();
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
    Options { method: Method::Statcan, carry_forward: 0, min_coverage: DEFAULT_MIN_COVERAGE, as_of_year: 2025 }
}

fn with(f: impl FnOnce(&mut Options)) -> Options {
    let mut o = options();
    f(&mut o);
    o
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
    country_progress(Inputs { catalogue: cat, data, options }, t, &spec, iso3)
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

// ---------------------------------------------------------------------------------------
// Groups, membership and weighted means
// ---------------------------------------------------------------------------------------

#[test]
fn membership_in_a_year_is_membership_on_1_july() {
    let cat = catalogue();
    let all = ["AAA", "BBB", "CCC", "DDD", "NEW", "EAR", "TER"];
    let cases: &[(&str, Option<&str>, i32, &[&str])] = &[
        // AAA graduates on 2020-12-04: still an LDC on 1 July 2020, not in 2021.
        ("LDC", None, 2020, &["AAA", "BBB"]),
        ("LDC", None, 2021, &["BBB"]),
        (ITU_MEMBERS, None, 2023, &["AAA", "BBB", "CCC", "DDD"]),
        // EAR joined on 2024-03-01 (before 1 July), NEW on 2024-09-19 (after).
        (ITU_MEMBERS, None, 2024, &["AAA", "BBB", "CCC", "DDD", "EAR"]),
        (ITU_MEMBERS, None, 2025, &["AAA", "BBB", "CCC", "DDD", "EAR", "NEW"]),
        ("WORLD", None, 2023, &all),
        ("WORLD", Some(ITU_MEMBERS), 2023, &["AAA", "BBB", "CCC", "DDD"]),
        ("DEVELOPING", Some(ITU_MEMBERS), 2024, &["AAA", "BBB"]),
        ("DEVELOPING", Some(ITU_MEMBERS), 2025, &["AAA", "BBB", "NEW"]),
    ];
    for &(code, within, year, want) in cases {
        let mut got = members_in_year(cat.group(code).unwrap(), within.map(|w| cat.group(w).unwrap()), year);
        got.sort_unstable();
        let mut want = want.to_vec();
        want.sort_unstable();
        assert_eq!(got, want, "{code} within {within:?} in {year}");
    }
}

#[test]
fn weighted_mean_uses_that_years_population_and_membership() {
    let cat = catalogue();
    let mut data = DataSet::default();
    put(&mut data, "internet_pct", &[("AAA", 2019, 10.0), ("AAA", 2020, 20.0), ("AAA", 2021, 30.0)]);
    put(&mut data, "internet_pct", &[("BBB", 2019, 50.0), ("BBB", 2020, 40.0), ("BBB", 2021, 60.0)]);
    let spec = MeasureSpec::of_indicator("internet_pct", &cat).unwrap();
    let cases: &[(&str, &[PointWant])] = &[
        (
            "LDC",
            &[
                // (100·10 + 300·50) / 400 = 40
                (2019, 40.0, 2, 2, 1.0),
                // AAA's population is 200 from 2020: (200·20 + 300·40) / 500 = 32
                // (with 2019's 100 it would have been 35).
                (2020, 32.0, 2, 2, 1.0),
                // AAA graduated: only BBB, although AAA reported 30.
                (2021, 60.0, 1, 1, 1.0),
            ],
        ),
        (
            "DEVELOPING",
            &[
                // NEW (50) and TER (20) never report: share 400 / 470.
                (2019, 40.0, 2, 4, 400.0 / 470.0),
                (2020, 32.0, 2, 4, 500.0 / 570.0),
                // AAA is still developing: (200·30 + 300·60) / 500 = 48.
                (2021, 48.0, 2, 4, 500.0 / 570.0),
            ],
        ),
    ];
    for &(code, want) in cases {
        let series = points(&cat, &data, options(), &spec, code, (2015, 2025));
        assert_eq!(years(&series), want.iter().map(|w| w.0).collect::<Vec<_>>(), "{code}");
        for (p, &w) in series.iter().zip(want) {
            check_point(p, w);
            assert_eq!(p.coverage.basis, WeightBasis::Population);
            assert_eq!(p.coverage.countries_imputed, 0);
            assert_eq!(p.coverage.reporting_without_weight, 0);
            assert_eq!(p.answers, None);
        }
    }
    // The same numbers come out of a target's group series.
    let ldc = progress(&cat, &data, options(), "L.H", "LDC");
    assert_eq!(years(&ldc.series), vec![2019, 2020, 2021]);
    close(point(&ldc.series, 2020).value, 32.0);
}

#[test]
fn a_member_state_counts_from_the_first_year_it_is_a_member_on_1_july() {
    let cat = catalogue();
    let mut data = DataSet::default();
    put(
        &mut data,
        "internet_pct",
        &[("NEW", 2024, 10.0), ("NEW", 2025, 10.0), ("EAR", 2024, 90.0), ("TER", 2024, 0.0)],
    );
    let spec = MeasureSpec::of_indicator("internet_pct", &cat).unwrap();
    let members = points(&cat, &data, options(), &spec, ITU_MEMBERS, (2023, 2025));
    // 2024: AAA..DDD and EAR (200+300+400+100+30 = 1030); NEW not yet, TER never.
    check_point(point(&members, 2024), (2024, 90.0, 1, 5, 30.0 / 1030.0));
    // 2025: NEW too (1080); EAR did not report.
    check_point(point(&members, 2025), (2025, 10.0, 1, 6, 50.0 / 1080.0));
    // In WORLD, membership has no dates: (50·10 + 30·90 + 20·0) / 100 = 32.
    let world = points(&cat, &data, options(), &spec, "WORLD", (2024, 2024));
    check_point(&world[0], (2024, 32.0, 3, 7, 100.0 / 1100.0));
}

/// Builds a group `G` of countries `P0..` with a population and maybe a value in 2020.
fn random_group_catalogue(rows: &[(i64, Option<f64>)]) -> (Catalogue, DataSet) {
    let mut cat = catalogue();
    let mut data = DataSet::default();
    let mut members = Vec::new();
    for (i, &(pop, value)) in rows.iter().enumerate() {
        let code = format!("P{i:02}");
        cat.population.insert((code.clone(), 2020), pop);
        if let Some(v) = value {
            data.insert("internet_pct", "", &code, 2020, v);
        }
        members.push(always(&code));
    }
    cat.groups.push(group("G", "test", members));
    (cat, data)
}

fn point_2020(cat: &Catalogue, data: &DataSet) -> Option<Point> {
    let spec = MeasureSpec::of_indicator("internet_pct", cat).unwrap();
    points(cat, data, options(), &spec, "G", (2020, 2020)).into_iter().next()
}

fn group_rows() -> impl Strategy<Value = Vec<(i64, Option<f64>)>> {
    prop::collection::vec((1i64..2_000_000_000, prop::option::weighted(0.7, 0.0f64..100.0)), 1..10)
}

proptest! {
    /// The aggregate is exactly Σ p·x / Σ p over reporting members, lies between their
    /// smallest and largest value, and its coverage is exactly their share of the population.
    #[test]
    fn weighted_mean_and_coverage_are_exact(rows in group_rows()) {
        let (cat, data) = random_group_catalogue(&rows);
        let reporting: Vec<(f64, f64)> = rows.iter().filter_map(|&(p, v)| Some((p as f64, v?))).collect();
        let total: f64 = rows.iter().map(|&(p, _)| p as f64).sum();
        match point_2020(&cat, &data) {
            None => prop_assert!(reporting.is_empty()),
            Some(point) => {
                let used: f64 = reporting.iter().map(|(p, _)| p).sum();
                let mean = reporting.iter().map(|(p, x)| p * x).sum::<f64>() / used;
                let value = point.value.unwrap();
                prop_assert!((value - mean).abs() <= 1e-9 * mean.abs().max(1.0));
                let lo = reporting.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
                let hi = reporting.iter().map(|r| r.1).fold(f64::NEG_INFINITY, f64::max);
                prop_assert!(lo - 1e-9 <= value && value <= hi + 1e-9);
                prop_assert_eq!(point.coverage.countries_reporting, reporting.len());
                prop_assert_eq!(point.coverage.countries_in_group, rows.len());
                prop_assert!((point.coverage.weight_share.unwrap() - used / total).abs() <= 1e-12);
            }
        }
    }

    /// A member that does not report changes the coverage, never the value.
    #[test]
    fn a_non_reporting_member_changes_coverage_not_the_value(
        rows in group_rows(),
        extra in 1i64..2_000_000_000,
        at in any::<prop::sample::Index>(),
    ) {
        let (mut cat, data) = random_group_catalogue(&rows);
        let before = point_2020(&cat, &data);
        let grp = cat.groups.iter_mut().find(|g| g.code == "G").unwrap();
        grp.members.insert(at.index(rows.len() + 1), always("ZZZ"));
        cat.population.insert(("ZZZ".to_string(), 2020), extra);
        let after = point_2020(&cat, &data);
        match (before, after) {
            (None, None) => {}
            (Some(b), Some(a)) => {
                prop_assert_eq!(a.value, b.value);
                prop_assert_eq!(a.coverage.countries_reporting, b.coverage.countries_reporting);
                prop_assert_eq!(a.coverage.countries_in_group, b.coverage.countries_in_group + 1);
                let used: f64 = rows.iter().filter(|r| r.1.is_some()).map(|r| r.0 as f64).sum();
                let total: f64 = rows.iter().map(|r| r.0 as f64).sum();
                let want = used / (total + extra as f64);
                prop_assert!((a.coverage.weight_share.unwrap() - want).abs() <= 1e-12);
                prop_assert!(a.coverage.weight_share < b.coverage.weight_share);
            }
            (b, a) => prop_assert!(false, "point appeared or vanished: {:?} → {:?}", b, a),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Imputation and minimum coverage
// ---------------------------------------------------------------------------------------

#[test]
fn carry_forward_imputes_only_within_n_years_and_counts_imputed_apart() {
    let cat = catalogue();
    let mut data = DataSet::default();
    // DEVELOPED: CCC (400) reported in 2018, DDD (100) in 2020.
    put(&mut data, "internet_pct", &[("CCC", 2018, 50.0), ("DDD", 2020, 80.0)]);
    let spec = MeasureSpec::of_indicator("internet_pct", &cat).unwrap();
    // (year, value, reporting, imputed, weight share, imputed weight share)
    type Row = (i32, f64, usize, usize, f64, f64);
    let cases: &[(u32, &[Row])] = &[
        (0, &[(2018, 50.0, 1, 0, 0.8, 0.0), (2020, 80.0, 1, 0, 0.2, 0.0)]),
        (
            1,
            &[
                (2018, 50.0, 1, 0, 0.8, 0.0),
                (2019, 50.0, 1, 1, 0.8, 0.8),
                // CCC's 2018 value is 2 years old: not carried.
                (2020, 80.0, 1, 0, 0.2, 0.0),
                (2021, 80.0, 1, 1, 0.2, 0.2),
            ],
        ),
        (
            2,
            &[
                (2018, 50.0, 1, 0, 0.8, 0.0),
                (2019, 50.0, 1, 1, 0.8, 0.8),
                // (400·50 + 100·80) / 500 = 56, CCC imputed.
                (2020, 56.0, 2, 1, 1.0, 0.8),
                (2021, 80.0, 1, 1, 0.2, 0.2),
                (2022, 80.0, 1, 1, 0.2, 0.2),
            ],
        ),
    ];
    for &(carry, want) in cases {
        let series = points(&cat, &data, with(|o| o.carry_forward = carry), &spec, "DEVELOPED", (2015, 2025));
        assert_eq!(years(&series), want.iter().map(|w| w.0).collect::<Vec<_>>(), "carry {carry}");
        for (p, &(year, value, reporting, imputed, share, imputed_share)) in series.iter().zip(want) {
            check_point(p, (year, value, reporting, 2, share));
            assert_eq!(p.coverage.countries_imputed, imputed, "carry {carry}, {year}");
            close(p.coverage.imputed_weight_share, imputed_share);
        }
    }
}

proptest! {
    /// Carrying further never loses a reporting country; imputed ⊆ reporting; without
    /// carrying nothing is imputed; when nothing was imputed the value is the plain one.
    #[test]
    fn carrying_further_only_adds_imputed_countries(
        rows in prop::collection::vec((0usize..4, 2010i32..2023, 0.0f64..100.0), 0..16),
    ) {
        let cat = catalogue();
        let mut data = DataSet::default();
        for &(c, year, value) in &rows {
            data.insert("internet_pct", "", ["AAA", "BBB", "NEW", "TER"][c], year, value);
        }
        let spec = MeasureSpec::of_indicator("internet_pct", &cat).unwrap();
        let by_carry: Vec<Vec<Point>> = (0..5)
            .map(|carry| points(&cat, &data, with(|o| o.carry_forward = carry), &spec, "DEVELOPING", (2010, 2025)))
            .collect();
        let reporting = |s: &[Point], y: i32| s.iter().find(|p| p.year == y).map_or(0, |p| p.coverage.countries_reporting);
        for (carry, series) in by_carry.iter().enumerate() {
            for p in series {
                prop_assert!(p.coverage.countries_imputed <= p.coverage.countries_reporting);
                prop_assert!(p.coverage.imputed_weight_share <= p.coverage.weight_share);
                if carry == 0 {
                    prop_assert_eq!(p.coverage.countries_imputed, 0);
                }
                if p.coverage.countries_imputed == 0 {
                    prop_assert_eq!(Some(p), by_carry[0].iter().find(|q| q.year == p.year));
                }
            }
            if carry > 0 {
                for y in 2010..=2025 {
                    prop_assert!(reporting(series, y) >= reporting(&by_carry[carry - 1], y));
                }
            }
        }
    }
}

#[test]
fn min_coverage_flags_points_and_only_those_meeting_it_are_assessed() {
    let cat = catalogue();
    let mut data = DataSet::default();
    // DEVELOPED (CCC 400, DDD 100):
    //   2017: (400·40 + 100·60) / 500 = 44, coverage 1
    //   2020: (400·50 + 100·70) / 500 = 54, coverage 1
    //   2022: DDD alone, 90, coverage 100/500 = 0.2
    put(
        &mut data,
        "internet_pct",
        &[("CCC", 2017, 40.0), ("CCC", 2020, 50.0), ("DDD", 2017, 60.0), ("DDD", 2020, 70.0), ("DDD", 2022, 90.0)],
    );
    // (min coverage, flags of 2017/2020/2022, latest year, assessed current year, status)
    type Case = (f64, [bool; 3], Option<i32>, Option<i32>, S);
    let cases: &[Case] = &[
        // P = g(54, 44, 2020, 2017) / g(60, 44, 2023, 2017) = 0.070649 / 0.053052 = 1.3317
        (0.5, [true, true, false], Some(2020), Some(2020), S::SubstantialProgress),
        (0.21, [true, true, false], Some(2020), Some(2020), S::SubstantialProgress),
        // 0.2 is reached exactly: 90 ≥ 60.
        (0.2, [true, true, true], Some(2022), Some(2022), S::TargetAchieved),
        (0.0, [true, true, true], Some(2022), Some(2022), S::TargetAchieved),
        (1.0, [true, true, false], Some(2020), Some(2020), S::SubstantialProgress),
        (1.01, [false, false, false], None, None, S::InsufficientData),
    ];
    for &(min_coverage, flags, latest, current, status) in cases {
        let p = progress(&cat, &data, with(|o| o.min_coverage = min_coverage), "L.H", "DEVELOPED");
        assert_eq!(years(&p.series), vec![2017, 2020, 2022], "points below the minimum stay in the series");
        let got: Vec<bool> = p.series.iter().map(|p| p.meets_min_coverage).collect();
        assert_eq!(got, flags, "min {min_coverage}");
        assert_eq!(p.latest.as_ref().map(|p| p.year), latest, "min {min_coverage}");
        if let Some(latest) = &p.latest {
            assert_eq!(Some(latest), p.series.iter().find(|q| q.year == latest.year));
        }
        let a = &p.assessment;
        assert_eq!(a.current_year, current, "min {min_coverage}");
        assert_eq!(a.status, status, "min {min_coverage}");
        if current == Some(2020) {
            close(a.current_value, 54.0);
            assert_eq!(a.base_year, Some(2017));
            close(a.base_value, 44.0);
            close(a.ratio, g(54.0, 44.0, 2020, 2017).unwrap() / g(60.0, 44.0, 2023, 2017).unwrap());
        }
        if current.is_none() {
            assert_eq!(a.reason.as_deref(), Some(reasons::NO_DATA));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Measures: Sum, Ratio, AllYes, Each
// ---------------------------------------------------------------------------------------

#[test]
fn sum_adds_the_indicators_per_country_before_weighting() {
    let cat = catalogue();
    let spec = spec_of(&cat, "RC.S");
    assert_eq!(
        (spec.measure, spec.unit, spec.aggregation),
        (Measure::Sum, Unit::Per100, Aggregation::PopulationWeightedMean)
    );
    let mut data = DataSet::default();
    put(&mut data, "fixed_per100", &[("AAA", 2017, 10.0), ("BBB", 2017, 5.0), ("CCC", 2017, 30.0)]);
    put(&mut data, "mobile_per100", &[("AAA", 2017, 50.0), ("BBB", 2017, 95.0), ("CCC", 2016, 70.0)]);
    // A country needs every indicator of the sum.
    assert_eq!(spec.country_value(&data, "AAA", 2017, 0), Some((60.0, false)));
    assert_eq!(spec.country_value(&data, "CCC", 2017, 0), None);
    assert_eq!(spec.country_value(&data, "CCC", 2017, 1), Some((100.0, true)));
    // (100·60 + 300·100) / 400 = 90; 400 of the world's 1000.
    let plain = points(&cat, &data, options(), &spec, "WORLD", (2017, 2017));
    check_point(&plain[0], (2017, 90.0, 2, 7, 0.4));
    // CCC's mobile value carried from 2016: (100·60 + 300·100 + 400·100) / 800 = 95.
    let carried = points(&cat, &data, with(|o| o.carry_forward = 1), &spec, "WORLD", (2017, 2017));
    check_point(&carried[0], (2017, 95.0, 3, 7, 0.8));
    assert_eq!(carried[0].coverage.countries_imputed, 1);
    close(carried[0].coverage.imputed_weight_share, 0.4);
}

#[test]
fn ratio_is_the_sum_of_numerators_over_the_sum_of_denominators() {
    let cat = catalogue();
    let spec = spec_of(&cat, "RATIO");
    assert_eq!((spec.unit, spec.range), (Unit::Percent, Some((0.0, 100.0))));
    let mut data = DataSet::default();
    put(
        &mut data,
        "ewaste_recycled_kg",
        &[("AAA", 2019, 10.0), ("BBB", 2019, 90.0), ("CCC", 2019, 50.0), ("DDD", 2019, 5.0)],
    );
    put(&mut data, "ewaste_generated_kg", &[("AAA", 2019, 100.0), ("BBB", 2019, 200.0), ("CCC", 2019, 0.0)]);
    let cases: &[(&str, Option<f64>)] = &[
        ("AAA", Some(10.0)),
        ("BBB", Some(45.0)),
        ("CCC", None), // nothing generated: no ratio
        ("DDD", None), // no denominator
        ("TER", None),
    ];
    for &(c, want) in cases {
        assert_eq!(spec.country_value(&data, c, 2019, 0).map(|v| v.0), want, "{c}");
    }
    // 100 · (10 + 90) / (100 + 200) = 33.33 %, not the mean of ratios (10 + 45) / 2 = 27.5 %.
    let series = points(&cat, &data, options(), &spec, "WORLD", (2019, 2019));
    check_point(&series[0], (2019, 100.0 / 3.0, 2, 7, 2.0 / 7.0));
    assert_eq!(series[0].coverage.basis, WeightBasis::Countries);
    assert!(!series[0].meets_min_coverage);
}

proptest! {
    /// The group ratio is Σ numerators / Σ denominators over countries reporting both (with
    /// a positive denominator), so it lies between the smallest and largest country ratio.
    #[test]
    fn group_ratio_is_pooled(
        rows in prop::collection::vec((prop::option::of(0.0f64..1e6), prop::option::of(0.0f64..1e6)), 7),
    ) {
        let cat = catalogue();
        let mut data = DataSet::default();
        for (&(n, d), (c, _)) in rows.iter().zip(ECONOMIES) {
            if let Some(n) = n { data.insert("ewaste_recycled_kg", "", c, 2019, n); }
            if let Some(d) = d { data.insert("ewaste_generated_kg", "", c, 2019, d); }
        }
        let pairs: Vec<(f64, f64)> =
            rows.iter().filter_map(|&(n, d)| n.zip(d)).filter(|&(_, d)| d > 0.0).collect();
        let spec = spec_of(&cat, "RATIO");
        let series = points(&cat, &data, options(), &spec, "WORLD", (2019, 2019));
        if pairs.is_empty() {
            prop_assert!(series.is_empty());
        } else {
            let (n, d) = pairs.iter().fold((0.0, 0.0), |(a, b), &(n, d)| (a + n, b + d));
            let value = series[0].value.unwrap();
            prop_assert!((value - 100.0 * n / d).abs() <= 1e-9 * value.max(1.0));
            let ratios: Vec<f64> = pairs.iter().map(|&(n, d)| 100.0 * n / d).collect();
            let lo = ratios.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(lo * (1.0 - 1e-9) <= value && value <= hi * (1.0 + 1e-9));
            prop_assert_eq!(series[0].coverage.countries_reporting, pairs.len());
        }
    }
}

#[test]
fn all_yes_is_no_if_any_is_no_and_no_data_if_any_is_missing() {
    let cat = catalogue();
    let spec = spec_of(&cat, "SHR.ALL");
    assert!(spec.is_yes_no());
    assert_eq!(spec.unit, Unit::Boolean);
    // (strategy, cirt, legislation) in 2020 → value
    let cases: &[([Option<f64>; 3], Option<f64>)] = &[
        ([Some(1.0), Some(1.0), Some(1.0)], Some(1.0)),
        ([Some(1.0), Some(0.0), Some(1.0)], Some(0.0)),
        ([Some(1.0), Some(0.0), None], Some(0.0)),
        ([Some(0.0), None, None], Some(0.0)),
        ([Some(0.0), Some(0.0), Some(0.0)], Some(0.0)),
        // Missing is unknown, never no.
        ([Some(1.0), Some(1.0), None], None),
        ([None, None, Some(1.0)], None),
        ([None, None, None], None),
    ];
    for &(answers, want) in cases {
        let mut data = DataSet::default();
        for (indicator, answer) in ["strategy", "cirt", "legislation"].into_iter().zip(answers) {
            if let Some(v) = answer {
                data.insert(indicator, "", "AAA", 2020, v);
            }
        }
        assert_eq!(spec.country_value(&data, "AAA", 2020, 0).map(|v| v.0), want, "{answers:?}");
    }
    // Answers given in different years combine only when carried forward.
    let mut data = DataSet::default();
    put(&mut data, "strategy", &[("AAA", 2019, 1.0)]);
    put(&mut data, "cirt", &[("AAA", 2020, 1.0)]);
    put(&mut data, "legislation", &[("AAA", 2020, 1.0)]);
    assert_eq!(spec.country_value(&data, "AAA", 2020, 0), None);
    assert_eq!(spec.country_value(&data, "AAA", 2020, 1), Some((1.0, true)));
}

#[test]
fn each_assesses_every_indicator_on_its_own_with_the_first_as_headline() {
    let cat = catalogue();
    let mut data = DataSet::default();
    // BBB (300) and CCC (400) report: 700 of 1000 in 2017 and of 1100 in 2022.
    put(
        &mut data,
        "price_mobile_pct",
        &[("BBB", 2017, 6.0), ("CCC", 2017, 6.0), ("BBB", 2022, 4.0), ("CCC", 2022, 4.0)],
    );
    put(
        &mut data,
        "price_fixed_pct",
        &[("BBB", 2017, 10.0), ("CCC", 2017, 10.0), ("BBB", 2022, 9.0), ("CCC", 2022, 9.0)],
    );
    let target = cat.target("RC.E").unwrap();
    let inputs = Inputs { catalogue: &cat, data: &data, options: options() };
    let b = breakdown(inputs, target).unwrap();
    // Headline: the first indicator. 6 → 4, target 6 · (1 − 0.25) = 4.5: achieved.
    assert_eq!(b.headline.group, "WORLD");
    close(b.headline.assessment.target_value, 4.5);
    assert_eq!(b.headline.assessment.status, S::TargetAchieved);
    close(point(&b.headline.series, 2022).coverage.weight_share, 700.0 / 1100.0);
    let components: Vec<&str> = b.components.iter().map(|c| c.indicator.as_str()).collect();
    assert_eq!(components, vec!["price_mobile_pct", "price_fixed_pct"]);
    assert_eq!(b.components[0].progress.assessment, b.headline.assessment);
    // Fixed: 10 → 9, target 7.5, lower is better:
    // P = −g(9, 10, 2022, 2017) / |g(7.5, 10, 2023, 2017)| = 0.020852 / 0.046816 = 0.4454.
    let fixed = &b.components[1].progress.assessment;
    close(fixed.target_value, 7.5);
    assert_eq!(fixed.direction, Lower);
    close(fixed.ratio, -g(9.0, 10.0, 2022, 2017).unwrap() / g(7.5, 10.0, 2023, 2017).unwrap().abs());
    assert_eq!(fixed.status, S::LimitedProgress);
    // Other groups: world/development/un_category kinds, not the target's own group,
    // nor membership or ad hoc groups.
    let groups: Vec<&str> = b.groups.iter().map(|g| g.group.as_str()).collect();
    assert_eq!(groups, vec!["DEVELOPING", "DEVELOPED", "LDC"]);
    let countries: Vec<&str> = b.countries.iter().map(|c| c.country.as_str()).collect();
    assert_eq!(countries, vec!["AAA", "BBB", "CCC", "DDD", "NEW", "EAR", "TER"]);
    // Each country is held to its own base: BBB 6 → 4, target 4.5.
    let bbb = b.countries[1].assessment.as_ref().unwrap();
    close(bbb.target_value, 4.5);
    assert_eq!(bbb.status, S::TargetAchieved);
}

// ---------------------------------------------------------------------------------------
// Rule kinds
// ---------------------------------------------------------------------------------------

#[test]
fn level_targets_in_both_directions() {
    let cat = catalogue();
    // One-country group SOLO (AAA); x0 in 2017, xt in 2022, deadline 2023.
    // (target, x0, xt, status, ratio by hand)
    let cases: &[(&str, f64, f64, S, Option<f64>)] = &[
        ("L.H", 40.0, 66.0, S::TargetAchieved, None),
        // g(50,40,5y) / g(60,40,6y) = 0.045640 / 0.069913 = 0.6528
        ("L.H", 40.0, 50.0, S::ModerateProgress, Some(0.652_803_140_914_691_4)),
        ("L.H", 50.0, 40.0, S::Deterioration, None),
        ("L.L", 6.0, 2.5, S::TargetAchieved, None),
        // −g(4.5,6,5y) / |g(3,6,6y)| = 0.055913 / 0.109101 = 0.5125
        ("L.L", 6.0, 4.5, S::LimitedProgress, Some(0.512_482_417_731_988)),
        ("L.L", 6.0, 6.0, S::LimitedProgress, Some(0.0)),
        ("L.L", 4.0, 6.0, S::Deterioration, None),
    ];
    for &(id, x0, xt, status, ratio) in cases {
        let t = cat.target(id).unwrap();
        let mut data = DataSet::default();
        put(&mut data, &t.indicators[0], &[("AAA", 2017, x0), ("AAA", 2022, xt)]);
        let p = progress(&cat, &data, options(), id, "SOLO");
        let a = &p.assessment;
        assert_eq!(a.status, status, "{id}: {x0} → {xt}");
        assert_eq!(a.direction, t.rule.direction);
        assert_eq!(a.target_value, t.rule.target_value);
        assert_eq!((a.base_year, a.current_year), (Some(2017), Some(2022)));
        if let Some(r) = ratio {
            close(a.ratio, r);
        }
        // The clamp is the indicator's valid range.
        assert_eq!(a.clamp.map(|c| (c.min, c.max)), Some((0.0, 100.0)));
    }
}

#[test]
fn relative_change_target_is_base_times_one_plus_change() {
    let mut cat = catalogue();
    let mut data = DataSet::default();
    // DEVELOPED (CCC 400, DDD 100), fixed + mobile per 100:
    //   2016: CCC 10+10, DDD 10+10           → 20
    //   2018: CCC 20+60 = 80, DDD 10+30 = 40 → (400·80 + 100·40) / 500 = 72
    //   2022: CCC 40+60 = 100, DDD 20+40 = 60 → (400·100 + 100·60) / 500 = 92
    put(&mut data, "fixed_per100", &[("CCC", 2016, 10.0), ("DDD", 2016, 10.0), ("CCC", 2018, 20.0)]);
    put(&mut data, "fixed_per100", &[("DDD", 2018, 10.0), ("CCC", 2022, 40.0), ("DDD", 2022, 20.0)]);
    put(&mut data, "mobile_per100", &[("CCC", 2016, 10.0), ("DDD", 2016, 10.0), ("CCC", 2018, 60.0)]);
    put(&mut data, "mobile_per100", &[("DDD", 2018, 30.0), ("CCC", 2022, 60.0), ("DDD", 2022, 40.0)]);
    // (baseline year, base year, x0, x* = x0 · 1.5, status)
    let cases: &[(Option<i32>, i32, f64, f64, S)] = &[
        // No value in 2017: the first later year, 2018.
        // P = g(92, 72, 2022, 2018) / g(108, 72, 2023, 2018) = 0.063197 / 0.084472 = 0.7481
        (Some(2017), 2018, 72.0, 108.0, S::ModerateProgress),
        // No baseline declared: 2017, the same.
        (None, 2018, 72.0, 108.0, S::ModerateProgress),
        (Some(2016), 2016, 20.0, 30.0, S::TargetAchieved),
        (Some(2018), 2018, 72.0, 108.0, S::ModerateProgress),
    ];
    for &(baseline, base_year, x0, x_star, status) in cases {
        let i = cat.targets.iter().position(|t| t.id == "RC.S").unwrap();
        cat.targets[i].rule.baseline_year = baseline;
        let a = progress(&cat, &data, options(), "RC.S", "DEVELOPED").assessment;
        assert_eq!(a.base_year, Some(base_year), "baseline {baseline:?}");
        close(a.base_value, x0);
        close(a.target_value, x_star);
        close(a.current_value, 92.0);
        assert_eq!(a.status, status, "baseline {baseline:?}");
        assert_eq!(a.direction, Higher);
        assert_eq!(a.clamp, None, "a sum has no valid range");
        if status == S::ModerateProgress {
            close(a.ratio, g(92.0, 72.0, 2022, 2018).unwrap() / g(108.0, 72.0, 2023, 2018).unwrap());
        }
    }
    // A baseline after every value but the last: one point, still a target value.
    let i = cat.targets.iter().position(|t| t.id == "RC.S").unwrap();
    cat.targets[i].rule.baseline_year = Some(2019);
    let a = progress(&cat, &data, options(), "RC.S", "DEVELOPED").assessment;
    assert_eq!(a.status, S::InsufficientData);
    assert_eq!(a.reason.as_deref(), Some(reasons::SINGLE_DATA_POINT));
    close(a.target_value, 138.0);
}

/// Price data for the gap target:
///   DEVELOPING (AAA 100 → 200 from 2020, BBB 300, NEW and TER never report)
///     2017: (100·8 + 300·16) / 400 = 14;  2021: (200·9 + 300·13) / 500 = 11.4;
///     2023: (200·7 + 300·11) / 500 = 9.4
///   DEVELOPED (CCC 400, DDD 100): 2017: 2;  2021: 1.4;  2023: 1.4
///   gap: 12 (2017), 10 (2021), 8 (2023); x* = (1 − 25/100) · 12 = 9, lower is better.
fn gap_data() -> DataSet {
    let mut data = DataSet::default();
    put(&mut data, "price_fixed_pct", &[("AAA", 2017, 8.0), ("AAA", 2021, 9.0), ("AAA", 2023, 7.0)]);
    put(&mut data, "price_fixed_pct", &[("BBB", 2017, 16.0), ("BBB", 2021, 13.0), ("BBB", 2023, 11.0)]);
    put(&mut data, "price_fixed_pct", &[("CCC", 2017, 2.0), ("CCC", 2021, 1.4), ("CCC", 2023, 1.4)]);
    put(&mut data, "price_fixed_pct", &[("DDD", 2017, 2.0), ("DDD", 2021, 1.4), ("DDD", 2023, 1.4)]);
    data
}

#[test]
fn gap_reduction_holds_developing_minus_developed_to_shrink() {
    let cat = catalogue();
    let data = gap_data();
    // (as of, gap years, current gap, status, met by deadline)
    type Case = (i32, &'static [i32], f64, S, Option<bool>);
    let cases: &[Case] = &[
        // P = −g(10, 12, 2021, 2017) / |g(9, 12, 2023, 2017)| = 0.044557 / 0.046816 = 0.9518
        (2022, &[2017, 2021], 10.0, S::SubstantialProgress, None),
        (2025, &[2017, 2021, 2023], 8.0, S::TargetAchieved, Some(true)),
    ];
    for &(as_of, gap_years, current, status, met) in cases {
        let p = progress(&cat, &data, with(|o| o.as_of_year = as_of), "GAP", "DEVELOPING");
        assert_eq!(years(&p.series), gap_years);
        let gaps = [12.0, 10.0, 8.0];
        for (point, gap) in p.series.iter().zip(gaps) {
            close(point.value, gap);
        }
        // The comparison series is the developed aggregate; the gap keeps developing's coverage.
        assert_eq!(years(&p.comparison_series), gap_years);
        for (point, developed) in p.comparison_series.iter().zip([2.0, 1.4, 1.4]) {
            close(point.value, developed);
            close(point.coverage.weight_share, 1.0);
        }
        check_point(&p.series[0], (2017, 12.0, 2, 4, 400.0 / 470.0));
        let a = &p.assessment;
        assert_eq!((a.base_year, a.direction), (Some(2017), Lower));
        close(a.base_value, 12.0);
        close(a.target_value, 9.0);
        close(a.current_value, current);
        assert_eq!(a.status, status, "as of {as_of}");
        assert_eq!(a.met_by_deadline, met, "as of {as_of}");
        if as_of == 2022 {
            close(a.ratio, -g(10.0, 12.0, 2021, 2017).unwrap() / g(9.0, 12.0, 2023, 2017).unwrap().abs());
        }
    }
}

#[test]
fn gap_reduction_breakdown_groups_and_countries_are_judged_by_trend_only() {
    let cat = catalogue();
    let data = gap_data();
    // WORLD 2017: (100·8 + 300·16 + 400·2 + 100·2) / 900 = 6600 / 900, coverage 900 / 1000.
    for code in ["WORLD", "DEVELOPED", "LDC"] {
        let p = progress(&cat, &data, options(), "GAP", code);
        assert!(p.comparison_series.is_empty(), "{code}");
        assert_eq!(p.assessment.target_value, None, "{code}");
        assert_eq!(p.assessment.met_by_deadline, None, "{code}");
        assert_eq!(p.assessment.projection_reason.as_deref(), Some(reasons::NO_TARGET_VALUE), "{code}");
        assert_eq!(p.assessment.direction, Lower);
    }
    let world = progress(&cat, &data, options(), "GAP", "WORLD");
    check_point(&world.series[0], (2017, 6600.0 / 900.0, 4, 7, 0.9));
    // DEVELOPED: 2 → 1.4: P = −g(1.4, 2, 2023, 2017) = 0.057716 ≥ 1.5 %: substantial.
    let developed = progress(&cat, &data, options(), "GAP", "DEVELOPED");
    close(developed.assessment.ratio, -g(1.4, 2.0, 2023, 2017).unwrap());
    assert_eq!(developed.assessment.status, S::SubstantialProgress);
    // AAA: 8 → 7 over 2017–2023: P = −g(7, 8, 2023, 2017) = 0.022009: substantial.
    let aaa = country(&cat, &data, options(), "GAP", "AAA").assessment.unwrap();
    assert_eq!(aaa.target_value, None);
    close(aaa.ratio, 0.022_009_411_402_034_718);
    assert_eq!(aaa.status, S::SubstantialProgress);
    // The headline reached through `headline` is the gap.
    let inputs = Inputs { catalogue: &cat, data: &data, options: options() };
    let h = headline(inputs, cat.target("GAP").unwrap(), false).unwrap();
    assert_eq!(h.group, "DEVELOPING");
    assert!(h.series.is_empty() && h.comparison_series.is_empty(), "no series in the overview");
    close(h.latest.unwrap().value, 8.0);
}

/// Parity data on DEVELOPED (CCC 400, DDD 100), by sex:
///   2017: female (400·40 + 100·50) / 500 = 42, male 50 → 0.84
///   2020: female (400·45 + 100·50) / 500 = 46, male DDD only (coverage 0.2) → flagged
///   2023: female `f` in both, male 50 → f / 50
fn parity_data(f: f64) -> DataSet {
    let mut data = DataSet::default();
    put_by(&mut data, "internet_pct", "sex=female", &[("CCC", 2017, 40.0), ("DDD", 2017, 50.0)]);
    put_by(&mut data, "internet_pct", "sex=female", &[("CCC", 2020, 45.0), ("DDD", 2020, 50.0)]);
    put_by(&mut data, "internet_pct", "sex=female", &[("CCC", 2023, f), ("DDD", 2023, f)]);
    put_by(&mut data, "internet_pct", "sex=male", &[("CCC", 2017, 50.0), ("DDD", 2017, 50.0), ("DDD", 2020, 50.0)]);
    put_by(&mut data, "internet_pct", "sex=male", &[("CCC", 2023, 50.0), ("DDD", 2023, 50.0)]);
    // A total that parity must not read.
    put(&mut data, "internet_pct", &[("CCC", 2023, 1.0), ("DDD", 2023, 1.0)]);
    data
}

#[test]
fn parity_is_female_over_male_within_a_two_sided_band() {
    let cat = catalogue();
    // Parity is assessed as the distance |1 − F/M|, held to 0.02, lower is better.
    // (female 2023, ratio 2023, met by deadline)
    let cases: &[(f64, f64, bool)] =
        &[(48.0, 0.96, false), (49.0, 0.98, true), (50.0, 1.0, true), (51.0, 1.02, true), (52.0, 1.04, false)];
    for &(f, ratio, met) in cases {
        let p = progress(&cat, &parity_data(f), options(), "PAR", "DEVELOPED");
        assert_eq!(years(&p.series), vec![2017, 2020, 2023]);
        close(p.series[0].value, 0.84);
        close(p.series[1].value, 0.92);
        close(p.series[2].value, ratio);
        // 2020: the female aggregate covers the whole group, the male one only 0.2.
        close(p.series[1].coverage.weight_share, 1.0);
        assert_eq!(p.series.iter().map(|p| p.meets_min_coverage).collect::<Vec<_>>(), vec![true, false, true]);
        assert_eq!(years(&p.comparison_series), vec![2017, 2020, 2023]);
        close(p.comparison_series[2].value, 50.0);
        let a = &p.assessment;
        let distance = (1.0 - ratio).abs();
        assert_eq!(a.met_by_deadline, Some(met), "F/M = {ratio}");
        close(a.deadline_value, distance);
        close(a.target_value, 0.02);
        assert_eq!(a.direction, Lower, "F/M = {ratio}");
        assert_eq!(a.status == S::TargetAchieved, met, "F/M = {ratio}");
        close(a.base_value, 0.16);
        if !met {
            // Both 0.96 and 1.04 are 0.04 from parity: P = −g(0.04, 0.16) / |g(0.02, 0.16)| = 0.704.
            close(a.ratio, -g(0.04, 0.16, 2023, 2017).unwrap() / g(0.02, 0.16, 2023, 2017).unwrap().abs());
            assert_eq!(a.status, S::ModerateProgress, "F/M = {ratio}");
        }
        // A country: CCC 40/50 = 0.8 → f/50.
        let ccc = country(&cat, &parity_data(f), options(), "PAR", "CCC").assessment.unwrap();
        close(ccc.base_value, 0.2);
        close(ccc.current_value, distance);
        assert_eq!(ccc.met_by_deadline, Some(met), "CCC F/M = {ratio}");
    }
}

#[test]
fn parity_overshoot_that_narrows_the_distance_is_not_deterioration() {
    // DOMAIN.md §3: parity distance = |1 − ratio|. From 0.84 (distance 0.16) to 1.04
    // (distance 0.04) the group came much closer to parity, but the series is held to the
    // upper edge 1.02 lower-is-better from a base (0.84) already below it:
    // P = −g(1.04, 0.84, 2023, 2017) / |g(1.02, 0.84, 2023, 2017)| = −1.10 → deterioration.
    let cat = catalogue();
    let a = progress(&cat, &parity_data(52.0), options(), "PAR", "DEVELOPED").assessment;
    assert_ne!(a.status, S::Deterioration, "ratio {:?}", a.ratio);
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

#[test]
fn share_of_countries_counts_member_states_only() {
    let cat = catalogue();
    let data = answers();
    // (target, group, carry, year, yes, no, no data, value, imputed)
    type Case = (&'static str, &'static str, u32, i32, usize, usize, usize, f64, usize);
    let cases: &[Case] = &[
        ("SHR.ALL", ITU_MEMBERS, 0, 2017, 1, 1, 2, 25.0, 0),
        // WORLD is restricted to member states: TER's answers never count.
        ("SHR.ALL", "WORLD", 0, 2017, 1, 1, 2, 25.0, 0),
        ("SHR.ALL", ITU_MEMBERS, 0, 2023, 3, 1, 0, 75.0, 0),
        ("SHR.ALL", "WORLD", 0, 2023, 3, 1, 0, 75.0, 0),
        // DEVELOPING ∩ members in 2023: AAA, BBB.
        ("SHR.ALL", "DEVELOPING", 0, 2023, 2, 0, 0, 100.0, 0),
        // 2025: six member states, NEW alone reports.
        ("SHR.ALL", ITU_MEMBERS, 0, 2025, 1, 0, 5, 100.0 / 6.0, 0),
        // Carried two years: 2024 has AAA..DDD from 2023 and EAR without data.
        ("SHR.ALL", ITU_MEMBERS, 2, 2024, 3, 1, 1, 60.0, 4),
        ("SHR.ALL", ITU_MEMBERS, 2, 2025, 4, 1, 1, 400.0 / 6.0, 4),
        ("SHR.ONE", "WORLD", 0, 2023, 4, 0, 0, 100.0, 0),
        ("SHR.ONE", ITU_MEMBERS, 0, 2017, 3, 0, 1, 75.0, 0),
    ];
    for &(target, code, carry, year, yes, no, no_data, value, imputed) in cases {
        let p = progress(&cat, &data, with(|o| o.carry_forward = carry), target, code);
        let pt = point(&p.series, year);
        let share = pt.answers.expect("yes/no counts");
        let what = format!("{target} {code} carry {carry} {year}");
        assert_eq!((share.yes, share.no, share.no_data), (yes, no, no_data), "{what}");
        assert_eq!(share.countries, yes + no + no_data, "{what}");
        close(pt.value, value);
        let c = pt.coverage;
        assert_eq!(c.basis, WeightBasis::Countries, "{what}");
        assert_eq!(
            (c.countries_reporting, c.countries_in_group, c.countries_imputed),
            (yes + no, share.countries, imputed)
        );
        close(c.weight_share, (yes + no) as f64 / share.countries as f64);
        close(c.imputed_weight_share, imputed as f64 / share.countries as f64);
    }
}

#[test]
fn share_of_countries_assessment_uses_years_meeting_the_minimum() {
    let cat = catalogue();
    let p = progress(&cat, &answers(), options(), "SHR.ALL", ITU_MEMBERS);
    // 2017: 2 of 4 report (0.5, meets); 2023: 4 of 4; 2025: 1 of 6 (flagged).
    assert_eq!(years(&p.series), vec![2017, 2023, 2025]);
    assert_eq!(p.series.iter().map(|p| p.meets_min_coverage).collect::<Vec<_>>(), vec![true, true, false]);
    assert_eq!(p.latest.as_ref().map(|p| p.year), Some(2023));
    let a = &p.assessment;
    // 25 → 75 over 2017–2023, target 100: P = (3^(1/6) − 1) / (4^(1/6) − 1) = 0.7731.
    assert_eq!((a.base_year, a.current_year), (Some(2017), Some(2023)));
    close(a.target_value, 100.0);
    close(a.ratio, g(75.0, 25.0, 2023, 2017).unwrap() / g(100.0, 25.0, 2023, 2017).unwrap());
    assert_eq!(a.status, S::ModerateProgress);
    assert_eq!(a.met_by_deadline, Some(false));
    close(a.deadline_value, 75.0);
    assert_eq!(a.clamp.map(|c| (c.min, c.max)), Some((0.0, 100.0)));
}

proptest! {
    /// A non-member's answers never change a share, and yes + no + no data is the number of
    /// member states in the group that year.
    #[test]
    fn non_members_never_count_in_a_share(
        member_answers in prop::collection::vec((0usize..6, 2020i32..2026, 0usize..3, any::<bool>()), 0..30),
        ter_answers in prop::collection::vec((2020i32..2026, 0usize..3, any::<bool>()), 1..10),
        carry in 0u32..3,
    ) {
        let cat = catalogue();
        let indicators = ["strategy", "cirt", "legislation"];
        let mut data = DataSet::default();
        for &(c, year, i, yes) in &member_answers {
            let c = ["AAA", "BBB", "CCC", "DDD", "NEW", "EAR"][c];
            data.insert(indicators[i], "", c, year, if yes { 1.0 } else { 0.0 });
        }
        let mut with_ter = data.clone();
        for &(year, i, yes) in &ter_answers {
            with_ter.insert(indicators[i], "", "TER", year, if yes { 1.0 } else { 0.0 });
        }
        let options = with(|o| o.carry_forward = carry);
        for code in ["WORLD", "DEVELOPING", ITU_MEMBERS] {
            let a = progress(&cat, &data, options, "SHR.ALL", code);
            let b = progress(&cat, &with_ter, options, "SHR.ALL", code);
            prop_assert_eq!(&a.series, &b.series);
            prop_assert_eq!(&a.assessment, &b.assessment);
            let within = cat.group(ITU_MEMBERS);
            for p in &a.series {
                let n = members_in_year(cat.group(code).unwrap(), within, p.year).len();
                let s = p.answers.unwrap();
                prop_assert_eq!(s.yes + s.no + s.no_data, n);
            }
        }
    }
}

#[test]
fn count_increase_is_a_trend_of_the_sum_without_a_target_value() {
    let cat = catalogue();
    let mut data = DataSet::default();
    // ITU_MEMBERS: 10+20+30+40 = 100 in 2017; 12+24+36+48 = 120 in 2022.
    put(&mut data, "partnerships_count", &[("AAA", 2017, 10.0), ("BBB", 2017, 20.0), ("CCC", 2017, 30.0)]);
    put(&mut data, "partnerships_count", &[("DDD", 2017, 40.0), ("AAA", 2022, 12.0), ("BBB", 2022, 24.0)]);
    put(&mut data, "partnerships_count", &[("CCC", 2022, 36.0), ("DDD", 2022, 48.0)]);
    let p = progress(&cat, &data, options(), "CNT", ITU_MEMBERS);
    check_point(&p.series[0], (2017, 100.0, 4, 4, 1.0));
    check_point(&p.series[1], (2022, 120.0, 4, 4, 1.0));
    assert_eq!(p.series[0].coverage.basis, WeightBasis::Countries);
    let a = &p.assessment;
    assert_eq!(a.target_value, None);
    assert_eq!(a.direction, Higher);
    // P = 1.2^(1/5) − 1 = 0.037137 is the trend; 120 > 100 meets the rule itself.
    close(a.ratio, g(120.0, 100.0, 2022, 2017).unwrap());
    assert_eq!(a.status, S::TargetAchieved);
    assert_eq!(a.projection_reason.as_deref(), Some(reasons::ALREADY_ACHIEVED));
    let mut falling = DataSet::default();
    for c in ["AAA", "BBB", "CCC", "DDD"] {
        put(&mut falling, "partnerships_count", &[(c, 2017, 10.0), (c, 2022, 8.0)]);
    }
    let a = progress(&cat, &falling, options(), "CNT", ITU_MEMBERS).assessment;
    assert_eq!(a.status, S::Deterioration, "fewer partnerships than at the baseline");
}

#[test]
fn count_increase_reports_met_by_deadline() {
    // DOMAIN.md §3: count_increase is met when the value at t is greater than at the
    // baseline; §4: report `met_by_deadline` from the deadline-year value. With 100 in the
    // baseline year 2017 and 130 in the deadline year 2023 the target was met, but the
    // rule has no target value, so `progress::assess` leaves `met_by_deadline` at None.
    let cat = catalogue();
    let mut data = DataSet::default();
    put(&mut data, "partnerships_count", &[("AAA", 2017, 10.0), ("BBB", 2017, 20.0), ("CCC", 2017, 30.0)]);
    put(&mut data, "partnerships_count", &[("DDD", 2017, 40.0), ("AAA", 2023, 13.0), ("BBB", 2023, 26.0)]);
    put(&mut data, "partnerships_count", &[("CCC", 2023, 39.0), ("DDD", 2023, 52.0)]);
    let a = progress(&cat, &data, options(), "CNT", ITU_MEMBERS).assessment;
    close(a.deadline_value, 130.0);
    assert_eq!(a.met_by_deadline, Some(true));
}

// ---------------------------------------------------------------------------------------
// Countries and as-of
// ---------------------------------------------------------------------------------------

fn country_data() -> DataSet {
    let mut data = answers();
    put(&mut data, "internet_pct", &[("CCC", 2017, 40.0), ("CCC", 2022, 50.0), ("EAR", 2020, 70.0)]);
    // CCC fixed + mobile per 100: 2016 20, 2018 80, 2022 100.
    put(&mut data, "fixed_per100", &[("CCC", 2016, 10.0), ("CCC", 2018, 20.0), ("CCC", 2022, 40.0)]);
    put(&mut data, "mobile_per100", &[("CCC", 2016, 10.0), ("CCC", 2018, 60.0), ("CCC", 2022, 60.0)]);
    data
}

#[test]
fn country_progress_gives_yes_no_answers_as_the_latest_answer() {
    let cat = catalogue();
    let data = country_data();
    // (target, country, as of, answer)
    type Case = (&'static str, &'static str, i32, Option<(bool, i32)>);
    let cases: &[Case] = &[
        ("SHR.ALL", "AAA", 2025, Some((true, 2023))),
        ("SHR.ALL", "DDD", 2025, Some((false, 2023))),
        ("SHR.ALL", "EAR", 2025, None),
        ("SHR.ALL", "NEW", 2025, Some((true, 2025))),
        ("SHR.ALL", "AAA", 2020, Some((true, 2017))),
        ("SHR.ALL", "BBB", 2020, Some((false, 2017))),
        // Yes, yes and no data: no data, not no.
        ("SHR.ALL", "CCC", 2020, None),
        ("SHR.ONE", "CCC", 2020, Some((true, 2017))),
        ("SHR.ONE", "TER", 2025, Some((false, 2023))),
        ("SHR.ALL", "NEW", 2024, None),
    ];
    for &(target, iso3, as_of, want) in cases {
        let c = country(&cat, &data, with(|o| o.as_of_year = as_of), target, iso3);
        assert_eq!(c.country, iso3);
        assert_eq!(c.assessment, None);
        assert_eq!(c.answer.map(|a| (a.yes, a.year)), want, "{target} {iso3} as of {as_of}");
    }
    assert_eq!(country(&cat, &data, options(), "SHR.ALL", "TER").name, "Territory");
}

#[test]
fn country_progress_holds_a_numeric_series_to_the_same_rule() {
    let cat = catalogue();
    let data = country_data();
    // (target, country, status, reason, base (year, value), target value)
    type Case = (&'static str, &'static str, S, Option<&'static str>, Option<(i32, f64)>, Option<f64>);
    let cases: &[Case] = &[
        // 40 → 50, target 60: P = 0.6528.
        ("L.H", "CCC", S::ModerateProgress, None, Some((2017, 40.0)), Some(60.0)),
        ("L.H", "EAR", S::InsufficientData, Some(reasons::SINGLE_DATA_POINT), Some((2020, 70.0)), Some(60.0)),
        ("L.H", "TER", S::InsufficientData, Some(reasons::NO_DATA), None, Some(60.0)),
        // Own base 80 (2018; 2016 is before the baseline): x* = 120; 100 reached:
        // P = g(100, 80, 2022, 2018) / g(120, 80, 2023, 2018) = 0.6792.
        ("RC.S", "CCC", S::ModerateProgress, None, Some((2018, 80.0)), Some(120.0)),
        // No values: no base, hence no target value either.
        ("RC.S", "AAA", S::InsufficientData, Some(reasons::NO_DATA), None, None),
    ];
    for &(target, iso3, status, reason, base, x_star) in cases {
        let c = country(&cat, &data, options(), target, iso3);
        assert!(c.answer.is_none());
        let a = c.assessment.unwrap_or_else(|| panic!("{target} {iso3}: no assessment"));
        let what = format!("{target} {iso3}");
        assert_eq!(a.status, status, "{what}");
        assert_eq!(a.reason.as_deref(), reason, "{what}");
        assert_eq!(a.base_year.zip(a.base_value), base, "{what}");
        assert_eq!(a.target_value, x_star, "{what}");
    }
    let ccc = country(&cat, &data, options(), "RC.S", "CCC").assessment.unwrap();
    close(ccc.ratio, g(100.0, 80.0, 2022, 2018).unwrap() / g(120.0, 80.0, 2023, 2018).unwrap());
}

/// DEVELOPED internet: 2017 44, 2020 54, 2022 (400·60 + 100·80) / 500 = 64; all full coverage.
fn developed_internet() -> DataSet {
    let mut data = DataSet::default();
    put(&mut data, "internet_pct", &[("CCC", 2017, 40.0), ("CCC", 2020, 50.0), ("CCC", 2022, 60.0)]);
    put(&mut data, "internet_pct", &[("DDD", 2017, 60.0), ("DDD", 2020, 70.0), ("DDD", 2022, 80.0)]);
    data
}

#[test]
fn as_of_year_ignores_later_data() {
    let cat = catalogue();
    let data = developed_internet();
    let internet = MeasureSpec::of_indicator("internet_pct", &cat).unwrap();
    // (as of, years, current, status)
    type Case = (i32, &'static [i32], Option<(i32, f64)>, S);
    let cases: &[Case] = &[
        (2016, &[], None, S::InsufficientData),
        (2019, &[2017], Some((2017, 44.0)), S::InsufficientData),
        // P = g(54, 44, 2020, 2017) / g(60, 44, 2023, 2017) = 1.3317
        (2021, &[2017, 2020], Some((2020, 54.0)), S::SubstantialProgress),
        (2025, &[2017, 2020, 2022], Some((2022, 64.0)), S::TargetAchieved),
    ];
    for &(as_of, want_years, current, status) in cases {
        let options = with(|o| o.as_of_year = as_of);
        let p = progress(&cat, &data, options, "L.H", "DEVELOPED");
        assert_eq!(years(&p.series), want_years, "as of {as_of}");
        let a = &p.assessment;
        assert_eq!(a.as_of_year, as_of);
        assert_eq!(a.current_year.zip(a.current_value), current, "as of {as_of}");
        assert_eq!(a.status, status, "as of {as_of}");
        assert!(a.notes.is_empty(), "later values never reach the method: {:?}", a.notes);
        let ccc = country(&cat, &data, options, "L.H", "CCC").assessment.unwrap();
        assert_eq!(ccc.current_year, current.map(|c| c.0), "CCC as of {as_of}");
        // Carrying forward fills the gaps up to the as-of year, never past it; an analyst's
        // range is cut to [FIRST_YEAR, as of].
        let carried = with(|o| {
            o.as_of_year = as_of;
            o.carry_forward = 5;
        });
        let s = points(&cat, &data, carried, &internet, "DEVELOPED", (1900, 2100));
        let last = want_years.last().map(|_| as_of);
        assert_eq!(s.last().map(|p| p.year), last, "as of {as_of}");
        assert!(s.iter().all(|p| (FIRST_YEAR..=as_of).contains(&p.year)));
    }
}

proptest! {
    /// Values after the as-of year change nothing: not the series, not the assessment, not
    /// a country's assessment, whatever the method and the imputation.
    #[test]
    fn data_after_the_as_of_year_changes_nothing(
        later in prop::collection::vec((0usize..2, 2022i32..2031, 0.0f64..100.0), 1..10),
        carry in 0u32..3,
        method in prop_oneof![Just(Method::Statcan), Just(Method::Unsd2022), Just(Method::Unsd2023)],
    ) {
        let cat = catalogue();
        let mut base = DataSet::default();
        put(&mut base, "internet_pct", &[("CCC", 2017, 40.0), ("CCC", 2020, 50.0), ("DDD", 2017, 60.0), ("DDD", 2020, 70.0)]);
        let mut extended = base.clone();
        for &(c, year, value) in &later {
            extended.insert("internet_pct", "", ["CCC", "DDD"][c], year, value);
        }
        let options = with(|o| {
            o.as_of_year = 2021;
            o.carry_forward = carry;
            o.method = method;
        });
        let a = progress(&cat, &base, options, "L.H", "DEVELOPED");
        let b = progress(&cat, &extended, options, "L.H", "DEVELOPED");
        prop_assert_eq!(&a.series, &b.series);
        prop_assert_eq!(&a.latest, &b.latest);
        prop_assert_eq!(&a.assessment, &b.assessment);
        let ca = country(&cat, &base, options, "L.H", "CCC").assessment;
        let cb = country(&cat, &extended, options, "L.H", "CCC").assessment;
        prop_assert_eq!(ca, cb);
    }
}

// ---------------------------------------------------------------------------------------
// DOMAIN.md §4 worked examples, through group_progress on a one-country group
// ---------------------------------------------------------------------------------------

#[test]
fn worked_example_40_to_66_through_group_progress() {
    let cat = catalogue();
    let mut data = DataSet::default();
    put(&mut data, "internet_pct", &[("AAA", 2015, 40.0), ("AAA", 2022, 66.0)]);
    let p = progress(&cat, &data, options(), "WEX", "SOLO");
    check_point(&p.series[0], (2015, 40.0, 1, 1, 1.0));
    check_point(&p.series[1], (2022, 66.0, 1, 1, 1.0));
    let a = &p.assessment;
    assert_eq!((a.base_year, a.current_year, a.target_year), (Some(2015), Some(2022), 2030));
    // P = 0.074160 / 0.062990 ≈ 1.177; projected year 2022 + 0.415515 / 0.071540 ≈ 2027.8.
    assert!((a.ratio.unwrap() - 1.177).abs() < 5e-4, "P = {:?}", a.ratio);
    assert_eq!(a.status, S::SubstantialProgress);
    assert!((a.projected_year.unwrap() - 2027.8).abs() < 0.05, "year = {:?}", a.projected_year);
    assert_eq!(a.met_by_deadline, None);
}

#[test]
fn worked_example_6_to_4_5_lower_is_better_depends_on_the_method() {
    let cat = catalogue();
    let mut data = DataSet::default();
    put(&mut data, "price_fixed_pct", &[("AAA", 2015, 6.0), ("AAA", 2022, 4.5)]);
    // statcan P ≈ 0.570 (limited), unsd_2022 CR ≈ 0.570 (fair progress).
    for (method, status) in [(Method::Statcan, S::LimitedProgress), (Method::Unsd2022, S::FairProgress)] {
        let a = progress(&cat, &data, with(|o| o.method = method), "WEX.L", "SOLO").assessment;
        assert_eq!(a.method, method);
        assert!((a.ratio.unwrap() - 0.570).abs() < 5e-4, "{method}: {:?}", a.ratio);
        assert_eq!(a.status, status, "{method}");
    }
}
