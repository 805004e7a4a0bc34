//! Groups, membership, weighted means, imputation and minimum coverage.

use super::*;

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
        cat.population.entry(code.clone()).or_default().insert(2020, pop);
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
        cat.population.entry("ZZZ".to_string()).or_default().insert(2020, extra);
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
        let series = points(
            &cat,
            &data,
            with(|o| o.estimation = Estimation::carry_forward(carry)),
            &spec,
            "DEVELOPED",
            (2015, 2025),
        );
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
            .map(|carry| points(&cat, &data, with(|o| o.estimation = Estimation::carry_forward(carry)), &spec, "DEVELOPING", (2010, 2025)))
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
        let options = with(|o| {
            o.min_coverage = min_coverage;
            o.min_reported = default_min_reported(min_coverage);
        });
        let p = progress(&cat, &data, options, "L.H", "DEVELOPED");
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
