//! Rule kinds: parity, share of countries, count increase.

use super::*;

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
    // docs/methodology.md, "Parity": distance = |1 − ratio|. From 0.84 (distance 0.16) to 1.04
    // (distance 0.04) the group came much closer to parity, but the series is held to the
    // upper edge 1.02 lower-is-better from a base (0.84) already below it:
    // P = −g(1.04, 0.84, 2023, 2017) / |g(1.02, 0.84, 2023, 2017)| = −1.10 → deterioration.
    let cat = catalogue();
    let a = progress(&cat, &parity_data(52.0), options(), "PAR", "DEVELOPED").assessment;
    assert_ne!(a.status, S::Deterioration, "ratio {:?}", a.ratio);
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
        let p = progress(&cat, &data, with(|o| o.estimation = Estimation::carry_forward(carry)), target, code);
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
        let options = with(|o| o.estimation = Estimation::carry_forward(carry));
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
    // docs/methodology.md, "Count increase": count_increase is met when the value at t is greater than at the
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
