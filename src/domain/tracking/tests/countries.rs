//! Countries, as-of, and the worked examples of docs/methodology.md.

use super::*;

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
        // A single data point that already meets the target is achieved (as in Open SDG).
        ("L.H", "EAR", S::TargetAchieved, None, Some((2020, 70.0)), Some(60.0)),
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
            o.estimation = Estimation::carry_forward(5);
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
            o.estimation = Estimation::carry_forward(carry);
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
// docs/methodology.md worked examples, through group_progress on a one-country group
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
