//! Progress methods (docs/methodology.md, "Progress methods"): statcan, unsd_2022 and unsd_2023.

mod terms;

pub use terms::*;

use std::collections::BTreeMap;

use super::finite;
use super::growth::g;

fn band(status: ProgressStatus, min: f64) -> Threshold {
    Threshold { status, min: Some(min) }
}

fn floor(status: ProgressStatus) -> Threshold {
    Threshold { status, min: None }
}

/// The classification bands `method` uses, depending on whether there is a target value.
pub fn thresholds(method: Method, has_target: bool) -> Vec<Threshold> {
    use ProgressStatus::*;
    match (method, has_target) {
        (Method::Statcan, true) => vec![
            band(SubstantialProgress, 0.95),
            band(ModerateProgress, 0.60),
            band(LimitedProgress, 0.0),
            floor(Deterioration),
        ],
        (Method::Statcan, false) => vec![
            band(SubstantialProgress, 0.015),
            band(ModerateProgress, 0.005),
            band(LimitedProgress, 0.0),
            floor(Deterioration),
        ],
        (Method::Unsd2022, _) => {
            vec![band(OnTrack, 0.95), band(FairProgress, 0.5), band(LimitedProgress, -0.1), floor(Deterioration)]
        }
        (Method::Unsd2023, _) => vec![band(OnTrack, 0.95), band(FairProgress, 0.10), floor(StagnationOrRegression)],
    }
}

/// The status of the first band in `bands` whose `min` the `ratio` reaches.
pub fn classify(bands: &[Threshold], ratio: f64) -> ProgressStatus {
    bands.iter().find(|b| b.min.is_none_or(|min| ratio >= min)).map_or(ProgressStatus::InsufficientData, |b| b.status)
}

/// Finite observations up to `as_of_year`, one per year (the last one given wins).
fn clean_series(series: &[Observation], as_of_year: i32, notes: &mut Vec<String>) -> BTreeMap<i32, f64> {
    let mut points = BTreeMap::new();
    let (mut duplicate, mut future, mut non_finite) = (false, false, false);
    for o in series {
        if !o.value.is_finite() {
            non_finite = true;
        } else if o.year > as_of_year {
            future = true;
        } else if points.insert(o.year, o.value).is_some() {
            duplicate = true;
        }
    }
    for (flag, note) in [
        (duplicate, reasons::DUPLICATE_YEAR),
        (future, reasons::FUTURE_OBSERVATIONS_IGNORED),
        (non_finite, reasons::NON_FINITE_VALUES_IGNORED),
    ] {
        if flag {
            notes.push(note.to_owned());
        }
    }
    points
}

impl Assessment {
    fn insufficient(mut self, reason: &str) -> Assessment {
        self.status = ProgressStatus::InsufficientData;
        self.reason = Some(reason.to_owned());
        self.ratio = None;
        self.projected_year = None;
        self.projection_reason = Some(reasons::INSUFFICIENT_DATA.to_owned());
        self
    }

    /// `target_achieved` when the current value already meets the target, even though no
    /// trend can be measured (a single data point, a zero base): Open SDG checks the target
    /// first. Otherwise `insufficient_data` for `reason`.
    fn unless_achieved(mut self, reason: &str) -> Assessment {
        match self.target_value.zip(self.current_value) {
            Some((x_star, xt)) if self.direction.reaches(xt, x_star) => {
                self.status = ProgressStatus::TargetAchieved;
                self.ratio = None;
                self.projection_reason = Some(reasons::ALREADY_ACHIEVED.to_owned());
                self
            }
            _ => self.insufficient(reason),
        }
    }
}

/// Assesses `series` against `spec` with `method`, exactly as docs/methodology.md describes.
///
/// * Base year `t0`: the first year with data at or after the declared baseline year
///   (or [`DEFAULT_BASE_YEAR`]). Current year `t`: the latest year with data.
/// * `as_of_year` is the calendar year of the assessment: observations after it are
///   ignored, so a past assessment can be reproduced.
/// * Anything not computable yields `insufficient_data` with a reason, never a guess.
pub fn assess(method: Method, series: &[Observation], spec: &TargetSpec, as_of_year: i32) -> Assessment {
    let target = spec.value.and_then(finite);
    let direction = spec.direction;
    let d = direction.sign();
    let mut notes = Vec::new();
    let points = clean_series(series, as_of_year, &mut notes);

    let clamp = match spec.clamp {
        Some((min, max)) if min.is_finite() && max.is_finite() && min <= max => Some(ClampRange { min, max }),
        Some(_) => {
            notes.push(reasons::INVALID_CLAMP.to_owned());
            None
        }
        None => None,
    };

    let deadline_value = points.get(&spec.year).copied();
    let met_by_deadline = match (deadline_value, target) {
        (Some(v), Some(x_star)) => Some(direction.reaches(v, x_star)),
        _ => None,
    };

    let mut a = Assessment {
        method,
        thresholds: thresholds(method, target.is_some()),
        direction,
        declared_baseline_year: spec.baseline_year,
        base_year: None,
        base_value: None,
        current_year: None,
        current_value: None,
        target_value: target,
        target_year: spec.year,
        as_of_year,
        clamp,
        growth_rate_actual: None,
        growth_rate_required: None,
        ratio: None,
        projected_value: None,
        status: ProgressStatus::InsufficientData,
        reason: None,
        projected_year: None,
        projection_reason: None,
        required_annual_rate: None,
        met_by_deadline,
        deadline_value,
        notes,
    };

    let Some((&t, &xt)) = points.last_key_value() else {
        return a.insufficient(reasons::NO_DATA);
    };
    a.current_year = Some(t);
    a.current_value = Some(xt);
    if let Some(x_star) = target {
        if spec.year > t {
            a.required_annual_rate = g(x_star, xt, spec.year, t);
        }
    }

    let anchor = spec.baseline_year.unwrap_or(DEFAULT_BASE_YEAR);
    let Some((&t0, &x0)) = points.range(anchor..).next() else {
        return a.insufficient(reasons::NO_BASE_YEAR_DATA);
    };
    a.base_year = Some(t0);
    a.base_value = Some(x0);

    if t0 == t {
        return a.unless_achieved(reasons::SINGLE_DATA_POINT);
    }
    if x0 <= 0.0 {
        return a.unless_achieved(reasons::NON_POSITIVE_BASE);
    }
    if xt < 0.0 || target.is_some_and(|x| x < 0.0) {
        return a.unless_achieved(reasons::SIGN_CHANGE);
    }
    let Some(g_actual) = g(xt, x0, t, t0) else {
        return a.unless_achieved(reasons::RATE_UNDEFINED);
    };
    a.growth_rate_actual = Some(g_actual);

    let Some(x_star) = target else {
        if method != Method::Statcan {
            return a.insufficient(reasons::NO_TARGET_VALUE);
        }
        let p = d * g_actual;
        a.ratio = finite(p);
        a.status = classify(&a.thresholds, p);
        a.projection_reason = Some(reasons::NO_TARGET_VALUE.to_owned());
        return a;
    };

    let t_target = spec.year;
    if t_target == t0 {
        return a.unless_achieved(reasons::TARGET_YEAR_NOT_AFTER_BASE);
    }
    if t_target < t0 {
        a.notes.push(reasons::TARGET_YEAR_BEFORE_BASE.to_owned());
    }
    if d * (x_star - x0) <= 0.0 {
        a.notes.push(reasons::TARGET_MET_AT_BASE.to_owned());
    }
    let g_required = g(x_star, x0, t_target, t0);
    a.growth_rate_required = g_required;

    let ratio = match method {
        Method::Statcan => g_required.filter(|r| *r != 0.0).and_then(|r| finite(d * g_actual / r.abs())),
        Method::Unsd2022 => g_required.filter(|r| *r != 0.0).and_then(|r| finite(g_actual / r)),
        Method::Unsd2023 => {
            let horizon = f64::from(t_target) - f64::from(t);
            a.projected_value =
                finite(xt * (1.0 + g_actual).powf(horizon)).map(|v| clamp.map_or(v, |c| v.max(c.min).min(c.max)));
            a.projected_value.filter(|_| x_star != x0).and_then(|v| finite((v - x0) / (x_star - x0)))
        }
    };
    a.ratio = ratio;

    if direction.reaches(xt, x_star) {
        a.status = ProgressStatus::TargetAchieved;
        a.projection_reason = Some(reasons::ALREADY_ACHIEVED.to_owned());
        return a;
    }
    let Some(ratio) = ratio else {
        let why = if x_star == x0 { reasons::TARGET_EQUALS_BASE } else { reasons::RATE_UNDEFINED };
        return a.insufficient(why);
    };
    a.status = classify(&a.thresholds, ratio);

    // Moving toward the target means the trend has the sign the direction asks for;
    // the target is not yet reached, so x*/xt and 1+g are then on the same side of 1.
    let toward = d * g_actual;
    if toward == 0.0 {
        a.projection_reason = Some(reasons::NO_TREND.to_owned());
    } else if toward < 0.0 {
        a.projection_reason = Some(reasons::MOVING_AWAY.to_owned());
    } else {
        let years = (x_star / xt).ln() / g_actual.ln_1p();
        match finite(f64::from(t) + years).filter(|_| years > 0.0) {
            Some(y) => a.projected_year = Some(y),
            None => a.projection_reason = Some(reasons::NOT_REACHABLE_AT_CONSTANT_RATE.to_owned()),
        }
    }
    a
}
