//! Linear scales with round ticks, and numbers written for people.
//!
//! Total over every finite value (and harmless on the others): an axis spans at most
//! ±[`AXIS_LIMIT`], lists at most [`MAX_TICKS`] ticks, places every value within a plot
//! height of the plot, and every number is written in a bounded number of characters.

/// Largest magnitude an axis reaches: far beyond any value the catalogue accepts (1e12), and
/// far enough below `f64::MAX` that spans, steps and ticks never overflow.
const AXIS_LIMIT: f64 = 1e300;
/// Smallest span an axis shows: values closer than this to each other (or to 0) are drawn
/// as one level, so steps never underflow.
const MIN_SPAN: f64 = 1e-100;
/// Most ticks an axis lists, whatever its step (a round step gives a few more than asked).
const MAX_TICKS: usize = 50;
/// Most decimals a number is written with; smaller steps are written in scientific notation.
const MAX_DECIMALS: usize = 6;
/// Magnitude from which numbers are written in scientific notation (beyond "999T").
const SCIENTIFIC_FROM: f64 = 1e15;
/// What a number that is not finite is written as (nothing computed here produces one).
const NOT_A_NUMBER: &str = "—";

/// Maps a domain interval onto a pixel interval.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    min: f64,
    max: f64,
    step: f64,
    from: f64,
    to: f64,
}

/// A round step (1, 2 or 5 times a power of ten) giving about `ticks` intervals over `span`;
/// `span` itself when it is not a positive finite number large enough to divide.
fn nice_step(span: f64, ticks: usize) -> f64 {
    let raw = span / ticks.max(1) as f64;
    if !(raw.is_finite() && raw >= MIN_SPAN / 100.0) {
        return if span.is_finite() && span > 0.0 { span } else { 1.0 };
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

impl Scale {
    /// A value scale covering every value, widened to round ticks but never beyond `bounds`.
    /// Values beyond ±[`AXIS_LIMIT`] count as that limit.
    pub fn nice(values: &[f64], bounds: Option<(f64, f64)>, ticks: usize, pixels: (f64, f64)) -> Self {
        let finite = values.iter().copied().filter(|v| v.is_finite()).map(|v| v.clamp(-AXIS_LIMIT, AXIS_LIMIT));
        let (mut low, mut high) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
        if !low.is_finite() {
            let (l, h) = bounds.filter(|(l, h)| l.is_finite() && h.is_finite() && l < h).unwrap_or((0.0, 1.0));
            (low, high) = (l.clamp(-AXIS_LIMIT, AXIS_LIMIT), h.clamp(-AXIS_LIMIT, AXIS_LIMIT));
        }
        let level = low.abs().max(high.abs());
        // A range too narrow to divide into steps is drawn as a level with room around it.
        if high - low < MIN_SPAN.max(level * 1e-9) {
            let pad = if level < MIN_SPAN { 1.0 } else { level * 0.1 };
            (low, high) = (low - pad, high + pad);
        }
        let step = nice_step(high - low, ticks);
        let (mut min, mut max) = ((low / step).floor() * step, (high / step).ceil() * step);
        if let Some((lowest, highest)) = bounds {
            if lowest <= low {
                min = min.max(lowest);
            }
            if highest >= high {
                max = max.min(highest);
            }
        }
        Self { min, max, step, from: pixels.0, to: pixels.1 }
    }

    /// A year scale from `first` to `last` (one year on each side when they coincide).
    pub fn years(first: f64, last: f64, pixels: (f64, f64)) -> Self {
        let (min, max) = if last > first { (first, last) } else { (first - 1.0, first + 1.0) };
        Self { min, max, step: 1.0, from: pixels.0, to: pixels.1 }
    }

    /// The pixel position of a value; a value far off the scale is placed at most one plot
    /// height beyond it, so every position is a finite, short number.
    pub fn at(&self, value: f64) -> f64 {
        let span = self.max - self.min;
        let share = if span.is_finite() && span > 0.0 { (value - self.min) / span } else { 0.5 };
        let share = if share.is_nan() { 0.5 } else { share.clamp(-1.0, 2.0) };
        self.from + share * (self.to - self.from)
    }

    /// Largest value on the scale.
    pub fn max(&self) -> f64 {
        self.max
    }

    /// Distance between ticks.
    pub fn step(&self) -> f64 {
        self.step
    }

    /// Round values from the bottom to the top of the scale (at most [`MAX_TICKS`]; the two
    /// ends when a step would give more).
    pub fn ticks(&self) -> Vec<f64> {
        let first = (self.min / self.step).ceil();
        let last = (self.max / self.step + 1e-9).floor();
        if !(first.is_finite() && last.is_finite() && first <= last && last - first < MAX_TICKS as f64) {
            return [self.min, self.max].into_iter().filter(|v| v.is_finite()).collect();
        }
        (0..=(last - first) as usize).map(|n| (first + n as f64) * self.step).collect()
    }

    /// Whole years at a round interval, about `count` of them.
    pub fn year_ticks(&self, count: usize) -> Vec<i32> {
        let step = nice_step(self.max - self.min, count).clamp(1.0, 1e4) as i32;
        let first = (self.min.ceil() as i32).div_euclid(step) * step;
        (first..=self.max.floor() as i32).step_by(step as usize).filter(|y| f64::from(*y) >= self.min).collect()
    }
}

/// Decimals that show a step's digit (0 for steps of 1 and more), at most [`MAX_DECIMALS`].
fn decimals(step: f64) -> usize {
    if step >= 1.0 || step <= 0.0 {
        0
    } else {
        ((-step.log10().floor()) as usize).min(MAX_DECIMALS)
    }
}

/// A number in scientific notation with the significant digits a step needs (`1.8e308`).
fn scientific(value: f64, step: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    let exponent = |x: f64| x.abs().log10().floor();
    let digits = if step > 0.0 { exponent(value) - exponent(step) } else { 2.0 };
    let digits = if digits.is_finite() { digits.clamp(0.0, 15.0) as usize } else { 2 };
    format!("{value:.digits$e}")
}

/// A number for reading: as many decimals as `step` needs, large numbers in thousands,
/// millions or billions, very large or very small ones in scientific notation.
pub fn format_number(value: f64, step: f64) -> String {
    if !value.is_finite() {
        return NOT_A_NUMBER.to_string();
    }
    let step = if step.is_finite() { step.abs() } else { 0.0 };
    let magnitude = value.abs().max(step);
    if magnitude >= SCIENTIFIC_FROM || (step > 0.0 && step < 10f64.powi(-(MAX_DECIMALS as i32))) {
        return scientific(value, step);
    }
    let (size, suffix) = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
        .into_iter()
        .find(|(size, _)| magnitude >= *size)
        .unwrap_or((1.0, ""));
    let (value, step) = (value / size, step / size);
    let decimals = decimals(step);
    format!("{value:.decimals$}{suffix}")
}

/// A value as text with a sensible precision (three significant digits, at most two
/// decimals for values at or above 1).
pub fn format_value(value: f64) -> String {
    let magnitude = value.abs();
    if !value.is_finite() {
        NOT_A_NUMBER.to_string()
    } else if magnitude == 0.0 {
        "0".to_string()
    } else if magnitude >= 1e4 {
        format_number(value, magnitude / 100.0)
    } else if magnitude >= 100.0 || value.fract() == 0.0 {
        format!("{value:.0}")
    } else if magnitude >= 1.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_values() {
        let scale = Scale::nice(&[0.0, 73.6, 70.0], Some((0.0, 100.0)), 5, (300.0, 10.0));
        assert_eq!(scale.ticks(), vec![0.0, 20.0, 40.0, 60.0, 80.0]);
        assert_eq!(scale.at(0.0), 300.0);
        assert!(scale.at(73.6) >= 10.0);
    }

    #[test]
    fn the_scale_never_leaves_the_bounds() {
        let scale = Scale::nice(&[0.0, 99.0], Some((0.0, 100.0)), 3, (100.0, 0.0));
        assert_eq!(scale.max(), 100.0);
        assert_eq!(scale.at(100.0), 0.0);
    }

    #[test]
    fn numbers_are_written_with_the_precision_of_the_step() {
        assert_eq!(format_number(20.0, 20.0), "20");
        assert_eq!(format_number(0.25, 0.05), "0.25");
        assert_eq!(format_number(2_500_000.0, 500_000.0), "2.5M");
        assert_eq!(format_value(73.648), "73.6");
        assert_eq!(format_value(0.0123), "0.01");
        assert_eq!(format_value(0.0), "0");
        assert_eq!(format_value(65.0), "65");
        assert_eq!(format_value(1_234_567.0), "1.23M");
    }

    #[test]
    fn extreme_numbers_are_written_briefly() {
        assert_eq!(format_number(f64::MAX, f64::MAX / 5.0), "1.8e308");
        assert_eq!(format_number(-1e12, 2e11), "-1.0T");
        assert_eq!(format_value(5e-324), "0.00");
        assert_eq!(format_number(f64::INFINITY, 1.0), NOT_A_NUMBER);
        assert_eq!(format_number(2e-9, 1e-9), "2e-9");
    }

    #[test]
    fn a_range_from_the_most_negative_to_the_largest_double_gives_a_few_ticks() {
        let scale = Scale::nice(&[-f64::MAX, f64::MAX], None, 5, (300.0, 10.0));
        let ticks = scale.ticks();
        assert!((2..=MAX_TICKS).contains(&ticks.len()), "{ticks:?}");
        assert!(ticks.iter().all(|t| t.is_finite() && t.abs() <= 2.0 * AXIS_LIMIT), "{ticks:?}");
        assert_eq!(scale.at(f64::MAX), 10.0 - 290.0, "a value beyond the axis stays one plot height off it");
    }

    #[test]
    fn no_values_within_the_widest_bounds_still_give_a_finite_axis() {
        let scale = Scale::nice(&[], Some((0.0, f64::MAX)), 1, (300.0, 10.0));
        assert!(scale.step().is_finite() && scale.step() > 0.0 && scale.max().is_finite(), "{scale:?}");
        assert!(!scale.ticks().is_empty());
    }

    use crate::domain::progress::tests::extreme;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn scales_ticks_and_numbers_are_finite_and_short_for_any_finite_values(
            values in prop::collection::vec(extreme(), 0..6),
            bounds in prop::option::of((extreme(), extreme())),
            ticks in 1usize..8,
        ) {
            let scale = Scale::nice(&values, bounds, ticks, (300.0, 10.0));
            prop_assert!(scale.step().is_finite() && scale.step() > 0.0 && scale.max().is_finite());
            let listed = scale.ticks();
            prop_assert!(listed.len() <= MAX_TICKS);
            for v in values.iter().chain(&listed) {
                let at = scale.at(*v);
                prop_assert!((-290.0..=600.0).contains(&at), "{v} at {at}");
                for text in [format_number(*v, scale.step()), format_value(*v)] {
                    prop_assert!(text.len() <= 32 && !text.contains("inf") && !text.contains("NaN"), "{v}: {text}");
                }
            }
        }
    }
}
