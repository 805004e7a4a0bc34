//! Rule kinds: level, relative change, gap reduction.

use super::*;

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
