use super::super::aggregate::{all_yes, share_of_countries, sum, weighted_mean, MemberValue, WeightBasis, YesNo};
use super::assert_close;
use crate::domain::estimation::Basis;

pub(super) fn member(weight: Option<f64>, value: Option<f64>) -> MemberValue {
    MemberValue { weight, value, basis: Basis::Reported }
}

fn yes_no(answers: &[Option<bool>]) -> Vec<YesNo> {
    answers.iter().enumerate().map(|(i, &answer)| YesNo { country: format!("C{i}"), answer }).collect()
}

#[test]
fn weighted_mean_is_population_weighted_not_plain() {
    // (100·50 + 300·10) / 400 = 20, whereas the plain mean of 50 and 10 is 30.
    let members = [member(Some(100.0), Some(50.0)), member(Some(300.0), Some(10.0))];
    let a = weighted_mean(&members);
    assert_close(a.value, 20.0, 1e-12);
    assert_eq!(a.coverage.basis, WeightBasis::Population);
    assert_eq!(a.coverage.countries_reporting, 2);
    assert_close(a.coverage.weight_share, 1.0, 0.0);
}

#[test]
fn weighted_mean_coverage() {
    let mut b = member(Some(300.0), Some(10.0));
    b.basis = Basis::Carried;
    let members = [
        member(Some(100.0), Some(50.0)),
        b,
        member(Some(100.0), None),     // known weight, did not report
        member(None, Some(99.0)),      // reported, weight unknown: not used
        member(Some(-5.0), Some(1.0)), // invalid weight = unknown
        member(Some(50.0), Some(f64::NAN)),
        member(None, None),
    ];
    let a = weighted_mean(&members);
    assert_close(a.value, 20.0, 1e-12);
    let c = a.coverage;
    assert_eq!(c.countries_in_group, 7);
    assert_eq!(c.countries_reporting, 2);
    assert_eq!(c.reporting_without_weight, 2);
    assert_eq!(c.countries_imputed, 1);
    // Known weight: A 100 + B 300 + C 100 + F 50 = 550; reported 400; imputed 300.
    assert_close(c.weight_share, 400.0 / 550.0, 1e-12);
    assert_close(c.imputed_weight_share, 300.0 / 550.0, 1e-12);
}

#[test]
fn weighted_mean_without_data() {
    let empty = weighted_mean(&[]);
    assert_eq!(empty.value, None);
    assert_eq!(empty.coverage.weight_share, None);
    assert_eq!(empty.coverage.countries_in_group, 0);

    let none_reporting = weighted_mean(&[member(Some(10.0), None)]);
    assert_eq!(none_reporting.value, None);
    assert_close(none_reporting.coverage.weight_share, 0.0, 0.0);

    // Only zero weights: 0/0 is not a mean.
    let zero = weighted_mean(&[member(Some(0.0), Some(5.0))]);
    assert_eq!(zero.value, None);
    assert_eq!(zero.coverage.countries_reporting, 1);
    assert_eq!(zero.coverage.weight_share, None);
}

#[test]
fn sum_counts_every_country_once() {
    let mut c = member(None, Some(2.0));
    c.basis = Basis::Interpolated;
    let members = [member(Some(1e9), Some(10.0)), member(None, None), c, member(Some(5.0), Some(0.0))];
    let a = sum(&members);
    assert_close(a.value, 12.0, 0.0);
    assert_eq!(a.coverage.basis, WeightBasis::Countries);
    assert_eq!(a.coverage.countries_reporting, 3);
    assert_eq!(a.coverage.reporting_without_weight, 0);
    assert_eq!(a.coverage.countries_imputed, 1);
    assert_close(a.coverage.weight_share, 0.75, 0.0);
    assert_close(a.coverage.imputed_weight_share, 0.25, 0.0);

    let nobody = sum(&[member(None, None)]);
    assert_eq!(nobody.value, None);
    assert_eq!(sum(&[]).coverage.weight_share, None);
}

#[test]
fn share_of_countries_never_counts_missing_as_no() {
    let s = share_of_countries(&yes_no(&[Some(true), Some(true), Some(true), Some(false), None, None]));
    assert_eq!((s.yes, s.no, s.no_data, s.countries), (3, 1, 2, 6));
    assert_close(s.share_yes, 0.5, 0.0);
    assert_close(s.share_yes_of_reporting, 0.75, 0.0);

    let all_missing = share_of_countries(&yes_no(&[None, None]));
    assert_eq!((all_missing.no, all_missing.no_data), (0, 2));
    assert_close(all_missing.share_yes, 0.0, 0.0);
    assert_eq!(all_missing.share_yes_of_reporting, None);

    let empty = share_of_countries(&[]);
    assert_eq!(empty.share_yes, None);
}

#[test]
fn all_yes_combines_capabilities() {
    let t = Some(true);
    let f = Some(false);
    let cases = [
        (vec![t, t, t], Some(true)),
        (vec![t, f, t], Some(false)),
        (vec![t, None, t], None),
        (vec![None, f, None], Some(false)),
        (vec![None, None, None], None),
    ];
    for (answers, want) in cases {
        assert_eq!(all_yes(&answers), want, "{answers:?}");
    }
}
