//! Linear scales with round ticks, and numbers written for people.

/// Maps a domain interval onto a pixel interval.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    min: f64,
    max: f64,
    step: f64,
    from: f64,
    to: f64,
}

/// A round step (1, 2 or 5 times a power of ten) giving about `ticks` intervals over `span`.
fn nice_step(span: f64, ticks: usize) -> f64 {
    let raw = span / ticks.max(1) as f64;
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
    pub fn nice(values: &[f64], bounds: Option<(f64, f64)>, ticks: usize, pixels: (f64, f64)) -> Self {
        let finite = values.iter().copied().filter(|v| v.is_finite());
        let (mut low, mut high) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
        if !low.is_finite() {
            (low, high) = bounds.unwrap_or((0.0, 1.0));
        }
        if (high - low).abs() < f64::EPSILON {
            let pad = if high == 0.0 { 1.0 } else { high.abs() * 0.1 };
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

    /// The pixel position of a value.
    pub fn at(&self, value: f64) -> f64 {
        self.from + (value - self.min) / (self.max - self.min) * (self.to - self.from)
    }

    /// Largest value on the scale.
    pub fn max(&self) -> f64 {
        self.max
    }

    /// Distance between ticks.
    pub fn step(&self) -> f64 {
        self.step
    }

    /// Round values from the bottom to the top of the scale.
    pub fn ticks(&self) -> Vec<f64> {
        let first = (self.min / self.step).ceil() as i64;
        let last = (self.max / self.step + 1e-9).floor() as i64;
        (first..=last).map(|n| n as f64 * self.step).collect()
    }

    /// Whole years at a round interval, about `count` of them.
    pub fn year_ticks(&self, count: usize) -> Vec<i32> {
        let step = nice_step(self.max - self.min, count).max(1.0) as i32;
        let first = (self.min.ceil() as i32).div_euclid(step) * step;
        (first..=self.max.floor() as i32).step_by(step as usize).filter(|y| f64::from(*y) >= self.min).collect()
    }
}

/// A number for reading: as many decimals as `step` needs, large numbers in thousands,
/// millions or billions.
pub fn format_number(value: f64, step: f64) -> String {
    let magnitude = value.abs().max(step.abs());
    for (size, suffix) in [(1e9, "G"), (1e6, "M"), (1e3, "k")] {
        if magnitude >= size {
            return format!("{}{suffix}", format_number(value / size, step / size));
        }
    }
    let decimals = if step >= 1.0 || step <= 0.0 { 0 } else { (-step.log10().floor()) as usize };
    format!("{value:.decimals$}")
}

/// A value as text with a sensible precision (three significant digits, at most two
/// decimals for values at or above 1).
pub fn format_value(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude == 0.0 {
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
}
