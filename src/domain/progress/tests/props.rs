//! Property tests of the invariants the service relies on.

use proptest::prelude::*;

use super::super::aggregate::{share_of_countries, weighted_mean, MemberValue, YesNo};
use super::super::methods::{assess, Assessment, Direction, Method, Observation, TargetSpec};
use super::extreme;
use crate::domain::estimation::Basis;

fn basis() -> impl Strategy<Value = Basis> {
    prop_oneof![Just(Basis::Reported), Just(Basis::Interpolated), Just(Basis::Carried), Just(Basis::Extrapolated)]
}

fn members() -> impl Strategy<Value = Vec<MemberValue>> {
    prop::collection::vec(
        (prop::option::weighted(0.9, 1.0f64..1e9), prop::option::weighted(0.8, 0.0f64..100.0), basis()),
        0..12,
    )
    .prop_map(|rows| rows.into_iter().map(|(weight, value, basis)| MemberValue { weight, value, basis }).collect())
}

fn used_values(members: &[MemberValue]) -> Vec<f64> {
    members.iter().filter(|m| m.weight.is_some()).filter_map(|m| m.value).collect()
}

fn all_floats(a: &Assessment) -> Vec<Option<f64>> {
    vec![
        a.base_value,
        a.current_value,
        a.target_value,
        a.growth_rate_actual,
        a.growth_rate_required,
        a.ratio,
        a.projected_value,
        a.projected_year,
        a.required_annual_rate,
        a.deadline_value,
    ]
}

fn spec(value: Option<f64>, year: i32, direction: Direction) -> TargetSpec {
    TargetSpec { value, year, direction, baseline_year: None, clamp: Some((0.0, 100.0)) }
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![Just(Direction::HigherIsBetter), Just(Direction::LowerIsBetter)]
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![Just(Method::Statcan), Just(Method::Unsd2022), Just(Method::Unsd2023)]
}

proptest! {
    #[test]
    fn flipping_direction_flips_statcan_p(
        x0 in 0.1f64..1000.0,
        xt in 0.0f64..1000.0,
        target in prop::option::of(0.0f64..1000.0),
        span in 1i32..10,
        target_year in 2018i32..2040,
        d in direction(),
    ) {
        let s = [
            Observation { year: 2017, value: x0 },
            Observation { year: 2017 + span, value: xt },
        ];
        let a = assess(Method::Statcan, &s, &spec(target, target_year, d), 2100);
        let b = assess(Method::Statcan, &s, &spec(target, target_year, d.flipped()), 2100);
        prop_assert_eq!(a.ratio.is_some(), b.ratio.is_some());
        if let (Some(p), Some(q)) = (a.ratio, b.ratio) {
            prop_assert_eq!(p, -q);
        }
    }

    #[test]
    fn statcan_and_unsd_2022_agree_in_magnitude(
        x0 in 0.1f64..1000.0,
        xt in 0.1f64..1000.0,
        target in 0.1f64..1000.0,
        d in direction(),
    ) {
        let s = [
            Observation { year: 2017, value: x0 },
            Observation { year: 2022, value: xt },
        ];
        let t = spec(Some(target), 2030, d);
        let p = assess(Method::Statcan, &s, &t, 2100).ratio;
        let cr = assess(Method::Unsd2022, &s, &t, 2100).ratio;
        if let (Some(p), Some(cr)) = (p, cr) {
            prop_assert!((p.abs() - cr.abs()).abs() <= 1e-9 * p.abs().max(1.0));
        }
    }

    #[test]
    fn assessments_never_contain_non_finite_numbers(
        points in prop::collection::vec(
            (2000i32..2030, prop_oneof![
                -1e3f64..1e3,
                Just(0.0),
                Just(f64::NAN),
                Just(f64::INFINITY),
                Just(f64::MAX),
                Just(f64::MIN_POSITIVE),
            ]),
            0..6,
        ),
        target in prop::option::of(prop_oneof![-10.0f64..1e3, Just(0.0), Just(f64::MAX)]),
        target_year in 2000i32..2040,
        baseline in prop::option::of(2000i32..2030),
        d in direction(),
        m in method(),
    ) {
        let s: Vec<Observation> =
            points.into_iter().map(|(year, value)| Observation { year, value }).collect();
        let mut t = spec(target, target_year, d);
        t.baseline_year = baseline;
        let a = assess(m, &s, &t, 2030);
        for x in all_floats(&a).into_iter().flatten() {
            prop_assert!(x.is_finite(), "{:?}", a);
        }
        prop_assert_eq!(a.reason.is_some(), a.status.as_str() == "insufficient_data");
    }

    #[test]
    fn non_reporting_member_changes_coverage_not_value(
        ms in members(),
        weight in prop::option::of(1.0f64..1e9),
    ) {
        let before = weighted_mean(&ms);
        let mut more = ms.clone();
        more.push(MemberValue { weight, value: None, basis: Basis::Reported });
        let after = weighted_mean(&more);
        prop_assert_eq!(before.value, after.value);
        prop_assert_eq!(after.coverage.countries_in_group, before.coverage.countries_in_group + 1);
        prop_assert_eq!(after.coverage.countries_reporting, before.coverage.countries_reporting);
        if let (Some(b), Some(a)) = (before.coverage.weight_share, after.coverage.weight_share) {
            prop_assert!(a <= b);
        }
    }

    #[test]
    fn scaling_weights_keeps_the_mean(ms in members(), k in 1e-3f64..1e3) {
        let scaled: Vec<MemberValue> = ms
            .iter()
            .map(|m| MemberValue { weight: m.weight.map(|w| w * k), ..m.clone() })
            .collect();
        let (a, b) = (weighted_mean(&ms), weighted_mean(&scaled));
        prop_assert_eq!(a.value.is_some(), b.value.is_some());
        if let (Some(x), Some(y)) = (a.value, b.value) {
            prop_assert!((x - y).abs() <= 1e-9 * x.abs().max(1.0), "{} vs {}", x, y);
        }
        if let (Some(x), Some(y)) = (a.coverage.weight_share, b.coverage.weight_share) {
            prop_assert!((x - y).abs() <= 1e-9);
        }
    }

    #[test]
    fn weighted_mean_lies_between_min_and_max(ms in members()) {
        let values = used_values(&ms);
        match weighted_mean(&ms).value {
            None => prop_assert!(values.is_empty()),
            Some(mean) => {
                let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let slack = 1e-9 * hi.abs().max(1.0);
                prop_assert!(lo - slack <= mean && mean <= hi + slack, "{} ∉ [{}, {}]", mean, lo, hi);
            }
        }
    }

    #[test]
    fn weight_shares_are_fractions(ms in members()) {
        let c = weighted_mean(&ms).coverage;
        for share in [c.weight_share, c.imputed_weight_share].into_iter().flatten() {
            prop_assert!((0.0..=1.0 + 1e-12).contains(&share));
        }
        if let (Some(w), Some(i)) = (c.weight_share, c.imputed_weight_share) {
            prop_assert!(i <= w + 1e-12);
        }
        prop_assert!(c.countries_imputed <= c.countries_reporting);
        prop_assert!(c.countries_reporting + c.reporting_without_weight <= c.countries_in_group);
        // Reported, interpolated, extrapolated, carried and missing split the whole weight.
        let split = [
            c.reported_weight_share,
            c.interpolated_weight_share,
            c.extrapolated_weight_share,
            c.carried_weight_share,
            c.missing_weight_share,
        ];
        if let Some(parts) = split.into_iter().collect::<Option<Vec<f64>>>() {
            prop_assert!((parts.iter().sum::<f64>() - 1.0).abs() <= 1e-9, "{:?}", parts);
            prop_assert!((parts[0] + c.imputed_weight_share.unwrap() - c.weight_share.unwrap()).abs() <= 1e-9);
        }
    }

    #[test]
    fn yes_no_and_no_data_add_up(answers in prop::collection::vec(prop::option::of(any::<bool>()), 0..40)) {
        let members: Vec<YesNo> = answers
            .iter()
            .enumerate()
            .map(|(i, &answer)| YesNo { country: format!("C{i}"), answer })
            .collect();
        let s = share_of_countries(&members);
        prop_assert_eq!(s.yes + s.no + s.no_data, s.countries);
        prop_assert_eq!(s.countries, answers.len());
        prop_assert_eq!(s.no, answers.iter().filter(|a| **a == Some(false)).count());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// However extreme the values and weights, an aggregate is a finite number, or withheld
    /// as an overflow when members contributed: it never silently disappears.
    #[test]
    fn aggregates_of_extreme_values_are_finite_or_withheld(
        rows in prop::collection::vec((prop::option::of(extreme()), prop::option::of(extreme()), basis()), 0..8),
    ) {
        let members: Vec<_> = rows.into_iter().map(|(weight, value, basis)| MemberValue { weight, value, basis }).collect();
        for (aggregate, contributed) in [
            (super::super::aggregate::sum(&members), members.iter().any(|m| m.value.is_some())),
            (weighted_mean(&members), members.iter().any(|m| m.value.is_some() && m.weight.is_some_and(|w| w > 0.0))),
        ] {
            prop_assert!(aggregate.value.is_none_or(f64::is_finite), "{:?}", aggregate);
            prop_assert!(aggregate.value.is_none() || aggregate.withheld.is_none());
            prop_assert_eq!(aggregate.value.is_some() || aggregate.withheld.is_some(), contributed, "{:?}", aggregate);
            let c = aggregate.coverage;
            for share in [c.weight_share, c.imputed_weight_share, c.reported_weight_share, c.missing_weight_share] {
                prop_assert!(share.is_none_or(f64::is_finite));
            }
        }
    }
}
