//! Estimates in aggregates: the coverage split, the reported floor, explanations, and a
//! country's own assessment, which estimates never touch.

use super::*;
use crate::domain::tracking::explain;

/// Internet use in DEVELOPING (AAA 100 → 200 from 2020, BBB 300, NEW 50, TER 20):
///   AAA reports 2017 10 and 2021 30;  BBB 2017 10, 2019 20, 2023 40;
///   NEW 2018 10, 2019 12, 2020 14 (a line rising 2 a year);  TER 2017 5 only.
/// In 2021 under `trend`: AAA reported 30 (weight 200), BBB interpolated 30 (300), NEW
/// extrapolated 16 (50), TER extrapolated flat at 5 from its one report four years before (20).
fn developing() -> DataSet {
    let mut data = DataSet::default();
    put(
        &mut data,
        "internet_pct",
        &[
            ("AAA", 2017, 10.0),
            ("AAA", 2021, 30.0),
            ("BBB", 2017, 10.0),
            ("BBB", 2019, 20.0),
            ("BBB", 2023, 40.0),
            ("NEW", 2018, 10.0),
            ("NEW", 2019, 12.0),
            ("NEW", 2020, 14.0),
            ("TER", 2017, 5.0),
        ],
    );
    data
}

fn internet(cat: &Catalogue) -> MeasureSpec {
    MeasureSpec::of_indicator("internet_pct", cat).unwrap()
}

fn trend() -> Options {
    with(|o| o.estimation = Estimation::default())
}

/// The five weight shares: reported, interpolated, extrapolated, carried, missing.
fn split(p: &Point) -> [f64; 5] {
    let c = &p.coverage;
    [
        c.reported_weight_share,
        c.interpolated_weight_share,
        c.extrapolated_weight_share,
        c.carried_weight_share,
        c.missing_weight_share,
    ]
    .map(|s| s.unwrap())
}

#[track_caller]
fn close_all(got: [f64; 5], want: [f64; 5]) {
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() <= 1e-12, "{got:?} ≠ {want:?}");
    }
}

#[test]
fn each_aggregate_point_splits_its_weight_by_how_the_values_were_obtained() {
    let cat = catalogue();
    let data = developing();
    let spec = internet(&cat);
    // 2021, 570 in all. trend: (200·30 + 300·30 + 50·16 + 20·5) / 570 = 15900 / 570.
    let p = point(&points(&cat, &data, trend(), &spec, "DEVELOPING", (2021, 2021)), 2021).clone();
    close(p.value, 15900.0 / 570.0);
    close_all(split(&p), [200.0 / 570.0, 300.0 / 570.0, 70.0 / 570.0, 0.0, 0.0]);
    assert_eq!((p.coverage.countries_reporting, p.coverage.countries_imputed), (4, 3));
    close(p.coverage.imputed_weight_share, 370.0 / 570.0);
    // carry_forward 2: BBB carries 20 (2019), NEW 14 (2020); TER's 2017 is too old.
    let carried = with(|o| o.estimation = Estimation::carry_forward(2));
    let p = point(&points(&cat, &data, carried, &spec, "DEVELOPING", (2021, 2021)), 2021).clone();
    close(p.value, (200.0 * 30.0 + 300.0 * 20.0 + 50.0 * 14.0) / 550.0);
    close_all(split(&p), [200.0 / 570.0, 0.0, 0.0, 350.0 / 570.0, 20.0 / 570.0]);
    // Reporters only: AAA alone.
    let p = point(&points(&cat, &data, options(), &spec, "DEVELOPING", (2021, 2021)), 2021).clone();
    close(p.value, 30.0);
    close_all(split(&p), [200.0 / 570.0, 0.0, 0.0, 0.0, 370.0 / 570.0]);
    assert_eq!(p.coverage.countries_imputed, 0);
}

#[test]
fn a_year_resting_mostly_on_estimates_is_shown_flagged_and_never_assessed() {
    let cat = catalogue();
    let data = developing();
    let p = progress(&cat, &data, trend(), "L.H", "DEVELOPING");
    // 2021: 0.965 of the weight has a value, but only 200/570 = 0.35 was reported.
    let y2021 = point(&p.series, 2021);
    assert!(y2021.coverage.weight_share.unwrap() > 0.9);
    assert!(!y2021.meets_min_reported && !y2021.meets_min_coverage, "{y2021:?}");
    // 2019 (BBB and NEW report 350/470) and 2023 (BBB reports 300/570) are assessed.
    assert!(point(&p.series, 2019).meets_min_coverage);
    assert!(point(&p.series, 2023).meets_min_coverage);
    let a = &p.assessment;
    assert_eq!((a.base_year, a.current_year), (Some(2017), Some(2023)));
    assert_eq!(p.latest.as_ref().map(|l| l.year), Some(2023));
    // 2017: NEW (50 of 470) extrapolated back; 2023: AAA (200) and NEW (50) extrapolated,
    // TER (20) more than five years after its report: missing.
    close(p.base_estimated_share, 50.0 / 470.0);
    close(p.current_estimated_share, 250.0 / 570.0);
    // A lower floor admits 2021.
    let lenient = with(|o| {
        o.estimation = Estimation::default();
        o.min_reported = 0.3;
    });
    assert!(point(&progress(&cat, &data, lenient, "L.H", "DEVELOPING").series, 2021).meets_min_coverage);
}

#[test]
fn counts_are_interpolated_and_yes_no_answers_carried_in_aggregates() {
    let cat = catalogue();
    let mut data = DataSet::default();
    put(&mut data, "partnerships_count", &[("AAA", 2017, 2.0), ("AAA", 2021, 6.0), ("BBB", 2017, 1.0)]);
    put(&mut data, "strategy", &[("AAA", 2017, 1.0), ("BBB", 2019, 0.0)]);
    let count = MeasureSpec::of_indicator("partnerships_count", &cat).unwrap();
    let sums = points(&cat, &data, trend(), &count, "DEVELOPED", (2017, 2017));
    assert!(sums.is_empty(), "nobody in DEVELOPED reports");
    // 2019 in WORLD: AAA interpolated 4, BBB not extrapolated (a count): 4.
    let p = point(&points(&cat, &data, trend(), &count, "WORLD", (2019, 2019)), 2019).clone();
    close(p.value, 4.0);
    assert_eq!((p.coverage.countries_reporting, p.coverage.countries_imputed), (1, 1));
    // Yes/no in 2022: AAA's yes (2017) carried 5 years, BBB's no (2019) carried: 1 of 7 say yes.
    let strategy = MeasureSpec::of_indicator("strategy", &cat).unwrap();
    let p = point(&points(&cat, &data, trend(), &strategy, "WORLD", (2022, 2022)), 2022).clone();
    close(p.value, 100.0 / 7.0);
    let answers = p.answers.unwrap();
    assert_eq!((answers.yes, answers.no, answers.no_data), (1, 1, 5));
    close(p.coverage.carried_weight_share, 2.0 / 7.0);
    // 2023: AAA's answer is six years old.
    let p = point(&points(&cat, &data, trend(), &strategy, "WORLD", (2023, 2023)), 2023).clone();
    assert_eq!(p.answers.unwrap().yes, 0);
}

#[test]
fn an_explanation_lists_every_member_with_how_its_value_was_obtained() {
    let cat = catalogue();
    let data = developing();
    let inputs = Inputs { catalogue: &cat, data: &data, options: trend() };
    let e = explain(inputs, &internet(&cat), cat.group("DEVELOPING").unwrap(), 2021);
    let rows: Vec<_> = e
        .members
        .iter()
        .map(|m| (m.country.as_str(), m.value, m.basis, m.source_years.clone(), m.weight, m.population_year))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("AAA", Some(30.0), Basis::Reported, vec![2021], Some(200.0), Some(2021)),
            ("BBB", Some(30.0), Basis::Interpolated, vec![2019, 2023], Some(300.0), Some(2021)),
            ("NEW", Some(16.0), Basis::Extrapolated, vec![2018, 2019, 2020], Some(50.0), Some(2021)),
            ("TER", Some(5.0), Basis::Extrapolated, vec![2017], Some(20.0), Some(2021)),
        ]
    );
    close(e.point.value, 15900.0 / 570.0);
    assert!(!e.point.meets_min_reported);
    // Membership dates: AAA left LDC on 2020-12-04, so it counts in 2020 (1 July) only.
    let ldc = explain(inputs, &internet(&cat), cat.group("LDC").unwrap(), 2020);
    let aaa = ldc.members.iter().find(|m| m.country == "AAA").unwrap();
    assert_eq!(aaa.member_to, NaiveDate::from_ymd_opt(2020, 12, 4));
    assert!(explain(inputs, &internet(&cat), cat.group("LDC").unwrap(), 2021)
        .members
        .iter()
        .all(|m| m.country != "AAA"));
}

/// Random Internet values for every economy over 2010..=2025.
fn any_data() -> impl Strategy<Value = DataSet> {
    let economy = prop::sample::select(ECONOMIES.iter().map(|(c, _)| *c).collect::<Vec<_>>());
    prop::collection::vec((economy, 2010..=2025i32, 0.0..100.0f64), 0..40).prop_map(|rows| {
        let mut data = DataSet::default();
        for (country, year, value) in rows {
            data.insert("internet_pct", "", country, year, value);
        }
        data
    })
}

fn any_estimation() -> impl Strategy<Value = Estimation> {
    prop_oneof![
        Just(Estimation::NONE),
        (0..6u32).prop_map(Estimation::carry_forward),
        (0..6u32, 1..6u32).prop_map(|(h, n)| Estimation::trend(h, n)),
    ]
}

proptest! {
    #[test]
    fn an_explanation_always_reproduces_its_aggregate(
        data in any_data(), estimation in any_estimation(), year in 2008..=2027i32,
        group in prop::sample::select(vec!["WORLD", "DEVELOPING", "DEVELOPED", "LDC"]),
    ) {
        let cat = catalogue();
        let inputs = Inputs { catalogue: &cat, data: &data, options: with(|o| o.estimation = estimation) };
        let e = explain(inputs, &internet(&cat), cat.group(group).unwrap(), year);
        prop_assert_eq!(e.members.len(), e.point.coverage.countries_in_group);
        let used: Vec<_> = e.members.iter().filter_map(|m| m.value.zip(m.weight)).collect();
        let total: f64 = used.iter().map(|(_, w)| w).sum();
        let recomputed = (total > 0.0).then(|| used.iter().map(|(v, w)| v * w).sum::<f64>() / total);
        match (recomputed, e.point.value) {
            (Some(r), Some(v)) => prop_assert!((r - v).abs() <= 1e-9, "{} ≠ {}", r, v),
            (r, v) => prop_assert_eq!(r, v),
        }
        let missing = e.members.iter().filter(|m| m.basis == Basis::Missing).count();
        prop_assert_eq!(missing, e.point.coverage.countries_in_group - e.point.coverage.countries_reporting);
        for m in &e.members {
            prop_assert_eq!(m.basis == Basis::Reported, m.source_years == vec![year]);
            prop_assert_eq!(m.value.is_none(), m.basis == Basis::Missing);
        }
    }

    #[test]
    fn a_countrys_own_assessment_is_the_same_under_every_estimation_method(
        data in any_data(), a in any_estimation(), b in any_estimation(),
    ) {
        let cat = catalogue();
        for (iso3, _) in ECONOMIES {
            let one = country(&cat, &data, with(|o| o.estimation = a), "L.H", iso3);
            let other = country(&cat, &data, with(|o| o.estimation = b), "L.H", iso3);
            prop_assert_eq!(one.assessment, other.assessment);
        }
    }
}
