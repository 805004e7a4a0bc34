use super::super::aggregate::{MemberValue, YesNo};
use super::super::methods::Direction;
use super::super::rules::reasons as r;
use super::super::rules::{
    evaluate_count_increase, evaluate_gap_reduction, evaluate_level, evaluate_parity, evaluate_relative_change,
    evaluate_share_of_countries, Aggregation, Comparator, GapSnapshot, RuleEvaluation, Snapshot,
};
use super::aggregate::member;
use super::assert_close;
use Aggregation::{Sum, WeightedMean};

fn group(values: &[(&str, f64, Option<f64>)]) -> Vec<MemberValue> {
    values.iter().map(|&(c, w, v)| member(c, Some(w), v)).collect()
}

fn snap(year: i32, members: &[MemberValue]) -> Snapshot<'_> {
    Snapshot { year, members }
}

fn yes_no(answers: &[Option<bool>]) -> Vec<YesNo> {
    answers.iter().enumerate().map(|(i, &answer)| YesNo { country: format!("C{i}"), answer }).collect()
}

#[test]
fn level_higher_is_better() {
    // (1·80 + 3·60) / 4 = 65 → meets ≥ 65 exactly, misses ≥ 70.
    let m = group(&[("A", 1.0, Some(80.0)), ("B", 3.0, Some(60.0)), ("C", 2.0, None)]);
    let e = evaluate_level(snap(2023, &m), WeightedMean, Comparator::AtLeast, 65.0);
    assert_close(e.aggregate.value, 65.0, 1e-12);
    assert_eq!(e.met, Some(true));
    assert_eq!(e.reason, None);
    assert_close(e.aggregate.coverage.weight_share, 4.0 / 6.0, 1e-12);
    let per_country: Vec<_> = e.countries.iter().map(|c| (c.country.as_str(), c.met)).collect();
    assert_eq!(per_country, [("A", Some(true)), ("B", Some(false)), ("C", None)]);

    let e = evaluate_level(snap(2023, &m), WeightedMean, Comparator::AtLeast, 70.0);
    assert_eq!(e.met, Some(false));
}

#[test]
fn level_lower_is_better() {
    // Target 2.3.B: broadband price ≤ 3 % of GNI; (2·2 + 2·3.5) / 4 = 2.75.
    let m = group(&[("A", 2.0, Some(2.0)), ("B", 2.0, Some(3.5))]);
    let cmp = Comparator::from(Direction::LowerIsBetter);
    assert_eq!(cmp, Comparator::AtMost);
    let e = evaluate_level(snap(2023, &m), WeightedMean, cmp, 3.0);
    assert_eq!(e.met, Some(true));
    assert_eq!(e.countries[1].met, Some(false));
    let e = evaluate_level(snap(2023, &m), WeightedMean, cmp, 2.5);
    assert_eq!(e.met, Some(false));
}

#[test]
fn level_missing_data() {
    let m = group(&[("A", 1.0, None)]);
    let e = evaluate_level(snap(2023, &m), WeightedMean, Comparator::AtLeast, 1.0);
    assert_eq!(e.met, None);
    assert_eq!(e.reason.as_deref(), Some(r::NO_DATA));
    let e = evaluate_level(snap(2023, &[]), Sum, Comparator::AtLeast, 1.0);
    assert_eq!(e.met, None);
}

#[test]
fn relative_change_both_directions() {
    let base = group(&[("A", 1.0, Some(10.0)), ("B", 1.0, Some(10.0))]);
    // Wanted −25 % (more affordable): 7 is −30 % → met; 8 is −20 % → not met;
    // 7.5 is exactly −25 % → met.
    for (now, want) in [(7.0, true), (8.0, false), (7.5, true), (12.0, false)] {
        let cur = group(&[("A", 1.0, Some(now)), ("B", 1.0, Some(now))]);
        let e = evaluate_relative_change(snap(2017, &base), snap(2023, &cur), WeightedMean, -0.25);
        assert_eq!(e.met, Some(want), "{now}");
        assert_close(e.change, now / 10.0 - 1.0, 1e-12);
    }
    // Wanted +50 %: 150 vs 100 → exactly +50 % → met; 140 → not met.
    let base = group(&[("A", 1.0, Some(100.0))]);
    for (now, want) in [(150.0, true), (140.0, false), (60.0, false)] {
        let cur = group(&[("A", 1.0, Some(now))]);
        let e = evaluate_relative_change(snap(2017, &base), snap(2023, &cur), Sum, 0.5);
        assert_eq!(e.met, Some(want), "{now}");
    }
}

#[test]
fn relative_change_missing_and_non_positive_base() {
    let zero = group(&[("A", 1.0, Some(0.0))]);
    let cur = group(&[("A", 1.0, Some(5.0))]);
    let e = evaluate_relative_change(snap(2017, &zero), snap(2023, &cur), Sum, 0.3);
    assert_eq!(e.met, None);
    assert_eq!(e.reason.as_deref(), Some(r::NON_POSITIVE_BASE));

    let negative = group(&[("A", 1.0, Some(-2.0))]);
    let e = evaluate_relative_change(snap(2015, &negative), snap(2023, &cur), Sum, 0.3);
    assert_eq!(e.reason.as_deref(), Some(r::NON_POSITIVE_BASE));

    let missing = group(&[("A", 1.0, None)]);
    let e = evaluate_relative_change(snap(2017, &missing), snap(2023, &cur), Sum, 0.3);
    assert_eq!(e.met, None);
    assert_eq!(e.reason.as_deref(), Some(r::NO_DATA));
}

#[test]
fn relative_change_per_country_matches_by_code() {
    let base = group(&[("A", 1.0, Some(10.0)), ("B", 1.0, Some(10.0))]);
    let cur = group(&[("B", 1.0, Some(20.0)), ("C", 1.0, Some(5.0))]);
    let e = evaluate_relative_change(snap(2017, &base), snap(2023, &cur), WeightedMean, 0.5);
    let rows: Vec<_> = e.countries.iter().map(|c| (c.country.as_str(), c.base_value, c.value, c.met)).collect();
    assert_eq!(
        rows,
        [("A", Some(10.0), None, None), ("B", Some(10.0), Some(20.0), Some(true)), ("C", None, Some(5.0), None),]
    );
    assert_eq!((e.base_year, e.year), (2017, 2023));
}

#[test]
fn gap_reduction() {
    // Baseline gap 20 − 4 = 16; r = 25 % → allowed gap 12.
    let dev_b = group(&[("D1", 1.0, Some(20.0))]);
    let ed_b = group(&[("E1", 1.0, Some(4.0))]);
    let base = GapSnapshot { year: 2017, developing: &dev_b, developed: &ed_b };
    for (dev, ed, want) in [(15.0, 3.0, true), (16.0, 3.0, false), (10.0, 3.0, true)] {
        let dev_t = group(&[("D1", 1.0, Some(dev))]);
        let ed_t = group(&[("E1", 1.0, Some(ed))]);
        let cur = GapSnapshot { year: 2023, developing: &dev_t, developed: &ed_t };
        let e = evaluate_gap_reduction(base, cur, WeightedMean, 0.25);
        assert_eq!(e.met, Some(want), "{dev} − {ed}");
        assert_close(e.gap_base, 16.0, 0.0);
        assert_close(e.allowed_gap, 12.0, 0.0);
        assert_close(e.gap, dev - ed, 0.0);
        assert_close(e.reduction_achieved, 1.0 - (dev - ed) / 16.0, 1e-12);
    }

    // No gap at baseline: nothing to reduce.
    let same = group(&[("E1", 1.0, Some(20.0))]);
    let flat = GapSnapshot { year: 2017, developing: &dev_b, developed: &same };
    let e = evaluate_gap_reduction(flat, flat, WeightedMean, 0.25);
    assert_eq!(e.met, None);
    assert_eq!(e.reason.as_deref(), Some(r::NON_POSITIVE_BASE_GAP));

    // A group without data.
    let empty = group(&[("E1", 1.0, None)]);
    let missing = GapSnapshot { year: 2023, developing: &dev_b, developed: &empty };
    let e = evaluate_gap_reduction(base, missing, WeightedMean, 0.25);
    assert_eq!((e.met, e.gap), (None, None));
    assert_eq!(e.reason.as_deref(), Some(r::NO_DATA));
}

#[test]
fn parity_bounds() {
    // 98/100 and 102/100 are inside (inclusive); 97/100 and 103/100 are outside.
    for (f, want) in [(98.0, true), (102.0, true), (100.0, true), (97.0, false), (103.0, false)] {
        let female = group(&[("A", 1.0, Some(f))]);
        let male = group(&[("A", 1.0, Some(100.0))]);
        let e = evaluate_parity(2023, &female, &male, WeightedMean);
        assert_eq!(e.met, Some(want), "{f}");
        assert_close(e.distance, (1.0 - f / 100.0).abs(), 1e-12);
    }
    // Aggregated first, then divided: (1·60 + 3·80)/4 = 75 over (1·70 + 3·80)/4 = 77.5.
    let female = group(&[("A", 1.0, Some(60.0)), ("B", 3.0, Some(80.0))]);
    let male = group(&[("A", 1.0, Some(70.0)), ("B", 3.0, Some(80.0))]);
    let e = evaluate_parity(2023, &female, &male, WeightedMean);
    assert_close(e.ratio, 75.0 / 77.5, 1e-12);
    assert_eq!(e.met, Some(false));
}

#[test]
fn parity_missing_or_zero_male() {
    let female = group(&[("A", 1.0, Some(10.0))]);
    let zero = group(&[("A", 1.0, Some(0.0))]);
    let e = evaluate_parity(2023, &female, &zero, WeightedMean);
    assert_eq!(e.met, None);
    assert_eq!(e.reason.as_deref(), Some(r::NON_POSITIVE_MALE_VALUE));
    let e = evaluate_parity(2023, &female, &[], WeightedMean);
    assert_eq!(e.reason.as_deref(), Some(r::NO_DATA));
}

#[test]
fn share_of_countries_rule() {
    let t = Some(true);
    let f = Some(false);
    type Case = (Vec<Option<bool>>, f64, Option<bool>, Option<&'static str>);
    let cases: Vec<Case> = vec![
        (vec![t, t, t], 1.0, Some(true), None),
        (vec![t, f, t], 1.0, Some(false), None),
        // One missing, the rest yes: it might be 100 %, it might not.
        (vec![t, None, t], 1.0, None, Some(r::UNDETERMINED_MISSING_DATA)),
        // 50 % target: 2 of 4 yes is exactly half.
        (vec![t, t, f, None], 0.5, Some(true), None),
        // 1 yes of 4 with 1 unknown: at best 2/4 = 50 % → undetermined.
        (vec![t, f, f, None], 0.5, None, Some(r::UNDETERMINED_MISSING_DATA)),
        // 1 yes of 5 with 1 unknown: at best 40 % → definitely not met.
        (vec![t, f, f, f, None], 0.5, Some(false), None),
        (vec![], 1.0, None, Some(r::NO_DATA)),
    ];
    for (answers, threshold, want, why) in cases {
        let e = evaluate_share_of_countries(2023, &yes_no(&answers), threshold);
        assert_eq!(e.met, want, "{answers:?} ≥ {threshold}");
        assert_eq!(e.reason.as_deref(), why, "{answers:?} ≥ {threshold}");
    }
}

#[test]
fn count_increase() {
    let base = group(&[("A", 1.0, Some(3.0)), ("B", 1.0, Some(2.0))]);
    for (a, b, want) in [(4.0, 2.0, true), (3.0, 2.0, false), (1.0, 2.0, false)] {
        let cur = group(&[("A", 1.0, Some(a)), ("B", 1.0, Some(b))]);
        let e = evaluate_count_increase(snap(2019, &base), snap(2023, &cur));
        assert_eq!(e.met, Some(want), "{a}+{b}");
        assert_close(e.increase, a + b - 5.0, 0.0);
    }
    let missing = group(&[("A", 1.0, None)]);
    let e = evaluate_count_increase(snap(2019, &base), snap(2023, &missing));
    assert_eq!(e.met, None);
    assert_eq!(e.reason.as_deref(), Some(r::NO_DATA));
}

#[test]
fn rule_evaluation_wraps_every_kind() {
    let m = group(&[("A", 1.0, Some(1.0))]);
    let yes = yes_no(&[Some(true)]);
    let gap = GapSnapshot { year: 2023, developing: &m, developed: &m };
    let all: Vec<RuleEvaluation> = vec![
        evaluate_level(snap(2023, &m), Sum, Comparator::AtLeast, 1.0).into(),
        evaluate_relative_change(snap(2017, &m), snap(2023, &m), Sum, 0.0).into(),
        evaluate_gap_reduction(gap, gap, Sum, 0.25).into(),
        evaluate_parity(2023, &m, &m, Sum).into(),
        evaluate_share_of_countries(2023, &yes, 1.0).into(),
        evaluate_count_increase(snap(2017, &m), snap(2023, &m)).into(),
    ];
    let met: Vec<_> = all.iter().map(RuleEvaluation::met).collect();
    assert_eq!(met, [Some(true), Some(true), None, Some(true), Some(true), Some(false)]);
}
