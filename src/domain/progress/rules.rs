//! Rule kinds of DOMAIN.md section 3, evaluated over a group for a year.
//!
//! Every evaluation returns the numbers it used and `met: None` (with a `reason`) when
//! data is missing, rather than a guess.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::aggregate::{self, Aggregate, MemberValue, ShareOfCountries, YesNo};
use super::finite;
use super::methods::Direction;

/// Lower bound of gender parity (female / male).
pub const PARITY_LOWER: f64 = 0.98;
/// Upper bound of gender parity (female / male).
pub const PARITY_UPPER: f64 = 1.02;

/// Machine-readable reasons placed in the `reason` field of evaluations.
pub mod reasons {
    /// The aggregate (or a needed one) could not be computed: nobody reported.
    pub const NO_DATA: &str = "no_data";
    /// The baseline aggregate is zero or negative, so a relative change is undefined.
    pub const NON_POSITIVE_BASE: &str = "non_positive_base";
    /// The baseline gap is zero or negative: there is no gap to reduce.
    pub const NON_POSITIVE_BASE_GAP: &str = "non_positive_base_gap";
    /// The male aggregate is zero or negative, so the female/male ratio is undefined.
    pub const NON_POSITIVE_MALE_VALUE: &str = "non_positive_male_value";
    /// Countries without data could still decide whether the threshold is met.
    pub const UNDETERMINED_MISSING_DATA: &str = "undetermined_missing_data";
}

/// How member values are combined into a group value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Population-weighted mean ([`aggregate::weighted_mean`]), for rates and percentages.
    WeightedMean,
    /// Plain sum ([`aggregate::sum`]), for counts.
    Sum,
}

impl Aggregation {
    /// Aggregates `members` this way.
    pub fn apply(self, members: &[MemberValue]) -> Aggregate {
        match self {
            Aggregation::WeightedMean => aggregate::weighted_mean(members),
            Aggregation::Sum => aggregate::sum(members),
        }
    }
}

/// Comparison of a value with a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Comparator {
    /// `value >= threshold` (higher is better).
    #[serde(rename = ">=")]
    AtLeast,
    /// `value <= threshold` (lower is better).
    #[serde(rename = "<=")]
    AtMost,
}

impl Comparator {
    /// Whether `value` satisfies the comparison with `threshold`.
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparator::AtLeast => value >= threshold,
            Comparator::AtMost => value <= threshold,
        }
    }
}

impl From<Direction> for Comparator {
    fn from(d: Direction) -> Self {
        match d {
            Direction::HigherIsBetter => Comparator::AtLeast,
            Direction::LowerIsBetter => Comparator::AtMost,
        }
    }
}

/// Member values of a group in one year.
#[derive(Debug, Clone, Copy)]
pub struct Snapshot<'a> {
    /// Year of the values.
    pub year: i32,
    /// Member values (already carried forward if imputation is wanted).
    pub members: &'a [MemberValue],
}

/// Member values of the two groups compared by [`evaluate_gap_reduction`] in one year.
#[derive(Debug, Clone, Copy)]
pub struct GapSnapshot<'a> {
    /// Year of the values.
    pub year: i32,
    /// Developing-country members.
    pub developing: &'a [MemberValue],
    /// Developed-country members.
    pub developed: &'a [MemberValue],
}

/// One country checked against a level threshold.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CountryCheck {
    /// Country code.
    pub country: String,
    /// The country's value (`None`: no data).
    pub value: Option<f64>,
    /// Whether the value was carried forward.
    pub imputed: bool,
    /// Whether the value meets the threshold (`None`: no data).
    pub met: Option<bool>,
}

/// A level rule: the group aggregate against a threshold.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LevelEvaluation {
    /// Year evaluated.
    pub year: i32,
    /// How members were combined.
    pub aggregation: Aggregation,
    /// `>=` or `<=`.
    pub comparator: Comparator,
    /// Threshold value.
    pub threshold: f64,
    /// Group aggregate and coverage.
    pub aggregate: Aggregate,
    /// Whether the aggregate meets the threshold.
    pub met: Option<bool>,
    /// Why `met` is `None`.
    pub reason: Option<String>,
    /// Each member country against the same threshold.
    pub countries: Vec<CountryCheck>,
}

/// One country's relative change.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CountryChange {
    /// Country code.
    pub country: String,
    /// Value in the baseline year.
    pub base_value: Option<f64>,
    /// Value in the evaluated year.
    pub value: Option<f64>,
    /// `value / base_value − 1`.
    pub change: Option<f64>,
    /// Whether the change reaches the wanted change.
    pub met: Option<bool>,
}

/// A relative-change rule: `change = x_t / x_base − 1` against a wanted change.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RelativeChangeEvaluation {
    /// Baseline year.
    pub base_year: i32,
    /// Year evaluated.
    pub year: i32,
    /// How members were combined.
    pub aggregation: Aggregation,
    /// Wanted change as a fraction (`-0.25` = 25 % lower); its sign is the direction.
    pub wanted_change: f64,
    /// Aggregate in the baseline year.
    pub base: Aggregate,
    /// Aggregate in the evaluated year.
    pub current: Aggregate,
    /// `current / base − 1`.
    pub change: Option<f64>,
    /// Whether the change reaches the wanted change in the wanted direction.
    pub met: Option<bool>,
    /// Why `met` is `None`.
    pub reason: Option<String>,
    /// Each country present in either year.
    pub countries: Vec<CountryChange>,
}

/// A gap-reduction rule: `gap = developing − developed`, met when
/// `gap_t ≤ (1 − r) · gap_base`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct GapReductionEvaluation {
    /// Baseline year.
    pub base_year: i32,
    /// Year evaluated.
    pub year: i32,
    /// How members were combined.
    pub aggregation: Aggregation,
    /// Wanted reduction `r` as a fraction (0.25 = a quarter smaller).
    pub reduction: f64,
    /// Developing aggregate in the baseline year.
    pub developing_base: Aggregate,
    /// Developed aggregate in the baseline year.
    pub developed_base: Aggregate,
    /// Developing aggregate in the evaluated year.
    pub developing: Aggregate,
    /// Developed aggregate in the evaluated year.
    pub developed: Aggregate,
    /// Gap in the baseline year.
    pub gap_base: Option<f64>,
    /// Gap in the evaluated year.
    pub gap: Option<f64>,
    /// Largest gap that meets the rule: `(1 − r) · gap_base`.
    pub allowed_gap: Option<f64>,
    /// Reduction achieved: `1 − gap / gap_base`.
    pub reduction_achieved: Option<f64>,
    /// Whether `gap ≤ allowed_gap`.
    pub met: Option<bool>,
    /// Why `met` is `None`.
    pub reason: Option<String>,
}

/// A parity rule: female / male within `[lower, upper]`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ParityEvaluation {
    /// Year evaluated.
    pub year: i32,
    /// How members were combined.
    pub aggregation: Aggregation,
    /// Female aggregate.
    pub female: Aggregate,
    /// Male aggregate.
    pub male: Aggregate,
    /// `female / male`.
    pub ratio: Option<f64>,
    /// `|1 − ratio|`.
    pub distance: Option<f64>,
    /// Lower parity bound (inclusive).
    pub lower: f64,
    /// Upper parity bound (inclusive).
    pub upper: f64,
    /// Whether the ratio is within the bounds.
    pub met: Option<bool>,
    /// Why `met` is `None`.
    pub reason: Option<String>,
}

/// A share-of-countries rule: share of the group's countries answering yes.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ShareOfCountriesEvaluation {
    /// Year evaluated.
    pub year: i32,
    /// Required share of countries (0..1), compared with `counts.share_yes`.
    pub threshold: f64,
    /// Yes / no / no-data counts.
    pub counts: ShareOfCountries,
    /// `Some(true)` when `share_yes ≥ threshold`; `Some(false)` when even all countries
    /// without data answering yes would not reach it; otherwise `None`.
    pub met: Option<bool>,
    /// Why `met` is `None`.
    pub reason: Option<String>,
}

/// A count-increase rule: the summed value at `t` greater than at baseline.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CountIncreaseEvaluation {
    /// Baseline year.
    pub base_year: i32,
    /// Year evaluated.
    pub year: i32,
    /// Sum in the baseline year.
    pub base: Aggregate,
    /// Sum in the evaluated year.
    pub current: Aggregate,
    /// `current − base`.
    pub increase: Option<f64>,
    /// Whether `current > base`.
    pub met: Option<bool>,
    /// Why `met` is `None`.
    pub reason: Option<String>,
}

/// The evaluation of any rule kind, tagged by `kind` when serialised.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleEvaluation {
    /// See [`evaluate_level`].
    Level(LevelEvaluation),
    /// See [`evaluate_relative_change`].
    RelativeChange(RelativeChangeEvaluation),
    /// See [`evaluate_gap_reduction`].
    GapReduction(GapReductionEvaluation),
    /// See [`evaluate_parity`].
    Parity(ParityEvaluation),
    /// See [`evaluate_share_of_countries`].
    ShareOfCountries(ShareOfCountriesEvaluation),
    /// See [`evaluate_count_increase`].
    CountIncrease(CountIncreaseEvaluation),
}

impl RuleEvaluation {
    /// Whether the rule is met (`None`: undetermined).
    pub fn met(&self) -> Option<bool> {
        match self {
            RuleEvaluation::Level(e) => e.met,
            RuleEvaluation::RelativeChange(e) => e.met,
            RuleEvaluation::GapReduction(e) => e.met,
            RuleEvaluation::Parity(e) => e.met,
            RuleEvaluation::ShareOfCountries(e) => e.met,
            RuleEvaluation::CountIncrease(e) => e.met,
        }
    }
}

macro_rules! impl_from_evaluation {
    ($($variant:ident($ty:ty)),* $(,)?) => {
        $(impl From<$ty> for RuleEvaluation {
            fn from(e: $ty) -> Self {
                RuleEvaluation::$variant(e)
            }
        })*
    };
}

impl_from_evaluation!(
    Level(LevelEvaluation),
    RelativeChange(RelativeChangeEvaluation),
    GapReduction(GapReductionEvaluation),
    Parity(ParityEvaluation),
    ShareOfCountries(ShareOfCountriesEvaluation),
    CountIncrease(CountIncreaseEvaluation),
);

fn reason_if_none<T>(met: Option<T>, reason: &str) -> Option<String> {
    met.is_none().then(|| reason.to_owned())
}

/// `x_t / x_base − 1`, defined only for a positive base.
fn relative(base: Option<f64>, current: Option<f64>) -> Option<f64> {
    let (b, c) = (base?, current?);
    (b > 0.0).then(|| finite(c / b - 1.0)).flatten()
}

fn reaches_change(change: f64, wanted: f64) -> bool {
    // The sign of the wanted change gives the direction; zero asks for "no decrease".
    if wanted < 0.0 {
        change <= wanted
    } else {
        change >= wanted
    }
}

/// Level rule: the group aggregate must satisfy `comparator threshold`; each country is
/// checked against the same threshold.
pub fn evaluate_level(
    snapshot: Snapshot<'_>,
    aggregation: Aggregation,
    comparator: Comparator,
    threshold: f64,
) -> LevelEvaluation {
    let aggregate = aggregation.apply(snapshot.members);
    let met = aggregate.value.map(|v| comparator.holds(v, threshold));
    let countries = snapshot
        .members
        .iter()
        .map(|m| {
            let value = m.value.and_then(finite);
            CountryCheck {
                country: m.country.clone(),
                value,
                imputed: m.imputed && value.is_some(),
                met: value.map(|v| comparator.holds(v, threshold)),
            }
        })
        .collect();
    LevelEvaluation {
        year: snapshot.year,
        aggregation,
        comparator,
        threshold,
        aggregate,
        met,
        reason: reason_if_none(met, reasons::NO_DATA),
        countries,
    }
}

/// Relative-change rule: `change = x_t / x_base − 1` must reach `wanted_change`
/// (negative: at most that, i.e. a decrease at least that large; otherwise at least it).
/// Countries are matched between the two years by code.
pub fn evaluate_relative_change(
    base: Snapshot<'_>,
    current: Snapshot<'_>,
    aggregation: Aggregation,
    wanted_change: f64,
) -> RelativeChangeEvaluation {
    let base_agg = aggregation.apply(base.members);
    let current_agg = aggregation.apply(current.members);
    let change = relative(base_agg.value, current_agg.value);
    let met = change.map(|c| reaches_change(c, wanted_change));
    let reason = match (base_agg.value, current_agg.value) {
        _ if met.is_some() => None,
        (Some(b), Some(_)) if b <= 0.0 => Some(reasons::NON_POSITIVE_BASE.to_owned()),
        _ => Some(reasons::NO_DATA.to_owned()),
    };

    let mut order: Vec<&str> = Vec::new();
    let mut pairs: HashMap<&str, (Option<f64>, Option<f64>)> = HashMap::new();
    for (members, is_base) in [(base.members, true), (current.members, false)] {
        for m in members {
            let entry = pairs.entry(m.country.as_str()).or_insert_with(|| {
                order.push(m.country.as_str());
                (None, None)
            });
            let value = m.value.and_then(finite);
            if is_base {
                entry.0 = value.or(entry.0);
            } else {
                entry.1 = value.or(entry.1);
            }
        }
    }
    let countries = order
        .into_iter()
        .map(|country| {
            let (base_value, value) = pairs[country];
            let change = relative(base_value, value);
            CountryChange {
                country: country.to_owned(),
                base_value,
                value,
                change,
                met: change.map(|c| reaches_change(c, wanted_change)),
            }
        })
        .collect();

    RelativeChangeEvaluation {
        base_year: base.year,
        year: current.year,
        aggregation,
        wanted_change,
        base: base_agg,
        current: current_agg,
        change,
        met,
        reason,
        countries,
    }
}

/// Gap-reduction rule: `gap = aggregate(developing) − aggregate(developed)`, met when
/// `gap_t ≤ (1 − reduction) · gap_base`. A baseline gap that is not positive leaves
/// nothing to reduce, so `met` is then `None`.
pub fn evaluate_gap_reduction(
    base: GapSnapshot<'_>,
    current: GapSnapshot<'_>,
    aggregation: Aggregation,
    reduction: f64,
) -> GapReductionEvaluation {
    let developing_base = aggregation.apply(base.developing);
    let developed_base = aggregation.apply(base.developed);
    let developing = aggregation.apply(current.developing);
    let developed = aggregation.apply(current.developed);
    let gap_of = |a: &Aggregate, b: &Aggregate| finite(a.value? - b.value?);
    let gap_base = gap_of(&developing_base, &developed_base);
    let gap = gap_of(&developing, &developed);
    let allowed_gap = gap_base.and_then(|gb| finite((1.0 - reduction) * gb));
    let positive_base = gap_base.filter(|gb| *gb > 0.0);
    let (met, reason) = match (positive_base, gap, allowed_gap) {
        (Some(_), Some(gt), Some(allowed)) => (Some(gt <= allowed), None),
        _ if gap_base.is_some() && gap.is_some() => (None, Some(reasons::NON_POSITIVE_BASE_GAP.to_owned())),
        _ => (None, Some(reasons::NO_DATA.to_owned())),
    };
    let reduction_achieved = match (positive_base, gap) {
        (Some(gb), Some(gt)) => finite(1.0 - gt / gb),
        _ => None,
    };
    GapReductionEvaluation {
        base_year: base.year,
        year: current.year,
        aggregation,
        reduction,
        developing_base,
        developed_base,
        developing,
        developed,
        gap_base,
        gap,
        allowed_gap,
        reduction_achieved,
        met,
        reason,
    }
}

/// Parity rule: `ratio = aggregate(female) / aggregate(male)` within
/// [[`PARITY_LOWER`], [`PARITY_UPPER`]]; `distance = |1 − ratio|`.
///
/// For a weighted mean the weights should be each sex's own population.
pub fn evaluate_parity(
    year: i32,
    female: &[MemberValue],
    male: &[MemberValue],
    aggregation: Aggregation,
) -> ParityEvaluation {
    let female_agg = aggregation.apply(female);
    let male_agg = aggregation.apply(male);
    let (ratio, reason) = match (female_agg.value, male_agg.value) {
        (Some(f), Some(m)) if m > 0.0 => (finite(f / m), None),
        (Some(_), Some(_)) => (None, Some(reasons::NON_POSITIVE_MALE_VALUE.to_owned())),
        _ => (None, Some(reasons::NO_DATA.to_owned())),
    };
    let met = ratio.map(|r| (PARITY_LOWER..=PARITY_UPPER).contains(&r));
    ParityEvaluation {
        year,
        aggregation,
        female: female_agg,
        male: male_agg,
        ratio,
        distance: ratio.map(|r| (1.0 - r).abs()),
        lower: PARITY_LOWER,
        upper: PARITY_UPPER,
        met,
        reason,
    }
}

/// Share-of-countries rule: the share of the group's countries answering yes must reach
/// `threshold` (a fraction, e.g. 1.0 or 0.5). Countries without data are in the
/// denominator but never counted as `no`: if they could tip the result, `met` is `None`.
pub fn evaluate_share_of_countries(year: i32, members: &[YesNo], threshold: f64) -> ShareOfCountriesEvaluation {
    let counts = aggregate::share_of_countries(members);
    let n = counts.countries as f64;
    let met = match counts.share_yes {
        Some(share) if share >= threshold => Some(true),
        Some(_) if (counts.yes + counts.no_data) as f64 / n < threshold => Some(false),
        _ => None,
    };
    let reason = match met {
        Some(_) => None,
        None if counts.countries == 0 => Some(reasons::NO_DATA.to_owned()),
        None => Some(reasons::UNDETERMINED_MISSING_DATA.to_owned()),
    };
    ShareOfCountriesEvaluation { year, threshold, counts, met, reason }
}

/// Count-increase rule: the summed value at `t` must be greater than at baseline.
pub fn evaluate_count_increase(base: Snapshot<'_>, current: Snapshot<'_>) -> CountIncreaseEvaluation {
    let base_agg = aggregate::sum(base.members);
    let current_agg = aggregate::sum(current.members);
    let increase = match (base_agg.value, current_agg.value) {
        (Some(b), Some(c)) => finite(c - b),
        _ => None,
    };
    let met = increase.map(|i| i > 0.0);
    CountIncreaseEvaluation {
        base_year: base.year,
        year: current.year,
        base: base_agg,
        current: current_agg,
        increase,
        met,
        reason: reason_if_none(met, reasons::NO_DATA),
    }
}
