//! Classification bands at their boundaries, projections at their edges, input cleaning and
//! the names of methods and directions.

use serde::de::value::{Error as DeError, StrDeserializer};
use serde::de::IntoDeserializer;
use serde::Deserialize;

use super::super::methods::reasons as r;
use super::super::methods::{assess, classify, thresholds, Direction, Method, ProgressStatus, Threshold};
use super::assert_close;
use super::methods::{projection_reason, reason, series, spec, NOW};
use Direction::{HigherIsBetter as Higher, LowerIsBetter as Lower};
use Method::{Statcan, Unsd2022, Unsd2023};
use ProgressStatus as S;

#[test]
fn threshold_boundaries() {
    // Each band's `min` is inclusive; just below falls into the next band.
    let below = |x: f64| x - 1e-9;
    let cases = [
        (Statcan, true, 0.95, S::SubstantialProgress, S::ModerateProgress),
        (Statcan, true, 0.60, S::ModerateProgress, S::LimitedProgress),
        (Statcan, true, 0.0, S::LimitedProgress, S::Deterioration),
        (Statcan, false, 0.015, S::SubstantialProgress, S::ModerateProgress),
        (Statcan, false, 0.005, S::ModerateProgress, S::LimitedProgress),
        (Statcan, false, 0.0, S::LimitedProgress, S::Deterioration),
        (Unsd2022, true, 0.95, S::OnTrack, S::FairProgress),
        (Unsd2022, true, 0.5, S::FairProgress, S::LimitedProgress),
        (Unsd2022, true, -0.1, S::LimitedProgress, S::Deterioration),
        (Unsd2023, true, 0.95, S::OnTrack, S::FairProgress),
        (Unsd2023, true, 0.10, S::FairProgress, S::StagnationOrRegression),
    ];
    for (method, has_target, edge, at, under) in cases {
        let bands = thresholds(method, has_target);
        assert_eq!(classify(&bands, edge), at, "{method} {edge}");
        assert_eq!(classify(&bands, below(edge)), under, "{method} below {edge}");
    }
    for method in Method::ALL {
        let bands = thresholds(method, true);
        assert_eq!(bands.last().map(|b| b.min), Some(None), "{method}");
        assert_eq!(classify(&bands, f64::MIN), bands.last().unwrap().status);
    }
}

#[test]
fn threshold_boundaries_through_assess() {
    // x0 = 100 at 2020, target 200 at 2030 (higher is better), xt at 2025: the unsd_2022 CR
    // and statcan P are g(xt,100,5) / g(200,100,10); pick xt so that CR = 0.95 ± 0.001.
    let g_req = 2f64.powf(0.1) - 1.0;
    let xt_for = |cr: f64| 100.0 * (1.0 + cr * g_req).powi(5);
    let t = spec(Some(200.0), 2030, Higher, Some(2020));
    let at = |cr: f64, m: Method| assess(m, &series(&[(2020, 100.0), (2025, xt_for(cr))]), &t, NOW);
    assert_eq!(at(0.951, Statcan).status, S::SubstantialProgress);
    assert_eq!(at(0.949, Statcan).status, S::ModerateProgress);
    assert_eq!(at(0.601, Statcan).status, S::ModerateProgress);
    assert_eq!(at(0.599, Statcan).status, S::LimitedProgress);
    assert_eq!(at(0.951, Unsd2022).status, S::OnTrack);
    assert_eq!(at(0.949, Unsd2022).status, S::FairProgress);
    assert_eq!(at(0.501, Unsd2022).status, S::FairProgress);
    assert_eq!(at(0.499, Unsd2022).status, S::LimitedProgress);
    assert_eq!(at(-0.099, Unsd2022).status, S::LimitedProgress);
    assert_eq!(at(-0.101, Unsd2022).status, S::Deterioration);
    assert_close(at(0.7, Unsd2022).ratio, 0.7, 1e-9);

    // unsd_2023 with no change: x̂ = x0 → ratio 0 → stagnation.
    let flat = assess(Unsd2023, &series(&[(2020, 100.0), (2025, 100.0)]), &t, NOW);
    assert_eq!(flat.status, S::StagnationOrRegression);
    assert_close(flat.ratio, 0.0, 0.0);
    assert_eq!(projection_reason(&flat), Some(r::NO_TREND));
}

#[test]
fn projection_edge_cases() {
    // Decline toward a target of zero never reaches it at a constant rate.
    let s = series(&[(2017, 8.0), (2022, 4.0)]);
    let a = assess(Statcan, &s, &spec(Some(0.0), 2030, Lower, None), NOW);
    assert_eq!(a.projected_year, None);
    assert_eq!(projection_reason(&a), Some(r::NOT_REACHABLE_AT_CONSTANT_RATE));
    // Current value 0 with higher-is-better: g = −1, moving away, still finite everywhere.
    let s = series(&[(2017, 8.0), (2022, 0.0)]);
    let a = assess(Unsd2023, &s, &spec(Some(10.0), 2030, Higher, None), NOW);
    assert_close(a.growth_rate_actual, -1.0, 0.0);
    assert_eq!(projection_reason(&a), Some(r::MOVING_AWAY));
    assert_close(a.projected_value, 0.0, 0.0);
}

#[test]
fn inputs_are_cleaned_and_noted() {
    let s = series(&[
        (2017, 40.0),
        (2022, 1.0),
        (2022, 66.0), // the later duplicate wins
        (2023, f64::NAN),
        (2026, 99.0), // after the as-of year
    ]);
    let mut t = spec(Some(100.0), 2030, Higher, Some(2017));
    t.clamp = Some((100.0, 0.0));
    let a = assess(Statcan, &s, &t, NOW);
    assert_eq!(a.current_value, Some(66.0));
    assert_eq!(a.current_year, Some(2022));
    assert_eq!(a.clamp, None);
    for note in [r::DUPLICATE_YEAR, r::FUTURE_OBSERVATIONS_IGNORED, r::NON_FINITE_VALUES_IGNORED, r::INVALID_CLAMP] {
        assert!(a.notes.iter().any(|n| n == note), "missing note {note}");
    }
    // An assessment as of 2020 sees only the 2017 value.
    let a = assess(Statcan, &s, &t, 2020);
    assert_eq!(reason(&a), Some(r::SINGLE_DATA_POINT));
}

#[test]
fn target_met_at_base_is_noted() {
    let s = series(&[(2017, 50.0), (2022, 30.0)]);
    let a = assess(Unsd2022, &s, &spec(Some(40.0), 2030, Higher, None), NOW);
    assert!(a.notes.iter().any(|n| n == r::TARGET_MET_AT_BASE));
}

fn de<'a, T: Deserialize<'a>>(s: &'a str) -> Result<T, DeError> {
    let d: StrDeserializer<'a, DeError> = s.into_deserializer();
    T::deserialize(d)
}

#[test]
fn method_names() {
    for (m, name) in [(Statcan, "statcan"), (Unsd2022, "unsd_2022"), (Unsd2023, "unsd_2023")] {
        assert_eq!(m.as_str(), name);
        assert_eq!(m.to_string(), name);
        assert_eq!(name.parse::<Method>(), Ok(m));
        assert_eq!(de::<Method>(name).unwrap(), m);
    }
    assert_eq!(Method::default(), Statcan);
    let err = "unsd2022".parse::<Method>().unwrap_err();
    assert_eq!(err.input, "unsd2022");
    assert_eq!(err.to_string(), "unknown progress method `unsd2022`; expected one of: statcan, unsd_2022, unsd_2023");
    assert!("StatCan".parse::<Method>().is_err());
    assert!(de::<Method>("unsd2022").is_err());
}

#[test]
fn direction_names_and_sign() {
    assert_eq!(Higher.sign(), 1.0);
    assert_eq!(Lower.sign(), -1.0);
    assert_eq!(Higher.flipped(), Lower);
    for (d, name) in [(Higher, "higher_is_better"), (Lower, "lower_is_better")] {
        assert_eq!(name.parse::<Direction>(), Ok(d));
        assert_eq!(de::<Direction>(name).unwrap(), d);
        assert_eq!(d.to_string(), name);
    }
    assert!("higher".parse::<Direction>().is_err());
}

#[test]
fn status_names_match_serde() {
    let all = [
        S::TargetAchieved,
        S::SubstantialProgress,
        S::ModerateProgress,
        S::LimitedProgress,
        S::Deterioration,
        S::OnTrack,
        S::FairProgress,
        S::StagnationOrRegression,
        S::InsufficientData,
    ];
    for s in all {
        assert_eq!(de::<ProgressStatus>(s.as_str()).unwrap(), s);
    }
    assert_eq!(S::StagnationOrRegression.as_str(), "stagnation_or_regression");
}

#[test]
fn threshold_lists_are_ordered_high_to_low() {
    for method in Method::ALL {
        for has_target in [true, false] {
            let mins: Vec<f64> = thresholds(method, has_target).iter().filter_map(|t: &Threshold| t.min).collect();
            assert!(mins.windows(2).all(|w| w[0] > w[1]), "{method} {has_target}");
        }
    }
}

#[test]
fn a_single_data_point_already_meeting_the_target_is_achieved_under_every_method() {
    // Open SDG checks the target before anything else; one value of 75 against ≥ 70 is enough.
    for method in Method::ALL {
        let a = assess(method, &series(&[(2020, 75.0)]), &spec(Some(70.0), 2023, Higher, None), NOW);
        assert_eq!((a.status, reason(&a)), (S::TargetAchieved, None), "{method}");
        assert_eq!(projection_reason(&a), Some(r::ALREADY_ACHIEVED));
        assert_eq!(a.ratio, None, "no trend is measured from one point");
        // Below the target, one point is still not enough.
        let a = assess(method, &series(&[(2020, 65.0)]), &spec(Some(70.0), 2023, Higher, None), NOW);
        assert_eq!((a.status, reason(&a)), (S::InsufficientData, Some(r::SINGLE_DATA_POINT)), "{method}");
    }
    // Lower is better, from a zero base: 0 ≤ 2 is achieved, though no growth rate exists.
    let a = assess(Statcan, &series(&[(2017, 0.0), (2022, 0.0)]), &spec(Some(2.0), 2023, Lower, None), NOW);
    assert_eq!(a.status, S::TargetAchieved);
}
