//! What one country's value is for a target in a year, and how a group's values combine
//! into an aggregate with its coverage.

use super::dataset::DataSet;
use crate::domain::catalogue::{Aggregation, Catalogue, Group, Indicator, Measure, Target, Unit};
use crate::domain::estimation::{Basis, Estimate, Estimation, SeriesKind, YearValues};
use crate::domain::progress::{self, Aggregate, MemberValue, ShareOfCountries, Withheld, YesNo};
use foldhash::HashMap;
use serde::Serialize;
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
    /// How each indicator's series may be estimated.
    pub kinds: Vec<SeriesKind>,
}

/// How an indicator's series may be estimated: from how its countries combine, within its
/// valid range.
pub fn series_kind(indicator: &Indicator) -> SeriesKind {
    match indicator.aggregation {
        Aggregation::ShareOfCountries => SeriesKind::YesNo,
        Aggregation::Sum => SeriesKind::Count,
        Aggregation::PopulationWeightedMean => {
            SeriesKind::Level { range: indicator.min_value.zip(indicator.max_value) }
        }
    }
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
        let kinds = indicators.iter().map(|i| catalogue.indicator(i).map(series_kind)).collect::<Option<_>>()?;
        Some(Self { measure, indicators, disaggregation: String::new(), aggregation, unit, range, kinds })
    }

    /// The same measure for one breakdown (e.g. `sex=female`).
    pub fn disaggregated(&self, disaggregation: &str) -> Self {
        Self { disaggregation: disaggregation.to_string(), ..self.clone() }
    }

    /// Whether values are yes/no answers.
    pub fn is_yes_no(&self) -> bool {
        self.aggregation == Aggregation::ShareOfCountries
    }

    /// A country's value in a year, reported or estimated.
    pub fn country_value(&self, data: &DataSet, country: &str, year: i32, estimation: &Estimation) -> Option<Estimate> {
        self.resolve(data).country_value(country, year, estimation)
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
    /// One indicator's value for a country in a year, reported or estimated.
    fn indicator_value(&self, n: usize, country: &str, year: i32, estimation: &Estimation) -> Option<Estimate> {
        let years = self.series.get(n).copied().flatten()?.get(country)?;
        estimation.value(years, year, *self.spec.kinds.get(n)?)
    }

    /// A country's value in a year, reported or estimated indicator by indicator; a value
    /// combined from several indicators carries the least certain basis among them.
    pub fn country_value(&self, country: &str, year: i32, estimation: &Estimation) -> Option<Estimate> {
        let get = |n: usize| self.indicator_value(n, country, year, estimation);
        match self.spec.measure {
            Measure::Single | Measure::Each => get(0),
            Measure::Sum => {
                let first = get(0)?;
                (1..self.series.len())
                    .try_fold(first, |total, n| get(n).map(|e| total.combine(e, total.value + e.value)))
            }
            Measure::Ratio => {
                let (numerator, denominator) = (get(0)?, get(1)?);
                (denominator.value > 0.0)
                    .then(|| numerator.combine(denominator, 100.0 * numerator.value / denominator.value))
            }
            Measure::AllYes => {
                let found: Vec<_> = (0..self.series.len()).map(get).collect();
                let answers: Vec<_> = found.iter().map(|f| f.map(|e| e.value != 0.0)).collect();
                let yes = progress::all_yes(&answers)?;
                let value = if yes { 1.0 } else { 0.0 };
                found.into_iter().flatten().reduce(|a, b| a.combine(b, value)).map(|e| Estimate { value, ..e })
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
    /// yes in percent; null when it is withheld.
    pub value: Option<f64>,
    /// Why the aggregate is withheld although countries reported (`overflow`: it exceeds
    /// the range of a double-precision number). A withheld year stays in the series and
    /// enters no assessment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withheld: Option<Withheld>,
    /// Countries reporting, countries in the group, share of the group's weight reported,
    /// and what was imputed.
    pub coverage: progress::Coverage,
    /// For yes/no measures: yes, no and no-data counts (missing is never `no`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<ShareOfCountries>,
    /// Whether the year enters an assessment: reported plus estimated weight reaches
    /// `min_coverage` and reported weight alone reaches `min_reported`.
    pub meets_min_coverage: bool,
    /// Whether the reported weight alone reaches `min_reported`; when it does not, the
    /// aggregate rests mostly on estimates: shown, flagged, never judged.
    pub meets_min_reported: bool,
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

/// The member value of one country: its value (reported or estimated) and weight.
fn member_value(found: Option<Estimate>, weight: Option<f64>) -> MemberValue {
    MemberValue { weight, value: found.map(|e| e.value), basis: found.map_or(Basis::Missing, |e| e.basis) }
}

fn point(year: i32, aggregate: Aggregate, answers: Option<ShareOfCountries>) -> Point {
    let Aggregate { value, withheld, coverage } = aggregate;
    Point { year, value, withheld, coverage, answers, meets_min_coverage: false, meets_min_reported: false }
}

/// The group aggregate of a measure in a year, with its coverage.
pub fn group_point(
    spec: &MeasureSpec,
    data: &DataSet,
    catalogue: &Catalogue,
    members: &[&str],
    year: i32,
    estimation: &Estimation,
) -> Point {
    let resolved = spec.resolve(data);
    let found: Vec<_> = members.iter().map(|c| resolved.country_value(c, year, estimation)).collect();
    if spec.is_yes_no() {
        let answers: Vec<YesNo> = members
            .iter()
            .zip(&found)
            .map(|(c, f)| YesNo { country: c.to_string(), answer: f.map(|e| e.value != 0.0) })
            .collect();
        let share = progress::share_of_countries(&answers);
        // Each country weighs one: the coverage of a count of answers.
        let counted: Vec<_> = found.iter().map(|f| member_value(*f, None)).collect();
        let coverage = progress::sum(&counted).coverage;
        let value = (share.yes + share.no > 0).then(|| 100.0 * share.share_yes.unwrap_or(0.0));
        return point(year, Aggregate { value, withheld: None, coverage }, Some(share));
    }
    if spec.measure == Measure::Ratio {
        return ratio_point(&resolved, members, year, estimation);
    }
    let values: Vec<MemberValue> =
        members.iter().zip(found).map(|(c, f)| member_value(f, weight(catalogue, c, year).map(|(_, w)| w))).collect();
    let aggregate = match spec.aggregation {
        Aggregation::Sum => progress::sum(&values),
        _ => progress::weighted_mean(&values),
    };
    point(year, aggregate, None)
}

/// Years a population figure may stand in for a later year without one (the reference
/// series ends before the current year, and a few economies lack recent figures).
pub const POPULATION_CARRY_YEARS: i32 = 5;

/// A country's weight in a year: its population that year, else its latest figure at most
/// five years earlier, so a country without a figure is never silently dropped from a
/// group's weight. Returns the year of the figure used and the figure.
pub fn weight(catalogue: &Catalogue, country: &str, year: i32) -> Option<(i32, f64)> {
    let (&y, &p) = catalogue.population.get(country)?.range(year - POPULATION_CARRY_YEARS..=year).next_back()?;
    Some((y, p as f64))
}

/// Sum of numerators over sum of denominators, over countries with both.
fn ratio_point(resolved: &ResolvedMeasure, members: &[&str], year: i32, estimation: &Estimation) -> Point {
    let parts: Vec<_> = members
        .iter()
        .map(|c| {
            let numerator = resolved.indicator_value(0, c, year, estimation);
            let denominator = resolved.indicator_value(1, c, year, estimation);
            numerator.zip(denominator).filter(|(_, d)| d.value > 0.0)
        })
        .collect();
    let numerators: Vec<_> = parts.iter().map(|p| member_value(p.map(|(n, d)| n.combine(d, n.value)), None)).collect();
    let denominators: Vec<_> = parts.iter().map(|p| member_value(p.map(|(_, d)| d), None)).collect();
    let numerator = progress::sum(&numerators);
    let denominator = progress::sum(&denominators);
    let quotient = numerator.value.zip(denominator.value).filter(|(_, d)| *d > 0.0).map(|(n, d)| 100.0 * n / d);
    let overflow = numerator.withheld.or(denominator.withheld).is_some() || quotient.is_some_and(|q| !q.is_finite());
    let aggregate = if overflow {
        Aggregate { value: None, withheld: Some(Withheld::Overflow), coverage: numerator.coverage }
    } else {
        Aggregate { value: quotient, withheld: None, coverage: numerator.coverage }
    };
    point(year, aggregate, None)
}
