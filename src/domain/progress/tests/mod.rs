//! Tests of the progress module; the worked examples of docs/methodology.md are in `methods`.

mod aggregate;
mod edges;
mod methods;
mod props;
mod schema;

/// Asserts `|got − want| ≤ tol` for a value that must be present.
#[track_caller]
pub(super) fn assert_close(got: Option<f64>, want: f64, tol: f64) {
    let got = got.unwrap_or_else(|| panic!("expected ≈ {want}, got None"));
    assert!((got - want).abs() <= tol, "expected ≈ {want} ± {tol}, got {got}");
}

/// Any finite double, the extremes and the subnormals as likely as ordinary numbers (for the
/// property tests of aggregates, assessments and charts).
pub(crate) fn extreme() -> impl proptest::strategy::Strategy<Value = f64> {
    use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    use proptest::prelude::*;
    prop_oneof![
        POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO,
        prop::sample::select(vec![f64::MAX, -f64::MAX, 1e308, -1e308, 5e-324, -5e-324, 1e12, -1e5, 0.0]),
        -1e12..1e12f64,
    ]
}
