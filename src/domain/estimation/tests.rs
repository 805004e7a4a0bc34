//! Estimation on hand-made series; every expected number is worked out in the comment.

use super::{Basis, Estimate, Estimation, SeriesKind, YearValues};
use proptest::prelude::*;

const PCT: SeriesKind = SeriesKind::Level { range: Some((0.0, 100.0)) };

fn series(points: &[(i32, f64)]) -> YearValues {
    points.iter().copied().collect()
}

fn trend() -> Estimation {
    Estimation::default()
}

/// (value, basis, from, to) of an estimate, with the value rounded to 1e-9.
fn parts(e: Option<Estimate>) -> Option<(f64, Basis, i32, i32)> {
    e.map(|e| ((e.value * 1e9).round() / 1e9, e.basis, e.from, e.to))
}

#[test]
fn the_default_is_trend_with_five_year_horizons() {
    assert_eq!(trend(), Estimation::trend(5, 5));
}

#[test]
fn a_reported_year_is_returned_as_reported_under_every_method() {
    let s = series(&[(2018, 10.0), (2020, 14.0)]);
    for method in [Estimation::NONE, Estimation::carry_forward(3), trend()] {
        for kind in [PCT, SeriesKind::Count, SeriesKind::YesNo] {
            assert_eq!(parts(method.value(&s, 2020, kind)), Some((14.0, Basis::Reported, 2020, 2020)));
        }
    }
}

#[test]
fn gaps_are_interpolated_on_the_straight_line_between_the_neighbouring_reports() {
    // 2015 → 2019: 10 → 30, so 5 a year: 2016 15, 2017 20, 2018 25.
    let s = series(&[(2015, 10.0), (2019, 30.0), (2020, 31.0)]);
    for (year, want) in [(2016, 15.0), (2017, 20.0), (2018, 25.0)] {
        assert_eq!(parts(trend().value(&s, year, PCT)), Some((want, Basis::Interpolated, 2015, 2019)));
    }
    // Counts are interpolated too.
    assert_eq!(parts(trend().value(&s, 2017, SeriesKind::Count)), Some((20.0, Basis::Interpolated, 2015, 2019)));
    // Reporters only: nothing.
    assert_eq!(Estimation::NONE.value(&s, 2017, PCT), None);
}

#[test]
fn beyond_the_last_report_the_trend_of_the_last_five_reported_years_is_extrapolated() {
    // Reported 2010 (an outlier the fit must not see) and 2016..=2020 on the line 2·(y − 2016) + 20.
    let s = series(&[(2010, 90.0), (2016, 20.0), (2017, 22.0), (2018, 24.0), (2019, 26.0), (2020, 28.0)]);
    // 2021: 30, 2025: 38 (five years out); 2026 is too far.
    assert_eq!(parts(trend().value(&s, 2021, PCT)), Some((30.0, Basis::Extrapolated, 2016, 2020)));
    assert_eq!(parts(trend().value(&s, 2025, PCT)), Some((38.0, Basis::Extrapolated, 2016, 2020)));
    assert_eq!(trend().value(&s, 2026, PCT), None);
    // The horizon and the fitted years are parameters: three years fitted, two years out.
    let short = Estimation::trend(2, 3);
    assert_eq!(parts(short.value(&s, 2022, PCT)), Some((32.0, Basis::Extrapolated, 2018, 2020)));
    assert_eq!(short.value(&s, 2023, PCT), None);
}

#[test]
fn the_least_squares_line_is_fitted_not_drawn_through_the_end_points() {
    // Years 2018, 2019, 2020 with 10, 14, 15: mean x 2019, mean y 13, slope (−1·−3 + 1·2) / 2 = 2.5;
    // 2022: 13 + 2.5·3 = 20.5 (the last two points alone would give 17).
    let s = series(&[(2018, 10.0), (2019, 14.0), (2020, 15.0)]);
    assert_eq!(parts(trend().value(&s, 2022, PCT)), Some((20.5, Basis::Extrapolated, 2018, 2020)));
}

#[test]
fn before_the_first_report_the_trend_of_the_first_reported_years_is_extrapolated_backwards() {
    // 2018 20, 2019 25, 2020 30: 2016 is 10, 2013 is 5 years before and gives −5 → clamped to 0.
    let s = series(&[(2018, 20.0), (2019, 25.0), (2020, 30.0)]);
    assert_eq!(parts(trend().value(&s, 2016, PCT)), Some((10.0, Basis::Extrapolated, 2018, 2020)));
    assert_eq!(parts(trend().value(&s, 2013, PCT)), Some((0.0, Basis::Extrapolated, 2018, 2020)));
    assert_eq!(trend().value(&s, 2012, PCT), None);
}

#[test]
fn a_single_point_gives_a_flat_trend_within_the_horizon() {
    let s = series(&[(2019, 42.0)]);
    assert_eq!(parts(trend().value(&s, 2024, PCT)), Some((42.0, Basis::Extrapolated, 2019, 2019)));
    assert_eq!(parts(trend().value(&s, 2015, PCT)), Some((42.0, Basis::Extrapolated, 2019, 2019)));
    assert_eq!(trend().value(&s, 2025, PCT), None);
    assert_eq!(trend().value(&YearValues::new(), 2019, PCT), None);
}

#[test]
fn points_only_before_the_window_give_nothing() {
    // Reported up to 2012; asked for 2018 to 2023: more than five years after the last report.
    let s = series(&[(2008, 10.0), (2010, 12.0), (2012, 14.0)]);
    for year in 2018..=2023 {
        assert_eq!(trend().value(&s, year, PCT), None, "{year}");
        assert_eq!(Estimation::carry_forward(5).value(&s, year, PCT), None, "{year}");
    }
}

#[test]
fn a_trend_that_would_leave_the_valid_range_is_clamped_to_it() {
    // 80, 90, 100 in 2018..=2020: +10 a year would give 130 in 2023; percentages stop at 100.
    let s = series(&[(2018, 80.0), (2019, 90.0), (2020, 100.0)]);
    assert_eq!(parts(trend().value(&s, 2023, PCT)), Some((100.0, Basis::Extrapolated, 2018, 2020)));
    // A falling price series stops at 0.
    let s = series(&[(2018, 6.0), (2019, 3.0), (2020, 1.0)]);
    let e = trend().value(&s, 2024, PCT).unwrap();
    assert_eq!(e.value, 0.0);
    // Without a range the line is followed.
    let free = SeriesKind::Level { range: None };
    let s = series(&[(2018, 80.0), (2019, 90.0), (2020, 100.0)]);
    assert_eq!(parts(trend().value(&s, 2023, free)), Some((130.0, Basis::Extrapolated, 2018, 2020)));
}

#[test]
fn counts_are_interpolated_but_never_extrapolated() {
    let s = series(&[(2018, 3.0), (2020, 5.0)]);
    assert_eq!(parts(trend().value(&s, 2019, SeriesKind::Count)), Some((4.0, Basis::Interpolated, 2018, 2020)));
    assert_eq!(trend().value(&s, 2021, SeriesKind::Count), None);
    assert_eq!(trend().value(&s, 2017, SeriesKind::Count), None);
}

#[test]
fn yes_no_answers_are_carried_forward_up_to_the_horizon_and_never_backwards() {
    let s = series(&[(2017, 1.0), (2021, 0.0)]);
    assert_eq!(parts(trend().value(&s, 2019, SeriesKind::YesNo)), Some((1.0, Basis::Carried, 2017, 2017)));
    assert_eq!(parts(trend().value(&s, 2026, SeriesKind::YesNo)), Some((0.0, Basis::Carried, 2021, 2021)));
    assert_eq!(trend().value(&s, 2027, SeriesKind::YesNo), None);
    assert_eq!(trend().value(&s, 2016, SeriesKind::YesNo), None);
}

#[test]
fn carry_forward_keeps_the_latest_earlier_value_within_its_years() {
    let s = series(&[(2018, 1.0), (2020, 2.0), (2024, 9.0)]);
    let cases = [
        (2021, 0, None),
        (2021, 1, Some((2.0, Basis::Carried, 2020, 2020))),
        (2022, 2, Some((2.0, Basis::Carried, 2020, 2020))),
        (2023, 2, None),
        (2019, 1, Some((1.0, Basis::Carried, 2018, 2018))),
        (2017, 10, None),
        (i32::MAX, u32::MAX, Some((9.0, Basis::Carried, 2024, 2024))),
        (i32::MIN, u32::MAX, None),
    ];
    for (year, years, want) in cases {
        assert_eq!(parts(Estimation::carry_forward(years).value(&s, year, PCT)), want, "{year} {years}");
    }
}

#[test]
fn combining_keeps_the_least_certain_basis_and_every_year_used() {
    let a = Estimate { value: 1.0, basis: Basis::Reported, from: 2020, to: 2020 };
    let b = Estimate { value: 2.0, basis: Basis::Interpolated, from: 2018, to: 2021 };
    assert_eq!(a.combine(b, 3.0), Estimate { value: 3.0, basis: Basis::Interpolated, from: 2018, to: 2021 });
}

fn any_series() -> impl Strategy<Value = YearValues> {
    prop::collection::btree_map(1995..2025i32, 0.0..100.0f64, 0..12)
}

fn any_method() -> impl Strategy<Value = Estimation> {
    prop_oneof![
        Just(Estimation::NONE),
        (0..8u32).prop_map(Estimation::carry_forward),
        (0..8u32, 1..8u32).prop_map(|(h, n)| Estimation::trend(h, n)),
    ]
}

fn any_kind() -> impl Strategy<Value = SeriesKind> {
    prop_oneof![Just(PCT), Just(SeriesKind::Count), Just(SeriesKind::YesNo)]
}

proptest! {
    #[test]
    fn estimation_never_alters_a_reported_value(s in any_series(), method in any_method(), kind in any_kind()) {
        for (year, value) in &s {
            let e = method.value(&s, *year, kind).unwrap();
            prop_assert_eq!((e.value, e.basis, e.from, e.to), (*value, Basis::Reported, *year, *year));
        }
    }

    #[test]
    fn an_estimate_rests_on_reported_years_within_the_horizon_and_the_range(
        s in any_series(), method in any_method(), kind in any_kind(), year in 1985..2035i32,
    ) {
        prop_assume!(!s.contains_key(&year));
        if let Some(e) = method.value(&s, year, kind) {
            prop_assert!(e.basis != Basis::Reported && e.basis != Basis::Missing);
            prop_assert!(s.contains_key(&e.from) && s.contains_key(&e.to) && e.from <= e.to);
            prop_assert!((0.0..=100.0).contains(&e.value), "{e:?}");
            match e.basis {
                // Between its two neighbours, never beyond them.
                Basis::Interpolated => {
                    prop_assert!(e.from < year && year < e.to);
                    prop_assert_eq!(s.range(e.from + 1..e.to).count(), 0);
                    let (a, b) = (s[&e.from], s[&e.to]);
                    prop_assert!(a.min(b) - 1e-9 <= e.value && e.value <= a.max(b) + 1e-9);
                }
                Basis::Carried => {
                    prop_assert_eq!(e.value, s[&e.from]);
                    prop_assert!(year > e.from && i64::from(year - e.from) <= i64::from(method.horizon));
                }
                _ => {
                    let level = matches!(kind, SeriesKind::Level { .. });
                    prop_assert!(level, "only levels are extrapolated");
                    let gap = if year > e.to { year - e.to } else { e.from - year };
                    prop_assert!(gap > 0 && i64::from(gap) <= i64::from(method.horizon));
                }
            }
        }
    }
}
