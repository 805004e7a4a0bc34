use super::super::methods::reasons as r;
use super::super::methods::{
    assess, thresholds, Assessment, Direction, Method, Observation, ProgressStatus, TargetSpec,
};
use super::assert_close;
use Direction::{HigherIsBetter as Higher, LowerIsBetter as Lower};
use Method::{Statcan, Unsd2022, Unsd2023};
use ProgressStatus as S;

const TOL: f64 = 5e-4;
pub(super) const NOW: i32 = 2025;

pub(super) fn series(points: &[(i32, f64)]) -> Vec<Observation> {
    points.iter().map(|&(year, value)| Observation { year, value }).collect()
}

pub(super) fn spec(value: Option<f64>, year: i32, direction: Direction, baseline: Option<i32>) -> TargetSpec {
    TargetSpec { value, year, direction, baseline_year: baseline, clamp: None }
}

pub(super) fn reason(a: &Assessment) -> Option<&str> {
    a.reason.as_deref()
}

pub(super) fn projection_reason(a: &Assessment) -> Option<&str> {
    a.projection_reason.as_deref()
}

// Worked example 1 (docs/methodology.md, "Progress methods"): t0 = 2015, t = 2022, T = 2030, 40 → 66 %, target 100,
// higher is better. By hand:
//   g_actual   = (66/40)^(1/7) − 1  = exp(ln 1.65 / 7)  − 1 = exp(0.071540) − 1 = 0.074160
//   g_required = (100/40)^(1/15) − 1 = exp(ln 2.5 / 15) − 1 = exp(0.061086) − 1 = 0.062990
//   statcan P  = +1 · 0.074160 / 0.062990 = 1.17733        → ≥ 0.95 substantial progress
//   unsd_2022 CR = 0.074160 / 0.062990 = 1.17733            → ≥ 0.95 on track
//   projected year = 2022 + ln(100/66) / ln(1.074160) = 2022 + 0.415515 / 0.071540 = 2027.808
//   required annual rate = (100/66)^(1/8) − 1 = 0.053312
//   unsd_2023: x̂_2030 = 66 · 1.074160^8 = 116.976; clamped to 100 → ratio (100−40)/(100−40) = 1
//              unclamped ratio = (116.976 − 40) / 60 = 1.28293
fn example_1() -> (Vec<Observation>, TargetSpec) {
    (series(&[(2015, 40.0), (2022, 66.0)]), spec(Some(100.0), 2030, Higher, Some(2015)))
}

// Worked example 2: 6.0 → 4.5 % of GNI, target 2, lower is better. By hand:
//   g_actual   = (4.5/6)^(1/7) − 1 = exp(ln 0.75 / 7)   − 1 = exp(−0.041098) − 1 = −0.040264
//   g_required = (2/6)^(1/15) − 1  = exp(ln(1/3) / 15) − 1 = exp(−0.073241) − 1 = −0.070623
//   statcan P  = −1 · (−0.040264) / |−0.070623| = 0.57013   → 0 ≤ P < 0.60 limited progress
//   unsd_2022 CR = (−0.040264) / (−0.070623) = 0.57013      → 0.5 ≤ CR < 0.95 fair progress
//   projected year = 2022 + ln(2/4.5) / ln(0.959736) = 2022 + (−0.810930) / (−0.041098) = 2041.73
//   required annual rate = (2/4.5)^(1/8) − 1 = −0.096398
//   unsd_2023: x̂_2030 = 4.5 · 0.959736^8 = 3.23911; ratio = (3.23911 − 6) / (2 − 6) = 0.69022
//              → fair progress
fn example_2() -> (Vec<Observation>, TargetSpec) {
    (series(&[(2015, 6.0), (2022, 4.5)]), spec(Some(2.0), 2030, Lower, Some(2015)))
}

#[test]
fn worked_example_1_statcan() {
    let (s, t) = example_1();
    let a = assess(Statcan, &s, &t, NOW);
    assert_eq!(a.status, S::SubstantialProgress);
    assert_close(a.ratio, 1.177, TOL);
    assert_close(a.growth_rate_actual, 0.074160, 1e-6);
    assert_close(a.growth_rate_required, 0.062990, 1e-6);
    assert_close(a.projected_year, 2027.8, 0.01);
    assert_close(a.required_annual_rate, 0.053312, 1e-6);
    assert_eq!((a.base_year, a.base_value), (Some(2015), Some(40.0)));
    assert_eq!((a.current_year, a.current_value), (Some(2022), Some(66.0)));
    assert_eq!((a.target_value, a.target_year), (Some(100.0), 2030));
    assert_eq!(a.reason, None);
    assert_eq!(a.projection_reason, None);
    assert_eq!(a.met_by_deadline, None);
    assert!(a.notes.is_empty());
    assert_eq!(a.thresholds, thresholds(Statcan, true));
}

#[test]
fn worked_example_1_unsd() {
    let (s, mut t) = example_1();
    let a = assess(Unsd2022, &s, &t, NOW);
    assert_eq!(a.status, S::OnTrack);
    assert_close(a.ratio, 1.177, TOL);

    let a = assess(Unsd2023, &s, &t, NOW);
    assert_eq!(a.status, S::OnTrack);
    assert_close(a.projected_value, 116.976, TOL);
    assert_close(a.ratio, 1.28293, TOL);

    t.clamp = Some((0.0, 100.0));
    let a = assess(Unsd2023, &s, &t, NOW);
    assert_eq!(a.status, S::OnTrack);
    assert_close(a.projected_value, 100.0, 0.0);
    assert_close(a.ratio, 1.0, 1e-12);
}

#[test]
fn worked_example_2_methods_disagree() {
    let (s, t) = example_2();
    let a = assess(Statcan, &s, &t, NOW);
    assert_eq!(a.status, S::LimitedProgress);
    assert_close(a.ratio, 0.570, TOL);
    assert_close(a.growth_rate_actual, -0.040264, 1e-6);
    assert_close(a.growth_rate_required, -0.070623, 1e-6);
    assert_close(a.projected_year, 2041.73, 0.01);
    assert_close(a.required_annual_rate, -0.096398, 1e-6);

    let b = assess(Unsd2022, &s, &t, NOW);
    assert_eq!(b.status, S::FairProgress);
    assert_close(b.ratio, 0.570, TOL);
    // Same number, different verdict: why the method is always named.
    assert_eq!(a.ratio, b.ratio);
    assert_ne!(a.method, b.method);

    let c = assess(Unsd2023, &s, &t, NOW);
    assert_eq!(c.status, S::FairProgress);
    assert_close(c.projected_value, 3.23911, 1e-4);
    assert_close(c.ratio, 0.69022, 1e-4);
}

#[test]
fn wrong_direction_is_deterioration_and_moving_away() {
    // Example 2 read as higher-is-better: the fall from 6 to 4.5 is now regress, and the
    // target 2 is already met (4.5 ≥ 2) — so use a target above the data instead.
    let s = series(&[(2015, 6.0), (2022, 4.5)]);
    let t = spec(Some(8.0), 2030, Higher, Some(2015));
    let a = assess(Statcan, &s, &t, NOW);
    assert_eq!(a.status, S::Deterioration);
    assert!(a.ratio.unwrap() < 0.0);
    assert_eq!(a.projected_year, None);
    assert_eq!(projection_reason(&a), Some(r::MOVING_AWAY));
    // (8/6)^(1/15) − 1 = 0.019361; CR = −0.040264 / 0.019361 = −2.0797 < −0.1.
    let b = assess(Unsd2022, &s, &t, NOW);
    assert_eq!(b.status, S::Deterioration);
    assert_close(b.ratio, -2.0797, TOL);
    // x̂ = 3.23911 → (3.23911 − 6) / (8 − 6) = −1.3804 < 0.10.
    let c = assess(Unsd2023, &s, &t, NOW);
    assert_eq!(c.status, S::StagnationOrRegression);
    assert_close(c.ratio, -1.3804, TOL);
}

#[test]
fn target_already_met_in_both_directions() {
    let cases = [
        (series(&[(2017, 40.0), (2022, 66.0)]), Some(60.0), Higher),
        (series(&[(2017, 40.0), (2022, 60.0)]), Some(60.0), Higher),
        (series(&[(2017, 6.0), (2022, 1.9)]), Some(2.0), Lower),
        (series(&[(2017, 6.0), (2022, 2.0)]), Some(2.0), Lower),
    ];
    for (s, value, direction) in cases {
        for method in Method::ALL {
            let a = assess(method, &s, &spec(value, 2023, direction, None), NOW);
            assert_eq!(a.status, S::TargetAchieved, "{method} {direction}");
            assert_eq!(projection_reason(&a), Some(r::ALREADY_ACHIEVED));
            assert_eq!(a.projected_year, None);
            // The ratio stays in the output as provenance.
            assert!(a.ratio.is_some(), "{method} {direction}");
        }
    }
}

#[test]
fn insufficient_data_reasons() {
    let higher = spec(Some(100.0), 2023, Higher, None);
    let cases: Vec<(&str, Vec<Observation>, TargetSpec, &str)> = vec![
        ("empty", vec![], higher, r::NO_DATA),
        ("only NaN", series(&[(2018, f64::NAN)]), higher, r::NO_DATA),
        ("only future", series(&[(2030, 5.0)]), higher, r::NO_DATA),
        ("single point", series(&[(2019, 5.0)]), higher, r::SINGLE_DATA_POINT),
        ("same year twice", series(&[(2019, 5.0), (2019, 6.0)]), higher, r::SINGLE_DATA_POINT),
        ("only before 2017", series(&[(2014, 5.0), (2016, 6.0)]), higher, r::NO_BASE_YEAR_DATA),
        ("one point after base", series(&[(2014, 5.0), (2020, 6.0)]), higher, r::SINGLE_DATA_POINT),
        ("zero base", series(&[(2017, 0.0), (2022, 6.0)]), higher, r::NON_POSITIVE_BASE),
        ("negative base", series(&[(2017, -3.0), (2022, 6.0)]), higher, r::NON_POSITIVE_BASE),
        ("negative current", series(&[(2017, 3.0), (2022, -1.0)]), higher, r::SIGN_CHANGE),
        ("negative target", series(&[(2017, 3.0), (2022, 1.0)]), spec(Some(-1.0), 2023, Lower, None), r::SIGN_CHANGE),
        (
            "target year is base year",
            series(&[(2017, 3.0), (2022, 4.0)]),
            spec(Some(10.0), 2017, Higher, None),
            r::TARGET_YEAR_NOT_AFTER_BASE,
        ),
        (
            "target equals base, not reached",
            series(&[(2017, 50.0), (2022, 40.0)]),
            spec(Some(50.0), 2023, Higher, None),
            r::TARGET_EQUALS_BASE,
        ),
    ];
    for (name, s, t, want) in cases {
        for method in Method::ALL {
            let a = assess(method, &s, &t, NOW);
            assert_eq!(a.status, S::InsufficientData, "{name} / {method}");
            assert_eq!(reason(&a), Some(want), "{name} / {method}");
            assert_eq!(a.ratio, None, "{name} / {method}");
            assert_eq!(a.projected_year, None, "{name} / {method}");
            assert_eq!(projection_reason(&a), Some(r::INSUFFICIENT_DATA));
        }
    }
}

#[test]
fn insufficient_data_keeps_what_is_known() {
    let s = series(&[(2019, 50.0)]);
    let a = assess(Statcan, &s, &spec(Some(100.0), 2023, Higher, None), NOW);
    assert_eq!(reason(&a), Some(r::SINGLE_DATA_POINT));
    assert_eq!((a.base_year, a.current_year), (Some(2019), Some(2019)));
    // The rate still needed is arithmetic, not a guess: (100/50)^(1/4) − 1.
    assert_close(a.required_annual_rate, 2f64.powf(0.25) - 1.0, 1e-12);
}

#[test]
fn base_year_selection() {
    let higher = |baseline| spec(Some(1000.0), 2030, Higher, baseline);
    let cases = [
        // Default 2017 when the target declares no baseline.
        (vec![(2015, 1.0), (2017, 2.0), (2022, 3.0)], None, 2017),
        // First later year when 2017 has no value.
        (vec![(2015, 1.0), (2018, 2.0), (2022, 3.0)], None, 2018),
        // Declared baseline used when it has a value, even before 2017.
        (vec![(2015, 1.0), (2017, 2.0), (2022, 3.0)], Some(2015), 2015),
        // Declared baseline without a value: first later year, not an earlier one.
        (vec![(2014, 1.0), (2016, 2.0), (2022, 3.0)], Some(2015), 2016),
        // Input order does not matter.
        (vec![(2022, 3.0), (2019, 2.0), (2016, 1.0)], None, 2019),
    ];
    for (points, baseline, want) in cases {
        let a = assess(Statcan, &series(&points), &higher(baseline), NOW);
        assert_eq!(a.base_year, Some(want), "{points:?} {baseline:?}");
        assert_eq!(a.current_year, Some(2022));
        assert_eq!(a.declared_baseline_year, baseline);
    }
}

#[test]
fn deadline_in_the_past() {
    // Deadline 2023, data to 2024: met_by_deadline comes from the 2023 value, the trend
    // from the latest value, and no rate is "required" for a deadline already gone.
    let s = series(&[(2017, 40.0), (2020, 50.0), (2023, 58.0), (2024, 66.0)]);
    let t = spec(Some(60.0), 2023, Higher, None);
    let a = assess(Statcan, &s, &t, 2025);
    assert_eq!(a.met_by_deadline, Some(false));
    assert_eq!(a.deadline_value, Some(58.0));
    assert_eq!(a.status, S::TargetAchieved);
    assert_eq!(a.required_annual_rate, None);

    let t = spec(Some(70.0), 2023, Higher, None);
    let a = assess(Statcan, &s, &t, 2025);
    // g_actual = (66/40)^(1/7) − 1 = 0.074160; g_required = (70/40)^(1/6) − 1 = 0.097757;
    // P = 0.758617 → moderate; T = 2023 < t = 2024 is still computed as given.
    assert_eq!(a.status, S::ModerateProgress);
    assert_close(a.ratio, 0.758617, 1e-5);
    assert_eq!(a.required_annual_rate, None);
    // 2024 + ln(70/66) / ln(1.074160) = 2024 + 0.058841 / 0.071540 = 2024.8225
    assert_close(a.projected_year, 2024.8225, 1e-3);

    // Lower is better: 2023 value 1.9 ≤ 2.
    let s = series(&[(2017, 6.0), (2023, 1.9), (2024, 2.5)]);
    let a = assess(Statcan, &s, &spec(Some(2.0), 2023, Lower, None), 2025);
    assert_eq!(a.met_by_deadline, Some(true));
    assert_ne!(a.status, S::TargetAchieved);

    // No value in the deadline year: unknown, not false.
    let s = series(&[(2017, 6.0), (2024, 2.5)]);
    let a = assess(Statcan, &s, &spec(Some(2.0), 2023, Lower, None), 2025);
    assert_eq!(a.met_by_deadline, None);
}

#[test]
fn target_year_before_base_is_computed_with_a_note() {
    // No data from 2017 until 2024, target year 2023: T < t0 but T ≠ t0, so the formulas
    // are applied as written and the oddity is flagged.
    let s = series(&[(2024, 60.0), (2025, 66.0)]);
    let a = assess(Statcan, &s, &spec(Some(100.0), 2023, Higher, None), 2025);
    assert_eq!(a.base_year, Some(2024));
    assert!(a.notes.iter().any(|n| n == r::TARGET_YEAR_BEFORE_BASE));
    assert!(a.ratio.is_some());
    assert_ne!(a.status, S::InsufficientData);
}

#[test]
fn without_target_statcan_uses_trend_thresholds() {
    // P = d · g_actual; bands 1.5 % / 0.5 % / 0.
    let cases = [
        (100.0, 110.0, Higher, S::SubstantialProgress), // g = 10 %
        (100.0, 101.0, Higher, S::ModerateProgress),    // g = 1 %
        (100.0, 100.2, Higher, S::LimitedProgress),     // g = 0.2 %
        (100.0, 100.0, Higher, S::LimitedProgress),     // g = 0 (P ≥ 0)
        (100.0, 99.0, Higher, S::Deterioration),        // g = −1 %
        (100.0, 99.0, Lower, S::ModerateProgress),      // P = +1 %
        (100.0, 110.0, Lower, S::Deterioration),
    ];
    for (x0, xt, direction, want) in cases {
        let s = series(&[(2021, x0), (2022, xt)]);
        let a = assess(Statcan, &s, &spec(None, 2023, direction, None), NOW);
        assert_eq!(a.status, want, "{x0}→{xt} {direction}");
        assert_close(a.ratio, direction.sign() * (xt / x0 - 1.0), 1e-12);
        assert_eq!(a.thresholds, thresholds(Statcan, false));
        assert_eq!(projection_reason(&a), Some(r::NO_TARGET_VALUE));
        assert_eq!(a.met_by_deadline, None);
    }
    for method in [Unsd2022, Unsd2023] {
        let s = series(&[(2021, 1.0), (2022, 2.0)]);
        let a = assess(method, &s, &spec(None, 2023, Higher, None), NOW);
        assert_eq!(a.status, S::InsufficientData);
        assert_eq!(reason(&a), Some(r::NO_TARGET_VALUE));
    }
}
