//! Compound annual growth rate.

/// Compound annual growth rate from `b` at year `tb` to `a` at year `ta`:
/// `g(a, b, ta, tb) = (a / b)^(1 / (ta − tb)) − 1`.
///
/// Returns `None` when the rate is undefined or not a finite number: `b <= 0`, `a < 0`,
/// `ta == tb`, any non-finite input, or a non-finite result (e.g. `a == 0` with `ta < tb`).
/// For example `g(121, 100, 2022, 2020) = 0.1` (10 % a year).
pub fn g(a: f64, b: f64, ta: i32, tb: i32) -> Option<f64> {
    if !a.is_finite() || !b.is_finite() || b <= 0.0 || a < 0.0 || ta == tb {
        return None;
    }
    // Widen before subtracting so extreme years cannot overflow i32.
    let years = f64::from(ta) - f64::from(tb);
    super::finite((a / b).powf(1.0 / years) - 1.0)
}

#[cfg(test)]
mod tests {
    use super::g;
    use proptest::prelude::*;

    const EPS: f64 = 1e-12;

    #[test]
    fn table() {
        // (a, b, ta, tb, expected)
        let cases: &[(f64, f64, i32, i32, Option<f64>)] = &[
            (121.0, 100.0, 2022, 2020, Some(0.1)),
            (100.0, 100.0, 2030, 2015, Some(0.0)),
            (81.0, 100.0, 2022, 2020, Some(-0.1)),
            // Zero end value over a positive horizon is a total decline, not undefined.
            (0.0, 50.0, 2022, 2017, Some(-1.0)),
            // Backwards horizon: 100 in 2021 from 110 in 2022 is 10 % growth per year.
            (100.0, 110.0, 2021, 2022, Some(0.1)),
            (1.0, 0.0, 2022, 2017, None),
            (1.0, -1.0, 2022, 2017, None),
            (-1.0, 1.0, 2022, 2017, None),
            (1.0, 2.0, 2022, 2022, None),
            (f64::NAN, 2.0, 2022, 2017, None),
            (1.0, f64::INFINITY, 2022, 2017, None),
            (f64::INFINITY, 1.0, 2022, 2017, None),
            // 0^(-1) is infinite.
            (0.0, 2.0, 2016, 2017, None),
            // Overflow of the ratio is reported as undefined rather than infinity.
            (f64::MAX, f64::MIN_POSITIVE, 2018, 2017, None),
        ];
        for &(a, b, ta, tb, want) in cases {
            let got = g(a, b, ta, tb);
            match (got, want) {
                (Some(x), Some(y)) => assert!((x - y).abs() < EPS, "g({a},{b},{ta},{tb})={x}"),
                (None, None) => {}
                _ => panic!("g({a},{b},{ta},{tb}) = {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn extreme_years_do_not_overflow() {
        assert!(g(2.0, 1.0, i32::MAX, i32::MIN).is_some());
    }

    proptest! {
        /// Compounding `b` at the rate for the number of years gives back `a`.
        #[test]
        fn compounding_round_trips(
            a in 0.01f64..1e6,
            b in 0.01f64..1e6,
            tb in 1990i32..2030,
            span in 1i32..40,
        ) {
            let ta = tb + span;
            let r = g(a, b, ta, tb).unwrap();
            let back = b * (1.0 + r).powi(span);
            prop_assert!((back - a).abs() <= 1e-9 * a.max(1.0));
        }
    }
}
