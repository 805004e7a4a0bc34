//! Progress assessment for the Connect 2030 Agenda (docs/methodology.md).
//!
//! Everything here is a pure function over plain values: no I/O, no clock, no database.
//! Outputs carry enough provenance (inputs, thresholds, intermediate rates) for a person
//! to recompute every number by hand.

pub mod aggregate;
pub mod growth;
pub mod methods;

#[cfg(test)]
pub(crate) mod tests;

pub use aggregate::{
    all_yes, share_of_countries, sum, weighted_mean, Aggregate, Coverage, MemberValue, ShareOfCountries, WeightBasis,
    Withheld, YesNo,
};
pub use growth::g;
pub use methods::{
    assess, classify, thresholds, Assessment, ClampRange, Direction, Method, Observation, ParseDirectionError,
    ParseMethodError, ProgressStatus, TargetSpec, Threshold,
};

/// Returns `Some(x)` only when `x` is finite, so no NaN or infinity ever reaches an output.
pub(crate) fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}
