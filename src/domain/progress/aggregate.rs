//! Group aggregation for one year (docs/methodology.md, "Aggregates").

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::finite;
use crate::domain::estimation::Basis;

/// One member country's input for a group aggregate in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MemberValue {
    /// Aggregation weight (population that year); `None` when unknown. Negative or
    /// non-finite weights are treated as unknown.
    pub weight: Option<f64>,
    /// The country's value; `None` when it did not report. NaN is treated as not reported;
    /// an infinite value (a country's measure that overflowed) withholds the aggregate.
    pub value: Option<f64>,
    /// How `value` was obtained (reported, or which estimate).
    pub basis: Basis,
}

impl MemberValue {
    fn value(&self) -> Option<f64> {
        self.value.and_then(finite)
    }

    fn weight(&self) -> Option<f64> {
        self.weight.and_then(finite).filter(|w| *w >= 0.0)
    }
}

/// What a country counts for in [`Coverage::weight_share`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WeightBasis {
    /// Each country weighs its population ([`weighted_mean`]).
    Population,
    /// Each country weighs one ([`sum`]).
    Countries,
}

/// How much of a group an aggregate rests on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Coverage {
    /// What the weight shares are shares of.
    pub basis: WeightBasis,
    /// Countries whose value entered the aggregate (imputed ones included).
    pub countries_reporting: usize,
    /// Countries in the group.
    pub countries_in_group: usize,
    /// Countries with a value but no usable weight, left out of a weighted mean.
    pub reporting_without_weight: usize,
    /// Countries whose value entered the aggregate but was estimated.
    pub countries_imputed: usize,
    /// Weight that entered the aggregate (reported plus estimated) / total known weight of
    /// the group (0..1); `None` when the group has no known weight.
    pub weight_share: Option<f64>,
    /// Weight of estimated values that entered the aggregate / total known weight of the
    /// group (so it never exceeds `weight_share`).
    pub imputed_weight_share: Option<f64>,
    /// Share of the group's known weight reported for the year itself.
    pub reported_weight_share: Option<f64>,
    /// Share interpolated between a country's reported years.
    pub interpolated_weight_share: Option<f64>,
    /// Share extrapolated from a country's own trend.
    pub extrapolated_weight_share: Option<f64>,
    /// Share carried forward from an earlier year.
    pub carried_weight_share: Option<f64>,
    /// Share with no value at all. The five shares add up to 1.
    pub missing_weight_share: Option<f64>,
}

/// Weight (or countries) by how the values were obtained.
#[derive(Default)]
struct Tally {
    by_basis: [f64; 5],
    countries: [usize; 5],
}

impl Tally {
    fn add(&mut self, basis: Basis, weight: f64) {
        let n = basis as usize;
        self.by_basis[n] += weight;
        self.countries[n] += 1;
    }

    fn coverage(&self, basis: WeightBasis, countries_in_group: usize, reporting_without_weight: usize) -> Coverage {
        let total: f64 = self.by_basis.iter().sum();
        let part = |b: Basis| share(self.by_basis[b as usize], total);
        let estimated = [Basis::Interpolated, Basis::Carried, Basis::Extrapolated];
        let missing = Basis::Missing as usize;
        Coverage {
            basis,
            countries_reporting: self.countries.iter().sum::<usize>() - self.countries[missing],
            countries_in_group,
            reporting_without_weight,
            countries_imputed: estimated.iter().map(|b| self.countries[*b as usize]).sum(),
            weight_share: share(total - self.by_basis[missing], total),
            imputed_weight_share: share(estimated.iter().map(|b| self.by_basis[*b as usize]).sum(), total),
            reported_weight_share: part(Basis::Reported),
            interpolated_weight_share: part(Basis::Interpolated),
            extrapolated_weight_share: part(Basis::Extrapolated),
            carried_weight_share: part(Basis::Carried),
            missing_weight_share: part(Basis::Missing),
        }
    }
}

/// Why an aggregate is withheld although members contributed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Withheld {
    /// The sum (or weighted sum, or ratio) exceeds the range of a double-precision number
    /// (±1.8e308): some member's value is implausibly large. No value the catalogue's bounds
    /// accept gets there; values stored before a bound was set can.
    Overflow,
}

/// A group aggregate with its coverage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Aggregate {
    /// The aggregate; `None` when no member contributed, or when it is withheld.
    pub value: Option<f64>,
    /// Why the aggregate is withheld although members contributed.
    pub withheld: Option<Withheld>,
    /// What the aggregate rests on.
    pub coverage: Coverage,
}

fn share(part: f64, whole: f64) -> Option<f64> {
    if whole > 0.0 {
        finite(part / whole)
    } else {
        None
    }
}

/// Population-weighted mean `Σ w·x / Σ w` over members with both a value and a weight.
///
/// Weighting by population makes the mean of percentages equal to the sum of numerators
/// over the sum of denominators, which the plain mean of percentages is not. Members
/// with a value but no weight are not used; they are counted in
/// [`Coverage::reporting_without_weight`].
pub fn weighted_mean(members: &[MemberValue]) -> Aggregate {
    let mut tally = Tally::default();
    let (mut used_weight, mut weighted_sum, mut without_weight) = (0.0, 0.0, 0);
    for m in members {
        match (m.value(), m.weight()) {
            (Some(x), Some(w)) => {
                used_weight += w;
                weighted_sum += w * x;
                tally.add(m.basis, w);
            }
            (None, Some(w)) => tally.add(Basis::Missing, w),
            (Some(_), None) => without_weight += 1,
            (None, None) => {}
        }
    }
    let coverage = tally.coverage(WeightBasis::Population, members.len(), without_weight);
    // An infinite total weight overflows too (the quotient would be a meaningless 0).
    let mean = (used_weight > 0.0).then(|| if used_weight.is_finite() { weighted_sum / used_weight } else { f64::NAN });
    contributed(members, mean, coverage)
}

/// An aggregate of the members that contributed (`None`: none did), withheld when it is
/// not a finite number or a member's value is infinite.
fn contributed(members: &[MemberValue], value: Option<f64>, coverage: Coverage) -> Aggregate {
    let infinite_member = members.iter().any(|m| m.value.is_some_and(f64::is_infinite));
    match value {
        Some(x) if x.is_finite() && !infinite_member => Aggregate { value: Some(x), withheld: None, coverage },
        None if !infinite_member => Aggregate { value: None, withheld: None, coverage },
        _ => Aggregate { value: None, withheld: Some(Withheld::Overflow), coverage },
    }
}

/// Sum of member values, for counts; weights are ignored and each country weighs one,
/// so `weight_share` is the share of countries reporting.
pub fn sum(members: &[MemberValue]) -> Aggregate {
    let mut tally = Tally::default();
    let mut total = 0.0;
    for m in members {
        match m.value() {
            Some(x) => {
                total += x;
                tally.add(m.basis, 1.0);
            }
            None => tally.add(Basis::Missing, 1.0),
        }
    }
    let reporting = members.iter().any(|m| m.value().is_some());
    contributed(members, reporting.then_some(total), tally.coverage(WeightBasis::Countries, members.len(), 0))
}

/// One country's yes/no answer; `None` means no data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct YesNo {
    /// Country code.
    pub country: String,
    /// `Some(true)` yes, `Some(false)` no, `None` no data.
    pub answer: Option<bool>,
}

/// Counts of a yes/no indicator over a group. Missing is never counted as `no`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct ShareOfCountries {
    /// Countries answering yes.
    pub yes: usize,
    /// Countries answering no.
    pub no: usize,
    /// Countries without data.
    pub no_data: usize,
    /// Countries in the group (`yes + no + no_data`).
    pub countries: usize,
    /// `yes / countries`; `None` for an empty group.
    pub share_yes: Option<f64>,
    /// `yes / (yes + no)`; `None` when nobody reported.
    pub share_yes_of_reporting: Option<f64>,
}

/// Counts yes / no / no-data over the group.
pub fn share_of_countries(members: &[YesNo]) -> ShareOfCountries {
    let yes = members.iter().filter(|m| m.answer == Some(true)).count();
    let no = members.iter().filter(|m| m.answer == Some(false)).count();
    let countries = members.len();
    ShareOfCountries {
        yes,
        no,
        no_data: countries - yes - no,
        countries,
        share_yes: share(yes as f64, countries as f64),
        share_yes_of_reporting: share(yes as f64, (yes + no) as f64),
    }
}

/// Combines several yes/no capabilities that must all be present (target 3.1):
/// `Some(false)` if any is `no`, `Some(true)` if all are `yes`, otherwise `None`
/// (a missing answer is unknown, not `no`).
pub fn all_yes(answers: &[Option<bool>]) -> Option<bool> {
    if answers.contains(&Some(false)) {
        Some(false)
    } else if answers.iter().all(|a| *a == Some(true)) {
        Some(true)
    } else {
        None
    }
}
