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
