//! From progress views to charts and the numbers shown beside them: units, target values
//! and what each point rests on.

use super::chart::{Chart, ChartPoint, ChartWords, Size};
use super::labels::{self, Label};
use super::scale::format_value;
use crate::domain::catalogue::{Catalogue, RuleKind, Target, Unit};
use crate::domain::language::Language;
use crate::domain::progress::{Assessment, Observation, WeightBasis};
use crate::domain::tracking::{Answer, GroupProgress, MeasureSpec, Point, PARITY_BAND};

/// How a target's headline values are written and bounded.
#[derive(Debug, Clone)]
pub struct Measure {
    /// Suffix of values (`%` or empty).
    pub unit: &'static str,
    /// Range the values can take.
    pub bounds: Option<(f64, f64)>,
    kind: RuleKind,
}

impl Measure {
    /// The measure of a target's series.
    pub fn of(target: &Target, catalogue: &Catalogue) -> Self {
        let spec = MeasureSpec::of_target(target, catalogue);
        let kind = target.rule.kind;
        let (unit, bounds) = match (kind, spec.as_ref().map(|s| s.unit)) {
            // A gap is in percentage points and can be negative; parity is a ratio.
            (RuleKind::GapReduction | RuleKind::Parity, _) => ("", None),
            (_, Some(Unit::Percent | Unit::Boolean)) => ("%", Some((0.0, 100.0))),
            _ => ("", spec.and_then(|s| s.range)),
        };
        Self { unit, bounds, kind }
    }

    /// A value with its unit.
    pub fn value(&self, value: f64) -> String {
        format!("{}{}", format_value(value), self.unit)
    }

    /// The target a series is held to, as a line (low = high) or a band.
    pub fn target(&self, assessment: &Assessment) -> Option<(f64, f64)> {
        match self.kind {
            RuleKind::Parity => Some(PARITY_BAND),
            _ => assessment.target_value.map(|v| (v, v)),
        }
    }

    /// The target in words.
    pub fn target_text(&self, assessment: &Assessment, language: Language) -> String {
        match (self.kind, assessment.target_value) {
            (RuleKind::Parity, _) => Label::ParityBand.text(language).to_string(),
            (RuleKind::CountIncrease, _) => Label::MoreThanBaseline.text(language).to_string(),
            (_, Some(v)) => self.value(v),
            (_, None) => "–".to_string(),
        }
    }
}

/// Share of a point's group weight that was estimated rather than reported (0..1).
pub fn estimated_share(point: &Point) -> f64 {
    point.coverage.imputed_weight_share.unwrap_or(0.0)
}

/// Whether a point rests mostly on estimates: more of its weight estimated than reported.
fn mostly_estimated(point: &Point) -> bool {
    let c = &point.coverage;
    estimated_share(point) > c.reported_weight_share.unwrap_or(0.0)
}

/// "coverage 78% of the population".
pub fn coverage_text(point: &Point, language: Language) -> String {
    let of = match point.coverage.basis {
        WeightBasis::Countries => Label::OfCountries,
        _ => Label::OfPopulation,
    };
    let share = labels::percent(point.coverage.weight_share.unwrap_or(0.0));
    match language {
        Language::En => format!("{} {share} {}", Label::Coverage.text(language), of.text(language)),
        Language::Zh => format!("{}{}{share}", of.text(language), Label::Coverage.text(language)),
    }
}

fn words(language: Language) -> ChartWords {
    ChartWords {
        reported: Label::Reported.text(language).into(),
        estimated: Label::Estimated.text(language).into(),
        below_floor: Label::BelowFloor.text(language).into(),
        target: Label::TargetValue.text(language).into(),
        deadline: Label::Deadline.text(language).into(),
        projection: Label::Projection.text(language).into(),
        no_data: Label::NoData.text(language).into(),
    }
}

/// A sentence on the latest value, the target and the status.
pub fn describe(measure: &Measure, assessment: &Assessment, language: Language) -> String {
    let latest = match assessment.current_value.zip(assessment.current_year) {
        Some((value, year)) => format!("{} {}", measure.value(value), labels::in_year(year, language)),
        None => Label::NoData.text(language).to_string(),
    };
    let projected = assessment
        .projected_year
        .map(|y| format!("; {}: {:.0}", Label::ProjectedYear.text(language), y.ceil()))
        .unwrap_or_default();
    format!(
        "{}: {latest}; {}: {} ({} {}); {}: {}{projected}.",
        Label::Latest.text(language),
        Label::TargetValue.text(language),
        measure.target_text(assessment, language),
        Label::Deadline.text(language),
        assessment.target_year,
        Label::Status.text(language),
        labels::status(assessment.status, language),
    )
}

/// What every chart of a target shares: where it goes, its target, its measure, its words.
pub struct Figure<'a> {
    /// Id prefix, unique within the page.
    pub id: String,
    /// The target.
    pub target: &'a Target,
    /// How its values are written.
    pub measure: &'a Measure,
    /// The page's language.
    pub language: Language,
    /// Full or small.
    pub size: Size,
}

impl Figure<'_> {
    fn chart(&self, title: String, a: &Assessment, points: Vec<ChartPoint>) -> Chart {
        let (measure, language) = (self.measure, self.language);
        Chart {
            id: self.id.clone(),
            title,
            description: describe(measure, a, language),
            unit: measure.unit.to_string(),
            points,
            target: measure.target(a),
            deadline: Some(a.target_year),
            projection: match measure.kind {
                RuleKind::Parity => None,
                _ => a.projected_year.zip(a.target_value),
            },
            bounds: measure.bounds,
            words: words(language),
            size: self.size,
        }
    }

    /// The chart of the target over one group.
    pub fn group(&self, progress: &GroupProgress) -> Chart {
        let (measure, language) = (self.measure, self.language);
        let points = progress
            .series
            .iter()
            .filter_map(|p| {
                let value = p.value?;
                let mut note = format!(
                    "{}: {} · {} · {} {}",
                    p.year,
                    measure.value(value),
                    coverage_text(p, language),
                    Label::Estimated.text(language),
                    labels::percent(estimated_share(p))
                );
                if !p.meets_min_coverage {
                    note = format!("{note} · {}", Label::BelowFloor.text(language));
                }
                Some(ChartPoint {
                    year: p.year,
                    value,
                    estimated: mostly_estimated(p),
                    below_floor: !p.meets_min_coverage,
                    note,
                })
            })
            .collect();
        self.chart(format!("{} · {}", self.target.id, progress.group_name), &progress.assessment, points)
    }

    /// The chart of a yes/no target for one country: its latest answer (yes drawn at 100 %,
    /// no at 0), or nothing.
    pub fn answer(&self, name: &str, answer: Option<&Answer>) -> Chart {
        let language = self.language;
        let word = |yes: bool| Label::from_answer(yes).text(language);
        let points = answer
            .map(|a| ChartPoint {
                year: a.year,
                value: if a.yes { 100.0 } else { 0.0 },
                estimated: false,
                below_floor: false,
                note: format!("{}: {}", a.year, word(a.yes)),
            })
            .into_iter()
            .collect();
        let description = match answer {
            Some(a) => {
                format!("{}: {} {}.", Label::Answer.text(language), word(a.yes), labels::in_year(a.year, language))
            }
            None => format!("{}: {}.", Label::Answer.text(language), Label::NoData.text(language)),
        };
        Chart {
            id: self.id.clone(),
            title: format!("{} · {name}", self.target.id),
            description,
            unit: "%".into(),
            points,
            target: None,
            deadline: Some(self.target.rule.deadline_year),
            projection: None,
            bounds: Some((0.0, 100.0)),
            words: words(language),
            size: self.size,
        }
    }

    /// The chart of the target for one country (its own reported series).
    pub fn country(&self, name: &str, series: &[Observation], assessment: &Assessment) -> Chart {
        let points = series
            .iter()
            .map(|o| ChartPoint {
                year: o.year,
                value: o.value,
                estimated: false,
                below_floor: false,
                note: format!("{}: {}", o.year, self.measure.value(o.value)),
            })
            .collect();
        self.chart(format!("{} · {name}", self.target.id), assessment, points)
    }
}
