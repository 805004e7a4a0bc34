//! What one country's value is for a target in a year, and how a group's values combine
//! into an aggregate with its coverage.

use super::dataset::{value_in, DataSet, YearValues};
use crate::domain::catalogue::{Aggregation, Catalogue, Group, Measure, Target, Unit};
use crate::domain::progress::{self, Aggregate, MemberValue, ShareOfCountries, YesNo};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// What is measured: the indicators a target reads and how they combine.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureSpec {
    /// How indicators combine per country.
    pub measure: Measure,
    /// Indicator codes.
    pub indicators: Vec<String>,
    /// Canonical disaggregation (`sex=female`), empty for totals.
    pub disaggregation: String,
    /// How countries combine into a group value.
    pub aggregation: Aggregation,
    /// Unit of the measure's values.
    pub unit: Unit,
    /// Valid range of one country's value (clamps projections).
    pub range: Option<(f64, f64)>,
}

impl MeasureSpec {
    /// The measure of a target (for `each`, of its first indicator).
    pub fn of_target(target: &Target, catalogue: &Catalogue) -> Option<Self> {
        let indicators = match target.rule.measure {
            Measure::Each => vec![target.indicators.first()?.clone()],
            _ => target.indicators.clone(),
        };
        Self::new(target.rule.measure, indicators, catalogue)
    }

    /// The measure of a single indicator.
    pub fn of_indicator(code: &str, catalogue: &Catalogue) -> Option<Self> {
        Self::new(Measure::Single, vec![code.to_string()], catalogue)
    }

    fn new(measure: Measure, indicators: Vec<String>, catalogue: &Catalogue) -> Option<Self> {
        let first = catalogue.indicator(indicators.first()?)?;
        let (unit, range, aggregation) = match measure {
            Measure::Ratio => (Unit::Percent, Some((0.0, 100.0)), Aggregation::Sum),
            Measure::AllYes => (Unit::Boolean, None, Aggregation::ShareOfCountries),
            Measure::Sum => (first.unit, None, first.aggregation),
            Measure::Single | Measure::Each => (first.unit, first.min_value.zip(first.max_value), first.aggregation),
        };
        Some(Self { measure, indicators, disaggregation: String::new(), aggregation, unit, range })
    }

    /// The same measure for one breakdown (e.g. `sex=female`).
    pub fn disaggregated(&self, disaggregation: &str) -> Self {
        Self { disaggregation: disaggregation.to_string(), ..self.clone() }
    }

    /// Whether values are yes/no answers.
    pub fn is_yes_no(&self) -> bool {
        self.aggregation == Aggregation::ShareOfCountries
    }

    /// A country's value in a year (carried forward up to `carry` years); `true` when imputed.
    pub fn country_value(&self, data: &DataSet, country: &str, year: i32, carry: u32) -> Option<(f64, bool)> {
        self.resolve(data).country_value(country, year, carry)
    }

    /// The measure with its series looked up once, for evaluating many countries.
    pub fn resolve<'a>(&'a self, data: &'a DataSet) -> ResolvedMeasure<'a> {
        let series = self.indicators.iter().map(|i| data.series(i, &self.disaggregation)).collect();
        ResolvedMeasure { spec: self, series }
    }
}

/// A measure whose series are resolved.
pub struct ResolvedMeasure<'a> {
    spec: &'a MeasureSpec,
    series: Vec<Option<&'a HashMap<String, YearValues>>>,
}

impl ResolvedMeasure<'_> {
    /// A country's value in a year (carried forward up to `carry` years); `true` when imputed.
    pub fn country_value(&self, country: &str, year: i32, carry: u32) -> Option<(f64, bool)> {
        let get = |n: usize| value_in(self.series.get(n).copied().flatten()?.get(country)?, year, carry);
        match self.spec.measure {
            Measure::Single | Measure::Each => get(0),
            Measure::Sum => (0..self.series.len())
                .try_fold((0.0, false), |(total, imputed), n| get(n).map(|(v, i)| (total + v, imputed || i))),
            Measure::Ratio => {
                let (numerator, i1) = get(0)?;
                let (denominator, i2) = get(1)?;
                (denominator > 0.0).then(|| (100.0 * numerator / denominator, i1 || i2))
            }
            Measure::AllYes => {
                let found: Vec<_> = (0..self.series.len()).map(get).collect();
                let answers: Vec<_> = found.iter().map(|f| f.map(|(v, _)| v != 0.0)).collect();
                let imputed = found.iter().any(|f| f.is_some_and(|(_, imputed)| imputed));
                progress::all_yes(&answers).map(|yes| (if yes { 1.0 } else { 0.0 }, imputed))
            }
        }
    }
}

/// A group's value in one year.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Point {
    /// Year.
    pub year: i32,
    /// The aggregate: weighted mean, sum, ratio in percent, or share of countries answering
    /// yes in percent.
    pub value: Option<f64>,
    /// Countries reporting, countries in the group, share of the group's weight reported,
    /// and what was imputed.
    pub coverage: progress::Coverage,
    /// For yes/no measures: yes, no and no-data counts (missing is never `no`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<ShareOfCountries>,
    /// Whether the coverage reaches the minimum for the year to enter an assessment.
    pub meets_min_coverage: bool,
}

/// Members of a group in a year, optionally only those also in `within` (e.g. member states).
pub fn members_in_year<'a>(group: &'a Group, within: Option<&'a Group>, year: i32) -> Vec<&'a str> {
    group
        .members
        .iter()
        .filter(|m| m.is_active_in_year(year))
        .filter(|m| within.is_none_or(|w| w.members.iter().any(|o| o.iso3 == m.iso3 && o.is_active_in_year(year))))
        .map(|m| m.iso3.as_str())
        .collect()
}

/// The group aggregate of a measure in a year, with its coverage.
pub fn group_point(
    spec: &MeasureSpec,
    data: &DataSet,
    catalogue: &Catalogue,
    members: &[&str],
    year: i32,
    carry: u32,
) -> Point {
    let resolved = spec.resolve(data);
    if spec.is_yes_no() {
        let found: Vec<_> = members.iter().map(|c| resolved.country_value(c, year, carry)).collect();
        let answers: Vec<YesNo> = members
            .iter()
            .zip(&found)
            .map(|(c, f)| YesNo { country: c.to_string(), answer: f.map(|(v, _)| v != 0.0) })
            .collect();
        let share = progress::share_of_countries(&answers);
        let imputed = found.iter().filter(|f| f.is_some_and(|(_, imputed)| imputed)).count();
        let reporting = share.yes + share.no;
        let of_group = |n: usize| (!members.is_empty()).then(|| n as f64 / members.len() as f64);
        let coverage = progress::Coverage {
            basis: progress::WeightBasis::Countries,
            countries_reporting: reporting,
            countries_in_group: members.len(),
            reporting_without_weight: 0,
            countries_imputed: imputed,
            weight_share: of_group(reporting),
            imputed_weight_share: of_group(imputed),
        };
        let value = (reporting > 0).then(|| 100.0 * share.share_yes.unwrap_or(0.0));
        return Point { year, value, coverage, answers: Some(share), meets_min_coverage: false };
    }
    if spec.measure == Measure::Ratio {
        return ratio_point(spec, data, members, year, carry);
    }
    let values: Vec<MemberValue> = members
        .iter()
        .map(|c| {
            let found = resolved.country_value(c, year, carry);
            MemberValue {
                country: c.to_string(),
                weight: population(catalogue, c, year),
                value: found.map(|(v, _)| v),
                imputed: found.is_some_and(|(_, imputed)| imputed),
            }
        })
        .collect();
    let Aggregate { value, coverage } = match spec.aggregation {
        Aggregation::Sum => progress::sum(&values),
        _ => progress::weighted_mean(&values),
    };
    Point { year, value, coverage, answers: None, meets_min_coverage: false }
}

/// Years a population figure may stand in for a later year without one (the reference
/// series ends before the current year, and a few economies lack recent figures).
pub const POPULATION_CARRY_YEARS: i32 = 5;

/// A country's population in a year, else its latest figure at most five years earlier, so a
/// country without a figure is never silently dropped from a group's weight.
fn population(catalogue: &Catalogue, country: &str, year: i32) -> Option<f64> {
    let mut key = (country.to_string(), year);
    for y in (year - POPULATION_CARRY_YEARS..=year).rev() {
        key.1 = y;
        if let Some(p) = catalogue.population.get(&key) {
            return Some(*p as f64);
        }
    }
    None
}

/// Sum of numerators over sum of denominators, over countries that report both.
fn ratio_point(spec: &MeasureSpec, data: &DataSet, members: &[&str], year: i32, carry: u32) -> Point {
    let pair = |c: &str| {
        let get = |i: usize| data.value(spec.indicators.get(i)?, &spec.disaggregation, c, year, carry);
        get(0).zip(get(1)).filter(|(_, (d, _))| *d > 0.0)
    };
    let parts: Vec<_> = members.iter().map(|c| (c, pair(c))).collect();
    let member = |c: &str, value: Option<f64>, imputed: bool| MemberValue {
        country: c.to_string(),
        weight: None,
        value,
        imputed,
    };
    let numerators: Vec<_> = parts
        .iter()
        .map(|(c, p)| member(c, p.map(|((n, _), _)| n), p.is_some_and(|((_, a), (_, b))| a || b)))
        .collect();
    let denominators: Vec<_> = parts.iter().map(|(c, p)| member(c, p.map(|(_, (d, _))| d), false)).collect();
    let numerator = progress::sum(&numerators);
    let denominator = progress::sum(&denominators);
    let value = numerator.value.zip(denominator.value).filter(|(_, d)| *d > 0.0).map(|(n, d)| 100.0 * n / d);
    Point { year, value, coverage: numerator.coverage, answers: None, meets_min_coverage: false }
}
