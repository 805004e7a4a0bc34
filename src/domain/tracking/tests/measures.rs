//! Measures: Sum, Ratio, AllYes, Each.

use super::*;

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
    assert_eq!(
        spec.country_value(&data, "AAA", 2017, &Estimation::NONE).map(|e| (e.value, e.basis)),
        Some((60.0, Basis::Reported))
    );
    assert_eq!(spec.country_value(&data, "CCC", 2017, &Estimation::NONE), None);
    assert_eq!(
        spec.country_value(&data, "CCC", 2017, &Estimation::carry_forward(1)).map(|e| (e.value, e.basis)),
        Some((100.0, Basis::Carried))
    );
    // (100·60 + 300·100) / 400 = 90; 400 of the world's 1000.
    let plain = points(&cat, &data, options(), &spec, "WORLD", (2017, 2017));
    check_point(&plain[0], (2017, 90.0, 2, 7, 0.4));
    // CCC's mobile value carried from 2016: (100·60 + 300·100 + 400·100) / 800 = 95.
    let carried =
        points(&cat, &data, with(|o| o.estimation = Estimation::carry_forward(1)), &spec, "WORLD", (2017, 2017));
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
        assert_eq!(spec.country_value(&data, c, 2019, &Estimation::NONE).map(|e| e.value), want, "{c}");
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
        assert_eq!(spec.country_value(&data, "AAA", 2020, &Estimation::NONE).map(|e| e.value), want, "{answers:?}");
    }
    // Answers given in different years combine only when carried forward.
    let mut data = DataSet::default();
    put(&mut data, "strategy", &[("AAA", 2019, 1.0)]);
    put(&mut data, "cirt", &[("AAA", 2020, 1.0)]);
    put(&mut data, "legislation", &[("AAA", 2020, 1.0)]);
    assert_eq!(spec.country_value(&data, "AAA", 2020, &Estimation::NONE), None);
    assert_eq!(
        spec.country_value(&data, "AAA", 2020, &Estimation::carry_forward(1)).map(|e| (e.value, e.basis)),
        Some((1.0, Basis::Carried))
    );
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
