//! A target's progress for a group and for each country: the series its rule reads, the
//! target value that series is held to, and the named method's assessment.

use super::dataset::DataSet;
use super::measure::{group_point, members_in_year, MeasureSpec, Point};
use crate::domain::catalogue::{Catalogue, Direction, Group, RuleKind, Target, ITU_MEMBERS};
use crate::domain::estimation::Estimation;
use crate::domain::progress::methods::DEFAULT_BASE_YEAR;
use crate::domain::progress::{self, Assessment, Method, Observation, TargetSpec, Withheld};
use serde::Serialize;
use utoipa::ToSchema;

/// First year the engine looks at.
pub const FIRST_YEAR: i32 = 1990;
/// Parity band of target 2.5.A.
pub const PARITY_BAND: (f64, f64) = (0.98, 1.02);

/// Default least share of a group's weight an aggregate must rest on to be assessed: the
/// UN SDG database's rule for regional aggregates (50 % of the population).
pub const DEFAULT_MIN_COVERAGE: f64 = 0.5;

/// Default least share of a group's weight that must be *reported* (not estimated) for a
/// year's aggregate to be assessed.
pub const DEFAULT_MIN_REPORTED: f64 = 0.5;

/// The reported floor when none is given: 0.5, but never above the coverage floor asked
/// for, so lowering `min_coverage` alone still admits the years it admitted before.
pub fn default_min_reported(min_coverage: f64) -> f64 {
    DEFAULT_MIN_REPORTED.min(min_coverage)
}

/// How progress is computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// The method.
    pub method: Method,
    /// How values missing from aggregates are estimated (never for a country's own series).
    pub estimation: Estimation,
    /// Least coverage (share of the group's weight reported or estimated, 0..1) for a year's
    /// aggregate to enter an assessment; years below it stay in the series, flagged.
    pub min_coverage: f64,
    /// Least share of the group's weight reported (not estimated) for a year's aggregate to
    /// enter an assessment.
    pub min_reported: f64,
    /// Calendar year of the assessment: later data is ignored.
    pub as_of_year: i32,
}

/// Everything a computation reads.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    /// The catalogue.
    pub catalogue: &'a Catalogue,
    /// The values.
    pub data: &'a DataSet,
    /// Method and imputation.
    pub options: Options,
}

/// A target's progress over one group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupProgress {
    /// Group code.
    pub group: String,
    /// Group name.
    pub group_name: String,
    /// The latest year whose aggregate meets the minimum coverage (and is not withheld).
    pub latest: Option<Point>,
    /// Every year with a value or a withheld aggregate (empty in the overview).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<Point>,
    /// For `gap_reduction` and `parity`: the second series the headline is derived from
    /// (developed economies; male), so the gap or ratio can be recomputed by hand.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub comparison_series: Vec<Point>,
    /// The method's assessment of the series, with its provenance.
    pub assessment: Assessment,
    /// Share of the group's weight estimated (not reported) in the assessment's base year.
    pub base_estimated_share: Option<f64>,
    /// Share of the group's weight estimated (not reported) in the assessment's current year.
    pub current_estimated_share: Option<f64>,
}

/// A yes/no answer with its year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Answer {
    /// `true` for yes.
    pub yes: bool,
    /// Year of the answer.
    pub year: i32,
}

/// A target's progress for one country.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CountryProgress {
    /// ISO alpha-3.
    pub country: String,
    /// Common name.
    pub name: String,
    /// For yes/no targets: the latest answer (none: no data, never counted as no).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<Answer>,
    /// For numeric targets: the country's own series held to the same rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Assessment>,
    /// For numeric targets, in the country view: the values the assessment read, by year
    /// (what the country reported; a parity target's female/male ratio).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<Observation>,
}

/// The points an assessment may use: a value resting on enough of the group.
fn observations(points: &[Point]) -> Vec<Observation> {
    points
        .iter()
        .filter(|p| p.meets_min_coverage)
        .filter_map(|p| p.value.map(|value| Observation { year: p.year, value }))
        .collect()
}

/// A group's aggregate in a year, flagged against the two floors an assessed year must reach.
pub(super) fn flagged_point(inputs: Inputs, spec: &MeasureSpec, members: &[&str], year: i32) -> Point {
    let options = &inputs.options;
    let mut point = group_point(spec, inputs.data, inputs.catalogue, members, year, &options.estimation);
    let covered = point.coverage.weight_share.is_some_and(|s| s >= options.min_coverage);
    point.meets_min_reported = point.coverage.reported_weight_share.is_some_and(|s| s >= options.min_reported);
    point.meets_min_coverage = covered && point.meets_min_reported;
    point
}

/// The group's points of a measure, every year of a range with a value.
fn series_between(
    inputs: Inputs,
    spec: &MeasureSpec,
    group: &Group,
    within: Option<&Group>,
    years: std::ops::RangeInclusive<i32>,
) -> Vec<Point> {
    years
        .map(|year| {
            let members = members_in_year(group, within, year);
            flagged_point(inputs, spec, &members, year)
        })
        .filter(|p| p.value.is_some() || p.withheld.is_some())
        .collect()
}

fn series(inputs: Inputs, spec: &MeasureSpec, group: &Group, within: Option<&Group>) -> Vec<Point> {
    series_between(inputs, spec, group, within, FIRST_YEAR..=inputs.options.as_of_year)
}

/// Combines two series year by year (gap, ratio), keeping the first series' coverage; a
/// year either series withholds, or whose combination overflows, is withheld.
fn combine(first: &[Point], second: &[Point], f: impl Fn(f64, f64) -> Option<f64>) -> Vec<Point> {
    first
        .iter()
        .filter_map(|a| {
            let b = second.iter().find(|b| b.year == a.year)?;
            let (value, withheld) = match (a.value, b.value) {
                (Some(x), Some(y)) => match f(x, y)? {
                    v if v.is_finite() => (Some(v), None),
                    _ => (None, Some(Withheld::Overflow)),
                },
                _ => (None, Some(a.withheld.or(b.withheld)?)),
            };
            Some(Point {
                value,
                withheld,
                meets_min_coverage: a.meets_min_coverage && b.meets_min_coverage,
                meets_min_reported: a.meets_min_reported && b.meets_min_reported,
                ..a.clone()
            })
        })
        .collect()
}

fn base_value(values: &[Observation], baseline_year: Option<i32>) -> Option<f64> {
    let anchor = baseline_year.unwrap_or(DEFAULT_BASE_YEAR);
    values.iter().filter(|o| o.year >= anchor).min_by_key(|o| o.year).map(|o| o.value)
}

/// The target value and direction a series is held to, per the rule kind.
fn target_spec(target: &Target, spec: &MeasureSpec, values: &[Observation]) -> TargetSpec {
    let rule = &target.rule;
    let base = || base_value(values, rule.baseline_year);
    let (value, direction, clamp) = match rule.kind {
        RuleKind::Level => (rule.target_value, rule.direction, spec.range),
        RuleKind::ShareOfCountries => (rule.target_value, Direction::HigherIsBetter, Some((0.0, 100.0))),
        RuleKind::RelativeChange => {
            (base().zip(rule.target_value).map(|(x0, change)| x0 * (1.0 + change / 100.0)), rule.direction, spec.range)
        }
        RuleKind::GapReduction => (
            base().zip(rule.target_value).map(|(gap, reduction)| gap * (1.0 - reduction / 100.0)),
            Direction::LowerIsBetter,
            None,
        ),
        // Parity series are assessed as the distance |1 − F/M| (see `assess`).
        RuleKind::Parity => (Some(PARITY_BAND.1 - 1.0), Direction::LowerIsBetter, None),
        RuleKind::CountIncrease => (None, Direction::HigherIsBetter, None),
    };
    TargetSpec { value, year: rule.deadline_year, direction, baseline_year: rule.baseline_year, clamp }
}

fn assess(inputs: Inputs, target: &Target, spec: &MeasureSpec, values: &[Observation]) -> Assessment {
    let method = inputs.options.method;
    match target.rule.kind {
        // The band around 1 is two-sided, and overshooting it from below is still progress:
        // the distance |1 − F/M| is what must fall to 0.02 (docs/methodology.md, "Parity").
        RuleKind::Parity => {
            let distances: Vec<_> =
                values.iter().map(|o| Observation { year: o.year, value: (1.0 - o.value).abs() }).collect();
            progress::assess(method, &distances, &target_spec(target, spec, &distances), inputs.options.as_of_year)
        }
        // "More than at the baseline" has no target value to trend toward: the trend is
        // classified, and the rule itself decides achievement and the deadline.
        RuleKind::CountIncrease => {
            let mut a = progress::assess(method, values, &target_spec(target, spec, values), inputs.options.as_of_year);
            if let Some(base) = a.base_value {
                a.met_by_deadline = a.deadline_value.map(|v| v > base);
                if a.current_value.is_some_and(|v| v > base) {
                    a.status = progress::ProgressStatus::TargetAchieved;
                    a.reason = None;
                    a.projection_reason = Some(progress::methods::reasons::ALREADY_ACHIEVED.to_string());
                }
            }
            a
        }
        _ => progress::assess(method, values, &target_spec(target, spec, values), inputs.options.as_of_year),
    }
}

/// A trend-only assessment in the indicator's own direction (gap targets' breakdown groups
/// and countries: a gap is between two groups).
fn trend(inputs: Inputs, target: &Target, spec: &MeasureSpec, values: &[Observation]) -> Assessment {
    let spec = TargetSpec { value: None, direction: target.rule.direction, ..target_spec(target, spec, values) };
    progress::assess(inputs.options.method, values, &spec, inputs.options.as_of_year)
}

/// The member states restriction for yes/no targets: shares are shares of member states.
fn within<'a>(target: &Target, catalogue: &'a Catalogue) -> Option<&'a Group> {
    matches!(target.rule.kind, RuleKind::ShareOfCountries).then(|| catalogue.group(ITU_MEMBERS)).flatten()
}

/// A target's progress over a group: the rule's series for that group and its assessment.
pub fn group_progress(
    inputs: Inputs,
    target: &Target,
    spec: &MeasureSpec,
    group: &Group,
    with_series: bool,
) -> GroupProgress {
    let catalogue = inputs.catalogue;
    let restrict = within(target, catalogue).filter(|w| w.code != group.code);
    let (headline, comparison) = match target.rule.kind {
        RuleKind::GapReduction if group.code.eq_ignore_ascii_case(&target.rule.group) => {
            match target.rule.comparison_group.as_deref().and_then(|c| catalogue.group(c)) {
                Some(other) => {
                    let developing = series(inputs, spec, group, restrict);
                    let developed = series(inputs, spec, other, restrict);
                    (combine(&developing, &developed, |a, b| Some(a - b)), developed)
                }
                None => (series(inputs, spec, group, restrict), Vec::new()),
            }
        }
        RuleKind::Parity => {
            let female = series(inputs, &spec.disaggregated("sex=female"), group, restrict);
            let male = series(inputs, &spec.disaggregated("sex=male"), group, restrict);
            (combine(&female, &male, |f, m| (m > 0.0).then(|| f / m)), male)
        }
        _ => (series(inputs, spec, group, restrict), Vec::new()),
    };
    // Breakdown groups of a gap target show the plain aggregate, judged by trend alone.
    let plain_gap_group = target.rule.kind == RuleKind::GapReduction && comparison.is_empty();
    let values = observations(&headline);
    let assessment =
        if plain_gap_group { trend(inputs, target, spec, &values) } else { assess(inputs, target, spec, &values) };
    let estimated_in = |year: Option<i32>| {
        let year = year?;
        headline.iter().find(|p| p.year == year)?.coverage.imputed_weight_share
    };
    GroupProgress {
        group: group.code.clone(),
        group_name: group.name.clone(),
        base_estimated_share: estimated_in(assessment.base_year),
        current_estimated_share: estimated_in(assessment.current_year),
        latest: headline.iter().rev().find(|p| p.meets_min_coverage && p.value.is_some()).cloned(),
        series: if with_series { headline } else { Vec::new() },
        comparison_series: if with_series { comparison } else { Vec::new() },
        assessment,
    }
}

/// A target's progress for one country: its latest answer (yes/no targets) or its own
/// series held to the same rule (and, `with_series`, that series).
pub fn country_progress(
    inputs: Inputs,
    target: &Target,
    spec: &MeasureSpec,
    iso3: &str,
    with_series: bool,
) -> CountryProgress {
    let name = inputs.catalogue.economy(iso3).map(|e| e.short_name.clone()).unwrap_or_default();
    // A country is judged on what it reported, never on estimates.
    let own = |spec: &MeasureSpec| -> Vec<Observation> {
        let resolved = spec.resolve(inputs.data);
        (FIRST_YEAR..=inputs.options.as_of_year)
            .filter_map(|year| {
                resolved.country_value(iso3, year, &Estimation::NONE).map(|e| Observation { year, value: e.value })
            })
            .collect()
    };
    if spec.is_yes_no() {
        // Each capability's latest answer counts, whenever it was given: the answer is dated
        // by the latest of them.
        let year = spec
            .indicators
            .iter()
            .filter_map(|i| {
                inputs.data.country(i, &spec.disaggregation, iso3)?.range(..=inputs.options.as_of_year).next_back()
            })
            .map(|(year, _)| *year)
            .max();
        let carry = u32::try_from(inputs.options.as_of_year - FIRST_YEAR).unwrap_or(0);
        let answer = year.and_then(|year| {
            let found = spec.country_value(inputs.data, iso3, year, &Estimation::carry_forward(carry))?;
            Some(Answer { yes: found.value != 0.0, year })
        });
        return CountryProgress { country: iso3.to_string(), name, answer, assessment: None, series: Vec::new() };
    }
    let values = match target.rule.kind {
        RuleKind::Parity => {
            let male = own(&spec.disaggregated("sex=male"));
            own(&spec.disaggregated("sex=female"))
                .into_iter()
                .filter_map(|f| {
                    let m = male.iter().find(|m| m.year == f.year)?;
                    (m.value > 0.0).then(|| Observation { year: f.year, value: f.value / m.value })
                })
                .collect()
        }
        _ => own(spec),
    };
    let assessment = if target.rule.kind == RuleKind::GapReduction {
        trend(inputs, target, spec, &values)
    } else {
        assess(inputs, target, spec, &values)
    };
    // A value that overflowed (a ratio over a vanishing denominator) is no number to show;
    // the assessment says it ignored it.
    let series = if with_series { values.into_iter().filter(|o| o.value.is_finite()).collect() } else { Vec::new() };
    CountryProgress { country: iso3.to_string(), name, answer: None, assessment: Some(assessment), series }
}

/// Series of any indicator over any group (for analysts), with coverage, in a year range.
pub fn indicator_series(inputs: Inputs, spec: &MeasureSpec, group: &Group, from: i32, to: i32) -> Vec<Point> {
    series_between(inputs, spec, group, None, from.max(FIRST_YEAR)..=to.min(inputs.options.as_of_year))
}
