//! The terms of an assessment: methods, directions, statuses, bands, the inputs and the
//! result, with the machine-readable reasons it may give.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Base year used when the target declares none: the last full year before the agenda
/// was adopted (2018).
pub const DEFAULT_BASE_YEAR: i32 = 2017;

/// Machine-readable reasons placed in [`Assessment::reason`] and
/// [`Assessment::projection_reason`], and notes placed in [`Assessment::notes`].
pub mod reasons {
    /// The series has no usable (finite, not after the as-of year) observation.
    pub const NO_DATA: &str = "no_data";
    /// No observation in or after the base year.
    pub const NO_BASE_YEAR_DATA: &str = "no_base_year_data";
    /// Only one year at or after the base year: no trend can be measured.
    pub const SINGLE_DATA_POINT: &str = "single_data_point";
    /// The base value is zero or negative, so growth rates are undefined.
    pub const NON_POSITIVE_BASE: &str = "non_positive_base";
    /// The current or target value is negative while the base is positive.
    pub const SIGN_CHANGE: &str = "sign_change";
    /// The method needs a target value and the target has none.
    pub const NO_TARGET_VALUE: &str = "no_target_value";
    /// The target year equals the base year, so the required rate is undefined.
    pub const TARGET_YEAR_NOT_AFTER_BASE: &str = "target_year_not_after_base";
    /// The target value equals the base value, so the ratio divides by zero.
    pub const TARGET_EQUALS_BASE: &str = "target_equals_base";
    /// A growth rate could not be computed as a finite number.
    pub const RATE_UNDEFINED: &str = "rate_undefined";

    /// Projection: the current value already meets the target.
    pub const ALREADY_ACHIEVED: &str = "already_achieved";
    /// Projection: the trend points away from the target.
    pub const MOVING_AWAY: &str = "moving_away";
    /// Projection: the value has not changed between base and current year.
    pub const NO_TREND: &str = "no_trend";
    /// Projection: constant-rate growth never reaches the target (e.g. a target of 0).
    pub const NOT_REACHABLE_AT_CONSTANT_RATE: &str = "not_reachable_at_constant_rate";
    /// Projection: the assessment itself is `insufficient_data`.
    pub const INSUFFICIENT_DATA: &str = "insufficient_data";

    /// Note: the target year is before the base year; the formulas are applied as written,
    /// but the required rate then looks backwards in time (its sign is inverted).
    pub const TARGET_YEAR_BEFORE_BASE: &str = "target_year_before_base";
    /// Note: the target was already met at the base year, so ratios are hard to interpret.
    pub const TARGET_MET_AT_BASE: &str = "target_met_at_base";
    /// Note: the clamp range was invalid (min > max or not finite) and was not applied.
    pub const INVALID_CLAMP: &str = "invalid_clamp";
    /// Note: a year appeared more than once; the last value in the input was used.
    pub const DUPLICATE_YEAR: &str = "duplicate_year";
    /// Note: observations after the as-of year were ignored.
    pub const FUTURE_OBSERVATIONS_IGNORED: &str = "future_observations_ignored";
    /// Note: observations with a non-finite value were ignored.
    pub const NON_FINITE_VALUES_IGNORED: &str = "non_finite_values_ignored";
}

/// A progress-assessment method. Always named in the output, because the methods can
/// disagree on the same data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
pub enum Method {
    /// Statistics Canada / Open SDG / Eurostat lineage (the default).
    #[default]
    #[serde(rename = "statcan")]
    Statcan,
    /// UN SDG Progress Chart 2022 (ratio of compound growth rates).
    #[serde(rename = "unsd_2022")]
    Unsd2022,
    /// UN projection method (2023).
    #[serde(rename = "unsd_2023")]
    Unsd2023,
}

impl Method {
    /// Every method, in a stable order.
    pub const ALL: [Method; 3] = [Method::Statcan, Method::Unsd2022, Method::Unsd2023];

    /// The wire name (`statcan`, `unsd_2022`, `unsd_2023`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Statcan => "statcan",
            Method::Unsd2022 => "unsd_2022",
            Method::Unsd2023 => "unsd_2023",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error returned when parsing an unknown [`Method`] name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseMethodError {
    /// The rejected input.
    pub input: String,
}

impl fmt::Display for ParseMethodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown progress method `{}`; expected one of: statcan, unsd_2022, unsd_2023", self.input)
    }
}

impl std::error::Error for ParseMethodError {}

impl FromStr for Method {
    type Err = ParseMethodError;

    /// Parses the exact wire name; anything else is an error rather than a silent default.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Method::ALL.into_iter().find(|m| m.as_str() == s).ok_or_else(|| ParseMethodError { input: s.to_owned() })
    }
}

/// Whether a larger value of the indicator is progress or regress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Larger values are better (e.g. Internet use).
    HigherIsBetter,
    /// Smaller values are better (e.g. price as % of GNI).
    LowerIsBetter,
}

impl Direction {
    /// `d` in the formulas: `+1.0` for higher-is-better, `-1.0` for lower-is-better.
    pub fn sign(self) -> f64 {
        match self {
            Direction::HigherIsBetter => 1.0,
            Direction::LowerIsBetter => -1.0,
        }
    }

    /// The opposite direction.
    pub fn flipped(self) -> Direction {
        match self {
            Direction::HigherIsBetter => Direction::LowerIsBetter,
            Direction::LowerIsBetter => Direction::HigherIsBetter,
        }
    }

    /// Whether `value` reaches `target` in this direction (`>=` or `<=`).
    pub fn reaches(self, value: f64, target: f64) -> bool {
        match self {
            Direction::HigherIsBetter => value >= target,
            Direction::LowerIsBetter => value <= target,
        }
    }

    /// The wire name (`higher_is_better`, `lower_is_better`).
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "higher_is_better",
            Direction::LowerIsBetter => "lower_is_better",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error returned when parsing an unknown [`Direction`] name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDirectionError {
    /// The rejected input.
    pub input: String,
}

impl fmt::Display for ParseDirectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown direction `{}`; expected higher_is_better or lower_is_better", self.input)
    }
}

impl std::error::Error for ParseDirectionError {}

impl FromStr for Direction {
    type Err = ParseDirectionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Direction::HigherIsBetter, Direction::LowerIsBetter]
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| ParseDirectionError { input: s.to_owned() })
    }
}

/// One point of a series: the value of an indicator in a year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Observation {
    /// Calendar year.
    pub year: i32,
    /// Observed value.
    pub value: f64,
}

/// What a series is assessed against.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TargetSpec {
    /// Target value `x*`; `None` for a trend-only assessment (statcan only).
    pub value: Option<f64>,
    /// Target year `T` (2023 for the Connect 2030 targets).
    pub year: i32,
    /// Whether higher or lower values are progress.
    pub direction: Direction,
    /// Declared baseline year; `None` means [`DEFAULT_BASE_YEAR`].
    pub baseline_year: Option<i32>,
    /// Valid range used to clamp the unsd_2023 projection, e.g. `Some((0.0, 100.0))`.
    pub clamp: Option<(f64, f64)>,
}

/// Classification of an assessment. Which values can occur depends on the method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgressStatus {
    /// The current value already meets the target (all methods; checked first, even on a
    /// single data point). Open SDG: `target_achieved`.
    TargetAchieved,
    /// statcan: P ≥ 0.95 (on track). Open SDG: `substantial_progress`.
    SubstantialProgress,
    /// statcan: 0.60 ≤ P < 0.95. Open SDG: `moderate_progress`.
    ModerateProgress,
    /// statcan: 0 ≤ P < 0.60 (Open SDG: `negligible_progress`, shown as limited progress);
    /// unsd_2022: −0.1 ≤ CR < 0.5.
    LimitedProgress,
    /// statcan: P < 0 (Open SDG: `deterioration`); unsd_2022: CR < −0.1.
    Deterioration,
    /// unsd_2022 / unsd_2023: ratio ≥ 0.95.
    OnTrack,
    /// unsd_2022: 0.5 ≤ CR < 0.95; unsd_2023: 0.10 ≤ ratio < 0.95.
    FairProgress,
    /// unsd_2023: ratio < 0.10.
    StagnationOrRegression,
    /// Not computable; see the reason. Open SDG: `not_available`.
    InsufficientData,
}

impl ProgressStatus {
    /// The wire name, e.g. `substantial_progress`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProgressStatus::TargetAchieved => "target_achieved",
            ProgressStatus::SubstantialProgress => "substantial_progress",
            ProgressStatus::ModerateProgress => "moderate_progress",
            ProgressStatus::LimitedProgress => "limited_progress",
            ProgressStatus::Deterioration => "deterioration",
            ProgressStatus::OnTrack => "on_track",
            ProgressStatus::FairProgress => "fair_progress",
            ProgressStatus::StagnationOrRegression => "stagnation_or_regression",
            ProgressStatus::InsufficientData => "insufficient_data",
        }
    }
}

impl fmt::Display for ProgressStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One band of a method's classification: `status` applies when `ratio >= min`.
/// Bands are listed from the highest; the last has `min = None` and catches the rest.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Threshold {
    /// Status assigned in this band.
    pub status: ProgressStatus,
    /// Inclusive lower bound of the ratio; `None` for the lowest band.
    pub min: Option<f64>,
}

/// A closed value range `[min, max]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct ClampRange {
    /// Lower bound.
    pub min: f64,
    /// Upper bound.
    pub max: f64,
}

/// The result of [`assess`], with everything needed to recompute it by hand.
///
/// Every float is finite; what cannot be computed is `None`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Assessment {
    /// Method applied.
    pub method: Method,
    /// Classification bands of the method, from highest; `target_achieved` is checked
    /// before them whenever there is a target value.
    pub thresholds: Vec<Threshold>,
    /// Direction `d`.
    pub direction: Direction,
    /// Baseline year declared by the target (`None`: the default 2017 applied).
    pub declared_baseline_year: Option<i32>,
    /// Base year `t0` actually used.
    pub base_year: Option<i32>,
    /// Value `x0` at the base year.
    pub base_value: Option<f64>,
    /// Latest year `t` with data.
    pub current_year: Option<i32>,
    /// Value `xt` at the latest year.
    pub current_value: Option<f64>,
    /// Target value `x*`.
    pub target_value: Option<f64>,
    /// Target year `T`.
    pub target_year: i32,
    /// Calendar year of the assessment; observations after it are ignored.
    pub as_of_year: i32,
    /// Clamp applied to the unsd_2023 projection.
    pub clamp: Option<ClampRange>,
    /// `g(xt, x0, t, t0)`.
    pub growth_rate_actual: Option<f64>,
    /// `g(x*, x0, T, t0)`.
    pub growth_rate_required: Option<f64>,
    /// statcan: P; unsd_2022: CR; unsd_2023: `(x̂_T − x0) / (x* − x0)`.
    pub ratio: Option<f64>,
    /// unsd_2023: projected value `x̂_T` at the target year, after clamping.
    pub projected_value: Option<f64>,
    /// Classification.
    pub status: ProgressStatus,
    /// Why the status is `insufficient_data` (see [`reasons`]).
    pub reason: Option<String>,
    /// Fractional year in which the trend reaches the target.
    pub projected_year: Option<f64>,
    /// Why there is no projected year (see [`reasons`]).
    pub projection_reason: Option<String>,
    /// Annual rate needed from the latest value to reach the target at `T`:
    /// `g(x*, xt, T, t)`, only when `T > t`.
    pub required_annual_rate: Option<f64>,
    /// Whether the value observed in the target year met the target.
    pub met_by_deadline: Option<bool>,
    /// The value observed in the target year, used for `met_by_deadline`.
    pub deadline_value: Option<f64>,
    /// Non-fatal remarks about the inputs (see [`reasons`]).
    pub notes: Vec<String>,
}
